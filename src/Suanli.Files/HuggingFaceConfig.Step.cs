using System.Globalization;
using System.Text.Json;

namespace Suanli.Files;

// StepFun's Step 3.5 Flash (model_type step3p5) names its fields its own way: attention_other_setting gives the
// sliding-window layers their own query heads (96 against the full layers' 64), num_attention_groups the KV heads,
// use_head_wise_attn_gate a per-head output gate, share_expert_dim the shared expert's width and moe_layers_enum the layers
// that hold experts. Each maps onto a quantity Suanli already sizes; a value outside that is refused by field.
public static partial class HuggingFaceConfig
{
    private const string OtherAttention = "attention_other_setting";

    /// <summary>
    /// The sliding-window layers' query heads from attention_other_setting (null when the field is absent). Its KV heads and
    /// head width must be the full layers': Suanli gives the windowed layers a query-head count of their own, nothing else.
    /// </summary>
    private static int? OtherAttentionHeads(Cfg c, int kvHeads, int headDim)
    {
        if (c.Obj(OtherAttention) is not { } other)
        {
            return c.Present(OtherAttention) && !c.ZeroOrFalse(OtherAttention)
                ? throw c.Error(OtherAttention, Suanli.Text.Phrase.Of("config-other-attention-object", "config.json field '{field}' must be an object giving the sliding-window layers' num_attention_heads. Correct the field.",
                    ("field", OtherAttention)))
                : null;
        }
        if (c.Present("num_attention_heads_per_layer"))
        {
            throw c.Error(OtherAttention, Suanli.Text.Phrase.Of("config-other-attention-twice", "config.json gives the sliding-window layers' query heads twice, in '{field}' and in 'num_attention_heads_per_layer'. Keep one of them.",
                ("field", OtherAttention)));
        }
        if (other.TryGetProperty("attention_type", out var kind) && kind.ValueKind != JsonValueKind.Null
            && !(kind.ValueKind == JsonValueKind.String && kind.GetString() == "sliding_attention"))
        {
            throw c.Error($"{OtherAttention}.attention_type", Suanli.Text.Phrase.Of("config-other-attention-type", "config.json field '{field}' is {value}; Suanli reads this setting for the sliding_attention layers only (Step 3.5 Flash). Give \"sliding_attention\", or remove the model.",
                ("field", $"{OtherAttention}.attention_type"), ("value", kind.GetRawText())));
        }
        var heads = Whole(c, other, "num_attention_heads") ?? throw c.Error($"{OtherAttention}.num_attention_heads", Suanli.Text.Phrase.Of("config-other-attention-no-heads", "config.json field '{field}' is missing: the setting gives the sliding-window layers no query-head count. Add it.",
            ("field", $"{OtherAttention}.num_attention_heads")));
        c.Positive($"{OtherAttention}.num_attention_heads", heads);
        foreach (var (key, expected) in new[] { ("num_attention_groups", kvHeads), ("num_key_value_heads", kvHeads), ("head_dim", headDim), ("true_head_dim", headDim) })
        {
            if (Whole(c, other, key) is { } given && given != expected)
            {
                // Windowed layers with their own KV heads or head width would cache a different amount a token than the
                // full layers; Suanli sizes one KV shape for every layer, so that model is refused rather than misstated.
                throw c.Error($"{OtherAttention}.{key}", Suanli.Text.Phrase.Of("config-other-attention-width",
                    "config.json field '{field}' ({given}) differs from the full layers' value ({expected}); Suanli gives sliding-window layers query heads of their own, not KV heads or a head width of their own, so sizing this model would misstate its KV cache. Remove the model or describe it with a supported architecture.",
                    ("field", $"{OtherAttention}.{key}"), ("given", given), ("expected", expected)));
            }
        }
        return heads;
    }

