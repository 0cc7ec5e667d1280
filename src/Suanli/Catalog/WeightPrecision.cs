using Suanli.Text;
namespace Suanli.Catalog;

/// <summary>
/// The weight formats of one model copy: one for the routed experts and one for everything else (attention, dense MLPs,
/// shared experts, router, hyper-connections, embeddings and head). Released MoE checkpoints mix them: gpt-oss keeps
/// its experts in MXFP4 and the rest in BF16, DeepSeek V4 its experts in FP4 and the rest in FP8, Kimi K2 Thinking its
/// experts in INT4 (group 32) and the rest in BF16 (docs/methodology.md, "Weight formats"). Users type a uniform precision
/// by its format's name (<c>bf16</c>) and a mixed one as <c>experts+rest</c> (<c>mxfp4+bf16</c>). Nothing reads a
/// precision's bytes without saying which part it means; a dense model has no routed experts, so only <see cref="Rest"/>
/// reaches its weights.
/// </summary>
public sealed record WeightPrecision
{
    /// <summary>Between the experts' and the rest's format in a mixed precision's name.</summary>
    public const char Separator = '+';

    private WeightPrecision(NumberFormat experts, NumberFormat rest)
    {
        Experts = experts;
        Rest = rest;
    }

    /// <summary>The routed experts' format (the bulk of an MoE model's weights).</summary>
    public NumberFormat Experts { get; }

    /// <summary>The format of every weight outside the routed experts; embeddings and head follow its 16-bit rule.</summary>
    public NumberFormat Rest { get; }

    /// <summary>True when experts and the rest share one format.</summary>
    public bool IsUniform => Experts == Rest;

    /// <summary>The name users type: the format's (<c>fp8</c>) when uniform, else <c>experts+rest</c> (<c>mxfp4+bf16</c>).</summary>
    public string Name => IsUniform ? Rest.Name : Experts.Name + Separator + Rest.Name;

    /// <summary>True when the precision means what it says for <paramref name="architecture"/>: uniform, or mixed on a model with routed experts.</summary>
    public bool AppliesTo(ModelArchitecture architecture) => IsUniform || architecture.Moe is not null;

    /// <summary>Every weight in one format.</summary>
    public static WeightPrecision Uniform(NumberFormat format) => new(format, format);

    /// <summary>Routed experts in <paramref name="experts"/>, every other weight in <paramref name="rest"/> (uniform when they agree).</summary>
    public static WeightPrecision Mixed(NumberFormat experts, NumberFormat rest) => new(experts, rest);

    /// <summary>A single format is the uniform precision of that format.</summary>
    public static implicit operator WeightPrecision(NumberFormat format) => Uniform(format);

    /// <summary>
    /// The KV-cache format when none is named: the rest's format when it can hold a KV cache (the attention writes the
    /// cache in its own format: fp8 for DeepSeek V4's FP8 attention), else bf16 (weight-only and GGUF formats).
    /// </summary>
    public NumberFormat KvDefault => NumberFormat.KvFormats.Contains(Rest) ? Rest : NumberFormat.Bf16;

    /// <summary>
    /// Reads a precision: a format name (<c>bf16</c>, <c>awq</c>), or two joined by '+' (experts first, then the rest:
    /// <c>mxfp4+bf16</c>). Each part must be among <paramref name="among"/> (every format when null).
    /// </summary>
    public static WeightPrecision Parse(string name, FieldRef field = default, IReadOnlyList<NumberFormat>? among = null)
    {
        field = field.Or(FieldNames.Precision);
        var parts = name.Split(Separator);
        if (parts.Length > 2 || parts.Any(p => p.Trim().Length == 0))
        {
            throw field.Error(Phrase.Of("precision-mixed-form",
                "Precision '{name}' for {field} is not a format or experts+rest (two formats joined by '+', e.g. mxfp4+bf16).",
                ("name", name), ("field", field.Arg)));
        }
        var experts = NumberFormat.Parse(parts[0], field, among);
        return parts.Length == 1 ? Uniform(experts) : Mixed(experts, NumberFormat.Parse(parts[1], field, among));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
