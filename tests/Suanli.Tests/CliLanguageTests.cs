using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console.Testing;
using Suanli.Cli;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <c>--lang en|zh</c> and <c>SUANLI_LANG</c> (docs/cli.md, "Language"): every phrase the CLI prints (errors, parse
/// errors, findings, report titles and headers) in the chosen language; English, the default, unchanged; JSON keeps
/// its codes, fields and numbers and renders only its messages, as the web's <c>lang</c> does.
/// </summary>
public sealed class CliLanguageTests
{
    // The day the stale-price warning counts from, so its sentence can be written out.
    private static readonly DateTimeOffset Day = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    internal static (int Code, string Out, string Err, string Console) Run(string? suanliLang, params string[] args)
    {
        var console = new TestConsole().Width(160);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SuanliCli.Run(args, console, output, error, new FixedClock(Day), name => name == "SUANLI_LANG" ? suanliLang : null);
        return (code, output.ToString(), error.ToString(), console.Output);
    }

    [Fact]
    public void Plan_in_chinese_prints_its_title_headers_chart_and_findings_in_chinese()
    {
        var (code, _, _, console) = Run(null, "plan", "--lang", "zh");
        Assert.Equal(0, code);
        // zh.yaml: report.plan, col.item, report.chart.devices-per-hour, cli.finding#warning and stale-price (2024-12-31 to 2026-12-05: 365 + 339 days).
        string[] said = ["方案：C2 knowledge base", "| 项目", "每小时使用的设备数", "说明：", "警告：CN-industrial-average 电价的日期为 2024-12-31，比 2026-12-05 早 704 天"];
        Assert.All(said, s => Assert.Contains(s, console.Replace('│', '|'), StringComparison.Ordinal));
        Assert.DoesNotContain("note:", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Devices in use per hour", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_in_english_is_the_default_and_speaks_no_chinese_sentence()
    {
        var (code, _, _, console) = Run(null, "plan");
        Assert.Equal(0, code);
        Assert.Contains("warning: tariff CN-industrial-average is dated 2024-12-31, 704 days before 2026-12-05", console, StringComparison.Ordinal);
        Assert.Contains("Devices in use per hour", console, StringComparison.Ordinal);
        Assert.DoesNotContain("说明", console, StringComparison.Ordinal);
        // The same words with SUANLI_LANG=en or --lang en.
        Assert.Equal(console, Run("en", "plan").Console);
        Assert.Equal(console, Run("zh", "plan", "--lang", "en").Console);
    }

    [Fact]
    public void Plan_json_in_chinese_keeps_codes_fields_and_numbers_and_renders_only_its_messages()
    {
        var english = JsonNode.Parse(Run(null, "plan", "--format", "json").Out)!;
        var chinese = JsonNode.Parse(Run(null, "plan", "--format", "json", "--lang", "zh").Out)!;
        var messages = chinese["findings"]!.AsArray().Select(f => f!["message"]!.GetValue<string>()).ToList();
        Assert.Contains("CN-industrial-average 电价的日期为 2024-12-31，比 2026-12-05 早 704 天：已超过一年。使用前请核对当前价格。", messages);
        Assert.All(messages, m => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", m));
        Assert.NotEqual(english.ToJsonString(), chinese.ToJsonString());
        // With the Chinese sentences put in the English document, the two are the same: codes, keys, args, numbers.
        var findings = english["findings"]!.AsArray();
        for (var i = 0; i < findings.Count; i++)
        {
            findings[i]!["message"] = messages[i];
        }
        english["assumptions"] = chinese["assumptions"]!.DeepClone();
        // And the own and rent options' labels (compare's names of them: "qwen2-72b bf16，4 张 …（购买）").
        var strategies = english["costs"]!["strategies"]!.AsArray();
        for (var i = 0; i < strategies.Count; i++)
        {
            foreach (var part in new[] { "own", "rent" })
            {
                var label = chinese["costs"]!["strategies"]![i]![part]!["label"]!.GetValue<string>();
                Assert.Contains(" 张 ", label, StringComparison.Ordinal);
                strategies[i]![part]!["label"] = label;
            }
        }
        Assert.True(JsonNode.DeepEquals(english, chinese));
    }

    [Fact]
    public void An_unknown_model_in_chinese_names_the_kind_in_chinese_and_keeps_the_option()
    {
        // zh.yaml: cli.fail#input, unknown-name#suggest, name-kind#model.
        var (code, output, err, _) = Run(null, "memory", "--model", "qwen2-27b", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("错误：--model：未知的模型 'qwen2-27b'。您是否想要 'qwen2-72b'、'qwen3-4b'、'qwen3-8b'？用 'suanli catalog' 可列出全部。", err.Trim());
        var json = Run(null, "memory", "--model", "qwen2-27b", "--lang", "zh", "--format", "json");
        using var doc = JsonDocument.Parse(json.Err);
        var e = doc.RootElement.GetProperty("error");
        Assert.Equal("input", e.GetProperty("kind").GetString());
        Assert.Equal("--model", e.GetProperty("field").GetString());
        Assert.StartsWith("--model：未知的模型 'qwen2-27b'。", e.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_scenario_file_is_refused_in_chinese_and_in_english_as_before()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"suanli-missing-{Guid.NewGuid():N}.yaml");
        Assert.Equal($"错误：场景文件 '{missing}' 不存在。不带参数运行 'suanli plan' 可使用内置示例，或参见 examples/。", Run(null, "plan", missing, "--lang", "zh").Err.Trim());
        Assert.Equal($"error: Scenario file '{missing}' does not exist. Run 'suanli plan' with no argument for the built-in example, or see examples/.", Run(null, "plan", missing).Err.Trim());
    }

    [Fact]
    public void An_empty_catalog_folder_and_a_measurement_file_without_rows_are_refused_rather_than_adding_or_validating_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("suanli-empty-catalog-").FullName;
        var csv = Path.Combine(folder, "header-only.csv");
        File.WriteAllText(csv, MeasurementFiles.TrainingHeader + "\n");
        try
        {
            var en = Run(null, "plan", "--catalog", folder);
            Assert.Equal(2, en.Code);
            Assert.Equal($"error: --catalog: Catalog folder '{folder}' holds no .yaml or .yml file, so it adds nothing: give a folder with devices.yaml, servers.yaml or models.yaml, or one such file.", en.Err.Trim());
            Assert.Equal($"错误：--catalog：目录文件夹 '{folder}' 中没有 .yaml 或 .yml 文件，因此没有添加任何内容：请给出含有 devices.yaml、servers.yaml 或 models.yaml 的文件夹，或其中一个文件。", Run("zh", "plan", "--catalog", folder).Err.Trim());
            var rows = Run(null, "validate", csv);
            Assert.Equal(2, rows.Code);
            Assert.Equal($"error: {csv}:2:1: The file has a header but no rows, so there is nothing to validate: add one row per measurement below the header (validation/measurements/README.md).", rows.Err.Trim());
            Assert.Equal($"错误：{csv}:2:1: 该文件只有表头没有数据行，因此没有可验证的内容：请在表头下每条测量写一行（validation/measurements/README.md）。", Run("zh", "validate", csv).Err.Trim());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void A_scenario_files_unknown_key_is_told_in_chinese_with_the_nearest_key()
    {
        var file = Path.Combine(Path.GetTempPath(), $"suanli-zh-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "hardware: a100-80gb\napplications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrent: 50\n");
        try
        {
            Assert.Equal($"错误：{file}:5:5: 未知的键 'applications[0].peak_concurrent'。是否想用 'peak_concurrency'？", Run("zh", "plan", file).Err.Trim());
            Assert.Equal($"error: {file}:5:5: Unknown key 'applications[0].peak_concurrent'. Did you mean 'peak_concurrency'?", Run(null, "plan", file).Err.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_scenario_files_error_in_chinese_names_its_key_and_line_as_in_english()
    {
        var file = Path.Combine(Path.GetTempPath(), $"suanli-zh-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "hardware: a100-80gb\napplications:\n  - name: kb\n    model: qwen2-72b\n    peak_rate: 1e-300\n");
        try
        {
            // zh.yaml: the range phrase with the file's key (applications[0].peak_rate), not an option.
            Assert.Equal($"错误：{file}:5:16: applications[0].peak_rate 必须在 0.000001 到 100,000,000 之间，实际为 1e-300。", Run("zh", "plan", file).Err.Trim());
            Assert.Equal($"error: {file}:5:16: applications[0].peak_rate must be from 0.000001 to 100,000,000, got 1e-300.", Run(null, "plan", file).Err.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--contxt", "32k", "错误：'suanli memory' 没有选项 '--contxt'。您是否想要 '--context'？见 'suanli memory --help'。")]
    [InlineData("--context", "0", "错误：--context 必须是 1 到 10,000,000 之间的整数，实际为 0。见 'suanli memory --help'。")]
    [InlineData("--format", "xml", "错误：--format：'xml' 不是 csv、json、markdown、table 之一。见 'suanli memory --help'。")]
    public void Command_line_errors_read_in_chinese(string option, string value, string expected)
    {
        var (code, _, err, _) = Run(null, "memory", "--model", "qwen2-72b", option, value, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Equal(expected, err.Trim());
    }

    [Fact]
    public void A_missing_option_and_a_missing_command_read_in_chinese()
    {
        Assert.Equal("错误：必须给出选项 '--model'。见 'suanli memory --help'。", Run("zh", "memory").Err.Trim());
        Assert.Equal("错误：'suanli catalog' 需要一个子命令：hardware, servers, models, prices。见 'suanli catalog --help'。", Run(null, "--lang", "zh", "catalog").Err.Trim());
    }

    [Theory]
    [InlineData(null, "fr", "error: --lang: 'fr' is not one of en, zh. See 'suanli memory --help'.")]
    [InlineData("zh", "de", "错误：--lang：'de' 不是 en、zh 之一。见 'suanli memory --help'。")]
    [InlineData("de", null, "error: SUANLI_LANG: 'de' is not one of en, zh.")]
    public void An_unknown_language_is_refused_naming_en_and_zh(string? suanliLang, string? lang, string expected)
    {
        string[] args = lang is null ? ["memory", "--model", "qwen2-72b"] : ["memory", "--model", "qwen2-72b", "--lang", lang];
        var (code, output, err, console) = Run(suanliLang, args);
        Assert.Equal(2, code);
        Assert.Equal("", output + console);
        Assert.Equal(expected, err.Trim());
    }

    [Fact]
    public void Suanli_lang_sets_the_language_when_the_option_is_absent_and_a_blank_one_is_english()
    {
        Assert.StartsWith("错误：--model：未知的模型", Run("zh", "memory", "--model", "qwen2-27b").Err, StringComparison.Ordinal);
        Assert.StartsWith("error: --model: Unknown model", Run("  ", "memory", "--model", "qwen2-27b").Err, StringComparison.Ordinal);
        Assert.StartsWith("error: --model: Unknown model", Run("zh", "memory", "--model", "qwen2-27b", "--lang", "en").Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_commands_help_offers_lang_and_names_the_environment_variable()
    {
        foreach (var command in new[] { "memory", "plan", "optimize", "catalog" })
        {
            var (code, output, _, _) = Run(null, command, "--help");
            Assert.Equal(0, code);
            Assert.Contains("--lang", output, StringComparison.Ordinal);
            Assert.Contains("SUANLI_LANG", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Plan_out_in_chinese_writes_chinese_report_files()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"suanli-zh-{Guid.NewGuid():N}");
        try
        {
            var (code, _, err, _) = Run(null, "plan", "--out", dir, "--lang", "zh", "--format", "json");
            Assert.Equal(0, code);
            Assert.StartsWith("已将 report.md、plan.json、plan.xlsx", err, StringComparison.Ordinal);
            var md = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("## 方案：C2 knowledge base", md, StringComparison.Ordinal);
            Assert.Contains("### 发现", md, StringComparison.Ordinal);
            Assert.Contains("### 图表", md, StringComparison.Ordinal);
            Assert.Contains("- **警告** CN-industrial-average 电价的日期为 2024-12-31", md, StringComparison.Ordinal);
            var json = File.ReadAllText(Path.Combine(dir, "plan.json"));
            Assert.Contains("\"code\": \"stale-price\"", json, StringComparison.Ordinal);
            Assert.Contains("早 704 天", json, StringComparison.Ordinal);
            using var book = new ClosedXML.Excel.XLWorkbook(Path.Combine(dir, "plan.xlsx"));
            Assert.Contains(book.Worksheets, s => s.Name == "发现");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
