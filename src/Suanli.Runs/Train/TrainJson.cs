namespace Suanli.Runs;

/// <summary>
/// The JSON document of <c>suanli train</c>, grouped by meaning since contract version 2 (docs/cli.md, "JSON
/// contract", lists the version 1 names of each field).
/// </summary>
public sealed record TrainJson : ReportDocument
{
    /// <summary>What was estimated: the model, the devices and the run.</summary>
    public required TrainInputsJson Inputs { get; init; }
    /// <summary>The work in FLOPs and the rate the devices do it at.</summary>
    public required TrainComputeJson Compute { get; init; }
    /// <summary>How long the run takes, with its prediction interval.</summary>
    public required TrainTimeJson Time { get; init; }
    /// <summary>The layout used.</summary>
    public required TrainLayoutJson Layout { get; init; }
    /// <summary>Memory per device and whether the run fits.</summary>
    public required TrainMemoryJson Memory { get; init; }
    /// <summary>Facility energy in MWh (null without a power figure).</summary>
    public double? EnergyMwh { get; init; }
    /// <summary>CO2 in tonnes when a grid intensity was given.</summary>
    public double? Co2Tonnes { get; init; }
    /// <summary>Costs.</summary>
    public required TrainCostsJson Costs { get; init; }
    /// <summary>Teacher generation, for distillation.</summary>
    public TeacherJson? Teacher { get; init; }
    /// <summary>The same run on other cluster sizes.</summary>
    public required IReadOnlyList<TrainSweepJson> Sweep { get; init; }
    /// <summary>Findings, most severe first.</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
    /// <summary>Deadline mode (<c>--days</c>): how the devices were solved for; null when the devices were given.</summary>
    public TrainDeadlineJson? Deadline { get; init; }
}

/// <summary>The inputs of a training estimate, echoed.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Hardware">Device id.</param>
/// <param name="Devices">Devices.</param>
/// <param name="Precision">Training precision.</param>
/// <param name="Method">full, lora or qlora.</param>
/// <param name="Tokens">Trained tokens.</param>
/// <param name="SeqLen">Sequence length, tokens.</param>
public sealed record TrainInputsJson(string Model, string Hardware, int Devices, string Precision, string Method, double Tokens, int SeqLen);

/// <summary>The work of a run and the rate the devices do it at.</summary>
/// <param name="TrainFlops">Model FLOPs of the run.</param>
/// <param name="PfDays">Model FLOPs in PF-days.</param>
/// <param name="SixNdFlops">6 x active parameters x tokens, FLOPs.</param>
/// <param name="HardwareFlops">FLOPs executed including recomputation.</param>
/// <param name="PeakTflopsPerDevice">Dense peak per device in TFLOP/s.</param>
/// <param name="Mfu">MFU as a fraction.</param>
/// <param name="MfuSource">Where the MFU came from.</param>
public sealed record TrainComputeJson(double TrainFlops, double PfDays, double SixNdFlops, double HardwareFlops, double PeakTflopsPerDevice, double Mfu, string MfuSource);

/// <summary>The duration of a run.</summary>
/// <param name="Days">Wall-clock days.</param>
/// <param name="GpuHours">Device-hours.</param>
/// <param name="TokensPerSecond">Whole-job tokens per second.</param>
/// <param name="DaysRange">80% prediction interval of the wall-clock days (training speed's validated spread); null without intervals.</param>
/// <param name="GpuHoursRange">80% prediction interval of the device-hours; null without intervals.</param>
/// <param name="IntervalBasis">Which validated residuals the ranges come from; null without intervals.</param>
public sealed record TrainTimeJson(double Days, double GpuHours, double TokensPerSecond, RangeJson? DaysRange, RangeJson? GpuHoursRange, string? IntervalBasis);

/// <summary>Memory of a run on its devices.</summary>
/// <param name="MemoryPerDeviceBytes">Memory of the fullest device in bytes.</param>
/// <param name="UsableBytesPerDevice">Usable memory per device in bytes.</param>
/// <param name="Fits">Whether the run fits on the devices asked for.</param>
/// <param name="SmallestCluster">The smallest cluster that holds the run; null when none up to the limit.</param>
public sealed record TrainMemoryJson(long MemoryPerDeviceBytes, long UsableBytesPerDevice, bool Fits, TrainLayoutJson? SmallestCluster);
