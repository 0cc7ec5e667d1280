using System.Globalization;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>
/// The analytic capacity estimate the search prunes with (docs/methodology-cost.md, "Analytic capacity"): decode
/// at the largest batch that both fits the KV cache and keeps the decode step within the TPOT target, plus one
/// prefill per request. With the step-time model's times as floors, it is an optimistic bound: a simulator that
/// adds queueing and prefill interference finds less capacity and more latency, never more and less.
/// </summary>
public static class AnalyticCapacityBound
{
    /// <summary>
    /// Estimates one replica: infeasible when the model does not fit with one sequence, when the decode step at
    /// batch 1 already exceeds the TPOT target, or when one prefill exceeds the TTFT target.
    /// </summary>
    /// <param name="model">Step-time model.</param>
    /// <param name="c">Candidate.</param>
    /// <param name="t">Application.</param>
    /// <param name="reserve">Engine memory reserve.</param>
    /// <param name="maxBatch">Largest batch considered (the engine's max-num-seqs).</param>
    public static SearchEvaluation Estimate(IStepTimeModel model, SearchCandidate c, ServiceTarget t, RuntimeReserve reserve, int maxBatch)
    {
        var context = t.InputTokens + t.OutputTokens;
        var request = new FootprintRequest(c.Model, c.Weights, c.Kv, Math.Min(context, FootprintRequest.MaxContext), 1, reserve);
        var memory = MemoryModel.OnDevice(request, c.Layout, c.Device.Memory, reserve.MemoryUtilization);
        if (memory.MaxSequences < 1)
        {
            return SearchEvaluation.No("does-not-fit", Phrase.Of("reject#does-not-fit",
                "{model} in {weights} needs {need} per device on {devices} x {device} ({layout}) before any KV cache, and {usable} is usable",
                ("model", c.Model.Id), ("weights", c.Weights.Name), ("need", Gib(memory.Weights + memory.Activation + memory.Context) + " GiB"),
                ("devices", c.Layout.Devices.ToString(CultureInfo.InvariantCulture)), ("device", c.Device.Id), ("layout", c.Layout.ToString()), ("usable", Gib(memory.Usable) + " GiB")));
        }
        var deployment = c.Deployment;
        var batchCap = (int)Math.Min(memory.MaxSequences, maxBatch);
        var meanContext = t.InputTokens + t.OutputTokens / 2.0;
        var one = model.Estimate(deployment, StepShape.Decode(1, meanContext)).Time;
        if (one > t.TpotTarget)
        {
            return SearchEvaluation.No("tpot", Phrase.Of("reject#tpot",
                "one decode step at batch 1 takes {step} on {devices} x {device} ({layout}), over the {target} TPOT target",
                ("step", Ms(one) + " ms"), ("devices", c.Layout.Devices.ToString(CultureInfo.InvariantCulture)), ("device", c.Device.Id), ("layout", c.Layout.ToString()),
                ("target", Ms(t.TpotTarget) + " ms")));
        }
        // Tokens the prefix cache holds are not prefilled (simulate's --prefix-hit-rate, a scenario's prefix_hit_rate).
        var prefill = model.Estimate(deployment, StepShape.Prefill(t.PrefilledTokens)).Time;
        if (prefill > t.TtftTarget)
        {
            return SearchEvaluation.No("ttft", Phrase.Of("reject#ttft",
                "prefilling {tokens} tokens takes {prefill}, over the {target} TTFT target",
                ("tokens", t.PrefilledTokens.ToString(CultureInfo.InvariantCulture)), ("prefill", Ms(prefill) + " ms"), ("target", Ms(t.TtftTarget) + " ms")));
        }
        var (lo, step) = LargestBatchWithin(model, deployment, meanContext, 1, batchCap, one, t.TpotTarget);
        var secondsPerRequest = prefill.Value + t.OutputTokens * step.Value / lo;
        return SearchEvaluation.Ok(1.0 / secondsPerRequest, prefill, step, lo);
    }

