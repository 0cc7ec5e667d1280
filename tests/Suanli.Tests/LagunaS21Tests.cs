using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// poolside's Laguna S 2.1 (the FP8 repository's hub config as ai-dynamo/aiconfigurator vendors it: Laguna XS.2's design at
/// width 3072, 72 query heads on the windowed layers and 48 on the full ones, 256 experts of 1024 top-10) against hand counts
/// and the card's 118B total and roughly 8B active.
/// </summary>
public sealed class LagunaS21Tests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // h = 3072, 8 KV heads of 128. Full layer: q 3072 x 6144 + k, v 2 x 3072 x 1024 + o 6144 x 3072 + gate 3072 x 48.
    private const double FullLayer = 2 * 3072 * 6144.0 + 2 * 3072 * 1024.0 + 3072 * 48.0;
    // Windowed layer: q 3072 x 9216 + k, v + o 9216 x 3072 + gate 3072 x 72.
    private const double WindowLayer = 2 * 3072 * 9216.0 + 2 * 3072 * 1024.0 + 3072 * 72.0;
    private const double Expert = 3 * 3072 * 1024.0;
    private const double Router = 256 * 3072.0;
    // Layer 0's SwiGLU 3 x 3072 x 12,288; 97 norms (two a layer and the final one); untied 100,352 x 3072 embedding and head.
    private const double Dense = 3 * 3072 * 12_288.0;
    private const double Norms = 97 * 3072.0;
    private const double Table = 100_352 * 3072.0;

    [Fact]
    public void Laguna_s_2_1_reads_48_layers_12_of_them_full_with_72_query_heads_on_the_windowed_ones()
    {
        var m = Catalog.Model("laguna-s-2.1");
        var a = m.Architecture;
        Assert.Equal((48, 12, 48, 72, 512), (a.Layers, a.FullAttentionLayers, a.Heads, a.WindowHeads, a.Window!.Length));
        Assert.Equal((3072, 8, 128, 100_352), (a.HiddenSize, a.KvHeads, a.HeadDim, a.VocabSize));
        Assert.Equal((1, 47, 256, 10), (a.DenseMlpLayers, a.MoeLayers, a.Moe!.Experts, a.Moe.ActiveExperts));
        Assert.True(a.Extras.HeadGate);
        Assert.False(a.TiedEmbeddings);
        Assert.Equal((262_144, "bf16", "OpenMDW-1.1", "verbatim"), (m.ContextLength, m.DefaultPrecision, m.Licence, m.ConfigKind));
        Assert.Same(m, Catalog.Model("poolside/Laguna-S-2.1-FP8"));
    }

    [Fact]
    public void The_config_counts_117_56_billion_against_the_cards_118_and_8_14_billion_active_without_the_embedding()
    {
        var m = Catalog.Model("laguna-s-2.1");
        var a = m.Architecture;
        var p = ParameterCount.Of(a);
        Assert.Equal(2_803_138_560.0, 12 * FullLayer + 36 * WindowLayer);
        Assert.Equal(2_803_138_560.0, p.Mixers(a), 1);
        // 47 expert layers of 256 experts, the shared expert and the router.
        const double total = 12 * FullLayer + 36 * WindowLayer + Dense + 47 * (257 * Expert + Router) + Norms + 2 * Table;
        Assert.Equal(117_561_953_280.0, total);
        Assert.Equal(total, p.Total(a), 1);
        // 0.37% under the card's 118B: inside the 1% check.
        Assert.InRange(total / m.PublishedParameters!.Value, 0.995, 0.997);
        // Active: 10 routed experts and the shared one; without the embedding lookup, head counted.
        const double active = 12 * FullLayer + 36 * WindowLayer + Dense + 47 * (11 * Expert + Router) + Norms + Table;
        Assert.Equal(8_140_950_528.0, active);
        Assert.Equal(active, p.ActiveAs(a, "no-embedding"), 1);
        Assert.Equal(active + Table, p.Active(a), 1);
        Assert.Contains("rounded", m.ActiveParameterCheckException, StringComparison.Ordinal);
    }

    [Fact]
    public void Laguna_s_2_1_carries_the_launch_tables_swe_bench_pro()
    {
        Assert.Equal(59.4, Catalog.Model("laguna-s-2.1").Score("SWE-bench Pro"));
    }
}
