using Suanli.Fleet;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Plan;

/// <summary>The requests one replica serves: length distributions and how the demand is stated; with the engine caps the application states.</summary>
/// <param name="Input">Prompt lengths.</param>
/// <param name="Output">Output lengths.</param>
/// <param name="Kind">Concurrency (closed loop of clients) or rate (Poisson arrivals).</param>
public sealed record RequestMix(LengthDistribution Input, LengthDistribution Output, DemandKind Kind)
{
    /// <summary>The scheduler caps the application states (<see cref="ScenarioApplication.Caps"/>); none: the engine's defaults.</summary>
    public StatedCaps Caps { get; init; } = StatedCaps.None;

    /// <summary>Mean prompt tokens.</summary>
    public double InputTokens => Input.Mean;

    /// <summary>Mean output tokens.</summary>
    public double OutputTokens => Output.Mean;
}

/// <summary>
/// Replica capacity for the planner from the serving stage's simulator-backed capacity search
/// (docs/methodology-serving.md, "Capacity search"): a closed loop of clients for concurrency demand, Poisson
/// arrivals for rate demand, every target checked at its percentile (p90 unless the scenario states another), with
/// enough requests per probe to estimate it (<see cref="ServingTargets.RequestsFor"/>).
/// </summary>
public static class SimulatedReplicaCapacity
{
    /// <summary>Requests simulated per probe of the search: enough for stable p90s, small enough for a plan in well under a second.</summary>
    public const int RequestsPerProbe = 600;

    /// <summary>A capacity provider over a step-time model; <paramref name="cancel"/> stops a search inside its current probe.</summary>
    public static CapacityProvider Provider(IStepTimeModel model, int requestsPerProbe = RequestsPerProbe, CancellationToken cancel = default) => (deployment, mix, targets) =>
    {
        var capacity = From(Run(model, deployment, mix, targets, requestsPerProbe, cancel), mix.Kind);
        // A device without its own calibration subgroup borrows its family's; the plan says so, as perf does.
        return model is CalibratedStepTimeModel cal && cal.Calibration.FallbackFinding(deployment.Engine, deployment.Device) is { } fallback
            ? capacity with { Findings = [.. capacity.Findings, fallback] }
            : capacity;
    };

    /// <summary>
    /// The bound the planner skips layouts with (docs/methodology-fleet.md, "Deployment per application"): the analytic
    /// bound the optimizer prunes with (<see cref="AnalyticCapacityBound.Bound"/>, with each candidate's batch limit) times
    /// <paramref name="slack"/>, the largest measured ratio of simulated to bound capacity, rounded up
    /// (<see cref="ScenarioSearchOptions.DefaultBoundSlack"/>); for concurrency demand, times the longest mean request
    /// the targets allow (Little's law), as the optimizer bounds it. Without TTFT and TPOT targets there is no bound.
    /// </summary>
    public static CapacityBound Bound(IStepTimeModel model, double slack = ScenarioSearchOptions.DefaultBoundSlack) => (deployment, mix, targets) =>
    {
        if (targets.Ttft is not { } ttft || targets.Tpot is not { } tpot)
        {
            return double.PositiveInfinity;
        }
        var input = Math.Max(1, (int)Math.Round(mix.InputTokens));
        var output = Math.Max(1, (int)Math.Round(mix.OutputTokens));
        var target = new ServiceTarget("replica", 1, input, output, new ServingTargets(ttft, tpot, null));
        var candidate = new SearchCandidate(deployment.Model, deployment.Weights, deployment.Kv, deployment.Device, deployment.Layout, deployment.Engine);
        var bound = AnalyticCapacityBound.Bound(model, candidate, target, EngineConfig.ReserveFor(deployment.Engine, deployment.Device, mix.Caps.MaxBatchedTokens), AnalyticCapacityBound.BatchLimit(mix.Caps, candidate));
        if (!bound.Feasible)
        {
            return 0;
        }
        var rate = bound.CapacityPerReplica * slack;
        return mix.Kind == DemandKind.Rate ? rate : rate * Math.Min(targets.E2e?.Value ?? double.MaxValue, ttft.Value + tpot.Value * (output - 1));
    };

    /// <summary>
    /// The one conversion of a simulated capacity search into a replica's capacity, for the planner and the optimizer
    /// alike: requests per second at the largest load that meets the targets, and the requests in flight there, which
    /// is the closed loop's client count for concurrency demand and, by Little's law, rate x mean end-to-end time
    /// (unrounded) for rate demand. A search that found no load is an infeasible capacity naming the limiting target.
    /// </summary>
    /// <param name="result">The serving stage's capacity search.</param>
    /// <param name="kind">How the demand is stated.</param>
    public static ReplicaCapacity From(CapacityResult result, DemandKind kind)
    {
        if (result.MaxRequestsPerSecond is not { } rate || rate <= 0 || result.AtMax is not { } atMax)
        {
            return new ReplicaCapacity(0, 0, result.LimitingTarget ?? "targets", false, result.Findings);
        }
        var concurrency = kind == DemandKind.Concurrency && result.MaxConcurrency is { } n ? n : rate * atMax.E2e.Mean.Value;
        return new ReplicaCapacity(rate, concurrency, result.LimitingTarget ?? "none", true, result.Findings) { Loop = kind == DemandKind.Concurrency ? Loop(result) : null };
    }

    /// <summary>
    /// A concurrency search's closed-loop curve: one client alone (<see cref="CapacityResult.LoneE2e"/>) and every probe
    /// that met the targets, by client count; null when the search was not over clients.
    /// </summary>
    public static ClosedLoopCurve? Loop(CapacityResult result)
    {
        if (result.Mode != CapacityMode.Concurrency)
        {
            return null;
        }
        var points = result.Probes.Where(p => p.Meets && p.Result.E2e.Mean.Value > 0)
            .Select(p => new LoopPoint(p.Load, p.Result.E2e.Mean)).ToList();
        if (result.LoneE2e is { Value: > 0 } lone && !points.Any(p => p.Clients <= 1))
        {
            points.Add(new LoopPoint(1, lone));
        }
        return points.Count == 0 ? null : new ClosedLoopCurve([.. points.GroupBy(p => p.Clients).Select(g => g.First()).OrderBy(p => p.Clients)]);
    }

    /// <summary>Runs the serving capacity search for one replica and request mix.</summary>
    public static CapacityResult Run(IStepTimeModel model, Deployment deployment, RequestMix mix, ServingTargets targets, int requestsPerProbe = RequestsPerProbe,
        CancellationToken cancel = default)
    {
        // A plan's concurrency demand is real, independent users: a closed loop of them starts staggered, not in step
        // as a benchmark client's (docs/methodology-serving.md, "Closed loop"). Rate demand is Poisson and unaffected.
        var workload = Workload.Poisson(1, mix.Input, mix.Output, seed: 1, requests: targets.RequestsFor(requestsPerProbe)) with { Start = ClientStart.Staggered };
        var serving = targets;
        var mode = mix.Kind == DemandKind.Concurrency ? CapacityMode.Concurrency : CapacityMode.Rate;
        return CapacitySearch.Run(deployment, workload, Engine(deployment, mix), model, serving, mode, cancel: cancel);
    }

    /// <summary>
    /// The engine settings a plan simulates a replica with, for the planner and the optimizer alike: the engine's own for
    /// the device (<see cref="EngineConfig.Planned"/>), with the caps the application states in place of its defaults.
    /// </summary>
    public static EngineConfig Engine(Deployment deployment, RequestMix mix) =>
        mix.Caps.Apply(EngineConfig.Planned(deployment, mix.InputTokens + mix.OutputTokens));
}
