using Suanli.Fleet;
using Suanli.Plan;
using static Suanli.Runs.PriceReport;

namespace Suanli.Runs;

/// <summary>
/// One costed deployment of the search: model, formats, device, split, engine; replicas and devices at the peak,
/// device-hours per day, utilisation (0-1); cost per month on the search's basis and own / rent beside it;
/// capacity per replica (requests/s, in flight) and the limiting target; simulated p90 TTFT and TPOT at capacity
/// and the one-request latency floors (seconds); the benchmark score and the engine's command line.
/// </summary>
public sealed record OptimizedPlanJson(string Model, string Precision, string KvPrecision, string Hardware, int Tp, int Pp, int Ep, int DevicesPerReplica,
    string Engine, int Replicas, int Devices, double DeviceHoursPerDay, double Utilisation, PriceReport.MoneyJson CostPerMonth, string CostBasis,
    PriceReport.MoneyJson? OwnPerMonth, PriceReport.MoneyJson? OwnUpfront, PriceReport.MoneyJson? RentPerMonth, double CapacityPerReplica,
    double ConcurrencyPerReplica, string LimitingTarget, double? TtftP90Seconds, double? TpotP90Seconds, double LatencySeconds, double TtftFloorSeconds,
    double TpotFloorSeconds, int MaxBatch, double? Quality, string CommandLine)
{
    /// <summary>Cost per month (search basis, plan currency) at the ends of the 80% capacity interval; null without one.</summary>
    public RangeJson? CostPerMonthRange { get; init; }
    /// <summary>Peak devices at the ends of the 80% capacity interval; null without one.</summary>
    public RangeJson? DevicesRange { get; init; }
    /// <summary>The capacity interval's class (docs/methodology-intervals.md); null without one.</summary>
    public string? IntervalClass { get; init; }
}

/// <summary>A family of candidates the search rejected, the reason's code and sentence, and how many candidates it held.</summary>
public sealed record RejectedFamilyJson(string Family, string Code, string Reason, long Candidates);

/// <summary>How many candidates the search had, evaluated, pruned by a bound and rejected.</summary>
public sealed record SearchStatsJson(long Candidates, long Evaluated, long Pruned, long Rejected);

/// <summary>One application's search: demand kind and peak, quality floor, the cheapest plan, the frontier (cheapest first) and what was rejected.</summary>
public sealed record OptimizedApplicationJson(string Name, string Demand, double Peak, string? QualityFloor, long Candidates, OptimizedPlanJson? Cheapest,
    IReadOnlyList<OptimizedPlanJson> Frontier, IReadOnlyList<RejectedFamilyJson> Rejected, SearchStatsJson Stats);

