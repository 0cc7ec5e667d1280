using System.Text.Json;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Training;
using Xunit;

namespace Suanli.Tests;

/// <summary>One electricity default for every command, and one conversion rule through the dated rates of catalog/prices.</summary>
public class ElectricityAndCurrencyTests
{
    private static readonly string[] CompareSelfHosted =
    [
        "compare", "--requests-per-month", "876M", "--input", "67", "--output", "1333", "--model", "chatglm2-6b", "--precision", "int8",
        "--hardware", "a100-80gb,mlu370-x8", "--self-host", "buy", "--today", "2026-12-06", "--format", "json",
    ];

    [Theory]
    [InlineData("CNY", "CN-industrial-average")]
    [InlineData("USD", "US-VA-industrial")]
    [InlineData("EUR", "EU-non-household-average")]
    public void Compare_without_a_tariff_or_pue_prices_electricity_as_plan_does_for_the_currency(string currency, string region)
    {
        // plan's default: ElectricityDefaults.TariffRegion for the scenario's currency and the default rack's PUE of 1.3.
        Assert.Equal(region, ElectricityDefaults.TariffRegion(Currency.Parse(currency)));
        var (code, defaulted, err, _) = CliTests.Run([.. CompareSelfHosted, "--currency", currency]);
        Assert.True(code == 0, err);
        var (code2, named, err2, _) = CliTests.Run([.. CompareSelfHosted, "--currency", currency, "--tariff", region, "--pue", "1.3"]);
        Assert.True(code2 == 0, err2);
        Assert.Equal(named, defaulted);
    }

    [Fact]
    public void Plan_compare_and_train_share_one_pue_and_one_idle_draw()
    {
        Assert.Equal(1.3, ElectricityDefaults.Pue);
        Assert.Equal(ElectricityDefaults.Pue, Rack.Default.Pue);
        Assert.Equal(ElectricityDefaults.Pue, CostInputs.DefaultPue);
        // A device without a measured idle power draws 25% of its TDP idle in plan and compare alike: 400 W x 0.25 = 100 W.
        var a100 = CatalogFiles.Embedded.Device("nvidia-a100-sxm4-40gb");
        Assert.Null(a100.IdlePower);
        Assert.Equal(100, ElectricityDefaults.IdlePower(a100).InWatts, 6);
        Assert.Equal(ElectricityDefaults.IdlePower(a100), FleetPlanner.IdlePower(a100));
    }

    [Fact]
    public void Compare_counts_idle_hours_at_a_quarter_of_tdp_as_plan_does_not_at_tdp()
    {
        var (code, output, err, _) = CliTests.Run([.. CompareSelfHosted, "--currency", "CNY"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var codes = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Contains("idle-power-assumed", codes);
        Assert.DoesNotContain("idle-at-tdp", codes);
    }

    [Fact]
    public void Euro_to_dollar_goes_through_the_newer_cny_rates_not_the_older_direct_rate()
    {
        var book = PriceFiles.Embedded;
        var usd = book.ConverterTo(Currency.Usd);
        var converted = usd.Convert(new Money(100m, Currency.Eur));
        // catalog/prices/energy.yaml: EUR/CNY 8.2755 and USD/CNY 6.9858, both dated 2026-01-27; the direct EUR/USD 1.0411 is dated 2025-02-28.
        Assert.Equal(100m * 8.2755m / 6.9858m, converted.Amount);
        Assert.Equal(Currency.Usd, converted.Currency);
        Assert.Equal([new DateOnly(2026, 1, 27), new DateOnly(2026, 1, 27)], usd.Used.Select(r => r.Date));
    }

    [Fact]
    public void A_direct_rate_as_new_as_the_cross_rates_is_used_alone()
    {
        var day = new DateOnly(2026, 1, 1);
        var rates = new[]
        {
            new ExchangeRate(Currency.Eur, Currency.Cny, 8m, day, "a"),
            new ExchangeRate(Currency.Usd, Currency.Cny, 7m, day, "b"),
            new ExchangeRate(Currency.Eur, Currency.Usd, 1.1m, day, "c"),
        };
        var usd = new CurrencyConverter(Currency.Usd, rates);
        Assert.Equal(110m, usd.Convert(new Money(100m, Currency.Eur)).Amount);
        Assert.Equal("c", Assert.Single(usd.Used).Source);
    }

    [Fact]
    public void Compare_flags_an_exchange_rate_more_than_a_year_old_as_a_stale_price()
    {
        var (code, output, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--currency", "CNY", "--today", "2027-06-01", "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var stale = doc.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("key").GetString() == "stale-price#rate");
        Assert.Equal("exchange rate USD->CNY is dated 2026-01-27, 490 days before 2027-06-01: more than a year old.", stale.GetProperty("message").GetString());
    }

    [Fact]
    public void Train_converts_rent_and_tariff_into_the_currency_asked_with_the_rate_shown()
    {
        string[] run = ["train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "nvidia-h100-sxm5-80gb", "--devices", "8", "--tariff", "0.0892 USD/kWh", "--format", "json"];
        var (code, usdOut, err, _) = CliTests.Run(run);
        Assert.True(code == 0, err);
        var (code2, cnyOut, err2, _) = CliTests.Run([.. run, "--currency", "CNY"]);
        Assert.True(code2 == 0, err2);
        using var usd = JsonDocument.Parse(usdOut);
        using var cny = JsonDocument.Parse(cnyOut);
        var usdRent = usd.RootElement.GetProperty("costs").GetProperty("rent");
        var cnyRent = cny.RootElement.GetProperty("costs").GetProperty("rent");
        Assert.Equal("USD", usdRent.GetProperty("currency").GetString());
        Assert.Equal("CNY", cnyRent.GetProperty("currency").GetString());
        Assert.Equal("CNY", cny.RootElement.GetProperty("costs").GetProperty("electricity").GetProperty("currency").GetString());
        // USD/CNY 6.9858 (2026-01-27, the newest catalog rate); each amount is rounded to the cent after conversion.
        Assert.Equal((double)usdRent.GetProperty("amount").GetDecimal() * 6.9858, (double)cnyRent.GetProperty("amount").GetDecimal(), 0.01 * 6.9858 + 0.01);
        Assert.Contains(cny.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "exchange-rate");
    }

    [Fact]
    public void Train_takes_a_catalog_tariff_region_as_plan_and_compare_do()
    {
        var (code, output, err, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "nvidia-h100-sxm5-80gb", "--devices", "8",
            "--tariff", "CN-industrial-average", "--currency", "CNY", "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("CNY", doc.RootElement.GetProperty("costs").GetProperty("electricity").GetProperty("currency").GetString());
    }

    [Fact]
    public void Train_refuses_an_unknown_currency_listing_the_known_ones_in_english_and_chinese()
    {
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "nvidia-h100-sxm5-80gb", "--currency", "XYZ");
        Assert.Equal(2, code);
        Assert.Contains("Unknown currency 'XYZ'. Use one of USD, CNY, EUR.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        var (zhCode, _, zhErr, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "nvidia-h100-sxm5-80gb", "--currency", "XYZ", "--lang", "zh");
        Assert.Equal(2, zhCode);
        Assert.Contains("未知的货币 'XYZ'", zhErr, StringComparison.Ordinal);
    }
}
