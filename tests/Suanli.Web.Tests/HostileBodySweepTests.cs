using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The command line's hostile files (malformed YAML, a duplicated key, a binary or empty file, an unknown enum value, a
/// body past the size limit) posted to every endpoint that reads a body: each is a 4xx problem saying what to fix,
/// never a 500, a stack trace or a hang, and the server answers the next request.
/// </summary>
public class HostileBodySweepTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    // Endpoints that read a scenario (YAML or JSON) and those that read a JSON document of their query's fields.
    private static readonly string[] ScenarioPaths = ["/api/plan", "/api/plan/hours", "/api/plan/xlsx", "/api/plan/sensitivity", "/api/plan/search", "/api/plan/search/stream"];
    private static readonly string[] JsonPaths = ["/api/memory", "/api/simulate", "/api/optimize", "/api/compare", "/api/perf", "/api/train", "/api/density", "/api/capacity", "/api/chinchilla"];

    private static readonly byte[] Binary = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 167 % 256))];

    // A body that is hostile whatever the endpoint: the bytes and the media type they are sent as.
    private static IEnumerable<(string Name, byte[] Body, string Type)> Bodies(bool yaml)
    {
        var type = yaml ? "application/yaml" : "application/json";
        yield return ("binary", Binary, type);
        yield return ("empty", [], type);
        yield return ("nul", Encoding.UTF8.GetBytes(yaml ? "hardware: h100\0\n" : "{\"model\":\"qwen2.5-7b\0\"}"), type);
        yield return ("over the size limit", Encoding.UTF8.GetBytes((yaml ? "# " : " ") + new string('x', 2 * 1024 * 1024)), type);
        if (yaml)
        {
            yield return ("malformed", Encoding.UTF8.GetBytes("hardware: [h100\napplications:\n"), type);
            yield return ("duplicated key", Encoding.UTF8.GetBytes("hardware: h100\nhardware: a100\napplications:\n  - name: a\n    model: qwen2.5-7b\n    peak_concurrency: 5\n    input_tokens: 512\n    output_tokens: 64\n"), type);
            yield return ("unknown engine", Encoding.UTF8.GetBytes("hardware: h100\napplications:\n  - name: a\n    model: qwen2.5-7b\n    peak_concurrency: 5\n    input_tokens: 512\n    output_tokens: 64\n    engine: tgi-max\n"), type);
            yield return ("a scalar", Encoding.UTF8.GetBytes("just words\n"), type);
        }
        else
        {
            yield return ("malformed", Encoding.UTF8.GetBytes("{\"model\": \"qwen2.5-7b\","), type);
            yield return ("duplicated key", Encoding.UTF8.GetBytes("{\"model\":\"qwen2.5-7b\",\"model\":\"qwen2.5-14b\",\"hardware\":\"h100\"}"), type);
            yield return ("unknown engine", Encoding.UTF8.GetBytes("{\"model\":\"qwen2.5-7b\",\"hardware\":\"h100\",\"engine\":\"tgi-max\",\"precision\":\"fp3\"}"), type);
            yield return ("an array", Encoding.UTF8.GetBytes("[1,2,3]"), type);
            yield return ("a number where text goes", Encoding.UTF8.GetBytes("{\"model\":12,\"hardware\":{\"a\":1}}"), type);
        }
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in ScenarioPaths)
        {
            foreach (var (name, _, _) in Bodies(yaml: true))
            {
                data.Add(path, name);
            }
        }
        foreach (var path in JsonPaths)
        {
            foreach (var (name, _, _) in Bodies(yaml: false))
            {
                data.Add(path, name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_body_is_a_4xx_problem_naming_the_fix_and_the_server_lives_on(string path, string name)
    {
        var (_, bytes, type) = Bodies(ScenarioPaths.Contains(path)).Single(b => b.Name == name);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        using var response = await _client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} {name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrWhiteSpace(doc.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/catalog/models")).StatusCode);
    }
}
