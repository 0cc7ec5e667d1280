using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Serving;
using Workload = Suanli.Serving.Workload;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>Which monthly cost the optimizer minimises.</summary>
public enum CostBasis
{
    /// <summary>The cheaper of owning and renting, per candidate (a device priced only one way uses that one).</summary>
    Cheaper,
    /// <summary>Owning: amortised capex, power and maintenance (devices without a purchase price are left out).</summary>
    Own,
    /// <summary>Renting: on demand for the device-hours served, reserved for devices busy enough, or the pinned term (devices without a rent are left out).</summary>
    Rent,
}

/// <summary>
/// The candidate dimensions a scenario's <c>candidates</c> section asks the optimizer to search; a null dimension
/// takes its default (docs/methodology-cost.md, "Optimizing a scenario").
/// </summary>
public sealed record CandidateSettings
{
    /// <summary>Default devices per replica when neither the section nor the scenario names them.</summary>
    public static IReadOnlyList<int> DefaultDevicesPerReplica { get; } = [1, 2, 4, 8];

    /// <summary>Device types; null: the scenario's <c>hardware</c>.</summary>
    public IReadOnlyList<Device>? Hardware { get; init; }
    /// <summary>Weight formats; null: each application's <c>precision</c> (with its <c>kv_precision</c>).</summary>
    public IReadOnlyList<WeightPrecision>? Precisions { get; init; }
    /// <summary>Devices per replica; null: the scenario's <c>devices_per_replica</c>, else 1, 2, 4, 8.</summary>
    public IReadOnlyList<int>? DevicesPerReplica { get; init; }
    /// <summary>Engines; null: each application's <c>engine</c>.</summary>
    public IReadOnlyList<Engine>? Engines { get; init; }
    /// <summary>True when applications without <c>model</c> were given every catalog model that meets their quality floor.</summary>
    public bool CatalogModels { get; init; }
    /// <summary>The cost minimised.</summary>
    public CostBasis Basis { get; init; } = CostBasis.Cheaper;
    /// <summary>Electricity tariff as written (a catalog region or "0.65 CNY/kWh"); null: the documented default.</summary>
    public string? Tariff { get; init; }
    /// <summary>The rent term pinned (scenario <c>candidates.rent_term</c>, CLI <c>--rent-term</c>; reserved terms bill every hour); null (the default): each candidate's fleet reserves what pays and rents the rest on demand (<see cref="RentChoice"/>).</summary>
    public RentTerm? RentTerm { get; init; }
    /// <summary>Which purchase price is used (<c>candidates.purchase</c>, <c>--purchase</c>): null for the newest-dated; else the newest of that kind (e.g. the article's claim).</summary>
    public PurchaseKind? PurchaseKind { get; init; }
}

/// <summary>Settings of a scenario search.</summary>
public sealed record ScenarioSearchOptions
{
    /// <summary>Requests simulated per capacity probe (fewer: faster, noisier percentiles): the plan's, so a deployment the
    /// search picks has the capacity, fleet and monthly cost <c>suanli plan</c> gives it, on the CLI and the web alike.</summary>
    public const int DefaultRequestsPerProbe = SimulatedReplicaCapacity.RequestsPerProbe;

    /// <summary>Largest number of candidates over all applications before the search refuses.</summary>
    public int MaxCandidates { get; init; } = SearchOptions.DefaultLimit;
    /// <summary>Requests simulated per probe of the capacity search.</summary>
    public int RequestsPerProbe { get; init; } = DefaultRequestsPerProbe;
    /// <summary>Skip candidates whose optimistic bound is dominated (false: simulate every feasible candidate).</summary>
    public bool Prune { get; init; } = true;
    /// <summary>The server that holds a device (catalog entry or a generic node).</summary>
    public Func<Device, Server>? ServerFor { get; init; }
    /// <summary>Request-length distributions of an application; null: fixed lengths at the means.</summary>
    public Func<ScenarioApplication, (LengthDistribution Input, LengthDistribution Output)>? Lengths { get; init; }
    /// <summary>
    /// Factor on the analytic bound's capacity (<see cref="SearchOptions.BoundSlack"/>): the largest ratio of
    /// simulated to bound capacity measured over the examples, rounded up (docs/methodology-cost.md).
    /// </summary>
    public double BoundSlack { get; init; } = DefaultBoundSlack;

