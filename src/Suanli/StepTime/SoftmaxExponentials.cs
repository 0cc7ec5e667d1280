using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.StepTime;

/// <summary>
/// The rate at which a device's special-function units evaluate exponentials (MUFU.EX2 on NVIDIA GPUs), which bounds
/// softmax attention from below: every attention score passes through one exponential, while the two products around it
/// (scores and values) cost <c>4 d</c> FLOP per score for head dimension <c>d</c> (docs/methodology-steptime.md,
/// "Softmax exponentials"). Where the matrix path is faster than <c>4 d</c> times this rate, attention is bound by its
/// exponentials, not by its products: on a B200, 4 x 128 x 5 T/s = 2.56 PFLOP/s of attention products at most, below its
/// 4.5 PFLOP/s FP8 and 9 PFLOP/s FP4 peaks. One exponential counts as one operation of the rate, as the sources count
/// them. The rates are catalog data (<see cref="Device.ExpRate"/>, key <c>exp_rate</c> in catalog/hardware/devices.yaml),
/// each published for its device or derived from a cited formula; devices without one have no such bound.
/// </summary>
public static class SoftmaxExponentials
{
    /// <summary>
    /// Exponentials per clock per SM of NVIDIA's special-function units for 32-bit exp2 on compute capability 7.x to 10.x
    /// (CUDA C++ Programming Guide, "Arithmetic Instructions", throughput of native arithmetic instructions; FlashAttention-4
    /// states the same 16 on B200 as on H100, together.ai/blog/flashattention-4): the factor of the catalog's derived
    /// NVIDIA rates, SMs x clock x 16.
    /// </summary>
    public const int NvidiaPerSmPerClock = 16;

    /// <summary>The device's exponential rate (operations per second, one per exponential), or null when the catalog has none.</summary>
    public static FlopRate? RateOf(Device device) => device.ExpRate?.Rate;
}
