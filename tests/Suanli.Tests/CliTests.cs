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
        var code = SuanliCli.Run(args, console, output, error);
        return (code, output.ToString(), error.ToString(), console.Output);
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
        Assert.True(doc.RootElement.GetArrayLength() >= 30);
        Assert.Contains("qwen2-72b", Run("catalog", "models", "--format", "csv").Out, StringComparison.Ordinal);
    }
}
