using System.Globalization;
using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Footprint;

/// <summary>What to size: a model, its weight and KV formats, and the batch x context the engine must hold.</summary>
/// <param name="Model">The model.</param>
/// <param name="Weights">Weight formats (routed experts and the rest).</param>
/// <param name="Kv">KV-cache format.</param>
/// <param name="Context">Tokens per sequence (prompt plus output), 1 to 10,000,000.</param>
/// <param name="Batch">Sequences held at once, 1 to 100,000.</param>
/// <param name="Reserve">Engine reserve and chunk size.</param>
public sealed record FootprintRequest(ModelEntry Model, WeightPrecision Weights, NumberFormat Kv, int Context, int Batch, RuntimeReserve Reserve)
{
    /// <summary>The largest context accepted; beyond it input is treated as a mistake.</summary>
    public const int MaxContext = 10_000_000;

    /// <summary>The largest batch accepted.</summary>
    public const int MaxBatch = 100_000;

    /// <summary>Checks ranges and returns the request.</summary>
    public FootprintRequest Validated()
    {
        Guard.InRange(Context, 1, MaxContext, FieldNames.Context);
        Guard.InRange(Batch, 1, MaxBatch, FieldNames.Batch);
        Guard.InRange(Reserve.MemoryUtilization, 0.05, 1.0, "gpu-memory-utilization");
        Guard.InRange(Reserve.PrefillChunkTokens, 1, MaxContext, "prefill chunk");
        if (!Weights.AppliesTo(Model.Architecture))
        {
            // A dense model has no routed experts, so experts+rest would silently mean the rest's format everywhere.
            throw new InputException(FieldNames.Precision, Phrase.Of("precision-mixed-dense",
                "Precision '{name}' for {field} names a format for routed experts, but {model} has none (a dense model). Use one format, e.g. {rest}.",
                ("name", Weights.Name), ("field", FieldNames.Precision), ("model", Model.Id), ("rest", Weights.Rest.Name)));
        }
        return this;
    }
}

/// <summary>Memory of one model copy serving batch x context, with every part shown (whole copy, all devices).</summary>
public sealed record MemoryEstimate
{
    /// <summary>Parameters counted from the architecture.</summary>
    public required double Parameters { get; init; }
    /// <summary>Weights in the chosen format (embeddings 16-bit unless the format quantizes them).</summary>
    public required Bytes Weights { get; init; }
    /// <summary>KV cache per token with full attention on every layer (sliding windows cap this for long contexts).</summary>
    public required Bytes KvPerToken { get; init; }
    /// <summary>KV cache for batch x context, sliding windows applied.</summary>
    public required Bytes Kv { get; init; }
    /// <summary>Activation peak of one prefill chunk plus the logits.</summary>
    public required Bytes Activation { get; init; }
    /// <summary>Runtime context and graphs (and, with a device, the utilisation reserve).</summary>
    public required Bytes Overhead { get; init; }
    /// <summary>Everything together.</summary>
    public Bytes Total => Weights + Kv + Activation + Overhead;
    /// <summary>The "1.2 x weights" rule from the articles, on the published (or counted) parameters in the chosen format.</summary>
    public required Bytes RuleOfThumb { get; init; }
}

/// <summary>Memory on each device of one layout.</summary>
/// <param name="Layout">The split.</param>
/// <param name="Weights">Weights on the fullest device.</param>
/// <param name="Kv">KV cache on that device for the request's batch x context.</param>
/// <param name="Activation">Activation peak on that device.</param>
/// <param name="Context">Runtime context on that device.</param>
/// <param name="Usable">Capacity times the utilisation limit.</param>
/// <param name="KvPerSequence">KV cache one sequence of the request's context needs on that device.</param>
public sealed record DeviceMemory(Layout Layout, Bytes Weights, Bytes Kv, Bytes Activation, Bytes Context, Bytes Usable, Bytes KvPerSequence)
{
    /// <summary>What the fullest device needs.</summary>
    public Bytes Needed => Weights + Kv + Activation + Context;

    /// <summary>True when it fits the usable memory.</summary>
    public bool Fits => Needed <= Usable;

