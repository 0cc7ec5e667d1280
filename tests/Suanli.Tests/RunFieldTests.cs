using Suanli.Cost;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The use cases behind both front ends name logical fields: the CLI reads its option (the message it printed before),
/// the web its parameter.
/// </summary>
public sealed class RunFieldTests
{
    [Fact]
    public void A_devices_error_reads_as_before_on_the_cli_and_names_the_web_parameter()
    {
        var e = Assert.Throws<InputException>(() => OptimizeRun.ParseDevices("0"));
        Assert.Equal("--devices takes whole numbers from 1 to 128, got '0'.", e.Message);
        Assert.Equal("--devices", e.Field);
        Assert.Equal("devices takes whole numbers from 1 to 128, got '0'.", e.Text!.Render(Languages.English, FieldNames.Web));
    }

    [Fact]
    public void A_custom_option_error_reads_as_before_on_the_cli_and_names_the_web_parameter()
    {
        var converter = new CurrencyConverter(Currency.Usd, []);
        var e = Assert.Throws<InputException>(() => CompareRun.ParseCustom("small;colour=blue", converter));
        Assert.Equal("Unknown key 'colour' in --custom 'small'; use build, monthly, per-request, per-1k, per-10k or quality.", e.Message);
        Assert.Equal("Unknown key 'colour' in custom 'small'; use build, monthly, per-request, per-1k, per-10k or quality.", e.Text!.Render(Languages.English, FieldNames.Web));
        Assert.Equal("--custom", e.Field);
    }

    [Fact]
    public void A_sentence_naming_two_fields_spells_both_per_front_end()
    {
        var e = Assert.Throws<InputException>(() => OptimizeRun.ParseDevices("x"));
        var zh = e.Text!.Render(Languages.Chinese, FieldNames.Web);
        Assert.StartsWith("devices 取 1 到 128 的整数", zh, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "h100", 10.0, "--model")]
    [InlineData("qwen2.5-14b", "", 10.0, "--hardware")]
    [InlineData("qwen2.5-14b", "h100", null, "--rate")]
    public void Optimize_without_a_scenario_or_an_application_says_what_to_give_as_each_front_end_spells_it(string model, string hardware, double? rate, string field)
    {
        var flags = new OptimizeFlags
        {
            Models = model.Length == 0 ? [] : [model],
            Hardware = hardware.Length == 0 ? [] : [hardware],
            InputTokens = 1000,
            OutputTokens = 300,
            Rate = rate,
            TtftP90 = 2,
            TpotP90 = 0.1,
        };
        var e = Assert.Throws<InputException>(() => OptimizeRun.FromFlags(flags, Suanli.Files.CatalogFiles.Embedded));
        Assert.Equal(field, e.Field);
        Assert.Equal("Give a scenario file (e.g. 'suanli optimize examples/c2-optimize.yaml'), or describe one application with --model, --hardware and --rate (e.g. --model qwen2.5-14b, --hardware h100-sxm, --rate 10).", e.Message);
        Assert.Equal("Give a scenario file (e.g. POST /api/plan/search with the scenario file as the body), or describe one application with model, hardware and rate (e.g. model qwen2.5-14b, hardware h100-sxm, rate 10).",
            e.Text!.Render(Languages.English, FieldNames.Web, CommandRefs.Web));
        Assert.Equal("请给出场景文件（例如 POST /api/plan/search，请求体为场景文件），或用 model、hardware 和 rate 描述一个应用（例如 model qwen2.5-14b、hardware h100-sxm、rate 10）。",
            e.Text.Render(Languages.Chinese, FieldNames.Web, CommandRefs.Web));
    }

    [Fact]
    public void The_cli_optimize_without_arguments_prints_what_to_give()
    {
        var (code, output, err, _) = CliTests.Run("optimize");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: " + OptimizeRun.NeedsApplication.English, err.TrimEnd());
        Assert.Contains("'suanli optimize examples/c2-optimize.yaml'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void No_use_case_spells_a_command_line_option()
    {
        // Commands quoted whole ("suanli train --model ...") are examples of the CLI, not field names; a literal that
        // starts with an option is a field spelled for one front end.
        var option = new System.Text.RegularExpressions.Regex(@"""--[a-z*]");
        var src = Path.Combine(PlanTests.RepoRoot(), "src", "Suanli.Runs");
        var sep = Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && option.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}").ToList();
        Assert.Empty(offenders);
    }
}
