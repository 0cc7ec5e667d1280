using Suanli.Cost;
using Suanli.Files;
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
    public void The_newest_dated_a100_price_is_the_default_and_the_articles_100000_cny_stays_selectable()
    {
        var book = PriceFiles.Embedded;
        var cny = new CurrencyConverter(Currency.Cny, book.ExchangeRates);
        var newest = PriceSelection.FirstPurchase(book, "nvidia-a100-sxm4-80gb", cny)!.Value;
        Assert.Equal(new DateOnly(2026, 3, 20), newest.Entry.Provenance.Date);
        // 11,500 USD x 6.9858 CNY/USD (CFETS central parity, 2026-01-27) = 80,336.70 CNY.
        Assert.Equal(80336.70m, newest.Price.Amount);
        var article = PriceSelection.FirstPurchase(book, "nvidia-a100-sxm4-80gb", cny, PurchaseKind.ArticleClaim)!.Value;
        Assert.Equal(100000m, article.Price.Amount);
        Assert.Equal(Currency.Cny, article.Price.Currency);
        Assert.Equal(PurchaseKind.ArticleClaim, PurchaseChoice.Parse("article-claim", "--purchase"));
        Assert.Null(PurchaseChoice.Parse("newest", "--purchase"));
    }

    [Fact]
    public void Purchase_selection_picks_the_newest_dated_entry_whatever_the_file_order()
    {
        var book = PriceFiles.Read("""
            purchase:
              - {item: nvidia-t4, price: "900 USD", kind: street-estimate, source: s, date: 2025-06-01}
              - {item: nvidia-t4, price: "700 USD", kind: street-estimate, source: s, date: 2026-06-01}
              - {item: nvidia-t4, price: "2000 USD", kind: list-price, source: s, date: 2019-01-01}
            """, "t.yaml");
        var usd = new CurrencyConverter(Currency.Usd, []);
        Assert.Equal(700m, PriceSelection.FirstPurchase(book, "nvidia-t4", usd)!.Value.Price.Amount);
        Assert.Equal(2000m, PriceSelection.FirstPurchase(book, "nvidia-t4", usd, PurchaseKind.ListPrice)!.Value.Price.Amount);
    }

    [Fact]
    public void The_rent_term_chooses_which_rows_price_a_device_and_reserved_terms_bill_every_hour()
    {
        var book = PriceFiles.Embedded;
        var usd = new CurrencyConverter(Currency.Usd, book.ExchangeRates);
        var onDemand = PriceSelection.CheapestRent(book, "nvidia-h100-sxm5-80gb", usd)!;
        Assert.Equal(RentTerm.OnDemand, onDemand.Term);
        Assert.False(onDemand.BillsEveryHour);
        var reserved = PriceSelection.CheapestRent(book, "nvidia-h100-sxm5-80gb", usd, RentTerm.Reserved1Y)!;
        Assert.Equal(RentTerm.Reserved1Y, reserved.Term);
        Assert.Equal(2.35m, reserved.PerDeviceHour.Amount);
        Assert.True(reserved.BillsEveryHour);
        Assert.Null(PriceSelection.CheapestRent(book, "nvidia-t4", usd, RentTerm.Reserved3Y));
        // Google Cloud a2-highgpu-1g: 968.40125307 USD a month committed for 3 years / 730 h = 1.3266 USD per hour.
        Assert.Equal(1.3266m, PriceSelection.CheapestRent(book, "nvidia-a100-sxm4-40gb", usd, RentTerm.Reserved3Y)!.PerDeviceHour.Amount);
        var selected = PriceSelection.Resolve([CatalogFiles.Embedded.Device("h100")], book, Currency.Usd, null, new DateOnly(2026, 12, 4), RentTerm.Reserved1Y);
        Assert.Equal(2.35m, selected.Devices["nvidia-h100-sxm5-80gb"].Rent!.PerDeviceHour.Amount);
        Assert.Contains(selected.Findings, f => f.Code == "rent-used" && f.Message.Contains("reserved-1y", StringComparison.Ordinal));
    }

    [Fact]
    public void Aws_h100_rent_is_the_price_after_the_june_2025_cut()
    {
        var aws = Assert.Single(PriceFiles.Embedded.RentsFor("nvidia-h100-sxm5-80gb"), r => r.Provider == "AWS");
        // p5.48xlarge 55.04 USD/h over 8 GPUs, down 44% from 98.32 USD/h (12.29 per GPU).
        Assert.Equal(6.88m, aws.PerDeviceHour.Amount);
        Assert.True(aws.Provenance.Date > new DateOnly(2025, 6, 30));
    }

    [Fact]
    public void Stale_listing_names_every_entry_older_than_a_year_oldest_first()
    {
        var book = PriceFiles.Read("""
            api:
              - {provider: P, model: old, input_per_mtok: "1 USD", output_per_mtok: "2 USD", source: s, date: 2024-01-01}
              - {provider: P, model: new, input_per_mtok: "1 USD", output_per_mtok: "2 USD", source: s, date: 2026-01-01}
            purchase:
              - {item: nvidia-t4, price: "900 USD", kind: street-estimate, source: s, date: 2023-06-01}
            """, "t.yaml");
        var stale = book.StaleEntries(new DateOnly(2026, 6, 1));
        Assert.Equal(["nvidia-t4", "P/old"], stale.Select(e => e.Name).ToArray());
        var report = Suanli.Runs.PriceReport.Stale(book, new DateOnly(2026, 6, 1));
        var json = Assert.IsType<Suanli.Runs.StalePricesJson>(report.Json);
        Assert.Equal(2, json.Entries.Count);
        Assert.Equal(1096, json.Entries[0].AgeDays); // 2023-06-01 to 2026-06-01
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
