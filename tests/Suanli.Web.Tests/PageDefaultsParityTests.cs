using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// One number per question at the page's defaults: each call the page makes when it opens (js/loading.js and js/api.js,
/// with js/state.js's <c>DEFAULTS</c>) answers with the document <c>suanli</c> prints for the same inputs, so the page,
/// the API and the CLI cannot show three figures for one question.
/// </summary>
public sealed partial class PageDefaultsParityTests(GenerousLimitApp factory) : IClassFixture<GenerousLimitApp>
{
    // A loaded test machine must not turn the plan into a 422: these tests compare documents, not the time limit.
    private readonly HttpClient _client = factory.CreateClient();

    [GeneratedRegex(@"(\w+): '([^']*)'")]
    private static partial Regex Default();

    [GeneratedRegex(@"export const SWEEP = '([^']*)';")]
    private static partial Regex Sweep();

    private static string StateJs() => File.ReadAllText(Path.Combine(CliParityTests.RepoRoot(), "src", "Suanli.Web", "wwwroot", "js", "state.js"));

    /// <summary>js/state.js's <c>DEFAULTS</c>: the inputs the page opens with.</summary>
    private static Dictionary<string, string> Defaults()
    {
        var js = StateJs();
        var start = js.IndexOf("export const DEFAULTS = {", StringComparison.Ordinal);
        Assert.True(start >= 0, "js/state.js no longer exports DEFAULTS");
        return Default().Matches(js[start..js.IndexOf("};", start, StringComparison.Ordinal)]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>The query the page's <c>api()</c> builds: empty values left out, the page's language added.</summary>
    private static string Query(string path, params (string Name, string Value)[] parameters) =>
        path + "?" + string.Join('&', parameters.Where(p => p.Value.Trim().Length > 0).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}").Append("lang=en"));

    private async Task<string> Get(string url)
    {
        var r = await _client.GetAsync(url);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {body}");
        return body;
    }

    private static string CliJson(params string[] args)
    {
        var cli = ApiTests.Cli([.. args, "--format", "json"]);
        Assert.True(cli.Code == 0, $"suanli {string.Join(' ', args)}: {cli.Err}");
        return cli.Out;
    }

    [Fact]
    public async Task The_pages_memory_and_perf_calls_at_its_defaults_answer_what_suanli_memory_and_perf_print()
    {
        var d = Defaults();
        // The memory panel's context is prompt + output (js/state.js, contextOf); the perf curve's batches are SWEEP, which holds the default batch.
        var context = (int.Parse(d["prompt"], System.Globalization.CultureInfo.InvariantCulture) + int.Parse(d["output"], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sweep = Sweep().Match(StateJs()).Groups[1].Value;
        Assert.Contains(d["batch"], sweep.Split(','));
        var memory = await Get(Query("/api/memory", ("model", d["model"]), ("precision", d["precision"]), ("kvPrecision", d["kvPrecision"]), ("context", context),
            ("batch", d["batch"]), ("hardware", d["hardware"]), ("devices", d["devices"])));
        CliDocuments.Same(CliJson("memory", "--model", d["model"], "--context", context, "--batch", d["batch"], "--hardware", d["hardware"], "--devices", d["devices"]), memory);
        var perf = await Get(Query("/api/perf", ("model", d["model"]), ("precision", d["precision"]), ("kvPrecision", d["kvPrecision"]), ("hardware", d["hardware"]),
            ("devices", d["devices"]), ("input", d["prompt"]), ("output", d["output"]), ("batch", sweep)));
        CliDocuments.Same(CliJson("perf", "--model", d["model"], "--hardware", d["hardware"], "--devices", d["devices"], "--input", d["prompt"], "--output", d["output"], "--batch", sweep), perf);
    }

    /// <summary>js/state.js's scenarioOf: the query of the page's one-application scenario.</summary>
    private static (string, string)[] Scenario(Dictionary<string, string> d) =>
        [("model", d["model"]), ("precision", d["precision"]), ("kvPrecision", d["kvPrecision"]), ("hardware", d["hardware"]), ("peakConcurrency", d["peak"]),
            ("input", d["prompt"]), ("output", d["output"]), ("ttftP90", d["ttft"]), ("tpotP90", d["tpot"]), ("profile", d["profile"]), ("timeZone", d["timeZone"]), ("currency", d["currency"])];

    /// <summary>The scenario file the page offers for download at its defaults, written to a temporary folder.</summary>
    private async Task<string> ScenarioFile(Dictionary<string, string> d, Func<string, string>? edit = null)
    {
        var yaml = await Get(Query("/api/plan", [.. Scenario(d), ("format", "yaml")]));
        var file = Path.Combine(Directory.CreateTempSubdirectory("suanli-page-defaults-").FullName, "page.yaml");
        await File.WriteAllTextAsync(file, edit is null ? yaml : edit(yaml));
        return file;
    }

    /// <summary>
    /// The page's search at its defaults (the Pareto panel: js/loading.js, over the Model field and the candidate models,
    /// on the search's default choices) is <c>suanli optimize</c> of the page's scenario file with those models listed.
    /// </summary>
    [Fact]
    public async Task The_pages_search_at_its_defaults_answers_what_suanli_optimize_prints_for_its_scenario_file()
    {
        var d = Defaults();
        var search = await Get(Query("/api/plan/search", [.. Scenario(d), ("candidates", d["candidates"]), ("top", "50"), ("cost", d["cost"]), ("purchase", d["purchase"])]));
        var models = string.Join(", ", d["candidates"].Split(',').Prepend(d["model"]).Distinct());
        var line = $"    model: {d["model"]}\n";
        var file = await ScenarioFile(d, yaml =>
        {
            Assert.Contains(line, yaml, StringComparison.Ordinal);
            return yaml.Replace(line, $"    models: [{models}]\n", StringComparison.Ordinal);
        });
        CliDocuments.Same(CliJson("optimize", file, "--top", "50", "--cost", d["cost"], "--purchase", d["purchase"]), search);
    }

    /// <summary>
    /// The page's plan at its defaults is <c>suanli plan</c> of the scenario file the page offers for download, and the
    /// cost panel's hosted API, priced at that plan's requests per month (js/api.js, fetchCost), is <c>suanli compare</c>'s.
    /// </summary>
    [Fact]
    public async Task The_pages_plan_and_cost_calls_at_its_defaults_answer_what_suanli_plan_and_compare_print()
    {
        var d = Defaults();
        var plan = await Get(Query("/api/plan", Scenario(d)));
        var file = await ScenarioFile(d);
        var cliPlan = CliDocuments.WithoutSentences(CliJson("plan", file));
        var apiPlan = CliDocuments.WithoutSentences(plan);
        // The file's source is its path for the CLI and the query for the web: everything else is the same.
        cliPlan["source"] = null;
        apiPlan["source"] = null;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(cliPlan, apiPlan), plan);

        using var doc = JsonDocument.Parse(plan);
        var requests = doc.RootElement.GetProperty("costs").GetProperty("requestsPerMonth").GetRawText();
        var compare = await Get(Query("/api/compare", ("requestsPerMonth", requests), ("input", d["prompt"]), ("output", d["output"]), ("api", d["api"]), ("currency", d["currency"])));
        CliDocuments.Same(CliJson("compare", "--requests-per-month", requests, "--input", d["prompt"], "--output", d["output"], "--api", d["api"], "--currency", d["currency"]), compare);
    }

    /// <summary>
    /// The page's fleet and sensitivity panels at its defaults (js/loading.js: <c>/api/plan/hours</c> and
    /// <c>/api/plan/sensitivity</c> of the page's scenario) show what <c>suanli plan FILE --sensitivity</c> prints for the
    /// scenario file the page offers: the same devices hour by hour, the same 80% range, the same tornado.
    /// </summary>
    [Fact]
    public async Task The_pages_fleet_and_sensitivity_panels_at_its_defaults_answer_what_suanli_plan_sensitivity_prints()
    {
        var d = Defaults();
        var file = await ScenarioFile(d);
        using var cli = JsonDocument.Parse(CliJson("plan", file, "--sensitivity"));
        using var moved = JsonDocument.Parse(await Get(Query("/api/plan/sensitivity", Scenario(d))));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(CliDocuments.WithoutSentences(cli.RootElement.GetProperty("sensitivity").GetRawText()),
            CliDocuments.WithoutSentences(moved.RootElement.GetProperty("sensitivity").GetRawText())), moved.RootElement.GetProperty("sensitivity").GetRawText());
        using var hours = JsonDocument.Parse(await Get(Query("/api/plan/hours", Scenario(d))));
        var app = cli.RootElement.GetProperty("applications")[0];
        var perReplica = app.GetProperty("layout").GetProperty("devices").GetInt32();
        Assert.Equal(app.GetProperty("hourlyReplicas").EnumerateArray().Select(r => r.GetInt32() * perReplica),
            hours.RootElement.GetProperty("hours").EnumerateArray().Select(h => h.GetProperty("devices").GetInt32()));
        Assert.Equal(cli.RootElement.GetProperty("fleet").GetProperty("devices").GetInt32(), hours.RootElement.GetProperty("devicesPeak").GetInt32());
        Assert.Equal(cli.RootElement.GetProperty("range").GetProperty("devices").GetRawText(), hours.RootElement.GetProperty("range").GetProperty("devices").GetRawText());
    }
}
