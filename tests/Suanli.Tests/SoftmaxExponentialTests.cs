using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class SoftmaxExponentialTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static OperatorCost Attention(string model, string device, int tp, NumberFormat weights, StepShape shape)
    {
        var m = Catalog.Model(model);
        var d = new Deployment(m, Catalog.Device(device), Layouts.Make(m.Architecture, tp, 1), weights, NumberFormat.Fp8, Engine.TrtLlm);
        return new PreparedStep(d, StepTimeParameters.Ideal).Operators(shape).Single(o => o.Kind == OperatorKind.Attention);
    }

    [Fact]
    public void A_long_prompt_chunk_of_a_gqa_model_on_b200_is_timed_by_its_exponentials()
    {
        // Llama-3.1-405B on 2 x B200 (TP 2: 64 of 128 heads per rank, head dim 128, 126 layers), a 1,536-token chunk over
        // 8,192 cached tokens: each token attends to 8,192 + 768 entries, so 126 x 64 x 1,536 x 8,960 = 110,981,283,840
        // scores per rank, one exponential each, at B200's 5 T/s: 22.196 ms. The products, 4 x 128 FLOP per score =
        // 5.682e13 FLOP, would take 6.31 ms at the 9 PFLOP/s FP4 peak, so the exponentials set the time.
        var a = Attention("meta-llama/Llama-3.1-405B-Instruct", "nvidia-b200-sxm", 2, NumberFormat.Fp4, new StepShape(1536, 8192, 0, 0));
        Assert.Equal(110_981_283_840.0 * 512, a.Flop.Value, 1e-9 * a.Flop.Value);
        Assert.InRange(a.ComputeTime.Value / (110_981_283_840.0 / 5e12), 0.9999, 1.0001);
    }

    [Fact]
    public void On_a_device_without_a_published_exponential_rate_attention_is_timed_by_its_products()
    {
        // The same chunk on 2 x MI300X (no figure): 5.682e13 FLOP at the FP8 peak, as far as its GEMMs reach it
        // (AchievableMatmul: 668.4 of 1,307.4 TFLOP/s BF16 against the H100's 794.5 of 989).
        var device = Catalog.Device("amd-mi300x");
        var a = Attention("meta-llama/Llama-3.1-405B-Instruct", device.Id, 2, NumberFormat.Fp8, new StepShape(1536, 8192, 0, 0));
        var rate = device.PeakFor(ComputeType.Fp8)!.Value.Value * AchievableMatmul.Fraction(device);
        Assert.InRange(a.ComputeTime.Value / (a.Flop.Value / rate), 0.9999, 1.0001);
    }

    [Fact]
    public void Absorbed_mla_attention_on_gb300_is_timed_by_its_products_not_its_exponentials()
    {
        // DeepSeek-R1 (MLA, r_kv 512, d_rope 64): 2 x (2 x 512 + 64) = 2,176 FLOP per score; at GB300's 15 PFLOP/s FP4
        // that is 0.145 ns per score, slower than one exponential at 10.7 T/s (0.093 ns), so the products set the time.
        var a = Attention("deepseek-ai/DeepSeek-R1", "nvidia-gb300-per-gpu", 8, NumberFormat.Fp4, new StepShape(1536, 8192, 0, 0));
        var peak = Catalog.Device("nvidia-gb300-per-gpu").PeakFor(ComputeType.Fp4)!.Value;
        Assert.InRange(a.ComputeTime.Value / (a.Flop.Value / peak.Value), 0.9999, 1.0001);
    }

    [Fact]
    public void Blackwell_ultra_evaluates_exponentials_twice_as_fast_as_blackwell()
    {
        var b200 = SoftmaxExponentials.RateOf(Catalog.Device("nvidia-b200-sxm"))!.Value;
        var gb300 = SoftmaxExponentials.RateOf(Catalog.Device("nvidia-gb300-per-gpu"))!.Value;
        Assert.Equal(5e12, b200.Value);
        Assert.Equal(10.7e12, gb300.Value);
        Assert.Null(SoftmaxExponentials.RateOf(Catalog.Device("amd-mi300x")));
    }
}
