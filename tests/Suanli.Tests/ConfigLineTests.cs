using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A refusal of a config.json names the line and column of the field at fault (the key, or the list item), as a YAML
/// file's refusals do: the parsed document keeps no positions, so the reader maps them from the text when it refuses.
/// </summary>
public sealed class ConfigLineTests
{
    // Line 9, column 3 holds "max_position_embeddings" (two spaces of indent).
    private const string BadContext = """
        {
          "model_type": "llama",
          "hidden_size": 4096,
          "num_hidden_layers": 32,
          "num_attention_heads": 32,
          "num_key_value_heads": 8,
          "intermediate_size": 14336,
          "vocab_size": 128256,
          "max_position_embeddings": "lots",
          "tie_word_embeddings": false
        }
        """;

    private static InputException Refusal(string json) => Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "m/config.json"));

    // A user catalog folder: models.yaml naming the model folder "bad", which holds the config.
    private static string UserCatalog(string config)
    {
        var models = TempFiles.Write("models.yaml", "models:\n  - id: bad-model\n    folder: bad\n");
        var folder = Path.GetDirectoryName(models)!;
        Directory.CreateDirectory(Path.Combine(folder, "bad"));
        File.WriteAllText(Path.Combine(folder, "bad", "config.json"), config);
        return folder;
    }

    [Fact]
    public void A_bad_field_of_a_user_catalog_model_is_refused_at_its_line_in_english_and_chinese()
    {
        var folder = UserCatalog(BadContext);
        var ex = Assert.ThrowsAny<InputException>(() => CatalogFiles.WithUserFiles([folder]));
        // Named where the user's file is, not under the embedded catalog's catalog/models/.
        Assert.Equal(new SourceLocation(Path.Combine(folder, "bad", "config.json"), 9, 3), ex.Location);
        Assert.Equal("max_position_embeddings", ex.Field);
        Assert.Equal("config.json field 'max_position_embeddings' must be a whole number of 0 or more, got \"lots\".", ex.Detail);
        Assert.Equal("config.json 字段 'max_position_embeddings' 必须是不小于 0 的整数，实际为 \"lots\"。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_command_line_shows_the_file_line_and_field_of_a_bad_catalog_config_in_both_languages()
    {
        var folder = UserCatalog(BadContext);
        var at = Path.Combine(folder, "bad", "config.json") + ":9:3: ";
        var (code, output, en, _) = CliTests.Run("catalog", "models", "--catalog", folder);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {at}config.json field 'max_position_embeddings' must be a whole number of 0 or more, got \"lots\".", en.Trim());
        var (zhCode, _, zh, _) = CliTests.Run("catalog", "models", "--catalog", folder, "--lang", "zh");
        Assert.Equal(2, zhCode);
        Assert.Equal($"错误：{at}config.json 字段 'max_position_embeddings' 必须是不小于 0 的整数，实际为 \"lots\"。", zh.Trim());
    }

    [Fact]
    public void The_broken_config_example_is_refused_at_its_line_in_chinese_too()
    {
        // examples/errors/bad-config: 5 KV heads cannot share out Qwen2.5-7B's 28 query heads (line 6). docs/cli.md shows the English.
        var folder = Path.Combine(PlanTests.RepoRoot(), "examples", "errors", "bad-config");
        var (code, _, zh, _) = CliTests.Run("memory", "--model", folder, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Equal($"错误：{Path.Combine(folder, "config.json")}:6:3: num_key_value_heads（5）必须整除 num_attention_heads（28）。", zh.Trim());
    }

    [Fact]
    public void A_field_under_text_config_is_placed_at_its_own_line()
    {
        const string json = "{\n  \"text_config\": {\n    \"hidden_size\": 4096,\n    \"num_hidden_layers\": 32,\n    \"num_attention_heads\": 0,\n    \"vocab_size\": 1000\n  }\n}";
        var ex = Refusal(json);
        Assert.Equal("num_attention_heads", ex.Field);
        Assert.Equal(new SourceLocation("m/config.json", 5, 5), ex.Location);
    }

    [Fact]
    public void A_missing_field_is_placed_at_the_object_that_lacks_it()
    {
        var root = Refusal("{\n  \"hidden_size\": 4096,\n  \"num_hidden_layers\": 32,\n  \"num_attention_heads\": 32\n}");
        Assert.Equal("vocab_size", root.Field);
        Assert.Equal(new SourceLocation("m/config.json", 1, 1), root.Location);
        var nested = Refusal("{\n  \"model_type\": \"x\",\n  \"text_config\": {\n    \"hidden_size\": 4096,\n    \"num_hidden_layers\": 32,\n    \"num_attention_heads\": 32\n  }\n}");
        Assert.Equal("vocab_size", nested.Field);
        Assert.Equal(new SourceLocation("m/config.json", 3, 3), nested.Location);
    }

    [Fact]
    public void A_list_item_is_placed_at_its_own_line()
    {
        const string json = "{\n  \"hidden_size\": 4096,\n  \"num_hidden_layers\": 3,\n  \"num_attention_heads\": 32,\n  \"vocab_size\": 1000,\n  \"layer_types\": [\n    \"full_attention\",\n    \"full_attention\",\n    \"mamba\"\n  ]\n}";
        var ex = Refusal(json);
        Assert.Equal("layer_types", ex.Field);
        Assert.Equal(new SourceLocation("m/config.json", 9, 5), ex.Location);
    }

    [Fact]
    public void A_field_of_a_nested_settings_object_is_placed_at_its_own_line()
    {
        // A RoPE scaling factor below 1 (transformers' rule), on line 7 inside rope_scaling.
        const string json = "{\n  \"hidden_size\": 4096,\n  \"num_hidden_layers\": 32,\n  \"num_attention_heads\": 32,\n  \"vocab_size\": 1000,\n  \"rope_scaling\": {\n    \"factor\": 0.5,\n    \"rope_type\": \"linear\"\n  }\n}";
        var ex = Refusal(json);
        Assert.Equal("rope_scaling.factor", ex.Field);
        Assert.Equal(new SourceLocation("m/config.json", 7, 5), ex.Location);
    }

    [Fact]
    public void A_value_read_under_an_alias_is_placed_at_the_alias()
    {
        // GPT-2 spells the KV heads n_head_kv here; the refusal names the logical field and points at the key the file holds.
        const string json = "{\n  \"n_embd\": 4096,\n  \"n_layer\": 32,\n  \"n_head\": 32,\n  \"n_head_kv\": 0,\n  \"vocab_size\": 1000\n}";
        var ex = Refusal(json);
        Assert.Equal("num_key_value_heads", ex.Field);
        Assert.Equal(new SourceLocation("m/config.json", 5, 3), ex.Location);
    }

    [Fact]
    public void A_field_of_an_encoder_tower_is_placed_in_the_tower()
    {
        const string json = "{\n  \"hidden_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"vocab_size\": 100,\n  \"vision_config\": {\n    \"hidden_size\": 0,\n    \"num_hidden_layers\": 2\n  }\n}";
        var ex = Refusal(json);
        Assert.Equal("vision_config.hidden_size", ex.Field);
        Assert.Equal(new SourceLocation("m/config.json", 4, 5), ex.Location);
    }
}
