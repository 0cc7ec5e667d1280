using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Web.Tests;

/// <summary>The app on real Kestrel at 127.0.0.1 on a free port, so a browser can reach it.</summary>
public sealed class KestrelFactory : WebApplicationFactory<Program>
{
    public KestrelFactory() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    public string BaseUrl
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        }
    }
}

/// <summary>One server and one headless Debian Chromium shared by every browser test.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public KestrelFactory App { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        SuanliWeb.WarmUp(App.Services); // as 'suanli serve' does before printing its URL
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    public async Task<IPage> OpenAsync(string query = "")
    {
        var page = await Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 }, AcceptDownloads = true });
        await page.GotoAsync(App.BaseUrl + "/" + query);
        await Ready(page);
        return page;
    }

    /// <summary>Scrolls a lazy panel into view and waits until it has fetched and drawn its data.</summary>
    public static async Task ShowPanel(IPage page, string id)
    {
        await page.Locator("#" + id).ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync($"#{id}[data-state='ready']");
        await Ready(page);
    }

    /// <summary>Waits until the page has fetched and drawn everything for its current inputs.</summary>
    public static Task Ready(IPage page) => page.WaitForFunctionAsync("() => document.body.dataset.ready === '1'");

    public async Task<JsonElement> ApiAsync(string url)
    {
        using var client = App.CreateClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync(url));
        return doc.RootElement.Clone();
    }
}

