using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>Ling-flash-2.0 (inclusionAI's BailingMoeV2): a GQA MoE with one dense layer and a shared expert, counted by hand.</summary>
public sealed class LingFlashTests
{
    [Fact]
    public void Ling_flash_2_0_counts_the_hubs_103b_and_the_releases_6_1b_active_from_its_config()
    {
        // Hand count from the config: attention per layer q and o 2 x 4096 x 4096, k and v 2 x 4096 x 512 (4 KV heads of 128) =
        // 37,748,736; the dense first layer 3 x 4096 x 9216 = 113,246,208; each of 31 MoE layers 256 experts x 3 x 4096 x 1024
        // + a shared expert 3 x 4096 x 1024 + the router 256 x 4096 = 3,234,856,960; embedding and head 2 x 157,184 x 4096.
        // Sum 102,889,422,848 before norms (32 x 2 x 4096 layer norms, the final norm, QK norms and expert biases: under 0.3M).
        var a = CatalogFiles.Embedded.Model("ling-flash-2.0").Architecture;
        var p = ParameterCount.Of(a);
        const double weights = 32 * 37_748_736.0 + 113_246_208 + 31 * 3_234_856_960.0 + 2 * 157_184 * 4096.0;
        Assert.InRange(p.Total(a) - weights, 0, 300_000);
        Assert.InRange(p.Total(a) / 103e9, 0.99, 1.01);
        // Active: attention, the dense layer and, per MoE layer, 8 experts + the shared one + the router = 114,294,784: 4,864,344,064
        // without embedding and head (the release's 'non-embedding 4.8B'), 6,151,995,392 with them ('6.1B activated').
        const double active = 32 * 37_748_736.0 + 113_246_208 + 31 * (9 * 12_582_912.0 + 256 * 4096);
        Assert.InRange(p.ActiveAs(a, "no-embedding-no-head") - active, 0, 300_000);
        Assert.InRange(p.ActiveAs(a, "all") - active - 2 * 157_184 * 4096.0, 0, 300_000);
        Assert.Equal((32, 1, 31, 4), (a.Layers, a.DenseMlpLayers, a.MoeLayers, a.KvHeads));
    }
}
