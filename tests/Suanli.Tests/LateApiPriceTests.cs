using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// API rows of the late-2026 pass (catalog/prices/SOURCES.md, "next pass" after the twenty-sixth): StepFun's Step 3.7 and
/// 3.5 Flash in CNY and USD, DeepSeek's V4.1-Flash in CNY, Anthropic's 5.x rows with their cache reads and OpenAI's GPT-6
/// Luna and GPT-6.1 Terra. Each bills as published, the open models compare against their catalog entries, and none is stale.
/// </summary>
public class LateApiPriceTests
{
    private static readonly MonthlyVolume Month = new(1e6, 500, 200);

    [Fact]
    public void Step_3_7_flash_bills_its_cny_and_usd_list_prices_and_compares_against_its_open_model()
    {
        var book = PriceFiles.Embedded;
        // StepFun's domestic page (2026-10-07): 1.35 CNY in, 0.27 cache hit, 8.1 out per Mtok; international page: 0.20 / 0.04 / 1.15 USD.
        var cny = book.ApiPrice("StepFun/step-3.7-flash (CNY)");
        Assert.Equal((1.35m, 8.1m, 0.27m, Currency.Cny, new DateOnly(2026, 10, 7)),
            (cny.InputPerMillion.Amount, cny.OutputPerMillion.Amount, cny.CachedInputPerMillion!.Value.Amount, cny.InputPerMillion.Currency, cny.Provenance.Date));
        var usd = book.ApiPrice("step-3.7-flash");
        Assert.Equal((0.20m, 1.15m, 0.04m, Currency.Usd), (usd.InputPerMillion.Amount, usd.OutputPerMillion.Amount, usd.CachedInputPerMillion!.Value.Amount, usd.InputPerMillion.Currency));
        // Both name the open model the catalog carries, so `compare --api` sets it beside a self-hosted plan.
        Assert.All(new[] { cny, usd }, a => Assert.Equal("step-3.7-flash", a.QualityModel));
        Assert.True(CatalogFiles.Embedded.TryModel("step-3.7-flash", out _));
        // The cache hit is a fifth of the miss price in both currencies (StepFun's stated 80% discount).
        Assert.Equal(cny.InputPerMillion.Amount / 5, cny.CachedInputPerMillion!.Value.Amount);
        Assert.Equal(usd.InputPerMillion.Amount / 5, usd.CachedInputPerMillion!.Value.Amount);
        // 1,000,000 requests of 500 in / 200 out tokens: 500 x 1.35 + 200 x 8.1 = 2,295 CNY; with half the input a cache hit,
        // 250 x 1.35 + 250 x 0.27 + 1,620 = 2,025 CNY. Step 3.5 Flash: 500 x 0.7 + 200 x 2.1 = 770 CNY.
        Assert.Equal(new Money(2295m, Currency.Cny), CostModel.Api(cny, Month).PerMonth);
        Assert.Equal(new Money(2025m, Currency.Cny), CostModel.Api(cny, Month, cachedInputShare: 0.5).PerMonth);
        var step35 = book.ApiPrice("StepFun/step-3.5-flash (CNY)");
        Assert.Equal(new Money(770m, Currency.Cny), CostModel.Api(step35, Month).PerMonth);
        Assert.Equal("step-3.5-flash", step35.QualityModel);
    }

    [Fact]
    public void Deepseek_v4_1_flash_in_cny_holds_the_peak_price_that_the_usd_row_of_the_same_hours_also_holds()
    {
        var book = PriceFiles.Embedded;
        var cny = book.ApiPrice("DeepSeek/deepseek-flash (DeepSeek-V4.1-Flash, CNY, peak hours)");
        var usd = book.ApiPrice("DeepSeek/deepseek-flash (DeepSeek-V4.1-Flash, peak hours)");
        Assert.Equal((2m, 8m, 0.04m, Currency.Cny), (cny.InputPerMillion.Amount, cny.OutputPerMillion.Amount, cny.CachedInputPerMillion!.Value.Amount, cny.OutputPerMillion.Currency));
        // Both rows keep DeepSeek's output-to-input ratio of 4 (8 / 2 CNY, 1.20 / 0.30 USD); the CNY row is dated 2026-10-03.
        Assert.Equal(cny.OutputPerMillion.Amount / cny.InputPerMillion.Amount, usd.OutputPerMillion.Amount / usd.InputPerMillion.Amount);
        Assert.Equal(new DateOnly(2026, 10, 3), cny.Provenance.Date);
        // 500 x 2 + 200 x 8 = 2,600 CNY a month for 1,000,000 requests of 500 in / 200 out tokens at peak price.
        Assert.Equal(new Money(2600m, Currency.Cny), CostModel.Api(cny, Month).PerMonth);
    }

