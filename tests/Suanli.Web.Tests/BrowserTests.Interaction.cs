using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

public partial class BrowserTests
{
    // Which panels each input feeds (docs/web.md, "Panels"): memory and throughput take the model, formats,
    // hardware, devices, batch and tokens; the plan panels (fleet, sensitivity, cost, search) take the scenario; the
    // hosted API only the cost panel, the candidate models only the search.
    private static readonly string[] Quick = ["memory", "perf"];
    private static readonly string[] Plan = ["fleet", "sensitivity", "cost", "pareto"];

    [Fact]
    public async Task Every_input_marks_its_panels_loading_at_once_and_then_every_headline_is_the_api_answer_for_the_new_inputs()
    {
        var page = await f.OpenAsync("?currency=CNY&timeZone=UTC");
        foreach (var panel in Plan)
        {
            await BrowserFixture.ShowPanel(page, "panel-" + panel);
        }
        var inputs = new Dictionary<string, string>
        {
            ["model"] = "qwen2.5-7b-instruct", ["precision"] = "bf16", ["kvPrecision"] = "", ["hardware"] = "nvidia-h100-sxm5-80gb", ["devices"] = "1",
            ["batch"] = "16", ["prompt"] = "1024", ["output"] = "256", ["peak"] = "50", ["profile"] = "office-hours", ["timeZone"] = "UTC",
            ["ttft"] = "2", ["tpot"] = "0.1", ["ttftPercentile"] = "90", ["tpotPercentile"] = "90", ["api"] = "gpt-4o-mini", ["candidates"] = "qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b",
            ["cost"] = "cheaper", ["rentTerm"] = "", ["purchase"] = "newest", ["today"] = "", ["exhaustive"] = "",
            ["currency"] = "CNY",
        };
        var edits = new (string Field, string Value, string[] Panels)[]
        {
            // First, so that the search every later plan edit runs again tries two candidate models, not the page's
            // four (qwen2.5-72b's layouts the longest of them): the same edits, values and checks, less searching.
            ("candidates", "qwen2.5-7b,qwen2.5-32b", ["pareto"]),
            ("model", "qwen2.5-14b", [.. Quick, .. Plan]),
            ("precision", "fp8", [.. Quick, .. Plan]),
            ("kvPrecision", "fp8", [.. Quick, .. Plan]),
            ("hardware", "nvidia-h200-sxm-141gb", [.. Quick, .. Plan]),
            ("devices", "2", Quick),
            ("batch", "32", Quick),
            ("prompt", "2048", [.. Quick, .. Plan]),
            ("output", "512", [.. Quick, .. Plan]),
            ("peak", "80", Plan),
            ("profile", "flat", Plan),
            ("timeZone", "Asia/Shanghai", Plan),
            ("ttft", "1.5", Plan),
            ("tpot", "0.08", Plan),
            ("ttftPercentile", "99", Plan),
            ("tpotPercentile", "95", Plan),
            ("api", "gpt-4.1-mini", ["cost"]),
            // The search's choices: the search alone, except the rent term, which the plan's rent takes too (the page
            // then posts the scenario file with its rent_term). On-demand is the term the plan chooses for this device
            // (the catalog has no reserved row for it), so the plan's figures stay those of the query below.
            ("cost", "rent", ["pareto"]),
            ("purchase", "street-estimate", ["pareto"]),
            ("today", "2026-12-01", ["pareto"]),
            ("rentTerm", "on-demand", Plan),
            // The currency beside the form (the header's): every plan panel is priced again.
            ("currency", "USD", Plan),
            ("exhaustive", "true", ["pareto"]),
        };
        // Every input of the form is edited once (the form's fields, js/state.js FIELDS).
        var fields = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#form [name]')].map(e => e.name)");
        Assert.Equal(fields.Append("currency").Order(StringComparer.Ordinal), edits.Select(e => e.Field).Order(StringComparer.Ordinal));
        foreach (var (field, value, panels) in edits)
        {
            // The edit and the check in one step of the page's thread: the panels are marked before any timer or call.
            var states = await page.EvaluateAsync<string[]>(@"([field, value, panels]) => {
                const el = document.getElementById(field === 'currency' ? field : 'f-' + field);
                if (el.type === 'checkbox') el.checked = value === 'true'; else el.value = value;
                el.dispatchEvent(new Event(field === 'currency' ? 'change' : 'input', { bubbles: true }));
                return panels.map(id => {
                    const s = document.getElementById('panel-' + id);
                    const note = s.querySelector('.stale-note');
                    const loading = s.dataset.state === 'loading' || (s.classList.contains('stale') && note && !note.hidden && note.dataset.i18n === 'status.updating');
                    return id + ':' + (loading ? 'loading' : 'shows ' + (s.classList.contains('stale') ? 'stale' : 'current'));
                });
            }", new object[] { field, value, panels });
            Assert.All(states, s => Assert.EndsWith(":loading", s, StringComparison.Ordinal));
            inputs[field] = value;

            await BrowserFixture.Ready(page);
            // Logged, not asserted (no timed tests): scripts/measure.sh reads these lines into docs/timings.md.
            output.WriteLine($"edit-ms {field}: {await page.GetAttributeAsync("body", "data-edit-ms")}");
            Assert.Equal(0, await page.Locator(".panel.stale").CountAsync());
            await AssertHeadlinesAreTheApis(page, inputs, field);
        }
    }

