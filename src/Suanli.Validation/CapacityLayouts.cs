using System.Globalization;
using System.Runtime.CompilerServices;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>One split a capacity row could run on: its bound and, when it was searched, its capacity.</summary>
/// <param name="Layout">The split of the row's system.</param>
/// <param name="Bound">Requests per second (whole system) the split can at most carry at the row's targets: the tighter of the plan's pruning bound
/// (<see cref="SimulatedReplicaCapacity.Bound"/>, positive infinity when the row lacks a TTFT or a TPOT target) x replicas and the steady-state bound
/// (<see cref="InferencePredictor.SteadyRequestRate"/>).</param>
/// <param name="Capacity">Requests per second (whole system) at the largest load meeting the targets, 0 when no load does or the split cannot run the row; null when the split was pruned (not searched).</param>
public sealed record CapacityCandidate(SystemLayout Layout, double Bound, double? Capacity);

/// <summary>
/// The split a capacity row whose source states none is predicted on (docs/methodology-serving.md, "Whole systems"):
/// the one that carries the most requests per second at the row's p99 targets, as <c>capacity</c> and <c>plan</c> choose.
/// </summary>
/// <param name="Chosen">The split with the largest capacity (the earliest candidate within 0.01%).</param>
/// <param name="Capacity">Its requests per second, whole system.</param>
/// <param name="Candidates">Every candidate in the order of the row's candidates, searched or pruned.</param>
public sealed record CapacityLayoutChoice(SystemLayout Chosen, double Capacity, IReadOnlyList<CapacityCandidate> Candidates)
{
    /// <summary>Candidates not searched because their bound could not beat a capacity found.</summary>
    public int Pruned => Candidates.Count(c => c.Capacity is null);

    /// <summary>
    /// The largest capacity / bound among the searched candidates with a finite bound (0 when none): pruning is exact only
    /// while this stays at or below 1, so each row's note shows it.
    /// </summary>
    public double LargestCapacityOverBound => Candidates.Where(c => c.Capacity is > 0 && double.IsFinite(c.Bound) && c.Bound > 0)
        .Select(c => c.Capacity!.Value / c.Bound).DefaultIfEmpty(0).Max();

    /// <summary>What the row's note says of the split.</summary>
    public string Note => $"{Chosen} (chosen by capacity among {Show.N(Candidates.Count)} splits: the most requests/s at the row's targets, "
        + $"{Capacity.ToString("0.###", CultureInfo.InvariantCulture)} under the committed calibration; {Show.N(Pruned)} pruned by their bound"
        + (LargestCapacityOverBound > 0 ? $", capacity / bound at most {LargestCapacityOverBound.ToString("0.00", CultureInfo.InvariantCulture)} among those searched" : "")
        + ")";
}

/// <summary>
/// Chooses the split of a capacity row whose source states none by capacity, with the plan's pruning
/// (<c>Planner.Replica</c>): candidates are searched highest bound first, and a split whose bound cannot beat the best
/// capacity found is not searched (nor, in effect, any after it). A split's bound is the tighter of two, each costing
/// microseconds to milliseconds where a search costs seconds to minutes: the plan's (<see cref="SimulatedReplicaCapacity.Bound"/>:
/// the analytic capacity of <see cref="AnalyticCapacityBound.Bound"/> x <see cref="ScenarioSearchOptions.DefaultBoundSlack"/>),
/// which holds the decode batch within the TPOT target, and the steady state at the largest batch a paged KV cache could
/// hold (<see cref="InferencePredictor.SteadyRequestRate"/>), which the engine's sequence cap and memory limit. All candidates share the
/// row's devices, so the system capacity ranks them as capacity per device does.
/// </summary>
public static partial class CapacityLayouts
{
    // Choices are deterministic in the row's inputs and the calibration that chooses: validate resolves each row up to
    // three times (validation, leave-one-out, intervals) and each Server run has up to three rows that share a choice.
    private static readonly ConditionalWeakTable<Calibration, Dictionary<InferenceMeasurement, CapacityLayoutChoice?>> Memo = [];

    private static readonly SourceLocation Anywhere = new("", 0);

    /// <summary>
    /// The choice for row <paramref name="m"/> among <paramref name="candidates"/>: each resolved on the split
    /// (<see cref="InferenceRowResolver.ResolveOn"/>) and searched by <paramref name="predictor"/> as the row would be.
    /// Null when no split meets the targets (the caller keeps the throughput choice and says so).
    /// </summary>
    /// <param name="m">The capacity row.</param>
    /// <param name="candidates">The splits it could run on.</param>
    /// <param name="resolver">Resolves the row on each split.</param>
    /// <param name="predictor">Searches each split's capacity.</param>
    /// <param name="cancel">Stops the choice (an <see cref="OperationCanceledException"/>) between splits and inside each split's capacity search; nothing is memoised then.</param>
    public static CapacityLayoutChoice? For(InferenceMeasurement m, IReadOnlyList<SystemLayout> candidates, InferenceRowResolver resolver, InferencePredictor predictor,
        CancellationToken cancel = default)
    {
        var calibration = predictor.Model is CalibratedStepTimeModel c ? c.Calibration : null;
        // The row's own metric, value and provenance do not change the choice: rows of one run share it.
        var key = m with { Id = "", Metric = "requests_per_s", Value = 1, Source = "", Note = "", Location = Anywhere, ValueLocation = Anywhere };
        var memo = calibration is null ? null : Memo.GetValue(calibration, _ => []);
        lock (Memo)
        {
            if (memo is not null && memo.TryGetValue(key, out var known))
            {
                return known;
            }
        }
        var resolved = new Dictionary<SystemLayout, ResolvedInferenceRow?>();
        ResolvedInferenceRow? On(SystemLayout l) => resolved.TryGetValue(l, out var r) ? r : resolved[l] = resolver.ResolveOn(key, l, out _);
        // Every split is resolved here, on this thread, so that the searches Choose runs at the same time only read the dictionary.
        foreach (var l in candidates)
        {
            On(l);
        }
        var choice = Choose(candidates, [l => On(l) is { } r ? Bound(predictor, r) : 0, l => On(l) is { } r ? predictor.SteadyRequestRate(r) : 0],
            l => On(l) is { } r ? predictor.CapacityOf(r, cancel) ?? 0 : 0, cancel: cancel);
        if (memo is not null)
        {
            lock (Memo)
            {
                memo[key] = choice;
            }
        }
        return choice;
    }

