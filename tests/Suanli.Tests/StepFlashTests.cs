using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// StepFun's Step 3.5 Flash against hand counts: the windowed layers' own query heads (attention_other_setting), the KV heads
/// named num_attention_groups, the per-head gate (use_head_wise_attn_gate), the shared expert's width (share_expert_dim),
/// the expert layers (moe_layers_enum) and dense MTP blocks, in the weights, the KV cache and a decode step.
/// </summary>
public sealed class StepFlashTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Step_3_5_flash_reads_its_own_field_names_into_the_modelled_quantities()
    {
        var a = Catalog.Model("step-3.5-flash").Architecture;
        Assert.Equal((45, 12, 64, 96, 8, 512), (a.Layers, a.FullAttentionLayers, a.Heads, a.WindowHeads, a.KvHeads, a.Window!.Length));
        Assert.Equal((3, 42, true, 3, true), (a.DenseMlpLayers, a.MoeLayers, a.Extras.HeadGate, a.MtpLayers, a.Extras.MtpDenseMlp));
        Assert.Equal((288, 8, 1, 1280, 1280), (a.Moe!.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.Moe.ExpertIntermediateSize, a.Moe.SharedIntermediateSize));
    }

    [Fact]
    public void Step_3_5_flash_counts_196_96_billion_and_10_93_billion_active_without_embedding_and_head()
    {
        var a = Catalog.Model("step-3.5-flash").Architecture;
        var p = ParameterCount.Of(a);
        // h = 4096, 8 KV heads of 128. Full layer: q 4096 x 8192 + k, v 2 x 4096 x 1024 + o 8192 x 4096 + gate 4096 x 64 =
        // 75,759,616. Windowed layer: q 4096 x 12288 + k, v 8,388,608 + o 12288 x 4096 + gate 4096 x 96 = 109,445,120.
        Assert.Equal(12 * 75_759_616.0 + 33 * 109_445_120.0, p.Mixers(a), 1);
        Assert.Equal(4_520_804_352.0, p.Mixers(a), 1);
        // Layers 0-2: SwiGLU 3 x 4096 x 11264. Layers 3-44: 288 experts and the shared expert of 3 x 4096 x 1280 and the router
        // 288 x 4096 = 4,546,756,608. 91 norms; untied 128,896 x 4096 embedding and head.
        const double total = 4_520_804_352.0 + 3 * 3 * 4096 * 11264.0 + 42 * 4_546_756_608.0 + 91 * 4096.0 + 2 * 128_896 * 4096.0;
        Assert.Equal(196_956_106_752.0, total);
        Assert.InRange(p.Total(a), total - 1, total + 1);
        // Active: 8 routed and the shared expert (9 x 15,728,640) and the router a layer: 10,931,384,320 without embedding and
        // head, the card's '11B'.
        const double active = 4_520_804_352.0 + 3 * 3 * 4096 * 11264.0 + 42 * (9 * 15_728_640.0 + 288 * 4096.0) + 91 * 4096.0;
        Assert.Equal(10_931_384_320.0, active);
        Assert.InRange(p.ActiveAs(a, "no-embedding-no-head"), active - 1, active + 1);
    }

    [Fact]
    public void Step_3_5_flash_mtp_blocks_hold_a_dense_mlp_not_the_experts()
    {
        var a = Catalog.Model("step-3.5-flash").Architecture;
        var p = ParameterCount.Of(a);
        // Each of the 3 blocks: the mean attention layer (4,520,804,352 / 45), two norms, the dense SwiGLU 3 x 4096 x 11264,
        // enorm and hnorm, eh_proj 2 x 4096 x 4096 and the shared head's norm; no routed experts, so BF16 is 2 bytes each.
        const double block = 4_520_804_352.0 / 45 + 2 * 4096 + 3 * 4096 * 11264.0 + 2 * 4096 + 2 * 4096.0 * 4096 + 4096;
        Assert.Equal(3 * block, p.Mtp, 1);
        Assert.Equal(2 * 3 * block, MemoryModel.MtpWeightBytes(a, NumberFormat.Bf16).Value, 1);
    }

    [Fact]
    public void The_kv_cache_keeps_8_kv_heads_on_both_kinds_of_layer_and_512_tokens_on_the_windowed_ones()
    {
        var a = Catalog.Model("step-3.5-flash").Architecture;
        // 2 x 8 KV heads x 128 x 2 bytes = 4,096 bytes a token a layer.
        Assert.Equal(4_096.0, MemoryModel.FullKvPerTokenPerLayer(a, NumberFormat.Bf16).Value);
        Assert.Equal(4_096.0 * (12 * 32_768.0 + 33 * 512.0), MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 32_768).Value);
    }

    [Fact]
    public void A_step_3_5_flash_decode_step_scores_96_heads_on_windowed_layers_and_64_on_full_ones()
    {
        var m = Catalog.Model("step-3.5-flash");
        var deployment = new Deployment(m, Catalog.Device("nvidia-h200-sxm-141gb"), Layouts.Make(m.Architecture, 1, 1),
            NumberFormat.Fp8, NumberFormat.Bf16, Engine.Vllm);
        var ops = new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 8_192));
        // Attention: 12 full layers x 4 x 64 heads x 128 x 8,192 + 33 windowed x 4 x 96 x 128 x 512.
        var attention = ops.Single(o => o.Kind == OperatorKind.Attention);
        Assert.Equal(3_221_225_472.0 + 830_472_192.0, attention.Flop.Value, 1);
        // Output projections 2 x 4096 x (12 x 8192 + 33 x 12288); Q, K, V and the gates 2 x (q 4096 x 503,808 + k, v 45 x
        // 4096 x 2048 + gates 4096 x 3,936) = 2 x 2,457,206,784.
        Assert.Equal(2 * 4096 * (12 * 8192 + 33 * 12288.0), ops.Single(o => o.Kind == OperatorKind.OutputProjection).Flop.Value, 1);
        Assert.Equal(2 * 2_457_206_784.0, ops.Single(o => o.Kind == OperatorKind.QkvProjection).Flop.Value, 1);
    }

    private const string Common = "\"model_type\":\"step3p5\",\"hidden_size\":256,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"num_attention_groups\":2,\"head_dim\":64,\"vocab_size\":1000,\"intermediate_size\":512,\"max_position_embeddings\":4096,\"sliding_window\":16,\"moe_num_experts\":4,\"moe_top_k\":2,\"moe_intermediate_size\":128,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\"]";

    [Fact]
    public void The_step_field_names_size_the_model_as_the_transformers_names_do()
    {
        var step = HuggingFaceConfig.Parse("{" + Common + ",\"share_expert_dim\":128,\"moe_layers_enum\":\"1,2,3\",\"use_head_wise_attn_gate\":true,\"attention_other_setting\":{\"attention_type\":\"sliding_attention\",\"num_attention_heads\":8,\"num_attention_groups\":2,\"head_dim\":64}}", "config.json");
        var named = HuggingFaceConfig.Parse("{" + Common.Replace("num_attention_groups", "num_key_value_heads", StringComparison.Ordinal)
            + ",\"shared_expert_intermediate_size\":128,\"first_k_dense_replace\":1,\"gating\":\"per-head\",\"num_attention_heads_per_layer\":[4,8,8,8]}", "config.json");
        Assert.Equal(ParameterCount.Of(named), ParameterCount.Of(step));
        Assert.Equal((2, 8, 1, 3), (step.KvHeads, step.WindowHeads, step.DenseMlpLayers, step.MoeLayers));
    }

    [Fact]
    public void Layer_types_may_list_the_mtp_blocks_after_the_layers()
    {
        var withMtp = HuggingFaceConfig.Parse("{" + Common.Replace("\"sliding_attention\"]", "\"sliding_attention\",\"full_attention\",\"sliding_attention\"]", StringComparison.Ordinal) + ",\"num_nextn_predict_layers\":2}", "config.json");
        Assert.Equal((1, 3, 2), (withMtp.FullAttentionLayers, withMtp.Window!.Layers, withMtp.MtpLayers));
    }

    [Theory]
    // Windowed layers with their own KV heads or head width.
    [InlineData(",\"attention_other_setting\":{\"num_attention_heads\":8,\"num_attention_groups\":4}", "attention_other_setting.num_attention_groups")]
    [InlineData(",\"attention_other_setting\":{\"num_attention_heads\":8,\"head_dim\":128}", "attention_other_setting.head_dim")]
    // A setting for another kind of layer, none for the heads, and both ways of giving them.
    [InlineData(",\"attention_other_setting\":{\"attention_type\":\"full_attention\",\"num_attention_heads\":8}", "attention_other_setting.attention_type")]
    [InlineData(",\"attention_other_setting\":{\"num_attention_groups\":2}", "attention_other_setting.num_attention_heads")]
    [InlineData(",\"attention_other_setting\":{\"num_attention_heads\":8},\"num_attention_heads_per_layer\":[4,8,8,8]", "attention_other_setting")]
    // Windowed heads the KV heads do not divide.
    [InlineData(",\"attention_other_setting\":{\"num_attention_heads\":7}", "attention_other_setting.num_attention_heads")]
    // Expert layers outside the model or listed twice.
    [InlineData(",\"moe_layers_enum\":\"1,2,4\"", "moe_layers_enum")]
    [InlineData(",\"moe_layers_enum\":\"1,1,2\"", "moe_layers_enum")]
    [InlineData(",\"moe_layers_enum\":[1,2,3]", "moe_layers_enum")]
    // layer_types of neither the layers' nor the layers' and MTP blocks' length.
    [InlineData(",\"num_nextn_predict_layers\":1,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\",\"full_attention\",\"full_attention\"]", "layer_types")]
    public void A_step_config_suanli_cannot_size_is_refused_naming_its_field(string fields, string field)
    {
        var json = "{" + (fields.Contains("\"layer_types\"", StringComparison.Ordinal) ? Common[..Common.IndexOf(",\"layer_types\"", StringComparison.Ordinal)] : Common) + fields + "}";
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }
}
