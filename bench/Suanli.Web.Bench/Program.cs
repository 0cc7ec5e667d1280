// Bounded load test of the web API (issue 16's target): starts the app on 127.0.0.1 (free port), fires one runaway
// request (a million-request simulation the server's time limit cuts), then, while it runs, 200 clients on
// /api/memory (25 requests each at least, and on until the runaway is answered) and 50 on /api/plan (one plan each),
// each with its own HttpClient and connection. Reports errors, client latency
// percentiles, the server's own time (Server-Timing), and how long the runaway kept its core after its answer (the
// server's TimeLimit counters). Before the load, one client times memory, perf and plan alone. Exit code 1 on any
// error: a failed or non-200 answer to a client, or a runaway that is not answered 422 or does not stop.
//   dotnet run -c Release --project bench/Suanli.Web.Bench -- [--clients 200] [--requests 25] [--plan-clients 50]
//       [--plan-requests 1] [--time-limit 10] [--queue-wait 60] [--json FILE]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Suanli.Files;
using Suanli.Web;
using Suanli.Web.Http;

var clients = Arg("--clients", 200);
var perClient = Arg("--requests", 25);
var planClients = Arg("--plan-clients", 50);
var perPlanClient = Arg("--plan-requests", 1);
// The runaway is cut at this limit (the server's default is 30 s; shorter, so the cut falls inside the load, and
// longer than a plan takes on a loaded 2-core machine, first call included).
var timeLimit = Arg("--time-limit", 10);
// How long a plan may wait for one of the server's slots (one per core) before a 429. The server's default, 5 s, is
// shorter than 50 plans of about 0.2 s take on 2 cores, one of them held by the runaway; this run measures errors
// and latency with the queue allowed to drain.
var queueWait = Arg("--queue-wait", 60);
var jsonPath = Text("--json");

var app = SuanliWeb.Build(new WebSettings("127.0.0.1", 0, CatalogFiles.Embedded),
[
    $"--Suanli:OperationTimeLimit={TimeSpan.FromSeconds(timeLimit):c}",
    $"--Suanli:MaxQueueWait={TimeSpan.FromSeconds(queueWait):c}",
]);
await app.StartAsync();
SuanliWeb.WarmUp(app.Services);
var limit = app.Services.GetRequiredService<TimeLimit>();
var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

// The page's default inputs (src/Suanli.Web/wwwroot/app.js, DEFAULTS), as scripts/measure.sh sends them.
const string Page = "model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb";
const string MemoryUrl = "/api/memory?" + Page + "&context=1280&batch=16&devices=1";
const string PerfUrl = "/api/perf?" + Page + "&devices=1&input=1024&output=256&batch=1,2,4,8,16,32,64,128,256";
const string PlanUrl = "/api/plan?" + Page + "&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&currency=CNY";
// With 1,024-token outputs this simulation takes about 9 s of one idle core (tests/Suanli.Web.Tests/RunawayWebTests.cs);
// with 4,096 several times that, well past the time limit on any machine.
const string RunawayUrl = "/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=10&input=512&output=4096&requests=1000000";

string[] memoryUrls =
[
    MemoryUrl,
    "/api/memory?model=qwen2-72b&context=32k&hardware=a100-80gb&devices=3",
    "/api/memory?model=llama-3.1-8b&precision=int4&context=8192&batch=16&hardware=rtx-4090",
    "/api/memory?model=deepseek-v3&precision=fp8&context=4096&hardware=h200&devices=8",
];

using var one = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
// Warm-up outside the measurement: one pass over every URL.
foreach (var u in memoryUrls.Append(PerfUrl).Append(PlanUrl))
{
    using var r = await one.GetAsync(u);
    if (!r.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"warm-up: GET {u} answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        await app.StopAsync();
        return 1;
    }
}

