using System.Text.Json;
using Suanli.Catalog;

namespace Suanli.Files;

// Layer kinds read from nested config objects: Kimi Linear's Kimi Delta Attention layers and vision/audio encoder towers.
public static partial class HuggingFaceConfig
{
    /// <summary>
    /// Parameters of a ViT-style encoder tower and its projector: layers x (4 h^2 attention + 2 h i MLP) + patch embedding
    /// (channels x patch^2 x h) + position table ((image / patch)^2 x h) + projector (output width x text hidden).
    /// Pixtral (Mistral Small 3.1, Ministral 3) gates its MLP (gate, up and down projections: 3 h i) and places patches
    /// with 2-D RoPE, so it has no position table (transformers modeling_pixtral.py, PixtralMLP and PixtralRotaryEmbedding).
    /// Biases and norms are left out (under 0.5% of a tower).
    /// </summary>
    private static double Tower(Cfg c, string key, int textHidden, Cfg wrapper)
    {
        // Kimi-K2.5's MoonViT prefixes its tower fields with vt_; Step 3.7's perception encoder writes width and layers.
        var h = c.Int("hidden_size", "d_model", "embed_dim", "vt_hidden_size", "width");
        var layers = c.Int("num_hidden_layers", "depth", "encoder_layers", "vt_num_hidden_layers", "layers");
        var perception = c.Str("model_type") == PerceptionEncoder;
        var inner = c.OptInt("intermediate_size", "encoder_ffn_dim", "vt_intermediate_size") ?? (perception ? PerceptionMlp(c, key, h) : 4 * h);
        var patch = c.OptInt("patch_size") ?? 0;
        var channels = c.OptInt("num_channels", "in_channels") ?? 3;
        var image = c.OptInt("image_size") ?? 0;
        var output = c.OptInt("vision_output_dim", "out_hidden_size", "projection_dim") ?? h;
        c.Positive($"{key}.hidden_size", h);
        c.Positive($"{key}.num_hidden_layers", layers);
        // Pixtral and Gemma 4's vision encoder gate their MLPs (gate, up and down projections).
        var pixtral = c.Str("model_type") is "pixtral" or "gemma4_vision";
        double blocks = (double)layers * (4.0 * h * h + (pixtral ? 3.0 : 2.0) * h * inner);
        if (c.Str("model_type") == MuseGlimmerVision)
        {
            return blocks + MuseGlimmerVisionExtras(c, key, h, channels, patch, textHidden, wrapper);
        }
        double patchEmbed = (double)channels * patch * patch * h;
        double positions = patch > 0 && image > 0 && !pixtral ? Math.Pow(image / patch, 2) * h : 0;
        var (downsampler, projected) = perception ? StepDownsampler(wrapper, h) : (0.0, output);
        return blocks + patchEmbed + positions + downsampler + (double)projected * textHidden;
    }

    // Kimi Delta Attention (Kimi Linear's linear_attn_config): kda_layers and full_attn_layers must split the layers
    // 1..num_hidden_layers between them; anything else would leave layers unsized or sized twice.
    private static int KdaLayers(Cfg c, JsonElement kda, int layers)
    {
        var field = "linear_attn_config";
        var linear = IntArray(c, kda, "kda_layers");
        var full = IntArray(c, kda, "full_attn_layers");
        var all = linear.Concat(full).ToList();
        if (all.Count != layers || all.Distinct().Count() != layers || all.Any(i => i < 1 || i > layers))
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-kda-layers", "config.json field 'linear_attn_config' must list every layer 1..{layers} once in kda_layers or full_attn_layers; it lists {linear} + {full}. Correct the two lists.",
                ("layers", layers), ("linear", linear.Count), ("full", full.Count)));
        }
        if (kda.TryGetProperty("use_full_rank_gate", out var fullRank) && fullRank.ValueKind == JsonValueKind.True)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-kda-full-rank-gate", "config.json field 'linear_attn_config.use_full_rank_gate' (a full-rank KDA gate, Kimi K3) is not modelled: Suanli sizes Kimi Linear's low-rank gates. Remove the model or describe it with a supported architecture."),
                $"{field}.use_full_rank_gate");
        }
        return linear.Count;
    }

    private static LinearAttention KdaShape(Cfg c, JsonElement kda, int layers)
    {
        int Field(string key) =>
            kda.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i > 0
                ? i
                : throw c.Error("linear_attn_config", Suanli.Text.Phrase.Of("config-kda-size", "config.json field 'linear_attn_config.{key}' must be a whole number greater than zero; it sizes the Kimi Delta Attention layers.", ("key", key)),
                    $"linear_attn_config.{key}");
        var heads = Field("num_heads");
        var dim = Field("head_dim");
        var conv = kda.TryGetProperty("short_conv_kernel_size", out _) ? Field("short_conv_kernel_size") : 4;
        // One state matrix of head_dim x head_dim per head (keys and values have the same width in KDA).
        return new LinearAttention("kda", layers, heads, heads, dim, dim, conv);
    }

    private static List<int> IntArray(Cfg c, JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select((x, index) => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i)
                ? i
                : throw c.Error("linear_attn_config", Suanli.Text.Phrase.Of("config-kda-layer-number", "config.json field 'linear_attn_config.{key}' must list whole layer numbers, got {value}.",
                    ("key", key), ("value", x.GetRawText())), $"linear_attn_config.{key}[{index}]")).ToList()
            : throw c.Error("linear_attn_config", Suanli.Text.Phrase.Of("config-kda-no-list", "config.json field 'linear_attn_config' has no '{key}' list; Kimi Linear lists its KDA and MLA layers there.", ("key", key)));
}
