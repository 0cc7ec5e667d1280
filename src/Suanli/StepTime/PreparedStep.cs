using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.StepTime;

/// <summary>
/// One deployment with every per-step constant precomputed, so a step costs a few dozen multiplications
/// (the serving simulator calls it once per simulated step). Built by <see cref="CalibratedStepTimeModel.Prepare(Deployment)"/>.
/// All per-device quantities are for one tensor-parallel rank over all pipeline stages; with pipeline stages a step is
/// one round of micro-batches (PreparedStep.Pipeline.cs).
/// </summary>
/// <remarks>
/// Hot path (docs/benchmarks.md, <c>StepTimeBench.EstimatePrepared</c>): the constants are flat fields of doubles
/// and ints read by every evaluation, so the class holds more than the house's 20 fields on purpose
/// (ArchitectureTests allow-lists it). Grouping them into per-operator structs is possible, but it is a change of
/// layout to benchmark on its own, not part of splitting files.
/// </remarks>
public sealed partial class PreparedStep
{
    private const double ActivationBytesPerValue = 2.0;
    private const double LogitBytesPerValue = 4.0;

    // Per-device constants (one TP rank), weights in bytes, FLOP counts per token.
    private readonly double _peak, _datasheetPeak, _bandwidth, _linkBytesPerSecond, _restOverExpertPeak, _expertSlotScale;
    private readonly double _qkvWeights, _outWeights, _mlpWeights, _expertWeights, _sharedWeights, _lmHeadWeights;
    private readonly double _qkvParams, _outParams, _mlpParams, _expertParams, _sharedParams, _lmHeadParams;
    private readonly double _qkvAct, _outAct, _mlpAct, _expertAct, _normAct;
    private readonly double _attnFlopPerContext, _attnActPerToken, _kvPerTokenLayer;
    private readonly double _indexerFlopPerContext, _indexerPerTokenLayer, _linearFlopPerToken, _statePerLayer;
    private readonly int _linearLayers, _softmaxLayers, _topK, _sparseLayers, _indexerLayers;
    private readonly double _kvFullScale, _flopFullScale, _kvWriteLayers, _lookupValues;
    private readonly double _streamFlopPerLayer, _streamAct;
    private readonly CompressedAttention? _compressed;
    private readonly int _layers, _fullLayers, _windowLayers, _denseLayers, _moeLayers, _window, _experts, _activeExperts;
    private readonly int _tp, _pp, _dp, _group;
    private readonly double _hidden, _vocab;
    private readonly double _weightEffQkv, _weightEffOut, _weightEffMlp, _weightEffLm;
    private readonly double _matVecRows, _matVecEfficiency, _smallTileRows;
    private readonly StepTimeParameters _p;

    /// <summary>
    /// Most activation rows (tokens) a matrix multiplication may have for llama.cpp's CUDA/HIP backend to run it as a
    /// matrix-vector kernel (MMVQ for quantised weights, MMVF for float ones) instead of a tiled tensor-core GEMM:
    /// <c>#define MMVQ_MAX_BATCH_SIZE 8</c> (ggml-org/llama.cpp ggml/src/ggml-cuda/mmvq.cuh; docs/methodology-steptime.md,
    /// "Matrix-vector kernels").
    /// </summary>
    public const int LlamaCppMatVecMaxRows = 8;

