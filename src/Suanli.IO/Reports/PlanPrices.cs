using Suanli.Cost;
using Suanli.Plan;

namespace Suanli.IO.Reports;

/// <summary>The prices a plan is costed with: the same selection <c>suanli optimize</c> makes, for the scenario's device.</summary>
public static class PlanPrices
{
    /// <summary>
    /// The device's first catalog purchase price and cheapest on-demand rent, the scenario's tariff (or the default
    /// region for its currency), the catalog's amortisation and maintenance share, every amount converted with a
    /// dated exchange rate, with findings for what was used, stale or missing.
    /// </summary>
    public static PlanPricing Resolve(Scenario scenario, PriceBook book, DateOnly today)
    {
        var tariff = scenario.Tariff ?? PlanPricing.DefaultTariffRegion(scenario.Currency);
        var resolved = OptimizePrices.Resolve([scenario.Device], book, scenario.Currency, tariff, today);
        var device = resolved.Devices[scenario.Device.Id];
        var findings = new List<Finding>(resolved.Findings);
        if (device.Own is null)
        {
            findings.Add(Finding.Warn("no-purchase-price", $"The prices catalog has no purchase price for {scenario.Device.Id} in {scenario.Currency}, so the cost of owning the fleet is left out; add one under purchase: in a prices file."));
        }
        if (device.Rent is null)
        {
            findings.Add(Finding.Warn("no-rent-price", $"The prices catalog has no on-demand rent for {scenario.Device.Id}, so renting is left out."));
        }
        findings.AddRange(OptimizePrices.RateFindings(resolved.Converter, book, today));
        var years = book.AmortisationNamed("server-lifetime-default")?.Years ?? 5;
        var maintenance = book.AmortisationNamed("maintenance-share")?.FractionPerYear ?? 0;
        var tariffMoney = device.Own?.TariffPerKilowattHour ?? resolved.Converter.Convert(book.Tariff(tariff, "tariff").PerKilowattHour, "tariff");
        var purchase = book.PurchasesFor(scenario.Device.Id);
        return new PlanPricing(scenario.Currency, device.Own?.DevicePrice,
            purchase.Count > 0 ? $"{purchase[0].Provenance.Source} ({PriceBook.Iso(purchase[0].Provenance.Date)})" : "",
            device.Rent, tariffMoney, tariff, years, maintenance, scenario.Rack.Pue, findings);
    }
}
