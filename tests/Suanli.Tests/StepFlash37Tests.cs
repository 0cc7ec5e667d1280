using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// StepFun's Step 3.7 Flash: Step 3.5 Flash's text model nested under text_config in a vision wrapper (model_type step3p7)
/// with a perception encoder, two downsampling convolutions and a projector, counted in the weights and not in text decode.
/// </summary>
public sealed class StepFlash37Tests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // Perception encoder at w = 1536: 47 layers of attention 4w^2 and a plain MLP 2 x w x 8960 = 1,737,228,288; patch embedding
    // 3 x 14 x 14 x w = 903,168; 52 x 52 absolute positions x w = 4,153,344; downsamplers 3 x 3 x w x 2w + 3 x 3 x 2w x 4w =
    // 90 w^2 = 212,336,640; projector 4w x 4096 = 25,165,824.
    private const double Tower = 1_737_228_288.0 + 903_168 + 4_153_344 + 212_336_640 + 25_165_824;

    [Fact]
    public void Step_3_7_flash_reads_the_step_3_5_text_model_from_its_text_config()
    {
        var a = Catalog.Model("step-3.7-flash").Architecture;
        var b = Catalog.Model("step-3.5-flash").Architecture;
        Assert.Equal((45, 12, 64, 96, 8, 512), (a.Layers, a.FullAttentionLayers, a.Heads, a.WindowHeads, a.KvHeads, a.Window!.Length));
        Assert.Equal(ParameterCount.Of(b).Total(b), ParameterCount.Of(a).Total(a) - ParameterCount.Of(a).Towers, 1);
        Assert.Equal(b with { Extras = b.Extras with { Towers = [] } }, a with { Extras = a.Extras with { Towers = [] } });
    }

    [Fact]
    public void The_vision_tower_counts_1_98_billion_and_the_model_198_94_billion_against_the_readmes_198b()
    {
        var a = Catalog.Model("step-3.7-flash").Architecture;
        var tower = Assert.Single(a.Towers);
        Assert.Equal("vision", tower.Kind);
        Assert.Equal(1_979_787_264.0, Tower);
        Assert.Equal(Tower, tower.Parameters, 1);
        var p = ParameterCount.Of(a);
        Assert.Equal(196_956_106_752.0 + Tower, p.Total(a), 1);
        Assert.InRange(p.Total(a) / 198e9 - 1, 0, 0.01);
        // The tower is not active in text decode: the active count is Step 3.5's 10,931,384,320 without embedding and head.
        Assert.Equal(10_931_384_320.0, p.ActiveAs(a, "no-embedding-no-head"), 1);
    }

    [Fact]
    public void A_decode_step_of_step_3_7_flash_does_the_work_of_step_3_5_flash()
    {
        var h200 = Catalog.Device("nvidia-h200-sxm-141gb");
        IReadOnlyList<(OperatorKind, double, double)> Ops(string id)
        {
            var m = Catalog.Model(id);
            var d = new Deployment(m, h200, Layouts.Make(m.Architecture, 1, 1), NumberFormat.Fp8, NumberFormat.Bf16, Engine.Vllm);
            return new PreparedStep(d, StepTimeParameters.Ideal).Operators(StepShape.Decode(4, 8_192))
                .Select(o => (o.Kind, o.Flop.Value, o.Bytes.Value)).ToList();
        }
        Assert.Equal(Ops("step-3.5-flash"), Ops("step-3.7-flash"));
    }

    [Theory]
    [InlineData("step-3.7-flash")]
    [InlineData("step3.7-flash")]
    [InlineData("stepfun-ai/Step-3.7-Flash")]
    [InlineData("stepfun-ai/Step-3.7-Flash-FP8")]
    public void The_names_users_type_resolve_to_step_3_7_flash(string name) =>
        Assert.Equal("step-3.7-flash", Catalog.Model(name).Id);

    private const string Text = "\"text_config\":{\"model_type\":\"step3p5\",\"hidden_size\":256,\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_attention_groups\":2,\"head_dim\":64,\"vocab_size\":1000,\"intermediate_size\":512,\"max_position_embeddings\":4096}";

    [Fact]
    public void A_perception_encoder_is_sized_from_width_layers_and_mlp_ratio_with_the_downsampler()
    {
        var a = HuggingFaceConfig.Parse("{\"model_type\":\"step3p7\",\"understand_projector_stride\":2,\"vision_config\":{\"model_type\":\"perception_encoder\",\"width\":32,\"layers\":2,\"heads\":2,\"mlp_ratio\":2.0,\"image_size\":28,\"patch_size\":14}," + Text + "}", "config.json");
        // w = 32: blocks 2 x (4 x 32^2 + 2 x 32 x 64) = 16,384; patches 3 x 14 x 14 x 32 = 18,816; positions 2 x 2 x 32 = 128;
        // downsamplers 90 x 32^2 = 92,160; projector 128 x 256 = 32,768.
        Assert.Equal(16_384.0 + 18_816 + 128 + 92_160 + 32_768, Assert.Single(a.Towers).Parameters, 1);
    }

    [Theory]
    [InlineData("\"understand_projector_stride\":3,", "\"mlp_ratio\":2.0", "understand_projector_stride")]
    [InlineData("", "\"mlp_ratio\":\"wide\"", "vision_config.mlp_ratio")]
    [InlineData("", "\"mlp_ratio\":0", "vision_config.mlp_ratio")]
    public void A_step_3_7_vision_config_suanli_cannot_size_is_refused_naming_its_field(string wrapper, string ratio, string field)
    {
        var json = "{\"model_type\":\"step3p7\"," + wrapper + "\"vision_config\":{\"model_type\":\"perception_encoder\",\"width\":32,\"layers\":2," + ratio + "}," + Text + "}";
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }
}
