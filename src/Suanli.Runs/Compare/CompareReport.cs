using Suanli.Cost;
using Suanli.Quantities;
using Suanli.Text;
using static Suanli.Runs.PriceReport;

namespace Suanli.Runs;

/// <summary>One cost line of an option per month (in the comparison's currency), the formula that gives it, and whether it spreads an up-front payment.</summary>
public sealed record CostPartJson(string Part, decimal PerMonth, string Formula, bool Amortised);

/// <summary>
/// One option's cost at the workload, in the comparison's currency: per month, year and hour, per million tokens
/// (all and output), per request, up front and recurring cash per month; its benchmark score and its cost lines.
/// <c>option</c> is the name as an id (English); <c>label</c> is the same name in the reader's language (with <c>--lang zh</c> or <c>lang=zh</c>).
/// </summary>
public sealed record CompareOptionJson(string Option, string Label, string Kind, decimal PerMonth, decimal PerYear, decimal PerHour, decimal? PerMillionTokens,
    decimal? PerMillionOutputTokens, decimal? PerRequest, decimal Upfront, decimal RecurringCashPerMonth, double? Quality, IReadOnlyList<CostPartJson> Parts);

/// <summary>The volume (requests per month) where two options cost the same, and that monthly cost.</summary>
public sealed record BreakEvenVolumeJson(string CheaperBelow, string CheaperAbove, double RequestsPerMonth, decimal MonthlyCost);

/// <summary>Months after which the option that pays more up front has cost less in cash; null when never.</summary>
public sealed record BreakEvenMonthsJson(string PaysMoreUpFront, string Against, double? Months);

/// <summary>
/// <c>suanli compare --format json</c> and <c>/api/compare</c>: options cheapest first, break-even volumes and months, rates used.
/// <c>options</c> holds the cheapest <c>--top</c> (<c>top</c>; 10 unless given, at most 100) at the volume, and the
/// break-even volumes and months pair these only; <c>optionsNotShown</c> counts the options priced but left out (0 when
/// every option is shown), so the document grows at most linearly with the options named.
/// </summary>
public sealed record CompareJson(double RequestsPerMonth, double InputTokensPerRequest, double OutputTokensPerRequest, string Currency,
    IReadOnlyList<CompareOptionJson> Options, int OptionsNotShown, IReadOnlyList<BreakEvenVolumeJson> BreakEvenVolumes, IReadOnlyList<BreakEvenMonthsJson> BreakEvenMonths,
    IReadOnlyList<ExchangeRateJson> ExchangeRates, IReadOnlyList<FindingJson> Findings) : ReportDocument;

