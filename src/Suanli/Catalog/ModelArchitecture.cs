namespace Suanli.Catalog;

/// <summary>Which attention a model uses; decides the KV cache per token.</summary>
public enum AttentionKind
{
    /// <summary>Multi-head: one K/V head per query head.</summary>
    MultiHead,
    /// <summary>Grouped-query: fewer K/V heads shared by groups of query heads.</summary>
    GroupedQuery,
    /// <summary>Multi-query: one K/V head.</summary>
    MultiQuery,
    /// <summary>Multi-head latent attention (DeepSeek-V2/V3): a compressed latent vector per token instead of K/V heads.</summary>
    MultiHeadLatent,
}

/// <summary>Mixture-of-experts shape. Expert weights are all resident; compute follows the active experts.</summary>
/// <param name="Experts">Routed experts per MoE layer.</param>
/// <param name="ActiveExperts">Routed experts each token uses (top-k).</param>
/// <param name="SharedExperts">Always-active shared experts per MoE layer.</param>
/// <param name="ExpertIntermediateSize">Intermediate width of one routed expert.</param>
/// <param name="SharedIntermediateSize">Intermediate width of all shared experts together (0 if none).</param>
/// <param name="DenseLayers">Layers that use a dense MLP instead of experts (DeepSeek's first_k_dense_replace).</param>
/// <param name="HashLayers">MoE layers (the first ones) that route by a token-id lookup table instead of the router's top-k (DeepSeek V4 num_hash_layers).</param>
public sealed record MixtureOfExperts(int Experts, int ActiveExperts, int SharedExperts, int ExpertIntermediateSize, int SharedIntermediateSize, int DenseLayers, int HashLayers = 0)
{
    /// <summary>
    /// Width (values per token) the routed experts work in when it is narrower than the hidden state, 0 where they read
    /// the hidden state itself. LatentMoE (Nemotron 3 Super's moe_latent_size): the router and the shared experts read the
    /// hidden state; fc1_latent_proj (hidden x latent) takes the token into the latent width, the routed experts map
    /// latent to their intermediate width and back, and fc2_latent_proj (latent x hidden) returns the sum.
    /// </summary>
    public int LatentSize { get; init; }

    /// <summary>Width a routed expert reads and writes, in values per token: <see cref="LatentSize"/> where set, else <paramref name="hidden"/>.</summary>
    public int ExpertInputWidth(int hidden) => LatentSize > 0 ? LatentSize : hidden;

    /// <summary>Parameters of one MoE layer's two latent projections (2 x hidden x latent, no bias); 0 without a latent width.</summary>
    public double LatentProjectionParameters(int hidden) => 2.0 * hidden * LatentSize;
}

/// <summary>
/// The blocks of one multi-token-prediction module where the config lists them (Nemotron 3 Super's
/// mtp_hybrid_override_pattern "*E": an attention block, then an expert block), each block with its own norm; null where
/// an MTP module is one full decoder layer (DeepSeek-V3's).
/// </summary>
/// <param name="Attention">Attention blocks (each with one attention layer's KV cache).</param>
/// <param name="Mlp">Dense MLP blocks of intermediate_size.</param>
/// <param name="Experts">Expert blocks, each as one of the model's MoE layers.</param>
public sealed record MtpBlocks(int Attention, int Mlp, int Experts)
{
    /// <summary>All blocks of the module (one norm each).</summary>
    public int Count => Attention + Mlp + Experts;
}

/// <summary>Multi-head latent attention dimensions (DeepSeek-V2/V3 config names).</summary>
/// <param name="KvLoraRank">Width of the compressed KV latent cached per token per layer.</param>
/// <param name="QLoraRank">Width of the compressed query (0 when queries are not compressed).</param>
/// <param name="QkNopeHeadDim">Per-head query/key width without rotary part.</param>
/// <param name="QkRopeHeadDim">Rotary key width cached per token per layer (shared by heads).</param>
/// <param name="VHeadDim">Per-head value width.</param>
public sealed record LatentAttention(int KvLoraRank, int QLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim);

