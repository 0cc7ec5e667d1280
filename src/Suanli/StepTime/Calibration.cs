using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.StepTime;

/// <summary>
/// Engines grouped by how close they run to the hardware; efficiency curves are fitted per class
/// (docs/methodology-steptime.md, "Calibration").
/// </summary>
public enum EngineClass
{
    /// <summary>Continuous-batching servers with fused kernels and CUDA graphs: TensorRT-LLM, vLLM, SGLang.</summary>
    Serving,
    /// <summary>llama.cpp: GGUF kernels, single stream, no CUDA graphs.</summary>
    LlamaCpp,
    /// <summary>Plain Hugging Face transformers generate(): eager PyTorch, one kernel launch per operator.</summary>
    Transformers,
}

/// <summary>Hardware grouped by memory system; efficiency curves are fitted per family.</summary>
public enum HardwareFamily
{
    /// <summary>Discrete accelerators with their own HBM or GDDR (data-centre and consumer GPUs, Gaudi, TPU...).</summary>
    Gpu,
    /// <summary>SoCs whose GPU shares LPDDR memory with the CPU (Apple M-series, phones).</summary>
    UnifiedMemory,
    /// <summary>Server CPU sockets.</summary>
    Cpu,
}

/// <summary>Maps engines and devices to the classes the calibration is keyed by.</summary>
public static class CalibrationKeys
{
    /// <summary>The engine class of an engine.</summary>
    public static EngineClass ClassOf(Engine engine) => engine switch
    {
        Engine.LlamaCpp => EngineClass.LlamaCpp,
        Engine.Transformers => EngineClass.Transformers,
        _ => EngineClass.Serving,
    };

    /// <summary>The hardware family of a device, from its catalog category.</summary>
    public static HardwareFamily FamilyOf(Device device) => device.Category switch
    {
        DeviceCategory.SocUnifiedMemory or DeviceCategory.PhoneSoc => HardwareFamily.UnifiedMemory,
        DeviceCategory.ServerCpu => HardwareFamily.Cpu,
        _ => HardwareFamily.Gpu,
    };

    /// <summary>
    /// The subgroup of a serving engine on a device, <c>ENGINE/ARCHITECTURE</c> (e.g. <c>trtllm/nvidia-hopper</c>,
    /// <c>vllm/amd-cdna3</c>), where data may support parameters of its own; empty for other engine classes and for
    /// devices of no known architecture.
    /// </summary>
    public static string SubgroupOf(Engine engine, Device device)
    {
        if (ClassOf(engine) != EngineClass.Serving || ArchitectureOf(device) is not { } arch)
        {
            return "";
        }
        var name = engine switch
        {
            Engine.TrtLlm => "trtllm",
            Engine.Sglang => "sglang",
            _ => "vllm",
        };
        return name + "/" + arch;
    }

    /// <summary>
    /// The accelerator architecture (family) a device belongs to, as its catalog entry states in <c>architecture:</c>
    /// (nvidia-ampere, nvidia-hopper, amd-cdna3, huawei-davinci...), or null when the entry names none. The calibration
    /// keys its engine/architecture subgroups and the prediction intervals by this name; no rule on the device id is used.
    /// </summary>
    public static string? ArchitectureOf(Device device) =>
        string.IsNullOrWhiteSpace(device.Architecture) ? null : device.Architecture.Trim().ToLowerInvariant();

    /// <summary>The file name of an engine class (<c>serving</c>, <c>llamacpp</c>, <c>transformers</c>).</summary>
    public static string Name(EngineClass c) => c switch
    {
        EngineClass.LlamaCpp => "llamacpp",
        EngineClass.Transformers => "transformers",
        _ => "serving",
    };

    /// <summary>The file name of a hardware family (<c>gpu</c>, <c>unified-memory</c>, <c>cpu</c>).</summary>
    public static string Name(HardwareFamily f) => f switch
    {
        HardwareFamily.UnifiedMemory => "unified-memory",
        HardwareFamily.Cpu => "cpu",
        _ => "gpu",
    };
}

/// <summary>
/// The efficiency curves and overheads of one engine class on one hardware family. An operator of
/// <c>m</c> GEMM rows reaches <c>ComputeEfficiency x m / (m + ComputeHalfRows)</c> of the dense peak; a transfer of
/// <c>b</c> bytes reaches <c>MemoryEfficiency x b / (b + MemoryHalfBytes)</c> of the memory bandwidth
/// (docs/methodology-steptime.md, "Efficiency curves").
/// </summary>
/// <param name="ComputeEfficiency">Fraction of the dense peak a large matrix multiply reaches (0 to 1].</param>
/// <param name="ComputeHalfRows">GEMM rows (tokens) at which a multiply reaches half of <paramref name="ComputeEfficiency"/>.</param>
/// <param name="MemoryEfficiency">Fraction of the memory bandwidth a long transfer reaches (0 to 1].</param>
/// <param name="MemoryHalfBytes">Transfer size at which it reaches half of <paramref name="MemoryEfficiency"/>.</param>
/// <param name="StepOverhead">Fixed time per step: scheduling, sampling, host-device synchronisation.</param>
/// <param name="LayerOverhead">Fixed time per transformer layer per step: kernel launches not hidden by CUDA graphs.</param>
/// <param name="CollectiveLatency">Start-up latency of one all-reduce, all-to-all or pipeline hand-off.</param>
/// <param name="InterconnectEfficiency">Fraction of the one-direction interconnect bandwidth a collective reaches (0 to 1].</param>
public sealed record StepTimeParameters(
    double ComputeEfficiency, double ComputeHalfRows, double MemoryEfficiency, Bytes MemoryHalfBytes,
    Duration StepOverhead, Duration LayerOverhead, Duration CollectiveLatency, double InterconnectEfficiency)
{
    /// <summary>
    /// Fraction of the dense GEMM efficiency that the routed experts' grouped GEMM reaches at the same rows per expert,
    /// (0 to 1]: 1 is no penalty. Read from the calibration file (<c>expert_efficiency</c>, default 1); fitted alone on the MoE
    /// rows after the other parameters (docs/methodology-serving.md, "Expert GEMMs: two-stage fit").
    /// </summary>
    public double ExpertEfficiency { get; init; } = 1.0;

    /// <summary>Efficiency 1, no size penalty and no overhead: the pure roofline with communication at full link speed.</summary>
    public static StepTimeParameters Ideal { get; } = new(1, 0, 1, Bytes.Zero, Duration.Zero, Duration.Zero, Duration.Zero, 1);

    /// <summary>Checks ranges; an out-of-range value names the parameter.</summary>
    public StepTimeParameters Validated()
    {
        Guard.InRange(ComputeEfficiency, 1e-4, 1.0, "compute_efficiency");
        Guard.NonNegative(ComputeHalfRows, "compute_half_rows");
        Guard.InRange(MemoryEfficiency, 1e-4, 1.0, "memory_efficiency");
        Guard.InRange(InterconnectEfficiency, 1e-4, 1.0, "interconnect_efficiency");
        Guard.InRange(ExpertEfficiency, 1e-4, 1.0, "expert_efficiency");
        return this;
    }
}

