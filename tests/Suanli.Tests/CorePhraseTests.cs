using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The core's layout and quality-floor errors are phrases: the English sentence stays as it was, and the same error
/// renders in Chinese with the same numbers.
/// </summary>
public sealed class CorePhraseTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void An_invalid_system_split_keeps_its_english_and_renders_in_chinese()
    {
        var a = Catalog.Model("qwen2-72b").Architecture;
        var ex = Assert.Throws<InputException>(() => SystemLayouts.Validate(a, 8, 3, 1, null, "qwen2-72b"));
        Assert.StartsWith("Layout 2 replicas x TP=3 PP=1 is invalid for qwen2-72b: 64 attention heads do not divide over TP=3; valid splits of 8 devices: ", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Text);
        var zh = ex.Text!.Render(Languages.Chinese, FieldNames.Core);
        Assert.StartsWith("布局 2 个副本 x TP=3 PP=1 对 qwen2-72b 无效：64 个注意力头无法均分到 TP=3；8 台设备上的有效切分：", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_split_that_leaves_devices_unused_says_so_in_both_languages()
    {
        var a = Catalog.Model("qwen2-72b").Architecture;
        var ex = Assert.Throws<InputException>(() => SystemLayouts.Validate(a, 8, 4, 1, 3, "qwen2-72b"));
        Assert.Contains("3 replicas x TP=4 x PP=1 do not use exactly 8 devices", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 个副本 x TP=4 x PP=1 没有恰好用到 8 台设备", ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmet_quality_floor_names_the_best_model_in_both_languages()
    {
        var models = new[] { "llama-2-7b", "llama-3-70b" }.Select(n => Catalog.Model(n)).ToList();
        var ex = Assert.Throws<InputException>(() => QualityFloor.Parse("MMLU>=95").Filter(models));
        Assert.StartsWith("No candidate model meets MMLU >= 95: the best is llama-3-70b at 79.5 (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("). Lower the floor, or add models with published MMLU scores to the candidates.", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("没有候选模型满足 MMLU >= 95：最好的是 llama-3-70b，分数 79.5（", ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);
        var below = QualityFloor.Parse("MMLU>=70").Problem(models[0])!;
        Assert.Equal("llama-2-7b scores 45.3 on MMLU, below the floor of 70", below.English);
        Assert.Equal("llama-2-7b 的 MMLU 分数为 45.3，低于下限 70", below.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void A_catalog_lookup_without_a_field_names_the_logical_field_each_front_end_spells()
    {
        var ex = Assert.Throws<UnknownNameException>(() => Catalog.Device("no-such-device"));
        Assert.Equal(FieldNames.Hardware, ex.FieldId);
        Assert.Equal("--hardware", ex.Field);
        // A caller that spells the field itself (a scenario file's key) keeps its spelling.
        var keyed = Assert.Throws<UnknownNameException>(() => Catalog.Device("no-such-device", "candidates.hardware"));
        Assert.Equal("candidates.hardware", keyed.Field);
        Assert.Null(keyed.FieldId);
        var precision = Assert.Throws<InputException>(() => NumberFormat.Parse("fp7"));
        Assert.Equal(FieldNames.Precision, precision.FieldId);
        Assert.Contains("for precision.", precision.Text!.Render(Languages.English, FieldNames.Web), StringComparison.Ordinal);
        Assert.Contains("for --precision.", precision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_core_code_spells_a_command_line_option()
    {
        // The core names fields (FieldNames); each front end spells them. SearchCommandLine writes the engines' own
        // command lines (vllm serve --tensor-parallel-size ...), which are not Suanli's options.
        var option = new System.Text.RegularExpressions.Regex(@"""[^""\n]*--[a-z]");
        var src = Path.Combine(PlanTests.RepoRoot(), "src", "Suanli");
        var sep = Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "SearchCommandLine.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && option.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}").ToList();
        Assert.Empty(offenders);
    }
}
