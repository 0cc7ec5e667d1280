using Suanli.Quantities;

namespace Suanli.Footprint;

/// <summary>
/// Memory an inference engine holds besides weights, KV cache and activations. Values and sources in
/// docs/methodology.md ("Runtime overhead").
/// </summary>
/// <param name="ContextPerDevice">CUDA/driver context, library workspaces and captured CUDA graphs, per device.</param>
/// <param name="MemoryUtilization">Fraction of device memory the engine may use (vLLM <c>gpu_memory_utilization</c>, default 0.9); the rest is reserve.</param>
/// <param name="PrefillChunkTokens">Tokens per prefill chunk, which sets the activation peak (vLLM's chunked-prefill token budget).</param>
public sealed record RuntimeReserve(Bytes ContextPerDevice, double MemoryUtilization, int PrefillChunkTokens)
{
    /// <summary>vLLM-like defaults: 1 GiB context and graphs, 0.9 utilisation, 2,048-token chunks.</summary>
    public static RuntimeReserve Default { get; } = new(Bytes.FromGibibytes(1), 0.9, 2048);
}
