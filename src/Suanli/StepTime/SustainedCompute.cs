using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.StepTime;

/// <summary>
/// The arithmetic rate a lower-power board of a die can sustain, relative to its datasheet peak
/// (docs/methodology-steptime.md, "Power-limited boards"). Datasheet peaks are computed at the boost clock; under a
/// long dense GEMM a board draws its power limit and lowers its clock. The parts of one die reach the same FLOP per
/// joule, so a board whose power limit is below what its datasheet peak needs at the flagship's FLOP per joule
/// sustains at most <c>TDP / TDP_flagship x peak_flagship</c>: the H100 PCIe (350 W, 756 TFLOP/s BF16) sustains at most
/// 350 / 700 x 989 = 494.5 TFLOP/s, 65.4% of its datasheet peak. The flagship and any board with at least its FLOP
/// per joule keep their peak. Memory bandwidth is not scaled.
/// </summary>
public static class SustainedCompute
{
    /// <summary>The flagship board of a die: its id prefix family, power limit and dense BF16 peak (catalog/hardware/devices.yaml).</summary>
    /// <param name="Name">The die, for explanations.</param>
    /// <param name="Prefixes">Catalog device ids of boards built on it start with one of these.</param>
    /// <param name="FlagshipId">The flagship's catalog id.</param>
    /// <param name="FlagshipWatts">The flagship's power limit.</param>
    /// <param name="FlagshipBf16">The flagship's dense BF16 peak.</param>
    public sealed record Die(string Name, string[] Prefixes, string FlagshipId, Power FlagshipWatts, FlopRate FlagshipBf16);

    /// <summary>
    /// Dies with boards of several power limits in the catalog. GH100: H100 SXM5 700 W, 989 TFLOP/s BF16 dense (also
    /// H100 PCIe 350 W, H100 NVL 400 W, H800, H20, H200, GH200); GA100: A100 SXM4 400 W, 312 TFLOP/s (also A100 PCIe
    /// 300 W, A800). Both figures are the catalog's cited datasheet values of the flagship.
    /// </summary>
    public static IReadOnlyList<Die> Dies { get; } =
    [
        new("GH100", ["nvidia-h100-", "nvidia-h200-", "nvidia-h800-", "nvidia-h20-", "nvidia-gh200-"], "nvidia-h100-sxm5-80gb", Power.FromWatts(700), FlopRate.FromFlopPerSecond(989e12)),
        new("GA100", ["nvidia-a100-", "nvidia-a800-"], "nvidia-a100-sxm4-80gb", Power.FromWatts(400), FlopRate.FromFlopPerSecond(312e12)),
    ];

    /// <summary>The die a device is built on, or null when the catalog has no lower-power sibling to compare.</summary>
    public static Die? DieOf(Device device)
    {
        foreach (var die in Dies)
        {
            foreach (var prefix in die.Prefixes)
            {
                if (device.Id.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return die;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The fraction of its datasheet peak a device sustains under dense arithmetic, 0 to 1: <c>min(1, (TDP / TDP_flagship)
    /// x (BF16 peak_flagship / BF16 peak))</c> for a board of a listed die, 1 otherwise (no die, no TDP or no BF16 peak).
    /// </summary>
    public static double Fraction(Device device)
    {
        if (DieOf(device) is not { } die || device.Tdp is not { } tdp || device.PeakFor(ComputeType.Bf16) is not { } bf16 || bf16.Value <= 0)
        {
            return 1.0;
        }
        return Math.Clamp(tdp.InWatts / die.FlagshipWatts.InWatts * (die.FlagshipBf16.Value / bf16.Value), 0, 1);
    }
}
