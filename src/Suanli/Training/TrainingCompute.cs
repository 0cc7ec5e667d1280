using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>What is stored for the backward pass and what is recomputed (Korthikanti et al., arXiv:2205.05198).</summary>
public enum Recompute
{
    /// <summary>Every activation is kept: 3 x forward FLOPs, the most memory.</summary>
    None,
    /// <summary>Only attention's score/softmax part is recomputed (FlashAttention does this implicitly): about the attention FLOPs extra, 34 sbh bytes per layer.</summary>
    Selective,
    /// <summary>Only each layer's input is kept and the whole forward runs again in the backward: 4 x forward FLOPs, 2 sbh bytes per layer.</summary>
    Full,
}

/// <summary>How the weights are trained.</summary>
public enum TrainingMethod
{
    /// <summary>Every weight is trained with mixed-precision Adam (pretraining or full fine-tuning).</summary>
    Full,
    /// <summary>LoRA (Hu et al., arXiv:2106.09685): frozen 16-bit base, rank-r adapters trained.</summary>
    Lora,
    /// <summary>QLoRA (Dettmers et al., arXiv:2305.14314): frozen NF4 base with double quantization, rank-r adapters trained.</summary>
    Qlora,
}

/// <summary>
/// Training arithmetic (docs/methodology-training.md, "Compute"). Forward FLOPs per token are 2 x the active matmul
/// parameters plus attention's score and value products over the whole sequence (the PaLM/Megatron "model FLOPs"
/// convention, arXiv:2204.02311 appendix B); training is 3 x forward (backward = 2 x forward).
/// </summary>
public static class TrainingCompute
{
    /// <summary>
    /// Attention FLOPs per token in the forward pass: per layer 2 x heads x (query-key width + value width) x attended
    /// tokens, attended = the sequence length (the window on sliding-window layers). Equals 4 x layers x heads x head dim x seq for plain attention.
    /// </summary>
    /// <param name="a">The architecture.</param>
    /// <param name="seqLen">Training sequence length in tokens.</param>
    public static Flop AttentionForwardPerToken(ModelArchitecture a, int seqLen)
    {
        Guard.InRange(seqLen, 1, 10_000_000, FieldNames.SeqLen);
        if (a.Compressed is { } v4)
        {
            // DeepSeek V4: the window and the compressed entries (at most index_topk on CSA layers), 4 x H x D FLOP each.
            return Flop.FromFlop(4.0 * a.Heads * a.HeadDim * v4.AttendedEntries(seqLen, a.Sparse?.TopK ?? int.MaxValue));
        }
        double qk = a.Mla is { } m ? m.QkNopeHeadDim + m.QkRopeHeadDim : a.HeadDim;
        double v = a.Mla is { } m2 ? m2.VHeadDim : a.HeadDim;
        var windowed = a.Window is null ? 0 : Math.Min(a.Layers, a.Window.Layers);
        var windowTokens = a.Window is { } w ? Math.Min(seqLen, w.Length) : seqLen;
        if (a.Global is not null && a.Mla is null)
        {
            // Full-attention layers with their own head width (Gemma 4) attend with it.
            return Flop.FromFlop(2.0 * a.Heads * ((qk + v) * windowed * windowTokens + 2.0 * a.FullHeadDim * (double)(a.Layers - windowed) * seqLen));
        }
        var attended = (double)(a.Layers - windowed) * seqLen + (double)windowed * windowTokens;
        return Flop.FromFlop(2.0 * a.Heads * (qk + v) * attended);
    }

    /// <summary>Forward FLOPs per token: 2 x active matmul parameters (MoE: the routed top-k and shared experts) plus attention.</summary>
    public static Flop ForwardPerToken(ModelArchitecture a, int seqLen) =>
        Flop.FromFlop(2.0 * ParameterCount.Of(a).ActiveMatmul(a)) + AttentionForwardPerToken(a, seqLen);

