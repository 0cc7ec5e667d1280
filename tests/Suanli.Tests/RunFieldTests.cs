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
            Ttft = 2,
            Tpot = 0.1,
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
    public void No_use_case_file_reader_or_core_text_spells_a_command_line_option()
    {
        // A literal that names an option anywhere (at its start, or inside a sentence: "given with --mfu") spells a
        // field for one front end. Whole commands quoted as examples ("suanli train --model ...") are the CLI's own
        // words; the engine command lines a plan prints (SearchCommandLine: vllm serve ... --max-num-seqs) are other
        // programs' options. A call of the core's own spelling (FieldNames.Core) outside the text types picks the
        // CLI's spelling just as a literal would.
        var literal = new System.Text.RegularExpressions.Regex(@"""(?:[^""\\\n]|\\.)*""");
        var root = PlanTests.RepoRoot();
        var sep = Path.DirectorySeparatorChar;
        var offenders = new[] { Path.Combine(root, "src", "Suanli"), Path.Combine(root, "src", "Suanli.Runs"), Path.Combine(root, "src", "Suanli.Files") }
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "SearchCommandLine.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (Path: f, Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal))
            .Where(l => literal.Matches(l.Text).Any(m => OptionInText.IsMatch(m.Value[1..^1]) && !m.Value.Contains("suanli ", StringComparison.Ordinal))
                || (l.Text.Contains("FieldNames.Core(", StringComparison.Ordinal) && !CoreSpeller(l.Path)))
            .Select(l => $"{Path.GetFileName(l.Path)}:{l.Line}").ToList();
        Assert.Empty(offenders);
    }

    // An option at the start of a text or after a space, bracket, quote or separator: "--mfu", "given with --mfu".
    private static readonly System.Text.RegularExpressions.Regex OptionInText = new(@"(?:^|[\s('\[/=,;])--[a-z*]");

    // The text types define the core's spelling and the exception that carries it.
    private static bool CoreSpeller(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}Text{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || Path.GetFileName(path) == "InputException.cs";

    [Theory]
    [InlineData("given with --mfu")]
    [InlineData("--rent-per-hour")]
    [InlineData("(see --exchange-rate)")]
    public void The_scan_finds_an_option_inside_a_sentence(string text)
    {
        Assert.Matches(OptionInText, text);
    }

    [Fact]
    public void A_model_folder_without_a_config_names_the_model_field_as_each_front_end_spells_it()
    {
        var folder = Directory.CreateTempSubdirectory("suanli-model-").FullName;
        try
        {
            var e = Assert.Throws<InputException>(() => Suanli.Files.CatalogFiles.ModelFromPath(folder));
            Assert.Equal($"Folder '{folder}' has no config.json; point --model at a Hugging Face model folder or its config.json.", e.Message);
            Assert.Equal("--model", e.Field);
            Assert.Equal($"Folder '{folder}' has no config.json; point model at a Hugging Face model folder or its config.json.",
                e.Text!.Render(Languages.English, FieldNames.Web, CommandRefs.Web));
            Assert.Equal($"文件夹 '{folder}' 中没有 config.json；请让 model 指向 Hugging Face 模型文件夹或其 config.json。",
                e.Text.Render(Languages.Chinese, FieldNames.Web, CommandRefs.Web));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void An_output_that_exists_names_the_force_and_out_fields_as_each_front_end_spells_them()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var files = new Suanli.Files.OutputFiles(force: false);
            var e = Assert.Throws<InputException>(() => files.Stage(path, FieldNames.Out, _ => { }));
            Assert.Equal($"{path} already exists; give --force to replace it, or choose another --out. Nothing was written.", e.Message);
            Assert.Equal($"{path} already exists; give force to replace it, or choose another out. Nothing was written.",
                e.Text!.Render(Languages.English, FieldNames.Web, CommandRefs.Web));
            Assert.Equal($"{path} 已存在；给出 force 以替换它，或另选 out。未写入任何文件。", e.Text.Render(Languages.Chinese, FieldNames.Web, CommandRefs.Web));
            Assert.Equal(0, files.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_rent_an_exchange_rate_and_an_mfu_given_by_the_user_name_their_field_as_each_front_end_spells_it()
    {
        var given = FieldNames.GivenWith(FieldNames.RentPerHour);
        Assert.Equal("given with --rent-per-hour", given.English);
        Assert.Equal("given with rentPerHour", given.Render(Languages.English, FieldNames.Web));
        Assert.Equal("由 rentPerHour 给出", given.Render(Languages.Chinese, FieldNames.Web));
        var rate = CompareRun.ParseRate("USD/CNY=7.2734@2025-02-28");
        Assert.Equal("given with exchange-rate", rate.Source);
        var used = Suanli.Cost.PriceSelection.ExchangeRateUsed(rate);
        Assert.Equal("Converted with 1 USD = 7.2734 CNY, dated 2025-02-28 (given with --exchange-rate).", used.Message);
        Assert.Equal("Converted with 1 USD = 7.2734 CNY, dated 2025-02-28 (given with exchangeRate).", used.Render(Languages.English, FieldNames.Web, CommandRefs.Web));
    }
}
