using System.Globalization;
using Suanli.Catalog;

namespace Suanli.Files;

// Gemma 4's full-attention layers: their own head width (global_head_dim), KV heads (num_global_key_value_heads) and values
// taken from the key projection (attention_k_eq_v); transformers models/gemma4 Gemma4TextAttention.
public static partial class HuggingFaceConfig
{
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
            throw c.Error(field, $"config.json field '{field}' gives the full-attention layers their own widths, but the config has no mix of sliding_attention and full_attention layers (layer_types) for them to apply to; {windowLayers.ToString(CultureInfo.InvariantCulture)} of {layers.ToString(CultureInfo.InvariantCulture)} layers are windowed. Add layer_types or remove the field.");
        }
        var global = new GlobalAttention(width ?? headDim, heads ?? kvHeads, keysAreValues);
        c.Positive("global_head_dim", global.HeadDim);
        c.Positive("num_global_key_value_heads", global.KvHeads);
        return global.HeadDim == headDim && global.KvHeads == kvHeads && !keysAreValues ? null : global;
    }
}
