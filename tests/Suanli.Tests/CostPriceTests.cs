using Suanli.Cost;
using Suanli.IO;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

public class CostPriceTests
{
    [Fact]
    public void The_embedded_price_catalog_loads_with_a_source_and_date_on_every_entry()
    {
        var book = PriceFiles.Embedded;
        Assert.True(book.Api.Count >= 40);
        Assert.True(book.Rent.Count >= 20);
        Assert.True(book.Purchase.Count >= 10);
        Assert.True(book.ExchangeRates.Count >= 2);
        Assert.All(book.Api, a => Assert.False(string.IsNullOrWhiteSpace(a.Provenance.Source)));
        Assert.All(book.Rent, r => Assert.True(CatalogFiles.Embedded.TryDevice(r.Hardware, out _)));
        Assert.Contains(book.Api, a => a.InputPerMillion.Currency == Currency.Cny);
        var deepseek = book.ApiPrice("DeepSeek/deepseek-chat (DeepSeek-V3)");
        Assert.Equal(0.27m, deepseek.InputPerMillion.Amount);
        Assert.Equal(new DateOnly(2025, 2, 9), deepseek.Provenance.Date);
    }

    [Fact]
    public void Entries_older_than_a_year_on_the_given_day_are_reported_and_none_on_their_own_day()
    {
        var book = PriceFiles.Read("""
            api:
              - {provider: P, model: old, input_per_mtok: "1 USD", output_per_mtok: "2 USD", source: s, date: 2024-01-01}
              - {provider: P, model: new, input_per_mtok: "1 USD", output_per_mtok: "2 USD", source: s, date: 2026-01-01}
            """, "t.yaml");
        var stale = Assert.Single(book.StaleFindings(new DateOnly(2026, 6, 1)));
        Assert.Contains("1 API price entry is more than a year old on 2026-06-01: P/old (2024-01-01)", stale.Message, StringComparison.Ordinal);
        Assert.Empty(book.StaleFindings(new DateOnly(2024, 6, 1)));
    }

    [Theory]
    [InlineData("rent:\n  - {provider: X, hardware: nvidia-t4, per_device_hour: \"0.5 XYZ\", term: on-demand, source: s, date: 2026-01-01}\n", "Unknown currency 'XYZ'", "p.yaml:2")]
    [InlineData("rent:\n  - {provider: X, hardware: nvidia-t4, per_device_hour: \"-0.5 USD\", term: on-demand, source: s, date: 2026-01-01}\n", "must be zero or more", "p.yaml:2")]
    [InlineData("rent:\n  - {provider: X, hardware: nvidia-t5, per_device_hour: \"0.5 USD\", term: on-demand, source: s, date: 2026-01-01}\n", "did you mean nvidia-t4", "p.yaml:2")]
    [InlineData("api:\n  - {provider: X, model: m, input_per_mtok: \"1 USD\", output_per_mtok: \"2 USD\", date: 2026-01-01}\n", "needs a 'source'", "p.yaml:2")]
    [InlineData("exchange_rates:\n  - {from: USD, to: CNY, rate: 0, source: s, date: 2026-01-01}\n", "greater than zero", "p.yaml:2")]
    [InlineData("purchase:\n  - {item: x, price: \"1 USD\", kind: rumour, source: s, date: 2026-01-01}\n", "Unknown kind 'rumour'", "p.yaml:2")]
    public void Bad_price_rows_are_refused_with_the_file_line_and_what_is_wrong(string yaml, string message, string location)
    {
        var ex = Assert.Throws<InputException>(() => PriceFiles.Read(yaml, "p.yaml", CatalogFiles.Embedded));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(location, ex.Message, StringComparison.Ordinal);
    }
}
