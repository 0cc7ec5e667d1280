using System.Text.Json;
using Spectre.Console.Testing;
using Suanli.Cli;
using Xunit;

namespace Suanli.Tests;

public class CliTests
{
    internal static (int Code, string Out, string Err, string Console) Run(params string[] args)
    {
        var console = new TestConsole().Width(160);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SuanliCli.Run(args, console, output, error, TimeProvider.System);
        return (code, output.ToString(), error.ToString(), console.Output);
    }

    /// <summary>
    /// Asserts that <c>suanli plan</c> on the scenario at <paramref name="path"/> exits 2, prints nothing on standard output
    /// and one error line that names the file, <paramref name="line"/> and <paramref name="column"/> before <paramref name="message"/>.
    /// </summary>
    internal static void PlanFailsAt(string path, int line, int column, string message)
    {
        var (code, output, err, _) = Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {path}:{line}:{column}: {message}", err.TrimEnd());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    [Fact]
    public void Stale_price_findings_count_days_from_the_clock_the_cli_is_given()
    {
        // The default A100 purchase price is the newest-dated catalog entry; on 2040-01-01 every price is years old.
        static string PlanOn(DateTimeOffset day)
        {
            var output = new StringWriter();
            var code = SuanliCli.Run(["plan", "--format", "json"], new TestConsole().Width(160), output, new StringWriter(), clock: new FixedClock(day));
            Assert.Equal(0, code);
            return output.ToString();
        }
        Assert.Contains("days before 2040-01-01", PlanOn(new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero)), StringComparison.Ordinal);
        Assert.Contains("days before 2030-06-30", PlanOn(new DateTimeOffset(2030, 6, 30, 12, 0, 0, TimeSpan.Zero)), StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_json_has_the_documented_fields()
    {
        var (code, output, _, _) = Run("memory", "--model", "Qwen/Qwen2-72B", "--context", "32k", "--hardware", "a100-80gb", "--devices", "3", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        foreach (var field in new[] { "parameters", "weightsBytes", "kvCacheBytesPerToken", "kvCacheBytes", "activationBytes", "overheadBytes", "totalBytes", "ruleOfThumbBytes", "fits", "minDevices", "layouts", "findings" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal(327680, root.GetProperty("kvCacheBytesPerToken").GetInt64());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(3, root.GetProperty("minDevices").GetInt32());
        var layouts = root.GetProperty("layouts").EnumerateArray().Select(l => (l.GetProperty("tp").GetInt32(), l.GetProperty("pp").GetInt32())).ToList();
        Assert.Equal([(1, 3), (4, 1)], layouts);
    }

    [Fact]
    public void Memory_table_shows_the_parts_and_the_rule_of_thumb()
    {
        var (code, _, _, console) = Run("memory", "--model", "qwen2-72b", "--context", "32768");
        Assert.Equal(0, code);
        Assert.Contains("KV cache per token", console, StringComparison.Ordinal);
        Assert.Contains("320.0 KiB", console, StringComparison.Ordinal);
        Assert.Contains("Rule of thumb", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_and_csv_render_the_same_tables()
    {
        var md = Run("memory", "--model", "qwen2-72b", "--format", "markdown").Out;
        var csv = Run("memory", "--model", "qwen2-72b", "--format", "csv").Out;
        Assert.Contains("| Part | Bytes | Formula |", md, StringComparison.Ordinal);
        Assert.StartsWith("Part,Bytes,Formula", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_model_exits_2_with_suggestions_and_no_stack_trace()
    {
        var (code, _, err, _) = Run("memory", "--model", "qwen2-27b");
        Assert.Equal(2, code);
        Assert.Contains("Unknown model 'qwen2-27b'", err, StringComparison.Ordinal);
        Assert.Contains("qwen2-72b", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_device_exits_2_with_suggestions()
    {
        var (code, _, err, _) = Run("memory", "--model", "qwen2-72b", "--hardware", "a100-90gb");
        Assert.Equal(2, code);
        Assert.Contains("Unknown hardware", err, StringComparison.Ordinal);
        Assert.Contains("Did you mean", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--context", "1000000000000")]
    [InlineData("--context", "0")]
    [InlineData("--batch", "-4")]
    [InlineData("--context", "NaN")]
    public void Absurd_numbers_name_the_option_and_its_range(string option, string value)
    {
        var (code, _, err, _) = Run("memory", "--model", "qwen2-72b", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--context", "0", "error: --context must be a whole number from 1 to 10,000,000, got 0. See 'suanli memory --help'.")]
    [InlineData("--context", "lots", "error: --context: 'lots' is not a number. See 'suanli memory --help'.")]
    [InlineData("--contxt", "5", "error: Unknown option '--contxt' for 'suanli memory'. Did you mean '--context'? See 'suanli memory --help'.")]
    [InlineData("--format", "xml", "error: --format: 'xml' is not one of csv, json, markdown, table. See 'suanli memory --help'.")]
    public void A_command_line_that_does_not_parse_exits_2_with_one_line_on_stderr(string option, string value, string expected)
    {
        var (code, output, err, console) = Run("memory", "--model", "qwen2-72b", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("", console);
        Assert.Equal(expected, err.TrimEnd());
    }

    [Fact]
    public void With_format_json_a_parse_error_is_one_json_object_on_stderr()
    {
        var (code, output, err, _) = Run("memory", "--model", "qwen2-72b", "--context", "0", "--format", "json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd().Split('\n'));
        using var doc = JsonDocument.Parse(err);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("input", error.GetProperty("kind").GetString());
        Assert.Equal("--context", error.GetProperty("field").GetString());
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.StartsWith("--context must be a whole number from 1 to 10,000,000, got 0.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_format_json_an_input_error_carries_its_file_location()
    {
        var (code, _, err, _) = Run("memory", "--model", "data/bad-config", "--format", "json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(err);
        Assert.StartsWith("data/bad-config/config.json:5", doc.RootElement.GetProperty("error").GetProperty("location").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("optimize", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "abc")]
    [InlineData("simulate", "--model", "qwen2.5-7b", "--hardware", "h100", "--concurrency", "many")]
    [InlineData("train", "--model", "llama-3.1-8b", "--hardware", "h100", "--zero", "x")]
    public void A_value_of_the_wrong_type_names_the_option_and_no_dotnet_type(params string[] args)
    {
        var (code, _, err, _) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {args[^2]}: '{args[^1]}' is not a", err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_misspelt_command_exits_2_naming_the_commands()
    {
        var none = Run();
        Assert.Equal(2, none.Code);
        Assert.StartsWith("error: 'suanli' needs a command: plan, memory,", none.Err, StringComparison.Ordinal);
        var typo = Run("plna");
        Assert.Equal(2, typo.Code);
        Assert.Equal("error: Unknown command 'plna'. Did you mean 'plan'? See 'suanli --help'.", typo.Err.TrimEnd());
    }

    [Fact]
    public void Help_still_prints_the_options_and_exits_0()
    {
        var (code, output, err, _) = Run("memory", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--context", output, StringComparison.Ordinal);
        Assert.Equal("", err);
    }

    [Fact]
    public void An_internal_error_names_no_dotnet_type()
    {
        var context = new CliContext(new TestConsole(), new StringWriter(), new StringWriter()) { Clock = TimeProvider.System };
        var code = context.Guarded(() => throw new DivideByZeroException());
        Assert.Equal(70, code);
        var err = context.Error.ToString()!;
        Assert.StartsWith("internal error: Attempted to divide by zero. This is a defect, not bad input", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_precision_lists_the_valid_ones()
    {
        var (code, _, err, _) = Run("memory", "--model", "qwen2-72b", "--precision", "int3");
        Assert.Equal(2, code);
        Assert.Contains("q4_k_m", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_folder_path_is_accepted_and_a_malformed_config_names_file_and_line()
    {
        Assert.Equal(0, Run("memory", "--model", "data/tiny-model").Code);
        var (code, _, err, _) = Run("memory", "--model", "data/bad-config");
        Assert.Equal(2, code);
        Assert.Contains("config.json:5", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_lists_hardware_and_models()
    {
        var hw = Run("catalog", "hardware", "--format", "json");
        Assert.Equal(0, hw.Code);
        using var doc = JsonDocument.Parse(hw.Out);
        Assert.True(doc.RootElement.GetProperty("devices").GetArrayLength() >= 30);
        Assert.Contains("qwen2-72b", Run("catalog", "models", "--format", "csv").Out, StringComparison.Ordinal);
    }
}
