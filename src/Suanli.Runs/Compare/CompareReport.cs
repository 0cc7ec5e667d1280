using Suanli.Cost;
using Suanli.Quantities;
using static Suanli.Runs.PriceReport;

namespace Suanli.Runs;

/// <summary>One cost line of an option per month (in the comparison's currency), the formula that gives it, and whether it spreads an up-front payment.</summary>
public sealed record CostPartJson(string Part, decimal PerMonth, string Formula, bool Amortised);

/// <summary>
/// One option's cost at the workload, in the comparison's currency: per month, year and hour, per million tokens
/// (all and output), per request, up front and recurring cash per month; its benchmark score and its cost lines.
/// </summary>
public sealed record CompareOptionJson(string Option, string Kind, decimal PerMonth, decimal PerYear, decimal PerHour, decimal? PerMillionTokens,
    decimal? PerMillionOutputTokens, decimal? PerRequest, decimal Upfront, decimal RecurringCashPerMonth, double? Quality, IReadOnlyList<CostPartJson> Parts);

/// <summary>The volume (requests per month) where two options cost the same, and that monthly cost.</summary>
public sealed record BreakEvenVolumeJson(string CheaperBelow, string CheaperAbove, double RequestsPerMonth, decimal MonthlyCost);

/// <summary>Months after which the option that pays more up front has cost less in cash; null when never.</summary>
public sealed record BreakEvenMonthsJson(string PaysMoreUpFront, string Against, double? Months);

/// <summary><c>suanli compare --format json</c> and <c>/api/compare</c>: options cheapest first, break-even volumes and months, rates used.</summary>
public sealed record CompareJson(double RequestsPerMonth, double InputTokensPerRequest, double OutputTokensPerRequest, string Currency,
    IReadOnlyList<CompareOptionJson> Options, IReadOnlyList<BreakEvenVolumeJson> BreakEvenVolumes, IReadOnlyList<BreakEvenMonthsJson> BreakEvenMonths,
    IReadOnlyList<ExchangeRateJson> ExchangeRates, IReadOnlyList<FindingJson> Findings) : ReportDocument;

/// <summary>Builds the report of <c>suanli compare</c>: each option's cost at a volume, its parts, and break-even volumes and months.</summary>
public static class CompareReport
{
    /// <summary>Lays out a comparison; <paramref name="ratesUsed"/> are the explicit exchange rates applied, shown with their dates.</summary>
    public static Report Build(ComparisonResult r, IReadOnlyList<ExchangeRate> ratesUsed, IReadOnlyList<Finding> extraFindings, IReadOnlyDictionary<string, double?> quality)
    {
        var w = r.Workload;
        var findings = new List<Finding>(r.Findings);
        findings.AddRange(extraFindings);
        foreach (var rate in ratesUsed)
        {
            findings.Add(Finding.Info("exchange-rate", $"Converted with 1 {rate.From} = {rate.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)} {rate.To}, dated {PriceBook.Iso(rate.Date)} ({rate.Source})."));
        }
        findings = [.. findings.Distinct().OrderByDescending(f => f.Severity)];
        double? Q(string name) => quality.TryGetValue(name, out var q) ? q : null;

        var summary = new ReportTable(
            $"Options at {Show.N(w.RequestsPerMonth)} requests per month ({Show.N(w.InputTokensPerRequest)} in / {Show.N(w.OutputTokensPerRequest)} out tokens each)",
            ["Option", "Kind", "Per month", "Per year", "Per hour", "Per M tokens", "Per M output", "Per 10k requests", "Up front", "Quality"],
            [.. r.Breakdowns.Select(b => (IReadOnlyList<string>)[
                b.Option, b.Kind, M(b.PerMonth.Round()), M(b.PerYear.Round()), M(b.PerHour.Round(4)),
                Opt(b.PerMillionTokens, 4), Opt(b.PerMillionOutputTokens, 4), b.PerRequest is { } pr ? M((pr * 10_000m).Round(2)) : "",
                M(b.Upfront.Round()), Q(b.Option) is { } q ? Show.Sig(q, 3) : ""])]);
        var parts = new ReportTable("Cost by part (per month)", ["Option", "Part", "Per month", "Formula"],
            [.. r.Breakdowns.SelectMany(b => b.Lines.Select(l => (IReadOnlyList<string>)[b.Option, l.Part, M(l.PerMonth.Round(2)), l.Formula]))]);
        var tables = new List<ReportTable> { summary, parts };
        if (r.Volumes.Count > 0)
        {
            tables.Add(new ReportTable("Break-even volumes", ["Cheaper below", "Cheaper above", "Requests per month", "Tokens per month", "Monthly cost there"],
                [.. r.Volumes.Select(v => (IReadOnlyList<string>)[v.CheaperBelow, v.CheaperAbove, Show.Sig(v.RequestsPerMonth, 4),
                    Show.Sig(v.RequestsPerMonth * (w.InputTokensPerRequest + w.OutputTokensPerRequest), 4), M(v.MonthlyCost.Round())])]));
        }
        if (r.Months.Count > 0)
        {
            tables.Add(new ReportTable($"Break-even months at {Show.N(w.RequestsPerMonth)} requests per month (cash: up-front plus monthly)", ["Pays more up front", "Against", "Months to break even"],
                [.. r.Months.Select(m => (IReadOnlyList<string>)[m.A, m.B, m.Months is { } x ? Show.N(x, 1) : "never"])]));
        }
        var json = new CompareJson(w.RequestsPerMonth, w.InputTokensPerRequest, w.OutputTokensPerRequest, r.Breakdowns[0].Currency.Code,
            [.. r.Breakdowns.Select(b => new CompareOptionJson(b.Option, b.Kind, b.PerMonth.Round(2).Amount, b.PerYear.Round(2).Amount, b.PerHour.Round(4).Amount,
                b.PerMillionTokens?.Round(6).Amount, b.PerMillionOutputTokens?.Round(6).Amount, b.PerRequest?.Round(8).Amount, b.Upfront.Round(2).Amount,
                b.RecurringCashPerMonth.Round(2).Amount, Q(b.Option), [.. b.Lines.Select(l => new CostPartJson(l.Part, l.PerMonth.Round(2).Amount, l.Formula, l.Amortised))]))],
            [.. r.Volumes.Select(v => new BreakEvenVolumeJson(v.CheaperBelow, v.CheaperAbove, v.RequestsPerMonth, v.MonthlyCost.Round(2).Amount))],
            [.. r.Months.Select(m => new BreakEvenMonthsJson(m.A, m.B, m.Months))],
            [.. ratesUsed.Select(ExchangeRateJson.Of)],
            FindingJson.Of(findings));
        var cheapest = r.Breakdowns[0];
        return new Report($"Compare {r.Breakdowns.Count} options at {Show.N(w.RequestsPerMonth)} requests per month: cheapest {cheapest.Option} at {M(cheapest.PerMonth.Round())} per month",
            json, tables, findings);
    }

    private static string Opt(Money? m, int decimals) => m is { } x ? M(x.Round(decimals)) : "";
}
