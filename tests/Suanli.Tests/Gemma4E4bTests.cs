using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Gemma 4 E4B (catalog/models/google--gemma-4-E4B-it, reconstructed from the E4B text config ollama's Gemma 4 test
/// parses, ollama/ollama@3c8e1b44e333eec6b3bfed0fb4c131b03978e063 x/models/gemma4/gemma4_test.go): the E2B's blocks
/// without the double-wide MLP, counted by hand.
/// </summary>
public sealed class Gemma4E4bTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Gemma_4_e4b_shares_kv_on_its_last_18_layers_and_counts_4_64_billion_without_its_per_layer_table()
    {
        var a = Catalog.Model("google/gemma-4-E4B-it").Architecture;
        // Layers 24-41 share: 15 windowed and 3 full (every sixth layer is full: 5, 11, ..., 41); the MLPs stay 10,240 wide.
        Assert.Equal(new SharedKv(18, 15, false, false), a.SharedKv);
        Assert.Equal(new PerLayerInputs(256, 262_144, 1, 0), a.PerLayer);
        // By hand: windowed attention q 2560 x 2048, k and v 2560 x 512, o 2048 x 2560; full q 2560 x 4096, k and v
        // 2560 x 1024, o 4096 x 2560; the 18 sharing layers keep q and o only. 20 windowed and 4 full layers own their KV.
        const double h = 2560;
        var windowed = 2 * h * 2048 + 2 * h * 512;
        var full = 2 * h * 4096 + 2 * h * 1024;
        var attention = 20 * windowed + 4 * full + 15 * (2 * h * 2048) + 3 * (2 * h * 4096);
        Assert.Equal(587_202_560.0, attention);
        var mlp = 42 * 3 * h * 10_240;
        var perLayer = 42 * (2 * h * 256 + h) + h * 42 * 256 + 256;
        var effective = attention + mlp + 42 * 4 * h + perLayer + 262_144 * h + h;
        // '4.5B effective' (apxml.com): every text weight but the per-layer table, 3% over the rounded figure.
        Assert.Equal(4_644_421_376.0, effective);
        var p = ParameterCount.Of(a);
        Assert.Equal(effective + 262_144.0 * 42 * 256, p.Text(a), 1);
        Assert.Equal(7_462_993_664.0, p.Text(a), 1);
        Assert.Equal(effective - 262_144 * h, p.ActiveAs(a, "no-embedding"), 1);
        // The E2B's 16-layer vision encoder of 768 (gated MLP 3072, 16 x 16 patches), projected to 2560: 153.6M.
        Assert.Equal(16 * (4 * 768.0 * 768 + 3 * 768.0 * 3072) + 3 * 16 * 16 * 768.0 + 768.0 * h, p.Total(a) - p.Text(a), 1);
        // KV per token in BF16: 20 windowed layers of 2 x 256 and 4 full layers of 2 x 512 cache keys and values.
        Assert.Equal(20 * 2 * 2 * 256 * 2.0 + 4 * 2 * 2 * 512 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }
}