    /// <summary>The default <see cref="BoundSlack"/>.</summary>
    public const double DefaultBoundSlack = 1.25;

    /// <summary>The 80% capacity interval of a candidate; null: plans carry no range (<see cref="SearchOptions.Interval"/>).</summary>
    public Func<SearchCandidate, IntervalLookup?>? Interval { get; init; }

    /// <summary>Called once with the number of candidates over all applications, before the search starts (for a progress bar).</summary>
    public Action<long>? Started { get; init; }
    /// <summary>
    /// Called with each candidate the serving simulation verified as meeting the targets, with its fleet cost, as soon
    /// as it is costed (before the search ends), so a caller can show the cheapest feasible deployment found so far.
    /// </summary>
    public Action<SearchCandidate, DeploymentCost>? Feasible { get; init; }
    /// <summary>Progress of the shortlist's verification, per application (<see cref="SearchOptions.Verified"/>).</summary>
    public Action<int, int>? Verified { get; init; }
    /// <summary>Replaces the serving simulator (tests use the analytic estimate to brute-force small spaces).</summary>
    public Func<Deployment, ScenarioApplication, ReplicaCapacity>? Capacity { get; init; }
    /// <summary>Stops the search (an <see cref="OperationCanceledException"/>) between candidates and inside a capacity probe.</summary>
    public CancellationToken Cancel { get; init; }
}

/// <summary>What a deployment costs when the fleet stage sizes it over the application's day.</summary>
/// <param name="Capacity">What one replica carries within the targets.</param>
/// <param name="ReplicasPeak">Most replicas in any hour (autoscaled).</param>
/// <param name="DevicesPeak">Most devices in any hour: the devices an owned fleet buys.</param>
/// <param name="DeviceHoursPerDay">Device-hours served per day (what on-demand rent bills).</param>
/// <param name="Utilisation">Average load over provisioned capacity.</param>
/// <param name="Own">The owned fleet's cost, or null when the device has no purchase price.</param>
/// <param name="Rent">The rented fleet's cost, or null when the device has no rent.</param>
/// <param name="Basis">"own" or "rent": the option <see cref="PerMonth"/> is.</param>
/// <param name="TtftP90">Simulated p90 time to first token at the replica's capacity (null with a custom capacity provider).</param>
/// <param name="TpotP90">Simulated p90 time per output token at the replica's capacity (null with a custom capacity provider).</param>
/// <param name="Ttft">Simulated time to first token at the replica's capacity, at the percentile of the application's TTFT target (p90 unless it states another; null with a custom capacity provider).</param>
/// <param name="Tpot">Simulated time per output token at the replica's capacity, at the percentile of the application's TPOT target (null with a custom capacity provider).</param>
public sealed record DeploymentCost(ReplicaCapacity Capacity, int ReplicasPeak, int DevicesPeak, double DeviceHoursPerDay, double Utilisation,
    CostBreakdown? Own, CostBreakdown? Rent, string Basis, Duration? TtftP90 = null, Duration? TpotP90 = null, Duration? Ttft = null, Duration? Tpot = null)
{
    /// <summary>How the rent splits between a reserved term and on demand (<see cref="RentChoice.Cheapest"/>); null without rent.</summary>
    public RentMix? RentMix { get; init; }

    /// <summary>The minimised monthly cost.</summary>
    public Money PerMonth => (Basis == "own" ? Own : Rent)!.PerMonth;
}

/// <summary>A plan of the search with its fleet and costs.</summary>
/// <param name="Plan">The search's plan (deployment, evaluation, command line; its cost is <see cref="DeploymentCost.PerMonth"/>).</param>
/// <param name="Cost">Fleet and costs.</param>
public sealed record CostedPlan(PlanChoice Plan, DeploymentCost Cost);

