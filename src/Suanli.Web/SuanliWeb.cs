using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.ResponseCompression;
using Scalar.AspNetCore;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Suanli.Web.Api;
using Suanli.Web.Http;
using Suanli.Text;

namespace Suanli.Web;

/// <summary>Where and with which catalog the server runs.</summary>
/// <param name="Host">Address to bind: an IP address or <c>localhost</c>. Loopback by default so nothing outside the machine can reach it.</param>
/// <param name="Port">TCP port; 0 picks a free one.</param>
/// <param name="Catalog">The catalog the API answers from (the embedded one plus any <c>--catalog</c> files).</param>
/// <param name="AllowedHosts">Host names the server answers to, separated by ';' (<c>*</c>: any); null for the configuration
/// key <c>Suanli:AllowedHosts</c>, else the loopback names plus <paramref name="Host"/> when it is a specific address.</param>
public sealed record WebSettings(string Host, int Port, SuanliCatalog Catalog, string? AllowedHosts = null)
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 5080;

    /// <summary>Loopback on the default port with the embedded catalog.</summary>
    public static WebSettings Default => new("127.0.0.1", DefaultPort, CatalogFiles.Embedded);

    /// <summary>The URL to bind, e.g. <c>http://127.0.0.1:5080</c>; a bad host or port is an <see cref="InputException"/>.</summary>
    public string Url
    {
        get
        {
            Guard.InRange(Port, 0, 65535, FieldNames.Port);
            var host = Host.Trim();
            if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(host, out _))
            {
                throw new InputException("--host", Phrase.Of("web-host-not-address", "{host} must be an IP address such as 127.0.0.1 (loopback, the default) or 0.0.0.0 (every interface), or 'localhost'; got '{value}'.",
                    ("host", "--host"), ("value", InputQuote.Clip(host))));
            }
            // The address as .NET reads it: '0x1' and '127.1' are IP addresses to it, but not host names a URL can carry.
            var shown = !IPAddress.TryParse(host, out var ip) ? host
                : ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
            return $"http://{shown}:{Port.ToString(CultureInfo.InvariantCulture)}";
        }
    }
}

/// <summary>
/// Builds the web app: the HTTP API under <c>/api</c> (one file per feature in Api/, listed in <see cref="Features"/>),
/// the OpenAPI document at <c>/openapi/v1.json</c>, the Scalar reference at <c>/scalar</c>, and the planning page
/// at <c>/</c>. The web layer parses, calls the same report builders as the CLI, and renders; it computes nothing itself.
/// </summary>
public static class SuanliWeb
{
    /// <summary>
    /// The API's features, each mapping its endpoints onto the <c>/api</c> group. Extension point: a new feature
    /// (simulate, capacity, plan, optimize, train, compare) adds one file under Api/ and one entry here
    /// (docs/web.md, "Adding an endpoint and a panel").
    /// </summary>
    public static IReadOnlyList<Action<RouteGroupBuilder>> Features { get; } =
    [
        CatalogApi.Map,
        MemoryApi.Map,
        PerfApi.Map,
        ServingApi.Map,
        PlanApi.Map,
        PlanSearchStream.Map,
        OptimizeApi.Map,
        CompareApi.Map,
        TrainApi.Map,
        DensityApi.Map,
    ];

    /// <summary>Media types compressed beyond ASP.NET's defaults (which already hold HTML, CSS, JavaScript and JSON).</summary>
    public static IReadOnlyList<string> CompressedTypes { get; } = ["application/problem+json", "image/svg+xml", "text/markdown", "application/yaml", "application/x-ndjson"];

