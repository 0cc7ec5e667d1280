using Suanli.Catalog;
using Suanli.Footprint;
using Xunit;
using static Suanli.Tests.ModelShapeChecks;

namespace Suanli.Tests;

/// <summary>
/// Mistral Large 3 (DeepSeek-V3's MLA + MoE layout at Mistral's widths, config reconstructed from the params.json values
/// vLLM's config test passes as Mistral Large 3's) against hand counts: the language model's 673B and 39B active from its
/// card, the 2.5B Pixtral vision encoder that brings it to the card's 675B, the MLA latent cache, a decode step's expert FLOPs and bytes, and FP8 weights on one 8 x H200 node.
/// </summary>
public sealed class MistralLarge3Tests
{
    private const double H = 7168;
    // MLA per layer: q_a 7168 x 1536 + its norm 1536, q_b 1536 x 128 x (128 + 64), kv_a 7168 x (512 + 64) + its norm 512,
    // kv_b 512 x 128 x (128 + 128), o 128 x 128 x 7168 = 187,107,328.
    private const double Attention = H * 1536 + 1536 + 1536 * 128 * 192.0 + H * 576 + 512 + 512 * 128 * 256.0 + 128 * 128 * H;
    // One SwiGLU expert of 4096: 3 x 7168 x 4096 = 88,080,384; the router 128 x 7168 = 917,504.
    private const double Expert = 3 * H * 4096;
    private const double Router = 128 * H;
    // Untied 131,072 x 7168 embedding and head: 939,524,096 each.
    private const double Table = 131_072 * H;

    [Fact]
    public void Mistral_large_3_reads_61_mla_layers_3_dense_and_58_moe_layers_of_128_experts_top_4()
    {
        var a = Architecture("mistral-large-3");
        Assert.Equal(AttentionKind.MultiHeadLatent, a.Attention);
        Assert.Equal(new LatentAttention(512, 1536, 128, 64, 128), a.Mla);
        Assert.Equal((61, 128, 7168, 131_072), (a.Layers, a.Heads, a.HiddenSize, a.VocabSize));
        Assert.Equal((128, 4, 1, 4096, 3), (a.Moe!.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.Moe.ExpertIntermediateSize, a.Moe.DenseLayers));
        Assert.Equal(0, a.MtpLayers);
        // The names users type resolve to it.
        Assert.Same(Model("mistral-large-3"), Model("mistralai/Mistral-Large-3-675B-Instruct-2512"));
        Assert.Same(Model("mistral-large-3"), Model("mistral-large-2512"));
        Assert.Equal("fp8", Model("mistral-large-3").DefaultPrecision);
    }

    [Fact]
    public void Mistral_large_3_counts_673_42_billion_and_39_01_billion_active_without_the_embedding()
    {
        var a = Architecture("mistral-large-3");
        var p = ParameterCount.Of(a);
        Assert.Equal(187_107_328.0, Attention);
        // An MoE layer: 128 routed + 1 shared expert and the router = 11,363,287,040; a token runs 4 + 1 of them.
        Assert.Equal(129 * Expert + Router, p.MoePerLayer);
        Assert.Equal(11_363_287_040.0, p.MoePerLayer);
        Assert.Equal(5 * Expert + Router, p.ActiveMoePerLayer);
        // 61 x (attention + 2 norms), 3 dense SwiGLU 3 x 7168 x 16,384, 58 MoE layers, embedding, head, final norm.
        const double layers = 61 * (Attention + 2 * H) + 3 * (3 * H * 16_384);
        const double total = layers + 58 * (129 * Expert + Router) + 2 * Table + H;
        Assert.Equal(673_421_089_792.0, total);
        Assert.Equal(total, p.Text(a), 1);
        // The card's '673B' language model within 0.1%.
        Assert.InRange(total / 673e9, 1.0, 1.001);
        // The Pixtral vision encoder: 48 x (4 x 1664^2 + 3 x 1664 x 8192) + 3 x 14^2 x 1664 patch embedding (no position
        // table) + 1664 x 7168 projector = 2,507,468,288, the card's '2.5B Vision Encoder'; with it 675.93B, the card's 675B.
        const double tower = 48 * (4 * 1664 * 1664.0 + 3 * 1664 * 8192.0) + 3 * 14 * 14 * 1664.0 + 1664 * H;
        Assert.Equal(2_507_468_288.0, tower);
        Assert.Equal(("vision", tower), (Assert.Single(a.Towers).Kind, a.Towers[0].Parameters));
        Assert.Equal(total + tower, p.Total(a), 1);
        Assert.InRange(p.Total(a) / Model("mistral-large-3").PublishedParameters!.Value, 1.001, 1.002);
        const double active = layers + 58 * (5 * Expert + Router) + 2 * Table + H;
        Assert.Equal(39_946_968_064.0, active);
        Assert.Equal(active, p.Active(a), 1);
        // Without the embedding table (head counted): 39.01B, the card's '39B active'.
        Assert.InRange((active - Table) / 39e9, 1.0, 1.001);
    }

    [Fact]
    public void The_mla_cache_is_one_576_value_latent_per_token_and_layer()
    {
        // 61 layers x (kv_lora 512 + rope 64) x 2 bytes = 70,272 bytes a token, DeepSeek-V3's: the latent does not depend
        // on the expert count or the vocabulary.
        Assert.Equal(70_272.0, KvBytesPerTokenBf16("mistral-large-3"));
        Assert.Equal(KvBytesPerTokenBf16("deepseek-v3"), KvBytesPerTokenBf16("mistral-large-3"));
    }

    [Fact]
    public void A_decode_token_runs_4_routed_experts_the_shared_expert_and_the_router_on_58_layers()
    {
        // 58 layers x 2 FLOP x (5 x 88,080,384 + 917,504) = 51,193,053,184 FLOP a token; the same weights read once in
        // FP8: 25.6 GB a token at batch 1.
        Assert.Equal(51_193_053_184.0, 58 * 2 * (5 * Expert + Router));
        AssertFp8DecodeExperts("mistral-large-3", 58, 5 * Expert + Router);
    }

    [Fact]
    public void Fp8_weights_fit_one_8_x_h200_node_as_the_card_says_and_fill_an_h100s_memory()
    {
        var a = Architecture("mistral-large-3");
        // 675.93B parameters (the vision encoder's 2.51B with them) at one byte, an eighth a device: 84.49 GB, 60% of the
        // H200's 141 GB; on an H100 (80 GiB, 85.90 GB) they would take 98% of the memory, which is why the card sends H100
        // nodes to the NVFP4 copy.
        var perDevice = ParameterCount.Of(a).Total(a) / 8;
        Assert.InRange(perDevice / 1e9, 84.49, 84.50);
        Assert.InRange(perDevice / Device("nvidia-h200-sxm-141gb").Memory.Value, 0.55, 0.65);
        Assert.InRange(perDevice / Device("nvidia-h100-sxm5-80gb").Memory.Value, 0.97, 0.99);
    }
}
