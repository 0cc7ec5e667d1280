using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.StepTime;

/// <summary>
/// How much of its datasheet peak a device's matrix units reach on the best-shaped dense GEMM, relative to the
/// reference device the calibration set is mostly made of (docs/methodology-steptime.md, "Achievable matmul rate").
/// The fitted compute efficiency <c>E_c</c> is shared by every device of an engine class; devices whose measured
/// maximum achievable matmul FLOPS (MAMF) is a smaller share of their datasheet peak than the reference's (clocks under
/// load, GEMM libraries) run every operator at that ratio times the shared curve. Measurements:
/// stas00/ml-engineering@b9e29720eebd4aa946fa9678975385efbc90a777 compute/accelerator/README.md, "Maximum Achievable
/// Matmul FLOPS comparison table", BF16 inputs, mean of 100 iterations after 50 warm-up ones, best shape of a
/// brute-force search (mamf-finder.py). Devices without a measurement keep 1.
/// </summary>
public static class AchievableMatmul
{
    /// <summary>One measurement: a catalog device id and its maximum achievable BF16 matmul rate.</summary>
    /// <param name="DeviceId">Catalog id.</param>
    /// <param name="Bf16">Measured MAMF, dense BF16.</param>
    /// <param name="Setup">The table's software and notes, for explanations.</param>
    public sealed record Measurement(string DeviceId, FlopRate Bf16, string Setup);

    /// <summary>The reference: the H100 SXM5, the device of most calibration rows.</summary>
    public const string ReferenceId = "nvidia-h100-sxm5-80gb";

    /// <summary>
    /// The table's BF16 rows that map to one catalog device: A100 SXM 271.2 TFLOP/s (torch 2.6.0+cu126), GH200 "900W
    /// 141GB HBM3e version" 828.6 (the catalog's 144 GB GH200), H100 SXM 794.5 (2.7.0+cu126), MI325X 784.9 (1,000 W,
    /// TunableOp), MI300X 668.4 (torch 2.5.1 on ROCm 6.3, TunableOp). The A100 PCIe row is left out: its power limit is
    /// already modelled (<see cref="SustainedCompute"/>).
    /// </summary>
    public static IReadOnlyList<Measurement> Measurements { get; } =
    [
        new("nvidia-a100-sxm4-80gb", FlopRate.FromFlopPerSecond(271.2e12), "torch 2.6.0+cu126"),
        new("nvidia-gh200-144gb", FlopRate.FromFlopPerSecond(828.6e12), "900 W 141 GB HBM3e version, torch 2.6.0+cu126"),
        new(ReferenceId, FlopRate.FromFlopPerSecond(794.5e12), "torch 2.7.0+cu126"),
        new("amd-mi325x", FlopRate.FromFlopPerSecond(784.9e12), "1,000 W, torch 2.6.0 ROCm 6.2.4, TunableOp"),
        new("amd-mi300x", FlopRate.FromFlopPerSecond(668.4e12), "torch 2.5.1 ROCm 6.3, TunableOp"),
    ];

    /// <summary>The reference's datasheet dense BF16 peak (catalog/hardware/devices.yaml).</summary>
    public static FlopRate ReferenceBf16Peak { get; } = FlopRate.FromFlopPerSecond(989e12);

    /// <summary>
    /// <c>(MAMF / BF16 peak) of the device over (MAMF / BF16 peak) of the reference</c>, peaks the catalog's; 1 for a
    /// device without a measurement or without a BF16 peak.
    /// </summary>
    public static double Fraction(Device device)
    {
        if (device.PeakFor(ComputeType.Bf16) is not { } peak || peak.Value <= 0)
        {
            return 1.0;
        }
        foreach (var m in Measurements)
        {
            if (m.DeviceId == device.Id)
            {
                return m.Bf16.Value / peak.Value / ReferenceShare;
            }
        }
        return 1.0;
    }

    // Worked out once: a step is prepared for every candidate of a plan search.
    private static readonly double ReferenceShare =
        Measurements.First(m => m.DeviceId == ReferenceId).Bf16.Value / ReferenceBf16Peak.Value;
}
