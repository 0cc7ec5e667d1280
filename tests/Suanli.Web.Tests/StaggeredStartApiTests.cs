using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// <c>start</c> of <c>/api/capacity</c> and <c>/api/simulate</c>, the CLI's <c>--start</c> (docs/web.md): the same
/// figure from both, and an unknown value refused with the known ones in English and Chinese.
/// </summary>
public sealed class StaggeredStartApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    // Seed case C2's knowledge base as capacity takes it (tests/Suanli.Tests/StaggeredStartTests.cs has the CLI's spelling).
    private const string C2 = "/api/capacity?model=Qwen/Qwen2-72B&hardware=nvidia-a100-sxm4-80gb&devices=4&input=1024&output=512&ttftP90=2&tpotP90=0.1&mode=concurrency&requests=600";

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task A_staggered_capacity_search_gives_the_cli_s_figure_and_the_plan_s()
    {
        var cli = ApiTests.Cli("capacity", "--model", "Qwen/Qwen2-72B", "--hardware", "nvidia-a100-sxm4-80gb", "--devices", "4", "--input", "1024", "--output", "512",
            "--ttft-p90", "2", "--tpot-p90", "0.1", "--mode", "concurrency", "--requests", "600", "--start", "staggered", "--format", "json");
        Assert.True(cli.Code == 0, cli.Err);
        var api = await _client.GetStringAsync(C2 + "&start=staggered");
        CliDocuments.Same(cli.Out, api);
        var web = Json(api);
        Assert.Equal("staggered", web.GetProperty("start").GetString());
        Assert.Equal(106, web.GetProperty("maxConcurrency").GetInt32());
        Assert.Equal(Json(cli.Out).GetProperty("maxRequestsPerSecond").GetDouble(), web.GetProperty("maxRequestsPerSecond").GetDouble());
        // The plan's knowledge-base replica, as /api/plan reports it for the default scenario's application.
        var plan = ApiTests.Cli("plan", "--format", "json");
        var planned = Json(plan.Out).GetProperty("applications").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "knowledge-base").GetProperty("capacity");
        Assert.Equal(planned.GetProperty("maxRequestsPerSecond").GetDouble(), web.GetProperty("maxRequestsPerSecond").GetDouble());
        Assert.Equal(planned.GetProperty("maxConcurrency").GetInt32(), web.GetProperty("maxConcurrency").GetInt32());
        // Without start the search starts its clients together, as before: 108 clients.
        var together = Json(await _client.GetStringAsync(C2));
        Assert.Equal("together", together.GetProperty("start").GetString());
        Assert.Equal(108, together.GetProperty("maxConcurrency").GetInt32());
    }

    [Fact]
    public async Task Simulate_takes_start_and_echoes_it()
    {
        var sim = Json(await _client.GetStringAsync("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&concurrency=8&requests=200&start=staggered"));
        Assert.Equal("staggered", sim.GetProperty("inputs").GetProperty("start").GetString());
        var (status, body) = await Problem("/api/simulate?model=qwen2.5-0.5b&hardware=h100&input=128&output=16&rate=2&start=staggered");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("start", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unknown_start_is_a_400_naming_start_and_the_known_values_in_english_and_chinese()
    {
        var (status, body) = await Problem(C2 + "&start=fast");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("start", body.GetProperty("field").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("Unknown start 'fast'. Use together (", detail, StringComparison.Ordinal);
        Assert.Contains(") or staggered (", detail, StringComparison.Ordinal);
        var (zhStatus, zh) = await Problem(C2 + "&start=fast&lang=zh");
        Assert.Equal(HttpStatusCode.BadRequest, zhStatus);
        var zhDetail = zh.GetProperty("detail").GetString()!;
        Assert.StartsWith("未知的 start 'fast'。请使用 together（", zhDetail, StringComparison.Ordinal);
        Assert.Contains("）或 staggered（", zhDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("token", zhDetail, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Problem(string url)
    {
        var r = await _client.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return (r.StatusCode, Json(text));
    }
}
