using Suanli.Catalog;
using Suanli.Footprint;

namespace Suanli.StepTime;

/// <summary>The serving engine class; efficiency curves and defaults are fitted per class.</summary>
public enum Engine
{
    /// <summary>vLLM (PagedAttention, continuous batching).</summary>
    Vllm,
    /// <summary>NVIDIA TensorRT-LLM.</summary>
    TrtLlm,
    /// <summary>SGLang.</summary>
    Sglang,
    /// <summary>llama.cpp (GGUF, batch-1 oriented).</summary>
    LlamaCpp,
    /// <summary>Plain Hugging Face transformers generate().</summary>
    Transformers,
}

/// <summary>One model copy on devices: what the step-time model evaluates.</summary>
/// <param name="Model">The model.</param>
/// <param name="Device">The device type.</param>
/// <param name="Layout">How the copy is split (devices = TP x PP).</param>
/// <param name="Weights">Weight formats (routed experts and the rest).</param>
/// <param name="Kv">KV-cache format.</param>
/// <param name="Engine">Engine class.</param>
public sealed record Deployment(ModelEntry Model, Device Device, Layout Layout, WeightPrecision Weights, NumberFormat Kv, Engine Engine)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model.Id} {Weights} on {Layout.Devices} x {Device.Id} ({Layout}, {Engine})";
}

/// <summary>
/// The work of one engine step: prefill tokens (possibly chunks of several prompts) mixed with one decode token
/// for each running sequence, as continuous-batching engines schedule it.
/// </summary>
/// <param name="PrefillTokens">New prompt tokens processed this step (0 for a pure decode step).</param>
/// <param name="PrefillContext">Mean tokens already cached for the sequences being prefilled (0 for fresh prompts; the chunk's own tokens attend to each other in addition).</param>
/// <param name="DecodeSequences">Sequences producing one output token this step.</param>
/// <param name="DecodeContext">Mean context (prompt plus output so far) of the decoding sequences.</param>
/// <param name="DecodeQueryLength">Query tokens per decoding sequence: 1 for ordinary decode, k + 1 when a speculative
/// step verifies k proposed tokens (each sequence's cached KV is still read once; arithmetic scales with the queries).</param>
/// <param name="PrefillSequences">Prompts the step's <paramref name="PrefillTokens"/> belong to (1 unless the caller counts
/// them). Only a pipeline-parallel replica uses it: a step's sequences fill at most one micro-batch each
/// (<see cref="PreparedStep.MicroBatches"/>).</param>
public readonly record struct StepShape(int PrefillTokens, double PrefillContext, int DecodeSequences, double DecodeContext, int DecodeQueryLength = 1,
    int PrefillSequences = 1)
{
    /// <summary>A pure prefill of one prompt of <paramref name="tokens"/> tokens.</summary>
    public static StepShape Prefill(int tokens) => new(tokens, 0, 0, 0);

    /// <summary>A pure decode step of <paramref name="batch"/> sequences at mean context <paramref name="context"/>.</summary>
    public static StepShape Decode(int batch, double context) => new(0, 0, batch, context);

    /// <summary>Tokens the step pushes through the weights.</summary>
    public int Tokens => PrefillTokens + DecodeSequences;
}

/// <summary>What limits a step.</summary>
public enum Bottleneck
{
    /// <summary>Arithmetic (prefill, large batches).</summary>
    Compute,
    /// <summary>Reading weights and KV cache (decode at small batch).</summary>
    MemoryBandwidth,
    /// <summary>Tensor-parallel all-reduce, pipeline hand-off or expert all-to-all.</summary>
    Communication,
    /// <summary>Fixed per-step cost (kernel launches, scheduling, sampling).</summary>
    Overhead,
}

/// <summary>The time of one step with its parts.</summary>
/// <param name="Time">Wall time of the step.</param>
/// <param name="Compute">Time the arithmetic would take alone (after efficiency).</param>
/// <param name="Memory">Time the memory traffic would take alone (after efficiency).</param>
/// <param name="Communication">Inter-device communication time.</param>
/// <param name="Overhead">Fixed per-step time.</param>
/// <param name="Bottleneck">The largest part.</param>
/// <param name="Flop">Arithmetic of the step, all devices.</param>
/// <param name="BytesMoved">Memory traffic of the step, all devices.</param>
public sealed record StepEstimate(
    Quantities.Duration Time, Quantities.Duration Compute, Quantities.Duration Memory, Quantities.Duration Communication,
    Quantities.Duration Overhead, Bottleneck Bottleneck, Quantities.Flop Flop, Quantities.Bytes BytesMoved);

/// <summary>Predicts step times; the serving simulator calls it once per simulated step.</summary>
public interface IStepTimeModel
{
    /// <summary>Time of one step of <paramref name="shape"/> on <paramref name="deployment"/>.</summary>
    StepEstimate Estimate(Deployment deployment, StepShape shape);

    /// <summary>
    /// Wall time of one step, exactly <see cref="Estimate"/>'s <see cref="StepEstimate.Time"/>; models override it to skip
    /// building the parts when only the time is needed (the serving simulator's step-time cache on a miss).
    /// </summary>
    Quantities.Duration Time(Deployment deployment, StepShape shape) => Estimate(deployment, shape).Time;
}
