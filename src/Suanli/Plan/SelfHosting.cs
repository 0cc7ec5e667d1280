using System.Globalization;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>How the self-hosted options of a comparison are paid for, already in the comparison's currency.</summary>
/// <param name="Book">The price book (catalog purchase prices and rents).</param>
/// <param name="Converter">Converts prices into the comparison's currency (its used rates are reported).</param>
/// <param name="Ownership">Ownership terms (tariff, PUE, amortisation, maintenance, overhead); the device price is filled per device.</param>
/// <param name="Buy">True: price buying each device.</param>
/// <param name="Rent">True: price renting each device at the cheapest catalog rent of each term in <see cref="SelfHosting.RentTermsCompared"/> it has.</param>
/// <param name="PurchaseKind">Null: the newest-dated catalog purchase price; else the newest of that kind.</param>
/// <param name="PeakFactor">Peak-to-mean ratio the fleet is sized for.</param>
/// <param name="PurchaseOverride">A device's purchase price given by the user (in the comparison's currency), or null to take the catalog's.</param>
public sealed record SelfHostTerms(PriceBook Book, CurrencyConverter Converter, OwnershipTerms Ownership, bool Buy, bool Rent, PurchaseKind? PurchaseKind,
    double PeakFactor, Func<Device, Money?> PurchaseOverride)
{
    /// <summary>The catalog's server for a device, or null: where a device has no published TDP, its server's nameplate over its devices stands for its power, as in <c>plan</c>.</summary>
    public Func<Device, Server?>? ServerFor { get; init; }

    /// <summary>
    /// The replica capacity <c>plan</c> uses (<see cref="SimulatedReplicaCapacity.Provider"/>): with it, each option's layout
    /// and capacity per replica are the ones <c>plan</c> gives the same application (<see cref="Planner.Replica"/>); null: the
    /// analytic estimate (<see cref="SelfHosting.Replica"/>).
    /// </summary>
    public CapacityProvider? Capacity { get; init; }

    /// <summary>The bound <c>plan</c> skips layouts with (<see cref="SimulatedReplicaCapacity.Bound"/>), used with <see cref="Capacity"/>.</summary>
    public CapacityBound? Bound { get; init; }
}

/// <summary>The self-hosted options of a comparison and what was used to price them.</summary>
/// <param name="Options">One option per model x device x payment (buy, then rent), in that order.</param>
/// <param name="Quality">Each option's quality score (MMLU) by option name; null where the model has none.</param>
/// <param name="Used">The catalog prices used, with their provenance (judged for staleness by the caller).</param>
/// <param name="Findings">Replica capacities, left-out models and devices, missing prices and power.</param>
public sealed record SelfHostedOptions(IReadOnlyList<CostOption> Options, IReadOnlyList<KeyValuePair<string, double?>> Quality,
    IReadOnlyList<(Phrase Name, Provenance P)> Used, IReadOnlyList<Finding> Findings);

/// <summary>
/// Self-hosted sizing for <c>suanli compare</c> (docs/methodology-cost.md): each model on each device gets the replica
/// layout <see cref="Replica"/> picks and its analytic capacity (<see cref="AnalyticCapacityBound.Estimate"/>); each is then
/// priced bought (a user's or the catalog's purchase price) and rented (the cheapest rent of each term the catalog has:
/// on demand, and 1- or 3-year reserved where published).
/// </summary>
public static class SelfHosting
{
    /// <summary>Devices of the largest replica searched before going beyond one server (8, as <c>plan</c>'s default servers).</summary>
    public const int OneServer = 8;

    /// <summary>
    /// Rent terms a comparison prices, each as its own option where the catalog has a row of that term: on demand
    /// (billed for the device-hours served), then the 1- and 3-year commitments (billed for every hour of the month for
    /// the fleet), so a steady load shows where a commitment is cheaper. Spot is left out: it can be interrupted, which a
    /// comparison of serving costs does not model.
    /// </summary>
    public static IReadOnlyList<RentTerm> RentTermsCompared => RentChoice.TermsChosenAmong;