/// <summary>Builds the report of <c>suanli compare</c>: each option's cost at a volume, its parts, and break-even volumes and months.</summary>
public static class CompareReport
{
    /// <summary>
    /// Lays out a comparison; <paramref name="ratesUsed"/> are the exchange rates applied, listed in the JSON with their
    /// dates (the findings that name them come with <paramref name="extraFindings"/>, from <see cref="PriceSelection.RateFindings"/>).
    /// </summary>
    public static Report Build(ComparisonResult r, IReadOnlyList<ExchangeRate> ratesUsed, IReadOnlyList<Finding> extraFindings, IReadOnlyDictionary<string, double?> quality)
    {
        var w = r.Workload;
        var findings = new List<Finding>(r.Findings);
        findings.AddRange(extraFindings);
        findings = [.. findings.Distinct().OrderByDescending(f => f.Severity)];
        double? Q(string name) => quality.TryGetValue(name, out var q) ? q : null;

        var summary = new ReportTable(
            Phrase.Of("table.compare-options", "Options at {requests} requests per month ({input} in / {output} out tokens each)",
                ("requests", Show.N(w.RequestsPerMonth)), ("input", Show.N(w.InputTokensPerRequest)), ("output", Show.N(w.OutputTokensPerRequest))),
            [
                new(Phrase.Of("col.option", "Option")), new(Phrase.Of("col.kind", "Kind")),
                new(Phrase.Of("col.per-month", "Per month"), CellKind.Money), new(Phrase.Of("col.per-year", "Per year"), CellKind.Money),
                new(Phrase.Of("col.per-hour", "Per hour"), CellKind.Money), new(Phrase.Of("col.per-m-tokens", "Per M tokens"), CellKind.Money),
                new(Phrase.Of("col.per-m-output", "Per M output"), CellKind.Money), new(Phrase.Of("col.per-10k-requests", "Per 10k requests"), CellKind.Money),
                new(Phrase.Of("col.up-front", "Up front"), CellKind.Money), new(Phrase.Of("col.quality", "Quality")),
            ],
            [.. r.Breakdowns.Select(b => (IReadOnlyList<ReportCell>)[
                ReportCell.Words(r.Label(b.Option)), ReportCell.Words(Kind(b.Kind)), ReportCell.Price(b.PerMonth.Round()), ReportCell.Price(b.PerYear.Round()), ReportCell.Price(b.PerHour.Round(4)),
                Opt(b.PerMillionTokens, 4), Opt(b.PerMillionOutputTokens, 4), b.PerRequest is { } pr ? ReportCell.Price((pr * 10_000m).Round(2)) : Blank,
                ReportCell.Price(b.Upfront.Round()), Q(b.Option) is { } q ? ReportCell.Text(Show.Sig(q, 3)) : Blank])]);
        var parts = new ReportTable(Phrase.Of("table.cost-by-part", "Cost by part (per month)"),
            [
                new(Phrase.Of("col.option", "Option")), new(Phrase.Of("col.part", "Part")),
                new(Phrase.Of("col.per-month", "Per month"), CellKind.Money), new(Phrase.Of("col.formula", "Formula")),
            ],
            [.. r.Breakdowns.SelectMany(b => b.Lines.Select(l => (IReadOnlyList<ReportCell>)[
                ReportCell.Words(r.Label(b.Option)), ReportCell.Words(Part(l.Part)), ReportCell.Price(l.PerMonth.Round(2)), ReportCell.Words(l.Text)]))]);
        var tables = new List<ReportTable> { summary, parts };
        if (r.Volumes.Count > 0)
        {
            tables.Add(new ReportTable(Phrase.Of("table.break-even-volumes", "Break-even volumes"),
                [
                    new(Phrase.Of("col.cheaper-below", "Cheaper below")), new(Phrase.Of("col.cheaper-above", "Cheaper above")),
                    new(Phrase.Of("col.requests-per-month", "Requests per month")), new(Phrase.Of("col.tokens-per-month", "Tokens per month")),
                    new(Phrase.Of("col.monthly-cost-there", "Monthly cost there"), CellKind.Money),
                ],
                [.. r.Volumes.Select(v => (IReadOnlyList<ReportCell>)[ReportCell.Words(r.Label(v.CheaperBelow)), ReportCell.Words(r.Label(v.CheaperAbove)),
                    ReportCell.Text(Show.Sig(v.RequestsPerMonth, 4)), ReportCell.Text(Show.Sig(v.RequestsPerMonth * (w.InputTokensPerRequest + w.OutputTokensPerRequest), 4)),
                    ReportCell.Price(v.MonthlyCost.Round())])]));
        }
        if (r.Months.Count > 0)
        {
            tables.Add(new ReportTable(Phrase.Of("table.break-even-months", "Break-even months at {requests} requests per month (cash: up-front plus monthly)",
                    ("requests", Show.N(w.RequestsPerMonth))),
                [
                    new(Phrase.Of("col.pays-more-up-front", "Pays more up front")), new(Phrase.Of("col.against", "Against")),
                    new(Phrase.Of("col.months-to-break-even", "Months to break even"), CellKind.Number),
                ],
                [.. r.Months.Select(m => (IReadOnlyList<ReportCell>)[ReportCell.Words(r.Label(m.A)), ReportCell.Words(r.Label(m.B)),
                    m.Months is { } x ? ReportCell.Number(x, 1) : ReportCell.Words(Phrase.Of("cell.never", "never"))])]));
        }
        var json = new CompareJson(w.RequestsPerMonth, w.InputTokensPerRequest, w.OutputTokensPerRequest, r.Breakdowns[0].Currency.Code,
            [.. r.Breakdowns.Select(b => new CompareOptionJson(b.Option, r.Label(b.Option).English, b.Kind, b.PerMonth.Round(2).Amount, b.PerYear.Round(2).Amount, b.PerHour.Round(4).Amount,
                b.PerMillionTokens?.Round(6).Amount, b.PerMillionOutputTokens?.Round(6).Amount, b.PerRequest?.Round(8).Amount, b.Upfront.Round(2).Amount,
                b.RecurringCashPerMonth.Round(2).Amount, Q(b.Option), [.. b.Lines.Select(l => new CostPartJson(l.Part, l.PerMonth.Round(2).Amount, l.Formula, l.Amortised))]))],
            r.LeftOut,
            [.. r.Volumes.Select(v => new BreakEvenVolumeJson(v.CheaperBelow, v.CheaperAbove, v.RequestsPerMonth, v.MonthlyCost.Round(2).Amount))],
            [.. r.Months.Select(m => new BreakEvenMonthsJson(m.A, m.B, m.Months))],
            [.. ratesUsed.Select(ExchangeRateJson.Of)],
            FindingJson.Of(findings));
        var cheapest = r.Breakdowns[0];
        var title = Phrase.Of("report.compare", "Compare {options} options at {requests} requests per month: cheapest {cheapest} at {perMonth} per month",
            ("options", Fmt.I($"{r.Breakdowns.Count + r.LeftOut}")), ("requests", Show.N(w.RequestsPerMonth)), ("cheapest", r.Label(cheapest.Option)), ("perMonth", M(cheapest.PerMonth.Round())));
        return new Report(title, json, tables, findings) { Phrases = [.. r.Breakdowns.Select(b => r.Label(b.Option))] };
    }

