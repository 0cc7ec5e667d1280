using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The titles, captions and worded cells of the reports other than the plan's (memory, density, catalog, serve's
/// warning) read in Chinese with <c>--lang zh</c> and as before in English; the templates are zh.yaml's.
/// </summary>
public sealed class ReportTitleLanguageTests
{
    // gpt-oss-120b's config.json: 36 layers, 8 KV heads of 64 dims; bf16 KV is 2 bytes a value.
    private static readonly string[] MemoryArgs = ["memory", "--model", "gpt-oss-120b", "--hardware", "h100", "--format", "markdown"];

    [Fact]
    public void Memory_in_chinese_has_a_chinese_title_captions_and_kv_formula()
    {
        var (code, output, _, _) = CliLanguageTests.Run(null, [.. MemoryArgs, "--lang", "zh"]);
        Assert.Equal(0, code);
        // zh.yaml: report.memory#on, table.memory-of-copy, table.layouts-on (80 GiB, 90% usable), cell.kv-heads.
        Assert.StartsWith("## gpt-oss-120b（mxfp4+bf16，KV bf16），批大小 1 x 上下文 4,096，运行于 nvidia-h100-sxm5-80gb\n", output, StringComparison.Ordinal);
        Assert.Contains("### 一份模型副本的显存\n", output, StringComparison.Ordinal);
        Assert.Contains("### nvidia-h100-sxm5-80gb 上的布局（每台 85.9 GB (80.0 GiB)，可用 90%）\n", output, StringComparison.Ordinal);
        Assert.Contains("| 2 x 36 层 x 8 个 KV 头 x 64 维 x 2.00 B |", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" in mxfp4", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Layouts on", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_in_english_keeps_its_title_and_kv_formula()
    {
        var (code, output, _, _) = CliLanguageTests.Run(null, MemoryArgs);
        Assert.Equal(0, code);
        Assert.StartsWith("## gpt-oss-120b in mxfp4+bf16 (KV bf16), batch 1 x context 4,096 on nvidia-h100-sxm5-80gb\n", output, StringComparison.Ordinal);
        Assert.Contains("| 2 x 36 layers x 8 KV heads x 64 dims x 2.00 B |", output, StringComparison.Ordinal);
        Assert.Contains("### Layouts on nvidia-h100-sxm5-80gb (85.9 GB (80.0 GiB) each, 90% usable)\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Density_in_chinese_has_a_chinese_title_caption_and_note()
    {
        var (code, output, _, _) = CliLanguageTests.Run(null, "density", "--format", "markdown", "--lang", "zh");
        var (_, english, _, _) = CliLanguageTests.Run(null, "density", "--format", "markdown");
        Assert.Equal(0, code);
        Assert.StartsWith("## 机柜密度（种子案例 C7）\n", output, StringComparison.Ordinal);
        Assert.StartsWith("## Rack density (seed case C7)\n", english, StringComparison.Ordinal);
        // The defaults: a 12.5 kW, 42U rack and a floor of 10 tokens/s (docs/seed-cases.md, C7).
        Assert.Contains("### 在 12.5 kW、42U 机柜中 >= 10 词元/秒的会话数\n", output, StringComparison.Ordinal);
        // llama-3-70b on the CPU servers (defaults) decodes below the floor even alone: the note says so in each language.
        Assert.Contains("| llama-3-70b | ampereone-2s | TP=1 PP=1 | 0 | - | 2 | 11 | 0 | 0.0 | 即使批大小为 1 也低于 10 词元/秒 |", output, StringComparison.Ordinal);
        Assert.Contains("| llama-3-70b | ampereone-2s | TP=1 PP=1 | 0 | - | 2 | 11 | 0 | 0.0 | below 10 tokens/s even at batch 1 |", english, StringComparison.Ordinal);
        Assert.DoesNotContain("tokens/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalogs_titles_read_in_chinese()
    {
        foreach (var (command, title) in new[] { ("hardware", " 种设备（稠密峰值）"), ("servers", " 种服务器"), ("models", " 个模型") })
        {
            var (code, output, _, _) = CliLanguageTests.Run(null, "catalog", command, "--format", "markdown", "--lang", "zh");
            Assert.Equal(0, code);
            Assert.Matches($"^## [0-9]+{title}\n", output);
        }
        var (_, prices, _, _) = CliLanguageTests.Run(null, "catalog", "prices", "--format", "markdown", "--lang", "zh");
        Assert.Matches(@"^## 价格：API [0-9]+ 条，租用 [0-9]+ 条，购买 [0-9]+ 条，电价 [0-9]+ 条，汇率 [0-9]+ 条（截至 2026-12-05）\n", prices);
        var (_, english, _, _) = CliLanguageTests.Run(null, "catalog", "hardware", "--format", "markdown");
        Assert.Matches("^## [0-9]+ devices \\(dense peaks\\)\n", english);
    }
}
