namespace Suanli.Catalog;

/// <summary>
/// DeepSeek V4's hybrid attention (docs/methodology.md, "DeepSeek V4: compressed attention and hyper-connections"): every
/// layer keeps the last <see cref="Window"/> tokens' single shared key-value vector (head_dim wide, one KV head), and a layer
/// with a compression ratio r &gt; 0 also keeps one learned, gated pooling of every r consecutive tokens. Layers of ratio
/// <see cref="IndexedRatio"/> (compressed sparse attention, CSA) pick the top-k compressed entries with a lightning indexer
/// that keeps its own compressed keys; layers of ratio <see cref="HeavyRatio"/> (heavily compressed attention, HCA) attend
/// to every compressed entry; ratio 0 layers attend to the window alone.
/// </summary>
/// <param name="Ratios">Compression ratio of each main layer (config <c>compress_ratios</c>, MTP entries dropped): 0, 4 or 128.</param>
/// <param name="Window">Recent tokens every layer keeps uncompressed (config <c>sliding_window</c>).</param>
/// <param name="QLoraRank">Width of the compressed query (config <c>q_lora_rank</c>), also the indexer's query input.</param>
/// <param name="RopeDim">Rotary part of the head (config <c>qk_rope_head_dim</c>), kept in 16 bits by engines.</param>
public sealed record CompressedAttention(IReadOnlyList<int> Ratios, int Window, int QLoraRank, int RopeDim)
{
    /// <summary>The ratio whose layers select entries with the indexer (DeepSeek-V4 inference/model.py: <c>Indexer</c> only when <c>compress_ratio == 4</c>).</summary>
    public const int IndexedRatio = 4;

    /// <summary>The ratio whose layers attend to every compressed entry.</summary>
    public const int HeavyRatio = 128;

    /// <summary>Grouped low-rank output projection (config <c>o_lora_rank</c>, <c>o_groups</c>), null for a full-rank one.</summary>
    public GroupedOutput? Output { get; init; }

    /// <summary>Hyper-connection residual streams (config <c>hc_mult</c>), null for one stream.</summary>
    public HyperConnections? Streams { get; init; }

    /// <summary>Layers of a given ratio.</summary>
    public int LayersOf(int ratio) => Ratios.Count(r => r == ratio);

    /// <summary>Compressed entries a layer of <paramref name="ratio"/> holds after <paramref name="context"/> tokens: floor(context / ratio), 0 for ratio 0.</summary>
    public static double Compressed(int ratio, double context) => ratio == 0 ? 0 : Math.Floor(Math.Max(0, context) / ratio);

    /// <summary>
    /// Entries all layers together hold for one sequence of <paramref name="context"/> tokens:
    /// sum over layers of min(context, window) + floor(context / ratio).
    /// </summary>
    public double CachedEntries(double context) =>
        Ratios.Sum(r => Math.Min(Math.Max(0, context), Window) + Compressed(r, context));

    /// <summary>
    /// Entries all layers together attend to for one query after <paramref name="context"/> tokens: the window, plus at most
    /// <paramref name="topK"/> compressed entries on CSA layers and every compressed entry on the others.
    /// </summary>
    public double AttendedEntries(double context, int topK) =>
        Ratios.Sum(r => Math.Min(Math.Max(0, context), Window) + (r == IndexedRatio ? Math.Min(Compressed(r, context), topK) : Compressed(r, context)));

    /// <summary>Indexer keys all CSA layers together hold (and score) for one sequence of <paramref name="context"/> tokens.</summary>
    public double IndexedEntries(double context) => LayersOf(IndexedRatio) * Compressed(IndexedRatio, context);

    /// <summary>
    /// Weights of the compressor a layer of <paramref name="ratio"/> keeps for entries <paramref name="width"/> wide (DeepSeek-V4
    /// inference/model.py, class Compressor): a key-value and a gate projection from the hidden state, a learned position bias
    /// per slot of the ratio, and an RMSNorm; ratio 4 compresses overlapping windows, so its projections are twice as wide.
    /// </summary>
    public static double CompressorParameters(int ratio, double width, double hidden)
    {
        if (ratio == 0)
        {
            return 0;
        }
        var overlap = ratio == IndexedRatio ? 2.0 : 1.0;
        return 2.0 * hidden * overlap * width + ratio * overlap * width + width;
    }
}

/// <summary>
/// DeepSeek V4's grouped low-rank output projection: the heads' outputs split into <see cref="Groups"/> groups, each projected
/// to <see cref="Rank"/> values (wo_a), then all groups together to the hidden size (wo_b).
/// </summary>
/// <param name="Groups">Head groups (config <c>o_groups</c>).</param>
/// <param name="Rank">Low-rank width per group (config <c>o_lora_rank</c>).</param>
public sealed record GroupedOutput(int Groups, int Rank)
{
    /// <summary>Weights: heads x head dim x rank (each group maps its heads' width to the rank) + groups x rank x hidden.</summary>
    public double Parameters(double headsTimesHeadDim, double hidden) => headsTimesHeadDim * Rank + (double)Groups * Rank * hidden;
}

/// <summary>
/// Hyper-connections: the residual stream is carried as <see cref="Streams"/> copies; before attention and before the MLP a
/// learned mixing reads them all to produce the sublayer's input and the weights that write its output back to each stream.
/// DeepSeek V4's manifold-constrained form also mixes the streams with one another through an n x n residual matrix
/// (DeepSeek-V4 inference/model.py, Block.hc_pre / hc_post); Hy4's identity form drops that matrix and adds the output to
/// each stream unmixed (transformers HYV4HyperConnection: fn of 2n x n x hidden, base of 2n, two scales).
/// </summary>
/// <param name="Streams">Residual copies (config <c>hc_mult</c>).</param>
/// <param name="ResidualMix">True for DeepSeek V4's n x n residual mixing, false for identity hyper-connections (Hy4's <c>enable_ihc</c>).</param>
public sealed record HyperConnections(int Streams, bool ResidualMix = true)
{
    /// <summary>Mixing outputs of one hyper-connection: (2 + n) x n with the residual mix (n pre weights, n post weights, n x n mix), 2n without it.</summary>
    public double Mixes => ResidualMix ? (2.0 + Streams) * Streams : 2.0 * Streams;

    /// <summary>Learned scales of one hyper-connection: pre, post and the residual mix's (3), or pre and post (2) without it.</summary>
    public double Scales => ResidualMix ? 3.0 : 2.0;

    /// <summary>Weights of one block's two hyper-connections: 2 x (mixes x n x hidden + mixes + scales).</summary>
    public double ParametersPerLayer(double hidden) => 2.0 * (Mixes * Streams * hidden + Mixes + Scales);

    /// <summary>Weights of the head's reduction of the streams before the final norm: n x n x hidden + n + 1 (both forms).</summary>
    public double HeadParameters(double hidden) => (double)Streams * Streams * hidden + Streams + 1;

    /// <summary>
    /// 16-bit activation values one token moves through one block's hyper-connections: each of the two reads the n streams
    /// to mix them, then reads the n residual streams and writes n new ones (3 n x hidden each).
    /// </summary>
    public double ActivationValuesPerLayer(double hidden) => 2.0 * 3.0 * Streams * hidden;
}
