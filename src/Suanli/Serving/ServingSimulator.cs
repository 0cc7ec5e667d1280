using System.Globalization;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>
/// Discrete-event simulation of one replica of a continuous-batching engine (docs/methodology-serving.md,
/// "Engine model"): each step schedules one decode token for every running sequence, then continues chunked
/// prefills, then admits waiting prompts while the sequence limit, the token budget and the KV blocks allow; the
/// step takes the time the step-time model gives for that batch and context. Memory is bounded by the requests in
/// flight: per-request state lives in a pool of slots reused after completion, and percentiles use <see cref="Quantiles"/>.
/// </summary>
public static class ServingSimulator
{
    /// <summary>Simulates <paramref name="workload"/> on <paramref name="deployment"/>.</summary>
    /// <param name="deployment">The replica.</param>
    /// <param name="workload">The offered load.</param>
    /// <param name="engine">Scheduler and KV settings (see <see cref="EngineConfig.Default"/>).</param>
    /// <param name="model">The step-time model, evaluated once per step.</param>
    /// <param name="targets">Targets for goodput (null: none).</param>
    /// <param name="cancel">Stops the run (an <see cref="OperationCanceledException"/>) within a few thousand steps of being cancelled.</param>
    public static ServingResult Run(Deployment deployment, Workload workload, EngineConfig engine, IStepTimeModel model, ServingTargets? targets = null,
        CancellationToken cancel = default) => Run(deployment, workload, engine, model, targets, null, cancel);

    /// <summary>
    /// Simulates <paramref name="workload"/> with speculative decoding: each decode step verifies k + 1 tokens per
    /// sequence after k draft passes, and each sequence emits the expected tokens per step, carried deterministically
    /// (a running fraction per sequence, whole tokens emitted). A null <paramref name="speculation"/> is the ordinary run.
    /// </summary>
    public static ServingResult Run(Deployment deployment, Workload workload, EngineConfig engine, IStepTimeModel model, ServingTargets? targets,
        Speculation? speculation, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        engine = engine.Validated();
        if (engine.MaxBatchedTokens < engine.MaxNumSeqs)
        {
            throw new InputException(FieldNames.MaxBatchedTokens, Phrase.Of("batched-tokens-below-seqs",
                "{maxBatchedTokens} {tokens} is below {maxNumSeqs} {seqs}: every running sequence needs a token of the step budget; raise it to at least {seqs} (vLLM refuses the same setting).",
                ("maxBatchedTokens", FieldNames.MaxBatchedTokens), ("tokens", engine.MaxBatchedTokens.ToString(CultureInfo.InvariantCulture)),
                ("maxNumSeqs", FieldNames.MaxNumSeqs), ("seqs", engine.MaxNumSeqs.ToString(CultureInfo.InvariantCulture))));
        }
        var kvTokens = KvCapacity(deployment, engine, speculation);
        // Each attention rank's own scheduler applies the limits (TensorRT-LLM, vLLM); the KV pool above is already per rank.
        // vLLM V1 keeps one sequence cap for all pipeline micro-batches but a token budget for each (LimitScale, TokenLimitScale).
        var ranks = ExpertParallelChoice.LimitScale(deployment.Layout, deployment.Engine);
        var budgets = ExpertParallelChoice.TokenLimitScale(deployment.Layout, deployment.Engine);
        if (ranks > 1 || budgets > 1)
        {
            engine = engine with { MaxNumSeqs = engine.MaxNumSeqs * ranks, MaxBatchedTokens = engine.MaxBatchedTokens * budgets };
        }
        if (engine.Dispatch is { Replicas: > 1 } dispatch && engine.Batcher is null && workload.Kind == ArrivalKind.Poisson)
        {
            return ServingSimulation.RunDispatched(deployment, workload, engine, model, targets ?? ServingTargets.None, kvTokens, speculation, dispatch.Replicas, cancel);
        }
        var state = new ServingSimulation(deployment, workload, engine, model, targets ?? ServingTargets.None, kvTokens, speculation);
        return state.Run(cancel);
    }