/// <summary><c>suanli optimize --format json</c> (<c>optimize.json</c>) and <c>/api/optimize</c> (fields in docs/methodology-cost.md).</summary>
public sealed record OptimizeJson(string Scenario, string Currency, string CostBasis, long Candidates, IReadOnlyList<OptimizedApplicationJson> Applications,
    IReadOnlyList<string> Assumptions, IReadOnlyList<FindingJson> Findings) : ReportDocument;

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
                    ["Cost per month", $"{M(c.Cost.PerMonth.Round())} ({c.Cost.Basis})"
                        + (CostRange(c) is { } cr ? $"; 80% range {Show.Span(M(new Quantities.Money((decimal)cr.Low, c.Cost.PerMonth.Currency).Round()), M(new Quantities.Money((decimal)cr.High, c.Cost.PerMonth.Currency).Round()))} (capacity class {p.Range!.Interval.Class.Key}{(p.Range.Interval.Widened ? ", pooled" : "")})" : "")],
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
                ["Model", "Precision", "Device", "Layout", "Engine", "Peak devices", "Per month", "80% range", "Basis", "Quality", "Latency floor"],
                [.. app.Frontier.Take(top).Select(f => (IReadOnlyList<string>)[f.Plan.Candidate.Model.Id, f.Plan.Candidate.Weights.Name, f.Plan.Candidate.Device.Id,
                    f.Plan.Candidate.Layout.ToString(), EngineNames.Name(f.Plan.Candidate.Engine), Show.N(f.Cost.DevicesPeak), M(f.Cost.PerMonth.Round()),
                    CostRange(f) is { } fr ? Show.Span(M(new Quantities.Money((decimal)fr.Low, f.Cost.PerMonth.Currency).Round()), M(new Quantities.Money((decimal)fr.High, f.Cost.PerMonth.Currency).Round())) : "-",
                    f.Cost.Basis,
                    f.Plan.Quality is { } q ? Show.Sig(q, 3) : "", Show.Time(f.Plan.Latency)])]));
            if (app.Rejected.Count > 0)
            {
                tables.Add(new ReportTable($"Rejected for '{name}'", ["Family", "Reason", "Candidates"],
                    [.. app.Rejected.Select(r => (IReadOnlyList<string>)[r.Family, $"{r.Code}: {r.Reason}", Show.N(r.Candidates)])]));
            }
        }
        findings.AddRange(result.Applications.SelectMany(FlipFindings));
        findings = [.. findings.OrderByDescending(f => f.Severity)];
        var json = new OptimizeJson(result.Scenario.Name, result.Scenario.Currency.Code, result.Settings.Basis.ToString().ToLowerInvariant(), result.Candidates,
            [.. result.Applications.Select(a => new OptimizedApplicationJson(a.Application.Name, a.Application.Kind == DemandKind.Rate ? "rate" : "concurrency",
                a.Application.Peak, a.Application.QualityFloor?.ToString(), a.Search.Stats.Candidates, a.Cheapest is { } c ? Plan(c) : null,
                [.. a.Frontier.Take(top).Select(Plan)],
                [.. a.Rejected.Select(r => new RejectedFamilyJson(r.Family, r.Code, r.Reason, r.Candidates))],
                new SearchStatsJson(a.Search.Stats.Candidates, a.Search.Stats.Evaluated, a.Search.Stats.Pruned, a.Search.Stats.Rejected)))],
            result.Scenario.Assumptions,
            FindingJson.Of(findings));
        var parts = result.Applications.Select(a => a.Cheapest is { } best
            ? $"'{a.Application.Name}' {best.Plan.Candidate.Model.Id} {best.Plan.Candidate.Weights.Name} on {best.Cost.DevicesPeak} x {best.Plan.Candidate.Device.Id} at {M(best.Cost.PerMonth.Round())} per month"
            : $"nothing serves '{a.Application.Name}'");
        var title = $"Searched {Show.N(result.Candidates)} candidates: {string.Join("; ", parts)}";
        return new Report(title, json, tables, findings);
    }

    /// <summary>
    /// Frontier plans whose cost range overlaps the cheapest's on another device or engine (plans on the same device
    /// and engine share the calibration, so their errors move together and they keep their order).
    /// </summary>
    private static IEnumerable<Finding> FlipFindings(OptimizedApplication app)
    {
        if (app.Cheapest is not { } best || CostRange(best) is not { } bestRange)
        {
            yield break;
        }
        var bestClass = best.Plan.Range!.Interval.Class.Key;
        var rivals = app.Frontier
            .Where(f => f.Plan.Range is not null && (f.Plan.Candidate.Device.Id != best.Plan.Candidate.Device.Id || f.Plan.Candidate.Engine != best.Plan.Candidate.Engine))
            .Select(f => (Plan: f, Range: CostRange(f)))
            .Where(x => x.Range is { } rr && rr.Low < bestRange.High)
            .Take(3)
            .ToList();
        if (rivals.Count == 0)
        {
            yield break;
        }
        var cur = best.Cost.PerMonth.Currency;
        string Money(double v) => M(new Quantities.Money((decimal)v, cur).Round());
        yield return Finding.Warn("ranking-may-flip",
            $"'{app.Application.Name}': within the 80% capacity intervals the cheapest ({best.Plan.Candidate}, {Money(bestRange.Low)} to {Money(bestRange.High)} per month, class {bestClass}) could lose to " +
            string.Join("; ", rivals.Select(x => $"{x.Plan.Plan.Candidate} ({Money(x.Range!.Low)} to {Money(x.Range.High)}, class {x.Plan.Plan.Range!.Interval.Class.Key})")) +
            ": they run on another device or engine, whose capacity error need not move with the cheapest's (docs/methodology-intervals.md).");
    }

    /// <summary>The costed plan's cost per month at the interval's ends: the search's costs at those replica counts, scaled to the costed plan.</summary>
    private static RangeJson? CostRange(CostedPlan c)
    {
        if (c.Plan.Range is not { } r || c.Plan.CostPerMonth.Amount <= 0)
        {
            return null;
        }
        var expected = (double)c.Cost.PerMonth.Amount;
        var scale = expected / (double)c.Plan.CostPerMonth.Amount;
        return new RangeJson(Math.Min(expected, (double)r.CostLow.Amount * scale), expected, Math.Max(expected, (double)r.CostHigh.Amount * scale));
    }

    private static string Benchmark(OptimizedApplication a) => a.Application.QualityFloor?.Benchmark ?? "MMLU";

    private static OptimizedPlanJson Plan(CostedPlan c)
    {
        var p = c.Plan;
        return new OptimizedPlanJson(p.Candidate.Model.Id, p.Candidate.Weights.Name, p.Candidate.Kv.Name, p.Candidate.Device.Id,
            p.Candidate.Layout.Tp, p.Candidate.Layout.Pp, p.Candidate.Layout.Ep, p.Candidate.DevicesPerReplica, EngineNames.Name(p.Candidate.Engine),
            c.Cost.ReplicasPeak, c.Cost.DevicesPeak, c.Cost.DeviceHoursPerDay, c.Cost.Utilisation, Mj(c.Cost.PerMonth.Round(2)), c.Cost.Basis,
            c.Cost.Own is { } o ? Mj(o.PerMonth.Round(2)) : null, c.Cost.Own is { } o2 ? Mj(o2.Upfront.Round(2)) : null,
            c.Cost.Rent is { } r ? Mj(r.PerMonth.Round(2)) : null, c.Cost.Capacity.MaxRequestsPerSecond, c.Cost.Capacity.MaxConcurrency,
            c.Cost.Capacity.LimitingTarget, c.Cost.TtftP90?.Value, c.Cost.TpotP90?.Value, p.Latency.Value, p.Evaluation.Ttft.Value, p.Evaluation.Tpot.Value,
            p.Evaluation.MaxBatch, p.Quality, p.CommandLine)
        {
            CostPerMonthRange = CostRange(c) is { } cr ? new RangeJson(Math.Round(cr.Low, 2), Math.Round(cr.Expected, 2), Math.Round(cr.High, 2)) : null,
            DevicesRange = p.Range is { } pr
                ? new RangeJson(Math.Min(c.Cost.DevicesPeak, pr.ReplicasLow * p.Candidate.DevicesPerReplica), c.Cost.DevicesPeak, Math.Max(c.Cost.DevicesPeak, pr.ReplicasHigh * p.Candidate.DevicesPerReplica))
                : null,
            IntervalClass = p.Range?.Interval.Class.Key,
        };
    }
}
