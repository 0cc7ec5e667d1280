using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// Defects a sweep of every GET endpoint's query fields with negative, zero, huge, NaN, empty, non-ASCII, list and
/// 5,000-character values found: each is now a 400 problem naming the field, in English and Chinese.
/// </summary>
public class HostileWebSweepTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> Problem(string url)
    {
        var r = await _client.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Theory]
    // /api/simulate and /api/plan refuse a target over a day (86,400 s); /api/compare and /api/optimize answered 200 to 1e308 s.
    [InlineData("/api/compare?requestsPerMonth=1e6&model=llama-3.1-8b&hardware=h100&tpotP90=1e308", "tpotP90", "1e308")]
    [InlineData("/api/optimize?model=qwen2.5-14b&hardware=h100&rate=10&ttftP90=9999999999999", "ttftP90", "9,999,999,999,999")]
    public async Task A_latency_target_over_a_day_is_a_400_from_compare_and_optimize_as_from_simulate(string url, string field, string shown)
    {
        var en = await Problem(url);
        Assert.Equal(field, en.GetProperty("field").GetString());
        Assert.Equal($"{field} must be between 0 and 86,400, got {shown}.", en.GetProperty("detail").GetString());
        var zh = await Problem(url + "&lang=zh");
        Assert.Equal($"{field} 必须介于 0 和 86,400 之间，实际为 {shown}。", zh.GetProperty("detail").GetString());
    }

    [Theory]
    // A denormal target was searched for and answered 200 with "no load meets it".
    [InlineData("/api/compare?requestsPerMonth=1e6&model=llama-3.1-8b&hardware=h100&tpotP90=1e-320", "tpotP90", "1e-320")]
    [InlineData("/api/capacity?model=llama-3.1-8b&hardware=h100&input=512&output=128&ttftP90=1e-7", "ttftP90", "1e-7")]
    public async Task A_latency_target_below_a_microsecond_is_a_400_naming_the_floor(string url, string field, string shown)
    {
        var en = await Problem(url);
        Assert.Equal(field, en.GetProperty("field").GetString());
        Assert.Equal($"{field} {shown} s is below 1 µs (0.000001 s), shorter than any engine step: the calibrated step-time model charges every step a fixed overhead longer than that (catalog/calibration/steptime.yaml). Give the target in seconds (0.05 = 50 ms).", en.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_self_hosting_field_beside_no_self_hosted_model_is_a_400_naming_it()
    {
        var en = await Problem("/api/compare?requestsPerMonth=1e6&api=DeepSeek/deepseek-chat%20(DeepSeek-V3.2)&hardware=h100");
        Assert.Equal("hardware", en.GetProperty("field").GetString());
        Assert.Equal("hardware applies to self-hosted options, but no model is self-hosted, so it would change nothing; give model with hardware, or drop hardware.", en.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_posted_scenario_whose_alias_is_inside_its_own_anchor_is_a_400_and_the_server_lives_on()
    {
        // Before, the scenario's tree contained itself and walking it overflowed the stack: the whole server process died.
        var content = new StringContent("hardware: a100-80gb\nx: &a [*a]\n", System.Text.Encoding.UTF8, "application/yaml");
        var r = await _client.PostAsync("/api/plan?lang=zh", content);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.EndsWith(":2:8: '*a' 代表它所在的列表或映射（&a），会无限重复自身。请直接写出这些值，或改为引用在此处之前已结束的节点。", doc.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/memory?model=qwen2-72b")).StatusCode);
    }

    [Theory]
    // Every unreadable field was told "expected a string or a number", though a name field refuses a number.
    [InlineData("/api/memory", "{\"model\": 5}", "model", "body-field-unreadable#text", "expected a string in quotes")]
    [InlineData("/api/train", "{\"model\": \"llama-3.1-8b\", \"hardware\": \"h100\", \"tokens\": \"1T\", \"method\": 1}", "method", "body-field-unreadable#text", "expected a string in quotes")]
    [InlineData("/api/compare", "{\"requestsPerMonth\": 1e6, \"api\": 5}", "api", "body-field-unreadable#list", "expected a string or a list of strings")]
    [InlineData("/api/memory", "{\"model\": \"qwen2-72b\", \"devices\": [1]}", "devices", "body-field-unreadable", "expected a string or a number")]
    public async Task An_unreadable_body_field_is_told_the_json_type_that_field_takes(string path, string json, string field, string code, string expected)
    {
        var r = await _client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.Equal(field, doc.RootElement.GetProperty("field").GetString());
        Assert.Equal(code, doc.RootElement.GetProperty("code").GetString());
        Assert.EndsWith($": {expected}, as in the API reference (/scalar).", doc.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private const string Percentile = " must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got ";

    [Theory]
    // The newest inputs swept with hostile values: each endpoint that takes a percentile refuses 0, 100, past 100, NaN and
    // past the double range with the field, before any simulation starts.
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakRate=2&ttftPercentile=0", "ttftPercentile", "0.")]
    [InlineData("/api/plan?model=qwen2.5-7b&hardware=h100&peakRate=2&tpotPercentile=100.0001", "tpotPercentile", "100.0001.")]
    [InlineData("/api/plan/sensitivity?model=qwen2.5-7b&hardware=h100&peakRate=2&ttftPercentile=100", "ttftPercentile", "100.")]
    [InlineData("/api/plan/search?model=qwen2.5-7b&hardware=h100&peakRate=2&ttftPercentile=NaN", "ttftPercentile", "'NaN'.")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&ttft=2&ttftPercentile=1e309", "ttftPercentile", "'1e309'.")]
    [InlineData("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=2&input=512&output=128&ttft=1&ttftPercentile=-1", "ttftPercentile", "-1.")]
    public async Task A_hostile_target_percentile_is_a_400_naming_the_field(string url, string field, string got)
    {
        var en = await Problem(url);
        Assert.Equal(field, en.GetProperty("field").GetString());
        Assert.Equal(field + Percentile + got, en.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("top=0", "top must be a whole number from 1 to 100, got 0.")]
    [InlineData("top=101", "top must be a whole number from 1 to 100, got 101.")]
    public async Task A_compare_top_outside_1_to_100_is_a_400_naming_top(string query, string detail)
    {
        var en = await Problem("/api/compare?requestsPerMonth=1e6&custom=a;monthly=1%20USD&" + query);
        Assert.Equal("top", en.GetProperty("field").GetString());
        Assert.Equal(detail, en.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Compare_answers_the_cheapest_ten_options_and_counts_the_rest_in_options_not_shown()
    {
        // 30 custom options, option i at 100 x (i + 1) USD a month: options 0 to 9 are shown, 20 are counted.
        var url = "/api/compare?requestsPerMonth=1e6" + string.Concat(Enumerable.Range(0, 30).Select(i => $"&custom=option%20{i};monthly={100 * (i + 1)}%20USD"));
        using var doc = JsonDocument.Parse(await _client.GetStringAsync(url));
        var options = doc.RootElement.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("option").GetString()).ToList();
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"option {i}")], options);
        Assert.Equal(20, doc.RootElement.GetProperty("optionsNotShown").GetInt32());
        // Eleven options with top=11: every one shown (a few pairs more than ten; thirty with top=30 are 435 pairs).
        var eleven = "/api/compare?requestsPerMonth=1e6&top=11" + string.Concat(Enumerable.Range(0, 11).Select(i => $"&custom=option%20{i};monthly={100 * (i + 1)}%20USD"));
        using var all = JsonDocument.Parse(await _client.GetStringAsync(eleven));
        Assert.Equal(11, all.RootElement.GetProperty("options").GetArrayLength());
        Assert.Equal(0, all.RootElement.GetProperty("optionsNotShown").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_query_parameter_and_lists_lang_and_format_on_every_endpoint()
    {
        // format was listed with no description on every endpoint, and lang, which every endpoint takes, was not listed.
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var operations = doc.RootElement.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Op: o.Value))).ToList();
        Assert.True(operations.Count > 20, $"{operations.Count} operations");
        var undescribed = new List<string>();
        foreach (var (path, method, op) in operations)
        {
            var parameters = op.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().ToList() : [];
            Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "lang");
            undescribed.AddRange(parameters.Where(p => !p.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))
                .Select(p => $"{method} {path} {p.GetProperty("name").GetString()}"));
        }
        Assert.True(undescribed.Count == 0, string.Join("\n", undescribed));
        var compare = doc.RootElement.GetProperty("paths").GetProperty("/api/compare").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "top");
        Assert.Contains("1 to 100. Default 10.", compare.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lang_listed_in_the_openapi_document_is_taken_and_an_unknown_parameter_beside_it_is_still_refused()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/memory?model=qwen2-72b&lang=zh")).StatusCode);
        var en = await Problem("/api/compare?requestsPerMonth=1e6&custom=a;monthly=1%20USD&lang=en&tpo=5");
        Assert.Equal("tpo", en.GetProperty("field").GetString());
        Assert.StartsWith("Unknown query parameter 'tpo'. Did you mean '", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The valid parameters the refusal lists end with lang, as the document lists it.
        Assert.EndsWith(", format, lang.", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