/// <summary>The fitted parameters of one engine class on one hardware family.</summary>
/// <param name="Engine">Engine class.</param>
/// <param name="Hardware">Hardware family.</param>
/// <param name="Parameters">The curves.</param>
/// <param name="Rows">Measurements the fit used (0: not fitted, parameters from the cited defaults).</param>
/// <param name="Note">How the parameters were obtained and what they rest on.</param>
public sealed record CalibrationGroup(EngineClass Engine, HardwareFamily Hardware, StepTimeParameters Parameters, int Rows, string Note)
{
    /// <summary>
    /// Empty for the shared group of the engine class and hardware family; else the engine/architecture subgroup
    /// (<see cref="CalibrationKeys.SubgroupOf"/>) whose efficiencies were refitted from the shared group's, shrunk toward them.
    /// </summary>
    public string Subgroup { get; init; } = "";
}

/// <summary>
/// The calibration of the step-time model: parameters per engine class and hardware family, and when and from what
/// they were fitted (the engines' scheduler defaults the fit runs with are in Serving/SchedulerDefaults.cs). Loaded from catalog/calibration/*.yaml by Suanli.Files.
/// </summary>
/// <param name="Fitted">Date of the fit.</param>
/// <param name="Data">The measurement files the fit used.</param>
/// <param name="Groups">Parameter sets.</param>
public sealed record Calibration(DateOnly Fitted, string Data, IReadOnlyList<CalibrationGroup> Groups)
{
    /// <summary>
    /// The parameters for an engine on a device: the exact engine class and hardware family, else the same engine class
    /// on GPUs, else the serving class on GPUs, else <see cref="StepTimeParameters.Ideal"/>.
    /// </summary>
    public StepTimeParameters For(Engine engine, Device device) => GroupFor(engine, device)?.Parameters ?? StepTimeParameters.Ideal;

    /// <summary>The group <see cref="For"/> uses, or null when none applies.</summary>
    public CalibrationGroup? GroupFor(Engine engine, Device device)
    {
        var c = CalibrationKeys.ClassOf(engine);
        var f = CalibrationKeys.FamilyOf(device);
        var sub = CalibrationKeys.SubgroupOf(engine, device);
        return (sub.Length > 0 ? Groups.FirstOrDefault(g => g.Engine == c && g.Hardware == f && g.Subgroup == sub) : null)
            ?? Find(c, f) ?? Find(c, HardwareFamily.Gpu) ?? Find(EngineClass.Serving, HardwareFamily.Gpu);
    }

    /// <summary>
    /// A finding when the parameters for an engine on a device come from a broader group than the device's own
    /// engine/architecture subgroup (no measurement of that architecture, or no architecture in the catalog entry):
    /// "calibration of family X used for device Y", so the wider uncertainty is said. Null when the device's own
    /// subgroup exists, or when the group is the shared group of its class and the device names no architecture with
    /// a subgroup to miss (CPUs, SoCs).
    /// </summary>
    public Finding? FallbackFinding(Engine engine, Device device)
    {
        var group = GroupFor(engine, device);
        var arch = CalibrationKeys.ArchitectureOf(device);
        var sub = CalibrationKeys.SubgroupOf(engine, device);
        if (group is null)
        {
            return Finding.Warn("calibration-fallback#none", "No calibration group applies to {device}; the ideal roofline (efficiency 1, no overheads) is used, so predictions are optimistic.", ("device", device.Id));
        }
        if (sub.Length == 0 || group.Subgroup == sub)
        {
            return null;
        }
        var used = group.Subgroup.Length > 0 ? group.Subgroup : $"{CalibrationKeys.Name(group.Engine)}/{CalibrationKeys.Name(group.Hardware)}";
        return Finding.Info("calibration-fallback",
            "Calibration of family {family} used for device {device} (architecture {architecture}): no measurement of {subgroup} in the calibration set, so its error is that of the broader family, typically wider; see docs/validation.md.",
            ("family", used), ("device", device.Id), ("architecture", arch ?? ""), ("subgroup", sub));
    }

    private CalibrationGroup? Find(EngineClass c, HardwareFamily f) => Groups.FirstOrDefault(g => g.Engine == c && g.Hardware == f && g.Subgroup.Length == 0);
}
