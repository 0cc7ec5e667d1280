namespace Suanli.StepTime;

/// <summary>The compute efficiency of a GEMM by its rows: matrix-vector kernels, small tiles, the fitted curve.</summary>
public sealed partial class PreparedStep
{
    /// <summary>
    /// Rows of the smallest tensor-core tile serving engines multiply a few activation rows with: for at most 16 rows the
    /// GEMM dispatch picks a CTA tile of 16 rows (<c>GemmShape&lt;16, 64, 128&gt;</c> on Ada, <c>Gemm16</c> on Blackwell;
    /// sgl-project/sglang@350439a5c5a57e69acf01fac90bd775521237f22 sgl-kernel/csrc/gemm/fp8_gemm_kernel.cu, adapted from
    /// TensorRT-LLM's fp8_rowwise_gemm templates), so such a GEMM does at most this many rows of tensor work. On GPUs the
    /// compute term of a GEMM of m &lt;= 16 rows is therefore at most 16 rows' FLOPs at the fitted plateau
    /// (docs/methodology-steptime.md, "Small-row tiles").
    /// </summary>
    public const int SmallTileRows = 16;

    // Where half-rows are counted in rows on accelerators with their own memory (llama.cpp above its matrix-vector rows), a
    // GEMM of at most SmallTileRows rows runs one small tile: its tile waste is bounded by the tile, not by the fitted curve's
    // half-rows (fitted where GEMMs have hundreds of rows). Where they are counted in ridges the curve's fixed cost is a
    // share of the weight read, not tile waste, which a tile does not bound: no floor, so the curve stays continuous.
    private static double SmallTileRowsOn(Deployment deployment) =>
        CalibrationKeys.FamilyOf(deployment.Device) == HardwareFamily.Gpu
        && !CalibrationKeys.HalfRowsInRidges(CalibrationKeys.ClassOf(deployment.Engine), HardwareFamily.Gpu) ? SmallTileRows : 0;

    /// <summary>
    /// Rows of a weight GEMM at the device's ridge point: the activation rows at which its arithmetic at
    /// <paramref name="peak"/> takes as long as reading its weights at <paramref name="bandwidth"/>,
    /// <c>peak x bytes per weight / (2 x bandwidth)</c> (2 FLOPs per weight per row; the roofline's ridge point,
    /// Williams, Waterman and Patterson, CACM 52(4), 2009).
    /// </summary>
    public static double RidgeRows(double peak, double bandwidth, double bytesPerWeight) => peak * bytesPerWeight / (2.0 * bandwidth);

    // For the tensor-core engines on accelerators with their own memory the fitted half-rows are a fraction kappa of the
    // ridge (compute_half_rows is then counted in ridges): the small-row loss is a time tied to the weight read, kappa / E_c
    // of it at the plateau, whatever the peak. llama.cpp, unified-memory SoCs and CPUs keep half-rows in rows.
    private static double HalfRowsOn(Deployment deployment, double halfRows, double peak, double bandwidth) =>
        CalibrationKeys.HalfRowsInRidges(CalibrationKeys.ClassOf(deployment.Engine), CalibrationKeys.FamilyOf(deployment.Device))
            ? halfRows * RidgeRows(peak, bandwidth, deployment.Weights.Rest.BytesPerValue)
            : halfRows;

    private double ComputeEfficiency(double rows)
    {
        if (rows <= _matVecRows)
        {
            return _matVecEfficiency;
        }
        var curve = _p.ComputeEfficiency * rows / (rows + _halfRows);
        // A small tile of T rows does T rows' work for m <= T: efficiency E_c m / T at least, whatever the curve says.
        return rows <= _smallTileRows ? Math.Max(curve, _p.ComputeEfficiency * rows / _smallTileRows) : curve;
    }
}
