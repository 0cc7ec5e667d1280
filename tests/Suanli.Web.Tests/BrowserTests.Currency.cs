using System.Globalization;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The page's currencies: every currency the price catalog has a rate for, as the CLI's --currency takes them.</summary>
public partial class BrowserTests
{
    [Theory]
    [InlineData("en", "Euro")]
    [InlineData("zh", "欧元")]
    public async Task The_currency_list_is_the_catalogs_and_a_euro_plan_reaches_the_cost_panel_and_device_prices(string lang, string euroName)
    {
        var rates = (await f.ApiAsync("/api/catalog/prices")).GetProperty("exchangeRates").EnumerateArray().ToList();
        var expected = rates.SelectMany(r => new[] { r.GetProperty("from").GetString()!, r.GetProperty("to").GetString()! })
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        // catalog/prices/energy.yaml: rates between USD, CNY and EUR.
        Assert.Equal(["CNY", "EUR", "USD"], expected);

        var page = await f.OpenAsync($"?lang={lang}&currency=EUR");
        Assert.Equal(expected, await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#currency option')].map(o => o.value)"));
        Assert.Equal("EUR", await page.InputValueAsync("#currency"));
        Assert.Contains(euroName, await page.InnerTextAsync("#currency option[value='EUR']"), StringComparison.Ordinal);
        Assert.Contains("currency=EUR", page.Url, StringComparison.Ordinal);

        // The H100's USD price in euros through the newer CFETS rates of 2026-01-27 (1 USD = 6.9858 CNY, 1 EUR = 8.2755 CNY),
        // as the server converts (the direct EUR/USD rate is of 2025-02-28, older).
        var h100 = (await f.ApiAsync("/api/catalog/hardware")).GetProperty("devices").EnumerateArray().First(d => d.GetProperty("id").GetString() == "nvidia-h100-sxm5-80gb");
        var usd = h100.GetProperty("price").GetProperty("amount").GetDecimal();
        var euros = usd * 6.9858m / 8.2755m;
        Assert.Equal("€" + euros.ToString("N0", CultureInfo.InvariantCulture), await page.InnerTextAsync("#hardware-table tr[data-id='nvidia-h100-sxm5-80gb'] td.price"));
        var note = await page.InnerTextAsync("#rate-note");
        Assert.Contains("1 USD = 6.9858 CNY", note, StringComparison.Ordinal);
        Assert.Contains("1 EUR = 8.2755 CNY", note, StringComparison.Ordinal);

        // The plan the page asks for is priced in euros: the cost panel's currency and its figures.
        await BrowserFixture.ShowPanel(page, "panel-cost");
        Assert.Equal("EUR", await page.GetAttributeAsync("#panel-cost", "data-currency"));
        Assert.Contains("€", await page.InnerTextAsync("#cost-table tbody"), StringComparison.Ordinal);
    }
}
