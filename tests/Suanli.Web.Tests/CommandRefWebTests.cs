using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The web's answers name the page's panels, the API's endpoints and parameters, never a command of the command line
/// ('suanli memory') or one of its options (--prices), in English and in Chinese; the page's one application is
/// named for its model, not "application".
/// </summary>
public partial class CommandRefWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [GeneratedRegex(@"suanli |--[a-z]")]
    private static partial Regex CliTalk();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string url)
    {
        using var response = await _client.GetAsync(url);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private static void NoCliTalk(string text) =>
        Assert.False(CliTalk().IsMatch(text), $"names a CLI command or option: {text}");

    [Theory]
    [InlineData("en", "(see the 'Memory of one model copy' panel)")]
    [InlineData("zh", "（见 “单个模型副本的显存占用”面板）")]
    public async Task A_model_that_does_not_fit_points_to_the_memory_panel_not_to_suanli_memory(string lang, string pointer)
    {
        // 70B in BF16 is about 141 GB of weights: it cannot fit one 80 GB H100, so every batch size is refused.
        var (status, body) = await Get($"/api/perf?model=llama-3.1-70b&hardware=h100&devices=1&precision=bf16&batch=1,8&lang={lang}");
        Assert.Equal(HttpStatusCode.OK, status);
        var messages = body.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("message").GetString()!).ToList();
        var misfit = Assert.Single(messages, m => m.Contains(pointer, StringComparison.Ordinal));
        Assert.All(messages, NoCliTalk);
        Assert.DoesNotContain("'suanli memory'", misfit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "List the catalog with GET /api/catalog/models (or /hardware, /servers, /prices).")]
    [InlineData("zh", "用 GET /api/catalog/models（或 /hardware、/servers、/prices）可列出目录。")]
    public async Task An_unknown_model_points_to_the_catalog_endpoints(string lang, string pointer)
    {
        var (status, body) = await Get($"/api/memory?model=no-such-model-xyz&hardware=h100&lang={lang}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.EndsWith(pointer, detail, StringComparison.Ordinal);
        NoCliTalk(detail);
    }

    [Theory]
    [InlineData("en", "Application 'llama-3.1-70b' cannot be served as asked")]
    [InlineData("zh", "应用 'llama-3.1-70b'")]
    public async Task The_pages_infeasible_plan_names_its_application_by_the_model(string lang, string start)
    {
        var (status, body) = await Get($"/api/plan?model=llama-3.1-70b&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&ttftP90=0.05&lang={lang}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains(start, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("'application'", detail, StringComparison.Ordinal);
        NoCliTalk(detail);
    }
}
