namespace Suanli.StepTime;

/// <summary>
/// Pipeline parallelism with micro-batches in flight (docs/methodology-steptime.md, "Pipeline micro-batches"). An engine
/// that pipelines splits the running sequences of a PP = p replica into up to p micro-batches and keeps one on each
/// stage at a time (GPipe, Huang et al., arXiv:1811.06965; TensorRT-LLM runs <c>mNumMicroBatches</c> = p in
/// cpp/tensorrt_llm/batch_manager/trtGptModelInflightBatching.cpp; vLLM V0 one virtual engine with its own scheduler per
/// stage, vllm-project/vllm issues 4461 and 11945). One simulated step is then one round: every micro-batch crosses
/// every stage once, and every sequence of the step gains its token.
/// </summary>
public sealed partial class PreparedStep
{
    /// <summary>
    /// Whether <paramref name="engine"/> keeps several micro-batches in flight on a pipeline-parallel replica: TensorRT-LLM
    /// and vLLM do; llama.cpp's layer split runs one batch through the devices one after another, and for SGLang and
    /// transformers no source was read, so their stages are taken as running one after another.
    /// </summary>
    public static bool PipelinesMicroBatches(Engine engine) => engine is Engine.TrtLlm or Engine.Vllm;

    /// <summary>
    /// Micro-batches one step of <paramref name="s"/> runs as: the pipeline stages (PP) for an engine that pipelines,
    /// but no more than the step's sequences (decodes plus prompts), since a sequence's token is in one micro-batch;
    /// 1 without pipeline stages or for an engine that runs its stages one after another.
    /// </summary>
    public int MicroBatches(StepShape s)
    {
        if (_pp <= 1 || !PipelinesMicroBatches(Deployment.Engine))
        {
            return 1;
        }
        var sequences = (long)Math.Max(0, s.DecodeSequences) + (s.PrefillTokens > 0 ? Math.Max(1, s.PrefillSequences) : 0);
        return (int)Math.Clamp(sequences, 1, _pp);
    }

    /// <summary>
    /// Seconds of one round of <paramref name="micro"/> equal micro-batches, less the step overhead, as the larger of the
    /// two things a round must wait for: a micro-batch's next token needs its previous one to have left the last stage, so
    /// no round is shorter than one micro-batch's way through all stages (<paramref name="traversal"/>, T); and each stage
    /// works on one micro-batch at a time, so the round is at least the busiest stage's work on all of them (m x
    /// <see cref="Busiest"/>). Pipelining pays because the second bound takes over: with one micro-batch the stages idle in
    /// turn and the round is T; with p micro-batches, each of 1/p of the step's sequences, every stage stays busy and the
    /// round adds only the last stage's LM head for each further micro-batch (<paramref name="lmHead"/>).
    /// </summary>
    private double PipelineRound(double traversal, double lmHead, int micro) =>
        micro == 1 ? traversal : Math.Max(traversal, micro * Busiest(traversal, lmHead));

    /// <summary>
    /// Seconds of one round whose micro-batches are unequal (prompt bubbles): <paramref name="heavy"/> micro-batches hold
    /// the step's prompt tokens besides their decodes and take <paramref name="traversal"/> to cross all stages,
    /// <paramref name="light"/> hold decodes only and take <paramref name="lightTraversal"/>. A micro-batch's next token
    /// needs its previous one, so a round lasts at least the slowest micro-batch's way through all stages, and at least
    /// the busiest stage's work on every micro-batch of the round (the two kinds of cycle of a periodic pipeline
    /// schedule; GPipe, Huang et al., arXiv:1811.06965, for equal micro-batches):
    /// <c>round = max(T_prompt, k x busiest(T_prompt) + (m - k) x busiest(T_decode))</c>. While a prompt crosses the
    /// stages the decode-only micro-batches wait behind it, so a round with a long prompt chunk lasts about that chunk's
    /// prefill through the whole model, not 1/p of it: with equal shares the same work would give
    /// <c>m x busiest(T / m)</c>.
    /// </summary>
    private double PipelineRound(double traversal, double lmHead, int heavy, double lightTraversal, double lightLmHead, int light) =>
        Math.Max(Math.Max(traversal, lightTraversal), heavy * Busiest(traversal, lmHead) + light * Busiest(lightTraversal, lightLmHead));

    /// <summary>
    /// Seconds the busiest stage spends on one micro-batch whose way through all stages takes <paramref name="traversal"/>,
    /// <paramref name="lmHead"/> of it the LM head that only the last stage runs: when p divides the L layers every stage
    /// holds L / p and the last, which also runs the LM head, is the busiest: <c>(T - t_lm) / p + t_lm</c>; otherwise
    /// (<see cref="StageLayers"/>) the first L mod p stages hold ceil(L / p) layers and the last floor(L / p) besides the
    /// LM head, and the busier sets the pace: <c>max(ceil(L / p) u, floor(L / p) u + t_lm)</c> with
    /// <c>u = (T - t_lm) / L</c> per layer. The first stage's embedding lookup is spread over the layers with the rest:
    /// it reads one row of <c>h</c> values per token (8 KB for Llama-3.1-8B), under 0.1% of a stage's weight reads.
    /// </summary>
    private double Busiest(double traversal, double lmHead)
    {
        var (first, last) = StageLayers(_layers, _pp);
        var perLayer = (traversal - lmHead) / _layers;
        return first == last ? (traversal - lmHead) / _pp + lmHead : Math.Max(first * perLayer, last * perLayer + lmHead);
    }

    /// <summary>
    /// Layers of the first pipeline stage and of the last when <paramref name="layers"/> are split over <paramref name="pp"/>
    /// stages as the engines split them: as evenly as possible, the L mod p extra layers on stages before the last, so the
    /// first holds ceil(L / p) and the last, which also runs the LM head, floor(L / p). TensorRT-LLM: "If num_layers %
    /// pp_size = n != 0, first n ranks get one extra layer" (torch.tensor_split, NVIDIA/TensorRT-LLM@05ebebb2
    /// tensorrt_llm/mapping.py, Mapping.pp_layers); vLLM gives them to the stages before the last, counting back from the
    /// second to last (vllm-project/vllm@5a6541db vllm/distributed/utils.py, get_pp_indices). Llama 3.1 405B's 126 layers on
    /// PP = 8: six stages of 16 and two of 15.
    /// </summary>
    public static (int First, int Last) StageLayers(int layers, int pp) =>
        pp <= 1 ? (layers, layers) : ((layers + pp - 1) / pp, layers / pp);

    /// <summary>Totals of one micro-batch turned into the round's: arithmetic and bytes of all <paramref name="micro"/> micro-batches, times scaled to the round.</summary>
    private static Totals Round(Totals t, int micro, double timeScale) => new()
    {
        Flop = t.Flop * micro,
        Bytes = t.Bytes * micro,
        Compute = t.Compute * timeScale,
        Memory = t.Memory * timeScale,
        ComputeBoundTime = t.ComputeBoundTime * timeScale,
        MemoryBoundTime = t.MemoryBoundTime * timeScale,
        Time = t.Time * timeScale,
        LmHead = t.LmHead * timeScale,
    };
}
