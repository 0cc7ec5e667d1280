using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Suanli.Web.Api;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The web's input records are held to issue 17's limit of 20 fields per type, as the other assemblies are
/// (tests/Suanli.Tests/ArchitectureTests.cs), and splitting them changed no parameter the page or a client sends.
/// </summary>
public sealed class WebInputTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const int MaxFields = 20;

    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] Simulate = ["model", "hardware", "devices", "systemDevices", "tp", "pp", "replicas", "dpAttention", "ppInNode", "precision", "kvPrecision", "engine", "rate", "concurrency", "input", "output", "thinkTime", "start", "requests", "duration", "seed", "ttftP90", "tpotP90", "e2eP90", "ttftP99", "tpotP99", "e2eP99", "ttft", "tpot", "e2e", "ttftPercentile", "tpotPercentile", "e2ePercentile", "maxNumSeqs", "maxBatchedTokens", "blockSize", "gpuMemoryUtilization", "prefixHitRate", "speculate", "accept", "draftTokens"];

    // The query parameters and JSON fields of the three inputs before they were split, in the order they were declared,
    // and those added since (speculative decoding, ppInNode and the closed loop's start on the serving inputs, the purchase price kind on compare's); capacity
    // adds mode, which simulate does not take.
    public static TheoryData<string, string[]> Inputs => new()
    {
        { "/api/simulate", Simulate },
        { "/api/capacity", [.. Simulate, "mode"] },
        { "/api/compare", ["requestsPerMonth", "tokensPerMonth", "input", "output", "api", "model", "hardware", "precision", "devices", "selfHost", "custom", "currency", "exchangeRate", "tariff", "pue", "years", "maintenance", "serverOverhead", "devicePrice", "months", "peakFactor", "tpotP90", "ttftP90", "range", "today", "purchase", "top", "prefixHitRate"] },
        { "/api/train", ["model", "tokens", "flops", "budgetUsd", "hardware", "devices", "days", "precision", "seqLen", "microBatch", "recompute", "method", "loraRank", "zero", "tp", "pp", "ep", "mfu", "rentPerHour", "tariff", "currency", "pue", "gridKgPerKwh", "teacher", "teacherHardware", "teacherDevices", "teacherPrecision", "teacherBatch", "teacherPrompt", "teacherOutput"] },
    };

    [Fact]
    public void No_type_of_the_web_declares_more_than_20_instance_fields()
    {
        var counts = typeof(ServingApi).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => (Type: t.FullName!, Fields: t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length))
            .ToList();
        // The counting must see the inputs' fields, or it could not fail: each part of the split holds more than ten.
        Assert.All(new[] { typeof(ServingInput), typeof(ServingTargetInput), typeof(TrainInput), typeof(TrainCostInput), typeof(CompareInput), typeof(CompareTermsInput) },
            t => Assert.True(counts.Single(c => c.Type == t.FullName).Fields > 10, t.Name));
        var tooMany = counts.Where(c => c.Fields > MaxFields).Select(c => $"{c.Type}: {c.Fields} fields").ToList();
        Assert.True(tooMany.Count == 0, "over 20 instance fields (group them):\n" + string.Join("\n", tooMany));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task The_openapi_document_lists_every_parameter_and_body_field_of_the_split_inputs(string path, string[] expected)
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var operations = doc.RootElement.GetProperty("paths").GetProperty(path);
        var query = operations.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToHashSet();
        Assert.Subset(query, expected.ToHashSet());
        Assert.Empty(query.Except(expected).Except(["format", "lang"]));
        var schema = operations.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(expected.Order(StringComparer.Ordinal), Properties(doc.RootElement, schema).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_field_of_the_second_part_binds_from_the_query_and_from_a_json_body()
    {
        using var get = await _client.GetAsync("/api/simulate?model=qwen2.5-7b&hardware=h100&rate=1&input=512&output=128&maxNumSeqs=0");
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Contains("maxNumSeqs", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var body = new StringContent("""{"model":"qwen2.5-7b","hardware":"h100","rate":1,"input":512,"output":"uniform:1024:256"}""", Encoding.UTF8, "application/json");
        using var post = await _client.PostAsync("/api/simulate", body);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        using var problem = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        Assert.Equal("output", problem.RootElement.GetProperty("field").GetString());
    }

    // A schema's property names, following $ref and allOf.
    private static IEnumerable<string> Properties(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Properties(root, root.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }
        var own = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => x.Name).ToList() : [];
        return schema.TryGetProperty("allOf", out var all) ? own.Concat(all.EnumerateArray().SelectMany(s => Properties(root, s))).Distinct() : own;
    }
}
