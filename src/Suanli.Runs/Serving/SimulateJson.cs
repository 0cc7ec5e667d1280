using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The JSON document of <c>suanli simulate</c> (docs/methodology-serving.md, "Output"), grouped by meaning since
/// contract version 2 (docs/cli.md, "JSON contract", lists the version 1 names of each field).
/// </summary>
public sealed record SimulateJson : ReportDocument
{
    /// <summary>What was simulated: the replica, the engine and the load.</summary>
    public required SimulateInputsJson Inputs { get; init; }
    /// <summary>The whole system's split into replicas and its totals; null for one replica (--devices).</summary>
    public SimulateSystemJson? System { get; init; }
    /// <summary>Requests measured, issued and refused.</summary>
    public required SimulateRequestsJson Requests { get; init; }
    /// <summary>Tokens and requests per second of the replica.</summary>
    public required SimulateThroughputJson Throughput { get; init; }
    /// <summary>Latency percentiles per request, s.</summary>
    public required SimulateLatencyJson Latency { get; init; }
    /// <summary>Each latency target given, the percentile it is checked at and the simulated value there; empty without targets.</summary>
    public IReadOnlyList<TargetJson> Targets { get; init; } = [];
    /// <summary>How full the batch and the KV cache were, and the engine limits on them.</summary>
    public required SimulateOccupancyJson Occupancy { get; init; }
    /// <summary>Engine steps, preemptions and whether the run stopped saturated.</summary>
    public required SimulateWorkJson Work { get; init; }
    /// <summary>The articles' one-copy-per-concurrent-request estimate.</summary>
    public ArticleEstimateJson? ArticleEstimate { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
}

/// <summary>One latency target, the percentile it is checked at, and the simulated value at that percentile.</summary>
/// <param name="Metric">ttft, tpot or e2e.</param>
/// <param name="Percentile">The percentile the target is checked at, above 0 and below 100 (90 unless stated).</param>
/// <param name="TargetSeconds">The target, s.</param>
/// <param name="ValueSeconds">The metric at that percentile, s; null where no simulation gives it (capacity with no load meeting the targets; a plan's targets).</param>
/// <param name="Met">Whether the value is within the target; null with no value.</param>
public sealed record TargetJson(string Metric, double Percentile, double TargetSeconds, double? ValueSeconds, bool? Met)
{
    /// <summary>The targets set, in the order ttft, tpot, e2e, with their values in <paramref name="r"/> (null: none).</summary>
    public static IReadOnlyList<TargetJson> Of(Suanli.Serving.ServingTargets t, Suanli.Serving.ServingResult? r) =>
        [.. new[] { Suanli.Serving.ServingMetric.Ttft, Suanli.Serving.ServingMetric.Tpot, Suanli.Serving.ServingMetric.E2e }
            .Where(m => t.Of(m) is not null)
            .Select(m =>
            {
                var value = r is null || r.Requests.Measured == 0 ? (double?)null : r.Of(m).At(t.AtOf(m)).Value;
                return new TargetJson(m.ToString().ToLowerInvariant(), t.AtOf(m).Value, t.Of(m)!.Value.Value, value, value is { } v ? v <= t.Of(m)!.Value.Value : null);
            })];
}

/// <summary>The inputs of a simulation, echoed.</summary>
/// <param name="Model">Catalog id of the model.</param>
/// <param name="Hardware">Device id.</param>
/// <param name="Devices">Devices of the replica.</param>
/// <param name="Tp">Tensor-parallel degree.</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Precision">Weight format.</param>
/// <param name="Engine">Engine.</param>
/// <param name="Arrivals">Arrival process (poisson, closedLoop, trace).</param>
/// <param name="RequestRate">Offered rate, requests/s (poisson).</param>
/// <param name="Concurrency">Clients (closed loop).</param>
/// <param name="Input">Prompt length distribution, tokens.</param>
/// <param name="Output">Output length distribution, tokens.</param>
/// <param name="Seed">Random seed.</param>
public sealed record SimulateInputsJson(string Model, string Hardware, int Devices, int Tp, int Pp, string Precision, string Engine, string Arrivals,
    double? RequestRate, int? Concurrency, string Input, string Output, ulong Seed)
{
    /// <summary>
    /// When the closed loop's clients sent their first requests: together (every client at time 0, the default) or staggered
    /// (client c of N at c gaps, as a plan sizes its concurrency demand; docs/methodology-serving.md, "Closed loop"); null
    /// for Poisson arrivals and a trace.
    /// </summary>
    public string? Start { get; init; }
}

/// <summary>The whole system: replicas of the simulated one, each running the figures of the document on its share of the load.</summary>
/// <param name="Layout">The split into replicas.</param>
/// <param name="Reason">Why that split: "pinned", "the only split that fits", or "chosen as the split with ... of K candidates".</param>
/// <param name="OutputTokensPerSecond">Output tokens per second of the whole system: replicas x the replica's.</param>
/// <param name="RequestsPerSecond">Requests completed per second by the whole system: replicas x the replica's.</param>
public sealed record SimulateSystemJson(SystemLayoutJson Layout, string Reason, double OutputTokensPerSecond, double RequestsPerSecond);

/// <summary>Request counts of a simulation.</summary>
/// <param name="Measured">Measured requests (after warm-up).</param>
/// <param name="Issued">Requests issued.</param>
/// <param name="Rejected">Requests refused as too long for the KV cache.</param>
public sealed record SimulateRequestsJson(long Measured, long Issued, long Rejected)
{
    /// <summary>Which arrivals were measured: the warm-up left out and the window after it (null for a trace, which keeps every request).</summary>
    public ArrivalWindowJson? Window { get; init; }
}

/// <summary>
/// The arrivals of a simulation and the share of them measured: with a duration, seconds of arrivals of which the first
/// are warm-up (10% for <c>simulate</c>; for a <c>capacity --duration</c> probe, one answer of the 99th-percentile output
/// length at the targets, then the duration measured: <see cref="Suanli.Serving.BenchmarkWindow.Probe"/>); without, a
/// request count whose first share is warm-up.
/// </summary>
/// <param name="Requests">Most requests issued.</param>
/// <param name="ArrivalSeconds">Seconds of arrivals (warm-up plus measured); null: the request count decides.</param>
/// <param name="WarmupSeconds">Seconds of arrivals left out of the statistics as warm-up; null without a duration.</param>
/// <param name="MeasuredSeconds">Seconds of arrivals measured; null without a duration.</param>
/// <param name="WarmupFraction">Share of the arrivals (of the time with a duration, else of the requests) left out as warm-up, 0 to 0.95.</param>
public sealed record ArrivalWindowJson(int Requests, double? ArrivalSeconds, double? WarmupSeconds, double? MeasuredSeconds, double WarmupFraction)
{
    /// <summary>The window of <paramref name="w"/>; null for a trace.</summary>
    public static ArrivalWindowJson? Of(Suanli.Serving.Workload w)
    {
        if (w.Kind == Suanli.Serving.ArrivalKind.Trace)
        {
            return null;
        }
        if (w.Duration is not { } arrivals)
        {
            return new(w.Requests, null, null, null, w.WarmupFraction);
        }
        var warmup = arrivals.Value * w.WarmupFraction;
        return new(w.Requests, Math.Round(arrivals.Value, 6), Math.Round(warmup, 6), Math.Round(arrivals.Value - warmup, 6), w.WarmupFraction);
    }
}

/// <summary>Throughput of one replica over the measurement window.</summary>
/// <param name="OutputTokensPerSecond">Output tokens per second.</param>
/// <param name="TotalTokensPerSecond">Prompt plus output tokens per second.</param>
/// <param name="RequestsPerSecond">Requests completed per second.</param>
/// <param name="GoodputRequestsPerSecond">Requests meeting every target per second.</param>
public sealed record SimulateThroughputJson(double OutputTokensPerSecond, double TotalTokensPerSecond, double RequestsPerSecond, double GoodputRequestsPerSecond);

/// <summary>Latency per request.</summary>
/// <param name="Ttft">Time to first token, s.</param>
/// <param name="Tpot">Time per output token after the first, s.</param>
/// <param name="E2e">End-to-end latency, s.</param>
/// <param name="Queue">Queueing time, s.</param>
/// <param name="DecodeStepAtBatch1Seconds">Decode step at batch 1, s (TPOT floor).</param>
public sealed record SimulateLatencyJson(PercentilesJson Ttft, PercentilesJson Tpot, PercentilesJson E2e, PercentilesJson Queue, double DecodeStepAtBatch1Seconds);

/// <summary>Occupancy of the batch and the KV cache, with the engine limits that bound them.</summary>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="KvUse">Fraction of KV blocks in use.</param>
/// <param name="KvCacheTokens">Tokens the KV cache holds.</param>
/// <param name="MaxNumSeqs">Engine limit on running sequences.</param>
/// <param name="MaxBatchedTokens">Engine limit on tokens per step.</param>
public sealed record SimulateOccupancyJson(StepDistributionJson BatchSize, StepDistributionJson KvUse, long KvCacheTokens, int MaxNumSeqs, int MaxBatchedTokens);

/// <summary>The work the engine did.</summary>
/// <param name="Preemptions">Preemptions (sequences recomputed after the KV cache ran out).</param>
/// <param name="Steps">Engine steps simulated.</param>
/// <param name="Saturated">True when the queue passed its bound and the run stopped.</param>
public sealed record SimulateWorkJson(long Preemptions, long Steps, bool Saturated);