/// <summary>
/// Linear-attention layers of a hybrid model (Qwen3-Next's Gated DeltaNet, Kimi Linear's Kimi Delta Attention, MiniMax's
/// lightning attention, Nemotron-H's Mamba-2): each keeps a constant-size recurrent state per sequence instead of a KV cache
/// that grows with the context. Mamba-2 is read in its state-space-duality form (Dao and Gu, "Transformers are SSMs",
/// arXiv:2405.21060, section 4): C, B and x play the queries, keys and values, so its n_groups are the key heads, its
/// ssm_state_size the key width, mamba_num_heads the value heads and mamba_head_dim the value width.
/// </summary>
/// <param name="Kind">gated_deltanet, kda, lightning or mamba2.</param>
/// <param name="Layers">How many blocks use linear attention (the rest use full softmax attention).</param>
/// <param name="KeyHeads">Key (and query) heads of a linear layer.</param>
/// <param name="ValueHeads">Value heads of a linear layer (one state matrix per value head).</param>
/// <param name="KeyHeadDim">Key width per head.</param>
/// <param name="ValueHeadDim">Value width per head.</param>
/// <param name="ConvKernel">Causal short-convolution kernel length (Gated DeltaNet 4; 0 for lightning attention).</param>
public sealed record LinearAttention(string Kind, int Layers, int KeyHeads, int ValueHeads, int KeyHeadDim, int ValueHeadDim, int ConvKernel)
{
    /// <summary>Channels that pass through the short convolution (queries, keys and values): 2 x key heads x key dim + value heads x value dim.</summary>
    public double ConvChannels => ConvKernel > 0 ? 2.0 * KeyHeads * KeyHeadDim + (double)ValueHeads * ValueHeadDim : 0;

    /// <summary>Values of the recurrent state of one sequence in one layer: value heads x key dim x value dim, plus the convolution's last kernel - 1 inputs.</summary>
    public double StateValuesPerLayer => SsmStateValuesPerLayer + ConvChannels * Math.Max(0, ConvKernel - 1);

    /// <summary>Values of the recurrent (SSM) state alone of one sequence in one layer: value heads x key dim x value dim.</summary>
    public double SsmStateValuesPerLayer => (double)ValueHeads * KeyHeadDim * ValueHeadDim;

    /// <summary>
    /// Bytes per value of the recurrent (SSM) state where the engine fixes its type (Nemotron-H: vLLM's mamba_ssm_cache_dtype
    /// from the config, float32 where it gives none: 4); null keeps the engine default of the model's dtype.
    /// The convolution state stays in the model's dtype either way.
    /// </summary>
    public double? SsmStateBytesPerValue { get; init; }

    /// <summary>Bytes of the state of one sequence in one layer, the convolution state and (unless <see cref="SsmStateBytesPerValue"/> says otherwise) the SSM state at <paramref name="bytesPerValue"/>.</summary>
    public double StateBytesPerLayer(double bytesPerValue) =>
        SsmStateValuesPerLayer * (SsmStateBytesPerValue ?? bytesPerValue) + ConvChannels * Math.Max(0, ConvKernel - 1) * bytesPerValue;

    /// <summary>Mamba-2 (Nemotron-H).</summary>
    public const string Mamba2 = "mamba2";
}