/// <summary>One application's answer.</summary>
/// <param name="Application">The application.</param>
/// <param name="Search">The search's result (frontier costs are the minimised costs).</param>
/// <param name="Cheapest">The cheapest plan meeting the targets and floor, or null.</param>
/// <param name="Frontier">Cost vs quality vs latency frontier, cheapest first.</param>
/// <param name="Rejected">Families that cannot serve, including devices without a price.</param>
public sealed record OptimizedApplication(ScenarioApplication Application, ApplicationSearchResult Search, CostedPlan? Cheapest, IReadOnlyList<CostedPlan> Frontier, IReadOnlyList<RejectedFamily> Rejected);

/// <summary>The optimizer's answer for a scenario.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Settings">The candidate settings used.</param>
/// <param name="Applications">One answer per application, in order.</param>
/// <param name="Candidates">Candidates over all applications.</param>
/// <param name="Findings">Findings of the whole search.</param>
public sealed record OptimizeResult(Scenario Scenario, CandidateSettings Settings, IReadOnlyList<OptimizedApplication> Applications, long Candidates, IReadOnlyList<Finding> Findings);

/// <summary>
/// The optimizer (docs/methodology-cost.md, "Optimizing a scenario"): for each application, candidates = models x
/// precisions x hardware x devices per replica x valid layouts x engines; pruned with the analytic bound
/// (<see cref="AnalyticCapacityBound"/>) through <see cref="SearchEngine"/>; the shortlist verified with the serving
/// capacity search (<see cref="CapacitySearch"/>); replicas sized over the day by <see cref="FleetPlanner"/>; each
/// fleet priced per month by <see cref="CostModel"/> (own and rent).
/// </summary>
public static partial class ScenarioSearch
{
    /// <summary>Searches every application of a scenario.</summary>
    /// <param name="scenario">The scenario (applications, fleet policy, rack, currency).</param>
    /// <param name="settings">Candidate dimensions and cost basis.</param>
    /// <param name="prices">Prices per device id, in the scenario's currency.</param>
    /// <param name="stepTime">Step-time model (the calibrated one in the CLI).</param>
    /// <param name="options">Limits and hooks.</param>
    /// <param name="progress">Candidates processed so far over all applications.</param>
    public static OptimizeResult Run(Scenario scenario, CandidateSettings settings, IReadOnlyDictionary<string, DevicePrices> prices, IStepTimeModel stepTime,
        ScenarioSearchOptions? options = null, IProgress<long>? progress = null)
    {
        options ??= new ScenarioSearchOptions();
        Guard.InRange(options.MaxCandidates, 1, SearchOptions.HardestLimit, FieldNames.MaxCandidates);
        Guard.InRange(options.RequestsPerProbe, 100, Workload.MaxRequests, Phrase.Of("requests-per-probe", "requests per probe"), FieldNames.Requests);
        var findings = new List<Finding>();
        var serverFor = options.ServerFor ?? scenario.ServerFor(null);
        var work = scenario.Applications.Select((a, i) => Planner.ForApplication(i, () => Prepare(scenario, settings, prices, a, i, serverFor))).ToList();
        var counts = work.Select(w => w.Space.Count(options.MaxCandidates)).ToList();
        var total = counts.Sum();
        if (total > options.MaxCandidates)
        {
            throw new InputException(FieldNames.MaxCandidates, Phrase.Of("too-many-candidates#scenario",
                "The scenario's search spaces have {total} candidates together ({counts}), over the limit of {limit}. Narrow the candidates section, or raise the limit with {maxCandidates} (up to {hardest}).",
                ("total", Fmt.I($"{total:N0}")), ("counts", PhraseList.Words(work.Zip(counts).Select(x => Fmt.I($"{x.First.App.Name}: {x.Second:N0}")))),
                ("limit", Fmt.I($"{options.MaxCandidates:N0}")), ("maxCandidates", FieldNames.MaxCandidates), ("hardest", Fmt.I($"{SearchOptions.HardestLimit:N0}"))));
        }

        options.Started?.Invoke(total);
        var results = new List<OptimizedApplication>();
        long offset = 0;
        foreach (var (w, count, index) in work.Zip(counts, Enumerable.Range(0, work.Count)))
        {
            var start = offset;
            var p = progress is null ? null : new Relay(progress, start);
            results.Add(Planner.ForApplication(index, () => SearchOne(scenario, settings, stepTime, options, w, p)));
            offset += count;
            progress?.Report(offset);
        }
        return new OptimizeResult(scenario, settings, results, total, findings);
    }

