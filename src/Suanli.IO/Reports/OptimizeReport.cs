using Suanli.Plan;
using static Suanli.IO.Reports.PriceReport;

namespace Suanli.IO.Reports;

/// <summary>Builds the report of <c>suanli optimize</c>: the cheapest plan per application, the frontier, rejected families.</summary>
public static class OptimizeReport
{
    /// <summary>Lays out a search result; <paramref name="top"/> limits the frontier rows shown.</summary>
    public static Report Build(SearchResult result, int top, IReadOnlyList<Finding> extraFindings)
    {
        var tables = new List<ReportTable>();
        var findings = new List<Finding>(extraFindings);
        foreach (var app in result.Applications)
        {
            findings.AddRange(app.Findings);
            if (app.Cheapest is { } c)
            {
                tables.Add(new ReportTable($"Cheapest for '{app.Target.Name}'", ["Field", "Value"],
                [
                    ["Deployment", c.Candidate.ToString()],
                    ["Replicas x devices", $"{Show.N(c.Replicas)} x {Show.N(c.Candidate.DevicesPerReplica)} = {Show.N(c.Devices)} devices"],
                    ["Cost per month", M(c.CostPerMonth.Round())],
                    ["Capacity per replica", Show.Sig(c.Evaluation.CapacityPerReplica, 3) + " requests/s"],
                    ["TTFT / TPOT at load", $"{Show.Time(c.Evaluation.Ttft)} / {Show.Time(c.Evaluation.Tpot)}"],
                    ["Quality", c.Quality is { } q ? Show.Sig(q, 3) : "unpublished"],
                    ["Command", c.CommandLine],
                ]));
            }
            tables.Add(new ReportTable($"Frontier for '{app.Target.Name}' (cost vs quality vs latency, cheapest first)",
                ["Model", "Precision", "Device", "Layout", "Engine", "Replicas", "Per month", "Quality", "Latency"],
                [.. app.Frontier.Take(top).Select(f => (IReadOnlyList<string>)[f.Candidate.Model.Id, f.Candidate.Weights.Name, f.Candidate.Device.Id,
                    f.Candidate.Layout.ToString(), EngineNames.Name(f.Candidate.Engine), Show.N(f.Replicas), M(f.CostPerMonth.Round()),
                    f.Quality is { } q ? Show.Sig(q, 3) : "", Show.Time(f.Latency)])]));
            if (app.Rejected.Count > 0)
            {
                tables.Add(new ReportTable($"Rejected for '{app.Target.Name}'", ["Family", "Reason", "Candidates"],
                    [.. app.Rejected.Select(r => (IReadOnlyList<string>)[r.Family, $"{r.Code}: {r.Reason}", Show.N(r.Candidates)])]));
            }
        }
        findings = [.. findings.OrderByDescending(f => f.Severity)];
        var json = new
        {
            candidates = result.Candidates,
            applications = result.Applications.Select(a => new
            {
                name = a.Target.Name,
                cheapest = a.Cheapest is { } c ? Plan(c) : null,
                frontier = a.Frontier.Take(top).Select(Plan),
                rejected = a.Rejected.Select(r => new { family = r.Family, code = r.Code, reason = r.Reason, candidates = r.Candidates }),
                stats = new { a.Stats.Candidates, a.Stats.Evaluated, a.Stats.Pruned, a.Stats.Rejected },
            }),
            findings = FindingJson.Of(findings),
        };
        var first = result.Applications[0];
        var title = first.Cheapest is { } best
            ? $"Searched {Show.N(result.Candidates)} candidates: cheapest for '{first.Target.Name}' is {best.Candidate} x {Show.N(best.Replicas)} at {M(best.CostPerMonth.Round())} per month"
            : $"Searched {Show.N(result.Candidates)} candidates: none serves '{first.Target.Name}'";
        return new Report(title, json, tables, findings);
    }

    private static object Plan(PlanChoice p) => new
    {
        model = p.Candidate.Model.Id,
        precision = p.Candidate.Weights.Name,
        kvPrecision = p.Candidate.Kv.Name,
        hardware = p.Candidate.Device.Id,
        tp = p.Candidate.Layout.Tp,
        pp = p.Candidate.Layout.Pp,
        ep = p.Candidate.Layout.Ep,
        engine = EngineNames.Name(p.Candidate.Engine),
        replicas = p.Replicas,
        devices = p.Devices,
        costPerMonth = Mj(p.CostPerMonth.Round(2)),
        capacityPerReplica = p.Evaluation.CapacityPerReplica,
        ttftSeconds = p.Evaluation.Ttft.Value,
        tpotSeconds = p.Evaluation.Tpot.Value,
        latencySeconds = p.Latency.Value,
        maxBatch = p.Evaluation.MaxBatch,
        quality = p.Quality,
        commandLine = p.CommandLine,
    };
}