    /// <summary>
    /// Tokens of KV cache one replica holds: the memory left on the fullest device once weights, the activation peak
    /// of one step and the runtime context are placed (<see cref="MemoryModel.OnDevice"/>; within the engine's share of
    /// the device, or, with <see cref="EngineConfig.KvFractionOfFreeMemory"/>, that share of what is left), divided by the KV bytes
    /// one token needs on that device, rounded down to whole blocks, times the data-parallel attention ranks (each
    /// holds its own sequences' KV). Throws when the weights do not fit.
    /// With <paramref name="speculation"/>, the draft's weights are placed too and every cached token also holds the
    /// draft's KV (<see cref="SpeculativeDecoding.Memory"/>): the engine pages the draft's cache with the target's.
    /// </summary>
    public static long KvCapacity(Deployment d, EngineConfig engine, Speculation? speculation = null)
    {
        var a = d.Model.Architecture;
        // A fraction of the free memory (TensorRT-LLM) is applied after weights, activations and context are placed on the
        // whole device; a fraction of the device (vLLM) bounds everything the engine places.
        var deviceShare = engine.KvFractionOfFreeMemory ? 1.0 : engine.GpuMemoryUtilization;
        var reserve = EngineConfig.ReserveFor(d.Engine, d.Device, engine.MaxBatchedTokens) with { MemoryUtilization = deviceShare };
        // The profile run sizes activations for one full token budget and logits for max_num_seqs sampled rows.
        var context = (int)Math.Ceiling(engine.MaxBatchedTokens / (double)engine.MaxNumSeqs);
        var request = new FootprintRequest(d.Model, d.Weights, d.Kv, Math.Max(1, context), engine.MaxNumSeqs, reserve);
        var onDevice = MemoryModel.OnDevice(request, d.Layout, d.Device.Memory, deviceShare);
        var perToken = MemoryModel.KvBytesPerCachedToken(a, d.Kv, d.Layout.Tp, d.Layout.Pp);
        // Hybrid models keep one constant-size linear-attention state (DeepSeek V4: its uncompressed window) per running sequence beside the paged cache:
        // room for max_num_seqs states is set aside, or for as many as half the free memory holds when that is fewer
        // (an approximation: the simulator does not cap running sequences by state slots).
        var state = MemoryModel.ConstantStatePerSequence(a, d.Layout.Tp, d.Layout.Pp, d.Kv);
        var slots = state.Value > 0 ? Math.Min(engine.MaxNumSeqs, Math.Floor(onDevice.FreeForKv.Value / 2 / state.Value)) : 0;
        var free = onDevice.FreeForKv - state * slots;
        var draft = speculation is null ? null : SpeculativeDecoding.Memory(d, speculation);
        if (draft is not null)
        {
            free -= draft.Weights;
            perToken += draft.KvPerToken;
        }
        if (engine.KvFractionOfFreeMemory && free.Value > 0)
        {
            free *= engine.GpuMemoryUtilization;
        }
        if (free.Value <= 0 || perToken.Value <= 0)
        {
            var withDraft = draft is null ? Phrase.Of("nothing", "") : Phrase.Of("draft-weights", " and {size} of {basis}", ("size", Gib(draft.Weights) + " GiB"), ("basis", draft.Basis));
            throw new InputException(FieldNames.Devices, Phrase.Of("no-kv-room",
                "{model} in {weights} does not fit on {devices} x {device} ({layout}): {weightBytes} of weights{withDraft} and {otherBytes} of activations and runtime per device against {usable} usable, leaving nothing for the KV cache. Use more devices, a lower precision or a device with more memory ({memory} lists the layouts that fit).",
                ("model", d.Model.Id), ("weights", d.Weights.ToString()), ("devices", d.Layout.Devices.ToString(CultureInfo.InvariantCulture)), ("device", d.Device.Id), ("layout", d.Layout.ToString()),
                ("weightBytes", Gib(onDevice.Weights) + " GiB"), ("withDraft", withDraft), ("otherBytes", Gib(onDevice.Activation + onDevice.Context) + " GiB"), ("usable", Gib(onDevice.Usable) + " GiB"), ("memory", CommandRefs.Memory)));
        }
        var blocks = (long)Math.Floor(free / perToken / engine.BlockSize);
        // Data-parallel attention: each rank caches its own sequences, so the replica holds one pool per rank.
        return blocks * engine.BlockSize * d.Layout.AttentionDp;
    }

    private static string Gib(Bytes b) => b.InGibibytes.ToString("0.0", CultureInfo.InvariantCulture);
}
