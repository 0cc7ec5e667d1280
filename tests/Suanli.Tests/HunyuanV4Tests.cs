using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Tencent's Hy4 preview (hy_v4) against hand counts from its config (docs/methodology.md, "Hy4: gated MLA, learned sinks and
/// identity hyper-connections"): the element-wise MLA output gate, the sink logits and the identity hyper-connections in the
/// weights, the KV cache and one decode step, and the refusals of what the reader does not model.
/// </summary>
public sealed class HunyuanV4Tests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static ModelArchitecture Hy4 => Catalog.Model("hy4-preview").Architecture;

    // The same model without the three parts this pass reads: what the reader made of the config before.
    private static ModelArchitecture Plain => Hy4 with { Extras = Hy4.Extras with { AttentionSinks = false, AttentionOutputGate = false, Streams = null } };

    [Fact]
    public void The_config_reads_into_gated_mla_with_sinks_index_sharing_and_four_identity_streams()
    {
        var a = Hy4;
        Assert.Equal((78, 6144, 64, 1, 77, 1), (a.Layers, a.HiddenSize, a.Heads, a.DenseMlpLayers, a.MoeLayers, a.MtpLayers));
        Assert.Equal((512, 2048, 192, 64, 256), (a.Mla!.KvLoraRank, a.Mla.QLoraRank, a.Mla.QkNopeHeadDim, a.Mla.QkRopeHeadDim, a.Mla.VHeadDim));
        Assert.Equal((78, 21, 2048), (a.SparseLayers, a.IndexerLayers, a.Sparse!.TopK));
        Assert.True(a.Extras.AttentionOutputGate);
        Assert.True(a.Extras.AttentionSinks);
        Assert.Equal(new HyperConnections(4, ResidualMix: false), a.Streams);
        Assert.Null(a.Compressed);
    }

    [Fact]
    public void Identity_hyper_connections_hold_two_n_mixes_and_two_scales_without_the_residual_mix()
    {
        // HYV4HyperConnection: fn [2n, n x h], base [2n], scale [2]; two per block. n = 4, h = 6,144: 2 x (8 x 24,576 + 8 + 2).
        var ihc = new HyperConnections(4, ResidualMix: false);
        Assert.Equal(8.0, ihc.Mixes);
        Assert.Equal(393_236.0, ihc.ParametersPerLayer(6144));
        // HYV4HyperHead: hc_fn [n, n x h], hc_base [n], hc_scale [1], as DeepSeek V4's head.
        Assert.Equal(98_309.0, ihc.HeadParameters(6144));
        // DeepSeek V4's form at the same width keeps its (2 + n) x n mixes and three scales: 2 x (24 x 24,576 + 24 + 3).
        Assert.Equal(1_179_702.0, new HyperConnections(4).ParametersPerLayer(6144));
        Assert.Equal(78 * 393_236.0 + 98_309.0, ParameterCount.Of(Hy4).HyperConnections);
    }

    [Fact]
    public void The_gate_and_the_sinks_add_to_each_attention_layer_what_gate_proj_and_sinks_hold()
    {
        // q_a 6144 x 2048 + norm 2048 + q_b 2048 x 64 x 256; kv_a 6144 x 576 + norm 512; kv_b 512 x 64 x 448; o 16,384 x 6144:
        // 165,022,208. gate_proj 6144 x 64 x 256 = 100,663,296; sinks 64.
        const double mla = 6144 * 2048.0 + 2048 + 2048 * 64 * 256.0 + 6144 * 576.0 + 512 + 512 * 64 * 448.0 + 64 * 256 * 6144.0;
        Assert.Equal(165_022_208.0, mla);
        const double layer = mla + 6144 * 64 * 256.0 + 64;
        // Indexer on the 21 full layers: wq_b 2048 x 32 x 128, wk 6144 x 128, k_norm 2 x 128, weights_proj 6144 x 32.
        const double indexer = 2048 * 32 * 128.0 + 6144 * 128.0 + 256 + 6144 * 32.0;
        Assert.Equal(9_371_904.0, indexer);
        Assert.Equal(78 * layer + 21 * indexer, ParameterCount.Of(Hy4).Mixers(Hy4), 1);
        Assert.Equal(78 * (6144 * 64 * 256.0 + 64), ParameterCount.Of(Hy4).Mixers(Hy4) - ParameterCount.Of(Plain).Mixers(Plain), 1);
    }

    [Fact]
    public void The_shapes_count_the_cards_770_billion_and_49_billion_active_and_a_10_billion_mtp_layer()
    {
        var a = Hy4;
        var p = ParameterCount.Of(a);
        // Mixers 20,920,284,288; 78 x 2 norms of 6144; dense SwiGLU 3 x 6144 x 18,432; 77 MoE layers of 256 experts and the shared
        // expert of 3 x 6144 x 2048 and the router 256 x 6144; hyper-connections 30,770,717; untied 120,832 x 6144 embedding and
        // head; the final norm.
        const double expert = 3 * 6144 * 2048.0;
        const double total = 20_920_284_288.0 + 78 * 2 * 6144.0 + 3 * 6144 * 18432.0 + 77 * (257 * expert + 256 * 6144.0)
            + 30_770_717.0 + 2 * 120_832 * 6144.0 + 6144;
        Assert.Equal(769_907_389_085.0, total);
        Assert.InRange(p.Total(a), total - 1, total + 1);
        // Active: 8 routed and the shared expert a layer; 49.06B with embedding and head against the card's '49B'.
        const double active = total - 77 * 248 * expert;
        Assert.Equal(49_057_526_429.0, active);
        Assert.InRange(p.Active(a), active - 1, active + 1);
        // MTP: a gated MLA layer with its indexer, two norms, the MoE block, enorm and hnorm, eh_proj 2 x 6144 x 6144 and the
        // head's norm: 10.05B, the card's '10B'.
        const double mtp = 265_685_568.0 + 9_371_904 + 2 * 6144 + 257 * expert + 256 * 6144.0 + 2 * 6144 + 2 * 6144.0 * 6144 + 6144;
        Assert.Equal(10_053_583_680.0, mtp);
        Assert.Equal(mtp, p.Mtp, 1);
        // Without the gate the count falls 1.0% short of 770B: the gate is what the card's figure holds.
        Assert.True(ParameterCount.Of(Plain).Total(Plain) < 0.99 * 770e9);
    }

    [Fact]
    public void Gate_sinks_and_streams_add_no_cache()
    {
        // The 576-value latent on 78 layers and the indexer's keys on the 21 full layers, as without the three parts.
        Assert.Equal(MemoryModel.KvBytesPerToken(Plain, NumberFormat.Bf16).Value, MemoryModel.KvBytesPerToken(Hy4, NumberFormat.Bf16).Value);
        Assert.Equal(78 * 576 * 2.0 + 21 * MemoryModel.IndexerBytesPerTokenPerLayer(Hy4).Value, MemoryModel.KvBytesPerToken(Hy4, NumberFormat.Bf16).Value);
    }

    [Fact]
    public void One_decode_token_runs_the_gate_projection_and_the_streams_mixing()
    {
        var model = Catalog.Model("hy4-preview");
        var device = Catalog.Device("nvidia-h200-sxm-141gb");
        OperatorCost Op(ModelArchitecture a, OperatorKind kind) =>
            new PreparedStep(new Deployment(model with { Architecture = a }, device, Layouts.Make(a, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm),
                StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 8192)).Single(o => o.Kind == kind);
        // gate_proj: 2 FLOP a weight on 78 layers, 2 x 78 x 100,663,296 (the 64 sinks a layer ride along as weights).
        var qkv = Op(Hy4, OperatorKind.QkvProjection).Flop.Value - Op(Plain, OperatorKind.QkvProjection).Flop.Value;
        Assert.Equal(2.0 * 78 * (6144 * 64 * 256.0 + 64), qkv, 1);
        // Its weights are read once a step in BF16.
        var read = Op(Hy4, OperatorKind.QkvProjection).WeightBytes.Value - Op(Plain, OperatorKind.QkvProjection).WeightBytes.Value;
        Assert.Equal(2.0 * 78 * (6144 * 64 * 256.0 + 64), read, 1);
        // The two hyper-connections of each block multiply the 4 x 6144 streams by their 8 mixes: 2 x 393,236 FLOP a layer.
        var norms = Op(Hy4, OperatorKind.Norms).Flop.Value - Op(Plain, OperatorKind.Norms).Flop.Value;
        Assert.Equal(78 * 2.0 * 393_236, norms, 1);
    }

    [Theory]
    // Another gating type than Hy4's element-wise gate, and the gate without MLA, are refused by field.
    [InlineData("\"kv_lora_rank\":16,\"q_lora_rank\":32,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"gated_mla\":true,\"gating_type\":\"headwise\",\"hc_mult\":4", "gating_type")]
    [InlineData("\"gated_mla\":true,\"hc_mult\":4", "gated_mla")]
    // Identity hyper-connections need their stream count; outside hy_v4 without enable_ihc, hc_mult stays refused.
    [InlineData("\"kv_lora_rank\":16,\"q_lora_rank\":32,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16", "hc_mult")]
    [InlineData("\"kv_lora_rank\":16,\"q_lora_rank\":32,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"enable_ihc\":true", "enable_ihc")]
    // Layers named for DeepSeek Sparse Attention need the indexer that makes them sparse.
    [InlineData("\"kv_lora_rank\":16,\"q_lora_rank\":32,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"hc_mult\":4,\"layer_types\":[\"deepseek_sparse_attention\",\"deepseek_sparse_attention\"]", "layer_types")]
    public void An_unmodelled_or_incomplete_hy_v4_field_is_refused_by_name(string fields, string field)
    {
        var json = "{\"model_type\":\"hy_v4\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100," + fields + "}";
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Hyper_connections_outside_hy_v4_and_deepseek_v4_stay_refused_and_identity_ones_are_not_mixed_with_v4s()
    {
        var llama = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(
            "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"hc_mult\":4}", "config.json"));
        Assert.Equal("hc_mult", llama.Field);
        var v4 = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(
            "{\"model_type\":\"deepseek_v4\",\"hidden_size\":4096,\"num_hidden_layers\":3,\"num_attention_heads\":64,\"num_key_value_heads\":1,\"head_dim\":512,"
            + "\"vocab_size\":129280,\"sliding_window\":128,\"q_lora_rank\":1024,\"qk_rope_head_dim\":64,\"compress_ratios\":[0,128,128],\"hc_mult\":4,\"enable_ihc\":true}", "config.json"));
        Assert.Equal("enable_ihc", v4.Field);
        // Outside hy_v4, enable_ihc with hc_mult reads as identity streams.
        var read = HuggingFaceConfig.Parse(
            "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"hc_mult\":2,\"enable_ihc\":true}", "config.json");
        Assert.Equal(new HyperConnections(2, ResidualMix: false), read.Streams);
    }
}
