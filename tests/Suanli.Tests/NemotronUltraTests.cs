using Suanli.Catalog;
using Suanli.Footprint;
using Xunit;
using static Suanli.Tests.ModelShapeChecks;

namespace Suanli.Tests;

/// <summary>
/// NVIDIA Nemotron 3 Ultra (Nemotron 3 Super's hybrid Mamba-2 / attention / latent-expert stack at width 8192, config
/// reconstructed from public readings of the hub config) against hand counts: 549.31B weights and 54.99B active, the MTP
/// module that brings the sum to the BF16 repository's 1,121 GB, the KV cache and a decode step's expert FLOPs and bytes.
/// </summary>
public sealed class NemotronUltraTests
{
    private const double H = 8192;
    // A routed expert: up 2048 x 5120 + down 5120 x 2048 (squared ReLU, two matrices) = 20,971,520.
    private const double Expert = 2.0 * 2048 * 5120;
    // Shared expert 2 x 8192 x 10,240 = 167,772,160; router 8192 x 512 = 4,194,304; the two latent projections
    // 2 x 8192 x 2048 = 33,554,432: what every token runs beside its 22 routed experts.
    private const double Dense = 2 * H * 10_240 + H * 512 + 2 * H * 2048;
    // Mamba-2 block (256 heads of 64, 8 groups, state 128): in_proj 8192 x (2 x 16,384 + 2 x 1024 + 256) = 287,309,824;
    // conv 18,432 channels x (4 + bias) = 92,160; A, D and dt bias 3 x 256; gated norm 16,384; out_proj 16,384 x 8192.
    private const double Mamba = H * (2 * 16_384 + 2 * 1024 + 256) + 18_432 * 5 + 3 * 256 + 16_384 + 16_384 * H;
    // GQA attention: q and o 8192 x 8192 each, k and v 8192 x (2 x 128) each.
    private const double Attention = 2 * H * 8192 + 2 * H * 256;
    private const double Edges = 108 * H + H + 2 * 131_072 * H;

    [Fact]
    public void Nemotron_3_ultra_reads_108_blocks_and_latent_experts_of_2048()
    {
        var a = Architecture("nemotron-3-ultra");
        // 60 mixer layers (48 Mamba-2 + 12 attention) beside 48 expert blocks.
        Assert.Equal((60, 48, 12, 48, 0), (a.Layers, a.Linear!.Layers, a.SoftmaxLayers, a.MoeLayers, a.DenseMlpLayers));
        Assert.Equal((512, 22, 1, 5120, 10_240, 2048), (a.Moe!.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.Moe.ExpertIntermediateSize, a.Moe.SharedIntermediateSize, a.Moe.LatentSize));
        Assert.Equal((1, new MtpBlocks(1, 0, 1)), (a.MtpLayers, a.Extras.MtpBlocks));
        Assert.Same(Model("nemotron-3-ultra"), Model("nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B-NVFP4"));
    }

    [Fact]
    public void Nemotron_3_ultra_counts_549_31_billion_and_54_99_billion_active_without_the_embedding()
    {
        var a = Architecture("nemotron-3-ultra");
        var p = ParameterCount.Of(a);
        Assert.Equal(421_636_864.0, Mamba);
        Assert.Equal(138_412_032.0, Attention);
        Assert.Equal(512 * Expert + Dense, p.MoePerLayer);
        Assert.Equal(10_942_939_136.0, p.MoePerLayer);
        Assert.Equal(22 * Expert + Dense, p.ActiveMoePerLayer);
        const double total = 48 * Mamba + 12 * Attention + 48 * (512 * Expert + Dense) + Edges;
        Assert.Equal(549_308_968_960.0, total);
        Assert.Equal(total, p.Total(a), 1);
        // 0.13% under the announced 550B.
        Assert.InRange(total / 550e9, 0.998, 0.999);
        const double active = 48 * Mamba + 12 * Attention + 48 * (22 * Expert + Dense) + Edges;
        Assert.Equal(56_058_818_560.0, active);
        Assert.Equal(active, p.Active(a), 1);
        // Without the 131,072 x 8192 embedding: 54.99B, the name's A55B.
        Assert.InRange((active - 131_072 * H) / 55e9, 0.999, 1.0);
    }

    [Fact]
    public void The_mtp_module_brings_the_count_to_the_bf16_repositorys_1121_gb()
    {
        var a = Architecture("nemotron-3-ultra");
        var p = ParameterCount.Of(a);
        // '*E': attention + expert block + a norm each, enorm and hnorm, eh_proj 2 x 8192 x 8192 and the final norm.
        const double mtp = Attention + 512 * Expert + Dense + 2 * H + 2 * H + 2 * H * H + H;
        Assert.Equal(11_215_609_856.0, mtp);
        Assert.Equal(mtp, p.Mtp);
        // 560.52B at two bytes: 1,121.05 GB against the repository's 1,121 GB.
        Assert.InRange((p.Total(a) + p.Mtp) * 2 / 1e9, 1121.0, 1121.1);
    }

    [Fact]
    public void Twelve_attention_layers_keep_12_kib_of_bf16_kv_cache_a_token()
    {
        // 12 layers x 2 (K and V) x 2 KV heads x 128 x 2 bytes = 12,288 bytes; the Mamba layers keep a constant state.
        Assert.Equal(12 * 2 * 2 * 128 * 2.0, KvBytesPerTokenBf16("nemotron-3-ultra"));
    }

    [Fact]
    public void A_decode_token_runs_22_latent_experts_the_shared_expert_router_and_both_latent_projections()
    {
        // 48 blocks x 2 FLOP x (22 x 20,971,520 + 205,520,896) = 64,021,856,256 FLOP a token; the same weights read once in FP8.
        Assert.Equal(64_021_856_256.0, 48 * 2 * (22 * Expert + Dense));
        AssertFp8DecodeExperts("nemotron-3-ultra", 48, 22 * Expert + Dense);
    }
}
