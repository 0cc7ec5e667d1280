using Suanli.Catalog;

namespace Suanli.Footprint;

/// <summary>
/// Parameters of a model by part, counted from the architecture (docs/methodology.md, "Parameter count").
/// Embedding parts stay 16-bit under weight-only quantization, so they are kept apart.
/// </summary>
/// <param name="Embedding">Token (and learned position) embeddings.</param>
/// <param name="LmHead">Output projection (0 when tied to the embedding).</param>
/// <param name="AttentionPerLayer">Attention weights and biases of one block.</param>
/// <param name="DenseMlpPerLayer">MLP weights of one dense block.</param>
/// <param name="MoePerLayer">All expert, shared-expert and router weights of one MoE block.</param>
/// <param name="ActiveMoePerLayer">Expert weights one token uses in one MoE block (top-k plus shared, plus router).</param>
/// <param name="NormsPerLayer">Norm weights of one block.</param>
/// <param name="FinalNorm">The final norm.</param>
public sealed record ParameterCount(
    double Embedding, double LmHead, double AttentionPerLayer, double DenseMlpPerLayer,
    double MoePerLayer, double ActiveMoePerLayer, double NormsPerLayer, double FinalNorm)
{
    /// <summary>Parameters inside the transformer blocks (all layers).</summary>
    public double Blocks(ModelArchitecture a) =>
        a.Layers * (AttentionPerLayer + NormsPerLayer) + a.DenseMlpLayers * DenseMlpPerLayer + a.MoeLayers * MoePerLayer;

    /// <summary>All parameters.</summary>
    public double Total(ModelArchitecture a) => Blocks(a) + Embedding + LmHead + FinalNorm;

    /// <summary>Parameters one token touches: all attention, dense MLPs, the active experts, and the LM head.</summary>
    public double Active(ModelArchitecture a) =>
        a.Layers * (AttentionPerLayer + NormsPerLayer) + a.DenseMlpLayers * DenseMlpPerLayer + a.MoeLayers * ActiveMoePerLayer
        + Embedding + LmHead + FinalNorm;

    /// <summary>Parameters that take part in matrix multiplies per token (active, without embeddings' lookup); 2 x this is the forward FLOPs per token before attention.</summary>
    public double ActiveMatmul(ModelArchitecture a) =>
        a.Layers * AttentionPerLayer + a.DenseMlpLayers * DenseMlpPerLayer + a.MoeLayers * ActiveMoePerLayer
        + (LmHead > 0 ? LmHead : Embedding - a.LearnedPositions * (double)a.HiddenSize);

    /// <summary>Counts the parameters of an architecture.</summary>
    public static ParameterCount Of(ModelArchitecture a)
    {
        double h = a.HiddenSize;
        double hd = a.HeadDim;
        var embedding = (double)a.VocabSize * h + (double)a.LearnedPositions * h;
        var lmHead = a.TiedEmbeddings ? 0 : (double)a.VocabSize * h;

        double attention;
        if (a.Mla is { } m)
        {
            var qHead = m.QkNopeHeadDim + m.QkRopeHeadDim;
            var q = m.QLoraRank > 0
                ? h * m.QLoraRank + m.QLoraRank + (double)m.QLoraRank * a.Heads * qHead
                : h * a.Heads * qHead;
            var kvA = h * (m.KvLoraRank + m.QkRopeHeadDim) + m.KvLoraRank;
            var kvB = (double)m.KvLoraRank * a.Heads * (m.QkNopeHeadDim + m.VHeadDim);
            var o = (double)a.Heads * m.VHeadDim * h;
            attention = q + kvA + kvB + o;
        }
        else
        {
            var qOut = a.Heads * hd;
            var kvOut = a.KvHeads * hd;
            attention = h * (qOut + 2 * kvOut) + qOut * h;
            if (a.QkvBias)
            {
                attention += qOut + 2 * kvOut;
            }
            if (a.LinearBias)
            {
                attention += h;
            }
        }

        var matrices = a.GatedMlp ? 3.0 : 2.0;
        var denseMlp = matrices * h * a.IntermediateSize + (a.LinearBias ? a.IntermediateSize + h : 0);

        double moe = 0, activeMoe = 0;
        if (a.Moe is { } e)
        {
            var expert = matrices * h * e.ExpertIntermediateSize;
            var shared = matrices * h * e.SharedIntermediateSize;
            var router = h * e.Experts;
            moe = e.Experts * expert + shared + router;
            activeMoe = e.ActiveExperts * expert + shared + router;
        }

        var normWidth = a.LayerNormBias ? 2 * h : h;
        var norms = a.NormsPerLayer * normWidth;
        return new ParameterCount(embedding, lmHead, attention, denseMlp, moe, activeMoe, norms, normWidth);
    }
}
