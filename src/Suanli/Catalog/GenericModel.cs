using Suanli.Text;
using System.Globalization;
using Suanli.Footprint;
using Suanli.Training;

namespace Suanli.Catalog;

/// <summary>
/// A model built from a parameter count, for the hypothetical sizes the articles plan ("a 200B model"):
/// <c>dense:200b</c>, or <c>moe:671b-a37b</c> (total and active parameters). The shape follows the Llama 3 block
/// (catalog: meta-llama--Meta-Llama-3-70B, meta-llama--Llama-3.1-405B): 128-wide attention heads, 8 key/value heads,
/// a SwiGLU MLP 3.5 x the hidden width, a 128,256-token vocabulary, untied embeddings; the hidden width (a multiple of
/// 1,024) and the layer count are chosen so the parameters add up to the count asked for with the hidden width about
/// <see cref="AspectRatio"/> times the layer count, as in GPT-3 175B (12,288 / 96), Llama 2 7B (4,096 / 32) and 13B
/// (5,120 / 40) and Llama 3.1 405B (16,384 / 126). docs/methodology.md, "Generic models by size".
/// </summary>
public static class GenericModel
{
    /// <summary>Hidden width per layer aimed at: 128 in GPT-3 175B, Llama 2 7B and 13B, 130 in Llama 3.1 405B.</summary>
    public const double AspectRatio = 128;

    /// <summary>Per-head width (Llama 2 and 3, GPT-3 175B, Qwen2).</summary>
    public const int HeadDim = 128;

    /// <summary>Key/value heads (grouped-query attention as in Llama 3 8B-405B and Qwen2-72B).</summary>
    public const int KvHeads = 8;

    /// <summary>MLP intermediate width over the hidden width (Llama 3 8B: 14,336 / 4,096; 70B: 28,672 / 8,192).</summary>
    public const double MlpRatio = 3.5;

    /// <summary>Vocabulary (Llama 3's 128,256 tokens).</summary>
    public const int Vocabulary = 128_256;

    /// <summary>Context length configured (Llama 3.1's 131,072 tokens).</summary>
    public const int Context = 131_072;

    /// <summary>Routed experts each token uses in a generic MoE (top-8, as DeepSeek-V3 and Qwen3-235B-A22B).</summary>
    public const int ActiveExperts = 8;

    /// <summary>The smallest parameter count accepted (one layer of the narrowest shape plus its embeddings is about 0.3B).</summary>
    public const double MinParameters = 0.5e9;

    /// <summary>The largest parameter count accepted (beyond the largest published models by ten times).</summary>
    public const double MaxParameters = 20e12;

