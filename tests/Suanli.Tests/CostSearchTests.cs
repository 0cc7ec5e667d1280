using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class CostSearchTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static SearchSpace SmallSpace() => new()
    {
        Models = [Catalog.Model("llama-2-7b"), Catalog.Model("llama-2-13b"), Catalog.Model("llama-3-8b"), Catalog.Model("qwen2.5-14b")],
        Precisions = [NumberFormat.Bf16, NumberFormat.Fp8, NumberFormat.Int4],
        Hardware = [Catalog.Device("nvidia-a100-sxm4-80gb"), Catalog.Device("nvidia-h100-sxm5-80gb"), Catalog.Device("nvidia-l4")],
        DevicesPerReplica = [1, 2, 4],
        Engines = [Engine.Vllm, Engine.Sglang],
    };

    private static readonly ServiceTarget Chat = new("chat", 40, 1000, 300, Duration.FromSeconds(1), Duration.FromMilliseconds(40));

    private static readonly Dictionary<string, decimal> HourlyUsd = new(StringComparer.Ordinal)
    {
        ["nvidia-a100-sxm4-80gb"] = 1.39m, ["nvidia-h100-sxm5-80gb"] = 2.69m, ["nvidia-l4"] = 0.44m,
    };

    private static Money Cost(SearchCandidate c, int replicas) => new(HourlyUsd[c.Device.Id] * c.DevicesPerReplica * replicas * 730m, Currency.Usd);

    // A stand-in for the serving simulator: 70% of the analytic capacity (queueing and prefill interference),
    // 30% more latency, and SGLang 5% faster than vLLM. Never better than the bound, as the search requires.
    private static SearchEvaluation Evaluate(SearchCandidate c, ServiceTarget t)
    {
        var bound = AnalyticCapacityBound.Estimate(Roofline.Instance, c, t, RuntimeReserve.Default, 256);
        if (!bound.Feasible)
        {
            return bound;
        }
        var factor = c.Engine == Engine.Sglang ? 0.735 : 0.7;
        var tpot = bound.Tpot * 1.3;
        return tpot > t.TpotTarget
            ? SearchEvaluation.No("tpot", "TPOT at load over target")
            : SearchEvaluation.Ok(bound.CapacityPerReplica * factor, bound.Ttft * 1.3, tpot, bound.MaxBatch);
    }

    [Fact]
    public void The_cheapest_plan_equals_the_cheapest_of_an_exhaustive_enumeration()
    {
        var space = SmallSpace();
        var engine = new SearchEngine(Roofline.Instance);
        var result = engine.Search(space, [Chat], Evaluate, Cost);
        var plan = result.Applications[0];

        decimal? best = null;
        foreach (var c in space.Enumerate())
        {
            var e = Evaluate(c, Chat);
            if (!e.Feasible || e.Ttft > Chat.TtftTarget || e.Tpot > Chat.TpotTarget)
            {
                continue;
            }
            var replicas = (int)Math.Max(1, Math.Ceiling(Chat.RequestsPerSecond / e.CapacityPerReplica - 1e-9));
            var cost = Cost(c, replicas).Amount;
            best = best is null || cost < best ? cost : best;
        }
        Assert.NotNull(plan.Cheapest);
        Assert.Equal(best, plan.Cheapest!.CostPerMonth.Amount);
        Assert.True(plan.Stats.Pruned > 0, "the bound should skip some candidates");
        Assert.True(plan.Stats.Evaluated < space.Count(1_000_000));
        Assert.DoesNotContain(plan.Findings, f => f.Code == "bound-violated");
    }

    [Fact]
    public void Pruning_changes_neither_the_cheapest_cost_nor_the_frontier_costs()
    {
        var pruned = new SearchEngine(Roofline.Instance).Search(SmallSpace(), [Chat], Evaluate, Cost).Applications[0];
        var full = new SearchEngine(Roofline.Instance, new SearchOptions { Prune = false }).Search(SmallSpace(), [Chat], Evaluate, Cost).Applications[0];
        Assert.Equal(full.Cheapest!.CostPerMonth, pruned.Cheapest!.CostPerMonth);
        Assert.Equal(full.Frontier.Select(f => (f.CostPerMonth.Amount, f.Quality, f.Latency)), pruned.Frontier.Select(f => (f.CostPerMonth.Amount, f.Quality, f.Latency)));
        Assert.Equal(0, full.Stats.Pruned);
    }

    [Fact]
    public void Search_plans_carry_replicas_and_cost_at_the_ends_of_the_capacity_interval()
    {
        var interval = new IntervalLookup(new IntervalClass("capacity", 20, 0.5, 1.5), false, "test");
        var plan = new SearchEngine(Roofline.Instance, new SearchOptions { Interval = _ => interval }).Search(SmallSpace(), [Chat], Evaluate, Cost).Applications[0];
        Assert.All(plan.Frontier, p =>
        {
            var r = p.Range!;
            // Replicas = ceil(rate / (capacity x ratio)); 40 requests/s as in Chat.
            Assert.Equal((int)Math.Max(1, Math.Ceiling(40 / (p.Evaluation.CapacityPerReplica * 1.5) - 1e-9)), r.ReplicasLow);
            Assert.Equal((int)Math.Max(1, Math.Ceiling(40 / (p.Evaluation.CapacityPerReplica * 0.5) - 1e-9)), r.ReplicasHigh);
            Assert.True(r.ReplicasLow <= p.Replicas && p.Replicas <= r.ReplicasHigh);
            Assert.Equal(Cost(p.Candidate, r.ReplicasHigh), r.CostHigh);
        });
        var none = new SearchEngine(Roofline.Instance).Search(SmallSpace(), [Chat], Evaluate, Cost).Applications[0];
        Assert.All(none.Frontier, p => Assert.Null(p.Range));
    }

    [Fact]
    public void The_frontier_has_no_plan_that_another_beats_on_cost_quality_and_latency()
    {
        var plan = new SearchEngine(Roofline.Instance).Search(SmallSpace(), [Chat], Evaluate, Cost).Applications[0];
        foreach (var a in plan.Frontier)
        {
            Assert.DoesNotContain(plan.Frontier, b => !ReferenceEquals(a, b) && b.CostPerMonth.Amount <= a.CostPerMonth.Amount && (b.Quality ?? -1) >= (a.Quality ?? -1) && b.Latency <= a.Latency
                && (b.CostPerMonth.Amount < a.CostPerMonth.Amount || b.Latency < a.Latency || (b.Quality ?? -1) > (a.Quality ?? -1)));
        }
    }

    [Fact]
    public void A_quality_floor_rejects_the_models_below_it_with_their_scores()
    {
        var target = Chat with { Quality = QualityFloor.Parse("MMLU>=60") };
        var plan = new SearchEngine(Roofline.Instance).Search(SmallSpace(), [target], Evaluate, Cost).Applications[0];
        Assert.Contains(plan.Rejected, r => r.Family.StartsWith("llama-2-7b", StringComparison.Ordinal) && r.Code == "quality" && r.Reason.Contains("45.3", StringComparison.Ordinal));
        Assert.True(plan.Cheapest!.Candidate.Model.Score("MMLU") >= 60);
    }

    [Fact]
    public void A_floor_no_candidate_meets_is_an_input_error_naming_the_best()
    {
        var target = Chat with { Quality = QualityFloor.Parse("MMLU>=90") };
        var ex = Assert.Throws<InputException>(() => new SearchEngine(Roofline.Instance).Search(SmallSpace(), [target], Evaluate, Cost));
        Assert.Contains("No candidate model meets MMLU >= 90", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Families_that_cannot_serve_are_reported_with_a_reason()
    {
        // Qwen2.5-14B in bf16 is about 29.5 GB of weights; one L4 (24 GB) cannot hold it, so the family has no candidate at all.
        var space = SmallSpace() with { DevicesPerReplica = [1] };
        var plan = new SearchEngine(Roofline.Instance).Search(space, [Chat], Evaluate, Cost).Applications[0];
        var l4 = plan.Rejected.Single(r => r.Family == "qwen2.5-14b bf16 on nvidia-l4");
        Assert.Equal("does-not-fit", l4.Code);
        Assert.Contains("GiB is usable", l4.Reason, StringComparison.Ordinal);
        Assert.Equal(2, l4.Candidates); // two engines
        Assert.DoesNotContain(plan.Rejected, r => r.Family == plan.Cheapest!.Candidate.Family);
    }

    [Fact]
    public void A_space_over_the_limit_states_the_limit_and_how_to_raise_it()
    {
        var ex = Assert.Throws<InputException>(() => new SearchEngine(Roofline.Instance, new SearchOptions { MaxCandidates = 50 }).Search(SmallSpace(), [Chat], Evaluate, Cost));
        Assert.Contains("over the limit of 50", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--max-candidates", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_space_with_zero_candidates_says_which_dimension_is_empty()
    {
        var empty = SmallSpace() with { Hardware = [] };
        var ex = Assert.Throws<InputException>(() => new SearchEngine(Roofline.Instance).Search(empty, [Chat], Evaluate, Cost));
        Assert.Contains("zero candidates: no devices", ex.Message, StringComparison.Ordinal);
        // Qwen2.5-0.5B (14 heads, 24 layers) has no valid split over 64 devices: TP must divide 14 and PP may not exceed 24.
        var noLayout = SmallSpace() with { Models = [Catalog.Model("qwen2.5-0.5b")], DevicesPerReplica = [64] };
        var none = Assert.Throws<InputException>(() => noLayout.Count(1000));
        Assert.Contains("zero candidates: no model among qwen2.5-0.5b splits validly over 64 devices", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vllm_command_line_carries_the_layout_and_the_assumed_settings()
    {
        var m = Catalog.Model("qwen2-72b");
        var c = new SearchCandidate(m, NumberFormat.Bf16, NumberFormat.Bf16, Catalog.Device("nvidia-a100-sxm4-80gb"), Layouts.Make(m.Architecture, 4, 1), Engine.Vllm);
        Assert.Equal("vllm serve Qwen/Qwen2-72B --tensor-parallel-size 4 --max-num-seqs 256 --max-model-len 4096 --gpu-memory-utilization 0.9 --dtype bfloat16",
            EngineCommandLine.For(c, new EngineSettings(256, 0.9, 4096)));
        var trt = EngineCommandLine.For(c with { Engine = Engine.TrtLlm, Layout = Layouts.Make(m.Architecture, 2, 2) }, new EngineSettings(128, 0.9, 4096));
        Assert.Equal("trtllm-serve Qwen/Qwen2-72B --backend pytorch --tp_size 2 --pp_size 2 --max_batch_size 128 --max_seq_len 4096 --kv_cache_free_gpu_memory_fraction 0.9", trt);
        var gguf = EngineCommandLine.For(c with { Engine = Engine.LlamaCpp, Weights = NumberFormat.GgufQ4KM, Layout = Layout.Single }, new EngineSettings(4, 0.9, 4096));
        Assert.Equal("llama-server -m qwen2-72b-Q4_K_M.gguf --ctx-size 16384 --parallel 4 --n-gpu-layers 999", gguf);
    }

    [Fact]
    public void The_analytic_capacity_rejects_a_model_that_does_not_fit_and_a_tpot_target_below_batch_one()
    {
        var m = Catalog.Model("qwen2-72b");
        var tight = new SearchCandidate(m, NumberFormat.Bf16, NumberFormat.Bf16, Catalog.Device("nvidia-a100-sxm4-80gb"), Layout.Single, Engine.Vllm);
        Assert.Equal("does-not-fit", AnalyticCapacityBound.Estimate(Roofline.Instance, tight, Chat, RuntimeReserve.Default, 256).Code);
        var small = tight with { Model = Catalog.Model("llama-2-7b") };
        var fast = Chat with { Latency = Chat.Latency with { Tpot = Duration.FromMicroseconds(100) } };
        Assert.Equal("tpot", AnalyticCapacityBound.Estimate(Roofline.Instance, small, fast, RuntimeReserve.Default, 256).Code);
        var ok = AnalyticCapacityBound.Estimate(Roofline.Instance, small, Chat, RuntimeReserve.Default, 256);
        Assert.True(ok.Feasible && ok.Tpot <= Chat.TpotTarget && ok.MaxBatch is >= 1 and <= 256);
    }
}
