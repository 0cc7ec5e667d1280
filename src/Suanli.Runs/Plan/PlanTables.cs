using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The tables of a plan's report with typed cells and keyed headers (src/Suanli/Text/zh.yaml holds their Chinese):
/// counts, kW, kWh, percentages and money stay values until a renderer formats them or a spreadsheet keeps them.
/// </summary>
public static class PlanTables
{
    /// <summary>The report's title: the plan and the scenario's name.</summary>
    public static Phrase Title(string name) => Phrase.Of("report.plan", "Plan: {name}", ("name", name));

    /// <summary>
    /// The report with its title naming the scenario by <paramref name="name"/>, a phrase that reads the same as the
    /// scenario's name in English (a front end's generated name, e.g. "MODEL on DEVICE", in the reader's language).
    /// </summary>
    public static Report Named(Report report, Phrase name) => report.Heading is { } heading
        ? report with { Heading = heading with { Args = [.. heading.Args.Select(a => a.Name == "name" ? PhraseArg.Of("name", name) : a)] } }
        : report;

    /// <summary>A strategy's name as the reports write it (lower case).</summary>
    public static Phrase StrategyName(Strategy strategy) => Suanli.Fleet.Strategies.Name(strategy);

    /// <summary>The plan's summary: hardware, peak devices, servers, racks, power and energy; with a range, its 80% ends.</summary>
    public static ReportTable Summary(PlanResult plan, PlanRangeJson? range, Currency? currency)
    {
        var s = plan.Scenario;
        var fleet = plan.Fleet;
        var limits = fleet.Hardware.Select(h => h.RackLimit).Distinct().Select(RackLimit).ToList();
        List<IReadOnlyList<ReportCell>> rows =
        [
            [Label(Phrase.Of("row.hardware", "Hardware")), ReportCell.Words(Phrase.Of("cell.device-in-server", "{device} in {server}", ("device", s.Device.Name), ("server", s.Server.Name)))],
            [Label(Phrase.Of("row.devices-peak", "Devices (peak hour, {strategy})", ("strategy", StrategyName(fleet.Recommended)))), ReportCell.Count(fleet.Hardware.Sum(h => h.Devices))],
            [Label(Phrase.Of("row.servers", "Servers")), ReportCell.Count(fleet.Hardware.Sum(h => h.Servers))],
            [Label(Phrase.Of("row.racks", "Racks")), ReportCell.Words(Phrase.Of("cell.racks", "{racks} ({power} kW, {height}U; limited by {limits})",
                ("racks", Show.N(fleet.Hardware.Sum(h => h.Racks))), ("power", Fmt.I($"{s.Rack.PowerBudget.InKilowatts:0.#}")), ("height", Fmt.I($"{s.Rack.HeightU}")),
                ("limits", new PhraseList(limits)))) ],
            [Label(Phrase.Of("row.peak-power", "Facility power at peak (kW)")), ReportCell.Number(fleet.PeakPower.InKilowatts, 1)],
            [Label(Phrase.Of("row.energy-per-day", "Energy per day (kWh)")), ReportCell.Number(fleet.EnergyPerDay.InKilowattHours, 0)],
        ];
        if (range is { } pr)
        {
            rows.Add([Label(Phrase.Of("row.devices-range", "Devices, 80% range")),
                ReportCell.Words(Phrase.Of("cell.capacity-interval", "{span} (capacity interval, see findings)", ("span", Span(Show.N(pr.Devices.Low), Show.N(pr.Devices.High)))))]);
            rows.Add([Label(Phrase.Of("row.racks-range", "Racks, 80% range")), Spanned(pr.Racks.Low, pr.Racks.High, ReportCell.Count, Show.N)]);
            if (pr.OwnPerMonth is { } own)
            {
                rows.Add([Label(Phrase.Of("row.own-range", "Own per month, 80% range")), MoneySpan(own.Low, own.High, currency!.Value)]);
            }
            if (pr.RentPerMonth is { } rent)
            {
                rows.Add([Label(Phrase.Of("row.rent-range", "Rent per month, 80% range")), MoneySpan(rent.Low, rent.High, currency!.Value)]);
            }
        }
        return new ReportTable(Phrase.Of("table.summary", "Summary"),
            [new(Phrase.Of("col.quantity", "Quantity")), new(Phrase.Of("col.value", "Value"))], rows);
    }

