using System.Globalization;
using Suanli.Catalog;
using Suanli.Text;

namespace Suanli.Files;

// Query heads per layer (poolside Laguna's num_attention_heads_per_layer): one count for the full-attention layers and one
// for the sliding-window layers, the split Laguna uses (48 and 64 heads, model card of poolside/Laguna-XS.2); and the attention
// output gates read beside them (Laguna's and Step 3.5's per head, Hy4's element-wise gated MLA).
public static partial class HuggingFaceConfig
{
    /// <summary>
    /// The full layers' query heads and the windowed layers' where they differ (null when they agree or the field is absent),
    /// from num_attention_heads_per_layer and layer_types. Counts that differ within one kind of layer are refused by field.
    /// </summary>
    private static (int FullHeads, int? WindowHeads) HeadsPerLayer(Cfg c, int layers, int heads)
    {
        const string field = "num_attention_heads_per_layer";
        if (c.IntList(field) is not { } perLayer)
        {
            return (heads, null);
        }
        if (perLayer.Count != layers)
        {
            throw c.Error(field, Phrase.Of("config-heads-per-layer-count", "config.json field '{field}' lists {count} layers but num_hidden_layers is {layers}. Give one query-head count per layer.",
                ("field", field), ("count", perLayer.Count), ("layers", layers)));
        }
        var kinds = c.StrList("layer_types");
        var full = new SortedSet<int>();
        var windowed = new SortedSet<int>();
        for (var i = 0; i < perLayer.Count; i++)
        {
            c.Positive($"{field}[{i.ToString(CultureInfo.InvariantCulture)}]", perLayer[i]);
            (kinds?[i] == "sliding_attention" ? windowed : full).Add(perLayer[i]);
        }
        if (full.Count > 1 || windowed.Count > 1)
        {
            throw c.Error(field, Phrase.Of("config-heads-per-layer",
                "config.json field 'num_attention_heads_per_layer' gives layers of one kind different query-head counts ({counts}); Suanli models one count for the full-attention layers and one for the sliding-window layers (layer_types), so sizing this model would misstate its attention weights and time. Remove the model or describe it with a supported architecture.",
                ("counts", PhraseList.Words(perLayer.Distinct()))));
        }
        var fullHeads = full.Count == 1 ? full.Min : heads;
        int? windowHeads = windowed.Count == 1 && windowed.Min != fullHeads ? windowed.Min : null;
        return (fullHeads, windowHeads);
    }

    /// <summary>
    /// Laguna's gating "per-head": g_proj gives one sigmoid gate per query head from the hidden state (model card of
    /// poolside/Laguna-XS.2: 'per-head gating'); false, null, "none" or no field is no gate, anything else is refused by field.
    /// Step 3.5 Flash's use_head_wise_attn_gate is the same gate (g_proj, hidden x heads, a sigmoid a head).
    /// </summary>
    private static bool ReadHeadGate(Cfg c) => c.OptBool("use_head_wise_attn_gate") == true || c.Get("gating") switch
    {
        null or { ValueKind: System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.False } => false,
        { ValueKind: System.Text.Json.JsonValueKind.String } v when v.GetString() is "none" => false,
        { ValueKind: System.Text.Json.JsonValueKind.String } v when v.GetString() is "per-head" => true,
        { } other => throw c.Error("gating", Phrase.Of("config-gating", "config.json field 'gating' is {value}; Suanli models Laguna's \"per-head\" attention gate (one gate per query head) and no gate (\"none\" or false). Give one of those, or remove the model.",
            ("value", other.GetRawText()))),
    };

    /// <summary>
    /// Hy4's gated MLA (gated_mla, gating_type "elementwise"): gate_proj maps the hidden state to heads x v_head_dim gates and
    /// the attention output is multiplied by their sigmoid before o_proj (transformers HYV4Attention), the same element-wise
    /// output gate as Qwen3-Next's. HYV4Attention builds gate_proj whatever the config says, so hy_v4 has it unless gated_mla
    /// says false. Another gating type, or the gate without MLA, is refused by its field.
    /// </summary>
    private static bool ReadMlaGate(Cfg c, string type, LatentAttention? mla)
    {
        if ((c.OptBool("gated_mla") ?? type == "hy_v4") != true)
        {
            return false;
        }
        if (mla is null)
        {
            throw c.Error("gated_mla", Phrase.Of("config-gated-mla-no-mla", "config.json gives an MLA output gate ('gated_mla', on by default for hy_v4) but the model has no latent attention (kv_lora_rank) to gate. Set gated_mla to false or give the MLA widths."));
        }
        var kind = c.Get("gating_type");
        if (kind is null or { ValueKind: System.Text.Json.JsonValueKind.Null } || kind is { ValueKind: System.Text.Json.JsonValueKind.String } k && k.GetString() == "elementwise")
        {
            return true;
        }
        throw c.Error("gating_type", Phrase.Of("config-gating-type", "config.json field 'gating_type' is {value}; Suanli models Hy4's \"elementwise\" MLA output gate (one gate per value channel of every head). Give \"elementwise\", or remove the model.",
            ("value", kind.Value.GetRawText())));
    }
}
