using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// A scenario none of whose applications can meet its targets: the JSON plan keeps its 400 problem, while the file
/// formats (Markdown, CSV, the spreadsheet) answer 200 with the report of what was asked and the error findings.
/// </summary>
public class InfeasiblePlanTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    // Llama 3.1 70B in BF16 on H100s: its prefill of a 1,024-token prompt alone takes longer than 50 ms.
    private const string Query = "/api/plan?model=llama-3.1-70b&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&ttftP90=0.05";

    // Two applications, neither of which can be served: one TTFT below the prefill, one TPOT below a decode step.
    private const string TwoApplications = """
        name: two impossible targets
        currency: USD
        hardware: nvidia-h100-sxm5-80gb
        applications:
          - name: chat
            model: llama-3.1-70b
            precision: bf16
            peak_concurrency: 50
            input_tokens: 1024
            output_tokens: 256
            targets: {ttft_p90_s: 0.05, tpot_p90_s: 0.1}
          - name: agent
            model: llama-3.1-70b
            precision: bf16
            peak_rate: 2
            input_tokens: 1024
            output_tokens: 256
            targets: {ttft_p90_s: 2, tpot_p90_s: 0.001}
        """;

    private async Task<string> Refusal(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unserved", doc.RootElement.GetProperty("code").GetString());
        return doc.RootElement.GetProperty("detail").GetString()!;
    }

    [Theory]
    [InlineData("en", "markdown", "text/markdown", "## Plan not possible: llama-3.1-70b on nvidia-h100-sxm5-80gb", "- **error** ")]
    [InlineData("zh", "markdown", "text/markdown", "## 无法制定方案：llama-3.1-70b 运行于 nvidia-h100-sxm5-80gb", "- **错误** ")]
    [InlineData("en", "csv", "text/csv", "Why it cannot be met\nSeverity,Finding\nerror,", "What was asked\n")]
    [InlineData("zh", "csv", "text/csv", "无法满足的原因\n严重程度,内容\n错误,", "所提要求\n")]
    public async Task The_reports_of_an_infeasible_page_plan_give_what_was_asked_and_the_refusals_sentence(string lang, string format, string type, string head, string finding)
    {
        var detail = await Refusal($"{Query}&lang={lang}");
        using var response = await _client.GetAsync(new Uri($"{Query}&format={format}&lang={lang}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        var text = (await response.Content.ReadAsStringAsync()).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(head, text, StringComparison.Ordinal);
        Assert.Contains(finding, text, StringComparison.Ordinal);
        // The CSV cell is quoted when the sentence has ASCII commas (the English one; the Chinese one has '，'); the Markdown line is the sentence.
        Assert.Contains(format == "csv" && detail.Contains(',', StringComparison.Ordinal) ? "\"" + detail.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : detail, text, StringComparison.Ordinal);
        // What was asked, as the query gave it: 50 requests in flight, the default 1,024-token prompt, a 50 ms TTFT and the default 100 ms TPOT, each at p90.
        var row = text.Split('\n').Single(l => l.StartsWith(format == "csv" ? "llama-3.1-70b," : "| llama-3.1-70b |", StringComparison.Ordinal));
        Assert.Equal(format == "csv"
            ? "llama-3.1-70b,llama-3.1-70b,bf16,H100 SXM5 80GB," + (lang == "zh" ? "由规划器选择" : "chosen by the planner") + ",50,-,\"1,024\",256,p90 <= 50.0 ms,p90 <= 100 ms,-,office-hours"
            : "| llama-3.1-70b | llama-3.1-70b | bf16 | H100 SXM5 80GB | " + (lang == "zh" ? "由规划器选择" : "chosen by the planner") + " | 50 | - | 1,024 | 256 | p90 <= 50.0 ms | p90 <= 100 ms | - | office-hours |", row);
    }

    [Fact]
    public async Task The_spreadsheet_of_an_infeasible_page_plan_has_the_refusals_sentence_on_its_findings_sheet()
    {
        var detail = await Refusal(Query + "&lang=zh");
        using var response = await _client.GetAsync(new Uri(Query.Replace("/api/plan?", "/api/plan/xlsx?", StringComparison.Ordinal) + "&lang=zh", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var book = new ClosedXML.Excel.XLWorkbook(await response.Content.ReadAsStreamAsync());
        var findings = book.Worksheet("发现");
        Assert.Contains(findings.CellsUsed(), c => c.GetString() == detail);
        Assert.Contains(findings.CellsUsed(), c => c.GetString() == "错误");
        Assert.Contains(book.Worksheets, w => w.CellsUsed().Any(c => c.GetString() == "p90 <= 50.0 ms"));
    }

    [Fact]
    public async Task A_scenario_file_none_of_whose_applications_can_be_served_gets_one_error_finding_per_application()
    {
        using var body = new StringContent(TwoApplications, Encoding.UTF8, "application/yaml");
        using var refused = await _client.PostAsync(new Uri("/api/plan", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var again = new StringContent(TwoApplications, Encoding.UTF8, "application/yaml");
        using var response = await _client.PostAsync(new Uri("/api/plan?format=markdown", UriKind.Relative), again);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var markdown = await response.Content.ReadAsStringAsync();
        var errors = markdown.Split('\n').Where(l => l.StartsWith("- **error** ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("- **error** Application 'chat' cannot be served as asked:", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("- **error** Application 'agent' cannot be served as asked:", errors[1], StringComparison.Ordinal);
        Assert.Contains("| chat | llama-3.1-70b | bf16 | H100 SXM5 80GB | chosen by the planner | 50 | - | 1,024 | 256 | p90 <= 50.0 ms | p90 <= 100 ms | - | office-hours |", markdown, StringComparison.Ordinal);
        Assert.Contains("| agent | llama-3.1-70b | bf16 | H100 SXM5 80GB | chosen by the planner | - | 2 | 1,024 | 256 | p90 <= 2.00 s | p90 <= 1.00 ms | - | office-hours |", markdown, StringComparison.Ordinal);

        using var sheet = new StringContent(TwoApplications, Encoding.UTF8, "application/yaml");
        using var xlsx = await _client.PostAsync(new Uri("/api/plan/xlsx", UriKind.Relative), sheet);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
    }

    [Theory]
    // TP=16 no longer meets chat's 50 ms TTFT: it spans two DGX H100 servers, whose all-reduces go at the 50 GB/s network.
    [InlineData("en", "fp8 (TTFT ", "None of fp8, TP=16 (16 devices), EAGLE speculative decoding (acceptance 0.75, 4 draft tokens; needs a trained EAGLE head) would meet it either")]
    [InlineData("zh", "fp8（批大小 1 时 TTFT ", "fp8，TP=16（16 台设备），EAGLE 推测解码（接受率 0.75，每步 4 个草稿词元；需要训练好的 EAGLE 头）也都达不到")]
    public async Task The_remedies_read_in_the_reports_language(string lang, string remedy, string none)
    {
        using var body = new StringContent(TwoApplications, Encoding.UTF8, "application/yaml");
        using var response = await _client.PostAsync(new Uri($"/api/plan?format=markdown&lang={lang}", UriKind.Relative), body);
        var markdown = await response.Content.ReadAsStringAsync();
        Assert.Contains(remedy, markdown, StringComparison.Ordinal);
        Assert.Contains(none, markdown, StringComparison.Ordinal);
    }
}
