using System.Globalization;
using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>The findings of a simulation: saturation, refused requests, preemption, missed targets.</summary>
public static class ServingFindings
{
    /// <summary>Findings about a finished run.</summary>
    public static IReadOnlyList<Finding> For(ServingResult r)
    {
        var list = new List<Finding>();
        var w = r.Workload;
        if (r.Saturated && !r.QueueOverflowed)
        {
            list.Add(Finding.Error("saturated",
                $"The replica is saturated: it computed {Show(r.ServedFraction * 100, 0)}% of the work the measured requests asked for while they arrived (below {Show(CapacitySearch.KeepUpFraction * 100, 0)}%), so the queue grew throughout and the latencies depend on how long the run was; {Offered(w)} is more than one replica of {r.Deployment.Model.Id} on {r.Deployment.Layout.Devices} x {r.Deployment.Device.Id} carries. Lower the load, add replicas, or find the limit with 'suanli capacity'."));
        }
        else if (r.Saturated)
        {
            list.Add(Finding.Error("saturated",
                $"The replica is saturated: more than {N(r.Engine.MaxQueue)} requests were waiting after {T(r.SimulatedTime)} of simulated time, so the simulation stopped; {Offered(w)} is more than one replica of {r.Deployment.Model.Id} on {r.Deployment.Layout.Devices} x {r.Deployment.Device.Id} carries. Lower the load, add replicas, or find the limit with 'suanli capacity'."));
        }
        if (r.RequestsRejected > 0)
        {
            list.Add(Finding.Warn("requests-too-long",
                $"{N(r.RequestsRejected)} of {N(r.RequestsIssued)} requests were refused: prompt plus output exceeds the {N(r.KvTokens)} tokens the KV cache of this replica holds."));
        }
        if (r.RequestsMeasured == 0 && !r.Saturated)
        {
            list.Add(Finding.Error("no-requests-measured", "No request finished after the warm-up, so there are no latencies to report; simulate more requests or a longer duration."));
        }
        if (r.Preemptions > 0)
        {
            list.Add(Finding.Warn("preemption",
                $"The KV cache ran out {N(r.Preemptions)} times: running sequences were evicted and recomputed later, which lengthens their latency. The cache holds {N(r.KvTokens)} tokens ({N(r.KvBlocks)} blocks of {r.Engine.BlockSize})."));
        }
        var maxContext = r.Deployment.Model.Architecture.MaxContext;
        if (maxContext > 0 && w.Kind != ArrivalKind.Trace && (long)w.Input.Max + w.Output.Max > maxContext)
        {
            list.Add(Finding.Warn("context-beyond-model",
                $"Prompt plus output can reach {N((long)w.Input.Max + w.Output.Max)} tokens, beyond the {N(maxContext)} tokens {r.Deployment.Model.Id} was configured for; an engine would refuse such requests."));
        }
        if (r.Deployment.Engine is not (Engine.Vllm or Engine.Sglang))
        {
            list.Add(Finding.Info("engine-defaults",
                $"The scheduler limits for {r.Deployment.Engine} are vLLM's ({N(r.Engine.MaxNumSeqs)} sequences, {N(r.Engine.MaxBatchedTokens)} tokens per step); set them with --max-num-seqs and --max-batched-tokens if yours differ."));
        }
        list.AddRange(TargetFindings(r));
        list.Add(Finding.Info("batching",
            $"Continuous batching ran {Show(r.BatchSize.Mean, 1)} sequences per step on average (p90 {Show(r.BatchSize.P90, 0)}, limit {N(r.Engine.MaxNumSeqs)}); the KV cache was {Show(r.KvUse.Mean * 100, 0)}% full on average of {N(r.KvTokens)} tokens."));
        list.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        return list;
    }

    /// <summary>One finding per target the run missed, with the floor the hardware sets when the target is below it.</summary>
    public static IEnumerable<Finding> TargetFindings(ServingResult r)
    {
        var t = r.Targets;
        var p = t.At.ToString().ToLowerInvariant();
        foreach (var (metric, target) in new[] { (ServingMetric.Ttft, t.Ttft), (ServingMetric.Tpot, t.Tpot), (ServingMetric.E2e, t.E2e) })
        {
            if (target is not { } goal || r.RequestsMeasured == 0)
            {
                continue;
            }
            var value = r.Of(metric).At(t.At);
            if (value > goal)
            {
                var floor = metric switch
                {
                    ServingMetric.Tpot => r.DecodeStepAtBatch1,
                    ServingMetric.E2e => r.DecodeStepAtBatch1 * Math.Max(0, r.Workload.MeanOutput - 1),
                    _ => Duration.Zero,
                };
                var why = floor > goal
                    ? metric == ServingMetric.Tpot
                        ? $"; the target is below the {T(floor)} step time at batch 1, so no load meets it on this replica ('suanli capacity' lists what would)"
                        : $"; {Show(r.Workload.MeanOutput, 0)} output tokens at the {T(r.DecodeStepAtBatch1)} batch-1 step alone take {T(floor)}, so no load meets it on this replica ('suanli capacity' lists what would)"
                    : "";
                yield return Finding.Error("target-missed", $"{Name(metric)} {p} is {T(value)}, above the {T(goal)} target{why}.");
            }
        }
    }

    /// <summary>The metric's display name.</summary>
    public static string Name(ServingMetric m) => m switch
    {
        ServingMetric.Ttft => "TTFT",
        ServingMetric.Tpot => "TPOT",
        ServingMetric.E2e => "End-to-end latency",
        _ => "Queueing time",
    };

    /// <summary>The offered load in words.</summary>
    public static string Offered(Workload w) => w.Kind switch
    {
        ArrivalKind.Poisson => $"{Show(w.RequestsPerSecond, 3)} requests/s",
        ArrivalKind.ClosedLoop => $"{N(w.Concurrency)} concurrent clients",
        _ => "the trace",
    };

    /// <summary>A duration in ms below 1 s, else s.</summary>
    public static string T(Duration d) => d.Value < 1 ? $"{Show(d.InMilliseconds, d.InMilliseconds < 10 ? 1 : 0)} ms" : $"{Show(d.Value, 2)} s";

    internal static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Show(double v, int decimals) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
