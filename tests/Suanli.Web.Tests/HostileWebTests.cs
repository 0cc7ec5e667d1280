using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Hostile requests: each is a 4xx problem naming what to fix, never a crash, a 500 or a silent default; every response carries the security headers.</summary>
public class HostileWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string Scenario = "hardware: a100-80gb\napplications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 200\n";

    private static async Task<(HttpStatusCode Status, string? Type, JsonElement Body)> Problem(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        return (r.StatusCode, r.Content.Headers.ContentType?.MediaType, doc.RootElement.Clone());
    }

    private Task<HttpResponseMessage> Post(string path, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        return _client.PostAsync(path, content);
    }

    [Fact]
    public async Task A_scenario_nested_40000_deep_is_a_400_with_line_and_column_and_the_server_lives_on()
    {
        var yaml = "name: " + new string('[', 40_000) + new string(']', 40_000) + "\n";
        var (status, type, body) = await Problem(await Post("/api/plan", yaml, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.StartsWith("request body:1:70: Lists and mappings are nested more than 64 deep", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/catalog/models")).StatusCode);
    }

    [Fact]
    public async Task A_planning_error_in_a_posted_scenario_names_the_scenario_key_and_position_in_each_language()
    {
        // Qwen2.5-7B-Instruct's context is 32,768 tokens; input_tokens (line 5, column 19) asks for 400,000.
        const string yaml = "hardware: h100\napplications:\n  - name: kb\n    model: Qwen/Qwen2.5-7B-Instruct\n    input_tokens: 400000\n    output_tokens: 100\n    peak_concurrency: 5\n";
        var (status, _, body) = await Problem(await Post("/api/plan", yaml, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("applications[0].input_tokens", body.GetProperty("field").GetString());
        Assert.Equal("request body:5:19: kb: the mean prompt of 400,000 tokens plus the mean output of 100 tokens is longer than the 32,768-token context of qwen2.5-7b-instruct; an engine would refuse such requests. Shorten applications[0].input_tokens or choose a model with a longer context.",
            body.GetProperty("detail").GetString());
        var (_, _, zh) = await Problem(await Post("/api/plan?lang=zh", yaml, "application/yaml"));
        Assert.StartsWith("request body:5:19: kb：", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("请缩短 applications[0].input_tokens", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_models_context_in_the_plan_query_names_the_query_field()
    {
        var (status, _, body) = await Problem(await _client.GetAsync("/api/plan?model=qwen2.5-7b-instruct&hardware=h100&peakConcurrency=5&input=400000&output=100"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("input", body.GetProperty("field").GetString());
        Assert.Equal("prompt-beyond-context", body.GetProperty("code").GetString());
        Assert.EndsWith("is longer than the 32,768-token context of qwen2.5-7b-instruct; an engine would refuse such requests. Shorten input or choose a model with a longer context.",
            body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_document_and_a_repeated_key_in_a_scenario_body_are_400s()
    {
        var (_, _, second) = await Problem(await Post("/api/plan", Scenario + "---\nname: b\n", "application/yaml"));
        Assert.StartsWith("request body:8:1: A second YAML document starts here", second.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (status, _, repeated) = await Problem(await Post("/api/plan", "name: a\nname: b\n" + Scenario, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("request body:2:1: Key 'name' appears twice in the same mapping (first on line 1); keep one of them.", repeated.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_field_given_twice_in_a_json_body_is_a_400_naming_it()
    {
        var (status, _, body) = await Problem(await Post("/api/memory", "{\"model\": \"qwen2-72b\",\n \"model\": \"llama-3.1-8b\"}", "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("model", body.GetProperty("field").GetString());
        Assert.StartsWith("Field 'model' is given twice", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/plan")]
    [InlineData("/api/plan/hours")]
    [InlineData("/api/plan/xlsx")]
    public async Task A_peak_rate_of_1e_300_is_a_400_on_every_plan_endpoint(string path)
    {
        var yaml = Scenario.Replace("peak_concurrency: 5", "peak_rate: 1e-300", StringComparison.Ordinal);
        var (status, _, body) = await Problem(await Post(path, yaml, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("request body:5:16: applications[0].peak_rate must be from 0.000001 to 100,000,000, got 1e-300.", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=1e308", "rate", "rate must be from 0.000001 to 100,000,000, got 1e308.")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakRate=1e-300", "peakRate", "peakRate must be from 0.000001 to 100,000,000, got 1e-300.")]
    [InlineData("/api/chinchilla?flops=1e-300", "flops", "flops must be from 1e18 to 1e30 FLOPs, got 1e-300")]
    public async Task Extreme_numbers_are_400s_naming_the_range(string url, string field, string detail)
    {
        var (status, _, body) = await Problem(await _client.GetAsync(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.StartsWith(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/memory?model=qwen2-72b&contxt=32k", "contxt", "context")]
    [InlineData("/api/perf?model=qwen2.5-7b&hardware=h100&batchs=1,8", "batchs", "batch")]
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=2&input=512&output=128&ttftp99x=1", "ttftp99x", "ttftP99")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakConcurency=10", "peakConcurency", "peakConcurrency")]
    [InlineData("/api/plan/hours?model=qwen2.5-7b&hardware=h100&peakConcurrency=10&curency=CNY", "curency", "currency")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=5&qualty=MMLU>=70", "qualty", "quality")]
    [InlineData("/api/compare?requestsPerMonth=1e6&api=deepseek-chat&month=12", "month", "months")]
    [InlineData("/api/chinchilla?flops=1e23&param=70B", "param", "params")]
    [InlineData("/api/density?rackkw=20&rackUs=42", "rackUs", "rackU")]
    [InlineData("/api/catalog/models?formt=csv", "formt", "format")]
    public async Task Unknown_query_parameters_are_400s_suggesting_the_nearest(string url, string field, string suggestion)
    {
        var (status, type, body) = await Problem(await _client.GetAsync(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Contains($"Unknown query parameter '{field}'. Did you mean '{suggestion}'?", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_refuses_capacitys_mode_in_a_json_body_and_the_openapi_document_lists_it_for_capacity_only()
    {
        var (_, _, query) = await Problem(await _client.GetAsync("/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=1&input=128&output=16&mode=concurrency&lang=zh"));
        Assert.Equal("mode", query.GetProperty("field").GetString());
        Assert.StartsWith("未知的查询参数 'mode'。", query.GetProperty("detail").GetString(), StringComparison.Ordinal);
        const string json = """{"model": "qwen2.5-0.5b", "hardware": "h100", "rate": 1, "input": 128, "output": 16, "mode": "concurrency"}""";
        var (status, _, body) = await Problem(await Post("/api/simulate?lang=zh", json, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body-unknown-field", body.GetProperty("code").GetString());
        Assert.StartsWith("未知字段 'mode'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        bool TakesMode(string path) => doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Any(p => p.GetProperty("name").GetString() == "mode");
        Assert.False(TakesMode("/api/simulate"));
        Assert.True(TakesMode("/api/capacity"));
    }

    [Fact]
    public async Task A_nul_padded_scenario_is_a_400_at_the_first_nul_in_chinese_too()
    {
        var (status, _, body) = await Problem(await Post("/api/plan?lang=zh", Scenario + "\0\0\0", "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("input-nul", body.GetProperty("code").GetString());
        Assert.StartsWith("request body:8:1: 'request body' 在此处含有 NUL 字节", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_parameter_names_are_matched_case_insensitively_as_aspnet_binds_them()
    {
        var r = await _client.GetAsync("/api/memory?Model=qwen2-72b&CONTEXT=32k");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.Equal(32768, doc.RootElement.GetProperty("context").GetInt32());
    }

    [Theory]
    [InlineData("/api/plan", "text/plain")]
    [InlineData("/api/plan", null)]
    [InlineData("/api/plan/hours", "text/plain")]
    [InlineData("/api/memory", null)]
    [InlineData("/api/memory", "text/plain")]
    [InlineData("/api/optimize", "application/x-www-form-urlencoded")]
    public async Task Posts_a_page_elsewhere_could_send_without_asking_are_415s(string path, string? contentType)
    {
        var body = path.StartsWith("/api/plan", StringComparison.Ordinal) ? Scenario : "{\"model\":\"qwen2.5-7b\",\"hardware\":\"h100\",\"rate\":1}";
        var r = await Post(path, body, contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/plan", "text/plain", "The request body must be application/json or application/yaml or application/x-yaml or text/yaml or text/x-yaml (Content-Type header), got 'text/plain'.")]
    [InlineData("/api/optimize", "application/x-www-form-urlencoded", "The request body must be application/json (Content-Type header), got 'application/x-www-form-urlencoded'.")]
    // The Chinese request reads the sentence in Chinese too (it used to get a Chinese title over an English detail).
    [InlineData("/api/compare?lang=zh", "application/xml", "请求体必须是 application/json（Content-Type 头），实际为 'application/xml'。")]
    public async Task A_content_type_the_endpoint_does_not_read_is_a_415_that_names_the_types_it_reads(string path, string contentType, string detail)
    {
        // The framework's endpoint matching answers these before any body is read; its problem used to carry no sentence.
        var (status, _, body) = await Problem(await Post(path, "{}", contentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(detail, body.GetProperty("detail").GetString());
        Assert.Equal(path.EndsWith("lang=zh", StringComparison.Ordinal) ? "不支持的媒体类型" : "Unsupported media type", body.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("", "peakConcurrency takes one number, got '10,20': the parameter given twice, or a comma where a decimal point belongs (0.5).")]
    [InlineData("&lang=zh", "peakConcurrency 只接受一个数字，实际为 '10,20'：参数给了两次，或把小数点写成了逗号（应写 0.5）。")]
    public async Task A_number_given_twice_is_a_400_that_says_so_rather_than_not_a_number(string lang, string detail)
    {
        var (status, _, body) = await Problem(await _client.GetAsync("/api/plan?model=qwen2.5-7b-instruct&hardware=h100&peakConcurrency=10&peakConcurrency=20" + lang));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("peakConcurrency", body.GetProperty("field").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_post_without_content_type_says_which_to_send()
    {
        var (_, _, body) = await Problem(await Post("/api/plan", Scenario, null));
        Assert.Equal("The request has no Content-Type header; send the body as application/json or application/yaml or application/x-yaml or text/yaml or text/x-yaml and say so in Content-Type.", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/memory?model=qwen2-72b")]
    [InlineData("/api/memory?model=no-such-model")]
    [InlineData("/openapi/v1.json")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        var r = await _client.GetAsync(url);
        Assert.Equal(Security.PagePolicy, Header(r, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(r, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(r, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(r, "Referrer-Policy"));
    }

    [Fact]
    public async Task The_page_policy_allows_only_its_own_scripts_and_the_reference_keeps_its_inline_start()
    {
        Assert.Contains("script-src 'self';", Security.PagePolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", Security.PagePolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", Security.PagePolicy, StringComparison.Ordinal);
        var scalar = await _client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Equal(Security.ReferencePolicy, Header(scalar, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(scalar, "X-Frame-Options"));
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/models");
        request.Headers.Host = "attacker.example";
        var (status, _, body) = await Problem(await _client.SendAsync(request));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Host", body.GetProperty("field").GetString());
        Assert.StartsWith("Host 'attacker.example' is not one this server answers to (localhost, 127.0.0.1, [::1]).", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var loopback in new[] { "localhost:5080", "127.0.0.1:5080", "[::1]:5080" })
        {
            using var ok = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/models");
            ok.Headers.Host = loopback;
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(ok)).StatusCode);
        }
    }

    [Fact]
    public async Task The_host_allow_list_is_configurable()
    {
        using var configured = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:AllowedHosts", "planner.example.org;*.corp.example"));
        var client = configured.CreateClient();
        foreach (var (host, expected) in new[] { ("planner.example.org", HttpStatusCode.OK), ("gpu.corp.example", HttpStatusCode.OK), ("localhost", HttpStatusCode.BadRequest), ("example.org", HttpStatusCode.BadRequest) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/models");
            request.Headers.Host = host;
            Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public void The_default_allow_list_adds_a_specific_bound_address_but_not_the_wildcard()
    {
        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "192.168.1.5"], Security.AllowedHosts(null, "192.168.1.5"));
        Assert.Equal(["localhost", "127.0.0.1", "[::1]"], Security.AllowedHosts(null, "0.0.0.0"));
        Assert.Equal(["*"], Security.AllowedHosts("*", "0.0.0.0"));
    }

    [Theory]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=10&input=512&output=64&duration=1e9", "duration", "duration must be between 0 and 2,592,000, got 1,000,000,000.")]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=10&input=512&output=64&duration=1e308", "duration", "duration must be between 0 and 2,592,000, got 1e308.")]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=10&input=512&output=64&requests=1e8", "requests", "requests must be a whole number from 1 to 1,000,000, got 1e8.")]
    [InlineData("/api/simulate?model=qwen2.5-0.5b&hardware=h100&rate=1e-300&input=512&output=64", "rate", "rate must be between 0.000001 and 10,000,000, got 1e-300.")]
    [InlineData("/api/memory?model=qwen2-72b&devices=1e9", "devices", "devices must be a whole number from 1 to 128, got 1e9.")]
    [InlineData("/api/memory?model=qwen2-72b&context=abc", "context", "context: 'abc' is not a number.")]
    [InlineData("/api/train?model=llama-3.1-8b&hardware=h100&tokens=10B&teacher=llama-3.1-405b&teacherDevices=1", "teacherDevices", "The teacher llama-3.1-405b in bf16 does not fit 1 x nvidia-h100-sxm5-80gb")]
    public async Task Reported_requests_are_400s_naming_the_field_with_no_type_name(string url, string field, string detail)
    {
        var (status, type, body) = await Problem(await _client.GetAsync(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(field, body.GetProperty("field").GetString());
        var text = body.GetProperty("detail").GetString()!;
        Assert.Contains(detail, text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2,147,483", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/plan")]
    [InlineData("/api/plan/hours")]
    public async Task The_reported_80_kb_scenario_sent_cross_origin_as_text_is_refused_before_it_is_read(string path)
    {
        // The report's request: nested 40,000 deep, text/plain, a foreign Origin (no preflight needed by a browser).
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("name: " + new string('[', 40_000) + new string(']', 40_000) + "\n"));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Origin", "http://attacker.example");
        var r = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
        Assert.Null(Header(r, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/catalog/models")).StatusCode);
    }

    [Fact]
    public async Task Cross_origin_reads_are_denied_by_default_and_allowed_only_for_configured_origins()
    {
        static HttpRequestMessage Preflight(string origin)
        {
            var m = new HttpRequestMessage(HttpMethod.Options, "/api/memory");
            m.Headers.Add("Origin", origin);
            m.Headers.Add("Access-Control-Request-Method", "POST");
            m.Headers.Add("Access-Control-Request-Headers", "content-type");
            return m;
        }
        static HttpRequestMessage Get(string origin)
        {
            var m = new HttpRequestMessage(HttpMethod.Get, "/api/memory?model=qwen2-72b");
            m.Headers.Add("Origin", origin);
            return m;
        }
        // Default: no CORS answer at all, so a browser keeps the response from the other origin's page.
        Assert.Null(Header(await _client.SendAsync(Preflight("http://intranet.example")), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await _client.SendAsync(Get("http://intranet.example")), "Access-Control-Allow-Origin"));

        using var configured = factory.WithWebHostBuilder(b => b.UseSetting("Suanli:AllowedOrigins", "http://intranet.example"));
        var client = configured.CreateClient();
        var preflight = await client.SendAsync(Preflight("http://intranet.example"));
        Assert.Equal("http://intranet.example", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal("http://intranet.example", Header(await client.SendAsync(Get("http://intranet.example")), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await client.SendAsync(Get("http://attacker.example")), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await client.SendAsync(Preflight("http://attacker.example")), "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/api/perf?model=qwen2.5-7b&hardware=h100&batch=1,,2", "batch", "batch: item 2 of '1,,2' is empty; remove the extra ',' or put a value there.")]
    [InlineData("/api/perf?model=qwen2.5-7b&hardware=h100&batch=1,", "batch", "batch: item 2 of '1,' is empty; remove the extra ',' or put a value there.")]
    [InlineData("/api/optimize?model=qwen2.5-7b,,x&hardware=h100&rate=1", "model", "model: item 2 of 'qwen2.5-7b,,x' is empty; remove the extra ',' or put a value there.")]
    [InlineData("/api/density?model=llama-3.1-8b&server=dgx-h100,", "server", "server: item 2 of 'dgx-h100,' is empty; remove the extra ',' or put a value there.")]
    public async Task An_empty_list_item_is_a_400_naming_the_field_and_its_position_not_dropped(string url, string field, string detail)
    {
        var (status, _, body) = await Problem(await _client.GetAsync(url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal("list-empty-item", body.GetProperty("code").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
        var (_, _, zh) = await Problem(await _client.GetAsync(url + "&lang=zh"));
        Assert.EndsWith("项为空；请删去多余的 ','，或在该处填入一个值。", zh.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_string_in_a_json_list_is_a_400_at_its_position_not_dropped()
    {
        var (status, _, body) = await Problem(await Post("/api/optimize", "{\"model\": [\"qwen2.5-7b\", \"\"], \"hardware\": \"h100\", \"rate\": 1}", "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("model", body.GetProperty("field").GetString());
        Assert.Equal("model: item 2 of 'qwen2.5-7b,' is empty; remove the extra ',' or put a value there.", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("[{\"model\": \"qwen2.5-7b\"}]")]
    [InlineData("\"qwen2.5-7b\"")]
    public async Task A_json_body_that_is_not_an_object_says_so_rather_than_not_json(string json)
    {
        // Both are valid JSON; "not valid JSON" sent a user looking for a syntax error.
        var (status, _, body) = await Problem(await Post("/api/memory", json, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body-not-object", body.GetProperty("code").GetString());
        Assert.StartsWith("The request body is JSON but not an object (line 1, byte ", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Send one JSON object with the fields model, precision, kvPrecision, context, batch, hardware, devices.", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : r.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;
}
