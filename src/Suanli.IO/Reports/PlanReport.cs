using Suanli.Fleet;
using Suanli.Plan;

namespace Suanli.IO.Reports;

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
        var json = new
        {
            Scenario = s.Name,
            s.Source,
            Currency = s.Currency.Code,
            s.TimeZone,
            Hardware = s.Device.Id,
            Server = s.Server.Id,
            Applications = plan.Applications.Select(a => new
            {
                a.Application.Name,
                Model = a.Deployment.Model.Id,
                Precision = a.Deployment.Weights.Name,
                KvPrecision = a.Deployment.Kv.Name,
                Engine = a.Deployment.Engine,
                Layout = new { a.Deployment.Layout.Tp, a.Deployment.Layout.Pp, a.Deployment.Layout.Ep, a.Deployment.Layout.Devices },
                Demand = new { Kind = a.Application.Kind, a.Application.Peak, a.Application.InputTokens, a.Application.OutputTokens, Profile = a.Application.Profile.Name },
                Targets = new { TtftP90Seconds = a.Application.Targets.TtftP90?.Value, TpotP90Seconds = a.Application.Targets.TpotP90?.Value, E2eP90Seconds = a.Application.Targets.E2eP90?.Value },
                Capacity = new { a.Capacity.MaxRequestsPerSecond, a.Capacity.MaxConcurrency, a.Capacity.LimitingTarget },
                a.ReplicasPeak,
                a.DevicesPeak,
                a.UtilisationAverage,
                HourlyReplicas = a.HourlyReplicas,
                MemoryBytesPerReplica = (long)a.Memory.Value,
                ArticlesEstimate = new
                {
                    CopiesOnePerConcurrentRequest = a.ArticleCopies,
                    DevicesPerCopyByRule = a.ArticleDevicesPerCopy,
                    Devices = a.ArticleDevices,
                    RuleOfThumbBytes = (long)a.RuleOfThumb.Value,
                },
            }).ToList(),
            Fleet = new
            {
                Devices = devices,
                Servers = servers,
                Racks = racks,
                PowerKw = fleet.PeakPower.InKilowatts,
                NameplateKw = fleet.NameplatePower.InKilowatts,
                EnergyKwhPerDay = fleet.EnergyPerDay.InKilowattHours,
                HourlyPowerKw = fleet.HourlyPower.Select(p => p.InKilowatts).ToList(),
                RecommendedStrategy = fleet.Recommended,
                Hardware = fleet.Hardware.Select(h => new { Device = h.Device.Id, Server = h.Server.Id, h.Devices, h.Servers, h.ServersPerRack, h.Racks, h.RackLimit }).ToList(),
                Strategies = fleet.Strategies.Select(r => new
                {
                    r.Strategy,
                    r.DevicesPeak,
                    r.DeviceHoursPerDay,
                    DeviceHours = r.DeviceHoursPerDay,
                    UtilisationAverage = r.Utilisation,
                    EnergyKwhPerDay = r.EnergyPerDay.InKilowattHours,
                }).ToList(),
            },
            Costs = pricing is null || costs is null ? null : new
            {
                Currency = pricing.Currency.Code,
                DevicePrice = pricing.DevicePrice is { } dp ? new { dp.Amount, Source = pricing.DevicePriceSource } : null,
                RentPerDeviceHour = pricing.Rent is { } r ? new { r.PerDeviceHour.Amount, r.Provider, Source = r.Provenance.Source, Date = Suanli.Cost.PriceBook.Iso(r.Provenance.Date) } : null,
                TariffPerKwh = new { pricing.Tariff.Amount, Source = pricing.TariffSource },
                pricing.AmortisationYears,
                pricing.MaintenanceFractionPerYear,
                pricing.Pue,
                Strategies = costs.Select(c => new { c.Strategy, Own = CostJson(c.Own), Rent = CostJson(c.Rent) }).ToList(),
            },
            Assumptions = s.Assumptions,
            Findings = FindingJson.Of(AllFindings(plan, pricing, costs)),
        };

        var summary = new ReportTable("Summary", ["Quantity", "Value"],
        [
            ["Hardware", $"{s.Device.Name} in {s.Server.Name}"],
            ["Devices (peak hour, " + fleet.Recommended.ToString().ToLowerInvariant() + ")", Show.N(devices)],
            ["Servers", Show.N(servers)],
            ["Racks", $"{Show.N(racks)} ({s.Rack.PowerBudget.InKilowatts:0.#} kW, {s.Rack.HeightU}U; limited by {string.Join(", ", fleet.Hardware.Select(h => h.RackLimit).Distinct())})"],
            ["Facility power at peak (kW)", Show.N(fleet.PeakPower.InKilowatts, 1)],
            ["Energy per day (kWh)", Show.N(fleet.EnergyPerDay.InKilowattHours, 0)],
        ]);
        var apps = new ReportTable("Applications", ["Application", "Model", "Layout", "Capacity/replica", "Limit", "Replicas (peak)", "Devices (peak)", "Utilisation (avg)", "Articles' estimate (devices)"],
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

    private static object? CostJson(Suanli.Cost.CostBreakdown? c) => c is null ? null : new
    {
        c.Option,
        PerMonth = c.PerMonth.Round().Amount,
        PerYear = c.PerYear.Round().Amount,
        Upfront = c.Upfront.Round().Amount,
        PerMillionTokens = c.PerMillionTokens?.Round(4).Amount,
        PerRequest = c.PerRequest?.Round(6).Amount,
        Lines = c.Lines.Select(l => new { l.Part, PerMonth = l.PerMonth.Round().Amount, l.Formula }).ToList(),
    };
}
