using System.Text.Json;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Text;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// One question, one electricity cost: <c>train</c> without <c>--tariff</c> omitted electricity while <c>plan</c> and
/// <c>compare</c> price it at the default region of the currency (<c>ElectricityDefaults.TariffRegion</c>).
/// </summary>
public class TrainTariffDefaultTests
{
    private static readonly string[] Llama8bIn30Days = ["train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30"];

    private static JsonElement Json(params string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Theory]
    [InlineData("CNY")]
    [InlineData("USD")]
    [InlineData("EUR")]
    public void Train_without_a_tariff_prices_electricity_at_the_tariff_plan_takes_for_the_currency(string currency)
    {
        var root = Json([.. Llama8bIn30Days, "--currency", currency]);
        var electricity = root.GetProperty("costs").GetProperty("electricity");
        Assert.Equal(currency, electricity.GetProperty("currency").GetString());
        // The tariff plan's own selection gives for an H100 priced in this currency (exchange rates and tariff as the catalog dates them).
        var h100 = CatalogFiles.Embedded.Device("h100");
        var selected = PriceSelection.Resolve([h100], PriceFiles.Embedded, Currency.Parse(currency, FieldNames.Currency), null, DateOnly.FromDateTime(DateTime.UtcNow));
        var tariff = (double)selected.Devices[h100.Id].Own!.TariffPerKilowattHour.Amount;
        // Electricity = facility energy (MWh x 1,000 kWh) x that tariff, to the cent the report rounds to.
        var kwh = root.GetProperty("energyMwh").GetDouble() * 1000;
        Assert.Equal(kwh * tariff, electricity.GetProperty("amount").GetDouble(), 0.01 * kwh);
        var finding = Assert.Single(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "tariff-default");
        Assert.Equal(ElectricityDefaults.TariffRegion(Currency.Parse(currency, FieldNames.Currency)), finding.GetProperty("args").GetProperty("region").GetString());
    }

    [Fact]
    public void A_tariff_given_is_used_as_given_and_no_default_is_named()
    {
        var root = Json([.. Llama8bIn30Days, "--tariff", "0.65 CNY/kWh"]);
        var electricity = root.GetProperty("costs").GetProperty("electricity");
        Assert.Equal("CNY", electricity.GetProperty("currency").GetString());
        Assert.Equal(root.GetProperty("energyMwh").GetDouble() * 1000 * 0.65, electricity.GetProperty("amount").GetDouble(), 0.01);
        Assert.DoesNotContain(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "tariff-default");
    }

    [Fact]
    public void The_default_tariff_is_named_in_the_readers_language()
    {
        var (code, output, err, _) = CliTests.Run([.. Llama8bIn30Days, "--currency", "CNY", "--lang", "zh", "--format", "markdown"]);
        Assert.True(code == 0, err);
        Assert.Contains("电费按 CN-industrial-average（", output + err, StringComparison.Ordinal);
        Assert.Contains("即 plan 和 compare 对 CNY 采用的默认地区；用 --tariff 给出你自己的电价。", output + err, StringComparison.Ordinal);
    }
}
