using System.Globalization;
using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Training;

/// <summary>What to train, on what, and how.</summary>
public sealed record TrainingRequest
{
    /// <summary>The model trained (the student, for distillation).</summary>
    public required ModelEntry Model { get; init; }
    /// <summary>The device type.</summary>
    public required Device Device { get; init; }
    /// <summary>Devices in the job, 1 to <see cref="TrainingPlanner.MaxDevices"/>.</summary>
    public required int Devices { get; init; }
    /// <summary>Trained tokens; more than zero.</summary>
    public required Tokens Tokens { get; init; }
    /// <summary>Training precision; selects the dense peak (bf16 by default; fp8 as with Transformer Engine).</summary>
    public NumberFormat Precision { get; init; } = NumberFormat.Bf16;
    /// <summary>Tokens per sequence.</summary>
    public int SeqLen { get; init; } = 4096;
    /// <summary>Sequences per micro-batch.</summary>
    public int MicroBatch { get; init; } = 1;
    /// <summary>Activation recomputation (selective by default, as FlashAttention and Megatron-LM do).</summary>
    public Recompute Recompute { get; init; } = Recompute.Selective;
    /// <summary>Full training, LoRA or QLoRA.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.Full;
    /// <summary>LoRA/QLoRA adapter rank.</summary>
    public int LoraRank { get; init; } = 16;
    /// <summary>The split; null lets the planner choose the fitting layout with the least model parallelism.</summary>
    public TrainingLayout? Layout { get; init; }
    /// <summary>ZeRO stage used when the planner chooses the layout (1: Megatron-LM's distributed optimizer).</summary>
    public int ZeroStage { get; init; } = 1;
    /// <summary>MFU override in (0, 1]; null uses <see cref="Utilisation"/>.</summary>
    public double? Mfu { get; init; }
    /// <summary>The MFU model.</summary>
    public UtilisationModel Utilisation { get; init; } = UtilisationModel.Fitted;
    /// <summary>A server that holds the device, for whole-node power; null counts the devices' board power only.</summary>
    public Server? Server { get; init; }
}

/// <summary>The smallest cluster of one device type that holds a training job.</summary>
/// <param name="Devices">Devices.</param>
/// <param name="Layout">The split.</param>
/// <param name="Memory">Memory of the fullest device.</param>
public sealed record SmallestCluster(int Devices, TrainingLayout Layout, TrainingMemoryEstimate Memory);

/// <summary>Compute, time, memory and energy of a training run (money comes from <see cref="TrainingCosts"/>).</summary>
public sealed record TrainingEstimate
{
    /// <summary>The request.</summary>
    public required TrainingRequest Request { get; init; }
    /// <summary>Model FLOPs per token (3 x forward; 2 x for LoRA).</summary>
    public required Flop FlopPerToken { get; init; }
    /// <summary>Model FLOPs of the run.</summary>
    public required Flop ModelFlops { get; init; }
    /// <summary>FLOPs executed including recomputation.</summary>
    public required Flop HardwareFlops { get; init; }
    /// <summary>The 6ND rule on the counted active parameters.</summary>
    public required Flop SixND { get; init; }
    /// <summary>Arithmetic path used.</summary>
    public required ComputeType Compute { get; init; }
    /// <summary>Dense peak per device on that path.</summary>
    public required FlopRate PeakPerDevice { get; init; }
    /// <summary>Model FLOPs utilisation used.</summary>
    public required double Mfu { get; init; }
    /// <summary>How the MFU was obtained.</summary>
    public required string MfuSource { get; init; }
    /// <summary>Wall-clock time of the run.</summary>
    public required Duration WallClock { get; init; }
    /// <summary>Device-hours (GPU-hours).</summary>
    public double DeviceHours => WallClock.InHours * Request.Devices;
    /// <summary>The layout used.</summary>
    public required TrainingLayout Layout { get; init; }
    /// <summary>Memory of the fullest device.</summary>
    public required TrainingMemoryEstimate Memory { get; init; }
    /// <summary>The smallest cluster that fits (null when none up to the limit).</summary>
    public required SmallestCluster? Smallest { get; init; }
    /// <summary>Power of the cluster's devices (board power x devices), null without a TDP.</summary>
    public required Power? DevicePower { get; init; }
    /// <summary>Power of the whole servers when a server is known (host CPUs, NICs, fans), else null.</summary>
    public required Power? ServerPower { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>Model FLOPs in PF-days.</summary>
    public double PfDays => ModelFlops.InPetaflopDays;

    /// <summary>Tokens per second of the whole job.</summary>
    public TokenRate Throughput => Request.Tokens / WallClock;

    /// <summary>IT energy of the devices (board power x time), null without a TDP.</summary>
    public Energy? DeviceEnergy => DevicePower is { } p ? p * WallClock : null;
}

/// <summary>Plans a training run: FLOPs, layout and memory, time from MFU, power (docs/methodology-training.md).</summary>
public static class TrainingPlanner
{
    /// <summary>The largest cluster considered (beyond the largest published runs of 16,384 to 100,000 GPUs).</summary>
    public const int MaxDevices = 1_000_000;

