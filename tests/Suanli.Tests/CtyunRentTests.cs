using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// China Telecom Cloud's (CTyun) GPU price overview of 2026-06-05, in CNY: on-demand rent of NVIDIA, Ascend and Cambricon
/// instances, and 1- and 3-year subscriptions as the monthly price times the published discount over 730 hours.
/// </summary>
public class CtyunRentTests
{
    private const string Provider = "China Telecom Cloud (CTyun)";
    private const string Source = "https://www.ctyun.cn/document/10029787/10047957";

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);

    private static Money Row(string hardware, RentTerm term) =>
        PriceFiles.Embedded.RentsFor(hardware, term).Single(r => r.Provider == Provider).PerDeviceHour;

    [Fact]
    public void Every_ctyun_row_names_a_catalog_device_is_in_cny_and_is_sourced_and_dated_to_the_page_update()
    {
        var rows = PriceFiles.Embedded.Rent.Where(r => r.Provider == Provider).ToList();
        Assert.Equal(15, rows.Count);
        var devices = CatalogFiles.Embedded.Devices.Select(d => d.Id).ToHashSet();
        Assert.All(rows, r =>
        {
            Assert.Contains(r.Hardware, devices);
            Assert.Equal(Currency.Cny, r.PerDeviceHour.Currency);
            Assert.Equal((Source, new DateOnly(2026, 6, 5)), (r.Provenance.Source, r.Provenance.Date));
        });
        // Nine devices on demand; the A100 40GB, T4 and Ascend 910B also for 1 and 3 years.
        Assert.Equal(9, rows.Count(r => r.Term == RentTerm.OnDemand));
        Assert.Equal(["huawei-ascend-910b", "nvidia-a100-sxm4-40gb", "nvidia-t4"],
            rows.Where(r => r.Term != RentTerm.OnDemand).Select(r => r.Hardware).Distinct().Order(StringComparer.Ordinal).ToArray());
        // Dated 2026-06-05, none is stale on 2026-12-07 (185 days), nor a year after the page's update.
        var stale = PriceFiles.Embedded.StaleEntries(new DateOnly(2026, 12, 7)).Select(e => e.Name).ToList();
        Assert.DoesNotContain(stale, n => n.Contains("CTyun", StringComparison.Ordinal));
    }

    [Fact]
    public void On_demand_rows_are_the_published_instance_hour_of_a_one_accelerator_instance()
    {
        // pak3.4xlarge.8 (one Ascend 910B), p8a.6xlarge.4 (one A100 40GB), pn8i.4xlarge.8 (one L20), pch1.4xlarge.4 (one MLU370-S4).
        Assert.Equal(Cny(38.45m), Row("huawei-ascend-910b", RentTerm.OnDemand));
        Assert.Equal(Cny(21.31m), Row("nvidia-a100-sxm4-40gb", RentTerm.OnDemand));
        Assert.Equal(Cny(15.72m), Row("nvidia-l20", RentTerm.OnDemand));
        Assert.Equal(Cny(13.00m), Row("cambricon-mlu370-s4", RentTerm.OnDemand));
        Assert.Equal(Cny(13.59m), Row("huawei-atlas-300i-duo", RentTerm.OnDemand));
    }

    [Theory]
    // Monthly price x discount / 730 hours: NVIDIA families 85% for 1 year and 50% for 3; domestic accelerators 85% for 1 to 3 years.
    [InlineData("nvidia-a100-sxm4-40gb", "10229.09", "0.85", "0.50")]
    [InlineData("nvidia-t4", "3515", "0.85", "0.50")]
    [InlineData("huawei-ascend-910b", "18454", "0.85", "0.85")]
    public void Subscription_rows_are_the_monthly_price_times_the_published_discount_over_730_hours(string hardware, string monthly, string oneYear, string threeYears)
    {
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Cny(decimal.Round(D(monthly) * D(oneYear) / 730m, 4)), Row(hardware, RentTerm.Reserved1Y));
        Assert.Equal(Cny(decimal.Round(D(monthly) * D(threeYears) / 730m, 4)), Row(hardware, RentTerm.Reserved3Y));
        // Each term costs less per hour than on demand.
        Assert.True(Row(hardware, RentTerm.Reserved1Y) < Row(hardware, RentTerm.OnDemand));
    }

    [Fact]
    public void The_ctyun_a100_terms_undercut_aws_chinas_and_the_cheaper_t4_terms_stay_with_aws_china()
    {
        // The 1-year row as docs/catalog.md quotes it in its worked plan (1 A100 40GB x 730 h x 11.9106 CNY / 6.9858).
        var oneYear = Row("nvidia-a100-sxm4-40gb", RentTerm.Reserved1Y);
        Assert.Equal("11.9106 CNY", $"{oneYear.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {oneYear.Currency}");
        var book = PriceFiles.Embedded;
        var cny = new CurrencyConverter(Currency.Cny, book.ExchangeRates);
        // 11.9106 and 7.0062 CNY against AWS China's 13.7002 and 9.2255 for the A100 40GB.
        Assert.Equal(Provider, PriceSelection.CheapestRent(book, "nvidia-a100-sxm4-40gb", cny, RentTerm.Reserved1Y)!.Provider);
        Assert.Equal(Provider, PriceSelection.CheapestRent(book, "nvidia-a100-sxm4-40gb", cny, RentTerm.Reserved3Y)!.Provider);
        // 4.0928 and 2.4075 CNY against AWS China's 2.338 and 1.603 for the T4.
        Assert.Equal("AWS China (Ningxia)", PriceSelection.CheapestRent(book, "nvidia-t4", cny, RentTerm.Reserved1Y)!.Provider);
        Assert.Equal("AWS China (Ningxia)", PriceSelection.CheapestRent(book, "nvidia-t4", cny, RentTerm.Reserved3Y)!.Provider);
        // The Ascend 910B had no rent before: CTyun's on-demand row is now its price.
        Assert.Equal(Cny(38.45m), PriceSelection.CheapestRent(book, "huawei-ascend-910b", cny)!.PerDeviceHour);
    }
}