    private async Task AssertHeadlinesAreTheApis(IPage page, Dictionary<string, string> s, string edited)
    {
        var context = int.Parse(s["prompt"], CultureInfo.InvariantCulture) + int.Parse(s["output"], CultureInfo.InvariantCulture);
        var model = $"model={s["model"]}&precision={s["precision"]}&hardware={s["hardware"]}" + (s["kvPrecision"].Length > 0 ? $"&kvPrecision={s["kvPrecision"]}" : "");
        var memory = await f.ApiAsync($"/api/memory?{model}&context={context}&batch={s["batch"]}&devices={s["devices"]}");
        Assert.Equal(Gb(memory), await Total(page));

        var perf = await f.ApiAsync($"/api/perf?{model}&devices={s["devices"]}&input={s["prompt"]}&output={s["output"]}&batch={s["batch"]}");
        var row = perf.GetProperty("rows")[0];
        var tps = double.Parse(row.GetProperty("outputTokensPerSecond").GetDouble().ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var perfSummary = await page.InnerTextAsync("#perf-summary");
        Assert.Contains($"at batch {s["batch"]}, {tps.ToString("#,0.###", CultureInfo.InvariantCulture)} tokens/s", perfSummary, StringComparison.Ordinal);
        Assert.StartsWith($"{perf.GetProperty("devices").GetInt32()} × {s["hardware"]} ", perfSummary, StringComparison.Ordinal);
        Assert.Equal(s["hardware"], await page.GetAttributeAsync("#hardware-table tr.selected", "data-id"));

        var zone = Uri.EscapeDataString(s["timeZone"]);
        var scenario = $"{model}&peakConcurrency={s["peak"]}&input={s["prompt"]}&output={s["output"]}&ttftP90={s["ttft"]}&tpotP90={s["tpot"]}&ttftPercentile={s["ttftPercentile"]}&tpotPercentile={s["tpotPercentile"]}&profile={s["profile"]}&timeZone={zone}&currency={s["currency"]}";
        var hours = await f.ApiAsync("/api/plan/hours?" + scenario);
        var fleet = await page.InnerTextAsync("#fleet-summary");
        Assert.StartsWith($"{hours.GetProperty("devicesPeak").GetInt32()} × {s["hardware"]} ", fleet, StringComparison.Ordinal);
        Assert.Contains(s["timeZone"], fleet, StringComparison.Ordinal);

        var plan = await f.ApiAsync("/api/plan?" + scenario);
        var costs = plan.GetProperty("costs");
        var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
        var own = costs.GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy).GetProperty("own").GetProperty("perMonth").GetDecimal();
        Assert.Equal(Money(s, own), await page.InnerTextAsync("#cost-table tr[data-kind='own'] td.num"));
        // The hosted API of the API field, priced at the plan's requests per month.
        var compare = await f.ApiAsync($"/api/compare?requestsPerMonth={costs.GetProperty("requestsPerMonth").GetRawText()}&input={s["prompt"]}&output={s["output"]}&api={s["api"]}&currency={s["currency"]}");
        var api = compare.GetProperty("options").EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "api");
        Assert.Equal(Money(s, api.GetProperty("perMonth").GetDecimal()), await page.InnerTextAsync("#cost-table tr[data-kind='api'] td.num"));
        Assert.Contains(s["api"], await page.InnerTextAsync("#cost-table tr[data-kind='api']"), StringComparison.Ordinal);

        var sensitivity = (await f.ApiAsync("/api/plan/sensitivity?" + scenario)).GetProperty("sensitivity");
        Assert.StartsWith($"{sensitivity.GetProperty("devices").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} devices, {Money(s, sensitivity.GetProperty("costPerMonth").GetDecimal())} a month;",
            await page.InnerTextAsync("#sensitivity-summary"), StringComparison.Ordinal);

        var choices = string.Concat(new[] { "cost", "rentTerm", "purchase", "today", "exhaustive" }.Where(k => s[k].Length > 0).Select(k => $"&{k}={s[k]}"));
        var search = await f.ApiAsync("/api/plan/search?" + scenario + $"&candidates={s["candidates"]}&top=50" + choices);
        var cheapest = search.GetProperty("applications")[0].GetProperty("cheapest");
        var pareto = await page.InnerTextAsync("#pareto-summary");
        output.WriteLine($"after {edited}: {pareto}");
        Assert.Contains($"{cheapest.GetProperty("deployment").GetProperty("model").GetString()} on {cheapest.GetProperty("fleet").GetProperty("devices").GetInt32()} × {cheapest.GetProperty("deployment").GetProperty("hardware").GetString()}, {Money(s, cheapest.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal())} per month",
            pareto, StringComparison.Ordinal);
        Assert.StartsWith($"{search.GetProperty("candidates").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} ", pareto, StringComparison.Ordinal);
    }

