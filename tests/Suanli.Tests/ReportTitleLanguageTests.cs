using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The titles, captions and worded cells of the reports other than the plan's (memory, density, catalog) read in
/// Chinese with <c>--lang zh</c> and as before in English; the templates are zh.yaml's.
/// </summary>
public sealed class ReportTitleLanguageTests
{
    // gpt-oss-120b's config.json: 36 layers, 8 KV heads of 64 dims; bf16 KV is 2 bytes a value. An H100 SXM holds
    // 80 GiB, 90% of it usable by default. zh.yaml: report.memory#on, table.memory-of-copy, table.layouts-on, cell.kv-heads.
    private static readonly string[] Memory = ["memory", "--model", "gpt-oss-120b", "--hardware", "h100", "--format", "markdown"];

    // The density defaults: a 12.5 kW, 42U rack and a floor of 10 tokens/s (docs/seed-cases.md, C7); llama-3-70b on
    // the CPU servers decodes below the floor even alone, which the note says. zh.yaml: report.density, table.density, density.below-floor.
    private static readonly string[] Density = ["density", "--format", "markdown"];

    public static TheoryData<string[], string, string[], string[]> Reports => new()
    {
        {
            Memory, "zh",
            ["## gpt-oss-120b（mxfp4+bf16，KV bf16），批大小 1 x 上下文 4,096，运行于 nvidia-h100-sxm5-80gb\n", "### 一份模型副本的显存\n",
                "### nvidia-h100-sxm5-80gb 上的布局（每台 85.9 GB (80.0 GiB)，可用 90%）\n", "| 2 x 36 层 x 8 个 KV 头 x 64 维 x 2.00 B |"],
            [" in mxfp4", "Layouts on", " layers x "]
        },
        {
            Memory, "en",
            ["## gpt-oss-120b in mxfp4+bf16 (KV bf16), batch 1 x context 4,096 on nvidia-h100-sxm5-80gb\n", "### Memory of one model copy\n",
                "### Layouts on nvidia-h100-sxm5-80gb (85.9 GB (80.0 GiB) each, 90% usable)\n", "| 2 x 36 layers x 8 KV heads x 64 dims x 2.00 B |"],
            ["运行于", "层"]
        },
        {
            Density, "zh",
            ["## 机柜密度（种子案例 C7）\n", "### 在 12.5 kW、42U 机柜中 >= 10 词元/秒的会话数\n",
                "| llama-3-70b | ampereone-2s | TP=1 PP=1 | 0 | - | 2 | 11 | 0 | 0.0 | 即使批大小为 1 也低于 10 词元/秒 |"],
            ["Rack density", "tokens/s"]
        },
        {
            Density, "en",
            ["## Rack density (seed case C7)\n", "### Sessions at >= 10 tokens/s in a 12.5 kW, 42U rack\n",
                "| llama-3-70b | ampereone-2s | TP=1 PP=1 | 0 | - | 2 | 11 | 0 | 0.0 | below 10 tokens/s even at batch 1 |"],
            ["机柜", "词元"]
        },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_report_says_its_title_captions_and_worded_cells_in_the_language(string[] command, string language, string[] said, string[] unsaid)
    {
        var (code, output, _, _) = CliLanguageTests.Run(null, [.. command, "--lang", language]);
        Assert.Equal(0, code);
        Assert.StartsWith(said[0], output, StringComparison.Ordinal);
        Assert.All(said, s => Assert.Contains(s, output, StringComparison.Ordinal));
        Assert.All(unsaid, s => Assert.DoesNotContain(s, output, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("hardware", "zh", "^## [0-9]+ 种设备（稠密峰值）\n")]
    [InlineData("servers", "zh", "^## [0-9]+ 种服务器\n")]
    [InlineData("models", "zh", "^## [0-9]+ 个模型\n")]
    [InlineData("prices", "zh", "^## 价格：API [0-9]+ 条，租用 [0-9]+ 条，购买 [0-9]+ 条，电价 [0-9]+ 条，汇率 [0-9]+ 条（截至 2026-12-05）\n")]
    [InlineData("hardware", "en", "^## [0-9]+ devices \\(dense peaks\\)\n")]
    [InlineData("prices", "en", "^## Prices: [0-9]+ API, [0-9]+ rent, [0-9]+ purchase, [0-9]+ tariffs, [0-9]+ exchange rates \\(as of 2026-12-05\\)\n")]
    public void The_catalogs_titles_read_in_the_language(string command, string language, string title)
    {
        var (code, output, _, _) = CliLanguageTests.Run(null, "catalog", command, "--format", "markdown", "--lang", language);
        Assert.Equal(0, code);
        Assert.Matches(title, output);
    }
}