    /// <summary>
    /// The dense-MLP layers from moe_layers_enum (Step 3.5: the comma-separated indices of the layers that hold experts), null
    /// when the field is absent. An index outside the layers or given twice is refused.
    /// </summary>
    private static int? MoeLayersEnum(Cfg c, int layers)
    {
        const string field = "moe_layers_enum";
        if (c.Str(field) is not { } text)
        {
            return c.Present(field)
                ? throw c.Error(field, Suanli.Text.Phrase.Of("config-moe-layers-not-text", "config.json field '{field}' must be a string of comma-separated layer indices (e.g. \"3,4,5\"). Correct the field.", ("field", field)))
                : null;
        }
        var moe = new HashSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= layers || !moe.Add(index))
            {
                throw c.Error(field, Suanli.Text.Phrase.Of("config-moe-layers-enum",
                    "config.json field 'moe_layers_enum' lists '{part}', which is not a layer index from 0 to {last} given once. Correct the list.",
                    ("part", Suanli.Text.InputQuote.Clip(part)), ("last", layers - 1)));
            }
        }
        return layers - moe.Count;
    }

    // Step 3.7 Flash (model_type step3p7) wraps the Step 3.5 text model with Meta's Perception Encoder (G/14 widths: 1536 wide,
    // 47 layers, a plain two-matrix MLP) and two 3x3 stride-2 convolutions (downsampler1 1536 -> 3072, downsampler2 3072 -> 6144)
    // before a 6144 -> text-width projector: transformers' Step3p7VisionModel and Step3p7Model.
    private const string PerceptionEncoder = "perception_encoder";

    /// <summary>
    /// The perception encoder's MLP width: width x mlp_ratio, truncated as transformers' Step3p7VisionConfig does. Absent, the
    /// ratio is that class's default 8960/1536 (the checkpoint's fc1 is 8960 wide).
    /// </summary>
    private static int PerceptionMlp(Cfg c, string key, int width)
    {
        const string field = "mlp_ratio";
        double ratio = 8960.0 / 1536.0;
        if (c.Get(field) is { } v && v.ValueKind != JsonValueKind.Null)
        {
            ratio = v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var r) && r > 0 && double.IsFinite(r)
                ? r
                : throw c.Error($"{key}.{field}", Suanli.Text.Phrase.Of("config-mlp-ratio", "config.json field '{field}' must be a number greater than zero (the MLP width over the encoder width), got {value}. Correct the field.",
                    ("field", $"{key}.{field}"), ("value", Suanli.Text.InputQuote.Clip(v.GetRawText()))));
        }
        // The ratio is a rounded double (8960/1536 x 1536 lands a hair under 8960); a millionth keeps the whole width.
        return (int)Math.Floor(width * ratio + 1e-6);
    }

    /// <summary>
    /// Step 3.7's downsampling convolutions after the encoder (3 x 3 x w x 2w and 3 x 3 x 2w x 4w weights) and the width the
    /// projector reads (4w). Only the stride of 2 its config gives is modelled; another understand_projector_stride is refused.
    /// </summary>
    private static (double Weights, int Output) StepDownsampler(Cfg wrapper, int width)
    {
        const string field = "understand_projector_stride";
        if (wrapper.OptInt(field) is { } stride && stride != 2)
        {
            throw wrapper.Error(field, Suanli.Text.Phrase.Of("config-projector-stride",
                "config.json field '{field}' is {value}; Suanli sizes Step 3.7's vision downsampler with a stride of 2 (two 3x3 convolutions widening the encoder 2x and 4x). Give 2, or remove the model.",
                ("field", field), ("value", stride)));
        }
        return (9.0 * width * 2 * width + 9.0 * 2 * width * 4 * width, 4 * width);
    }

    private static int? Whole(Cfg c, JsonElement obj, string key)
    {
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= 0
            ? i
            : throw c.Error($"{OtherAttention}.{key}", Suanli.Text.Phrase.Of("config-not-whole", "config.json field '{key}' must be a whole number of 0 or more, got {value}.",
                ("key", $"{OtherAttention}.{key}"), ("value", Suanli.Text.InputQuote.Clip(v.GetRawText()))));
    }
}
