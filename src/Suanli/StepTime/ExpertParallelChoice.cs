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
    /// How many times the engine's sequence cap (<c>max_num_seqs</c>, <c>max_batch_size</c>) one replica of
    /// <paramref name="layout"/> runs: with data-parallel attention TensorRT-LLM applies <c>max_batch_size</c> and
    /// <c>max_num_tokens</c> to each attention rank ("Max batch size in each rank", NVIDIA/TensorRT-LLM@f0c873f5
    /// docs/source/blogs/Best_perf_practice_on_DeepSeek-R1_in_TensorRT-LLM.md, whose 8-GPU DeepSeek-R1 runs set 384 and
    /// 896 per rank for concurrencies of 3,072 and 7,168), and vLLM runs one engine core with its own scheduler per
    /// data-parallel rank, so the replica runs the attention ranks times the limits; SGLang divides its
    /// <c>--max-running-requests</c> over the ranks, and a layout without data-parallel attention has one scheduler: 1.
    /// Times the pipeline stages for TensorRT-LLM only: it admits <c>max_batch_size x PP</c> sequences
    /// (<c>mMaxNumSequences</c>, NVIDIA/TensorRT-LLM@2e2327b9 cpp/tensorrt_llm/batch_manager/trtGptModel.h) and schedules
    /// each micro-batch within <c>max_batch_size</c>. vLLM V1 (the engine of the vLLM defaults, v0.9-v0.10) keeps one
    /// scheduler for all micro-batches in flight: <c>max_num_seqs</c> caps its running requests
    /// (<c>len(self.running) == self.max_num_running_reqs</c>), and a request already in flight in another micro-batch is
    /// skipped ("PP&gt;1 and we have already scheduled all prompt tokens but they are not finished yet";
    /// vllm-project/vllm@00024d31 vllm/v1/core/sched/scheduler.py), so the cap is the replica's.
    /// </summary>
    /// <param name="layout">The replica's layout.</param>
    /// <param name="engine">The engine.</param>
    public static int LimitScale(Layout layout, Engine engine) =>
        AttentionRanks(layout, engine) * (engine == Engine.TrtLlm ? layout.Pp : 1);

    /// <summary>
    /// How many times the engine's token budget per step (<c>max_num_batched_tokens</c>, <c>max_num_tokens</c>) one
    /// replica of <paramref name="layout"/> runs in one simulated step (one round of the pipeline): the data-parallel
    /// attention ranks as in <see cref="LimitScale"/>, times the micro-batches of an engine that pipelines
    /// (<see cref="PreparedStep.PipelinesMicroBatches"/>), since each micro-batch is scheduled within the budget:
    /// TensorRT-LLM's micro-batch scheduler fills each to <c>max_num_tokens</c>, and vLLM V1 calls its scheduler once per
    /// batch in flight (<c>max_concurrent_batches</c> = PP, vllm-project/vllm vllm/v1/executor/multiproc_executor.py), each
    /// call starting from <c>token_budget = self.max_num_scheduled_tokens</c> (vllm-project/vllm@00024d31
    /// vllm/v1/core/sched/scheduler.py).
    /// </summary>
    /// <param name="layout">The replica's layout.</param>
    /// <param name="engine">The engine.</param>
    public static int TokenLimitScale(Layout layout, Engine engine) =>
        AttentionRanks(layout, engine) * (PreparedStep.PipelinesMicroBatches(engine) ? layout.Pp : 1);

    private static int AttentionRanks(Layout layout, Engine engine) =>
        layout.DataParallelAttention && engine is Engine.TrtLlm or Engine.Vllm ? layout.AttentionDp : 1;
}
