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
    [InlineData("/api/compare?requestsPerMonth=1e6&model=llama-3.1-8b&hardware=h100&tpotP90=1e308", "tpotP90", "1E+308")]
    [InlineData("/api/optimize?model=qwen2.5-14b&hardware=h100&rate=10&ttftP90=9999999999999", "ttftP90", "1E+13")]
    public async Task A_latency_target_over_a_day_is_a_400_from_compare_and_optimize_as_from_simulate(string url, string field, string shown)
    {
        var en = await Problem(url);
        Assert.Equal(field, en.GetProperty("field").GetString());
        Assert.Equal($"{field} must be between 0 and 86400, got {shown}.", en.GetProperty("detail").GetString());
        var zh = await Problem(url + "&lang=zh");
        Assert.Equal($"{field} 必须介于 0 和 86400 之间，实际为 {shown}。", zh.GetProperty("detail").GetString());
    }
}
