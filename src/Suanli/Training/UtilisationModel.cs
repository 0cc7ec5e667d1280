using System.Globalization;
using Suanli.Catalog;

namespace Suanli.Training;

/// <summary>
/// Model FLOPs utilisation (MFU: model FLOPs per second / devices x dense peak at the training precision) as a
/// function of precision and cluster size, fitted to the published runs in validation/measurements/training.csv
/// (docs/methodology-training.md, "Utilisation"):
/// MFU = Base x (EightBitFactor for FP8/INT8) / (1 + ScaleSlope x log2(max(1, devices / ScaleOnset))).
/// The log term is the communication and synchronisation loss of larger clusters (gradient all-reduce, stragglers,
/// pipeline bubbles at a fixed global batch), made visible instead of folded into one constant.
/// </summary>
/// <param name="Base">MFU of a 16-bit run at or below <paramref name="ScaleOnset"/> devices.</param>
/// <param name="EightBitFactor">MFU of an FP8/INT8 run relative to a 16-bit one (both against their own peak): FP8 speeds the matmuls, not the rest.</param>
/// <param name="ScaleSlope">MFU loss per doubling of the cluster beyond the onset.</param>
/// <param name="ScaleOnset">Devices at which the scale loss starts.</param>
/// <param name="DefaultDevices">Cluster size assumed when a measurement does not state one.</param>
public sealed record UtilisationModel(double Base, double EightBitFactor, double ScaleSlope, int ScaleOnset, int DefaultDevices)
{
    /// <summary>The fit to training.csv: median error 4% on the throughput/MFU rows, 15% on the GPU-hour and time rows (see the docs for held-out errors).</summary>
    public static UtilisationModel Fitted { get; } = new(0.47, 0.82, 0.03, 512, 2048);

    /// <summary>The MFU for a compute type on <paramref name="devices"/> devices, in (0, 1].</summary>
    public double Mfu(ComputeType compute, int devices) => Base * PrecisionFactor(compute) * ScaleFactor(devices);

    /// <summary>The 8-bit factor when <paramref name="compute"/> is an 8-bit or narrower path, else 1.</summary>
    public double PrecisionFactor(ComputeType compute) =>
        compute is ComputeType.Fp8 or ComputeType.Int8 or ComputeType.Fp4 or ComputeType.Int4 ? EightBitFactor : 1.0;

    /// <summary>1 / (1 + slope x log2(devices / onset)) beyond the onset, 1 below it.</summary>
    public double ScaleFactor(int devices) => 1.0 / (1.0 + ScaleSlope * Math.Log2(Math.Max(1.0, devices / (double)ScaleOnset)));

    /// <summary>One line saying how the MFU was derived, with the numbers.</summary>
    public string Explain(ComputeType compute, int devices)
    {
        var parts = $"{Base.ToString("0.00", CultureInfo.InvariantCulture)} base";
        if (PrecisionFactor(compute) != 1.0)
        {
            parts += $" x {EightBitFactor.ToString("0.00", CultureInfo.InvariantCulture)} ({compute.ToString().ToLowerInvariant()})";
        }
        if (devices > ScaleOnset)
        {
            parts += $" / (1 + {ScaleSlope.ToString("0.000", CultureInfo.InvariantCulture)} x log2({devices.ToString(CultureInfo.InvariantCulture)}/{ScaleOnset.ToString(CultureInfo.InvariantCulture)}))";
        }
        return parts + $" = {Mfu(compute, devices).ToString("0.000", CultureInfo.InvariantCulture)}";
    }
}
