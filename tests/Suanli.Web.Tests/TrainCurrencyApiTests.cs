using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary><c>/api/train</c>'s currency, as <c>suanli train --currency</c>.</summary>
public class TrainCurrencyApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Train_in_cny_returns_the_document_the_cli_prints_with_every_cost_in_cny()
    {
        var cli = ApiTests.Cli("train", "--model", "llama-3.1-8b", "--tokens", "1B", "--hardware", "h100", "--tariff", "CN-industrial-average", "--currency", "CNY", "--format", "json");
        Assert.Equal(0, cli.Code);
        var api = await _client.GetStringAsync("/api/train?model=llama-3.1-8b&tokens=1B&hardware=h100&tariff=CN-industrial-average&currency=CNY");
        CliDocuments.Same(cli.Out, api);
        using var doc = JsonDocument.Parse(api);
        var costs = doc.RootElement.GetProperty("costs");
        Assert.Equal("CNY", costs.GetProperty("rent").GetProperty("currency").GetString());
        Assert.Equal("CNY", costs.GetProperty("electricity").GetProperty("currency").GetString());
    }
}
