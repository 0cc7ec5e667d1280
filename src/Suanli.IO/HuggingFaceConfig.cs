using System.Globalization;
using System.Text.Json;
using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.IO;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into a <see cref="ModelArchitecture"/>. Key names differ by family
/// (hidden_size / n_embd / d_model, num_hidden_layers / n_layer / num_layers ...); one reader maps them all.
/// </summary>
public static class HuggingFaceConfig
{
    // Families whose MLP is a plain two-matrix MLP (fc1, activation, fc2); every other family is gated.
    private static readonly HashSet<string> PlainMlp = new(StringComparer.OrdinalIgnoreCase)
    {
        "gpt2", "gptj", "gpt_neox", "phi", "opt", "bloom", "falcon", "gpt_bigcode", "mpt", "starcoder2", "nemotron",
    };

    // Families whose config default ties the LM head to the embedding.
    private static readonly HashSet<string> TiedByDefault = new(StringComparer.OrdinalIgnoreCase)
    {
        "gpt2", "gemma", "gemma2", "gemma3_text", "opt", "bloom", "gptj", "mpt", "falcon",
    };

    /// <summary>Reads a config.json text; <paramref name="file"/> names it in errors.</summary>
    public static ModelArchitecture Parse(string json, string file)
    {
        JsonDocument doc;
        JsonChecks.NoDuplicateKeys(json, file, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InputException("config.json", $"Malformed JSON: {ex.Message.Split(" Path:")[0]}", new SourceLocation(file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("config.json", "config.json must be a JSON object.", new SourceLocation(file, 1, 1));
            }
            // Multimodal configs (Llama 4, Gemma 3) nest the language model under text_config.
            if (root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object && !Has(root, "num_hidden_layers"))
            {
                return Read(new Cfg(text, root, file));
            }
            return Read(new Cfg(root, root, file));
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
            throw new InputException("model.safetensors.index.json", $"Malformed JSON: {ex.Message.Split(" Path:")[0]}", new SourceLocation(file, (int)(ex.LineNumber ?? 0) + 1));
        }
    }

    private static ModelArchitecture Read(Cfg c)
    {
        var type = c.Str("model_type") ?? "unknown";
        var hidden = c.Int("hidden_size", "n_embd", "d_model");
        var layers = c.Int("num_hidden_layers", "n_layer", "num_layers");
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
            throw c.Error("hidden_size",
                $"config.json field 'hidden_size' ({hidden.ToString(CultureInfo.InvariantCulture)}) must be a multiple of num_attention_heads ({heads.ToString(CultureInfo.InvariantCulture)}) when head_dim is not given: {hidden.ToString(CultureInfo.InvariantCulture)} / {heads.ToString(CultureInfo.InvariantCulture)} = {(hidden / (double)heads).ToString("0.###", CultureInfo.InvariantCulture)} is not a whole head width. Correct hidden_size or num_attention_heads, or add head_dim.");
        }
        var headDim = givenHeadDim ?? hidden / heads;
        int kvHeads;
        if (c.OptBool("multi_query_attention") == true)
        {
            kvHeads = c.OptInt("multi_query_group_num") ?? 1;
        }
        else
        {
            kvHeads = c.OptInt("num_key_value_heads", "num_kv_heads", "n_head_kv") ?? heads;
        }
        var intermediate = c.OptInt("intermediate_size", "ffn_hidden_size", "n_inner") ?? 4 * hidden;
        var vocab = c.Int("vocab_size", "padded_vocab_size");
        var gated = !PlainMlp.Contains(type);
        var tied = c.OptBool("tie_word_embeddings") ?? TiedByDefault.Contains(type);
        var maxContext = c.OptInt("max_position_embeddings", "n_positions", "seq_length", "max_sequence_length") ?? 0;

        var qkvBias = c.OptBool("attention_bias") ?? c.OptBool("add_qkv_bias") ?? type is "qwen2" or "qwen2_moe" or "gpt2" or "phi" or "bloom" or "opt";
        var linearBias = c.OptBool("add_bias_linear") ?? type is "gpt2" or "phi" or "bloom" or "opt" or "gpt_bigcode";
        var layerNormBias = type is "gpt2" or "phi" or "gptj" or "bloom" or "opt" or "gpt_neox" or "falcon";
        var norms = type switch
        {
            "gemma2" or "gemma3_text" => 4,
            "phi" or "gptj" => 1,
            _ => c.OptBool("parallel_attention_mlp") == true ? 1 : 2,
        };
        // ALiBi (BLOOM) and relative (Chinchilla) positions have no table even where n_positions is given.
        var positionKind = c.Str("position_embedding_type") ?? "absolute";
        var learnedPositions = type is "gpt2" or "opt" or "gpt_bigcode" && positionKind == "absolute" ? maxContext : 0;

        int? window = null;
        var windowLayers = 0;
        var sw = c.OptInt("sliding_window");
        var useSw = c.OptBool("use_sliding_window");
        if (sw is > 0 && useSw != false && sw < maxContext)
        {
            window = sw;
            // Gemma 2 alternates local (windowed) and global layers; Mistral windows every layer.
            windowLayers = type is "gemma2" ? layers / 2 : layers;
        }

        MixtureOfExperts? moe = null;
        var experts = c.OptInt("num_local_experts", "n_routed_experts", "num_experts", "moe_num_experts");
        if (experts is > 1)
        {
            var active = c.OptInt("num_experts_per_tok", "moe_top_k", "num_selected_experts") ?? 2;
            var expertWidth = c.OptInt("moe_intermediate_size") ?? intermediate;
            var shared = c.OptInt("n_shared_experts", "num_shared_experts") ?? 0;
            var sharedWidth = c.OptInt("shared_expert_intermediate_size") ?? shared * expertWidth;
            if (sharedWidth > 0 && shared == 0)
            {
                shared = 1;
            }
            var denseLayers = c.OptInt("first_k_dense_replace") ?? 0;
            var every = c.OptInt("decoder_sparse_step", "moe_layer_freq", "interleave_moe_layer_step") ?? 1;
            if (every > 1 && denseLayers == 0)
            {
                // MoE on every k-th layer: the others are dense (Llama 4 Maverick interleaves, step 2).
                denseLayers = layers - layers / every;
            }
            var denseWidth = c.OptInt("intermediate_size_mlp") ?? intermediate;
            if (denseLayers > 0)
            {
                intermediate = denseWidth;
            }
            moe = new MixtureOfExperts(experts.Value, active, shared, expertWidth, sharedWidth, denseLayers);
        }

        LatentAttention? mla = null;
        var kvLora = c.OptInt("kv_lora_rank");
        if (kvLora is > 0)
        {
            mla = new LatentAttention(kvLora.Value, c.OptInt("q_lora_rank") ?? 0, c.Int("qk_nope_head_dim"), c.Int("qk_rope_head_dim"), c.Int("v_head_dim"));
            headDim = mla.QkNopeHeadDim + mla.QkRopeHeadDim;
        }

        c.Positive("hidden_size", hidden);
        c.Positive("num_hidden_layers", layers);
        c.Positive("num_attention_heads", heads);
        c.Positive("num_key_value_heads", kvHeads);
        c.Positive("vocab_size", vocab);
        c.Positive("intermediate_size", intermediate);
        if (heads % kvHeads != 0)
        {
            throw c.Error("num_key_value_heads", $"num_key_value_heads ({kvHeads}) must divide num_attention_heads ({heads}).");
        }

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
            QkvBias = qkvBias,
            LinearBias = linearBias,
            LayerNormBias = layerNormBias,
            NormsPerLayer = norms,
            LearnedPositions = learnedPositions,
            MaxContext = maxContext,
            SlidingWindow = window,
            SlidingWindowLayers = windowLayers,
            Moe = moe,
            Mla = mla,
        };
    }

