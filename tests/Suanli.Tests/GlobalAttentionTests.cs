using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Gemma 4's full-attention layers with their own widths (global_head_dim, num_global_key_value_heads, attention_k_eq_v)
/// beside its sliding-window layers, against a hand computation from gemma-4-31B-it's config (docs/methodology.md,
/// "Architecture features").
/// </summary>
public sealed class GlobalAttentionTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Gemma_4_31b_full_layers_cache_4_kv_heads_of_512_and_windowed_layers_16_of_256_within_1024_tokens()
    {
        var m = Catalog.Model("gemma-4-31b");
        var a = m.Architecture;
        Assert.Equal(new GlobalAttention(512, 4, true), a.Global);
        Assert.Equal((60, 10, 1024), (a.SoftmaxLayers, a.FullAttentionLayers, a.Window!.Length));
        Assert.Equal(4, a.NormsPerLayer);

        // Text weights by hand: the tied embedding 262,144 x 5376; 50 windowed layers of q 5376 x 8192, k and v 5376 x 4096, o;
        // 10 full layers of q 5376 x 16,384, k 5376 x 2048 (no v_proj), o; 60 GeGLU MLPs of 21,504; four norms a layer and
        // the final norm: 30,697,309,440, the card's '30.7B'.
        const double h = 5376;
        var text = 262_144 * h + 50 * (h * 8192 + 2 * h * 4096 + 8192 * h) + 10 * (h * 16_384 + h * 2048 + 16_384 * h)
            + 60 * 3 * h * 21_504 + 60 * 4 * h + h;
        Assert.Equal(30_697_309_440.0, text);
        var p = ParameterCount.Of(a);
        Assert.Equal(text, p.Text(a), 1);
        // The vision encoder (27 layers of 1152 with a gated MLP of 4304, 16 x 16 patches, a 1152 x 5376 projection): 552.0M.
        Assert.Equal(27 * (4 * 1152.0 * 1152 + 3 * 1152.0 * 4304) + 3 * 16 * 16 * 1152.0 + 1152.0 * 5376, p.Total(a) - p.Text(a), 1);

        // KV per token: windowed layers 2 x 16 x 256 x 2 B, full layers 2 x 4 x 512 x 2 B (keys and values cached apart).
        Assert.Equal(50 * 16_384.0 + 10 * 8_192.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        // A 262,144-token sequence: the windowed layers hold 1,024 tokens, the full layers all of them.
        Assert.Equal(50 * 16_384.0 * 1024 + 10 * 8_192.0 * 262_144, MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 262_144).Value, 1);

        // Decode at 100,000 tokens: the windowed layers read 1,024 entries of 16,384 B, the full layers 100,000 of 8,192 B,
        // each writes the new token's; attention costs 4 x 32 x 256 FLOP per attended entry on the windowed layers and
        // 4 x 32 x 512 on the full ones.
        const double ctx = 100_000;
        var deployment = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(a, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        var step = new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, ctx)).Single(o => o.Kind == OperatorKind.Attention);
        Assert.Equal(50 * 16_384.0 * (1024 + 1) + 10 * 8_192.0 * (ctx + 1), step.KvBytes.Value, 1e-3);
        Assert.Equal(4.0 * 32 * 256 * 50 * 1024 + 4.0 * 32 * 512 * 10 * ctx, step.Flop.Value, 1);
    }

    [Fact]
    public void Gemma_4_12b_full_layers_cache_one_kv_head_of_512_and_its_text_weights_count_11_91_billion()
    {
        var a = Catalog.Model("google/gemma-4-12B-it").Architecture;
        Assert.Equal(new GlobalAttention(512, 1, true), a.Global);
        Assert.Equal((48, 8, 1024, 8), (a.SoftmaxLayers, a.FullAttentionLayers, a.Window!.Length, a.KvHeads));
        Assert.Null(a.Moe);

        // By hand: the tied embedding 262,144 x 3840; 40 windowed layers of q 3840 x 4096, k and v 3840 x 2048, o; 8 full
        // layers of q 3840 x 8192, k 3840 x 512 (no v_proj), o; 48 GeGLU MLPs of 15,360; four norms a layer and the final
        // norm: 11,907,321,600, 52M under the 11,959,730,224 a reading of the checkpoint's header sums (its vision embedder
        // and audio projection are not counted).
        const double h = 3840;
        var text = 262_144 * h + 40 * (h * 4096 + 2 * h * 2048 + 4096 * h) + 8 * (h * 8192 + h * 512 + 8192 * h)
            + 48 * 3 * h * 15_360 + 48 * 4 * h + h;
        Assert.Equal(11_907_321_600.0, text);
        Assert.Equal(text, ParameterCount.Of(a).Text(a), 1);
        // KV per token in BF16: windowed layers 2 x 8 x 256 x 2 B, full layers 2 x 1 x 512 x 2 B.
        Assert.Equal(40 * 8_192.0 + 8 * 2_048.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }

    [Fact]
    public void Gemma_4_26b_a4b_runs_its_dense_mlp_as_a_shared_expert_beside_8_of_128_routed_experts_and_counts_25_2_billion()
    {
        var a = Catalog.Model("gemma-4-26b-a4b").Architecture;
        Assert.Equal(new MixtureOfExperts(128, 8, 1, 704, 2112, 0), a.Moe);
        Assert.Equal(new GlobalAttention(512, 2, true), a.Global);
        Assert.Equal((30, 5, 30), (a.Layers, a.FullAttentionLayers, a.MoeLayers));

        // By hand: the tied embedding 262,144 x 2816; 25 windowed layers of q 2816 x 4096, k and v 2816 x 2048, o; 5 full
        // layers of q 2816 x 8192, k 2816 x 1024 (no v_proj), o; in every layer 128 experts of 3 x 2816 x 704, the dense GeGLU
        // MLP 3 x 2816 x 2112 and the router 2816 x 128; four norms a layer and the final norm: 25.23B, the card's '25.2B'.
        const double h = 2816;
        var attention = 25 * (h * 4096 + 2 * h * 2048 + 4096 * h) + 5 * (h * 8192 + h * 1024 + 8192 * h);
        var text = 262_144 * h + attention + 30 * (128 * 3 * h * 704 + 3 * h * 2112 + h * 128) + 30 * 4 * h + h;
        Assert.Equal(25_232_782_080.0, text);
        var p = ParameterCount.Of(a);
        Assert.Equal(text, p.Text(a), 1);
        // Active: the embedding, all attention, 8 experts, the dense MLP and the router of every layer: 3.82B, the card's '3.8B'.
        var active = 262_144 * h + attention + 30 * (8 * 3 * h * 704 + 3 * h * 2112 + h * 128) + 30 * 4 * h + h;
        Assert.Equal(3_822_170_880.0, active);
        Assert.Equal(active, p.Active(a), 1);
        // KV per token: 25 windowed layers of 2 x 8 x 256 x 2 B and 5 full layers of 2 x 2 x 512 x 2 B.
        Assert.Equal(25 * 8_192.0 + 5 * 4_096.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }

    [Theory]
    // Widths for the full layers of a model without a mix of windowed and full layers have nothing to apply to.
    [InlineData("{\"model_type\":\"gemma4_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":16,\"vocab_size\":100,\"global_head_dim\":32}", "global_head_dim")]
    // Gemma 4 26B-A4B's expert block beside the dense MLP (read since 2026-12-06) needs experts to route to.
    [InlineData("{\"model_type\":\"gemma4_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"enable_moe_block\":true}", "enable_moe_block")]
    public void Gemma_4_fields_without_a_model_are_errors_naming_the_field(string json, string field)
    {
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }
}
