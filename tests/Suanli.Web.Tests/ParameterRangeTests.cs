using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Suanli.Footprint;
using Suanli.Serving;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The OpenAPI document states the range of each layout and run-length parameter of perf and simulate, read from the
/// constant the parser or the core checks, so the document and the refusal cannot drift apart; and an optional number
/// given empty (<c>ttftPercentile=</c>) is refused as the CLI refuses <c>--ttft-percentile ""</c>, never read as the default.
/// </summary>
public sealed class ParameterRangeTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string Simulate = "/api/simulate?model=llama-3.1-8b&hardware=h100&rate=1&input=512&output=128&requests=100";
    private const string Perf = "/api/perf?model=llama-3.1-8b&hardware=h100&batch=1";

    public static TheoryData<string, string, double, double> Ranges => new()
    {
        { "/api/perf", "tp", 1, Layouts.MaxTensorParallel },
        { "/api/perf", "pp", 1, Layouts.MaxPipelineStages },
        { "/api/perf", "replicas", 1, MemoryModel.MaxDevicesSearched },
        { "/api/perf", "systemDevices", 1, MemoryModel.MaxDevicesSearched },
        { "/api/simulate", "tp", 1, Layouts.MaxTensorParallel },
        { "/api/simulate", "pp", 1, Layouts.MaxPipelineStages },
        { "/api/simulate", "replicas", 1, MemoryModel.MaxDevicesSearched },
        { "/api/simulate", "systemDevices", 1, MemoryModel.MaxDevicesSearched },
        { "/api/simulate", "duration", 0, Workload.MaxDurationSeconds },
        { "/api/perf", "devices", 1, MemoryModel.MaxDevicesSearched },
        { "/api/simulate", "devices", 1, MemoryModel.MaxDevicesSearched },
        { "/api/simulate", "dpAttention", 1, Layouts.MaxTensorParallel },
        { "/api/simulate", "maxNumSeqs", 1, StatedCaps.MostSequences },
        { "/api/capacity", "maxNumSeqs", 1, StatedCaps.MostSequences },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task The_openapi_document_states_the_range_the_request_is_checked_against(string path, string name, double min, double max)
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var parameter = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name);
        var schema = parameter.GetProperty("schema");
        Assert.Equal(max, schema.GetProperty("maximum").GetDouble());
        // Duration is above 0 (exclusive); the others are whole numbers from their minimum.
        if (name == "duration")
        {
            Assert.Equal(min, schema.GetProperty("exclusiveMinimum").GetDouble());
        }
        else
        {
            Assert.Equal(min, schema.GetProperty("minimum").GetDouble());
        }
        // One past the documented maximum is the request's own refusal, naming the parameter.
        var beyond = (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Capacity searches the load itself and refuses one.
        var query = (path == "/api/perf" ? Perf : path == "/api/capacity" ? Simulate.Replace("/api/simulate", path, StringComparison.Ordinal).Replace("&rate=1", "", StringComparison.Ordinal) : Simulate)
            + (name is "tp" or "pp" or "replicas" or "dpAttention" ? "&systemDevices=8" : "") + $"&{name}={beyond}";
        using var r = await _client.GetAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.Equal(name, problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public void The_ranges_docs_web_md_states_are_the_constants_the_document_reads()
    {
        static string N(double v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        var page = File.ReadAllText(Path.Combine(CliParityTests.RepoRoot(), "docs", "web.md")).ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal);
        Assert.Contains($"(`tp` 1 to {N(Layouts.MaxTensorParallel)}, `pp` 1 to {N(Layouts.MaxPipelineStages)}, `devices`, `systemDevices` and `replicas` 1 to {N(MemoryModel.MaxDevicesSearched)}, "
            + $"`dpAttention` 1 to {N(Layouts.MaxTensorParallel)}, `duration` above 0 to {N(Workload.MaxDurationSeconds)} s, `maxNumSeqs` 1 to {N(StatedCaps.MostSequences)})", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "ttftPercentile must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got ''.")]
    [InlineData("zh", "ttftPercentile 必须是大于 0 且小于 100 的百分位（中位数为 50，或 90、95、99、99.9），收到的是 ''。")]
    public async Task An_empty_percentile_is_refused_with_the_clis_sentence_on_every_endpoint_that_takes_one(string lang, string detail)
    {
        // The CLI's sentence for the same empty value, with its option named as the web names the field.
        var cli = ApiTests.Cli("simulate", "--model", "llama-3.1-8b", "--hardware", "h100", "--rate", "1", "--input", "512", "--output", "128", "--ttft", "2", "--ttft-percentile", "", "--lang", lang);
        Assert.Equal(2, cli.Code);
        Assert.Contains(detail.Replace("ttftPercentile", "--ttft-percentile", StringComparison.Ordinal), cli.Err, StringComparison.Ordinal);
        foreach (var url in new[]
        {
            Simulate + "&ttft=2&ttftPercentile=",
            "/api/plan?model=llama-3.1-8b&hardware=h100&peakRate=5&ttftPercentile=",
            "/api/optimize?model=llama-3.1-8b&hardware=h100&rate=1&input=512&output=128&ttftPercentile=",
        })
        {
            using var r = await _client.GetAsync(url + "&lang=" + lang);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            Assert.Equal("ttftPercentile", problem.RootElement.GetProperty("field").GetString());
            Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("requests", "requests: '' is not a number. Use a whole number such as 64 or 2k.")]
    [InlineData("tp", "tp: '' is not a number. Use a whole number such as 64 or 2k.")]
    [InlineData("duration", "duration: '' is not a number. Use digits with a point, e.g. 0.5 or 1e6.")]
    [InlineData("maxNumSeqs", "maxNumSeqs: '' is not a whole number.")]
    [InlineData("seed", "seed: '' is not a whole number.")]
    public async Task Any_optional_number_given_empty_is_refused_naming_it_as_the_cli_refuses_an_empty_option(string name, string detail)
    {
        using var r = await _client.GetAsync(Simulate.Replace("&requests=100", "", StringComparison.Ordinal) + $"&{name}=");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        using var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.Equal(name, problem.RootElement.GetProperty("field").GetString());
        Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
        // The same field empty in a JSON body; left out (or null) it is still the default.
        string Body(string value) => $$"""{"model":"llama-3.1-8b","hardware":"h100","rate":1,"input":512,"output":128,{{(name == "requests" ? "" : "\"requests\":100,")}}"{{name}}":{{value}}}""";
        using var post = await _client.PostAsync("/api/simulate", new StringContent(Body("\"\""), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        using var posted = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        Assert.Equal(detail, posted.RootElement.GetProperty("detail").GetString());
        using var left = await _client.PostAsync("/api/simulate", new StringContent(Body("null"), Encoding.UTF8, "application/json"));
        Assert.True(left.StatusCode == HttpStatusCode.OK, await left.Content.ReadAsStringAsync());
    }
}
