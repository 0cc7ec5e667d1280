using System.Globalization;
using Suanli.Text;
using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Training;

namespace Suanli.Runs;

/// <summary>
/// The options of <c>suanli train</c> and <c>/api/train</c> once parsed; token, FLOP, budget and price amounts stay
/// text (parsed here, with their suffixes). Errors name the CLI option (the web maps it to its field).
/// </summary>
public sealed record TrainInputs
{
    /// <summary>Model trained (the student, for distillation).</summary>
    public required string Model { get; init; }
    /// <summary>Device id or alias.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices in the job.</summary>
    public int Devices { get; init; } = 8;
    /// <summary>Training precision: bf16, fp16, fp8 or fp32.</summary>
    public string Precision { get; init; } = "bf16";
    /// <summary>Tokens per training sequence; null is the model's context, at most <see cref="TrainingPredictor.DefaultSeqLen"/>.</summary>
    public int? SeqLen { get; init; }
    /// <summary>Sequences per micro-batch.</summary>
    public int MicroBatch { get; init; } = 1;
    /// <summary>Activation recomputation.</summary>
    public Recompute Recompute { get; init; } = Recompute.Selective;
    /// <summary>Full training, LoRA or QLoRA.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.Full;
    /// <summary>LoRA/QLoRA adapter rank.</summary>
    public int LoraRank { get; init; } = DefaultLoraRank;
    /// <summary>The LoRA rank when none is given (the front ends' default).</summary>
    public const int DefaultLoraRank = 16;
    /// <summary>ZeRO stage 0-3; null is 1, raised when needed to fit.</summary>
    public int? Zero { get; init; }
    /// <summary>Tensor-parallel degree (with <see cref="Pp"/> or <see cref="Ep"/>, fixes the layout).</summary>
    public int? Tp { get; init; }
    /// <summary>Pipeline stages.</summary>
    public int? Pp { get; init; }
    /// <summary>Expert-parallel degree (MoE).</summary>
    public int Ep { get; init; } = 1;
    /// <summary>Model FLOPs utilisation 0-1; null is the fitted default.</summary>
    public double? Mfu { get; init; }
    /// <summary>Trained tokens, e.g. 300B (give one of tokens, FLOPs, budget).</summary>
    public string? Tokens { get; init; }
    /// <summary>A FLOP budget, e.g. 3.15e23.</summary>
    public string? Flops { get; init; }
    /// <summary>A rent budget in USD, e.g. 2.5M.</summary>
    public string? BudgetUsd { get; init; }
    /// <summary>Deadline mode: the job must finish within this many days; the devices are solved for (<see cref="Devices"/> is ignored).</summary>
    public double? Days { get; init; }
    /// <summary>How the run is priced: rent, electricity, PUE and grid carbon.</summary>
    public TrainPricing Pricing { get; init; } = new();
    /// <summary>Distillation: the teacher and how it generates the training tokens.</summary>
    public DistillationInputs Distillation { get; init; } = new();
}

/// <summary>How <c>suanli train</c> prices a run: rent, electricity, PUE and grid carbon.</summary>
public sealed record TrainPricing
{
    /// <summary>Rent per device-hour, e.g. '2.99 USD'; null is the catalog's price.</summary>
    public string? RentPerHour { get; init; }
    /// <summary>Electricity: a price, e.g. '0.65 CNY/kWh', or a catalog region (as <c>plan</c> and <c>compare</c> take it); null omits the electricity cost.</summary>
    public string? Tariff { get; init; }
    /// <summary>Currency every price is converted into (USD, CNY, EUR) with the catalog's dated rates, as <c>plan</c> and <c>compare</c>; null keeps each price in the currency its source gives.</summary>
    public string? Currency { get; init; }
    /// <summary>Power usage effectiveness.</summary>
    public double Pue { get; init; } = CostInputs.DefaultPue;
    /// <summary>Grid carbon intensity, kg CO2 per kWh.</summary>
    public double? GridKgPerKwh { get; init; }
}

