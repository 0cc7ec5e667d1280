using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cost;

/// <summary>An option to compare: a name, a kind, and its cost at any workload (a self-hosted option resizes its fleet).</summary>
/// <param name="Name">Label.</param>
/// <param name="Kind">own, rent, api or custom.</param>
/// <param name="At">The cost breakdown at a workload.</param>
/// <param name="Quality">A quality score (benchmark or accuracy), or null.</param>
/// <param name="Label">The name in the reader's language (its English is <paramref name="Name"/>); null when the name is an id to show as it is.</param>
public sealed record CostOption(string Name, string Kind, Func<MonthlyVolume, CostBreakdown> At, double? Quality = null, Phrase? Label = null)
{
    /// <summary>The name as a phrase: <see cref="Label"/>, else the name as it is.</summary>
    public Phrase Shown => Label ?? Phrase.Of("cell.value", "{value}", ("value", Name));
}

/// <summary>Break-even months between two options at the compared volume.</summary>
/// <param name="A">First option (the one paying more up front).</param>
/// <param name="B">Second option.</param>
/// <param name="Months">Months after which A's total cash falls below B's; null when never.</param>
public sealed record BreakEvenMonths(string A, string B, double? Months);

/// <summary>Monthly cost of one option over a range of volumes (for the chart).</summary>
/// <param name="Option">Option name.</param>
/// <param name="RequestsPerMonth">Volumes.</param>
/// <param name="MonthlyCost">Cost per month at each volume.</param>
public sealed record CostCurve(string Option, IReadOnlyList<double> RequestsPerMonth, IReadOnlyList<Money> MonthlyCost);

/// <summary>The answer of a comparison.</summary>
/// <param name="Workload">The volume compared.</param>
/// <param name="Breakdowns">Each option at that volume, cheapest first.</param>
/// <param name="Volumes">Volumes where two options cost the same per month (each pair, within the range scanned).</param>
/// <param name="Months">Cash break-even months for each pair with different up-front payments.</param>
/// <param name="Curves">Monthly cost per option over the range scanned.</param>
/// <param name="Findings">Notes, including pairs where one option is cheaper at every volume.</param>
/// <param name="Labels">Each option's name in the reader's language, by name (<see cref="CostOption.Shown"/>).</param>
/// <param name="LeftOut">Options priced at the workload but left out because they were not among the cheapest kept
/// (<see cref="Comparison.Run"/>'s <c>cheapest</c>): they have no breakdown, break-even pair or curve here.</param>
public sealed record ComparisonResult(MonthlyVolume Workload, IReadOnlyList<CostBreakdown> Breakdowns, IReadOnlyList<BreakEvenVolume> Volumes,
    IReadOnlyList<BreakEvenMonths> Months, IReadOnlyList<CostCurve> Curves, IReadOnlyList<Finding> Findings, IReadOnlyDictionary<string, Phrase>? Labels = null,
    int LeftOut = 0)
{
    /// <summary>The option named <paramref name="name"/> in the reader's language (the name as it is when unknown).</summary>
    public Phrase Label(string name) => Labels is not null && Labels.TryGetValue(name, out var p) ? p : Phrase.Of("cell.value", "{value}", ("value", name));
}

