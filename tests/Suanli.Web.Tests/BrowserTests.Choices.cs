using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>The search's choices in the form (docs/web.md, "The page"): cost basis, rent term, purchase price, pricing date, exhaustive.</summary>
public partial class BrowserTests
{
    [Fact]
    public async Task The_search_choices_open_at_the_apis_defaults()
    {
        var page = await f.OpenAsync();
        // SearchChoices (src/Suanli.Runs): cheaper of own and rent, no pinned term, the newest purchase price, the
        // server's today, pruning on; the page sends nothing the API would not assume.
        Assert.Equal("cheaper", await page.InputValueAsync("#f-cost"));
        Assert.Equal("", await page.InputValueAsync("#f-rentTerm"));
        Assert.Equal("newest", await page.InputValueAsync("#f-purchase"));
        Assert.Equal("", await page.InputValueAsync("#f-today"));
        Assert.False(await page.IsCheckedAsync("#f-exhaustive"));
        Assert.Equal(["cheaper", "own", "rent"], await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#f-cost option')].map(o => o.value)"));
        Assert.Equal(["", "on-demand", "reserved-1y", "reserved-3y", "spot"], await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#f-rentTerm option')].map(o => o.value)"));
        Assert.Equal(["newest", "article-claim", "street-estimate", "list-price"], await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#f-purchase option')].map(o => o.value)"));
    }

    [Theory]
    [InlineData("en", "Reserved 3 years (as chosen in the form)", "Rent")]
    [InlineData("zh", "预留 3 年（按表单所选）", "租用")]
    public async Task Rent_on_a_reserved_3_year_term_prices_the_plan_and_the_search_and_each_strategy_shows_its_term(string lang, string term, string rent)
    {
        var page = await f.OpenAsync($"?lang={lang}&currency=USD");
        await page.SelectOptionAsync("#f-cost", "rent");
        await page.SelectOptionAsync("#f-rentTerm", "reserved-3y");
        await BrowserFixture.ShowPanel(page, "panel-cost");
        await BrowserFixture.ShowPanel(page, "panel-pareto");
        Assert.Contains("rentTerm=reserved-3y", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".panel.stale").CountAsync());

        // The plan of the page's own scenario file (its rent_term pinned), as the cost panel asked for it.
        var file = await page.EvaluateAsync<string>("() => document.getElementById('download-md').dataset.body");
        Assert.Contains("\"rent_term\": \"reserved-3y\"", file, StringComparison.Ordinal);
        using var client = f.App.CreateClient();
        var answer = await client.PostAsync($"/api/plan?lang={lang}", new StringContent(file, Encoding.UTF8, "application/json"));
        using var plan = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var strategies = plan.RootElement.GetProperty("costs").GetProperty("strategies").EnumerateArray().ToList();
        var rows = await page.Locator("#cost-terms tbody tr").AllAsync();
        Assert.Equal(strategies.Count, rows.Count);
        Assert.Equal(3, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var rentTerm = strategies[i].GetProperty("rentTerm");
            Assert.Equal("reserved-3y", rentTerm.GetProperty("term").GetString());
            Assert.True(rentTerm.GetProperty("pinned").GetBoolean());
            // A pinned reserved term is a commitment for the whole peak fleet: every device is reserved.
            Assert.Equal(rentTerm.GetProperty("peakDevices").GetInt32(), rentTerm.GetProperty("reservedDevices").GetInt32());
            Assert.Equal("reserved-3y", await rows[i].GetAttributeAsync("data-term"));
            Assert.Equal(term, await rows[i].Locator("td").Nth(1).InnerTextAsync());
            var peak = rentTerm.GetProperty("peakDevices").GetInt32().ToString("N0", CultureInfo.InvariantCulture);
            Assert.Equal(lang == "zh" ? $"{peak} 台中 {peak} 台" : $"{peak} of {peak}", await rows[i].Locator("td").Nth(2).InnerTextAsync());
        }
        // catalog/prices/rent.yaml: the cheapest H100 3-year row, AWS p5.48xlarge's 23.77728 USD per instance-hour over its 8
        // GPUs = 2.97216 USD per device-hour, billed for all of the month's 730 hours (docs/methodology-cost.md, "Choosing the rent term") for the recommended fleet.
        var recommended = plan.RootElement.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
        var chosen = strategies.Single(x => x.GetProperty("strategy").GetString() == recommended);
        var devices = chosen.GetProperty("rentTerm").GetProperty("peakDevices").GetInt32();
        var perMonth = chosen.GetProperty("rent").GetProperty("perMonth").GetDecimal();
        Assert.Equal(Math.Round(2.97216m * 730m * devices, 2), perMonth);
        Assert.Equal("$" + perMonth.ToString(perMonth < 100 ? "N2" : "N0", CultureInfo.InvariantCulture), await page.InnerTextAsync("#cost-table tr[data-kind='rent'] td.num"));

        // The search minimised rent on that term: its basis is the answer's, its term the form's, both in the page's language.
        Assert.Equal("rent", await page.GetAttributeAsync("#pareto-basis", "data-basis"));
        var choices = await page.InnerTextAsync("#pareto-basis");
        output.WriteLine(choices);
        Assert.Contains(rent, choices, StringComparison.Ordinal);
        Assert.Contains(lang == "zh" ? "预留 3 年" : "Reserved 3 years", choices, StringComparison.Ordinal);
        var search = await f.ApiAsync("/api/plan/search?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours"
            + $"&timeZone={Uri.EscapeDataString(lang == "zh" ? "Asia/Shanghai" : "UTC")}&currency=USD&candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50&cost=rent&rentTerm=reserved-3y");
        Assert.Equal("rent", search.GetProperty("costBasis").GetString());
        var cheapest = search.GetProperty("applications")[0].GetProperty("cheapest");
        Assert.Equal("rent", cheapest.GetProperty("cost").GetProperty("basis").GetString());
        var amount = cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal();
        var headline = await page.InnerTextAsync("#pareto-summary");
        Assert.Contains("$" + amount.ToString(amount < 100 ? "N2" : "N0", CultureInfo.InvariantCulture), headline, StringComparison.Ordinal);
        Assert.Contains(lang == "zh" ? "（租用）" : "(Rent)", headline, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "“Prices as of” must be a date like 2026-11-23, got '05/12/2026'.")]
    [InlineData("zh", "“价格基准日” 必须是形如 2026-11-23 的日期，实际为 '05/12/2026'。")]
    public async Task A_pricing_date_the_api_refuses_is_explained_beside_its_field_in_the_pages_words(string lang, string message)
    {
        var page = await f.OpenAsync($"?lang={lang}");
        await page.FillAsync("#f-today", "05/12/2026");
        await page.Locator("#panel-pareto").ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync("#panel-pareto[data-state='error']");
        await BrowserFixture.Ready(page);
        Assert.Equal(message, await page.InnerTextAsync("[data-error-for='today']"));
        Assert.Equal("true", await page.GetAttributeAsync("#f-today", "aria-invalid"));
        // Fixing it clears the message and the search answers for the date.
        await page.FillAsync("#f-today", "2026-12-05");
        await page.WaitForSelectorAsync("#panel-pareto[data-state='ready']");
        await BrowserFixture.Ready(page);
        Assert.Equal("", await page.InnerTextAsync("[data-error-for='today']"));
        Assert.Contains("2026-12-05", await page.InnerTextAsync("#pareto-basis"), StringComparison.Ordinal);
    }
}
