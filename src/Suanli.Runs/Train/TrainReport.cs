using Suanli.Catalog;
using System.Globalization;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Training;

namespace Suanli.Runs;

/// <summary>An amount of money in JSON, with where its price came from.</summary>
/// <param name="Amount">Amount in currency units.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Basis">How it was computed and from which price.</param>
public sealed record MoneyJson(decimal Amount, string Currency, string Basis);

/// <summary>Costs of a training run in JSON; absent parts were not priced (see findings).</summary>
public sealed record TrainCostsJson
{
    /// <summary>Device-hours x rent.</summary>
    public MoneyJson? Rent { get; init; }
    /// <summary>Facility energy x tariff.</summary>
    public MoneyJson? Electricity { get; init; }
    /// <summary>A year of the cluster's facility power x tariff.</summary>
    public MoneyJson? ElectricityPerYear { get; init; }
    /// <summary>Devices x purchase price.</summary>
    public MoneyJson? Capex { get; init; }
    /// <summary>Servers x server price.</summary>
    public MoneyJson? ServerCapex { get; init; }
}

/// <summary>The layout in JSON.</summary>
public sealed record TrainLayoutJson(int Tp, int Pp, int Dp, int Ep, int ZeroStage, int Devices);

/// <summary>One cluster size of the sweep.</summary>
public sealed record TrainSweepJson(int Devices, TrainLayoutJson Layout, double Mfu, double Days, double GpuHours, bool Fits);

/// <summary>Deadline mode (<c>--days</c>): how the device count was solved for.</summary>
/// <param name="Days">The deadline in days.</param>
/// <param name="DevicesByTime">The fewest devices whose time is within the deadline: FLOPs / (peak x MFU(devices) x deadline), rounded up.</param>
/// <param name="DevicesByMemory">The fewest devices that hold the job in memory; null when none up to the limit.</param>
/// <param name="ModelParallelGroup">Devices of one model copy (TP x PP); the count is a multiple of it.</param>
/// <param name="Devices">The devices chosen (also <see cref="TrainJson.Devices"/>).</param>
/// <param name="SlackDays">Deadline minus the run's wall-clock days (0 or more).</param>
public sealed record TrainDeadlineJson(double Days, int DevicesByTime, int? DevicesByMemory, int ModelParallelGroup, int Devices, double SlackDays);

/// <summary>The teacher side of a distillation.</summary>
public sealed record TeacherJson(string Model, string Hardware, int Devices, double GeneratedTokens, double Days, double GpuHours);

/// <summary>The JSON document of <c>suanli train</c>.</summary>
public sealed record TrainJson : ReportDocument
{
    /// <summary>Model id.</summary>
    public required string Model { get; init; }
    /// <summary>Device id.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices.</summary>
    public required int Devices { get; init; }
    /// <summary>Training precision.</summary>
    public required string Precision { get; init; }
    /// <summary>full, lora or qlora.</summary>
    public required string Method { get; init; }
    /// <summary>Trained tokens.</summary>
    public required double Tokens { get; init; }
    /// <summary>Sequence length.</summary>
    public required int SeqLen { get; init; }
    /// <summary>Model FLOPs of the run.</summary>
    public required double TrainFlops { get; init; }
    /// <summary>Model FLOPs in PF-days.</summary>
    public required double PfDays { get; init; }
    /// <summary>6 x active parameters x tokens.</summary>
    public required double SixNdFlops { get; init; }
    /// <summary>FLOPs executed including recomputation.</summary>
    public required double HardwareFlops { get; init; }
    /// <summary>Dense peak per device in TFLOP/s.</summary>
    public required double PeakTflopsPerDevice { get; init; }
    /// <summary>MFU as a fraction.</summary>
    public required double Mfu { get; init; }
    /// <summary>Where the MFU came from.</summary>
    public required string MfuSource { get; init; }
    /// <summary>Device-hours.</summary>
    public required double GpuHours { get; init; }
    /// <summary>Wall-clock days.</summary>
    public required double Days { get; init; }
    /// <summary>Whole-job tokens per second.</summary>
    public required double TokensPerSecond { get; init; }
    /// <summary>The layout used.</summary>
    public required TrainLayoutJson Layout { get; init; }
    /// <summary>Memory of the fullest device in bytes.</summary>
    public required long MemoryPerDeviceBytes { get; init; }
    /// <summary>Usable memory per device in bytes.</summary>
    public required long UsableBytesPerDevice { get; init; }
    /// <summary>Whether the run fits on the devices asked for.</summary>
    public required bool Fits { get; init; }
    /// <summary>The smallest cluster that holds the run.</summary>
    public TrainLayoutJson? SmallestCluster { get; init; }
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
    /// <summary>80% prediction interval of the wall-clock days (training speed's validated spread); null without intervals.</summary>
    public RangeJson? DaysRange { get; init; }
    /// <summary>80% prediction interval of the device-hours.</summary>
    public RangeJson? GpuHoursRange { get; init; }
    /// <summary>Which validated residuals the ranges come from; null without intervals.</summary>
    public string? IntervalBasis { get; init; }
    /// <summary>Deadline mode (<c>--days</c>): how the devices were solved for; null when the devices were given.</summary>
    public TrainDeadlineJson? Deadline { get; init; }
}

