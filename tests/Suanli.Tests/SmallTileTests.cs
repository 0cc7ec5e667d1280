using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A GEMM of at most <see cref="PreparedStep.SmallTileRows"/> rows on a GPU runs one small tile, so its compute term is at
/// most 16 rows' FLOPs at the fitted plateau (docs/methodology-steptime.md, "Small-row tiles").
/// </summary>
public class SmallTileTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static readonly OperatorKind[] Gemms = [OperatorKind.QkvProjection, OperatorKind.OutputProjection, OperatorKind.Mlp, OperatorKind.LmHead];

    private static Deployment Deploy(string device) =>
        new(Catalog.Model("llama-3.1-8b"), Catalog.Device(device), Layouts.Make(Catalog.Model("llama-3.1-8b").Architecture, 1, 1),
            NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);

    private static double SustainedPeak(Deployment d) =>
        PreparedStep.PeakOf(d.Device, NumberFormat.Bf16).Value * SustainedCompute.Fraction(d.Device) * AchievableMatmul.Fraction(d.Device);

    [Fact]
    public void A_batch_1_decode_on_an_h20_reads_its_weights_and_charges_each_gemm_one_16_row_tile_of_arithmetic()
    {
        // E_c 0.5 and m_half 100 would make a 1-row GEMM cost 101 / 0.5 = 202 times its FLOPs at peak; b_half 0 makes every
        // transfer stream at E_m = 0.8 of the bandwidth.
        var p = new StepTimeParameters(0.5, 100, 0.8, Bytes.Zero, Duration.Zero, Duration.Zero, Duration.Zero, 1);
        var d = Deploy("nvidia-h20-96gb");
        // H20 datasheet (catalog): 148 TFLOP/s dense BF16, 4,000 GB/s.
        Assert.Equal(148e12, PreparedStep.PeakOf(d.Device, NumberFormat.Bf16).Value);
        Assert.Equal(4.0e12, d.Device.MemoryBandwidth.Value);
        var peak = SustainedPeak(d);
        var step = new PreparedStep(d, p);
        var mlp = step.Operators(StepShape.Decode(1, 0)).Single(o => o.Kind == OperatorKind.Mlp);
        // Llama 3.1 8B MLP: 32 layers x 3 x 4096 x 14336 weights, 2 FLOP and 2 bytes (BF16) each at batch 1.
        const double Weights = 32 * 3.0 * 4096 * 14336;
        Assert.Equal(2 * Weights, mlp.Flop.Value);
        Assert.Equal(2 * Weights, mlp.WeightBytes.Value);
        // Compute: one 16-row tile at E_c, FLOPs x 16 / (peak x 0.5); memory: (weights + activations) / (4.0e12 x 0.8).
        Assert.Equal(2 * Weights * 16 / (peak * 0.5), mlp.ComputeTime.Value, 1e-12);
        Assert.Equal((mlp.WeightBytes.Value + mlp.ActivationBytes.Value) / (4.0e12 * 0.8), mlp.MemoryTime.Value, 1e-12);
        Assert.Equal(2 * Weights / 3.2e12, mlp.MemoryTime.Value, 1e-5);
        Assert.False(mlp.ComputeBound);
        // The fitted curve alone would have made it compute-bound: 202 x FLOPs / peak against the weight read.
        Assert.True(2 * Weights * 101 / (peak * 0.5) > mlp.MemoryTime.Value);
        Assert.Equal(Bottleneck.MemoryBandwidth, step.Estimate(StepShape.Decode(1, 0)).Bottleneck);
        // 17 rows are past the small tile: the fitted curve, E_c x 17 / 117.
        var seventeen = step.Operators(StepShape.Decode(17, 0)).Single(o => o.Kind == OperatorKind.Mlp);
        Assert.Equal(seventeen.Flop.Value / (peak * 0.5 * 17 / 117), seventeen.ComputeTime.Value, 1e-12);
    }

    [Fact]
    public void At_batch_1_a_dense_decode_is_memory_bound_on_every_catalog_gpu_whose_peak_per_byte_is_above_16_rows_at_the_efficiency_ratio()
    {
        // A GEMM of P weights at batch 1 computes for at most 2P x 16 / (peak x E_c) and reads 2P bytes in at least
        // 2P / (BW x E_m): memory-bound whenever peak / BW >= 16 x E_m / E_c FLOP per byte (about 23 with the committed
        // calibration), whatever the fitted half-rows are.
        var checkedIds = new List<string>();
        // Devices with no 16-bit or FP32 path (Maia 200's FP8/FP4-only tensor unit) refuse a BF16 decode
        // (HyperscalerDeviceTests), so they have no BF16 step to check.
        foreach (var device in Catalog.Devices.Where(x => CalibrationKeys.FamilyOf(x) == HardwareFamily.Gpu && (x.PeakFor(ComputeType.Bf16) ?? x.PeakFor(ComputeType.Fp32)) is not null))
        {
            var d = Deploy(device.Id);
            var step = CalibrationFiles.Default.Prepare(d);
            var p = step.Parameters;
            if (SustainedPeak(d) / device.MemoryBandwidth.Value < PreparedStep.SmallTileRows * p.MemoryEfficiency / p.ComputeEfficiency)
            {
                continue;
            }
            checkedIds.Add(device.Id);
            foreach (var op in step.Operators(StepShape.Decode(1, 0)).Where(o => Gemms.Contains(o.Kind)))
            {
                Assert.True(!op.ComputeBound, $"{device.Id} {op.Kind}: compute {op.ComputeTime.Value} s, memory {op.MemoryTime.Value} s");
            }
        }
        Assert.Contains("nvidia-h20-96gb", checkedIds);
        Assert.Contains("nvidia-l20", checkedIds);
        Assert.Contains("amd-mi300x", checkedIds);
        Assert.Contains("huawei-ascend-910b", checkedIds);
        Assert.Contains("nvidia-h100-sxm5-80gb", checkedIds);
    }
}