    // An empty cell that reads as nothing (not "-"), as the text reports have always shown a missing price or score.
    private static ReportCell Blank { get; } = ReportCell.Text("");

    private static ReportCell Opt(Money? m, int decimals) => m is { } x ? ReportCell.Price(x.Round(decimals)) : Blank;

    // An option's kind and a cost line's part (CostBreakdown.Kind, CostLine.Part) in the reader's language, worded as the
    // planning page's cost panel words them; the JSON keeps the English ids. An unknown one stays as written.
    private static Phrase Kind(string kind) => kind switch
    {
        "own" => Phrase.Of("cost-kind#own", "own"),
        "rent" => Phrase.Of("cost-kind#rent", "rent"),
        "api" => Phrase.Of("cost-kind#api", "api"),
        "custom" => Phrase.Of("cost-kind#custom", "custom"),
        _ => Phrase.Of("cell.value", "{value}", ("value", kind)),
    };

    private static Phrase Part(string part) => part switch
    {
        "capex (amortised)" => Phrase.Of("cost-part#capex", "capex (amortised)"),
        "power" => Phrase.Of("cost-part#power", "power"),
        "maintenance" => Phrase.Of("cost-part#maintenance", "maintenance"),
        "rent" => Phrase.Of("cost-part#rent", "rent"),
        "input tokens" => Phrase.Of("cost-part#input", "input tokens"),
        "cached input tokens" => Phrase.Of("cost-part#cached-input", "cached input tokens"),
        "output tokens" => Phrase.Of("cost-part#output", "output tokens"),
        "build (amortised)" => Phrase.Of("cost-part#build", "build (amortised)"),
        "fixed" => Phrase.Of("cost-part#fixed", "fixed"),
        "per request" => Phrase.Of("cost-part#per-request", "per request"),
        _ => Phrase.Of("cell.value", "{value}", ("value", part)),
    };
}