/// <summary>
/// Sparse attention with an indexer: a few small index heads score every cached token against one cached index key per
/// token, then attention reads only the top-k tokens. DeepSeek Sparse Attention (DeepSeek-V3.2-Exp, GLM-5) picks tokens over
/// MLA; MiniMax Sparse Attention (MiniMax-M3) picks blocks of tokens over grouped-query attention. GLM-5.2's IndexShare runs
/// the indexer on some layers only and lets the layers after each reuse its top-k.
/// </summary>
/// <param name="IndexHeads">Indexer query heads (index_n_heads; sparse_num_index_heads).</param>
/// <param name="IndexHeadDim">Indexer key width, cached per token on every indexer layer (index_head_dim; sparse_index_dim).</param>
/// <param name="TopK">Tokens each query attends to on a sparse layer (index_topk; sparse_topk_blocks x sparse_block_size).</param>
public sealed record SparseAttention(int IndexHeads, int IndexHeadDim, int TopK)
{
    /// <summary>dsa (DeepSeek: FP8 index keys with a scale, a per-head weight projection) or msa (MiniMax: BF16 index keys, normed index queries).</summary>
    public string Scheme { get; init; } = DeepSeekScheme;

    /// <summary>Softmax layers that attend sparsely; null when every full-attention layer does (MiniMax-M3: 57 of 60).</summary>
    public int? Layers { get; init; }

    /// <summary>Sparse layers that run their own indexer and cache index keys; null when every sparse layer does (GLM-5.2: 21 of 78).</summary>
    public int? IndexerLayers { get; init; }

    /// <summary>Tokens per selected block (MiniMax Sparse Attention 128); 1 for DeepSeek's token top-k.</summary>
    public int BlockSize { get; init; } = 1;

    /// <summary>DeepSeek Sparse Attention.</summary>
    public const string DeepSeekScheme = "dsa";

    /// <summary>MiniMax Sparse Attention.</summary>
    public const string MiniMaxScheme = "msa";
}

/// <summary>
/// The full-attention layers of a sliding-window model with their own widths (Gemma 4: global_head_dim,
/// num_global_key_value_heads, attention_k_eq_v): they cache and attend with these instead of the windowed layers'.
/// </summary>
/// <param name="HeadDim">Query, key and value width per head on the full-attention layers.</param>
/// <param name="KvHeads">Key/value heads of the full-attention layers.</param>
/// <param name="KeysAreValues">True when values come from the key projection (no v_proj); keys and values are still cached apart (values skip the key norm's RoPE).</param>
public sealed record GlobalAttention(int HeadDim, int KvHeads, bool KeysAreValues);

/// <summary>
/// Gemma 3n's per-layer inputs, AltUp streams and LAuReL blocks (transformers models/gemma3n/modeling_gemma3n.py
/// @ 00aa0f5dc1ccd968335257cb871d41ee9c0bc21e: Gemma3nTextModel, Gemma3nTextDecoderLayer, Gemma3nTextAltUp,
/// Gemma3nTextLaurelBlock). Each token looks up one row of a per-layer embedding table (layers x width values), adds
/// a projection of its embedding, and each block gates its slice into the residual; AltUp carries n residual streams
/// of which one runs the block and the others are predicted and corrected by n x n coefficients.
/// </summary>
/// <param name="Width">Values each layer receives per token (hidden_size_per_layer_input).</param>
/// <param name="Vocabulary">Rows of the per-layer embedding table (vocab_size_per_layer_input).</param>
/// <param name="AltUpStreams">Residual streams (altup_num_inputs); 1 without AltUp.</param>
/// <param name="LaurelRank">Rank of the learned augmented residual (laurel_rank); 0 without LAuReL.</param>
public sealed record PerLayerInputs(int Width, int Vocabulary, int AltUpStreams, int LaurelRank)
{
    /// <summary>The per-layer embedding table: vocabulary x layers x width, looked up one row a token, never multiplied.</summary>
    public double TableParameters(int layers) => (double)Vocabulary * layers * Width;

    /// <summary>
    /// Weights one block adds: AltUp's correction (n x n) and prediction (n x n^2) coefficients, its router (h x n),
    /// router norm and output scale (2h); LAuReL's low-rank pair (2 h r) and norm (h); the per-layer input gate and
    /// projection (2 h p) and norm (h).
    /// </summary>
    public double BlockParameters(int hidden)
    {
        double h = hidden, n = AltUpStreams;
        var altUp = AltUpStreams > 1 ? n * n + n * n * n + h * n + 2 * h : 0;
        var laurel = LaurelRank > 0 ? 2 * h * LaurelRank + h : 0;
        return altUp + laurel + 2 * h * Width + h;
    }

