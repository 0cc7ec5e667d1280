using System.Globalization;
using System.Text.Json;
using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.Files;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into a <see cref="ModelArchitecture"/>. Key names differ by family
/// (hidden_size / n_embd / d_model, num_hidden_layers / n_layer / num_layers ...); one reader maps them all.
/// </summary>
public static partial class HuggingFaceConfig
{
    // Families whose MLP is a plain two-matrix MLP (fc1, activation, fc2); every other family is gated.
    private static readonly HashSet<string> PlainMlp = new(["gpt2", "gptj", "gpt_neox", "phi", "opt", "bloom", "falcon", "gpt_bigcode", "mpt", "starcoder2", "nemotron", "nemotron_h"],
        StringComparer.OrdinalIgnoreCase);

    // Families whose config default ties the LM head to the embedding.
    private static readonly HashSet<string> TiedByDefault = new(StringComparer.OrdinalIgnoreCase)
    {
        "gpt2", "gemma", "gemma2", "gemma3_text", "gemma3n_text", "gemma4_text", "opt", "bloom", "gptj", "mpt", "falcon",
    };

    /// <summary>Reads a config.json text; <paramref name="file"/> names it in errors.</summary>
    public static ModelArchitecture Parse(string json, string file)
    {
        JsonDocument doc;
        var reading = new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
        JsonChecks.NoDuplicateKeys(json, file, reading);
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw JsonChecks.Malformed(ex, file, "config.json");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("config.json", Suanli.Text.Phrase.Of("config-not-object", "config.json must be a JSON object."), new SourceLocation(file, 1, 1));
            }
            // Mapped only when a refusal needs a line: a good config pays for one parse.
            var positions = new Lazy<JsonPositions>(() => JsonPositions.Of(json, reading));
            // Multimodal configs (Llama 4, Gemma 3) nest the language model under text_config.
            var main = root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object && !Has(root, "num_hidden_layers")
                ? new Cfg(text, root, new ConfigFile(file, "text_config", positions))
                : new Cfg(root, root, new ConfigFile(file, "", positions));
            var language = Read(main);
            var size = Footprint.ParameterCount.Of(language).Total(language);
            if (size > GenericModel.MaxParameters)
            {
                // Past this the byte counts of weights and KV cache leave the range of whole numbers the reports print.
                throw main.Error("num_hidden_layers", Suanli.Text.Phrase.Of("config-too-large",
                    "config.json describes a model of {size} parameters ({layers} layers of width {hidden}), more than the {max} Suanli sizes (ten times the largest published model). Check num_hidden_layers, hidden_size, intermediate_size and vocab_size.",
                    ("size", GenericModel.Show(size)), ("layers", language.Layers.ToString("N0", CultureInfo.InvariantCulture)),
                    ("hidden", language.HiddenSize.ToString("N0", CultureInfo.InvariantCulture)), ("max", GenericModel.Show(GenericModel.MaxParameters))));
            }
            var towers = new List<EncoderTower>();
            foreach (var (key, kind) in new[] { ("vision_config", "vision"), ("audio_config", "audio") })
            {
                if (root.TryGetProperty(key, out var tower) && tower.ValueKind == JsonValueKind.Object)
                {
                    towers.Add(new EncoderTower(kind, Tower(new Cfg(tower, tower, new ConfigFile(file, key, positions)), key, language.HiddenSize,
                        new Cfg(root, root, new ConfigFile(file, "", positions)))));
                }
            }
            return towers.Count == 0 ? language : language with { Extras = language.Extras with { Towers = towers } };
        }
    }

    /// <summary>The exact checkpoint size from a <c>model.safetensors.index.json</c> (<c>metadata.total_size</c>).</summary>
    public static Bytes? CheckpointBytes(string json, string file)
    {
        JsonChecks.NoDuplicateKeys(json, file);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("total_size", out var size) && size.TryGetDouble(out var v) && v > 0)
            {
                return Bytes.FromBytes(v);
            }
            // The catalog's weights.json summarises an index as {"total_size_bytes": ...}.
            if (doc.RootElement.TryGetProperty("total_size_bytes", out var summary) && summary.TryGetDouble(out var s) && s > 0)
            {
                return Bytes.FromBytes(s);
            }
            return null;
        }
        catch (JsonException ex)
        {
            throw JsonChecks.Malformed(ex, file, "model.safetensors.index.json");
        }
    }

    // Fields of architectures Suanli cannot size (state-space/Mamba layers and other mixers): reading past them would
    // silently approximate the model as a plain transformer.
    private static readonly string[] Unmodelled =
    [
        "attn_layer_period", "attn_layer_offset", "ssm_cfg", "mamba_d_state", "mamba_expand",
        "block_types", "rwkv_version",
    ];

    // Fields of attention or embedding schemes that change the weights or the KV cache in ways Suanli does not size.
    // Reading past them would count a different model, so each names what it is.
    private static readonly (string Field, Suanli.Text.Phrase What)[] UnmodelledSchemes =
    [
        // Kimi K3's additions to the Kimi Linear layout: attention residuals across blocks, a latent expert width and a
        // gated MLA output. Kimi Linear's own linear_attn_config is read (Kimi Delta Attention layers).
        ("attn_res_block_size", Suanli.Text.Phrase.Of("config-scheme#attention-residuals", "block attention residuals (Kimi K3)")),
        ("routed_expert_hidden_size", Suanli.Text.Phrase.Of("config-scheme#expert-hidden-size", "routed experts working in a latent width different from hidden_size (Kimi K3)")),
        // Read past, MiMo-V2-Flash sized as 48 windowed layers of the full layers' widths: its 9 full layers' cache lost.
        ("hybrid_layer_pattern", Suanli.Text.Phrase.Of("config-scheme#hybrid-layer-pattern", "a per-layer pattern of full and sliding-window layers whose attention has widths of its own (MiMo-V2-Flash: 4 KV heads on full layers, 8 on windowed ones, values of 128 against keys of 192)")),
    ];

    private static ModelArchitecture Read(Cfg c)
    {
        foreach (var field in Unmodelled)
        {
            if (c.Present(field))
            {
                throw c.Error(field, Suanli.Text.Phrase.Of("config-unmodelled-mixer",
                    "config.json field '{field}' describes layers Suanli cannot model (state-space or other non-attention mixers); sizing the model as a transformer would be wrong. Remove the model or describe it with a supported architecture.",
                    ("field", field)));
            }
        }
        foreach (var (field, what) in UnmodelledSchemes)
        {
            // Gemma 4 writes 0 or false for a scheme it does not use.
            if (c.Present(field) && !c.ZeroOrFalse(field))
            {
                throw c.Error(field, Suanli.Text.Phrase.Of("config-unmodelled-scheme",
                    "config.json field '{field}' describes {what}, which Suanli cannot model; sizing the model as a plain transformer would misstate its weights or KV cache. Remove the model or describe it with a supported architecture.",
                    ("field", field), ("what", what)));
            }
        }
        // Nanbeige 4.2 runs its stack of layers num_loops times a token: the weights once, the compute (and, per its engine,
        // the cache) once a loop; read past, the step and the KV cache would be sized for one pass. One loop is a plain stack.
        if (c.OptInt("num_loops") is > 1)
        {
            throw c.Error("num_loops", Suanli.Text.Phrase.Of("config-num-loops", "config.json field 'num_loops' (a stack of layers run more than once a token, as in Nanbeige 4.2) is not modelled; sizing the model for one pass would misstate its step time and KV cache. Remove the model or describe it with a supported architecture."));
        }
        if (c.OptBool("mla_use_output_gate") == true)
        {
            throw c.Error("mla_use_output_gate", Suanli.Text.Phrase.Of("config-mla-output-gate", "config.json field 'mla_use_output_gate' (a gate on the MLA output, Kimi K3) is not modelled; sizing the model without it would misstate its weights. Remove the model or describe it with a supported architecture."));
        }
        var type = c.Str("model_type") ?? "unknown";
        var hidden = c.Int("hidden_size", "n_embd", "d_model");
        var layers = c.Int("num_hidden_layers", "n_layer", "num_layers");
        // Nemotron-H: the layers are its mixer blocks; the MLP-only blocks are kept apart (ExtraWeights.MlpOnlyBlocks).
        var hybrid = ReadHybridBlocks(c, layers);
        layers = hybrid?.Mixers ?? layers;
        var heads = c.Int("num_attention_heads", "n_head", "num_heads");
        // Checked before any division: a zero here would otherwise surface as an arithmetic error.
        c.Positive("hidden_size", hidden);
        c.Positive("num_attention_heads", heads);
        var givenHeadDim = c.OptInt("head_dim", "kv_channels");
        if (givenHeadDim is { } hd)
        {
            c.Positive("head_dim", hd);
        }
        else if (hidden % heads != 0 && c.OptInt("kv_lora_rank") is not > 0)
        {
            throw c.Error("hidden_size", Suanli.Text.Phrase.Of("config-hidden-not-head-multiple",
                "config.json field 'hidden_size' ({hidden}) must be a multiple of num_attention_heads ({heads}) when head_dim is not given: {hidden} / {heads} = {ratio} is not a whole head width. Correct hidden_size or num_attention_heads, or add head_dim.",
                ("hidden", hidden), ("heads", heads), ("ratio", (hidden / (double)heads).ToString("0.###", CultureInfo.InvariantCulture))));
        }
        var headDim = givenHeadDim ?? hidden / heads;
        int kvHeads;
        if (c.OptBool("multi_query_attention") == true)
        {
            kvHeads = c.OptInt("multi_query_group_num") ?? 1;
        }
        else
        {
            // Step 3.5 Flash calls its KV heads num_attention_groups.
            kvHeads = c.OptInt("num_key_value_heads", "num_kv_heads", "n_head_kv", "num_attention_groups") ?? heads;
        }
        var intermediate = UniformWidth(c, layers, "intermediate_size", "ffn_hidden_size", "n_inner") ?? 4 * hidden;
        var vocab = c.Int("vocab_size", "padded_vocab_size");
        var gated = !PlainMlp.Contains(type);
        var tied = c.OptBool("tie_word_embeddings") ?? TiedByDefault.Contains(type);
        var maxContext = c.OptPositive("max_position_embeddings", "n_positions", "seq_length", "max_sequence_length", "model_max_length") ?? 0;

        var qkvBias = c.OptBool("attention_bias") ?? c.OptBool("add_qkv_bias") ?? type is "qwen2" or "qwen2_moe" or "gpt2" or "phi" or "bloom" or "opt";
        var linearBias = c.OptBool("add_bias_linear") ?? type is "gpt2" or "phi" or "bloom" or "opt" or "gpt_bigcode";
        var layerNormBias = type is "gpt2" or "phi" or "gptj" or "bloom" or "opt" or "gpt_neox" or "falcon";
        var norms = type switch
        {
            "gemma2" or "gemma3_text" or "gemma3n_text" or "gemma4_text" => 4,
            "phi" or "gptj" => 1,
            _ => hybrid is not null || c.OptBool("parallel_attention_mlp") == true ? 1 : 2,
        };
        // ALiBi (BLOOM) and relative (Chinchilla) positions have no table even where n_positions is given.
        var positionKind = c.Str("position_embedding_type") ?? "absolute";
        var learnedPositions = type is "gpt2" or "opt" or "gpt_bigcode" && positionKind == "absolute" ? maxContext : 0;

        var useSw = c.OptBool("use_sliding_window");
        var sw = PositionFields(c, useSw);
        // DeepSeek V4 (compress_ratios) keeps its window inside the compressed attention, not as windowed layers.
        var mtpLayers = c.OptInt("num_nextn_predict_layers", "mtp_num_hidden_layers") ?? 0;
        var v4 = ReadV4Parts(c, type, layers, kvHeads, mtpLayers);
        var (window, windowLayers, linearLayers) = LayerKinds(c, type, layers, mtpLayers, maxContext, sw is > 0 && useSw != false && v4.Compressed is null ? sw : null);
        // Laguna: the full layers' query heads and the windowed layers' own (num_attention_heads_per_layer).
        (heads, var windowHeads) = HeadsPerLayer(c, layers, heads);
        // Step 3.5 Flash: the windowed layers' own query heads in attention_other_setting.
        var headsField = "num_attention_heads_per_layer";
        if (OtherAttentionHeads(c, kvHeads, givenHeadDim ?? hidden / heads) is { } otherHeads)
        {
            headsField = OtherAttention + ".num_attention_heads";
            windowHeads = otherHeads == heads ? null : otherHeads;
        }
        if (windowHeads is { } wh && (window is null || (kvHeads > 0 && wh % kvHeads != 0)))
        {
            throw c.Error(headsField, window is null
                ? Suanli.Text.Phrase.Of("config-window-heads-no-window", "config.json field '{field}' gives the sliding_attention layers {heads} query heads but the model has no sliding window shorter than its context to hold them. Give sliding_window, or one head count for every layer.",
                    ("field", headsField), ("heads", wh))
                : Suanli.Text.Phrase.Of("config-window-heads-kv", "num_key_value_heads ({kvHeads}) must divide the sliding_attention layers' query heads in config.json field '{field}' ({heads}). Correct the head counts.",
                    ("kvHeads", kvHeads), ("field", headsField), ("heads", wh)));
        }

        LinearAttention? linear = hybrid is null ? null : MambaShape(c, hybrid);
        if (linearLayers > 0 && hybrid is null)
        {
            linear = c.Obj("linear_attn_config") is { } kda
                ? KdaShape(c, kda, linearLayers)
                : c.OptInt("linear_num_value_heads") is { } valueHeads
                ? new LinearAttention("gated_deltanet", linearLayers, c.Int("linear_num_key_heads"), valueHeads,
                    c.Int("linear_key_head_dim"), c.Int("linear_value_head_dim"), c.OptInt("linear_conv_kernel_dim") ?? 4)
                : type.StartsWith("minimax", StringComparison.Ordinal)
                    ? new LinearAttention("lightning", linearLayers, heads, heads, headDim, headDim, 0)
                    : throw c.Error("layer_types", Suanli.Text.Phrase.Of("config-linear-layers-unsized", "config.json field 'layer_types' gives {count} linear_attention layers but there is no linear_num_value_heads / linear_key_head_dim (Gated DeltaNet) and is not a MiniMax lightning-attention model; Suanli cannot size those layers.",
                        ("count", linearLayers)));
        }

        // Checked for every model: a per-layer MLP list with a kind other than dense or experts is refused by its field.
        var listed = ListedDenseLayers(c, layers) ?? MoeLayersEnum(c, layers);
        MixtureOfExperts? moe = null;
        var experts = ExpertsBesideDenseMlp(c, c.OptInt("num_local_experts", "n_routed_experts", "num_experts", "moe_num_experts"));
        if (experts is > 1)
        {
            var active = c.OptInt("num_experts_per_tok", "num_experts_per_token", "experts_per_token", "moe_top_k", "moe_k", "num_selected_experts", "top_k_experts") ?? 2;
            if (active < 1 || active > experts)
            {
                // Zero routed experts per token sized the model as if no expert ran; more than exist, as if some ran twice.
                throw c.Error("num_experts_per_tok", Suanli.Text.Phrase.Of("config-experts-per-token", "config.json field 'num_experts_per_tok' ({active}) must be from 1 to the {experts} routed experts (num_local_experts): each token runs at least one expert and each at most once. Correct num_experts_per_tok.",
                    ("active", active), ("experts", experts.Value)));
            }
            var expertWidth = c.OptInt("moe_intermediate_size") ?? intermediate;
            var shared = c.OptInt("n_shared_experts", "num_shared_experts", "moe_num_shared_experts") ?? 0;
            // Qwen's shared_expert_intermediate_size is the total width, as is Step 3.5's share_expert_dim (its one shared
            // expert); MiniMax-M3's shared_intermediate_size is one shared expert's.
            var sharedWidth = c.OptInt("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size", "share_expert_dim") ?? shared * (c.OptInt("shared_intermediate_size") ?? expertWidth);
            (shared, sharedWidth) = c.OptBool("enable_moe_block") == true ? (1, intermediate) : (shared, sharedWidth);
            if (sharedWidth > 0 && shared == 0)
            {
                shared = 1;
            }
            if (type == "llama4_text" && sharedWidth == 0)
            {
                // Llama 4's MoE layers always add one shared expert as wide as a routed one (transformers Llama4TextMoe.shared_expert).
                shared = 1;
                sharedWidth = expertWidth;
            }
            var denseLayers = hybrid?.Mlp ?? listed ?? c.OptInt("first_k_dense_replace", "moe_layer_start_index") ?? 0;
            var every = listed is null ? c.OptInt("decoder_sparse_step", "moe_layer_freq", "interleave_moe_layer_step") ?? 1 : 1;
            if (every > 1 && denseLayers == 0)
            {
                // MoE on every k-th layer: the others are dense (Llama 4 Maverick interleaves, step 2).
                denseLayers = layers - layers / every;
            }
            var denseWidth = c.OptInt("intermediate_size_mlp", "dense_intermediate_size") ?? intermediate;
            if (denseLayers > 0)
            {
                intermediate = denseWidth;
            }
            moe = new MixtureOfExperts(experts.Value, active, shared, expertWidth, sharedWidth, denseLayers, v4.HashLayers) { LatentSize = ReadMoeLatent(c, routed: true) };
        }
        else
        {
            ReadMoeLatent(c, routed: false);
        }

        if (hybrid is not null && (hybrid.Experts > 0) != (moe is not null))
        {
            var field = c.Present("hybrid_override_pattern") ? "hybrid_override_pattern" : "layers_block_type";
            throw c.Error(field, hybrid.Experts > 0
                ? Suanli.Text.Phrase.Of("config-expert-blocks-without-experts", "config.json field '{field}' gives {blocks} expert blocks (E) but no n_routed_experts above 1 to route to. Add n_routed_experts and num_experts_per_tok, or correct the pattern.",
                    ("field", field), ("blocks", hybrid.Experts))
                : Suanli.Text.Phrase.Of("config-experts-without-blocks", "config.json gives routed experts (n_routed_experts) but field '{field}' has no expert block (E) to hold them. Correct the pattern or remove n_routed_experts.",
                    ("field", field)));
        }

        LatentAttention? mla = null;
        var kvLora = c.OptInt("kv_lora_rank");
        if (kvLora is > 0)
        {
            mla = new LatentAttention(kvLora.Value, c.OptInt("q_lora_rank") ?? 0, c.Int("qk_nope_head_dim"), c.Int("qk_rope_head_dim"), c.Int("v_head_dim"));
            headDim = mla.QkNopeHeadDim + mla.QkRopeHeadDim;
        }

        var sparse = ReadSparse(c, mla, v4.Compressed is not null, layers);

        c.Positive("hidden_size", hidden);
        c.Positive("num_hidden_layers", layers);
        c.Positive("num_attention_heads", heads);
        c.Positive("num_key_value_heads", kvHeads);
        c.Positive("vocab_size", vocab);
        c.Positive("intermediate_size", intermediate);
        if (heads % kvHeads != 0)
        {
            throw c.Error("num_key_value_heads", Suanli.Text.Phrase.Of("config-kv-heads-divide", "num_key_value_heads ({kvHeads}) must divide num_attention_heads ({heads}).",
                ("kvHeads", kvHeads), ("heads", heads)));
        }

        // Gemma 4's full layers' own widths, refused by field where there are no windowed and full layers to tell apart.
        var global = ReadGlobal(c, headDim, kvHeads, window is null ? 0 : windowLayers, layers);
        return new ModelArchitecture
        {
            ModelType = type,
            Layers = layers,
            HiddenSize = hidden,
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            IntermediateSize = intermediate,
            VocabSize = vocab,
            TiedEmbeddings = tied,
            GatedMlp = gated,
            NormsPerLayer = norms,
            MaxContext = maxContext,
            Window = window is { } length ? new SlidingWindow(length, windowLayers) { FullLayers = global, Heads = windowHeads } : null,
            Moe = moe,
            Mla = mla,
            Linear = linear,
            Sparse = sparse,
            Extras = new ExtraWeights(qkvBias, linearBias, layerNormBias, learnedPositions,
                // Hy4 says learnable_sink (transformers' HYV4Attention holds the sinks whatever it says: on unless false).
                AttentionSinks: type == "gpt_oss" || (c.OptBool("learnable_sink") ?? type == "hy_v4"),
                // Qwen3-Next and Muse Glimmer gate attention output by type (Muse's gate_proj, heads x head_dim rows, is fused
                // with q, k and v as qkvg_proj); Qwen3.5 says so with attn_output_gate, Hy4 with gated_mla.
                AttentionOutputGate: type is "qwen3_next" or "muse_glimmer_text" || c.OptBool("attn_output_gate") == true || ReadMlaGate(c, type, mla))
            { PerLayer = ReadPerLayer(c, type), SharedKv = ReadSharedKv(c, type, layers), MlpOnlyBlocks = hybrid?.MlpOnly ?? 0, HeadGate = ReadHeadGate(c),
                MtpDenseMlp = type == "step3p5" && mtpLayers > 0, MtpBlocks = ReadMtpBlocks(c, hybrid, mtpLayers),
                Streams = v4.Compressed is null ? v4.Streams : null },
            // DeepSeek/GLM/Kimi name the MTP blocks num_nextn_predict_layers, Qwen3.5 mtp_num_hidden_layers.
            MtpLayers = mtpLayers,
            Compressed = v4.Compressed is { } compressed ? compressed with { Output = v4.Output, Streams = v4.Streams } : null,
        };
    }

    private static bool Has(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;
}
