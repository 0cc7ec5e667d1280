using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A config.json whose fields are each in range but together describe an impossible model (2,147,483,647 layers of
/// width 65,536) is refused where it is read, naming the file and num_hidden_layers, rather than overflowing the byte
/// counts of the memory report (exit 70, "a defect").
/// </summary>
public class HostileConfigTests
{
    private const string Config = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 65536, "intermediate_size": 1000000000,
         "num_attention_heads": 64, "num_hidden_layers": 2147483647, "num_key_value_heads": 64, "vocab_size": 2147483647,
         "max_position_embeddings": 4096, "torch_dtype": "bfloat16"}
        """;

    [Theory]
    [InlineData("en", "error: ", "config.json describes a model of 422249358920.46T ", "parameters (2,147,483,647 layers of width 65,536), more than the 20T Suanli sizes (ten times the largest published model). Check num_hidden_layers, hidden_size, intermediate_size and vocab_size.")]
    [InlineData("zh", "错误：", "config.json 描述的模型有 422249358920.46T ", "参数（2,147,483,647 层，宽度 65,536），超过 Suanli 可估算的 20T（已发布最大模型的十倍）。请检查 num_hidden_layers、hidden_size、intermediate_size 和 vocab_size。")]
    public void A_config_past_the_largest_model_is_refused_at_num_hidden_layers_not_a_defect(string lang, string prefix, string start, string end)
    {
        var folder = Directory.CreateTempSubdirectory("suanli-hostile-");
        try
        {
            var path = Path.Combine(folder.FullName, "config.json");
            File.WriteAllText(path, Config);
            var (code, output, err, _) = CliTests.Run("memory", "--model", path, "--lang", lang);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            // The place is the num_hidden_layers key (line 2, column 29); the size counts every layer's weights and the embeddings.
            Assert.Equal(prefix + path + ":2:29: " + start + end, err.TrimEnd());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
