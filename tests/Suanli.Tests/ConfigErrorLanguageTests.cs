using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The refusals of a user's config.json are phrases: the English sentence stays as it was, and with the language zh the
/// reader gets the Chinese one with the field names and values verbatim (they were English-only sentences).
/// </summary>
public sealed class ConfigErrorLanguageTests
{
    private const string Llama = "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 32";

    private static InputException Refusal(string json) => Assert.ThrowsAny<InputException>(() => HuggingFaceConfig.Parse(json, "m/config.json"));

    [Fact]
    public void A_missing_field_and_its_aliases_are_named_in_chinese()
    {
        var ex = Refusal(Llama + "}");
        Assert.Equal("vocab_size", ex.Field);
        Assert.Equal("config.json has no 'vocab_size' (nor padded_vocab_size); it is needed to size the model.", ex.Detail);
        Assert.Equal("config.json 中没有 'vocab_size'（也没有 padded_vocab_size）；估算模型大小需要它。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void Experts_per_token_beyond_the_routed_experts_are_refused_in_chinese_with_both_counts()
    {
        var ex = Refusal(Llama + ", \"vocab_size\": 32000, \"num_local_experts\": 8, \"num_experts_per_tok\": 9}");
        Assert.Equal("num_experts_per_tok", ex.Field);
        Assert.Equal("config.json field 'num_experts_per_tok' (9) must be from 1 to the 8 routed experts (num_local_experts): each token runs at least one expert and each at most once. Correct num_experts_per_tok.", ex.Detail);
        Assert.Equal("config.json 字段 'num_experts_per_tok'（9）必须在 1 到 8 个路由专家（num_local_experts）之间：每个词元至少运行一个专家，每个专家至多运行一次。请更正 num_experts_per_tok。",
            ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void An_unknown_layer_kind_is_refused_in_chinese_with_the_kind_verbatim()
    {
        var kinds = string.Join(", ", Enumerable.Repeat("\"full_attention\"", 31).Append("\"mamba\""));
        var ex = Refusal(Llama + ", \"vocab_size\": 32000, \"layer_types\": [" + kinds + "]}");
        Assert.Equal("layer_types", ex.Field);
        Assert.Equal("config.json field 'layer_types' has layer kind 'mamba', which Suanli cannot model; known kinds are full_attention, sliding_attention, linear_attention and deepseek_sparse_attention (with index_topk).", ex.Detail);
        Assert.Equal("config.json 字段 'layer_types' 含有层类型 'mamba'，Suanli 无法建模；已知的类型为 full_attention、sliding_attention、linear_attention 和 deepseek_sparse_attention（需有 index_topk）。",
            ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void An_unmodelled_scheme_is_described_in_chinese_inside_the_chinese_refusal()
    {
        var ex = Refusal(Llama + ", \"vocab_size\": 32000, \"routed_expert_hidden_size\": 1024}");
        Assert.Equal("routed_expert_hidden_size", ex.Field);
        Assert.StartsWith("config.json field 'routed_expert_hidden_size' describes routed experts working in a latent width different from hidden_size (Kimi K3), which Suanli cannot model;", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("config.json 字段 'routed_expert_hidden_size' 描述了在不同于 hidden_size 的潜在宽度中运行的路由专家（Kimi K3），Suanli 无法建模；按普通 Transformer 估算会错估其权重或 KV 缓存。请移除该模型，或以受支持的架构描述它。",
            ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_command_line_shows_a_config_refusal_in_the_language_asked_for()
    {
        // 32 query heads cannot be shared out among 5 KV heads; with --lang zh the whole error line reads in Chinese.
        var path = TempFiles.Write("config.json", Llama + ", \"vocab_size\": 32000, \"num_key_value_heads\": 5}");
        var (code, _, en, _) = CliTests.Run("memory", "--model", path);
        Assert.Equal(2, code);
        Assert.Contains("num_key_value_heads (5) must divide num_attention_heads (32).", en, StringComparison.Ordinal);
        var (zhCode, _, zh, _) = CliTests.Run("memory", "--model", path, "--lang", "zh");
        Assert.Equal(2, zhCode);
        Assert.Contains("num_key_value_heads（5）必须整除 num_attention_heads（32）。", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("must divide", zh, StringComparison.Ordinal);
    }
}
