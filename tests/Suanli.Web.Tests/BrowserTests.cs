using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Web.Tests;

public partial class BrowserTests(BrowserFixture f, ITestOutputHelper output) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// Closes the pages the test opened: the browser is shared by the class, and without this every page of every earlier
    /// test (each its own renderer process) stayed open to the end of the class.
    /// </summary>
    public async Task DisposeAsync()
    {
        foreach (var context in f.Browser.Contexts.ToList())
        {
            await context.CloseAsync();
        }
    }

    private static string Gb(JsonElement memory) =>
        (memory.GetProperty("totalBytes").GetDouble() / 1e9).ToString("N1", CultureInfo.InvariantCulture) + " GB";

    private static Task<string> Total(IPage page) => page.InnerTextAsync("#memory-table tr[data-part='memory.total'] td.num");

    private static Task<string> PerfSvg(IPage page) => page.InnerHTMLAsync("#perf-chart svg");

    [Fact]
    public async Task The_page_and_the_api_reference_run_under_their_content_security_policy_without_violations()
    {
        var page = await f.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        // Injected by the browser's debugging protocol, so the policy does not apply to this script itself.
        await page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        var response = await page.GotoAsync(f.App.BaseUrl + "/");
        Assert.StartsWith("default-src 'self'; script-src 'self';", await response!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        await BrowserFixture.Ready(page);
        foreach (var panel in new[] { "panel-fleet", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        await page.HoverAsync("#perf-chart svg");
        Assert.True(await page.Locator("#perf-chart svg path").CountAsync() > 0);
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.__csp)"));

        await page.GotoAsync(f.App.BaseUrl + "/scalar/");
        await page.WaitForFunctionAsync("() => document.querySelector('#app') && document.querySelector('#app').children.length > 0");
        var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
        output.WriteLine("reference page violations: " + string.Join("; ", violations));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Page_shows_the_api_numbers_and_charts_and_follows_model_and_hardware_changes()
    {
        var page = await f.OpenAsync();
        output.WriteLine($"first complete render {await page.GetAttributeAsync("body", "data-first-render-ms")} ms after navigation");
        // Defaults: qwen2.5-7b-instruct, bf16, 1 x H100, prompt 1024 + output 256, 16 sequences.
        var before = await f.ApiAsync("/api/memory?model=qwen2.5-7b-instruct&context=1280&batch=16&hardware=nvidia-h100-sxm5-80gb&devices=1");
        Assert.Equal(Gb(before), await Total(page));
        Assert.True(await page.Locator("#perf-chart svg path").CountAsync() > 0);
        Assert.True(await page.Locator("#memory-chart svg path").CountAsync() > 0);
        var chartBefore = await PerfSvg(page);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "planner-en.png"), FullPage = true });

        await page.FillAsync("#f-model", "qwen2-72b");
        await page.FillAsync("#f-hardware", "nvidia-a100-sxm4-80gb");
        await page.FillAsync("#f-devices", "4");
        await BrowserFixture.Ready(page);

        var after = await f.ApiAsync("/api/memory?model=qwen2-72b&context=1280&batch=16&hardware=nvidia-a100-sxm4-80gb&devices=4");
        Assert.Equal(Gb(after), await Total(page));
        Assert.NotEqual(Gb(before), Gb(after));
        Assert.NotEqual(chartBefore, await PerfSvg(page));
        Assert.Contains("4 × nvidia-a100-sxm4-80gb", await page.InnerTextAsync("#perf-summary"), StringComparison.Ordinal);
        Assert.Equal("nvidia-a100-sxm4-80gb", await page.GetAttributeAsync("#hardware-table tr.selected", "data-id"));
        Assert.Contains("model=qwen2-72b", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "planner-72b.png"), FullPage = true });
    }

    [Fact]
    public async Task A_shared_link_opens_the_same_plan()
    {
        const string query = "?model=llama-3.1-70b&precision=fp8&kvPrecision=&hardware=h100&devices=2&prompt=4096&output=512&batch=8&lang=zh&currency=USD";
        var page = await f.OpenAsync(query);
        var memory = await f.ApiAsync("/api/memory?model=llama-3.1-70b&precision=fp8&context=4608&batch=8&hardware=h100&devices=2");
        Assert.Equal(Gb(memory), await Total(page));
        Assert.Equal("llama-3.1-70b", await page.InputValueAsync("#f-model"));
        Assert.Equal("fp8", await page.InputValueAsync("#f-precision"));
        Assert.Equal("4096", await page.InputValueAsync("#f-prompt"));
        Assert.Equal("USD", await page.InputValueAsync("#currency"));
        Assert.Equal("输入", await page.InnerTextAsync("#inputs h2"));

        // The link the page offers reopens the same state in a fresh page.
        var link = await page.GetAttributeAsync("#share-link", "href");
        Assert.Equal(page.Url, link);
        var again = await f.NewPageAsync();
        await again.GotoAsync(link!);
        await BrowserFixture.Ready(again);
        Assert.Equal(await Total(page), await Total(again));
        Assert.Equal(await page.InnerTextAsync("#perf-summary"), await again.InnerTextAsync("#perf-summary"));
        Assert.Equal("8", await again.InputValueAsync("#f-batch"));
    }

    [Fact]
    public async Task Bad_input_shows_the_server_message_beside_the_field_as_text()
    {
        var dialogs = 0;
        var page = await f.NewPageAsync();
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        var script = "<img src=x onerror=\"alert(1)\">";
        await page.GotoAsync(f.App.BaseUrl + "/?model=" + Uri.EscapeDataString(script) + "&hardware=h100&devices=abc");
        await BrowserFixture.Ready(page);
        var message = await page.InnerTextAsync("[data-error-for='model']");
        Assert.Contains("Unknown model '" + script + "'", message, StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#f-model", "aria-invalid"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(0, dialogs);

        await page.FillAsync("#f-model", "qwen2.5-7b");
        await BrowserFixture.Ready(page);
        Assert.Empty(await page.InnerTextAsync("[data-error-for='model']"));
        Assert.StartsWith("“Devices”: 'abc' is not a number", await page.InnerTextAsync("[data-error-for='devices']"), StringComparison.Ordinal);
        await page.FillAsync("#f-devices", "1");
        await BrowserFixture.Ready(page);
        Assert.Empty(await page.InnerTextAsync("[data-error-for='devices']"));
        Assert.EndsWith(" GB", await Total(page), StringComparison.Ordinal);
    }

    private static string Shot(string name)
    {
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        return Path.Combine(AppContext.BaseDirectory, "screenshots", name);
    }

    [Fact]
    public async Task Fleet_follows_the_peak_cost_switches_currency_and_pareto_and_downloads_come_from_the_plan()
    {
        var page = await f.OpenAsync("?peak=20&currency=CNY");
        Assert.Equal("idle", await page.GetAttributeAsync("#panel-pareto", "data-state")); // not fetched before it is seen

        // Fleet over the day: one bar per hour, as many devices as the plan of the same scenario.
        await BrowserFixture.ShowPanel(page, "panel-fleet");
        const string scenario = "model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&currency=CNY";
        var plan20 = await f.ApiAsync("/api/plan/hours?peakConcurrency=20&" + scenario);
        Assert.Contains($"{plan20.GetProperty("devicesPeak").GetInt32()} × nvidia-h100-sxm5-80gb", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#fleet-chart svg path").CountAsync() >= 24);
        var before = await page.InnerHTMLAsync("#fleet-chart svg");
        await page.FillAsync("#f-peak", "2000");
        await BrowserFixture.Ready(page);
        var plan2000 = await f.ApiAsync("/api/plan/hours?peakConcurrency=2000&" + scenario);
        Assert.True(plan2000.GetProperty("devicesPeak").GetInt32() > plan20.GetProperty("devicesPeak").GetInt32());
        Assert.Contains($"{plan2000.GetProperty("devicesPeak").GetInt32()} × ", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);
        Assert.NotEqual(before, await page.InnerHTMLAsync("#fleet-chart svg"));
        Assert.Contains("peak=2000", page.Url, StringComparison.Ordinal);
        await page.Locator("#panel-fleet").ScreenshotAsync(new() { Path = Shot("fleet.png") });

        // Cost breakdown in CNY at the catalog's dated rate, then in USD.
        await BrowserFixture.ShowPanel(page, "panel-cost");
        Assert.Equal("CNY", await page.GetAttributeAsync("#panel-cost", "data-currency"));
        var rate = await page.InnerTextAsync("#cost-rate");
        Assert.Contains("6.9858", rate, StringComparison.Ordinal);
        Assert.Contains("2026-01-27", rate, StringComparison.Ordinal);
        Assert.Contains("¥", await page.InnerTextAsync("#cost-summary"), StringComparison.Ordinal);
        await page.Locator("#panel-cost").ScreenshotAsync(new() { Path = Shot("cost-cny.png") });
        await page.SelectOptionAsync("#currency", "USD");
        await BrowserFixture.Ready(page);
        Assert.Equal("USD", await page.GetAttributeAsync("#panel-cost", "data-currency"));
        Assert.Contains("$", await page.InnerTextAsync("#cost-summary"), StringComparison.Ordinal);
        Assert.DoesNotContain("¥", await page.InnerTextAsync("#cost-summary"), StringComparison.Ordinal);

        // Pareto front: one point per frontier deployment with a published quality (back at a peak of 20, where the
        // search is quick, as the page's other search tests run it).
        await page.FillAsync("#f-peak", "20");
        await BrowserFixture.Ready(page);
        await BrowserFixture.ShowPanel(page, "panel-pareto");
        var optimize = await f.ApiAsync("/api/plan/search?peakConcurrency=20&" + scenario.Replace("currency=CNY", "currency=USD", StringComparison.Ordinal) + "&candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50");
        var cheapest = optimize.GetProperty("applications")[0].GetProperty("cheapest");
        Assert.Contains(cheapest.GetProperty("deployment").GetProperty("model").GetString()!, await page.InnerTextAsync("#pareto-summary"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#pareto-chart svg path").CountAsync() > 0);
        await page.Locator("#panel-pareto").ScreenshotAsync(new() { Path = Shot("pareto.png") });

        // Downloads: the scenario file, the plan report and its spreadsheet, all non-empty.
        foreach (var (id, name, starts) in new[] { ("#download-yaml", "scenario.yaml", "# Scenario"), ("#download-md", "suanli-plan.md", "#"), ("#download-xlsx", "suanli-plan.xlsx", "PK") })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(id));
            Assert.Equal(name, download.SuggestedFilename);
            var path = await download.PathAsync();
            var bytes = await File.ReadAllBytesAsync(path!);
            Assert.True(bytes.Length > 100, $"{name} is {bytes.Length} bytes");
            Assert.StartsWith(starts, System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 20)), StringComparison.Ordinal);
        }
        await page.ScreenshotAsync(new() { Path = Shot("planner-panels.png"), FullPage = true });
    }

    [Fact]
    public async Task The_default_deployment_costs_the_same_in_the_cost_panel_the_search_and_the_markdown_report_each_with_its_basis()
    {
        var page = await f.OpenAsync("?currency=CNY");
        const string scenario = "model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&currency=CNY";
        var plan = await f.ApiAsync("/api/plan?" + scenario);
        var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString()!;
        var own = plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy)
            .GetProperty("own").GetProperty("perMonth").GetDecimal();
        var shown = own.ToString("N0", CultureInfo.InvariantCulture);

        // The search of the same scenario over the Model field and the candidates: its cheapest is the page's deployment,
        // owned, at the plan's cost to the cent.
        var search = await f.ApiAsync("/api/plan/search?" + scenario + "&candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50");
        var cheapest = search.GetProperty("applications")[0].GetProperty("cheapest");
        Assert.Equal("qwen2.5-7b-instruct", cheapest.GetProperty("deployment").GetProperty("model").GetString());
        Assert.Equal("own", cheapest.GetProperty("cost").GetProperty("basis").GetString());
        Assert.Equal(own, cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal());

        await BrowserFixture.ShowPanel(page, "panel-cost");
        Assert.Equal("Own", await page.InnerTextAsync("#cost-table tr[data-kind='own'] td"));
        Assert.Equal("¥" + shown, await page.InnerTextAsync("#cost-table tr[data-kind='own'] td.num"));
        Assert.Contains("Own, qwen2.5-7b-instruct bf16 on 1x nvidia-h100-sxm5-80gb (buy), ¥" + shown, await page.InnerTextAsync("#cost-summary"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#cost-table tr[data-kind='rent']").CountAsync());
        Assert.Equal(1, await page.Locator("#cost-table tr[data-kind='api']").CountAsync());

        await BrowserFixture.ShowPanel(page, "panel-pareto");
        var pareto = await page.InnerTextAsync("#pareto-summary");
        Assert.Contains("qwen2.5-7b-instruct on 1 × nvidia-h100-sxm5-80gb, ¥" + shown + " per month (Own)", pareto, StringComparison.Ordinal);

        // The Markdown report of the same plan: the recommended strategy's own cost per month.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-md"));
        var markdown = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"| {strategy} | {shown} CNY |", markdown, StringComparison.Ordinal);
        output.WriteLine($"own per month: plan {own}, page ¥{shown}, search {cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal()}");
    }

    [Fact]
    public async Task Every_input_has_a_help_text_in_both_languages_and_repeated_findings_are_one_line_with_their_count()
    {
        // Qwen2.5-32B in BF16 on one H100: batches 32 to 256 of the curve do not fit, one finding each from the API.
        var page = await f.OpenAsync("?model=qwen2.5-32b&devices=1");
        var perf = await f.ApiAsync("/api/perf?model=qwen2.5-32b&precision=bf16&hardware=nvidia-h100-sxm5-80gb&devices=1&input=1024&output=256&batch=1,2,4,8,16,32,64,128,256");
        var notFit = perf.GetProperty("findings").EnumerateArray().Count(x => x.GetProperty("code").GetString() == "batch-does-not-fit");
        Assert.Equal(4, notFit);
        var lines = await page.Locator("#perf-findings li").AllInnerTextsAsync();
        var line = Assert.Single(lines, l => l.Contains("does not fit", StringComparison.Ordinal));
        Assert.StartsWith("Problem: Batch 32, 64, 128, 256 does not fit: 32 sequences", line, StringComparison.Ordinal);
        Assert.EndsWith("(4 alike; the first in full)", line, StringComparison.Ordinal);
        Assert.Equal(4, (await page.GetAttributeAsync("#perf-findings li[data-count]", "title"))!.Split('\n').Length);

        // Every input and select of the form is described by a help text, also its title, in English and in Chinese.
        const string helps = "() => [...document.querySelectorAll('#form :is(input, select)')].map(e => [e.id, e.title, document.getElementById(e.getAttribute('aria-describedby') || 'none')?.textContent ?? ''])";
        var english = await page.EvaluateAsync<string[][]>(helps);
        Assert.True(english.Length >= 14, $"{english.Length} inputs");
        Assert.All(english, h => { Assert.True(h[1].Length > 20, h[0]); Assert.Equal(h[1], h[2]); });
        var help = english.ToDictionary(h => h[0], h => h[2]);
        Assert.Contains("the 90th unless changed", help["f-ttft"], StringComparison.Ordinal);
        Assert.Contains("99 (MLPerf's)", help["f-ttftPercentile"], StringComparison.Ordinal);
        Assert.Contains("how many requests one model copy decodes together", help["f-batch"], StringComparison.Ordinal);
        Assert.Contains("memory panel", help["f-batch"], StringComparison.Ordinal);
        Assert.Contains("fleet, cost sensitivity, cost breakdown, the search and the downloads", help["f-peak"], StringComparison.Ordinal);
        await page.FocusAsync("#f-ttft");
        Assert.True(await page.IsVisibleAsync("#help-ttft"));
        Assert.False(await page.IsVisibleAsync("#help-tpot"));

        await page.ClickAsync("#lang-zh");
        var chinese = await page.EvaluateAsync<string[][]>(helps);
        Assert.All(chinese, h => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", h[2]));
        Assert.Contains("第 90 百分位", chinese.Single(h => h[0] == "f-ttft")[2], StringComparison.Ordinal);
        Assert.Contains("同类共 4 条", string.Concat(await page.Locator("#perf-findings li").AllInnerTextsAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_pinned_plans_are_compared_in_one_table_and_one_cost_versus_latency_chart_and_kept_in_the_link()
    {
        var page = await f.OpenAsync("?currency=CNY");
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        Assert.False(await page.IsVisibleAsync("#panel-pinned"));
        await page.ClickAsync("#pin");
        await BrowserFixture.Ready(page);
        await page.FillAsync("#f-model", "qwen2.5-14b");
        await BrowserFixture.Ready(page);
        await page.ClickAsync("#pin");
        await BrowserFixture.Ready(page);
        var rows = page.Locator("#pinned-table tbody tr");
        Assert.Empty(errors);
        Assert.Equal(2, await rows.CountAsync());
        foreach (var (i, model) in new[] { (0, "qwen2.5-7b-instruct"), (1, "qwen2.5-14b") })
        {
            // Each row's own cost per month is the plan's of its inputs (the cost panel's and the report's figure).
            var plan = await f.ApiAsync($"/api/plan?model={model}&precision=bf16&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&timeZone=UTC&currency=CNY");
            var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
            var own = plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy).GetProperty("own").GetProperty("perMonth").GetDecimal();
            Assert.StartsWith(model + " bf16, ", await rows.Nth(i).Locator("td").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("¥" + own.ToString("N0", CultureInfo.InvariantCulture), await rows.Nth(i).Locator("td.own").InnerTextAsync());
            Assert.Contains("gpt-4o-mini", await rows.Nth(i).Locator("td.api").InnerTextAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(2, await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('pinned-chart')).getOption().series[0].data.length"));
        await page.Locator("#panel-pinned").ScreenshotAsync(new() { Path = Shot("pinned.png") });

        // The pins are part of the page's state: its link reopens both; unpinning one leaves the other.
        Assert.Equal(2, page.Url.Split("pin=").Length - 1);
        var again = await f.NewPageAsync();
        await again.GotoAsync(page.Url);
        await BrowserFixture.Ready(again);
        Assert.Equal(2, await again.Locator("#pinned-table tbody tr").CountAsync());
        await rows.Nth(0).Locator("button.unpin").ClickAsync();
        await BrowserFixture.Ready(page);
        Assert.Equal(1, await rows.CountAsync());
        Assert.StartsWith("qwen2.5-14b bf16, ", await rows.Nth(0).Locator("td").First.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Perf_headline_uses_the_batch_set_and_failed_inputs_grey_earlier_results_with_a_note()
    {
        var page = await f.OpenAsync();
        Assert.Contains("at batch 16,", await page.InnerTextAsync("#perf-summary"), StringComparison.Ordinal);
        // 48 is not on the curve's sweep (1, 2, 4, ..., 256): the request carries it and the headline is at 48.
        await page.FillAsync("#f-batch", "48");
        await BrowserFixture.Ready(page);
        var perf = await f.ApiAsync("/api/perf?model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&devices=1&input=1024&output=256&batch=48");
        var row = perf.GetProperty("rows")[0];
        Assert.Equal(48, row.GetProperty("batch").GetInt32());
        var tps = double.Parse(row.GetProperty("outputTokensPerSecond").GetDouble().ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var summary = await page.InnerTextAsync("#perf-summary");
        Assert.Contains("at batch 48, " + tps.ToString("#,0.###", CultureInfo.InvariantCulture) + " tokens/s", summary, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#panel-perf.stale").CountAsync());
        Assert.False(await page.IsVisibleAsync("#panel-memory .stale-note"));

        // An accelerator the catalog does not hold: both panels keep their drawing, greyed, under a note.
        await page.FillAsync("#f-hardware", "ascend-not-a-device");
        await BrowserFixture.Ready(page);
        Assert.NotEmpty(await page.InnerTextAsync("[data-error-for='hardware']"));
        foreach (var panel in new[] { "panel-memory", "panel-perf" })
        {
            Assert.Equal(1, await page.Locator($"#{panel}.stale").CountAsync());
            Assert.StartsWith("Out of date: fix the input above", await page.InnerTextAsync($"#{panel} .stale-note"), StringComparison.Ordinal);
        }
        await page.ClickAsync("#lang-zh");
        await BrowserFixture.Ready(page); // the time zone follows the language to Asia/Shanghai, so the plan panels are asked again
        Assert.StartsWith("已过期：请修正上方的输入", await page.InnerTextAsync("#panel-perf .stale-note"), StringComparison.Ordinal);

        // Fixed: the results are current again and the note goes.
        await page.FillAsync("#f-hardware", "nvidia-h100-sxm5-80gb");
        await BrowserFixture.Ready(page);
        Assert.Equal(0, await page.Locator("#panel-perf.stale, #panel-memory.stale").CountAsync());
        Assert.False(await page.IsVisibleAsync("#panel-perf .stale-note"));
    }

    [Fact]
    public async Task An_unmeetable_ttft_is_explained_beside_the_ttft_field_and_in_the_summary_bar()
    {
        // Llama 3.1 70B in BF16 on one H100 layout cannot prefill 1,024 tokens within 50 ms (the plan and search say so).
        var page = await f.OpenAsync("?model=llama-3.1-70b&candidates=llama-3.1-70b&ttft=0.05");

        // Before any scrolling: the summary bar at the top and the field say so, with the plan's remedies.
        await page.WaitForSelectorAsync("#plan-alert:not([hidden])");
        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
        var bar = (await page.Locator("#plan-alert").BoundingBoxAsync())!;
        Assert.True(bar.Y + bar.Height < 1100, $"the summary bar ends at {bar.Y + bar.Height} px, below the first screen");
        var alert = await page.InnerTextAsync("#plan-alert");
        output.WriteLine(alert);
        Assert.StartsWith("“First token within (s)” cannot be met:", alert, StringComparison.Ordinal);
        Assert.Contains("TTFT target", alert, StringComparison.Ordinal);
        Assert.Contains("would meet it", alert, StringComparison.Ordinal);
        Assert.Equal("#f-ttft", await page.GetAttributeAsync("#plan-alert-field", "href"));
        Assert.Contains("TTFT target", await page.InnerTextAsync("[data-error-for='ttft']"), StringComparison.Ordinal);

        await page.Locator("#panel-fleet").ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync("#panel-fleet[data-state='error']");
        await BrowserFixture.Ready(page);
        Assert.Contains("TTFT target", await page.InnerTextAsync("[data-error-for='ttft']"), StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#f-ttft", "aria-invalid"));
        Assert.Contains("TTFT target", await page.InnerTextAsync("#fleet-error"), StringComparison.Ordinal);
        // The page's application is named for its model, and the page names no command of the command line.
        var fleetError = await page.InnerTextAsync("#fleet-error");
        Assert.DoesNotContain("'application'", fleetError, StringComparison.Ordinal);
        Assert.DoesNotContain("suanli ", fleetError, StringComparison.Ordinal);

        // The search answers with no deployment; its rejection reasons also go beside the field.
        await BrowserFixture.ShowPanel(page, "panel-pareto");
        Assert.Contains("TTFT target", await page.InnerTextAsync("[data-error-for='ttft']"), StringComparison.Ordinal);

        // A target that can be met clears the field's message.
        await page.FillAsync("#f-ttft", "2");
        await BrowserFixture.Ready(page);
        await page.WaitForSelectorAsync("#panel-pareto[data-state='ready']");
        await BrowserFixture.Ready(page);
        Assert.Empty(await page.InnerTextAsync("[data-error-for='ttft']"));
        Assert.True(await page.IsHiddenAsync("#plan-alert"));
    }
}