    /// <summary>Memory left for KV once weights, activations and context are placed (negative when weights alone overflow).</summary>
    public Bytes FreeForKv => Usable - Weights - Activation - Context;

    /// <summary>
    /// Most sequences of the request's context that one replica holds: those that fit the fullest device, times the
    /// data-parallel attention ranks (each rank caches only its own sequences; 1 rank without data-parallel attention).
    /// </summary>
    public long MaxSequences => FreeForKv.Value <= 0 || KvPerSequence.Value <= 0 ? 0 : (long)Math.Floor(FreeForKv / KvPerSequence) * Layout.AttentionDp;
}

/// <summary>Whether and how a model fits a device type.</summary>
public sealed record FitResult
{
    /// <summary>The device.</summary>
    public required Device Device { get; init; }
    /// <summary>True when it fits on the requested device count.</summary>
    public required bool Fits { get; init; }
    /// <summary>Fewest devices with a fitting layout; null when none up to the search limit.</summary>
    public required int? MinDevices { get; init; }
    /// <summary>Fitting layouts on the fewest devices, then the smallest fitting pure tensor-parallel layout if that needs more.</summary>
    public required IReadOnlyList<DeviceMemory> Layouts { get; init; }
    /// <summary>What the fit found.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }
}

/// <summary>The memory formulas (docs/methodology.md, "Memory footprint").</summary>
public static partial class MemoryModel
{
    /// <summary>The most devices the layout search tries for one copy.</summary>
    public const int MaxDevicesSearched = 128;

    /// <summary>
    /// KV bytes per token on all softmax-attention layers: 2 x layers x KV heads x head dim x bytes (MLA: layers x (latent + rope dim)
    /// x bytes), plus DeepSeek Sparse Attention's indexer keys. Linear-attention layers keep no per-token cache. DeepSeek V4:
    /// what each further token adds once past the window, head dim x bytes x sum over layers of 1 / ratio, plus the CSA
    /// layers' indexer keys / 4.
    /// </summary>
    public static Bytes KvBytesPerToken(ModelArchitecture a, NumberFormat kv) =>
        a.Compressed is { } v4
            ? KvPerTokenPerLayer(a, kv, 1) * v4.Ratios.Sum(r => r == 0 ? 0 : 1.0 / r)
                + IndexerBytesPerTokenPerLayer(a) * (v4.LayersOf(CompressedAttention.IndexedRatio) / (double)CompressedAttention.IndexedRatio)
            : KvPerTokenPerLayer(a, kv, 1) * a.CachedWindowLayers + FullKvPerTokenPerLayer(a, kv, 1) * a.CachedFullLayers
                + IndexerBytesPerTokenPerLayer(a) * a.IndexerLayers;

    /// <summary>
    /// Bytes an indexer caches per token on one indexer layer. DeepSeek Sparse Attention: index_head_dim FP8 values plus one
    /// FP32 scale per 128 values (DeepSeek-V3.2-Exp inference/model.py: Indexer.k_cache float8_e4m3fn, k_scale_cache float32
    /// per block of 128). MiniMax Sparse Attention: index_head_dim values in the model's BF16, also under an FP8 KV cache (vLLM
    /// minimax_m3 MiniMaxM3SparseAttention.index_cache_torch_dtype). 0 without an indexer.
    /// </summary>
    public static Bytes IndexerBytesPerTokenPerLayer(ModelArchitecture a) => a.Sparse switch
    {
        null => Bytes.Zero,
        { Scheme: SparseAttention.MiniMaxScheme } m => Bytes.FromBytes(m.IndexHeadDim * MiniMaxIndexKeyBytesPerValue),
        { } d => Bytes.FromBytes(d.IndexHeadDim * 1.0 + Math.Ceiling(d.IndexHeadDim / IndexerScaleBlock) * 4.0),
    };

    /// <summary>Bytes per value of MiniMax Sparse Attention's cached index keys: the BF16 model dtype (vLLM minimax_m3).</summary>
    public const double MiniMaxIndexKeyBytesPerValue = 2;

    /// <summary>Values per FP32 scale in the DSA indexer's FP8 key cache (DeepSeek-V3.2-Exp inference/model.py, block_size 128).</summary>
    public const double IndexerScaleBlock = 128;