    /// <summary>Each application's deployment, capacity, peak replicas and devices, utilisation and the articles' rule beside.</summary>
    public static ReportTable Applications(PlanResult plan) => new(Phrase.Of("table.applications", "Applications"),
        [
            new(Phrase.Of("col.application", "Application")), new(Phrase.Of("col.model", "Model")), new(Phrase.Of("col.layout", "Layout")),
            new(Phrase.Of("col.capacity-per-replica", "Capacity/replica")), new(Phrase.Of("col.limit", "Limit")),
            new(Phrase.Of("col.replicas-peak", "Replicas (peak)"), CellKind.Count), new(Phrase.Of("col.devices-peak", "Devices (peak)"), CellKind.Count),
            new(Phrase.Of("col.utilisation-avg", "Utilisation (avg)"), CellKind.Percent),
            new(Phrase.Of("col.article-rule", "Article's rule on these inputs (devices)")),
        ],
        [.. plan.Applications.Select(a => (IReadOnlyList<ReportCell>)[
            ReportCell.Text(a.Application.Name), ReportCell.Text($"{a.Deployment.Model.Id} {a.Deployment.Weights}"), ReportCell.Text($"{a.Deployment.Layout.Devices} x ({a.Deployment.Layout})"),
            ReportCell.Words(Phrase.Of("cell.capacity", "{rate} req/s, {concurrency} in flight", ("rate", Show.Sig(a.Capacity.MaxRequestsPerSecond)), ("concurrency", Show.Sig(a.Capacity.MaxConcurrency)))),
            ReportCell.Words(LimitingTarget(a.Capacity.LimitingTarget)),
            ReportCell.Count(a.ReplicasPeak), ReportCell.Count(a.DevicesPeak), ReportCell.Percent(a.UtilisationAverage),
            ReportCell.Words(Phrase.Of("cell.article-rule", "{devices} ({copies} copies x {perCopy})",
                ("devices", Show.N(a.ArticleDevices)), ("copies", Show.N(a.ArticleCopies)), ("perCopy", Show.N(a.ArticleDevicesPerCopy)))),
        ])]);

    /// <summary>Static, autoscaled and pooled side by side, the recommended one marked.</summary>
    public static ReportTable Strategies(FleetResult fleet) => new(Phrase.Of("table.strategies", "Strategies"),
        [
            new(Phrase.Of("col.strategy", "Strategy")), new(Phrase.Of("col.devices-peak", "Devices (peak)"), CellKind.Count),
            new(Phrase.Of("col.device-hours", "Device-hours/day"), CellKind.Number), new(Phrase.Of("col.utilisation-avg", "Utilisation (avg)"), CellKind.Percent),
            new(Phrase.Of("col.energy-per-day", "Energy (kWh/day)"), CellKind.Number),
        ],
        [.. fleet.Strategies.Select(r => (IReadOnlyList<ReportCell>)[
            ReportCell.Words(r.Strategy == fleet.Recommended ? Phrase.Of("cell.recommended", "{strategy} (recommended)", ("strategy", StrategyName(r.Strategy))) : StrategyName(r.Strategy)),
            ReportCell.Count(r.DevicesPeak), ReportCell.Number(r.DeviceHoursPerDay, 0), ReportCell.Percent(r.Utilisation), ReportCell.Number(r.EnergyPerDay.InKilowattHours, 0),
        ])]);

    /// <summary>The recommended strategy's replicas per application group and facility power, hour by hour (files only).</summary>
    public static ReportTable Hourly(PlanResult plan)
    {
        var fleet = plan.Fleet;
        var recommended = fleet.Of(fleet.Recommended);
        return new ReportTable(Phrase.Of("table.replicas-per-hour", "Replicas per hour ({strategy}, {zone})", ("strategy", StrategyName(fleet.Recommended)), ("zone", plan.Scenario.TimeZone)),
            [
                new(Phrase.Of("col.hour", "Hour")),
                .. recommended.Groups.Select(g => new ReportColumn(Phrase.Of("col.group-replicas", "{group} (replicas)", ("group", g.Name)), CellKind.Count)),
                new(Phrase.Of("col.facility-power", "Facility power (kW)"), CellKind.Number),
            ],
            [.. Enumerable.Range(0, 24).Select(h => (IReadOnlyList<ReportCell>)[
                ReportCell.Text($"{h:00}:00"), .. recommended.Groups.Select(g => ReportCell.Count(g.Replicas[h])), ReportCell.Number(fleet.HourlyPower[h].InKilowatts, 1)])])
        { FilesOnly = true };
    }

    /// <summary>Each strategy's cost of owning and of renting, in the scenario's currency.</summary>
    public static ReportTable Costs(Currency currency, IReadOnlyList<StrategyCost> costs) =>
        new(Phrase.Of("table.costs", "Cost per month by strategy ({currency})", ("currency", currency.Code)),
        [
            new(Phrase.Of("col.strategy", "Strategy")),
            new(Phrase.Of("col.own-per-month", "Own: per month"), CellKind.Money), new(Phrase.Of("col.own-up-front", "Own: up front"), CellKind.Money),
            new(Phrase.Of("col.own-per-m-tokens", "Own: per M tokens"), CellKind.Money),
            new(Phrase.Of("col.rent-per-month", "Rent: per month"), CellKind.Money), new(Phrase.Of("col.rent-per-m-tokens", "Rent: per M tokens"), CellKind.Money),
        ],
        [.. costs.Select(c => (IReadOnlyList<ReportCell>)[
            ReportCell.Words(StrategyName(c.Strategy)),
            ReportCell.Money(c.Own?.PerMonth), ReportCell.Money(c.Own?.Upfront), ReportCell.Money(c.Own?.PerMillionTokens),
            ReportCell.Money(c.Rent?.PerMonth), ReportCell.Money(c.Rent?.PerMillionTokens),
        ])]);

