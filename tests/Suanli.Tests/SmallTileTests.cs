using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The small-row end of the GEMM efficiency curve (docs/methodology-steptime.md, "Small-row GEMMs"): for the tensor-core
/// engines on accelerators with their own memory the half-rows are kappa times the device's ridge rows, so the small-row
/// loss is a share of the weight read on every device; llama.cpp keeps half-rows in rows and one 16-row tile for at most
/// <see cref="PreparedStep.SmallTileRows"/> rows.
/// </summary>
public class SmallTileTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static readonly OperatorKind[] Gemms = [OperatorKind.QkvProjection, OperatorKind.OutputProjection, OperatorKind.Mlp, OperatorKind.LmHead];

    // Llama 3.1 8B MLP: 32 layers x 3 x 4096 x 14336 weights.
    private const double MlpWeights = 32 * 3.0 * 4096 * 14336;

    private static Deployment Deploy(string device, Engine engine = Engine.Vllm) =>
        new(Catalog.Model("llama-3.1-8b"), Catalog.Device(device), Layouts.Make(Catalog.Model("llama-3.1-8b").Architecture, 1, 1),
            NumberFormat.Bf16, NumberFormat.Bf16, engine);

    private static double SustainedPeak(Deployment d) =>
        PreparedStep.PeakOf(d.Device, NumberFormat.Bf16).Value * SustainedCompute.Fraction(d.Device) * AchievableMatmul.Fraction(d.Device);

    [Fact]
    public void The_ridge_rows_of_an_h20_and_an_h100_in_bf16_are_37_and_295_from_their_datasheet_peaks()
    {
        // Peak x 2 bytes per BF16 weight / (2 FLOP per weight per row x bandwidth): H20 148 TFLOP/s and 4.0 TB/s,
        // H100 SXM 989 TFLOP/s and 3.35 TB/s (catalog datasheet figures).
        Assert.Equal(148e12, Catalog.Device("nvidia-h20-96gb").PeakFor(ComputeType.Bf16)!.Value.Value);
        Assert.Equal(989e12, Catalog.Device("nvidia-h100-sxm5-80gb").PeakFor(ComputeType.Bf16)!.Value.Value);
        Assert.Equal(37.0, PreparedStep.RidgeRows(148e12, 4.0e12, 2), 1e-9);
        Assert.Equal(295.2, PreparedStep.RidgeRows(989e12, 3.35e12, 2), 0.05);
        // FP8 weights at the FP8 peak (twice the BF16 one) have the same ridge: 1,979 x 1 / (2 x 3.35).
        Assert.Equal(295.4, PreparedStep.RidgeRows(1979e12, 3.35e12, 1), 0.05);
    }

    [Theory]
    [InlineData("nvidia-h20-96gb", 16)]
    [InlineData("nvidia-h20-96gb", 17)]
    [InlineData("nvidia-h100-sxm5-80gb", 1)]
    [InlineData("nvidia-h100-sxm5-80gb", 17)]
    public void A_gemm_of_m_rows_computes_at_e_c_m_over_m_plus_kappa_ridges(string device, int rows)
    {
        // kappa 0.5 and E_c 0.5: m_half = 0.5 x (sustained peak x 2 / (2 x bandwidth)), the peak the compute term uses.
        var p = new StepTimeParameters(0.5, 0.5, 0.8, Bytes.Zero, Duration.Zero, Duration.Zero, Duration.Zero, 1);
        var d = Deploy(device);
        var peak = SustainedPeak(d);
        var half = 0.5 * PreparedStep.RidgeRows(peak, d.Device.MemoryBandwidth.Value, 2);
        var mlp = new PreparedStep(d, p).Operators(StepShape.Decode(rows, 0)).Single(o => o.Kind == OperatorKind.Mlp);
        Assert.Equal(2 * MlpWeights * rows, mlp.Flop.Value);
        Assert.Equal(mlp.Flop.Value / (peak * 0.5 * rows / (rows + half)), mlp.ComputeTime.Value, 1e-12);
        // The small-row part of it, FLOPs x m_half / (m x peak x E_c) = kappa / E_c x weight bytes / bandwidth: one weight read
        // at the datasheet bandwidth here, whatever the peak.
        Assert.Equal(2 * MlpWeights / d.Device.MemoryBandwidth.Value, mlp.ComputeTime.Value - mlp.Flop.Value / (peak * 0.5), 1e-12);
    }

    [Fact]
    public void An_h20_decode_of_llama_8b_costs_about_the_same_at_17_sequences_as_at_16()
    {
        // The committed calibration: 17 rows are one more row of arithmetic, not a cliff (before the half-rows were counted in
        // ridges, 114.5 rows on the H20's 37-row ridge charged its 17-row GEMMs several weight reads: docs/methodology-steptime.md).
        var step = CalibrationFiles.Default.Prepare(Deploy("nvidia-h20-96gb"));
        var sixteen = step.Estimate(StepShape.Decode(16, 1024)).Time.Value;
        var seventeen = step.Estimate(StepShape.Decode(17, 1024)).Time.Value;
        Assert.True(seventeen >= sixteen, $"{seventeen} < {sixteen}");
        Assert.True(seventeen < sixteen * 17 / 16, $"17 sequences {seventeen} s against 16 sequences {sixteen} s");
    }

    [Fact]
    public void A_dense_decode_steps_time_per_sequence_never_rises_by_one_more_sequence_on_any_catalog_gpu()
    {
        // Each GEMM's compute time is FLOPs (m + m_half) / (m peak E_c), per row (1 + m_half / m) / (peak E_c) times the row's
        // FLOPs: falling in m; the weight reads are fixed and the KV reads per sequence constant, so the maximum of the two per
        // sequence, plus the per-step overheads over m, falls too. A floor that ended at 16 rows would break it at 17.
        foreach (var device in Catalog.Devices.Where(x => CalibrationKeys.FamilyOf(x) == HardwareFamily.Gpu))
        {
            var step = CalibrationFiles.Default.Prepare(Deploy(device.Id));
            var previous = double.PositiveInfinity;
            for (var b = 1; b <= 256; b++)
            {
                var perSequence = step.Estimate(StepShape.Decode(b, 1024)).Time.Value / b;
                Assert.True(perSequence <= previous * (1 + 1e-12), $"{device.Id}: {perSequence} s per sequence at {b} > {previous} s at {b - 1}");
                previous = perSequence;
            }
        }
    }

    [Fact]
    public void At_batch_1_a_dense_decode_is_memory_bound_on_every_catalog_gpu_with_the_committed_calibration()
    {
        // A GEMM of P weights at batch 1 computes for 2P (1 + kappa m_r) / (peak E_c) = (1 / m_r + kappa) / E_c x 2P / BW and
        // reads 2P bytes in about 2P / (BW E_m): memory-bound when 1 / m_r + kappa < E_c / E_m, on every GPU whose ridge is
        // above a few rows.
        foreach (var device in Catalog.Devices.Where(x => CalibrationKeys.FamilyOf(x) == HardwareFamily.Gpu))
        {
            var step = CalibrationFiles.Default.Prepare(Deploy(device.Id));
            foreach (var op in step.Operators(StepShape.Decode(1, 0)).Where(o => Gemms.Contains(o.Kind)))
            {
                Assert.True(!op.ComputeBound, $"{device.Id} {op.Kind}: compute {op.ComputeTime.Value} s, memory {op.MemoryTime.Value} s");
            }
        }
    }

    [Fact]
    public void Llama_cpp_on_a_gpu_keeps_half_rows_in_rows_and_one_16_row_tile_above_its_matrix_vector_rows()
    {
        // E_c 0.5 and m_half 100 rows; 12 rows are past llama.cpp's 8 matrix-vector rows and within one 16-row tile:
        // FLOPs x 16 / (12 x peak x 0.5) rather than the curve's FLOPs x 112 / (12 x peak x 0.5).
        var p = new StepTimeParameters(0.5, 100, 0.8, Bytes.Zero, Duration.Zero, Duration.Zero, Duration.Zero, 1);
        var d = Deploy("nvidia-h20-96gb", Engine.LlamaCpp);
        var peak = SustainedPeak(d);
        var step = new PreparedStep(d, p);
        var twelve = step.Operators(StepShape.Decode(12, 0)).Single(o => o.Kind == OperatorKind.Mlp);
        Assert.Equal(twelve.Flop.Value * 16 / (12 * peak * 0.5), twelve.ComputeTime.Value, 1e-12);
        var seventeen = step.Operators(StepShape.Decode(17, 0)).Single(o => o.Kind == OperatorKind.Mlp);
        Assert.Equal(seventeen.Flop.Value * 117 / (17 * peak * 0.5), seventeen.ComputeTime.Value, 1e-12);
    }
}
