using Suanli.Fleet;
using Suanli.Plan;
using static Suanli.IO.Reports.PriceReport;

namespace Suanli.IO.Reports;

/// <summary>
/// Builds the report of <c>suanli optimize</c>: per application the cheapest deployment that meets the targets and
/// quality floor, the frontier of cost vs quality vs latency and the rejected families (JSON fields in
/// docs/methodology-cost.md, "optimize.json").
/// </summary>
public static class OptimizeReport
{
    /// <summary>Lays out an optimization; <paramref name="top"/> limits the frontier rows.</summary>
    public static Report Build(OptimizeResult result, int top, IReadOnlyList<Finding> extraFindings)
    {
        var tables = new List<ReportTable>();
        var findings = new List<Finding>(extraFindings);
        findings.AddRange(result.Findings);
        foreach (var app in result.Applications)
        {
            findings.AddRange(app.Search.Findings);
            var name = app.Application.Name;
            if (app.Cheapest is { } c)
            {
                var p = c.Plan;
                tables.Add(new ReportTable($"Cheapest for '{name}'", ["Field", "Value"],
                [
                    ["Deployment", p.Candidate.ToString()],
                    ["Peak replicas x devices", $"{Show.N(c.Cost.ReplicasPeak)} x {Show.N(p.Candidate.DevicesPerReplica)} = {Show.N(c.Cost.DevicesPeak)} devices"],
                    ["Device-hours per day", Show.N(c.Cost.DeviceHoursPerDay)],
                    ["Cost per month", $"{M(c.Cost.PerMonth.Round())} ({c.Cost.Basis})"],
                    ["Own per month", c.Cost.Own is { } o ? $"{M(o.PerMonth.Round())} (capex {M(o.Upfront.Round())})" : "no purchase price"],
                    ["Rent per month", c.Cost.Rent is { } r ? M(r.PerMonth.Round()) : "no rent"],
                    ["Capacity per replica", $"{Show.Sig(c.Cost.Capacity.MaxRequestsPerSecond, 3)} requests/s, {Show.N(c.Cost.Capacity.MaxConcurrency)} in flight (limited by {c.Cost.Capacity.LimitingTarget})"],
                    ["TTFT / TPOT p90 at capacity", c.Cost.TtftP90 is { } tt && c.Cost.TpotP90 is { } tp ? $"{Show.Time(tt)} / {Show.Time(tp)} (simulated)" : "not simulated"],
                    ["Latency floor", $"{Show.Time(p.Latency)} (one request alone: prefill {Show.Time(p.Evaluation.Ttft)}, then {Show.Time(p.Evaluation.Tpot)} per token)"],
                    ["Quality", p.Quality is { } q ? $"{Show.Sig(q, 3)} {Benchmark(app)}" : "unpublished"],
                    ["Command", p.CommandLine],
                ]));
            }
            tables.Add(new ReportTable($"Frontier for '{name}' (cost vs quality vs latency, cheapest first)",
                ["Model", "Precision", "Device", "Layout", "Engine", "Peak devices", "Per month", "Basis", "Quality", "Latency floor"],
                [.. app.Frontier.Take(top).Select(f => (IReadOnlyList<string>)[f.Plan.Candidate.Model.Id, f.Plan.Candidate.Weights.Name, f.Plan.Candidate.Device.Id,
                    f.Plan.Candidate.Layout.ToString(), EngineNames.Name(f.Plan.Candidate.Engine), Show.N(f.Cost.DevicesPeak), M(f.Cost.PerMonth.Round()), f.Cost.Basis,
                    f.Plan.Quality is { } q ? Show.Sig(q, 3) : "", Show.Time(f.Plan.Latency)])]));
            if (app.Rejected.Count > 0)
            {
                tables.Add(new ReportTable($"Rejected for '{name}'", ["Family", "Reason", "Candidates"],
                    [.. app.Rejected.Select(r => (IReadOnlyList<string>)[r.Family, $"{r.Code}: {r.Reason}", Show.N(r.Candidates)])]));
            }
        }
        findings = [.. findings.OrderByDescending(f => f.Severity)];
        var json = new
        {
            scenario = result.Scenario.Name,
            currency = result.Scenario.Currency.Code,
            costBasis = result.Settings.Basis.ToString().ToLowerInvariant(),
            candidates = result.Candidates,
            applications = result.Applications.Select(a => new
            {
                name = a.Application.Name,
                demand = a.Application.Kind == DemandKind.Rate ? "rate" : "concurrency",
                peak = a.Application.Peak,
                qualityFloor = a.Application.QualityFloor?.ToString(),
                candidates = a.Search.Stats.Candidates,
                cheapest = a.Cheapest is { } c ? Plan(c) : null,
                frontier = a.Frontier.Take(top).Select(Plan),
                rejected = a.Rejected.Select(r => new { family = r.Family, code = r.Code, reason = r.Reason, candidates = r.Candidates }),
                stats = new { a.Search.Stats.Candidates, a.Search.Stats.Evaluated, a.Search.Stats.Pruned, a.Search.Stats.Rejected },
            }),
            assumptions = result.Scenario.Assumptions,
            findings = FindingJson.Of(findings),
        };
        var parts = result.Applications.Select(a => a.Cheapest is { } best
            ? $"'{a.Application.Name}' {best.Plan.Candidate.Model.Id} {best.Plan.Candidate.Weights.Name} on {best.Cost.DevicesPeak} x {best.Plan.Candidate.Device.Id} at {M(best.Cost.PerMonth.Round())} per month"
            : $"nothing serves '{a.Application.Name}'");
        var title = $"Searched {Show.N(result.Candidates)} candidates: {string.Join("; ", parts)}";
        return new Report(title, json, tables, findings);
    }

