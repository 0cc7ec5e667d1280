using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The search's choices (cost basis, rent term, purchase price, the day, exhaustive) give the web the answer
/// <c>suanli optimize</c> gives for the same options: one rule (<c>SearchChoices</c>) reads both.
/// </summary>
public sealed class SearchChoiceTests(GenerousLimitApp factory) : IClassFixture<GenerousLimitApp>
{
    // Documents are compared, not the time limit: a loaded test machine must not turn the search into a 422.
    private readonly HttpClient _client = factory.CreateClient();

    private const string Day = "2026-12-05";

    private async Task<(JsonElement Cli, JsonElement Api)> Both(string query, params string[] options)
    {
        var cli = ApiTests.Cli(["optimize", "-m", "qwen2.5-7b", "-H", "h100", "--rate", "2", "--today", Day, .. options, "--format", "json"]);
        Assert.True(cli.Code == 0, cli.Err);
        var r = await _client.GetAsync($"/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&today={Day}&{query}");
        var api = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, api);
        CliDocuments.Same(cli.Out, api);
        return (Cheapest(cli.Out), Cheapest(api));
    }

    private static JsonElement Cheapest(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("applications")[0].GetProperty("cheapest").Clone();
    }

    private static decimal Amount(JsonElement cheapest, string field) => cheapest.GetProperty("cost").GetProperty(field).GetProperty("amount").GetDecimal();

    private static void SameDeployment(JsonElement cli, JsonElement api)
    {
        Assert.Equal(cli.GetProperty("deployment").GetRawText(), api.GetProperty("deployment").GetRawText());
        Assert.Equal(Amount(cli, "perMonth"), Amount(api, "perMonth"));
        Assert.Equal(cli.GetProperty("cost").GetProperty("basis").GetString(), api.GetProperty("cost").GetProperty("basis").GetString());
    }

    [Fact]
    public async Task A_pinned_reserved_term_prices_the_rent_as_the_cli_does()
    {
        var (cli, api) = await Both("rentTerm=reserved-1y", "--rent-term", "reserved-1y");
        SameDeployment(cli, api);
        // catalog/prices/rent.yaml: the H100 1-year reserved contract at 2.35 USD per GPU-hour (SemiAnalysis, April
        // 2026), billed for every one of the month's 730 hours for the one device the fleet holds: 1,715.50 USD.
        Assert.Equal(1, api.GetProperty("fleet").GetProperty("devices").GetInt32());
        Assert.Equal(decimal.Round(2.35m * 730m, 2), Amount(api, "rentPerMonth"));
    }

    [Fact]
    public async Task The_rent_basis_minimises_rent_as_the_cli_does()
    {
        var (cli, api) = await Both("cost=rent", "--cost", "rent");
        SameDeployment(cli, api);
        Assert.Equal("rent", api.GetProperty("cost").GetProperty("basis").GetString());
        Assert.Equal(Amount(api, "rentPerMonth"), Amount(api, "perMonth"));
        // The default basis (cheaper of own and rent) owns this device: the parameter is what changed the answer.
        var cheaper = Cheapest(await _client.GetStringAsync($"/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&today={Day}"));
        Assert.Equal("own", cheaper.GetProperty("cost").GetProperty("basis").GetString());
        Assert.True(Amount(cheaper, "perMonth") < Amount(api, "perMonth"), string.Create(CultureInfo.InvariantCulture, $"own {Amount(cheaper, "perMonth")} vs rent {Amount(api, "perMonth")}"));
    }

    [Fact]
    public async Task An_exhaustive_search_finds_the_pruned_searchs_cheapest_as_the_cli_does()
    {
        var (cli, api) = await Both("exhaustive=true", "--exhaustive");
        SameDeployment(cli, api);
        // Pruning only skips candidates whose bound cannot beat a verified plan: simulating all of them changes nothing.
        var pruned = Cheapest(await _client.GetStringAsync($"/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&today={Day}"));
        SameDeployment(pruned, api);
        // 1 model x 1 device x devices per replica 1, 2, 4, 8 x its layouts: 9 candidates, every one simulated.
        using var doc = JsonDocument.Parse(await _client.GetStringAsync($"/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&today={Day}&exhaustive=true"));
        var stats = doc.RootElement.GetProperty("applications")[0].GetProperty("stats");
        Assert.Equal(stats.GetProperty("candidates").GetInt32(), stats.GetProperty("evaluated").GetInt32());
        Assert.Equal(0, stats.GetProperty("pruned").GetInt32());
    }

    private const string Search = "/api/plan/search/stream?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=40&input=1024&output=256";

    [Theory]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&cost=cheapest", "cost", "cost is cheaper, own or rent, got 'cheapest'.")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&rentTerm=monthly", "rentTerm", "Unknown rent term 'monthly'; use on-demand, reserved-1y, reserved-3y or spot.")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&purchase=cheapest", "purchase", "Unknown purchase choice 'cheapest'; use newest (the default), article-claim, street-estimate or list-price.")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&today=05/12/2026", "today", "today must be a date like 2026-11-23, got '05/12/2026'.")]
    [InlineData("/api/optimize?model=qwen2.5-7b&hardware=h100&rate=2&exhaustive=yes", "exhaustive", "exhaustive is true or false, got 'yes'.")]
    [InlineData(Search + "&rentTerm=monthly", "rentTerm", "Unknown rent term 'monthly'; use on-demand, reserved-1y, reserved-3y or spot.")]
    [InlineData("/api/plan/search?model=qwen2.5-7b-instruct&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=40&cost=free", "cost", "cost is cheaper, own or rent, got 'free'.")]
    public async Task Bad_choices_are_400_naming_the_api_field(string url, string field, string detail)
    {
        var r = await _client.GetAsync(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(field, doc.RootElement.GetProperty("field").GetString());
        Assert.Equal(detail, doc.RootElement.GetProperty("detail").GetString());
    }
}
