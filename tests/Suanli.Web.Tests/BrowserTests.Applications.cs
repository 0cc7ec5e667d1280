using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The page's scenario with more than one application: every plan panel is a view of the same posted scenario's plan.</summary>
public partial class BrowserTests
{
    [Fact]
    public async Task A_second_application_is_planned_with_the_first_as_one_scenario_and_every_plan_panel_shows_that_plans_numbers()
    {
        var page = await f.OpenAsync("?currency=CNY&timeZone=UTC");
        await page.ClickAsync("#add-app");
        // The new block starts as a copy of the form's application; this one is a long-prompt batch job, all day.
        await page.FillAsync("#f-app2-peak", "20");
        await page.FillAsync("#f-app2-prompt", "4096");
        await page.FillAsync("#f-app2-output", "64");
        await page.SelectOptionAsync("#f-app2-profile", "flat");
        await page.FillAsync("#f-app2-ttft", "4");
        await BrowserFixture.Ready(page);
        foreach (var panel in Plan)
        {
            await BrowserFixture.ShowPanel(page, "panel-" + panel);
        }
        Assert.Equal(0, await page.Locator(".panel.stale").CountAsync());

        // The scenario file of docs/scenario.md that the page posts: both applications on the form's model and hardware.
        var scenario = $$"""
            {"name": "qwen2.5-7b-instruct on nvidia-h100-sxm5-80gb", "currency": "CNY", "time_zone": "UTC", "hardware": "nvidia-h100-sxm5-80gb",
             "applications": [
              {"name": "application-1", "model": "qwen2.5-7b-instruct", "precision": "bf16", "engine": "vllm", "peak_concurrency": 50, "input_tokens": 1024,
               "output_tokens": 256, "targets": {"ttft_p90_s": 2, "tpot_p90_s": 0.1}, "profile": "office-hours"},
              {"name": "application-2", "model": "qwen2.5-7b-instruct", "precision": "bf16", "engine": "vllm", "peak_concurrency": 20, "input_tokens": 4096,
               "output_tokens": 64, "targets": {"ttft_p90_s": 4, "tpot_p90_s": 0.1}, "profile": "flat"}]}
            """;
        var plan = await PostAsync("/api/plan", scenario);
        Assert.Equal(2, plan.GetProperty("applications").GetArrayLength());
        var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
        var own = plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy).GetProperty("own").GetProperty("perMonth").GetDecimal();
        var cost = await page.InnerTextAsync("#cost-table tr[data-kind='own'] td.num");
        output.WriteLine($"two applications: own {cost}, plan {own}");
        Assert.Equal(Yuan(own), cost);
        // The hosted API is priced at one application's tokens: not compared for two.
        Assert.Equal(0, await page.Locator("#cost-table tr[data-kind='api']").CountAsync());

        var hours = await PostAsync("/api/plan/hours", scenario);
        Assert.StartsWith($"{hours.GetProperty("devicesPeak").GetInt32()} × nvidia-h100-sxm5-80gb ", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);
        var sensitivity = (await PostAsync("/api/plan/sensitivity", scenario)).GetProperty("sensitivity");
        Assert.StartsWith($"{sensitivity.GetProperty("devices").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} devices, {Yuan(sensitivity.GetProperty("costPerMonth").GetDecimal())} a month;",
            await page.InnerTextAsync("#sensitivity-summary"), StringComparison.Ordinal);
        Assert.StartsWith("The search plans one application", await page.InnerTextAsync("#pareto-summary"), StringComparison.Ordinal);

        // The plan differs from the form's application alone (the second one is planned, not ignored).
        var alone = await f.ApiAsync("/api/plan?model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&timeZone=UTC&currency=CNY");
        var aloneOwn = alone.GetProperty("costs").GetProperty("strategies").EnumerateArray()
            .Single(x => x.GetProperty("strategy").GetString() == alone.GetProperty("fleet").GetProperty("recommendedStrategy").GetString()).GetProperty("own").GetProperty("perMonth").GetDecimal();
        Assert.NotEqual(aloneOwn, own);

        // The report downloaded is that plan's, with both applications.
        var markdown = Encoding.UTF8.GetString(await DownloadAsync(page, "#download-md"));
        Assert.Contains("application-2", markdown, StringComparison.Ordinal);

        // The link holds the applications: opened again, the page shows the same block and the same cost.
        var again = await f.OpenAsync(page.Url[page.Url.IndexOf('?', StringComparison.Ordinal)..]);
        Assert.Equal("20", await again.InputValueAsync("#f-app2-peak"));
        Assert.Equal("flat", await again.InputValueAsync("#f-app2-profile"));
        await BrowserFixture.ShowPanel(again, "panel-cost");
        Assert.Equal(Yuan(own), await again.InnerTextAsync("#cost-table tr[data-kind='own'] td.num"));
        await again.CloseAsync();

        // Removed: back to the form's one application and its plan.
        await page.ClickAsync("button.remove-app");
        await BrowserFixture.Ready(page);
        Assert.Equal(0, await page.Locator("#apps fieldset").CountAsync());
        await page.Locator("#panel-cost").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.Ready(page);
        Assert.Equal(Yuan(aloneOwn), await page.InnerTextAsync("#cost-table tr[data-kind='own'] td.num"));
        Assert.DoesNotContain("app=", page.Url, StringComparison.Ordinal);
        await page.CloseAsync();
    }

    private async Task<JsonElement> PostAsync(string path, string scenario)
    {
        using var client = f.App.CreateClient();
        using var response = await client.PostAsync(path, new StringContent(scenario, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    // moneyIn of the page (js/format.js) for CNY: whole yuan from 100 up, cents below.
    private static string Yuan(decimal amount) => "¥" + amount.ToString(Math.Abs(amount) < 100 ? "N2" : "N0", CultureInfo.InvariantCulture);
}
