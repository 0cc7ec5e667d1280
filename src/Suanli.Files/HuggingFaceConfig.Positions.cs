using System.Text.Json;
using Suanli.Text;

namespace Suanli.Files;

// Position fields: the RoPE settings and the sliding window. Suanli sizes neither from RoPE (rotations cost no weights
// and no KV cache), but a config whose RoPE no engine would load is refused rather than read past.
public static partial class HuggingFaceConfig
{
    // The RoPE settings objects: rope_scaling (transformers up to 4.x) and rope_parameters (later, flat or one object per
    // layer kind, as Gemma 4's full_attention and sliding_attention).
    private static readonly string[] RopeObjects = ["rope_scaling", "rope_parameters"];

    // Fields that scale or bound a rotation: a number above zero. Llama 4 Scout gives low_freq_factor = high_freq_factor,
    // so their order is not checked.
    private static readonly string[] RopePositive = ["rope_theta", "attention_factor", "beta_fast", "beta_slow", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"];

    /// <summary>
    /// Checks the RoPE fields and returns <c>sliding_window</c>. transformers (src/transformers/masking_utils.py at
    /// huggingface/transformers@00c4411cbe15d4c56d54d3b56d4d171e9c289dac) means "no window" by null: its sliding-window
    /// mask keeps key positions with <c>kv_idx &gt; q_idx - sliding_window</c>, so a window of 0 lets no token attend to
    /// any, itself included. A 0 is refused where the window is used (<c>use_sliding_window</c> not false).
    /// </summary>
    private static int? PositionFields(Cfg c, bool? useSlidingWindow)
    {
        foreach (var key in new[] { "rope_theta", "partial_rotary_factor" })
        {
            if (c.Get(key) is { ValueKind: JsonValueKind.Array } perLayer && key == "rope_theta")
            {
                // Step 3.5 Flash gives each layer its own base (5e6 on the full layers, 1e4 on the windowed ones).
                var i = 0;
                foreach (var theta in perLayer.EnumerateArray())
                {
                    RopeNumber(c, key, $"{key}[{(i++).ToString(System.Globalization.CultureInfo.InvariantCulture)}]", theta);
                }
            }
            else if (c.Get(key) is { ValueKind: not JsonValueKind.Null } value)
            {
                RopeNumber(c, key, key, value);
            }
        }
        foreach (var key in RopeObjects)
        {
            switch (c.Get(key))
            {
                case null or { ValueKind: JsonValueKind.Null }:
                    break;
                case { ValueKind: JsonValueKind.Object } settings when settings.EnumerateObject().Any() && settings.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Object):
                    foreach (var kind in settings.EnumerateObject())
                    {
                        RopeSettings(c, $"{key}.{kind.Name}", kind.Value);
                    }
                    break;
                case { ValueKind: JsonValueKind.Object } settings:
                    RopeSettings(c, key, settings);
                    break;
                case { } other:
                    throw c.Error(key, Phrase.Of("config-rope-not-settings", "config.json field '{key}' must be an object of RoPE settings or null, got {value}.",
                        ("key", key), ("value", InputQuote.Clip(other.GetRawText()))));
            }
        }
        var window = c.OptInt("sliding_window");
        if (window == 0 && useSlidingWindow != false)
        {
            throw c.Error("sliding_window", Phrase.Of("config-window-zero",
                "config.json field 'sliding_window' is 0: a window of 0 tokens lets no token attend to any other, itself included (transformers keeps the last sliding_window positions). Give the window length in tokens, or null (or leave the field out) for no window."));
        }
        return window;
    }

    private static void RopeSettings(Cfg c, string path, JsonElement settings)
    {
        foreach (var field in settings.EnumerateObject())
        {
            if (field.Value.ValueKind != JsonValueKind.Null && (field.Name is "factor" or "partial_rotary_factor" || RopePositive.Contains(field.Name)))
            {
                RopeNumber(c, field.Name, $"{path}.{field.Name}", field.Value);
            }
        }
    }

    /// <summary>
    /// One RoPE number by its rule: a scaling factor of at least 1 (transformers' rope validation,
    /// src/transformers/modeling_rope_utils.py at huggingface/transformers@0044e3b3facff1a1ad60b235c69d5b45beae75a4:
    /// "factor field must be a float &gt;= 1"), a rotated fraction of the head in (0, 1], any other above zero.
    /// </summary>
    private static void RopeNumber(Cfg c, string name, string path, JsonElement value)
    {
        var number = value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : double.NaN;
        var text = ("value", (object)InputQuote.Clip(value.GetRawText()));
        if (name == "factor" && !(number >= 1))
        {
            throw c.Error(path, Phrase.Of("config-rope-factor",
                "config.json field '{key}' is {value}; a RoPE scaling factor is a number of at least 1 (the rule of transformers' RoPE validation), e.g. 8.0. Give the model's published value, or remove the scaling.", ("key", path), text));
        }
        if (name == "partial_rotary_factor" && !(number is > 0 and <= 1))
        {
            throw c.Error(path, Phrase.Of("config-rope-fraction",
                "config.json field '{key}' is {value}; it is the fraction of each head that is rotated, more than 0 and at most 1, e.g. 0.5. Give the model's published value, or leave the field out.", ("key", path), text));
        }
        if (!(number > 0))
        {
            throw c.Error(path, Phrase.Of("config-rope-positive",
                "config.json field '{key}' is {value}; it must be a number greater than zero. Give the model's published value, or leave the field out.", ("key", path), text));
        }
    }
}
