using System.Globalization;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

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
                "The replica is saturated: it computed {served} of the work the measured requests asked for while they arrived (below {keepUp}), so the queue grew throughout and the latencies depend on how long the run was; {offered} is more than one replica of {model} on {devices} x {device} carries. Lower the load, add replicas, or find the limit with {capacity}.",
                ("served", Show(r.Throughput.ServedFraction * 100, 0) + "%"), ("keepUp", Show(CapacitySearch.KeepUpFraction * 100, 0) + "%"), ("offered", Offered(w)),
                ("model", r.Deployment.Model.Id), ("devices", Fmt.I($"{r.Deployment.Layout.Devices}")), ("device", r.Deployment.Device.Id), ("capacity", CommandRefs.Capacity)));
        }
        else if (r.Saturated)
        {
            list.Add(Finding.Error("saturated#queue",
                "The replica is saturated: more than {queue} requests were waiting after {time} of simulated time, so the simulation stopped; {offered} is more than one replica of {model} on {devices} x {device} carries. Lower the load, add replicas, or find the limit with {capacity}.",
                ("queue", N(r.Engine.MaxQueue)), ("time", T(r.Work.SimulatedTime)), ("offered", Offered(w)),
                ("model", r.Deployment.Model.Id), ("devices", Fmt.I($"{r.Deployment.Layout.Devices}")), ("device", r.Deployment.Device.Id), ("capacity", CommandRefs.Capacity)));
        }
        if (r.Requests.Rejected > 0)
        {
            list.Add(Finding.Warn("requests-too-long",
                "{refused} of {issued} requests were refused: prompt plus output exceeds the {kvTokens} tokens the KV cache of this replica holds.",
                ("refused", N(r.Requests.Rejected)), ("issued", N(r.Requests.Issued)), ("kvTokens", N(r.Occupancy.KvTokens))));
        }
        if (r.Requests.Measured == 0 && !r.Saturated)
        {
            list.Add(Finding.Error("no-requests-measured", "No request finished after the warm-up, so there are no latencies to report; simulate more requests or a longer duration."));
        }
        if (r.Work.Preemptions > 0)
        {
            list.Add(Finding.Warn("preemption",
                "The KV cache ran out {times} times: running sequences were evicted and recomputed later, which lengthens their latency. The cache holds {kvTokens} tokens ({blocks} blocks of {blockSize}).",
                ("times", N(r.Work.Preemptions)), ("kvTokens", N(r.Occupancy.KvTokens)), ("blocks", N(r.Occupancy.KvBlocks)), ("blockSize", Fmt.I($"{r.Engine.BlockSize}"))));
        }
        var maxContext = r.Deployment.Model.Architecture.MaxContext;
        if (maxContext > 0 && w.Kind != ArrivalKind.Trace && (long)w.Input.Max + w.Output.Max > maxContext)
        {
            list.Add(Finding.Warn("context-beyond-model#serving",
                "Prompt plus output can reach {tokens} tokens, beyond the {maxContext} tokens {model} was configured for; an engine would refuse such requests.",
                ("tokens", N((long)w.Input.Max + w.Output.Max)), ("maxContext", N(maxContext)), ("model", r.Deployment.Model.Id)));
        }
        if (r.Engine.AssumedCaps is { } caps)
        {
            list.Add(Finding.Info("engine-defaults",
                "Scheduler caps: {seqs} sequences and {tokens} tokens per step; those not given are {engine}'s documented defaults on {device} ({version}; docs/methodology-serving.md, 'Engine defaults'). Set {maxNumSeqs} and {maxBatchedTokens} to your engine's values if they differ.",
                ("seqs", N(r.Engine.MaxNumSeqs)), ("tokens", N(r.Engine.MaxBatchedTokens)), ("engine", EngineNames.Name(caps.Engine)), ("device", r.Deployment.Device.Id),
                ("version", caps.Version), ("maxNumSeqs", FieldNames.MaxNumSeqs), ("maxBatchedTokens", FieldNames.MaxBatchedTokens)));
        }
        list.AddRange(TargetFindings(r));
        list.Add(Finding.Info("batching",
            "Continuous batching ran {mean} sequences per step on average (p90 {p90}, limit {limit}); the KV cache was {kvUse} full on average of {kvTokens} tokens.",
            ("mean", Show(r.Occupancy.BatchSize.Mean, 1)), ("p90", Show(r.Occupancy.BatchSize.P90, 0)), ("limit", N(r.Engine.MaxNumSeqs)), ("kvUse", Show(r.Occupancy.KvUse.Mean * 100, 0) + "%"), ("kvTokens", N(r.Occupancy.KvTokens))));
        list.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        return list;
    }

    /// <summary>One finding per target the run missed, with the floor the hardware sets when the target is below it.</summary>
    public static IEnumerable<Finding> TargetFindings(ServingResult r)
    {
        var t = r.Targets;
        foreach (var (metric, target) in new[] { (ServingMetric.Ttft, t.Ttft), (ServingMetric.Tpot, t.Tpot), (ServingMetric.E2e, t.E2e) })
        {
            if (target is not { } goal || r.Requests.Measured == 0)
            {
                continue;
            }
            var p = t.AtOf(metric).ToString();
            var value = r.Of(metric).At(t.AtOf(metric));
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
                        ? Phrase.Of("target-missed#tpot-floor", "; the target is below the {floor} step time at batch 1, so no load meets it on this replica ({capacity} lists what would)", ("floor", T(floor)), ("capacity", CommandRefs.Capacity))
                        : Phrase.Of("target-missed#e2e-floor", "; {output} output tokens at the {step} batch-1 step alone take {floor}, so no load meets it on this replica ({capacity} lists what would)",
                            ("output", Show(r.Workload.MeanOutput, 0)), ("step", T(r.DecodeStepAtBatch1)), ("floor", T(floor)), ("capacity", CommandRefs.Capacity))
                    : Phrase.Of("nothing", "");
                yield return Finding.Error("target-missed", "{metric} {percentile} is {value}, above the {goal} target{why}.",
                    ("metric", Name(metric)), ("percentile", p), ("value", T(value)), ("goal", T(goal)), ("why", why));
            }
        }
    }

    /// <summary>
    /// The note on a pipeline-parallel replica's scheduler caps (docs/methodology-steptime.md, "Pipeline micro-batches"),
    /// or null when <paramref name="layout"/> has no pipeline stages or <paramref name="engine"/> runs its stages one after
    /// another: vLLM V1's micro-batches share one scheduler, so <c>max_num_seqs</c> caps the whole replica while the token
    /// budget applies per micro-batch; TensorRT-LLM schedules each micro-batch within both caps. The replica's totals are
    /// the step model's (<see cref="ExpertParallelChoice.LimitScale"/>, <see cref="ExpertParallelChoice.TokenLimitScale"/>),
    /// so the note says what the simulation runs.
    /// </summary>
    /// <param name="layout">The replica's layout.</param>
    /// <param name="engine">The engine.</param>
    /// <param name="maxNumSeqs">Sequences one scheduler admits (the engine's setting, before any scaling).</param>
    /// <param name="maxBatchedTokens">Tokens one scheduler call admits per step (the engine's setting).</param>
    public static Finding? PipelineCaps(Layout layout, Engine engine, int maxNumSeqs, int maxBatchedTokens)
    {
        if (layout.Pp <= 1 || !PreparedStep.PipelinesMicroBatches(engine))
        {
            return null;
        }
        (string, object)[] args =
        [
            ("pp", Fmt.I($"{layout.Pp}")), ("maxNumSeqs", FieldNames.MaxNumSeqs), ("seqs", N(maxNumSeqs)), ("maxBatchedTokens", FieldNames.MaxBatchedTokens),
            ("tokens", N(maxBatchedTokens)), ("replicaSeqs", N((long)maxNumSeqs * ExpertParallelChoice.LimitScale(layout, engine))),
            ("replicaTokens", N((long)maxBatchedTokens * ExpertParallelChoice.TokenLimitScale(layout, engine))),
        ];
        return engine == Engine.Vllm
            ? Finding.Info("pipeline-caps#vllm",
                "PP={pp} on vLLM: the replica's {pp} pipeline micro-batches share one scheduler (vLLM V1), so max_num_seqs ({maxNumSeqs} {seqs}) caps the sequences of the whole replica, split over its micro-batches, while the token budget ({maxBatchedTokens} {tokens}) applies to each micro-batch: up to {replicaSeqs} sequences and {replicaTokens} tokens a round. TensorRT-LLM's cap applies to each micro-batch instead (docs/methodology-steptime.md, 'Pipeline micro-batches').",
                args)
            : Finding.Info("pipeline-caps#trtllm",
                "PP={pp} on TensorRT-LLM: each of the replica's {pp} pipeline micro-batches is scheduled within max_batch_size ({maxNumSeqs} {seqs}) and max_num_tokens ({maxBatchedTokens} {tokens}): up to {replicaSeqs} sequences and {replicaTokens} tokens a round. vLLM V1's max_num_seqs caps the whole replica instead, its micro-batches sharing one scheduler (docs/methodology-steptime.md, 'Pipeline micro-batches').",
                args);
    }

    /// <summary>The metric's display name.</summary>
    public static Phrase Name(ServingMetric m) => m switch
    {
        ServingMetric.Ttft => Phrase.Of("metric#ttft", "TTFT"),
        ServingMetric.Tpot => Phrase.Of("metric#tpot", "TPOT"),
        ServingMetric.E2e => Phrase.Of("metric#e2e", "End-to-end latency"),
        _ => Phrase.Of("metric#queue", "Queueing time"),
    };

    /// <summary>The offered load in words.</summary>
    public static Phrase Offered(Workload w) => w.Kind switch
    {
        ArrivalKind.Poisson => Phrase.Of("load#rate", "{rate} requests/s", ("rate", Show(w.RequestsPerSecond, 3))),
        ArrivalKind.ClosedLoop => Phrase.Of("load#clients", "{clients} concurrent clients", ("clients", N(w.Concurrency))),
        _ => Phrase.Of("load#trace", "the trace"),
    };

    /// <summary>A duration in ms below 1 s, else s.</summary>
    public static string T(Duration d) => d.Value < 1 ? $"{Show(d.InMilliseconds, d.InMilliseconds < 10 ? 1 : 0)} ms" : $"{Show(d.Value, 2)} s";

    internal static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Show(double v, int decimals) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
