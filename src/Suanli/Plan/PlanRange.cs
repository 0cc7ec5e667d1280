using Suanli.Fleet;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Plan;

/// <summary>An application's capacity interval: the class it came from, or none where no class has a spread.</summary>
/// <param name="Application">Application name.</param>
/// <param name="Interval">The interval of its chosen deployment's replica capacity; null when none can be stated.</param>
public sealed record ApplicationInterval(string Application, IntervalLookup? Interval);

/// <summary>
/// A plan at both ends of the 80% interval of replica capacity (docs/methodology-steptime.md, "Prediction
/// intervals"): the pessimistic plan sizes the fleet for capacity x the interval's low ratio (more devices), the
/// optimistic one for capacity x its high ratio (fewer devices). Everything downstream of capacity (replicas,
/// devices, racks, power, cost) follows from the same pipeline.
/// </summary>
/// <param name="Pessimistic">Plan with every replica carrying its capacity x the low ratio.</param>
/// <param name="Optimistic">Plan with every replica carrying its capacity x the high ratio.</param>
/// <param name="Applications">Each application's interval.</param>
/// <param name="CoveredRatio">
/// The expected plan's headroom: the lowest fraction of predicted replica capacity (0-1 or above) at which its
/// peak-hour replicas still carry every application's peak; null when an application has no capacity.
/// </param>
public sealed record PlanRange(PlanResult Pessimistic, PlanResult Optimistic, IReadOnlyList<ApplicationInterval> Applications, double? CoveredRatio);

/// <summary>Plans at the ends of the capacity interval, sharing the expected plan's capacity searches.</summary>
public static class PlanRanges
{
    /// <summary>
    /// A provider that runs each capacity search once and answers repeats from memory, so that the plans at the
    /// interval's ends cost no further simulation. Safe to call from several threads (each search still runs once).
    /// </summary>
    public static CapacityProvider Memoized(CapacityProvider inner)
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<(Deployment, RequestMix, ServingTargets), Lazy<ReplicaCapacity>>();
        return (deployment, mix, targets) =>
            seen.GetOrAdd((deployment, mix, targets), key => new Lazy<ReplicaCapacity>(() => inner(key.Item1, key.Item2, key.Item3))).Value;
    }

    /// <summary>A provider whose replicas carry the inner capacity x the interval's low (or high) ratio.</summary>
    public static CapacityProvider Scaled(CapacityProvider inner, Func<Deployment, IntervalLookup?> interval, bool low) => (deployment, mix, targets) =>
    {
        var capacity = inner(deployment, mix, targets);
        if (!capacity.Feasible || interval(deployment) is not { } found)
        {
            return capacity;
        }
        var ratio = low ? found.Class.LowRatio : found.Class.HighRatio;
        return capacity.Scaled(ratio);
    };

    /// <summary>
    /// The plan at both ends of the interval. <paramref name="capacity"/> should be the (memoized) provider the
    /// expected plan used; <paramref name="interval"/> gives each deployment's capacity interval.
    /// </summary>
    public static PlanRange Of(PlanResult expected, CapacityProvider capacity, Func<Deployment, IntervalLookup?> interval)
    {
        // The interval scales every layout of a device and engine alike, so each application keeps its model and layout.
        var kept = Planner.WithChoices(expected);
        var pessimistic = Planner.Plan(kept, Scaled(capacity, interval, low: true));
        var optimistic = Planner.Plan(kept, Scaled(capacity, interval, low: false));
        var apps = expected.Applications.Select(a => new ApplicationInterval(a.Application.Name, interval(a.Deployment))).ToList();
        return new PlanRange(pessimistic, optimistic, apps, CoveredRatio(expected));
    }

    /// <summary>
    /// The lowest fraction of predicted replica capacity at which each application's peak-hour replicas still carry
    /// its peak: max over applications of peak / (replicas at the peak x capacity per replica).
    /// </summary>
    public static double? CoveredRatio(PlanResult plan)
    {
        double? worst = null;
        foreach (var a in plan.Applications)
        {
            var carried = a.ReplicasPeak * a.Capacity.In(a.Application.Kind);
            if (carried <= 0)
            {
                return null;
            }
            var needed = a.Application.Peak / carried;
            worst = worst is null ? needed : Math.Max(worst.Value, needed);
        }
        return worst;
    }
}
