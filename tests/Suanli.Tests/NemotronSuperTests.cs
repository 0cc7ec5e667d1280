using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;
using static Suanli.Tests.ModelShapeChecks;

namespace Suanli.Tests;

/// <summary>
/// NVIDIA Nemotron 3 Super's latent experts (moe_latent_size) and listed MTP module (mtp_hybrid_override_pattern) against
/// hand counts from its config: weights, the MTP draft, a decode step's expert FLOPs and bytes, and the all-to-all.
/// </summary>
public sealed class NemotronSuperTests
{
    // h = 4096, latent 1024. A routed expert: up 1024 x 2688 + down 2688 x 1024 (squared ReLU, two matrices) = 5,505,024.
    private const double Expert = 2.0 * 1024 * 2688;
    // Shared expert 2 x 4096 x 5376 = 44,040,192; router 4096 x 512 = 2,097,152; fc1_latent_proj + fc2_latent_proj
    // 2 x 4096 x 1024 = 8,388,608: what every token runs beside its 22 routed experts.
    private const double Dense = 2.0 * 4096 * 5376 + 4096.0 * 512 + 2.0 * 4096 * 1024;

    [Fact]
    public void Nemotron_3_super_reads_88_blocks_and_latent_experts_of_1024()
    {
        var a = Architecture("nemotron-3-super");
        Assert.Equal((48, 40, 8, 40, 0), (a.Layers, a.Linear!.Layers, a.SoftmaxLayers, a.MoeLayers, a.DenseMlpLayers));
        Assert.Equal((512, 22, 1, 2688, 5376, 1024), (a.Moe!.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.Moe.ExpertIntermediateSize, a.Moe.SharedIntermediateSize, a.Moe.LatentSize));
        Assert.Equal((1, new MtpBlocks(1, 0, 1)), (a.MtpLayers, a.Extras.MtpBlocks));
        Assert.Equal(1024, a.Moe.ExpertInputWidth(a.HiddenSize));
    }

    [Fact]
    public void Nemotron_3_super_counts_120_67_billion_and_12_77_billion_active_as_its_checkpoint_headers_do()
    {
        var a = Architecture("nemotron-3-super");
        var p = ParameterCount.Of(a);
        // One expert block: 512 latent experts + shared expert, router and latent projections = 2,873,098,240; a token
        // runs 22 of the experts: 175,636,480.
        Assert.Equal(512 * Expert + Dense, p.MoePerLayer);
        Assert.Equal(2_873_098_240.0, p.MoePerLayer);
        Assert.Equal(22 * Expert + Dense, p.ActiveMoePerLayer);
        Assert.Equal(175_636_480.0, p.ActiveMoePerLayer);
        // Mamba-2 block (128 heads of 64, 8 groups, state 128): in_proj 4096 x (2 x 8192 + 2 x 1024 + 128) = 76,021,760; conv
        // 10,240 channels x (4 + bias) = 51,200; 384; gated norm 8,192; out_proj 8192 x 4096 = 33,554,432: 109,635,968.
        // Attention 4096 x (4096 + 2 x 256) + 4096 x 4096 = 35,651,584. 88 block norms, the final norm, untied 131,072 x 4096
        // embedding and head.
        const double edges = 88 * 4096.0 + 4096 + 2 * 131_072 * 4096.0;
        const double mixers = 40 * 109_635_968.0 + 8 * 35_651_584.0;
        const double total = mixers + 40 * 2_873_098_240.0 + edges;
        // The BF16 checkpoint's headers, as a public parameter-count test reads them: 123,611,012,096 BF16 weights less the
        // MTP module's 2,942,324,736; less the 107,898,470,400 inactive experts for the active count.
        Assert.Equal(123_611_012_096.0 - 2_942_324_736.0, total);
        Assert.Equal(total, p.Total(a));
        const double active = mixers + 40 * 175_636_480.0 + edges;
        Assert.Equal(total - 107_898_470_400.0, active);
        Assert.Equal(12_770_216_960.0, p.Active(a));
    }

    [Fact]
    public void The_mtp_module_counts_an_attention_and_an_expert_block_and_its_draft_reads_one_attention_layers_kv()
    {
        var a = Architecture("nemotron-3-super");
        var p = ParameterCount.Of(a);
        // '*E': attention 35,651,584 + expert block 2,873,098,240 + a norm each, enorm and hnorm, eh_proj 2 x 4096 x 4096 and
        // the final norm: the headers' 2,942,324,736.
        const double mtp = 35_651_584.0 + 2_873_098_240.0 + 2 * 4096 + 2 * 4096 + 2 * 4096.0 * 4096 + 4096;
        Assert.Equal(2_942_324_736.0, mtp);
        Assert.Equal(mtp, p.Mtp);
        // FP8 experts beside BF16 rest: the 512 latent experts at 1 byte, the other 123,496,448 at 2.
        var precision = WeightPrecision.Mixed(NumberFormat.Fp8, NumberFormat.Bf16);
        Assert.Equal(512 * Expert + 2 * (mtp - 512 * Expert), MemoryModel.MtpWeightBytes(a, precision).Value);
        var m = Model("nemotron-3-super");
        var d = new Deployment(m, Device("nvidia-h200-sxm-141gb"), Layouts.Make(a, 2, 1), NumberFormat.Fp8, NumberFormat.Bf16, Engine.Vllm);
        // One attention block: 2 x 2 KV heads x 128 x 2 bytes, one KV head a rank at TP 2: 512 bytes a token.
        Assert.Equal(512.0, SpeculativeDecoding.Memory(d, Speculation.Create(SpeculationKind.Mtp, 1, 0.7, m)).KvPerToken.Value);
    }

