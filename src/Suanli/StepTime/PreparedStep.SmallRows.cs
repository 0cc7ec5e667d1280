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

    // On accelerators with their own memory, a GEMM of at most SmallTileRows rows runs one small tile: its tile waste is
    // bounded by the tile, not by the fitted curve's half-rows (fitted where GEMMs have hundreds of rows).
    private static double SmallTileRowsOn(Suanli.Catalog.Device d) =>
        CalibrationKeys.FamilyOf(d) == HardwareFamily.Gpu ? SmallTileRows : 0;

    private double ComputeEfficiency(double rows)
    {
        if (rows <= _matVecRows)
        {
            return _matVecEfficiency;
        }
        var curve = _p.ComputeEfficiency * rows / (rows + _p.ComputeHalfRows);
        // A small tile of T rows does T rows' work for m <= T: efficiency E_c m / T at least, whatever the curve says.
        return rows <= _smallTileRows ? Math.Max(curve, _p.ComputeEfficiency * rows / _smallTileRows) : curve;
    }
}
