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
        // The T4's only 3-year row: AWS China (Ningxia) g4dn.xlarge, 1.603 CNY an hour, kept in CNY (ChineseCloudRentTests).
        Assert.Equal("AWS China (Ningxia)", PriceSelection.CheapestRent(book, "nvidia-t4", usd, RentTerm.Reserved3Y)!.Provider);
        // China Telecom Cloud's p8a.6xlarge.4 for 3 years, 10,229.09 CNY a month x 0.50 / 730 = 7.0062 CNY per GPU-hour, at 6.9858
        // CNY per USD = 1.00292 USD: under AWS China's p4d.24xlarge (73.80361 CNY / 8 = 9.2255 CNY = 1.32061 USD) and Google
        // Cloud's a2-highgpu-1g (968.40125307 USD a month / 730 h = 1.3266 USD).
        var threeYears = PriceSelection.CheapestRent(book, "nvidia-a100-sxm4-40gb", usd, RentTerm.Reserved3Y)!;
        Assert.Equal(("China Telecom Cloud (CTyun)", 1.00292m), (threeYears.Provider, decimal.Round(threeYears.PerDeviceHour.Amount, 5)));
        var selected = PriceSelection.Resolve([CatalogFiles.Embedded.Device("h100")], book, Currency.Usd, null, new DateOnly(2026, 12, 4), RentTerm.Reserved1Y);
        Assert.Equal(2.35m, selected.Devices["nvidia-h100-sxm5-80gb"].Rent!.PerDeviceHour.Amount);
        Assert.Contains(selected.Findings, f => f.Code == "rent-used" && f.Message.Contains("reserved-1y", StringComparison.Ordinal));
    }

    [Fact]
    public void H100_has_three_year_terms_from_google_cloud_and_aws_and_every_rent_row_is_dated_and_sourced()
    {
        var book = PriceFiles.Embedded;
        var usd = new CurrencyConverter(Currency.Usd, book.ExchangeRates);
        // a3-highgpu-1g in us-central1: 3,546.37477674 USD a month committed for 3 years / 730 h = 4.8580 USD per hour.
        var google = Assert.Single(book.RentsFor("nvidia-h100-sxm5-80gb", RentTerm.Reserved3Y), r => r.Provider == "Google Cloud");
        Assert.Equal(4.8580m, google.PerDeviceHour.Amount);
        // A committed H100 bills every hour: 4.8580 x 730 = 3,546.34 USD a month, Google's 3,546.37 to within rounding.
        Assert.Equal(3546.34m, google.PerDeviceHour.Amount * 730m);
        // AWS p5.48xlarge, 3-year Standard, no upfront: 23.77728 USD an instance-hour / 8 = 2.97216, the cheapest 3-year H100.
        var threeYear = PriceSelection.CheapestRent(book, "nvidia-h100-sxm5-80gb", usd, RentTerm.Reserved3Y)!;
        Assert.Equal(("AWS", 2.97216m, 8), (threeYear.Provider, threeYear.PerDeviceHour.Amount, threeYear.Instance!.Devices));
        // AWS's 1-year Convertible (43.344 / 8 = 5.418) and Google's 1-year rate (7.6730) are dearer than the neocloud
        // contract, which stays the 1-year choice.
        Assert.Equal(5.418m, Assert.Single(book.RentsFor("nvidia-h100-sxm5-80gb", RentTerm.Reserved1Y), r => r.Provider == "AWS").PerDeviceHour.Amount);
        Assert.Equal(2.35m, PriceSelection.CheapestRent(book, "nvidia-h100-sxm5-80gb", usd, RentTerm.Reserved1Y)!.PerDeviceHour.Amount);
        Assert.All(book.Rent, r =>
        {
            Assert.StartsWith("http", r.Provenance.Source, StringComparison.Ordinal);
            Assert.True(r.Provenance.Date <= new DateOnly(2026, 12, 4), $"{r} is dated after the catalog's last pass");
        });
    }

    [Fact]
    public void Aws_h100_rent_is_the_price_after_the_june_2025_cut()
    {
        var aws = Assert.Single(PriceFiles.Embedded.RentsFor("nvidia-h100-sxm5-80gb", RentTerm.OnDemand), r => r.Provider == "AWS");
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

    [Fact]
    public void Superseded_and_kept_entries_leave_the_refresh_list_but_stay_in_the_book()
    {
        var book = PriceFiles.Read("""
            api:
              - {provider: P, model: v1, input_per_mtok: "2 CNY", output_per_mtok: "8 CNY", source: s, date: 2024-01-01, superseded_by: P/v2}
              - {provider: P, model: v2, input_per_mtok: "2 CNY", output_per_mtok: "3 CNY", source: s, date: 2026-04-25}
              - {provider: P, model: orphan, input_per_mtok: "1 USD", output_per_mtok: "1 USD", source: s, date: 2024-02-01}
            purchase:
              - {item: nvidia-t4, price: "900 USD", kind: street-estimate, source: s, date: 2023-06-01}
              - {item: nvidia-t4, price: "700 USD", kind: street-estimate, source: s, date: 2026-06-01}
              - {item: nvidia-t4, price: "2000 USD", kind: list-price, source: s, date: 2019-01-01, kept_for: the launch list price it records}
            exchange_rates:
              - {from: USD, to: CNY, rate: 7.27, source: s, date: 2025-02-28}
              - {from: USD, to: CNY, rate: 6.99, source: s, date: 2026-01-27}
            """, "t.yaml");
        var today = new DateOnly(2026, 12, 4);
        // Only the orphan API row needs refreshing: v1 names its successor, the 2023 T4 estimate and the 2025 rate
        // have a newer entry for the same item and kind / pair, and the launch price is kept on purpose.
        Assert.Equal(["P/orphan"], book.StaleEntries(today).Select(e => e.Name).ToArray());
        var kept = book.KeptAsHistory(today);
        Assert.Equal(4, kept.Count);
        Assert.Contains(kept, k => k.Name == "P/v1" && k.KeptFor == "superseded by P/v2");
        Assert.Contains(kept, k => k.Name == "nvidia-t4" && k.KeptFor == "superseded by the entry dated 2026-06-01");
        Assert.Contains(kept, k => k.Name == "nvidia-t4" && k.KeptFor == "kept for the launch list price it records");
        Assert.Contains(kept, k => k.Name == "USD->CNY" && k.KeptFor == "superseded by the entry dated 2026-01-27");
        // History stays selectable: the list price is still the newest of its kind.
        Assert.Equal(2000m, PriceSelection.FirstPurchase(book, "nvidia-t4", new CurrencyConverter(Currency.Usd, []), PurchaseKind.ListPrice)!.Value.Price.Amount);
        var report = Suanli.Runs.PriceReport.Stale(book, today);
        Assert.Single(Assert.IsType<Suanli.Runs.StalePricesJson>(report.Json).Entries);
        Assert.Contains(report.Findings, f => f.Code == "stale-price" && f.Message.StartsWith("4 older entries are kept as history", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api:\n  - {provider: P, model: a, input_per_mtok: \"1 USD\", output_per_mtok: \"1 USD\", source: s, date: 2024-01-01, superseded_by: P/b}\n  - {provider: P, model: c, input_per_mtok: \"1 USD\", output_per_mtok: \"1 USD\", source: s, date: 2026-01-01}\n", "names no API row in this file", "p.yaml:2")]
    [InlineData("api:\n  - {provider: P, model: a, input_per_mtok: \"1 USD\", output_per_mtok: \"1 USD\", source: s, date: 2026-01-01, superseded_by: P/b}\n  - {provider: P, model: b, input_per_mtok: \"1 USD\", output_per_mtok: \"1 USD\", source: s, date: 2025-01-01}\n", "not later than this row's 2026-01-01", "p.yaml:2")]
    [InlineData("api:\n  - {provider: P, model: a, input_per_mtok: \"1 USD\", output_per_mtok: \"1 USD\", source: s, date: 2024-01-01, superseded_by: P/b, kept_for: x}\n  - {provider: P, model: b, input_per_mtok: \"1 USD\", output_per_mtok: \"1 USD\", source: s, date: 2026-01-01}\n", "not both", "p.yaml:2")]
    public void Superseded_by_must_name_a_newer_api_row_of_the_same_file(string yaml, string message, string location)
    {
        var ex = Assert.Throws<InputException>(() => PriceFiles.Read(yaml, "p.yaml"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(location, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_providers_older_rent_row_is_superseded_by_its_newest_and_never_priced()
    {
        var book = PriceFiles.Read("""
            rent:
              - {provider: X, hardware: nvidia-t4, per_device_hour: "0.30 USD", term: on-demand, source: s, date: 2025-01-01}
              - {provider: X, hardware: nvidia-t4, per_device_hour: "0.50 USD", term: on-demand, source: s, date: 2026-06-01}
              - {provider: X, hardware: nvidia-t4, per_device_hour: "0.20 USD", term: reserved-1y, source: s, date: 2025-01-01}
              - {provider: Y, hardware: nvidia-t4, per_device_hour: "0.60 USD", term: on-demand, source: s, date: 2024-01-01}
            """, "t.yaml", CatalogFiles.Embedded);
        var usd = new CurrencyConverter(Currency.Usd, []);
        // X's 0.30 of 2025 is replaced by its 0.50 of 2026, so the cheapest current on-demand rent is 0.50, not 0.30;
        // X's reserved row is another term and Y another provider, so neither is superseded.
        Assert.Equal(0.50m, PriceSelection.CheapestRent(book, "nvidia-t4", usd)!.PerDeviceHour.Amount);
        Assert.Equal(0.20m, PriceSelection.CheapestRent(book, "nvidia-t4", usd, RentTerm.Reserved1Y)!.PerDeviceHour.Amount);
        Assert.Equal(3, book.RentsFor("nvidia-t4").Count);
        Assert.Equal(4, book.Rent.Count);
    }

    [Fact]
    public void Every_price_a_device_entry_carries_is_also_in_the_price_book_so_the_stale_listing_sees_it()
    {
        var book = PriceFiles.Embedded;
        foreach (var d in CatalogFiles.Embedded.Devices)
        {
            if (d.Price is { } price)
            {
                Assert.True(book.Purchase.Any(p => p.Item == d.Id && p.Price == price.Amount),
                    $"{d.Id}: price {price.Amount} is not a purchase.yaml row");
            }
            if (d.RentPerHour is { } rent)
            {
                Assert.True(book.Rent.Any(r => r.Hardware == d.Id && r.PerDeviceHour == rent.Amount),
                    $"{d.Id}: rent {rent.Amount} is not a rent.yaml row");
            }
        }
    }

    [Fact]
    public void Stale_listing_covers_every_embedded_entry_over_a_year_old_once_and_states_the_rule()
    {
        var book = PriceFiles.Embedded;
        var today = new DateOnly(2026, 12, 4);
        var all = book.Api.Select(a => a.Provenance).Concat(book.Rent.Select(r => r.Provenance)).Concat(book.Purchase.Select(p => p.Provenance))
            .Concat(book.Electricity.Select(e => e.Provenance)).Concat(book.Pue.Select(p => p.Provenance)).Concat(book.Amortisation.Select(a => a.Provenance))
            .Concat(book.ExchangeRates.Select(book.ProvenanceOf)).ToList();
        var stale = book.StaleEntries(today);
        var kept = book.KeptAsHistory(today);
        // Every entry dated more than a year before today (the rule the report states) is either listed for refresh or kept as history, never both.
        Assert.Equal(all.Count(p => p.Date.AddYears(1) < today), stale.Count + kept.Count);
        Assert.All(stale, e => Assert.True(e.Provenance.AgeInDays(today) > 365, e.Name));
        Assert.Empty(stale.Select(e => (e.Table, e.Name, e.Provenance.Date)).Intersect(kept.Select(k => (k.Table, k.Name, k.Provenance.Date))));
        var report = Suanli.Runs.PriceReport.Stale(book, today);
        Assert.Contains(report.Findings, f => f.Message.Contains("more than a year old on 2026-12-04", StringComparison.Ordinal));
        Assert.Equal(stale.Count, Assert.IsType<Suanli.Runs.StalePricesJson>(report.Json).Entries.Count);
    }

    [Fact]
    public void Every_embedded_price_names_a_source_and_a_date_and_every_quality_model_resolves()
    {
        var book = PriceFiles.Embedded;
        var provenances = book.Api.Select(a => a.Provenance).Concat(book.Rent.Select(r => r.Provenance)).Concat(book.Purchase.Select(p => p.Provenance))
            .Concat(book.Electricity.Select(e => e.Provenance)).Concat(book.Pue.Select(p => p.Provenance)).Concat(book.Amortisation.Select(a => a.Provenance))
            .Concat(book.ExchangeRates.Select(book.ProvenanceOf)).ToList();
        Assert.All(provenances, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        // No entry is dated after the day this catalog was last read (2026-12-07: StepFun's undated international price page),
        // nor before the 2020 launch prices it keeps.
        Assert.All(provenances, p => Assert.InRange(p.Date, new DateOnly(2020, 1, 1), new DateOnly(2026, 12, 7)));
        Assert.All(book.Api.Where(a => a.QualityModel is not null), a => Assert.True(CatalogFiles.Embedded.TryModel(a.QualityModel!, out _), $"{a.Name}: quality_model {a.QualityModel}"));
    }

    [Fact]
    public void The_major_chinese_providers_have_a_2026_cny_price_and_the_superseded_deepseek_v3_rows_are_history()
    {
        var book = PriceFiles.Embedded;
        foreach (var provider in new[] { "DeepSeek", "Alibaba Cloud (Model Studio)", "Zhipu AI (BigModel)", "Moonshot AI", "MiniMax", "Baidu (Qianfan)", "ByteDance (Volcano Engine)", "Tencent (Hunyuan)" })
        {
            Assert.Contains(book.Api, a => a.Provider == provider && a.InputPerMillion.Currency == Currency.Cny && a.Provenance.Date.Year == 2026);
        }
        // DeepSeek V3.2 in CNY (2026-04-25 transcription of the official page): 2 in, 0.2 cache hit, 3 out per Mtok.
        var v32 = book.ApiPrice("DeepSeek/deepseek-chat (DeepSeek-V3.2, CNY)");
        Assert.Equal((2m, 0.2m, 3m), (v32.InputPerMillion.Amount, v32.CachedInputPerMillion!.Value.Amount, v32.OutputPerMillion.Amount));
        var today = new DateOnly(2026, 12, 4);
        var stale = book.StaleEntries(today).Select(e => e.Name).ToHashSet();
        Assert.DoesNotContain("DeepSeek/deepseek-chat (DeepSeek-V3, CNY)", stale);
        Assert.Contains(book.KeptAsHistory(today), k => k.Name == "DeepSeek/deepseek-chat (DeepSeek-V3, CNY)" && k.KeptFor == "superseded by DeepSeek/deepseek-chat (DeepSeek-V3.2, CNY)");
        // The seed case's article figures are kept, not listed for refresh; the EIA 2023 tariffs still are.
        Assert.Contains(book.KeptAsHistory(today), k => k.Table == "purchase" && k.Name == "cambricon-mlu370-x4");
        Assert.Contains("US-VA-commercial", stale);
    }

    [Fact]
    public void Chinese_marketplaces_rent_in_cny_and_the_newest_row_of_each_provider_prices_a_device()
    {
        var book = PriceFiles.Embedded;
        var cny = new CurrencyConverter(Currency.Cny, book.ExchangeRates);
        // 算家云's RTX 4090 at 1.24 CNY per GPU-hour, as published (no conversion).
        var rtx4090 = PriceSelection.CheapestRent(book, "nvidia-rtx-4090", cny)!;
        Assert.Equal(("Suanjia Cloud (算家云)", 1.24m), (rtx4090.Provider, rtx4090.PerDeviceHour.Amount));
        Assert.Contains(book.RentsFor("nvidia-h20-96gb"), r => r.PerDeviceHour == new Money(7.5m, Currency.Cny));
        // RunPod Community Cloud's 1.39 USD (read 2026-11-09) is the cheapest on-demand A100 80GB: 1.39 x 6.9858 = 9.710262 CNY.
        var a100 = PriceSelection.CheapestRent(book, "nvidia-a100-sxm4-80gb", cny)!;
        Assert.Equal("RunPod (Community Cloud)", a100.Provider);
        Assert.Equal(9.710262m, a100.PerDeviceHour.Amount);
        // Lambda's May 2026 rows (A100 40GB 1.48, H100 SXM 3.78 and 2.99) are history beside its 2026-09-20 prices.
        Assert.Equal([1.99m], book.RentsFor("nvidia-a100-sxm4-40gb", RentTerm.OnDemand).Where(r => r.Provider == "Lambda").Select(r => r.PerDeviceHour.Amount).ToArray());
        Assert.Equal([3.99m], book.RentsFor("nvidia-h100-sxm5-80gb", RentTerm.OnDemand).Where(r => r.Provider == "Lambda").Select(r => r.PerDeviceHour.Amount).ToArray());
    }

    [Fact]
    public void A_reserved_term_is_never_dearer_per_hour_than_on_demand_for_the_same_provider_and_device_nor_three_years_than_one()
    {
        var book = PriceFiles.Embedded;
        var current = book.Rent.Where(r => book.SupersededBy(r) is null).ToList();
        var compared = 0;
        foreach (var g in current.GroupBy(r => (r.Provider, r.Hardware, r.PerDeviceHour.Currency)))
        {
            Money? Rate(RentTerm t) => g.SingleOrDefault(r => r.Term == t)?.PerDeviceHour;
            var onDemand = Rate(RentTerm.OnDemand);
            var oneYear = Rate(RentTerm.Reserved1Y);
            var threeYear = Rate(RentTerm.Reserved3Y);
            foreach (var (longer, shorter) in new[] { (oneYear, onDemand), (threeYear, onDemand), (threeYear, oneYear) })
            {
                if (longer is { } l && shorter is { } s)
                {
                    Assert.True(l.Amount <= s.Amount, $"{g.Key}: a longer commitment at {l.Amount} is dearer than {s.Amount}");
                    compared++;
                }
            }
        }
        // Google Cloud's A100 40GB and H100 rows give three comparisons each (on-demand, 1 year, 3 years).
        Assert.True(compared >= 6, $"{compared} comparisons");
    }

    [Fact]
    public void A_cny_plan_prices_a_device_at_its_cny_rent_as_published_when_that_row_is_the_cheapest()
    {
        var book = PriceFiles.Embedded;
        var cny = new CurrencyConverter(Currency.Cny, book.ExchangeRates);
        var withCny = book.Rent.Where(r => r.PerDeviceHour.Currency == Currency.Cny).Select(r => r.Hardware).Distinct().ToList();
        Assert.True(withCny.Count >= 5, $"{withCny.Count} devices with CNY rent");
        foreach (var id in withCny)
        {
            var chosen = PriceSelection.CheapestRent(book, id, cny)!;
            var cheapestCny = book.RentsFor(id, RentTerm.OnDemand).Where(r => r.PerDeviceHour.Currency == Currency.Cny).Min(r => r.PerDeviceHour.Amount);
            Assert.True(chosen.PerDeviceHour.Amount <= cheapestCny, id);
            var row = book.RentsFor(id, RentTerm.OnDemand).Single(r => r.Provider == chosen.Provider);
            if (row.PerDeviceHour.Currency == Currency.Cny)
            {
                Assert.Equal(row.PerDeviceHour, chosen.PerDeviceHour);
            }
        }
        // 算家云's RTX 5090 at 2.68 CNY per GPU-hour (same index, 7 sellers) is the card's only rent row.
        Assert.Equal(new Money(2.68m, Currency.Cny), PriceSelection.CheapestRent(book, "nvidia-rtx-5090", cny)!.PerDeviceHour);
        // The H20 has CNY rent only: a CNY plan bills UCloud Compshare's 7.5 CNY per device-hour, unconverted.
        var selected = PriceSelection.Resolve([CatalogFiles.Embedded.Device("h20")], book, Currency.Cny, null, new DateOnly(2026, 12, 5));
        Assert.Equal(new Money(7.5m, Currency.Cny), selected.Devices["nvidia-h20-96gb"].Rent!.PerDeviceHour);
        Assert.Contains(selected.Findings, f => f.Code == "rent-used" && f.Message.Contains("7.50 CNY", StringComparison.Ordinal));
    }

    [Fact]
    public void Newer_hyperscaler_and_neocloud_rows_replace_their_older_ones_and_the_2024_google_h100_price_leaves_the_refresh_list()
    {
        var book = PriceFiles.Embedded;
        var today = new DateOnly(2026, 12, 5);
        // a3-highgpu-1g in us-central1: 10.9791 USD on 2026-09-26 (GPU 5.8632 plus 26 vCPU and 234 GiB) replaces 11.0612 of 2024-11-07.
        var google = Assert.Single(book.RentsFor("nvidia-h100-sxm5-80gb", RentTerm.OnDemand), r => r.Provider == "Google Cloud");
        Assert.Equal((10.9791m, new DateOnly(2026, 9, 26)), (google.PerDeviceHour.Amount, google.Provenance.Date));
        var stale = book.StaleEntries(today).Select(e => e.Name).ToList();
        Assert.DoesNotContain("Google Cloud nvidia-h100-sxm5-80gb (on-demand)", stale);
        // Its 2024 committed-use rows have no newer copy, so they still need refreshing.
        Assert.Contains("Google Cloud nvidia-h100-sxm5-80gb (reserved-3y)", stale);
        Assert.Contains(book.KeptAsHistory(today), e => e.Name == "Google Cloud nvidia-h100-sxm5-80gb (on-demand)");
        // Nebius's prices effective 2026-10-01: H100 3.85 -> 4.50, H200 4.50 -> 5.40, B200 7.15 -> 8.50, B300 7.85 -> 9.50 USD.
        decimal Nebius(string id) => Assert.Single(book.RentsFor(id, RentTerm.OnDemand), r => r.Provider == "Nebius").PerDeviceHour.Amount;
        Assert.Equal([4.50m, 5.40m, 8.50m, 9.50m],
            new[] { "nvidia-h100-sxm5-80gb", "nvidia-h200-sxm-141gb", "nvidia-b200-sxm", "nvidia-b300-sxm" }.Select(Nebius).ToArray());
        // B300 had no rent row; Hyperstack's 7.40 USD (2026-08-26) is now the cheapest of its two.
        var usd = new CurrencyConverter(Currency.Usd, book.ExchangeRates);
        var b300 = PriceSelection.CheapestRent(book, "nvidia-b300-sxm", usd)!;
        Assert.Equal(("Hyperstack", 7.40m), (b300.Provider, b300.PerDeviceHour.Amount));
        // Google's H200 spot price (6.2607) is below its on-demand price (10.4365) on the same snapshot day.
        var h200 = book.RentsFor("nvidia-h200-sxm-141gb").Where(r => r.Provider == "Google Cloud").ToDictionary(r => r.Term, r => r.PerDeviceHour.Amount);
        Assert.True(h200[RentTerm.Spot] < h200[RentTerm.OnDemand]);
    }

    [Fact]
    public void Late_2026_google_and_openai_rows_price_an_api_month_and_none_is_stale_on_2026_12_05()
    {
        var book = PriceFiles.Embedded;
        var today = new DateOnly(2026, 12, 5);
        var flash = book.ApiPrice("Google/gemini-3.8-flash");
        // 1,000,000 requests of 500 in / 200 out tokens: 500 Mtok x 0.75 + 200 Mtok x 3.75 = 375 + 750 = 1,125 USD a month.
        Assert.Equal(1125m, CostModel.Api(flash, new MonthlyVolume(1e6, 500, 200)).PerMonth.Amount);
        // GPT-5.4 nano at 0.20 / 1.25: 100 + 250 = 350 USD for the same month.
        Assert.Equal(350m, CostModel.Api(book.ApiPrice("OpenAI/gpt-5.4-nano"), new MonthlyVolume(1e6, 500, 200)).PerMonth.Amount);
        var stale = book.StaleEntries(today).Select(e => e.Name).ToHashSet();
        Assert.All(new[] { "Google/gemini-3.8-flash", "Google/gemini-3.1-pro-preview", "OpenAI/gpt-5.4-mini" }, n => Assert.DoesNotContain(n, stale));
    }

    [Fact]
    public void Prices_checked_against_official_pages_on_2026_10_03_replace_older_rows_of_the_same_name_which_price_no_more()
    {
        var book = PriceFiles.Embedded;
        // Mistral Small 4: 0.1 / 0.3 USD in a June 2026 guide, 0.15 / 0.6 on Mistral's page on 2026-10-03. The name, with or
        // without the provider, prices at the newest row; the June row stays in the book as history.
        foreach (var name in new[] { "Mistral AI/mistral-small-4", "mistral-small-4" })
        {
            var small = book.ApiPrice(name);
            Assert.Equal((0.15m, 0.6m, new DateOnly(2026, 10, 3)), (small.InputPerMillion.Amount, small.OutputPerMillion.Amount, small.Provenance.Date));
        }
        Assert.Equal(2, book.Api.Count(a => a.Name == "Mistral AI/mistral-small-4"));
        var later = new DateOnly(2027, 7, 1);
        Assert.Contains(book.KeptAsHistory(later), k => k.Name == "Mistral AI/mistral-small-4" && k.Provenance.Date == new DateOnly(2026, 6, 1));
        Assert.DoesNotContain("Mistral AI/mistral-small-4", book.StaleEntries(later).Select(e => e.Name));
        // 1,000,000 requests of 500 in / 200 out tokens in CNY: GLM-5.3 500 x 8 + 200 x 28 = 9,600; Kimi K3 500 x 20 + 200 x 100 = 30,000.
        var month = new MonthlyVolume(1e6, 500, 200);
        Assert.Equal(new Money(9600m, Currency.Cny), CostModel.Api(book.ApiPrice("Zhipu AI (BigModel)/glm-5.3"), month).PerMonth);
        Assert.Equal(new Money(30000m, Currency.Cny), CostModel.Api(book.ApiPrice("Moonshot AI/kimi-k3 (CNY)"), month).PerMonth);
        // None of the new rows is stale on 2026-12-05.
        var stale = book.StaleEntries(new DateOnly(2026, 12, 5)).Select(e => e.Name).ToHashSet();
        Assert.All(new[] { "OpenAI/gpt-6.1-sol", "Anthropic/claude-opus-5.5", "Alibaba Cloud (Model Studio)/qwen3.7-max", "Moonshot AI/kimi-k2.6" },
            n => Assert.DoesNotContain(n, stale));
    }
}