    /// <summary>Tensor-parallel degrees the planner tries: within one 8-GPU NVLink node, as Megatron-LM recommends (arXiv:2104.04473 section 3.3).</summary>
    public static IReadOnlyList<int> TensorParallelChoices { get; } = [1, 2, 4, 8];

    /// <summary>Estimates a run.</summary>
    public static TrainingEstimate Estimate(TrainingRequest r)
    {
        Guard.InRange(r.Devices, 1, MaxDevices, FieldNames.Devices);
        Guard.Positive(r.Tokens.Value, FieldNames.Tokens);
        Guard.InRange(r.SeqLen, 1, 10_000_000, FieldNames.SeqLen);
        if (r.Mfu is { } m)
        {
            Guard.InRange(m, 0.001, 1.0, FieldNames.Mfu);
        }
        var a = r.Model.Architecture;
        var findings = new List<Finding>();
        var (compute, peak) = Peak(r.Device, r.Precision, findings);
        var perToken = TrainingCompute.ModelPerToken(a, r.SeqLen, r.Method, r.LoraRank);
        var model = perToken * r.Tokens.Value;
        var hardware = TrainingCompute.HardwarePerToken(a, r.SeqLen, r.Recompute, r.Method, r.LoraRank) * r.Tokens.Value;
        var active = Footprint.ParameterCount.Of(a).ActiveMatmul(a);
        var mfu = r.Mfu ?? r.Utilisation.Mfu(compute, r.Devices);
        var mfuSource = r.Mfu is null
            ? "fitted to published runs: " + r.Utilisation.Explain(compute, r.Devices)
            : FieldNames.GivenWithId(FieldNames.Mfu);
        var wall = model / (peak * (r.Devices * mfu));

        var (layout, memory) = ChooseLayout(r);
        var smallest = SmallestClusterFor(r, memory.Fits ? layout.ZeroStage : 3);
        if (!memory.Fits)
        {
            var fit = new (string, object)[]
            {
                ("model", r.Model.Id), ("method", r.Method.ToString().ToLowerInvariant()), ("need", Gb(memory.Total) + " GB"), ("layout", layout.ToString()),
                ("usable", Gb(memory.Usable) + " GB"), ("device", r.Device.Id),
            };
            findings.Add(smallest is null
                ? Finding.Error("does-not-fit#training-never", "{model} ({method}) needs {need} on the fullest device with {layout}, above the {usable} usable on {device}, and no cluster of up to {max} devices holds it. Use a shorter sequence, full recomputation, or LoRA/QLoRA.",
                    [.. fit, ("max", I($"{MaxDevices:N0}"))])
                : Finding.Error("does-not-fit#training", "{model} ({method}) needs {need} on the fullest device with {layout}, above the {usable} usable on {device}. The smallest cluster that fits is {devices} devices ({smallestLayout}, {each} each).",
                    [.. fit, ("devices", I($"{smallest.Devices:N0}")), ("smallestLayout", smallest.Layout.ToString()), ("each", Gb(smallest.Memory.Total) + " GB")]));
        }
        if (r.Model.Architecture.Moe is not null)
        {
            findings.Add(Finding.Info("moe-compute-memory",
                "{model} is a mixture of experts: compute follows the {active} active matmul parameters per token, memory holds all {total}.",
                ("model", r.Model.Id), ("active", I($"{active / 1e9:0.0} B")), ("total", I($"{Footprint.ParameterCount.Of(a).Total(a) / 1e9:0.0} B"))));
        }
        if (r.Method == TrainingMethod.Qlora)
        {
            findings.Add(Finding.Info("qlora-speed", "QLoRA dequantizes the NF4 base on every forward and backward; it saves memory but runs slower than LoRA at the same MFU assumption (not modelled)."));
        }
        if (r.SeqLen > a.MaxContext && a.MaxContext > 0)
        {
            findings.Add(Finding.Warn("seq-beyond-model", "Sequence length {seqLen} exceeds the {maxContext} tokens {model} was configured for.", ("seqLen", I($"{r.SeqLen:N0}")), ("maxContext", I($"{a.MaxContext:N0}")), ("model", r.Model.Id)));
        }
        var devicePower = r.Device.Tdp is { } tdp ? tdp * r.Devices : (Power?)null;
        Power? serverPower = null;
        if (r.Server is { } s && s.DevicesPerNode > 0)
        {
            var nodes = Math.Ceiling(r.Devices / (double)s.DevicesPerNode);
            serverPower = s.Power * nodes;
        }
        if (devicePower is null && serverPower is { } nameplate && r.Server is { } host)
        {
            // The energy is then the servers' nameplate (TrainingCosts uses whole-server power first); the warning said
            // "energy and electricity are omitted" beside an energy row and its basis.
            findings.Add(Finding.Warn("no-tdp#training-server", "{device} has no published board power in the catalog; energy and electricity are counted at the {server} nameplate, {power} for the cluster's servers (hosts included, an upper bound).",
                ("device", r.Device.Id), ("server", host.Id), ("power", I($"{nameplate.InKilowatts:#,0.#} kW"))));
        }
        else if (devicePower is null)
        {
            findings.Add(Finding.Warn("no-tdp#training", "{device} has no published board power in the catalog; energy and electricity are omitted.", ("device", r.Device.Id)));
        }
        return new TrainingEstimate
        {
            Request = r,
            FlopPerToken = perToken,
            ModelFlops = model,
            HardwareFlops = hardware,
            SixND = Flop.FromFlop(6.0 * active * r.Tokens.Value),
            Compute = compute,
            PeakPerDevice = peak,
            Mfu = mfu,
            MfuSource = mfuSource,
            WallClock = wall,
            Layout = layout,
            Memory = memory,
            Smallest = smallest,
            DevicePower = devicePower,
            ServerPower = serverPower,
            Findings = findings,
        };
    }