    /// <summary>
    /// Bytes per value of a linear-attention layer's recurrent state. vLLM keeps Gated DeltaNet and lightning-attention
    /// states in the model's dtype unless told otherwise (its mamba_ssm_cache_dtype defaults to "auto"): BF16, 2 bytes.
    /// </summary>
    public const double RecurrentStateBytesPerValue = 2;

    /// <summary>The constant-size state one sequence keeps in one linear-attention layer (split over TP ranks by value head).</summary>
    public static Bytes RecurrentStatePerLayer(ModelArchitecture a, int tp = 1) =>
        a.Linear is { } l ? Bytes.FromBytes(l.StateBytesPerLayer(RecurrentStateBytesPerValue) / Math.Min(tp, Math.Max(1, l.ValueHeads))) : Bytes.Zero;

    /// <summary>
    /// KV bytes one token adds in one softmax-attention layer on one device of a TP group: the layer's keys and values
    /// (MLA: the latent plus the rotary key, replicated on every rank) plus DeepSeek Sparse Attention's indexer keys.
    /// </summary>
    public static Bytes KvBytesPerTokenPerLayer(ModelArchitecture a, NumberFormat kv, int tp = 1) =>
        KvPerTokenPerLayer(a, kv, tp) + IndexerBytesPerTokenPerLayer(a);

    /// <summary>
    /// Bytes each further cached token adds to a sequence on the fullest device of a layout (the per-token part of
    /// <see cref="KvBytesPerSequence"/>: softmax layers and DSA indexer keys, without the constant linear-attention state).
    /// </summary>
    public static Bytes KvBytesPerCachedToken(ModelArchitecture a, NumberFormat kv, int tp = 1, int pp = 1) =>
        a.Compressed is not null
            ? KvBytesPerToken(a, kv) * (StageLayers(a, pp) / (double)a.Layers)
            : KvBytesPerSequence(a, kv, 1, tp, pp) - ConstantStatePerSequence(a, tp, pp);

    /// <summary>
    /// The constant-size state one sequence holds on the fullest device of a layout: linear-attention layers' recurrent state,
    /// or DeepSeek V4's full window of uncompressed entries on every layer in the KV format <paramref name="kv"/> (BF16 when
    /// not given; its compressed entries are the per-token part); 0 otherwise.
    /// </summary>
    public static Bytes ConstantStatePerSequence(ModelArchitecture a, int tp = 1, int pp = 1, NumberFormat? kv = null) =>
        a.Compressed is { } v4
            ? KvPerTokenPerLayer(a, kv ?? NumberFormat.Bf16, tp) * ((double)v4.Window * StageLayers(a, pp))
            : RecurrentStatePerLayer(a, tp) * Math.Min(StageLayers(a, pp), (int)Math.Ceiling((a.Linear?.Layers ?? 0) / (double)pp));

    /// <summary>
    /// KV bytes of one sequence of <paramref name="context"/> tokens: full-attention layers hold every token, sliding-window
    /// layers at most the window, linear-attention layers a constant state, and a DSA indexer its keys for every token.
    /// </summary>
    public static Bytes KvBytesPerSequence(ModelArchitecture a, NumberFormat kv, int context, int tp = 1, int pp = 1)
    {
        var layers = StageLayers(a, pp);
        if (a.Compressed is { } v4)
        {
            // Window and compressed entries on every layer, indexer keys on the CSA layers; a stage holds its share of the layers.
            var stageShare = layers / (double)a.Layers;
            return (KvPerTokenPerLayer(a, kv, tp) * v4.CachedEntries(context) + IndexerBytesPerTokenPerLayer(a) * v4.IndexedEntries(context)) * stageShare;
        }
        var linear = Math.Min(layers, (int)Math.Ceiling((a.Linear?.Layers ?? 0) / (double)pp));
        var windowedAll = a.Window is null ? 0 : Math.Min(a.SoftmaxLayers, a.Window.Layers);
        var windowed = Math.Min(layers - linear, (int)Math.Ceiling(windowedAll / (double)pp));
        var full = layers - linear - windowed;
        if (a.SharedKv is { } shared)
        {
            // The sharing layers are the last ones and cache nothing: the fullest stage holds at most the unshared layers,
            // windowed and full in the proportion of the unshared ones.
            var cached = Math.Min(layers, a.Layers - shared.Layers);
            windowed = Math.Min(cached, (int)Math.Ceiling(a.CachedWindowLayers * cached / (double)Math.Max(1, a.Layers - shared.Layers)));
            full = cached - windowed;
        }
        var windowTokens = a.Window is { } w ? Math.Min(context, w.Length) : context;
        // Index keys: every token on each indexer layer of the stage (IndexShare's sharing layers keep none).
        var indexers = Math.Min(full, (int)Math.Ceiling(a.IndexerLayers / (double)pp));
        return FullKvPerTokenPerLayer(a, kv, tp) * ((double)full * context) + KvPerTokenPerLayer(a, kv, tp) * ((double)windowed * windowTokens)
            + IndexerBytesPerTokenPerLayer(a) * ((double)indexers * context) + RecurrentStatePerLayer(a, tp) * linear;
    }

