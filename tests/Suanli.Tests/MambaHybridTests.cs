using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Nemotron-H's hybrid Mamba-2 / attention / MLP blocks (hybrid_override_pattern) against hand counts from the configs:
/// weights, the constant state and the KV cache a sequence keeps, and the step's FLOPs and bytes.
/// </summary>
public sealed class MambaHybridTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Nemotron_nano_9b_v2_counts_its_model_cards_8_89b_from_27_mamba_4_attention_and_25_mlp_blocks()
    {
        var a = Catalog.Model("nemotron-nano-9b-v2").Architecture;
        // The mixer blocks are the layers (27 Mamba-2 + 4 attention); the 25 MLP-only blocks are kept apart.
        Assert.Equal((31, 27, 4, 25, 0), (a.Layers, a.Linear!.Layers, a.SoftmaxLayers, a.DenseMlpLayers, a.MoeLayers));
        Assert.Equal(LinearAttention.Mamba2, a.Linear.Kind);
        // Mamba-2 block, h = 4480, 128 heads x 80 = 10,240 inner, 8 groups x 128 state = 1,024: in_proj 4480 x (2 x 10,240 +
        // 2 x 1,024 + 128) = 101,498,880; conv1d over 12,288 channels, kernel 4 and bias = 61,440; dt_bias, A_log, D 384;
        // gated norm 10,240; out_proj 10,240 x 4480 = 45,875,200. Sum 147,446,144.
        var p = ParameterCount.Of(a);
        Assert.Equal(147_446_144.0, p.LinearAttentionPerLayer);
        // Attention 4480 x (5120 + 2 x 1024) + 5120 x 4480 = 55,050,240; squared-ReLU MLP 2 x 4480 x 15680 = 140,492,800;
        // one norm per block (56) and the final one; untied embedding and head 2 x 131,072 x 4480.
        const double total = 27 * 147_446_144.0 + 4 * 55_050_240.0 + 25 * 140_492_800.0 + 57 * 4480.0 + 2 * 131_072 * 4480.0;
        Assert.Equal(8_888_227_328.0, total);
        Assert.InRange(p.Total(a), total - 1, total + 1);
        Assert.Equal(p.Total(a), p.Active(a));
    }

    [Fact]
    public void A_nemotron_sequence_keeps_a_constant_fp32_ssm_state_per_mamba_layer_beside_the_four_attention_layers_cache()
    {
        var a = Catalog.Model("nemotron-nano-9b-v2").Architecture;
        // SSM state 128 heads x 128 state x 80 = 1,310,720 values in FP32 (vLLM's Nemotron-H default) = 5,242,880 bytes; conv
        // state 12,288 channels x 3 kept inputs in BF16 = 73,728 bytes: 5,316,608 bytes a layer, split by head over TP ranks.
        Assert.Equal(5_316_608.0, MemoryModel.RecurrentStatePerLayer(a).Value);
        Assert.Equal(5_316_608.0 / 2, MemoryModel.RecurrentStatePerLayer(a, 2).Value);
        // Only the 4 attention layers cache keys and values: 4 x 2 x 8 KV heads x 128 x 2 bytes = 16,384 bytes a token.
        Assert.Equal(16_384.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        var at32k = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 32_768).Value;
        Assert.Equal(16_384.0 * 32_768 + 27 * 5_316_608.0, at32k);
        Assert.Equal(16_384.0 * 32_768, MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 65_536).Value - at32k);
    }

    [Fact]
    public void A_nemotron_decode_step_attends_on_four_layers_updates_27_states_and_runs_25_mlps()
    {
        var m = Catalog.Model("nemotron-nano-9b-v2");
        var deployment = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, 1),
            NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        var ops = new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 8_192));
        // Attention: 4 layers x 4 x 40 heads x 128 x 8,192 context = 671,088,640 FLOPs; the Mamba recurrence 27 x 4 x 128 x 128
        // x 80 = 141,557,760 (arXiv:2405.21060, state-space duality: the Gated DeltaNet form's 2 + 2 FLOPs per state value).
        var attention = ops.Single(o => o.Kind == OperatorKind.Attention);
        Assert.Equal(671_088_640.0 + 141_557_760.0, attention.Flop.Value, 1);
        // Cache read: 4 layers x 4,096 bytes x (8,192 cached + 1 written) tokens; each Mamba layer reads and writes its state.
        Assert.Equal(4 * 4_096.0 * 8_193 + 27 * 2 * 5_316_608.0, attention.KvBytes.Value, 1);
        // The 25 MLP-only blocks: 2 x 140,492,800 FLOPs each, BF16 weights read once.
        var mlp = ops.Single(o => o.Kind == OperatorKind.Mlp);
        Assert.Equal(25, mlp.Layers);
        Assert.Equal(25 * 2 * 140_492_800.0, mlp.Flop.Value, 1);
        Assert.Equal(25 * 2 * 140_492_800.0, mlp.WeightBytes.Value, 1);
    }

    [Fact]
    public void Nemotron_3_nano_counts_the_reports_31_6b_total_and_3_6b_active_with_embeddings()
    {
        var a = Catalog.Model("nemotron-3-nano-30b-a3b").Architecture;
        Assert.Equal((29, 23, 6, 0, 23), (a.Layers, a.Linear!.Layers, a.SoftmaxLayers, a.DenseMlpLayers, a.MoeLayers));
        // h = 2688; Mamba-2 64 heads x 64 = 4,096 inner, 1,024 B/C: 2688 x 10,304 + 6,144 x 5 + 192 + 4,096 + 4,096 x 2688 =
        // 38,742,208. Attention 2688 x (4096 + 2 x 256) + 4096 x 2688 = 23,396,352. Experts 128 x 2 x 2688 x 1856, the shared
        // expert 2 x 2688 x 3712 and the router 2688 x 128 = 1,297,465,344 a block. 53 norms, untied 131,072 x 2688 twice.
        var p = ParameterCount.Of(a);
        Assert.Equal(38_742_208.0, p.LinearAttentionPerLayer);
        const double total = 23 * 38_742_208.0 + 6 * 23_396_352.0 + 23 * 1_297_465_344.0 + 53 * 2688.0 + 2 * 131_072 * 2688.0;
        Assert.InRange(p.Total(a), total - 1, total + 1);
        Assert.InRange(p.Total(a) / 31.6e9, 0.99, 1.01);
        // Active: 6 experts + the shared one + the router = 80,166,912 a block; 3,580,073,408 with embedding and head (the
        // report's 3.6B), 3,227,751,872 without the embedding (its 3.2B).
        const double active = 23 * 38_742_208.0 + 6 * 23_396_352.0 + 23 * (6 * 2 * 2688 * 1856.0 + 2 * 2688 * 3712.0 + 2688 * 128.0) + 53 * 2688.0 + 2 * 131_072 * 2688.0;
        Assert.InRange(p.Active(a), active - 1, active + 1);
        Assert.InRange(p.ActiveAs(a, "no-embedding") / 3.2e9, 0.99, 1.01);
        // The config pins the SSM state to FP32: 64 x 128 x 64 x 4 + 6,144 x 3 x 2 = 2,134,016 bytes a Mamba layer.
        Assert.Equal(2_134_016.0, MemoryModel.RecurrentStatePerLayer(a).Value);
    }

    [Theory]
    // A pattern longer or shorter than num_hidden_layers, or with a kind outside M * - E.
    [InlineData("{\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16,\"hybrid_override_pattern\":\"M*-\"}", "hybrid_override_pattern")]
    [InlineData("{\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16,\"hybrid_override_pattern\":\"M*-X\"}", "hybrid_override_pattern")]
    // Expert blocks with no experts to route to.
    [InlineData("{\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16,\"hybrid_override_pattern\":\"ME*E\"}", "hybrid_override_pattern")]
    // A block kind the list form does not know.
    [InlineData("{\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":3,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16,\"layers_block_type\":[\"mamba\",\"attention\",\"rwkv\"]}", "layers_block_type")]
    // Projection biases, which the count does not size.
    [InlineData("{\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":3,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16,\"hybrid_override_pattern\":\"M*-\",\"use_bias\":true}", "use_bias")]
    public void A_nemotron_config_suanli_cannot_size_is_refused_naming_its_field(string json, string field)
    {
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_list_form_of_the_block_kinds_reads_as_the_pattern_does()
    {
        const string common = "\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16";
        var pattern = HuggingFaceConfig.Parse("{" + common + ",\"hybrid_override_pattern\":\"M-*-\"}", "config.json");
        var list = HuggingFaceConfig.Parse("{" + common + ",\"layers_block_type\":[\"mamba\",\"mlp\",\"attention\",\"mlp\"]}", "config.json");
        Assert.Equal(ParameterCount.Of(pattern).Total(pattern), ParameterCount.Of(list).Total(list));
        Assert.Equal((2, 1, 2), (list.Layers, list.Linear!.Layers, list.DenseMlpLayers));
    }
}
