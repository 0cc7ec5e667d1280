using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Gemma 3n's per-layer input embeddings, AltUp streams, LAuReL blocks and KV sharing between layers, against hand
/// computations from the E4B and E2B shapes (transformers models/gemma3n modeling_gemma3n.py; docs/methodology.md,
/// "Per-layer inputs, AltUp and KV sharing").
/// </summary>
public sealed class PerLayerInputsTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // One E4B block by hand: q and o 2048 x 2048, k and v 2048 x 512; GeGLU MLP 3 x 2048 x 16,384; four norms of 2048;
    // AltUp's correction (4 x 4) and prediction (4 x 16) coefficients, router 2048 x 4, router norm and output scale;
    // LAuReL 2 x 2048 x 64 and its norm; the per-layer input gate and projection 2 x 2048 x 256 and their norm.
    private const double H = 2048;
    private const double Attention = 2 * H * H + 2 * H * 512;
    private const double Extras = 16 + 64 + H * 4 + 2 * H + 2 * H * 64 + H + 2 * H * 256 + H;

    [Fact]
    public void Gemma_3n_e4b_counts_its_per_layer_table_as_embedding_and_its_blocks_as_the_3_98_billion_effective_parameters()
    {
        var a = Catalog.Model("gemma-3n-e4b").Architecture;
        Assert.Equal(new PerLayerInputs(256, 262_144, 4, 64), a.PerLayer);
        Assert.Equal(new SharedKv(15, 12), a.SharedKv);
        Assert.Equal((35, 7, 16, 4), (a.Layers, a.FullAttentionLayers, a.CachedWindowLayers, a.CachedFullLayers));

        var blocks = 35 * (Attention + 3 * H * 16_384 + 4 * H + Extras);
        // Outside the blocks: the projection of the embedding to 35 x 256 per-layer inputs and its norm, AltUp's three
        // projections into and three out of the extra streams, the final norm.
        var outside = H * 35 * 256 + 256 + 2 * 3 * H * H + H;
        Assert.Equal(3_980_473_328.0, blocks + outside);
        var p = ParameterCount.Of(a);
        Assert.Equal(262_144.0 * 35 * 256, p.PerLayerEmbedding);
        Assert.Equal(262_400 * H, p.Embedding);
        Assert.Equal(0, p.LmHead);
        // The published effective count (3.98B) leaves out both embedding tables; the text model is 6.87B.
        Assert.Equal(blocks + outside, p.ActiveAs(a, "no-embedding"), 1);
        Assert.Equal(6_866_678_768.0, p.Text(a), 1);
        // The table stays 16-bit like the token embedding under a 4-bit format.
        Assert.Equal((p.Text(a) - p.Edge) * NumberFormat.Int4.BytesPerValue + p.Edge * 2, MemoryModel.WeightBytes(a, NumberFormat.Int4).Value, 1);
    }

    [Fact]
    public void Gemma_3n_e4b_caches_keys_and_values_on_20_of_35_layers_and_its_sharing_layers_read_the_borrowed_cache()
    {
        var m = Catalog.Model("gemma-3n-e4b");
        var a = m.Architecture;
        // 20 caching layers (16 windowed, 4 full) x 2 x 2 KV heads x 256 x 2 B.
        const double perLayer = 2 * 2 * 256 * 2;
        Assert.Equal(20 * perLayer, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
        Assert.Equal(4 * perLayer * 32_768 + 16 * perLayer * 512, MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 32_768).Value, 1);

        // Decode one token at 10,000: all 7 full layers (3 of them borrowing) read 10,000 entries and all 28 windowed layers
        // 512; only the 20 caching layers write the new token's. Attention costs 4 x 8 heads x 256 FLOP per entry.
        const double ctx = 10_000;
        var deployment = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(a, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        var ops = new PreparedStep(deployment, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, ctx));
        var attention = ops.Single(o => o.Kind == OperatorKind.Attention);
        Assert.Equal(perLayer * (7 * ctx + 28 * 512 + 20), attention.KvBytes.Value, 1e-3);
        Assert.Equal(4.0 * 8 * 256 * (7 * ctx + 28 * 512), attention.Flop.Value, 1);

        // The 15 sharing layers skip their K and V projections (2 x 2048 x 512 each): stored, never read by the step.
        var p = ParameterCount.Of(a);
        Assert.Equal(15 * 2 * H * 512, p.IdleKvProjections);
        var projections = ops.Where(o => o.Kind is OperatorKind.QkvProjection or OperatorKind.OutputProjection).Sum(o => o.WeightBytes.Value);
        Assert.Equal(2 * (35 * (Attention + Extras) + H * 35 * 256 + 256 + 2 * 3 * H * H - 15 * 2 * H * 512), projections, 1);
        // Each token looks up its embedding row and its 35 x 256 per-layer row.
        Assert.Equal((H + 35 * 256) * 2, ops.Single(o => o.Kind == OperatorKind.Embedding).ActivationBytes.Value, 1e-6);
        // The roofline streams every weight but the per-layer table and the idle projections, plus the cache it reads.
        var streamed = (p.Text(a) - p.PerLayerEmbedding - p.IdleKvProjections) * 2;
        Assert.Equal(streamed + 20 * perLayer * ctx, Roofline.Instance.Estimate(deployment, StepShape.Decode(1, ctx)).BytesMoved.Value, 1);
    }

    [Fact]
    public void Gemma_3n_e2b_has_30_layers_of_which_the_last_10_share_and_counts_the_1_91_billion_effective_parameters()
    {
        var a = Catalog.Model("gemma-3n-e2b").Architecture;
        Assert.Equal(new SharedKv(10, 8), a.SharedKv);
        var blocks = 30 * (Attention + 3 * H * 8192 + 4 * H + Extras) + H * 30 * 256 + 256 + 2 * 3 * H * H + H;
        Assert.Equal(1_905_480_288.0, blocks);
        var p = ParameterCount.Of(a);
        Assert.Equal(blocks, p.ActiveAs(a, "no-embedding"), 1);
        Assert.Equal(blocks + 262_400 * H + 262_144.0 * 30 * 256, p.Text(a), 1);
        Assert.Equal(20 * 2 * 2 * 256 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }

    [Fact]
    public void Gemma_4_e2b_sharing_layers_have_no_kv_projections_and_double_wide_mlps_and_count_2_28_billion_effective()
    {
        var a = Catalog.Model("google/gemma-4-E2B-it").Architecture;
        // Layers 15-34 share: 16 windowed and 4 full (every fifth layer is full).
        Assert.Equal(new SharedKv(20, 16, false, true), a.SharedKv);
        Assert.Equal(new PerLayerInputs(256, 262_144, 1, 0), a.PerLayer);
        // By hand (transformers models/gemma4: sharing layers keep q and o only; their MLPs are 2 x 6144 wide). Windowed
        // attention q 1536 x 2048, k and v 1536 x 256, o 2048 x 1536; full q 1536 x 4096, k and v 1536 x 512, o 4096 x 1536.
        const double h = 1536;
        var windowed = 2 * h * 2048 + 2 * h * 256;
        var full = 2 * h * 4096 + 2 * h * 512;
        var attention = 12 * windowed + 3 * full + 16 * (2 * h * 2048) + 4 * (2 * h * 4096);
        var mlp = 15 * 3 * h * 6144 + 20 * 3 * h * 12_288;
        var perLayer = 35 * (2 * h * 256 + h) + h * 35 * 256 + 256;
        var effective = attention + mlp + 35 * 4 * h + perLayer + 262_144 * h + h;
        Assert.Equal(2_279_743_744.0, effective);
        var p = ParameterCount.Of(a);
        Assert.Equal(effective + 262_144.0 * 35 * 256, p.Text(a), 1);
        Assert.Equal(0, p.IdleKvProjections);
        // The 16-layer vision encoder of 768 (gated MLP 3072, 16 x 16 patches, projected to 1536): 152.8M.
        Assert.Equal(16 * (4 * 768.0 * 768 + 3 * 768.0 * 3072) + 3 * 16 * 16 * 768.0 + 768.0 * h, p.Total(a) - p.Text(a), 1);
        // KV per token in BF16: 12 windowed layers of 1 x 256 and 3 full layers of 1 x 512 cache keys and values.
        Assert.Equal(12 * 2 * 256 * 2.0 + 3 * 2 * 512 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }
}
