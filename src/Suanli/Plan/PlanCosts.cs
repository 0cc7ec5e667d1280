using System.Globalization;
using Suanli.Cost;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>The prices a plan is costed with, already in the scenario's currency, each with its source.</summary>
/// <param name="Currency">The scenario's currency.</param>
/// <param name="DevicePrice">Purchase price per device, or null when the catalog has none (buying is then left out).</param>
/// <param name="DevicePriceSource">Where the purchase price was published, and when.</param>
/// <param name="Rent">Cheapest rent per device-hour of the scenario's pinned term, or the cheapest on-demand rent when none is pinned; null when the catalog has none.</param>
/// <param name="Tariff">Electricity per kWh.</param>
/// <param name="TariffSource">Region and source of the tariff.</param>
/// <param name="AmortisationYears">Years over which purchases are amortised.</param>
/// <param name="MaintenanceFractionPerYear">Maintenance as a share of capex per year.</param>
/// <param name="Pue">The facility's PUE (the scenario's rack).</param>
/// <param name="Findings">Stale prices, missing prices, conversions used.</param>
public sealed record PlanPricing(Currency Currency, Money? DevicePrice, string DevicePriceSource, RentPrice? Rent, Money Tariff, string TariffSource,
    double AmortisationYears, double MaintenanceFractionPerYear, double Pue, IReadOnlyList<Finding> Findings)
{
    /// <summary>The cheapest rent of each reserved term when the scenario pins none (<see cref="DevicePrices.Reserved"/>); each strategy's fleet chooses among them and <see cref="Rent"/>.</summary>
    public IReadOnlyList<RentPrice> Reserved { get; init; } = [];

    /// <summary>Every rent on offer: <see cref="Rent"/> and <see cref="Reserved"/>.</summary>
    public IReadOnlyList<RentPrice> Rents => DevicePrices.OnOffer(Rent, Reserved);

    /// <summary>The same prices with every rent multiplied by <paramref name="factor"/> (the sensitivity's price moves).</summary>
    public PlanPricing WithRentsScaled(decimal factor) => this with
    {
        Rent = Rent is { } r ? r with { PerDeviceHour = r.PerDeviceHour * factor } : null,
        Reserved = [.. Reserved.Select(r => r with { PerDeviceHour = r.PerDeviceHour * factor })],
    };

    /// <summary>
    /// The device's first catalog purchase price and cheapest rent of the scenario's term (<see cref="PriceSelection"/>, the
    /// selection <c>suanli optimize</c> makes), the scenario's tariff or the default region for its currency, the
    /// catalog's amortisation and maintenance share, every amount converted with a dated exchange rate, with
    /// findings for what was used, stale or missing.
    /// </summary>
    public static PlanPricing From(Scenario scenario, PriceBook book, DateOnly today)
    {
        var tariff = scenario.Tariff ?? ElectricityDefaults.TariffRegion(scenario.Currency);
        // The plan reads the scenario's root tariff: its errors named candidates.tariff, a key the file did not have, at no line.
        var selected = PriceSelection.Resolve([scenario.Device], book, scenario.Currency, tariff, today, scenario.RentTerm, tariffField: FieldNames.Tariff,
            tariffAt: scenario.Marks.TryGetValue("tariff", out var at) ? at : null);
        var device = selected.Devices[scenario.Device.Id];
        var findings = new List<Finding>(selected.Findings);
        if (device.Own is null && book.PurchasesFor(scenario.Device.Id).Count == 0)
        {
            // "no purchase price for kunlunxin-p800 in CNY" read as if one in another currency were there.
            findings.Add(Finding.Warn("no-purchase-price#plan-none", "The prices catalog has no purchase price for {device}, so the cost of owning the fleet is left out; add one under purchase: in a prices file.", ("device", scenario.Device.Id)));
        }
        else if (device.Own is null)
        {
            findings.Add(Finding.Warn("no-purchase-price#plan", "The prices catalog has no purchase price for {device} in {currency}, so the cost of owning the fleet is left out; add one under purchase: in a prices file.", ("device", scenario.Device.Id), ("currency", scenario.Currency)));
        }
        if (device.Rents.Count == 0 && scenario.RentTerm is null or RentTerm.OnDemand)
        {
            findings.Add(Finding.Warn("no-rent-price#plan", "The prices catalog has no on-demand rent for {device}, so renting is left out.", ("device", scenario.Device.Id)));
        }
        else if (device.Rent is null && scenario.RentTerm is { } pinned && book.RentsFor(scenario.Device.Id).Count == 0)
        {
            // With rent for other terms the selection has already said so (no-rent-for-term).
            findings.Add(Finding.Warn("no-rent-price#plan-term", "The prices catalog has no rent of any term for {device}, so renting is left out (the scenario asks for {term}).", ("device", scenario.Device.Id), ("term", RentTerms.Typed(pinned))));
        }
        findings.AddRange(PriceSelection.RateFindings(selected.Converter, book, today));
        var years = book.AmortisationNamed("server-lifetime-default")?.Years ?? 5;
        var maintenance = book.AmortisationNamed("maintenance-share")?.FractionPerYear ?? 0;
        // Read as the selection read it: a device with no purchase price took '0.65 CNY/kWh' for a region name and failed.
        var tariffMoney = device.Own?.TariffPerKilowattHour ?? selected.Converter.Convert(PriceSelection.Tariff(book, tariff, FieldNames.Tariff, []), FieldNames.Tariff);
        var purchase = book.PurchasesFor(scenario.Device.Id);
        return new PlanPricing(scenario.Currency, device.Own?.DevicePrice,
            purchase.Count > 0 ? $"{purchase[0].Provenance.Source} ({PriceBook.Iso(purchase[0].Provenance.Date)})" : "",
            device.Rent, tariffMoney, tariff, years, maintenance, scenario.Rack.Pue, findings) { Reserved = device.Reserved };
    }
}