/// <summary>Compares options at a volume and finds where they break even (docs/methodology-cost.md, "Compare").</summary>
public static class Comparison
{
    /// <summary>
    /// Prices every option at <paramref name="workload"/>, scans [<paramref name="minVolume"/>, <paramref name="maxVolume"/>]
    /// requests per month for break-even volumes of every pair, and computes cash break-even months at the workload.
    /// All options must price in one currency.
    /// </summary>
    /// <param name="options">The options compared.</param>
    /// <param name="workload">The volume compared.</param>
    /// <param name="minVolume">Lowest volume scanned for break-even volumes and curves, requests per month.</param>
    /// <param name="maxVolume">Highest volume scanned, requests per month.</param>
    /// <param name="curvePoints">Points per cost curve.</param>
    /// <param name="cancel">Checked before each pair and each curve: the pairs grow as the square of the options (every
    /// model on every device with each rent term is thousands of options, minutes of work), which a web client that hung
    /// up or a Ctrl+C used to leave running to the end.</param>
    /// <param name="cheapest">How many options are kept, cheapest at <paramref name="workload"/> first (at least 1; the
    /// cheapest is always kept): only these get a breakdown, break-even pairs and a curve, the rest are counted in
    /// <see cref="ComparisonResult.LeftOut"/>. The pairs grow as the square of the options kept, so a bound here keeps
    /// the answer linear in the options priced (every model on every device was tens of MB of break-even rows).</param>
    public static ComparisonResult Run(IReadOnlyList<CostOption> options, MonthlyVolume workload, double minVolume, double maxVolume, int curvePoints = 60,
        int cheapest = int.MaxValue, CancellationToken cancel = default)
    {
        if (options.Count == 0)
        {
            throw new InputException(FieldNames.Options, Phrase.Of("nothing-to-compare", "Nothing to compare: name at least one option ({api}, {model} with {hardware}, or {custom}).",
                ("api", FieldNames.Api), ("model", FieldNames.Model), ("hardware", FieldNames.Hardware), ("custom", FieldNames.Custom)));
        }
        workload = workload.Validated();
        Guard.InRange(curvePoints, 2, 10_000, "curve points");
        Guard.InRange(cheapest, 1, int.MaxValue, "options kept");
        var all = options.Select(o => o.At(workload)).ToList();
        var currency = all[0].Currency;
        foreach (var b in all.Where(b => b.Currency != currency))
        {
            throw new InputException(FieldNames.Currency, Phrase.Of("mixed-currencies", "Option '{option}' prices in {currency} but '{first}' in {firstCurrency}; convert with an explicit exchange rate first.",
                ("option", b.Option), ("currency", b.Currency), ("first", all[0].Option), ("firstCurrency", currency)));
        }
        // The cheapest at the workload, kept in the order given (so that a comparison keeping every option pairs them as before).
        var keep = Enumerable.Range(0, options.Count).OrderBy(i => all[i].PerMonth.Amount).Take(cheapest).Order().ToList();
        var leftOut = options.Count - keep.Count;
        var breakdowns = keep.Select(i => all[i]).ToList();
        options = [.. keep.Select(i => options[i])];
        var findings = new List<Finding>();
        var volumes = new List<BreakEvenVolume>();
        var months = new List<BreakEvenMonths>();
        for (var i = 0; i < options.Count; i++)
        {
            for (var j = i + 1; j < options.Count; j++)
            {
                cancel.ThrowIfCancellationRequested();
                var a = options[i];
                var b = options[j];
                var crossings = BreakEven.Volumes(a.Name, v => a.At(workload.AtVolume(v)).PerMonth, b.Name, v => b.At(workload.AtVolume(v)).PerMonth, minVolume, maxVolume);
                volumes.AddRange(crossings);
                if (crossings.Count == 0)
                {
                    var lo = a.At(workload.AtVolume(minVolume)).PerMonth.Amount - b.At(workload.AtVolume(minVolume)).PerMonth.Amount;
                    var hi = a.At(workload.AtVolume(maxVolume)).PerMonth.Amount - b.At(workload.AtVolume(maxVolume)).PerMonth.Amount;
                    if (lo * hi > 0 || (lo == 0 && hi != 0) || (hi == 0 && lo != 0))
                    {
                        var (cheaper, other) = lo + hi < 0 ? (a, b) : (b, a);
                        findings.Add(Finding.Info("no-break-even",
                            "{cheaper} is cheaper than {other} at every volume from {from} to {to} requests per month: they never break even there.",
                            ("cheaper", cheaper.Shown), ("other", other.Shown), ("from", Show(minVolume)), ("to", Show(maxVolume))));
                    }
                }
                var ba = breakdowns[i];
                var bb = breakdowns[j];
                if (ba.Upfront.Amount != bb.Upfront.Amount)
                {
                    var (hiUp, loUp) = ba.Upfront.Amount > bb.Upfront.Amount ? (ba, bb) : (bb, ba);
                    months.Add(new BreakEvenMonths(hiUp.Option, loUp.Option, BreakEven.Months(hiUp, loUp)));
                }
            }
        }
        var curves = new List<CostCurve>();
        var grid = Enumerable.Range(0, curvePoints).Select(k => minVolume * Math.Pow(maxVolume / minVolume, k / (double)(curvePoints - 1))).ToList();
        foreach (var o in options)
        {
            cancel.ThrowIfCancellationRequested();
            curves.Add(new CostCurve(o.Name, grid, [.. grid.Select(v => o.At(workload.AtVolume(v)).PerMonth)]));
        }
        foreach (var b in breakdowns)
        {
            findings.AddRange(b.Findings);
        }
        return new ComparisonResult(workload, [.. breakdowns.OrderBy(b => b.PerMonth.Amount)], volumes, months, curves,
            [.. findings.Distinct().OrderByDescending(f => f.Severity)], options.DistinctBy(o => o.Name).ToDictionary(o => o.Name, o => o.Shown, StringComparer.Ordinal), leftOut);
    }

    private static string Show(double v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