/// <summary>Distillation for <c>suanli train</c>: the teacher model, where it runs and the sequences it generates.</summary>
public sealed record DistillationInputs
{
    /// <summary>The teacher model; null is no distillation.</summary>
    public string? Teacher { get; init; }
    /// <summary>Teacher's device; null is the student's <see cref="TrainInputs.Hardware"/>.</summary>
    public string? Hardware { get; init; }
    /// <summary>Devices of one teacher copy.</summary>
    public int Devices { get; init; } = 8;
    /// <summary>Teacher weight format.</summary>
    public string Precision { get; init; } = "bf16";
    /// <summary>Sequences the teacher generates at once.</summary>
    public int Batch { get; init; } = 64;
    /// <summary>Prompt tokens per generated sequence.</summary>
    public int Prompt { get; init; } = 512;
    /// <summary>Output tokens per generated sequence.</summary>
    public int Output { get; init; } = 512;
}

/// <summary>What <c>suanli train</c> and <c>/api/train</c> both run: the training estimate, its costs, the size sweep and any teacher.</summary>
public static class TrainRun
{
    /// <summary>
    /// Refuses a teacher setting given without a teacher: the run has no teacher to apply it to, and used to drop it
    /// unseen. A setting equal to its default cannot be told from one left out, and is harmless.
    /// </summary>
    private static void TeacherSettingsNeedTeacher(DistillationInputs d)
    {
        if (d.Teacher is not null)
        {
            return;
        }
        var unset = new DistillationInputs();
        FieldName? given = d.Hardware is not null ? FieldNames.TeacherHardware
            : d.Devices != unset.Devices ? FieldNames.TeacherDevices
            : d.Precision != unset.Precision ? FieldNames.TeacherPrecision
            : d.Batch != unset.Batch ? FieldNames.TeacherBatch
            : d.Prompt != unset.Prompt ? FieldNames.TeacherPrompt
            : d.Output != unset.Output ? FieldNames.TeacherOutput
            : null;
        if (given is { } field)
        {
            throw new InputException(field, Phrase.Of("teacher-setting-needs-teacher", "{field} sets the distillation teacher, but no {teacher} is given; add {teacher} MODEL or drop {field}.",
                ("field", field), ("teacher", FieldNames.Teacher)));
        }
    }

