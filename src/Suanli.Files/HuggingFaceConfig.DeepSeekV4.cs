using Suanli.Catalog;

namespace Suanli.Files;

// DeepSeek V4's parts (docs/methodology.md, "DeepSeek V4: compressed attention and hyper-connections"): per-layer compressed
// attention over one shared KV head, a grouped low-rank output projection, hyper-connection streams and hash-routed layers;
// Hy4's identity hyper-connections (enable_ihc) are read here too, outside the compressed attention.
public static partial class HuggingFaceConfig
{
    private sealed record V4Parts(CompressedAttention? Compressed, GroupedOutput? Output, HyperConnections? Streams, int HashLayers);

    private static V4Parts ReadV4Parts(Cfg c, string type, int layers, int kvHeads, int mtpLayers)
    {
        CompressedAttention? compressed = null;
        if (c.IntList("compress_ratios") is { } ratios)
        {
            // The list may carry one entry per MTP block after the main layers (V4-Pro and V4-Flash list 62 and 44).
            if (ratios.Count < layers || ratios.Count > layers + mtpLayers)
            {
                throw c.Error("compress_ratios", Suanli.Text.Phrase.Of("config-compress-ratios-count", "config.json field 'compress_ratios' lists {count} ratios; it needs one per layer (num_hidden_layers {layers}), plus at most one per MTP block ({mtp}).",
                    ("count", ratios.Count), ("layers", layers), ("mtp", mtpLayers)));
            }
            if (ratios.Where(r => r is not (0 or CompressedAttention.IndexedRatio or CompressedAttention.HeavyRatio)).Select(r => (int?)r).FirstOrDefault() is { } r)
            {
                throw c.Error("compress_ratios", Suanli.Text.Phrase.Of("config-compress-ratio", "config.json field 'compress_ratios' has ratio {ratio}; Suanli models 0 (sliding window only), 4 (compressed sparse attention with an indexer) and 128 (heavily compressed attention), as DeepSeek V4 defines them.",
                    ("ratio", r)));
            }
            if (kvHeads != 1)
            {
                throw c.Error("num_key_value_heads", Suanli.Text.Phrase.Of("config-compressed-kv-heads", "config.json field 'num_key_value_heads' is {kvHeads} beside 'compress_ratios'; compressed attention shares one key-value head (DeepSeek V4), so it must be 1.",
                    ("kvHeads", kvHeads)));
            }
            var window = c.Int("sliding_window");
            c.Positive("sliding_window", window);
            var qLora = c.Int("q_lora_rank");
            c.Positive("q_lora_rank", qLora);
            compressed = new CompressedAttention(ratios.Take(layers).ToList(), window, qLora, c.Int("qk_rope_head_dim"));
            if (compressed.LayersOf(CompressedAttention.IndexedRatio) > 0 && c.OptInt("index_topk") is null)
            {
                throw c.Error("index_topk", Suanli.Text.Phrase.Of("config-compressed-no-indexer", "config.json gives 'compress_ratios' of 4 (compressed sparse attention) but no 'index_topk' (with index_n_heads and index_head_dim) for its indexer."));
            }
        }

        GroupedOutput? output = null;
        if (c.OptInt("o_lora_rank") is { } rank)
        {
            if (compressed is null)
            {
                throw c.Error("o_lora_rank", Suanli.Text.Phrase.Of("config-o-lora-rank", "config.json field 'o_lora_rank' (a grouped low-rank attention output, DeepSeek V4) is modelled only with DeepSeek V4's compressed attention ('compress_ratios'). Remove the model or describe it with a supported architecture."));
            }
            c.Positive("o_lora_rank", rank);
            var groups = c.Int("o_groups");
            c.Positive("o_groups", groups);
            output = new GroupedOutput(groups, rank);
        }

        HyperConnections? streams = null;
        // transformers' HYV4DecoderLayer builds its identity hyper-connections whatever the config says: hy_v4 has them unless
        // enable_ihc says false.
        var identity = c.OptBool("enable_ihc") ?? type == "hy_v4";
        if (identity && compressed is not null)
        {
            throw c.Error("enable_ihc", Suanli.Text.Phrase.Of("config-ihc-compressed", "config.json field 'enable_ihc' (identity hyper-connections, Hy4) is set beside DeepSeek V4's compressed attention ('compress_ratios'), whose hyper-connections mix the streams; Suanli models each only in its own layout. Remove one of them."));
        }
        if (c.OptInt("hc_mult") is { } n)
        {
            if (compressed is null && !identity)
            {
                throw c.Error("hc_mult", Suanli.Text.Phrase.Of("config-hc-mult", "config.json field 'hc_mult' (hyper-connections: several residual streams per layer) is modelled only in DeepSeek V4's layout ('compress_ratios') or as Hy4's identity hyper-connections ('enable_ihc': true). Remove the model or describe it with a supported architecture."));
            }
            c.Positive("hc_mult", n);
            streams = n > 1 ? new HyperConnections(n, ResidualMix: !identity) : null;
        }
        else if (identity)
        {
            throw c.Error(c.Present("enable_ihc") ? "enable_ihc" : "hc_mult", Suanli.Text.Phrase.Of("config-ihc-no-streams", "config.json asks for identity hyper-connections ('enable_ihc', on by default for hy_v4) but has no 'hc_mult' to say how many residual streams they carry. Add hc_mult (Hy4: 4)."));
        }

        var hash = c.OptInt("num_hash_layers") ?? 0;
        if (hash > layers)
        {
            throw c.Error("num_hash_layers", Suanli.Text.Phrase.Of("config-hash-layers", "config.json field 'num_hash_layers' ({hash}) exceeds num_hidden_layers ({layers}).",
                ("hash", hash), ("layers", layers)));
        }
        return new V4Parts(compressed, output, streams, hash);
    }
}
