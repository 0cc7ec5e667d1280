using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Files built to hang or crash the reader, found by attacking the CLI: YAML aliases that expand past any scenario, a
/// folder given as a file, an unknown currency. Each is one located line with exit code 2.
/// </summary>
public class RobustFileTests
{
    private const string Scenario = "hardware: h100\napplications:\n  - name: kb\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 200\n";

    private static InputException ScenarioError(string yaml) =>
        Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(yaml, "s.yaml", CatalogFiles.Embedded));

    // Nine anchors, each a list of nine aliases of the one before: 9^9 = 387,420,489 values once expanded.
    private static string AliasBomb()
    {
        var lines = new List<string> { "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        for (var i = 1; i < 9; i++)
        {
            lines.Add($"x{i}: &x{i} [{string.Join(", ", Enumerable.Repeat($"*x{i - 1}", 9))}]");
        }
        return string.Join('\n', lines) + "\n" + Scenario;
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_at_the_alias_that_passes_the_limit()
    {
        var ex = ScenarioError(AliasBomb());
        // x0 is 10 values (a list of 9), x1 91, x2 820, x3 7,381, x4 66,430; the aliases of lines 2-5 add 74,718 and
        // line 6's first *x4 takes the count past 100,000.
        Assert.Equal("yaml", ex.Field);
        Assert.Equal("s.yaml", ex.Location?.File);
        Assert.Equal(6, ex.Location?.Line);
        Assert.Contains("Aliases (*name) expand to more than 100,000 values", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pre_parse_refusals_are_phrases_a_chinese_reader_reads_in_chinese()
    {
        var bomb = ScenarioError(AliasBomb());
        Assert.Equal("yaml-alias-expansion", bomb.Text?.Key);
        // Line 6's first *x4 stands for 66,430 values (see above).
        Assert.Equal("到此处为止，别名（*name）展开后超过 100,000 个值（'*x4' 代表 66,430 个）；场景、目录或价格文件只会重复少数几个值。请把值直接写出，或减少嵌套锚点的别名。",
            bomb.Text!.Render(Languages.Chinese, FieldNames.Web));
        var chain = "a0: &a0 [1]\n" + string.Concat(Enumerable.Range(1, 199).Select(i => $"a{i}: &a{i} [*a{i - 1}]\n"));
        var deep = ScenarioError(chain + Scenario);
        Assert.Equal("yaml-too-deep", deep.Text?.Key);
        Assert.StartsWith("此处列表和映射的嵌套超过 64 层", deep.Text!.Render(Languages.Chinese, FieldNames.Web), StringComparison.Ordinal);
        var twice = ScenarioError("hardware: h100\n" + Scenario);
        Assert.Equal("yaml-duplicate-key", twice.Text?.Key);
        Assert.Equal("键 'hardware' 在同一映射中出现了两次（第一次在第 1 行）；请只保留一个。", twice.Text!.Render(Languages.Chinese, FieldNames.Web));
    }

    [Fact]
    public void A_scenario_padded_with_nul_bytes_is_refused_at_the_first_nul()
    {
        // The YAML reader stops at a NUL, so the padded scenario planned as if the padding were not there.
        var ex = ScenarioError(Scenario + "\0\0\0\0");
        Assert.Equal("input-nul", ex.Text?.Key);
        Assert.Equal(new SourceLocation("s.yaml", 8, 1), ex.Location);
        var mid = ScenarioError(Scenario.Replace("name: kb", "name: k\0b", StringComparison.Ordinal));
        Assert.Equal(new SourceLocation("s.yaml", 3, 12), mid.Location);
    }

    [Fact]
    public void A_nul_padded_scenario_file_is_exit_2_naming_the_file_and_line()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-robust-").FullName, "padded.yaml");
        File.WriteAllText(path, Scenario + new string('\0', 512));
        var (code, output, err, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {path}:8:1: '{path}' holds a NUL byte here", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arrival;input;output\n0;512;128\n", "';'")]
    [InlineData("0\t512\t128\n", "tabs")]
    public void A_trace_separated_by_semicolons_or_tabs_says_the_separator_is_wrong_at_line_1(string csv, string separator)
    {
        var ex = Assert.ThrowsAny<InputException>(() => ServingText.ParseTrace(csv.Split('\n'), "t.csv"));
        Assert.Equal("trace-separator", ex.Text?.Key);
        Assert.Equal(new SourceLocation("t.csv", 1), ex.Location);
        Assert.StartsWith($"t.csv:1: columns are separated by {separator}; a trace is comma-separated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_nested_past_the_depth_limit_are_refused_before_any_tree_walk()
    {
        // Each anchor is a list holding the one before: 200 levels deep once expanded, though no line nests two.
        var chain = "a0: &a0 [1]\n" + string.Concat(Enumerable.Range(1, 199).Select(i => $"a{i}: &a{i} [*a{i - 1}]\n"));
        var ex = ScenarioError(chain + Scenario);
        // The root mapping is level 1 and each list level 2; *a62 stands for 63 levels, so line 64 (a63) reaches 65.
        Assert.Equal(64, ex.Location?.Line);
        Assert.Contains("nested more than 64 deep here (aliases count as what they stand for)", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_repeated_by_an_alias_still_plans()
    {
        var yaml = Scenario.Replace("peak_concurrency: 5", "peak_concurrency: &n 5", StringComparison.Ordinal)
            .Replace("output_tokens: 200", "output_tokens: *n", StringComparison.Ordinal);
        var scenario = ScenarioFile.Parse(yaml, "s.yaml", CatalogFiles.Embedded);
        Assert.Equal(5, scenario.Applications[0].OutputTokens, 9);
    }

    [Fact]
    public void A_folder_given_as_the_scenario_says_it_is_a_folder_not_that_it_does_not_exist()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-robust-").FullName;
        var (code, output, err, _) = CliTests.Run("plan", dir);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: '{dir}' is a folder; give a file.", err.TrimEnd());
    }

    [Fact]
    public void An_unknown_currency_in_a_scenario_names_its_line_and_column()
    {
        var ex = ScenarioError("currency: XYZ\n" + Scenario);
        Assert.Equal(new SourceLocation("s.yaml", 1, 11), ex.Location);
        Assert.Contains("Unknown currency 'XYZ'. Use one of USD, CNY, EUR.", ex.Detail, StringComparison.Ordinal);
    }
}
