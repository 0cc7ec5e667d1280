using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>A replica's split: tensor, pipeline and expert parallel degrees and the devices it uses.</summary>
public sealed record PlanLayoutJson(int Tp, int Pp, int Ep, int Devices)
{
    /// <summary>Data-parallel attention ranks (1: attention is tensor-parallel over the whole group).</summary>
    public int AttentionDp { get; init; } = 1;

    /// <summary>
    /// Why this layout: "most-per-device" (the most demand per device of the layouts that fit), "only-fit",
    /// "devices-per-replica" (the scenario's count, widest valid TP) or "kept"; null where unknown.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Layouts that fit one request and were considered.</summary>
    public int? LayoutsThatFit { get; init; }

    /// <summary>Of them, the ones simulated (the others' analytic capacity bound could not beat the chosen one).</summary>
    public int? LayoutsSimulated { get; init; }
}

/// <summary>An application's demand: rate (requests/s) or concurrency at the peak, mean prompt and output tokens, the traffic profile's name.</summary>
public sealed record DemandJson(DemandKind Kind, double Peak, double InputTokens, double OutputTokens, string Profile)
{
    /// <summary>The user counts the peak rate was derived from (scenario key <c>users</c>); null when the peak was given.</summary>
    public UsersJson? Users { get; init; }
}

/// <summary>Demand stated as users: peak = requestsPerDay / (86,400 s x profileMean) requests per second (docs/methodology-fleet.md, "Demand from users").</summary>
/// <param name="DailyActive">Users active on a day.</param>
/// <param name="RequestsPerUserPerDay">Requests each active user sends a day.</param>
/// <param name="Registered">Registered users, when the demand was stated that way.</param>
/// <param name="DailyActiveShare">Share of registered users active on a day, with <paramref name="Registered"/>.</param>
/// <param name="RequestsPerDay">Requests a day.</param>
/// <param name="ProfileMean">The traffic profile's mean multiplier.</param>
public sealed record UsersJson(double DailyActive, double RequestsPerUserPerDay, double? Registered, double? DailyActiveShare, double RequestsPerDay, double ProfileMean);

/// <summary>
/// An application's latency targets: in seconds where checked at p90 (null where none is set or it is checked at
/// another percentile), and every target with the percentile it is checked at in <see cref="Stated"/>.
/// </summary>
/// <param name="TtftP90Seconds">The TTFT target when checked at p90, s.</param>
/// <param name="TpotP90Seconds">The TPOT target when checked at p90, s.</param>
/// <param name="E2eP90Seconds">The end-to-end target when checked at p90, s.</param>
public sealed record TargetsJson(double? TtftP90Seconds, double? TpotP90Seconds, double? E2eP90Seconds)
{
    /// <summary>Every target set, each with the percentile it is checked at (values are not reported here: null).</summary>
    public IReadOnlyList<TargetJson> Stated { get; init; } = [];

    /// <summary>The targets of an application.</summary>
    public static TargetsJson Of(Suanli.Serving.ServingTargets t) =>
        new(P90(t.Ttft, t.TtftAt), P90(t.Tpot, t.TpotAt), P90(t.E2e, t.E2eAt)) { Stated = TargetJson.Of(t, null) };

    private static double? P90(Suanli.Quantities.Duration? target, Suanli.Serving.Percentile at) => at == Suanli.Serving.Percentile.P90 ? target?.Value : null;
}

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
/// replicas per hour (on the scenario's clock), memory of one replica in bytes, and the articles' rule applied to these
/// inputs beside; the IANA zone its profile's hours are in, and the hours that zone is ahead of the scenario's on the plan
/// date (the fleet reads the profile shifted by them; 0 in the scenario's zone; docs/methodology-fleet.md, "Time zones").
/// </summary>
public sealed record PlanApplicationJson(string Name, string Model, string Precision, string KvPrecision, Engine Engine, PlanLayoutJson Layout,
    DemandJson Demand, TargetsJson Targets, ReplicaCapacityJson Capacity, int ReplicasPeak, int DevicesPeak, double UtilisationAverage,
    IReadOnlyList<int> HourlyReplicas, long MemoryBytesPerReplica, ArticlesEstimateJson ArticlesEstimate, string TimeZone, double HourShift)
{
    /// <summary>
    /// Requests this application sends per month (its share of <see cref="PlanCostsJson.RequestsPerMonth"/>: each hour's
    /// demand summed over the day, times the days of a month): the volume at which the planning page prices a hosted API
    /// for it, at its own prompt and output tokens.
    /// </summary>
    public double RequestsPerMonth { get; init; }

    /// <summary>The scheduler caps its replicas were simulated with, each stated by the scenario or assumed (docs/scenario.md, <c>max_num_seqs</c>).</summary>
    public SchedulerCapsJson? Scheduler { get; init; }
}

