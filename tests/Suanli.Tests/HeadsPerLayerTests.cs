using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Query heads per layer (poolside Laguna's num_attention_heads_per_layer: 48 on the full-attention layers, 64 on the
/// sliding-window ones) against hand counts: the projections' weights, the unchanged KV cache and the step's FLOPs.
/// </summary>
public sealed class HeadsPerLayerTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Laguna_xs2_counts_each_kind_of_layer_with_its_own_query_heads()
    {
        var a = Catalog.Model("laguna-xs.2").Architecture;
        Assert.Equal((40, 10, 48, 64, 512), (a.Layers, a.FullAttentionLayers, a.Heads, a.WindowHeads, a.Window!.Length));
        Assert.Equal((1, 39, true), (a.DenseMlpLayers, a.MoeLayers, a.Extras.HeadGate));
        // h = 2048, 8 KV heads of 128. Full layer: q 2048 x 6144 + k, v 2 x 2048 x 1024 + o 6144 x 2048 + gate 2048 x 48 =
        // 29,458,432. Windowed layer: q 2048 x 8192 + k, v 4,194,304 + o 8192 x 2048 + gate 2048 x 64 = 37,879,808.
        var p = ParameterCount.Of(a);
        Assert.Equal((10 * 29_458_432.0 + 30 * 37_879_808.0) / 40, p.AttentionPerLayer, 6);
        Assert.Equal(1_430_978_560.0, p.Mixers(a), 1);
        // Layer 0's SwiGLU 3 x 2048 x 8192; 39 layers of 256 experts of 512, the shared expert and the router 256 x 2048 =
        // 808,976,384; 81 norms; untied 100,352 x 2048 embedding and head: 33,442,596,864, the card's '33B'.
        const double total = 1_430_978_560.0 + 3 * 2048 * 8192.0 + 39 * 808_976_384.0 + 81 * 2048.0 + 2 * 100_352 * 2048.0;
        Assert.Equal(33_442_596_864.0, total);
        Assert.InRange(p.Total(a), total - 1, total + 1);
        // Active: 8 routed and the shared expert of 3 x 2048 x 512 and the router a layer: 3,017,115,648, the card's '3B'.
        const double active = 1_430_978_560.0 + 3 * 2048 * 8192.0 + 39 * (9 * 3 * 2048 * 512.0 + 256 * 2048.0) + 81 * 2048.0 + 2 * 100_352 * 2048.0;
        Assert.InRange(p.Active(a), active - 1, active + 1);
    }

    [Fact]
    public void The_kv_cache_keeps_the_same_8_kv_heads_on_both_kinds_of_layer()
    {
        var a = Catalog.Model("laguna-xs.2").Architecture;
        // 2 x 8 KV heads x 128 x 2 bytes = 4,096 bytes a token a layer, whatever the layer's query heads; the 30 windowed
        // layers hold at most 512 tokens.
        Assert.Equal(4_096.0, MemoryModel.FullKvPerTokenPerLayer(a, NumberFormat.Bf16).Value);
        Assert.Equal(40 * 4_096.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        Assert.Equal(4_096.0 * (10 * 32_768.0 + 30 * 512.0), MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 32_768).Value);
    }

    [Fact]
    public void A_laguna_decode_step_scores_64_heads_on_windowed_layers_and_48_on_full_ones()
    {
        var m = Catalog.Model("laguna-xs.2");
        var deployment = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, 1),
            NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        var ops = new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 8_192));
        // Attention: 10 full layers x 4 x 48 heads x 128 x 8,192 context + 30 windowed layers x 4 x 64 x 128 x 512 window
        // = 2,013,265,920 + 503,316,480 FLOPs.
        var attention = ops.Single(o => o.Kind == OperatorKind.Attention);
        Assert.Equal(2_013_265_920.0 + 503_316_480.0, attention.Flop.Value, 1);
        // Cache read: 4,096 bytes x (10 x 8,192 + 30 x 512 cached + 40 written) tokens.
        Assert.Equal(4_096.0 * (10 * 8_192 + 30 * 512 + 40), attention.KvBytes.Value, 1);
        // Output projections 2 x 2048 x (10 x 6144 + 30 x 8192); Q, K, V and the gates 2 x (q 2048 x 307,200 + k, v 40 x
        // 2048 x 2048 + gates 2048 x 2400) = 2 x 801,832,960.
        Assert.Equal(2 * 2048 * (10 * 6144 + 30 * 8192.0), ops.Single(o => o.Kind == OperatorKind.OutputProjection).Flop.Value, 1);
        Assert.Equal(2 * 801_832_960.0, ops.Single(o => o.Kind == OperatorKind.QkvProjection).Flop.Value, 1);
    }

    [Fact]
    public void One_head_count_on_every_layer_sizes_the_model_as_if_the_field_were_absent()
    {
        const string common = "\"model_type\":\"laguna\",\"hidden_size\":256,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":64,\"vocab_size\":1000,\"intermediate_size\":512,\"max_position_embeddings\":4096,\"sliding_window\":16,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\"]";
        var plain = HuggingFaceConfig.Parse("{" + common + "}", "config.json");
        var listed = HuggingFaceConfig.Parse("{" + common + ",\"num_attention_heads_per_layer\":[4,4,4,4]}", "config.json");
        Assert.Equal(ParameterCount.Of(plain), ParameterCount.Of(listed));
        Assert.Equal(4, listed.WindowHeads);
        Assert.Null(listed.Window!.Heads);
    }

    [Theory]
    // Two counts among the full layers (no layer_types: every layer is full).
    [InlineData("\"num_attention_heads_per_layer\":[48,64,64,64]", "num_attention_heads_per_layer")]
    // Two counts among the windowed layers.
    [InlineData("\"num_attention_heads_per_layer\":[48,64,72,64],\"sliding_window\":512,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\"]", "num_attention_heads_per_layer")]
    // A list of the wrong length.
    [InlineData("\"num_attention_heads_per_layer\":[48,64,64],\"sliding_window\":512,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\"]", "num_attention_heads_per_layer")]
    // Windowed heads the KV heads do not divide.
    [InlineData("\"num_attention_heads_per_layer\":[48,60,60,60],\"sliding_window\":512,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\"]", "num_attention_heads_per_layer")]
    // A gate Suanli does not size.
    [InlineData("\"gating\":\"per-channel\"", "gating")]
    public void A_per_layer_head_config_suanli_cannot_size_is_refused_naming_its_field(string fields, string field)
    {
        var json = "{\"model_type\":\"laguna\",\"hidden_size\":2048,\"num_hidden_layers\":4,\"num_attention_heads\":48,\"num_key_value_heads\":8,\"head_dim\":128,\"vocab_size\":100352,\"max_position_embeddings\":131072," + fields + "}";
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }
}
