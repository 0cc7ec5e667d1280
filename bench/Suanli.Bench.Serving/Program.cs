// Throughput and memory of the serving simulator (docs/methodology-serving.md, "Performance").
// Run: dotnet run -c Release --project bench/Suanli.Bench.Serving [requests]
using System.Diagnostics;
using System.Globalization;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Serving;
using Suanli.StepTime;

var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var catalog = CatalogFiles.Embedded;
var model = catalog.Model("qwen2.5-7b");
var device = catalog.Device("h100-80gb");
var deployment = new Deployment(model, device, Layout.Single, Suanli.Catalog.NumberFormat.Bf16, Suanli.Catalog.NumberFormat.Bf16, Engine.Vllm);
var engine = EngineConfig.Default(Engine.Vllm, device);
var steps = Roofline.Instance;
var input = LengthDistribution.Uniform(128, 1024);
var output = LengthDistribution.Uniform(32, 256);

// Warm the JIT on a small run, then time the large one.
ServingSimulator.Run(deployment, Workload.Poisson(20, input, output, requests: 2_000), engine, steps);
GC.Collect();
var rate = 30.0;
var allocated = GC.GetTotalAllocatedBytes(precise: true);
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
var r = ServingSimulator.Run(deployment, Workload.Poisson(rate, input, output, requests: requests), engine, steps);
clock.Stop();
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"requests {r.RequestsIssued:N0}, steps {r.Steps:N0}, events {r.Events:N0} in {seconds:0.000} s wall, {cpu:0.000} s CPU = {r.Events / seconds:N0} events/s, {r.RequestsIssued / seconds:N0} requests/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"peak in flight {r.PeakInFlight:N0}, mean batch {r.BatchSize.Mean:0.0}, allocated {bytes / 1048576.0:0.0} MiB during the run, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB, saturated {r.Saturated}"));

var cap = Stopwatch.StartNew();
var c = CapacitySearch.Run(deployment, Workload.Poisson(1, input, output), engine, steps, ServingTargets.FromSeconds(2, 0.1, null));
cap.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"capacity search: {c.Probes.Count} simulations in {cap.Elapsed.TotalSeconds:0.000} s, max {c.MaxRequestsPerSecond:0.00} requests/s, limited by {c.LimitingTarget}"));
