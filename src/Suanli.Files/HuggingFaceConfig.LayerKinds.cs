namespace Suanli.Files;

// Layer kinds: which layers attend within a window (Gemma 2 and 3, Mistral, Llama 4's chunks, gpt-oss) and which are
// linear attention (Qwen3-Next, Kimi Linear, MiniMax), from the fields each family uses for them.
public static partial class HuggingFaceConfig
{
    /// <summary>
    /// The sliding window, the layers that use it and the linear-attention layers. <paramref name="sw"/> is the window
    /// <see cref="PositionFields"/> checked, null where the config switches it off or keeps it inside compressed attention.
    /// </summary>
    private static (int? Window, int WindowLayers, int LinearLayers) LayerKinds(Cfg c, string type, int layers, int mtpLayers, int maxContext, int? sw)
    {
        int? window = null;
        var windowLayers = 0;
        if (sw is { } length && length < maxContext)
        {
            window = length;
            // Gemma 2 alternates local (windowed) and global layers; Gemma 3 has one global layer in every
            // sliding_window_pattern (6); Mistral windows every layer.
            windowLayers = type switch
            {
                "gemma2" => layers / 2,
                "gemma3_text" or "gemma3" => layers - layers / (c.OptInt("sliding_window_pattern") ?? 6),
                _ => layers,
            };
        }

        if (c.OptInt("attention_chunk_size") is { } chunk && window is null)
        {
            // Llama 4 chunked local attention: the RoPE layers (3 of every 4; transformers Llama4TextConfig.no_rope_layers
            // default) attend within chunks of attention_chunk_size, so they never hold more than one chunk of KV. Modelled
            // as a window of the chunk length (an upper bound: a chunk restarts at its boundary).
            c.Positive("attention_chunk_size", chunk);
            window = chunk;
            windowLayers = c.IntList("no_rope_layers") is { } rope ? rope.Count(r => r != 0) : layers - layers / 4;
        }

        // Per-layer kinds, where the config lists them (gpt-oss, Gemma 3, Qwen3-Next): they override the rules above.
        var linearLayers = 0;
        if (c.StrList("layer_types") is { } kinds)
        {
            // Step 3.5 Flash lists its MTP blocks' kinds after the decoder layers (45 + 3); only the decoder layers are read.
            if (kinds.Count != layers && (mtpLayers == 0 || kinds.Count != layers + mtpLayers))
            {
                throw c.Error("layer_types", mtpLayers > 0
                    ? Suanli.Text.Phrase.Of("config-layer-types-count#mtp", "config.json field 'layer_types' lists {count} layers but num_hidden_layers is {layers} (or {withMtp} with the MTP blocks).",
                        ("count", kinds.Count), ("layers", layers), ("withMtp", layers + mtpLayers))
                    : Suanli.Text.Phrase.Of("config-layer-types-count", "config.json field 'layer_types' lists {count} layers but num_hidden_layers is {layers}.",
                        ("count", kinds.Count), ("layers", layers)));
            }
            windowLayers = 0;
            foreach (var (k, i) in kinds.Take(layers).Select((k, i) => (k, i)))
            {
                switch (k)
                {
                    case "full_attention":
                        break;
                    // Hy4 names its layers by their attention: full attention read through DSA's indexer (index_topk).
                    case "deepseek_sparse_attention" when c.Present("index_topk"):
                        break;
                    case "sliding_attention":
                        windowLayers++;
                        break;
                    case "linear_attention":
                        linearLayers++;
                        break;
                    default:
                        throw c.Error("layer_types", Suanli.Text.Phrase.Of("config-layer-kind", "config.json field 'layer_types' has layer kind '{kind}', which Suanli cannot model; known kinds are full_attention, sliding_attention, linear_attention and deepseek_sparse_attention (with index_topk).",
                            ("kind", k)), $"layer_types[{i}]");
                }
            }
            if (windowLayers > 0 && window is null)
            {
                throw c.Error("sliding_window", Suanli.Text.Phrase.Of("config-window-layers-no-window", "config.json lists sliding_attention layers in 'layer_types' but gives no 'sliding_window' length."));
            }
        }
        else if (c.Obj("linear_attn_config") is { } kdaConfig)
        {
            // Kimi Linear: linear_attn_config lists the Kimi Delta Attention layers and the MLA layers, 1-based.
            linearLayers = KdaLayers(c, kdaConfig, layers);
        }
        else if (c.OptInt("full_attention_interval") is { } every)
        {
            // Qwen3-Next: every k-th layer is full attention, the others Gated DeltaNet.
            c.Positive("full_attention_interval", every);
            linearLayers = layers - layers / every;
        }
        else if (c.IntList("attn_type_list") is { } attnTypes)
        {
            // MiniMax-01 / M1: 0 = lightning (linear) attention, 1 = softmax attention, per layer.
            if (attnTypes.Count != layers)
            {
                throw c.Error("attn_type_list", Suanli.Text.Phrase.Of("config-attn-type-count", "config.json field 'attn_type_list' lists {count} layers but num_hidden_layers is {layers}.",
                    ("count", attnTypes.Count), ("layers", layers)));
            }
            foreach (var (t, i) in attnTypes.Select((t, i) => (t, i)))
            {
                if (t is not (0 or 1))
                {
                    throw c.Error("attn_type_list", Suanli.Text.Phrase.Of("config-attn-type-value", "config.json field 'attn_type_list' has value {value}; Suanli models 0 (lightning attention) and 1 (softmax attention).", ("value", t)), $"attn_type_list[{i}]");
                }
            }
            linearLayers = attnTypes.Count(t => t == 0);
        }
        return (window, windowLayers, linearLayers);
    }
}
