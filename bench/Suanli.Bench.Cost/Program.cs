using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Bench.Cost;

if (args.Contains("--count"))
{
    // Quick check outside BenchmarkDotNet: candidates, and candidates per second of one search.
    var b = new SearchBench();
    b.Setup();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var r = b.SearchPruned();
    sw.Stop();
    Console.WriteLine($"pruned: {r.Candidates} candidates, {r.Applications[0].Stats.Evaluated} evaluated, {sw.Elapsed.TotalSeconds:0.000} s, {r.Candidates / sw.Elapsed.TotalSeconds:N0} candidates/s");
    sw.Restart();
    var e = b.SearchExhaustive();
    sw.Stop();
    var same = e.Applications[0].Cheapest?.CostPerMonth == r.Applications[0].Cheapest?.CostPerMonth;
    Console.WriteLine($"exhaustive: {e.Candidates} candidates, {e.Applications[0].Stats.Evaluated} evaluated, {sw.Elapsed.TotalSeconds:0.000} s, {e.Candidates / sw.Elapsed.TotalSeconds:N0} candidates/s; same cheapest: {same}");
    // The counts do not depend on the machine; scripts/bench.sh writes them beside the BenchmarkDotNet times.
    var json = Array.IndexOf(args, "--json") is var j and >= 0 && j + 1 < args.Length ? args[j + 1] : null;
    if (json is not null)
    {
        File.WriteAllText(json, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["models"] = b.Space.Models.Count,
            ["precisions"] = b.Space.Precisions.Count,
            ["devices"] = b.Space.Hardware.Count,
            ["devicesPerReplica"] = string.Join("/", b.Space.DevicesPerReplica),
            ["engines"] = b.Space.Engines.Count,
            ["candidates"] = r.Candidates,
            ["prunedEvaluated"] = r.Applications[0].Stats.Evaluated,
            ["exhaustiveEvaluated"] = e.Applications[0].Stats.Evaluated,
            ["sameCheapest"] = same,
        }));
    }
    return;
}
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableLogFile);
BenchmarkRunner.Run<SearchBench>(config, args);

namespace Suanli.Bench.Cost
{
/// <summary>The optimize target: 10,000 candidate deployments searched in under 10 seconds.</summary>
[MemoryDiagnoser]
public class SearchBench
{
    private SearchSpace _space = null!;

    /// <summary>The searched space (set up by <see cref="Setup"/>).</summary>
    public SearchSpace Space => _space;
    private ServiceTarget _target = null!;

    [GlobalSetup]
    public void Setup()
    {
        var c = CatalogFiles.Embedded;
        _space = new SearchSpace
        {
            Models = [.. new[] { "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b", "llama-3-70b", "qwen2.5-7b", "qwen2.5-14b", "qwen2.5-32b", "qwen2.5-72b", "mistral-7b", "gemma-2-9b", "gemma-2-27b" }.Select(n => c.Model(n))],
            Precisions = [NumberFormat.Bf16, NumberFormat.Fp8, NumberFormat.Int8, NumberFormat.Int4],
            Hardware = [.. new[] { "nvidia-a100-sxm4-80gb", "nvidia-h100-sxm5-80gb", "nvidia-h200-sxm-141gb", "nvidia-l40s", "nvidia-l4", "amd-mi300x", "nvidia-a10", "nvidia-h20-96gb", "nvidia-a100-sxm4-40gb", "nvidia-h100-pcie-80gb", "nvidia-b200-sxm" }.Select(n => c.Device(n))],
            DevicesPerReplica = [1, 2, 4, 8],
            Engines = [Engine.Vllm, Engine.Sglang],
        };
        _target = new ServiceTarget("chat", 50, 1000, 300, Duration.FromSeconds(1), Duration.FromMilliseconds(50));
    }

    private static SearchEvaluation Evaluate(SearchCandidate c, ServiceTarget t)
    {
        var b = AnalyticCapacityBound.Estimate(Roofline.Instance, c, t, RuntimeReserve.Default, 256);
        return b.Feasible ? SearchEvaluation.Ok(b.CapacityPerReplica * 0.7, b.Ttft * 1.3, b.Tpot, b.MaxBatch) : b;
    }

    private static Money Cost(SearchCandidate c, int replicas) => new(2m * c.DevicesPerReplica * replicas * 730m, Currency.Usd);

    /// <summary>SearchEngine.Search of the 12-model space with pruning by the capacity bound (the default).</summary>
    [Benchmark(Baseline = true)]
    public SearchResult SearchPruned() => new SearchEngine(Roofline.Instance).Search(_space, [_target], Evaluate, Cost);

    /// <summary>The same search evaluating every feasible candidate (no pruning).</summary>
    [Benchmark]
    public SearchResult SearchExhaustive() => new SearchEngine(Roofline.Instance, new SearchOptions { Prune = false }).Search(_space, [_target], Evaluate, Cost);
}
}