    /// <summary>Prepares a deployment for a parameter set.</summary>
    public PreparedStep(Deployment deployment, StepTimeParameters parameters)
    {
        Deployment = deployment;
        Parameters = parameters;
        _p = parameters;
        var a = deployment.Model.Architecture;
        var d = deployment.Device;
        var l = deployment.Layout;
        _tp = l.Tp;
        _pp = l.Pp;
        _dp = Math.Max(1, l.AttentionDp);
        _group = _tp * _dp;
        var peak = PeakOf(d, deployment.Weights.Rest);
        // Routed experts run on their own format's matrix path: their arithmetic takes rest peak / experts peak times as long
        // per FLOP (exactly 1 when both parts share a path, so a uniform precision times as before).
        _restOverExpertPeak = peak.Value / PeakOf(d, deployment.Weights.Experts).Value;
        _datasheetPeak = peak.Value;
        // A board below its die's flagship power limit sustains less than its boost-clock peak (SustainedCompute).
        // Devices whose best GEMM reaches a smaller share of the datasheet than the reference's run the shared curve at
        // that ratio (AchievableMatmul, measured maximum achievable matmul FLOPS).
        _peak = peak.Value * SustainedCompute.Fraction(d) * AchievableMatmul.Fraction(d);
        // llama.cpp on a GPU multiplies by at most LlamaCppMatVecMaxRows tokens with matrix-vector kernels on the vector
        // units: each weight is read once and used once per row, so their arithmetic runs at the FP32 vector rate, not
        // on the tensor-core efficiency curve (whose small-row end describes tile waste these kernels do not have).
        if (deployment.Engine == Engine.LlamaCpp && CalibrationKeys.FamilyOf(d) == HardwareFamily.Gpu && d.PeakFor(ComputeType.Fp32) is { } vector)
        {
            _matVecRows = LlamaCppMatVecMaxRows;
            _matVecEfficiency = vector.Value / peak.Value;
        }
        _smallTileRows = SmallTileRowsOn(d);
        _bandwidth = d.MemoryBandwidth.Value;
        _expPerScore = (double)a.Heads / _tp;
        _expRate = SoftmaxExponentials.RateOf(d)?.Value ?? 0;
        // Catalog link figures add both directions (vendor convention); a ring collective sends one way per link.
        _linkBytesPerSecond = (d.Interconnect.Bandwidth?.Value ?? DefaultLinkBytesPerSecond) / 2.0;
        (_crossNodeHandoffs, _groupLinkBytesPerSecond, _scaleOutBytesPerSecond) = NodeSpan(deployment, _linkBytesPerSecond);

        var pc = ParameterCount.Of(a);
        var w = deployment.Weights.Rest.BytesPerValue;
        var edgeW = Footprint.MemoryModel.EdgeBytesPerValue(deployment.Weights.Rest);
        double h = a.HiddenSize;
        _hidden = h;
        _vocab = a.VocabSize;
        _lookupValues = h + (a.PerLayer is { } ple ? (double)ple.Width * a.Layers : 0);
        double tp = _tp;

        double qOut, kvOut, oIn;
        if (a.Compressed is { } v4)
        {
            // DeepSeek V4: one shared key-value vector per entry serves as key (scores over head dim) and value (head dim out),
            // replicated on every rank; the output projection may be grouped low-rank.
            _compressed = v4;
            qOut = (double)a.Heads * a.HeadDim;
            kvOut = a.HeadDim;
            oIn = qOut;
            _outParams = (a.LowRankOutput?.Parameters(oIn, h) ?? oIn * h) / tp;
            _attnFlopPerContext = 4.0 * a.Heads / tp * a.HeadDim;
            _kvPerTokenLayer = a.HeadDim * deployment.Kv.BytesPerValue;
        }
        else if (a.Mla is { } m)
        {
            qOut = (double)a.Heads * (m.QkNopeHeadDim + m.QkRopeHeadDim);
            kvOut = m.KvLoraRank + m.QkRopeHeadDim;
            oIn = (double)a.Heads * m.VHeadDim;
            _outParams = oIn * h / tp;
            // Absorbed MLA attends in the latent space: scores over latent + rope dims, values over the latent.
            _attnFlopPerContext = 2.0 * a.Heads / tp * (2.0 * m.KvLoraRank + m.QkRopeHeadDim);
            _kvPerTokenLayer = (m.KvLoraRank + m.QkRopeHeadDim) * deployment.Kv.BytesPerValue;
        }
        else
        {
            // Laguna's windowed layers have more query heads: projections at the mean width, attention via _windowHeadScale.
            qOut = a.MeanSoftmaxHeads * a.HeadDim;
            kvOut = 2.0 * a.KvHeads * a.HeadDim;
            oIn = qOut;
            _outParams = oIn * h / tp;
            _attnFlopPerContext = 4.0 * a.Heads / tp * a.HeadDim;
            var kvHeads = a.KvHeads >= _tp ? a.KvHeads / tp : 1.0;
            _kvPerTokenLayer = 2.0 * kvHeads * a.HeadDim * deployment.Kv.BytesPerValue;
        }
        // Gemma 4's full-attention layers cache and attend with their own widths: scales on the windowed layers' figures.
        _kvFullScale = Footprint.MemoryModel.FullKvPerTokenPerLayer(a, deployment.Kv, _tp).Value / Math.Max(_kvPerTokenLayer, double.Epsilon);
        _flopFullScale = a.Global is null ? 1.0 : a.FullHeadDim / (double)a.HeadDim;
        _windowHeadScale = a.WindowHeads / (double)a.Heads;
        // New tokens' keys and values are written on the layers that keep a cache (not Gemma 3n's KV-sharing ones).
        _kvWriteLayers = a.CachedWindowLayers + _kvFullScale * a.CachedFullLayers;
        // Token mixers averaged over the layers (softmax and linear attention); their output projections have the same shape.
        _qkvParams = (pc.Mixers(a) - pc.IdleKvProjections) / a.Layers / tp - _outParams;
        _qkvWeights = _qkvParams * w;
        _outWeights = _outParams * w;
        _qkvAct = ActivationBytesPerValue * (h + (qOut + kvOut) / tp);
        _outAct = ActivationBytesPerValue * (oIn / tp + h);
        _attnActPerToken = ActivationBytesPerValue * (qOut + oIn) / tp;

        _mlpParams = pc.DenseMlpPerLayer / tp;
        _mlpWeights = _mlpParams * w;
        var matrices = a.GatedMlp ? 3.0 : 2.0;
        _mlpAct = ActivationBytesPerValue * (2.0 * h + (matrices * a.IntermediateSize) / tp);
        if (a.Moe is { } e)
        {
            _experts = e.Experts;
            _activeExperts = e.ActiveExperts;
            // Routed experts are spread over every device of the stage (TP x attention DP); shared experts and the router
            // run with attention, split over the attention TP group and replicated on each data-parallel attention rank.
            // LatentMoE: experts in the latent width; vLLM keeps both latent projections whole on each TP rank (ReplicatedLinear).
            _expertInputWidth = e.ExpertInputWidth(a.HiddenSize);
            _expertParams = matrices * _expertInputWidth * e.ExpertIntermediateSize / _group;
            _sharedParams = (matrices * h * e.SharedIntermediateSize + h * e.Experts) / tp + e.LatentProjectionParameters(a.HiddenSize);
            _expertWeights = _expertParams * deployment.Weights.Experts.BytesPerValue;
            // Experts that do not divide over the group sit in ceil(E / G) slots per device, some redundant; a touched expert's
            // replicas split its tokens, so the arithmetic is unchanged and the weights read grow by the slots' share.
            _expertSlotScale = Layouts.ExpertSlotScale(a, l);
            _sharedWeights = _sharedParams * w;
            // Per token of the whole group, on one device.
            _expertAct = ActivationBytesPerValue * (2.0 * h + 2.0 * e.LatentSize + (matrices * ((double)e.ActiveExperts * e.ExpertIntermediateSize + e.SharedIntermediateSize)) / tp) / _dp;
        }
        _normAct = ActivationBytesPerValue * h * (2.0 * a.NormsPerLayerWithMlpBlocks + 2.0);
        // Each hyper-connection multiplies the n streams by its mixing matrix (2 FLOP per weight, on every rank); AltUp
        // predicts its n streams from one another and corrects them by the block's output.
        _streamFlopPerLayer = a.Streams is { } hc ? 2.0 * hc.ParametersPerLayer(h) : a.PerLayer?.StreamFlopPerLayer(h) ?? 0;
        _streamAct = ActivationBytesPerValue * (a.Streams?.ActivationValuesPerLayer(h) ?? a.PerLayer?.StreamValuesPerLayer(h) ?? 0);

        _lmHeadParams = _vocab * h / tp;
        _lmHeadWeights = _lmHeadParams * edgeW;

        _layers = a.Layers;
        _softmaxLayers = a.SoftmaxLayers;
        _linearLayers = a.Layers - a.SoftmaxLayers;
        _windowLayers = a.Window is null ? 0 : Math.Min(a.SoftmaxLayers, a.Window.Layers);
        _fullLayers = a.FullAttentionLayers;
        if (a.Linear is { } lin)
        {
            // A linear-attention token updates and reads each value head's dk x dv state: 2 FLOP per state value for
            // each (Yang et al., "Gated Delta Networks", arXiv:2412.06464, recurrent form; Mamba-2 alike in its dual form,
            // arXiv:2405.21060 section 4), independent of the context.
            _linearFlopPerToken = 4.0 * lin.ValueHeads * lin.KeyHeadDim * lin.ValueHeadDim / tp;
            _statePerLayer = Footprint.MemoryModel.RecurrentStatePerLayer(a, _tp).Value;
        }
        if (a.Sparse is { } dsa)
        {
            // DSA: the indexer scores every cached token (index heads x index dim multiply-adds, FP8 keys), then MLA reads
            // only the top-k latents (DeepSeek-V3.2-Exp report, section 2.1). MSA alike over blocks of GQA keys and values;
            // IndexShare layers reuse the last indexer's top-k without scoring.
            _topK = dsa.TopK;
            _sparseLayers = a.SparseLayers;
            _indexerLayers = a.IndexerLayers;
            _indexerFlopPerContext = 2.0 * dsa.IndexHeads * dsa.IndexHeadDim;
            _indexerPerTokenLayer = Footprint.MemoryModel.IndexerBytesPerTokenPerLayer(a).Value;
        }
        else
        {
            _topK = int.MaxValue;
        }
        _window = a.Window?.Length ?? int.MaxValue;
        _denseLayers = a.DenseMlpLayers;
        _moeLayers = a.MoeLayers;

        _weightEffQkv = MemoryEfficiency(_qkvWeights);
        _weightEffOut = MemoryEfficiency(_outWeights);
        _weightEffMlp = MemoryEfficiency(_mlpWeights);
        _weightEffLm = MemoryEfficiency(_lmHeadWeights);
    }

