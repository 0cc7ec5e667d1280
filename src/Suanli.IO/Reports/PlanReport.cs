using Suanli.Fleet;
using Suanli.Plan;
using Suanli.StepTime;

namespace Suanli.IO.Reports;

/// <summary>A replica's split: tensor, pipeline and expert parallel degrees and the devices it uses.</summary>
public sealed record PlanLayoutJson(int Tp, int Pp, int Ep, int Devices);

/// <summary>An application's demand: rate (requests/s) or concurrency at the peak, mean prompt and output tokens, the traffic profile's name.</summary>
public sealed record DemandJson(DemandKind Kind, double Peak, double InputTokens, double OutputTokens, string Profile);

/// <summary>An application's p90 latency targets in seconds; null where none is set.</summary>
public sealed record TargetsJson(double? TtftP90Seconds, double? TpotP90Seconds, double? E2eP90Seconds);

/// <summary>What one replica carries within the targets: requests/s, requests in flight, and the target that limits it.</summary>
public sealed record ReplicaCapacityJson(double MaxRequestsPerSecond, double MaxConcurrency, string LimitingTarget);

/// <summary>
/// The articles' rule applied to this scenario's own inputs (not a figure any article gave; the articles' own figures
/// are in <c>suanli cases</c>): one model copy per concurrent request, each on the devices the "1.2 x weights" rule
/// needs (RuleOfThumbBytes), giving Devices in all.
/// </summary>
public sealed record ArticlesEstimateJson(int CopiesOnePerConcurrentRequest, int DevicesPerCopyByRule, int Devices, long RuleOfThumbBytes);

/// <summary>
/// One application's deployment and sizing: replicas and devices at the peak hour, average utilisation (0-1),
/// replicas per hour, memory of one replica in bytes, and the articles' rule applied to these inputs beside.
/// </summary>
public sealed record PlanApplicationJson(string Name, string Model, string Precision, string KvPrecision, Engine Engine, PlanLayoutJson Layout,
    DemandJson Demand, TargetsJson Targets, ReplicaCapacityJson Capacity, int ReplicasPeak, int DevicesPeak, double UtilisationAverage,
    IReadOnlyList<int> HourlyReplicas, long MemoryBytesPerReplica, ArticlesEstimateJson ArticlesEstimate);

/// <summary>Devices, servers and racks of one device kind; what limits servers per rack ("power" or "space").</summary>
public sealed record FleetHardwareJson(string Device, string Server, int Devices, int Servers, int ServersPerRack, int Racks, string RackLimit);

/// <summary>One sizing strategy (static, autoscaled, pooled): devices at the peak, device-hours and energy (kWh) per day, average utilisation (0-1).</summary>
public sealed record FleetStrategyJson(Strategy Strategy, int DevicesPeak, double DeviceHoursPerDay, double DeviceHours, double UtilisationAverage, double EnergyKwhPerDay);

/// <summary>The fleet of the recommended strategy: devices, servers, racks, facility power at the peak and nameplate (kW), energy per day (kWh), power per hour (kW).</summary>
public sealed record FleetJson(int Devices, int Servers, int Racks, double PowerKw, double NameplateKw, double EnergyKwhPerDay, IReadOnlyList<double> HourlyPowerKw,
    Strategy RecommendedStrategy, IReadOnlyList<FleetHardwareJson> Hardware, IReadOnlyList<FleetStrategyJson> Strategies);

/// <summary>A price the plan used (in the plan's currency) and where it comes from.</summary>
public sealed record SourcedAmountJson(decimal Amount, string Source);

/// <summary>The rent the plan used: per device-hour in the plan's currency, provider, source and date.</summary>
public sealed record RentUsedJson(decimal Amount, string Provider, string Source, string Date);

/// <summary>One cost line per month of a strategy and the formula that gives it.</summary>
public sealed record PlanCostLineJson(string Part, decimal PerMonth, string Formula);

/// <summary>The cost of owning or renting a strategy's fleet, in the plan's currency: per month and year, up front, per million tokens and per request.</summary>
public sealed record PlanCostJson(string Option, decimal PerMonth, decimal PerYear, decimal Upfront, decimal? PerMillionTokens, decimal? PerRequest, IReadOnlyList<PlanCostLineJson> Lines);

/// <summary>Own and rent costs of one sizing strategy; null where a price is missing.</summary>
public sealed record StrategyCostJson(Strategy Strategy, PlanCostJson? Own, PlanCostJson? Rent);

/// <summary>The prices the plan used and each strategy's costs.</summary>
public sealed record PlanCostsJson(string Currency, SourcedAmountJson? DevicePrice, RentUsedJson? RentPerDeviceHour, SourcedAmountJson TariffPerKwh,
    double AmortisationYears, double MaintenanceFractionPerYear, double Pue, IReadOnlyList<StrategyCostJson> Strategies);

