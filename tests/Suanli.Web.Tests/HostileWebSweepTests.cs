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
    [InlineData("/api/compare?requestsPerMonth=1e6&model=llama-3.1-8b&hardware=h100&tpotP90=1e308", "tpotP90", "1e+308")]
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
}