    /// <summary>
    /// Query rows per tile of the prefill attention kernel: FlashAttention-2 splits the queries into blocks of 128
    /// rows (block size 128 for head dimensions up to 128; Dao, "FlashAttention-2", arXiv:2307.08691, section 3.3) and
    /// streams the whole cached K and V once per block, so a chunk of P prompt tokens over C cached tokens reads the
    /// cache ceil(P / 128) times, not P times.
    /// </summary>
    public const double PrefillQueryTile = 128;

    /// <summary>Interconnect assumed when the catalog gives none: PCIe Gen4 x16, 64 GB/s both directions (PCI-SIG).</summary>
    public const double DefaultLinkBytesPerSecond = 64e9;

    /// <summary>The deployment.</summary>
    public Deployment Deployment { get; }

    /// <summary>The curves it was prepared with.</summary>
    public StepTimeParameters Parameters { get; }

    /// <summary>Dense peak of all devices of the replica (the MFU denominator).</summary>
    public FlopRate ReplicaPeak => FlopRate.FromFlopPerSecond(_datasheetPeak * _group * _pp);

    /// <summary>Memory bandwidth of all devices of the replica (the MBU denominator).</summary>
    public ByteRate ReplicaBandwidth => ByteRate.FromBytesPerSecond(_bandwidth * _group * _pp);