    /// <summary>Builds the app from command-line arguments (<c>--port</c>, <c>--host</c>, or ASP.NET's <c>--urls</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var host = builder.Configuration["host"] ?? WebSettings.Default.Host;
        var portText = builder.Configuration["port"];
        var port = portText is null ? WebSettings.DefaultPort
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p
            : throw new InputException("--port", Phrase.Of("web-port-not-whole", "{port} must be a whole number from 0 to 65535, got '{value}'.", ("port", "--port"), ("value", InputQuote.Clip(portText))));
        return Build(builder, new WebSettings(host, port, CatalogFiles.Embedded));
    }

    /// <summary>Builds the app for <paramref name="settings"/> (used by <c>suanli serve</c>).</summary>
    public static WebApplication Build(WebSettings settings, string[]? args = null) => Build(WebApplication.CreateBuilder(args ?? []), settings);

    private static WebApplication Build(WebApplicationBuilder builder, WebSettings settings)
    {
        if (builder.Configuration["urls"] is null)
        {
            builder.WebHost.UseUrls(settings.Url);
        }
        // The serve command prints the URL itself; the host's own start-up lines would repeat it.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // One log line per request would cost more than the request itself; problems are still logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A failed start (a port in use) is said once by ServeAsync; the host would log it first with its stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        var limits = builder.Configuration.GetSection("Suanli");
        builder.Services.Configure<WebLimits>(limits);
        builder.WebHost.ConfigureKestrel(k =>
            k.Limits.MaxRequestBodySize = limits.GetValue<long?>(nameof(WebLimits.MaxBodyBytes)) ?? new WebLimits().MaxBodyBytes);

        builder.Services.AddSingleton(settings.Catalog);
        // The one clock of the server: handlers that date an answer (stale prices, price ages) take it from here, so tests can fix the day.
        builder.Services.AddSingleton(TimeProvider.System);
        // The step-time model every endpoint uses: the calibrated model the CLI uses (CliContext.StepTimeModel).
        builder.Services.AddSingleton<IStepTimeModel>(CalibrationFiles.Default);
        builder.Services.AddSingleton<RequestBody>();
        builder.Services.AddSingleton<TimeLimit>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapper.Unexplained);
        // The page's files and the API's JSON go out Brotli- or gzip-compressed when the browser accepts it (the
        // chart library's 1.1 MB becomes about a third of that; docs/web.md, "Targets and measurements").
        builder.Services.AddResponseCompression(o =>
        {
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, .. CompressedTypes];
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        builder.Services.AddExceptionHandler<ProblemMapper>();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Suanli (算力) API";
            doc.Info.Description = "The planner's reports as JSON: each endpoint takes the CLI command's inputs and returns the document its --format json prints. Errors are RFC 7807 problem details naming the field.";
            return Task.CompletedTask;
        }).AddOperationTransformer(OpenApiParameters.Describe));

        var allowedHosts = Security.AllowedHosts(settings.AllowedHosts ?? builder.Configuration["Suanli:AllowedHosts"], settings.Host);
        // Cross-origin reads are denied by default: no CORS policy, so a browser withholds this server's answers from
        // pages of other origins. Suanli:AllowedOrigins names the origins that may read them (docs/web.md, "Security").
        var allowedOrigins = Security.AllowedOrigins(builder.Configuration["Suanli:AllowedOrigins"]);
        if (allowedOrigins.Count > 0)
        {
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins([.. allowedOrigins]).WithMethods("GET", "POST").WithHeaders("Content-Type")));
        }

        var app = builder.Build();
        app.Use(Security.Headers);
        app.UseExceptionHandler();
        app.Use(Security.HostFilter(allowedHosts));
        if (allowedOrigins.Count > 0)
        {
            app.UseCors();
        }
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), a => a.Use(ReportResults.ServerTiming));
        var assets = new EmbeddedAssets(typeof(SuanliWeb).Assembly);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = assets });
        app.Use(new SmallestBrotliAssets(assets).Serve);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = assets });
        // Browsers ask for /favicon.ico on pages that name no icon (the OpenAPI document, problem pages): the page's SVG.
        app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).ExcludeFromDescription();
        app.MapOpenApi();
        // The reference stays offline and plain: the system's fonts rather than Scalar's font CDN, no AI chat ("Ask AI"),
        // no MCP or telemetry calls, no developer toolbar ("Generate SDK", "Deploy"), no client-download button, the
        // page's own icon.
        app.MapScalarApiReference(o => o.WithTitle("Suanli API").DisableDefaultFonts().DisableAgent().DisableMcp().DisableTelemetry()
            .HideDeveloperTools().HideClientButton().WithFavicon("/favicon.svg"));

        var api = app.MapGroup("/api");
        api.AddEndpointFilterFactory(QueryParameters.Filter);
        foreach (var feature in Features)
        {
            feature(api);
        }
        return app;
    }

    /// <summary>
    /// Starts the app, writes the URL it listens on to <paramref name="output"/> in <paramref name="language"/>
    /// (English when null), and runs until Ctrl+C or <paramref name="stop"/>. Returns 0.
    /// </summary>
    public static async Task<int> ServeAsync(WebApplication app, TextWriter output, Language? language = null, CancellationToken stop = default)
    {
        try
        {
            await app.StartAsync(stop);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            // A port in use or an address this machine does not have: bad input, said in one line, not a host's stack trace.
            throw new InputException("--port", Phrase.Of("web-cannot-listen", "The server could not listen on {url} ({reason}). Give another {port} (0 picks a free one), or a {host} address this machine has.",
                ("url", app.Urls.Count > 0 ? string.Join(", ", app.Urls) : app.Configuration["urls"] ?? ""), ("reason", ex.Message.TrimEnd('.')), ("port", "--port"), ("host", "--host")));
        }
        WarmUp(app.Services);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            output.WriteLine(Phrase.Of("web.serving", "Suanli is serving the planner at {address}/ and the API reference at {address}/scalar (Ctrl+C stops it).",
                ("address", address)).Render(language ?? Languages.English, FieldNames.Core));
        }
        await app.WaitForShutdownAsync(stop);
        return 0;
    }

    /// <summary>
    /// Runs one memory report and one perf report before the URL is printed, so the code is compiled before the first
    /// visitor arrives and the page's first render stays under a second.
    /// </summary>
    public static void WarmUp(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<SuanliCatalog>();
        if (catalog.Models.Count == 0 || catalog.Devices.Count == 0)
        {
            return;
        }
        try
        {
            var model = catalog.Models[0].Id;
            var device = catalog.Devices[0].Id;
            _ = Runs.ReportText.Json(MemoryApi.Build(new MemoryInput { Model = model, Hardware = device }, catalog));
            _ = Runs.ReportText.Json(PerfApi.Build(new PerfInput { Model = model, Hardware = device, Batch = "1,16,256" }, catalog, services.GetRequiredService<IStepTimeModel>()));
        }
        catch (InputException)
        {
            // A user catalog whose first entries cannot be evaluated only loses the warm-up.
        }
    }
}