public partial class BrowserTests(BrowserFixture f, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static string Gb(JsonElement memory) =>
        (memory.GetProperty("totalBytes").GetDouble() / 1e9).ToString("N1", CultureInfo.InvariantCulture) + " GB";

    private static Task<string> Total(IPage page) => page.InnerTextAsync("#memory-table tr[data-part='memory.total'] td.num");

    private static Task<string> PerfSvg(IPage page) => page.InnerHTMLAsync("#perf-chart svg");

    [Fact]
    public async Task The_page_and_the_api_reference_run_under_their_content_security_policy_without_violations()
    {
        var page = await f.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
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

    /// <summary>Records every request a page makes, with its response (null when it failed).</summary>
    private static List<IRequest> Record(IPage page)
    {
        var requests = new List<IRequest>();
        page.Request += (_, r) => { lock (requests) { requests.Add(r); } };
        return requests;
    }

    private List<string> LeavingTheHost(IEnumerable<IRequest> requests) =>
        [.. requests.Select(r => r.Url).Where(u => !u.StartsWith(f.App.BaseUrl + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal))];

    [Fact]
    public async Task A_page_load_and_a_plan_stay_on_this_server_with_an_icon_and_weigh_under_500_kB_compressed()
    {
        var page = await f.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        var requests = Record(page);
        await page.GotoAsync(f.App.BaseUrl + "/");
        await BrowserFixture.Ready(page);
        // One plan: every lazy panel of the default inputs (plan hours, sensitivity, compare, search).
        foreach (var panel in new[] { "panel-fleet", "panel-sensitivity", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        IRequest[] seen;
        lock (requests) { seen = [.. requests]; }
        Assert.Empty(LeavingTheHost(seen));
        long transferred = 0;
        var failed = new List<string>();
        foreach (var r in seen)
        {
            var response = await r.ResponseAsync();
            if (response is null || response.Status >= 400)
            {
                failed.Add($"{r.Url} {response?.Status}");
            }
            var sizes = await r.SizesAsync();
            transferred += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }
        Assert.Empty(failed);
        output.WriteLine($"{seen.Length} requests, {transferred:N0} bytes transferred");
        Assert.True(transferred < 500_000, $"page load and plan transferred {transferred:N0} bytes");
        Assert.Equal("favicon.svg", await page.GetAttributeAsync("link[rel='icon']", "href"));

        // The API reference: no fonts or scripts from elsewhere, no AI, SDK or deploy buttons.
        var reference = await f.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        var referenceRequests = Record(reference);
        await reference.GotoAsync(f.App.BaseUrl + "/scalar/");
        await reference.WaitForFunctionAsync("() => document.querySelector('#app') && document.body.innerText.includes('Suanli')");
        await reference.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (referenceRequests) { seen = [.. referenceRequests]; }
        Assert.Empty(LeavingTheHost(seen));
        var text = await reference.InnerTextAsync("body");
        foreach (var button in new[] { "Ask AI", "Generate SDK", "Deploy" })
        {
            Assert.DoesNotContain(button, text, StringComparison.OrdinalIgnoreCase);
        }
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
    public async Task Chinese_switch_translates_every_label_and_currency_converts_prices_at_the_catalog_rate()
    {
        var page = await f.OpenAsync("?currency=USD");
        await page.ClickAsync("#lang-zh");
        Assert.Equal("单个模型副本的显存占用", await page.InnerTextAsync("#panel-memory h2"));
        Assert.Equal("参数量", await page.InnerTextAsync("#memory-table tbody tr td"));
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        var untranslated = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[data-i18n]')].filter(e => e.textContent !== window.SUANLI_I18N[e.dataset.i18n].zh).map(e => e.dataset.i18n)");
        Assert.Empty(untranslated);
        Assert.Contains("lang=zh", page.Url, StringComparison.Ordinal);

        var h100 = (await f.ApiAsync("/api/catalog/hardware")).GetProperty("devices").EnumerateArray().First(d => d.GetProperty("id").GetString() == "nvidia-h100-sxm5-80gb");
        var price = h100.GetProperty("price");
        Assert.Equal("USD", price.GetProperty("currency").GetString());
        var usd = price.GetProperty("amount").GetDecimal();
        var row = "#hardware-table tr[data-id='nvidia-h100-sxm5-80gb'] td.price";
        Assert.Equal("$" + usd.ToString("N0", CultureInfo.InvariantCulture), await page.InnerTextAsync(row));
        await page.SelectOptionAsync("#currency", "CNY");
        // catalog/prices/energy.yaml: 1 USD = 6.9858 CNY on 2026-01-27 (CFETS central parity, the newest stored rate).
        Assert.Equal("¥" + (usd * 6.9858m).ToString("N0", CultureInfo.InvariantCulture), await page.InnerTextAsync(row));
        var note = await page.InnerTextAsync("#rate-note");
        Assert.Contains("6.9858", note, StringComparison.Ordinal);
        Assert.Contains("2026-01-27", note, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "planner-zh.png"), FullPage = true });
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
        var again = await f.Browser.NewPageAsync();
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
        var page = await f.Browser.NewPageAsync();
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
        Assert.Contains(cheapest.GetProperty("model").GetString()!, await page.InnerTextAsync("#pareto-summary"), StringComparison.Ordinal);
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
        Assert.Equal("qwen2.5-7b-instruct", cheapest.GetProperty("model").GetString());
        Assert.Equal("own", cheapest.GetProperty("costBasis").GetString());
        Assert.Equal(own, cheapest.GetProperty("costPerMonth").GetProperty("amount").GetDecimal());

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
        output.WriteLine($"own per month: plan {own}, page ¥{shown}, search {cheapest.GetProperty("costPerMonth").GetProperty("amount").GetDecimal()}");
    }

    /// <summary>
    /// Pairs of visible boxes that overlap by more than a pixel each way: panels' tables, charts, headlines, notes and
    /// finding lists (each clipped by any scrolling ancestor), and inside each chart its text (tick labels, bar labels,
    /// legend, axis names).
    /// </summary>
    private const string Overlaps = """
        () => {
          const visible = e => { const s = getComputedStyle(e); return s.visibility !== 'hidden' && s.display !== 'none' && +s.opacity !== 0 && e.getClientRects().length > 0; };
          const clip = e => {
            let r = e.getBoundingClientRect(); r = { l: r.left, t: r.top, r: r.right, b: r.bottom };
            for (let a = e.parentElement; a; a = a.parentElement) {
              const s = getComputedStyle(a);
              if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
                const c = a.getBoundingClientRect();
                r = { l: Math.max(r.l, c.left), t: Math.max(r.t, c.top), r: Math.min(r.r, c.right), b: Math.min(r.b, c.bottom) };
              }
            }
            return r;
          };
          const hit = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1;
          const name = e => (e.closest('section') ? e.closest('section').id + ' ' : '') + (e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''));
          const found = [];
          const boxes = [...document.querySelectorAll('main .panel :is(table, .chart, .headline, .note, .findings, .deployments, h2, h3, form, .split)')]
            .filter(visible).map(e => ({ e, r: clip(e) })).filter(x => x.r.r - x.r.l > 1 && x.r.b - x.r.t > 1);
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i], b = boxes[j];
              if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
              if (hit(a.r, b.r)) found.push(name(a.e) + ' / ' + name(b.e));
            }
          for (const c of document.querySelectorAll('main .chart')) {
            if (!visible(c)) continue;
            const texts = [...c.querySelectorAll('svg text')].filter(t => t.textContent.trim() && +(t.getAttribute('opacity') ?? 1) > 0 && +(getComputedStyle(t).opacity) > 0)
              .map(t => { const r = t.getBoundingClientRect(); return { t: t.textContent, r: { l: r.left, t: r.top, r: r.right, b: r.bottom } }; });
            const box = c.getBoundingClientRect();
            for (const x of texts) if (x.r.l < box.left - 1 || x.r.r > box.right + 1) found.push(c.id + ' text cut: ' + x.t);
            for (let i = 0; i < texts.length; i++)
              for (let j = i + 1; j < texts.length; j++)
                if (hit(texts[i].r, texts[j].r)) found.push(c.id + ' text: ' + texts[i].t + ' / ' + texts[j].t);
          }
          return found;
        }
        """;

    [Theory]
    [InlineData(1440, 900)]
    [InlineData(1024, 768)]
    [InlineData(390, 844)]
    public async Task At_1440_1024_and_390_px_no_two_panel_boxes_or_chart_labels_overlap_and_the_page_fits_the_width(int width, int height)
    {
        var page = await f.Browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.GotoAsync(f.App.BaseUrl + "/");
        await BrowserFixture.Ready(page);
        foreach (var panel in new[] { "panel-fleet", "panel-sensitivity", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        await page.ScreenshotAsync(new() { Path = Shot($"layout-{width}.png"), FullPage = true });
        var overlaps = await page.EvaluateAsync<string[]>(Overlaps);
        Assert.True(overlaps.Length == 0, $"{width} px: " + string.Join("; ", overlaps));
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"page is {scrollWidth} px wide at {width} px");
        if (width < 600)
        {
            // Results first on a phone: the first result panel starts above the form.
            var memory = (await page.Locator("#panel-memory").BoundingBoxAsync())!;
            var inputs = (await page.Locator("#inputs").BoundingBoxAsync())!;
            Assert.True(memory.Y < inputs.Y, $"memory panel at y {memory.Y}, inputs at y {inputs.Y}");
        }
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
        Assert.Contains("90th percentile", help["f-ttft"], StringComparison.Ordinal);
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
    public async Task Device_memory_reads_as_the_catalog_writes_it_and_the_time_zone_defaults_to_shanghai_on_the_chinese_page_and_utc_otherwise()
    {
        // catalog/hardware/devices.yaml: the H100 SXM5 80GB has "80 GiB" (85.9 GB), the H200 "141 GB".
        var page = await f.OpenAsync();
        Assert.Equal("80 GiB", await page.InnerTextAsync("#hardware-table tr[data-id='nvidia-h100-sxm5-80gb'] td:nth-child(2)"));
        Assert.Equal("141 GB", await page.InnerTextAsync("#hardware-table tr[data-id='nvidia-h200-sxm-141gb'] td:nth-child(2)"));
        Assert.Contains("(80 GiB = 85.9 GB)", await page.InnerTextAsync("#memory-axis"), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<![\d,.])86 GB", await page.InnerTextAsync("main")); // 186 GB is a device of its own

        Assert.Equal("UTC", await page.InputValueAsync("#f-timeZone"));
        await BrowserFixture.ShowPanel(page, "panel-fleet");
        Assert.Contains("(hours in UTC)", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);

        // The Chinese page plans office hours in China's time zone, and the plan and its files say so.
        await page.ClickAsync("#lang-zh");
        await BrowserFixture.Ready(page);
        Assert.Equal("Asia/Shanghai", await page.InputValueAsync("#f-timeZone"));
        Assert.Contains("timeZone=Asia%2FShanghai", page.Url, StringComparison.Ordinal);
        Assert.Contains("时区 Asia/Shanghai", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);
        var hours = await f.ApiAsync("/api/plan/hours?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&timeZone=Asia/Shanghai");
        Assert.Equal("Asia/Shanghai", hours.GetProperty("timeZone").GetString());
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-yaml"));
        Assert.Contains("time_zone: Asia/Shanghai", await File.ReadAllTextAsync((await download.PathAsync())!), StringComparison.Ordinal);
        var fresh = await f.OpenAsync("?lang=zh");
        Assert.Equal("Asia/Shanghai", await fresh.InputValueAsync("#f-timeZone"));

        // A zone the system does not know is refused beside the field.
        await page.FillAsync("#f-timeZone", "Mars/Olympus_Mons");
        await BrowserFixture.Ready(page);
        Assert.Contains("Mars/Olympus_Mons", await page.InnerTextAsync("[data-error-for='timeZone']"), StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#f-timeZone", "aria-invalid"));
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
        var again = await f.Browser.NewPageAsync();
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
    public async Task At_phone_width_the_page_fits_the_screen_the_form_is_one_column_and_a_top_link_reaches_the_results()
    {
        var page = await f.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync(f.App.BaseUrl + "/");
        await BrowserFixture.Ready(page);
        foreach (var panel in new[] { "panel-fleet", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        await page.ScreenshotAsync(new() { Path = Shot("planner-390.png"), FullPage = true });
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390,
            "page is " + await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") + " px wide");
        // One column: each input sits below its label, not beside it.
        var label = (await page.Locator("label[for='f-model']").BoundingBoxAsync())!;
        var input = (await page.Locator("#f-model").BoundingBoxAsync())!;
        Assert.True(input.Y >= label.Y + label.Height - 1, $"input at y {input.Y}, label ends at {label.Y + label.Height}");
        Assert.True(Math.Abs(input.X - label.X) < 2, $"input at x {input.X}, label at x {label.X}");

        // The link at the top of the page leads to the first result panel.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var link = (await page.Locator("#to-results").BoundingBoxAsync())!;
        Assert.True(link.Y < 200, $"results link at y {link.Y}");
        await page.ClickAsync("#to-results");
        await page.WaitForFunctionAsync("() => Math.abs(document.getElementById('panel-memory').getBoundingClientRect().top) < 5");
        Assert.True(await page.IsVisibleAsync("#memory-fit"));
    }

    [Fact]
    public async Task An_unmeetable_ttft_is_explained_beside_the_ttft_field_and_a_refused_download_shows_why()
    {
        // Llama 3.1 70B in BF16 on one H100 layout cannot prefill 1,024 tokens within 50 ms (the plan and search say so).
        var page = await f.OpenAsync("?model=llama-3.1-70b&candidates=llama-3.1-70b&ttft=0.05");
        var downloads = 0;
        page.Download += (_, _) => downloads++;

        // Before any scrolling: the summary bar at the top and the field say so, with the plan's remedies.
        await page.WaitForSelectorAsync("#plan-alert:not([hidden])");
        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
        var bar = (await page.Locator("#plan-alert").BoundingBoxAsync())!;
        Assert.True(bar.Y + bar.Height < 1100, $"the summary bar ends at {bar.Y + bar.Height} px, below the first screen");
        var alert = await page.InnerTextAsync("#plan-alert");
        output.WriteLine(alert);
        Assert.StartsWith("“First token within (s, p90)” cannot be met:", alert, StringComparison.Ordinal);
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

        // The search answers with no deployment; its rejection reasons also go beside the field.
        await BrowserFixture.ShowPanel(page, "panel-pareto");
        Assert.Contains("TTFT target", await page.InnerTextAsync("[data-error-for='ttft']"), StringComparison.Ordinal);

        foreach (var id in new[] { "#download-md", "#download-xlsx" })
        {
            await page.EvaluateAsync("() => document.getElementById('download-error').textContent = ''");
            await page.ClickAsync(id);
            await page.WaitForFunctionAsync("() => document.getElementById('download-error').textContent.length > 0");
            Assert.Contains("TTFT target", await page.InnerTextAsync("#download-error"), StringComparison.Ordinal);
        }
        Assert.Equal(0, downloads);

        // A target that can be met clears the field's message.
        await page.FillAsync("#f-ttft", "2");
        await BrowserFixture.Ready(page);
        await page.WaitForSelectorAsync("#panel-pareto[data-state='ready']");
        await BrowserFixture.Ready(page);
        Assert.Empty(await page.InnerTextAsync("[data-error-for='ttft']"));
        Assert.True(await page.IsHiddenAsync("#plan-alert"));
    }

    [Fact]
    public async Task On_the_chinese_page_the_cost_legend_option_names_and_server_findings_are_chinese()
    {
        var page = await f.OpenAsync("?lang=zh");
        await BrowserFixture.ShowPanel(page, "panel-cost");
        var chart = await page.InnerTextAsync("#cost-chart") + "\n" + await page.InnerTextAsync("#cost-legend");
        // The own option's lines (src/Suanli/Cost/CostModel.cs) and the API's token lines, in Chinese.
        foreach (var part in new[] { "设备投资（摊销）", "电费", "维护", "租金", "输入 token", "输出 token" })
        {
            Assert.Contains(part, chart, StringComparison.Ordinal);
        }
        foreach (var english in new[] { "capex", "maintenance", "(buy)", "(rent ", " on 1x " })
        {
            Assert.DoesNotContain(english, chart, StringComparison.Ordinal);
        }
        // The option names in full (the axis truncates long ones), as the chart holds them.
        var names = string.Join("\n", await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('cost-chart')).getOption().yAxis[0].data"));
        Assert.Contains("自建: qwen2.5-7b-instruct bf16，1 张 nvidia-h100-sxm5-80gb（购买）", names, StringComparison.Ordinal);
        Assert.Contains("租用: qwen2.5-7b-instruct bf16，1 张 nvidia-h100-sxm5-80gb（租用：", names, StringComparison.Ordinal);
        Assert.Contains("每月", await page.InnerTextAsync("#cost-summary"), StringComparison.Ordinal);

        // The server renders its findings in the page's language (lang=zh on every call): the memory panel's
        // rule-of-thumb note, with the numbers the English one has.
        var memory = await page.InnerTextAsync("#memory-findings");
        Assert.Contains("“1.2 x 权重”经验规则给出", memory, StringComparison.Ordinal);
        Assert.DoesNotContain("English", memory, StringComparison.Ordinal);

        // Back in English, the names and findings are the server's English again.
        await page.ClickAsync("#lang-en");
        await BrowserFixture.Ready(page);
        Assert.Contains("capex (amortised)", await page.InnerTextAsync("#cost-legend"), StringComparison.Ordinal);
        Assert.Contains("The '1.2 x weights' rule gives", await page.InnerTextAsync("#memory-findings"), StringComparison.Ordinal);
    }

    private static async Task<byte[]> DownloadAsync(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(link));
        return await File.ReadAllBytesAsync((await download.PathAsync())!);
    }

    // A run of four or more English words (letters only, so model and device ids, units and numbers do not count).
    [System.Text.RegularExpressions.GeneratedRegex(@"\b[A-Za-z][a-z']+(?:[ ,;:]+[A-Za-z][a-z']+\b){3,}")]
    private static partial System.Text.RegularExpressions.Regex EnglishRun();

    [Theory]
    [InlineData("")]
    [InlineData("&model=llama-3.1-70b&candidates=llama-3.1-70b&ttft=0.05")]
    // The web layer's own input checks: not a number, out of range (memory and perf; the plan panels), an unknown name.
    [InlineData("&devices=abc&batch=0&peak=-1&ttft=1e9")]
    [InlineData("&model=qwen2.5-7b-instrct")]
    public async Task The_chinese_page_shows_no_english_sentence(string inputs)
    {
        var page = await f.OpenAsync("?lang=zh" + inputs);
        foreach (var panel in new[] { "panel-fleet", "panel-sensitivity", "panel-cost", "panel-pareto" })
        {
            await page.Locator("#" + panel).ScrollIntoViewIfNeededAsync();
            await page.WaitForSelectorAsync($"#{panel}[data-state='ready'], #{panel}[data-state='error']");
            await BrowserFixture.Ready(page);
        }
        var text = await page.InnerTextAsync("body");
        var english = EnglishRun().Matches(text).Select(m => m.Value).Distinct().ToList();
        output.WriteLine(string.Join("\n", english));
        Assert.True(english.Count == 0, "English on the Chinese page: " + string.Join(" | ", english));
        if (inputs.Contains("ttft=0.05", StringComparison.Ordinal))
        {
            // The unmeetable target is explained beside its field, in Chinese.
            Assert.Contains("TTFT 目标", await page.InnerTextAsync("[data-error-for='ttft']"), StringComparison.Ordinal);
        }
        if (inputs.Contains("devices=abc", StringComparison.Ordinal))
        {
            // Each range message beside its field, naming it by the page's Chinese label.
            Assert.StartsWith("“设备数”：'abc' 不是数字", await page.InnerTextAsync("[data-error-for='devices']"), StringComparison.Ordinal);
            Assert.StartsWith("“高峰并发请求数” 必须在 ", await page.InnerTextAsync("[data-error-for='peak']"), StringComparison.Ordinal);
        }
        if (inputs.Contains("instrct", StringComparison.Ordinal))
        {
            Assert.StartsWith("未知的模型 'qwen2.5-7b-instrct'", await page.InnerTextAsync("[data-error-for='model']"), StringComparison.Ordinal);
        }
        if (inputs.Length == 0)
        {
            // The downloads of the Chinese page: the Markdown report and every cell of the spreadsheet.
            var markdown = await DownloadAsync(page, "#download-md");
            var md = EnglishRun().Matches(System.Text.Encoding.UTF8.GetString(markdown)).Select(m => m.Value).Distinct().ToList();
            Assert.True(md.Count == 0, "English in the Chinese Markdown report: " + string.Join(" | ", md));
            using var book = new ClosedXML.Excel.XLWorkbook(new MemoryStream(await DownloadAsync(page, "#download-xlsx")));
            var cells = book.Worksheets.SelectMany(w => w.CellsUsed().Select(c => (Where: $"{w.Name}!{c.Address}", Text: c.GetString())))
                .Append((Where: "sheet names", Text: string.Join(", ", book.Worksheets.Select(w => w.Name))))
                .SelectMany(c => EnglishRun().Matches(c.Text).Select(m => $"{c.Where}: {m.Value}")).ToList();
            Assert.True(cells.Count == 0, "English in the Chinese spreadsheet: " + string.Join(" | ", cells));
        }
        await page.ScreenshotAsync(new() { Path = Shot(inputs.Length == 0 ? "planner-zh-findings.png" : inputs.Contains("ttft=0.05", StringComparison.Ordinal) ? "planner-zh-infeasible.png" : "planner-zh-bad-input.png"), FullPage = true });

        // The check finds English where there is some: the same page in English has such runs.
        await page.ClickAsync("#lang-en");
        await BrowserFixture.Ready(page);
        Assert.NotEmpty(EnglishRun().Matches(await page.InnerTextAsync("body")));
        if (inputs.Length == 0)
        {
            Assert.NotEmpty(EnglishRun().Matches(System.Text.Encoding.UTF8.GetString(await DownloadAsync(page, "#download-md"))));
        }
    }
}