    /// <summary>
    /// Estimates and prices the job; <paramref name="resolveModel"/> (name, field) defaults to the catalog lookup.
    /// <paramref name="today"/> (UTC) dates a rent given with the inputs: the front end reads its clock, this never does.
    /// <paramref name="cancel"/> stops the run between its stages and between the sizes of the device sweep (the web
    /// cancels it at its time limit or a hang-up).
    /// </summary>
    public static Report Run(TrainInputs f, SuanliCatalog catalog, IStepTimeModel stepModel, DateOnly today, Func<string, FieldRef, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        TeacherSettingsNeedTeacher(f.Distillation);
        if (f.Method == TrainingMethod.Full && f.LoraRank != TrainInputs.DefaultLoraRank)
        {
            // Full training has no adapter: the rank used to be dropped unseen.
            throw new InputException(FieldNames.LoraRank, Phrase.Of("lora-rank-needs-adapter", "{loraRank} sizes a LoRA or QLoRA adapter, but {method} is full; give {method} lora or qlora, or drop {loraRank}.",
                ("loraRank", FieldNames.LoraRank), ("method", FieldNames.Method)));
        }
        var resolve = resolveModel ?? ((name, field) => catalog.Model(name, field));
        var entry = resolve(f.Model, FieldNames.Model);
        var device = catalog.Device(f.Hardware);
        var n = f.Devices;
        if (f.Days is not null && (f.Tp is not null || f.Pp is not null || f.Ep != 1))
        {
            throw new InputException(FieldNames.Days, Phrase.Of("days-chooses-layout", "With {days} the planner chooses the devices and the layout; drop {tp}, {pp} and {ep}, or give {devices} instead of {days}.",
                ("days", FieldNames.Days), ("tp", FieldNames.Tp), ("pp", FieldNames.Pp), ("ep", FieldNames.Ep), ("devices", FieldNames.Devices)));
        }
        if (f.Days is not null && f.BudgetUsd is not null)
        {
            throw new InputException(FieldNames.Days, Phrase.Of("days-not-budget", "{days} sizes the cluster for a fixed job; give {tokens} or {flops} with it, not {budget}.",
                ("days", FieldNames.Days), ("tokens", FieldNames.Tokens), ("flops", FieldNames.Flops), ("budget", FieldNames.Budget)));
        }
        var format16 = NumberFormat.Parse(f.Precision, FieldNames.Precision, [NumberFormat.Fp32, NumberFormat.Bf16, NumberFormat.Fp16, NumberFormat.Fp8]);
        var rentQuote = f.Pricing.RentPerHour is { } rt
            ? new PriceQuote(QuantityText.ParseMoney(rt, FieldNames.RentPerHour), FieldNames.GivenWithId(FieldNames.RentPerHour), today) { GivenWith = FieldNames.RentPerHour }
            : DeviceQuotes.Rent(device);
        if (f.Zero is { } z && z is < 0 or > 3)
        {
            throw new InputException(FieldNames.Zero, Phrase.Of("zero-stage-unknown", "ZeRO stage {stage} does not exist; use 0 (none), 1 (optimizer states sharded), 2 (+ gradients) or 3 (+ weights, as FSDP FULL_SHARD).", ("stage", z)));
        }
        TrainingLayout? layout = null;
        if (f.Tp is not null || f.Pp is not null || f.Ep != 1)
        {
            layout = TrainingLayout.Validate(entry, n, f.Tp ?? 1, f.Pp ?? 1, f.Ep, f.Zero ?? 1);
        }
        // The server plan and compare assume for the device: the largest that fits the default rack (CloudMatrix 384, a
        // 560 kW supernode, counted 8 Ascend 910C of a LoRA run at its whole nameplate).
        var server = FleetPlanner.CatalogServer(catalog, device, Rack.Default);
        var request = new TrainingRequest
        {
            Model = entry,
            Device = device,
            Devices = n,
            Tokens = Quantities.Tokens.FromCount(1),
            Precision = format16,
            SeqLen = f.SeqLen ?? (entry.Architecture.MaxContext > 0 ? Math.Min(entry.Architecture.MaxContext, TrainingPredictor.DefaultSeqLen) : TrainingPredictor.DefaultSeqLen),
            MicroBatch = f.MicroBatch,
            Recompute = f.Recompute,
            Method = f.Method,
            LoraRank = f.LoraRank,
            Layout = layout,
            ZeroStage = f.Zero ?? 1,
            Mfu = f.Mfu,
            Server = server,
        };
        request = request with { Tokens = ResolveTokens(request, f.Tokens, f.Flops, f.BudgetUsd, rentQuote) };
        DeadlineSizing? deadline = null;
        cancel.ThrowIfCancellationRequested();
        if (f.Days is { } days)
        {
            if (!(days > 0) || !double.IsFinite(days) || days > 36_500)
            {
                throw new InputException(FieldNames.Days, Phrase.Of("days-range", "{days} must be more than 0 and at most 36,500 (a century), got {value}.", ("days", FieldNames.Days), ("value", Suanli.Text.Fmt.Number(days))));
            }
            deadline = Deadline.Size(request, Duration.FromDays(days));
            n = deadline.Devices;
            request = request with { Devices = n };
        }
        cancel.ThrowIfCancellationRequested();
        var estimate = TrainingPlanner.Estimate(request);
        var (inputs, priceFindings) = TrainPrices.Of(f.Pricing, rentQuote, device, server, today);
        var cost = TrainingCosts.Compute(estimate, inputs);
        cost = cost with { Findings = [.. priceFindings, .. cost.Findings] };
        var sizes = new[] { n / 4, n / 2, n, n * 2, n * 4 }.Where(x => x >= 1 && x <= TrainingPlanner.MaxDevices).Distinct();
        var sweep = layout is null ? TrainingPlanner.Sweep(request, sizes.Select(size => cancel.IsCancellationRequested ? throw new OperationCanceledException(cancel) : size)) : [];

        TeacherEstimate? teacherEstimate = null;
        TeacherGeneration? generation = null;
        if (f.Distillation.Teacher is { } teacherName)
        {
            var teacherModel = resolve(teacherName, FieldNames.Teacher);
            var teacherDevice = f.Distillation.Hardware is { } th ? catalog.Device(th, FieldNames.TeacherHardware) : device;
            var weights = WeightPrecision.Parse(f.Distillation.Precision, FieldNames.TeacherPrecision);
            var teacherLayouts = Layouts.On(teacherModel.Architecture, f.Distillation.Devices);
            var teacherLayout = (teacherLayouts.Count > 0 ? teacherLayouts[0] : null)
                ?? throw new InputException(FieldNames.TeacherDevices, Phrase.Of("teacher-no-layout", "{model} has no valid layout on {devices} devices; try a power of two.", ("model", teacherModel.Id), ("devices", f.Distillation.Devices)));
            var kv = NumberFormat.KvFor(weights, null);
            cancel.ThrowIfCancellationRequested();
            generation = new TeacherGeneration(new Deployment(teacherModel, teacherDevice, teacherLayout, weights, kv, Engine.Vllm),
                request.Tokens, f.Distillation.Prompt, f.Distillation.Output, f.Distillation.Batch);
            teacherEstimate = Distillation.Teacher(generation, stepModel);
        }
        return TrainReport.Build(estimate, cost, inputs, sweep, teacherEstimate, generation, IntervalFiles.Embedded, deadline);
    }