    /// <summary>
    /// Model FLOPs per trained token (what MFU counts): 3 x forward for full training; for LoRA/QLoRA the frozen
    /// weights need no weight gradient, so forward + input-gradient = 2 x forward, plus 6 x the adapter parameters.
    /// </summary>
    public static Flop ModelPerToken(ModelArchitecture a, int seqLen, TrainingMethod method = TrainingMethod.Full, int loraRank = 16) =>
        method == TrainingMethod.Full
            ? 3.0 * ForwardPerToken(a, seqLen)
            : 2.0 * ForwardPerToken(a, seqLen) + Flop.FromFlop(6.0 * AdapterParameters(a, loraRank));

    /// <summary>FLOPs actually executed per token with recomputation: selective adds the attention forward once more, full adds a whole forward.</summary>
    public static Flop HardwarePerToken(ModelArchitecture a, int seqLen, Recompute recompute, TrainingMethod method = TrainingMethod.Full, int loraRank = 16)
    {
        var model = ModelPerToken(a, seqLen, method, loraRank);
        return recompute switch
        {
            Recompute.Full => model + ForwardPerToken(a, seqLen),
            Recompute.Selective => model + AttentionForwardPerToken(a, seqLen),
            _ => model,
        };
    }

    /// <summary>Model FLOPs for <paramref name="tokens"/> trained tokens.</summary>
    public static Flop Total(ModelArchitecture a, int seqLen, Tokens tokens, TrainingMethod method = TrainingMethod.Full, int loraRank = 16) =>
        ModelPerToken(a, seqLen, method, loraRank) * PositiveTokens(tokens);

    /// <summary>The articles' and Kaplan et al.'s rule, 6 x parameters x tokens (arXiv:2001.08361), shown beside the itemised count.</summary>
    public static Flop SixND(double parameters, Tokens tokens) => Flop.FromFlop(6.0 * Guard.Positive(parameters, FieldNames.Parameters) * PositiveTokens(tokens));

    /// <summary>Tokens that <paramref name="budget"/> FLOPs train (the inverse of <see cref="Total"/>).</summary>
    public static Tokens TokensFor(ModelArchitecture a, int seqLen, Flop budget, TrainingMethod method = TrainingMethod.Full, int loraRank = 16)
    {
        Guard.Positive(budget.Value, FieldNames.Flops);
        return Tokens.FromCount(budget / ModelPerToken(a, seqLen, method, loraRank));
    }

    /// <summary>
    /// LoRA adapter parameters at rank r on every attention projection (q, k, v, o) and every dense MLP matrix:
    /// r x (fan-in + fan-out) per matrix (Hu et al. 2021 section 4; QLoRA applies adapters to all linear layers).
    /// MoE layers get adapters on attention only.
    /// </summary>
    public static double AdapterParameters(ModelArchitecture a, int rank)
    {
        Guard.InRange(rank, 1, 65_536, FieldNames.LoraRank);
        double h = a.HiddenSize;
        double q = a.Mla is { } m ? a.Heads * (double)(m.QkNopeHeadDim + m.QkRopeHeadDim) : a.Heads * (double)a.HeadDim;
        double kv = a.Mla is { } m2 ? m2.KvLoraRank + m2.QkRopeHeadDim : a.KvHeads * (double)a.HeadDim;
        var attention = rank * ((h + q) + 2 * (h + kv) + (q + h));
        var mlp = (a.GatedMlp ? 3.0 : 2.0) * rank * (h + a.IntermediateSize);
        if (a.Global is { } g && a.Mla is null)
        {
            // Gemma 4's full-attention layers: their own query and key widths, and no value projection when values reuse keys.
            double gq = a.Heads * (double)g.HeadDim, gkv = g.KvHeads * (double)g.HeadDim;
            var global = rank * ((h + gq) + (g.KeysAreValues ? 1 : 2) * (h + gkv) + (gq + h));
            return (a.Layers - a.FullAttentionLayers) * attention + a.FullAttentionLayers * global + a.DenseMlpLayers * mlp;
        }
        return a.Layers * attention + a.DenseMlpLayers * mlp;
    }

    private static double PositiveTokens(Tokens tokens) => Guard.Positive(tokens.Value, FieldNames.Tokens);
}
