using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>The refresh of 2026-12-07: a newer row of a tariff, PUE, amortisation or purchase figure is the one used, and the older row stays as history.</summary>
public class PriceRefreshTests
{
    [Fact]
    public void A_region_pue_or_lifetime_priced_again_later_is_read_at_its_newest_dated_row()
    {
        var book = PriceFiles.Embedded;
        // Eurostat, first half of 2025 (release of 2025-10-29): EUR 19.02 per 100 kWh for non-households, not the 0.20 of H2 2023.
        var eu = book.Tariff("EU-non-household-average");
        Assert.Equal((new Money(0.1902m, Currency.Eur), new DateOnly(2025, 10, 29)), (eu.PerKilowattHour, eu.Provenance.Date));
        // Google's fleet PUE for 2025 (1.09), not 2021's 1.10; Uptime's 2025 industry average (1.54), not 2023's 1.58.
        Assert.Equal(1.09, book.PueNamed("hyperscale").Value);
        Assert.Equal(1.54, book.PueNamed("industry-average").Value);
        // Meta's 10-K for 2025: most servers and network assets at 5.5 years from 2025-01-01.
        Assert.Equal(5.5, book.AmortisationNamed("server-lifetime-meta")!.Years);
        // The older rows are still in the file.
        Assert.Contains(book.Electricity, e => e.Region == "EU-non-household-average" && e.PerKilowattHour == new Money(0.20m, Currency.Eur));
        Assert.Contains(book.Pue, p => p.Name == "hyperscale" && p.Value == 1.10);
    }

    [Fact]
    public void The_h20_module_price_of_december_2025_is_the_newest_street_estimate_and_the_refreshed_rows_leave_the_stale_list()
    {
        var book = PriceFiles.Embedded;
        // Tencent Technology, 2025-12-24: an 8-GPU H20 module at 880,000 CNY before it rose; 880,000 / 8 = 110,000 CNY a card.
        var street = book.PurchasesFor("nvidia-h20-96gb").First(p => p.Kind == PurchaseKind.StreetEstimate);
        Assert.Equal((new Money(880000m / 8, Currency.Cny), new DateOnly(2025, 12, 24)), (street.Price, street.Provenance.Date));
        var stale = book.StaleEntries(new DateOnly(2026, 12, 7)).Select(e => e.Name).ToHashSet();
        Assert.DoesNotContain("nvidia-h20-96gb", stale);
        Assert.DoesNotContain("hyperscale", stale);
        Assert.DoesNotContain("server-lifetime-meta", stale);
        // The Eurostat rows are newer but still more than a year old on 2026-12-07 (404 days): they stay on the list.
        Assert.Contains("EU-non-household-average", stale);
    }

    [Fact]
    public void The_hyperscalers_server_lives_in_their_2026_filings_replace_the_2022_and_2023_rows_and_leave_the_stale_list()
    {
        var book = PriceFiles.Embedded;
        // 10-Ks filed 2026-02-05 (Alphabet: six years), 2026-02-06 (Amazon: a subset shortened from six to five years
        // from 2025-01-01) and 2026-07-29 (Microsoft: two to six years, upper bound held).
        Assert.Equal((6.0, new DateOnly(2026, 2, 5)), Life(book, "server-lifetime-alphabet"));
        Assert.Equal((5.0, new DateOnly(2026, 2, 6)), Life(book, "server-lifetime-amazon"));
        Assert.Equal((6.0, new DateOnly(2026, 7, 29)), Life(book, "server-lifetime-microsoft"));
        // The 2022 and 2023 rows stay in the book as history, so they are no longer listed as stale on 2026-12-07.
        Assert.Contains(book.Amortisation, a => a.Name == "server-lifetime-amazon" && a.Provenance.Date == new DateOnly(2022, 1, 1));
        var stale = book.StaleEntries(new DateOnly(2026, 12, 7)).Select(e => e.Name).ToHashSet();
        Assert.DoesNotContain("server-lifetime-alphabet", stale);
        Assert.DoesNotContain("server-lifetime-amazon", stale);
        Assert.DoesNotContain("server-lifetime-microsoft", stale);
        // Only the default enters a plan, and it did not change.
        Assert.Equal(5.0, book.AmortisationNamed("server-lifetime-default")!.Years);
    }

    private static (double Years, DateOnly Date) Life(PriceBook book, string name)
    {
        var row = book.AmortisationNamed(name)!;
        return (row.Years!.Value, row.Provenance.Date);
    }

    [Fact]
    public void The_ecb_eur_usd_rate_of_2025_12_31_is_the_newest_direct_rate_and_leaves_the_stale_list_while_eur_still_converts_through_the_newer_cfets_rates()
    {
        var book = PriceFiles.Embedded;
        // ECB reference rate of 2025-12-31, USD 1.1750 per EUR (reported 2026-01-02), after 1.0411 on 2025-02-28.
        var direct = book.NewestRate(Currency.Eur, Currency.Usd)!;
        Assert.Equal((Currency.Eur, Currency.Usd, 1.1750m, new DateOnly(2025, 12, 31)), (direct.From, direct.To, direct.Rate, direct.Date));
        Assert.Contains(book.ExchangeRates, r => r.From == Currency.Eur && r.To == Currency.Usd && r.Rate == 1.0411m);
        // 342 days old on 2026-12-08: no longer listed; the 2025-02-28 row is history. A year after its date it is listed again.
        Assert.DoesNotContain("EUR->USD", book.StaleEntries(new DateOnly(2026, 12, 8)).Select(e => e.Name));
        Assert.Contains("EUR->USD", book.StaleEntries(new DateOnly(2027, 1, 1)).Select(e => e.Name));
        // A plan still converts EUR through CNY: both CFETS rates (2026-01-27) are newer than the direct rate, so no
        // converted figure moves. 100 EUR = 827.55 CNY = 827.55 / 6.9858 USD.
        var usd = new CurrencyConverter(Currency.Usd, book.ExchangeRates);
        Assert.Equal([new DateOnly(2026, 1, 27), new DateOnly(2026, 1, 27)], usd.Path(Currency.Eur, Currency.Usd)!.Select(r => r.Date));
        Assert.Equal(Math.Round(827.55m / 6.9858m, 6), Math.Round(usd.Convert(new Money(100m, Currency.Eur)).Amount, 6));
    }
}
