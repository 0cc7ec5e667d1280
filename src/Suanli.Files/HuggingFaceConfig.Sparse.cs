using System.Text.Json;
using Suanli.Catalog;

namespace Suanli.Files;

// Sparse attention with an indexer (DeepSeek Sparse Attention, GLM-5.2's IndexShare, MiniMax Sparse Attention) and the
// per-layer MLP lists that say which layers are dense (moe_layer_freq as a list, mlp_layer_types).
public static partial class HuggingFaceConfig
{
    /// <summary>
    /// The indexer of a sparse-attention config, null without one. DeepSeek Sparse Attention: index_n_heads, index_head_dim,
    /// index_topk over MLA or compressed attention, with GLM-5.2's indexer_types ('full' layers run the indexer, 'shared' ones
    /// reuse the top-k of the last full layer). MiniMax Sparse Attention: sparse_attention_config over grouped-query attention.
    /// </summary>
    private static SparseAttention? ReadSparse(Cfg c, LatentAttention? mla, bool compressed, int layers)
    {
        if (c.Obj("sparse_attention_config") is { } msa)
        {
            return MiniMaxSparse(c, msa, mla is not null || compressed, layers);
        }
        if (c.OptInt("index_topk") is not { } topK)
        {
            return null;
        }
        if (mla is null && !compressed)
        {
            throw c.Error("index_topk", Suanli.Text.Phrase.Of("config-dsa-needs-latent", "config.json field 'index_topk' (DeepSeek Sparse Attention) needs multi-head latent attention (kv_lora_rank) or compressed attention (compress_ratios); Suanli models the indexer only there."));
        }
        c.Positive("index_topk", topK);
        var sparse = new SparseAttention(c.Int("index_n_heads"), c.Int("index_head_dim"), topK);
        if (c.StrList("indexer_types") is not { } kinds)
        {
            // A sharing period without the per-layer list would leave the indexer layers to a guess.
            if (c.OptInt("index_topk_freq") is > 1)
            {
                throw c.Error("index_topk_freq", Suanli.Text.Phrase.Of("config-index-share-no-types", "config.json field 'index_topk_freq' shares one indexer among several layers but the config has no 'indexer_types' list saying which layers run it; add indexer_types ('full' or 'shared' per layer)."));
            }
            return sparse;
        }
        if (kinds.Count != layers || kinds.Any(k => k is not ("full" or "shared")) || kinds[0] != "full")
        {
            throw c.Error("indexer_types", Suanli.Text.Phrase.Of("config-indexer-types", "config.json field 'indexer_types' must list 'full' or 'shared' for each of the {layers} layers, starting with 'full' (a shared layer reuses the top-k of the last full one); it lists {count}: {kinds}. Correct the list.",
                ("layers", layers), ("count", kinds.Count), ("kinds", string.Join(", ", kinds.Distinct()))));
        }
        var full = kinds.Count(k => k == "full");
        if (compressed && full < layers)
        {
            throw c.Error("indexer_types", Suanli.Text.Phrase.Of("config-index-share-compressed", "config.json field 'indexer_types' shares indexers between layers of compressed attention (compress_ratios), which Suanli does not model; IndexShare is modelled over multi-head latent attention only."));
        }
        return full == layers ? sparse : sparse with { IndexerLayers = full };
    }

    /// <summary>
    /// MiniMax Sparse Attention (vLLM minimax_m3 MiniMaxM3SparseAttention; NVIDIA-NeMo/Automodel minimax_m3_vl flops.py): on the
    /// layers sparse_attention_freq marks, sparse_num_index_heads index queries score every cached token against one BF16 index
    /// key of sparse_index_dim, and attention reads the sparse_topk_blocks best blocks of sparse_block_size tokens (the forced
    /// initial and local blocks count inside that budget).
    /// </summary>
    private static SparseAttention? MiniMaxSparse(Cfg c, JsonElement o, bool latent, int layers)
    {
        const string field = "sparse_attention_config";
        if (o.TryGetProperty("use_sparse_attention", out var use) && use.ValueKind == JsonValueKind.False)
        {
            return null;
        }
        if (latent)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-msa-with-latent", "config.json field 'sparse_attention_config' (MiniMax Sparse Attention) is modelled over grouped-query attention; this config also has latent or compressed attention. Remove one of them."));
        }
        int Field(string key, int fallback = -1)
        {
            if (!o.TryGetProperty(key, out var v) && fallback >= 0)
            {
                return fallback;
            }
            return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= 0 && (i > 0 || fallback >= 0)
                ? i
                : throw c.Error(field, fallback >= 0
                    ? Suanli.Text.Phrase.Of("config-msa-size#whole", "config.json field '{field}' must be a whole number; it sizes MiniMax Sparse Attention.", ("field", $"{field}.{key}"))
                    : Suanli.Text.Phrase.Of("config-msa-size", "config.json field '{field}' must be a whole number greater than zero; it sizes MiniMax Sparse Attention.", ("field", $"{field}.{key}")));
        }
        var blocks = Field("sparse_topk_blocks");
        var block = Field("sparse_block_size");
        if (Field("sparse_init_block", 0) + Field("sparse_local_block", 0) > blocks)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-msa-forced-blocks", "config.json field '{field}' forces more initial and local blocks than its sparse_topk_blocks ({blocks}); the forced blocks count inside that budget. Correct the counts.",
                ("field", field), ("blocks", blocks)));
        }
        var sparse = new SparseAttention(Field("sparse_num_index_heads"), Field("sparse_index_dim"), blocks * block)
        {
            Scheme = SparseAttention.MiniMaxScheme,
            BlockSize = block,
        };
        if (!o.TryGetProperty("sparse_attention_freq", out var freq) || freq.ValueKind == JsonValueKind.Null)
        {
            return sparse;
        }
        var marks = freq.ValueKind == JsonValueKind.Array
            ? freq.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i) && i is 0 or 1 ? i : -1).ToList()
            : [];
        if (marks.Count != layers || marks.Contains(-1))
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-msa-layers", "config.json field '{field}.sparse_attention_freq' must list 0 (full attention) or 1 (sparse) for each of the {layers} layers. Correct the list.",
                ("field", field), ("layers", layers)));
        }
        return sparse with { Layers = marks.Count(m => m == 1) };
    }

    /// <summary>
    /// Dense-MLP layers given per layer: moe_layer_freq as a list (MiniMax-M3: 0 dense, 1 MoE) or mlp_layer_types ('dense' or
    /// 'sparse', GLM-5.2); null when the config gives neither list.
    /// </summary>
    private static int? ListedDenseLayers(Cfg c, int layers)
    {
        if (c.IntList("moe_layer_freq") is { } freq)
        {
            return freq.Count == layers && freq.All(f => f is 0 or 1)
                ? freq.Count(f => f == 0)
                : throw c.Error("moe_layer_freq", Suanli.Text.Phrase.Of("config-moe-layer-freq", "config.json field 'moe_layer_freq' as a list must give 0 (dense MLP) or 1 (experts) for each of the {layers} layers. Correct the list.",
                    ("layers", layers)));
        }
        if (c.StrList("mlp_layer_types") is { } kinds)
        {
            return kinds.Count == layers && kinds.All(k => k is "dense" or "sparse")
                ? kinds.Count(k => k == "dense")
                : throw c.Error("mlp_layer_types", Suanli.Text.Phrase.Of("config-mlp-layer-types", "config.json field 'mlp_layer_types' must list 'dense' or 'sparse' (experts) for each of the {layers} layers; other MLP kinds are not modelled. Correct the list.",
                    ("layers", layers)));
        }
        return null;
    }
}
