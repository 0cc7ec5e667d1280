using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Browser tests of the Chinese page: labels, currency, time zone, help texts and no English sentences.</summary>
public partial class BrowserTests
{
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
    public async Task Cost_note_gives_the_rate_the_plan_converted_its_device_prices_at_when_the_hosted_api_needs_none()
    {
        // A CNY plan on the H100 buys and rents it at USD catalog prices converted at 1 USD = 6.9858 CNY (2026-01-27,
        // the plan's exchange-rate finding), beside a hosted API priced in CNY (no conversion): the note said every price
        // was already in CNY.
        var page = await f.OpenAsync("?lang=zh&currency=CNY&peak=20&api=" + Uri.EscapeDataString("DeepSeek/deepseek-chat (DeepSeek-V3.2, CNY)"));
        await BrowserFixture.ShowPanel(page, "panel-cost");
        var rate = await page.InnerTextAsync("#cost-rate");
        Assert.Contains("1 USD = 6.9858 CNY", rate, StringComparison.Ordinal);
        Assert.Contains("2026-01-27", rate, StringComparison.Ordinal);
        Assert.DoesNotContain("无需汇率换算", rate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stale_prices_of_different_kinds_are_not_merged_into_one_name_list_on_the_chinese_page()
    {
        // A CNY plan on the Ascend 910C uses two stale entries: the CN-industrial-average tariff (2024-12-31) and the
        // 910C's purchase price (2024-08-01). Their Chinese sentences have as many words, so the page merged the first
        // word into "CN-industrial-average, huawei-ascend-910c 电价的日期为 2024-12-31": the tariff's kind and date for both.
        var page = await f.OpenAsync("?lang=zh&currency=CNY&hardware=huawei-ascend-910c&peak=20");
        await BrowserFixture.ShowPanel(page, "panel-cost");
        var lines = string.Join("\n", await page.Locator("#cost-findings li").AllInnerTextsAsync());
        Assert.Contains("CN-industrial-average 电价的日期为 2024-12-31", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("CN-industrial-average, huawei-ascend-910c", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("huawei-ascend-910c, CN-industrial-average", lines, StringComparison.Ordinal);
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
    public async Task On_the_chinese_page_the_cost_legend_option_names_and_server_findings_are_chinese()
    {
        var page = await f.OpenAsync("?lang=zh");
        await BrowserFixture.ShowPanel(page, "panel-cost");
        var chart = await page.InnerTextAsync("#cost-chart") + "\n" + await page.InnerTextAsync("#cost-legend");
        // The own option's lines (src/Suanli/Cost/CostModel.cs) and the API's token lines, in Chinese.
        foreach (var part in new[] { "设备投资（摊销）", "电费", "维护", "租金", "输入词元", "输出词元" })
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
        var namesEn = string.Join("\n", await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('cost-chart')).getOption().yAxis[0].data"));
        Assert.Contains("Own: qwen2.5-7b-instruct bf16 on 1x nvidia-h100-sxm5-80gb (buy)", namesEn, StringComparison.Ordinal);
        Assert.Contains("Rent: qwen2.5-7b-instruct bf16 on 1x nvidia-h100-sxm5-80gb (rent ", namesEn, StringComparison.Ordinal);
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
    // The page's own table and chart of pinned plans (headers, units, the basis of each cost), one plan pinned beside.
    [InlineData("&pin=model%3Dqwen2.5-32b-instruct")]
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
            // The page's application is named for its model, not 'application'.
            Assert.DoesNotContain("'application'", text, StringComparison.Ordinal);
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
        if (inputs.Contains("pin=", StringComparison.Ordinal))
        {
            await page.WaitForSelectorAsync("#panel-pinned:not([hidden])");
            Assert.Equal(1, await page.Locator("#pinned-table tbody tr").CountAsync());
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
        await page.ScreenshotAsync(new() { Path = Shot(inputs.Length == 0 ? "planner-zh-findings.png" : inputs.Contains("ttft=0.05", StringComparison.Ordinal) ? "planner-zh-infeasible.png" : inputs.Contains("pin=", StringComparison.Ordinal) ? "planner-zh-pinned.png" : "planner-zh-bad-input.png"), FullPage = true });

        // The check finds English where there is some: the same page in English has such runs.
        await page.ClickAsync("#lang-en");
        await BrowserFixture.Ready(page);
        Assert.NotEmpty(EnglishRun().Matches(await page.InnerTextAsync("body")));
        if (inputs.Length == 0)
        {
            Assert.NotEmpty(EnglishRun().Matches(System.Text.Encoding.UTF8.GetString(await DownloadAsync(page, "#download-md"))));
        }
    }

    [Fact]
    public async Task The_pages_own_busy_time_limit_and_connection_errors_are_chinese_on_the_chinese_page()
    {
        // The plan panels each meet one failure the page must explain itself: the fleet a server still busy after the
        // page's retries (429 with no body, as a proxy answers), sensitivity and search the server's time limit (the
        // real answers of a server whose limit is zero), the cost panel and the downloads no connection at all.
        using var plain = new WebApplicationFactory<Program>();
        using var limited = plain.WithWebHostBuilder(b => b.UseSetting("Suanli:OperationTimeLimit", "00:00:00"));
        using var client = limited.CreateClient();
        var page = await f.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 }, AcceptDownloads = true });
        var busyCalls = 0;
        await page.RouteAsync(new Regex(@"/api/plan/hours\?"), async route =>
        {
            Interlocked.Increment(ref busyCalls);
            await route.FulfillAsync(new() { Status = 429, Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } });
        });
        async Task FromLimited(IRoute route)
        {
            using var r = await client.GetAsync(new Uri(route.Request.Url).PathAndQuery);
            await route.FulfillAsync(new() { Status = (int)r.StatusCode, ContentType = r.Content.Headers.ContentType?.ToString(), Body = await r.Content.ReadAsStringAsync() });
        }
        await page.RouteAsync(new Regex(@"/api/plan/sensitivity\?"), FromLimited);
        await page.RouteAsync(new Regex(@"/api/plan/search/stream\?"), FromLimited);
        await page.RouteAsync(new Regex(@"/api/plan(/xlsx)?\?"), route => route.AbortAsync("connectionrefused"));

        await page.GotoAsync(f.App.BaseUrl + "/?lang=zh");
        foreach (var panel in new[] { "panel-fleet", "panel-sensitivity", "panel-cost", "panel-pareto" })
        {
            await page.Locator("#" + panel).ScrollIntoViewIfNeededAsync();
            await page.WaitForSelectorAsync($"#{panel}[data-state='error']");
            await BrowserFixture.Ready(page);
        }
        await page.ClickAsync("#download-md");
        await page.WaitForFunctionAsync("() => document.getElementById('download-error').textContent !== ''");

        var zh = await page.EvaluateAsync<Dictionary<string, string>>("() => ({ busy: SUANLI_I18N['status.busy'].zh, network: SUANLI_I18N['status.network'].zh })");
        // 1 call and BUSY_RETRIES (js/api.js) more after each Retry-After, then the page's own sentence.
        Assert.Equal(5, busyCalls);
        Assert.Equal(zh["busy"], await page.InnerTextAsync("#fleet-error"));
        Assert.StartsWith("运算超过了服务器的时间上限", await page.InnerTextAsync("#sensitivity-error"), StringComparison.Ordinal);
        Assert.StartsWith("运算超过了服务器的时间上限", await page.InnerTextAsync("#pareto-error"), StringComparison.Ordinal);
        Assert.Equal(zh["network"], await page.InnerTextAsync("#cost-error"));
        Assert.Equal(zh["network"], await page.InnerTextAsync("#download-error"));
        var text = await page.InnerTextAsync("body");
        var english = EnglishRun().Matches(text).Select(m => m.Value).Distinct().ToList();
        output.WriteLine(string.Join("\n", english));
        Assert.True(english.Count == 0, "English on the Chinese page: " + string.Join(" | ", english));
        Assert.DoesNotContain("Failed to fetch", text, StringComparison.Ordinal);

        // The same failures on the English page read in English (the check above can fail).
        await page.ClickAsync("#lang-en");
        await BrowserFixture.Ready(page);
        await page.WaitForSelectorAsync("#panel-cost[data-state='error']");
        Assert.Equal("The server could not be reached; check the connection and try again.", await page.InnerTextAsync("#cost-error"));
        Assert.Equal("The server is busy with other calculations; try again in a moment.", await page.InnerTextAsync("#fleet-error"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Every_table_column_has_a_help_text_in_both_languages_and_the_chinese_page_has_no_english_help()
    {
        // A plan pinned, so the pinned table (whose "First token" and "Time per token" need saying at which batch) shows.
        var page = await f.OpenAsync("?pin=model%3Dqwen2.5-32b-instruct");
        await page.WaitForSelectorAsync("#panel-pinned:not([hidden]) #pinned-table tbody tr");
        // Each column header: its text, its title, and the title its help key has in the page's language.
        const string columns = """
            () => [...document.querySelectorAll('main th')].filter(th => th.textContent.trim())
              .map(th => [th.closest('table').id + ' ' + th.textContent.trim(), th.title, th.dataset.i18nTitle ? window.SUANLI_I18N[th.dataset.i18nTitle][document.documentElement.lang === 'en' ? 'en' : 'zh'] : ''])
            """;
        var english = await page.EvaluateAsync<string[][]>(columns);
        Assert.True(english.Length >= 18, $"{english.Length} columns");
        Assert.All(english, c => { Assert.True(c[1].Length > 20, c[0] + " has no help"); Assert.Equal(c[2], c[1]); });
        var help = english.ToDictionary(c => c[0], c => c[1]);
        Assert.Contains("prefill", help["pinned-table First token"], StringComparison.Ordinal);
        Assert.Contains("concurrent sequences", help["pinned-table Time per token"], StringComparison.Ordinal);
        Assert.Contains("own", help["cost-table Basis"], StringComparison.Ordinal);

        await page.ClickAsync("#lang-zh");
        await BrowserFixture.Ready(page);
        var chinese = await page.EvaluateAsync<string[][]>(columns);
        Assert.Equal(english.Length, chinese.Length);
        Assert.All(chinese, c => { Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", c[1]); Assert.Equal(c[2], c[1]); });
        Assert.Contains("预填充", chinese.Single(c => c[0] == "pinned-table 首词元")[1], StringComparison.Ordinal);
        // No help on the Chinese page, of an input or an output, is an English sentence (the page's text check reads
        // only what is shown, not the titles).
        var titles = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[title]')].map(e => e.title)");
        var sentences = titles.SelectMany(title => EnglishRun().Matches(title).Select(m => m.Value)).Distinct().ToList();
        Assert.True(sentences.Count == 0, "English help on the Chinese page: " + string.Join(" | ", sentences));
    }
}
