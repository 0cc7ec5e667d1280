using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>
/// How a training job is split: tensor parallel (TP, within a node), pipeline stages (PP), data-parallel replicas
/// (DP), expert parallel (EP, experts spread over the data-parallel ranks) and the ZeRO stage (arXiv:1910.02054:
/// 1 shards optimizer states, 2 also gradients, 3 also weights, over the data-parallel ranks).
/// </summary>
/// <param name="Tp">Tensor-parallel degree.</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Dp">Data-parallel replicas.</param>
/// <param name="Ep">Expert-parallel degree (1 for dense models); divides Dp.</param>
/// <param name="ZeroStage">ZeRO stage 0 to 3.</param>
public sealed record TrainingLayout(int Tp, int Pp, int Dp, int Ep, int ZeroStage)
{
    /// <summary>Devices the job uses: TP x PP x DP.</summary>
    public int Devices => Tp * Pp * Dp;

    /// <inheritdoc />
    public override string ToString() => $"TP={Tp} PP={Pp} DP={Dp}" + (Ep > 1 ? $" EP={Ep}" : "") + $" ZeRO-{ZeroStage}";

    /// <summary>
    /// Checks a user's split against the model and device count: TP and PP as for serving (<see cref="Layouts.Validate"/>),
    /// devices divisible by TP x PP, EP dividing both the experts and DP, ZeRO stage 0 to 3.
    /// </summary>
    public static TrainingLayout Validate(ModelEntry model, int devices, int tp, int pp, int ep, int zeroStage)
    {
        Guard.InRange(devices, 1, TrainingPlanner.MaxDevices, FieldNames.Devices);
        if (zeroStage is < 0 or > 3)
        {
            throw new InputException(FieldNames.Zero, Phrase.Of("no-such-zero", "ZeRO stage {stage} does not exist; use 0 (none), 1 (optimizer states sharded), 2 (+ gradients) or 3 (+ weights, as FSDP FULL_SHARD).",
                ("stage", zeroStage.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        Layouts.Validate(model.Architecture, tp, pp, model.Id);
        if (devices % (tp * pp) != 0)
        {
            throw new InputException(FieldNames.Devices, Phrase.Of("devices-not-divisible", "{devices} devices do not divide into TP={tp} x PP={pp} = {replica}-device replicas; use a multiple of {replica}, e.g. {lower} or {higher}.",
                ("devices", Fmt.I($"{devices}")), ("tp", Fmt.I($"{tp}")), ("pp", Fmt.I($"{pp}")), ("replica", Fmt.I($"{tp * pp}")),
                ("lower", Fmt.I($"{Math.Max(1, devices / (tp * pp)) * tp * pp}")), ("higher", Fmt.I($"{(devices / (tp * pp) + 1) * tp * pp}"))));
        }
        var dp = devices / (tp * pp);
        Guard.InRange(ep, 1, 65_536, FieldNames.Ep);
        if (ep > 1)
        {
            if (model.Architecture.Moe is not { } moe)
            {
                throw new InputException(FieldNames.Ep, Phrase.Of("ep-on-dense", "{model} is dense; expert parallelism needs a mixture-of-experts model. Leave {ep} at 1.", ("model", model.Id), ("ep", FieldNames.Ep)));
            }
            if (moe.Experts % ep != 0 || dp % ep != 0)
            {
                throw new InputException(FieldNames.Ep, Phrase.Of("ep-not-dividing", "EP={ep} must divide both the {experts} experts and the {dp} data-parallel replicas.",
                    ("ep", Fmt.I($"{ep}")), ("experts", Fmt.I($"{moe.Experts}")), ("dp", Fmt.I($"{dp}"))));
            }
        }
        return new TrainingLayout(tp, pp, dp, ep, zeroStage);
    }
}

/// <summary>What a training job holds per device: model, method, sequence and micro-batch, recomputation, layout.</summary>
/// <param name="Model">The model.</param>
/// <param name="Layout">The split.</param>
/// <param name="Method">Full training, LoRA or QLoRA.</param>
/// <param name="SeqLen">Tokens per sequence.</param>
/// <param name="MicroBatch">Sequences per micro-batch per data-parallel rank.</param>
/// <param name="Recompute">Activation recomputation.</param>
/// <param name="LoraRank">Adapter rank for LoRA/QLoRA.</param>
public sealed record TrainingMemoryRequest(ModelEntry Model, TrainingLayout Layout, TrainingMethod Method, int SeqLen, int MicroBatch, Recompute Recompute, int LoraRank = 16);

/// <summary>Memory of the fullest device, by part.</summary>
/// <param name="Weights">Weights (16-bit; NF4 base for QLoRA).</param>
/// <param name="Gradients">Gradients (16-bit; adapters only for LoRA).</param>
/// <param name="Optimizer">Adam states: FP32 master weights, momentum and variance (12 bytes per trained parameter).</param>
/// <param name="Activations">Activations kept for the backward pass, plus FP32 logits.</param>
/// <param name="Overhead">CUDA context, communication buffers and allocator slack per device.</param>
/// <param name="Usable">Device memory the job may use.</param>
/// <param name="TrainedParameters">Parameters that receive gradients (all, or the adapters).</param>
public sealed record TrainingMemoryEstimate(Bytes Weights, Bytes Gradients, Bytes Optimizer, Bytes Activations, Bytes Overhead, Bytes Usable, double TrainedParameters)
{
    /// <summary>Everything on the fullest device.</summary>
    public Bytes Total => Weights + Gradients + Optimizer + Activations + Overhead;

    /// <summary>True when it fits the usable memory.</summary>
    public bool Fits => Total <= Usable;
}

/// <summary>
/// Per-device training memory (docs/methodology-training.md, "Memory"): mixed-precision Adam holds 2 + 2 + 12 = 16 bytes
/// per trained parameter (ZeRO, arXiv:1910.02054 section 3.1), activations follow Korthikanti et al. (arXiv:2205.05198).
/// </summary>
public static class TrainingMemory
{
    /// <summary>Bytes per parameter of 16-bit weights.</summary>
    public const double WeightBytes = 2;
    /// <summary>Bytes per parameter of 16-bit gradients.</summary>
    public const double GradientBytes = 2;
    /// <summary>Bytes per parameter of Adam states: FP32 master copy, momentum, variance (K = 12 in the ZeRO paper).</summary>
    public const double AdamBytes = 12;
    /// <summary>NF4 with double quantization: 4 bits + 0.127 bits of block constants (Dettmers et al. 2023, section 3).</summary>
    public const double Nf4Bits = 4.127;
    /// <summary>Fraction of device memory a training job can fill (the same 0.9 as the serving reserve: allocator fragmentation and NCCL buffers).</summary>
    public const double UsableFraction = 0.9;
    /// <summary>CUDA context and library workspaces per device.</summary>
    public static Bytes ContextPerDevice { get; } = Bytes.FromGibibytes(1);

    /// <summary>Memory on the fullest device (the first pipeline stage, which also holds the embedding).</summary>
    public static TrainingMemoryEstimate Estimate(TrainingMemoryRequest r, Bytes deviceMemory)
    {
        Guard.InRange(r.MicroBatch, 1, 100_000, FieldNames.MicroBatch);
        Guard.InRange(r.SeqLen, 1, 10_000_000, FieldNames.SeqLen);
        var a = r.Model.Architecture;
        var l = r.Layout;
        var (dense, expert) = ParametersPerDevice(a, l);
        var denseShards = (double)l.Dp;
        var expertShards = (double)l.Dp / l.Ep;
        double weights, grads, optimizer, trained;
        if (r.Method == TrainingMethod.Full)
        {
            weights = Shard(dense, denseShards, l.ZeroStage >= 3) + Shard(expert, expertShards, l.ZeroStage >= 3);
            grads = Shard(dense, denseShards, l.ZeroStage >= 2) + Shard(expert, expertShards, l.ZeroStage >= 2);
            optimizer = Shard(dense, denseShards, l.ZeroStage >= 1) + Shard(expert, expertShards, l.ZeroStage >= 1);
            weights *= WeightBytes;
            grads *= GradientBytes;
            optimizer *= AdamBytes;
            trained = ParameterCount.Of(a).Total(a);
        }
        else
        {
            var p = ParameterCount.Of(a);
            var edgeShare = (p.Embedding + p.LmHead) / p.Total(a);
            var baseBytesPerParam = r.Method == TrainingMethod.Qlora
                ? edgeShare * WeightBytes + (1 - edgeShare) * Nf4Bits / 8.0
                : WeightBytes;
            weights = Shard(dense + expert, denseShards, l.ZeroStage >= 3) * baseBytesPerParam;
            trained = TrainingCompute.AdapterParameters(a, r.LoraRank);
            var adapters = trained / (l.Tp * l.Pp);
            weights += Shard(adapters, denseShards, l.ZeroStage >= 3) * WeightBytes;
            grads = Shard(adapters, denseShards, l.ZeroStage >= 2) * GradientBytes;
            optimizer = Shard(adapters, denseShards, l.ZeroStage >= 1) * AdamBytes;
        }
        return new TrainingMemoryEstimate(
            Bytes.FromBytes(weights), Bytes.FromBytes(grads), Bytes.FromBytes(optimizer),
            Activations(a, r.SeqLen, r.MicroBatch, l.Tp, r.Recompute), ContextPerDevice,
            deviceMemory * UsableFraction, trained);
    }

    /// <summary>
    /// Activations one device keeps, in bytes. Per layer per micro-batch (Korthikanti et al. equation 2 with sequence
    /// parallelism, divided by TP): attention 11 sbh + 5 a s^2 b (the score matrix; dropped by selective recomputation),
    /// MLP 3 sbh + 4 sbI (plain) or 6 sbI (gated; I = intermediate width, the active experts' total for MoE; 4h gives
    /// the paper's 19 sbh), norms 4 sbh. Under 1F1B pipelining the first stage holds PP micro-batches of L/PP layers,
    /// i.e. L layers in all. Full recomputation keeps 2 sbh per layer plus one layer's working set. FP32 logits
    /// (4 sbV / TP) are added.
    /// </summary>
    public static Bytes Activations(ModelArchitecture a, int seqLen, int microBatch, int tp, Recompute recompute)
    {
        double s = seqLen, b = microBatch, h = a.HiddenSize, heads = a.Heads;
        var width = a.Moe is { } m ? (double)m.ActiveExperts * m.ExpertIntermediateSize + m.SharedIntermediateSize : a.IntermediateSize;
        if (a.Moe is not null && a.DenseMlpLayers > 0)
        {
            width = Math.Max(width, a.IntermediateSize);
        }
        var sbh = s * b * h;
        var mlp = 3 * sbh + (a.GatedMlp ? 6.0 : 4.0) * s * b * width;
        var linear = 11 * sbh + mlp + 4 * sbh;
        var scores = 5 * heads * s * s * b;
        var perLayer = (recompute == Recompute.None ? linear + scores : linear) / tp;
        var layers = recompute == Recompute.Full
            ? a.Layers * 2 * sbh / tp + perLayer
            : a.Layers * perLayer;
        var logits = 4.0 * s * b * a.VocabSize / tp;
        return Bytes.FromBytes(layers + logits);
    }

    /// <summary>Non-expert and routed-expert parameters on the fullest device before ZeRO sharding (first stage: its layers plus the embedding).</summary>
    public static (double Dense, double Expert) ParametersPerDevice(ModelArchitecture a, TrainingLayout l)
    {
        var p = ParameterCount.Of(a);
        var routed = MemoryModel.RoutedExpertParametersPerLayer(a) * a.MoeLayers;
        var blocks = p.Blocks(a) - routed;
        var stageLayers = Math.Ceiling(a.Layers / (double)l.Pp);
        var edge = l.Pp == 1 ? p.Embedding + p.LmHead + p.FinalNorm : Math.Max(p.Embedding, p.LmHead);
        var dense = (blocks / a.Layers * stageLayers + edge) / l.Tp;
        var expert = routed / a.Layers * stageLayers / (l.Tp * l.Ep);
        return (dense, expert);
    }

    private static double Shard(double parameters, double shards, bool sharded) => sharded ? parameters / shards : parameters;
}