    private static string Benchmark(OptimizedApplication a) => a.Application.QualityFloor?.Benchmark ?? "MMLU";

    private static object Plan(CostedPlan c)
    {
        var p = c.Plan;
        return new
        {
            model = p.Candidate.Model.Id,
            precision = p.Candidate.Weights.Name,
            kvPrecision = p.Candidate.Kv.Name,
            hardware = p.Candidate.Device.Id,
            tp = p.Candidate.Layout.Tp,
            pp = p.Candidate.Layout.Pp,
            ep = p.Candidate.Layout.Ep,
            devicesPerReplica = p.Candidate.DevicesPerReplica,
            engine = EngineNames.Name(p.Candidate.Engine),
            replicas = c.Cost.ReplicasPeak,
            devices = c.Cost.DevicesPeak,
            deviceHoursPerDay = c.Cost.DeviceHoursPerDay,
            utilisation = c.Cost.Utilisation,
            costPerMonth = Mj(c.Cost.PerMonth.Round(2)),
            costBasis = c.Cost.Basis,
            ownPerMonth = c.Cost.Own is { } o ? Mj(o.PerMonth.Round(2)) : null,
            ownUpfront = c.Cost.Own is { } o2 ? Mj(o2.Upfront.Round(2)) : null,
            rentPerMonth = c.Cost.Rent is { } r ? Mj(r.PerMonth.Round(2)) : null,
            capacityPerReplica = c.Cost.Capacity.MaxRequestsPerSecond,
            concurrencyPerReplica = c.Cost.Capacity.MaxConcurrency,
            limitingTarget = c.Cost.Capacity.LimitingTarget,
            ttftP90Seconds = c.Cost.TtftP90?.Value,
            tpotP90Seconds = c.Cost.TpotP90?.Value,
            latencySeconds = p.Latency.Value,
            ttftFloorSeconds = p.Evaluation.Ttft.Value,
            tpotFloorSeconds = p.Evaluation.Tpot.Value,
            maxBatch = p.Evaluation.MaxBatch,
            quality = p.Quality,
            commandLine = p.CommandLine,
        };
    }
}
