using Suanli.Catalog;
using System.Globalization;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Training;
using Suanli.Text;

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
/// <param name="ModelParallelGroup">Devices of one model copy (TP x PP) of the layout chosen; the count is a multiple of it.</param>
/// <param name="Devices">The devices chosen (also <see cref="TrainInputsJson.Devices"/>).</param>
/// <param name="SlackDays">Deadline minus the run's wall-clock days (0 or more).</param>
public sealed record TrainDeadlineJson(double Days, int DevicesByTime, int? DevicesByMemory, int ModelParallelGroup, int Devices, double SlackDays);

/// <summary>The teacher side of a distillation.</summary>
public sealed record TeacherJson(string Model, string Hardware, int Devices, double GeneratedTokens, double Days, double GpuHours);

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
            findings.Add(Finding.Info("prediction-interval#training",
                "80% prediction interval of the training time: {low} to {high} days ({basis}; speed measured/predicted, so time is divided by the ratios; docs/methodology-intervals.md).",
                ("low", Show.N(e.WallClock.InDays / interval.Class.HighRatio, Kept(e.WallClock.InDays / interval.Class.HighRatio, 1))), ("high", Show.N(e.WallClock.InDays / interval.Class.LowRatio, Kept(e.WallClock.InDays / interval.Class.LowRatio, 1))), ("basis", interval.Phrase)));
        }
        var ratio = e.ModelFlops / e.SixND;
        findings.Add(Finding.Info("six-nd", "The 6ND rule gives {sixNd} FLOPs; counting attention over {seqLen}-token sequences gives {flops} ({ratio}x).",
            ("sixNd", Sci(e.SixND.Value, 3)), ("seqLen", Show.N(r.SeqLen)), ("flops", Sci(e.ModelFlops.Value, 3)), ("ratio", Show.N(ratio, 3))));
        if (r.Layout is null && e.Layout.ZeroStage != r.ZeroStage)
        {
            findings.Add(Finding.Info("zero-raised", "ZeRO-{asked} does not fit on {devices} devices; the plan uses ZeRO-{used}.", ("asked", Fmt.I($"{r.ZeroStage}")), ("devices", Show.N(r.Devices)), ("used", Fmt.I($"{e.Layout.ZeroStage}"))));
        }
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));

        var json = new TrainJson
        {
            Inputs = new TrainInputsJson(r.Model.Id, r.Device.Id, r.Devices, r.Precision.Name, r.Method.ToString().ToLowerInvariant(), r.Tokens.Value, r.SeqLen),
            Compute = new TrainComputeJson(e.ModelFlops.Value, e.PfDays, e.SixND.Value, e.HardwareFlops.Value, e.PeakPerDevice.InTeraflopPerSecond, e.Mfu, e.MfuSource),
            Time = new TrainTimeJson(e.WallClock.InDays, e.DeviceHours, e.Throughput.Value, Inverse(e.WallClock.InDays), Inverse(e.DeviceHours), interval?.Basis),
            Layout = Layout(e.Layout),
            Memory = new TrainMemoryJson((long)Math.Round(e.Memory.Total.Value), (long)Math.Round(e.Memory.Usable.Value), e.Memory.Fits,
                e.Smallest is { } s ? Layout(s.Layout) : null),
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
            Deadline = deadline is { } dl ? new TrainDeadlineJson(dl.Deadline.InDays, dl.DevicesByTime, dl.DevicesByMemory, dl.ModelParallelGroup, dl.Devices, Math.Max(0, dl.Deadline.InDays - e.WallClock.InDays)) : null,
        };

        var tables = new List<ReportTable>();
        if (deadline is { } d)
        {
            tables.Add(new ReportTable(Phrase.Of("table.deadline", "Deadline: {days} days", ("days", Show.N(d.Deadline.InDays, 2))),
                [new(Phrase.Of("col.quantity", "Quantity")), new(Phrase.Of("col.devices", "Devices")), Grounds],
            [
                [W(Phrase.Of("row.by-time", "By time")), ReportCell.Count(d.DevicesByTime),
                    W(Phrase.Of("cell.fewest-by-time", "fewest n with FLOPs / (n x {peak} TFLOP/s x MFU(n)) <= {days} days",
                        ("peak", Show.N(e.PeakPerDevice.InTeraflopPerSecond)), ("days", Show.N(d.Deadline.InDays, 2))))],
                [W(Phrase.Of("row.by-memory", "By memory")), d.DevicesByMemory is { } m ? ReportCell.Count(m) : W(Phrase.Of("cell.none", "none")),
                    W(Phrase.Of("cell.fewest-by-memory", "fewest devices that hold the job (any ZeRO stage)"))],
                [W(Phrase.Of("row.chosen", "Chosen")), ReportCell.Count(d.Devices),
                    W(d.RoundedUp
                        ? Phrase.Of("cell.chosen-devices", "the larger ({larger}) holds the job on no layout, so rounded up to a multiple of {group}, one model copy (TP x PP) of the smallest cluster that fits; {days} days at MFU {mfu} %",
                            ("larger", Show.N(d.Larger)), ("group", Fmt.I($"{d.ModelParallelGroup}")), ("days", Show.N(e.WallClock.InDays, 2)), ("mfu", Show.N(e.Mfu * 100, 1)))
                        : Phrase.Of("cell.chosen-devices#as-is", "the larger, as it is: {layout} holds the job; {days} days at MFU {mfu} %",
                            ("layout", e.Layout.ToString()), ("days", Show.N(e.WallClock.InDays, 2)), ("mfu", Show.N(e.Mfu * 100, 1))))],
            ]));
        }
        tables.AddRange(new List<ReportTable>
        {
            new(Phrase.Of("table.compute", "Compute"), [new(Phrase.Of("col.quantity", "Quantity")), new(Phrase.Of("col.value", "Value")), new(Phrase.Of("col.formula", "Formula"))],
            [
                [W(Phrase.Of("row.flop-per-token", "FLOPs per token")), ReportCell.Text(Sci(e.FlopPerToken.Value, 4)), W(r.Method == TrainingMethod.Full
                    ? Phrase.Of("cell.flop-per-token-full", "3 x (2 x active matmul parameters + attention)")
                    : Phrase.Of("cell.flop-per-token-adapter", "2 x forward + 6 x adapter parameters"))],
                [W(Phrase.Of("row.training-flop", "Training FLOPs")), ReportCell.Text(Sci(e.ModelFlops.Value, 4)),
                    W(Phrase.Of("cell.times-tokens", "x {tokens} tokens", ("tokens", Sci(r.Tokens.Value, 4))))],
                [W(Phrase.Of("row.pf-days", "PF-days")), ReportCell.Number(e.PfDays, Kept(e.PfDays, 0)), ReportCell.Text("FLOPs / (10^15 x 86,400)")],
                [W(Phrase.Of("row.six-nd", "6ND rule")), ReportCell.Text(Sci(e.SixND.Value, 4)),
                    W(Phrase.Of("cell.six-nd", "6 x active parameters x tokens = {pfDays} PF-days", ("pfDays", Show.N(e.SixND.InPetaflopDays, Kept(e.SixND.InPetaflopDays, 0)))))],
                [W(Phrase.Of("row.executed-flop", "Executed FLOPs")), ReportCell.Text(Sci(e.HardwareFlops.Value, 4)),
                    W(Phrase.Of("cell.with-recomputation", "with {recompute} recomputation", ("recompute", r.Recompute.ToString().ToLowerInvariant())))],
            ]),
            new(Phrase.Of("table.time", "Time"), [new(Phrase.Of("col.quantity", "Quantity")), new(Phrase.Of("col.value", "Value")), Grounds],
            [
                [W(Phrase.Of("row.dense-peak", "Dense peak per device")), ReportCell.Text($"{Show.N(e.PeakPerDevice.InTeraflopPerSecond)} TFLOP/s"),
                    ReportCell.Text($"{r.Device.Id} {e.Compute.ToString().ToLowerInvariant()}")],
                [W(Phrase.Of("row.mfu", "MFU")), ReportCell.Text(Show.N(e.Mfu * 100, 1) + " %"),
                    r.Mfu is null ? W(Phrase.Of("cell.mfu-fitted", "fitted to published runs: {formula}", ("formula", r.Utilisation.Explain(e.Compute, r.Devices)))) : W(FieldNames.GivenWith(FieldNames.Mfu))],
                [W(Phrase.Of("row.device-hours", "Device-hours")), ReportCell.Number(e.DeviceHours, 0), ReportCell.Text("FLOPs / (peak x MFU) / 3,600")],
                [W(Phrase.Of("row.wall-clock", "Wall clock")), Days(e.WallClock.InDays, 1), W(Phrase.Of("cell.on-devices", "on {devices} devices", ("devices", Show.N(r.Devices))))],
                [W(Phrase.Of("row.throughput", "Throughput")), W(Phrase.Of("cell.tokens-per-s", "{rate} tokens/s", ("rate", Sci(e.Throughput.Value, 3)))),
                    W(Phrase.Of("cell.whole-job", "whole job"))],
            ]),
            ArticleTable(e),
            new(Phrase.Of("table.memory-per-device", "Memory per device ({layout}, micro-batch {micro} x {seq} tokens)",
                    ("layout", e.Layout.ToString()), ("micro", Fmt.I($"{r.MicroBatch}")), ("seq", Show.N(r.SeqLen))),
                [new(Phrase.Of("col.part", "Part")), new(Phrase.Of("col.bytes", "Bytes"), CellKind.Bytes), Grounds],
            [
                [W(Phrase.Of("row.weights", "Weights")), ReportCell.Bytes(e.Memory.Weights), W(r.Method == TrainingMethod.Qlora
                    ? Phrase.Of("cell.nf4-base", "NF4 base (4.127 bits) + 16-bit adapters") : Phrase.Of("cell.two-bytes-per-parameter", "2 bytes per parameter"))],
                [W(Phrase.Of("row.gradients", "Gradients")), ReportCell.Bytes(e.Memory.Gradients), W(Phrase.Of("cell.two-bytes-per-trained", "2 bytes per trained parameter"))],
                [W(Phrase.Of("row.adam-states", "Adam states")), ReportCell.Bytes(e.Memory.Optimizer), W(Phrase.Of("cell.adam-bytes", "12 bytes per trained parameter (FP32 master, m, v)"))],
                [W(Phrase.Of("row.activations", "Activations")), ReportCell.Bytes(e.Memory.Activations), W(Phrase.Of("cell.korthikanti", "Korthikanti et al. sbh(34 + 5as/h), generalised"))],
                [W(Phrase.Of("row.cuda-context", "CUDA context")), ReportCell.Bytes(e.Memory.Overhead), W(Phrase.Of("cell.per-device", "per device"))],
                [W(Phrase.Of("row.total", "Total")), ReportCell.Bytes(e.Memory.Total), W(e.Memory.Fits ? Phrase.Of("cell.fits", "fits") : Phrase.Of("cell.does-not-fit", "does not fit"))],
                [W(Phrase.Of("row.usable", "Usable")), ReportCell.Bytes(e.Memory.Usable),
                    W(Phrase.Of("cell.usable-of", "{percent}% of {memory}", ("percent", Show.N(TrainingMemory.UsableFraction * 100)), ("memory", Show.Bytes(r.Device.Memory))))],
            ]),
            new(Phrase.Of("table.energy-money", "Energy and money"), [new(Phrase.Of("col.item", "Item")), new(Phrase.Of("col.value", "Value")), Grounds], MoneyRows(e, cost, inputs)),
        });
        if (teacher is not null && generation is not null)
        {
            tables.Add(new ReportTable(Phrase.Of("table.distillation", "Distillation: teacher generation"),
                [new(Phrase.Of("col.quantity", "Quantity")), new(Phrase.Of("col.value", "Value")), Grounds],
            [
                [W(Phrase.Of("row.teacher", "Teacher")), ReportCell.Text(generation.Teacher.ToString()), W(Phrase.Of("cell.step-time-model", "step-time model"))],
                [W(Phrase.Of("row.generated-tokens", "Generated tokens")), ReportCell.Text(Sci(generation.GeneratedTokens.Value, 4)),
                    W(Phrase.Of("cell.teacher-sequences", "{sequences} sequences of {prompt} prompt + {output} output tokens, batch {batch}",
                        ("sequences", Show.N(teacher.Sequences)), ("prompt", Fmt.I($"{generation.PromptTokens}")), ("output", Fmt.I($"{generation.OutputTokens}")), ("batch", Fmt.I($"{generation.Batch}"))))],
                [W(Phrase.Of("row.decode-step", "Decode step")), ReportCell.Seconds(teacher.DecodeStep.Time),
                    W(Phrase.Of("cell.sequences-bottleneck", "{batch} sequences, bottleneck {bottleneck}",
                        ("batch", Fmt.I($"{generation.Batch}")), ("bottleneck", teacher.DecodeStep.Bottleneck.ToString().ToLowerInvariant())))],
                [W(Phrase.Of("row.teacher-time", "Teacher time")), Days(teacher.WallClock.InDays, 2), W(Phrase.Of("cell.one-copy", "one copy"))],
                [W(Phrase.Of("row.teacher-device-hours", "Teacher device-hours")), ReportCell.Number(teacher.DeviceHours, 0),
                    W(Phrase.Of("cell.times-devices", "x {devices} devices", ("devices", Fmt.I($"{generation.Teacher.Layout.Devices}"))))],
                [W(Phrase.Of("row.student-device-hours", "Student device-hours")), ReportCell.Number(e.DeviceHours, 0), W(Phrase.Of("cell.training-above", "training above"))],
            ]));
        }
        if (sweep.Count > 0)
        {
            tables.Add(new ReportTable(Phrase.Of("table.cluster-sizes", "Cluster sizes (communication loss grows with log2 of the cluster)"),
                [
                    new(Phrase.Of("col.devices", "Devices"), CellKind.Count), new(Phrase.Of("col.layout", "Layout")), new(Phrase.Of("col.mfu", "MFU")),
                    new(Phrase.Of("col.days", "Days"), CellKind.Number), new(Phrase.Of("col.device-hours-total", "Device-hours"), CellKind.Number), new(Phrase.Of("col.fits", "Fits")),
                ],
                [.. sweep.Select(s => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(s.Request.Devices), ReportCell.Text(s.Layout.ToString()), ReportCell.Text(Show.N(s.Mfu * 100, 1) + " %"),
                    ReportCell.Number(s.WallClock.InDays, Kept(s.WallClock.InDays, 1)), ReportCell.Number(s.DeviceHours, 0),
                    W(s.Memory.Fits ? Phrase.Of("cell.yes", "yes") : Phrase.Of("cell.no", "no"))])]));
        }
        (string, object)[] run = [("model", r.Model.Id), ("method", r.Method.ToString().ToLowerInvariant()), ("precision", r.Precision.Name),
            ("tokens", Sci(r.Tokens.Value, 3)), ("devices", Show.N(r.Devices)), ("device", r.Device.Id)];
        var title = deadline is { } due
            ? Phrase.Of("report.train#deadline", "Training {model} ({method}, {precision}) on {tokens} tokens with {devices} x {device} (the fewest that finish within {days} days)",
                [.. run, ("days", Show.N(due.Deadline.InDays, 2))])
            : Phrase.Of("report.train", "Training {model} ({method}, {precision}) on {tokens} tokens with {devices} x {device}", run);
        return new Report(title, json, tables, findings);
    }

    private static ReportTable ArticleTable(TrainingEstimate e)
    {
        var r = e.Request;
        var rows = new List<IReadOnlyList<ReportCell>>();
        var int8 = r.Device.Peak.TryGetValue(ComputeType.Int8, out var i8) ? i8 : (FlopRate?)null;
        if (int8 is { } p8 && e.Compute != ComputeType.Int8)
        {
            var ideal8 = e.ModelFlops / (p8 * r.Devices);
            rows.Add([W(Phrase.Of("row.int8-peak", "INT8 peak, 100% use (articles)")), Days(ideal8.InDays, 1),
                W(Phrase.Of("cell.inference-figure", "{peak} TFLOP/s: an inference figure, not a training one", ("peak", Show.N(p8.InTeraflopPerSecond))))]);
        }
        var ideal = e.ModelFlops / (e.PeakPerDevice * r.Devices);
        var compute = e.Compute.ToString().ToUpperInvariant();
        rows.Add([W(Phrase.Of("row.peak-full-use", "{compute} peak, 100% use", ("compute", compute))), Days(ideal.InDays, 1),
            W(Phrase.Of("cell.tflops-dense", "{peak} TFLOP/s dense", ("peak", Show.N(e.PeakPerDevice.InTeraflopPerSecond))))]);
        rows.Add([W(Phrase.Of("row.peak-at-mfu", "{compute} peak at MFU {mfu} % (Suanli)", ("compute", compute), ("mfu", Show.N(e.Mfu * 100, 1)))), Days(e.WallClock.InDays, 1),
            W(Phrase.Of("cell.published-mfu", "published runs reach 30-55 %"))]);
        return new ReportTable(Phrase.Of("table.peak-vs-achieved", "Peak arithmetic vs achieved (the articles' method beside)"),
            [new(Phrase.Of("col.assumption", "Assumption")), new(Phrase.Of("col.wall-clock", "Wall clock")), new(Phrase.Of("col.why", "Why"))], rows);
    }

    private static List<IReadOnlyList<ReportCell>> MoneyRows(TrainingEstimate e, TrainingCost c, CostInputs inputs)
    {
        var rows = new List<IReadOnlyList<ReportCell>>();
        if (e.DevicePower is { } dp)
        {
            rows.Add([W(Phrase.Of("row.cluster-power", "Cluster power")), e.ServerPower is { } sp
                    ? W(Phrase.Of("cell.cluster-power-servers", "{devices} kW devices, {servers} kW servers", ("devices", Show.N(dp.InKilowatts, 0)), ("servers", Show.N(sp.InKilowatts, 0))))
                    : W(Phrase.Of("cell.cluster-power", "{devices} kW devices", ("devices", Show.N(dp.InKilowatts, 0)))),
                ReportCell.Text($"PUE {Show.N(inputs.Pue, 2)}")]);
        }
        else if (e.ServerPower is { } nameplate)
        {
            // A device without a board power is counted at its servers' nameplate: the row the energy comes from.
            rows.Add([W(Phrase.Of("row.cluster-power", "Cluster power")), W(Phrase.Of("cell.cluster-power-servers-only", "{servers} kW servers (nameplate)", ("servers", Show.N(nameplate.InKilowatts, 0)))),
                ReportCell.Text($"PUE {Show.N(inputs.Pue, 2)}")]);
        }
        if (c.FacilityEnergy is { } fe)
        {
            rows.Add([W(Phrase.Of("row.energy", "Energy")), ReportCell.Text($"{Show.N(fe.InMegawattHours, Kept(fe.InMegawattHours, 1))} MWh"), W(Phrase.Of("cell.power-time-pue", "power x time x PUE"))]);
        }
        if (c.Rent is { } rent)
        {
            rows.Add([W(Phrase.Of("row.rent", "Rent")), ReportCell.Money(rent), inputs.RentPerDeviceHour is { } rp
                ? W(Phrase.Of("cell.per-device-hour", "{price} per device-hour ({source})", ("price", Show.Money(rp.Amount)), ("source", rp.SourceText))) : ReportCell.Text("")]);
        }
        if (c.Electricity is { } el)
        {
            rows.Add([W(Phrase.Of("row.electricity-run", "Electricity (run)")), ReportCell.Money(el), inputs.Tariff is { } t ? ReportCell.Text($"{Show.Money(t)}/kWh") : ReportCell.Text("")]);
        }
        if (c.ElectricityPerYear is { } ey)
        {
            rows.Add([W(Phrase.Of("row.electricity-year", "Electricity (cluster, a year)")), ReportCell.Money(ey), W(Phrase.Of("cell.full-power-year", "8,760 h at full power"))]);
        }
        if (c.DeviceCapex is { } cap)
        {
            rows.Add([W(Phrase.Of("row.capex-devices", "Capex, devices")), ReportCell.Money(cap), inputs.DevicePrice is { } p
                ? W(Phrase.Of("cell.price-each", "{price} each ({source})", ("price", Show.Money(p.Amount)), ("source", p.SourceText))) : ReportCell.Text("")]);
        }
        if (c.ServerCapex is { } scap)
        {
            rows.Add([W(Phrase.Of("row.capex-servers", "Capex, servers")), ReportCell.Money(scap), inputs.ServerPrice is { } p
                ? W(Phrase.Of("cell.price-per-server", "{price} per {devices}-device server ({source})",
                    ("price", Show.Money(p.Amount)), ("devices", Fmt.I($"{inputs.DevicesPerServer}")), ("source", p.SourceText)))
                : ReportCell.Text("")]);
        }
        if (c.Co2Tonnes is { } co2)
        {
            rows.Add([ReportCell.Text("CO2"), ReportCell.Text($"{Show.N(co2, 0)} t"), W(Phrase.Of("cell.energy-grid", "energy x grid intensity"))]);
        }
        if (rows.Count == 0)
        {
            rows.Add([W(Phrase.Of("row.none", "(none)")), ReportCell.Text(""), W(Phrase.Of("cell.no-power-prices", "no power or prices known"))]);
        }
        return rows;
    }

    // The basis of a row: where its number comes from.
    private static ReportColumn Grounds => new(Phrase.Of("col.grounds", "Basis"));

    private static ReportCell W(Phrase phrase) => ReportCell.Words(phrase);

    private static ReportCell Days(double days, int decimals) => W(Phrase.Of("cell.days", "{days} days", ("days", Show.N(days, Kept(days, decimals)))));

    /// <summary>Decimals that keep two significant figures of a value the given decimals would show as 0 (a short fine-tuning run is 0.094 days, not 0.0).</summary>
    private static int Kept(double value, int decimals) =>
        value != 0 && double.IsFinite(value) && Math.Abs(value) < Math.Pow(10, -decimals) ? Math.Min(12, 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)))) : decimals;

    private static MoneyJson? MoneyOf(Money? m, string basis) => m is { } v ? new MoneyJson(v.Amount, v.Currency.Code, basis) : null;

    private static TrainLayoutJson Layout(TrainingLayout l) => new(l.Tp, l.Pp, l.Dp, l.Ep, l.ZeroStage, l.Devices);

    private static string Sci(double value, int figures = 3) =>
        value.ToString("0." + new string('#', Math.Max(1, figures - 1)) + "e+00", CultureInfo.InvariantCulture);
}