    [Fact]
    public void A_decode_token_runs_22_latent_experts_the_shared_expert_router_and_both_latent_projections()
    {
        // 40 blocks x 2 FLOP x (22 x 5,505,024 + 54,525,952) = 14,050,918,400; the same weights read once in FP8.
        Assert.Equal(351_272_960.0, 2 * (22 * Expert + Dense));
        var experts = AssertFp8DecodeExperts("nemotron-3-super", 40, 22 * Expert + Dense);
        Assert.Equal(14_050_918_400.0, experts.Flop.Value, 1);
    }

    [Fact]
    public void Latent_experts_send_latent_values_through_the_all_to_all()
    {
        var a = Architecture("nemotron-3-super");
        // DP 8 x TP 1: 2,048 tokens, 256 a device, each to 22 experts in 1,024 BF16 values, 7/8 of them to other devices.
        var dp8 = Layouts.MakeDataParallelAttention(1, 8, 1);
        Assert.Equal(256 * 22 * 1024 * 2 * 7 / 8.0, PreparedStep.AllToAllBytesPerDevice(a, dp8, 2048).Value, 1);
    }

    private const string Common = "\"model_type\":\"nemotron_h\",\"hidden_size\":64,\"num_hidden_layers\":4,\"num_attention_heads\":4,\"vocab_size\":100,\"n_groups\":1,\"mamba_num_heads\":2,\"mamba_head_dim\":32,\"ssm_state_size\":16";

    [Fact]
    public void A_config_without_the_latent_width_counts_experts_on_the_hidden_state_as_before()
    {
        var experts = ",\"n_routed_experts\":4,\"num_experts_per_tok\":2,\"moe_intermediate_size\":8,\"hybrid_override_pattern\":\"ME*E\"";
        var plain = HuggingFaceConfig.Parse("{" + Common + experts + "}", "config.json");
        var latent = HuggingFaceConfig.Parse("{" + Common + experts + ",\"moe_latent_size\":16}", "config.json");
        // Per expert block: 4 experts of 2 x 8 wide, from 64 to 16: 4 x 2 x (64 - 16) x 8 fewer, plus 2 x 64 x 16 projections.
        var fewer = 4 * 2.0 * (64 - 16) * 8 - 2.0 * 64 * 16;
        Assert.Equal(ParameterCount.Of(plain).MoePerLayer - fewer, ParameterCount.Of(latent).MoePerLayer);
        Assert.Equal(0, plain.Moe!.LatentSize);
    }

    [Theory]
    // A latent width with no routed experts to run in it.
    [InlineData(",\"hybrid_override_pattern\":\"M-*-\",\"moe_latent_size\":16", "moe_latent_size")]
    // An MTP module with a Mamba-2 block, or an unknown kind, in either spelling.
    [InlineData(",\"hybrid_override_pattern\":\"M-*-\",\"num_nextn_predict_layers\":1,\"mtp_hybrid_override_pattern\":\"M*-\"", "mtp_hybrid_override_pattern")]
    [InlineData(",\"hybrid_override_pattern\":\"M-*-\",\"num_nextn_predict_layers\":1,\"mtp_layers_block_type\":[\"attention\",\"rwkv\"]", "mtp_layers_block_type")]
    [InlineData(",\"hybrid_override_pattern\":\"M-*-\",\"num_nextn_predict_layers\":1,\"mtp_hybrid_override_pattern\":\"\"", "mtp_hybrid_override_pattern")]
    // An MTP expert block in a model without experts.
    [InlineData(",\"hybrid_override_pattern\":\"M-*-\",\"num_nextn_predict_layers\":1,\"mtp_hybrid_override_pattern\":\"*E\"", "mtp_hybrid_override_pattern")]
    public void A_latent_or_mtp_field_suanli_cannot_size_is_refused_naming_it(string fields, string field)
    {
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse("{" + Common + fields + "}", "config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latent_width_without_experts_is_refused_in_chinese_too()
    {
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse("{" + Common + ",\"hybrid_override_pattern\":\"M-*-\",\"moe_latent_size\":16}", "config.json"));
        Assert.Equal("config.json 字段 'moe_latent_size'（16）为路由专家给出潜在宽度，但该配置没有路由专家（n_routed_experts 大于 1）。请加上专家或移除 moe_latent_size。",
            ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core));
    }

    [Fact]
    public void The_list_form_of_the_mtp_blocks_reads_as_the_pattern_does()
    {
        var pattern = HuggingFaceConfig.Parse("{" + Common + ",\"hybrid_override_pattern\":\"M-*-\",\"num_nextn_predict_layers\":1,\"mtp_hybrid_override_pattern\":\"*-\"}", "config.json");
        var list = HuggingFaceConfig.Parse("{" + Common + ",\"hybrid_override_pattern\":\"M-*-\",\"num_nextn_predict_layers\":1,\"mtp_layers_block_type\":[\"attention\",\"mlp\"]}", "config.json");
        Assert.Equal(new MtpBlocks(1, 1, 0), list.Extras.MtpBlocks);
        Assert.Equal(ParameterCount.Of(pattern).Mtp, ParameterCount.Of(list).Mtp);
    }
}