    /// <summary>Time of one step, allocation-free apart from the result.</summary>
    public StepEstimate Estimate(StepShape s) => Run(s, null);

    /// <summary>
    /// The operators of one step on one device (one TP rank, all pipeline stages together; with data-parallel attention
    /// one rank holding the mean share of the step's sequences; with pipeline micro-batches one micro-batch), for explanation.
    /// </summary>
    public IReadOnlyList<OperatorCost> Operators(StepShape s)
    {
        var list = new List<OperatorCost>(8);
        Run(s, list);
        return list;
    }

    /// <summary>Wall time of one step, exactly <see cref="Estimate"/>'s, without building the result.</summary>
    public Duration Time(StepShape s) => Duration.FromSeconds(Seconds(s, null, out _, out _, out _, out _));

    private StepEstimate Run(StepShape s, List<OperatorCost>? sink)
    {
        var time = Seconds(s, sink, out var acc, out var timed, out var comm, out var overhead);

        var bottleneck = Bottleneck.Compute;
        var largest = timed.ComputeBoundTime;
        if (timed.MemoryBoundTime > largest)
        {
            bottleneck = Bottleneck.MemoryBandwidth;
            largest = timed.MemoryBoundTime;
        }
        if (comm > largest)
        {
            bottleneck = Bottleneck.Communication;
            largest = comm;
        }
        if (overhead > largest)
        {
            bottleneck = Bottleneck.Overhead;
        }
        var devices = (double)_group;
        return new StepEstimate(
            Duration.FromSeconds(time), Duration.FromSeconds(timed.Compute), Duration.FromSeconds(timed.Memory),
            Duration.FromSeconds(comm), Duration.FromSeconds(overhead), bottleneck,
            Flop.FromFlop(acc.Flop * devices), Bytes.FromBytes(acc.Bytes * devices));
    }

