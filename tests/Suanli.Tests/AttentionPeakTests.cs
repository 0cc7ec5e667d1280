using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Attention's products (scores and values) run on the KV cache's path under FP4 weights, not at the FP4 peak
/// (docs/methodology-steptime.md, "Step time"; <see cref="PreparedStep.AttentionPeakOf"/>).
/// </summary>
public sealed class AttentionPeakTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly Device Gb300 = Catalog.Device("nvidia-gb300-per-gpu");

    private static Dictionary<OperatorKind, OperatorCost> Prefill(NumberFormat weights, NumberFormat kv)
    {
        var model = Catalog.Model("llama-3.1-8b");
        var d = new Deployment(model, Gb300, Layouts.Make(model.Architecture, 1, 1), weights, kv, Engine.TrtLlm);
        return new PreparedStep(d, StepTimeParameters.Ideal).Operators(StepShape.Prefill(8192)).ToDictionary(o => o.Kind);
    }

    [Fact]
    public void Attention_of_an_fp4_deployment_with_an_fp8_cache_runs_at_the_fp8_peak_while_its_gemms_run_at_the_fp4_peak()
    {
        var fp4 = Prefill(NumberFormat.Fp4, NumberFormat.Fp8);
        var fp8 = Prefill(NumberFormat.Fp8, NumberFormat.Fp8);
        // Llama-3.1-8B, one 8,192-token chunk from an empty cache: each token attends to half the chunk on average, so
        // 4 x 32 heads x 128 x 8,192 x 4,096 x 32 layers = 17,592,186,044,416 FLOP.
        const double Flop = 4.0 * 32 * 128 * 8192 * 4096 * 32;
        Assert.Equal(Flop, fp4[OperatorKind.Attention].Flop.Value, 1.0);
        // GB300 datasheet (catalog): FP8 5,000 TFLOP/s dense, FP4 15,000. At efficiency 1 the attention takes
        // FLOP / (5e15 x the device's sustained and achievable shares) whatever the weights' format.
        var rate = 5e15 * SustainedCompute.Fraction(Gb300) * AchievableMatmul.Fraction(Gb300);
        Assert.Equal(Flop / rate, fp4[OperatorKind.Attention].ComputeTime.InSeconds, 1e-9);
        Assert.Equal(fp8[OperatorKind.Attention].ComputeTime.InSeconds, fp4[OperatorKind.Attention].ComputeTime.InSeconds, 1e-12);
        // The MLP's GEMMs keep their own path: FP8 takes 15,000 / 5,000 = 3 times as long as FP4.
        Assert.Equal(3.0, fp8[OperatorKind.Mlp].ComputeTime.InSeconds / fp4[OperatorKind.Mlp].ComputeTime.InSeconds, 9);
    }

    [Fact]
    public void Attention_of_an_fp4_deployment_with_a_16_bit_cache_runs_at_the_bf16_peak()
    {
        var fp8Cache = Prefill(NumberFormat.Fp4, NumberFormat.Fp8)[OperatorKind.Attention].ComputeTime.InSeconds;
        var bf16Cache = Prefill(NumberFormat.Fp4, NumberFormat.Bf16)[OperatorKind.Attention].ComputeTime.InSeconds;
        // GB300: BF16 2,500 TFLOP/s against FP8 5,000: twice the time for the same FLOPs.
        Assert.Equal(2.0, bf16Cache / fp8Cache, 9);
        Assert.Equal(2.5e15, PreparedStep.AttentionPeakOf(Gb300, NumberFormat.Fp4, NumberFormat.Bf16).Value);
        // Formats other than FP4 keep the weights' path (FP8 weights with a 16-bit cache: FP8, as before).
        Assert.Equal(5e15, PreparedStep.AttentionPeakOf(Gb300, NumberFormat.Fp8, NumberFormat.Bf16).Value);
        Assert.Equal(2.5e15, PreparedStep.AttentionPeakOf(Gb300, NumberFormat.Bf16, NumberFormat.Fp8).Value);
    }

    [Fact]
    public void The_roofline_times_fp4_attention_at_the_fp8_peak_too()
    {
        var model = Catalog.Model("llama-3.1-8b");
        Deployment Deploy(NumberFormat w) => new(model, Gb300, Layouts.Make(model.Architecture, 1, 1), w, NumberFormat.Fp8, Engine.TrtLlm);
        var shape = StepShape.Prefill(8192);
        var attention = Roofline.AttentionFlop(model.Architecture, shape);
        var fp4 = Roofline.Instance.Estimate(Deploy(NumberFormat.Fp4), shape).Compute.InSeconds;
        var fp8 = Roofline.Instance.Estimate(Deploy(NumberFormat.Fp8), shape).Compute.InSeconds;
        // The GEMM FLOPs G run 3 times faster under FP4, the attention A at the same rate: fp8 - fp4 = G (1/5e15 - 1/15e15).
        var gemm = Roofline.Instance.Estimate(Deploy(NumberFormat.Fp8), shape).Flop.Value - attention;
        Assert.Equal(gemm / 5e15 - gemm / 15e15, fp8 - fp4, 1e-12);
        Assert.Equal(attention / 5e15 + gemm / 15e15, fp4, 1e-12);
    }
}