    /// <summary>Estimates the same run on each cluster size (layout chosen per size): the scaling sweep.</summary>
    public static IReadOnlyList<TrainingEstimate> Sweep(TrainingRequest r, IEnumerable<int> deviceCounts) =>
        [.. deviceCounts.Select(n => Estimate(r with { Devices = n, Layout = null }))];

    /// <summary>The dense peak used for a training precision (falls back to a wider path the device has, with a finding).</summary>
    public static (ComputeType Compute, FlopRate Peak) Peak(Device device, NumberFormat precision, List<Finding>? findings = null)
    {
        var wanted = precision.Compute;
        var compute = device.EffectiveCompute(wanted)
            ?? throw new InputException(FieldNames.Hardware, Phrase.Of("no-peak", "{device} has no arithmetic peak in the catalog; add one under 'peak'.", ("device", device.Id)));
        var peak = device.PeakFor(wanted)!.Value;
        if (compute != wanted)
        {
            findings?.Add(Finding.Warn("precision-fallback",
                "{device} has no {wanted} matrix path; training runs at its {compute} peak of {peak}.",
                ("device", device.Id), ("wanted", wanted.ToString().ToLowerInvariant()), ("compute", compute.ToString().ToLowerInvariant()), ("peak", I($"{peak.InTeraflopPerSecond:N0} TFLOP/s"))));
        }
        return (compute, peak);
    }

    /// <summary>
    /// The layout for the request: the user's, or on the requested device count the fitting one with the least
    /// model parallelism (TP x PP), trying ZeRO stages from the requested one up to 3; when nothing fits, the layout with the least memory.
    /// </summary>
    public static (TrainingLayout Layout, TrainingMemoryEstimate Memory) ChooseLayout(TrainingRequest r)
    {
        if (r.Layout is { } given)
        {
            if (given.Devices != r.Devices)
            {
                throw new InputException(FieldNames.Devices, Phrase.Of("layout-devices-differ", "The layout {layout} uses {used} devices, not the {asked} asked for.",
                    ("layout", given.ToString()), ("used", I($"{given.Devices}")), ("asked", I($"{r.Devices}"))));
            }
            return (given, Memory(r, given));
        }
        Guard.InRange(r.ZeroStage, 0, 3, FieldNames.Zero);
        (TrainingLayout, TrainingMemoryEstimate)? best = null;
        for (var zero = r.ZeroStage; zero <= 3; zero++)
        {
            foreach (var layout in Candidates(r.Model.Architecture, r.Devices, zero))
            {
                var memory = Memory(r, layout);
                if (memory.Fits)
                {
                    return (layout, memory);
                }
                if (best is null || memory.Total < best.Value.Item2.Total)
                {
                    best = (layout, memory);
                }
            }
        }
        return best ?? throw new InputException(FieldNames.Devices, Phrase.Of("no-layout", "No valid layout of {model} exists on {devices} devices.", ("model", r.Model.Id), ("devices", I($"{r.Devices}"))));
    }