/// <summary>What a strategy costs: owning its fleet and renting it.</summary>
/// <param name="Strategy">The sizing strategy.</param>
/// <param name="Own">Owning (null without a purchase price).</param>
/// <param name="Rent">Renting at the scenario's term (null without a rent price).</param>
public sealed record StrategyCost(Strategy Strategy, CostBreakdown? Own, CostBreakdown? Rent)
{
    /// <summary>How the rent is split between a reserved term and on demand (<see cref="RentChoice.Cheapest"/>); null without a rent price.</summary>
    public RentMix? RentMix { get; init; }
}

/// <summary>Prices each sizing strategy of a plan with the cost model (docs/methodology-cost.md, docs/methodology-fleet.md "Costs").</summary>
public static class PlanCosts
{
    /// <summary>The workload the plan serves per month: every hour's demand in requests, summed over the applications.</summary>
    public static Cost.MonthlyVolume MonthlyWorkload(PlanResult plan)
    {
        double requestsPerDay = 0, input = 0, output = 0;
        foreach (var app in plan.Applications)
        {
            var perDay = RequestsPerDay(app);
            requestsPerDay += perDay;
            input += perDay * app.Application.InputTokens;
            output += perDay * app.Application.OutputTokens;
        }
        return requestsPerDay <= 0
            ? new Cost.MonthlyVolume(0, 0, 0)
            : new Cost.MonthlyVolume(requestsPerDay * CostCalendar.DaysPerMonth, input / requestsPerDay, output / requestsPerDay);
    }

    /// <summary>
    /// The requests one application sends a day (<see cref="DemandRequests.PerDay"/>): each hour's demand (peak x the
    /// profile's share of that hour) in requests per second, a concurrency demand's at its own load per replica of the
    /// autoscaled fleet that hour, times 3,600 s, summed over the 24 hours.
    /// </summary>
    public static double RequestsPerDay(ApplicationPlan app) =>
        DemandRequests.PerDay(app.Application.Kind, app.Application.Peak, app.Application.Profile, app.Capacity, app.HourlyReplicas);