/// <summary>
/// An engine's scheduler caps in a plan: most running sequences and most tokens per step, and where each comes from:
/// "stated" (the scenario's <c>max_num_seqs</c> / <c>max_batched_tokens</c>) or "assumed" (the engine's default for the
/// device, or llama.cpp's slots sized to the memory; listed under the plan's assumptions).
/// </summary>
public sealed record SchedulerCapsJson(int MaxNumSeqs, int MaxBatchedTokens, string MaxNumSeqsFrom, string MaxBatchedTokensFrom)
{
    /// <summary>The caps of a planned application.</summary>
    public static SchedulerCapsJson Of(ApplicationPlan a) => new(a.Engine.MaxNumSeqs, a.Engine.MaxBatchedTokens,
        a.Application.Caps.MaxNumSeqs is null ? "assumed" : "stated", a.Application.Caps.MaxBatchedTokens is null ? "assumed" : "stated");
}

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
public sealed record PlanCostJson(string Option, decimal PerMonth, decimal PerYear, decimal Upfront, decimal? PerMillionTokens, decimal? PerRequest, IReadOnlyList<PlanCostLineJson> Lines)
{
    /// <summary>
    /// The option's name in the reader's language, as <c>compare</c> names a self-hosted option (its <c>options[].label</c>):
    /// the first application's model and weights on the strategy's peak devices, bought or rented from the provider of the
    /// rent used ("qwen2-72b bf16 on 4x nvidia-a100-sxm4-80gb (buy)"; Chinese "qwen2-72b bf16，4 张 nvidia-a100-sxm4-80gb（购买）").
    /// </summary>
    public string? Label { get; init; }
}

/// <summary>Own and rent costs of one sizing strategy; null where a price is missing.</summary>
public sealed record StrategyCostJson(Strategy Strategy, PlanCostJson? Own, PlanCostJson? Rent)
{
    /// <summary>The rent term the strategy's fleet is given (docs/methodology-cost.md, "Choosing the rent term"); null without a rent price.</summary>
    public RentTermJson? RentTerm { get; init; }
}

/// <summary>
/// A fleet's rent term: <c>Term</c> is on-demand, reserved-1y, reserved-3y or spot; <c>ReservedDevices</c> of the
/// <c>PeakDevices</c> are billed every hour of the month at the reserved price, the device-hours above them on demand.
/// <c>Pinned</c>: the scenario's <c>rent_term</c> chose the term rather than the plan.
/// </summary>
public sealed record RentTermJson(string Term, int ReservedDevices, int PeakDevices, bool Pinned);

/// <summary>The prices the plan used and each strategy's costs.</summary>
public sealed record PlanCostsJson(string Currency, SourcedAmountJson? DevicePrice, RentUsedJson? RentPerDeviceHour, SourcedAmountJson TariffPerKwh,
    double AmortisationYears, double MaintenanceFractionPerYear, double Pue, IReadOnlyList<StrategyCostJson> Strategies)
{
    /// <summary>
    /// Requests the plan serves per month (each hour's demand summed over the day, times the days of a month;
    /// <see cref="PlanCosts.MonthlyWorkload"/>): what the per-request and per-token figures divide by, and the volume
    /// at which a hosted API is priced beside the plan (the planning page's cost panel).
    /// </summary>
    public double RequestsPerMonth { get; init; }
}

/// <summary>A quantity's 80% range: the low end, the prediction, the high end (in the quantity's own unit).</summary>
public sealed record RangeJson(double Low, double Expected, double High);

