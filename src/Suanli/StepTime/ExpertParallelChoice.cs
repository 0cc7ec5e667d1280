using Suanli.Catalog;
using Suanli.Footprint;

namespace Suanli.StepTime;

/// <summary>
/// When a layout search that no user or source pinned also tries data-parallel attention with the routed experts
/// expert-parallel over the group (docs/methodology-serving.md, "Whole systems"; methodology.md, "Data-parallel attention").
/// </summary>
public static class ExpertParallelChoice
{
    /// <summary>
    /// True for a mixture-of-experts model with latent attention (MLA, or DeepSeek V4's one shared key-value vector) on
    /// vLLM, SGLang or TensorRT-LLM. Latent attention keeps one key-value vector per token for all heads, so a tensor-parallel
    /// attention group caches the whole of it on every rank (TensorRT-LLM, "Parallelism in TensorRT LLM": with MLA
    /// the KV cache is replicated when heads per rank cannot split it; SGLang, lmsys.org/blog/2024-12-04-sglang-v0-4:
    /// data-parallel attention "eliminates KV cache duplication" for DeepSeek's MLA); the three engines document
    /// data-parallel attention with expert parallelism as their deployment for these models (vLLM's data-parallel
    /// deployment guide names "models like DeepSeek that employ MLA"; TensorRT-LLM's DeepSeek-R1 recipes and wide-EP
    /// backend; SGLang's large-scale EP deployment, lmsys.org/blog/2025-05-05-large-scale-ep). Other MoE models keep
    /// tensor-parallel attention unless pinned: their engines run attention data-parallel only when told to, and the
    /// TensorRT-LLM 0.17 Mixtral 8x22B row predates the option. llama.cpp and transformers have no such mode.
    /// </summary>
    /// <param name="a">The model.</param>
    /// <param name="engine">The engine serving it.</param>
    public static bool Tried(ModelArchitecture a, Engine engine) =>
        a.Moe is not null && a.Attention == AttentionKind.MultiHeadLatent && engine is Engine.Vllm or Engine.TrtLlm or Engine.Sglang;

    /// <summary>
    /// How many times the engine's scheduler limits (sequences running, tokens per step) one replica of
    /// <paramref name="layout"/> runs: with data-parallel attention TensorRT-LLM applies <c>max_batch_size</c> and
    /// <c>max_num_tokens</c> to each attention rank ("Max batch size in each rank", NVIDIA/TensorRT-LLM@f0c873f5
    /// docs/source/blogs/Best_perf_practice_on_DeepSeek-R1_in_TensorRT-LLM.md, whose 8-GPU DeepSeek-R1 runs set 384 and
    /// 896 per rank for concurrencies of 3,072 and 7,168), and vLLM runs one engine core with its own scheduler per
    /// data-parallel rank, so the replica runs the attention ranks times the limits; SGLang divides its
    /// <c>--max-running-requests</c> over the ranks, and a layout without data-parallel attention has one scheduler: 1.
    /// Times the pipeline's micro-batches for an engine that pipelines (<see cref="PreparedStep.PipelinesMicroBatches"/>):
    /// TensorRT-LLM admits <c>max_batch_size x PP</c> sequences (<c>mMaxNumSequences</c>, NVIDIA/TensorRT-LLM@2e2327b9
    /// cpp/tensorrt_llm/batch_manager/trtGptModel.h) and schedules each micro-batch within <c>max_batch_size</c> and
    /// <c>max_num_tokens</c>; vLLM V0 gives each stage's virtual engine its own scheduler.
    /// </summary>
    /// <param name="layout">The replica's layout.</param>
    /// <param name="engine">The engine.</param>
    public static int LimitScale(Layout layout, Engine engine) =>
        (layout.DataParallelAttention && engine is Engine.TrtLlm or Engine.Vllm ? layout.AttentionDp : 1)
        * (PreparedStep.PipelinesMicroBatches(engine) ? layout.Pp : 1);
}