    /// <summary>The step's wall time in seconds with its parts: the group's totals, the slowest rank's, communication and overhead.</summary>
    private double Seconds(StepShape s, List<OperatorCost>? sink, out Totals acc, out Totals timed, out double comm, out double overhead)
    {
        var prefill = Math.Max(0, s.PrefillTokens);
        var decode = Math.Max(0, s.DecodeSequences);
        var queryLength = (double)Math.Max(1, s.DecodeQueryLength);
        double group = Math.Max(1, prefill + decode * queryLength);
        // Pipeline micro-batches: each holds 1/m of the step's decodes; the prompt tokens sit in as many of them as the
        // step's prompts fill (PreparedStep.Pipeline.cs, "prompt bubbles"), the rest carry decodes only.
        var micro = MicroBatches(s);
        var prompted = prefill > 0 ? (int)Math.Min(micro, Math.Max(1, s.PrefillSequences)) : micro;
        var perRank = decode / (double)micro / _dp;
        var tokens = prompted == micro ? group / micro : prefill / (double)prompted + decode * queryLength / micro;
        // With data-parallel attention every rank runs attention on its share of the sequences: the mean share gives the
        // arithmetic and traffic of the whole group; the slowest rank, holding ceil(decodes / DP), gives the time.
        acc = Core(prefill / (double)(_dp * prompted), perRank, s, tokens, sink);
        timed = _dp > 1 && perRank != Math.Floor(perRank) ? Core(prefill / (double)(_dp * prompted), Math.Ceiling(perRank), s, tokens, null) : acc;
        comm = Communication(tokens);
        var layerOverhead = _p.LayerOverhead.Value * _layers;
        var traversal = timed.Time + comm + layerOverhead;
        double scale;
        if (prompted == micro)
        {
            scale = PipelineRound(traversal, timed.LmHead, micro) / traversal;
            acc = Round(acc, micro, scale);
        }
        else
        {
            var lightTokens = Math.Max(1.0 / _dp, decode * queryLength / micro);
            var light = Core(0, perRank, s, lightTokens, null);
            var lightTimed = _dp > 1 && perRank != Math.Floor(perRank) ? Core(0, Math.Ceiling(perRank), s, lightTokens, null) : light;
            var lightTraversal = lightTimed.Time + Communication(lightTokens) + layerOverhead;
            scale = PipelineRound(traversal, timed.LmHead, prompted, lightTraversal, lightTimed.LmHead, micro - prompted) / traversal;
            var sum = Round(acc, prompted, 1);
            acc = Round(acc, 1, scale);
            acc.Flop = sum.Flop + light.Flop * (micro - prompted);
            acc.Bytes = sum.Bytes + light.Bytes * (micro - prompted);
        }
        timed = Round(timed, micro, scale);
        comm *= scale;
        overhead = _p.StepOverhead.Value + layerOverhead * scale;
        return timed.Time + comm + overhead;
    }

