using Suanli.Catalog;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The batch the optimizer's analytic bound considers (docs/methodology-cost.md, "The bound and its slack"): at least
/// what the simulated engine runs, the stated or assumed sequence cap times the schedulers of one replica, so that a
/// cap above 1,024 cannot leave a plan with more capacity than the bound it was pruned by.
/// </summary>
public class BoundBatchLimitTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static SearchCandidate Candidate(string model, Layout? layout = null, Engine engine = Engine.Vllm)
    {
        var m = Catalog.Model(model);
        return new SearchCandidate(m, WeightPrecision.Uniform(NumberFormat.Bf16), NumberFormat.Bf16, Catalog.Device("nvidia-h100-sxm5-80gb"), layout ?? Layout.Single, engine);
    }

    [Fact]
    public void The_bound_runs_the_stated_cap_the_engines_default_and_each_attention_ranks_cap()
    {
        var small = Candidate("qwen2.5-0.5b");
        // vLLM's default on an 80 GB H100 is 1,024 sequences; a stated 4,096 is what the engine runs, and a stated 64 runs
        // at most 64, under the 1,024 the bound never goes below.
        Assert.Equal(1024, AnalyticCapacityBound.BatchLimit(StatedCaps.None, small));
        Assert.Equal(4096, AnalyticCapacityBound.BatchLimit(new StatedCaps(4096, null), small));
        Assert.Equal(1024, AnalyticCapacityBound.BatchLimit(new StatedCaps(64, null), small));
        // TensorRT-LLM's max_batch_size defaults to 2,048 (SchedulerDefaults).
        Assert.Equal(2048, AnalyticCapacityBound.BatchLimit(StatedCaps.None, small with { Engine = Engine.TrtLlm }));
        // DeepSeek-V3 as 8 attention ranks with the experts over all 8: each rank's scheduler runs the cap (LimitScale 8).
        var dp = Candidate("deepseek-v3", Layouts.MakeDataParallelAttention(1, 8, 1), Engine.TrtLlm);
        Assert.Equal(8 * 2048, AnalyticCapacityBound.BatchLimit(StatedCaps.None, dp));
        Assert.Equal(8 * 4096, AnalyticCapacityBound.BatchLimit(new StatedCaps(4096, null), dp));
    }

    private const string Yaml = """
        name: many
        currency: USD
        candidates: {hardware: [h100], precisions: [bf16], devices_per_replica: [1], engines: [vllm], cost: rent}
        applications:
          - name: bulk
            model: qwen2.5-0.5b
            peak_rate: 200
            input_tokens: 16
            output_tokens: 1024
            targets: {ttft_p90_s: 10, tpot_p90_s: 0.05}
            max_num_seqs: 4096
        """;

    [Fact]
    public void A_stated_cap_of_4096_is_bounded_at_4096_so_an_engine_reaching_it_is_not_over_its_bound()
    {
        var c = Candidate("qwen2.5-0.5b");
        var target = new ServiceTarget("bulk", 200, 16, 1024, new ServingTargets(Quantities.Duration.FromSeconds(10), Quantities.Duration.FromSeconds(0.05), null));
        var reserve = EngineConfig.ReserveFor(Engine.Vllm);
        var at1024 = AnalyticCapacityBound.Bound(Roofline.Instance, c, target, reserve, 1024);
        var at4096 = AnalyticCapacityBound.Bound(Roofline.Instance, c, target, reserve, 4096);
        // 4,096 sequences fit the KV cache of a 0.5B model and decode within 50 ms, and they share each weight read among
        // four times as many tokens: the bound at the stated cap runs all 4,096 and carries more.
        Assert.Equal((1024, 4096), (at1024.MaxBatch, at4096.MaxBatch));
        Assert.True(at4096.CapacityPerReplica > at1024.CapacityPerReplica * 1.01);

        // An evaluator whose engine reaches the bound at the application's cap: with the bound at 1,024 it would report
        // more capacity than the bound (a bound-violated warning, pruning unsafe); at the stated cap it does not.
        var (scenario, settings) = ScenarioFile.ParseSearch(Yaml, "many.yaml", Catalog);
        var pricing = Suanli.Cost.PriceSelection.Resolve(settings.Hardware!, PriceFiles.Embedded, scenario.Currency, settings.Tariff, new DateOnly(2026, 11, 23));
        ReplicaCapacity AtCap(Deployment d, ScenarioApplication app)
        {
            var candidate = new SearchCandidate(d.Model, d.Weights, d.Kv, d.Device, d.Layout, d.Engine);
            var bound = AnalyticCapacityBound.Bound(Roofline.Instance, candidate, target, EngineConfig.ReserveFor(d.Engine), app.Caps.MaxNumSeqs!.Value);
            return new ReplicaCapacity(bound.CapacityPerReplica, bound.MaxBatch, "tpot", true, []);
        }
        var result = ScenarioSearch.Run(scenario, settings, pricing.Devices, Roofline.Instance, new ScenarioSearchOptions { Capacity = AtCap, BoundSlack = 1.0 }).Applications[0];
        Assert.NotNull(result.Cheapest);
        Assert.DoesNotContain(result.Search.Findings, f => f.Code.StartsWith("bound-violated", StringComparison.Ordinal));
    }

    /// <summary>
    /// A pipelining engine keeps up to PP micro-batches of prompts on its stages at once (docs/methodology-steptime.md,
    /// "Pipeline micro-batches"), so on a prefill-bound application the simulated PP replica carries up to PP times what one
    /// prompt's way through all stages allows. The bound credits that overlap: seed case C2's call-centre intent
    /// (768-token prompts, 8 output tokens, end-to-end p90 300 ms) on TP=2 x PP=2 and TP=2 x PP=4 A100s simulates within its
    /// bound with no slack, where the bound without the overlap was 0.94 and 0.24 times the simulated capacity, and pruning
    /// skipped the cheapest plan of examples/c2-call-intent-7b.yaml.
    /// </summary>
    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 4)]
    public void A_pipelined_replica_simulates_within_its_bound_on_a_prefill_bound_application(int tp, int pp)
    {
        var model = CalibrationFiles.Default;
        var m = Catalog.Model("qwen2.5-7b-instruct");
        var c = new SearchCandidate(m, WeightPrecision.Uniform(NumberFormat.Bf16), NumberFormat.Bf16, Catalog.Device("nvidia-a100-sxm4-80gb"), Layouts.Make(m.Architecture, tp, pp), Engine.Vllm);
        // As the optimizer states an application without TTFT and TPOT targets: an hour each.
        var hour = Quantities.Duration.FromHours(1);
        var target = new ServiceTarget("call-intent", 200, 768, 8, new ServingTargets(hour, hour, null));
        var bound = AnalyticCapacityBound.Bound(model, c, target, EngineConfig.ReserveFor(Engine.Vllm), AnalyticCapacityBound.BatchLimit(StatedCaps.None, c));
        var mix = new RequestMix(LengthDistribution.Fixed(768), LengthDistribution.Fixed(8), DemandKind.Rate);
        var simulated = SimulatedReplicaCapacity.Provider(model)(c.Deployment, mix, new ServingTargets(null, null, Quantities.Duration.FromSeconds(0.3)));
        Assert.True(simulated.Feasible);
        Assert.True(simulated.MaxRequestsPerSecond <= bound.CapacityPerReplica,
            $"TP={tp} PP={pp}: simulated {simulated.MaxRequestsPerSecond:0.###} requests/s over the bound {bound.CapacityPerReplica:0.###}");
    }
}