/// <summary>
/// One application's capacity interval: its class (e.g. <c>capacity/trtllm/nvidia-hopper</c>, or a broader pooled
/// class when <c>Widened</c>), measured/predicted ratios at the ends, requests/s per replica and peak devices.
/// </summary>
public sealed record ApplicationRangeJson(string Name, string IntervalClass, int ValidatedRows, double LowRatio, double HighRatio, bool Widened,
    RangeJson MaxRequestsPerSecond, RangeJson DevicesPeak);

/// <summary>
/// The plan across the 80% prediction interval of replica capacity: devices, racks, facility power at the peak (kW)
/// and the recommended strategy's cost per month (plan currency) when capacity is at the interval's low end (high
/// counts) and high end (low counts); <c>CoveredRatio</c> is the lowest fraction of predicted capacity at which the
/// expected fleet still carries every peak.
/// </summary>
public sealed record PlanRangeJson(string Basis, RangeJson Devices, RangeJson Racks, RangeJson PeakPowerKw, RangeJson? OwnPerMonth, RangeJson? RentPerMonth,
    double? CoveredRatio, IReadOnlyList<ApplicationRangeJson> Applications);

/// <summary>
/// One assumption moved down and up by a stated amount: peak devices and cost per month (plan currency) at each end, and
/// the cost swing. An end at which the plan cannot be served has null devices and cost, and is listed in
/// <see cref="Unserved"/> with the reason.
/// </summary>
public sealed record SensitivityLineJson(string Assumption, string Move, int? DevicesDown, int? DevicesUp, decimal? CostPerMonthDown, decimal? CostPerMonthUp, decimal CostSwing)
{
    /// <summary>The ends of the move at which the plan cannot be served ("cannot be served at this move"), each with the replan's reason; empty when both can.</summary>
    public IReadOnlyList<SensitivityUnservedJson> Unserved { get; init; } = [];
}

/// <summary>An end of a sensitivity move at which the plan cannot be served: <c>down</c> or <c>up</c>, and why (in the reader's language).</summary>
public sealed record SensitivityUnservedJson(string End, string Reason);

/// <summary>
/// A plan's sensitivity (<c>suanli plan --sensitivity</c>): the expected peak devices and cost per month on the
/// basis named (own or rent, recommended strategy), and each assumption's effect, largest cost swing first.
/// </summary>
public sealed record SensitivityJson(int Devices, decimal? CostPerMonth, string Basis, IReadOnlyList<SensitivityLineJson> Lines);

/// <summary><c>suanli plan --format json</c> (<c>plan.json</c>) and <c>/api/plan</c> (fields in docs/scenario.md).</summary>
public sealed record PlanJson(string Scenario, string Source, string Currency, string TimeZone, string Hardware, string Server,
    IReadOnlyList<PlanApplicationJson> Applications, FleetJson Fleet, PlanCostsJson? Costs, IReadOnlyList<string> Assumptions,
    IReadOnlyList<FindingJson> Findings) : ReportDocument
{
    /// <summary>The plan across the 80% interval of replica capacity; null when no interval was asked for.</summary>
    public PlanRangeJson? Range { get; init; }
    /// <summary>Each main assumption moved and the plan redone; null unless asked for (<c>--sensitivity</c>).</summary>
    public SensitivityJson? Sensitivity { get; init; }
}

