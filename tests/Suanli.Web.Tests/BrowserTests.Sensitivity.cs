using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Browser tests of the sensitivity panel when a moved assumption cannot be served.</summary>
public partial class BrowserTests
{
    [Fact]
    public async Task A_sensitivity_move_the_plan_cannot_serve_is_the_panels_message_not_an_error_on_the_target_field()
    {
        // DeepSeek-V3.2 for 300 concurrent users with 32k prompts on Ascend 910C: the plan meets the 2 s TTFT target, but
        // the sensitivity's longer prompts (x1.25) cannot meet it. The panel answered 500; then its 400 named the TTFT
        // target, so the page put it beside the TTFT field and in the summary bar as if the plan as asked failed.
        var page = await f.OpenAsync("?lang=zh&currency=CNY&model=DeepSeek-V3.2&hardware=huawei-ascend-910c&peak=300&prompt=32k");
        await page.Locator("#panel-sensitivity").ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync("#panel-sensitivity[data-state='error']", new() { Timeout = 120_000 });
        await BrowserFixture.Ready(page);
        Assert.StartsWith("将提示长度按（x0.75 / x1.25）调整后，方案无法提供服务", await page.InnerTextAsync("#sensitivity-error"), StringComparison.Ordinal);
        Assert.Null(await page.GetAttributeAsync("#f-ttft", "aria-invalid"));
        Assert.Equal("", await page.InnerTextAsync("[data-error-for='ttft']"));
        Assert.True(await page.IsHiddenAsync("#plan-alert"));
        // The fleet panel shows the plan as asked.
        Assert.Equal("ready", await page.GetAttributeAsync("#panel-fleet", "data-state"));
    }
}