/// <summary>Builds the report of <c>suanli train</c>.</summary>
public static class TrainReport
{
    /// <summary>Lays out an estimate, its costs, the sweep and (for distillation) the teacher.</summary>
    /// <remarks>
    /// With <paramref name="intervals"/>, days and device-hours carry the 80% prediction interval of the training
    /// class of the device's architecture (speed measured/predicted, so times scale by its inverse).
    /// </remarks>
    public static Report Build(TrainingEstimate e, TrainingCost cost, CostInputs inputs, IReadOnlyList<TrainingEstimate> sweep, TeacherEstimate? teacher = null, TeacherGeneration? generation = null,
        PredictionIntervals? intervals = null, DeadlineSizing? deadline = null)
    {
        var r = e.Request;
        var findings = new List<Finding>(e.Findings);
        if (GenericModel.Assumption(r.Model) is { } generic)
        {
            findings.Add(generic);
        }
        findings.AddRange(cost.Findings);
        var interval = intervals is null ? null : IntervalFiles.Find(intervals, PredictionKind.Training, null, r.Device);
        RangeJson? Inverse(double v) => interval is null ? null : new RangeJson(v / interval.Class.HighRatio, v, v / interval.Class.LowRatio);
        if (interval is not null)
        {
            findings.Add(Finding.Info("prediction-interval",
                $"80% prediction interval of the training time: {Show.N(e.WallClock.InDays / interval.Class.HighRatio, 1)} to {Show.N(e.WallClock.InDays / interval.Class.LowRatio, 1)} days ({interval.Basis}; speed measured/predicted, so time is divided by the ratios; docs/methodology-intervals.md)."));
        }
        var ratio = e.ModelFlops / e.SixND;
        findings.Add(Finding.Info("six-nd", $"The 6ND rule gives {Sci(e.SixND.Value, 3)} FLOPs; counting attention over {Show.N(r.SeqLen)}-token sequences gives {Sci(e.ModelFlops.Value, 3)} ({Show.N(ratio, 3)}x)."));
        if (r.Layout is null && e.Layout.ZeroStage != r.ZeroStage)
        {
            findings.Add(Finding.Info("zero-raised", $"ZeRO-{r.ZeroStage} does not fit on {Show.N(r.Devices)} devices; the plan uses ZeRO-{e.Layout.ZeroStage}."));
        }
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));

        var json = new TrainJson
        {
            Model = r.Model.Id,
            Hardware = r.Device.Id,
            Devices = r.Devices,
            Precision = r.Precision.Name,
            Method = r.Method.ToString().ToLowerInvariant(),
            Tokens = r.Tokens.Value,
            SeqLen = r.SeqLen,
            TrainFlops = e.ModelFlops.Value,
            PfDays = e.PfDays,
            SixNdFlops = e.SixND.Value,
            HardwareFlops = e.HardwareFlops.Value,
            PeakTflopsPerDevice = e.PeakPerDevice.InTeraflopPerSecond,
            Mfu = e.Mfu,
            MfuSource = e.MfuSource,
            GpuHours = e.DeviceHours,
            Days = e.WallClock.InDays,
            TokensPerSecond = e.Throughput.Value,
            Layout = Layout(e.Layout),
            MemoryPerDeviceBytes = (long)Math.Round(e.Memory.Total.Value),
            UsableBytesPerDevice = (long)Math.Round(e.Memory.Usable.Value),
            Fits = e.Memory.Fits,
            SmallestCluster = e.Smallest is { } s ? Layout(s.Layout) : null,
            EnergyMwh = cost.FacilityEnergy?.InMegawattHours,
            Co2Tonnes = cost.Co2Tonnes,
            Costs = new TrainCostsJson
            {
                Rent = MoneyOf(cost.Rent, inputs.RentPerDeviceHour is { } rp ? $"{Show.N(e.DeviceHours)} device-hours x {Show.Money(rp.Amount)}/h ({rp.Source})" : ""),
                Electricity = MoneyOf(cost.Electricity, inputs.Tariff is { } t && cost.FacilityEnergy is { } fe ? $"{Show.N(fe.InMegawattHours * 1000)} kWh x {Show.Money(t)}/kWh" : ""),
                ElectricityPerYear = MoneyOf(cost.ElectricityPerYear, "facility power x 8,760 h x tariff"),
                Capex = MoneyOf(cost.DeviceCapex, inputs.DevicePrice is { } dp ? $"{Show.N(r.Devices)} devices x {Show.Money(dp.Amount)} ({dp.Source})" : ""),
                ServerCapex = MoneyOf(cost.ServerCapex, inputs.ServerPrice is { } sp ? $"servers of {inputs.DevicesPerServer} devices x {Show.Money(sp.Amount)} ({sp.Source})" : ""),
            },
            Teacher = teacher is null || generation is null ? null : new TeacherJson(generation.Teacher.Model.Id, generation.Teacher.Device.Id, generation.Teacher.Layout.Devices,
                generation.GeneratedTokens.Value, teacher.WallClock.InDays, teacher.DeviceHours),
            Sweep = [.. sweep.Select(s => new TrainSweepJson(s.Request.Devices, Layout(s.Layout), s.Mfu, s.WallClock.InDays, s.DeviceHours, s.Memory.Fits))],
            Findings = FindingJson.Of(findings),
            DaysRange = Inverse(e.WallClock.InDays),
            GpuHoursRange = Inverse(e.DeviceHours),
            IntervalBasis = interval?.Basis,
            Deadline = deadline is { } dl ? new TrainDeadlineJson(dl.Deadline.InDays, dl.DevicesByTime, dl.DevicesByMemory, dl.ModelParallelGroup, dl.Devices, Math.Max(0, dl.Deadline.InDays - e.WallClock.InDays)) : null,
        };

        var tables = new List<ReportTable>();
        if (deadline is { } d)
        {
            tables.Add(new ReportTable($"Deadline: {Show.N(d.Deadline.InDays, 2)} days", ["Quantity", "Devices", "Basis"],
            [
                ["By time", Show.N(d.DevicesByTime), $"fewest n with FLOPs / (n x {Show.N(e.PeakPerDevice.InTeraflopPerSecond)} TFLOP/s x MFU(n)) <= {Show.N(d.Deadline.InDays, 2)} days"],
                ["By memory", d.DevicesByMemory is { } m ? Show.N(m) : "none", "fewest devices that hold the job (any ZeRO stage)"],
                ["Chosen", Show.N(d.Devices), $"the larger, rounded up to whole model copies of {d.ModelParallelGroup} (TP x PP); {Show.N(e.WallClock.InDays, 2)} days at MFU {Show.N(e.Mfu * 100, 1)} %"],
            ]));
        }
        tables.AddRange(new List<ReportTable>
        {
            new("Compute", ["Quantity", "Value", "Formula"],
            [
                ["FLOPs per token", Sci(e.FlopPerToken.Value, 4), r.Method == TrainingMethod.Full ? "3 x (2 x active matmul parameters + attention)" : "2 x forward + 6 x adapter parameters"],
                ["Training FLOPs", Sci(e.ModelFlops.Value, 4), $"x {Sci(r.Tokens.Value, 4)} tokens"],
                ["PF-days", Show.N(e.PfDays, 0), "FLOPs / (10^15 x 86,400)"],
                ["6ND rule", Sci(e.SixND.Value, 4), $"6 x active parameters x tokens = {Show.N(e.SixND.InPetaflopDays)} PF-days"],
                ["Executed FLOPs", Sci(e.HardwareFlops.Value, 4), $"with {r.Recompute.ToString().ToLowerInvariant()} recomputation"],
            ]),
            new("Time", ["Quantity", "Value", "Basis"],
            [
                ["Dense peak per device", $"{Show.N(e.PeakPerDevice.InTeraflopPerSecond)} TFLOP/s", $"{r.Device.Id} {e.Compute.ToString().ToLowerInvariant()}"],
                ["MFU", Show.N(e.Mfu * 100, 1) + " %", e.MfuSource],
                ["Device-hours", Show.N(e.DeviceHours), "FLOPs / (peak x MFU) / 3,600"],
                ["Wall clock", $"{Show.N(e.WallClock.InDays, 1)} days", $"on {Show.N(r.Devices)} devices"],
                ["Throughput", $"{Sci(e.Throughput.Value, 3)} tokens/s", "whole job"],
            ]),
            ArticleTable(e),
            new($"Memory per device ({e.Layout}, micro-batch {r.MicroBatch} x {Show.N(r.SeqLen)} tokens)", ["Part", "Bytes", "Basis"],
            [
                ["Weights", Show.Bytes(e.Memory.Weights), r.Method == TrainingMethod.Qlora ? "NF4 base (4.127 bits) + 16-bit adapters" : "2 bytes per parameter"],
                ["Gradients", Show.Bytes(e.Memory.Gradients), "2 bytes per trained parameter"],
                ["Adam states", Show.Bytes(e.Memory.Optimizer), "12 bytes per trained parameter (FP32 master, m, v)"],
                ["Activations", Show.Bytes(e.Memory.Activations), "Korthikanti et al. sbh(34 + 5as/h), generalised"],
                ["CUDA context", Show.Bytes(e.Memory.Overhead), "per device"],
                ["Total", Show.Bytes(e.Memory.Total), e.Memory.Fits ? "fits" : "does not fit"],
                ["Usable", Show.Bytes(e.Memory.Usable), $"{Show.N(TrainingMemory.UsableFraction * 100)}% of {Show.Bytes(r.Device.Memory)}"],
            ]),
            new("Energy and money", ["Item", "Value", "Basis"], MoneyRows(e, cost, inputs)),
        });
        if (teacher is not null && generation is not null)
        {
            tables.Add(new ReportTable("Distillation: teacher generation", ["Quantity", "Value", "Basis"],
            [
                ["Teacher", generation.Teacher.ToString(), "step-time model"],
                ["Generated tokens", Sci(generation.GeneratedTokens.Value, 4), $"{Show.N(teacher.Sequences)} sequences of {generation.PromptTokens} prompt + {generation.OutputTokens} output tokens, batch {generation.Batch}"],
                ["Decode step", Show.Time(teacher.DecodeStep.Time), $"{generation.Batch} sequences, bottleneck {teacher.DecodeStep.Bottleneck.ToString().ToLowerInvariant()}"],
                ["Teacher time", $"{Show.N(teacher.WallClock.InDays, 2)} days", "one copy"],
                ["Teacher device-hours", Show.N(teacher.DeviceHours), $"x {generation.Teacher.Layout.Devices} devices"],
                ["Student device-hours", Show.N(e.DeviceHours), "training above"],
            ]));
        }
        if (sweep.Count > 0)
        {
            tables.Add(new ReportTable("Cluster sizes (communication loss grows with log2 of the cluster)", ["Devices", "Layout", "MFU", "Days", "Device-hours", "Fits"],
                [.. sweep.Select(s => (IReadOnlyList<string>)[Show.N(s.Request.Devices), s.Layout.ToString(), Show.N(s.Mfu * 100, 1) + " %", Show.N(s.WallClock.InDays, 1), Show.N(s.DeviceHours), s.Memory.Fits ? "yes" : "no"])]));
        }
        var title = $"Training {r.Model.Id} ({r.Method.ToString().ToLowerInvariant()}, {r.Precision.Name}) on {Sci(r.Tokens.Value, 3)} tokens with {Show.N(r.Devices)} x {r.Device.Id}"
            + (deadline is { } due ? $" (the fewest that finish within {Show.N(due.Deadline.InDays, 2)} days)" : "");
        return new Report(title, json, tables, findings);
    }

    private static ReportTable ArticleTable(TrainingEstimate e)
    {
        var r = e.Request;
        var rows = new List<IReadOnlyList<string>>();
        var int8 = r.Device.Peak.TryGetValue(ComputeType.Int8, out var i8) ? i8 : (FlopRate?)null;
        if (int8 is { } p8 && e.Compute != ComputeType.Int8)
        {
            var ideal8 = e.ModelFlops / (p8 * r.Devices);
            rows.Add(["INT8 peak, 100% use (articles)", $"{Show.N(ideal8.InDays, 1)} days", $"{Show.N(p8.InTeraflopPerSecond)} TFLOP/s: an inference figure, not a training one"]);
        }
        var ideal = e.ModelFlops / (e.PeakPerDevice * r.Devices);
        rows.Add([$"{e.Compute.ToString().ToUpperInvariant()} peak, 100% use", $"{Show.N(ideal.InDays, 1)} days", $"{Show.N(e.PeakPerDevice.InTeraflopPerSecond)} TFLOP/s dense"]);
        rows.Add([$"{e.Compute.ToString().ToUpperInvariant()} peak at MFU {Show.N(e.Mfu * 100, 1)} % (Suanli)", $"{Show.N(e.WallClock.InDays, 1)} days", "published runs reach 30-55 %"]);
        return new ReportTable("Peak arithmetic vs achieved (the articles' method beside)", ["Assumption", "Wall clock", "Why"], rows);
    }

    private static List<IReadOnlyList<string>> MoneyRows(TrainingEstimate e, TrainingCost c, CostInputs inputs)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (e.DevicePower is { } dp)
        {
            rows.Add(["Cluster power", $"{Show.N(dp.InKilowatts, 0)} kW devices" + (e.ServerPower is { } sp ? $", {Show.N(sp.InKilowatts, 0)} kW servers" : ""), $"PUE {Show.N(inputs.Pue, 2)}"]);
        }
        if (c.FacilityEnergy is { } fe)
        {
            rows.Add(["Energy", $"{Show.N(fe.InMegawattHours, 1)} MWh", "power x time x PUE"]);
        }
        if (c.Rent is { } rent)
        {
            rows.Add(["Rent", Show.Money(rent), inputs.RentPerDeviceHour is { } rp ? $"{Show.Money(rp.Amount)} per device-hour ({rp.Source})" : ""]);
        }
        if (c.Electricity is { } el)
        {
            rows.Add(["Electricity (run)", Show.Money(el), inputs.Tariff is { } t ? $"{Show.Money(t)}/kWh" : ""]);
        }
        if (c.ElectricityPerYear is { } ey)
        {
            rows.Add(["Electricity (cluster, a year)", Show.Money(ey), "8,760 h at full power"]);
        }
        if (c.DeviceCapex is { } cap)
        {
            rows.Add(["Capex, devices", Show.Money(cap), inputs.DevicePrice is { } p ? $"{Show.Money(p.Amount)} each ({p.Source})" : ""]);
        }
        if (c.ServerCapex is { } scap)
        {
            rows.Add(["Capex, servers", Show.Money(scap), inputs.ServerPrice is { } p ? $"{Show.Money(p.Amount)} per {inputs.DevicesPerServer}-device server ({p.Source})" : ""]);
        }
        if (c.Co2Tonnes is { } co2)
        {
            rows.Add(["CO2", $"{Show.N(co2, 0)} t", "energy x grid intensity"]);
        }
        if (rows.Count == 0)
        {
            rows.Add(["(none)", "", "no power or prices known"]);
        }
        return rows;
    }

    private static MoneyJson? MoneyOf(Money? m, string basis) => m is { } v ? new MoneyJson(v.Amount, v.Currency.Code, basis) : null;

    private static TrainLayoutJson Layout(TrainingLayout l) => new(l.Tp, l.Pp, l.Dp, l.Ep, l.ZeroStage, l.Devices);

    private static string Sci(double value, int figures = 3) =>
        value.ToString("0." + new string('#', Math.Max(1, figures - 1)) + "e+00", CultureInfo.InvariantCulture);
}