    /// <summary>True when <paramref name="name"/> asks for a generic model (<c>dense:</c> or <c>moe:</c>).</summary>
    public static bool IsGeneric(string name)
    {
        var t = name.Trim();
        return t.StartsWith("dense:", StringComparison.OrdinalIgnoreCase) || t.StartsWith("moe:", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Builds the model <paramref name="name"/> names: <c>dense:SIZE</c> or <c>moe:TOTAL-aACTIVE</c> with sizes as
    /// 200b, 1.5t or 70e9; bad text is an <see cref="InputException"/> naming <paramref name="field"/>.
    /// </summary>
    public static ModelEntry Build(string name, FieldRef field = default)
    {
        field = field.Or(FieldNames.Model);
        var t = name.Trim().ToLowerInvariant();
        if (t.StartsWith("dense:", StringComparison.Ordinal))
        {
            var size = Size(t["dense:".Length..], name, field);
            return Entry(t, Dense(size, name, field), size, null, name);
        }
        var spec = t["moe:".Length..];
        var dash = spec.LastIndexOf("-a", StringComparison.Ordinal);
        if (dash <= 0)
        {
            throw field.Error(Phrase.Of("generic-not-moe", "'{name}' is not a generic MoE model; write moe:TOTAL-aACTIVE, e.g. moe:671b-a37b.", ("name", name)));
        }
        var total = Size(spec[..dash], name, field);
        var active = Size(spec[(dash + 2)..], name, field);
        if (active > total)
        {
            throw field.Error(Phrase.Of("generic-active-exceeds-total", "'{name}': the active parameters ({active}) exceed the total ({total}); write moe:TOTAL-aACTIVE with TOTAL the larger.", ("name", name), ("active", Show(active)), ("total", Show(total))));
        }
        return Entry(t, Moe(total, active, name, field), total, active, name);
    }

    /// <summary>The assumption finding every report that uses a generic model carries, or null for a catalog model.</summary>
    public static Finding? Assumption(ModelEntry model)
    {
        if (model.ConfigKind != "generic")
        {
            return null;
        }
        var a = model.Architecture;
        var count = ParameterCount.Of(a);
        var moe = a.Moe is { } m
            ? Phrase.Of("generic-model#moe", ", {experts} experts of {expertWidth} (top-{active}), {activeParameters} active",
                ("experts", m.Experts.ToString(CultureInfo.InvariantCulture)), ("expertWidth", m.ExpertIntermediateSize.ToString("N0", CultureInfo.InvariantCulture)),
                ("active", m.ActiveExperts.ToString(CultureInfo.InvariantCulture)), ("activeParameters", Show(count.Active(a))))
            : Phrase.Of("generic-model#dense", ", SwiGLU {width}", ("width", a.IntermediateSize.ToString("N0", CultureInfo.InvariantCulture)));
        return Finding.Warn("generic-model",
            "{model} is a generic model built from its size, not a published one: {layers} layers, hidden {hidden} ({heads} heads of {headDim}, {kvHeads} KV heads){moe}, vocabulary {vocabulary}: {counted} parameters counted for the {asked} asked. Shape rule: Llama 3 blocks, hidden width about {ratio} x layers as GPT-3 175B, Llama 2 7B/13B and Llama 3.1 405B (docs/methodology.md, 'Generic models by size'); a real model of this size may differ in depth, KV heads and vocabulary.",
            ("model", model.Id), ("layers", a.Layers.ToString(CultureInfo.InvariantCulture)), ("hidden", a.HiddenSize.ToString("N0", CultureInfo.InvariantCulture)),
            ("heads", a.Heads.ToString(CultureInfo.InvariantCulture)), ("headDim", a.HeadDim.ToString(CultureInfo.InvariantCulture)), ("kvHeads", a.KvHeads.ToString(CultureInfo.InvariantCulture)),
            ("moe", moe), ("vocabulary", a.VocabSize.ToString("N0", CultureInfo.InvariantCulture)), ("counted", Show(count.Total(a))), ("asked", Show(model.PublishedParameters ?? 0)),
            ("ratio", AspectRatio.ToString("0", CultureInfo.InvariantCulture)));
    }

    private static ModelEntry Entry(string text, ModelArchitecture a, double total, double? active, string name) => new()
    {
        Id = text.Replace(':', '-'),
        Aliases = [text],
        Family = "generic",
        ConfigKind = "generic",
        Architecture = a,
        PublishedParameters = total,
        PublishedParametersSource = $"the size asked for ('{name.Trim()}')",
        ActiveParameters = active,
        Source = "GenericModel shape rule (docs/methodology.md, 'Generic models by size')",
        Notes = "Hypothetical model of the size asked for; shapes from the Llama 3 block and the width/depth ratio of published families.",
        ParameterCheckException = "generic: the layer count is whole, so the counted parameters are within one layer of the size asked for",
        ActiveParameterCheckException = active is null ? null : "generic: the expert count is whole",
    };

    private static double Size(string text, string name, FieldRef field)
    {
        if (text.Length == 0)
        {
            throw field.Error(Phrase.Of("generic-no-size", "'{name}' has no size; write dense:200b or moe:671b-a37b.", ("name", name)));
        }
        double v;
        try
        {
            v = CountText.ParsePositive(text, field.Spelling);
        }
        catch (InputException)
        {
            throw field.Error(Phrase.Of("generic-not-a-size", "'{name}': '{text}' is not a size; write dense:200b, dense:1.5t or moe:671b-a37b (k, M, B, T are decimal).", ("name", name), ("text", text)));
        }
        if (v < MinParameters || v > MaxParameters)
        {
            throw field.Error(Phrase.Of("generic-size-range", "'{name}': a generic model is from {min} to {max} parameters, got {size}; for a smaller model name a catalog one ({catalog}).",
                ("name", name), ("min", Show(MinParameters)), ("max", Show(MaxParameters)), ("size", Show(v)), ("catalog", CommandRefs.CatalogModels)));
        }
        return v;
    }

    /// <summary>Parameters of one block outside the MLP: Q and O (d x d each), K and V (d x 8 x 128 each), two RMSNorm vectors.</summary>
    private static double AttentionPerLayer(int hidden, int kvHeads) => 2.0 * hidden * hidden + 2.0 * hidden * kvHeads * HeadDim + 2.0 * hidden;

    /// <summary>Input embedding, LM head and the final norm.</summary>
    private static double Embeddings(int hidden) => 2.0 * Vocabulary * hidden + hidden;

    private static int Intermediate(int hidden) => (int)(Math.Round(MlpRatio * hidden / 256) * 256);

    /// <summary>
    /// Of the hidden widths 1,024 x k (k = 1..128) whose whole layer count brings the parameters nearest to the
    /// size, the one with hidden / layers nearest <see cref="AspectRatio"/> (on a log scale).
    /// </summary>
    private static (int Hidden, int Layers) Shape(double parameters, Func<int, double> perLayer, Func<int, double> fixedParts, string name, FieldRef field)
    {
        (int Hidden, int Layers, double Score)? best = null;
        for (var k = 1; k <= 128; k++)
        {
            var hidden = 1024 * k;
            var layers = (int)Math.Round((parameters - fixedParts(hidden)) / perLayer(hidden));
            if (layers < 1)
            {
                continue;
            }
            var score = Math.Abs(Math.Log(hidden / (double)layers / AspectRatio));
            if (best is null || score < best.Value.Score)
            {
                best = (hidden, layers, score);
            }
        }
        return best is { } b ? (b.Hidden, b.Layers)
            : throw field.Error(Phrase.Of("generic-too-small", "'{name}' is too small for one layer of the generic shape; name a catalog model instead ({catalog}).",
                ("name", name), ("catalog", CommandRefs.CatalogModels)));
    }

    private static ModelArchitecture Dense(double parameters, string name, FieldRef field)
    {
        var (hidden, layers) = Shape(parameters, h => AttentionPerLayer(h, KvHeads) + 3.0 * h * Intermediate(h), Embeddings, name, field);
        return Architecture(hidden, layers, Intermediate(hidden), null);
    }

    private static ModelArchitecture Moe(double total, double active, string name, FieldRef field)
    {
        // The dense rule sizes the active path (attention + top-8 experts whose widths add up to the dense MLP).
        var (hidden, layers) = Shape(active, h => AttentionPerLayer(h, KvHeads) + 3.0 * h * Intermediate(h), Embeddings, name, field);
        var expertWidth = (int)Math.Max(64, Math.Round(Intermediate(hidden) / (double)ActiveExperts / 64) * 64);
        var perExpert = 3.0 * hidden * expertWidth;
        var routedTotal = total - Embeddings(hidden) - layers * AttentionPerLayer(hidden, KvHeads);
        var experts = (int)Math.Round(routedTotal / layers / perExpert);
        if (experts < ActiveExperts || experts > 4096)
        {
            throw field.Error(Phrase.Of("generic-expert-count", "'{name}' gives {experts} experts of which {active} are active; the generic MoE needs total / active between about 1 and 500 (e.g. moe:671b-a37b).", ("name", name), ("experts", experts.ToString(CultureInfo.InvariantCulture)), ("active", ActiveExperts.ToString(CultureInfo.InvariantCulture))));
        }
        return Architecture(hidden, layers, Intermediate(hidden), new MixtureOfExperts(experts, ActiveExperts, 0, expertWidth, 0, 0));
    }

    private static ModelArchitecture Architecture(int hidden, int layers, int intermediate, MixtureOfExperts? moe) => new()
    {
        ModelType = moe is null ? "llama" : "generic_moe",
        Layers = layers,
        HiddenSize = hidden,
        Heads = hidden / HeadDim,
        KvHeads = KvHeads,
        HeadDim = HeadDim,
        IntermediateSize = intermediate,
        VocabSize = Vocabulary,
        TiedEmbeddings = false,
        GatedMlp = true,
        MaxContext = Context,
        Moe = moe,
    };

    /// <summary>A parameter count as the size of a model is written: 1.5T, 200B (decimal).</summary>
    public static string Show(double parameters) =>
        parameters >= 1e12 ? (parameters / 1e12).ToString("0.##", CultureInfo.InvariantCulture) + "T"
        : (parameters / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B";
}
