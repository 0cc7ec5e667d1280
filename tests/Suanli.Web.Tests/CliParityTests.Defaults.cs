using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Web.Tests;

public sealed partial class CliParityTests
{
    // The endpoint table of docs/web.md: "| `GET\|POST /api/perf` | `suanli perf` | `input` (1024), `engine` (vllm), ... |".
    [GeneratedRegex(@"^\| `(?:GET|POST|GET\\\|POST) (/api/[a-z/]+)` \|[^|]*\|(.*)\|$", RegexOptions.Multiline)]
    private static partial Regex EndpointRow();

    // "`requests` (2,000)", "`timeZone` (UTC; an IANA name ...)", "`devices` (0 = fewest)": the value before any ';' or ' ='.
    [GeneratedRegex(@"`([a-z]\w*)` \(`?([A-Za-z0-9.,:_+-]+)`?(?:[;=][^()]*| =[^()]*)?\)")]
    private static partial Regex DocumentedDefault();

    // The required inputs of each endpoint whose row gives defaults, the least the endpoint answers to.
    private static readonly Dictionary<string, string> Required = new(StringComparer.Ordinal)
    {
        ["/api/memory"] = "model=qwen2-72b&hardware=a100-80gb",
        ["/api/perf"] = "model=llama-3.1-8b&hardware=h100",
        ["/api/simulate"] = "model=llama-3.1-8b&hardware=h100&input=512&output=128&rate=4",
        ["/api/plan"] = "model=qwen2.5-7b&hardware=h100&peakConcurrency=20",
        ["/api/plan/search"] = "model=qwen2.5-7b&hardware=h100&peakConcurrency=20",
        ["/api/optimize"] = "model=qwen2.5-7b&hardware=h100&rate=2",
        ["/api/compare"] = "requestsPerMonth=1e6&model=qwen2.5-7b&hardware=a100-80gb&today=2026-12-05",
        ["/api/train"] = "model=llama-2-7b&hardware=a100-80gb&tokens=1e9",
        ["/api/density"] = "model=llama-3-8b",
    };

    /// <summary>
    /// The defaults docs/web.md's endpoint table gives in parentheses are the API's: each endpoint answers the same
    /// document with every documented default passed explicitly as without it (a default that moved, in the code or in
    /// the page, changes the answer).
    /// </summary>
    [Fact]
    public async Task The_defaults_docs_web_md_gives_are_what_each_endpoint_assumes()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "web.md")).ReplaceLineEndings("\n");
        var checkedDefaults = 0;
        foreach (Match row in EndpointRow().Matches(page))
        {
            var path = row.Groups[1].Value;
            var defaults = DocumentedDefault().Matches(row.Groups[2].Value).Where(m => m.Groups[2].Value is not ("required" or "lists"))
                // "2,000" is a thousands separator; "1,2,4,8" a list.
                .Select(m => (Name: m.Groups[1].Value, Value: Regex.IsMatch(m.Groups[2].Value, @"^\d{1,3}(,\d{3})+$") ? m.Groups[2].Value.Replace(",", "", StringComparison.Ordinal) : m.Groups[2].Value))
                .ToList();
            if (defaults.Count == 0)
            {
                continue;
            }
            Assert.True(Required.TryGetValue(path, out var required), $"docs/web.md gives defaults for {path}; add its required inputs to this test.");
            var implicitAnswer = await Answer($"{path}?{required}");
            var explicitAnswer = await Answer($"{path}?{required}&" + string.Join('&', defaults.Select(d => $"{d.Name}={Uri.EscapeDataString(d.Value)}")));
            Assert.True(implicitAnswer == explicitAnswer,
                $"{path} answers differently with the defaults docs/web.md gives ({string.Join(", ", defaults.Select(d => $"{d.Name}={d.Value}"))}) than without: one of them is not the endpoint's default.");
            checkedDefaults += defaults.Count;
        }
        Assert.True(checkedDefaults >= 30, $"only {checkedDefaults} defaults found in docs/web.md's endpoint table; did its layout change?");
    }

    /// <summary>The endpoint's document without its list of assumptions, which names the defaults it applied ("time_zone = UTC (default; ...)").</summary>
    private async Task<string> Answer(string url)
    {
        var r = await _client.GetAsync(url);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {body}");
        var node = JsonNode.Parse(body)!;
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            o.Remove("assumptions");
            foreach (var (_, child) in o)
            {
                Strip(child);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                Strip(child);
            }
        }
    }
}