    /// <summary>The scenario's assumptions, one a row, as the scenario recorded them (phrases, written in the reader's language).</summary>
    public static ReportTable Assumptions(Scenario scenario) => new(Phrase.Of("table.assumptions", "Assumptions"),
        [new(Phrase.Of("col.assumption", "Assumption"))], [.. scenario.Assumptions.Select(a => (IReadOnlyList<ReportCell>)[ReportCell.Words(a)])]);

    /// <summary>The sensitivity's ranked lines: each assumption moved down and up, devices and cost at each end, and the cost's swing.</summary>
    public static ReportTable Sensitivity(SensitivityResult result)
    {
        ReportCell Cost(Money? m) => m is { } v ? ReportCell.Money(v) : ReportCell.None;
        return new ReportTable(Phrase.Of("table.sensitivity", "Sensitivity: each assumption moved and the plan redone (expected {devices} devices, {cost} a month, {basis})",
                ("devices", Show.N(result.Devices)), ("cost", Cost(result.Cost).English), ("basis", SensitivityBasis(result.Basis))),
            [
                new(Phrase.Of("col.assumption", "Assumption")), new(Phrase.Of("col.moved", "Moved")),
                new(Phrase.Of("col.devices-down-up", "Devices (down / up)")), new(Phrase.Of("col.cost-down-up", "Cost per month (down / up)")),
                new(Phrase.Of("col.swing", "Swing"), CellKind.Money),
            ],
            [.. result.Lines.Select(l => (IReadOnlyList<ReportCell>)[
                ReportCell.Words(l.Name), ReportCell.Words(l.Moved),
                ReportCell.Words(Pair(l.DevicesDown is { } dd ? (object)Show.N(dd) : Unserved, l.DevicesUp is { } du ? (object)Show.N(du) : Unserved)),
                ReportCell.Words(Pair(l.UnservedDown is null ? (object)Cost(l.CostDown).English : Unserved, l.UnservedUp is null ? (object)Cost(l.CostUp).English : Unserved)),
                l.CostDown is { } d && !l.Unserved ? ReportCell.Money(new Money(l.CostSwing, d.Currency)) : ReportCell.None,
            ])]);
    }

    // An end of a sensitivity move at which the plan cannot be served (the reason is the finding sensitivity-move-unserved).
    private static readonly Phrase Unserved = Phrase.Of("sensitivity.unserved-cell", "cannot be served at this move");

    private static Phrase Pair(object down, object up) => Phrase.Of("sensitivity.pair", "{down} / {up}", ("down", down), ("up", up));

    // Which cost a sensitivity moves (own, rent or none), in the reader's language.
    private static Phrase SensitivityBasis(string basis) => basis switch
    {
        "own" => Phrase.Of("sensitivity-basis#own", "own"),
        "rent" => Phrase.Of("sensitivity-basis#rent", "rent"),
        _ => Phrase.Of("sensitivity-basis#none", "none"),
    };

    // A row's label in the first column of a key-value table.
    private static ReportCell Label(Phrase label) => ReportCell.Words(label);

    private static Phrase Span(string low, string high) =>
        low == high ? Phrase.Of("cell.value", "{value}", ("value", low)) : Phrase.Of("cell.span", "{low} to {high}", ("low", low), ("high", high));

    // One value when both ends read the same (kept as a number), else "low to high".
    private static ReportCell Spanned(double low, double high, Func<double, ReportCell> cell, Func<double, int, string> show) =>
        show(low, 0) == show(high, 0) ? cell(low) : ReportCell.Words(Span(show(low, 0), show(high, 0)));

    private static ReportCell MoneySpan(double low, double high, Currency currency)
    {
        var (lo, hi) = (new Money((decimal)low, currency), new Money((decimal)high, currency));
        return Show.Money(lo) == Show.Money(hi) ? ReportCell.Money(lo) : ReportCell.Words(Span(Show.Money(lo), Show.Money(hi)));
    }

    // What limits the servers per rack (FleetPlanner's RackLimit).
    private static Phrase RackLimit(string limit) => limit switch
    {
        "power" => Phrase.Of("rack-limit#power", "power"),
        "space" => Phrase.Of("rack-limit#space", "space"),
        _ => ReportCell.Unkeyed(limit),
    };

    // The target that limits a replica's capacity (ReplicaCapacity.LimitingTarget).
    private static Phrase LimitingTarget(string target) => target switch
    {
        "ttft" => Phrase.Of("limiting-target#ttft", "ttft"),
        "tpot" => Phrase.Of("limiting-target#tpot", "tpot"),
        "e2e" => Phrase.Of("limiting-target#e2e", "e2e"),
        "memory" => Phrase.Of("limiting-target#memory", "memory"),
        _ => ReportCell.Unkeyed(target),
    };
}
