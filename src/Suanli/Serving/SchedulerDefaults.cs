using Suanli.Catalog;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>How a request reaches the engine, where an engine's defaults depend on it.</summary>
public enum EntryPoint
{
    /// <summary>An online server (vLLM's OpenAI-compatible server, <c>trtllm-serve</c>, SGLang's server, <c>llama-server</c>).</summary>
    Server,

    /// <summary>A batch of requests handed to the engine's Python class at once (vLLM's <c>LLM</c> class, as <c>vllm bench throughput</c> and offline harnesses run it).</summary>
    Offline,
}

/// <summary>
/// The scheduler caps an engine applies when its user sets none, for one device: the most sequences running at once and
/// the most tokens (prefill plus decode) in one step. docs/methodology-serving.md, "Engine defaults", prints this table.
/// </summary>
/// <param name="Engine">The engine.</param>
/// <param name="MaxNumSeqs">Most running sequences (vLLM <c>max_num_seqs</c>, TensorRT-LLM <c>max_batch_size</c>, SGLang <c>max_running_requests</c>, llama.cpp slots).</param>
/// <param name="MaxBatchedTokens">Most tokens in one step, also the prefill chunk (vLLM <c>max_num_batched_tokens</c>, TensorRT-LLM <c>max_num_tokens</c>, SGLang <c>chunked_prefill_size</c>, llama.cpp <c>n_batch</c>).</param>
/// <param name="Rule">Which of the engine's rules gave the values (the device and entry point it depends on), in English.</param>
/// <param name="Version">The engine version or commit the values were read from.</param>
/// <param name="Source">Where they were read: repository@commit and path.</param>
public sealed record SchedulerDefault(Engine Engine, int MaxNumSeqs, int MaxBatchedTokens, string Rule, string Version, string Source);

/// <summary>
/// Every engine's documented scheduler defaults, the one place Suanli takes them from (serving simulation, capacity,
/// plan, perf and validation). A value the user or a measurement row states always replaces these.
/// </summary>
public static class SchedulerDefaults
{
    private const string VllmArgs = "vllm-project/vllm@99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b vllm/engine/arg_utils.py (EngineArgs._set_default_args); A100 exclusion: vLLM PR #17885";
    private const string VllmVersion = "vLLM v0.9.0-v0.10.x";
    private const string TrtArgs = "NVIDIA/TensorRT-LLM@008b2b8d23af95e4e19fa6f354f9c5f6349b2bfc tensorrt_llm/builder.py (BuildConfig); trtllm-serve takes the same: NVIDIA/TensorRT-LLM@4c05a74891e4df8066f08ed4ce14b0972abe4e25 tensorrt_llm/commands/serve.py";
    private const string SglangArgs = "sgl-project/sglang@a82da8da159ec67038d9357c172fba89ad8af6a3 python/sglang/srt/arg_groups/memory_hook.py (chunked_prefill_size by GPU memory); max_running_requests: sgl-project/sglang@4f34e24af764d45c2dde4a17cadcdaa7d08a7248 python/sglang/srt/managers/tp_worker.py";
    private const string LlamaArgs = "ggml-org/llama.cpp@00dd0816129a5210351c78bb90e0828f8eb69f99 tools/server/server.cpp (n_parallel auto = 4); ggml-org/llama.cpp@00dc8057ab28c9cb4c79a6dd6dfce07fe779f63b tools/server/README.md (-np -1 = auto, -b 2048)";

    /// <summary>The smallest device memory, in GiB, on which vLLM takes its large defaults (unless the device is an A100).</summary>
    public const double VllmLargeMemoryGib = 70;

    /// <summary>
    /// The caps <paramref name="engine"/> applies on <paramref name="device"/> when none is set; <paramref name="entry"/>
    /// matters to vLLM only (its offline <c>LLM</c> class takes a larger token budget than its server).
    /// </summary>
    public static SchedulerDefault For(Engine engine, Device device, EntryPoint entry = EntryPoint.Server)
    {
        var memory = device.Memory.InGibibytes;
        return engine switch
        {
            Engine.Vllm => Vllm(device, entry),
            Engine.TrtLlm => new(engine, 2048, 8192, "max_batch_size 2048, max_num_tokens 8192 (build defaults, every device)", "TensorRT-LLM v0.11+", TrtArgs),
            // SGLang has no fixed sequence cap: max_running_requests resolves to min(KV tokens / 2, request pool), so
            // the KV cache binds first; the simulator needs the cap within the token budget, so it takes the budget.
            Engine.Sglang => Sglang(memory),
            Engine.LlamaCpp => new(engine, 4, 2048, "4 slots (n_parallel auto; earlier builds 1 slot), n_batch 2048 logical tokens per step (n_ubatch 512 physical)", "llama.cpp llama-server", LlamaArgs),
            // transformers generate() has no scheduler: one request at a time; its whole prompt runs in one pass, which
            // the device's vLLM budget approximates.
            _ => Vllm(device, entry) with { Engine = engine, MaxNumSeqs = 1, Rule = "1 request (generate() of one prompt); token budget assumed as vLLM's for the device", Version = "transformers generate()" },
        };
    }

    private static SchedulerDefault Vllm(Device device, EntryPoint entry)
    {
        var offline = entry == EntryPoint.Offline;
        var caller = offline ? "LLM class" : "OpenAI server";
        if (device.Category == DeviceCategory.ServerCpu)
        {
            return new(Engine.Vllm, offline ? 256 : 128, offline ? 4096 : 2048, $"CPU backend, {caller}, per rank (world size 1)", VllmVersion, VllmArgs);
        }
        var large = device.Memory.InGibibytes >= VllmLargeMemoryGib && !device.Id.Contains("a100", StringComparison.OrdinalIgnoreCase);
        return large
            ? new(Engine.Vllm, 1024, offline ? 16384 : 8192, $"{caller}, device of 70 GiB or more, not an A100", VllmVersion, VllmArgs)
            : new(Engine.Vllm, 256, offline ? 8192 : 2048, $"{caller}, device under 70 GiB or an A100", VllmVersion, VllmArgs);
    }

    private static SchedulerDefault Sglang(double memoryGib)
    {
        var chunk = memoryGib switch
        {
            < 20 => 2048,
            < 60 => 4096,
            < 160 => 8192,
            _ => 16384,
        };
        return new(Engine.Sglang, chunk, chunk, $"chunked_prefill_size {chunk} for {Fmt.I($"{memoryGib:0}")} GiB; no fixed sequence cap (the KV cache binds), taken as the token budget",
            "SGLang server_args", SglangArgs);
    }

    /// <summary>Every engine's defaults on <paramref name="device"/>, in the order of <see cref="Engine"/>.</summary>
    public static IReadOnlyList<SchedulerDefault> On(Device device, EntryPoint entry = EntryPoint.Server) =>
        [.. Enum.GetValues<Engine>().Select(e => For(e, device, entry))];
}