    // The option's name: its English is the id the JSON and the break-even tables key it by; its Chinese reads.
    /// <summary>
    /// A self-hosted option's name, "{model} {weights} on {devices}x {device}" (Chinese: "…，N 张 …"): compare's options
    /// and the own and rent costs of a plan (<c>costs.strategies[].own.label</c>) are named by it, so the page and the CLI say the same.
    /// </summary>
    public static Phrase OptionName(ModelEntry model, WeightPrecision weights, int devices, Device device) =>
        Phrase.Of("option.self-host", "{model} {weights} on {devices}x {device}", ("model", model.Id), ("weights", weights.Name), ("devices", devices), ("device", device.Id));

    /// <summary>The option <paramref name="option"/> bought: "… (buy)".</summary>
    public static Phrase Bought(Phrase option) => Phrase.Of("option.self-host#buy", "{option} (buy)", ("option", option));

    /// <summary>The option <paramref name="option"/> rented on demand from <paramref name="provider"/>: "… (rent PROVIDER)".</summary>
    public static Phrase Rented(Phrase option, string provider) => Phrase.Of("option.self-host#rent", "{option} (rent {provider})", ("option", option), ("provider", provider));

    /// <summary>Sizes and prices every model on every device.</summary>
    /// <param name="stepModel">Step-time model of the capacity estimate.</param>
    /// <param name="models">Models to self-host.</param>
    /// <param name="devices">Devices to self-host on.</param>
    /// <param name="weights">Weight format.</param>
    /// <param name="kv">KV-cache format.</param>
    /// <param name="devicesPerReplica">Devices per replica; 0 picks the layout (<see cref="Replica"/>).</param>
    /// <param name="service">The volume (requests/s), token counts and latency targets a replica must keep.</param>
    /// <param name="terms">How the options are paid for.</param>
    /// <param name="cancel">Checked before each model and device: every catalog model on every device is minutes of work, which a web client that hung up used to leave running.</param>
    public static SelfHostedOptions Options(IStepTimeModel stepModel, IReadOnlyList<ModelEntry> models, IReadOnlyList<Device> devices, WeightPrecision weights,
        NumberFormat kv, int devicesPerReplica, ServiceTarget service, SelfHostTerms terms, CancellationToken cancel = default)
    {
        var options = new List<CostOption>();
        var quality = new List<KeyValuePair<string, double?>>();
        var used = new List<(Phrase Name, Provenance P)>();
        var findings = new List<Finding>();
        foreach (var m in models)
        {
            foreach (var d in devices)
            {
                cancel.ThrowIfCancellationRequested();
                if (new[] { weights.Rest, weights.Experts }.FirstOrDefault(f => (d.PeakFor(f.Compute) ?? d.PeakFor(ComputeType.Fp32)) is null) is { } unrun)
                {
                    // A device whose catalog peaks are all narrower than the weights (Maia 200: FP8/FP4 only) cannot time
                    // them; the comparison leaves it out and says so, as plan refuses it (PreparedStep.PeakOf).
                    findings.Add(Finding.Warn("cannot-self-host", "{model} in {weights} on {device} is left out: {reason}.", ("model", m.Id), ("weights", weights.Name), ("device", d.Id),
                        ("reason", Phrase.Of("cannot-self-host#no-path", "the catalog gives it no {format} matrix path (its peaks: {have}); compare it in one of those formats",
                            ("format", unrun.Compute.ToString().ToLowerInvariant()), ("have", string.Join(", ", d.Peak.Keys.Select(k => k.ToString().ToLowerInvariant())))))));
                    continue;
                }
                SearchCandidate candidate;
                double perReplica;
                Phrase shown;
                if (terms.Capacity is { } simulated)
                {
                    var (pick, failure) = Planned(m, weights, kv, d, devicesPerReplica, service, terms.ServerFor?.Invoke(d), simulated, terms.Bound);
                    if (pick is null)
                    {
                        // The reasons plan gives ("{model}: {errors}"), without the model named twice or a stop doubled.
                        object reason = failure!.Args.FirstOrDefault(a => a.Name == "errors")?.List is { } errors ? errors with { TrimFinalStop = true } : failure;
                        findings.Add(Finding.Warn("cannot-self-host", "{model} in {weights} on {device} is left out: {reason}.", ("model", m.Id), ("weights", weights.Name), ("device", d.Id), ("reason", reason)));
                        continue;
                    }
                    candidate = new SearchCandidate(m, weights, kv, d, pick.Deployment.Layout, Engine.Vllm);
                    perReplica = pick.Capacity.MaxRequestsPerSecond;
                    shown = OptionName(m, weights, candidate.DevicesPerReplica, d);
                    findings.Add(Finding.Info("replica-capacity#simulated",
                        "{option}: {capacity} requests/s per replica ({layout}, {inFlight} in flight, {limit}), the capacity plan gives the same application: the serving simulator's capacity search with the {stepModel} step-time model, the layout that carries the most per device.",
                        ("option", shown), ("capacity", perReplica.ToString("0.###", CultureInfo.InvariantCulture)), ("layout", pick.Deployment.Layout.ToString()),
                        ("inFlight", pick.Capacity.MaxConcurrency.ToString("0.#", CultureInfo.InvariantCulture)), ("limit", CapacitySearch.LimitedBy(pick.Capacity.LimitingTarget)), ("stepModel", stepModel.GetType().Name)));
                }
                else
                {
                    var (analytic, estimate) = Replica(stepModel, m, weights, kv, d, devicesPerReplica, service);
                    shown = OptionName(m, weights, analytic?.DevicesPerReplica ?? 1, d);
                    if (analytic is null || !estimate.Feasible)
                    {
                        findings.Add(Finding.Warn("cannot-self-host", "{model} in {weights} on {device} is left out: {reason}.", ("model", m.Id), ("weights", weights.Name), ("device", d.Id), ("reason", estimate.ReasonText is { } why ? (object)why : estimate.Reason)));
                        continue;
                    }
                    candidate = analytic;
                    perReplica = estimate.CapacityPerReplica;
                    findings.Add(Finding.Info("replica-capacity",
                        "{option}: {capacity} requests/s per replica at batch {batch} (analytic estimate with the {stepModel} step-time model: decode step {tpot}, prefill {ttft}).",
                        ("option", shown), ("capacity", estimate.CapacityPerReplica.ToString("0.###", CultureInfo.InvariantCulture)), ("batch", Fmt.I($"{estimate.MaxBatch}")),
                        ("stepModel", stepModel.GetType().Name), ("tpot", estimate.Tpot.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms"),
                        ("ttft", estimate.Ttft.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms")));
                }
                var q = m.Score("MMLU");
                if (terms.Buy && Purchase(d, terms, used, findings) is { } price)
                {
                    var (maxPower, idle) = BoardPower(d, findings, terms.ServerFor?.Invoke(d));
                    var bought = Bought(shown);
                    var name = bought.English;
                    options.Add(SelfHosted.Own(name, candidate.DevicesPerReplica, perReplica, maxPower, idle, terms.Ownership with { DevicePrice = price }, terms.PeakFactor, q, bought));
                    quality.Add(new(name, q));
                }
                if (terms.Rent)
                {
                    foreach (var term in RentTermsCompared)
                    {
                        if (PriceSelection.CheapestRent(terms.Book, d.Id, terms.Converter, term) is not { } best)
                        {
                            if (term == RentTerm.OnDemand)
                            {
                                findings.Add(Finding.Warn("no-rent-price", "No on-demand rent for {device} in the catalog, so renting it is left out.", ("device", d.Id)));
                            }
                            continue;
                        }
                        used.Add((StalePrices.RentName(best.Provider, d.Id, term), best.Provenance));
                        var rented = term == RentTerm.OnDemand
                            ? Rented(shown, best.Provider)
                            : Phrase.Of("option.self-host#rent-term", "{option} (rent {provider}, {term})", ("option", shown), ("provider", best.Provider), ("term", RentTerms.Label(term)));
                        var name = rented.English;
                        options.Add(SelfHosted.Rent(name, candidate.DevicesPerReplica, perReplica, best, terms.PeakFactor, q, rented));
                        quality.Add(new(name, q));
                    }
                }
            }
        }
        return new SelfHostedOptions(options, quality, used, findings);
    }

    /// <summary>
    /// The replica <c>plan</c> gives the comparison's workload (<see cref="AsApplication"/>) with <paramref name="m"/> on
    /// <paramref name="d"/> in its <paramref name="server"/> (null: a generic node): <see cref="Planner.Replica"/>, the
    /// function <see cref="Options"/> sizes each option with. <paramref name="devices"/> above zero fixes the count.
    /// </summary>
    public static (ReplicaPick? Pick, Phrase? Failure) Planned(ModelEntry m, WeightPrecision w, NumberFormat kv, Device d, int devices, ServiceTarget service, Server? server,
        CapacityProvider capacity, CapacityBound? bound) =>
        Planner.Replica(AsApplication(m, w, kv, service), m, d, server ?? FleetPlanner.GenericServer(d), devices > 0 ? devices : null, capacity, bound);

    /// <summary>
    /// The comparison's workload as the one application <c>plan</c> would size: Poisson arrivals at its rate, fixed prompt
    /// and output lengths, its TTFT and TPOT targets at p90, the engine's default caps with the service's prefix-cache hit
    /// rate (a scenario application's <c>prefix_hit_rate</c>), vLLM.
    /// </summary>
    public static ScenarioApplication AsApplication(ModelEntry m, WeightPrecision weights, NumberFormat kv, ServiceTarget service) => new()
    {
        Name = service.Name,
        Models = [m],
        Precision = weights,
        KvPrecision = kv,
        Engine = Engine.Vllm,
        Kind = DemandKind.Rate,
        Peak = service.RequestsPerSecond,
        InputTokens = service.InputTokens,
        OutputTokens = service.OutputTokens,
        InputDistribution = LengthDistribution.Fixed(service.InputTokens, FieldNames.Input),
        OutputDistribution = LengthDistribution.Fixed(service.OutputTokens, FieldNames.Output),
        Targets = new ServingTargets(service.TtftTarget, service.TpotTarget, null),
        Profile = TrafficProfile.Flat,
        Caps = StatedCaps.None with { PrefixHitRate = service.PrefixHitRate },
    };

    /// <summary>
    /// A device's board power at load (its TDP) and idle (<see cref="ElectricityDefaults.IdlePower"/>, as <c>plan</c> counts it);
    /// without a published TDP, the catalog <paramref name="server"/>'s nameplate over its devices (hosts included, an upper
    /// bound, drawn busy or idle as <c>plan</c> counts a node's host share), else zero; either with a finding.
    /// </summary>
    public static (Power Max, Power Idle) BoardPower(Device d, ICollection<Finding> findings, Server? server = null)
    {
        if (d.Tdp is null && server is { DevicesPerNode: > 0 } s && s.Power > Power.Zero)
        {
            var share = s.Power / s.DevicesPerNode;
            findings.Add(Finding.Warn("no-tdp#server", "{device} has no published board power; its electricity is counted at {power} a device, the {server} nameplate of {nameplate} over its {count} devices (hosts included, an upper bound).",
                ("device", d.Id), ("power", share.InWatts.ToString("N0", CultureInfo.InvariantCulture) + " W"), ("server", s.Id),
                ("nameplate", s.Power.InKilowatts.ToString("0.##", CultureInfo.InvariantCulture) + " kW"), ("count", s.DevicesPerNode.ToString(CultureInfo.InvariantCulture))));
            return (share, share);
        }
        var maxPower = d.Tdp ?? Power.Zero;
        if (d.Tdp is null)
        {
            findings.Add(Finding.Warn("no-tdp", "{device} has no published board power; its electricity is counted as zero.", ("device", d.Id)));
        }
        if (ElectricityDefaults.IdleAssumed(d) is { } assumed)
        {
            findings.Add(assumed);
        }
        return (maxPower, ElectricityDefaults.IdlePower(d));
    }

    /// <summary>The purchase price of one device in the comparison's currency (the user's, else the catalog's), or null with a finding saying why.</summary>
    private static Money? Purchase(Device d, SelfHostTerms terms, List<(Phrase Name, Provenance P)> used, List<Finding> findings)
    {
        if (terms.PurchaseOverride(d) is { } given)
        {
            return given;
        }
        if (PriceSelection.FirstPurchase(terms.Book, d.Id, terms.Converter, terms.PurchaseKind) is { } first)
        {
            used.Add((StalePrices.PurchaseName(d.Id), first.Entry.Provenance));
            if (first.Entry.Kind == PurchaseKind.ArticleClaim)
            {
                findings.Add(Finding.Warn("article-claim-price", "The {device} price {price} is an unverified article claim ({source}).", ("device", d.Id), ("price", first.Entry.Price.ToDisplayString()), ("source", first.Entry.Provenance.Source)));
            }
            return first.Price;
        }
        findings.Add(PriceSelection.NoPurchaseOfKind(terms.Book, d, terms.PurchaseKind)
            ?? Finding.Warn("no-purchase-price", "No purchase price for {device} in the catalog, so buying it is left out; give one with {devicePrice} '{device}=AMOUNT CUR'.", ("device", d.Id), ("devicePrice", FieldNames.DevicePrice)));
        return null;
    }

    /// <summary>
    /// The replica layout, by the rule <c>plan</c> uses (<see cref="Planner.CandidateLayouts"/>): among
    /// the layouts that fit and meet the targets on up to one 8-device server, the one that carries the most requests
    /// per device (a 72B model that barely fits on 2 devices has little room left for KV cache, so 4 often carry more
    /// per device); more than 8 devices only when nothing smaller fits, and then with tensor parallelism within each
    /// 8-device server and pipeline stages across them; mixture-of-experts models also try data-parallel
    /// attention on each count. <paramref name="devices"/> above zero fixes the count.
    /// </summary>
    public static (SearchCandidate? Candidate, SearchEvaluation Estimate) Replica(IStepTimeModel model, ModelEntry m, WeightPrecision w, NumberFormat kv, Device d, int devices, ServiceTarget t)
    {
        IEnumerable<int> counts = devices > 0 ? [devices] : [1, 2, 4, 8, 16, 32, 64];
        SearchEvaluation? last = null;
        (SearchCandidate Candidate, SearchEvaluation Estimate)? best = null;
        foreach (var n in counts)
        {
            if (best is not null && n > OneServer)
            {
                break;
            }
            // Tensor parallelism within one server; across servers, pipeline stages only (docs/methodology-fleet.md, "Replicas across servers").
            foreach (var layout in Layouts.OfReplica(m.Architecture, n).Where(l => devices > 0 || !Layouts.GroupCrossesNodes(l, OneServer)))
            {
                var cand = new SearchCandidate(m, w, kv, d, layout, Engine.Vllm);
                var e = AnalyticCapacityBound.Estimate(model, cand, t, EngineConfig.ReserveFor(cand.Engine, cand.Device), 256);
                if (!e.Feasible)
                {
                    last = e;
                    continue;
                }
                if (best is not { } b || e.CapacityPerReplica / layout.Devices > b.Estimate.CapacityPerReplica / b.Candidate.DevicesPerReplica * 1.0001)
                {
                    best = (cand, e);
                }
            }
        }
        return best is { } won ? won : (null, last ?? SearchEvaluation.No("no-layout", $"no valid layout on {devices} devices"));
    }
}
