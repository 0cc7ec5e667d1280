using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Browser tests of the sensitivity panel when a moved assumption cannot be served.</summary>
public partial class BrowserTests
{
    [Fact]
    public async Task A_sensitivity_move_the_plan_cannot_serve_is_a_line_of_the_panel_beside_the_chart_of_the_others()
    {
        // DeepSeek-V3.2 for 300 concurrent users with 32k prompts on Ascend 910C: the plan meets the 2 s TTFT target, but
        // the sensitivity's longer prompts (x1.25) cannot meet it. The panel answered 500, then a 400 for the whole
        // table; now the other moves are drawn and that one is listed with the reason, in the page's language.
        var page = await f.OpenAsync("?lang=zh&currency=CNY&model=DeepSeek-V3.2&hardware=huawei-ascend-910c&peak=300&prompt=32k");
        await page.Locator("#panel-sensitivity").ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync("#panel-sensitivity[data-state='ready']", new() { Timeout = 120_000 });
        await BrowserFixture.Ready(page);
        // The longer prompt, and the tighter targets (TTFT 1.5 s), in the order of the table.
        var unserved = page.Locator("#sensitivity-unserved li");
        Assert.Equal(2, await unserved.CountAsync());
        Assert.Equal("up", await unserved.First.GetAttributeAsync("data-end"));
        Assert.Equal("down", await unserved.Nth(1).GetAttributeAsync("data-end"));
        Assert.StartsWith("延迟目标下调", await unserved.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        var text = await unserved.First.InnerTextAsync();
        Assert.StartsWith("提示长度上调（x0.75 / x1.25）：此调整下无法服务。应用 'deepseek-v3.2-exp' 无法按要求提供服务", text, StringComparison.Ordinal);
        Assert.Contains("TTFT 目标 2.00 s", text, StringComparison.Ordinal);
        // The headline names the move with the largest swing among those served; no error, no field marked, no summary bar.
        Assert.Contains("影响最大的是", await page.InnerTextAsync("#sensitivity-summary"), StringComparison.Ordinal);
        Assert.Equal("", await page.InnerTextAsync("#sensitivity-error"));
        Assert.Null(await page.GetAttributeAsync("#f-ttft", "aria-invalid"));
        Assert.True(await page.IsHiddenAsync("#plan-alert"));
        Assert.Equal("ready", await page.GetAttributeAsync("#panel-fleet", "data-state"));
    }
}
