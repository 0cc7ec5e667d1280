using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Meta's Muse Glimmer 30B (a dense text model of 52 layers with a per-head attention output gate and three windowed layers
/// to one full layer; config reconstructed from an engine's test config shaped like the hub's) against hand counts: the text
/// model's 27.85B, the gate's 1.42B, the 1.92B vision tower with its adapter that brings the count to the hub's 29.78B, the
/// refusals of a vision tower it cannot size, and the KV cache of its 13 full and 39 windowed layers.
/// </summary>
public sealed class MuseGlimmerTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private const double H = 6656;
    // q and o 6656 x (32 x 128) each, k and v 6656 x (2 x 128) each.
    private const double Attention = 2 * H * 4096 + 2 * H * 256;
    // The output gate: gate_proj 6656 x (32 x 128), one gate per value channel of every head.
    private const double Gate = H * 4096;
    // Gated SiLU MLP: gate, up and down 6656 x 19,968.
    private const double Mlp = 3 * H * 19_968;
    // Untied 202,048 x 6656 embedding and head.
    private const double Table = 202_048 * H;

    [Fact]
    public void Muse_glimmer_reads_52_layers_39_of_them_windowed_at_2048_with_a_gated_attention_output()
    {
        var m = Catalog.Model("muse-glimmer");
        var a = m.Architecture;
        Assert.Equal((52, 6656, 32, 2, 128, 202_048), (a.Layers, a.HiddenSize, a.Heads, a.KvHeads, a.HeadDim, a.VocabSize));
        Assert.True(a.Extras.AttentionOutputGate);
        Assert.False(a.TiedEmbeddings);
        Assert.Equal((2048, 39), (a.Window!.Length, a.Window.Layers));
        Assert.Equal((131_072, "bf16", "Apache-2.0"), (m.ContextLength, m.DefaultPrecision, m.Licence));
        Assert.Same(m, Catalog.Model("meta-models/Muse-Glimmer-30B"));
        Assert.Same(m, Catalog.Model("meta/muse-glimmer-30b"));
    }

    // The vision tower: 50 layers of 1536 with q, k, v and output projections and a plain GELU MLP of 8960.
    private const double V = 1536;
    private const double VisionBlocks = 50 * (4 * V * V + 2 * V * 8960);
    // Patches of 3 channels x 2 frames x 14 x 14, a 32 x 32 position table, and the adapter after the 2 x 2 merge:
    // fc1 6144 -> 4096, fc2 4096 -> 4096, the projection 4096 -> 6656.
    private const double VisionEdges = 3 * 2 * 14 * 14 * V + 32 * 32 * V + 6144 * 4096 + 4096 * 4096 + 4096 * H;

    [Fact]
    public void The_text_model_counts_27_85_billion_and_the_vision_tower_brings_it_to_the_hubs_29_78()
    {
        var m = Catalog.Model("muse-glimmer");
        var a = m.Architecture;
        var p = ParameterCount.Of(a);
        Assert.Equal(85_196_800.0, Attention + Gate);
        Assert.Equal(398_721_024.0, Mlp);
        // 52 x (attention + gate + MLP + 2 norms), embedding, head and the final norm.
        const double text = 52 * (Attention + Gate + Mlp + 2 * H) + 2 * Table + H;
        Assert.Equal(27_854_088_704.0, text);
        Assert.Equal(text, p.Text(a), 1);
        // Without the gate it would count 26.44B: the gate is 5.1% of the text model.
        Assert.InRange((text - 52 * Gate) / 1e9, 26.43, 26.44);
        // The tower: 1.85B of blocks (the '~1.8B' encoder of the launch pages) and 72.3M of patch embedding, positions and adapter.
        Assert.Equal(1_848_115_200.0, VisionBlocks);
        Assert.Equal(72_585_216.0, VisionEdges);
        var tower = Assert.Single(a.Towers);
        Assert.Equal(("vision", VisionBlocks + VisionEdges), (tower.Kind, tower.Parameters));
        Assert.Equal(29_774_789_120.0, p.Total(a), 1);
        // The hub's safetensors count, 29,776,626,688, is met to 1.8M (the tower's biases and norms, which Suanli leaves out).
        Assert.Equal(29_776_626_688.0, m.PublishedParameters);
        Assert.InRange(m.PublishedParameters!.Value - p.Total(a), 1.0e6, 2.0e6);
        Assert.Null(m.ParameterCheckException);
        // Text decode does not run the tower.
        var textOnly = a with { Extras = a.Extras with { Towers = [] } };
        Assert.Equal(p.Active(a), ParameterCount.Of(textOnly).Active(textOnly), 1);
    }

    [Fact]
    public void Muse_glimmers_quality_figures_are_the_cards_swe_bench_verified_and_gpqa_diamond()
    {
        var m = Catalog.Model("muse-glimmer");
        Assert.Equal(76.0, m.Benchmarks.Single(b => b.Name == "SWE-bench Verified").Score);
        Assert.Equal(83.5, m.Benchmarks.Single(b => b.Name == "GPQA-Diamond").Score);
    }

    private const string Wrapper = "{\"model_type\":\"muse_glimmer\",\"out_hidden_size\":6144,\"projector_hidden_size\":4096,"
        + "\"text_config\":{\"model_type\":\"muse_glimmer_text\",\"hidden_size\":6656,\"intermediate_size\":19968,\"num_hidden_layers\":4,"
        + "\"num_attention_heads\":32,\"num_key_value_heads\":2,\"head_dim\":128,\"vocab_size\":202048,\"max_position_embeddings\":131072},"
        + "\"vision_config\":{\"model_type\":\"muse_glimmer_vision\",\"hidden_size\":1536,\"intermediate_size\":8960,\"num_hidden_layers\":50,"
        + "\"num_attention_heads\":16,\"patch_size\":14,\"patch_temporal\":2,\"merge_size\":2,\"pos_emb_height\":32,\"pos_emb_width\":32}}";

    [Fact]
    public void The_test_wrapper_reads_the_catalogs_tower()
    {
        var tower = Assert.Single(HuggingFaceConfig.Parse(Wrapper, "config.json").Towers);
        Assert.Equal(VisionBlocks + VisionEdges, tower.Parameters);
    }

    [Theory]
    // The adapter must read the merged token, 1536 x 2 x 2 wide.
    [InlineData("\"out_hidden_size\":6144", "\"out_hidden_size\":4096", "out_hidden_size")]
    // The patch embedding's frames, the position table and the merge are sized, so each must be given.
    [InlineData("\"patch_temporal\":2,", "", "patch_temporal")]
    [InlineData("\"merge_size\":2", "\"merge_size\":0", "vision_config.merge_size")]
    public void A_muse_glimmer_vision_tower_suanli_cannot_size_is_refused_naming_its_field(string field, string replacement, string named)
    {
        var json = Wrapper.Replace(field, replacement, StringComparison.Ordinal);
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal(named, ex.Field);
        Assert.Contains($"'{named}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_keeps_1_kib_of_bf16_keys_and_values_on_each_of_the_52_layers()
    {
        var a = Catalog.Model("muse-glimmer").Architecture;
        // 52 layers x 2 (K and V) x 2 KV heads x 128 x 2 bytes = 53,248 bytes a token; the 39 windowed layers stop growing at 2048.
        Assert.Equal(52 * 2 * 2 * 128 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }
}