/// <summary>Builds the report of <c>suanli plan</c> (JSON documented in docs/scenario.md).</summary>
public static class PlanReport
{
    /// <summary>
    /// Plans a scenario, prices each strategy from the prices catalog and lays it out: what <c>suanli plan</c>
    /// prints and <c>/api/plan</c> returns.
    /// </summary>
    /// <remarks>
    /// The pipeline is <see cref="PricedPlanner.Run"/>'s; this lays its result out. With <paramref name="intervals"/>,
    /// the plan is also sized at both ends of each deployment's 80% capacity interval (<see cref="PlanRanges"/>),
    /// reusing the expected plan's capacity searches.
    /// </remarks>
    /// <remarks>With <paramref name="sensitivity"/>, each main assumption is moved and the plan redone (<see cref="Sensitivity"/>).
    /// With <paramref name="bound"/> (<see cref="SimulatedReplicaCapacity.Bound"/>), layouts that cannot win are not simulated.</remarks>
    public static (PlanResult Plan, Report Report) Run(Scenario scenario, CapacityProvider capacity, Suanli.Cost.PriceBook prices, DateOnly today,
        PredictionIntervals? intervals = null, bool sensitivity = false, CapacityBound? bound = null)
    {
        var priced = PricedPlanner.Run(scenario, capacity, prices, today,
            intervals is null ? null : d => IntervalFiles.Find(intervals, PredictionKind.Capacity, d.Engine, d.Device), sensitivity, bound);
        var report = Build(priced.Plan, priced.Pricing, priced.Costs, priced.Range is { } r ? (r.Range, r.Pessimistic, r.Optimistic) : null);
        return (priced.Plan, priced.Sensitivity is { } s ? WithSensitivity(report, s) : report);
    }

    /// <summary>Adds a sensitivity to a plan's report: the ranked table, the tornado chart's data and the JSON.</summary>
    public static Report WithSensitivity(Report report, SensitivityResult result)
    {
        var json = (PlanJson)report.Json;
        var table = PlanTables.Sensitivity(result);
        static IEnumerable<SensitivityUnservedJson> Unserved(SensitivityLine l) =>
            new[] { ("down", l.UnservedDown), ("up", l.UnservedUp) }.Where(e => e.Item2 is not null).Select(e => new SensitivityUnservedJson(e.Item1, e.Item2!.English));
        var sensitivityJson = new SensitivityJson(result.Devices, result.Cost?.Amount, result.Basis,
            [.. result.Lines.Select(l => new SensitivityLineJson(l.Assumption, l.Move, l.DevicesDown, l.DevicesUp, l.CostDown?.Amount, l.CostUp?.Amount, l.CostSwing) { Unserved = [.. Unserved(l)] })]);
        var tables = report.Tables.ToList();
        tables.Insert(Math.Min(3, tables.Count), table);
        // A move the plan cannot serve is a warning beside the plan's findings (the plan as asked stands).
        var findings = result.Findings;
        return report with
        {
            Json = json with { Sensitivity = sensitivityJson, Findings = [.. json.Findings, .. FindingJson.Of(findings)] },
            Tables = tables,
            Findings = [.. report.Findings, .. findings],
            Phrases = [.. report.Phrases, .. result.Lines.SelectMany(l => new[] { l.Name, l.Moved }), .. result.Lines.SelectMany(l => new[] { l.UnservedDown, l.UnservedUp }).OfType<Phrase>()],
        };
    }

