using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

public partial class BrowserTests
{
    // Which panels each main input feeds (docs/web.md, "Panels"): memory and throughput take the model, formats,
    // hardware, batch and context; the plan panels (fleet, sensitivity, cost, search) take the scenario.
    private static readonly string[] Quick = ["memory", "perf"];
    private static readonly string[] Plan = ["fleet", "sensitivity", "cost", "pareto"];

    [Fact]
    public async Task Every_main_input_marks_its_panels_loading_at_once_and_then_every_headline_is_the_api_answer_for_the_new_inputs()
    {
        var page = await f.OpenAsync("?currency=CNY&timeZone=UTC");
        foreach (var panel in Plan)
        {
            await BrowserFixture.ShowPanel(page, "panel-" + panel);
        }
        var inputs = new Dictionary<string, string>
        {
            ["model"] = "qwen2.5-7b-instruct", ["precision"] = "bf16", ["hardware"] = "nvidia-h100-sxm5-80gb", ["batch"] = "16",
            ["prompt"] = "1024", ["output"] = "256", ["peak"] = "50", ["profile"] = "office-hours", ["ttft"] = "2", ["tpot"] = "0.1",
        };
        var edits = new (string Field, string Value, string[] Panels)[]
        {
            ("model", "qwen2.5-14b", [.. Quick, .. Plan]),
            ("precision", "fp8", [.. Quick, .. Plan]),
            ("hardware", "nvidia-h200-sxm-141gb", [.. Quick, .. Plan]),
            ("batch", "32", Quick),
            ("prompt", "2048", [.. Quick, .. Plan]),
            ("peak", "80", Plan),
            ("profile", "flat", Plan),
            ("ttft", "1.5", Plan),
            ("tpot", "0.08", Plan),
        };
        foreach (var (field, value, panels) in edits)
        {
            // The edit and the check in one step of the page's thread: the panels are marked before any timer or call.
            var states = await page.EvaluateAsync<string[]>(@"([field, value, panels]) => {
                const el = document.getElementById('f-' + field);
                el.value = value;
                el.dispatchEvent(new Event('input', { bubbles: true }));
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
        var model = $"model={s["model"]}&precision={s["precision"]}&hardware={s["hardware"]}";
        var memory = await f.ApiAsync($"/api/memory?{model}&context={context}&batch={s["batch"]}&devices=1");
        Assert.Equal(Gb(memory), await Total(page));

        var perf = await f.ApiAsync($"/api/perf?{model}&devices=1&input={s["prompt"]}&output={s["output"]}&batch={s["batch"]}");
        var row = perf.GetProperty("rows")[0];
        var tps = double.Parse(row.GetProperty("outputTokensPerSecond").GetDouble().ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Assert.Contains($"at batch {s["batch"]}, {tps.ToString("#,0.###", CultureInfo.InvariantCulture)} tokens/s", await page.InnerTextAsync("#perf-summary"), StringComparison.Ordinal);

        var scenario = $"{model}&peakConcurrency={s["peak"]}&input={s["prompt"]}&output={s["output"]}&ttftP90={s["ttft"]}&tpotP90={s["tpot"]}&profile={s["profile"]}&timeZone=UTC&currency=CNY";
        var hours = await f.ApiAsync("/api/plan/hours?" + scenario);
        Assert.StartsWith($"{hours.GetProperty("devicesPeak").GetInt32()} × {s["hardware"]} ", await page.InnerTextAsync("#fleet-summary"), StringComparison.Ordinal);

        var plan = await f.ApiAsync("/api/plan?" + scenario);
        var strategy = plan.GetProperty("fleet").GetProperty("recommendedStrategy").GetString();
        var own = plan.GetProperty("costs").GetProperty("strategies").EnumerateArray().Single(x => x.GetProperty("strategy").GetString() == strategy).GetProperty("own").GetProperty("perMonth").GetDecimal();
        Assert.Equal(Yuan(own), await page.InnerTextAsync("#cost-table tr[data-kind='own'] td.num"));

        var sensitivity = (await f.ApiAsync("/api/plan/sensitivity?" + scenario)).GetProperty("sensitivity");
        Assert.StartsWith($"{sensitivity.GetProperty("devices").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} devices, {Yuan(sensitivity.GetProperty("costPerMonth").GetDecimal())} a month;",
            await page.InnerTextAsync("#sensitivity-summary"), StringComparison.Ordinal);

        var search = await f.ApiAsync("/api/plan/search?" + scenario + "&candidates=qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b&top=50");
        var cheapest = search.GetProperty("applications")[0].GetProperty("cheapest");
        var pareto = await page.InnerTextAsync("#pareto-summary");
        output.WriteLine($"after {edited}: {pareto}");
        Assert.Contains($"{cheapest.GetProperty("model").GetString()} on {cheapest.GetProperty("devices").GetInt32()} × {cheapest.GetProperty("hardware").GetString()}, {Yuan(cheapest.GetProperty("costPerMonth").GetProperty("amount").GetDecimal())} per month",
            pareto, StringComparison.Ordinal);
    }

    // moneyIn of the page (js/format.js) for CNY: whole yuan from 100 up, cents below.
    private static string Yuan(decimal amount) => "¥" + amount.ToString(Math.Abs(amount) < 100 ? "N2" : "N0", CultureInfo.InvariantCulture);
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
