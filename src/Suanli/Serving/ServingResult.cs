using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>Percentiles of one latency metric over the measured requests.</summary>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Max">Largest.</param>
public sealed record LatencySummary(Duration P50, Duration P90, Duration P99, Duration Mean, Duration Max)
{
    // Before Empty: static initialisers run in order, and Empty built first kept a null Others, so a probe that measured
    // nothing (a staggered loop's ramp) threw when asked for a p95 target.
    private static readonly IReadOnlyDictionary<Percentile, Duration> None = new Dictionary<Percentile, Duration>();

    /// <summary>All zero (no measured requests).</summary>
    public static LatencySummary Empty { get; } = new(Duration.Zero, Duration.Zero, Duration.Zero, Duration.Zero, Duration.Zero);

    /// <summary>Values at the targets' other percentiles (p95, p99.9), estimated by the simulation beside p50, p90 and p99.</summary>
    public IReadOnlyDictionary<Percentile, Duration> Others { get; init; } = None;

    /// <summary>Equal when every figure is, <see cref="Others"/> compared by content: the same run gives an equal summary.</summary>
    public bool Equals(LatencySummary? other) =>
        other is not null && P50 == other.P50 && P90 == other.P90 && P99 == other.P99 && Mean == other.Mean && Max == other.Max
        && Others.Count == other.Others.Count && Others.All(kv => other.Others.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(P50, P90, P99, Mean, Max, Others.Count);

    /// <summary>The value at a percentile: p50, p90, p99, or one of <see cref="Others"/> (zero when no request was measured).</summary>
    public Duration At(Percentile p) =>
        p == Percentile.P50 ? P50
        : p == Percentile.P90 ? P90
        : p == Percentile.P99 ? P99
        : Others.TryGetValue(p, out var v) ? v
        : ReferenceEquals(this, Empty) ? Duration.Zero
        : throw new InvalidOperationException($"The simulation estimated no {p}: name it among the targets it runs with.");

    internal static LatencySummary Of(Quantiles q, IEnumerable<Percentile>? others = null) => q.Count == 0 ? Empty : new(
        Duration.FromSeconds(q.Percentile(50)), Duration.FromSeconds(q.Percentile(90)), Duration.FromSeconds(q.Percentile(99)),
        Duration.FromSeconds(q.Mean), Duration.FromSeconds(q.Max))
    {
        Others = (others ?? []).Where(p => p != Percentile.P50 && p != Percentile.P90 && p != Percentile.P99).Distinct()
            .ToDictionary(p => p, p => Duration.FromSeconds(q.Percentile(p.Value))),
    };
}

/// <summary>A time-weighted distribution summary of a per-step quantity.</summary>
/// <param name="Mean">Time-weighted mean.</param>
/// <param name="P50">Median over time.</param>
/// <param name="P90">90th percentile over time.</param>
/// <param name="Max">Largest.</param>
public sealed record StepDistribution(double Mean, double P50, double P90, double Max);

/// <summary>Request counts of one simulation.</summary>
/// <param name="Issued">Requests that arrived.</param>
/// <param name="Completed">Requests that finished.</param>
/// <param name="Measured">Finished requests after the warm-up, over which every statistic is taken.</param>
/// <param name="Rejected">Requests refused because prompt plus output cannot fit the KV cache of the replica.</param>
public sealed record RequestCounts(long Issued, long Completed, long Measured, long Rejected);

/// <summary>Rates of one simulation over its measurement window.</summary>
/// <param name="Output">Output tokens per second over the measurement window.</param>
/// <param name="Total">Prompt plus output tokens per second of the measured requests over the window.</param>
/// <param name="RequestsPerSecond">Measured requests completed per second.</param>
/// <param name="GoodputRequestsPerSecond">Measured requests meeting every target, per second (equal to <paramref name="RequestsPerSecond"/> without targets).</param>
/// <param name="ArrivalRate">Measured requests per second between the first and the last measured arrival (the realised offered rate).</param>
/// <param name="DepartureRate">
/// Measured requests per second between the first and the last measured completion: the offered rate when the
/// replica keeps up (the drain at the end does not dilute it), the service rate when it does not.
/// </param>
/// <param name="ServedFraction">
/// Tokens the replica computed between the first and the last measured arrival over the tokens those arrivals
/// asked for (prompt not found in the prefix cache plus output), at most 1. In a steady state the work in the system
/// is the same at both ends, so this is about 1 when the replica keeps up, whatever the length distribution's tail;
/// below 1 the queue grows. 1 when nothing was measured.
/// </param>
public sealed record ServingThroughput(TokenRate Output, TokenRate Total, double RequestsPerSecond, double GoodputRequestsPerSecond,
    double ArrivalRate, double DepartureRate, double ServedFraction);

/// <summary>What a simulated replica held, weighted by step time.</summary>
/// <param name="BatchSize">Sequences in each step, weighted by step time.</param>
/// <param name="KvUse">Fraction of KV blocks in use, weighted by step time.</param>
/// <param name="KvBlocks">KV blocks of the replica (per device, all devices hold the same token count).</param>
/// <param name="KvTokens">Tokens the KV cache holds.</param>
public sealed record ServingOccupancy(StepDistribution BatchSize, StepDistribution KvUse, long KvBlocks, long KvTokens);

/// <summary>What the simulated engine did.</summary>
/// <param name="Steps">Engine steps simulated.</param>
/// <param name="Preemptions">Sequences evicted because KV blocks ran out (recomputed later).</param>
/// <param name="Events">Simulation events: arrivals, steps and completions.</param>
/// <param name="SimulatedTime">Simulated time from the first arrival to the end.</param>
public sealed record SimulationWork(long Steps, long Preemptions, long Events, Duration SimulatedTime);

/// <summary>What a simulated replica did with a workload (docs/methodology-serving.md, "Metrics").</summary>
public sealed record ServingResult
{
    /// <summary>The replica.</summary>
    public required Deployment Deployment { get; init; }
    /// <summary>The engine settings used.</summary>
    public required EngineConfig Engine { get; init; }
    /// <summary>The load.</summary>
    public required Workload Workload { get; init; }
    /// <summary>The targets goodput was counted against.</summary>
    public required ServingTargets Targets { get; init; }
    /// <summary>How many requests arrived, finished, were measured and were refused.</summary>
    public required RequestCounts Requests { get; init; }
    /// <summary>Time to first token: arrival to the end of the step that samples the first output token.</summary>
    public required LatencySummary Ttft { get; init; }
    /// <summary>Time per output token after the first: (end-to-end - TTFT) / (output tokens - 1), requests with 2 or more output tokens.</summary>
    public required LatencySummary Tpot { get; init; }
    /// <summary>End-to-end latency: arrival to the last output token.</summary>
    public required LatencySummary E2e { get; init; }
    /// <summary>Queueing time: arrival to the first step that schedules the request.</summary>
    public required LatencySummary Queue { get; init; }
    /// <summary>Tokens and requests per second over the measurement window, and how much of the offered work was served.</summary>
    public required ServingThroughput Throughput { get; init; }
    /// <summary>What the replica held: sequences per step and the KV cache's use and size.</summary>
    public required ServingOccupancy Occupancy { get; init; }
    /// <summary>What the engine did: steps, preemptions, events and simulated time.</summary>
    public required SimulationWork Work { get; init; }
    /// <summary>
    /// True when the replica cannot carry the load: the waiting queue passed the bound and the run stopped early
    /// (<see cref="QueueOverflowed"/>), or an open load (Poisson or trace) was served below
    /// <see cref="CapacitySearch.KeepUpFraction"/> of its work (<see cref="ServingThroughput.ServedFraction"/>).
    /// </summary>
    public required bool Saturated { get; init; }
    /// <summary>True when the waiting queue passed <see cref="EngineConfig.MaxQueue"/> and the run stopped early.</summary>
    public bool QueueOverflowed { get; init; }
    /// <summary>Most requests in flight (waiting or running) at once.</summary>
    public required long PeakInFlight { get; init; }
    /// <summary>Step time of one sequence decoding alone at the workload's mean context: the floor of TPOT.</summary>
    public required Duration DecodeStepAtBatch1 { get; init; }
    /// <summary>What the run found.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>The latency summary of a metric.</summary>
    public LatencySummary Of(ServingMetric metric) => metric switch
    {
        ServingMetric.Ttft => Ttft,
        ServingMetric.Tpot => Tpot,
        ServingMetric.E2e => E2e,
        _ => Queue,
    };
}

/// <summary>A latency metric.</summary>
public enum ServingMetric
{
    /// <summary>Time to first token.</summary>
    Ttft,
    /// <summary>Time per output token (after the first).</summary>
    Tpot,
    /// <summary>End-to-end latency.</summary>
    E2e,
    /// <summary>Queueing time.</summary>
    Queue,
}
