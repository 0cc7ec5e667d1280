using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// Browser tests of the simulate and capacity section (js/serving.js; docs/web.md, "The page"): it asks
/// <c>/api/simulate</c> and <c>/api/capacity</c> (the CLI's documents) and shows their figures, the API's message for a
/// refused input, and a run cancelled on the page stops on the server.
/// </summary>
public partial class BrowserTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The page's <c>sig</c> (js/format.js): three significant digits, en-US grouping.</summary>
    private static string Sig(double v) =>
        v == 0 ? "0" : double.Parse(v.ToString("G3", Inv), Inv).ToString("#,0.############", Inv);

    /// <summary>The page's <c>seconds</c>: under a second in ms, else s, three significant digits.</summary>
    private static string Seconds(double s) => s < 1 ? Sig(s * 1000) + " ms" : Sig(s) + " s";

    /// <summary>Records the section's calls (the URL after the host), so a test asks the API the same question.</summary>
    private static List<string> ServingCalls(IPage page)
    {
        var calls = new List<string>();
        page.Request += (_, r) =>
        {
            var path = new Uri(r.Url).PathAndQuery;
            if (path.StartsWith("/api/simulate?", StringComparison.Ordinal) || path.StartsWith("/api/capacity?", StringComparison.Ordinal))
            {
                lock (calls) { calls.Add(path); }
            }
        };
        return calls;
    }

    private static async Task RunServing(IPage page, string state)
    {
        await page.ClickAsync("#serving-go");
        await page.WaitForSelectorAsync($"#panel-serving[data-state='{state}']");
        await BrowserFixture.Ready(page);
    }

    [Fact]
    public async Task The_serving_section_simulates_a_whole_system_and_finds_its_capacity_with_the_layout_and_why_and_the_apis_figures()
    {
        var page = await f.OpenAsync();
        var calls = ServingCalls(page);
        await page.Locator("#panel-serving").ScrollIntoViewIfNeededAsync();
        // Empty fields show the form's values they take.
        Assert.Equal("as the form: qwen2.5-7b-instruct", await page.GetAttributeAsync("#s-model", "placeholder"));
        Assert.True(await page.IsHiddenAsync("#s-tp"));
        await page.SelectOptionAsync("#s-scope", "system");
        Assert.True(await page.IsVisibleAsync("#s-tp"));
        await page.FillAsync("#s-devices", "8");
        await page.FillAsync("#s-amount", "200");
        await page.SelectOptionAsync("#s-start", "staggered");
        await page.FillAsync("#s-requests", "400");
        await RunServing(page, "ready");

        // The call is the CLI's question (suanli simulate --system-devices 8 --concurrency 200 --start staggered ...).
        const string asked = "/api/simulate?model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&systemDevices=8&input=1024&output=256&start=staggered&ttft=2&tpot=0.1&ttftPercentile=90&tpotPercentile=90&requests=400&concurrency=200&lang=en";
        lock (calls) { Assert.Equal([asked], calls); }
        var sim = await f.ApiAsync(asked);
        var system = sim.GetProperty("system");
        var layout = system.GetProperty("layout");
        var latency = sim.GetProperty("latency");
        Assert.Equal(
            $"At {200 / layout.GetProperty("replicas").GetInt32()} concurrent clients (started staggered) on each of {layout.GetProperty("replicas").GetInt32()} replicas, the system gives {Sig(system.GetProperty("outputTokensPerSecond").GetDouble())} output tokens/s, {Sig(system.GetProperty("requestsPerSecond").GetDouble())} requests/s; "
            + $"TTFT p90 {Seconds(latency.GetProperty("ttft").GetProperty("p90").GetDouble())}, TPOT p90 {Seconds(latency.GetProperty("tpot").GetProperty("p90").GetDouble())}. Every target met.",
            await page.InnerTextAsync("#serving-summary"));
        Assert.Equal(
            $"Layout: {layout.GetProperty("replicas").GetInt32()} replicas, each {layout.GetProperty("replicaDevices").GetInt32()} × nvidia-h100-sxm5-80gb (TP={layout.GetProperty("tp").GetInt32()} PP={layout.GetProperty("pp").GetInt32()}), 8 devices in all.",
            await page.InnerTextAsync("#serving-layout"));
        // Why that split: the server's own sentence, which holds the document's reason.
        var why = await page.InnerTextAsync("#serving-why");
        Assert.Contains(system.GetProperty("reason").GetString()!, why, StringComparison.Ordinal);
        Assert.Equal(sim.GetProperty("findings").EnumerateArray().Single(x => x.GetProperty("code").GetString() == "system-layout").GetProperty("message").GetString(), why);
        var ttftRow = await page.Locator("#serving-latency tbody tr").First.Locator("td").AllInnerTextsAsync();
        Assert.Equal(["Time to first token", .. new[] { "p50", "p90", "p99", "mean" }.Select(p => Seconds(latency.GetProperty("ttft").GetProperty(p).GetDouble()))], ttftRow);
        Assert.Equal(["Time per output token", "p90", "100 ms", Seconds(sim.GetProperty("targets")[1].GetProperty("valueSeconds").GetDouble()), "yes"],
            await page.Locator("#serving-targets tbody tr").Nth(1).Locator("td").AllInnerTextsAsync());
        // The section's inputs ride in the link, which restores them.
        var again = await f.NewPageAsync();
        await again.GotoAsync(page.Url);
        await BrowserFixture.Ready(again);
        Assert.Equal("system", await again.InputValueAsync("#s-scope"));
        Assert.Equal("8", await again.InputValueAsync("#s-devices"));
        Assert.Equal("staggered", await again.InputValueAsync("#s-start"));
        Assert.Equal("400", await again.InputValueAsync("#s-requests"));
        await again.CloseAsync();

        // An edit marks the result out of date until it is run again.
        await page.SelectOptionAsync("#s-run", "capacity");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('panel-serving').classList.contains('outdated')"));
        Assert.True(await page.IsHiddenAsync("#s-amount"));
        await RunServing(page, "ready");
        Assert.False(await page.EvaluateAsync<bool>("() => document.getElementById('panel-serving').classList.contains('outdated')"));
        string capacityCall;
        lock (calls) { capacityCall = calls[^1]; }
        Assert.Equal("/api/capacity?model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&systemDevices=8&input=1024&output=256&start=staggered&ttft=2&tpot=0.1&ttftPercentile=90&tpotPercentile=90&requests=400&mode=concurrency&lang=en", capacityCall);
        var capacity = await f.ApiAsync(capacityCall);
        var limit = capacity.GetProperty("limitingTarget").GetString() switch { "ttft" => "time to first token", "tpot" => "time per output token", var other => other };
        Assert.Equal(
            $"Largest load of the system within the targets: {capacity.GetProperty("systemMaxConcurrency").GetInt32().ToString("N0", Inv)} concurrent clients (started staggered) "
            + $"({capacity.GetProperty("maxConcurrency").GetInt32().ToString("N0", Inv)} per replica); what stops a larger one: {limit}.",
            await page.InnerTextAsync("#serving-summary"));
        Assert.Equal(capacity.GetProperty("probes").GetArrayLength(), await page.Locator("#serving-probes tbody tr").CountAsync());
        await page.Locator("#panel-serving").ScreenshotAsync(new() { Path = Shot("serving-capacity.png") });

        // On a phone the section's form, tables and findings overlap nothing and fit the width.
        await page.SetViewportSizeAsync(390, 844);
        var overlaps = await page.EvaluateAsync<string[]>(Overlaps);
        Assert.True(overlaps.Length == 0, "390 px: " + string.Join("; ", overlaps));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        await page.Locator("#panel-serving").ScreenshotAsync(new() { Path = Shot("serving-390.png") });
    }

    [Fact]
    public async Task The_serving_section_shows_the_apis_message_for_a_refused_input_cancels_a_long_run_on_the_server_and_speaks_chinese()
    {
        var page = await f.OpenAsync("?lang=zh");
        await page.Locator("#panel-serving").ScrollIntoViewIfNeededAsync();
        await page.SelectOptionAsync("#s-scope", "system");
        await page.FillAsync("#s-devices", "8");
        await page.FillAsync("#s-tp", "3");
        await RunServing(page, "error");
        using (var client = f.App.CreateClient())
        {
            var refused = await client.GetAsync("/api/simulate?model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&systemDevices=8&tp=3&input=1024&output=256&start=together&ttft=2&tpot=0.1&ttftPercentile=90&tpotPercentile=90&concurrency=50&lang=zh");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("tp", problem.RootElement.GetProperty("field").GetString());
            var detail = problem.RootElement.GetProperty("detail").GetString();
            Assert.Contains("TP=3", detail, StringComparison.Ordinal);
            Assert.Equal(detail, await page.InnerTextAsync("#serving-error"));
            Assert.Equal(detail, await page.InnerTextAsync("[data-serving-error='tp']"));
        }
        Assert.Equal("true", await page.GetAttributeAsync("#s-tp", "aria-invalid"));
        Assert.True(await page.IsHiddenAsync("#serving-result"));

        // A million requests: the run is cancelled from the page, and the server stops it and frees its slot.
        await page.FillAsync("#s-tp", "");
        await page.FillAsync("#s-requests", "1000000");
        var limit = f.App.Services.GetRequiredService<TimeLimit>();
        await page.ClickAsync("#serving-go");
        await page.WaitForSelectorAsync("#serving-cancel:visible");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (limit.Running == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(limit.Running > 0, "the simulation did not start on the server");
        await page.ClickAsync("#serving-cancel");
        await page.WaitForSelectorAsync("#panel-serving[data-state='cancelled']");
        Assert.Equal("已取消，服务器已停止运行。", await page.InnerTextAsync("#serving-status"));
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (limit.Running > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, limit.Running);

        // A capacity search in Chinese: the headline, the layout and why, the tables and the findings have no English sentence.
        await page.FillAsync("#s-requests", "300");
        await page.SelectOptionAsync("#s-run", "capacity");
        await RunServing(page, "ready");
        Assert.StartsWith("系统满足目标的最大负载：", await page.InnerTextAsync("#serving-summary"), StringComparison.Ordinal);
        Assert.StartsWith("布局：", await page.InnerTextAsync("#serving-layout"), StringComparison.Ordinal);
        var text = await page.InnerTextAsync("#panel-serving");
        var english = EnglishRun().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(english.Count == 0, "English in the Chinese section: " + string.Join(" | ", english));
        await page.Locator("#panel-serving").ScreenshotAsync(new() { Path = Shot("serving-zh.png") });
    }
}