    /// <summary>The memory of one copy on one device (no split), with the runtime context but no utilisation reserve.</summary>
    public static MemoryEstimate Estimate(FootprintRequest request)
    {
        var r = request.Validated();
        var a = r.Model.Architecture;
        var on1 = OnDevice(r, Layout.Single, Bytes.Zero, 1.0);
        var parameters = ParameterCount.Of(a).Total(a);
        return new MemoryEstimate
        {
            Parameters = parameters,
            Weights = WeightBytes(r.Model, r.Weights),
            KvPerToken = KvBytesPerToken(a, r.Kv),
            Kv = KvBytesPerSequence(a, r.Kv, r.Context) * r.Batch,
            Activation = on1.Activation,
            Overhead = r.Reserve.ContextPerDevice,
            RuleOfThumb = RuleOfThumb(r.Model.PublishedParameters ?? parameters, a, r.Weights),
        };
    }

    /// <summary>Memory on the fullest device of a layout.</summary>
    public static DeviceMemory OnDevice(FootprintRequest r, Layout layout, Bytes capacity, double memoryUtilization)
    {
        var a = r.Model.Architecture;
        var p = ParameterCount.Of(a);
        var stage = StageLayers(a, layout.Pp);
        var blockBytes = (WeightBytes(a, r.Weights).Value - EdgeBytes(p, r.Weights.Rest)) / a.Layers;
        var edge = layout.Pp == 1
            ? EdgeBytes(p, r.Weights.Rest)
            : Math.Max(p.Embedding + p.PerLayerEmbedding, p.LmHead == 0 ? p.Embedding : p.LmHead) * EdgeBytesPerValue(r.Weights.Rest);
        // Routed experts spread over every device of the stage (TP x attention DP); the rest over the attention TP group,
        // replicated on each data-parallel attention rank (docs/methodology.md, "Data-parallel attention"); experts that do
        // not divide over the stage take ceil(E / G) slots on every device, some of them redundant copies (Layouts.ExpertSlotScale).
        var routed = RoutedExpertBytesPerLayer(a, r.Weights.Experts).Value * a.MoeLayers / a.Layers * stage;
        var routedPerDevice = routed / layout.StageDevices * Layouts.ExpertSlotScale(a, layout);
        var weights = Bytes.FromBytes(((blockBytes * stage - routed + edge) / layout.Tp + routedPerDevice) * CheckpointScale(r.Model, r.Weights));
        var perSequence = KvBytesPerSequence(a, r.Kv, r.Context, layout.Tp, layout.Pp);
        // Each data-parallel attention rank holds the KV of its own share of the sequences.
        var kv = perSequence * Math.Ceiling(r.Batch / (double)layout.AttentionDp);
        var activation = ActivationPeak(a, r, layout.Tp);
        var usable = capacity * memoryUtilization;
        return new DeviceMemory(layout, weights, kv, activation, r.Reserve.ContextPerDevice, usable, perSequence);
    }

