using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>Vision-wrapped catalog models whose language model is another catalog entry's.</summary>
public partial class ModelCatalogTests
{
    [Fact]
    public void Kimi_k25_is_kimi_k2_plus_its_moonvit_tower_and_glm_47_has_glm_46s_shapes()
    {
        // MoonViT: 27 x (4 x 1152^2 + 2 x 1152 x 4304) + 3 x 14^2 x 1152 + 1152 x 7168 = 417.2M parameters beside Kimi K2's.
        var k25 = Catalog.Model("kimi-k2.5").Architecture;
        var k2 = Catalog.Model("kimi-k2").Architecture;
        Assert.Equal(AttentionKind.MultiHeadLatent, k25.Attention);
        var tower = 27.0 * (4.0 * 1152 * 1152 + 2.0 * 1152 * 4304) + 3.0 * 14 * 14 * 1152 + 1152.0 * 7168;
        Assert.Equal(tower, ParameterCount.Of(k25).Total(k25) - ParameterCount.Of(k2).Total(k2), 0);
        Assert.Equal(ParameterCount.Of(k2).Active(k2), ParameterCount.Of(k25).Active(k25), 0);
        var g47 = Catalog.Model("glm-4.7").Architecture;
        Assert.Equal(92, g47.Layers);
        Assert.Equal(160, g47.Moe!.Experts);
        Assert.InRange(ParameterCount.Of(g47).Total(g47) / 355e9, 0.99, 1.01);
    }

    [Fact]
    public void Qwen3_vl_is_qwen3_235b_plus_its_vit_and_glm_47_flash_is_a_30b_mla_moe()
    {
        // Qwen3-VL's ViT: 27 x (4 x 1152^2 + 2 x 1152 x 4304) + 3 x 14^2 x 1152 + 4096 x 4096 = 428.5M parameters beside
        // Qwen3-235B-A22B's language model, and none of them in text decode.
        var vl = Catalog.Model("qwen3-vl").Architecture;
        var text = Catalog.Model("qwen3-235b").Architecture;
        var tower = 27.0 * (4.0 * 1152 * 1152 + 2.0 * 1152 * 4304) + 3.0 * 14 * 14 * 1152 + 4096.0 * 4096;
        Assert.Equal(tower, ParameterCount.Of(vl).Total(vl) - ParameterCount.Of(text).Total(text), 1e6);
        Assert.Equal(ParameterCount.Of(text).Active(text), ParameterCount.Of(vl).Active(vl), 1e6);

        // GLM-4.7-Flash by hand: per layer MLA 2048 x 768 + 768 x 20 x 256 + 2048 x 576 + 512 x 20 x 448 + 20 x 256 x 2048
        // = 14.29M; 46 MoE layers of 65 experts x 3 x 2048 x 1536 (+ router 2048 x 64); one dense layer 3 x 2048 x 10240;
        // embedding and head 2 x 154,880 x 2048. Total 29.943B (the card: 30B); active without embedding and head 3.256B.
        var flash = Catalog.Model("glm-4.7-flash").Architecture;
        Assert.Equal(AttentionKind.MultiHeadLatent, flash.Attention);
        Assert.Equal(4, flash.Moe!.ActiveExperts);
        Assert.InRange(ParameterCount.Of(flash).Total(flash) / 29.943e9, 0.999, 1.001);
        Assert.InRange(ParameterCount.Of(flash).ActiveAs(flash, "no-embedding-no-head") / 3.256e9, 0.995, 1.005);
    }
}
