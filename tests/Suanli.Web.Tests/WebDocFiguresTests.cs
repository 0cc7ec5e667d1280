extern alias cli;

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using cli::Suanli.Cli;
using Suanli.Web.Api;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The web-only figures docs/web.md and README.md quote (the server's limits, Kestrel's limits the error table names,
/// the simulation's request count and seed, the stream's progress interval, the default address) are the running app's:
/// each is read from the app's configured options or its answer, never from a copy of the number, so a change of the
/// code or of the page fails here until the other follows.
/// </summary>
public sealed partial class WebDocFiguresTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string F(FormattableString s) => s.ToString(Invariant);

    /// <summary>A page with each run of spaces and line breaks as one space, so a sentence wrapped across lines is still found.</summary>
    private static string Page(string path) =>
        Regex.Replace(File.ReadAllText(Path.Combine(CliParityTests.RepoRoot(), path)), @"\s+", " ");

    private static void Says(string page, string sentence) =>
        Assert.True(Page(page).Contains(sentence, StringComparison.Ordinal), $"{page} no longer says \"{sentence}\": the server's figure moved, or the page's wording did; make them agree.");

    // The app as `suanli serve` starts it: no configuration given, so every option holds its default.
    private WebLimits Limits => factory.Services.GetRequiredService<IOptions<WebLimits>>().Value;

    private KestrelServerLimits Kestrel => factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

    private static string MiB(long bytes)
    {
        Assert.True(bytes % (1024 * 1024) == 0, $"the body limit is {bytes} bytes, not a whole number of MiB: say it in the page's unit");
        return F($"{bytes / (1024 * 1024)} MiB");
    }

    [Fact]
    public void The_limits_table_gives_the_running_apps_defaults()
    {
        var limits = Limits;
        Says("docs/web.md", F($"| `Suanli:MaxBodyBytes` | {MiB(limits.MaxBodyBytes)} | request body |"));
        Says("docs/web.md", F($"| `Suanli:OperationTimeLimit` | {limits.OperationTimeLimit.TotalSeconds} s | one expensive operation"));
        Says("docs/web.md", F($"| `Suanli:MaxQueueWait` | {limits.MaxQueueWait.TotalSeconds} s | how long a request waits for a free slot before its 429"));
        Assert.True(limits.MaxConcurrentOperations == Environment.ProcessorCount,
            $"the app runs {limits.MaxConcurrentOperations} operations at once on {Environment.ProcessorCount} processors; docs/web.md says one per processor");
        Says("docs/web.md", "| `Suanli:MaxConcurrentOperations` | one per processor | expensive operations running at once |");
        // The limiter enforces the option the table names, not a number of its own.
        Assert.Equal(limits.OperationTimeLimit, factory.Services.GetRequiredService<TimeLimit>().Limit);
    }

    [Fact]
    public void The_error_tables_limits_are_the_apps_and_kestrels()
    {
        var (limits, kestrel) = (Limits, Kestrel);
        Assert.True(kestrel.MaxRequestBodySize == limits.MaxBodyBytes,
            $"Kestrel's body limit is {kestrel.MaxRequestBodySize} bytes, Suanli:MaxBodyBytes {limits.MaxBodyBytes}; docs/web.md says they are the same");
        Says("docs/web.md", F($"| body over `Suanli:MaxBodyBytes` ({MiB(limits.MaxBodyBytes)}; Kestrel's limit is set to the same) | 413 |"));
        Says("docs/web.md", F($"| long operation past `Suanli:OperationTimeLimit` ({limits.OperationTimeLimit.TotalSeconds} s) | 422 |"));
        Assert.True(kestrel.MaxRequestLineSize % 1024 == 0, $"Kestrel's request-line limit is {kestrel.MaxRequestLineSize} bytes");
        Says("docs/web.md", F($"| a request line over {kestrel.MaxRequestLineSize / 1024} KiB (Kestrel's limit,"));
        var rate = kestrel.MinRequestBodyDataRate;
        Assert.NotNull(rate);
        Says("docs/web.md", F($"| a body arriving slower than {rate.BytesPerSecond} bytes/s after its first {rate.GracePeriod.TotalSeconds} s (Kestrel's default minimum rate) | 408 |"));
    }

    /// <summary>The 408's own sentence, in English and Chinese, gives the minimum rate Kestrel applies.</summary>
    [Fact]
    public void The_slow_body_refusal_names_kestrels_minimum_rate_in_both_languages()
    {
        var rate = Kestrel.MinRequestBodyDataRate!;
        var slow = new Microsoft.AspNetCore.Http.BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", StatusCodes.Status408RequestTimeout);
        var english = ProblemMapper.Details(slow, Suanli.Text.Languages.English, NullLogger.Instance);
        Assert.Equal(StatusCodes.Status408RequestTimeout, english.Status);
        Assert.Contains(F($"under {rate.BytesPerSecond} bytes/s after the first {rate.GracePeriod.TotalSeconds} s"), english.Detail, StringComparison.Ordinal);
        var chinese = ProblemMapper.Details(slow, Suanli.Text.Languages.Chinese, NullLogger.Instance);
        Assert.Contains(F($"前 {rate.GracePeriod.TotalSeconds} 秒之后低于服务器的最低速率 {rate.BytesPerSecond} 字节/秒"), chinese.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// docs/web.md's simulate row gives <c>requests</c> (2,000) and <c>seed</c> (1): a simulation that names neither
    /// issues that many requests and reports that seed, and the OpenAPI description of <c>seed</c> agrees.
    /// </summary>
    [Fact]
    public async Task The_simulation_defaults_the_page_gives_are_what_a_simulation_without_them_runs()
    {
        var client = factory.CreateClient();
        var r = await client.GetAsync("/api/simulate?model=llama-3.1-8b&hardware=h100&input=512&output=128&rate=4");
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        var issued = doc.RootElement.GetProperty("requests").GetProperty("issued").GetInt32();
        var seed = doc.RootElement.GetProperty("inputs").GetProperty("seed").GetUInt64();
        Assert.Equal(Suanli.Serving.Workload.DefaultRequests, issued);
        Says("docs/web.md", F($"`requests` ({issued:N0}), `duration`, `seed` ({seed}),"));
        using var openApi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var described = openApi.RootElement.GetProperty("paths").GetProperty("/api/simulate").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "seed").GetProperty("description").GetString();
        Assert.Contains(F($"Default {seed}."), described, StringComparison.Ordinal);
    }

    [Fact]
    public void The_search_streams_progress_interval_is_the_pages()
    {
        Says("docs/web.md", F($"that fraction) at most every {PlanSearchStream.ProgressInterval.TotalMilliseconds} ms besides its start and end"));
    }

    /// <summary>The address `suanli serve` binds without options, as docs/web.md and README.md give it.</summary>
    [Fact]
    public void The_default_address_the_pages_give_is_the_servers()
    {
        var url = WebSettings.Default.Url;
        Says("docs/web.md", F($"suanli serve # {url}/ (loopback only)"));
        Says("docs/web.md", F($"It prints `Suanli is serving the planner at {url}/ and the API reference at …/scalar`."));
        Says("README.md", F($"`suanli serve [--port N] [--host {WebSettings.Default.Host}] [--allowed-hosts NAMES]`"));
        Assert.Equal(F($"http://{WebSettings.Default.Host}:{WebSettings.DefaultPort}"), url);
    }

    /// <summary>
    /// docs/web.md's "A bad `--host` ... or `--port` (not 0–65535) exits with code 2": a port one past either end and a
    /// host that is no address are refused with the CLI's input-error code, the port's message naming the same range.
    /// </summary>
    [Fact]
    public void A_bad_port_or_host_exits_with_the_code_and_range_the_page_gives()
    {
        const int lowest = 0, highest = 65535;
        Says("docs/web.md", F($"A bad `--host` (not an IP address or `localhost`) or `--port` (not {lowest}–{highest}) exits with code {SuanliCli.InputError} and a message"));
        foreach (var port in new[] { lowest - 1, highest + 1 })
        {
            var (code, output, err) = ApiTests.Cli("serve", "--port", port.ToString(Invariant));
            Assert.True(code == SuanliCli.InputError && output.Length == 0, $"suanli serve --port {port} exited {code}: {err}{output}");
            Assert.Contains(F($"--port must be a whole number from {lowest} to {highest:N0}, got {port}."), err, StringComparison.Ordinal);
        }
        var host = ApiTests.Cli("serve", "--host", "planner");
        Assert.True(host.Code == SuanliCli.InputError && host.Err.StartsWith("error: --host must be an IP address", StringComparison.Ordinal), $"suanli serve --host planner exited {host.Code}: {host.Err}");
    }

    private async Task<JsonElement> Refusal(string url)
    {
        var r = await factory.CreateClient().GetAsync(url);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{url} answered {(int)r.StatusCode}, not 400: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// The endpoint table's bounds: `/api/plan`'s targets up to a day (the scenario file's <c>ServingTargets.MaxSeconds</c>)
    /// and `/api/compare`'s `top` (10, at most 100); one past each bound is a 400 naming the parameter.
    /// </summary>
    [Fact]
    public async Task The_endpoint_tables_bounds_are_where_the_api_refuses()
    {
        Says("docs/web.md", F($"in a scenario file's ranges (targets up to {Suanli.Serving.ServingTargets.MaxSeconds:N0} s)"));
        var target = await Refusal(F($"/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=20&ttftP90={Suanli.Serving.ServingTargets.MaxSeconds + 1}"));
        Assert.Equal("ttftP90", target.GetProperty("field").GetString());
        Says("docs/web.md", F($"`top` ({Suanli.Runs.CompareRun.DefaultTop}, at most {Suanli.Runs.CompareRun.MaxTop}: the cheapest options shown"));
        var top = await Refusal(F($"/api/compare?requestsPerMonth=1e6&api=gpt-4o-mini&top={Suanli.Runs.CompareRun.MaxTop + 1}"));
        Assert.Equal("top", top.GetProperty("field").GetString());
    }
}
