using System.Globalization;
using Suanli.Catalog;

namespace Suanli.Files;

// Gemma 3n's per-layer inputs, AltUp, LAuReL and KV sharing (transformers models/gemma3n Gemma3nTextConfig and
// modeling_gemma3n.py @ 00aa0f5dc1ccd968335257cb871d41ee9c0bc21e), and Gemma 4's E-models (models/gemma4 modeling_gemma4.py
// @ 0246b4f3335464614ef1de66531f9131a44ec801): the same per-layer gate and projection without AltUp or LAuReL, sharing layers
// without K/V projections, and MLPs of twice intermediate_size on the sharing layers (use_double_wide_mlp).
public static partial class HuggingFaceConfig
{
    private const string Gemma3n = "gemma3n_text";
    private const string Gemma4 = "gemma4_text";

    /// <summary>
    /// One MLP width for every layer: intermediate_size as a number, or as a per-layer list (Gemma 3n writes one) whose
    /// entries agree; a list of different widths (a MatFormer mix-n-match slice) is refused by field.
    /// </summary>
    private static int? UniformWidth(Cfg c, int layers, params string[] keys)
    {
        if (c.IntList(keys[0]) is not { } widths)
        {
            return c.OptInt(keys);
        }
        if (widths.Count != layers || widths.Distinct().Count() != 1)
        {
            throw c.Error(keys[0], Suanli.Text.Phrase.Of("config-mlp-widths", "config.json field '{field}' lists {count} MLP widths ({widths}); Suanli models one width for all {layers} layers. Give one number, or a list of {layers} equal widths.",
                ("field", keys[0]), ("count", widths.Count), ("widths", string.Join(", ", widths.Distinct().Select(w => w.ToString(CultureInfo.InvariantCulture)))), ("layers", layers)));
        }
        return widths[0];
    }

    /// <summary>Gemma 3n's per-layer inputs with AltUp and LAuReL; null when the config has none (hidden_size_per_layer_input absent or 0).</summary>
    private static PerLayerInputs? ReadPerLayer(Cfg c, string type)
    {
        var width = c.OptInt("hidden_size_per_layer_input") ?? 0;
        var streams = c.OptInt("altup_num_inputs") ?? 1;
        if (width == 0)
        {
            return streams > 1 ? throw c.Error("altup_num_inputs", Suanli.Text.Phrase.Of("config-altup", "config.json field 'altup_num_inputs' gives AltUp residual streams, which Suanli models only with Gemma 3n's per-layer inputs (hidden_size_per_layer_input); sizing the model without them would misstate its weights. Remove the model or give the Gemma 3n fields.")) : null;
        }
        if (type != Gemma3n && (type != Gemma4 || streams > 1 || c.OptInt("laurel_rank") is > 0))
        {
            throw c.Error("hidden_size_per_layer_input", type == Gemma4
                ? Suanli.Text.Phrase.Of("config-per-layer-inputs#gemma4", "config.json field 'hidden_size_per_layer_input' gives per-layer input embeddings, which Suanli models for model types '{gemma3n}' (Gemma 3n, with AltUp and LAuReL) and '{gemma4}' (Gemma 4's E-models, without them) only, not '{type}' with AltUp or LAuReL fields. Remove the model or describe it with a supported architecture.",
                    ("gemma3n", Gemma3n), ("gemma4", Gemma4), ("type", type))
                : Suanli.Text.Phrase.Of("config-per-layer-inputs", "config.json field 'hidden_size_per_layer_input' gives per-layer input embeddings, which Suanli models for model types '{gemma3n}' (Gemma 3n, with AltUp and LAuReL) and '{gemma4}' (Gemma 4's E-models, without them) only, not '{type}'. Remove the model or describe it with a supported architecture.",
                    ("gemma3n", Gemma3n), ("gemma4", Gemma4), ("type", type)));
        }
        var inputs = new PerLayerInputs(width, c.Int("vocab_size_per_layer_input"), streams, c.OptInt("laurel_rank") ?? 0);
        c.Positive("vocab_size_per_layer_input", inputs.Vocabulary);
        c.Positive("altup_num_inputs", inputs.AltUpStreams);
        return inputs;
    }

    /// <summary>
    /// The last num_kv_shared_layers layers, which reuse the cache of the last unshared layer of their kind (sliding or full,
    /// from layer_types); null when there are none. Refused by field outside Gemma 3n, or when a sharing layer has no
    /// unshared layer of its kind to borrow from.
    /// </summary>
    private static SharedKv? ReadSharedKv(Cfg c, string type, int layers)
    {
        var shared = c.OptInt("num_kv_shared_layers") ?? 0;
        if (shared == 0)
        {
            return null;
        }
        if (type != Gemma3n && type != Gemma4)
        {
            throw c.Error("num_kv_shared_layers", Suanli.Text.Phrase.Of("config-kv-shared-type", "config.json field 'num_kv_shared_layers' describes layers that reuse another layer's KV cache, which Suanli models for model types '{gemma3n}' (Gemma 3n) and '{gemma4}' (Gemma 4) only, not '{type}'. Remove the model or describe it with a supported architecture.",
                ("gemma3n", Gemma3n), ("gemma4", Gemma4), ("type", type)));
        }
        var kinds = c.StrList("layer_types") ?? Enumerable.Repeat("full_attention", layers).ToList();
        if (shared >= layers || kinds.Skip(layers - shared).Except(kinds.Take(layers - shared)).Any())
        {
            throw c.Error("num_kv_shared_layers", Suanli.Text.Phrase.Of("config-kv-shared-count", "config.json field 'num_kv_shared_layers' ({shared}) leaves a sharing layer no earlier layer of its kind to take keys and values from ({layers} layers, layer_types). Give fewer shared layers.",
                ("shared", shared), ("layers", layers)));
        }
        return new SharedKv(shared, kinds.Skip(layers - shared).Count(k => k == "sliding_attention"), type == Gemma3n,
            type == Gemma4 && c.OptBool("use_double_wide_mlp") == true);
    }
}