    private static bool Has(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    private sealed class Cfg(JsonElement e, JsonElement root, string file)
    {
        public string? Str(string key) =>
            Get(key) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

        public int Int(params string[] keys) =>
            OptInt(keys) ?? throw new InputException(keys[0], $"config.json has no '{keys[0]}'{(keys.Length > 1 ? $" (nor {string.Join(", ", keys.Skip(1))})" : "")}; it is needed to size the model.", new SourceLocation(file));

        public int? OptInt(params string[] keys)
        {
            foreach (var k in keys)
            {
                if (Get(k) is { } v && v.ValueKind != JsonValueKind.Null)
                {
                    if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= 0 and <= int.MaxValue)
                    {
                        return (int)d;
                    }
                    throw new InputException(k, $"config.json field '{k}' must be a whole number, got {v.GetRawText()}.", new SourceLocation(file));
                }
            }
            return null;
        }

        public bool? OptBool(string key) => Get(key) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => null,
        };

        public void Positive(string key, int value)
        {
            if (value <= 0)
            {
                throw Error(key, $"config.json field '{key}' must be greater than zero, got {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        public InputException Error(string key, string message) => new(key, message, new SourceLocation(file));

        private JsonElement? Get(string key) =>
            e.TryGetProperty(key, out var v) ? v : root.TryGetProperty(key, out var r) ? r : null;
    }
}