    /// <summary>
    /// The operators of one device: attention, dense layers, shared experts, norms, embedding and LM head on
    /// <paramref name="prefill"/> prompt tokens and <paramref name="decode"/> decoding sequences (the device's attention
    /// rank's share); routed experts on their share of all <paramref name="groupTokens"/> tokens of the group.
    /// </summary>
    private Totals Core(double prefill, double decode, StepShape s, double groupTokens, List<OperatorCost>? sink)
    {
        // Decode query rows: one per sequence, or k + 1 per sequence when a speculative step verifies k proposals.
        var queries = decode * (double)Math.Max(1, s.DecodeQueryLength);
        // At least one token's work per step (a rank's mean share of a single sequence is 1 / DP of it).
        var t = Math.Max(1.0 / _dp, prefill + queries);
        var decodeContext = Math.Max(0, s.DecodeContext);
        var prefillContext = Math.Max(0, s.PrefillContext);
        // The step's prompt chunk keeps its length on whichever rank runs it: a rank's share is that fraction of the chunk
        // (of one chunk per rank when several prompts share the step), so attention within the chunk is the same work.
        double chunk = Math.Max(0, s.PrefillTokens);
        var chunkShare = chunk > 0 ? prefill / chunk : 0;
        var sampled = queries + chunkShare;
        var computeEff = ComputeEfficiency(t);

        var acc = new Totals();
        // Attention projections and norms: every layer.
        Add(ref acc, sink, OperatorKind.QkvProjection, _layers, 2.0 * t * _qkvParams, computeEff, _qkvWeights, _weightEffQkv, t * _qkvAct, 0);
        Add(ref acc, sink, OperatorKind.OutputProjection, _layers, 2.0 * t * _outParams, computeEff, _outWeights, _weightEffOut, t * _outAct, 0);

        AddAttention(ref acc, sink, t, queries, decode, prefill, chunk, chunkShare, decodeContext, prefillContext, computeEff);

        if (_denseLayers > 0)
        {
            Add(ref acc, sink, OperatorKind.Mlp, _denseLayers, 2.0 * t * _mlpParams, computeEff, _mlpWeights, _weightEffMlp, t * _mlpAct, 0);
        }
        if (_moeLayers > 0)
        {
            // Each token picks k of E experts: a batch of t tokens touches E (1 - (1 - k/E)^t) distinct experts in expectation.
            // The routed experts see every token of the group (with data-parallel attention, after the all-to-all); the shared
            // experts and router only the attention rank's own tokens.
            var all = _dp > 1 ? groupTokens : t;
            var touched = _experts * (1 - Math.Pow(1 - (double)_activeExperts / _experts, all));
            var rowsPerExpert = all * _activeExperts / Math.Max(1.0, touched);
            var routedFlop = 2.0 * all * _activeExperts * _expertParams;
            var sharedFlop = 2.0 * t * _sharedParams;
            var weights = touched * _expertWeights * _expertSlotScale + _sharedWeights;
            var expertEff = ComputeEfficiency(rowsPerExpert) * _p.ExpertEfficiency;
            AddRaw(ref acc, sink, OperatorKind.Experts, _moeLayers, _moeLayers * (routedFlop + sharedFlop), expertEff,
                _moeLayers * weights, MemoryEfficiency(_expertWeights), _moeLayers * all * _expertAct, 0,
                _moeLayers * (routedFlop * _restOverExpertPeak + sharedFlop));
        }
        // Norms, and with hyper-connections their stream mixing (a small matmul and the n residual streams' traffic).
        AddRaw(ref acc, sink, OperatorKind.Norms, _layers, _layers * t * _streamFlopPerLayer, computeEff, 0, 0, _layers * t * (_normAct + _streamAct), 0);
        AddRaw(ref acc, sink, OperatorKind.Embedding, 1, 0, computeEff, 0, 0, t * _lookupValues * ActivationBytesPerValue, 0);
        var beforeLmHead = acc.Time;
        AddRaw(ref acc, sink, OperatorKind.LmHead, 1, 2.0 * sampled * _lmHeadParams, ComputeEfficiency(Math.Max(1, sampled)),
            _lmHeadWeights, _weightEffLm, sampled * (_hidden * ActivationBytesPerValue + _vocab / _tp * LogitBytesPerValue), 0);
        acc.LmHead = acc.Time - beforeLmHead;
        return acc;
    }

