using Suanli.Files;
using Suanli.Footprint;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A capacity row whose source states no split is predicted on the split with the most requests/s at its targets,
/// searched highest bound first with the plan's pruning (docs/methodology-serving.md, "Whole systems").
/// </summary>
public class CapacityLayoutChoiceTests
{
    // Llama-2-70B in FP8 on 8 x H100 at MLPerf's Server targets (TTFT 2 s, TPOT 200 ms), fixed lengths 222 / 290:
    // four splits fit (8 x TP=1, 4 x TP=2, 2 x TP=4, 1 x TP=8).
    internal static InferenceMeasurement Row(string metric = "requests_per_s") =>
        new("cap-1", "meta-llama/Llama-2-70b-chat-hf", "nvidia-h100-sxm5-80gb", 8, "fp8", "fp8", "trtllm", "capacity", null, null, 222, 290,
            metric, 1, "test", "", new SourceLocation("cap.csv", 2))
        { TtftTargetSeconds = 2, TpotTargetSeconds = 0.2 };

    private static InferencePredictor Predictor() => new(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded);

    [Fact]
    public void The_pruned_choice_equals_the_exhaustive_one_and_every_pruned_split_has_a_bound_below_the_winners_capacity()
    {
        var predictor = Predictor();
        var resolver = new InferenceRowResolver(CatalogFiles.Embedded, CalibrationFiles.Embedded, predictor);
        var row = Row();
        var resolved = predictor.Resolve(row, out var skip);
        Assert.True(resolved is not null, skip);
        Assert.Contains("chosen by capacity among 4 splits", resolved!.Note, StringComparison.Ordinal);

        var candidates = new[] { 1, 2, 4, 8 }.Select(tp => SystemLayouts.Validate(resolved.Deployment.Model.Architecture, 8, tp, 1, null, "m")).ToList();
        var bounds = candidates.ToDictionary(l => l, l => CapacityLayouts.Bound(predictor, resolver.ResolveOn(row, l, out _)!));
        var steady = candidates.ToDictionary(l => l, l => predictor.SteadyRequestRate(resolver.ResolveOn(row, l, out _)!));
        var capacities = candidates.ToDictionary(l => l, l => predictor.CapacityOf(resolver.ResolveOn(row, l, out _)!) ?? 0);
        double Bound(SystemLayout l) => bounds[l];
        double Steady(SystemLayout l) => steady[l];
        double Capacity(SystemLayout l) => capacities[l];

        var pruned = CapacityLayouts.Choose(candidates, [Bound, Steady], Capacity)!;
        var exhaustive = CapacityLayouts.Choose(candidates, [Bound, Steady], Capacity, prune: false)!;

        Assert.Equal(exhaustive.Chosen, pruned.Chosen);
        // 4 x TP=2, as validation chose it by throughput (docs/methodology-serving.md, "Whole systems").
        Assert.Equal("4 replicas x (TP=2 PP=1)", pruned.Chosen.ToString());
        Assert.Equal(exhaustive.Capacity, pruned.Capacity);
        Assert.Equal(resolved.Replicas, pruned.Chosen.Replicas);
        Assert.Equal(resolved.Deployment.Layout, pruned.Chosen.Replica);
        // The search skipped some split, and each skipped split's bound is below what the winner carries.
        Assert.InRange(pruned.Pruned, 1, 3);
        Assert.All(pruned.Candidates.Where(c => c.Capacity is null), c => Assert.True(c.Bound < pruned.Capacity, $"{c.Layout}: bound {c.Bound} vs {pruned.Capacity}"));
        // The pruning is exact because the bounds hold: no split's simulated capacity exceeds either.
        Assert.All(candidates, l => Assert.True(Capacity(l) <= Math.Min(Bound(l), Steady(l)), $"{l}: capacity {Capacity(l)} over bounds {Bound(l)}, {Steady(l)}"));
        // docs/methodology-serving.md, "Whole systems": the simulated capacity exceeds the unscaled steady state by up to
        // 1.3% (2 x TP=4: 74.8 against 73.9 requests/s), which InferencePredictor.SteadyMargin (1.1) covers.
        var worst = candidates.Max(l => Capacity(l) / (Steady(l) / InferencePredictor.SteadyMargin));
        Assert.InRange(worst, 1.008, 1.018);
        // The winner carries the most of those searched.
        Assert.Equal(exhaustive.Candidates.Max(c => c.Capacity), exhaustive.Capacity);
    }

    [Fact]
    public void Ties_go_to_the_earlier_split_and_a_split_whose_bound_cannot_beat_the_best_is_not_searched()
    {
        var layouts = new[] { 1, 2, 4 }.Select(tp => new SystemLayout(Layouts.Make(CatalogFiles.Embedded.Models[0].Architecture, 1, 1), tp)).ToList();
        // Capacities 10, 10.0005 (within 0.01% of 10: a tie) and 4; bounds 12, 11, 20. Highest bound first: the third (4),
        // then the first (10), then the second's bound 11 can still beat 10, so it is searched and ties: the first wins.
        var capacity = new Dictionary<SystemLayout, double> { [layouts[0]] = 10, [layouts[1]] = 10.0005, [layouts[2]] = 4 };
        var bound = new Dictionary<SystemLayout, double> { [layouts[0]] = 12, [layouts[1]] = 11, [layouts[2]] = 20 };
        var choice = CapacityLayouts.Choose(layouts, [l => bound[l]], l => capacity[l])!;
        Assert.Equal(layouts[0], choice.Chosen);
        Assert.Equal(0, choice.Pruned);

        // A bound of 9.9 on the second cannot beat 10: pruned, same winner.
        bound[layouts[1]] = 9.9;
        var pruned = CapacityLayouts.Choose(layouts, [l => bound[l]], l => capacity[l])!;
        Assert.Equal((layouts[0], 1), (pruned.Chosen, pruned.Pruned));
        Assert.Null(pruned.Candidates[1].Capacity);

        // No split meets the targets: no choice, and the row keeps the throughput split.
        Assert.Null(CapacityLayouts.Choose(layouts, [l => bound[l]], _ => 0));
    }
}
