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
        // The plan request the page posts once the second application is filled in (the cost panel's).
        var posted = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Method == "POST" && r.Url.Contains("/api/plan?", StringComparison.Ordinal) && r.PostData is { } body)
            {
                posted.Add(body);
            }
        };
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

        // The scenario file of docs/scenario.md that the page posts: both applications on the form's model and hardware
        // (the file the search tests post).
        var scenario = ScenarioSearchTests.TwoApplications;
        var plan = await PostAsync("/api/plan", scenario);
        Assert.Equal(2, plan.GetProperty("applications").GetArrayLength());
        var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
        var own = plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy).GetProperty("own").GetProperty("perMonth").GetDecimal();
        var cost = await page.InnerTextAsync("#cost-table tr[data-kind='own'] td.num");
        output.WriteLine($"two applications: own {cost}, plan {own}");
        Assert.Equal(Yuan(own), cost);
        // What suanli plan prints for the very file the page posted: the same own cost.
        var file = Path.Combine(Path.GetTempPath(), $"suanli-page-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, posted[^1]);
        var cli = ApiTests.Cli("plan", file, "--format", "json");
        File.Delete(file);
        Assert.Equal(0, cli.Code);
        using (var printed = JsonDocument.Parse(cli.Out))
        {
            var cliOwn = printed.RootElement.GetProperty("costs").GetProperty("strategies").EnumerateArray()
                .Single(x => x.GetProperty("strategy").GetString() == strategy).GetProperty("own").GetProperty("perMonth").GetDecimal();
            Assert.Equal(own, cliOwn);
        }
        // The hosted API priced for each application at its own requests per month and tokens, summed.
        decimal api = 0;
        foreach (var app in plan.GetProperty("applications").EnumerateArray())
        {
            var demand = app.GetProperty("demand");
            var compare = await f.ApiAsync(FormattableString.Invariant($"/api/compare?requestsPerMonth={app.GetProperty("requestsPerMonth").GetDouble():R}&input={demand.GetProperty("inputTokens").GetDouble()}&output={demand.GetProperty("outputTokens").GetDouble()}&api=gpt-4o-mini&currency=CNY"));
            api += compare.GetProperty("options").EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "api").GetProperty("perMonth").GetDecimal();
        }
        Assert.Equal(Yuan(api), await page.InnerTextAsync("#cost-table tr[data-kind='api'] td.num"));

        var hours = await PostAsync("/api/plan/hours", scenario);
        Assert.StartsWith($"{hours.GetProperty("devicesPeak").GetInt32()} × nvidia-h100-sxm5-80gb ", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);
        var sensitivity = (await PostAsync("/api/plan/sensitivity", scenario)).GetProperty("sensitivity");
        Assert.StartsWith($"{sensitivity.GetProperty("devices").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} devices, {Yuan(sensitivity.GetProperty("costPerMonth").GetDecimal())} a month;",
            await page.InnerTextAsync("#sensitivity-summary"), StringComparison.Ordinal);
        // The search of the same posted scenario: each application's cheapest deployment, and each listed deployment
        // says which application it serves.
        var search = await PostAsync("/api/plan/search?candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50", scenario);
        var summary = await page.InnerTextAsync("#pareto-summary");
        foreach (var app in search.GetProperty("applications").EnumerateArray())
        {
            Assert.Contains(Yuan(app.GetProperty("cheapest").GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal()) + " per month", summary, StringComparison.Ordinal);
        }
        Assert.StartsWith("Application 2 (20 requests in flight at the peak)", await page.InnerTextAsync("#pareto-top li[data-app='2'] .serves"), StringComparison.Ordinal);

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

    [Fact]
    public async Task A_pin_of_two_applications_is_one_chart_point_per_application_at_its_own_time_per_token_and_the_plans_cost()
    {
        // The form's application (1024 in, 256 out) and a long-prompt batch job (4096 in, 64 out), pinned together.
        var page = await f.OpenAsync("?currency=CNY&timeZone=UTC&app=peak%3D20%26prompt%3D4096%26output%3D64%26profile%3Dflat%26ttft%3D4%26tpot%3D0.1");
        await page.ClickAsync("#pin");
        await BrowserFixture.Ready(page);
        var row = page.Locator("#pinned-table tbody tr");
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("2 applications", await row.Locator("td").First.InnerTextAsync(), StringComparison.Ordinal);

        // The throughput panel's row at the pin's 16 concurrent sequences, for each application's tokens.
        var expected = new List<double>();
        foreach (var (input, output) in new[] { (1024, 256), (4096, 64) })
        {
            var perf = await f.ApiAsync($"/api/perf?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&devices=1&input={input}&output={output}&batch=16");
            expected.Add(perf.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("batch").GetInt32() == 16).GetProperty("timePerOutputTokenSeconds").GetDouble() * 1000);
        }
        Assert.NotEqual(expected[0], expected[1]);
        var points = await page.EvaluateAsync<JsonElement>("() => echarts.getInstanceByDom(document.getElementById('pinned-chart')).getOption().series[0].data.map(d => ({ x: d.value[0], y: d.value[1], name: d.name, app: d.app }))");
        Assert.Equal(2, points.GetArrayLength());
        var own = decimal.Parse((await row.Locator("td.own").InnerTextAsync()).TrimStart('¥').Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var rent = decimal.Parse((await row.Locator("td.rent").InnerTextAsync()).TrimStart('¥').Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        for (var n = 0; n < 2; n++)
        {
            var point = points[n];
            Assert.Equal(n + 1, point.GetProperty("app").GetInt32());
            Assert.EndsWith($"App {n + 1}", point.GetProperty("name").GetString(), StringComparison.Ordinal);
            // The time shown to four significant figures; the cost is the one fleet's, the cheaper of own and rent (whole yuan in the table).
            Assert.Equal(expected[n], point.GetProperty("x").GetDouble(), expected[n] * 1e-3);
            Assert.Equal((double)Math.Min(own, rent), point.GetProperty("y").GetDouble(), 1.0);
        }
        // The table's time per token lists both applications in the form's order.
        Assert.Equal(2, (await row.Locator("td").Nth(6).InnerTextAsync()).Split(" / ").Length);
        await page.Locator("#panel-pinned").ScreenshotAsync(new() { Path = Shot("pinned-2apps.png") });
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