    /// <summary>
    /// Weights outside the blocks: the projection of the token embedding to every layer's input (h x layers x p) and its
    /// norm (p), and AltUp's n - 1 projections into the extra streams and n - 1 out of them (2 (n - 1) h^2).
    /// </summary>
    public double ModelParameters(int hidden, int layers) =>
        (double)hidden * layers * Width + Width + 2.0 * Math.Max(0, AltUpStreams - 1) * hidden * hidden;

    /// <summary>
    /// FLOPs one token spends per block on AltUp's streams beside its matrices: the prediction mixes the n streams by an
    /// n x n matrix (2 n^2 h) and the correction adds the scaled innovation to each (2 n h); 0 without AltUp.
    /// </summary>
    public double StreamFlopPerLayer(double hidden) => AltUpStreams > 1 ? 2.0 * AltUpStreams * (AltUpStreams + 1) * hidden : 0;

    /// <summary>Activation values one token moves per block through AltUp: the prediction and the correction each read and write the n streams (4 n h); 0 without AltUp.</summary>
    public double StreamValuesPerLayer(double hidden) => AltUpStreams > 1 ? 4.0 * AltUpStreams * hidden : 0;
}

/// <summary>
/// The last layers of a model that attend with an earlier layer's keys and values instead of their own (Gemma 3n and
/// Gemma 4 num_kv_shared_layers: each reuses the last unshared layer of its kind): they cache nothing and skip their K and V
/// projections, but still attend over the cache they borrow.
/// </summary>
/// <param name="Layers">Layers that share (the last ones).</param>
/// <param name="WindowLayers">Sliding-window layers among them.</param>
/// <param name="StoresKvProjections">Whether the sharing layers still store their idle K and V projections (Gemma 3n) or
/// have none (Gemma 4, transformers models/gemma4 Gemma4TextAttention: 'Layers sharing kv states don't need any weight matrices').</param>
/// <param name="DoubleWideMlp">Whether the sharing layers' MLPs are twice intermediate_size wide (Gemma 4 use_double_wide_mlp).</param>
public sealed record SharedKv(int Layers, int WindowLayers, bool StoresKvProjections = true, bool DoubleWideMlp = false)
{
    /// <summary>Full-attention layers among them.</summary>
    public int FullLayers => Layers - WindowLayers;
}

/// <summary>A vision or audio encoder beside the language model: its weights are resident but text decode does not run it.</summary>
/// <param name="Kind">vision or audio.</param>
/// <param name="Parameters">Parameters of the tower and its projector into the text model.</param>
public sealed record EncoderTower(string Kind, double Parameters);

/// <summary>Sliding-window attention: windowed layers attend to (and cache) only the last <paramref name="Length"/> tokens.</summary>
/// <param name="Length">Window length in tokens.</param>
/// <param name="Layers">How many layers use the window (all for Mistral 7B, half for Gemma 2).</param>
public sealed record SlidingWindow(int Length, int Layers)
{
    /// <summary>The other (full-attention) layers' own widths where they differ from the windowed layers' (Gemma 4), null otherwise.</summary>
    public GlobalAttention? FullLayers { get; init; }

    /// <summary>
    /// Query heads of the windowed layers where they differ from the full layers' (poolside Laguna's
    /// num_attention_heads_per_layer: 64 on its windowed layers against 48 on its full ones), null where every layer has
    /// the model's <see cref="ModelArchitecture.Heads"/>. The key/value heads stay the model's on both kinds.
    /// </summary>
    public int? Heads { get; init; }
}

