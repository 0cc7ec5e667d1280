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
/// them. Devices without a published figure have no such bound.
/// </summary>
public static class SoftmaxExponentials
{
    /// <summary>One published figure: a catalog device id and its exponential rate.</summary>
    /// <param name="DeviceId">Catalog id.</param>
    /// <param name="Rate">Exponentials per second of the whole device (one exponential counted as one operation).</param>
    /// <param name="Source">Where the figure is published.</param>
    public sealed record Figure(string DeviceId, FlopRate Rate, string Source);

    private const string Fa3 = "Shah et al., FlashAttention-3, arXiv:2407.08608, section 3: 'the H100 SXM5 GPU has 989 TFLOPS of FP16 matmul but only 3.9 TFLOPS of special functions'";
    private const string Verda = "verda.com/blog/gb300-nvl72-architecture, per-GPU table, 'Attention acceleration (SFU EX2)'";

    /// <summary>
    /// H100 SXM5 3.9 T/s (FlashAttention-3; the H200 SXM has the same die, SM count and boost clock); B200 and GB200
    /// 5 T/s, B300 and GB300 10.7 T/s ("TeraExponentials/s", Blackwell Ultra doubling the SFU throughput for attention:
    /// developer.nvidia.com/blog/making-softmax-more-efficient-with-nvidia-blackwell-ultra/). FlashAttention-4 states the
    /// same unit count on B200 as on H100, 16 exponentials per clock per SM (together.ai/blog/flashattention-4).
    /// </summary>
    public static IReadOnlyList<Figure> Figures { get; } =
    [
        new("nvidia-h100-sxm5-80gb", FlopRate.FromFlopPerSecond(3.9e12), Fa3),
        new("nvidia-h200-sxm-141gb", FlopRate.FromFlopPerSecond(3.9e12), Fa3),
        new("nvidia-b200-sxm", FlopRate.FromFlopPerSecond(5e12), Verda),
        new("nvidia-gb200-per-gpu", FlopRate.FromFlopPerSecond(5e12), Verda),
        new("nvidia-b300-sxm", FlopRate.FromFlopPerSecond(10.7e12), Verda),
        new("nvidia-gb300-per-gpu", FlopRate.FromFlopPerSecond(10.7e12), Verda),
    ];

    /// <summary>The device's exponential rate, or null when no figure is published for it.</summary>
    public static FlopRate? RateOf(Device device)
    {
        foreach (var f in Figures)
        {
            if (f.DeviceId == device.Id)
            {
                return f.Rate;
            }
        }
        return null;
    }
}
