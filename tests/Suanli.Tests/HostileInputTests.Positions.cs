using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>Position fields of a user's config.json (RoPE, the sliding window) and a server's height: absurd values are refused at their field.</summary>
public partial class HostileInputTests
{
    private const string Llama = "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"vocab_size\": 32000, \"max_position_embeddings\": 131072";

    [Fact]
    public void A_sliding_window_of_zero_is_refused_rather_than_read_as_no_window()
    {
        // transformers' mask keeps kv_idx > q_idx - sliding_window: with 0 no token attends to any. It was read as "no window".
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(Llama + ", \"sliding_window\": 0}", "m/config.json"));
        Assert.Equal("sliding_window", ex.Field);
        Assert.Equal("m/config.json", ex.Location!.File);
        Assert.Equal("config.json field 'sliding_window' is 0: a window of 0 tokens lets no token attend to any other, itself included (transformers keeps the last sliding_window positions). "
            + "Give the window length in tokens, or null (or leave the field out) for no window.", ex.Detail);
        Assert.StartsWith("config.json 字段 'sliding_window' 为 0：", ex.Text!.Render(Languages.Chinese, FieldNames.Core), StringComparison.Ordinal);

        // No window is said by null or by leaving the field out; a window that use_sliding_window turns off is not read.
        Assert.Null(HuggingFaceConfig.Parse(Llama + ", \"sliding_window\": null}", "m/config.json").Window);
        Assert.Null(HuggingFaceConfig.Parse(Llama + "}", "m/config.json").Window);
        Assert.Null(HuggingFaceConfig.Parse(Llama + ", \"sliding_window\": 0, \"use_sliding_window\": false}", "m/config.json").Window);
        Assert.Equal(4096, HuggingFaceConfig.Parse(Llama + ", \"sliding_window\": 4096}", "m/config.json").Window!.Length);
    }

    [Theory]
    // None of these was read: Suanli sizes nothing from RoPE, so a factor of -8 passed as a plausible model.
    [InlineData("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": -8.0}", "rope_scaling.factor", "-8.0",
        "a RoPE scaling factor is a number of at least 1 (the rule of transformers' RoPE validation), e.g. 8.0. Give the model's published value, or remove the scaling.")]
    [InlineData("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 0}", "rope_scaling.factor", "0",
        "a RoPE scaling factor is a number of at least 1 (the rule of transformers' RoPE validation), e.g. 8.0. Give the model's published value, or remove the scaling.")]
    [InlineData("\"rope_scaling\": {\"type\": \"yarn\", \"factor\": \"NaN\"}", "rope_scaling.factor", "\"NaN\"",
        "a RoPE scaling factor is a number of at least 1 (the rule of transformers' RoPE validation), e.g. 8.0. Give the model's published value, or remove the scaling.")]
    [InlineData("\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 40, \"beta_fast\": -32}", "rope_scaling.beta_fast", "-32",
        "it must be a number greater than zero. Give the model's published value, or leave the field out.")]
    [InlineData("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"original_max_position_embeddings\": 0}", "rope_scaling.original_max_position_embeddings", "0",
        "it must be a number greater than zero. Give the model's published value, or leave the field out.")]
    [InlineData("\"rope_theta\": -10000.0", "rope_theta", "-10000.0",
        "it must be a number greater than zero. Give the model's published value, or leave the field out.")]
    [InlineData("\"partial_rotary_factor\": 1.5", "partial_rotary_factor", "1.5",
        "it is the fraction of each head that is rotated, more than 0 and at most 1, e.g. 0.5. Give the model's published value, or leave the field out.")]
    [InlineData("\"rope_parameters\": {\"full_attention\": {\"rope_type\": \"proportional\", \"rope_theta\": 0}, \"sliding_attention\": {\"rope_theta\": 10000.0}}",
        "rope_parameters.full_attention.rope_theta", "0", "it must be a number greater than zero. Give the model's published value, or leave the field out.")]
    public void An_absurd_rope_field_is_refused_naming_its_path(string field, string path, string shown, string rule)
    {
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(Llama + ", " + field + "}", "m/config.json"));
        Assert.Equal(path, ex.Field);
        Assert.Equal("m/config.json", ex.Location!.File);
        Assert.Equal($"config.json field '{path}' is {shown}; {rule}", ex.Detail);
    }

    [Fact]
    public void Rope_settings_that_are_not_an_object_are_refused_in_each_language()
    {
        var ex = Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(Llama + ", \"rope_scaling\": 8}", "m/config.json"));
        Assert.Equal("config.json field 'rope_scaling' must be an object of RoPE settings or null, got 8.", ex.Detail);
        Assert.Equal("config.json 字段 'rope_scaling' 必须为 RoPE 设置对象或 null，实际为 8。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_catalogs_published_rope_settings_all_pass_including_equal_llama_4_frequency_factors()
    {
        // Llama 4 Scout publishes low_freq_factor = high_freq_factor = 1.0 and DeepSeek integer factors (40): both are read.
        Assert.NotNull(HuggingFaceConfig.Parse(Llama + ", \"rope_scaling\": {\"factor\": 16.0, \"high_freq_factor\": 1.0, \"low_freq_factor\": 1.0, \"original_max_position_embeddings\": 8192, \"rope_type\": \"llama3\"}}", "m/config.json"));
        Assert.NotNull(HuggingFaceConfig.Parse(Llama + ", \"rope_scaling\": {\"beta_fast\": 32, \"beta_slow\": 1, \"factor\": 40, \"mscale\": 1.0, \"type\": \"yarn\"}}", "m/config.json"));
        Assert.Contains(CatalogFiles.Embedded.Models, m => m.Id == "llama-4-scout");
    }

    [Theory]
    // One sentence covered both and was placed at rack.power: a height_u of 100,000 was reported at the power's key.
    [InlineData("rack: {height_u: 100000}\n", "rack.height_u", 18, "rack.height_u must be from 1 to 60 rack units, got 100,000; the industry-standard rack is 42U.",
        "rack.height_u 必须为 1 至 60 个机架单位，实际为 100,000；行业标准机架为 42U。")]
    [InlineData("rack: {power: 0 kW}\n", "rack.power", 15, "rack.power must be above zero; give the IT power one rack may draw, e.g. 12.5 kW.",
        "rack.power 必须大于零；请给出一个机架可用的 IT 功率，例如 12.5 kW。")]
    public void A_scenario_rack_out_of_range_is_named_at_the_key_that_is_wrong(string rack, string field, int column, string detail, string zh)
    {
        var ex = ScenarioError(rack + "hardware: h100\n" + App);
        Assert.Equal(field, ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 1, column), ex.Location);
        Assert.Equal(detail, ex.Detail);
        Assert.Equal(zh, ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void A_server_too_tall_for_any_rack_is_refused_in_chinese_too()
    {
        var path = TempFiles.Write("servers.yaml", "servers:\n  - id: s1\n    name: S\n    device: h100\n    devices_per_node: 8\n    power: 10 kW\n    height_u: 100000\n");
        var (code, output, err, _) = CliTests.Run("density", "--server", "s1", "--model", "llama-3.1-8b", "--catalog", path, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"错误：{path}:7:15: 服务器 's1' 的 servers[0].height_u 为 100000；一个节点高 1 至 960 个机架单位（16 个 60U 机架；目录中最高的 CloudMatrix 384 跨 16 个机架，共 672U）。请以机架单位给出一个节点的高度（1U = 44.45 毫米）。", err.TrimEnd());
        // The catalog's own tallest node, 672U over 16 racks, stays within the bound.
        Assert.Equal(672, CatalogFiles.Embedded.Servers.Max(s => s.HeightU));
    }
}