    /// <summary>Lays a plan out for every renderer; with prices, each strategy's cost of owning and renting; with a range, the plan across the capacity interval.</summary>
    public static Report Build(PlanResult plan, PlanPricing? pricing = null, IReadOnlyList<StrategyCost>? costs = null,
        (PlanRange Range, IReadOnlyList<StrategyCost> Pessimistic, IReadOnlyList<StrategyCost> Optimistic)? range = null)
    {
        var s = plan.Scenario;
        var fleet = plan.Fleet;
        var devices = fleet.Hardware.Sum(h => h.Devices);
        var servers = fleet.Hardware.Sum(h => h.Servers);
        var racks = fleet.Hardware.Sum(h => h.Racks);
        var labels = new CostLabels(plan, pricing);
        var json = new PlanJson(s.Name, s.Source, s.Currency.Code, s.TimeZone, s.Device.Id, s.Server.Id,
            [.. plan.Applications.Select(a => new PlanApplicationJson(a.Application.Name, a.Deployment.Model.Id, a.Deployment.Weights.Name, a.Deployment.Kv.Name,
                a.Deployment.Engine, new PlanLayoutJson(a.Deployment.Layout.Tp, a.Deployment.Layout.Pp, a.Deployment.Layout.Ep, a.Deployment.Layout.Devices)
                {
                    AttentionDp = a.Deployment.Layout.AttentionDp, Reason = a.Choice?.Reason, LayoutsThatFit = a.Choice?.Fitting, LayoutsSimulated = a.Choice?.Simulated,
                },
                new DemandJson(a.Application.Kind, a.Application.Peak, a.Application.InputTokens, a.Application.OutputTokens, a.Application.Profile.Name)
                {
                    Users = a.Application.Users is { } u ? new UsersJson(u.DailyActiveUsers, u.RequestsPerUserPerDay, u.RegisteredUsers, u.DailyActiveShare, u.RequestsPerDay, u.ProfileMean) : null,
                },
                TargetsJson.Of(a.Application.Targets),
                new ReplicaCapacityJson(a.Capacity.MaxRequestsPerSecond, a.Capacity.MaxConcurrency, a.Capacity.LimitingTarget),
                a.ReplicasPeak, a.DevicesPeak, a.UtilisationAverage, a.HourlyReplicas, (long)a.Memory.Value,
                new ArticlesEstimateJson(a.ArticleCopies, a.ArticleDevicesPerCopy, a.ArticleDevices, (long)a.RuleOfThumb.Value),
                a.Application.TimeZone ?? s.TimeZone, a.Application.HourShift) { RequestsPerMonth = PlanCosts.RequestsPerDay(a) * Suanli.Cost.CostCalendar.DaysPerMonth, Scheduler = SchedulerCapsJson.Of(a) })],
            new FleetJson(devices, servers, racks, fleet.PeakPower.InKilowatts, fleet.NameplatePower.InKilowatts, fleet.EnergyPerDay.InKilowattHours,
                [.. fleet.HourlyPower.Select(p => p.InKilowatts)], fleet.Recommended,
                [.. fleet.Hardware.Select(h => new FleetHardwareJson(h.Device.Id, h.Server.Id, h.Devices, h.Servers, h.ServersPerRack, h.Racks, h.RackLimit))],
                [.. fleet.Strategies.Select(r => new FleetStrategyJson(r.Strategy, r.DevicesPeak, r.DeviceHoursPerDay, r.DeviceHoursPerDay, r.Utilisation, r.EnergyPerDay.InKilowattHours))]),
            pricing is null || costs is null ? null : new PlanCostsJson(pricing.Currency.Code,
                pricing.DevicePrice is { } dp ? new SourcedAmountJson(dp.Amount, pricing.DevicePriceSource) : null,
                pricing.Rent is { } r ? new RentUsedJson(r.PerDeviceHour.Amount, r.Provider, r.Provenance.Source, Suanli.Cost.PriceBook.Iso(r.Provenance.Date)) : null,
                new SourcedAmountJson(pricing.Tariff.Amount, pricing.TariffSource), pricing.AmortisationYears, pricing.MaintenanceFractionPerYear, pricing.Pue,
                [.. costs.Select(c => new StrategyCostJson(c.Strategy, Labelled(CostJson(c.Own), labels.Own(c.Strategy)), Labelled(CostJson(c.Rent), labels.Rent(c.Strategy)))
                {
                    RentTerm = c.RentMix is { } m ? new RentTermJson(Suanli.Cost.RentTerms.Name(s.RentTerm ?? m.Term), m.ReservedDevices, m.PeakDevices, s.RentTerm is not null) : null,
                })]) { RequestsPerMonth = PlanCosts.MonthlyWorkload(plan).RequestsPerMonth },
            [.. s.Assumptions.Select(a => a.English)],
            FindingJson.Of(AllFindings(plan, pricing, costs, range)))
        {
            Range = range is { } rj ? RangeOf(plan, costs, rj.Range, rj.Pessimistic, rj.Optimistic) : null,
        };

        var tables = new List<ReportTable> { PlanTables.Summary(plan, json.Range, pricing?.Currency), PlanTables.Applications(plan), PlanTables.Strategies(fleet) };
        if (pricing is not null && costs is not null)
        {
            tables.Add(PlanTables.Costs(pricing.Currency, costs));
        }
        var recommended = fleet.Of(fleet.Recommended);
        var chartTitle = Phrase.Of("report.chart.devices-per-hour", "Devices in use per hour");
        var chart = new ReportChart(chartTitle.English, [.. Enumerable.Range(0, 24).Select(h => $"{h:00}:00")], [.. recommended.HourlyDevices.Select(d => (double)d)]) { Caption = chartTitle };
        tables.Add(PlanTables.Hourly(plan));
        tables.Add(PlanTables.Assumptions(s));
        var title = PlanTables.Title(s.Name);
        return new Report(title.English, json, tables, AllFindings(plan, pricing, costs, range)) { Charts = [chart], Heading = title, Phrases = [.. s.Assumptions, .. labels.Phrases] };
    }

