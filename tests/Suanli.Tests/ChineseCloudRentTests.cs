using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Rent from AWS's China regions, published in CNY with 1- and 3-year reserved instances: a CNY plan that pins a term
/// bills the CNY row as published, and a USD plan converts it once.
/// </summary>
public class ChineseCloudRentTests
{
    // One request in flight fits one T4 replica of Qwen2.5 0.5B: the peak fleet is one device at every strategy.
    private static string Scenario(string currency, string term) =>
        $"name: t4\ncurrency: {currency}\nrent_term: {term}\nhardware: nvidia-t4\ndevices_per_replica: 1\n"
        + "applications:\n  - name: chat\n    model: qwen2.5-0.5b\n    peak_concurrency: 1\n    input_tokens: 512\n    output_tokens: 128\n";

    [Theory]
    [InlineData("reserved-1y", "2.338")]
    [InlineData("reserved-3y", "1.603")]
    public void A_cny_plan_pinned_to_a_reserved_term_bills_the_t4_at_aws_chinas_cny_price_every_hour(string term, string perHour)
    {
        var scenario = ScenarioFile.Parse(Scenario("CNY", term), "t4.yaml", CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 6));
        var price = decimal.Parse(perHour, System.Globalization.CultureInfo.InvariantCulture);
        // The published g4dn.xlarge figure in cn-northwest-1, not a CNY -> USD -> CNY round trip.
        Assert.Equal(("AWS China (Ningxia)", new Money(price, Currency.Cny)), (pricing.Rent!.Provider, pricing.Rent.PerDeviceHour));
        Assert.True(pricing.Rent.BillsEveryHour);
        foreach (var c in PlanCosts.Of(plan, pricing))
        {
            Assert.Equal(1, plan.Fleet.Of(c.Strategy).DevicesPeak);
            // 1 device x 730 h x the hourly price: 1,706.74 CNY a month for 1 year, 1,170.19 CNY for 3 years.
            Assert.Equal(decimal.Round(730m * price, 2), decimal.Round(c.Rent!.PerMonth.Amount, 2));
            Assert.Equal(Currency.Cny, c.Rent.PerMonth.Currency);
        }
    }

    [Fact]
    public void A_usd_plan_converts_the_cny_reserved_row_once_at_the_catalog_rate()
    {
        var scenario = ScenarioFile.Parse(Scenario("USD", "reserved-1y"), "t4.yaml", CatalogFiles.Embedded);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 6));
        // 2.338 CNY / 6.9858 CNY per USD (CFETS, 2026-01-27) = 0.33468 USD an hour.
        Assert.Equal("AWS China (Ningxia)", pricing.Rent!.Provider);
        Assert.Equal(Currency.Usd, pricing.Rent.PerDeviceHour.Currency);
        Assert.Equal(0.33468m, decimal.Round(pricing.Rent.PerDeviceHour.Amount, 5));
    }

    [Fact]
    public void Aws_chinas_t4_terms_are_cheaper_the_longer_the_commitment_and_on_demand_stays_with_the_cheaper_marketplace()
    {
        var book = PriceFiles.Embedded;
        var rows = book.RentsFor("nvidia-t4").Where(r => r.Provider == "AWS China (Ningxia)").ToDictionary(r => r.Term, r => r.PerDeviceHour);
        Assert.Equal(new Money(3.711m, Currency.Cny), rows[RentTerm.OnDemand]);
        Assert.Equal(new Money(2.338m, Currency.Cny), rows[RentTerm.Reserved1Y]);
        Assert.Equal(new Money(1.603m, Currency.Cny), rows[RentTerm.Reserved3Y]);
        // On demand, Matpool's 1.35 CNY stays the cheapest T4, so an unpinned plan's on-demand price does not move.
        var cny = new CurrencyConverter(Currency.Cny, book.ExchangeRates);
        Assert.Equal(new Money(1.35m, Currency.Cny), PriceSelection.CheapestRent(book, "nvidia-t4", cny)!.PerDeviceHour);
    }
}