    /// <summary>
    /// Activation peak of one prefill chunk on one device: chunk tokens x (4 x hidden + 2 x MLP width per device) x 2 bytes
    /// for the live residual, attention and MLP intermediates, plus FP32 logits for the sequences sampled in the step.
    /// </summary>
    public static Bytes ActivationPeak(ModelArchitecture a, FootprintRequest r, int tp)
    {
        double chunk = Math.Min(r.Reserve.PrefillChunkTokens, (long)r.Context * r.Batch);
        double mlpWidth = a.Moe is { } m
            ? (double)m.ActiveExperts * m.ExpertIntermediateSize + m.SharedIntermediateSize
            : a.IntermediateSize;
        if (a.Moe is not null)
        {
            mlpWidth = Math.Max(mlpWidth, a.DenseMlpLayers > 0 ? a.IntermediateSize : 0);
        }
        var hiddenBytes = chunk * (4.0 * a.HiddenSize + 2.0 * mlpWidth / tp) * 2.0;
        var sampled = Math.Min(r.Batch, chunk);
        var logits = sampled * a.VocabSize * 4.0;
        return Bytes.FromBytes(hiddenBytes + logits);
    }

    /// <summary>
    /// Finds the fewest devices of a type that hold the request, trying every valid layout on 1, 2, 3... devices.
    /// <paramref name="devices"/> is the count the user has; <see cref="FitResult.Fits"/> answers for it.
    /// </summary>
    public static FitResult Fit(FootprintRequest request, Device device, int devices = 1)
    {
        var r = request.Validated();
        Guard.InRange(devices, 1, MaxDevicesSearched, FieldNames.Devices);
        var a = r.Model.Architecture;
        var findings = new List<Finding>();
        int? min = null;
        var layouts = new List<DeviceMemory>();
        var fitsRequested = false;
        DeviceMemory? widestTp = null;
        for (var n = 1; n <= MaxDevicesSearched; n++)
        {
            var fitting = Layouts.On(a, n)
                .Select(l => OnDevice(r, l, device.Memory, r.Reserve.MemoryUtilization))
                .Where(m => m.Fits)
                .ToList();
            if (n == devices)
            {
                fitsRequested = fitting.Count > 0;
            }
            if (fitting.Count > 0 && min is null)
            {
                min = n;
                layouts.AddRange(fitting);
            }
            if (min is not null && widestTp is null)
            {
                widestTp = fitting.FirstOrDefault(m => m.Layout.Pp == 1);
            }
            if (min is not null && widestTp is not null && n >= devices)
            {
                break;
            }
        }
        if (widestTp is not null && !layouts.Contains(widestTp))
        {
            layouts.Add(widestTp);
        }

        if (min is null)
        {
            findings.Add(Finding.Error("does-not-fit#anywhere",
                "{model} in {weights} with {batch} x {context} tokens does not fit on up to {max} x {device} in any valid layout. {remedy}",
                ("model", r.Model.Id), ("weights", r.Weights.ToString()), ("batch", Fmt.I($"{r.Batch}")), ("context", Fmt.I($"{r.Context}")), ("max", Fmt.I($"{MaxDevicesSearched}")),
                ("device", device.Id), ("remedy", WhatWouldFit(r, device))));
        }
        else
        {
            if (!fitsRequested)
            {
                findings.Add(Finding.Error("does-not-fit",
                    "{model} does not fit on {devices} x {device}: it needs at least {min} ({layout}).",
                    ("model", r.Model.Id), ("devices", Fmt.I($"{devices}")), ("device", device.Id), ("min", Fmt.I($"{min}")), ("layout", Describe(layouts[0]))));
            }
            var invalidTp = InvalidTensorParallel(a, min.Value);
            if (invalidTp is not null)
            {
                findings.Add(Finding.Info("tensor-parallel-invalid", "TP={min} is not a valid split: {problem}; {min} devices work only as pipeline stages.", ("min", Fmt.I($"{min}")), ("problem", invalidTp)));
            }
            var first = layouts[0];
            findings.Add(Finding.Info("kv-capacity",
                "On {layout} the fullest device has {free} for KV cache: {sequences} sequences of {context} tokens.",
                ("layout", Describe(first)), ("free", Gib(first.FreeForKv) + " GiB"), ("sequences", first.MaxSequences.ToString("N0", CultureInfo.InvariantCulture)),
                ("context", r.Context.ToString("N0", CultureInfo.InvariantCulture))));
        }
        return new FitResult { Device = device, Fits = fitsRequested, MinDevices = min, Layouts = layouts, Findings = findings };
    }