    /// <summary>The fewest devices whose fullest device holds the job, over TP in 1-8, any PP and data parallelism with the ZeRO stage given.</summary>
    public static SmallestCluster? SmallestClusterFor(TrainingRequest r, int zeroStage)
    {
        var a = r.Model.Architecture;
        SmallestCluster? best = null;
        foreach (var tp in TensorParallelChoices.Where(t => Footprint.Layouts.TensorParallelProblem(a, t) is null))
        {
            for (var pp = 1; pp <= a.Layers; pp++)
            {
                if (best is not null && tp * pp > best.Devices)
                {
                    break;
                }
                var one = Memory(r, new TrainingLayout(tp, pp, 1, 1, zeroStage));
                var many = Memory(r, new TrainingLayout(tp, pp, 1 << 30, 1, zeroStage));
                var room = one.Usable - many.Total;
                if (room.Value <= 0)
                {
                    continue;
                }
                var sharded = one.Total - many.Total;
                var dp = sharded.Value <= room.Value ? 1 : (long)Math.Ceiling(sharded / room);
                var devices = tp * pp * dp;
                if (devices > MaxDevices || zeroStage == 0 && dp > 1)
                {
                    continue;
                }
                if (best is null || devices < best.Devices)
                {
                    var layout = new TrainingLayout(tp, pp, (int)dp, 1, zeroStage);
                    best = new SmallestCluster((int)devices, layout, Memory(r, layout));
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Tokens a money budget trains: device-hours = budget / rent, FLOPs = device-hours x 3,600 x peak x MFU.
    /// </summary>
    public static Tokens TokensForBudget(TrainingRequest r, Money budget, Money rentPerDeviceHour)
    {
        if (budget.Currency != rentPerDeviceHour.Currency)
        {
            throw new InputException(FieldNames.Budget, Phrase.Of("budget-currency", "The budget is in {currency} but the rent is in {rentCurrency}; pass {rentPerHour} in {currency}.",
                ("currency", budget.Currency), ("rentCurrency", rentPerDeviceHour.Currency), ("rentPerHour", FieldNames.RentPerHour)));
        }
        if (budget.Amount <= 0 || rentPerDeviceHour.Amount <= 0)
        {
            throw new InputException(FieldNames.Budget, Phrase.Of("budget-positive", "Budget ({budget}) and rent ({rent}) must both be more than zero.", ("budget", budget.ToString()), ("rent", rentPerDeviceHour.ToString())));
        }
        var hours = (double)(budget.Amount / rentPerDeviceHour.Amount);
        var (compute, peak) = Peak(r.Device, r.Precision);
        var mfu = r.Mfu ?? r.Utilisation.Mfu(compute, r.Devices);
        var flops = peak * Duration.FromHours(hours) * mfu;
        return TrainingCompute.TokensFor(r.Model.Architecture, r.SeqLen, flops, r.Method, r.LoraRank);
    }

    private static TrainingMemoryEstimate Memory(TrainingRequest r, TrainingLayout layout) =>
        TrainingMemory.Estimate(new TrainingMemoryRequest(r.Model, layout, r.Method, r.SeqLen, r.MicroBatch, r.Recompute, r.LoraRank), r.Device.Memory);

    private static IEnumerable<TrainingLayout> Candidates(ModelArchitecture a, int devices, int zero)
    {
        var list = new List<TrainingLayout>();
        foreach (var tp in TensorParallelChoices)
        {
            if (devices % tp != 0 || Footprint.Layouts.TensorParallelProblem(a, tp) is not null)
            {
                continue;
            }
            for (var pp = 1; pp <= Math.Min(a.Layers, devices / tp); pp++)
            {
                if (devices / tp % pp == 0)
                {
                    list.Add(new TrainingLayout(tp, pp, devices / tp / pp, 1, zero));
                }
            }
        }
        return list.OrderBy(l => l.Tp * l.Pp).ThenBy(l => l.Pp);
    }

    private static string I(FormattableString s) => FormattableString.Invariant(s);

    private static string Gb(Bytes b) => b.InGigabytes.ToString("N1", CultureInfo.InvariantCulture);
}
