extern alias cli;

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Testing;
using cli::Suanli.Cli;
using Suanli.Runs;
using Suanli.StepTime;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

public class ApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    internal static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SuanliCli.Run(args, new TestConsole().Width(160), output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, string? Type, JsonElement Body)> Problem(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return (r.StatusCode, r.Content.Headers.ContentType?.MediaType, Json(text));
    }

    [Fact]
    public async Task Memory_returns_exactly_the_json_document_the_cli_prints()
    {
        var cli = Cli("memory", "--model", "Qwen/Qwen2-72B", "--context", "32k", "--hardware", "a100-80gb", "--devices", "3", "--format", "json");
        Assert.Equal(0, cli.Code);
        var api = await _client.GetStringAsync("/api/memory?model=Qwen/Qwen2-72B&context=32k&hardware=a100-80gb&devices=3");
        Assert.Equal(cli.Out.TrimEnd(), api.TrimEnd());
        Assert.Equal(327680, Json(api).GetProperty("kvCacheBytesPerToken").GetInt64());
    }

    [Fact]
    public async Task Train_days_returns_the_deadline_document_the_cli_prints()
    {
        var cli = Cli("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1", "--format", "json");
        Assert.Equal(0, cli.Code);
        var api = await _client.GetStringAsync("/api/train?model=gpt-3-175b&flops=3.15e23&hardware=a100&days=1");
        CliDocuments.Same(cli.Out, api);
        var deadline = Json(api).GetProperty("deadline");
        Assert.Equal(Json(api).GetProperty("inputs").GetProperty("devices").GetInt32(), deadline.GetProperty("devices").GetInt32());
    }

    [Fact]
    public async Task Without_a_precision_memory_and_plan_take_the_released_checkpoints_format_as_the_cli_and_a_scenario_file_do()
    {
        // DeepSeek-V3 was released in FP8 (catalog default_precision); Qwen2.5-7B in BF16.
        var cli = Cli("memory", "--model", "deepseek-v3", "--format", "json");
        Assert.Equal(0, cli.Code);
        var api = await _client.GetStringAsync("/api/memory?model=deepseek-v3");
        Assert.Equal(cli.Out.TrimEnd(), api.TrimEnd());
        Assert.Equal("fp8", Json(api).GetProperty("precision").GetString());
        Assert.Equal("bf16", Json(await _client.GetStringAsync("/api/memory?model=qwen2.5-7b")).GetProperty("precision").GetString());
        var yaml = await _client.GetStringAsync("/api/plan?model=deepseek-v3&hardware=h200&peakConcurrency=5&format=yaml");
        Assert.Contains("    precision: fp8", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Memory_body_with_numbers_gives_the_same_document_as_the_query_string()
    {
        var get = await _client.GetStringAsync("/api/memory?model=llama-3.1-8b&precision=int4&context=8192&batch=4&hardware=rtx-4090");
        using var body = new StringContent("""{"model":"llama-3.1-8b","precision":"int4","context":8192,"batch":"4","hardware":"rtx-4090"}""", Encoding.UTF8, "application/json");
        var post = await _client.PostAsync("/api/memory", body);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(get, await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Markdown_format_is_the_cli_markdown_report()
    {
        var cli = Cli("memory", "--model", "qwen2-72b", "--format", "markdown");
        var r = await _client.GetAsync("/api/memory?model=qwen2-72b&format=markdown");
        Assert.Equal("text/markdown", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(cli.Out, await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("models")]
    [InlineData("hardware")]
    [InlineData("servers")]
    public async Task Catalog_endpoints_return_the_cli_catalog_json(string what)
    {
        var cli = Cli("catalog", what, "--format", "json");
        Assert.Equal(cli.Out.TrimEnd(), (await _client.GetStringAsync($"/api/catalog/{what}")).TrimEnd());
    }

    [Fact]
    public async Task Prices_return_the_cli_price_catalog_with_the_dated_exchange_rate()
    {
        var cli = Cli("catalog", "prices", "--format", "json");
        var api = await _client.GetStringAsync("/api/catalog/prices");
        Assert.Equal(cli.Out.TrimEnd(), api.TrimEnd());
        var usdCny = Json(api).GetProperty("exchangeRates").EnumerateArray()
            .First(r => r.GetProperty("from").GetString() == "USD" && r.GetProperty("to").GetString() == "CNY");
        // catalog/prices/energy.yaml: CFETS central parity of 2026-01-27, the first (newest) USD->CNY row.
        Assert.Equal(6.9858m, usdCny.GetProperty("rate").GetDecimal());
        Assert.Equal("2026-01-27", usdCny.GetProperty("date").GetString());
    }

    [Fact]
    public async Task Perf_returns_exactly_the_json_document_the_cli_prints_with_the_calibrated_model()
    {
        var cli = Cli("perf", "--model", "qwen2.5-7b", "--hardware", "h100", "--input", "2k", "--output", "256", "--batch", "1,8,64,256", "--format", "json");
        Assert.Equal(0, cli.Code);
        var api = await _client.GetStringAsync("/api/perf?model=qwen2.5-7b&hardware=h100&input=2k&output=256&batch=1,8,64,256");
        Assert.Equal(cli.Out.TrimEnd(), api.TrimEnd());
        var rows = Json(api).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([1, 8, 64, 256], rows.Select(r => r.GetProperty("batch").GetInt32()));
        var throughput = rows.Select(r => r.GetProperty("outputTokensPerSecond").GetDouble()).ToList();
        Assert.True(throughput.Zip(throughput.Skip(1)).All(p => p.Second >= p.First), "throughput must not fall as the batch grows");
        Assert.Same(Suanli.Files.CalibrationFiles.Default, factory.Services.GetRequiredService<IStepTimeModel>());
    }

    [Fact]
    public async Task Perf_simulate_and_capacity_on_a_system_match_the_cli_and_openapi_lists_the_layout_parameters()
    {
        var cli = Cli("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--precision", "fp8", "--system-devices", "8", "--batch", "1,64", "--format", "json");
        Assert.Equal(0, cli.Code);
        var api = await _client.GetStringAsync("/api/perf?model=llama-3.1-70b&hardware=h100&precision=fp8&systemDevices=8&batch=1,64");
        Assert.Equal(cli.Out.TrimEnd(), api.TrimEnd());
        var layout = Json(api).GetProperty("layout");
        Assert.Equal(4, layout.GetProperty("replicas").GetInt32());
        Assert.Equal(2, layout.GetProperty("tp").GetInt32());
        var simulate = Json(await _client.GetStringAsync("/api/simulate?model=llama-3.1-8b&hardware=h100&systemDevices=4&tp=1&rate=8&input=512&output=128&requests=300"));
        Assert.Equal("pinned", simulate.GetProperty("system").GetProperty("reason").GetString());
        Assert.Equal(2.0, simulate.GetProperty("inputs").GetProperty("requestRate").GetDouble(), 9);
        var (status, _, body) = await Problem(await _client.GetAsync("/api/capacity?model=llama-3.1-70b&hardware=h100&precision=fp8&systemDevices=8&tp=3&input=512&output=128&tpotP90=0.1"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("tp", body.GetProperty("field").GetString());
        Assert.Contains("valid splits of 8 devices", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var doc = Json(await _client.GetStringAsync("/openapi/v1.json"));
        foreach (var path in new[] { "/api/perf", "/api/simulate", "/api/capacity" })
        {
            var names = doc.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("systemDevices", names);
            Assert.Contains("replicas", names);
            Assert.Contains("dpAttention", names);
            Assert.Contains("tp", names);
        }
    }

    private sealed class FixedStep : IStepTimeModel
    {
        public StepEstimate Estimate(Deployment deployment, StepShape shape)
        {
            var t = Quantities.Duration.FromMilliseconds(10);
            return new StepEstimate(t, t, t, Quantities.Duration.Zero, Quantities.Duration.Zero, Bottleneck.Overhead, Quantities.Flop.FromFlop(0), Quantities.Bytes.Zero);
        }
    }

    [Fact]
    public async Task Perf_uses_whichever_step_time_model_is_registered()
    {
        using var custom = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStepTimeModel>(new FixedStep())));
        var perf = Json(await custom.CreateClient().GetStringAsync("/api/perf?model=qwen2.5-7b&hardware=h100&output=100&batch=1,4,16"));
        foreach (var row in perf.GetProperty("rows").EnumerateArray())
        {
            // Every step takes 10 ms: time per output token 0.01 s and batch / 0.01 s output tokens per second.
            Assert.Equal(0.01, row.GetProperty("timePerOutputTokenSeconds").GetDouble(), 1e-12);
            Assert.Equal(row.GetProperty("batch").GetInt32() * 100.0, row.GetProperty("outputTokensPerSecond").GetDouble(), 1e-6);
        }
    }

    [Fact]
    public async Task Unknown_model_is_a_400_problem_naming_the_field_with_suggestions()
    {
        var (status, type, body) = await Problem(await _client.GetAsync("/api/memory?model=qwen2-27b"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("model", body.GetProperty("field").GetString());
        Assert.Contains("qwen2-27b", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(body.GetProperty("suggestions").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/memory?model=qwen2-72b&context=abc", "context")]
    [InlineData("/api/memory?model=qwen2-72b&context=1e300", "context")]
    [InlineData("/api/memory?model=qwen2-72b&context=NaN", "context")]
    [InlineData("/api/memory?model=qwen2-72b&batch=-1", "batch")]
    [InlineData("/api/memory?model=qwen2-72b&batch=2.5", "batch")]
    [InlineData("/api/memory?model=qwen2-72b&hardware=h100&devices=99999999", "devices")]
    [InlineData("/api/memory?model=qwen2-72b&precision=int3", "precision")]
    [InlineData("/api/memory?model=qwen2-72b&kvPrecision=int4", "kvPrecision")]
    [InlineData("/api/memory?model=qwen2-72b&hardware=no-such-gpu", "hardware")]
    [InlineData("/api/memory?model=qwen2-72b&format=xml", "format")]
    [InlineData("/api/memory", "model")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=5&timeZone=Mars/Olympus", "timeZone")]
    [InlineData("/api/plan/search?model=qwen2.5-7b&hardware=h100&peakConcurrency=5&candidates=no-such-model", "candidates")]
    [InlineData("/api/perf?model=qwen2-72b", "hardware")]
    [InlineData("/api/perf?model=gpt2&hardware=h100&devices=13", "devices")]
    [InlineData("/api/perf?model=qwen2-72b&hardware=h100&output=99999999", "output")]
    [InlineData("/api/perf?model=qwen2-72b&hardware=h100&batch=1,x", "batch")]
    [InlineData("/api/perf?model=qwen2-72b&hardware=h100&engine=tgi", "engine")]
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&input=512&output=128", "rate")]
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=abc&input=512&output=128", "rate")]
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=2&input=uniform:9&output=128", "input")]
    [InlineData("/api/capacity?model=qwen2.5-7b&hardware=h100&input=512&output=128&tpotP90=0.05&mode=fastest", "mode")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&input=512&output=128", "peakConcurrency")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=10&profile=weekend", "profile")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurrency=10&format=pdf", "format")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100", "rate")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=5&devices=3x", "devices")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=5&quality=MMLU~70", "quality")]
    [InlineData("/api/compare?api=deepseek-chat", "requestsPerMonth")]
    [InlineData("/api/compare?requestsPerMonth=1e6&api=no-such-api", "api")]
    [InlineData("/api/compare?requestsPerMonth=1e6&model=qwen2.5-7b", "hardware")]
    [InlineData("/api/compare?requestsPerMonth=1e6&api=deepseek-chat&currency=GBP", "currency")]
    [InlineData("/api/train?model=llama-3.1-8b&hardware=h100", "tokens")]
    [InlineData("/api/train?model=llama-3.1-8b&hardware=h100&tokens=1B&method=dpo", "method")]
    [InlineData("/api/train?model=llama-3.1-8b&hardware=h100&tokens=1B&zero=4", "zero")]
    [InlineData("/api/train?model=gpt-3-175b&hardware=a100&flops=3.15e23&days=0.01", "days")]
    [InlineData("/api/train?model=llama-3.1-8b&hardware=h100&tokens=1B&devices=8&days=1", "days")]
    [InlineData("/api/train?model=dense:0.1b&hardware=h100&tokens=1B", "model")]
    [InlineData("/api/train?model=llama-3.1-8b&hardware=h100&tokens=1B&currency=GBP", "currency")]
    [InlineData("/api/chinchilla", "flops")]
    [InlineData("/api/chinchilla?flops=1e23&tokens=1T", "tokens")]
    [InlineData("/api/density?server=no-such-server", "server")]
    [InlineData("/api/density?rackKw=0", "rackKw")]
    public async Task Bad_query_values_are_400_problems_naming_the_field(string url, string field)
    {
        var (status, type, body) = await Problem(await _client.GetAsync(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Overlong_text_is_refused_without_echoing_it_whole()
    {
        var name = new string('x', 5000);
        var (status, _, body) = await Problem(await _client.GetAsync("/api/memory?model=" + name));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("model", body.GetProperty("field").GetString());
        Assert.True(body.GetProperty("detail").GetString()!.Length < 300);
    }

    [Theory]
    [InlineData("""{"model":"qwen2-72b",""", "body")]
    [InlineData("""{"model":"qwen2-72b","colour":"red"}""", "colour")]
    [InlineData("""{"model":{"id":"qwen2-72b"}}""", "model")]
    [InlineData("""{"model":"qwen2-72b","context":true}""", "context")]
    [InlineData("[1,2,3]", "body")]
    [InlineData("null", "body")]
    [InlineData("", "body")]
    public async Task Bad_json_bodies_are_400_problems_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var (status, _, body) = await Problem(await _client.PostAsync("/api/memory", content));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var content = new StringContent("model=qwen2-72b", Encoding.UTF8, "application/x-www-form-urlencoded");
        var (status, type, _) = await Problem(await _client.PostAsync("/api/memory", content));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("application/problem+json", type);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        var huge = "{\"model\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        using var content = new StringContent(huge, Encoding.UTF8, "application/json");
        var (status, type, body) = await Problem(await _client.PostAsync("/api/perf", content));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("application/problem+json", type);
        Assert.Contains("1,048,576 bytes", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_in_a_text_field_comes_back_only_as_json_text()
    {
        var r = await _client.GetAsync("/api/memory?model=" + Uri.EscapeDataString("<script>alert(1)</script>"));
        var (status, type, body) = await Problem(r);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Contains("<script>", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_past_the_time_limit_is_a_422_problem_that_says_so()
    {
        using var limited = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:OperationTimeLimit", "00:00:00"));
        var (status, _, body) = await Problem(await limited.CreateClient().GetAsync("/api/perf?model=qwen2.5-7b&hardware=h100"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("time limit", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_responses_carry_the_server_time()
    {
        var r = await _client.GetAsync("/api/perf?model=qwen2.5-7b&hardware=h100");
        Assert.StartsWith("app;dur=", r.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint_and_the_reference_page_is_served()
    {
        var doc = Json(await _client.GetStringAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/memory", "/api/perf", "/api/simulate", "/api/capacity", "/api/plan", "/api/plan/xlsx", "/api/optimize", "/api/compare", "/api/train", "/api/chinchilla", "/api/density", "/api/catalog/models", "/api/catalog/hardware", "/api/catalog/servers", "/api/catalog/prices" })
        {
            Assert.Contains(path, paths);
        }
        var memoryGet = doc.GetProperty("paths").GetProperty("/api/memory").GetProperty("get");
        var parameters = memoryGet.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("kvPrecision", parameters);
        var scalar = await _client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Equal("text/html", scalar.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_json_response_in_the_OpenAPI_document_has_a_schema_with_the_contract_version()
    {
        var doc = Json(await _client.GetStringAsync("/openapi/v1.json"));
        var missing = new List<string>();
        var checkedCount = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var ok = operation.Value.GetProperty("responses").GetProperty("200");
                if (!ok.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
                {
                    continue; // the XLSX downloads
                }
                checkedCount++;
                if (!json.TryGetProperty("schema", out var schema) || !schema.TryGetProperty("$ref", out var reference))
                {
                    missing.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                    continue;
                }
                var name = reference.GetString()!.Split('/')[^1];
                var component = doc.GetProperty("components").GetProperty("schemas").GetProperty(name);
                if (!component.GetProperty("properties").TryGetProperty("schemaVersion", out _))
                {
                    missing.Add($"{operation.Name.ToUpperInvariant()} {path.Name} ({name} has no schemaVersion)");
                }
            }
        }
        Assert.Empty(missing);
        Assert.True(checkedCount >= 26, $"only {checkedCount} JSON responses found");
    }

    [Fact]
    public async Task The_page_and_its_chart_library_are_served_by_the_app_with_nothing_external()
    {
        var html = await _client.GetStringAsync("/");
        Assert.Contains("lib/echarts/echarts.min.js", html, StringComparison.Ordinal);
        var js = await _client.GetAsync("/lib/echarts/echarts.min.js");
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.True((await js.Content.ReadAsByteArrayAsync()).Length > 500_000);
        var scripts = new EmbeddedAssets(typeof(SuanliWeb).Assembly).Paths.Where(p => p.StartsWith("js/", StringComparison.Ordinal)).Select(p => "/" + p).ToList();
        Assert.Equal(9, scripts.Count);
        foreach (var file in new[] { "/", "/app.js", "/i18n.js", "/style.css" }.Concat(scripts))
        {
            var text = await _client.GetStringAsync(file);
            Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", text);
            Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
        }
        Assert.Contains("6.1.0", await _client.GetStringAsync("/lib/THIRD-PARTY-NOTICES.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_files_and_json_are_compressed_and_the_icon_is_served()
    {
        foreach (var (encoding, path) in new[] { ("br", "/lib/echarts/echarts.min.js"), ("gzip", "/lib/echarts/echarts.min.js"), ("br", "/app.js"), ("br", "/js/loading.js"), ("gzip", "/api/catalog/hardware") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        }
        // Without Accept-Encoding the file is sent as it is (1.1 MB); compressed it is under a third of that.
        using (var plain = await _client.GetAsync("/lib/echarts/echarts.min.js"))
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/lib/echarts/echarts.min.js"))
        {
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var packed = await _client.SendAsync(request);
            var full = (await plain.Content.ReadAsByteArrayAsync()).Length;
            var small = (await packed.Content.ReadAsByteArrayAsync()).Length;
            Assert.True(small * 3 < full, $"gzip {small:N0} of {full:N0} bytes");
        }
        var icon = await _client.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        var ico = await factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.MovedPermanently, ico.StatusCode);
        Assert.Equal("/favicon.svg", ico.Headers.Location?.OriginalString);
    }

    [Fact]
    public void Cli_option_names_map_to_api_field_names()
    {
        Assert.Equal("kvPrecision", ProblemMapper.ApiField("--kv-precision"));
        Assert.Equal("hardware", ProblemMapper.ApiField("--hardware"));
        Assert.Equal("model", ProblemMapper.ApiField("model"));
    }

    [Fact]
    public void Serve_refuses_a_host_that_is_not_an_address()
    {
        var (code, _, err) = Cli("serve", "--host", "example.com");
        Assert.Equal(2, code);
        Assert.Contains("--host", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_refuses_a_port_out_of_range()
    {
        var (code, _, err) = Cli("serve", "--port", "70000");
        Assert.NotEqual(0, code);
        Assert.Contains("--port", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_binds_to_loopback_by_default()
    {
        Assert.Equal("http://127.0.0.1:5080", WebSettings.Default.Url);
    }
}