var errors = 0;
// One client alone: the median server time of five calls of each (the targets are per call at the server).
const int AloneCalls = 5;
var alone = new Dictionary<string, double>();
foreach (var (name, url) in new[] { ("memory", MemoryUrl), ("perf", PerfUrl), ("plan", PlanUrl) })
{
    var times = new double[AloneCalls];
    for (var i = 0; i < AloneCalls; i++)
    {
        using var r = await one.GetAsync(url);
        times[i] = r.IsSuccessStatusCode ? ServerMs(r) : double.NaN;
        errors += r.IsSuccessStatusCode ? 0 : 1;
    }
    alone[name] = Median(times);
}

// The runaway first, so it holds a slot before the clients start.
var runaway = Task.Run(async () =>
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
    var t0 = Stopwatch.GetTimestamp();
    using var r = await http.GetAsync(RunawayUrl);
    return (r.StatusCode, Stopwatch.GetElapsedTime(t0).TotalSeconds);
});
var waitForSlot = Stopwatch.StartNew();
while (limit.Running == 0 && !runaway.IsCompleted && waitForSlot.Elapsed < TimeSpan.FromSeconds(30))
{
    await Task.Delay(10);
}

var memoryClient = new List<double>[clients];
var memoryServer = new List<double>[clients];
var planClient = new double[planClients * perPlanClient];
var planServer = new double[planClients * perPlanClient];
var busy = 0;
var runawayAnswered = false;
var start = new TaskCompletionSource();

async Task<(double Client, double Server)> Call(HttpClient http, string url)
{
    var t0 = Stopwatch.GetTimestamp();
    try
    {
        using var r = await http.GetAsync(url);
        var body = await r.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (r.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref busy);
        }
        if (!r.IsSuccessStatusCode || body.Length == 0)
        {
            Interlocked.Increment(ref errors);
            return (ms, double.NaN);
        }
        return (ms, ServerMs(r));
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        Interlocked.Increment(ref errors);
        return (Stopwatch.GetElapsedTime(t0).TotalMilliseconds, double.NaN);
    }
}

var memoryTasks = Enumerable.Range(0, clients).Select(async c =>
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
    memoryClient[c] = [];
    memoryServer[c] = [];
    await start.Task;
    // At least perClient requests each, and on until the runaway has been answered, so the load covers its cut.
    for (var i = 0; i < perClient || !Volatile.Read(ref runawayAnswered); i++)
    {
        var (client, server) = await Call(http, memoryUrls[(c + i) % memoryUrls.Length]);
        memoryClient[c].Add(client);
        memoryServer[c].Add(server);
    }
}).ToList();
var planTasks = Enumerable.Range(0, planClients).Select(async c =>
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
    await start.Task;
    for (var i = 0; i < perPlanClient; i++)
    {
        (planClient[c * perPlanClient + i], planServer[c * perPlanClient + i]) = await Call(http, PlanUrl);
    }
}).ToList();

var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var wall = Stopwatch.StartNew();
start.SetResult();
var (runawayStatus, runawaySeconds) = await runaway;
Volatile.Write(ref runawayAnswered, true);
await Task.WhenAll(memoryTasks);
await Task.WhenAll(planTasks);
var seconds = wall.Elapsed.TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;

// The runaway's work returns after its answer; wait (bounded) until the server has seen it stop.
var waitForStop = Stopwatch.StartNew();
while (limit.StoppedAfterTimeOut < limit.TimedOut && waitForStop.Elapsed < TimeSpan.FromSeconds(30))
{
    await Task.Delay(10);
}
var stopped = limit.StoppedAfterTimeOut;
var cancelled = limit.CancelledAfterTimeOut;
var timedOut = limit.TimedOut;
var longestStop = limit.LongestStopAfterTimeOut.TotalSeconds;
await app.StopAsync();