/// <summary>
/// Weights some families add beside the common matrices; the parameter count reads them (and the step its MLP-only blocks).
/// </summary>
/// <param name="QkvBias">True when Q/K/V projections carry biases.</param>
/// <param name="LinearBias">True when the output projection and MLP carry biases (GPT-2, Phi).</param>
/// <param name="LayerNormBias">True for LayerNorm with bias, false for RMSNorm.</param>
/// <param name="LearnedPositions">Learned absolute position embeddings (GPT-2 style), 0 for rotary models.</param>
/// <param name="AttentionSinks">True when each attention head has a learned sink logit (gpt-oss; Hy4's learnable_sink): one parameter per head per layer, no cache.</param>
/// <param name="AttentionOutputGate">True when softmax-attention layers gate their output element-wise with the sigmoid of a projection of the attention output's width from the hidden state (Qwen3-Next's second query-width half of q_proj; Hy4's gated MLA gate_proj, hidden x heads x v_head_dim).</param>
public sealed record ExtraWeights(bool QkvBias, bool LinearBias, bool LayerNormBias, int LearnedPositions, bool AttentionSinks, bool AttentionOutputGate)
{
    /// <summary>Vision/audio encoders: counted in the weights, never run by text decode.</summary>
    public IReadOnlyList<EncoderTower> Towers { get; init; } = [];

    /// <summary>Gemma 3n's per-layer inputs, AltUp and LAuReL, null for other models.</summary>
    public PerLayerInputs? PerLayer { get; init; }

    /// <summary>Layers that reuse an earlier layer's KV cache, null when every layer keeps its own.</summary>
    public SharedKv? SharedKv { get; init; }

    /// <summary>
    /// Blocks that hold only an MLP (dense or experts) and its norm, beside blocks that hold only a token mixer (Nemotron-H's
    /// hybrid_override_pattern: '-' and 'E' against 'M' and '*'); the model's layers then count the mixer blocks, each with one
    /// norm. 0 when every block holds a mixer and an MLP.
    /// </summary>
    public int MlpOnlyBlocks { get; init; }

    /// <summary>
    /// True when a projection from the hidden state gives one sigmoid gate per query head, scaling that head's attention
    /// output before the output projection (poolside Laguna's gating "per-head": g_proj, hidden_size x heads per layer).
    /// </summary>
    public bool HeadGate { get; init; }

    /// <summary>
    /// True when the multi-token-prediction blocks of an MoE model hold a dense MLP of intermediate_size rather than experts
    /// (Step 3.5 Flash: its three MTP blocks, layers 45 to 47, are dense), so each block counts one dense MLP.
    /// </summary>
    public bool MtpDenseMlp { get; init; }

    /// <summary>
    /// Hyper-connection residual streams outside DeepSeek V4's compressed attention (Hy4's identity hyper-connections:
    /// <c>enable_ihc</c> with <c>hc_mult</c>), null otherwise; V4's own are kept with its attention.
    /// </summary>
    public HyperConnections? Streams { get; init; }

    /// <summary>The blocks of each MTP module where the config lists them (Nemotron-H's mtp_hybrid_override_pattern), null otherwise.</summary>
    public MtpBlocks? MtpBlocks { get; init; }

    /// <summary>None of them.</summary>
    public static ExtraWeights None { get; } = new(false, false, false, 0, false, false);
}