    private sealed class Relay(IProgress<long> inner, long offset) : IProgress<long>
    {
        public void Report(long value) => inner.Report(offset + value);
    }

    private sealed record Work(ScenarioApplication App, SearchSpace Space, IReadOnlyDictionary<string, DevicePrices> Priced, IReadOnlyList<RejectedFamily> Unpriced, IReadOnlyList<Finding> Findings);

    private static Work Prepare(Scenario scenario, CandidateSettings settings, IReadOnlyDictionary<string, DevicePrices> prices, ScenarioApplication app, int index, Func<Device, Server> serverFor)
    {
        var hardware = settings.Hardware ?? [scenario.Device];
        var precisions = settings.Precisions ?? [app.Precision];
        var devices = settings.DevicesPerReplica ?? (scenario.DevicesPerReplica is { } n ? [n] : CandidateSettings.DefaultDevicesPerReplica);
        var engines = settings.Engines ?? [app.Engine];
        var priced = new Dictionary<string, DevicePrices>(StringComparer.OrdinalIgnoreCase);
        var unpriced = new List<RejectedFamily>();
        // A model whose context is shorter than the mean request cannot serve it on any engine: every model short is bad
        // input, some short are rejected families.
        Planner.CheckContext(app, index);
        var tokens = app.InputTokens + app.OutputTokens;
        foreach (var m in app.Models.Where(m => Planner.BeyondContext(app, m)))
        {
            var why = Phrase.Of("attempt#context", "{model}: the mean prompt plus output of {tokens} tokens is longer than its context of {context} tokens",
                ("model", m.Id), ("tokens", Fmt.I($"{Math.Ceiling(tokens):N0}")), ("context", Fmt.I($"{m.Architecture.MaxContext:N0}")));
            var layouts = devices.Distinct().Sum(k => Layouts.On(m.Architecture, k).Count) * engines.Count * hardware.Count;
            unpriced.AddRange(precisions.Select(w => new RejectedFamily($"{m.Id} {w.Name}", "context", why.English, layouts) { ReasonText = why }));
        }
        app = app with { Models = [.. app.Models.Where(m => !Planner.BeyondContext(app, m))] };
        var findings = new List<Finding>();
        foreach (var d in hardware.Distinct())
        {
            var layoutsPerModel = app.Models.Sum(m => devices.Distinct().Sum(k => Layouts.On(m.Architecture, k).Count)) * engines.Count / Math.Max(1, app.Models.Count);
            var server = serverFor(d);
            if (scenario.Rack.Misses(server, d) is { } why)
            {
                unpriced.AddRange(app.Models.SelectMany(m => precisions.Select(w => new RejectedFamily($"{m.Id} {w.Name} on {d.Id}", "rack", why.English, layoutsPerModel) { ReasonText = why })));
                findings.Add(Finding.Warn("rack-too-small", "{application}: {device} is left out: {why}.", ("application", app.Name), ("device", d.Id), ("why", why)));
                continue;
            }
            var p = prices.TryGetValue(d.Id, out var x) ? x : new DevicePrices(d, null, null);
            var usable = settings.Basis switch
            {
                CostBasis.Own => p.Own is not null,
                CostBasis.Rent => p.Rents.Count > 0,
                _ => p.Own is not null || p.Rents.Count > 0,
            };
            if (usable)
            {
                priced[d.Id] = p;
                continue;
            }
            object termName = settings.RentTerm is { } pinned ? RentTerms.Typed(pinned)
                : Phrase.Of("list#or", "{list} or {last}", ("list", new PhraseList([.. RentChoice.TermsChosenAmong.SkipLast(1).Select(RentTerms.Typed)], "list")), ("last", RentTerms.Typed(RentChoice.TermsChosenAmong[^1])));
            var what = settings.Basis switch
            {
                CostBasis.Own => Phrase.Of("price-kind#own", "purchase price"),
                CostBasis.Rent => Phrase.Of("price-kind#rent", "{term} rent", ("term", termName)),
                _ => Phrase.Of("price-kind#either", "purchase price or {term} rent", ("term", termName)),
            };
            var unpricedWhy = Phrase.Of("rejected#no-price", "{device} has no {what} in the price catalog, so no deployment on it can be costed; add one to a {prices} file",
                ("device", d.Id), ("what", what), ("prices", FieldNames.Prices));
            foreach (var m in app.Models)
            {
                foreach (var w in precisions)
                {
                    unpriced.Add(new RejectedFamily($"{m.Id} {w.Name} on {d.Id}", "no-price", unpricedWhy.English, layoutsPerModel) { ReasonText = unpricedWhy });
                }
            }
            findings.Add(settings.Basis switch
            {
                CostBasis.Own => Finding.Warn("no-price#own", "{application}: {device} has no purchase price in the price catalog, so it is left out of the search.", ("application", app.Name), ("device", d.Id)),
                CostBasis.Rent => Finding.Warn("no-price#rent", "{application}: {device} has no {term} rent in the price catalog, so it is left out of the search.", ("application", app.Name), ("device", d.Id), ("term", termName)),
                _ => Finding.Warn("no-price", "{application}: {device} has no purchase price or {term} rent in the price catalog, so it is left out of the search.", ("application", app.Name), ("device", d.Id), ("term", termName)),
            });
        }
        if (priced.Count == 0)
        {
            var price = settings.Basis switch
            {
                CostBasis.Own => Phrase.Of("price-kind#own", "purchase price"),
                CostBasis.Rent => Phrase.Of("price-kind#any-rent", "rent"),
                _ => Phrase.Of("price-kind#own-or-rent", "purchase price or rent"),
            };
            throw new InputException("candidates.hardware", Phrase.Of("no-priced-device",
                "Application '{application}': none of the candidate devices ({devices}) fits the rack and has a {price} in the price catalog, so nothing can be costed. Add devices that have one (see {catalog}) or give prices with {prices}.",
                ("application", app.Name), ("devices", PhraseList.Words(hardware.Select(h => h.Id))), ("price", price), ("catalog", CommandRefs.CatalogPrices), ("prices", FieldNames.Prices)));
        }
        var space = new SearchSpace
        {
            Models = app.Models,
            Precisions = precisions,
            Hardware = [.. hardware.Where(h => priced.ContainsKey(h.Id)).Distinct()],
            DevicesPerReplica = devices,
            Engines = engines,
            Kv = settings.Precisions is null ? app.KvPrecision : null,
            DevicesPerNode = d => serverFor(d).DevicesPerNode, Pinned = app.StatedLayout,
        };
        return new Work(app, space, priced, unpriced, findings);
    }