    private static List<Finding> AllFindings(PlanResult plan, PlanPricing? pricing, IReadOnlyList<StrategyCost>? costs,
        (PlanRange Range, IReadOnlyList<StrategyCost> Pessimistic, IReadOnlyList<StrategyCost> Optimistic)? range = null) =>
        [.. plan.Findings, .. pricing?.Findings ?? [],
            .. (costs ?? []).SelectMany(c => (c.Own?.Findings ?? []).Concat(c.Rent?.Findings ?? [])).DistinctBy(f => f.Code),
            .. range is { } r ? [RangeFinding(plan, r.Range)] : Array.Empty<Finding>()];

    private static int Devices(PlanResult p) => p.Fleet.Hardware.Sum(h => h.Devices);

    private static int Racks(PlanResult p) => p.Fleet.Hardware.Sum(h => h.Racks);

    private static PlanRangeJson RangeOf(PlanResult plan, IReadOnlyList<StrategyCost>? costs, PlanRange range,
        IReadOnlyList<StrategyCost> pessimistic, IReadOnlyList<StrategyCost> optimistic)
    {
        var strategy = plan.Fleet.Recommended;
        RangeJson? Money(Func<StrategyCost, Suanli.Cost.CostBreakdown?> part)
        {
            var e = costs?.FirstOrDefault(c => c.Strategy == strategy) is { } ce ? part(ce) : null;
            var lo = optimistic.FirstOrDefault(c => c.Strategy == strategy) is { } co ? part(co) : null;
            var hi = pessimistic.FirstOrDefault(c => c.Strategy == strategy) is { } cp ? part(cp) : null;
            return e is null || lo is null || hi is null ? null
                : new RangeJson((double)lo.PerMonth.Round().Amount, (double)e.PerMonth.Round().Amount, (double)hi.PerMonth.Round().Amount);
        }
        var apps = plan.Applications.Select((a, i) =>
        {
            var found = range.Applications[i].Interval;
            var lo = range.Pessimistic.Applications.FirstOrDefault(p => p.Application.Name == a.Application.Name);
            var hi = range.Optimistic.Applications.FirstOrDefault(p => p.Application.Name == a.Application.Name);
            return new ApplicationRangeJson(a.Application.Name, found?.Class.Key ?? "none", found?.Class.Rows ?? 0, found?.Class.LowRatio ?? 1, found?.Class.HighRatio ?? 1,
                found?.Widened ?? false,
                new RangeJson(lo?.Capacity.MaxRequestsPerSecond ?? a.Capacity.MaxRequestsPerSecond, a.Capacity.MaxRequestsPerSecond, hi?.Capacity.MaxRequestsPerSecond ?? a.Capacity.MaxRequestsPerSecond),
                new RangeJson(hi?.DevicesPeak ?? a.DevicesPeak, a.DevicesPeak, lo?.DevicesPeak ?? a.DevicesPeak));
        }).ToList();
        var basis = string.Join("; ", range.Applications.Select(a => $"{a.Application}: {a.Interval?.Basis ?? "no validated spread for this deployment"}"));
        return new PlanRangeJson(basis,
            new RangeJson(Devices(range.Optimistic), Devices(plan), Devices(range.Pessimistic)),
            new RangeJson(Racks(range.Optimistic), Racks(plan), Racks(range.Pessimistic)),
            new RangeJson(range.Optimistic.Fleet.PeakPower.InKilowatts, plan.Fleet.PeakPower.InKilowatts, range.Pessimistic.Fleet.PeakPower.InKilowatts),
            Money(c => c.Own), Money(c => c.Rent), range.CoveredRatio, apps);
    }

