using System.Text.Json;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>Input built to crash the planner or to slip past it: each is a located error with exit code 2, never a crash or a silent answer.</summary>
public partial class HostileInputTests
{
    private const string App = "applications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 200\n";

    private static InputException ScenarioError(string yaml) =>
        Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(yaml, "s.yaml", CatalogFiles.Embedded));

    [Fact]
    public void A_scenario_nested_40000_deep_is_a_located_error_before_any_tree_is_built()
    {
        var yaml = "name: " + new string('[', 40_000) + new string(']', 40_000) + "\n";
        var ex = ScenarioError(yaml);
        // The root mapping is level 1; the 64th '[' (column 7 + 63) is the first one too deep.
        Assert.Equal(new SourceLocation("s.yaml", 1, 70), ex.Location);
        Assert.Contains("nested more than 64 deep", ex.Detail, StringComparison.Ordinal);

        var path = TempFiles.Write("deep.yaml", yaml);
        var (code, output, err, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {path}:1:70: Lists and mappings are nested more than 64 deep", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Nesting_64_deep_passes_the_depth_check()
    {
        // 62 brackets under the root mapping's key: 63 levels, within the 64 allowed.
        var yaml = "hardware: a100-80gb\n" + App + "candidates:\n  engines: " + new string('[', 62) + "vllm" + new string(']', 62) + "\n";
        var ex = ScenarioError(yaml);
        Assert.DoesNotContain("nested", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_yaml_document_is_an_error_naming_its_line()
    {
        var ex = ScenarioError("hardware: a100-80gb\n" + App + "---\nname: second\n");
        Assert.Equal(new SourceLocation("s.yaml", 8, 1), ex.Location);
        Assert.Contains("second YAML document", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leading_document_marker_is_still_one_document()
    {
        var s = ScenarioFile.Parse("---\nhardware: a100-80gb\n" + App, "s.yaml", CatalogFiles.Embedded);
        Assert.Equal("kb", s.Applications.Single().Name);
    }

    [Fact]
    public void A_key_repeated_in_a_yaml_mapping_names_the_key_and_both_lines()
    {
        var ex = ScenarioError("hardware: a100-80gb\nname: a\nname: b\n" + App);
        Assert.Equal("name", ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 3, 1), ex.Location);
        Assert.Equal("Key 'name' appears twice in the same mapping (first on line 2); keep one of them.", ex.Detail);
    }

    [Fact]
    public void A_key_repeated_in_a_json_scenario_names_the_key_and_line()
    {
        const string json = "{\"hardware\": \"a100-80gb\",\n \"applications\": [{\"name\": \"kb\", \"model\": \"qwen2-72b\",\n   \"peak_concurrency\": 5, \"peak_concurrency\": 50, \"input_tokens\": 1000, \"output_tokens\": 200}]}";
        var ex = ScenarioError(json);
        Assert.Equal("peak_concurrency", ex.Field);
        Assert.Equal(3, ex.Location!.Line);
        Assert.Contains("first on line 3", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_repeated_in_config_json_names_the_key_and_line()
    {
        const string json = "{\"model_type\": \"llama\",\n\"hidden_size\": 4096,\n\"num_hidden_layers\": 32,\n\"hidden_size\": 8192,\n\"num_attention_heads\": 32, \"vocab_size\": 32000}";
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal("hidden_size", ex.Field);
        Assert.Equal(new SourceLocation("config.json", 4, 1), ex.Location);
        Assert.Contains("first on line 2", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_file_over_10_MiB_is_refused_without_reading_it_whole()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-hostile-").FullName;
        var path = Path.Combine(dir, "huge.yaml");
        using (var f = File.Create(path))
        {
            f.SetLength(InputFiles.MaxBytes + 1L);
        }
        var (code, output, err, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: '{path}' is larger than 10 MiB, the most Suanli reads from one input file; scenario, catalog, price and config files are a few kilobytes: check that the right file was given.", err.TrimEnd());
    }

    [Fact]
    public void An_endless_device_given_as_a_scenario_stops_at_the_size_cap()
    {
        Assert.True(File.Exists("/dev/zero"), "this test needs /dev/zero (Linux, macOS)");
        var ex = Assert.ThrowsAny<InputException>(() => ScenarioFile.Load("/dev/zero", CatalogFiles.Embedded));
        Assert.Equal("scenario", ex.Field);
        Assert.Contains("larger than 10 MiB", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_file_is_refused_as_not_utf8_text_with_the_byte()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-hostile-").FullName;
        var path = Path.Combine(dir, "binary.yaml");
        File.WriteAllBytes(path, [(byte)'a', (byte)':', (byte)' ', 0xC3, 0x28]);
        var ex = Assert.ThrowsAny<InputException>(() => ScenarioFile.Load(path, CatalogFiles.Embedded));
        Assert.Contains("is not UTF-8 text (byte 4)", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_rate_1e308_is_an_input_error_naming_the_range()
    {
        var (code, output, err, _) = CliTests.Run("optimize", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "1e308");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: --rate must be between 0.000001 and 100,000,000, got 1e308.", err.TrimEnd());
    }

    [Fact]
    public void A_peak_rate_of_1e_300_is_an_error_naming_the_key_and_its_range()
    {
        var ex = ScenarioError("hardware: a100-80gb\n" + App.Replace("peak_concurrency: 5", "peak_rate: 1e-300", StringComparison.Ordinal));
        Assert.Equal("applications[0].peak_rate", ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 5, 16), ex.Location);
        Assert.Equal("applications[0].peak_rate must be from 0.000001 to 100,000,000, got 1e-300.", ex.Detail);
    }

    [Fact]
    public void The_smallest_peak_rate_plans_and_prices_without_dividing_by_zero()
    {
        var path = TempFiles.Write("slow.yaml", "hardware: a100-80gb\n" + App.Replace("peak_concurrency: 5", "peak_rate: 0.000001", StringComparison.Ordinal));
        var (code, output, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
    }

    [Fact]
    public void A_config_with_zero_attention_heads_is_an_error_naming_the_field()
    {
        const string json = "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 0, \"vocab_size\": 32000}";
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal("num_attention_heads", ex.Field);
        Assert.Equal("config.json field 'num_attention_heads' must be greater than zero, got 0.", ex.Detail);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void Routed_experts_per_token_outside_one_to_the_experts_is_an_error_naming_the_field(int active)
    {
        // Both were sized silently: 0 as if no expert ran, 16 of 8 as if experts ran twice.
        var json = "{\"model_type\": \"mixtral\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"num_key_value_heads\": 8, "
            + "\"intermediate_size\": 14336, \"vocab_size\": 32000, \"num_local_experts\": 8, \"num_experts_per_tok\": " + active.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal("num_experts_per_tok", ex.Field);
        Assert.Equal($"config.json field 'num_experts_per_tok' ({active}) must be from 1 to the 8 routed experts (num_local_experts): each token runs at least one expert and each at most once. Correct num_experts_per_tok.", ex.Detail);
        Assert.Equal(2, HuggingFaceConfig.Parse(json.Replace($"\"num_experts_per_tok\": {active}", "\"num_experts_per_tok\": 2", StringComparison.Ordinal), "config.json").Moe!.ActiveExperts);
    }

    [Fact]
    public void A_hidden_size_that_does_not_divide_by_the_heads_is_an_error_unless_head_dim_is_given()
    {
        const string json = "{\"model_type\": \"llama\", \"hidden_size\": 4097, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"num_key_value_heads\": 8, \"intermediate_size\": 14336, \"vocab_size\": 128256}";
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal("hidden_size", ex.Field);
        Assert.Contains("'hidden_size' (4097) must be a multiple of num_attention_heads (32) when head_dim is not given: 4097 / 32 = 128.031", ex.Detail, StringComparison.Ordinal);

        var withHeadDim = HuggingFaceConfig.Parse(json.Replace("\"vocab_size\"", "\"head_dim\": 128, \"vocab_size\"", StringComparison.Ordinal), "config.json");
        Assert.Equal(128, withHeadDim.HeadDim);
    }

    [Theory]
    [InlineData("1e-300")]
    [InlineData("1e17")]
    [InlineData("9.9e17")]
    public void Chinchilla_budgets_outside_1e18_to_1e30_are_refused(string flops)
    {
        var (code, output, err, _) = CliTests.Run("chinchilla", "--flops", flops);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: --flops must be from 1e18 to 1e30 FLOPs", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Chinchilla_at_the_edges_of_its_range_gives_finite_losses()
    {
        foreach (var flops in new[] { "1e18", "1e30" })
        {
            var (code, output, err, _) = CliTests.Run("chinchilla", "--flops", flops, "--format", "json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var loss = doc.RootElement.GetProperty("optimal").GetProperty("loss").GetDouble();
            Assert.InRange(loss, 1.69, 5.0);
        }
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_with_the_nearest_names()
    {
        var mars = ScenarioError("hardware: a100-80gb\ntime_zone: Mars/Olympus\n" + App);
        Assert.Equal("time_zone", mars.Field);
        Assert.Equal(new SourceLocation("s.yaml", 2, 12), mars.Location);
        Assert.StartsWith("Unknown time zone 'Mars/Olympus'.", mars.Detail, StringComparison.Ordinal);

        var typo = ScenarioError("hardware: a100-80gb\ntime_zone: Asia/Shangai\n" + App);
        Assert.Contains("Did you mean 'Asia/Shanghai'", typo.Detail, StringComparison.Ordinal);

        var path = ScenarioError("hardware: a100-80gb\ntime_zone: ../../etc/passwd\n" + App);
        Assert.StartsWith("'../../etc/passwd' is not a time zone name.", path.Detail, StringComparison.Ordinal);

        Assert.Equal("Asia/Shanghai", ScenarioFile.Parse("hardware: a100-80gb\ntime_zone: Asia/Shanghai\n" + App, "s.yaml", CatalogFiles.Embedded).TimeZone);
    }

    [Fact]
    public void A_safetensors_index_total_size_is_the_weight_size_when_the_checkpoint_holds_the_format()
    {
        var dir = Directory.CreateTempSubdirectory("suanli-model-").FullName;
        File.Copy("data/tiny-model/config.json", Path.Combine(dir, "config.json"));
        var architecture = HuggingFaceConfig.Parse(File.ReadAllText("data/tiny-model/config.json"), "config.json");
        var counted = MemoryModel.WeightBytes(architecture, NumberFormat.Bf16).Value;
        // A bf16 checkpoint 1 MB larger than the count (buffers, rounding): its size is the weights.
        var total = (long)counted + 1_000_000;
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), $"{{\"metadata\": {{\"total_size\": {total}}}, \"weight_map\": {{}}}}");

        var (code, output, err, _) = CliTests.Run("memory", "--model", dir, "--hardware", "h100", "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(total, root.GetProperty("weightsBytes").GetInt64());
        Assert.Equal(total, root.GetProperty("layouts")[0].GetProperty("weightsBytesPerDevice").GetInt64());
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "checkpoint-size");

        // int4 weights are not what a bf16 checkpoint holds: they are counted from the architecture.
        var (code4, output4, _, _) = CliTests.Run("memory", "--model", dir, "--precision", "int4", "--format", "json");
        Assert.Equal(0, code4);
        using var doc4 = JsonDocument.Parse(output4);
        var int4 = (long)Math.Round(MemoryModel.WeightBytes(architecture, NumberFormat.Int4).Value);
        Assert.Equal(int4, doc4.RootElement.GetProperty("weightsBytes").GetInt64());
        Assert.Contains(doc4.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "checkpoint-other-format");
    }

    [Theory]
    [InlineData("error: --batch: item 2 of '1,,2' is empty; remove the extra ',' or put a value there.", "perf", "--model", "qwen2.5-7b", "--hardware", "h100", "--batch", "1,,2")]
    [InlineData("error: --batch: item 3 of '1,8,' is empty; remove the extra ',' or put a value there.", "perf", "--model", "qwen2.5-7b", "--hardware", "h100", "--batch", "1,8,")]
    [InlineData("error: --model: item 1 of ',qwen2.5-7b' is empty; remove the extra ',' or put a value there.", "optimize", "--model", ",qwen2.5-7b", "--hardware", "h100")]
    [InlineData("error: --hardware: item 2 of 'h100, ,a100' is empty; remove the extra ',' or put a value there.", "optimize", "--model", "qwen2.5-7b", "--hardware", "h100, ,a100")]
    [InlineData("error: --model is empty; give at least one value, several separated by ',', or leave --model out for its default.", "density", "--model", "")]
    [InlineData("error: --input: item 2 of '100,,200' is empty; remove the extra ',' or put a value there.", "simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--rate", "1", "--input", "empirical:100,,200", "--output", "64")]
    [InlineData("error: --self-host: item 2 of 'buy,,rent' is empty; remove the extra ',' or put a value there.", "compare", "--requests-per-month", "1e6", "--model", "qwen2.5-7b", "--hardware", "h100", "--self-host", "buy,,rent")]
    public void An_empty_list_item_is_refused_naming_the_option_and_its_position(string message, params string[] args)
    {
        // Each was read without the empty item: 1,,2 as the batches 1 and 2.
        var (code, output, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message, err.TrimEnd());
    }

    [Fact]
    public void An_empty_list_item_in_a_scenario_names_the_key_its_line_and_the_position_in_each_language()
    {
        var ex = ScenarioError("hardware: a100-80gb\n" + App + "candidates:\n  hardware: [h100, \"a100-80gb,\"]\n");
        Assert.Equal("candidates.hardware", ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 9, 13), ex.Location);
        Assert.Equal("candidates.hardware: item 2 of 'a100-80gb,' is empty; remove the extra ',' or put a value there.", ex.Detail);
        Assert.Equal("candidates.hardware：'a100-80gb,' 的第 2 项为空；请删去多余的 ','，或在该处填入一个值。",
            ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core));
    }

    [Fact]
    public void A_device_file_with_a_zero_peak_names_the_file_line_and_key()
    {
        // It was refused only where a command first used the device, as "has no arithmetic peak", with no file or line.
        var path = TempFiles.Write("devices.yaml", "devices:\n  - id: zero-gpu\n    vendor: Acme\n    name: Zero\n    category: datacenter-gpu\n    memory: 80 GB\n"
            + "    memory_bandwidth: 3 TB/s\n    peak:\n      bf16: 400 TFLOP/s\n      fp8: 0 TFLOP/s\n");
        var ex = Assert.ThrowsAny<InputException>(() => CatalogFiles.WithUserFiles([path]));
        Assert.Equal("devices[0].peak.fp8", ex.Field);
        Assert.Equal(new SourceLocation(path, 10, 12), ex.Location);
        Assert.Equal("devices[0].peak.fp8 is '0 TFLOP/s'; a peak must be greater than zero. Omit a precision the device has no fast path for.", ex.Detail);

        var (code, output, err, _) = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", "zero-gpu", "--catalog", path, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"错误：{path}:10:12: devices[0].peak.fp8 为 '0 TFLOP/s'；峰值算力必须大于零。设备没有快速路径的精度请直接省略。", err.TrimEnd());
    }

    [Fact]
    public void A_device_file_with_no_peak_names_the_device_and_where_the_peaks_go()
    {
        var path = TempFiles.Write("devices.yaml", "devices:\n  - id: no-peak\n    vendor: Acme\n    name: None\n    category: datacenter-gpu\n    memory: 80 GB\n    memory_bandwidth: 3 TB/s\n");
        var ex = Assert.ThrowsAny<InputException>(() => CatalogFiles.WithUserFiles([path]));
        Assert.Equal("devices[0].peak", ex.Field);
        Assert.Equal(path, ex.Location!.File);
        Assert.Equal(2, ex.Location.Line);
        Assert.Equal("Device 'no-peak' has no dense peak; give one or more under devices[0].peak, e.g. bf16: \"989 TFLOP/s\".", ex.Detail);
    }

    [Theory]
    [InlineData("max_position_embeddings")]
    [InlineData("n_positions")]
    public void A_config_context_of_zero_is_refused_naming_the_file_and_key_not_read_as_unknown(string key)
    {
        // No Hugging Face config in the catalog writes 0 for an unknown context: they leave the key out, which still reads as unknown.
        const string config = "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"vocab_size\": 32000";
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(config + $", \"{key}\": 0}}", "m/config.json"));
        Assert.Equal(key, ex.Field);
        Assert.Equal("m/config.json", ex.Location!.File);
        Assert.Equal($"config.json field '{key}' is 0; give the model's value (greater than zero), or leave the field out when it is unknown.", ex.Detail);
        Assert.Equal(0, HuggingFaceConfig.Parse(config + "}", "m/config.json").MaxContext);
        Assert.Equal(2048, HuggingFaceConfig.Parse(config + $", \"{key}\": 2048}}", "m/config.json").MaxContext);
    }

    [Fact]
    public void A_config_flag_that_is_not_true_or_false_is_refused_rather_than_read_as_absent()
    {
        // "tie_word_embeddings": "yes" read as absent: the model silently took its family's default (untied for llama).
        const string config = "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"vocab_size\": 32000, \"tie_word_embeddings\": \"yes\"}";
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(config, "m/config.json"));
        Assert.Equal("tie_word_embeddings", ex.Field);
        Assert.Equal("m/config.json", ex.Location!.File);
        Assert.Equal("config.json field 'tie_word_embeddings' must be true or false, got \"yes\".", ex.Detail);
        Assert.Equal("config.json 字段 'tie_word_embeddings' 必须为 true 或 false，实际为 \"yes\"。", ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core));
    }

    [Fact]
    public void A_density_session_that_misses_both_targets_says_which_two_in_each_language()
    {
        // It read "misses the targets target (10 tokens/s)" when the capacity search could not tell which target failed.
        string[] args = ["density", "--model", "llama-3.1-8b", "--server", "dgx-h100", "--ttft-p90", "0.01", "--input", "30000", "--context", "32k", "--format", "json"];
        var (code, output, err, _) = CliTests.Run(args);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("one session's 30000-token prompt misses the first-token target of 0.01 s or the floor of 10 tokens/s even alone",
            doc.RootElement.GetProperty("rows")[0].GetProperty("note").GetString());
        var (_, zh, _, _) = CliTests.Run([.. args[..^1], "markdown", "--lang", "zh"]);
        Assert.Contains("| 即使只有一个会话，其 30000 词元的提示也达不到 0.01 秒内给出首个词元的目标或 10 词元/秒的下限 |", zh, StringComparison.Ordinal);
    }
}
