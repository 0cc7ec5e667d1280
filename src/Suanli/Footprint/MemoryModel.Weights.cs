using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.Footprint;

/// <summary>Weight bytes by part (docs/methodology.md, "Memory footprint" and "Weight formats").</summary>
public static partial class MemoryModel
{
    /// <summary>
    /// Bytes of weights for an architecture in a precision: the routed experts of every MoE layer in the experts' format,
    /// every other weight in the rest's; embeddings and LM head stay 16-bit unless the rest's format quantizes them (GGUF)
    /// or is wider (fp32). Written as body x rest + routed x (experts - rest), so a uniform precision adds exactly 0.
    /// </summary>
    public static Bytes WeightBytes(ModelArchitecture a, WeightPrecision precision)
    {
        var p = ParameterCount.Of(a);
        var edge = p.Edge;
        var body = p.Total(a) - edge;
        var rest = precision.Rest;
        var routed = RoutedExpertParametersPerLayer(a) * a.MoeLayers;
        return Bytes.FromBytes(body * rest.BytesPerValue + edge * EdgeBytesPerValue(rest)
            + routed * (precision.Experts.BytesPerValue - rest.BytesPerValue));
    }

    /// <summary>
    /// Bytes of a model's weights in a format: the checkpoint's exact size (<c>metadata.total_size</c> of its
    /// <c>model.safetensors.index.json</c>) when the checkpoint is stored in that format, else counted from the architecture.
    /// </summary>
    public static Bytes WeightBytes(ModelEntry model, WeightPrecision format) =>
        WeightBytes(model.Architecture, format) * CheckpointScale(model, format);

    /// <summary>
    /// The checkpoint's size over the counted weights when the checkpoint holds <paramref name="format"/> (the two agree
    /// within 10%: the count misses only buffers and rounding); 1 when there is no checkpoint size or it holds another
    /// format (a bf16 checkpoint says nothing exact about int4 weights).
    /// </summary>
    public static double CheckpointScale(ModelEntry model, WeightPrecision format) =>
        CheckpointHolds(model, format) ? model.CheckpointBytes!.Value.Value / WeightBytes(model.Architecture, format).Value : 1;

    /// <summary>True when the model has a checkpoint size and the checkpoint is stored in <paramref name="format"/> (its size within 10% of the counted weights).</summary>
    public static bool CheckpointHolds(ModelEntry model, WeightPrecision format)
    {
        if (model.CheckpointBytes is not { } size || !(size.Value > 0))
        {
            return false;
        }
        var ratio = size.Value / WeightBytes(model.Architecture, format).Value;
        return ratio is >= 0.9 and <= 1.1;
    }

    /// <summary>
    /// Bytes of the routed experts of one MoE layer in the weight format: experts x (gate, up, down or up, down) x hidden x
    /// expert width x bytes per value (no shared experts, no router). 0 for dense models.
    /// </summary>
    public static Bytes RoutedExpertBytesPerLayer(ModelArchitecture a, NumberFormat format) =>
        Bytes.FromBytes(RoutedExpertParametersPerLayer(a) * format.BytesPerValue);

    /// <summary>Parameters of the routed experts of one MoE layer: experts x (gate, up, down or up, down) x hidden (the latent width under LatentMoE) x expert width; 0 for dense models.</summary>
    public static double RoutedExpertParametersPerLayer(ModelArchitecture a) =>
        a.Moe is { } m ? (double)m.Experts * (a.GatedMlp ? 3.0 : 2.0) * m.ExpertInputWidth(a.HiddenSize) * m.ExpertIntermediateSize : 0;

    /// <summary>
    /// Bytes of the multi-token-prediction blocks when an engine loads them as a speculative draft (vLLM and SGLang load
    /// them only then), each block's routed experts in the experts' format and the rest in the rest's; they share the main
    /// model's embedding and head. 0 without MTP.
    /// </summary>
    public static Bytes MtpWeightBytes(ModelArchitecture a, WeightPrecision precision)
    {
        // An MTP block of an MoE model ends in an MoE layer (ParameterCount.Of), so it holds one layer's routed experts.
        // Where the config lists an MTP module's blocks (Nemotron-H), it holds as many expert blocks as the list says.
        var expertBlocks = a.Extras.MtpBlocks?.Experts ?? 1;
        var routed = a.Moe is not null && a.MoeLayers > 0 && !a.Extras.MtpDenseMlp ? RoutedExpertParametersPerLayer(a) * a.MtpLayers * expertBlocks : 0;
        return Bytes.FromBytes(ParameterCount.Of(a).Mtp * precision.Rest.BytesPerValue + routed * (precision.Experts.BytesPerValue - precision.Rest.BytesPerValue));
    }

    /// <summary>The articles' rule: memory = 1.2 x parameters x bytes per weight. Shown beside the estimate, never used.</summary>
    public static Bytes RuleOfThumb(double parameters, NumberFormat format) => Bytes.FromBytes(1.2 * parameters * format.BytesPerValue);

    /// <summary>
    /// The articles' rule for a precision: 1.2 x parameters x the mean bytes per weight of the architecture in that precision
    /// (its counted weight bytes over its counted parameters); a uniform precision gives exactly the format's rule.
    /// </summary>
    public static Bytes RuleOfThumb(double parameters, ModelArchitecture a, WeightPrecision precision) =>
        precision.IsUniform ? RuleOfThumb(parameters, precision.Rest)
            : Bytes.FromBytes(1.2 * parameters * WeightBytes(a, precision).Value / ParameterCount.Of(a).Total(a));

    /// <summary>Mean bits per weight of an architecture in a precision (the format's bits when uniform), for tables and sentences.</summary>
    public static double MeanBitsPerWeight(ModelArchitecture a, WeightPrecision precision) =>
        precision.IsUniform ? precision.Rest.BitsPerValue : 8.0 * WeightBytes(a, precision).Value / ParameterCount.Of(a).Total(a);

    /// <summary>Bytes per embedding or LM-head weight in a format: 16-bit unless the format quantizes them (GGUF) or is not narrower (fp32 stays 4).</summary>
    public static double EdgeBytesPerValue(NumberFormat f) => f.QuantizesEmbeddings || !f.IsQuantized ? f.BytesPerValue : 2.0;

    private static double EdgeBytes(ParameterCount p, NumberFormat f) => p.Edge * EdgeBytesPerValue(f);
}
