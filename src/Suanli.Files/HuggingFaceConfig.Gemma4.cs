using Suanli.Catalog;

namespace Suanli.Files;

// Gemma 4's full-attention layers: their own head width (global_head_dim), KV heads (num_global_key_value_heads) and values
// taken from the key projection (attention_k_eq_v); transformers models/gemma4 Gemma4TextAttention.
public static partial class HuggingFaceConfig
{
    /// <summary>
    /// Gemma 4 26B-A4B's expert block (enable_moe_block; transformers models/gemma4 Gemma4TextDecoderLayer): every layer runs
    /// its dense MLP and, beside it, top_k_experts of num_experts routed experts, so the dense MLP is read as one always-active
    /// shared expert of intermediate_size. The block without experts to route to is refused by field.
    /// </summary>
    private static int? ExpertsBesideDenseMlp(Cfg c, int? experts) =>
        c.OptBool("enable_moe_block") == true && experts is not > 1
            ? throw c.Error("enable_moe_block", Suanli.Text.Phrase.Of("config-moe-block-no-experts", "config.json field 'enable_moe_block' adds an expert block beside each layer's dense MLP, but the config gives no num_experts above 1 to route to. Add num_experts and top_k_experts, or set enable_moe_block to false."))
            : experts;

    /// <summary>
    /// The widths of the full-attention layers where a sliding-window model gives them apart; null when the config gives none
    /// or they equal the windowed layers'. Only a model with both sliding and full layers (layer_types) can carry them.
    /// </summary>
    private static GlobalAttention? ReadGlobal(Cfg c, int headDim, int kvHeads, int windowLayers, int layers)
    {
        var width = c.OptInt("global_head_dim");
        var heads = c.OptInt("num_global_key_value_heads");
        var keysAreValues = c.OptBool("attention_k_eq_v") == true;
        if (width is null && heads is null && !keysAreValues)
        {
            return null;
        }
        var field = width is not null ? "global_head_dim" : heads is not null ? "num_global_key_value_heads" : "attention_k_eq_v";
        if (windowLayers == 0 || windowLayers >= layers)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-global-widths", "config.json field '{field}' gives the full-attention layers their own widths, but the config has no mix of sliding_attention and full_attention layers (layer_types) for them to apply to; {windowed} of {layers} layers are windowed. Add layer_types or remove the field.",
                ("field", field), ("windowed", windowLayers), ("layers", layers)));
        }
        var global = new GlobalAttention(width ?? headDim, heads ?? kvHeads, keysAreValues);
        c.Positive("global_head_dim", global.HeadDim);
        c.Positive("num_global_key_value_heads", global.KvHeads);
        return global.HeadDim == headDim && global.KvHeads == kvHeads && !keysAreValues ? null : global;
    }
}
