using Suanli.Fleet;
using Suanli.Plan;
using Suanli.StepTime;
using static Suanli.Runs.PriceReport;
using Suanli.Text;

namespace Suanli.Runs;

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
                tables.Add(Cheapest(app, c));
            }
            tables.Add(new ReportTable(Phrase.Of("table.frontier", "Frontier for '{name}' (cost vs quality vs latency, cheapest first)", ("name", name)),
                [
                    new(Phrase.Of("col.model", "Model")), new(Phrase.Of("col.precision", "Precision")), new(Phrase.Of("col.device", "Device")),
                    new(Phrase.Of("col.layout", "Layout")), new(Phrase.Of("col.engine", "Engine")), new(Phrase.Of("col.peak-devices", "Peak devices"), CellKind.Count),
                    new(Phrase.Of("col.per-month", "Per month"), CellKind.Money), new(Phrase.Of("col.range-80", "80% range")), new(Phrase.Of("col.basis", "Basis")),
                    new(Phrase.Of("col.quality", "Quality")), new(Phrase.Of("col.latency-floor", "Latency floor"), CellKind.Seconds),
                ],
                [.. app.Frontier.Take(top).Select(f => (IReadOnlyList<ReportCell>)[ReportCell.Text(f.Plan.Candidate.Model.Id), ReportCell.Text(f.Plan.Candidate.Weights.Name),
                    ReportCell.Text(f.Plan.Candidate.Device.Id), ReportCell.Text(f.Plan.Candidate.Layout.ToString()), ReportCell.Text(EngineNames.Name(f.Plan.Candidate.Engine)),
                    ReportCell.Count(f.Cost.DevicesPeak), ReportCell.Price(f.Cost.PerMonth.Round()),
                    CostRange(f) is { } fr ? ReportCell.Words(RangeText(fr, f.Cost.PerMonth.Currency)) : ReportCell.None,
                    ReportCell.Words(Basis(f.Cost.Basis)),
                    ReportCell.Text(f.Plan.Quality is { } q ? Show.Sig(q, 3) : ""), ReportCell.Seconds(f.Plan.Latency)])]));
            if (app.Rejected.Count > 0)
            {
                tables.Add(new ReportTable(Phrase.Of("table.rejected", "Rejected for '{name}'", ("name", name)),
                    [new(Phrase.Of("col.family", "Family")), new(Phrase.Of("col.reason", "Reason")), new(Phrase.Of("col.candidates", "Candidates"), CellKind.Count)],
                    [.. app.Rejected.Select(r => (IReadOnlyList<ReportCell>)[ReportCell.Text(r.Family),
                        ReportCell.Words(Phrase.Of("cell.code-reason", "{code}: {reason}", ("code", r.Code), ("reason", r.ReasonText ?? ReportCell.Unkeyed(r.Reason)))),
                        ReportCell.Count(r.Candidates)])]));
            }
        }
        findings.AddRange(result.Applications.SelectMany(FlipFindings));
        findings = [.. findings.OrderByDescending(f => f.Severity)];
        var json = new OptimizeJson(result.Scenario.Name, result.Scenario.Currency.Code, result.Settings.Basis.ToString().ToLowerInvariant(), result.Candidates,
            [.. result.Applications.Select(a => new OptimizedApplicationJson(a.Application.Name, a.Application.Kind == DemandKind.Rate ? "rate" : "concurrency",
                a.Application.Peak, a.Application.QualityFloor?.ToString(), a.Search.Stats.Candidates, a.Cheapest is { } c ? Plan(c, a.Application.Targets) : null,
                [.. a.Frontier.Take(top).Select(f => Plan(f, a.Application.Targets))],
                [.. a.Rejected.Select(r => new RejectedFamilyJson(r.Family, r.Code, r.Reason, r.Candidates))],
                new SearchStatsJson(a.Search.Stats.Candidates, a.Search.Stats.Evaluated, a.Search.Stats.Pruned, a.Search.Stats.Rejected)))],
            [.. result.Scenario.Assumptions.Select(a => a.English)],
            FindingJson.Of(findings));
        var parts = result.Applications.Select(a => a.Cheapest is { } best
            ? Phrase.Of("report.optimize-best", "'{name}' {model} {precision} on {devices} x {device} at {perMonth} per month",
                ("name", a.Application.Name), ("model", best.Plan.Candidate.Model.Id), ("precision", best.Plan.Candidate.Weights.Name),
                ("devices", Fmt.I($"{best.Cost.DevicesPeak}")), ("device", best.Plan.Candidate.Device.Id), ("perMonth", M(best.Cost.PerMonth.Round())))
            : Phrase.Of("report.optimize-none", "nothing serves '{name}'", ("name", a.Application.Name)));
        var title = Phrase.Of("report.optimize", "Searched {candidates} candidates: {parts}",
            ("candidates", Show.N(result.Candidates)), ("parts", new PhraseList([.. parts], "semicolon")));
        return new Report(title, json, tables, findings)
        {
            Phrases = [.. result.Applications.SelectMany(a => a.Rejected).Select(r => r.ReasonText).OfType<Suanli.Text.Phrase>(), .. result.Scenario.Assumptions],
        };
    }

    /// <summary>The cheapest deployment's fields, one a row: what it is, its devices, cost, capacity, latency, quality and command line.</summary>
    private static ReportTable Cheapest(OptimizedApplication app, CostedPlan c)
    {
        var p = c.Plan;
        var currency = c.Cost.PerMonth.Currency;
        var cost = M(c.Cost.PerMonth.Round());
        var costCell = CostRange(c) is { } cr
            ? p.Range!.Interval.Widened
                ? Phrase.Of("cell.cost-basis-range-pooled", "{cost} ({basis}); 80% range {range} (capacity class {class}, pooled)",
                    ("cost", cost), ("basis", Basis(c.Cost.Basis)), ("range", RangeText(cr, currency)), ("class", p.Range.Interval.Class.Key))
                : Phrase.Of("cell.cost-basis-range", "{cost} ({basis}); 80% range {range} (capacity class {class})",
                    ("cost", cost), ("basis", Basis(c.Cost.Basis)), ("range", RangeText(cr, currency)), ("class", p.Range.Interval.Class.Key))
            : Phrase.Of("cell.cost-basis", "{cost} ({basis})", ("cost", cost), ("basis", Basis(c.Cost.Basis)));
        var capacity = c.Cost.Capacity;
        List<IReadOnlyList<ReportCell>> rows =
        [
            [Label(Phrase.Of("row.deployment", "Deployment")), ReportCell.Text(p.Candidate.ToString())],
            [Label(Phrase.Of("row.replicas-x-devices", "Peak replicas x devices")), ReportCell.Words(Phrase.Of("cell.replicas-x-devices", "{replicas} x {perReplica} = {devices} devices",
                ("replicas", Show.N(c.Cost.ReplicasPeak)), ("perReplica", Show.N(p.Candidate.DevicesPerReplica)), ("devices", Show.N(c.Cost.DevicesPeak))))],
            [Label(Phrase.Of("row.device-hours-per-day", "Device-hours per day")), ReportCell.Number(c.Cost.DeviceHoursPerDay, 0)],
            [Label(Phrase.Of("row.cost-per-month", "Cost per month")), ReportCell.Words(costCell)],
            [Label(Phrase.Of("row.own-per-month", "Own per month")), c.Cost.Own is { } o
                ? ReportCell.Words(Phrase.Of("cell.own-capex", "{perMonth} (capex {upfront})", ("perMonth", M(o.PerMonth.Round())), ("upfront", M(o.Upfront.Round()))))
                : ReportCell.Words(Phrase.Of("cell.no-purchase-price", "no purchase price"))],
            [Label(Phrase.Of("row.rent-per-month", "Rent per month")), c.Cost.Rent is { } r ? ReportCell.Price(r.PerMonth.Round()) : ReportCell.Words(Phrase.Of("cell.no-rent", "no rent"))],
            [Label(Phrase.Of("row.capacity-per-replica", "Capacity per replica")), ReportCell.Words(Phrase.Of("cell.replica-capacity", "{rate} requests/s, {concurrency} in flight (limited by {target})",
                ("rate", Show.Sig(capacity.MaxRequestsPerSecond, 3)), ("concurrency", Show.N(capacity.MaxConcurrency)), ("target", capacity.LimitingTarget)))],
            [Label(Phrase.Of("row.ttft-tpot-at", "TTFT {ttftAt} / TPOT {tpotAt} at capacity",
                ("ttftAt", app.Application.Targets.TtftAt.ToString()), ("tpotAt", app.Application.Targets.TpotAt.ToString()))), c.Cost.Ttft is { } tt && c.Cost.Tpot is { } tp
                ? ReportCell.Words(Phrase.Of("cell.simulated-pair", "{ttft} / {tpot} (simulated)", ("ttft", Show.Time(tt)), ("tpot", Show.Time(tp))))
                : ReportCell.Words(Phrase.Of("cell.not-simulated", "not simulated"))],
            [Label(Phrase.Of("row.latency-floor", "Latency floor")), ReportCell.Words(Phrase.Of("cell.latency-floor", "{latency} (one request alone: prefill {ttft}, then {tpot} per token)",
                ("latency", Show.Time(p.Latency)), ("ttft", Show.Time(p.Evaluation.Ttft)), ("tpot", Show.Time(p.Evaluation.Tpot))))],
            [Label(Phrase.Of("row.quality", "Quality")), p.Quality is { } q
                ? ReportCell.Text($"{Show.Sig(q, 3)} {Benchmark(app)}")
                : ReportCell.Words(Phrase.Of("cell.unpublished", "unpublished"))],
            [Label(Phrase.Of("row.command", "Command")), ReportCell.Text(p.CommandLine)],
        ];
        return new ReportTable(Phrase.Of("table.cheapest", "Cheapest for '{name}'", ("name", app.Application.Name)),
            [new(Phrase.Of("col.field", "Field")), new(Phrase.Of("col.value", "Value"))], rows);
    }

    // A row's label in the first column of the cheapest plan's table.
    private static ReportCell Label(Phrase label) => ReportCell.Words(label);

    // A cost range's ends in money as the text reports write it, one value when they read the same.
    private static Phrase RangeText(RangeJson range, Quantities.Currency currency)
    {
        var (low, high) = (M(new Quantities.Money((decimal)range.Low, currency).Round()), M(new Quantities.Money((decimal)range.High, currency).Round()));
        return low == high ? Phrase.Of("cell.value", "{value}", ("value", low)) : Phrase.Of("cell.span", "{low} to {high}", ("low", low), ("high", high));
    }

    // Which price a plan's cost per month is (own or rent), in the reader's language; the JSON keeps the id.
    private static Phrase Basis(string basis) => basis == "own" ? Phrase.Of("sensitivity-basis#own", "own") : Phrase.Of("sensitivity-basis#rent", "rent");

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
            "'{application}': within the 80% capacity intervals the cheapest ({candidate}, {low} to {high} per month, class {class}) could lose to {rivals}: they run on another device or engine, whose capacity error need not move with the cheapest's (docs/methodology-intervals.md).",
            ("application", app.Application.Name), ("candidate", best.Plan.Candidate.ToString()), ("low", Money(bestRange.Low)), ("high", Money(bestRange.High)), ("class", bestClass),
            ("rivals", new PhraseList([.. rivals.Select(x => Phrase.Of("rival", "{candidate} ({low} to {high}, class {class})",
                ("candidate", x.Plan.Plan.Candidate.ToString()), ("low", Money(x.Range!.Low)), ("high", Money(x.Range.High)), ("class", x.Plan.Plan.Range!.Interval.Class.Key)))], "semicolon")));
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

    private static OptimizedPlanJson Plan(CostedPlan c, Suanli.Serving.ServingTargets targets)
    {
        var p = c.Plan;
        var candidate = p.Candidate;
        var cost = c.Cost;
        return new OptimizedPlanJson(
            new OptimizedDeploymentJson(candidate.Model.Id, candidate.Weights.Name, candidate.Kv.Name, candidate.Device.Id, candidate.Layout.Tp, candidate.Layout.Pp,
                candidate.Layout.Ep, candidate.DevicesPerReplica, EngineNames.Name(candidate.Engine), p.Evaluation.MaxBatch, p.CommandLine),
            new OptimizedFleetJson(cost.ReplicasPeak, cost.DevicesPeak, cost.DeviceHoursPerDay, cost.Utilisation,
                p.Range is { } pr
                    ? new RangeJson(Math.Min(cost.DevicesPeak, pr.ReplicasLow * candidate.DevicesPerReplica), cost.DevicesPeak, Math.Max(cost.DevicesPeak, pr.ReplicasHigh * candidate.DevicesPerReplica))
                    : null),
            new OptimizedCostJson(Mj(cost.PerMonth.Round(2)), cost.Basis, cost.Own is { } o ? Mj(o.PerMonth.Round(2)) : null, cost.Own is { } o2 ? Mj(o2.Upfront.Round(2)) : null,
                cost.Rent is { } r ? Mj(r.PerMonth.Round(2)) : null,
                CostRange(c) is { } cr ? new RangeJson(Math.Round(cr.Low, 2), Math.Round(cr.Expected, 2), Math.Round(cr.High, 2)) : null),
            new OptimizedCapacityJson(cost.Capacity.MaxRequestsPerSecond, cost.Capacity.MaxConcurrency, cost.Capacity.LimitingTarget, p.Range?.Interval.Class.Key),
            new OptimizedLatencyJson(cost.TtftP90?.Value, cost.TpotP90?.Value, p.Latency.Value, p.Evaluation.Ttft.Value, p.Evaluation.Tpot.Value,
                cost.Ttft?.Value, targets.TtftAt.Value, cost.Tpot?.Value, targets.TpotAt.Value),
            p.Quality);
    }
}
