using System.Globalization;
using System.Text;
using Suanli.Catalog;
using Suanli.StepTime;

namespace Suanli.Plan;

/// <summary>The engine settings a plan assumes, printed into its command line.</summary>
/// <param name="MaxSequences">Concurrent sequences per replica (vLLM --max-num-seqs, TRT-LLM --max_batch_size, SGLang --max-running-requests, llama.cpp --parallel).</param>
/// <param name="MemoryUtilization">Share of device memory the engine may use (vLLM --gpu-memory-utilization).</param>
/// <param name="MaxModelLength">Longest request, prompt plus output, in tokens.</param>
public sealed record EngineSettings(int MaxSequences, double MemoryUtilization, int MaxModelLength);

/// <summary>
/// The command a user runs to start one replica of a candidate, with the settings the plan assumed
/// (docs/methodology-cost.md, "Engine command lines"; flags from each engine's documentation).
/// </summary>
public static class EngineCommandLine
{
    /// <summary>The command line for one replica.</summary>
    public static string For(SearchCandidate c, EngineSettings s)
    {
        var repo = c.Model.HfRepo ?? c.Model.Id;
        var l = c.Layout;
        var sb = new StringBuilder();
        switch (c.Engine)
        {
            case Engine.TrtLlm:
                sb.Append("trtllm-serve ").Append(repo).Append(" --backend pytorch")
                  .Append(" --tp_size ").Append(I(l.Tp * l.AttentionDp)).Append(" --pp_size ").Append(I(l.Pp));
                if (l.Ep > 1)
                {
                    sb.Append(" --ep_size ").Append(I(l.Ep));
                }
                sb.Append(" --max_batch_size ").Append(I(s.MaxSequences)).Append(" --max_seq_len ").Append(I(s.MaxModelLength))
                  .Append(" --kv_cache_free_gpu_memory_fraction ").Append(D(s.MemoryUtilization));
                if (l.DataParallelAttention)
                {
                    // TensorRT-LLM's attention DP runs one attention rank per device of the TP group.
                    sb.Append(" --extra_llm_api_options attention_dp.yaml  # enable_attention_dp: true");
                }
                if (c.Weights.Experts.IsQuantized || c.Weights.Rest.IsQuantized)
                {
                    sb.Append("  # use a checkpoint pre-quantized to ").Append(c.Weights.Name).Append(" (NVIDIA ModelOpt)");
                }
                break;
            case Engine.Sglang:
                sb.Append("python -m sglang.launch_server --model-path ").Append(repo).Append(" --tp-size ").Append(I(l.Tp * l.AttentionDp));
                if (l.DataParallelAttention)
                {
                    sb.Append(" --dp-size ").Append(I(l.AttentionDp)).Append(" --enable-dp-attention");
                }
                if (l.Pp > 1)
                {
                    sb.Append(" --pp-size ").Append(I(l.Pp));
                }
                if (l.Ep > 1)
                {
                    sb.Append(" --ep-size ").Append(I(l.Ep));
                }
                sb.Append(" --max-running-requests ").Append(I(s.MaxSequences)).Append(" --context-length ").Append(I(s.MaxModelLength))
                  .Append(" --mem-fraction-static ").Append(D(s.MemoryUtilization)).Append(Dtype(c.Weights, "--dtype", "--quantization"));
                if (c.Kv == NumberFormat.Fp8)
                {
                    sb.Append(" --kv-cache-dtype fp8_e4m3");
                }
                break;
            case Engine.LlamaCpp:
                // llama-server divides --ctx-size among its --parallel slots.
                sb.Append("llama-server -m ").Append(c.Model.Id).Append('-').Append(c.Weights.Name.ToUpperInvariant()).Append(".gguf")
                  .Append(" --ctx-size ").Append(I((long)s.MaxModelLength * s.MaxSequences)).Append(" --parallel ").Append(I(s.MaxSequences))
                  .Append(" --n-gpu-layers 999");
                if (l.Devices > 1)
                {
                    sb.Append(" --split-mode ").Append(l.Tp > 1 ? "row" : "layer").Append(" --tensor-split ").Append(string.Join(",", Enumerable.Repeat("1", l.Devices)));
                }
                break;
            case Engine.Transformers:
                sb.Append("# no server: transformers generate() with ").Append(repo).Append(", torch_dtype=").Append(c.Weights == NumberFormat.Fp16 ? "float16" : "bfloat16")
                  .Append(", device_map=\"auto\" over ").Append(I(l.Devices)).Append(" devices, batch ").Append(I(s.MaxSequences));
                break;
            default:
                sb.Append("vllm serve ").Append(repo).Append(" --tensor-parallel-size ").Append(I(l.Tp));
                if (l.DataParallelAttention)
                {
                    sb.Append(" --data-parallel-size ").Append(I(l.AttentionDp));
                }
                if (l.Pp > 1)
                {
                    sb.Append(" --pipeline-parallel-size ").Append(I(l.Pp));
                }
                if (l.Ep > 1)
                {
                    sb.Append(" --enable-expert-parallel");
                }
                sb.Append(" --max-num-seqs ").Append(I(s.MaxSequences)).Append(" --max-model-len ").Append(I(s.MaxModelLength))
                  .Append(" --gpu-memory-utilization ").Append(D(s.MemoryUtilization)).Append(Dtype(c.Weights, "--dtype", "--quantization"));
                if (c.Kv == NumberFormat.Fp8)
                {
                    sb.Append(" --kv-cache-dtype fp8");
                }
                break;
        }
        return sb.ToString();
    }

    /// <summary>
    /// vLLM/SGLang precision flags: 16-bit formats name the dtype; fp8 quantizes a 16-bit checkpoint on load; int8,
    /// int4 and fp4 need a checkpoint already quantized in that format (the flag names the method). A mixed precision is
    /// a released checkpoint's own scheme, which the engines read from its config.json (quantization_config): no flag.
    /// </summary>
    private static string Dtype(WeightPrecision w, string dtypeFlag, string quantFlag) => !w.IsUniform ? "" : w.Rest.Name switch
    {
        "bf16" => $" {dtypeFlag} bfloat16",
        "fp16" => $" {dtypeFlag} float16",
        "fp32" => $" {dtypeFlag} float32",
        "fp8" => $" {dtypeFlag} bfloat16 {quantFlag} fp8",
        "int4" => $" {quantFlag} awq",
        "int8" => $" {quantFlag} compressed-tensors",
        "fp4" => $" {quantFlag} modelopt_fp4",
        _ => $" {quantFlag} gguf",
    };

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
