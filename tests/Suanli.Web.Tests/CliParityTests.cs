using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// docs/cli.md and docs/web.md describe the same inputs: every option of a command is its endpoint's parameter of the
/// same name in camelCase, and the other way round, except what docs/web.md names as having no web equivalent.
/// </summary>
public sealed partial class CliParityTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    // Every command: the output format (format=), extra catalog files, and the help.
    private static readonly string[] Everywhere = ["format", "catalog", "help"];

    // An option's line: its short name, then its long name and any long aliases (optimize's --ttft, --ttft-p90: the
    // old name still read, which the endpoint reads too).
    [GeneratedRegex(@"^\s+(?:-[\w?], )*--([a-z][a-z0-9-]*)(?:, --([a-z][a-z0-9-]*))*", RegexOptions.Multiline)]
    private static partial Regex OptionLine();

    private static SortedSet<string> CliOptions(string command)
    {
        var (code, output, err) = ApiTests.Cli(command, "--help");
        Assert.True(code == 0, err);
        return new SortedSet<string>(OptionLine().Matches(output).SelectMany(m => m.Groups[1].Captures.Concat(m.Groups[2].Captures)).Select(c => Camel(c.Value)).Except(Everywhere),
            StringComparer.Ordinal);
    }

    private static string Camel(string option)
    {
        var parts = option.Split('-');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    [Theory]
    [InlineData("/api/memory", "memory", "", "")]
    [InlineData("/api/perf", "perf", "", "")]
    // Trace files are not read by the web; mode is capacity's alone (simulate refuses it). Capacity's help hides the
    // load it refuses (rate, concurrency), which the endpoint shares with simulate and refuses by name (docs/web.md).
    [InlineData("/api/simulate", "simulate", "trace", "")]
    [InlineData("/api/capacity", "capacity", "trace", "concurrency,rate")]
    [InlineData("/api/optimize", "optimize", "prices,out,force", "")]
    [InlineData("/api/compare", "compare", "prices,out,force", "")]
    [InlineData("/api/train", "train", "", "")]
    [InlineData("/api/chinchilla", "chinchilla", "", "")]
    [InlineData("/api/density", "density", "", "")]
    public async Task Every_cli_option_is_an_api_parameter_but_the_documented_ones(string path, string command, string cliOnly, string apiOnly)
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        // Every endpoint also takes lang (WebLanguage.Parameter, read by the query filter rather than bound, so the
        // OpenAPI document does not list it): the CLI's --lang.
        var api = new SortedSet<string>(doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()!).Except(["format"]).Append(Suanli.Web.Http.WebLanguage.Parameter), StringComparer.Ordinal);
        var cli = CliOptions(command);
        var onlyCli = cliOnly.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var onlyApi = apiOnly.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(cli.Except(api).Order().SequenceEqual(onlyCli.Order()),
            $"'suanli {command}' has options {string.Join(", ", cli.Except(api))} that {path} does not take (documented: {cliOnly}); add them to the endpoint or to docs/web.md and this test.");
        Assert.True(api.Except(cli).Order().SequenceEqual(onlyApi.Order()),
            $"{path} takes {string.Join(", ", api.Except(cli))} that 'suanli {command}' does not (documented: {apiOnly}).");
        // What docs/web.md says the flag-driven optimize endpoint lacks is exactly what it lacks.
        if (command == "optimize")
        {
            var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "web.md"));
            foreach (var option in onlyCli.Except(["prices", "out", "force"]))
            {
                Assert.Contains($"`--{string.Concat(option.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()))}`", page, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>docs/web.md's probe sizes are the planner's (its table of limits: WebDocFiguresTests).</summary>
    [Fact]
    public void The_pages_probe_sizes_are_the_planners()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "web.md")).Replace('\n', ' ');
        // One probe size for the plan and both searches (the page's and suanli optimize's), so a deployment costs the same in each.
        Assert.Equal(Suanli.Plan.SimulatedReplicaCapacity.RequestsPerProbe, Suanli.Plan.ScenarioSearchOptions.DefaultRequestsPerProbe);
        Assert.Contains($"({Suanli.Plan.SimulatedReplicaCapacity.RequestsPerProbe} requests, `SimulatedReplicaCapacity.RequestsPerProbe`, as `suanli optimize` measures it too)", page, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"((?:GET|POST)(?:\|(?:GET|POST))*) (/api/[a-z/]+)")]
    private static partial Regex ProducerEndpoint();

    /// <summary>
    /// The contract names every endpoint that returns one of its documents ('suanli schema', the schema files'
    /// descriptions, docs/schemas/README.md), so the same document is found under each front end that answers with it.
    /// </summary>
    [Fact]
    public async Task Every_endpoint_returning_a_document_is_named_among_its_producers()
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var unnamed = new List<string>();
        var named = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.GetProperty("responses").GetProperty("200").TryGetProperty("content", out var content)
                    || !content.TryGetProperty("application/json", out var json) || !json.TryGetProperty("schema", out var schema) || !schema.TryGetProperty("$ref", out var reference))
                {
                    continue; // the XLSX downloads and the NDJSON stream; ApiTests checks every JSON response has a schema
                }
                var type = reference.GetString()!.Split('/')[^1];
                var document = Suanli.Runs.ReportSchemas.Documents.FirstOrDefault(d => d.Type.Name == type);
                // "GET|POST /api/plan", "GET /api/catalog/models": the methods and the path.
                var listed = document is null ? null : ProducerEndpoint().Matches(document.Producers).FirstOrDefault(m => m.Groups[2].Value == path.Name);
                if (listed is null || !listed.Groups[1].Value.Split('|').Contains(operation.Name.ToUpperInvariant()))
                {
                    unnamed.Add($"{operation.Name.ToUpperInvariant()} {path.Name} returns {type}, whose producers do not name it: {document?.Producers ?? "no document of the contract"}");
                }
                named.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        }
        Assert.True(unnamed.Count == 0, string.Join('\n', unnamed));
        // The two the contract once left out: plan.json with its sensitivity table, and the page's search.
        Assert.Contains("GET /api/plan/sensitivity", named);
        Assert.Contains("POST /api/plan/search", named);
        Assert.True(named.Count >= 26, $"only {named.Count} JSON responses found");
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Suanli.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new DirectoryNotFoundException("Suanli.slnx not found above the test binaries");
    }
}