/// <summary>
/// A decoder-only transformer described as data, read from a Hugging Face config.json: one formula serves every
/// family (dense or MoE, MHA/GQA/MQA/MLA, gated or plain MLP, sliding windows, tied embeddings).
/// </summary>
public sealed record ModelArchitecture
{
    /// <summary>The config's <c>model_type</c> (llama, qwen2, mixtral, deepseek_v3, gpt2...).</summary>
    public required string ModelType { get; init; }
    /// <summary>Transformer blocks.</summary>
    public required int Layers { get; init; }
    /// <summary>Residual stream width.</summary>
    public required int HiddenSize { get; init; }
    /// <summary>Query heads.</summary>
    public required int Heads { get; init; }
    /// <summary>Key/value heads (equal to <see cref="Heads"/> for MHA, 1 for MQA).</summary>
    public required int KvHeads { get; init; }
    /// <summary>Per-head width.</summary>
    public required int HeadDim { get; init; }
    /// <summary>Dense MLP intermediate width.</summary>
    public required int IntermediateSize { get; init; }
    /// <summary>Vocabulary (padded, as stored).</summary>
    public required int VocabSize { get; init; }
    /// <summary>True when the LM head shares the embedding matrix.</summary>
    public required bool TiedEmbeddings { get; init; }
    /// <summary>True for gated MLPs (SwiGLU/GeGLU: three matrices), false for plain two-matrix MLPs.</summary>
    public required bool GatedMlp { get; init; }
    /// <summary>Biases, learned positions, attention sinks and output gates some families add (none for a rotary RMSNorm model without biases).</summary>
    public ExtraWeights Extras { get; init; } = ExtraWeights.None;
    /// <summary>Norm vectors per block (2 for pre-norm blocks, 1 for parallel blocks, 4 for Gemma 2 sandwich norms).</summary>
    public int NormsPerLayer { get; init; } = 2;
    /// <summary>Longest context the model supports.</summary>
    public int MaxContext { get; init; }
    /// <summary>Sliding-window attention (its length and how many layers use it), null when attention is global.</summary>
    public SlidingWindow? Window { get; init; }
    /// <summary>Mixture-of-experts shape, null for dense models.</summary>
    public MixtureOfExperts? Moe { get; init; }
    /// <summary>Latent attention dims, null unless MLA.</summary>
    public LatentAttention? Mla { get; init; }

    /// <summary>Linear-attention (constant-state) layers of a hybrid model, null when every layer uses softmax attention.</summary>
    public LinearAttention? Linear { get; init; }
    /// <summary>DeepSeek Sparse Attention indexer (with <see cref="Compressed"/>: the CSA layers' indexer over compressed entries), null when attention reads the whole cache.</summary>
    public SparseAttention? Sparse { get; init; }
    /// <summary>DeepSeek V4's per-layer compressed attention over one shared 512-wide KV head (with its grouped output and hyper-connections), null for other attention.</summary>
    public CompressedAttention? Compressed { get; init; }
    /// <summary>Widths of the full-attention layers where they differ from the windowed layers' (Gemma 4, kept with the window), null otherwise.</summary>
    public GlobalAttention? Global => Window?.FullLayers;

    /// <summary>Query heads of the windowed layers (<see cref="Heads"/> unless <see cref="SlidingWindow.Heads"/> says otherwise).</summary>
    public int WindowHeads => Window?.Heads ?? Heads;

    /// <summary>Query heads per softmax layer on average over the full and windowed layers (<see cref="Heads"/> when they agree).</summary>
    public double MeanSoftmaxHeads => WindowHeads == Heads || SoftmaxLayers == 0 ? Heads
        : ((double)Heads * FullAttentionLayers + (double)WindowHeads * (SoftmaxLayers - FullAttentionLayers)) / SoftmaxLayers;

    /// <summary>Head width of the full-attention layers (<see cref="HeadDim"/> unless <see cref="Global"/> says otherwise).</summary>
    public int FullHeadDim => Global?.HeadDim ?? HeadDim;

    /// <summary>Key/value heads of the full-attention layers (<see cref="KvHeads"/> unless <see cref="Global"/> says otherwise).</summary>
    public int FullKvHeads => Global?.KvHeads ?? KvHeads;

    /// <summary>Multi-token-prediction blocks after the main model (DeepSeek's num_nextn_predict_layers): resident only when used as a speculative draft.</summary>
    public int MtpLayers { get; init; }
    /// <summary>Vision/audio encoders (kept with the other weights only the count reads, <see cref="ExtraWeights.Towers"/>).</summary>
    public IReadOnlyList<EncoderTower> Towers => Extras.Towers;

