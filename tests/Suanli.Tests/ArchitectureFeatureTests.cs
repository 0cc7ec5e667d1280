using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Each architecture feature of the late-2026 models against a hand computation from the config's numbers
/// (docs/methodology.md, "Architecture features").
/// </summary>
public sealed class ArchitectureFeatureTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static Deployment Deploy(string model, NumberFormat? kv = null) =>
        new(Catalog.Model(model), Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(Catalog.Model(model).Architecture, 1, 1),
            NumberFormat.Bf16, kv ?? NumberFormat.Bf16, Engine.Vllm);

    private static OperatorCost Attention(string model, StepShape shape) =>
        new PreparedStep(Deploy(model), StepTimeParameters.Ideal).Operators(shape).Single(o => o.Kind == OperatorKind.Attention);

    [Fact]
    public void Mla_caches_one_compressed_latent_and_one_rotary_key_per_token_per_layer()
    {
        // DeepSeek-V3: 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes = 70,272 bytes per token.
        var a = Catalog.Model("deepseek-v3").Architecture;
        Assert.Equal(61 * (512 + 64) * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        // Kimi K2 has half the heads but the same latent: the cache does not depend on the head count.
        Assert.Equal(61 * (512 + 64) * 2.0, MemoryModel.KvBytesPerToken(Catalog.Model("kimi-k2").Architecture, NumberFormat.Bf16).Value);
    }

    [Fact]
    public void Gated_deltanet_layers_keep_a_constant_state_beside_the_growing_cache_of_the_full_attention_layers()
    {
        var a = Catalog.Model("qwen3-next-80b-a3b").Architecture;
        Assert.Equal(36, a.Linear!.Layers);
        Assert.Equal(12, a.SoftmaxLayers);
        // Full layers: 12 x 2 (K,V) x 2 KV heads x 256 x 2 bytes = 24,576 bytes per token.
        Assert.Equal(24_576.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        // State per Gated DeltaNet layer: 32 value heads x 128 x 128 + conv (2 x 16 x 128 + 32 x 128 = 8,192 channels) x 3
        // = 524,288 + 24,576 = 548,864 values x 2 bytes = 1,097,728 bytes; 36 layers = 39,518,208 bytes.
        Assert.Equal(1_097_728.0, MemoryModel.RecurrentStatePerLayer(a).Value);
        var at32k = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 32_768).Value;
        Assert.Equal(24_576.0 * 32_768 + 36 * 1_097_728.0, at32k);
        // The state does not grow: doubling the context adds only the full layers' cache.
        var at64k = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 65_536).Value;
        Assert.Equal(24_576.0 * 32_768, at64k - at32k);
    }

    [Fact]
    public void Lightning_attention_layers_hold_a_heads_by_dim_by_dim_state_and_seven_of_eight_layers_are_lightning()
    {
        var a = Catalog.Model("minimax-m1").Architecture;
        Assert.Equal("lightning", a.Linear!.Kind);
        Assert.Equal(70, a.Linear.Layers);
        // 64 heads x 128 x 128 values x 2 bytes = 2 MiB per layer per sequence, whatever the context.
        Assert.Equal(64 * 128 * 128 * 2.0, MemoryModel.RecurrentStatePerLayer(a).Value);
        // Softmax layers: 10 x 2 x 8 KV heads x 128 x 2 bytes = 40,960 bytes per token.
        Assert.Equal(40_960.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }

    [Fact]
    public void Kimi_delta_attention_layers_keep_a_head_dim_squared_state_per_head_beside_the_growing_latent_cache_of_the_mla_layers()
    {
        var a = Catalog.Model("kimi-linear-48b-a3b").Architecture;
        Assert.Equal("kda", a.Linear!.Kind);
        Assert.Equal(20, a.Linear.Layers);
        Assert.Equal(7, a.SoftmaxLayers);
        Assert.Equal(AttentionKind.MultiHeadLatent, a.Attention);
        // MLA layers: 7 x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes = 8,064 bytes per token.
        Assert.Equal(8_064.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        // State per KDA layer: 32 heads x 128 x 128 + conv over q, k, v (3 x 32 x 128 = 12,288 channels) x 3 kept inputs
        // = 524,288 + 36,864 = 561,152 values x 2 bytes = 1,122,304 bytes; 20 layers = 22,446,080 bytes per sequence.
        Assert.Equal(1_122_304.0, MemoryModel.RecurrentStatePerLayer(a).Value);
        var at128k = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 131_072).Value;
        Assert.Equal(8_064.0 * 131_072 + 20 * 1_122_304.0, at128k);
        // Tensor parallelism splits the state by head: 4 ranks hold a quarter each.
        Assert.Equal(1_122_304.0 / 4, MemoryModel.RecurrentStatePerLayer(a, 4).Value);
    }

    [Fact]
    public void Kimi_delta_attention_weights_count_its_low_rank_gates_and_the_model_counts_49_billion()
    {
        var a = Catalog.Model("kimi-linear-48b-a3b").Architecture;
        var p = ParameterCount.Of(a);
        // h = 2304, 32 heads x 128 = 4,096 wide: q, k, v 3 x 2304 x 4096 = 28,311,552; conv 12,288 x 4 = 49,152; A_log 32;
        // dt_bias 4,096; f_a 2304 x 128 + f_b 128 x 4096 = 819,200; b_proj 2304 x 32 = 73,728; g_a + g_b 819,200;
        // o_norm 128; o_proj 4096 x 2304 = 9,437,184. Sum 39,514,272.
        Assert.Equal(39_514_272.0, p.LinearAttentionPerLayer);
        // MLA without a query latent: q 2304 x 32 x 192 + kv_a 2304 x 576 + 512 + kv_b 512 x 32 x 256 + o 4096 x 2304 = 29,114,880.
        Assert.Equal(29_114_880.0, p.AttentionPerLayer);
        // Embedding and untied head 2 x 163,840 x 2304; 27 x 2 norms; one dense layer 3 x 2304 x 9216; 26 MoE layers of
        // 257 experts of 3 x 2304 x 1024 plus a 2304 x 256 router; the final norm: 49,122,675,072 (README: '48B').
        Assert.Equal(49_122_675_072.0, p.Total(a));
    }

    [Fact]
    public void A_linear_attention_decode_step_reads_and_writes_each_state_once_and_does_not_grow_with_context()
    {
        var shortCtx = Attention("qwen3-next-80b-a3b", StepShape.Decode(1, 1_000));
        var longCtx = Attention("qwen3-next-80b-a3b", StepShape.Decode(1, 101_000));
        // Only the 12 full layers' reads grow: 100,000 more tokens x 12 layers x 2,048 bytes.
        Assert.Equal(100_000 * 12 * 2_048.0, longCtx.KvBytes.Value - shortCtx.KvBytes.Value, 1e-3);
        // At context 0 the step still moves the states: 36 layers x 2 (read + write) x 1,097,728 bytes, plus the new
        // token's K/V on the 12 full layers (12 x 2,048).
        var empty = Attention("qwen3-next-80b-a3b", StepShape.Decode(1, 0));
        Assert.Equal(36 * 2 * 1_097_728.0 + 12 * 2_048.0, empty.KvBytes.Value, 1e-3);
    }

    [Fact]
    public void Deepseek_sparse_attention_caches_indexer_keys_and_reads_only_the_top_k_latents_per_query()
    {
        var a = Catalog.Model("deepseek-v3.2").Architecture;
        Assert.Equal(new SparseAttention(64, 128, 2048), a.Sparse);
        // Indexer keys: 128 FP8 values + one FP32 scale = 132 bytes per token per layer.
        Assert.Equal(132.0, MemoryModel.IndexerBytesPerTokenPerLayer(a).Value);
        Assert.Equal(61 * (576 * 2.0 + 132), MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        // Decode at 100,000 tokens, bf16 cache: V3.1 reads 100,000 latents of 1,152 bytes per layer; V3.2 reads 2,048 of
        // them plus 100,000 indexer keys of 132 bytes. Both write the new token's entries (61 layers).
        const double ctx = 100_000;
        var dense = Attention("deepseek-v3.1", StepShape.Decode(1, ctx)).KvBytes.Value;
        var sparse = Attention("deepseek-v3.2-exp", StepShape.Decode(1, ctx)).KvBytes.Value;
        Assert.Equal(61 * 1_152.0 * (ctx + 1), dense, 1e-3);
        Assert.Equal(61 * (1_152.0 * (2_048 + 1) + 132.0 * (ctx + 1)), sparse, 1e-3);
        // The MLA FLOPs stop at the top-k; the indexer's 2 x 64 x 128 FLOP per cached token do not.
        var denseFlop = Attention("deepseek-v3.1", StepShape.Decode(1, ctx)).Flop.Value;
        var sparseFlop = Attention("deepseek-v3.2-exp", StepShape.Decode(1, ctx)).Flop.Value;
        var perContext = 2.0 * 128 * (2 * 512 + 64);
        Assert.Equal(61 * perContext * ctx, denseFlop, 1);
        Assert.Equal(61 * (perContext * 2_048 + 2.0 * 64 * 128 * ctx), sparseFlop, 1);
    }

    [Fact]
    public void Gpt_oss_alternates_128_token_windows_with_full_layers_and_adds_one_sink_per_head()
    {
        var a = Catalog.Model("gpt-oss-120b").Architecture;
        Assert.Equal(128, a.Window?.Length);
        Assert.Equal(18, a.Window?.Layers);
        Assert.True(a.Extras.AttentionSinks);
        // 8 KV heads x 64 x 2 (K,V) x 2 bytes = 2,048 bytes per token per layer. At 8,192 tokens:
        // 18 full layers x 8,192 + 18 windowed layers x 128.
        Assert.Equal(2_048.0 * (18 * 8_192 + 18 * 128), MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 8_192).Value);
        // Sinks: 64 heads x 36 layers = 2,304 parameters, no cache.
        var noSinks = a with { Extras = a.Extras with { AttentionSinks = false } };
        Assert.Equal(2_304.0, ParameterCount.Of(a).Total(a) - ParameterCount.Of(noSinks).Total(noSinks));
        Assert.Equal(MemoryModel.KvBytesPerToken(noSinks, NumberFormat.Bf16), MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16));
    }

    [Fact]
    public void Gemma_3_has_one_global_layer_in_six_and_caps_the_others_at_its_window()
    {
        var a = Catalog.Model("gemma-3-27b").Architecture;
        Assert.Equal(1024, a.Window?.Length);
        Assert.Equal(62 - 62 / 6, a.Window?.Layers);
        // 16 KV heads x 128 x 2 x 2 bytes = 8,192 bytes per token per layer; at 131,072 tokens 10 global layers hold all of them.
        Assert.Equal(8_192.0 * (10 * 131_072.0 + 52 * 1_024), MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 131_072).Value);
        var windowed = Attention("gemma-3-27b", StepShape.Decode(1, 100_000)).KvBytes.Value;
        Assert.Equal(8_192.0 * (10 * 100_000 + 52 * 1_024 + 62), windowed, 1e-3);
    }

    [Fact]
    public void Mtp_blocks_are_counted_apart_and_the_main_model_plus_mtp_gives_the_hubs_685b()
    {
        var a = Catalog.Model("deepseek-v3").Architecture;
        Assert.Equal(1, a.MtpLayers);
        var p = ParameterCount.Of(a);
        // One MTP block = one MoE decoder block + enorm + hnorm (2 x 7168) + eh_proj (2 x 7168 x 7168) + shared-head norm (7168).
        const double h = 7168;
        var block = p.AttentionPerLayer + p.NormsPerLayer + p.MoePerLayer;
        Assert.Equal(block + 2 * h + 2 * h * h + h, p.Mtp, 1);
        // The hub's 685B = 671B main model + the MTP module stored with its own embedding and head copies.
        Assert.InRange((p.Total(a) + p.Mtp + 2 * p.Embedding) / 685e9, 0.99, 1.01);
        // Not in Total: the published 671B leaves it out, and serving loads it only as a speculative draft.
        Assert.InRange(p.Total(a) / 671e9, 0.999, 1.001);
        Assert.Equal(p.Mtp * 1.0, MemoryModel.MtpWeightBytes(a, NumberFormat.Fp8).Value, 1);
    }

    [Fact]
    public void Llama_4_counts_its_shared_expert_in_the_active_parameters()
    {
        var a = Catalog.Model("llama-4-scout").Architecture;
        Assert.Equal(1, a.Moe!.SharedExperts);
        Assert.Equal(8192, a.Moe.SharedIntermediateSize);
        var p = ParameterCount.Of(a);
        // Per MoE layer a token uses the routed expert and the shared one: 2 x 3 x 5120 x 8192, plus the 5120 x 16 router.
        Assert.Equal(2 * 3.0 * 5120 * 8192 + 5120 * 16, p.ActiveMoePerLayer);
        Assert.InRange(p.Active(a) / 17e9, 0.99, 1.02);
        Assert.InRange(p.Total(a) / 109e9, 0.99, 1.01);
    }

    [Fact]
    public void Vision_towers_are_counted_in_the_weights_but_not_in_text_decode()
    {
        var m = Catalog.Model("llama-4-scout");
        var a = m.Architecture;
        var tower = Assert.Single(a.Towers);
        // 34 x (4 x 1408^2 + 2 x 1408 x 5632) + 3 x 14^2 x 1408 + (336 / 14)^2 x 1408 + 4096 x 5120.
        var hand = 34 * (4.0 * 1408 * 1408 + 2.0 * 1408 * 5632) + 3.0 * 14 * 14 * 1408 + 24.0 * 24 * 1408 + 4096.0 * 5120;
        Assert.Equal(hand, tower.Parameters);
        var textOnly = a with { Extras = a.Extras with { Towers = [] } };
        Assert.Equal(hand * 2, MemoryModel.WeightBytes(a, NumberFormat.Bf16).Value - MemoryModel.WeightBytes(textOnly, NumberFormat.Bf16).Value, 1);
        Assert.Equal(ParameterCount.Of(textOnly).Active(textOnly), ParameterCount.Of(a).Active(a));
        // A decode step does the same work with or without the tower.
        var device = Catalog.Device("nvidia-h100-sxm5-80gb");
        var layout = Layouts.Make(a, 4, 1);
        var with = new PreparedStep(new Deployment(m, device, layout, NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm), StepTimeParameters.Ideal).Estimate(StepShape.Decode(8, 2_000));
        var without = new PreparedStep(new Deployment(m with { Architecture = textOnly }, device, layout, NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm), StepTimeParameters.Ideal).Estimate(StepShape.Decode(8, 2_000));
        Assert.Equal(without.Time, with.Time);
    }

    [Theory]
    [InlineData("{\"model_type\":\"nemotron_h\",\"hidden_size\":4096,\"num_hidden_layers\":52,\"num_attention_heads\":32,\"vocab_size\":131072,\"hybrid_override_pattern\":\"M-M-M*-\"}", "hybrid_override_pattern")]
    [InlineData("{\"model_type\":\"x\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"layer_types\":[\"full_attention\",\"mamba\"]}", "layer_types")]
    [InlineData("{\"model_type\":\"x\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"layer_types\":[\"linear_attention\",\"full_attention\"]}", "layer_types")]
    [InlineData("{\"model_type\":\"minimax_m1\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"attn_type_list\":[0,2]}", "attn_type_list")]
    [InlineData("{\"model_type\":\"x\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"index_topk\":2048}", "index_topk")]
    // Kimi Linear's KDA layer lists must cover every layer once: three KDA and one MLA layer of 27 leave 23 unsized.
    [InlineData("{\"model_type\":\"kimi_linear\",\"hidden_size\":2304,\"num_hidden_layers\":27,\"num_attention_heads\":32,\"vocab_size\":163840,\"kv_lora_rank\":512,\"qk_nope_head_dim\":128,\"qk_rope_head_dim\":64,\"v_head_dim\":128,\"linear_attn_config\":{\"kda_layers\":[1,2,3],\"full_attn_layers\":[4],\"num_heads\":32,\"head_dim\":128}}", "linear_attn_config")]
    // Kimi K3's additions to that layout (full-rank KDA gates, block attention residuals, latent experts, a gated MLA output).
    [InlineData("{\"model_type\":\"kimi_linear\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"kv_lora_rank\":16,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"linear_attn_config\":{\"kda_layers\":[1],\"full_attn_layers\":[2],\"num_heads\":2,\"head_dim\":32,\"use_full_rank_gate\":true}}", "linear_attn_config.use_full_rank_gate")]
    [InlineData("{\"text_config\":{\"model_type\":\"kimi_linear\",\"hidden_size\":7168,\"num_hidden_layers\":93,\"num_attention_heads\":96,\"vocab_size\":163840,\"attn_res_block_size\":12}}", "attn_res_block_size")]
    [InlineData("{\"model_type\":\"kimi_linear\",\"hidden_size\":7168,\"num_hidden_layers\":93,\"num_attention_heads\":96,\"vocab_size\":163840,\"routed_expert_hidden_size\":3584}", "routed_expert_hidden_size")]
    [InlineData("{\"model_type\":\"kimi_linear\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"mla_use_output_gate\":true}", "mla_use_output_gate")]
    // Step 3.5 Flash's attention_other_setting is read since the twenty-fifth pass (StepFlashTests); windowed layers with KV
    // heads of their own are still refused by field.
    [InlineData("{\"model_type\":\"step3p5\",\"hidden_size\":4096,\"num_hidden_layers\":4,\"num_attention_heads\":64,\"num_attention_groups\":8,\"head_dim\":128,\"vocab_size\":128896,\"max_position_embeddings\":262144,\"sliding_window\":512,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"sliding_attention\"],\"attention_other_setting\":{\"attention_type\":\"sliding_attention\",\"num_attention_heads\":96,\"num_attention_groups\":16,\"head_dim\":128}}", "attention_other_setting.num_attention_groups")]
    // MiMo-V2-Flash's full / sliding-window pattern with widths per kind (4 against 8 KV heads, values of 128 against keys of 192).
    [InlineData("{\"model_type\":\"mimo_v2_flash\",\"hidden_size\":4096,\"num_hidden_layers\":6,\"num_attention_heads\":64,\"num_key_value_heads\":4,\"head_dim\":192,\"v_head_dim\":128,\"swa_num_key_value_heads\":8,\"sliding_window\":128,\"vocab_size\":152576,\"hybrid_layer_pattern\":[0,1,1,1,1,0]}", "hybrid_layer_pattern")]
    // Nanbeige 4.2's looped layers (num_loops 2); 1 is a plain stack and is read.
    [InlineData("{\"model_type\":\"nanbeige\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"num_loops\":2}", "num_loops")]
    // Query-head counts that differ among the full layers (no layer_types: every layer is full; Laguna gives its windowed
    // layers a count of their own, read since the twenty-fourth pass, HeadsPerLayerTests).
    [InlineData("{\"model_type\":\"laguna\",\"hidden_size\":2048,\"num_hidden_layers\":4,\"num_attention_heads\":48,\"num_key_value_heads\":8,\"head_dim\":128,\"vocab_size\":100352,\"num_attention_heads_per_layer\":[48,64,64,64]}", "num_attention_heads_per_layer")]
    // Gemma 3n's per-layer embeddings, AltUp and KV sharing are read since 2026-12-06 (PerLayerInputsTests), Gemma 4's since
    // the seventeenth pass: per-layer inputs without the table's vocabulary, AltUp without per-layer inputs and Gemma 4
    // per-layer inputs with LAuReL (a Gemma 3n block on a Gemma 4 model) are refused by field.
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":2048,\"num_hidden_layers\":35,\"num_attention_heads\":8,\"num_key_value_heads\":2,\"head_dim\":256,\"vocab_size\":262400,\"hidden_size_per_layer_input\":256}", "vocab_size_per_layer_input")]
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":2048,\"num_hidden_layers\":35,\"num_attention_heads\":8,\"num_key_value_heads\":2,\"head_dim\":256,\"vocab_size\":262400,\"altup_num_inputs\":4}", "altup_num_inputs")]
    [InlineData("{\"text_config\":{\"model_type\":\"gemma4_text\",\"hidden_size\":1536,\"num_hidden_layers\":35,\"num_attention_heads\":8,\"num_key_value_heads\":1,\"head_dim\":256,\"vocab_size\":262144,\"hidden_size_per_layer_input\":256,\"vocab_size_per_layer_input\":262144,\"laurel_rank\":64}}", "hidden_size_per_layer_input")]
    [InlineData("{\"model_type\":\"gemma4_text\",\"hidden_size\":5376,\"num_hidden_layers\":60,\"num_attention_heads\":32,\"num_key_value_heads\":16,\"head_dim\":256,\"vocab_size\":262144,\"global_head_dim\":512}", "global_head_dim")]
    // MiniMax Sparse Attention (read since 2026-12-06, SparseIndexerTests): a per-layer sparse list that does not cover the
    // layers, forced blocks beyond the top-k budget, or the scheme over latent attention, are refused by field.
    [InlineData("{\"model_type\":\"minimax_m3\",\"hidden_size\":64,\"num_hidden_layers\":3,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":16,\"vocab_size\":100,\"sparse_attention_config\":{\"sparse_index_dim\":16,\"sparse_num_index_heads\":2,\"sparse_topk_blocks\":2,\"sparse_block_size\":4,\"sparse_attention_freq\":[0,1]}}", "sparse_attention_config.sparse_attention_freq")]
    [InlineData("{\"model_type\":\"minimax_m3\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":16,\"vocab_size\":100,\"sparse_attention_config\":{\"sparse_index_dim\":16,\"sparse_num_index_heads\":2,\"sparse_topk_blocks\":2,\"sparse_block_size\":4,\"sparse_init_block\":2,\"sparse_local_block\":1}}", "sparse_attention_config")]
    [InlineData("{\"model_type\":\"x\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"kv_lora_rank\":16,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"sparse_attention_config\":{\"sparse_index_dim\":16,\"sparse_num_index_heads\":2,\"sparse_topk_blocks\":2,\"sparse_block_size\":4}}", "sparse_attention_config")]
    // MLP kinds per layer other than dense or experts.
    [InlineData("{\"model_type\":\"x\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"num_local_experts\":4,\"mlp_layer_types\":[\"dense\",\"mamba\"]}", "mlp_layer_types")]
    // DeepSeek V4 (trimmed V4-Flash config of ai-dynamo/aiconfigurator): a ratio list shorter than the layers, and its
    // hyper-connections or grouped output without its compressed attention, are refused by field.
    [InlineData("{\"model_type\":\"deepseek_v4\",\"hidden_size\":4096,\"num_hidden_layers\":43,\"num_attention_heads\":64,\"num_key_value_heads\":1,\"head_dim\":512,\"vocab_size\":129280,\"index_topk\":512,\"compress_ratios\":[0,4,128]}", "compress_ratios")]
    [InlineData("{\"model_type\":\"deepseek_v4\",\"hidden_size\":4096,\"num_hidden_layers\":43,\"num_attention_heads\":64,\"vocab_size\":129280,\"hc_mult\":4}", "hc_mult")]
    [InlineData("{\"model_type\":\"deepseek_v4\",\"hidden_size\":4096,\"num_hidden_layers\":43,\"num_attention_heads\":64,\"vocab_size\":129280,\"o_lora_rank\":1024}", "o_lora_rank")]
    // GLM-5.2's IndexShare (read since 2026-12-06): a list that opens with a 'shared' layer has no indexer to share, and a
    // sharing period without the list leaves the indexer layers to a guess.
    [InlineData("{\"model_type\":\"glm_moe_dsa\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"kv_lora_rank\":16,\"q_lora_rank\":32,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"index_topk\":8,\"index_n_heads\":2,\"index_head_dim\":16,\"indexer_types\":[\"shared\",\"full\"]}", "indexer_types")]
    [InlineData("{\"model_type\":\"glm_moe_dsa\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":100,\"kv_lora_rank\":16,\"q_lora_rank\":32,\"qk_nope_head_dim\":16,\"qk_rope_head_dim\":8,\"v_head_dim\":16,\"index_topk\":8,\"index_n_heads\":2,\"index_head_dim\":16,\"index_topk_freq\":4}", "index_topk_freq")]
    // AltUp streams without Gemma 3n's per-layer inputs, per-layer inputs without their table's vocabulary, AltUp on Gemma 4's
    // per-layer inputs, and KV sharing on a family other than Gemma 3n and Gemma 4 are refused by field.
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"altup_num_inputs\":4}", "altup_num_inputs")]
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"hidden_size_per_layer_input\":16}", "vocab_size_per_layer_input")]
    [InlineData("{\"model_type\":\"gemma4_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"hidden_size_per_layer_input\":16,\"vocab_size_per_layer_input\":100,\"altup_num_inputs\":4}", "hidden_size_per_layer_input")]
    [InlineData("{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":4,\"num_attention_heads\":2,\"vocab_size\":100,\"num_kv_shared_layers\":2}", "num_kv_shared_layers")]
    // Every layer sharing leaves none to borrow from; a full-attention sharing layer needs an earlier full-attention layer.
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"num_kv_shared_layers\":2}", "num_kv_shared_layers")]
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":64,\"num_hidden_layers\":3,\"num_attention_heads\":2,\"vocab_size\":100,\"sliding_window\":8,\"max_position_embeddings\":64,\"layer_types\":[\"sliding_attention\",\"sliding_attention\",\"full_attention\"],\"num_kv_shared_layers\":1}", "num_kv_shared_layers")]
    // MLP widths that differ between layers (a MatFormer slice) are one width Suanli cannot model.
    [InlineData("{\"model_type\":\"gemma3n_text\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":2,\"vocab_size\":100,\"intermediate_size\":[128,256]}", "intermediate_size")]
    public void An_architecture_field_suanli_cannot_model_is_an_error_naming_the_field(string json, string field)
    {
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_loop_is_a_plain_stack_and_reads_as_the_same_model_as_no_loop_field()
    {
        const string plain = "{\"model_type\":\"nanbeige\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"intermediate_size\":128,\"vocab_size\":100}";
        var once = HuggingFaceConfig.Parse(plain.Replace("}", ",\"num_loops\":1}", StringComparison.Ordinal), "config.json");
        var none = HuggingFaceConfig.Parse(plain, "config.json");
        Assert.Equal(ParameterCount.Of(none).Total(none), ParameterCount.Of(once).Total(once));
        Assert.Equal(none.Layers, once.Layers);
    }
}
