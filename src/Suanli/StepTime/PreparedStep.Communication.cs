using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;

namespace Suanli.StepTime;

/// <summary>
/// The collectives of one step: tensor-parallel all-reduces, the experts' all-to-all under data-parallel attention
/// (in the experts' input width: the hidden state, or the latent width of latent experts) and pipeline hand-offs.
/// </summary>
public sealed partial class PreparedStep
{
    // Width of the values an all-to-all carries per token and expert: the hidden state, or LatentMoE's latent width.
    private readonly double _expertInputWidth;

    /// <summary>
    /// Bytes one device sends in one direction for one all-to-all (dispatch, or combine) of one MoE layer under
    /// data-parallel attention: its share (tokens / (TP x DP)) of the group's <paramref name="tokens"/>, each to the top-k
    /// experts as hidden values (latent under LatentMoE: vLLM projects before the dispatch) of 2 bytes (BF16), for the
    /// (G - 1) / G of experts on other devices; 0 without data-parallel attention (its all-reduce gives every rank every token).
    /// </summary>
    public static Bytes AllToAllBytesPerDevice(ModelArchitecture a, Layout layout, double tokens)
    {
        if (!layout.DataParallelAttention || a.Moe is not { } m)
        {
            return Bytes.Zero;
        }
        double g = layout.StageDevices;
        return Bytes.FromBytes(tokens / g * m.ActiveExperts * m.ExpertInputWidth(a.HiddenSize) * ActivationBytesPerValue * (g - 1) / g);
    }

    /// <summary>
    /// Tensor-parallel all-reduces (two per layer) and pipeline hand-offs of <paramref name="tokens"/> (one micro-batch's). Experts spread over the tensor-parallel group
    /// (EP = TP, as <see cref="Layouts.Make"/> builds them) see every token already, because attention's all-reduce
    /// replicates the activations; their outputs are combined by the layer's second all-reduce, so no all-to-all is
    /// needed. With data-parallel attention each rank's tokens reach the experts on the other devices by an all-to-all
    /// dispatch and come back by an all-to-all combine in every MoE layer (<see cref="AllToAllBytesPerDevice"/>); the
    /// all-reduces stay within one attention rank's TP group (after attention, and after each dense MLP) on its tokens.
    /// </summary>
    private double Communication(double tokens)
    {
        var rankTokens = tokens / _dp;
        var message = rankTokens * _hidden * ActivationBytesPerValue;
        var link = _groupLinkBytesPerSecond * _p.InterconnectEfficiency;
        var latency = _p.CollectiveLatency.Value;
        var total = 0.0;
        if (_tp > 1)
        {
            // Ring all-reduce sends 2 (n - 1) / n of the message over each link (NCCL's bus-bandwidth definition).
            var allReduce = latency + 2.0 * (_tp - 1) / _tp * message / link;
            // One after each mixer and each MLP (2 a layer, or Nemotron-H's mixer and MLP-only blocks).
            total += allReduce * (_dp > 1 ? _layers + _denseLayers : _layers + _denseLayers + _moeLayers);
        }
        if (_dp > 1 && _moeLayers > 0)
        {
            // Each device sends its tokens' copies for remote experts out over its own link, and receives as much.
            var allToAll = latency + tokens / _group * _activeExperts * _expertInputWidth * ActivationBytesPerValue * (_group - 1) / _group / link;
            total += 2.0 * allToAll * _moeLayers;
        }
        if (_pp > 1)
        {
            total += PipelineHandoffs(latency, message, link);
        }
        return total;
    }
}