    /// <summary>Costs every strategy.</summary>
    public static IReadOnlyList<StrategyCost> Of(PlanResult plan, PlanPricing pricing)
    {
        var workload = MonthlyWorkload(plan);
        var server = plan.Scenario.Server;
        return [.. plan.Fleet.Strategies.Select(s =>
        {
            // Energy comes from the fleet stage (device power at load plus the host share, powered devices only); the
            // cost model applies PUE itself, so the fleet's facility energy is divided back to IT energy.
            var itKwhPerDay = s.EnergyPerDay.InKilowattHours / pricing.Pue;
            var average = s.DeviceHoursPerDay > 0 ? Power.FromKilowatts(itKwhPerDay / s.DeviceHoursPerDay) : Power.Zero;
            var fleet = new FleetDescription(s.DevicesPeak, (int)Math.Ceiling(s.DevicesPeak / (double)server.DevicesPerNode), s.DeviceHoursPerDay, average, Power.Zero, Power.Zero);
            var name = s.Strategy.ToString().ToLowerInvariant();
            var own = pricing.DevicePrice is { } price
                ? CostModel.Own($"{name} (own)", fleet, new OwnershipTerms
                {
                    DevicePrice = price,
                    TariffPerKilowattHour = pricing.Tariff,
                    Pue = pricing.Pue,
                    AmortisationYears = pricing.AmortisationYears,
                    MaintenanceFractionPerYear = pricing.MaintenanceFractionPerYear,
                }, workload)
                : null;
            var mix = RentChoice.Cheapest(s.HourlyDevices, pricing.Rents);
            var rent = mix is null ? null
                : CostModel.Rent($"{name} (rent {RentChoice.Describe(mix)})", mix, workload, s.Strategy == plan.Fleet.Recommended && pricing.Reserved.Count > 0 ? [TermChosen(s.Strategy, mix)] : null);
            return new StrategyCost(s.Strategy, own, rent) { RentMix = mix };
        })];
    }

    /// <summary>
    /// The finding that says which rent term a strategy's fleet was given and why: how many devices are
    /// reserved, the hours a day a device must be busy for its reserved price to cost less than on demand.
    /// </summary>
    /// <param name="fleet">The strategy whose fleet it is (named in the reader's language).</param>
    /// <param name="mix">The rent chosen for its fleet.</param>
    public static Finding TermChosen(Strategy fleet, RentMix mix)
    {
        var strategy = Strategies.Name(fleet);
        var total = ("total", (object)mix.PerMonth.Round().ToDisplayString());
        if (mix.Reserved is not { } reserved || mix.ReservedDevices == 0)
        {
            return Finding.Info("rent-term-chosen#on-demand",
                "Rent term: on-demand for the whole {strategy} fleet ({total} a month); no device of it is busy enough hours a day for a reserved term to cost less.", ("strategy", strategy), total);
        }
        var args = new List<(string, object)> { ("strategy", strategy), ("term", RentTerms.Label(reserved.Term)), ("peak", mix.PeakDevices), total };
        if (mix.OnDemand is not { } onDemand)
        {
            return Finding.Info("rent-term-chosen#reserved", "Rent term: {term} for every device of the {strategy} fleet ({peak} at the peak; {total} a month); it costs less than on demand for the hours they serve.", [.. args]);
        }
        args.Add(("reserved", mix.ReservedDevices));
        args.AddRange([("hours", mix.ReservedBusyHours), ("breakEven", Math.Round(RentChoice.BreakEvenHoursPerDay(reserved, onDemand), 1).ToString(CultureInfo.InvariantCulture)),
            ("reservedPrice", reserved.PerDeviceHour.ToDisplayString()), ("onDemandPrice", onDemand.PerDeviceHour.ToDisplayString())]);
        return Finding.Info("rent-term-chosen#mixed",
            "Rent term: {term} for {reserved} of the {peak} devices of the {strategy} fleet, busy {hours} hours a day, and on-demand for the hours above them ({total} a month); a device reserved at {reservedPrice} costs less than on demand at {onDemandPrice} when busy more than {breakEven} hours a day.", [.. args]);
    }
}
