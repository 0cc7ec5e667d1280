using System.Globalization;
using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

public partial class BrowserTests
{
    [Fact]
    public async Task The_search_panel_lists_the_cheapest_deployments_with_their_engine_command_lines_to_copy_and_why_the_others_were_rejected()
    {
        var page = await f.OpenAsync("?currency=CNY&timeZone=UTC");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = f.App.BaseUrl });
        await BrowserFixture.ShowPanel(page, "panel-pareto");

        const string scenario = "model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&timeZone=UTC&currency=CNY";
        var app = (await f.ApiAsync("/api/plan/search?" + scenario + "&candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50")).GetProperty("applications")[0];
        // The search's cheapest, then the rest of its frontier, at most five.
        var cheapest = app.GetProperty("cheapest");
        var others = app.GetProperty("frontier").EnumerateArray().Count(x => x.GetProperty("deployment").GetProperty("commandLine").GetString() != cheapest.GetProperty("deployment").GetProperty("commandLine").GetString());
        var items = page.Locator("#pareto-top > li");
        Assert.Equal(Math.Min(1 + others, 5), await items.CountAsync());

        // The first is the search's cheapest, with its cost, basis and the command line that runs it.
        var first = await items.Nth(0).InnerTextAsync();
        output.WriteLine(first);
        var cost = cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal();
        Assert.StartsWith($"{cheapest.GetProperty("deployment").GetProperty("model").GetString()} {cheapest.GetProperty("deployment").GetProperty("precision").GetString()} on {cheapest.GetProperty("fleet").GetProperty("devices").GetInt32()} × {cheapest.GetProperty("deployment").GetProperty("hardware").GetString()}: ¥{cost.ToString("N0", CultureInfo.InvariantCulture)} per month ({(cheapest.GetProperty("cost").GetProperty("basis").GetString() == "own" ? "Own" : "Rent")})",
            first, StringComparison.Ordinal);
        var command = cheapest.GetProperty("deployment").GetProperty("commandLine").GetString()!;
        Assert.StartsWith("vllm serve ", command, StringComparison.Ordinal);
        Assert.Equal(command, await items.Nth(0).Locator("code").InnerTextAsync());

        await items.Nth(0).Locator("button.copy").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#pareto-top button.copy').textContent !== 'Copy'");
        Assert.Equal("Copied", await items.Nth(0).Locator("button.copy").InnerTextAsync());
        Assert.Equal(command, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // Every rejected family with the search's reason and its candidates, or a line saying none was.
        var rejected = app.GetProperty("rejected").EnumerateArray().ToList();
        var lines = await page.Locator("#pareto-rejected > li").AllInnerTextsAsync();
        output.WriteLine(string.Join("\n", lines));
        if (rejected.Count == 0)
        {
            Assert.Equal(["No candidate was rejected."], lines);
        }
        else
        {
            Assert.Equal(rejected.Select(r => $"{r.GetProperty("family").GetString()}: {r.GetProperty("reason").GetString()} ({r.GetProperty("candidates").GetInt64().ToString("N0", CultureInfo.InvariantCulture)} candidates)"), lines);
        }
        await page.Locator("#panel-pareto").ScreenshotAsync(new() { Path = Shot("pareto-deployments.png") });
    }
}