    /// <summary>Concrete alternatives for a request that fits nowhere: narrower formats, then fewer sequences.</summary>
    private static Phrase WhatWouldFit(FootprintRequest r, Device device)
    {
        var options = new List<Phrase>();
        var bits = MeanBitsPerWeight(r.Model.Architecture, r.Weights);
        foreach (var format in new[] { NumberFormat.Fp8, NumberFormat.Int4 }.Where(f => f.BitsPerValue < bits))
        {
            var kv = NumberFormat.KvFor(format, null);
            var alt = r with { Weights = format, Kv = kv.BitsPerValue < r.Kv.BitsPerValue ? kv : r.Kv };
            if (MinDevices(alt, device) is { } n)
            {
                options.Add(Phrase.Of("would-fit#format", "{format} weights fit on {devices} devices", ("format", format.ToString()), ("devices", Fmt.I($"{n}"))));
            }
        }
        for (var batch = r.Batch / 2; batch >= 1; batch /= 2)
        {
            if (MinDevices(r with { Batch = batch }, device) is { } n)
            {
                options.Add(Phrase.Of("would-fit#batch", "a batch of {batch} fits on {devices} devices", ("batch", Fmt.I($"{batch}")), ("devices", Fmt.I($"{n}"))));
                break;
            }
        }
        return options.Count > 0
            ? Phrase.Of("would-fit", "What would fit on {device}: {options}; or use a device with more memory.", ("device", device.Id), ("options", new PhraseList(options, "semicolon")))
            : Phrase.Of("would-fit#nothing", "Use a shorter context, a device with more memory, or a smaller model.");
    }

    private static int? MinDevices(FootprintRequest r, Device device)
    {
        for (var n = 1; n <= MaxDevicesSearched; n++)
        {
            if (Layouts.On(r.Model.Architecture, n).Any(l => OnDevice(r, l, device.Memory, r.Reserve.MemoryUtilization).Fits))
            {
                return n;
            }
        }
        return null;
    }

    private static Phrase? InvalidTensorParallel(ModelArchitecture a, int n) => Layouts.TensorParallelProblem(a, n);

    private static Phrase Describe(DeviceMemory m) =>
        Phrase.Of("layout-devices", "{devices} devices, {layout}", ("devices", Fmt.I($"{m.Layout.Devices}")), ("layout", m.Layout.ToString()));

    private static string Gib(Bytes b) => b.InGibibytes.ToString("0.0", CultureInfo.InvariantCulture);

    private static int StageLayers(ModelArchitecture a, int pp) => (int)Math.Ceiling(a.Layers / (double)pp);

    private static Bytes KvPerTokenPerLayer(ModelArchitecture a, NumberFormat kv, int tp)
    {
        if (a.Mla is { } m)
        {
            // The latent and the shared rotary key are cached once per token and replicated on every TP rank.
            return Bytes.FromBytes((m.KvLoraRank + m.QkRopeHeadDim) * kv.BytesPerValue);
        }
        if (a.Compressed is not null)
        {
            // DeepSeek V4 caches one vector per entry that serves as both key and value, replicated on every TP rank.
            return Bytes.FromBytes(a.HeadDim * kv.BytesPerValue);
        }
        var kvHeads = a.KvHeads >= tp ? a.KvHeads / (double)tp : 1.0;
        return Bytes.FromBytes(2.0 * kvHeads * a.HeadDim * kv.BytesPerValue);
    }

    /// <summary>
    /// KV bytes one token adds in one full-attention layer on one TP rank: the windowed layers' unless the full layers have
    /// their own widths (Gemma 4: keys and values of global_head_dim on num_global_key_value_heads).
    /// </summary>
    public static Bytes FullKvPerTokenPerLayer(ModelArchitecture a, NumberFormat kv, int tp = 1)
    {
        if (a.Global is not { } g || a.Mla is not null || a.Compressed is not null)
        {
            return KvPerTokenPerLayer(a, kv, tp);
        }
        var kvHeads = g.KvHeads >= tp ? g.KvHeads / (double)tp : 1.0;
        return Bytes.FromBytes(2.0 * kvHeads * g.HeadDim * kv.BytesPerValue);
    }
}