    /// <summary>
    /// The tokens to train on, at least one: a budget of a fraction of a token (<c>--tokens 1e-320</c>, <c>--flops 1</c>)
    /// is refused naming the option that gave it, instead of running the planner into an infinite rate.
    /// </summary>
    private static Tokens ResolveTokens(TrainingRequest r, string? tokens, string? flops, string? budgetUsd, PriceQuote? rent)
    {
        var resolved = ResolveAnyTokens(r, tokens, flops, budgetUsd, rent);
        if (resolved.InCount < 1)
        {
            var field = tokens is not null ? FieldNames.Tokens : flops is not null ? FieldNames.Flops : FieldNames.Budget;
            throw new InputException(field, Phrase.Of("train-under-one-token", "{field} {value} gives {tokens} tokens to train on, less than one; give enough for at least one token.",
                ("field", field), ("value", InputQuote.Clip(tokens ?? flops ?? budgetUsd ?? "")), ("tokens", Fmt.Number(resolved.InCount))));
        }
        return resolved;
    }

    private static Tokens ResolveAnyTokens(TrainingRequest r, string? tokens, string? flops, string? budgetUsd, PriceQuote? rent)
    {
        var given = new[] { tokens, flops, budgetUsd }.Count(x => x is not null);
        if (given != 1)
        {
            throw new InputException(FieldNames.Tokens, Phrase.Of("tokens-one-of", "Give exactly one of {tokens} (e.g. 300B), {flops} (e.g. 3.15e23) or {budget} (e.g. 1e6).", ("tokens", FieldNames.Tokens), ("flops", FieldNames.Flops), ("budget", FieldNames.Budget)));
        }
        if (tokens is not null)
        {
            return Quantities.Tokens.FromCount(CountText.ParsePositive(tokens, FieldNames.Tokens));
        }
        if (flops is not null)
        {
            return TrainingCompute.TokensFor(r.Model.Architecture, r.SeqLen, Flop.FromFlop(CountText.ParsePositive(flops, FieldNames.Flops)), r.Method, r.LoraRank);
        }
        var budget = Money.FromDouble(CountText.ParsePositive(budgetUsd!, FieldNames.Budget), Currency.Usd, FieldNames.Budget);
        if (rent is null)
        {
            throw new InputException(FieldNames.RentPerHour, Phrase.Of("budget-needs-rent", "{device} has no rent price in the catalog; pass {rentPerHour} '2.50 USD' to turn a budget into device-hours.", ("device", r.Device.Id), ("rentPerHour", FieldNames.RentPerHour)));
        }
        return TrainingPlanner.TokensForBudget(r, budget, rent.Amount);
    }
}
