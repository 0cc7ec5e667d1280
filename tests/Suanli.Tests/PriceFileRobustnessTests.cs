using Spectre.Console.Testing;
using Suanli.Cli;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// User price files and scenarios written the way people write them: a row dated in the future (a year typed wrong),
/// an amount past what money can hold, and YAML merge keys that share a row's fields with the next.
/// </summary>
public class PriceFileRobustnessTests
{
    private const string Rent = "rent:\n  - {provider: X, hardware: nvidia-t4, per_device_hour: \"0.5 USD\", term: on-demand, source: s, date: DATE}\n";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    [Fact]
    public void A_price_dated_after_today_is_refused_at_its_date_in_english_and_chinese()
    {
        var today = new DateOnly(2026, 12, 6);
        var ex = Assert.Throws<InputException>(() => PriceFiles.Read(Rent.Replace("DATE", "2027-05-01", StringComparison.Ordinal), "p.yaml", CatalogFiles.Embedded, today));
        Assert.Equal("price-dated-in-future", ex.Text?.Key);
        Assert.Equal(new SourceLocation("p.yaml", 2, 102), ex.Location);
        Assert.Equal("'rent[0].date' is 2027-05-01, after today (2026-12-06); a price is dated the day it was published or read. Check the year, or write the day you read it.", ex.Detail);
        Assert.Equal("'rent[0].date' 为 2027-05-01，晚于今天（2026-12-06）；价格的日期是它发布或被读取的那一天。请检查年份，或写上你读取它的日期。",
            ex.Text!.Render(Languages.Chinese, FieldNames.Core));
        // Today itself is not in the future, and without a day (the catalog's own files) nothing is checked.
        Assert.Single(PriceFiles.Read(Rent.Replace("DATE", "2026-12-06", StringComparison.Ordinal), "p.yaml", CatalogFiles.Embedded, today).Rent);
        Assert.Single(PriceFiles.Read(Rent.Replace("DATE", "2027-05-01", StringComparison.Ordinal), "p.yaml", CatalogFiles.Embedded).Rent);
    }

    [Fact]
    public void Compare_judges_a_price_files_dates_by_the_clock_it_is_given()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-prices-").FullName, "p.yaml");
        File.WriteAllText(path, Rent.Replace("DATE", "2027-05-01", StringComparison.Ordinal));
        string[] args = ["compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b", "--hardware", "nvidia-t4", "--self-host", "rent", "--prices", path];
        int Run(DateTimeOffset now, StringWriter err) => SuanliCli.Run(args, new TestConsole().Width(160), new StringWriter(), err, clock: new FixedClock(now));
        var refused = new StringWriter();
        Assert.Equal(2, Run(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero), refused));
        Assert.StartsWith($"error: {path}:2:102: 'rent[0].date' is 2027-05-01, after today (2026-12-06)", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, Run(new DateTimeOffset(2027, 5, 1, 12, 0, 0, TimeSpan.Zero), new StringWriter()));
    }

    [Theory]
    [InlineData("1e300 USD")]
    [InlineData("8e27 USD")]
    [InlineData("1e29 CNY")]
    public void An_amount_past_the_largest_is_out_of_range_with_the_limit_not_not_an_amount(string text)
    {
        var ex = Assert.Throws<InputException>(() => PriceFiles.Read(Rent.Replace("\"0.5 USD\"", $"\"{text}\"", StringComparison.Ordinal).Replace("DATE", "2026-01-01", StringComparison.Ordinal), "p.yaml"));
        Assert.Equal("money-out-of-range", ex.Text?.Key);
        Assert.Equal("p.yaml", ex.Location?.File);
        Assert.Equal(2, ex.Location?.Line);
        Assert.Equal($"per_device_hour: '{text}' is out of range: an amount of money is at most 7.9e27; check the exponent or the digits.", ex.Detail);
        Assert.Equal($"per_device_hour：'{text}' 超出范围：金额至多为 7.9e27；请检查指数或位数。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
        // The largest amount itself is still money, and a word is still "not an amount".
        Assert.Equal(7.9e27m, QuantityText.ParseMoney("7.9e27 USD", "price").Amount);
        Assert.Equal("money-not-an-amount", Assert.Throws<InputException>(() => QuantityText.ParseMoney("1e3e3 USD", "price")).Text?.Key);
    }

    [Fact]
    public void A_merge_key_copies_a_rows_fields_and_the_rows_own_keys_win()
    {
        var book = PriceFiles.Read("""
            rent:
              - &base {provider: X, hardware: nvidia-t4, per_device_hour: "0.5 USD", term: on-demand, source: s, date: 2026-01-01}
              - {<<: *base, term: reserved-1y, per_device_hour: "0.3 USD"}
            """, "p.yaml", CatalogFiles.Embedded);
        Assert.Equal(2, book.Rent.Count);
        var reserved = book.Rent[1];
        Assert.Equal(("X", "nvidia-t4", 0.3m, RentTerm.Reserved1Y, new DateOnly(2026, 1, 1)),
            (reserved.Provider, reserved.Hardware, reserved.PerDeviceHour.Amount, reserved.Term, reserved.Provenance.Date));
    }

    [Fact]
    public void A_scenario_application_merged_from_another_keeps_its_fields_and_overrides_its_own()
    {
        var scenario = ScenarioFile.Parse("""
            hardware: h100
            applications:
              - &chat
                name: kb
                model: qwen2.5-7b-instruct
                peak_concurrency: 5
                input_tokens: 1000
                output_tokens: 200
              - <<: *chat
                name: kb-long
                output_tokens: 400
            """, "s.yaml", CatalogFiles.Embedded);
        Assert.Equal(["kb", "kb-long"], scenario.Applications.Select(a => a.Name));
        var merged = scenario.Applications[1];
        Assert.Equal((1000.0, 400.0, 5.0), (merged.InputTokens, merged.OutputTokens, merged.Peak));
        Assert.Equal(scenario.Applications[0].Models[0].Id, merged.Models[0].Id);
    }

    [Fact]
    public void A_merge_key_that_names_no_mapping_is_refused_at_its_line_and_a_merged_typo_at_the_line_it_was_written()
    {
        var ex = Assert.Throws<InputException>(() => PriceFiles.Read("rent:\n  - provider: X\n    <<: 5\n", "p.yaml"));
        Assert.Equal("yaml-merge-not-mapping", ex.Text?.Key);
        Assert.Equal(new SourceLocation("p.yaml", 3, 9), ex.Location);
        Assert.StartsWith("'rent[0].<<' (a YAML merge key) must name a mapping", ex.Detail, StringComparison.Ordinal);
        Assert.StartsWith("'rent[0].<<'（YAML 合并键）必须指向一个映射", ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
        var typo = Assert.Throws<InputException>(() => PriceFiles.Read("""
            rent:
              - &base {provider: X, hardware: nvidia-t4, per_device_hour: "0.5 USD", term: on-demand, source: s, date: 2026-01-01, tearm: x}
              - {<<: *base, term: reserved-1y}
            """, "p.yaml"));
        Assert.Contains("Unknown key 'rent[0].tearm'", typo.Message, StringComparison.Ordinal);
        Assert.Equal(2, typo.Location?.Line);
    }

    [Fact]
    public void A_mapping_that_merges_itself_is_refused_rather_than_expanded_without_end()
    {
        var ex = Assert.ThrowsAny<InputException>(() => PriceFiles.Read("rent:\n  - &row {provider: X, <<: *row}\n", "p.yaml"));
        Assert.Equal("p.yaml", ex.Location?.File);
        Assert.Equal(2, ex.Location?.Line);
    }
}