    /// <summary>Grouped low-rank attention output projection (DeepSeek V4), null for a full-rank output projection.</summary>
    public GroupedOutput? LowRankOutput => Compressed?.Output;

    /// <summary>Hyper-connection residual streams (DeepSeek V4's, or Hy4's identity ones), null for a single residual stream.</summary>
    public HyperConnections? Streams => Compressed?.Streams ?? Extras.Streams;

    /// <summary>MoE layers routed by a token-id table (DeepSeek V4), 0 otherwise.</summary>
    public int HashLayers => Moe?.HashLayers ?? 0;

    /// <summary>Layers that keep a growing KV cache (softmax attention, full or windowed).</summary>
    public int SoftmaxLayers => Layers - (Linear?.Layers ?? 0);

    /// <summary>Softmax layers attending to the whole context.</summary>
    public int FullAttentionLayers => Compressed is not null ? 0 : SoftmaxLayers - (Window is null ? 0 : Math.Min(SoftmaxLayers, Window.Layers));

    /// <summary>Full-attention layers that attend only to the indexer's top-k (all of them for DSA, MiniMax-M3's sparse_attention_freq layers); 0 without an indexer.</summary>
    public int SparseLayers => Sparse is null || Compressed is not null ? 0 : Math.Min(FullAttentionLayers, Sparse.Layers ?? FullAttentionLayers);

    /// <summary>Sparse layers that run their own indexer (weights and cached index keys); fewer than <see cref="SparseLayers"/> under IndexShare.</summary>
    public int IndexerLayers => Sparse is null || Compressed is not null ? 0 : Math.Min(SparseLayers, Sparse.IndexerLayers ?? SparseLayers);

    /// <summary>Attention kind, derived from the head counts and MLA.</summary>
    public AttentionKind Attention => Mla is not null || Compressed is not null ? AttentionKind.MultiHeadLatent
        : KvHeads == Heads ? AttentionKind.MultiHead
        : KvHeads == 1 ? AttentionKind.MultiQuery
        : AttentionKind.GroupedQuery;

    /// <summary>Gemma 3n's per-layer inputs (kept with the other extra weights), null otherwise.</summary>
    public PerLayerInputs? PerLayer => Extras.PerLayer;

    /// <summary>Layers reusing an earlier layer's KV cache (kept with the extra weights), null when none do.</summary>
    public SharedKv? SharedKv => Extras.SharedKv;

    /// <summary>Sliding-window layers that keep a cache of their own (without the KV-sharing ones).</summary>
    public int CachedWindowLayers => SoftmaxLayers - FullAttentionLayers - (SharedKv?.WindowLayers ?? 0);

    /// <summary>Full-attention layers that keep a cache of their own (without the KV-sharing ones).</summary>
    public int CachedFullLayers => FullAttentionLayers - (SharedKv?.FullLayers ?? 0);

    /// <summary>Blocks that hold an MLP: every layer, or the MLP-only blocks of a model that separates them (<see cref="ExtraWeights.MlpOnlyBlocks"/>).</summary>
    public int MlpBlocks => Extras.MlpOnlyBlocks > 0 ? Extras.MlpOnlyBlocks : Layers;

    /// <summary>Layers with a dense MLP (all of them for dense models).</summary>
    public int DenseMlpLayers => Moe is null ? MlpBlocks : Math.Min(MlpBlocks, Moe.DenseLayers);

    /// <summary>Layers with experts.</summary>
    public int MoeLayers => Moe is null ? 0 : MlpBlocks - DenseMlpLayers;

    /// <summary>Norm vectors per layer on average: <see cref="NormsPerLayer"/>, plus the MLP-only blocks' one norm each spread over the layers.</summary>
    public double NormsPerLayerWithMlpBlocks => NormsPerLayer + Extras.MlpOnlyBlocks / (double)Layers;
}