    private static OptimizedApplication SearchOne(Scenario scenario, CandidateSettings settings, IStepTimeModel stepTime, ScenarioSearchOptions options, Work work, IProgress<long>? progress)
    {
        var app = work.App;
        var input = Math.Max(1, (int)Math.Round(app.InputTokens));
        var output = Math.Max(1, (int)Math.Round(app.OutputTokens));
        var never = Duration.FromHours(1);
        var ttft = app.Targets.Ttft ?? never;
        var tpot = app.Targets.Tpot ?? never;
        // The longest mean request the targets allow: the concurrency bound is the rate bound times it (Little's law).
        var e2eCeiling = Math.Min(app.Targets.E2e?.Value ?? double.MaxValue,
            app.Targets.Ttft is { } a && app.Targets.Tpot is { } b ? a.Value + b.Value * (output - 1) : double.MaxValue);
        var peakRate = app.Kind == DemandKind.Rate
            ? app.Peak * (1 + scenario.Policy.Headroom)
            : app.Peak * (1 + scenario.Policy.Headroom) / Math.Min(e2eCeiling, 86_400);
        var target = new ServiceTarget(app.Name, peakRate, input, output, new ServingTargets(ttft, tpot, null) { TtftAt = app.Targets.TtftAt, TpotAt = app.Targets.TpotAt }, app.QualityFloor) { PrefixHitRate = app.Caps.PrefixHitRate };
        var servingTargets = app.Targets;
        var (inDist, outDist) = options.Lengths?.Invoke(app) ?? (LengthDistribution.Fixed(input, FieldNames.Input), LengthDistribution.Fixed(output, FieldNames.Output));
        var workload = Workload.Poisson(1, inDist, outDist, seed: 1, requests: servingTargets.RequestsFor(options.RequestsPerProbe)) with { Start = ClientStart.Staggered }; // users, as SimulatedReplicaCapacity.Run
        var mode = app.Kind == DemandKind.Rate ? CapacityMode.Rate : CapacityMode.Concurrency;
        var serverFor = options.ServerFor ?? scenario.ServerFor(null);
        var searchOptions = new SearchOptions { MaxCandidates = options.MaxCandidates, MaxBatch = AnalyticCapacityBound.DefaultBatchLimit, MaxBatchOf = c => AnalyticCapacityBound.BatchLimit(app.Caps, c), StepTokens = app.Caps.MaxBatchedTokens, Prune = options.Prune, BoundSlack = options.BoundSlack, Interval = options.Interval, Verified = options.Verified };
        var slack = options.BoundSlack;
        var worstRatio = 0.0;

        var costs = new Dictionary<SearchCandidate, DeploymentCost>(ReferenceEqualityComparer.Instance);
        // A candidate's engine reserve (SearchOptions.ReserveOf) and batch limit, for its bound, estimate and cost bound alike: worked out once.
        var limits = new Dictionary<SearchCandidate, (RuntimeReserve Reserve, int MaxBatch)>(ReferenceEqualityComparer.Instance);
        (RuntimeReserve Reserve, int MaxBatch) Limits(SearchCandidate c) => limits.TryGetValue(c, out var known) ? known : limits[c] = (searchOptions.ReserveOf(c), AnalyticCapacityBound.BatchLimit(app.Caps, c));
        var concurrencyViolations = 0;

        DeploymentCost Costing(SearchCandidate c, ReplicaCapacity capacity)
        {
            var fleet = FleetPlanner.Plan([new FleetApplication(app.Name, c.Deployment, app.Kind, app.Peak, app.Profile, capacity)], scenario.Policy, scenario.Rack, serverFor);
            var s = fleet.Of(Strategy.Autoscaled);
            var group = s.Groups[0];
            var server = serverFor(c.Device);
            var servers = (int)Math.Ceiling(s.DevicesPeak / (double)server.DevicesPerNode);
            var deviceHours = Math.Min(s.DeviceHoursPerDay, s.DevicesPeak * 24.0);
            var itPerDay = s.EnergyPerDay.InKilowattHours / scenario.Rack.Pue;
            var averagePower = deviceHours > 0 ? Power.FromKilowatts(itPerDay / deviceHours) : Power.Zero;
            // Replicas scaled in draw nothing, as in 'suanli plan' (docs/methodology-fleet.md, "Servers, racks, power").
            var description = new FleetDescription(s.DevicesPeak, servers, deviceHours, averagePower, Power.Zero, Power.Zero);
            // The requests the demand sends, as 'suanli plan' counts them (PlanCosts.RequestsPerDay).
            var ratePerMonth = DemandRequests.PerDay(app.Kind, app.Peak, app.Profile, capacity, group.Replicas) * CostCalendar.DaysPerMonth;
            var volume = new Cost.MonthlyVolume(ratePerMonth, app.InputTokens, app.OutputTokens);
            var p = work.Priced[c.Device.Id];
            var own = p.Own is { } terms && settings.Basis != CostBasis.Rent ? CostModel.Own(c.ToString(), description, terms with { Pue = scenario.Rack.Pue }, volume) : null;
            var mix = settings.Basis != CostBasis.Own ? RentChoice.Cheapest(s.HourlyDevices, p.Rents) : null;
            var rent = mix is null ? null : CostModel.Rent(c.ToString(), mix, volume);
            var basis = own is null ? "rent" : rent is null ? "own" : own.PerMonth.Amount <= rent.PerMonth.Amount ? "own" : "rent";
            return new DeploymentCost(capacity, group.Peak, s.DevicesPeak, deviceHours, group.Utilisation, own, rent, basis) { RentMix = mix };
        }

        SearchEvaluation Evaluate(SearchCandidate c, ServiceTarget t)
        {
            options.Cancel.ThrowIfCancellationRequested();
            var d = c.Deployment;
            ReplicaCapacity capacity;
            SearchEvaluation evaluation;
            (Duration, Duration, Duration, Duration)? measured = null;
            if (options.Capacity is { } custom)
            {
                capacity = custom(d, app);
                if (!capacity.Feasible || capacity.In(app.Kind) <= 0)
                {
                    return SearchEvaluation.No(capacity.LimitingTarget, Phrase.Of("message", "{message}", ("message",
                        new PhraseList([.. capacity.Findings.Select(f => f.Phrase)], "space"))));
                }
                evaluation = SearchEvaluation.Ok(capacity.MaxRequestsPerSecond, Duration.Zero, Duration.Zero, AnalyticCapacityBound.Estimate(stepTime, c, t, Limits(c).Reserve, Limits(c).MaxBatch).MaxBatch);
            }
            else
            {
                EngineConfig engine;
                CapacityResult r;
                try
                {
                    engine = app.Caps.Apply(EngineConfig.Planned(d, workload.MeanInput + workload.MeanOutput));
                    r = CapacitySearch.Run(d, workload, engine, stepTime, servingTargets, mode, cancel: options.Cancel);
                }
                catch (InputException ex)
                {
                    return SearchEvaluation.No("serving", ex.Detail);
                }
                if (r.MaxRequestsPerSecond is not { } rate || rate <= 0 || r.AtMax is not { } at)
                {
                    var why = r.Findings.FirstOrDefault(f => f.Severity == Severity.Error)?.Message ?? "no load meets the targets";
                    return SearchEvaluation.No(r.LimitingTarget is null or "none" ? "serving" : r.LimitingTarget, "the serving simulation finds " + LowerFirst(why).TrimEnd('.'));
                }
                capacity = SimulatedReplicaCapacity.From(r, app.Kind);
                if (capacity.In(app.Kind) <= 0)
                {
                    return SearchEvaluation.No("serving", $"one replica carries less than one concurrent request within the targets ({rate.ToString("0.###", CultureInfo.InvariantCulture)} requests/s)");
                }
                evaluation = SearchEvaluation.Ok(rate, Duration.Zero, Duration.Zero, engine.MaxNumSeqs);
                measured = (at.Ttft.P90, at.Tpot.P90, at.Ttft.At(app.Targets.TtftAt), at.Tpot.At(app.Targets.TpotAt));
            }
            var rateBound = AnalyticCapacityBound.Bound(stepTime, c, t, Limits(c).Reserve, Limits(c).MaxBatch);
            // The frontier's latency is the floor (one request alone: prefill, then decode steps at batch 1), a
            // property of the deployment known before simulating, so pruning on it is exact; the simulated latencies at
            // capacity, each at its target's percentile, are kept beside it.
            evaluation = evaluation with { Ttft = rateBound.Ttft, Tpot = rateBound.Tpot };
            if (rateBound.Feasible)
            {
                worstRatio = Math.Max(worstRatio, capacity.MaxRequestsPerSecond / rateBound.CapacityPerReplica);
                if (app.Kind == DemandKind.Concurrency && e2eCeiling < double.MaxValue && capacity.MaxConcurrency > rateBound.CapacityPerReplica * slack * e2eCeiling * (1 + 1e-9))
                {
                    concurrencyViolations++;
                }
            }
            costs[c] = Costing(c, capacity) with { TtftP90 = measured?.Item1, TpotP90 = measured?.Item2, Ttft = measured?.Item3, Tpot = measured?.Item4 };
            options.Feasible?.Invoke(c, costs[c]);
            return evaluation;
        }

        Money CostOf(SearchCandidate c, int replicas)
        {
            _ = replicas;
            if (costs.TryGetValue(c, out var known))
            {
                return known.PerMonth;
            }
            // Not simulated yet: the optimistic cost, from the analytic bound's capacity (the fleet cost never rises
            // with capacity, so a capacity bound gives a cost bound).
            var bound = AnalyticCapacityBound.Bound(stepTime, c, target, Limits(c).Reserve, Limits(c).MaxBatch);
            var rateBound = bound.CapacityPerReplica * slack;
            var concurrency = e2eCeiling < double.MaxValue ? rateBound * e2eCeiling : 1e9;
            return Costing(c, new ReplicaCapacity(rateBound, concurrency, "bound", true, [])).PerMonth;
        }

        var engineSearch = new SearchEngine(stepTime, searchOptions);
        var result = engineSearch.Search(work.Space, [target], Evaluate, CostOf, progress).Applications[0];
        var extra = new List<Finding>(work.Findings);
        if (concurrencyViolations > 0)
        {
            extra.Add(Finding.Warn("bound-violated#concurrency",
                "{application}: for {count} candidates the simulated concurrency per replica exceeded the bound (rate bound x the longest mean request the targets allow); pruning may have skipped a cheaper plan. Search again with pruning off to be sure.",
                ("application", app.Name), ("count", Fmt.I($"{concurrencyViolations}"))));
        }
        if (worstRatio > 0)
        {
            extra.Add(Finding.Info("bound-ratio",
                "{application}: the largest simulated capacity was {ratio} x the analytic bound (pruning allows up to {slack} x).",
                ("application", app.Name), ("ratio", worstRatio.ToString("0.###", CultureInfo.InvariantCulture)), ("slack", slack.ToString("0.##", CultureInfo.InvariantCulture))));
        }
        CostedPlan Costed(PlanChoice p) => new(p with { Range = Ranged(p) }, costs[p.Candidate]);
        // The fleet re-sized and re-priced at the interval's ends of capacity, as the plan's range is (PlanRanges.Scaled).
        PlanChoiceRange? Ranged(PlanChoice p) => p.Range is not { } r ? null : RangeAt(r, At(p, r.Interval.Class.HighRatio), At(p, r.Interval.Class.LowRatio));
        DeploymentCost At(PlanChoice p, double ratio) => Costing(p.Candidate, costs[p.Candidate].Capacity.Scaled(ratio));
        var cheapest = result.Cheapest is { } ch ? Costed(ch) : null;
        if (cheapest?.Cost is { Basis: "rent", RentMix: { } chosen } && work.Priced[cheapest.Plan.Candidate.Device.Id].Reserved.Count > 0)
        {
            extra.Add(PlanCosts.TermChosen(Strategy.Autoscaled, chosen).For(app.Name));
        }
        var frontier = result.Frontier.Select(Costed).ToList();
        var rejected = result.Rejected.Concat(work.Unpriced).OrderBy(r => r.Family, StringComparer.Ordinal).ToList();
        var search = result with { Findings = [.. result.Findings.Select(f => f.Code == "search-counts" ? f.For(app.Name) : f), .. extra] };
        return new OptimizedApplication(app, search, cheapest, frontier, rejected);
    }
}