    [Fact]
    public void Anthropic_5_x_rows_of_2026_12_01_carry_their_cache_reads_and_replace_the_october_rows_without_one()
    {
        var book = PriceFiles.Embedded;
        // platform.claude.com as checked 2026-12-01: Opus 5.5 4 / 20 with 0.20 cache read; Sonnet 5.5 2 / 10 with 0.10 (cut
        // from 0.20 on 2026-10-07); Haiku 5.5 0.10 / 0.50 with 0.01 up to 100K-token prompts; Fable 5.2 8 / 40 with 0.20.
        var expected = new (string Name, decimal In, decimal Out, decimal Cached)[]
        {
            ("Anthropic/claude-opus-5.5", 4.00m, 20.00m, 0.20m), ("Anthropic/claude-sonnet-5.5", 2.00m, 10.00m, 0.10m),
            ("Anthropic/claude-haiku-5.5", 0.10m, 0.50m, 0.01m), ("Anthropic/claude-fable-5.2", 8.00m, 40.00m, 0.20m),
        };
        foreach (var (name, input, output, cached) in expected)
        {
            var a = book.ApiPrice(name);
            Assert.Equal((input, output, cached, new DateOnly(2026, 12, 1)),
                (a.InputPerMillion.Amount, a.OutputPerMillion.Amount, a.CachedInputPerMillion!.Value.Amount, a.Provenance.Date));
        }
        // The 2026-10-03 Opus and Sonnet rows (no checked cache price) stay in the book as history of the same name.
        Assert.Equal(2, book.Api.Count(a => a.Name == "Anthropic/claude-opus-5.5"));
        Assert.Contains(book.KeptAsHistory(new DateOnly(2027, 11, 1)), k => k.Name == "Anthropic/claude-sonnet-5.5" && k.Provenance.Date == new DateOnly(2026, 10, 3));
        // With 80% of the input a cache hit, 1,000,000 requests of 500 in / 200 out on Opus 5.5:
        // 100 x 4 + 400 x 0.20 + 200 x 20 = 400 + 80 + 4,000 = 4,480 USD (500 x 4 + 4,000 = 6,000 with every input token uncached).
        var opus = book.ApiPrice("Anthropic/claude-opus-5.5");
        Assert.Equal(new Money(4480m, Currency.Usd), CostModel.Api(opus, Month, cachedInputShare: 0.8).PerMonth);
        Assert.Equal(new Money(6000m, Currency.Usd), CostModel.Api(opus, Month).PerMonth);
    }

    [Fact]
    public void Gpt_6_luna_and_gpt_6_1_terra_bill_their_standard_rates_and_no_new_row_of_this_pass_is_stale()
    {
        var book = PriceFiles.Embedded;
        var terra = book.ApiPrice("OpenAI/gpt-6.1-terra");
        Assert.Equal((1.00m, 5.00m, 0.05m, new DateOnly(2026, 10, 26)),
            (terra.InputPerMillion.Amount, terra.OutputPerMillion.Amount, terra.CachedInputPerMillion!.Value.Amount, terra.Provenance.Date));
        var luna = book.ApiPrice("OpenAI/gpt-6-luna");
        Assert.Equal((0.10m, 0.50m, 0.01m), (luna.InputPerMillion.Amount, luna.OutputPerMillion.Amount, luna.CachedInputPerMillion!.Value.Amount));
        // 500 x 1 + 200 x 5 = 1,500 USD; 500 x 0.10 + 200 x 0.50 = 150 USD.
        Assert.Equal(new Money(1500m, Currency.Usd), CostModel.Api(terra, Month).PerMonth);
        Assert.Equal(new Money(150m, Currency.Usd), CostModel.Api(luna, Month).PerMonth);
        var stale = book.StaleEntries(new DateOnly(2026, 12, 7)).Select(e => e.Name).ToHashSet();
        Assert.All(new[]
        {
            "StepFun/step-3.7-flash", "StepFun/step-3.7-flash (CNY)", "StepFun/step-3.5-flash", "StepFun/step-3.5-flash (CNY)",
            "DeepSeek/deepseek-flash (DeepSeek-V4.1-Flash, CNY, peak hours)", "OpenAI/gpt-6.1-terra", "OpenAI/gpt-6-luna",
            "Anthropic/claude-opus-5.5", "Anthropic/claude-sonnet-5.5", "Anthropic/claude-haiku-5.5", "Anthropic/claude-fable-5.2",
        }, n => Assert.DoesNotContain(n, stale));
    }
}
