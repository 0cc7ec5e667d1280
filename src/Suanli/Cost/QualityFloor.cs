using Suanli.Text;
using System.Globalization;
using Suanli.Catalog;

namespace Suanli.Cost;

/// <summary>
/// A minimum published benchmark score a model must reach, e.g. <c>MMLU &gt;= 70</c>. Models without a published
/// score on that benchmark do not pass: an unknown quality is not assumed good enough.
/// </summary>
/// <param name="Benchmark">Benchmark name as in the model catalog (case-insensitive), e.g. MMLU.</param>
/// <param name="Minimum">The score to reach, in the benchmark's unit (percent for MMLU).</param>
/// <param name="Strict">True for '&gt;' (strictly above), false for '&gt;='.</param>
public sealed record QualityFloor(string Benchmark, double Minimum, bool Strict = false)
{
    /// <summary>Parses "MMLU&gt;=70", "MMLU &gt; 65.5" or "mmlu: 70" (meaning &gt;=).</summary>
    public static QualityFloor Parse(string text, FieldRef field = default)
    {
        field = field.Or(FieldNames.Quality);
        var t = text.Trim();
        string[] ops = [">=", "≥", ">", ":", "="];
        foreach (var op in ops)
        {
            var i = t.IndexOf(op, StringComparison.Ordinal);
            if (i <= 0)
            {
                continue;
            }
            var name = t[..i].Trim();
            var number = t[(i + op.Length)..].Trim().TrimEnd('%');
            if (name.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var min) || !double.IsFinite(min))
            {
                break;
            }
            Guard.InRange(min, 0, 100, field);
            return new QualityFloor(name, min, op == ">");
        }
        throw field.Error(Phrase.Of("quality-floor-syntax", "'{text}' is not a quality floor; write it like 'MMLU>=70' (a benchmark from {catalog}, an operator >= or >, and a score from 0 to 100).",
            ("text", text), ("catalog", CommandRefs.CatalogModels)));
    }

    /// <summary>True when the model's published score passes.</summary>
    public bool Admits(ModelEntry model) => model.Score(Benchmark) is { } s && (Strict ? s > Minimum : s >= Minimum);

    /// <summary>Why a model fails, or null when it passes.</summary>
    public Phrase? Problem(ModelEntry model)
    {
        if (model.Score(Benchmark) is not { } s)
        {
            return Phrase.Of("quality-problem#no-score", "{model} has no published {benchmark} score in the catalog", ("model", model.Id), ("benchmark", Benchmark));
        }
        return (Strict ? s > Minimum : s >= Minimum)
            ? null
            : Phrase.Of("quality-problem#below", "{model} scores {score} on {benchmark}, below the floor of {minimum}",
                ("model", model.Id), ("score", Num(s)), ("benchmark", Benchmark), ("minimum", Num(Minimum)));
    }

    /// <summary>
    /// The models that pass. When none does, an <see cref="InputException"/> names the best-scoring model and its
    /// score (or says no model has the benchmark) so the user can lower the floor or add models.
    /// </summary>
    public IReadOnlyList<ModelEntry> Filter(IReadOnlyList<ModelEntry> models, FieldRef field = default)
    {
        var passing = models.Where(Admits).ToList();
        if (passing.Count > 0)
        {
            return passing;
        }
        var scored = models.Where(m => m.Score(Benchmark) is not null).OrderByDescending(m => m.Score(Benchmark)).ToList();
        var why = scored.Count == 0
            ? Phrase.Of("quality-floor-unmet#no-scores", "none of the {count} candidate models has a published {benchmark} score", ("count", models.Count), ("benchmark", Benchmark))
            : Phrase.Of("quality-floor-unmet#best", "the best is {model} at {score} ({source})", ("model", scored[0].Id), ("score", Num(scored[0].Score(Benchmark)!.Value)),
                ("source", scored[0].Benchmarks.First(b => string.Equals(b.Name, Benchmark, StringComparison.OrdinalIgnoreCase)).Source));
        throw field.Or(FieldNames.Quality).Error(Phrase.Of("quality-floor-unmet", "No candidate model meets {floor}: {why}. Lower the floor, or add models with published {benchmark} scores to the candidates.",
            ("floor", ToString()), ("why", why), ("benchmark", Benchmark)));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Benchmark} {(Strict ? ">" : ">=")} {Num(Minimum)}";

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
