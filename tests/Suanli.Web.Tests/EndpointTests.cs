using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Each CLI command's endpoint returns the document <c>suanli COMMAND --format json</c> prints for the same inputs.</summary>
public class EndpointTests(GenerousLimitApp factory) : IClassFixture<GenerousLimitApp>
{
    // These tests compare documents, not the time limit (ApiTests pins that): a loaded test machine must not turn a
    // slow search into a 422, so the limit here is generous.
    private readonly HttpClient _client = factory.CreateClient();

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private async Task<string> CliEqualsApi(string url, params string[] args)
    {
        var cli = ApiTests.Cli([.. args, "--format", "json"]);
        Assert.True(cli.Code == 0, cli.Err);
        var r = await _client.GetAsync(url);
        var api = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, api);
        CliDocuments.Same(cli.Out, api);
        return api;
    }

    [Fact]
    public async Task Simulate_returns_the_cli_document()
    {
        var api = Json(await CliEqualsApi("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=4&input=512&output=uniform:64:192&requests=300&ttftP90=1",
            "simulate", "-m", "qwen2.5-7b", "-H", "h100", "--rate", "4", "--input", "512", "--output", "uniform:64:192", "--requests", "300", "--ttft-p90", "1"));
        Assert.Equal(JsonValueKind.Object, api.ValueKind);
    }

    [Fact]
    public async Task Capacity_returns_the_cli_document()
    {
        await CliEqualsApi("/api/capacity?model=qwen2.5-7b&hardware=h100&input=512&output=128&requests=200&tpotP90=0.05",
            "capacity", "-m", "qwen2.5-7b", "-H", "h100", "--input", "512", "--output", "128", "--requests", "200", "--tpot-p90", "0.05");
    }

    [Fact]
    public async Task Optimize_returns_the_cli_document_with_a_frontier_of_cost_and_quality()
    {
        var api = Json(await CliEqualsApi("/api/optimize?model=qwen2.5-7b,qwen2.5-32b&model=qwen2.5-72b&hardware=h100,a100-80gb&rate=5&currency=CNY",
            "optimize", "-m", "qwen2.5-7b,qwen2.5-32b", "-m", "qwen2.5-72b", "-H", "h100,a100-80gb", "--rate", "5", "--currency", "CNY"));
        var frontier = api.GetProperty("applications")[0].GetProperty("frontier").EnumerateArray().ToList();
        Assert.NotEmpty(frontier);
        Assert.All(frontier, f => Assert.Equal("CNY", f.GetProperty("cost").GetProperty("perMonth").GetProperty("currency").GetString()));
        // A frontier: dearer points must buy more quality.
        var points = frontier.Select(f => (Cost: f.GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal(), Quality: f.GetProperty("quality").GetDouble())).ToList();
        Assert.True(points.Zip(points.Skip(1)).All(p => p.Second.Cost >= p.First.Cost));
    }

    [Fact]
    public async Task Optimize_body_with_lists_gives_the_query_document()
    {
        var get = await _client.GetStringAsync("/api/optimize?model=qwen2.5-7b,qwen2.5-14b&hardware=h100&rate=2&quality=MMLU>=70");
        using var body = new StringContent("""{"model":["qwen2.5-7b","qwen2.5-14b"],"hardware":"h100","rate":2,"quality":"MMLU>=70"}""", Encoding.UTF8, "application/json");
        var post = await _client.PostAsync("/api/optimize", body);
        Assert.Equal(get, await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Compare_returns_the_cli_document_in_cny_with_the_rate_and_its_date()
    {
        var api = Json(await CliEqualsApi("/api/compare?requestsPerMonth=1e6&api=gpt-4o-mini&model=qwen2.5-7b-instruct&hardware=h100&input=1024&output=256&currency=CNY&today=2026-01-15",
            "compare", "--requests-per-month", "1e6", "--api", "gpt-4o-mini", "--model", "qwen2.5-7b-instruct", "--hardware", "h100", "--input", "1024", "--output", "256", "--currency", "CNY", "--today", "2026-01-15"));
        Assert.Equal("CNY", api.GetProperty("currency").GetString());
        // The H100 is rented on demand and on the 1- and 3-year terms the catalog has for it: three rent options.
        Assert.Equal(["api", "own", "rent", "rent", "rent"], api.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("kind").GetString()).Order());
        Assert.Contains(api.GetProperty("options").EnumerateArray(), o => o.GetProperty("option").GetString()!.EndsWith(", reserved-3y)", StringComparison.Ordinal));
        var rate = api.GetProperty("exchangeRates")[0];
        // catalog/prices/energy.yaml: 1 USD = 6.9858 CNY, 2026-01-27 (CFETS central parity, the newest stored rate).
        Assert.Equal(6.9858m, rate.GetProperty("rate").GetDecimal());
        Assert.Equal("2026-01-27", rate.GetProperty("date").GetString());
    }

    [Fact]
    public async Task Train_and_chinchilla_return_the_cli_documents()
    {
        await CliEqualsApi("/api/train?model=llama-3.1-8b&hardware=h100&devices=8&tokens=1B&method=lora",
            "train", "-m", "llama-3.1-8b", "-H", "h100", "--devices", "8", "--tokens", "1B", "--method", "lora");
        var c = Json(await CliEqualsApi("/api/chinchilla?flops=5.76e23&params=70B", "chinchilla", "--flops", "5.76e23", "--params", "70B"));
        Assert.Equal(JsonValueKind.Object, c.ValueKind);
    }

    /// <summary>
    /// The questions the other tests ask only one way: capacity and simulate in concurrency mode, and perf and train in
    /// a table format (the Markdown and CSV the page's downloads and the CLI's reports share), answer alike on both
    /// front ends; a figure that moved on one of them fails the row.
    /// </summary>
    [Theory]
    [InlineData("/api/capacity?model=qwen2.5-7b&hardware=h100&mode=concurrency&input=512&output=128&requests=200&ttftP90=2&tpotP90=0.05",
        "capacity -m qwen2.5-7b -H h100 --mode concurrency --input 512 --output 128 --requests 200 --ttft-p90 2 --tpot-p90 0.05")]
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&concurrency=16&input=512&output=128&requests=200&tpotP90=0.05",
        "simulate -m qwen2.5-7b -H h100 --concurrency 16 --input 512 --output 128 --requests 200 --tpot-p90 0.05")]
    [InlineData("/api/train?model=llama-2-7b&hardware=a100-80gb&tokens=1e9&devices=8",
        "train -m llama-2-7b -H a100-80gb --tokens 1e9 --devices 8")]
    public async Task The_endpoint_answers_the_cli_document_for_the_same_question(string url, string args) =>
        await CliEqualsApi(url, args.Split(' '));

    [Theory]
    [InlineData("/api/perf?model=qwen2.5-7b&hardware=h100&input=2k&output=256&batch=1,8,64", "perf -m qwen2.5-7b -H h100 --input 2k --output 256 --batch 1,8,64", "markdown")]
    [InlineData("/api/perf?model=qwen2.5-7b&hardware=h100&input=2k&output=256&batch=1,8,64", "perf -m qwen2.5-7b -H h100 --input 2k --output 256 --batch 1,8,64", "csv")]
    [InlineData("/api/memory?model=qwen2-72b&context=32k&hardware=a100-80gb&devices=3", "memory -m qwen2-72b --context 32k -H a100-80gb --devices 3", "csv")]
    // With a tariff and a currency: without them the findings name the options ("--tariff", "--currency" for the CLI,
    // "tariff", "currency" for the web).
    [InlineData("/api/train?model=gpt-3-175b&flops=3.15e23&hardware=a100&devices=1024&tariff=0.65%20CNY%2FkWh&currency=CNY", "train -m gpt-3-175b --flops 3.15e23 -H a100 --devices 1024 --tariff 0.65_CNY/kWh --currency CNY", "markdown")]
    public async Task The_endpoints_table_is_the_cli_report_in_the_same_format(string url, string args, string format)
    {
        // An argument's '_' stands for a space within it.
        var cli = ApiTests.Cli([.. args.Split(' ').Select(a => a.Replace('_', ' ')), "--format", format]);
        Assert.True(cli.Code == 0, cli.Err);
        var r = await _client.GetAsync($"{url}&format={format}");
        var api = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, api);
        Assert.Equal(cli.Out.ReplaceLineEndings("\n").TrimEnd(), api.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public async Task Density_returns_the_cli_document()
    {
        await CliEqualsApi("/api/density?model=llama-3-8b,llama-3.2-3b&server=dgx-h100&precision=int8",
            "density", "-m", "llama-3-8b,llama-3.2-3b", "-s", "dgx-h100", "-p", "int8");
        // A session turn's prompt and first-token target size the sessions on both front ends alike.
        await CliEqualsApi("/api/density?model=llama-3-8b&server=dgx-h100,xeon-8480plus-2s&input=2k&output=128&ttftP90=1",
            "density", "-m", "llama-3-8b", "-s", "dgx-h100,xeon-8480plus-2s", "--input", "2k", "--output", "128", "--ttft-p90", "1");
    }

    [Fact]
    public async Task Compare_takes_the_purchase_price_kind_as_the_cli_does()
    {
        var list = Json(await CliEqualsApi("/api/compare?requestsPerMonth=1e6&model=qwen2.5-7b&hardware=a100-80gb&purchase=list-price&today=2026-12-05",
            "compare", "--requests-per-month", "1e6", "--model", "qwen2.5-7b", "--hardware", "a100-80gb", "--purchase", "list-price", "--today", "2026-12-05"));
        var newest = Json(await CliEqualsApi("/api/compare?requestsPerMonth=1e6&model=qwen2.5-7b&hardware=a100-80gb&today=2026-12-05",
            "compare", "--requests-per-month", "1e6", "--model", "qwen2.5-7b", "--hardware", "a100-80gb", "--today", "2026-12-05"));
        // The catalog has no list price for the A100 80GB, so buying it drops out with list-price.
        static int Owned(JsonElement doc) => doc.GetProperty("options").EnumerateArray().Count(o => o.GetProperty("kind").GetString() == "own");
        Assert.Equal(0, Owned(list));
        Assert.Equal(1, Owned(newest));
    }

    /// <summary>
    /// GET documents of the page scenario, fetched once per class: the plan, its hours and its sensitivity are each read by
    /// several tests, and the same request to the same server answers the same document.
    /// </summary>
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Fetched = new(StringComparer.Ordinal);

    private Task<string> GetOnce(string url) => Fetched.GetOrAdd(url, u => new Lazy<Task<string>>(() => _client.GetStringAsync(u))).Value;

    private const string Query = "model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=40&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&currency=CNY";

    private static JsonNode WithoutSource(string json)
    {
        var node = JsonNode.Parse(json)!;
        node.AsObject().Remove("source");
        return CliDocuments.WithoutSentences(node);
    }

    /// <summary>
    /// Plans <paramref name="file"/> with the CLI and posts <paramref name="yaml"/> (its text) to /api/plan: both succeed and
    /// agree apart from 'source' and the sentences spelled for the page. Returns the two documents.
    /// </summary>
    private async Task<(string Cli, string Api)> PostedPlanIsCliPlan(string file, string yaml)
    {
        var cli = ApiTests.Cli("plan", file, "--format", "json");
        Assert.True(cli.Code == 0, cli.Err);
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        var post = await _client.PostAsync("/api/plan", content);
        var body = await post.Content.ReadAsStringAsync();
        Assert.True(post.StatusCode == HttpStatusCode.OK, body);
        Assert.True(JsonNode.DeepEquals(WithoutSource(cli.Out), WithoutSource(body)), body);
        return (cli.Out, body);
    }

    // The page's scenario, and a 70B on A100s (the deployment the CLI plans is the API's, to the cent).
    [Theory]
    [InlineData(Query, "peak_concurrency: 40")]
    [InlineData("model=llama-3.1-70b&hardware=nvidia-a100-sxm4-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&currency=CNY", "peak_concurrency: 50")]
    public async Task Plan_of_the_page_scenario_equals_the_cli_plan_of_its_yaml_file(string query, string peak)
    {
        var yaml = await _client.GetStringAsync("/api/plan?" + query + "&format=yaml");
        Assert.Contains(peak, yaml, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"suanli-web-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            // The documents differ only in 'source' (the file's path for the CLI, "request body" for the API) and in the sentences spelled for the page.
            var (cliOut, body) = await PostedPlanIsCliPlan(file, yaml);
            Assert.Equal("request body", Json(body).GetProperty("source").GetString());
            var get = Json(await GetOnce("/api/plan?" + query));
            Assert.Equal(Json(cliOut).GetProperty("fleet").GetProperty("devices").GetInt32(), get.GetProperty("fleet").GetProperty("devices").GetInt32());

            var markdown = ApiTests.Cli("plan", file, "--format", "markdown");
            using var mdContent = new StringContent(yaml, Encoding.UTF8, "application/yaml");
            var md = await _client.PostAsync("/api/plan?format=markdown", mdContent);
            // The page points to the seed cases' document and its prices panel (in findings and table cells alike) where the CLI names its commands.
            Assert.Equal(markdown.Out.Replace(file, PlanBodyName, StringComparison.Ordinal).Replace("see 'suanli cases'", "see docs/cases.md", StringComparison.Ordinal)
                    .Replace("see 'suanli catalog prices'", "see the 'Hardware and prices' panel", StringComparison.Ordinal),
                await md.Content.ReadAsStringAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string PlanBodyName = "request body";

    [Fact]
    public async Task Plan_takes_a_json_scenario_as_the_cli_takes_the_yaml_example()
    {
        // examples/c2-knowledge-base.yaml, written as JSON.
        const string json = """
            {"name": "C2 knowledge base (72B on A100-80G)", "currency": "CNY", "time_zone": "Asia/Shanghai",
             "hardware": "nvidia-a100-sxm4-80gb", "server": "dgx-a100",
             "rack": {"power": "12.5 kW", "height_u": 42, "pue": 1.3},
             "policy": {"headroom": 0.2, "min_replicas": 1, "scale_up_delay_minutes": 10},
             "applications": [{"name": "knowledge-base", "model": "Qwen/Qwen2-72B", "precision": "bf16", "engine": "vllm",
               "peak_concurrency": 50, "input_tokens": 1024, "output_tokens": 512,
               "targets": {"ttft_p90_s": 2, "tpot_p90_s": 0.1}, "profile": "office-hours"}]}
            """;
        var cli = ApiTests.Cli("plan", "--format", "json");
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var body = await (await _client.PostAsync("/api/plan", content)).Content.ReadAsStringAsync();
        Assert.True(JsonNode.DeepEquals(WithoutSource(cli.Out), WithoutSource(body)), body);
        // Seed case C2: 50 concurrent requests of a 72B model fit one TP=4 replica (4 A100s), against the article's 150.
        Assert.Equal(4, Json(body).GetProperty("fleet").GetProperty("devices").GetInt32());
    }

    /// <summary>
    /// A second example beside the knowledge base above: both C2 applications pooled on one cluster, the file posted as
    /// it is, planned by the API as the CLI plans the file.
    /// </summary>
    [Fact]
    public async Task Plan_of_the_pooled_two_application_example_is_the_cli_plan_of_the_file()
    {
        var file = Path.Combine(CliParityTests.RepoRoot(), "examples", "c2-two-applications.yaml");
        var (_, body) = await PostedPlanIsCliPlan(file, await File.ReadAllTextAsync(file));
        // Two applications on one pooled fleet: the page's document keeps both.
        Assert.Equal(2, Json(body).GetProperty("applications").GetArrayLength());
    }

    /// <summary>
    /// A rate-driven example beside the two concurrency-driven C2 ones above: seed case C3's ChatGLM2-6B file posted as it
    /// is, planned by the API as the CLI plans the file (devices, requests/s per replica and monthly cost included).
    /// </summary>
    [Fact]
    public async Task Plan_of_the_rate_driven_c3_example_is_the_cli_plan_of_the_file()
    {
        var file = Path.Combine(CliParityTests.RepoRoot(), "examples", "c3-chatglm2-6b.yaml");
        var (cli, body) = await PostedPlanIsCliPlan(file, await File.ReadAllTextAsync(file));
        Assert.Equal(Json(cli).GetProperty("fleet").GetProperty("devices").GetInt32(), Json(body).GetProperty("fleet").GetProperty("devices").GetInt32());
        Assert.Equal("rate", Json(body).GetProperty("applications")[0].GetProperty("demand").GetProperty("kind").GetString());
    }

    /// <summary>The scheduler caps a posted scenario states are the ones the web plan simulates, reported as stated, as the CLI plans the file.</summary>
    [Fact]
    public async Task Plan_of_a_posted_scenario_with_stated_caps_uses_them_as_the_cli_does()
    {
        var yaml = "name: caps\nhardware: a100-80gb\napplications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrency: 50\n    input_tokens: 1024\n    output_tokens: 512\n"
            + "    max_num_seqs: 32\n    max_batched_tokens: 4096\n";
        var file = Path.Combine(Directory.CreateTempSubdirectory("suanli-caps-").FullName, "caps.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var (_, body) = await PostedPlanIsCliPlan(file, yaml);
        var scheduler = Json(body).GetProperty("applications")[0].GetProperty("scheduler");
        Assert.Equal((32, 4096, "stated", "stated"), (scheduler.GetProperty("maxNumSeqs").GetInt32(), scheduler.GetProperty("maxBatchedTokens").GetInt32(),
            scheduler.GetProperty("maxNumSeqsFrom").GetString(), scheduler.GetProperty("maxBatchedTokensFrom").GetString()));
    }

    [Fact]
    public async Task Plan_hours_follow_the_plan_replicas_and_stay_within_full_utilisation()
    {
        var plan = Json(await GetOnce("/api/plan?" + Query));
        var hours = Json(await GetOnce("/api/plan/hours?" + Query));
        var app = plan.GetProperty("applications")[0];
        var perReplica = app.GetProperty("layout").GetProperty("devices").GetInt32();
        var replicas = app.GetProperty("hourlyReplicas").EnumerateArray().Select(r => r.GetInt32()).ToList();
        var rows = hours.GetProperty("hours").EnumerateArray().ToList();
        Assert.Equal(24, rows.Count);
        Assert.Equal(replicas.Select(r => r * perReplica), rows.Select(h => h.GetProperty("devices").GetInt32()));
        Assert.All(rows, h => Assert.InRange(h.GetProperty("utilisation").GetDouble(), 0, 1));
        Assert.Equal(plan.GetProperty("fleet").GetProperty("devices").GetInt32(), hours.GetProperty("devicesPeak").GetInt32());
        // The plan's average utilisation is replica-weighted hourly utilisation: sum of load over sum of replicas.
        var load = rows.Sum(h => h.GetProperty("loadReplicas").GetDouble());
        Assert.Equal(app.GetProperty("utilisationAverage").GetDouble(), load / replicas.Sum(), 9);
        // The page's fleet panel shows the same 80% device range as plan.json.
        Assert.Equal(plan.GetProperty("range").GetProperty("devices").GetRawText(), hours.GetProperty("range").GetProperty("devices").GetRawText());
    }

    [Fact]
    public async Task Plan_sensitivity_is_the_plan_with_each_assumption_moved_and_the_same_fleet()
    {
        var plan = Json(await GetOnce("/api/plan?" + Query));
        var moved = Json(await GetOnce("/api/plan/sensitivity?" + Query));
        Assert.Equal(plan.GetProperty("fleet").GetRawText(), moved.GetProperty("fleet").GetRawText());
        var sensitivity = moved.GetProperty("sensitivity");
        Assert.Equal(plan.GetProperty("fleet").GetProperty("devices").GetInt32(), sensitivity.GetProperty("devices").GetInt32());
        var lines = sensitivity.GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("assumption").GetString() == "Peak load");
        Assert.Contains(lines, l => l.GetProperty("assumption").GetString()!.StartsWith("Step-time model", StringComparison.Ordinal));
        // Ranked by cost swing, largest first.
        var swings = lines.Select(l => l.GetProperty("costSwing").GetDecimal()).ToList();
        Assert.Equal(swings.OrderByDescending(x => x), swings);
    }

    [Fact]
    public async Task Plan_sensitivity_in_chinese_names_each_assumption_and_its_move_in_chinese_for_the_tornado_chart()
    {
        var english = Json(await GetOnce("/api/plan/sensitivity?" + Query)).GetProperty("sensitivity").GetProperty("lines").EnumerateArray().ToList();
        var lines = Json(await _client.GetStringAsync("/api/plan/sensitivity?" + Query + "&lang=zh")).GetProperty("sensitivity").GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("assumption").GetString() == "峰值负载" && l.GetProperty("move").GetString() == "x0.75 / x1.25");
        Assert.Contains(lines, l => l.GetProperty("assumption").GetString() == "步时模型（容量 80% 区间）");
        Assert.DoesNotContain(lines, l => l.GetProperty("assumption").GetString() == "Peak load");
        // Only the words change: the same lines in the same order with the same figures.
        Assert.Equal(english.Select(l => l.GetProperty("costSwing").GetDecimal()), lines.Select(l => l.GetProperty("costSwing").GetDecimal()));
    }

    [Fact]
    public async Task Plan_spreadsheet_is_an_xlsx_with_the_report_tables()
    {
        var r = await _client.GetAsync("/api/plan/xlsx?" + Query);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("suanli-plan.xlsx", r.Content.Headers.ContentDisposition?.FileNameStar ?? r.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var stream = new MemoryStream(await r.Content.ReadAsByteArrayAsync());
        using var book = new ClosedXML.Excel.XLWorkbook(stream);
        Assert.Contains("Summary", book.Worksheets.Select(w => w.Name));
    }

    [Fact]
    public async Task A_bad_scenario_body_is_a_400_naming_the_key_line_and_column()
    {
        const string yaml = "name: x\nhardware: h100\napplications:\n  - name: a\n    model: qwen2.5-7b\n    peak_concurency: 10\n    input_tokens: 100\n    output_tokens: 10\n";
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        var r = await _client.PostAsync("/api/plan", content);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var detail = Json(text).GetProperty("detail").GetString()!;
        Assert.Contains("request body:6", detail, StringComparison.Ordinal);
        Assert.Contains("peak_concurrency", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_in_an_unsupported_content_type_is_a_415()
    {
        using var content = new StringContent("<scenario/>", Encoding.UTF8, "application/xml");
        var r = await _client.PostAsync("/api/plan", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
    }

    [Theory]
    [InlineData("""{"model":"qwen2.5-7b","hardware":"h100","rate":"fast","input":512,"output":128}""", "/api/simulate", "rate")]
    [InlineData("""{"model":"qwen2.5-7b","hardware":"h100","rate":1,"colour":"red"}""", "/api/optimize", "colour")]
    [InlineData("""{"requestsPerMonth":"lots","api":"gpt-4o-mini"}""", "/api/compare", "requestsPerMonth")]
    [InlineData("""{"model":"llama-3.1-8b","hardware":"h100","tokens":"-5"}""", "/api/train", "tokens")]
    [InlineData("""{"flops":"NaN"}""", "/api/chinchilla", "flops")]
    [InlineData("""{"server":["dgx-h100"],"rackU":99}""", "/api/density", "rackU")]
    public async Task Bad_bodies_are_400_problems_naming_the_field(string json, string path, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var r = await _client.PostAsync(path, content);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(field, Json(text).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Long_operations_stop_at_the_time_limit_with_a_422()
    {
        using var limited = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:OperationTimeLimit", "00:00:00"));
        var client = limited.CreateClient();
        foreach (var url in new[] { "/api/simulate?model=qwen2.5-7b&hardware=h100&rate=4&input=512&output=128", "/api/optimize?model=qwen2.5-7b&hardware=h100&rate=5", "/api/plan?" + Query })
        {
            var r = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.Contains("time limit", Json(await r.Content.ReadAsStringAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
