using System.Text.Json;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// One error contract for scenario files (docs/scenario.md, "Errors found only while planning"): an error the core raises
/// while planning a file names the key the user wrote and its file, line and column, never a command-line option.
/// </summary>
public class ScenarioErrorTests
{
    // input_tokens is on line 7, its value at column 19.
    private const string LongPrompt = "name: long\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: kb\n    model: Qwen/Qwen2.5-7B-Instruct\n    peak_concurrency: 5\n    input_tokens: 400000\n    output_tokens: 100\n";

    [Fact]
    public void A_prompt_longer_than_the_models_context_is_an_error_at_input_tokens_not_an_unmet_ttft()
    {
        // Qwen2.5-7B-Instruct's config.json: max_position_embeddings 32,768; 400,000 + 100 tokens is beyond it.
        var path = TempFiles.Write("long.yaml", LongPrompt);
        foreach (var command in new[] { "plan", "optimize" })
        {
            var (code, output, err, _) = CliTests.Run(command, path);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Equal($"error: {path}:7:19: kb: the mean prompt of 400,000 tokens plus the mean output of 100 tokens is longer than the 32,768-token context of qwen2.5-7b-instruct; an engine would refuse such requests. Shorten applications[0].input_tokens or choose a model with a longer context.",
                err.TrimEnd());
        }
    }