    /// <summary>
    /// The bound the search prunes with: <see cref="Estimate"/>'s checks and batch, but capacity 1 / max(prefill,
    /// output tokens x step(B) / B) instead of 1 / (prefill + output x step(B) / B). A chunked-prefill engine (the
    /// serving simulator, vLLM V1) runs prompt chunks inside memory-bound decode steps, so the two phases overlap and
    /// the additive estimate is not an upper bound; neither phase can go faster than it does alone, so the maximum is.
    /// The batch may grow to what a paged KV cache holds when every sequence has only its prompt.
    /// </summary>
    public static SearchEvaluation Bound(IStepTimeModel model, SearchCandidate c, ServiceTarget t, RuntimeReserve reserve, int maxBatch)
    {
        var e = Estimate(model, c, t, reserve, maxBatch);
        if (!e.Feasible)
        {
            return e;
        }
        // A paged KV cache holds each running sequence's tokens so far, not its whole context: at least its prompt
        // plus one token, so that many sequences is the most the cache can ever hold. Blocks of a shared prefix are
        // held once (the simulator charges them to no sequence), so only the uncached prompt counts.
        var request = new FootprintRequest(c.Model, c.Weights, c.Kv, Math.Min(t.PrefilledTokens + 1, FootprintRequest.MaxContext), 1, reserve);
        var room = MemoryModel.OnDevice(request, c.Layout, c.Device.Memory, reserve.MemoryUtilization).MaxSequences;
        var meanContext = t.InputTokens + t.OutputTokens / 2.0;
        var deployment = c.Deployment;
        var (lo, step) = LargestBatchWithin(model, deployment, meanContext, e.MaxBatch, (int)Math.Max(e.MaxBatch, Math.Min(room, maxBatch)),
            model.Estimate(deployment, StepShape.Decode(e.MaxBatch, meanContext)).Time, t.TpotTarget);
        // Prompts prefill together in chunks of up to BoundChunkTokens, so one prompt's share of prefill time is the
        // per-token time of a full chunk, not the time of the prompt alone (which reads every weight for it); the
        // chunk is modelled as one long sequence, whose attention costs more per token, hence the smaller of the two.
        // An engine that pipelines (PreparedStep.PipelinesMicroBatches) keeps up to PP micro-batches of prompts on its
        // stages at once, and a round of them takes at least PP x its busiest stage, which is at least 1/PP of one
        // micro-batch's way through all stages: so a prompt's share is at least 1/PP of what it is alone.
        var micro = PreparedStep.PipelinesMicroBatches(c.Engine) ? Math.Max(1, c.Layout.Pp) : 1;
        var chunk = model.Estimate(deployment, StepShape.Prefill(BoundChunkTokens)).Time.Value / BoundChunkTokens;
        var prefillShare = Math.Min(chunk * t.PrefilledTokens, e.Ttft.Value) / micro;
        var secondsPerRequest = Math.Max(prefillShare, t.OutputTokens * step.Value / lo);
        // Latency floors: no request's first token comes before its prefill alone, and no token gap is shorter
        // than a decode step at batch 1.
        var floor = model.Estimate(deployment, StepShape.Decode(1, meanContext)).Time;
        return SearchEvaluation.Ok(1.0 / secondsPerRequest, e.Ttft, floor, lo);
    }

    /// <summary>
    /// The batch limit the bound never goes below: 1,024, vLLM's max_num_seqs on large devices (docs/methodology-serving.md),
    /// the fixed limit of the bound before it took each candidate's engine cap.
    /// </summary>
    public const int DefaultBatchLimit = 1024;

    /// <summary>
    /// Largest batch the optimizer's bound considers for <paramref name="c"/>: at least what the simulated engine can run,
    /// so that the bound stays above it. The engine's cap, stated (the application's max_num_seqs) or assumed (its
    /// default on the device, <see cref="SchedulerDefaults"/>: TensorRT-LLM's max_batch_size 2,048; for llama.cpp, whose
    /// planned slots <c>EngineConfig.Planned</c> sets up to its token budget, that budget), and no less than
    /// <see cref="DefaultBatchLimit"/>, times the schedulers one replica runs (<see cref="ExpertParallelChoice.LimitScale"/>:
    /// each data-parallel attention rank and each TensorRT-LLM pipeline micro-batch applies the cap, as <c>ServingSimulator</c> does),
    /// within <see cref="FootprintRequest.MaxBatch"/>. A fixed 1,024 left a stated 4,096, TensorRT-LLM's 2,048, or 8
    /// attention ranks of 256 with more capacity than their bound, so pruning could skip a cheaper plan.
    /// </summary>
    public static int BatchLimit(StatedCaps caps, SearchCandidate c)
    {
        var assumed = SchedulerDefaults.For(c.Engine, c.Device);
        var cap = caps.MaxNumSeqs ?? (c.Engine == Engine.LlamaCpp ? assumed.MaxBatchedTokens : assumed.MaxNumSeqs);
        return (int)Math.Min(FootprintRequest.MaxBatch, (long)Math.Max(DefaultBatchLimit, cap) * ExpertParallelChoice.LimitScale(c.Layout, c.Engine));
    }

    /// <summary>The largest prefill chunk an engine default batches (vLLM max_num_batched_tokens 8,192 on large devices; docs/methodology-serving.md).</summary>
    public const int BoundChunkTokens = 8192;

    private static string Gib(Bytes b) => b.InGibibytes.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Ms(Duration d) => d.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// The largest batch in [<paramref name="lo"/>, <paramref name="hi"/>] whose decode step meets the TPOT target, by
    /// bisection (the step time grows with the batch), with its step time; <paramref name="step"/> is the step at
    /// <paramref name="lo"/>.
    /// </summary>
    private static (int Batch, Duration Step) LargestBatchWithin(IStepTimeModel model, Deployment deployment, double meanContext, int lo, int hi,
        Duration step, Duration tpot)
    {
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            var s = model.Estimate(deployment, StepShape.Decode(mid, meanContext)).Time;
            if (s <= tpot)
            {
                lo = mid;
                step = s;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return (lo, step);
    }
}
