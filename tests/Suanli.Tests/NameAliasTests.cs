using Suanli.Catalog;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The names a planner is asked about in December 2026 (issue 14's list), as users type them: each resolves to one
/// catalog entry, and a family name that begins several entries' ids is refused with every member listed.
/// </summary>
public class NameAliasTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Theory]
    [InlineData("deepseek-v3.2", "deepseek-v3.2-exp")]
    [InlineData("deepseek-r1", "deepseek-r1")]
    [InlineData("glm-4.6", "glm-4.6")]
    [InlineData("glm-5", "glm-5")]
    [InlineData("kimi-k2", "kimi-k2")]
    [InlineData("kimi-k2.5", "kimi-k2.5")]
    [InlineData("qwen3.5", "qwen3.5-397b-a17b")]
    [InlineData("qwen3-next", "qwen3-next-80b-a3b")]
    [InlineData("minimax-m2", "minimax-m2")]
    [InlineData("ernie-4.5", "ernie-4.5-300b-a47b")]
    [InlineData("gpt-oss-120b", "gpt-oss-120b")]
    [InlineData("llama-4-maverick", "llama-4-maverick")]
    [InlineData("gemma-3-27b", "gemma-3-27b")]
    [InlineData("phi-4", "phi-4")]
    [InlineData("mistral-small-3", "mistral-small-3.1")]
    public void Model_names_of_the_issue_list_resolve(string name, string id) =>
        Assert.Equal(id, Catalog.Model(name).Id);

    [Theory]
    [InlineData("910c", "huawei-ascend-910c")]
    [InlineData("910b", "huawei-ascend-910b")]
    [InlineData("h20", "nvidia-h20-96gb")]
    [InlineData("h800", "nvidia-h800-sxm5-80gb")]
    [InlineData("b300", "nvidia-b300-sxm")]
    [InlineData("gb300", "nvidia-gb300-per-gpu")]
    [InlineData("mi355x", "amd-mi355x")]
    [InlineData("p800", "kunlunxin-p800")]
    [InlineData("mlu590", "cambricon-mlu590")]
    [InlineData("tpu-v7", "google-tpu-7x")]
    [InlineData("trn2", "aws-trainium2")]
    [InlineData("gaudi3", "intel-gaudi3")]
    [InlineData("xeon-6980p", "intel-xeon-6980p-gnr")]
    public void Device_names_of_the_issue_list_resolve(string name, string id) =>
        DeviceNameChecks.AssertResolves(Catalog, name, id);

    [Theory]
    [InlineData("gemma-4")]
    [InlineData("Gemma 4")]
    [InlineData("GEMMA_4")]
    public void A_family_name_is_refused_with_every_member_listed(string name)
    {
        // 'Gemma 4' was offered 'gemma-3n', 'gemma3-4b' and 'gemma3:4b': the nearest strings, none of them a Gemma 4.
        string[] gemma4 = ["gemma-4-31b", "gemma-4-12b", "gemma-4-e2b", "gemma-4-e4b", "gemma-4-26b-a4b"];
        var ex = Assert.Throws<UnknownNameException>(() => Catalog.Model(name));
        Assert.Equal(gemma4, ex.Suggestions);
        Assert.Equal($"'{name}' names 5 model entries, not one: 'gemma-4-31b', 'gemma-4-12b', 'gemma-4-e2b', 'gemma-4-e4b', 'gemma-4-26b-a4b'. Give one of them; 'suanli catalog' lists them all.", ex.Message);
    }

    [Fact]
    public void Llama_4_lists_scout_and_maverick_and_a_one_member_prefix_keeps_the_nearest_names()
    {
        Assert.Equal(["llama-4-scout", "llama-4-maverick"], Assert.Throws<UnknownNameException>(() => Catalog.Model("llama-4")).Suggestions);
        // One id begins with 'seed-': not a family, so the nearest-name suggestions stand ('nemotron' was such a prefix
        // until Nemotron Nano 2 and Nemotron 3 Nano joined Nemotron-4 in the twenty-third pass, and Nemotron 3 Super in the
        // twenty-eighth, Nemotron 3 Ultra in the pass that added Mistral Large 3, and Nemotron 3.5 Lightning since; it now
        // lists the six).
        var one = Assert.Throws<UnknownNameException>(() => Catalog.Model("seed"));
        Assert.Contains("Did you mean", one.Message, StringComparison.Ordinal);
        Assert.Equal(["nemotron-4-340b", "nemotron-nano-9b-v2", "nemotron-3-nano-30b-a3b", "nemotron-3-super-120b-a12b", "nemotron-3-ultra-550b-a55b", "nemotron-3.5-lightning-30b-a3b"], Assert.Throws<UnknownNameException>(() => Catalog.Model("nemotron")).Suggestions);
        Assert.Empty(Catalog.ModelFamily("   "));
    }

    [Fact]
    public void A_family_name_is_refused_in_chinese_with_its_members()
    {
        var (code, output, err, _) = CliTests.Run("memory", "--model", "llama-4", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("错误：--model：'llama-4' 对应 2 个模型条目，而不是一个：'llama-4-scout'、'llama-4-maverick'。请给出其中一个；'suanli catalog' 可列出全部。", err.Trim());
    }
}
