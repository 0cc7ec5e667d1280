using Suanli.Quantities;

namespace Suanli.StepTime;

/// <summary>The kinds of operator one forward step runs.</summary>
public enum OperatorKind
{
    /// <summary>Query, key and value projections (MLA: the low-rank query and KV projections).</summary>
    QkvProjection,
    /// <summary>Attention scores and weighted values over the cached context (flash attention, KV read once).</summary>
    Attention,
    /// <summary>Attention output projection.</summary>
    OutputProjection,
    /// <summary>Dense MLP (gate, up, down).</summary>
    Mlp,
    /// <summary>Routed experts the batch touches, plus shared experts and the router.</summary>
    Experts,
    /// <summary>Norms and residual additions (bandwidth only).</summary>
    Norms,
    /// <summary>Token embedding lookup.</summary>
    Embedding,
    /// <summary>Output projection to the vocabulary for the sampled tokens, FP32 logits.</summary>
    LmHead,
}

/// <summary>One operator of a step on one device, summed over the layers that run it.</summary>
/// <param name="Kind">Operator.</param>
/// <param name="Layers">Layers that run it (1 for embedding and LM head).</param>
/// <param name="Flop">Arithmetic on one device, all its layers.</param>
/// <param name="WeightBytes">Weights read on one device, all its layers.</param>
/// <param name="ActivationBytes">Activations read and written on one device.</param>
/// <param name="KvBytes">KV cache read and written on one device.</param>
/// <param name="ComputeTime">Arithmetic time after the compute efficiency curve.</param>
/// <param name="MemoryTime">Memory time after the bandwidth efficiency curve.</param>
public sealed record OperatorCost(OperatorKind Kind, int Layers, Flop Flop, Bytes WeightBytes, Bytes ActivationBytes, Bytes KvBytes, Duration ComputeTime, Duration MemoryTime)
{
    /// <summary>All bytes moved.</summary>
    public Bytes Bytes => WeightBytes + ActivationBytes + KvBytes;

    /// <summary>Roofline time: the slower of arithmetic and memory.</summary>
    public Duration Time => Duration.Max(ComputeTime, MemoryTime);

    /// <summary>True when arithmetic, not memory, limits the operator.</summary>
    public bool ComputeBound => ComputeTime >= MemoryTime;
}
