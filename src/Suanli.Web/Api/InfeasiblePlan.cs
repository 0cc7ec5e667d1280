using Suanli.Plan;
using Suanli.Runs;
using Suanli.Text;

namespace Suanli.Web.Api;

/// <summary>
/// The document of a plan that could not be made: the scenario and its error findings. Only the file formats
/// (Markdown, CSV, XLSX) carry it; the JSON API answers such a scenario with its 400 problem, as before.
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
        var asked = new ReportTable("What was asked",
            ["Application", "Models", "Weights", "Hardware", "Devices per replica", "Peak requests in flight", "Peak requests/s", "Prompt tokens (mean)",
                "Output tokens (mean)", "TTFT p90 target", "TPOT p90 target", "End-to-end p90 target", "Traffic profile"],
            [.. scenario.Applications.Select(a => (IReadOnlyList<string>)[
                a.Name, string.Join(", ", a.Models.Select(m => m.Id)), a.Precision.ToString(), scenario.Device.Name,
                scenario.DevicesPerReplica is { } n ? Show.N(n) : "fewest that fit",
                a.Kind == Suanli.Fleet.DemandKind.Concurrency ? Peak(a.Peak) : "-", a.Kind == Suanli.Fleet.DemandKind.Rate ? Peak(a.Peak) : "-",
                Show.N(a.InputTokens), Show.N(a.OutputTokens),
                a.Targets.Ttft is { } ttft ? Show.Time(ttft) : "-", a.Targets.Tpot is { } tpot ? Show.Time(tpot) : "-", a.Targets.E2e is { } e2e ? Show.Time(e2e) : "-",
                a.Profile.Name])]);
        var assumptions = new ReportTable("Assumptions", ["Assumption"], [.. scenario.Assumptions.Select(a => (IReadOnlyList<string>)[a])]);
        var json = new InfeasiblePlanJson(scenario.Name, scenario.Source, FindingJson.Of(findings));
        List<ReportTable> tables = [asked, assumptions];
        if (reasons)
        {
            // The cells are the findings' English sentences, which the web renders in the reader's language (WebLanguage.Localized).
            tables.Insert(1, new ReportTable("Why it cannot be met", ["Severity", "Finding"],
                [.. findings.Select(f => (IReadOnlyList<string>)[f.Severity.ToString().ToLowerInvariant(), f.Message])]));
        }
        return new Report($"Plan not possible: {scenario.Name}", json, tables, findings);
    }

    // A peak as written: whole numbers without decimals (50, not 50.0), fractions to three figures.
    private static string Peak(double peak) => peak == Math.Round(peak) ? Show.N(peak) : Show.Sig(peak);
}
