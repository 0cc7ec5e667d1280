using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Web.Tests;

/// <summary>
/// The plan's downloads with lang=zh (the page's Markdown and XLSX links on the Chinese page): headings, table
/// headers, row labels, strategy names, assumptions and the findings sheet in Chinese; ids, units and model names stay.
/// </summary>
public partial class ChineseReportTests(WebApplicationFactory<Program> factory, ITestOutputHelper output) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    // The page's default scenario on the Chinese page (js/state.js: scenarioOf with its defaults, time zone Asia/Shanghai).
    private const string Scenario = "model=qwen2.5-7b-instruct&precision=bf16&hardware=nvidia-h100-sxm5-80gb&peakConcurrency=50&input=1024&output=256&ttftP90=2&tpotP90=0.1&profile=office-hours&timeZone=Asia/Shanghai&currency=CNY&lang=zh";

    // Words that are not English prose: units, metric names and the page scenario's application name (an id).
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "kW", "kWh", "U", "CNY", "USD", "TTFT", "TPOT", "PUE", "TDP", "GB", "GiB", "MB", "ms", "s", "x", "TP", "PP", "p90", "application",
    };

    /// <summary>English words in <paramref name="text"/>: letter runs of two or more that are not part of an id (digits, '-', '_', '.', '/', quotes), an allowed unit, or a product name in capitals (NVIDIA DGX).</summary>
    private static List<string> EnglishWords(string text)
    {
        // Quoted commands ('suanli catalog prices') and the ids before " = " in an assumption are names, not prose.
        text = Regex.Replace(text, "'[^']*'", " ");
        text = Regex.Replace(text, @"^[A-Za-z0-9_.\-]+ = ", " ");
        return [.. Regex.Split(text, @"[\s,;:()（）：；，、|=]+")
            .Where(w => Regex.IsMatch(w, "[A-Za-z]{2,}") && !Regex.IsMatch(w, @"[\d\-_./']") && !Allowed.Contains(w) && !Regex.IsMatch(w, "^[A-Z]+$"))];
    }

    [Fact]
    public async Task The_chinese_markdown_report_of_the_default_plan_has_no_english_heading_table_header_or_label()
    {
        var response = await _client.GetAsync("/api/plan?format=markdown&" + Scenario);
        var markdown = await response.Content.ReadAsStringAsync();
        output.WriteLine(markdown);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var lines = markdown.Split('\n');
        var found = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                found.AddRange(EnglishWords(line.TrimStart('#')).Select(w => $"heading '{line}': {w}"));
            }
            else if (line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                var header = i + 1 < lines.Length && lines[i + 1].StartsWith("|---", StringComparison.Ordinal);
                // The header row whole; in the other rows the label (first column), the strategy names and the words around values.
                foreach (var cell in cells)
                {
                    found.AddRange(EnglishWords(cell).Select(w => $"{(header ? "header" : "cell")} '{cell}': {w}"));
                }
            }
            else if (line.StartsWith("- **", StringComparison.Ordinal))
            {
                Assert.Matches(@"^- \*\*(错误|警告|说明)\*\* ", line);
            }
        }
        Assert.Empty(found);
        Assert.Contains("### 概要", markdown, StringComparison.Ordinal);
        Assert.Contains("| 服务器 | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("静态（推荐）", markdown, StringComparison.Ordinal);
        Assert.Contains("| 设备数（峰值小时，静态） | ", markdown, StringComparison.Ordinal);
        // Numbers as the English report: the same own cost per month in both.
        var english = await _client.GetStringAsync("/api/plan?format=markdown&" + Scenario.Replace("lang=zh", "lang=en", StringComparison.Ordinal));
        var own = Regex.Match(english, @"\| static \| ([\d,]+ CNY) \|").Groups[1].Value;
        Assert.NotEmpty(own);
        Assert.Contains($"| 静态 | {own} |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chinese_spreadsheet_has_chinese_sheet_names_headers_labels_and_findings()
    {
        var response = await _client.GetAsync("/api/plan/xlsx?" + Scenario);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var book = new ClosedXML.Excel.XLWorkbook(stream);
        var names = book.Worksheets.Select(w => w.Name).ToList();
        output.WriteLine(string.Join(", ", names));
        Assert.Contains("概要", names);
        Assert.Contains("发现", names);
        var summary = book.Worksheet("概要");
        Assert.Equal("项目", summary.Cell(1, 1).GetString());
        Assert.Equal("服务器", summary.Column(1).CellsUsed().Select(c => c.GetString()).Single(s => s == "服务器"));
        var findings = book.Worksheet("发现");
        Assert.Equal("严重程度", findings.Cell(1, 1).GetString());
        Assert.Equal("内容", findings.Cell(1, 2).GetString());
        Assert.All(findings.Column(1).CellsUsed().Skip(1), c => Assert.Contains(c.GetString(), new[] { "错误", "警告", "说明" }));
        Assert.Contains(findings.Column(2).CellsUsed().Skip(1), c => Regex.IsMatch(c.GetString(), @"\p{IsCJKUnifiedIdeographs}"));
        var found = book.Worksheets.Where(w => w.Name != "发现")
            .SelectMany(w => w.Row(1).CellsUsed().Concat(w.Column(1).CellsUsed()))
            .SelectMany(c => EnglishWords(c.GetString()).Select(x => $"{c.Worksheet.Name}!{c.Address}: {x}")).ToList();
        Assert.Empty(found);
    }
}
