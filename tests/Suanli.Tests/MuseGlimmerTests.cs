using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Meta's Muse Glimmer 30B (a dense text model of 52 layers with a per-head attention output gate and three windowed layers
/// to one full layer; config reconstructed from an engine's test config shaped like the hub's) against hand counts: the text
/// model's 27.85B, the gate's 1.42B, the published 29.6B with the ~1.8B perception encoder the config leaves out, and the KV
/// cache of its 13 full and 39 windowed layers.
/// </summary>
public sealed class MuseGlimmerTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private const double H = 6656;
    // q and o 6656 x (32 x 128) each, k and v 6656 x (2 x 128) each.
    private const double Attention = 2 * H * 4096 + 2 * H * 256;
    // The output gate: gate_proj 6656 x (32 x 128), one gate per value channel of every head.
    private const double Gate = H * 4096;
    // Gated SiLU MLP: gate, up and down 6656 x 19,968.
    private const double Mlp = 3 * H * 19_968;
    // Untied 202,048 x 6656 embedding and head.
    private const double Table = 202_048 * H;

    [Fact]
    public void Muse_glimmer_reads_52_layers_39_of_them_windowed_at_2048_with_a_gated_attention_output()
    {
        var m = Catalog.Model("muse-glimmer");
        var a = m.Architecture;
        Assert.Equal((52, 6656, 32, 2, 128, 202_048), (a.Layers, a.HiddenSize, a.Heads, a.KvHeads, a.HeadDim, a.VocabSize));
        Assert.True(a.Extras.AttentionOutputGate);
        Assert.False(a.TiedEmbeddings);
        Assert.Equal((2048, 39), (a.Window!.Length, a.Window.Layers));
        Assert.Equal((131_072, "bf16", "Apache-2.0"), (m.ContextLength, m.DefaultPrecision, m.Licence));
        Assert.Same(m, Catalog.Model("meta-models/Muse-Glimmer-30B"));
        Assert.Same(m, Catalog.Model("meta/muse-glimmer-30b"));
    }

    [Fact]
    public void The_text_model_counts_27_85_billion_and_the_published_29_6_adds_the_1_8_billion_perception_encoder()
    {
        var m = Catalog.Model("muse-glimmer");
        var a = m.Architecture;
        var p = ParameterCount.Of(a);
        Assert.Equal(85_196_800.0, Attention + Gate);
        Assert.Equal(398_721_024.0, Mlp);
        // 52 x (attention + gate + MLP + 2 norms), embedding, head and the final norm.
        const double total = 52 * (Attention + Gate + Mlp + 2 * H) + 2 * Table + H;
        Assert.Equal(27_854_088_704.0, total);
        Assert.Equal(total, p.Total(a), 1);
        // Without the gate it would count 26.44B: the gate is 5.1% of the model.
        Assert.InRange((total - 52 * Gate) / 1e9, 26.43, 26.44);
        // 5.9% under the published 29.6B, which takes in the ~1.8B encoder (parameter_check); with it, within 0.2%.
        Assert.InRange(total / m.PublishedParameters!.Value, 0.94, 0.95);
        Assert.InRange((total + 1.8e9) / m.PublishedParameters.Value, 1.0, 1.002);
        Assert.Contains("perception encoder", m.ParameterCheckException, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_keeps_1_kib_of_bf16_keys_and_values_on_each_of_the_52_layers()
    {
        var a = Catalog.Model("muse-glimmer").Architecture;
        // 52 layers x 2 (K and V) x 2 KV heads x 128 x 2 bytes = 53,248 bytes a token; the 39 windowed layers stop growing at 2048.
        Assert.Equal(52 * 2 * 2 * 128 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }
}
