using Suanli.Catalog;

namespace Suanli.Footprint;

/// <summary>
/// Parameters of a model by part, counted from the architecture (docs/methodology.md, "Parameter count").
/// Embedding parts stay 16-bit under weight-only quantization, so they are kept apart.
/// </summary>
/// <param name="Embedding">Token (and learned position) embeddings.</param>
/// <param name="LmHead">Output projection (0 when tied to the embedding).</param>
/// <param name="AttentionPerLayer">Attention weights and biases of one block.</param>
/// <param name="DenseMlpPerLayer">MLP weights of one dense block.</param>
/// <param name="MoePerLayer">All expert, shared-expert and router weights of one MoE block.</param>
/// <param name="ActiveMoePerLayer">Expert weights one token uses in one MoE block (top-k plus shared, plus router).</param>
/// <param name="NormsPerLayer">Norm weights of one block.</param>
/// <param name="FinalNorm">The final norm.</param>
/// <param name="LinearAttentionPerLayer">Weights of one linear-attention (Gated DeltaNet / KDA / lightning / Mamba-2) block's token mixer; 0 without hybrid layers.</param>
/// <param name="Mtp">All multi-token-prediction blocks (not in <see cref="Total"/>: published counts leave them out).</param>
/// <param name="Towers">Vision/audio encoders with their projectors (in <see cref="Total"/>, not in <see cref="Active"/>).</param>
/// <param name="HyperConnections">Hyper-connection mixing weights of all blocks and of the head (DeepSeek V4, Hy4); 0 with one residual stream.</param>
/// <param name="RoutingTables">Token-id to expert tables of hash-routed layers (DeepSeek V4: vocabulary x top-k per layer), looked up, never multiplied.</param>
/// <param name="PerLayerEmbedding">Gemma 3n's per-layer embedding table (vocabulary x layers x width), looked up one row a token like the token embedding; 0 otherwise.</param>
/// <param name="IdleKvProjections">K and V projections of the layers that reuse another layer's cache (Gemma 3n): stored in the checkpoint, never run.</param>
public sealed record ParameterCount(
    double Embedding, double LmHead, double AttentionPerLayer, double DenseMlpPerLayer,
    double MoePerLayer, double ActiveMoePerLayer, double NormsPerLayer, double FinalNorm,
    double LinearAttentionPerLayer = 0, double Mtp = 0, double Towers = 0, double HyperConnections = 0, double RoutingTables = 0,
    double PerLayerEmbedding = 0, double IdleKvProjections = 0)
{
    /// <summary>Looked-up tables kept 16-bit beside the embedding: the token embedding, the LM head and the per-layer embedding table.</summary>
    public double Edge => Embedding + LmHead + PerLayerEmbedding;

    /// <summary>Token-mixer weights of all layers: softmax attention on <see cref="ModelArchitecture.SoftmaxLayers"/>, linear attention on the rest.</summary>
    public double Mixers(ModelArchitecture a) => a.SoftmaxLayers * AttentionPerLayer + (a.Layers - a.SoftmaxLayers) * LinearAttentionPerLayer;

    /// <summary>Parameters inside the transformer blocks (all layers).</summary>
    public double Blocks(ModelArchitecture a) =>
        Mixers(a) + a.Layers * NormsPerLayer + a.DenseMlpLayers * DenseMlpPerLayer + a.MoeLayers * MoePerLayer + HyperConnections + RoutingTables;

    /// <summary>All parameters of the released model: the language model and its encoder towers, without MTP blocks.</summary>
    public double Total(ModelArchitecture a) => Blocks(a) + Edge + FinalNorm + Towers;

    /// <summary>The language model alone (no towers, no MTP).</summary>
    public double Text(ModelArchitecture a) => Blocks(a) + Edge + FinalNorm;

    /// <summary>Parameters one text token touches: all token mixers, dense MLPs, the active experts, embeddings and the LM head (no towers).</summary>
    public double Active(ModelArchitecture a) =>
        Mixers(a) + a.Layers * NormsPerLayer + a.DenseMlpLayers * DenseMlpPerLayer + a.MoeLayers * ActiveMoePerLayer
        + HyperConnections + Edge + FinalNorm;

    /// <summary>Active parameters as a publisher counts them: <paramref name="scope"/> is all, no-embedding or no-embedding-no-head (see <see cref="ModelEntry.ActiveParametersScope"/>).</summary>
    public double ActiveAs(ModelArchitecture a, string scope) => scope switch
    {
        "no-embedding" => Active(a) - Embedding - PerLayerEmbedding,
        "no-embedding-no-head" => Active(a) - Embedding - PerLayerEmbedding - LmHead,
        _ => Active(a),
    };

    /// <summary>Parameters that take part in matrix multiplies per token (active, without embeddings' lookup and idle K/V projections); 2 x this is the forward FLOPs per token before attention.</summary>
    public double ActiveMatmul(ModelArchitecture a) =>
        Mixers(a) - IdleKvProjections + a.DenseMlpLayers * DenseMlpPerLayer + a.MoeLayers * ActiveMoePerLayer + HyperConnections
        + (LmHead > 0 ? LmHead : Embedding - a.Extras.LearnedPositions * (double)a.HiddenSize);

    /// <summary>Counts the parameters of an architecture.</summary>
    public static ParameterCount Of(ModelArchitecture a)
    {
        double h = a.HiddenSize;
        double hd = a.HeadDim;
        var embedding = (double)a.VocabSize * h + (double)a.Extras.LearnedPositions * h;
        var lmHead = a.TiedEmbeddings ? 0 : (double)a.VocabSize * h;

        double attention, indexer = 0;
        if (a.Compressed is { } v4)
        {
            attention = CompressedAttentionPerLayer(a, v4);
        }
        else if (a.Mla is { } m)
        {
            var qHead = m.QkNopeHeadDim + m.QkRopeHeadDim;
            var q = m.QLoraRank > 0
                ? h * m.QLoraRank + m.QLoraRank + (double)m.QLoraRank * a.Heads * qHead
                : h * a.Heads * qHead;
            var kvA = h * (m.KvLoraRank + m.QkRopeHeadDim) + m.KvLoraRank;
            var kvB = (double)m.KvLoraRank * a.Heads * (m.QkNopeHeadDim + m.VHeadDim);
            var o = (double)a.Heads * m.VHeadDim * h;
            attention = q + kvA + kvB + o;
            if (a.Extras.AttentionOutputGate)
            {
                // Hy4's gated MLA: gate_proj maps the hidden state to one gate per value channel of every head.
                attention += h * a.Heads * m.VHeadDim;
            }
            indexer = IndexerPerLayer(a, m.QLoraRank > 0 ? m.QLoraRank : h);
        }
        else
        {
            // Laguna's windowed layers project to more query heads than its full layers (num_attention_heads_per_layer):
            // each kind is counted with its own heads, the per-layer figure being the mean over the softmax layers.
            var full = PlainAttentionPerLayer(a, a.Heads);
            attention = a.WindowHeads == a.Heads ? full : PlainAttentionPerLayer(a, a.WindowHeads);
            if (a.WindowHeads != a.Heads && a.SoftmaxLayers > 0 && a.Global is null)
            {
                attention = (attention * (a.SoftmaxLayers - a.FullAttentionLayers) + full * a.FullAttentionLayers) / a.SoftmaxLayers;
            }
            if (a.Global is { } g && a.SoftmaxLayers > 0)
            {
                // Gemma 4: the full-attention layers project to their own head width and KV heads (keys only when values
                // reuse them); the per-layer figure is the mean over the softmax layers.
                var gq = (double)a.Heads * g.HeadDim;
                var global = h * (gq + (g.KeysAreValues ? 1 : 2) * (double)g.KvHeads * g.HeadDim) + gq * h;
                attention = (attention * (a.SoftmaxLayers - a.FullAttentionLayers) + global * a.FullAttentionLayers) / a.SoftmaxLayers;
            }
            indexer = IndexerPerLayer(a, h);
        }
        if (a.Extras.AttentionSinks)
        {
            // gpt-oss and Hy4 (learnable_sink): one learned sink logit per query head.
            attention += a.Heads;
        }

        double linear = 0;
        if (a.Linear is { } lin)
        {
            var keys = (double)lin.KeyHeads * lin.KeyHeadDim;
            var values = (double)lin.ValueHeads * lin.ValueHeadDim;
            if (lin.Kind == "gated_deltanet")
            {
                // Qwen3-Next GatedDeltaNet: in_proj_qkvz (q, k, v, z gate), in_proj_ba (beta, alpha per value head),
                // depthwise conv1d over q, k, v, dt_bias and A_log per value head, a gated RMSNorm of value width, out_proj.
                linear = h * (2 * keys + 2 * values) + h * 2.0 * lin.ValueHeads + lin.ConvChannels * lin.ConvKernel
                    + 2.0 * lin.ValueHeads + lin.ValueHeadDim + values * h;
            }
            else if (lin.Kind == "kda")
            {
                // Kimi Delta Attention (moonshotai/Kimi-Linear-48B-A3B-Instruct modeling_kimi.py, KimiDeltaAttention):
                // q, k, v projections; depthwise conv1d over each; A_log per head and dt_bias per key channel; the
                // channel-wise decay through a low-rank pair f_a (h -> key dim) and f_b (key dim -> keys); beta (b_proj, one per
                // head); the output gate through a low-rank pair g_a (h -> value dim) and g_b (value dim -> values); an output
                // RMSNorm of one head's width; o_proj.
                linear = h * (2 * keys + values) + lin.ConvChannels * lin.ConvKernel + lin.KeyHeads + keys
                    + h * lin.KeyHeadDim + lin.KeyHeadDim * keys + h * lin.ValueHeads
                    + h * lin.ValueHeadDim + lin.ValueHeadDim * values + lin.ValueHeadDim + values * h;
            }
            else if (lin.Kind == LinearAttention.Mamba2)
            {
                // Mamba-2 (transformers models/nemotron_h NemotronHMamba2Mixer): in_proj to the gate z and x (2 x heads x head
                // dim), B and C (2 x groups x state) and dt (one per head); a depthwise conv1d with bias over x, B and C; dt_bias,
                // A_log and D per head; a gated RMSNorm of the inner width; out_proj.
                linear = h * (2 * values + 2 * keys + lin.ValueHeads) + lin.ConvChannels * (lin.ConvKernel + 1)
                    + 3.0 * lin.ValueHeads + values + values * h;
            }
            else
            {
                // Lightning attention (MiniMax-01 / M1): qkv projection, output gate, a norm over the heads' output, out projection.
                linear = h * 3 * keys + h * values + values + values * h;
            }
        }

        var matrices = a.GatedMlp ? 3.0 : 2.0;
        var denseMlp = matrices * h * a.IntermediateSize + (a.Extras.LinearBias ? a.IntermediateSize + h : 0);

        double moe = 0, activeMoe = 0;
        if (a.Moe is { } e)
        {
            // LatentMoE (Nemotron 3 Super): routed experts read and write the latent width, and every token runs the two
            // latent projections beside the router and the shared experts, which read the hidden state.
            var expert = matrices * e.ExpertInputWidth(a.HiddenSize) * e.ExpertIntermediateSize;
            var shared = matrices * h * e.SharedIntermediateSize;
            var router = h * e.Experts + e.LatentProjectionParameters(a.HiddenSize);
            moe = e.Experts * expert + shared + router;
            activeMoe = e.ActiveExperts * expert + shared + router;
        }

        var normWidth = a.Extras.LayerNormBias ? 2 * h : h;
        var norms = a.NormsPerLayerWithMlpBlocks * normWidth;

        // One MTP block (DeepSeek-V3 report section 2.2): a full decoder block (MoE when the model is MoE) plus two norms
        // on its inputs, a 2h x h projection of the concatenated states, and the shared head's norm; embedding and head are shared.
        // Step 3.5 Flash's MTP blocks hold a dense MLP (ExtraWeights.MtpDenseMlp).
        // Nemotron-H lists an MTP module's blocks (mtp_hybrid_override_pattern): each counts as one of the model's blocks of
        // that kind with its own norm.
        var mlpOfLastLayer = a.Moe is not null && a.MoeLayers > 0 && !a.Extras.MtpDenseMlp ? moe : denseMlp;
        var mtpBody = a.Extras.MtpBlocks is { } listed
            ? listed.Attention * (attention + indexer) + listed.Mlp * denseMlp + listed.Experts * moe + listed.Count * normWidth
            : attention + indexer + norms + mlpOfLastLayer;
        var mtp = a.MtpLayers * (mtpBody + 2.0 * h + 2.0 * h * h + h);
        // Indexer weights sit only on the layers that run an indexer (IndexShare: the first of each sharing group); the
        // per-layer attention is the mean over the softmax layers so that the totals count each indexer once.
        if (a.SoftmaxLayers > 0)
        {
            attention += indexer * a.IndexerLayers / a.SoftmaxLayers;
        }
        // Gemma 3n: AltUp, LAuReL and the per-layer input gate in every block and the model-level projections, spread over
        // the layers' mean attention; the K and V projections of the KV-sharing layers are stored but idle.
        double table = 0, idle = 0;
        if (a.PerLayer is { } ple && a.SoftmaxLayers > 0)
        {
            table = ple.TableParameters(a.Layers);
            attention += (ple.BlockParameters(a.HiddenSize) * a.Layers + ple.ModelParameters(a.HiddenSize, a.Layers)) / a.SoftmaxLayers;
        }
        if (a.SharedKv is { } borrowing && a.Mla is null)
        {
            idle = borrowing.WindowLayers * 2.0 * h * a.KvHeads * hd
                + borrowing.FullLayers * (a.Global?.KeysAreValues == true ? 1.0 : 2.0) * h * a.FullKvHeads * a.FullHeadDim;
            // Gemma 4's sharing layers have no K and V projections at all, and their MLPs may be twice as wide; both are
            // spread over the layers' means so that the totals count each layer as built.
            if (!borrowing.StoresKvProjections)
            {
                attention -= idle / a.SoftmaxLayers;
                idle = 0;
            }
            if (borrowing.DoubleWideMlp && a.DenseMlpLayers > 0)
            {
                denseMlp += denseMlp * borrowing.Layers / a.DenseMlpLayers;
            }
        }
        var towers = a.Towers.Sum(t => t.Parameters);
        var streams = a.Streams is { } hc ? a.Layers * hc.ParametersPerLayer(h) + hc.HeadParameters(h) : 0;
        var tables = a.Moe is { } routed ? (double)Math.Min(a.HashLayers, a.MoeLayers) * a.VocabSize * routed.ActiveExperts : 0;
        return new ParameterCount(embedding, lmHead, attention, denseMlp, moe, activeMoe, norms, normWidth, linear, mtp, towers, streams, tables, table, idle);
    }

    /// <summary>
    /// Weights of one layer's indexer. DeepSeek's lightning indexer (DeepSeek-V3.2-Exp inference/model.py, class Indexer):
    /// wq_b from the query latent, wk from the hidden state, a LayerNorm on keys (weight and bias), weights_proj giving one
    /// weight per index head. MiniMax's (vLLM minimax_m3 MiniMaxM3SparseAttention): index queries and the one index key
    /// fused into the QKV projection from the hidden state, an RMSNorm on each (no bias). 0 without an indexer.
    /// </summary>
    private static double IndexerPerLayer(ModelArchitecture a, double queryInput)
    {
        double h = a.HiddenSize;
        return a.Sparse switch
        {
            null => 0,
            { Scheme: SparseAttention.MiniMaxScheme } s => h * ((double)s.IndexHeads * s.IndexHeadDim + s.IndexHeadDim) + 2.0 * s.IndexHeadDim,
            { } s => queryInput * s.IndexHeads * s.IndexHeadDim + h * s.IndexHeadDim + 2.0 * s.IndexHeadDim + h * s.IndexHeads,
        };
    }

    /// <summary>
    /// Parameters of one softmax-attention layer with <paramref name="heads"/> query heads: Q, K, V and output projections,
    /// their biases where the family has them, Qwen3-Next's same-width output gate and Laguna's per-head gate (g_proj).
    /// </summary>
    private static double PlainAttentionPerLayer(ModelArchitecture a, int heads)
    {
        double h = a.HiddenSize;
        var qOut = (double)heads * a.HeadDim;
        var kvOut = (double)a.KvHeads * a.HeadDim;
        var attention = h * (qOut + 2 * kvOut) + qOut * h;
        if (a.Extras.QkvBias)
        {
            attention += qOut + 2 * kvOut;
        }
        if (a.Extras.LinearBias)
        {
            attention += h;
        }
        if (a.Extras.AttentionOutputGate)
        {
            // Qwen3-Next: q_proj emits queries and a same-width gate.
            attention += h * qOut;
        }
        if (a.Extras.HeadGate)
        {
            // Laguna (gating "per-head"): g_proj maps the hidden state to one gate logit per query head.
            attention += h * heads;
        }
        return attention;
    }

    /// <summary>
    /// Mean attention weights per layer of DeepSeek V4 (DeepSeek-V4 inference/model.py, class Attention): the query through its
    /// low-rank pair (wq_a, q_norm, wq_b), one shared key-value projection and its norm, the output (grouped low-rank, or full),
    /// a sink logit per head; each compressing layer adds its compressor, and each CSA layer the indexer (wq_b from the query
    /// latent, weights_proj one weight per index head, and its own ratio-4 compressor of index_head_dim).
    /// </summary>
    private static double CompressedAttentionPerLayer(ModelArchitecture a, CompressedAttention v4)
    {
        double h = a.HiddenSize;
        var width = (double)a.Heads * a.HeadDim;
        var query = h * v4.QLoraRank + v4.QLoraRank + v4.QLoraRank * width;
        var keyValue = h * a.HeadDim + a.HeadDim;
        var output = a.LowRankOutput?.Parameters(width, h) ?? width * h;
        var common = query + keyValue + output + a.Heads;
        var total = 0.0;
        foreach (var ratio in v4.Ratios)
        {
            total += common + CompressedAttention.CompressorParameters(ratio, a.HeadDim, h);
            if (ratio == CompressedAttention.IndexedRatio && a.Sparse is { } idx)
            {
                total += (double)v4.QLoraRank * idx.IndexHeads * idx.IndexHeadDim + h * idx.IndexHeads
                    + CompressedAttention.CompressorParameters(ratio, idx.IndexHeadDim, h);
            }
        }
        return total / v4.Ratios.Count;
    }
}
