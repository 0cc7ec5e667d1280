using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// NVIDIA Nemotron 3.5 Lightning 30B-A3B (a distilled Nemotron 3 Nano: the same 52-block hybrid Mamba-2 / attention / expert
/// backbone, a 1M-token config and a native MTP module of an attention and an expert block; config reconstructed from Nano's
/// verbatim config) against hand counts: Nano's 31.58B and 3.58B active, the published 31.6B and 3.6B, and the MTP module.
/// </summary>
public sealed class NemotronLightningTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private const double H = 2688;
    // A routed expert: up 2688 x 1856 + down 1856 x 2688 (squared ReLU, two matrices) = 9,977,856.
    private const double Expert = 2 * H * 1856;
    // Shared expert 2 x 2688 x 3712 = 19,955,712 and the router 2688 x 128 = 344,064: what every token runs beside its 6 experts.
    private const double Dense = 2 * H * 3712 + H * 128;
    // Mamba-2 block (64 heads of 64, 8 groups, state 128): in_proj 2688 x (2 x 4096 + 2 x 1024 + 64), conv 6144 channels x
    // (4 + bias), A, D and dt bias 3 x 64, gated norm 4096, out_proj 4096 x 2688.
    private const double Mamba = H * (2 * 4096 + 2 * 1024 + 64) + 6144 * 5 + 3 * 64 + 4096 + 4096 * H;
    // GQA attention: q and o 2688 x 4096 each, k and v 2688 x (2 x 128) each.
    private const double Attention = 2 * H * 4096 + 2 * H * 256;
    // A norm a block, the final norm, the untied 131,072 x 2688 embedding and head.
    private const double Edges = 52 * H + H + 2 * 131_072 * H;

    [Fact]
    public void Lightning_reads_nanos_52_blocks_with_a_1m_token_config_and_one_mtp_module()
    {
        var m = Catalog.Model("nemotron-3.5-lightning");
        var a = m.Architecture;
        var nano = Catalog.Model("nemotron-3-nano-30b-a3b").Architecture;
        // 29 mixer layers (23 Mamba-2 + 6 attention) beside 23 expert blocks: Nano's.
        Assert.Equal((29, 23, 6, 23), (a.Layers, a.Linear!.Layers, a.SoftmaxLayers, a.MoeLayers));
        Assert.Equal((nano.Layers, nano.HiddenSize, nano.Heads, nano.VocabSize), (a.Layers, a.HiddenSize, a.Heads, a.VocabSize));
        Assert.Equal((128, 6, 1, 1856, 3712), (a.Moe!.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.Moe.ExpertIntermediateSize, a.Moe.SharedIntermediateSize));
        Assert.Equal((1, new MtpBlocks(1, 0, 1)), (a.MtpLayers, a.Extras.MtpBlocks));
        Assert.Equal(0, nano.MtpLayers);
        Assert.Equal((1_048_576, 262_144), (a.MaxContext, nano.MaxContext));
        Assert.Equal((1_048_576, "bf16", "OpenMDW-1.1"), (m.ContextLength, m.DefaultPrecision, m.Licence));
        Assert.Same(m, Catalog.Model("nvidia/NVIDIA-Nemotron-3.5-Lightning-30B-A3B-NVFP4"));
        Assert.Same(m, Catalog.Model("nemotron-3.5-lightning-30b-a3b"));
    }

    [Fact]
    public void Lightning_counts_nanos_31_58_billion_and_3_58_billion_active_against_the_published_31_6_and_3_6()
    {
        var m = Catalog.Model("nemotron-3.5-lightning");
        var a = m.Architecture;
        var p = ParameterCount.Of(a);
        Assert.Equal(38_742_208.0, Mamba);
        Assert.Equal(23_396_352.0, Attention);
        Assert.Equal(128 * Expert + Dense, p.MoePerLayer);
        const double total = 23 * Mamba + 6 * Attention + 23 * (128 * Expert + Dense) + Edges;
        Assert.Equal(31_577_937_344.0, total);
        Assert.Equal(total, p.Total(a), 1);
        // The backbone is Nano's to the parameter.
        var nano = Catalog.Model("nemotron-3-nano-30b-a3b").Architecture;
        Assert.Equal(ParameterCount.Of(nano).Total(nano), p.Total(a), 1);
        // 0.07% under the published 31.6B.
        Assert.InRange(total / m.PublishedParameters!.Value, 0.999, 1.0);
        const double active = 23 * Mamba + 6 * Attention + 23 * (6 * Expert + Dense) + Edges;
        Assert.Equal(3_580_073_408.0, active);
        Assert.Equal(active, p.Active(a), 1);
        // With embedding and head, 0.55% under the published 3.6B.
        Assert.InRange(active / m.ActiveParameters!.Value, 0.99, 1.0);
    }

    [Fact]
    public void The_mtp_module_counts_an_attention_and_an_expert_block_1_34_billion()
    {
        var a = Catalog.Model("nemotron-3.5-lightning").Architecture;
        var p = ParameterCount.Of(a);
        // '*E': attention + expert block + a norm each, enorm and hnorm, eh_proj 2 x 2688 x 2688 and the final norm.
        const double mtp = Attention + 128 * Expert + Dense + 2 * H + 2 * H + 2 * H * H + H;
        Assert.Equal(1_335_325_824.0, mtp);
        Assert.Equal(mtp, p.Mtp);
        // With the module the BF16 checkpoint holds 32.92B, the '33B' the hub lists for a GGUF copy of it.
        Assert.InRange((p.Total(a) + p.Mtp) / 1e9, 32.9, 33.0);
    }
}
