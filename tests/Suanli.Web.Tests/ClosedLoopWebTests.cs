using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// One number per question: the closed-loop prefill times docs/methodology-serving.md quotes ("Closed loop": DeepSeek-V3.2
/// on 8 x Ascend 910C, 24,576-token prompts, one client alone and two started together) are what <c>/api/simulate</c>
/// answers, and the same document as <c>suanli simulate</c> for the same inputs (DocFiguresTests pins the page to the CLI).
/// </summary>
public sealed class ClosedLoopWebTests(GenerousLimitApp factory) : IClassFixture<GenerousLimitApp>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<double> TtftP90(int clients)
    {
        var c = clients.ToString(CultureInfo.InvariantCulture);
        var cli = ApiTests.Cli("simulate", "--model", "deepseek-v3.2", "--precision", "fp8", "--hardware", "huawei-ascend-910c", "--system-devices", "8", "--tp", "1",
            "--dp-attention", "8", "--input", "24576", "--output", "256", "--requests", "100", "--concurrency", c, "--format", "json");
        Assert.True(cli.Code == 0, cli.Err);
        var r = await _client.GetAsync("/api/simulate?model=deepseek-v3.2&precision=fp8&hardware=huawei-ascend-910c&systemDevices=8&tp=1&dpAttention=8"
            + $"&input=24576&output=256&requests=100&concurrency={c}");
        var api = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, api);
        CliDocuments.Same(cli.Out, api);
        using var doc = JsonDocument.Parse(api);
        return doc.RootElement.GetProperty("latency").GetProperty("ttft").GetProperty("p90").GetDouble();
    }

    [Fact]
    public async Task The_serving_pages_closed_loop_prefill_times_are_the_web_answers_and_the_clis()
    {
        var (alone, two) = (await TtftP90(1), await TtftP90(2));
        // Two identical prompts started together share every prefill step: about twice one alone.
        Assert.InRange(two / alone, 1.9, 2.2);
        var page = Regex.Replace(File.ReadAllText(Path.Combine(CliParityTests.RepoRoot(), "docs", "methodology-serving.md")), @"\s+", " ");
        var says = string.Create(CultureInfo.InvariantCulture, $"prefills one prompt alone in {alone:0.00} s but two together in {two:0.00} s");
        Assert.True(page.Contains(says, StringComparison.Ordinal), $"docs/methodology-serving.md should say '{says}', as /api/simulate answers");
    }
}
