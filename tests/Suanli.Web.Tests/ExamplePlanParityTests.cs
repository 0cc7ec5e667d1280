using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// One number per question across the faces: every plan scenario of examples/, planned by <c>suanli plan --format json</c>
/// and posted to /api/plan, gives the same document (devices, replicas, costs, cost per million tokens, requests a
/// month, utilisation, latencies: every field but 'source' and the sentences spelled for the page); a scenario the CLI
/// refuses (exit 2) the API refuses too.
/// </summary>
public sealed class ExamplePlanParityTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>The examples <c>plan</c> takes: every scenario file but the optimize ones (those with <c>candidates:</c>).</summary>
    public static TheoryData<string> PlanExamples() => [.. PlanExampleNames()];

    private static List<string> PlanExampleNames() =>
        [.. Directory.GetFiles(Path.Combine(CliParityTests.RepoRoot(), "examples"), "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => !File.ReadLines(f).Any(l => l.StartsWith("candidates:", StringComparison.Ordinal))).Select(Path.GetFileName).OfType<string>()];

    [Fact]
    public void The_examples_folder_still_holds_the_plan_scenarios_the_readme_names()
    {
        // A filter that lost the examples would make the theory below pass on nothing.
        var names = PlanExampleNames();
        Assert.Contains("c2-knowledge-base.yaml", names);
        Assert.Contains("c2-article-targets.yaml", names);
        Assert.DoesNotContain("c2-optimize.yaml", names);
        Assert.True(names.Count >= 10, $"only {names.Count} plan examples found: {string.Join(", ", names)}");
    }

    [Theory]
    [MemberData(nameof(PlanExamples))]
    public async Task The_api_plans_each_example_as_the_cli_does(string name)
    {
        var file = Path.Combine(CliParityTests.RepoRoot(), "examples", name);
        var cli = ApiTests.Cli("plan", file, "--format", "json");
        using var content = new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/yaml");
        using var post = await _client.PostAsync("/api/plan", content);
        var body = await post.Content.ReadAsStringAsync();
        if (cli.Code == 2)
        {
            Assert.True(post.StatusCode == HttpStatusCode.BadRequest, $"the CLI refuses {name} ({cli.Err.Trim()}) but the API answers {(int)post.StatusCode}: {body}");
            Assert.Equal("unserved", JsonNode.Parse(body)!["code"]!.GetValue<string>());
            return;
        }
        Assert.True(cli.Code == 0, cli.Err);
        Assert.True(post.StatusCode == HttpStatusCode.OK, body);
        var (fromCli, fromApi) = (Comparable(cli.Out), Comparable(body));
        var differ = Differences(fromCli, fromApi, "$").Take(10).ToList();
        Assert.True(differ.Count == 0, $"{name}: the CLI and the API disagree at\n{string.Join('\n', differ)}");
        // The comparison saw the figures the brief names, not two empty documents.
        Assert.True(fromCli["fleet"]?["devices"]?.GetValue<int>() > 0, $"{name}: no fleet devices in the CLI's plan");
        Assert.NotNull(fromCli["applications"]?[0]?["capacity"]);
    }

    private static JsonNode Comparable(string json)
    {
        var node = CliDocuments.WithoutSentences(json);
        node.AsObject().Remove("source");
        return node;
    }

    /// <summary>The JSON paths where two documents differ, with both values.</summary>
    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    foreach (var d in Differences(x[key], y[key], $"{path}.{key}"))
                    {
                        yield return d;
                    }
                }
                break;
            case (JsonArray x, JsonArray y) when x.Count == y.Count:
                for (var i = 0; i < x.Count; i++)
                {
                    foreach (var d in Differences(x[i], y[i], $"{path}[{i}]"))
                    {
                        yield return d;
                    }
                }
                break;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    yield return $"{path}: CLI {a?.ToJsonString() ?? "absent"}, API {b?.ToJsonString() ?? "absent"}";
                }
                break;
        }
    }
}
