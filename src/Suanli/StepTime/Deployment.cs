using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;

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
    /// <summary>
    /// The nodes the replica's devices sit in, when known with their network: a replica of more devices than one node
    /// hands activations between nodes at the server's scale-out bandwidth (<see cref="NodeLinks"/>). Null: every link is
    /// the device's own interconnect, as for a replica within one node.
    /// </summary>
    public NodeLinks? Nodes { get; init; }

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
/// <param name="PrefillSequences">Pipeline micro-batches the step's <paramref name="PrefillTokens"/> are spread over: the
/// prompts they belong to, or more where one micro-batch's token budget cannot hold them (1 unless the caller counts
/// them). Only a pipeline-parallel replica uses it: the prompt tokens sit in that many micro-batches and the others carry
/// decodes only (<see cref="PreparedStep.MicroBatches"/>; docs/methodology-steptime.md, "Pipeline micro-batches").</param>
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

/// <summary>
/// The nodes a replica is placed on: <paramref name="DevicesPerNode"/> devices joined by the device's own interconnect
/// (NVLink), and <paramref name="ScaleOut"/> per device and direction between nodes (the server's network, one
/// 400 Gb/s NIC per GPU on DGX H100: 50 GB/s). Devices are placed in order: pipeline stage s holds devices
/// s x StageDevices onwards, so a stage boundary that falls on a node boundary crosses the network
/// (docs/methodology-serving.md, "Replicas across nodes").
/// </summary>
/// <param name="DevicesPerNode">Devices of one node.</param>
/// <param name="ScaleOut">Network bandwidth between nodes per device, each direction.</param>
public sealed record NodeLinks(int DevicesPerNode, ByteRate ScaleOut)
{
    /// <summary>The links of <paramref name="server"/>'s nodes, or null when the catalog gives no scale-out bandwidth for it.</summary>
    public static NodeLinks? Of(Server? server) =>
        server is { ScaleOutBandwidth: { } b } && server.DevicesPerNode > 0 ? new NodeLinks(server.DevicesPerNode, b) : null;

    /// <summary>
    /// The links of the catalog's largest server for <paramref name="device"/> (most devices per node, the node size the
    /// whole-system split uses, <see cref="SystemLayouts.NodeSize"/>), or null when it has none or gives no scale-out bandwidth.
    /// </summary>
    public static NodeLinks? ForDevice(SuanliCatalog catalog, Device device) => catalog.ServersFor(device) is { Count: > 0 } servers ? Of(servers[^1]) : null;

    /// <summary><paramref name="deployment"/> placed on its device's nodes (<see cref="ForDevice"/>), or as it is when their network is unknown.</summary>
    public static Deployment Place(Deployment deployment, SuanliCatalog catalog) => deployment with { Nodes = ForDevice(catalog, deployment.Device) };

    /// <summary>Nodes a replica of <paramref name="layout"/> occupies.</summary>
    public int NodesOf(Layout layout) => Layouts.NodesOf(layout, DevicesPerNode);

    /// <summary>
    /// Pipeline hand-offs of <paramref name="layout"/> that cross from one node to the next: the boundaries after stage
    /// s (1 to PP - 1) whose first device s x StageDevices starts a node, or every boundary when a stage is wider than a node.
    /// </summary>
    public int CrossNodeHandoffs(Layout layout)
    {
        var crossings = 0;
        for (var s = 1; s < layout.Pp; s++)
        {
            if (layout.StageDevices > DevicesPerNode || s * layout.StageDevices % DevicesPerNode == 0)
            {
                crossings++;
            }
        }
        return crossings;
    }

    /// <summary>True when one pipeline stage's tensor-parallel (or expert-parallel) group spans two nodes, so its collectives cross the network.</summary>
    public bool GroupCrossesNodes(Layout layout) => Layouts.GroupCrossesNodes(layout, DevicesPerNode);
}
