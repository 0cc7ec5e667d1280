using Suanli.Plan;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The document of a plan that could not be made: the scenario and its error findings. Only the file formats
/// (Markdown, CSV, XLSX) of <c>/api/plan</c> carry it; the JSON API answers such a scenario with its 400 problem.
/// </summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Source">Where the scenario came from (the page, a request body).</param>
/// <param name="Findings">Why it cannot be planned, with the remedies.</param>
public sealed record InfeasiblePlanJson(string Scenario, string Source, IReadOnlyList<FindingJson> Findings) : ReportDocument;

/// <summary>
/// The report of a scenario no application of which can be served as asked (<c>suanli plan</c> stops with an error):
/// what was asked (each application's model, hardware, traffic and targets, and the scenario's defaults) and why it
/// cannot be met, one error finding per application with the remedies the capacity search found. A download of such a
/// plan gives this report instead of a refusal the browser shows as a failed download.
/// </summary>
public static class InfeasiblePlan
{
    /// <summary>The key of the planner's error when no application can be served (src/Suanli/Plan/Planner.cs).</summary>
    public const string Code = "unserved";

    /// <summary>True when <paramref name="error"/> is the planner's "no application can be served as asked".</summary>
    public static bool Is(InputException error) => error.Text?.Key == Code && error.FieldId == FieldNames.Applications;

    /// <summary>The report of <paramref name="scenario"/>, which the planner refused with <paramref name="error"/>.</summary>
    /// <param name="scenario">The scenario as read.</param>
    /// <param name="error">The planner's error (<see cref="Is"/>).</param>
    /// <param name="reasons">
    /// Also give the findings as a table, for CSV, which carries tables only (Markdown lists the findings and the
    /// spreadsheet has a findings sheet, so they would say it twice).
    /// </param>
    public static Report Build(Scenario scenario, InputException error, bool reasons = false)
    {
        // The planner's error joins one sentence per unserved application; each becomes its own finding.
        var sentences = error.Text!.Args.FirstOrDefault(a => a.List is not null)?.List?.Items ?? [error.Text];
        var findings = sentences.Select(p => Finding.Of(Severity.Error, p)).ToList();
        var asked = new ReportTable(Phrase.Of("table.what-was-asked", "What was asked"),
            [
                new ReportColumn(Phrase.Of("col.application", "Application")),
                new ReportColumn(Phrase.Of("col.models", "Models")),
                new ReportColumn(Phrase.Of("col.weights", "Weights")),
                new ReportColumn(Phrase.Of("col.hardware", "Hardware")),
                new ReportColumn(Phrase.Of("col.devices-per-replica", "Devices per replica")),
                new ReportColumn(Phrase.Of("col.peak-in-flight", "Peak requests in flight")),
                new ReportColumn(Phrase.Of("col.peak-rate", "Peak requests/s")),
                new ReportColumn(Phrase.Of("col.prompt-tokens-mean", "Prompt tokens (mean)"), CellKind.Count),
                new ReportColumn(Phrase.Of("col.output-tokens-mean", "Output tokens (mean)"), CellKind.Count),
                new ReportColumn(Phrase.Of("col.ttft-target", "TTFT target")),
                new ReportColumn(Phrase.Of("col.tpot-target", "TPOT target")),
                new ReportColumn(Phrase.Of("col.e2e-target", "End-to-end target")),
                new ReportColumn(Phrase.Of("col.traffic-profile", "Traffic profile")),
            ],
            [.. scenario.Applications.Select(a => (IReadOnlyList<ReportCell>)[
                ReportCell.Text(a.Name), ReportCell.Text(string.Join(", ", a.Models.Select(m => m.Id))), ReportCell.Text(a.Precision.ToString()), ReportCell.Text(scenario.Device.Name),
                scenario.DevicesPerReplica is { } n ? ReportCell.Text(Show.N(n)) : ReportCell.Words(Phrase.Of("cell.chosen-by-planner", "chosen by the planner")),
                a.Kind == Suanli.Fleet.DemandKind.Concurrency ? ReportCell.Text(Peak(a.Peak)) : ReportCell.None,
                a.Kind == Suanli.Fleet.DemandKind.Rate ? ReportCell.Text(Peak(a.Peak)) : ReportCell.None,
                ReportCell.Count(a.InputTokens), ReportCell.Count(a.OutputTokens),
                Target(a.Targets.Ttft, a.Targets.TtftAt), Target(a.Targets.Tpot, a.Targets.TpotAt), Target(a.Targets.E2e, a.Targets.E2eAt),
                ReportCell.Text(a.Profile.Name)])]);
        var assumptions = PlanTables.Assumptions(scenario);
        var json = new InfeasiblePlanJson(scenario.Name, scenario.Source, FindingJson.Of(findings));
        List<ReportTable> tables = [asked, assumptions];
        if (reasons)
        {
            // CSV carries tables only, so the findings are a table too, their sentences phrases in the reader's language.
            tables.Insert(1, new ReportTable(Phrase.Of("table.why-not-met", "Why it cannot be met"), [new ReportColumn(Phrase.Of("report.severity", "Severity")), new ReportColumn(Phrase.Of("report.finding", "Finding"))],
                [.. findings.Select(f => (IReadOnlyList<ReportCell>)[ReportCell.Words(ReportText.SeverityPhrase(f.Severity)), f.Text is { } text ? ReportCell.Words(text) : ReportCell.Text(f.Message)])]));
        }
        var title = Phrase.Of("report.plan-not-possible", "Plan not possible: {name}", ("name", scenario.Name));
        return new Report(title.English, json, tables, findings) { Heading = title };
    }

    // A target as the scenario states it ("50.0 ms"): an input echoed, kept as written rather than as a number of seconds.
    // The target and the percentile it is checked at: "p99 <= 2.00 s".
    private static ReportCell Target(Suanli.Quantities.Duration? target, Suanli.Serving.Percentile at) => target is { } t ? ReportCell.Text($"{at} <= {Show.Time(t)}") : ReportCell.None;

    // A peak as written: whole numbers without decimals (50, not 50.0), fractions to three figures.
    private static string Peak(double peak) => peak == Math.Round(peak) ? Show.N(peak) : Show.Sig(peak);
}
