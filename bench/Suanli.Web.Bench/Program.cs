// Bounded load test of the web API: starts the app on 127.0.0.1 (free port), then N concurrent clients, each with
// its own HttpClient and connection, send R requests each, alternating memory and perf for several models.
// Reports errors, client latency percentiles and the server's own time (Server-Timing). Exit code 1 on any error.
//   dotnet run -c Release --project bench/Suanli.Web.Bench -- [--clients 200] [--requests 25]
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Suanli.Files;
using Suanli.Web;

var clients = Arg("--clients", 200);
var perClient = Arg("--requests", 25);
var app = SuanliWeb.Build(new WebSettings("127.0.0.1", 0, CatalogFiles.Embedded));
await app.StartAsync();
SuanliWeb.WarmUp(app.Services);
var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

string[] urls =
[
    "/api/memory?model=qwen2-72b&context=32k&hardware=a100-80gb&devices=3",
    "/api/perf?model=qwen2.5-7b&hardware=h100&input=1024&output=256&batch=1,2,4,8,16,32,64,128,256",
    "/api/memory?model=llama-3.1-8b&precision=int4&context=8192&batch=16&hardware=rtx-4090",
    "/api/perf?model=llama-3.1-70b&precision=fp8&hardware=h100&devices=2&batch=1,2,4,8,16,32,64,128,256",
    "/api/memory?model=deepseek-v3&precision=fp8&context=4096&hardware=h200&devices=8",
    "/api/perf?model=qwen3-30b-a3b&hardware=a100-80gb",
];

// Warm-up outside the measurement: one pass over every URL.
using (var warm = new HttpClient { BaseAddress = new Uri(baseUrl) })
{
    foreach (var u in urls)
    {
        (await warm.GetAsync(u)).EnsureSuccessStatusCode();
    }
}

var client = new double[clients * perClient];
var server = new double[clients * perClient];
var errors = 0;
var start = new TaskCompletionSource();
var wall = Stopwatch.StartNew();
var tasks = Enumerable.Range(0, clients).Select(async c =>
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    await start.Task;
    for (var i = 0; i < perClient; i++)
    {
        var slot = c * perClient + i;
        var t0 = Stopwatch.GetTimestamp();
        try
        {
            using var r = await http.GetAsync(urls[(c + i) % urls.Length]);
            var body = await r.Content.ReadAsByteArrayAsync();
            client[slot] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!r.IsSuccessStatusCode || body.Length == 0)
            {
                Interlocked.Increment(ref errors);
            }
            var timing = r.Headers.TryGetValues("Server-Timing", out var v) ? v.Single() : "app;dur=NaN";
            server[slot] = double.Parse(timing["app;dur=".Length..], CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
            client[slot] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            server[slot] = double.NaN;
        }
    }
}).ToList();
wall.Restart();
start.SetResult();
await Task.WhenAll(tasks);
var seconds = wall.Elapsed.TotalSeconds;
await app.StopAsync();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{clients} concurrent clients x {perClient} requests = {client.Length} requests in {seconds:0.00} s ({client.Length / seconds:0} req/s), errors: {errors}"));
Console.WriteLine(Percentiles("client latency (ms)", client));
Console.WriteLine(Percentiles("server time (ms)   ", server.Where(double.IsFinite).ToArray()));
return errors == 0 ? 0 : 1;

static string Percentiles(string name, double[] values)
{
    var sorted = values.Order().ToArray();
    double P(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {P(50):0.00}  p90 {P(90):0.00}  p99 {P(99):0.00}  max {sorted[^1]:0.00}");
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