    private static Finding RangeFinding(PlanResult plan, PlanRange range)
    {
        var (lo, e, hi) = (Devices(range.Optimistic), Devices(plan), Devices(range.Pessimistic));
        var lowEnds = range.Applications.Where(a => a.Interval is not null).Select(a => a.Interval!.Class.LowRatio).ToList();
        var reserve = Show.N(plan.Scenario.Policy.Headroom * 100, 0);
        Phrase headroom = Phrase.Of("nothing", "");
        if (range.CoveredRatio is { } c && lowEnds.Count > 0)
        {
            var args = new (string, object)[]
            {
                ("expected", Show.N(e)), ("lowEnd", Show.N(lowEnds.Min() * 100, 0) + "%"), ("covered", Show.N(c * 100, 0) + "%"), ("reserve", reserve + "%"), ("high", Show.N(hi)),
            };
            headroom = c > lowEnds.Min()
                ? Phrase.Of("plan-headroom#short", " The recommended {expected} devices carry the peak down to {covered} of predicted capacity; at the interval's low end ({lowEnd}) they fall short and {high} are needed (with the plan's {reserve} headroom).", args)
                : hi > e
                    ? Phrase.Of("plan-headroom#spent", " The recommended {expected} devices still carry the peak at the interval's low end ({lowEnd} of predicted capacity; they carry it down to {covered}), but only by spending the plan's {reserve} headroom; keeping that headroom there takes {high}.", args)
                    : Phrase.Of("plan-headroom#kept", " The recommended {expected} devices still carry the peak at the interval's low end ({lowEnd} of predicted capacity; they carry it down to {covered}).",
                        ("expected", Show.N(e)), ("lowEnd", Show.N(lowEnds.Min() * 100, 0) + "%"), ("covered", Show.N(c * 100, 0) + "%"));
        }
        var basis = new PhraseList([.. range.Applications.Select(a => Phrase.Of("for-application", "{application}: {text}", ("application", a.Application),
            ("text", a.Interval?.Phrase ?? Phrase.Of("no-spread", "no validated spread for this deployment, so no range"))))], "semicolon");
        return Finding.Info("plan-range",
            "Devices {low}-{high} (expected {expected}) across the 80% prediction interval of replica capacity from Suanli's validated error ({basis}).{headroom}",
            ("low", Show.N(lo)), ("high", Show.N(hi)), ("expected", Show.N(e)), ("basis", basis), ("headroom", headroom));
    }

    private static PlanCostJson? Labelled(PlanCostJson? cost, Phrase? label) => cost is null || label is null ? cost : cost with { Label = label.English };

    // The names of a plan's own and rent options per strategy (compare's phrases, SelfHosting.OptionName), kept as phrases
    // so the JSON's labels are rendered in the reader's language.
    private sealed class CostLabels(PlanResult plan, PlanPricing? pricing)
    {
        private readonly List<Phrase> _phrases = [];

        public IReadOnlyList<Phrase> Phrases => _phrases;

        private Phrase? Name(Strategy strategy) => plan.Applications.Count == 0 ? null
            : SelfHosting.OptionName(plan.Applications[0].Deployment.Model, plan.Applications[0].Deployment.Weights, plan.Fleet.Of(strategy).DevicesPeak, plan.Applications[0].Deployment.Device);

        public Phrase? Own(Strategy strategy) => Name(strategy) is { } n ? Keep(SelfHosting.Bought(n)) : null;

        public Phrase? Rent(Strategy strategy) => Name(strategy) is { } n && pricing?.Rent is { } r ? Keep(SelfHosting.Rented(n, r.Provider)) : null;

        private Phrase Keep(Phrase p)
        {
            _phrases.Add(p);
            return p;
        }
    }

    private static PlanCostJson? CostJson(Suanli.Cost.CostBreakdown? c) => c is null ? null
        : new(c.Option, c.PerMonth.Round().Amount, c.PerYear.Round().Amount, c.Upfront.Round().Amount, c.PerMillionTokens?.Round(4).Amount,
            c.PerRequest?.Round(6).Amount, [.. c.Lines.Select(l => new PlanCostLineJson(l.Part, l.PerMonth.Round().Amount, l.Formula))]);
}
