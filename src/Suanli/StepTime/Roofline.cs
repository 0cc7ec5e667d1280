using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.StepTime;

/// <summary>
/// The uncalibrated roofline: every operator at the device's dense peak and full memory bandwidth, no
/// communication or overhead. The floor below any real engine; shown beside calibrated predictions.
/// </summary>
public sealed class Roofline : IStepTimeModel
{
    /// <summary>The shared instance.</summary>
    public static Roofline Instance { get; } = new();

    /// <inheritdoc />
    public StepEstimate Estimate(Deployment d, StepShape s)
    {
        var a = d.Model.Architecture;
        var p = ParameterCount.Of(a);
        var tokens = Math.Max(1, s.Tokens);
        var flop = 2.0 * p.ActiveMatmul(a) * tokens + AttentionFlop(a, s);
        var weightBytes = MemoryModel.WeightBytes(a, d.Weights).Value * TouchedWeightFraction(a, p, tokens);
        var kvPerToken = MemoryModel.KvBytesPerToken(a, d.Kv).Value;
        // The ideal kernel reads each cached token once per step and writes each new one once.
        var kvBytes = kvPerToken * (s.DecodeSequences * s.DecodeContext + (s.PrefillTokens > 0 ? s.PrefillContext + s.PrefillTokens : 0));
        var devices = d.Layout.Devices;
        var peak = d.Device.PeakFor(d.Weights.Compute) ?? d.Device.PeakFor(ComputeType.Fp32)
            ?? throw new InputException(FieldNames.Hardware, Phrase.Of("no-peak", "{device} has no arithmetic peak in the catalog; add one under 'peak'.", ("device", d.Device.Id)));
        var compute = Flop.FromFlop(flop) / (peak * devices);
        var memory = Bytes.FromBytes(weightBytes + kvBytes) / (d.Device.MemoryBandwidth * devices);
        var time = Duration.Max(compute, memory);
        return new StepEstimate(time, compute, memory, Duration.Zero, Duration.Zero,
            compute >= memory ? Bottleneck.Compute : Bottleneck.MemoryBandwidth, Flop.FromFlop(flop), Bytes.FromBytes(weightBytes + kvBytes));
    }

    /// <summary>
    /// Attention score and value FLOPs: 4 x softmax layers x heads x head dim x attended tokens per new token
    /// (QK^T and AV, a multiply-add each); prefill chunks attend causally to half their own length on average.
    /// Linear-attention layers of hybrid models have no per-context term and are left out (a bound, not an estimate).
    /// </summary>
    public static double AttentionFlop(ModelArchitecture a, StepShape s)
    {
        var perToken = 4.0 * a.SoftmaxLayers * a.Heads * a.HeadDim;
        return perToken * (s.DecodeSequences * s.DecodeContext + s.PrefillTokens * (s.PrefillContext + s.PrefillTokens / 2.0));
    }

    /// <summary>
    /// Fraction of the weights a step reads. Dense models read all; MoE layers read the experts the batch touches:
    /// with B tokens each choosing k of E experts, E x (1 - (1 - k/E)^B) distinct experts in expectation.
    /// </summary>
    public static double TouchedWeightFraction(ModelArchitecture a, ParameterCount p, int tokens)
    {
        if (a.Moe is not { } m)
        {
            return 1.0;
        }
        var total = p.Total(a);
        var touched = m.Experts * (1 - Math.Pow(1 - (double)m.ActiveExperts / m.Experts, tokens));
        var untouched = (m.Experts - touched) * ExpertParams(a, m) * a.MoeLayers;
        return Math.Clamp((total - untouched) / total, 0, 1);
    }

    private static double ExpertParams(ModelArchitecture a, MixtureOfExperts m) => (a.GatedMlp ? 3.0 : 2.0) * a.HiddenSize * m.ExpertIntermediateSize;
}
