using Suanli.Plan;

namespace Suanli.Runs;

/// <summary>
/// One line of <c>GET /api/plan/search/stream</c> (newline-delimited JSON, one message a line): the page's scenario
/// search with a first answer while it runs. <c>Kind</c> says which one field is set: <c>progress</c> (candidates
/// done of the total), <c>found</c> (the cheapest deployment the serving simulation has verified so far),
/// <c>result</c> (the final answer, the document of <c>/api/plan/search</c>), or <c>error</c> (the search stopped: the
/// time limit, or an input error found while searching). The stream starts with a <c>progress</c> line at 0.
/// </summary>
/// <param name="Kind">progress, found, result or error.</param>
public sealed record PlanSearchMessageJson(string Kind) : ReportDocument
{
    /// <summary>Set when <c>Kind</c> is <c>progress</c>.</summary>
    public SearchProgressJson? Progress { get; init; }

    /// <summary>Set when <c>Kind</c> is <c>found</c>.</summary>
    public SearchFoundJson? Found { get; init; }

    /// <summary>Set when <c>Kind</c> is <c>result</c>: the same document <c>/api/plan/search</c> returns.</summary>
    public OptimizeJson? Result { get; init; }

    /// <summary>Set when <c>Kind</c> is <c>error</c>.</summary>
    public SearchErrorJson? Error { get; init; }
}

/// <summary>
/// How far the search is. <c>Phase</c> <c>bound</c>: the analytic bound is being computed for all <c>Total</c>
/// candidates (quick; <c>Fraction</c> 0). <c>verify</c>: of the <c>Total</c> shortlisted candidates the bound leaves
/// (cheapest bound first), <c>Done</c> have been simulated or pruned; <c>Fraction</c> (0-1) is that share, the part
/// that takes the time. <c>ElapsedSeconds</c>: since the search started.
/// </summary>
public sealed record SearchProgressJson(string Phase, long Done, long Total, double Fraction, double ElapsedSeconds);

/// <summary>
/// The cheapest deployment found so far that the serving simulation verified against the targets: model, weight
/// format, device, devices per replica, peak devices of the autoscaled fleet, cost per month on its basis (own or
/// rent, the cheaper; rounded to cents as the report rounds it), and the verified fraction when it was found. The
/// final <c>result</c> names the cheapest of all.
/// </summary>
public sealed record SearchFoundJson(string Model, string Precision, string Hardware, int DevicesPerReplica, int Devices,
    PriceReport.MoneyJson CostPerMonth, string CostBasis, double Fraction)
{
    /// <summary>The message of a verified candidate and its fleet cost.</summary>
    public static SearchFoundJson Of(SearchCandidate c, DeploymentCost cost, double fraction) =>
        new(c.Model.Id, c.Weights.Name, c.Device.Id, c.Layout.Devices, cost.DevicesPeak,
            new PriceReport.MoneyJson(Math.Round(cost.PerMonth.Amount, 2), cost.PerMonth.Currency.Code), cost.Basis, fraction);
}

/// <summary>Why the search stopped: the HTTP status it would have answered (400 input, 422 time limit, 500), a title, the sentence and the API field when one is at fault.</summary>
public sealed record SearchErrorJson(int Status, string Title, string Detail, string? Field);
