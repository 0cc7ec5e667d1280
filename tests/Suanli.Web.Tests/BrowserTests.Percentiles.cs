using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The percentile of each target in the form (issue 11): typed beside the target, sent as GET /api/plan's ttftPercentile, shown in the result.</summary>
public partial class BrowserTests
{
    [Theory]
    [InlineData("en", "First token target at percentile (90, 95, 99)")]
    [InlineData("zh", "首词元时延目标的百分位（90、95、99）")]
    public async Task A_p99_ttft_target_typed_in_the_form_reaches_the_results_targets_table_as_p99(string lang, string label)
    {
        var page = await f.OpenAsync($"?lang={lang}");
        Assert.Equal(label, await page.InnerTextAsync("label[for='f-ttftPercentile']"));
        Assert.Equal("90", await page.InputValueAsync("#f-ttftPercentile"));
        await page.FillAsync("#f-ttftPercentile", "99");
        await BrowserFixture.ShowPanel(page, "panel-cost");
        Assert.Contains("ttftPercentile=99", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".panel.stale").CountAsync());
        // The plan checked the 2 s TTFT target at p99 and the 0.1 s TPOT target at p90, as its targets table says.
        var ttft = page.Locator("#cost-targets tr[data-metric='ttft'] td");
        Assert.Equal(["TTFT", "p99"], (await ttft.AllInnerTextsAsync()).Skip(1).Take(2));
        var tpot = page.Locator("#cost-targets tr[data-metric='tpot'] td");
        Assert.Equal(["TPOT", "p90"], (await tpot.AllInnerTextsAsync()).Skip(1).Take(2));
    }
}
