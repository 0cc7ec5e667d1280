using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The page's scenario with two applications through the plan's typed request (the scenario file POST /api/plan reads):
/// the plan is the one <c>suanli plan</c> prints for that file, and the search answers for every application.
/// </summary>
public class ScenarioSearchTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    /// <summary>The file the page posts for its form plus one added application (js/state.js, scenarioFile).</summary>
    internal const string TwoApplications = """
        {"name": "qwen2.5-7b-instruct on nvidia-h100-sxm5-80gb", "currency": "CNY", "time_zone": "UTC", "hardware": "nvidia-h100-sxm5-80gb",
         "applications": [
          {"name": "application-1", "model": "qwen2.5-7b-instruct", "precision": "bf16", "engine": "vllm", "peak_concurrency": 50, "input_tokens": 1024,
           "output_tokens": 256, "targets": {"ttft_p90_s": 2, "tpot_p90_s": 0.1}, "profile": "office-hours"},
          {"name": "application-2", "model": "qwen2.5-7b-instruct", "precision": "bf16", "engine": "vllm", "peak_concurrency": 20, "input_tokens": 4096,
           "output_tokens": 64, "targets": {"ttft_p90_s": 4, "tpot_p90_s": 0.1}, "profile": "flat"}]}
        """;

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(HttpStatusCode Status, string Text)> PostAsync(string path, string body)
    {
        using var response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_posted_two_application_scenario_gets_the_plan_suanli_plan_prints_for_that_file_and_each_application_its_requests_per_month()
    {
        var file = Path.Combine(Path.GetTempPath(), $"suanli-two-apps-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, TwoApplications);
        try
        {
            var cli = ApiTests.Cli("plan", file, "--format", "json");
            Assert.Equal(0, cli.Code);
            var (status, api) = await PostAsync("/api/plan", TwoApplications);
            Assert.Equal(HttpStatusCode.OK, status);
            // The file's source is its path for the CLI and "request body" for the web: everything else is the same.
            var a = CliDocuments.WithoutSentences(cli.Out);
            var b = CliDocuments.WithoutSentences(api);
            a["source"] = null;
            b["source"] = null;
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(a, b), api);

            // Each application's requests per month add up to the plan's (the volume the API is priced at).
            using var doc = JsonDocument.Parse(api);
            var apps = doc.RootElement.GetProperty("applications").EnumerateArray().Select(x => x.GetProperty("requestsPerMonth").GetDouble()).ToList();
            Assert.Equal(2, apps.Count);
            Assert.All(apps, r => Assert.True(r > 0));
            var total = doc.RootElement.GetProperty("costs").GetProperty("requestsPerMonth").GetDouble();
            Assert.Equal(total, apps.Sum(), total * 1e-9);
            // Application 2 is flat at 20 in flight all day; application 1 peaks at 50 in office hours only: they differ.
            Assert.NotEqual(apps[0], apps[1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_posted_scenario_is_searched_for_every_application_over_its_model_and_the_candidates_and_the_stream_ends_with_that_answer()
    {
        const string query = "?candidates=qwen2.5-14b&top=5";
        var (status, text) = await PostAsync("/api/plan/search" + query, TwoApplications);
        Assert.True(status == HttpStatusCode.OK, text);
        using var doc = JsonDocument.Parse(text);
        var apps = doc.RootElement.GetProperty("applications").EnumerateArray().ToList();
        Assert.Equal(["application-1", "application-2"], apps.Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([50.0, 20.0], apps.Select(a => a.GetProperty("peak").GetDouble()));
        foreach (var app in apps)
        {
            // Both models searched for each application: its own and the candidate.
            var models = app.GetProperty("frontier").EnumerateArray().Select(f => f.GetProperty("deployment").GetProperty("model").GetString()).Concat(
                app.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("family").GetString())).ToList();
            Assert.NotEqual(JsonValueKind.Null, app.GetProperty("cheapest").ValueKind);
            Assert.True(app.GetProperty("candidates").GetInt64() > 0);
            Assert.Contains(models, m => m!.StartsWith("qwen2.5-7b", StringComparison.Ordinal));
        }

        var (streamStatus, stream) = await PostAsync("/api/plan/search/stream" + query, TwoApplications);
        Assert.Equal(HttpStatusCode.OK, streamStatus);
        var last = stream.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using var message = JsonDocument.Parse(last);
        Assert.Equal("result", message.RootElement.GetProperty("kind").GetString());
        var result = message.RootElement.GetProperty("result");
        Assert.Equal(
            apps.Select(a => a.GetProperty("cheapest").GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal()),
            result.GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("cheapest").GetProperty("cost").GetProperty("perMonth").GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task A_posted_search_with_an_unknown_candidate_names_the_candidates_field()
    {
        var (status, text) = await PostAsync("/api/plan/search?candidates=no-such-model", TwoApplications);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("candidates", doc.RootElement.GetProperty("field").GetString());
    }
}