    // moneyIn of the page (js/format.js): whole yuan or dollars from 100 up, cents below.
    private static string Money(Dictionary<string, string> s, decimal amount) =>
        (s["currency"] == "USD" ? "$" : "¥") + amount.ToString(Math.Abs(amount) < 100 ? "N2" : "N0", CultureInfo.InvariantCulture);
}

public partial class BrowserTests
{
    [Theory]
    [InlineData("en", "“Devices”: 'abc' is not a number", "“Peak concurrent requests” must be from ")]
    [InlineData("zh", "“设备数”：'abc' 不是数字", "“高峰并发请求数” 必须在 ")]
    public async Task A_message_beside_a_field_names_it_by_the_pages_label_in_the_pages_language_not_the_api_parameter(string lang, string devices, string peak)
    {
        var page = await f.OpenAsync($"?lang={lang}&devices=abc&peak=-1");
        // The peak feeds the plan panels: the fleet panel asks for the plan and gets the error.
        await page.Locator("#panel-fleet").ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync("#panel-fleet[data-state='error']");
        await BrowserFixture.Ready(page);
        var besideDevices = await page.InnerTextAsync("[data-error-for='devices']");
        var besidePeak = await page.InnerTextAsync("[data-error-for='peak']");
        output.WriteLine(besideDevices + "\n" + besidePeak);
        Assert.StartsWith(devices, besideDevices, StringComparison.Ordinal);
        Assert.StartsWith(peak, besidePeak, StringComparison.Ordinal);
        Assert.DoesNotContain("peakConcurrency", besidePeak, StringComparison.Ordinal);
        Assert.DoesNotContain("--", besidePeak + besideDevices, StringComparison.Ordinal);
    }
}
