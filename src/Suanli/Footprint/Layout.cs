using Suanli.Catalog;

namespace Suanli.Footprint;

/// <summary>
/// How one model copy is split over devices: tensor parallel (each layer's matrices split), pipeline parallel
/// (layers split into stages) and expert parallel (experts spread over the tensor-parallel group).
/// </summary>
/// <param name="Tp">Tensor-parallel degree.</param>
/// <param name="Pp">Pipeline stages.</param>
/// <param name="Ep">Expert-parallel degree (1 for dense models).</param>
public sealed record Layout(int Tp, int Pp, int Ep)
{
    /// <summary>Devices one replica occupies.</summary>
    public int Devices => Tp * Pp;

    /// <summary>A single device.</summary>
    public static Layout Single { get; } = new(1, 1, 1);

    /// <inheritdoc />
    public override string ToString() => Ep > 1 ? $"TP={Tp} PP={Pp} EP={Ep}" : $"TP={Tp} PP={Pp}";
}

/// <summary>Which splits a model admits (docs/methodology.md, "Layouts").</summary>
public static class Layouts
{
    /// <summary>The largest tensor-parallel degree considered (one NVLink/NVSwitch domain of common servers is 8; 64 covers NVL-class systems).</summary>
    public const int MaxTensorParallel = 64;

    /// <summary>
    /// Why a tensor-parallel degree is invalid, or null when valid: query heads must divide evenly, and key/value
    /// heads must divide evenly or be replicated (TP a multiple of the KV heads), as vLLM and TensorRT-LLM require.
    /// </summary>
    public static string? TensorParallelProblem(ModelArchitecture a, int tp)
    {
        if (tp < 1)
        {
            return "tensor-parallel degree must be at least 1";
        }
        if (a.Heads % tp != 0)
        {
            return $"{a.Heads} attention heads do not divide over TP={tp}";
        }
        if (a.Mla is null && a.KvHeads % tp != 0 && tp % a.KvHeads != 0)
        {
            return $"{a.KvHeads} key/value heads neither divide over nor replicate onto TP={tp}";
        }
        return null;
    }

    /// <summary>Why a pipeline depth is invalid, or null. Stages may be uneven (vLLM gives the remainder layers to some stages).</summary>
    public static string? PipelineProblem(ModelArchitecture a, int pp) =>
        pp < 1 ? "pipeline stages must be at least 1"
        : pp > a.Layers ? $"{pp} pipeline stages exceed the model's {a.Layers} layers"
        : null;

    /// <summary>Builds a layout, setting EP to the TP degree for MoE models whose experts divide over it.</summary>
    public static Layout Make(ModelArchitecture a, int tp, int pp)
    {
        var ep = a.Moe is { } m && tp > 1 && m.Experts % tp == 0 ? tp : 1;
        return new Layout(tp, pp, ep);
    }

    /// <summary>Valid layouts on exactly <paramref name="devices"/> devices, widest tensor parallel first.</summary>
    public static IReadOnlyList<Layout> On(ModelArchitecture a, int devices)
    {
        var list = new List<Layout>();
        for (var tp = Math.Min(devices, MaxTensorParallel); tp >= 1; tp--)
        {
            if (devices % tp != 0 || TensorParallelProblem(a, tp) is not null)
            {
                continue;
            }
            var pp = devices / tp;
            if (PipelineProblem(a, pp) is null)
            {
                list.Add(Make(a, tp, pp));
            }
        }
        return list;
    }

    /// <summary>Checks a user's layout; an invalid one throws with the valid layouts on the same device count.</summary>
    public static Layout Validate(ModelArchitecture a, int tp, int pp, string modelName)
    {
        var problem = TensorParallelProblem(a, tp) ?? PipelineProblem(a, pp);
        if (problem is null)
        {
            return Make(a, tp, pp);
        }
        var valid = On(a, tp * pp);
        var alternatives = valid.Count == 0
            ? $"no layout uses exactly {tp * pp} devices"
            : $"valid layouts on {tp * pp} devices: {string.Join("; ", valid)}";
        throw new InputException("--tp", $"Layout TP={tp} PP={pp} is invalid for {modelName}: {problem}; {alternatives}.");
    }
}
