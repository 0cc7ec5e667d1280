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

    // Per-deployment constants of the last deployment asked for: the simulator asks millions of times for one
    // deployment, and recomputing the parameter count allocated on every call. An immutable object read once per call,
    // so concurrent callers see either the old or the new constants, never a mix.
    private Constants? _last;

    /// <inheritdoc />
    public StepEstimate Estimate(Deployment d, StepShape s)
    {
        var (compute, memory, flop, bytes) = Parts(d, s);
        return new StepEstimate(Duration.Max(compute, memory), compute, memory, Duration.Zero, Duration.Zero,
            compute >= memory ? Bottleneck.Compute : Bottleneck.MemoryBandwidth, Flop.FromFlop(flop), Bytes.FromBytes(bytes));
    }

    /// <inheritdoc />
    public Duration Time(Deployment d, StepShape s)
    {
        var (compute, memory, _, _) = Parts(d, s);
        return Duration.Max(compute, memory);
    }

    private (Duration Compute, Duration Memory, double Flop, double Bytes) Parts(Deployment d, StepShape s)
    {
        var c = ConstantsOf(d);
        var a = d.Model.Architecture;
        var tokens = Math.Max(1, s.Tokens);
        var flop = 2.0 * c.ActiveMatmul * tokens + AttentionFlop(a, s);
        // Routed experts' arithmetic on their own format's path takes rest peak / experts peak times as long per FLOP (+0 when uniform).
        var timedFlop = flop + 2.0 * c.ActiveRoutedMatmul * tokens * (c.RestOverExpertPeak - 1);
        var weightBytes = d.Weights.IsUniform
            ? c.WeightBytes * TouchedWeightFraction(a, c.Parameters, tokens)
            : c.WeightBytes - UntouchedExpertParameters(a, tokens) * d.Weights.Experts.BytesPerValue;
        // The ideal kernel reads each cached token once per step and writes each new one once.
        var kvBytes = c.KvPerToken * (s.DecodeSequences * s.DecodeContext + (s.PrefillTokens > 0 ? s.PrefillContext + s.PrefillTokens : 0));
        var devices = d.Layout.Devices;
        var compute = Flop.FromFlop(timedFlop) / (c.Peak * devices);
        var memory = Bytes.FromBytes(weightBytes + kvBytes) / (d.Device.MemoryBandwidth * devices);
        return (compute, memory, flop, weightBytes + kvBytes);
    }

    private Constants ConstantsOf(Deployment d)
    {
        var last = _last;
        if (last is not null && (ReferenceEquals(last.Key, d) || last.Key.Equals(d)))
        {
            return last;
        }
        var a = d.Model.Architecture;
        var p = ParameterCount.Of(a);
        var peak = PreparedStep.PeakOf(d.Device, d.Weights.Rest);
        var routed = a.Moe is { } m ? (double)a.MoeLayers * m.ActiveExperts * ExpertParams(a, m) : 0;
        // A step streams the weights but not Gemma 3n's per-layer embedding table (one row a token) or its idle K/V projections.
        var streamed = MemoryModel.WeightBytes(a, d.Weights).Value - p.PerLayerEmbedding * MemoryModel.EdgeBytesPerValue(d.Weights.Rest)
            - p.IdleKvProjections * d.Weights.Rest.BytesPerValue;
        var c = new Constants(d, p, p.ActiveMatmul(a), routed, streamed, MemoryModel.KvBytesPerToken(a, d.Kv).Value,
            peak, peak.Value / PreparedStep.PeakOf(d.Device, d.Weights.Experts).Value);
        _last = c;
        return c;
    }

    private sealed record Constants(Deployment Key, ParameterCount Parameters, double ActiveMatmul, double ActiveRoutedMatmul, double WeightBytes, double KvPerToken,
        FlopRate Peak, double RestOverExpertPeak);

    /// <summary>
    /// Attention score and value FLOPs: 4 x softmax layers x heads x head dim x attended tokens per new token
    /// (QK^T and AV, a multiply-add each); prefill chunks attend causally to half their own length on average.
    /// Linear-attention layers of hybrid models have no per-context term and are left out (a bound, not an estimate).
    /// </summary>
    public static double AttentionFlop(ModelArchitecture a, StepShape s)
    {
        // Full-attention layers with their own head width (Gemma 4) count it; Laguna's layers their mean query heads.
        var perToken = a.Global is null ? 4.0 * a.SoftmaxLayers * a.MeanSoftmaxHeads * a.HeadDim
            : 4.0 * a.Heads * ((double)(a.SoftmaxLayers - a.FullAttentionLayers) * a.HeadDim + (double)a.FullAttentionLayers * a.FullHeadDim);
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
        return Math.Clamp((total - UntouchedExpertParameters(a, tokens)) / total, 0, 1);
    }

    /// <summary>Routed-expert parameters of all MoE layers that a step of <paramref name="tokens"/> tokens leaves unread: (E - E (1 - (1 - k/E)^B)) x expert size x MoE layers; 0 for dense models.</summary>
    public static double UntouchedExpertParameters(ModelArchitecture a, int tokens)
    {
        if (a.Moe is not { } m)
        {
            return 0;
        }
        var touched = m.Experts * (1 - Math.Pow(1 - (double)m.ActiveExperts / m.Experts, tokens));
        return (m.Experts - touched) * ExpertParams(a, m) * a.MoeLayers;
    }

    private static double ExpertParams(ModelArchitecture a, MixtureOfExperts m) => (a.GatedMlp ? 3.0 : 2.0) * m.ExpertInputWidth(a.HiddenSize) * m.ExpertIntermediateSize;
}
