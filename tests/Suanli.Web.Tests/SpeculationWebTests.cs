using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// Speculative decoding is one question with one answer on both front ends: <c>speculate</c>, <c>accept</c> and
/// <c>draftTokens</c> on perf, simulate and capacity give the document <c>--speculate</c>, <c>--accept</c> and
/// <c>--draft-tokens</c> give the CLI, and their errors name the API field.
/// </summary>
public sealed class SpeculationWebTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Perf_with_mtp_is_the_cli_document_with_its_speculation_table()
    {
        var cli = ApiTests.Cli("perf", "--model", "deepseek-v3", "--hardware", "h200", "--devices", "8", "--precision", "fp8", "--batch", "1,16",
            "--speculate", "mtp", "--accept", "0.85", "--format", "json");
        Assert.True(cli.Code == 0, cli.Err);
        var api = await _client.GetStringAsync("/api/perf?model=deepseek-v3&hardware=h200&devices=8&precision=fp8&batch=1,16&speculate=mtp&accept=0.85");
        CliDocuments.Same(cli.Out, api);
        using var doc = JsonDocument.Parse(api);
        var speculation = doc.RootElement.GetProperty("speculation");
        Assert.Equal(1, speculation.GetProperty("draftTokens").GetInt32());
        Assert.Equal(0.85, speculation.GetProperty("acceptance").GetDouble());
    }

    [Fact]
    public async Task Capacity_with_an_eagle_head_is_the_cli_document()
    {
        var cli = ApiTests.Cli("capacity", "--model", "llama-3.1-8b", "--hardware", "h100", "--input", "512", "--output", "128", "--tpot-p90", "0.05",
            "--requests", "300", "--speculate", "eagle", "--accept", "0.7", "--draft-tokens", "3", "--format", "json");
        Assert.True(cli.Code == 0, cli.Err);
        var api = await _client.GetStringAsync("/api/capacity?model=llama-3.1-8b&hardware=h100&input=512&output=128&tpotP90=0.05&requests=300&speculate=eagle&accept=0.7&draftTokens=3");
        CliDocuments.Same(cli.Out, api);
        Assert.Contains("\"speculation\"", api, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/perf?model=deepseek-v3&hardware=h200&devices=8&accept=0.85", "speculate")]
    [InlineData("/api/simulate?model=llama-3.1-8b&hardware=h100&rate=1&input=512&output=128&speculate=medusa&accept=0.7", "speculate")]
    [InlineData("/api/perf?model=deepseek-v3&hardware=h200&devices=8&speculate=mtp&accept=1.5", "accept")]
    public async Task Speculation_errors_name_the_api_field(string url, string field)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, doc.RootElement.GetProperty("field").GetString());
        Assert.DoesNotContain("--", doc.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_speculation_parameters_on_all_three_endpoints()
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        foreach (var path in new[] { "/api/perf", "/api/simulate", "/api/capacity" })
        {
            var names = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("speculate", names);
            Assert.Contains("accept", names);
            Assert.Contains("draftTokens", names);
        }
    }
}