    /// <summary>
    /// The split with the largest <paramref name="capacity"/> (within 0.01%, the earlier candidate), searching in order of
    /// the tightest of <paramref name="bounds"/>, highest first, and stopping at the first split whose tightest bound
    /// cannot beat the best capacity found (every later one's is no higher, so only a tie on an earlier place is still searched); with <paramref name="prune"/> false every
    /// candidate is searched. Null when no candidate has a positive capacity.
    /// </summary>
    /// <remarks>
    /// With <paramref name="parallelism"/> above 1 the splits are searched on that many threads at once (<see cref="SplitSearch"/>):
    /// each free thread takes the next split in bound order that the best capacity found so far cannot rule out, and the
    /// choice replays the one-thread rule over the capacities found, so the split chosen, the splits searched (and so
    /// <see cref="CapacityLayoutChoice.Pruned"/>) and every capacity reported are those of one thread; a split searched
    /// ahead that the rule then prunes costs time only, its capacity is not reported. <paramref name="capacity"/> must be
    /// safe to call from several threads at once and give the same value for a split whichever thread asks.
    /// </remarks>
    /// <param name="candidates">The splits, in the order ties are broken by.</param>
    /// <param name="bounds">Upper bounds on a split's capacity (requests/s, whole system), each cheap next to a search.</param>
    /// <param name="capacity">A split's capacity (requests/s, whole system; 0 when it meets no load).</param>
    /// <param name="prune">Whether to skip splits by their bounds.</param>
    /// <param name="parallelism">Splits searched at once: 0 for <see cref="Environment.ProcessorCount"/>, 1 for one after another.</param>
    /// <param name="cancel">Stops the choice (an <see cref="OperationCanceledException"/>) before the next split's search; a search already running stops only if <paramref name="capacity"/> observes the token too (<see cref="For"/>'s does).</param>
    public static CapacityLayoutChoice? Choose(IReadOnlyList<SystemLayout> candidates, IReadOnlyList<Func<SystemLayout, double>> bounds, Func<SystemLayout, double> capacity,
        bool prune = true, int parallelism = 0, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parallelism);
        cancel.ThrowIfCancellationRequested();
        var tightest = candidates.Select(l => bounds.Min(b => b(l))).ToArray();
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => tightest[i]).ThenBy(i => i).ToArray();
        var threads = Math.Min(parallelism == 0 ? Environment.ProcessorCount : parallelism, candidates.Count);
        var (best, capacities) = threads > 1
            ? new SplitSearch(order, tightest, prune, at => capacity(candidates[at])).Run(threads, cancel)
            : OneAfterAnother(order, tightest, prune, at => capacity(candidates[at]), cancel);
        return best is { } winner
            ? new CapacityLayoutChoice(candidates[winner.At], winner.Value, [.. candidates.Select((l, i) => new CapacityCandidate(l, tightest[i], capacities[i]))])
            : null;
    }

    // The plan's tie rule (Planner.TieFactor): within 0.01% the earlier listed wins.
    private static bool Beats(double value, int at, (double Value, int At)? incumbent) =>
        incumbent is not { } b || value > b.Value * Planner.TieFactor || (value >= b.Value / Planner.TieFactor && at < b.At);

    /// <summary>The one-thread search: the rule that <see cref="SplitSearch"/> replays.</summary>
    private static ((double Value, int At)? Best, double?[] Capacities) OneAfterAnother(int[] order, double[] tightest, bool prune, Func<int, double> capacity, CancellationToken cancel)
    {
        var capacities = new double?[order.Length];
        (double Value, int At)? best = null;
        foreach (var at in order)
        {
            if (prune && !Beats(tightest[at], at, best))
            {
                // A later split with an equal bound but an earlier place could still win a tie: keep looking at those.
                continue;
            }
            cancel.ThrowIfCancellationRequested();
            var value = capacity(at);
            capacities[at] = value;
            if (value > 0 && Beats(value, at, best))
            {
                best = (value, at);
            }
        }
        return (best, capacities);
    }

    /// <summary>
    /// The plan's bound on a resolved row's capacity (requests/s, whole system): <see cref="SimulatedReplicaCapacity.Bound"/>
    /// for its replica under the predictor's model, with the engine caps the row is simulated with and its mean lengths, x replicas.
    /// </summary>
    public static double Bound(InferencePredictor predictor, ResolvedInferenceRow r)
    {
        var engine = predictor.EngineFor(r);
        var mix = new RequestMix(r.InputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Input)), r.OutputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Output)), DemandKind.Rate)
        {
            Caps = new StatedCaps(engine.MaxNumSeqs, engine.MaxBatchedTokens),
        };
        var targets = ServingTargets.FromSeconds(r.Row.TtftTargetSeconds, r.Row.TpotTargetSeconds, null, Percentile.P99);
        return SimulatedReplicaCapacity.Bound(predictor.Model)(r.Deployment, mix, targets) * r.Replicas;
    }
}
