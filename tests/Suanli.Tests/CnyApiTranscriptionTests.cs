using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

/// <summary>The CNY API rows transcribed from records of 2026-10-03: each bills as published.</summary>
public class CnyApiTranscriptionTests
{
    [Fact]
    public void Minimax_m3_and_doubao_seed_2_1_pro_bill_their_cny_transcriptions_as_published_and_m3_compares_against_its_open_model()
    {
        var book = PriceFiles.Embedded;
        // MiniMax's domestic platform, <= 512K input: 2.1 / 8.4 CNY per Mtok, cache read 0.42 (record of 2026-10-03).
        var m3 = book.ApiPrice("MiniMax/MiniMax-M3 (CNY)");
        Assert.Equal((2.1m, 8.4m, 0.42m, new DateOnly(2026, 10, 3)),
            (m3.InputPerMillion.Amount, m3.OutputPerMillion.Amount, m3.CachedInputPerMillion!.Value.Amount, m3.Provenance.Date));
        Assert.Equal(Currency.Cny, m3.InputPerMillion.Currency);
        Assert.Equal("minimax-m3", m3.QualityModel);
        // The international USD row stays the price of the bare name: the CNY row has its own name.
        Assert.Equal(Currency.Usd, book.ApiPrice("MiniMax/MiniMax-M3").InputPerMillion.Currency);
        // 1,000,000 requests of 500 in / 200 out tokens: M3 500 x 2.1 + 200 x 8.4 = 2,730 CNY; Seed 2.1 Pro 500 x 6 + 200 x 30 = 9,000 CNY.
        var month = new MonthlyVolume(1e6, 500, 200);
        Assert.Equal(new Money(2730m, Currency.Cny), CostModel.Api(m3, month).PerMonth);
        Assert.Equal(new Money(9000m, Currency.Cny), CostModel.Api(book.ApiPrice("ByteDance (Volcano Engine)/doubao-seed-2.1-pro"), month).PerMonth);
        // Neither row is stale on 2026-12-07.
        var stale = book.StaleEntries(new DateOnly(2026, 12, 7)).Select(e => e.Name).ToHashSet();
        Assert.DoesNotContain("MiniMax/MiniMax-M3 (CNY)", stale);
        Assert.DoesNotContain("ByteDance (Volcano Engine)/doubao-seed-2.1-pro", stale);
    }

    [Fact]
    public void The_newest_qwen_and_ernie_cny_rows_of_2026_10_03_price_as_transcribed_with_their_base_tier()
    {
        var book = PriceFiles.Embedded;
        // Base tiers as the record gives them (CNY per Mtok): Qwen3.8-Max 12 / 36 (cache 1.5), Qwen3.7-Plus 2 / 8 up to 256K,
        // ERNIE 5.0 thinking 6 / 24 up to 32K; the longer-input tiers are in the rows' notes, not priced.
        var max = book.ApiPrice("Alibaba Cloud (Model Studio)/qwen3.8-max");
        Assert.Equal((12m, 36m, 1.5m), (max.InputPerMillion.Amount, max.OutputPerMillion.Amount, max.CachedInputPerMillion!.Value.Amount));
        var plus = book.ApiPrice("Alibaba Cloud (Model Studio)/qwen3.7-plus");
        Assert.Equal((2m, 8m), (plus.InputPerMillion.Amount, plus.OutputPerMillion.Amount));
        Assert.Null(plus.CachedInputPerMillion);
        var ernie = book.ApiPrice("Baidu (Qianfan)/ernie-5.0-thinking-latest");
        Assert.Equal((6m, 24m, Currency.Cny), (ernie.InputPerMillion.Amount, ernie.OutputPerMillion.Amount, ernie.OutputPerMillion.Currency));
        // 1,000,000 requests of 500 in / 200 out tokens: 500 x 12 + 200 x 36 = 13,200 CNY; 500 x 2 + 200 x 8 = 2,600; 500 x 6 + 200 x 24 = 7,800.
        var month = new MonthlyVolume(1e6, 500, 200);
        Assert.Equal(new Money(13200m, Currency.Cny), CostModel.Api(max, month).PerMonth);
        Assert.Equal(new Money(2600m, Currency.Cny), CostModel.Api(plus, month).PerMonth);
        Assert.Equal(new Money(7800m, Currency.Cny), CostModel.Api(ernie, month).PerMonth);
        // The 2026-04-25 ernie-5.0 row is another name, so it stays in use and neither is history.
        Assert.Equal(new DateOnly(2026, 4, 25), book.ApiPrice("Baidu (Qianfan)/ernie-5.0").Provenance.Date);
    }
}