var memClient = memoryClient.SelectMany(l => l).ToArray();
var memServer = memoryServer.SelectMany(l => l).Where(double.IsFinite).ToArray();
// Any other request past the limit is already an error (a 422 to its client); the runaway must be cut and stop by
// observing its cancellation.
var runawayOk = runawayStatus == HttpStatusCode.UnprocessableEntity && timedOut >= 1 && stopped == timedOut && cancelled >= 1;
var requests = memClient.Length + planClient.Length;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"one client alone, median server time of {AloneCalls}: memory {alone["memory"]:0.00} ms, perf {alone["perf"]:0.00} ms, plan {alone["plan"]:0.0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{clients} clients on /api/memory ({memClient.Length} requests) and {planClients} on /api/plan ({planClient.Length} requests) in {seconds:0.00} s ({requests / seconds:0} req/s, {cpu:0.0} s CPU), errors: {errors} (429: {busy})"));
Console.WriteLine(Percentiles("memory client latency (ms)", memClient));
Console.WriteLine(Percentiles("memory server time (ms)   ", memServer));
Console.WriteLine(Percentiles("plan client latency (ms)  ", planClient));
Console.WriteLine(Percentiles("plan server time (ms)     ", planServer.Where(double.IsFinite).ToArray()));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"runaway {RunawayUrl}: {(int)runawayStatus} after {runawaySeconds:0.00} s (limit {timeLimit} s); timed out {timedOut}, stopped {stopped}, by cancellation {cancelled}; core released {longestStop * 1000:0} ms after the answer"));

if (jsonPath is not null)
{
    var doc = new Dictionary<string, object>
    {
        ["clients"] = clients,
        ["planClients"] = planClients,
        ["memoryRequests"] = memClient.Length,
        ["planRequests"] = planClient.Length,
        ["seconds"] = seconds,
        ["cpuSeconds"] = cpu,
        ["errors"] = errors,
        ["busy429"] = busy,
        ["timeLimitSeconds"] = timeLimit,
        ["queueWaitSeconds"] = queueWait,
        ["slots"] = Environment.ProcessorCount,
        ["aloneCalls"] = AloneCalls,
        ["aloneMemoryMs"] = alone["memory"],
        ["alonePerfMs"] = alone["perf"],
        ["alonePlanMs"] = alone["plan"],
        ["memoryClientMs"] = PercentileMap(memClient),
        ["memoryServerMs"] = PercentileMap(memServer),
        ["planClientMs"] = PercentileMap(planClient),
        ["planServerMs"] = PercentileMap(planServer.Where(double.IsFinite).ToArray()),
        ["runawayUrl"] = RunawayUrl,
        ["runawayStatus"] = (int)runawayStatus,
        ["runawayAnswerSeconds"] = runawaySeconds,
        ["timedOut"] = timedOut,
        ["stoppedAfterTimeOut"] = stopped,
        ["cancelledAfterTimeOut"] = cancelled,
        ["coreReleasedSeconds"] = longestStop,
    };
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(doc, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
}
return errors == 0 && runawayOk ? 0 : 1;

static double ServerMs(HttpResponseMessage r)
{
    var timing = r.Headers.TryGetValues("Server-Timing", out var v) ? v.Single() : "app;dur=NaN";
    return double.Parse(timing["app;dur=".Length..], CultureInfo.InvariantCulture);
}

static double Median(double[] values) => Percentile(values.Order().ToArray(), 50);

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1))];

static Dictionary<string, double> PercentileMap(double[] values)
{
    var sorted = values.Order().ToArray();
    return new() { ["p50"] = Percentile(sorted, 50), ["p90"] = Percentile(sorted, 90), ["p99"] = Percentile(sorted, 99), ["max"] = sorted.Length == 0 ? double.NaN : sorted[^1] };
}

static string Percentiles(string name, double[] values)
{
    var s = PercentileMap(values);
    return string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {s["p50"]:0.00}  p90 {s["p90"]:0.00}  p99 {s["p99"]:0.00}  max {s["max"]:0.00}");
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}

string? Text(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