    /// <summary>
    /// The device's dense peak on a format's matrix path (its FP32 peak when the catalog has none for that path). A device
    /// whose catalog peaks are all narrower than the format (an FP8/FP4-only tensor unit such as Maia 200's) is an error
    /// that names the formats it has, since no rate for the wider format is published to time it with.
    /// </summary>
    public static FlopRate PeakOf(Device d, NumberFormat format) =>
        d.PeakFor(format.Compute) ?? d.PeakFor(ComputeType.Fp32)
            ?? throw new InputException(FieldNames.Hardware, d.Peak.Count == 0
                ? Phrase.Of("no-peak", "{device} has no arithmetic peak in the catalog; add one under 'peak'.", ("device", d.Id))
                : Phrase.Of("no-peak#format", "{device} has no {format} matrix path in the catalog (its peaks: {have}); serve the model in one of those formats ({precision}).",
                    ("device", d.Id), ("precision", FieldNames.Precision), ("format", format.Compute.ToString().ToLowerInvariant()), ("have", string.Join(", ", d.Peak.Keys.Select(k => k.ToString().ToLowerInvariant())))));

    private double MemoryEfficiency(double bytes) =>
        bytes <= 0 ? _p.MemoryEfficiency : _p.MemoryEfficiency * bytes / (bytes + _p.MemoryHalfBytes.Value);

    private void Add(ref Totals acc, List<OperatorCost>? sink, OperatorKind kind, int layers, double flopPerLayer, double computeEff,
        double weightsPerLayer, double weightEff, double actPerLayer, double kvPerLayer) =>
        AddRaw(ref acc, sink, kind, layers, layers * flopPerLayer, computeEff, layers * weightsPerLayer, weightEff, layers * actPerLayer, layers * kvPerLayer);

    // flopAtRestPeak: the FLOPs as the rest's matrix path would time them (routed experts' FLOPs scaled by rest peak /
    // experts peak); null when every FLOP runs on the rest's path.
    private void AddRaw(ref Totals acc, List<OperatorCost>? sink, OperatorKind kind, int layers, double flop, double computeEff,
        double weights, double weightEff, double act, double kv, double? flopAtRestPeak = null)
    {
        var timedFlop = flopAtRestPeak ?? flop;
        var compute = timedFlop <= 0 ? 0 : timedFlop / (_peak * computeEff);
        // Weights stream at the efficiency of their per-layer size; activations and KV at that of their own per-layer size.
        var streamed = act + kv;
        var perLayerStream = streamed / Math.Max(1, layers);
        var memory = (weights > 0 ? weights / (_bandwidth * weightEff) : 0)
            + (streamed > 0 ? streamed / (_bandwidth * MemoryEfficiency(perLayerStream)) : 0);
        acc.Flop += flop;
        acc.Bytes += weights + streamed;
        acc.Compute += compute;
        acc.Memory += memory;
        acc.Time += Math.Max(compute, memory);
        if (compute >= memory) acc.ComputeBoundTime += compute;
        else acc.MemoryBoundTime += memory;
        sink?.Add(new OperatorCost(kind, layers, Flop.FromFlop(flop), Bytes.FromBytes(weights), Bytes.FromBytes(act), Bytes.FromBytes(kv),
            Duration.FromSeconds(compute), Duration.FromSeconds(memory)));
    }

    private struct Totals { public double Flop, Bytes, Compute, Memory, ComputeBoundTime, MemoryBoundTime, Time, LmHead; }
}