/// <summary><c>suanli plan --format json</c> (<c>plan.json</c>) and <c>/api/plan</c> (fields in docs/scenario.md).</summary>
public sealed record PlanJson(string Scenario, string Source, string Currency, string TimeZone, string Hardware, string Server,
    IReadOnlyList<PlanApplicationJson> Applications, FleetJson Fleet, PlanCostsJson? Costs, IReadOnlyList<string> Assumptions,
    IReadOnlyList<FindingJson> Findings) : ReportDocument;

/// <summary>Builds the report of <c>suanli plan</c> (JSON documented in docs/scenario.md).</summary>
public static class PlanReport
{
    /// <summary>
    /// Plans a scenario, prices each strategy from the prices catalog and lays it out: what <c>suanli plan</c>
    /// prints and <c>/api/plan</c> returns.
    /// </summary>
    public static (PlanResult Plan, Report Report) Run(Scenario scenario, CapacityProvider capacity, Suanli.Cost.PriceBook prices, DateOnly today)
    {
        var plan = Planner.Plan(scenario, capacity);
        var pricing = PlanPricing.From(scenario, prices, today);
        return (plan, Build(plan, pricing, PlanCosts.Of(plan, pricing)));
    }

    /// <summary>Lays a plan out for every renderer; with prices, each strategy's cost of owning and renting.</summary>
    public static Report Build(PlanResult plan, PlanPricing? pricing = null, IReadOnlyList<StrategyCost>? costs = null)
    {
        var s = plan.Scenario;
        var fleet = plan.Fleet;
        var devices = fleet.Hardware.Sum(h => h.Devices);
        var servers = fleet.Hardware.Sum(h => h.Servers);
        var racks = fleet.Hardware.Sum(h => h.Racks);
        var json = new PlanJson(s.Name, s.Source, s.Currency.Code, s.TimeZone, s.Device.Id, s.Server.Id,
            [.. plan.Applications.Select(a => new PlanApplicationJson(a.Application.Name, a.Deployment.Model.Id, a.Deployment.Weights.Name, a.Deployment.Kv.Name,
                a.Deployment.Engine, new PlanLayoutJson(a.Deployment.Layout.Tp, a.Deployment.Layout.Pp, a.Deployment.Layout.Ep, a.Deployment.Layout.Devices),
                new DemandJson(a.Application.Kind, a.Application.Peak, a.Application.InputTokens, a.Application.OutputTokens, a.Application.Profile.Name),
                new TargetsJson(a.Application.Targets.TtftP90?.Value, a.Application.Targets.TpotP90?.Value, a.Application.Targets.E2eP90?.Value),
                new ReplicaCapacityJson(a.Capacity.MaxRequestsPerSecond, a.Capacity.MaxConcurrency, a.Capacity.LimitingTarget),
                a.ReplicasPeak, a.DevicesPeak, a.UtilisationAverage, a.HourlyReplicas, (long)a.Memory.Value,
                new ArticlesEstimateJson(a.ArticleCopies, a.ArticleDevicesPerCopy, a.ArticleDevices, (long)a.RuleOfThumb.Value)))],
            new FleetJson(devices, servers, racks, fleet.PeakPower.InKilowatts, fleet.NameplatePower.InKilowatts, fleet.EnergyPerDay.InKilowattHours,
                [.. fleet.HourlyPower.Select(p => p.InKilowatts)], fleet.Recommended,
                [.. fleet.Hardware.Select(h => new FleetHardwareJson(h.Device.Id, h.Server.Id, h.Devices, h.Servers, h.ServersPerRack, h.Racks, h.RackLimit))],
                [.. fleet.Strategies.Select(r => new FleetStrategyJson(r.Strategy, r.DevicesPeak, r.DeviceHoursPerDay, r.DeviceHoursPerDay, r.Utilisation, r.EnergyPerDay.InKilowattHours))]),
            pricing is null || costs is null ? null : new PlanCostsJson(pricing.Currency.Code,
                pricing.DevicePrice is { } dp ? new SourcedAmountJson(dp.Amount, pricing.DevicePriceSource) : null,
                pricing.Rent is { } r ? new RentUsedJson(r.PerDeviceHour.Amount, r.Provider, r.Provenance.Source, Suanli.Cost.PriceBook.Iso(r.Provenance.Date)) : null,
                new SourcedAmountJson(pricing.Tariff.Amount, pricing.TariffSource), pricing.AmortisationYears, pricing.MaintenanceFractionPerYear, pricing.Pue,
                [.. costs.Select(c => new StrategyCostJson(c.Strategy, CostJson(c.Own), CostJson(c.Rent)))]),
            s.Assumptions,
            FindingJson.Of(AllFindings(plan, pricing, costs)));

        var summary = new ReportTable("Summary", ["Quantity", "Value"],
        [
            ["Hardware", $"{s.Device.Name} in {s.Server.Name}"],
            ["Devices (peak hour, " + fleet.Recommended.ToString().ToLowerInvariant() + ")", Show.N(devices)],
            ["Servers", Show.N(servers)],
            ["Racks", $"{Show.N(racks)} ({s.Rack.PowerBudget.InKilowatts:0.#} kW, {s.Rack.HeightU}U; limited by {string.Join(", ", fleet.Hardware.Select(h => h.RackLimit).Distinct())})"],
            ["Facility power at peak (kW)", Show.N(fleet.PeakPower.InKilowatts, 1)],
            ["Energy per day (kWh)", Show.N(fleet.EnergyPerDay.InKilowattHours, 0)],
        ]);
        var apps = new ReportTable("Applications", ["Application", "Model", "Layout", "Capacity/replica", "Limit", "Replicas (peak)", "Devices (peak)", "Utilisation (avg)", "Article's rule on these inputs (devices)"],
            [.. plan.Applications.Select(a => (IReadOnlyList<string>)[
                a.Application.Name, $"{a.Deployment.Model.Id} {a.Deployment.Weights}", $"{a.Deployment.Layout.Devices} x ({a.Deployment.Layout})",
                $"{Show.Sig(a.Capacity.MaxRequestsPerSecond)} req/s, {Show.Sig(a.Capacity.MaxConcurrency)} in flight", a.Capacity.LimitingTarget,
                Show.N(a.ReplicasPeak), Show.N(a.DevicesPeak), Show.N(a.UtilisationAverage * 100, 0) + "%",
                $"{Show.N(a.ArticleDevices)} ({a.ArticleCopies} copies x {a.ArticleDevicesPerCopy})"])]);
        var strategies = new ReportTable("Strategies", ["Strategy", "Devices (peak)", "Device-hours/day", "Utilisation (avg)", "Energy (kWh/day)"],
            [.. fleet.Strategies.Select(r => (IReadOnlyList<string>)[
                r.Strategy.ToString().ToLowerInvariant() + (r.Strategy == fleet.Recommended ? " (recommended)" : ""),
                Show.N(r.DevicesPeak), Show.N(r.DeviceHoursPerDay, 0), Show.N(r.Utilisation * 100, 0) + "%", Show.N(r.EnergyPerDay.InKilowattHours, 0)])]);
        var recommended = fleet.Of(fleet.Recommended);
        var hourly = new ReportTable($"Replicas per hour ({fleet.Recommended.ToString().ToLowerInvariant()}, {s.TimeZone})",
            ["Hour", .. recommended.Groups.Select(g => g.Name + " (replicas)"), "Facility power (kW)"],
            [.. Enumerable.Range(0, 24).Select(h => (IReadOnlyList<string>)[
                $"{h:00}:00", .. recommended.Groups.Select(g => Show.N(g.Replicas[h])), Show.N(fleet.HourlyPower[h].InKilowatts, 1)])]) { FilesOnly = true };
        var tables = new List<ReportTable> { summary, apps, strategies };
        if (pricing is not null && costs is not null)
        {
            tables.Add(new ReportTable($"Cost per month by strategy ({pricing.Currency})", ["Strategy", "Own: per month", "Own: up front", "Own: per M tokens", "Rent: per month", "Rent: per M tokens"],
                [.. costs.Select(c => (IReadOnlyList<string>)[
                    c.Strategy.ToString().ToLowerInvariant(),
                    c.Own is { } o ? Show.Money(o.PerMonth) : "-", c.Own is { } o2 ? Show.Money(o2.Upfront) : "-", c.Own?.PerMillionTokens is { } ot ? Show.Money(ot) : "-",
                    c.Rent is { } r ? Show.Money(r.PerMonth) : "-", c.Rent?.PerMillionTokens is { } rt ? Show.Money(rt) : "-"])]));
        }
        var assumptions = new ReportTable("Assumptions", ["Assumption"], [.. s.Assumptions.Select(a => (IReadOnlyList<string>)[a])]);
        var chart = new ReportChart("Devices in use per hour", [.. Enumerable.Range(0, 24).Select(h => $"{h:00}:00")], [.. recommended.HourlyDevices.Select(d => (double)d)]);
        tables.Add(hourly);
        tables.Add(assumptions);
        return new Report($"Plan: {s.Name}", json, tables, AllFindings(plan, pricing, costs)) { Charts = [chart] };
    }

    private static List<Finding> AllFindings(PlanResult plan, PlanPricing? pricing, IReadOnlyList<StrategyCost>? costs) =>
        [.. plan.Findings, .. pricing?.Findings ?? [],
            .. (costs ?? []).SelectMany(c => (c.Own?.Findings ?? []).Concat(c.Rent?.Findings ?? [])).DistinctBy(f => f.Code)];

    private static PlanCostJson? CostJson(Suanli.Cost.CostBreakdown? c) => c is null ? null
        : new(c.Option, c.PerMonth.Round().Amount, c.PerYear.Round().Amount, c.Upfront.Round().Amount, c.PerMillionTokens?.Round(4).Amount,
            c.PerRequest?.Round(6).Amount, [.. c.Lines.Select(l => new PlanCostLineJson(l.Part, l.PerMonth.Round().Amount, l.Formula))]);
}
