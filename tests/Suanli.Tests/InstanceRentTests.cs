using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Rent published for a whole multi-device instance (<c>per_instance_hour</c> with <c>devices_per_instance</c>): the row
/// keeps the figure the source prints, the reader divides exactly, and a CNY instance price reaches a CNY plan unconverted.
/// </summary>
public class InstanceRentTests
{
    private const string Row = "rent:\n  - {provider: X, hardware: nvidia-a100-sxm4-40gb, KEYS, term: on-demand, source: s, date: 2026-08-26}\n";

    private static PriceBook Read(string keys) => PriceFiles.Read(Row.Replace("KEYS", keys, StringComparison.Ordinal), "p.yaml", CatalogFiles.Embedded);

    [Fact]
    public void An_instance_price_is_divided_by_its_devices_exactly_and_the_published_figure_is_kept()
    {
        var rent = Assert.Single(Read("per_instance_hour: \"109.601338 CNY\", devices_per_instance: 8").Rent);
        // 109.601338 / 8 = 13.70016725, every digit kept (the hand-divided catalog row rounds it to 13.7002).
        Assert.Equal(new Money(13.70016725m, Currency.Cny), rent.PerDeviceHour);
        Assert.Equal(new InstanceRent(new Money(109.601338m, Currency.Cny), 8), rent.Instance);
        Assert.Null(Assert.Single(Read("per_device_hour: \"13.7002 CNY\"").Rent).Instance);
    }

    [Theory]
    [InlineData("per_device_hour: \"1 USD\", per_instance_hour: \"8 USD\", devices_per_instance: 8", "rent-two-price-forms", "rent[0].per_device_hour")]
    [InlineData("per_instance_hour: \"8 USD\"", "rent-instance-needs-devices", "rent[0].per_instance_hour")]
    [InlineData("per_instance_hour: \"8 USD\", devices_per_instance: 0", "rent-devices-positive", "rent[0].devices_per_instance")]
    [InlineData("per_device_hour: \"1 USD\", devices_per_instance: 8", "rent-devices-without-instance-price", "rent[0].devices_per_instance")]
    public void A_row_with_both_price_forms_or_an_instance_price_without_a_device_count_is_refused_at_its_key(string keys, string phrase, string field)
    {
        var ex = Assert.Throws<InputException>(() => Read(keys));
        Assert.Equal(phrase, ex.Text?.Key);
        Assert.Equal(field, ex.Field);
        Assert.Equal("p.yaml", ex.Location?.File);
        // Said in Chinese too, naming the same key.
        Assert.Contains(field, ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_eight_gpu_instances_rent_per_device_at_the_instance_price_over_eight()
    {
        var aws = PriceFiles.Embedded.Rent.Where(r => r.Provider == "AWS" && r.Term == RentTerm.OnDemand && r.Instance is not null).ToDictionary(r => r.Hardware);
        // p5en.48xlarge 63.296 / 8, p6-b200.48xlarge 113.9328 / 8, p6-b300.48xlarge 142.416 / 8 (us-east-1, 2026-08-26).
        Assert.Equal(7.912m, aws["nvidia-h200-sxm-141gb"].PerDeviceHour.Amount);
        Assert.Equal(14.2416m, aws["nvidia-b200-sxm"].PerDeviceHour.Amount);
        Assert.Equal(17.802m, aws["nvidia-b300-sxm"].PerDeviceHour.Amount);
        Assert.All(aws.Values, r => Assert.Equal(8, r.Instance!.Devices));
        var json = Assert.IsType<Suanli.Runs.PricesJson>(Suanli.Runs.PriceReport.Build(PriceFiles.Embedded, new DateOnly(2026, 12, 6)).Json);
        var h200 = Assert.Single(json.Rent, r => r.Provider == "AWS" && r.Hardware == "nvidia-h200-sxm-141gb");
        Assert.Equal((63.296m, "USD", 8, 7.912m), (h200.PerInstanceHour!.Amount, h200.PerInstanceHour.Currency, h200.DevicesPerInstance, h200.PerDeviceHour.Amount));
        Assert.All(json.Rent.Where(r => r.PerInstanceHour is null), r => Assert.Null(r.DevicesPerInstance));
    }

    [Fact]
    public void A_cny_plan_bills_a_cny_instance_price_over_its_devices_as_published_with_no_conversion()
    {
        // AWS China's p4d.24xlarge (8x A100 40GB, Ningxia) 1-year no-upfront figure as the price list prints it.
        var prices = PriceFiles.Read("""
            rent:
              - {provider: "AWS China (Ningxia) p4d.24xlarge", hardware: nvidia-a100-sxm4-40gb, per_instance_hour: "109.601338 CNY", devices_per_instance: 8, term: reserved-1y, source: s, date: 2026-08-26}
            """, "p.yaml", CatalogFiles.Embedded);
        var scenario = ScenarioFile.Parse("name: a100\ncurrency: CNY\nrent_term: reserved-1y\nhardware: nvidia-a100-sxm4-40gb\ndevices_per_replica: 1\n"
            + "applications:\n  - name: chat\n    model: qwen2.5-0.5b\n    peak_concurrency: 1\n    input_tokens: 512\n    output_tokens: 128\n", "a100.yaml", CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        // China Telecom Cloud's 1-year A100 40GB subscription (11.9106 CNY, CtyunRentTests) undercuts both AWS forms, so the
        // comparison is made on the catalog without it.
        var e = PriceFiles.Embedded;
        var withoutCtyun = new PriceBook(e.Api, e.Rent.Where(r => r.Provider != "China Telecom Cloud (CTyun)"), e.Purchase, e.Electricity, e.Pue,
            e.Amortisation, e.ExchangeRates.Select(r => (r, new Provenance(r.Source, r.Date))));
        var pricing = PlanPricing.From(scenario, withoutCtyun.With(prices), new DateOnly(2026, 12, 6));
        // 13.70016725 CNY undercuts the catalog's hand-rounded 13.7002, so the per-instance row is the one billed, in CNY.
        Assert.Equal(("AWS China (Ningxia) p4d.24xlarge", new Money(13.70016725m, Currency.Cny)), (pricing.Rent!.Provider, pricing.Rent.PerDeviceHour));
        foreach (var c in PlanCosts.Of(plan, pricing))
        {
            Assert.Equal(1, plan.Fleet.Of(c.Strategy).DevicesPeak);
            // 1 device x 730 h x 13.70016725 = 10,001.12 CNY a month.
            Assert.Equal(10001.12m, decimal.Round(c.Rent!.PerMonth.Amount, 2));
            Assert.Equal(Currency.Cny, c.Rent.PerMonth.Currency);
        }
    }
}