    [Fact]
    public void A_planning_error_as_json_names_the_scenario_key_and_its_location()
    {
        var path = TempFiles.Write("long.yaml", LongPrompt);
        var (code, _, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        using var doc = JsonDocument.Parse(err);
        var e = doc.RootElement.GetProperty("error");
        Assert.Equal("applications[0].input_tokens", e.GetProperty("field").GetString());
        Assert.Equal($"{path}:7:19", e.GetProperty("location").GetString());
        Assert.DoesNotContain("--", e.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_too_short_for_the_prompt_is_skipped_when_another_model_of_the_application_holds_it()
    {
        var scenario = ScenarioFile.Parse(LongPrompt.Replace("model: Qwen/Qwen2.5-7B-Instruct", "models: [Qwen/Qwen2.5-7B-Instruct, llama-3.1-8b]", StringComparison.Ordinal)
            .Replace("400000", "100000", StringComparison.Ordinal), "s.yaml", CatalogFiles.Embedded);
        // Llama 3.1 8B holds 131,072 tokens, so 100,100 is not bad input for the application; the 32k model alone cannot take it.
        Plan.Planner.CheckContext(scenario.Applications[0], 0);
        Assert.True(Plan.Planner.BeyondContext(scenario.Applications[0], scenario.Applications[0].Models[0]));
        Assert.False(Plan.Planner.BeyondContext(scenario.Applications[0], scenario.Applications[0].Models[1]));
    }

    [Fact]
    public void A_ttft_target_no_replica_meets_is_located_at_its_application_and_names_no_option()
    {
        // 1 ms is below the ~11 ms one 1,000-token prefill of a 7B model takes on an H100.
        var yaml = "name: fast\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: kb\n    model: Qwen/Qwen2.5-7B-Instruct\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 100\n    targets: {ttft_p90_s: 0.001}\n";
        var path = TempFiles.Write("fast.yaml", yaml);
        var (code, _, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(err);
        var e = doc.RootElement.GetProperty("error");
        Assert.Equal("applications[0]", e.GetProperty("field").GetString());
        Assert.Equal($"{path}:4:5", e.GetProperty("location").GetString());
        Assert.Contains("The TTFT target 1.0 ms is below", e.GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain("--", e.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_core_error_naming_a_written_key_points_at_that_key_and_spells_every_field_as_the_file_does()
    {
        var yaml = "hardware: h100\napplications:\n  - name: a\n    model: qwen2.5-7b\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 100\n"
            + "  - name: b\n    model: qwen2.5-7b\n    peak_rate: 2\n    input_tokens: 1000\n    output_tokens: 100\n    targets:\n      ttft_p90_s: 0.5\n";
        var scenario = ScenarioFile.Parse(yaml, "s.yaml", CatalogFiles.Embedded);
        var text = Phrase.Of("test-only", "{ttft} is too tight for {input}.", ("ttft", FieldNames.TtftP90), ("input", FieldNames.Input));
        var ex = Assert.Throws<InputException>(() => ScenarioFile.Located<int>(scenario, () => throw new InputException(FieldNames.TtftP90, text) { Application = 1 }));
        Assert.Equal("applications[1].targets.ttft_p90_s", ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 14, 19), ex.Location);
        Assert.Equal("s.yaml:14:19: applications[1].targets.ttft_p90_s is too tight for applications[1].input_tokens.", ex.Message);
    }

    [Fact]
    public void A_core_error_naming_a_defaulted_key_points_at_the_key_that_holds_it()
    {
        var yaml = "hardware: h100\napplications:\n  - name: a\n    model: qwen2.5-7b\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 100\n";
        var scenario = ScenarioFile.Parse(yaml, "s.yaml", CatalogFiles.Embedded);
        // No targets are written: the default TTFT target is located at the application's first key.
        var ex = Assert.Throws<InputException>(() => ScenarioFile.Located<int>(scenario,
            () => throw new InputException(FieldNames.TtftP90, Phrase.Of("test-only", "{ttft} is too tight.", ("ttft", FieldNames.TtftP90))) { Application = 0 }));
        Assert.Equal(new SourceLocation("s.yaml", 3, 5), ex.Location);
        Assert.Equal("applications[0].targets.ttft_p90_s", ex.Field);
        // A field the file has no key for keeps its option spelling and no position: it is the command's option.
        var limit = Assert.Throws<InputException>(() => ScenarioFile.Located<int>(scenario,
            () => throw new InputException(FieldNames.MaxCandidates, Phrase.Of("test-only", "{limit} is too low.", ("limit", FieldNames.MaxCandidates)))));
        Assert.Null(limit.Location);
        Assert.Equal("--max-candidates is too low.", limit.Message);
    }

    [Fact]
    public void A_rack_smaller_than_one_server_found_while_planning_is_located_at_rack_power()
    {
        // A DGX H100 draws 10.2 kW; a 1 kW rack holds none. The value of rack.power is on line 3, column 16.
        var yaml = "name: tiny-rack\nhardware: nvidia-h100-sxm5-80gb\nrack: {power: 1 kW}\napplications:\n  - name: kb\n    model: qwen2.5-0.5b\n    peak_concurrency: 1\n    input_tokens: 100\n    output_tokens: 10\n";
        var path = TempFiles.Write("rack.yaml", yaml);
        var (code, _, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(err);
        var e = doc.RootElement.GetProperty("error");
        Assert.Equal("rack.power", e.GetProperty("field").GetString());
        Assert.Equal($"{path}:3:15", e.GetProperty("location").GetString());
        Assert.StartsWith($"{path}:3:15: Rack of 1 kW and 42U is smaller than one ", e.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_of_several_racks_is_an_error_at_server_that_does_not_advise_a_taller_rack()
    {
        // cloudmatrix-384 is 672U (16 racks, catalog/hardware/servers.yaml); rack.height_u stops at 60U, so "raise
        // rack.height_u" could not be followed. The value of server is on line 3, column 9.
        var yaml = "name: cm\nhardware: huawei-ascend-910c\nserver: cloudmatrix-384\nrack: {power: 600 kW, height_u: 60}\napplications:\n  - name: kb\n    model: qwen2.5-0.5b\n    peak_concurrency: 1\n    input_tokens: 100\n    output_tokens: 10\n";
        var path = TempFiles.Write("cm.yaml", yaml);
        var (code, _, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(err);
        var e = doc.RootElement.GetProperty("error");
        Assert.Equal("server", e.GetProperty("field").GetString());
        Assert.Equal($"{path}:3:9: cloudmatrix-384 (672U, 560 kW) spans more than one rack: rack.height_u is at most 60U. Name a server of one rack for huawei-ascend-910c in server (see 'suanli catalog servers'), or leave server out for the catalog's largest that fits the rack.",
            e.GetProperty("message").GetString());
        var (zhCode, _, zhErr, _) = CliTests.Run("plan", path, "--lang", "zh");
        Assert.Equal(2, zhCode);
        Assert.Equal($"错误：{path}:3:9: cloudmatrix-384（672U，560 kW）跨越不止一个机柜：rack.height_u 最多为 60U。请在 server 中为 huawei-ascend-910c 指定一台单机柜的服务器（见 'suanli catalog servers'），或省略 server，使用目录中能放进机柜的最大服务器。",
            zhErr.TrimEnd());
    }

    [Fact]
    public void A_deadline_no_cluster_meets_names_the_days_option_as_each_front_end_spells_it()
    {
        // docs/cli.md, "suanli train --days D": the sentence is unchanged on the command line.
        var (code, _, err, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "0.01");
        Assert.Equal(2, code);
        Assert.Equal("error: No cluster of up to 1,000,000 x nvidia-a100-sxm4-80gb trains gpt-3-175b on 292,632,045,896 tokens within 0.01 days: the fastest is 0.033 days (0.79 hours) on 1,000,000 devices, and it would need 3,434,375 devices at the fitted MFU, beyond the 1,000,000 considered. Give --days 0.034 or more, fewer tokens, or a faster device.",
            err.TrimEnd());
    }

    [Fact]
    public void Guard_messages_keep_the_cli_text_and_are_spelled_by_each_front_end()
    {
        var ex = Assert.Throws<InputException>(() => Guard.InRange(0, 1, 10_000_000, FieldNames.Input));
        Assert.Equal("--input must be between 1 and 10,000,000, got 0.", ex.Message);
        Assert.Equal("input must be between 1 and 10,000,000, got 0.", ex.Text!.Render(Languages.English, FieldNames.Web));
        Assert.Equal("applications[2].input_tokens must be between 1 and 10,000,000, got 0.", ex.Text.Render(Languages.English, FieldNames.Scenario(2)));
        var nan = Assert.Throws<InputException>(() => Guard.Positive(double.NaN, FieldNames.TtftP90));
        Assert.Equal("--ttft-p90 must be a finite number, got NaN.", nan.Message);
        Assert.Equal("ttft-p90", nan.FieldId!.Id);
    }

    [Theory]
    [InlineData("32k", CountUnit.Tokens, 32_768)]
    [InlineData("1M", CountUnit.Tokens, 1_048_576)]
    [InlineData("2k", CountUnit.Items, 2_000)]
    [InlineData("1M", CountUnit.Items, 1_000_000)]
    [InlineData("4096", CountUnit.Tokens, 4096)]
    public void Count_suffixes_are_binary_for_token_lengths_and_decimal_for_everything_else(string text, CountUnit unit, double expected)
    {
        Assert.True(CountSuffix.TryParse(text, unit, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void The_cli_reads_a_token_length_of_1k_as_1024_and_a_batch_of_1k_as_1000()
    {
        var (code, output, err, _) = CliTests.Run("perf", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "1k", "--output", "1", "--batch", "1", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("\"input\": 1024,", output, StringComparison.Ordinal);
        // 0.002k sequences is 2 (decimal); as a token length it would be 2.048, not a whole number.
        var (batchCode, batchOut, batchErr, _) = CliTests.Run("memory", "--model", "qwen2.5-0.5b", "--batch", "0.002k", "--format", "json");
        Assert.True(batchCode == 0, batchErr);
        Assert.Contains("\"batch\": 2,", batchOut, StringComparison.Ordinal);
        var (tokenCode, _, tokenErr, _) = CliTests.Run("memory", "--model", "qwen2.5-0.5b", "--context", "0.002k");
        Assert.Equal(2, tokenCode);
        Assert.Equal("error: --context must be a whole number from 1 to 10,000,000, got 0.002k. See 'suanli memory --help'.", tokenErr.TrimEnd());
    }
}
