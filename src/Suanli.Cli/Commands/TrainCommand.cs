using System.CommandLine;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO.Reports;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Training;

namespace Suanli.Cli.Commands;

/// <summary><c>suanli train</c>: compute, memory, time, energy and money of training, fine-tuning or distillation.</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model trained (the student, for distillation): catalog id, Hugging Face repo id, alias, or a config.json path.", Required = true };
        var tokens = new Option<string?>("--tokens") { Description = "Trained tokens: 300e9, 300B or 1.4T (k, M, B, T are decimal)." };
        var flops = new Option<string?>("--flops") { Description = "A FLOP budget instead of --tokens, e.g. 3.15e23." };
        var budget = new Option<string?>("--budget-usd") { Description = "A rent budget in USD instead of --tokens, e.g. 1e6 or 2.5M." };
        var hardware = new Option<string>("--hardware", "-H") { Description = "Device id or alias (see 'suanli catalog hardware').", Required = true };
        var devices = CliOptions.Count("--devices", "Devices in the job.", 8, 1, TrainingPlanner.MaxDevices);
        var precision = new Option<string>("--precision", "-p") { Description = "Training precision: bf16, fp16, fp8 (Transformer Engine), fp32.", DefaultValueFactory = _ => "bf16" };
        var seqLen = CliOptions.TokenCount("--seq-len", "Tokens per training sequence (default: the model's context, at most 4,096).", 4096, 1, FootprintRequest.MaxContext);
        var microBatch = CliOptions.Count("--micro-batch", "Sequences per micro-batch.", 1, 1, 100_000);
        var recompute = new Option<Recompute>("--recompute") { Description = "Activation recomputation: none, selective or full.", DefaultValueFactory = _ => Recompute.Selective };
        var method = new Option<TrainingMethod>("--method") { Description = "full, lora or qlora.", DefaultValueFactory = _ => TrainingMethod.Full };
        var loraRank = CliOptions.Count("--lora-rank", "LoRA/QLoRA adapter rank.", 16, 1, 65_536);
        var zero = new Option<int?>("--zero") { Description = "ZeRO stage 0-3 (default: 1, raised when needed to fit)." };
        var tp = new Option<int?>("--tp") { Description = "Tensor-parallel degree (setting --tp or --pp fixes the layout)." };
        var pp = new Option<int?>("--pp") { Description = "Pipeline stages." };
        var ep = new Option<int>("--ep") { Description = "Expert-parallel degree (MoE).", DefaultValueFactory = _ => 1 };
        var mfu = new Option<double?>("--mfu") { Description = "Model FLOPs utilisation 0-1 instead of the fitted default." };
        var rent = new Option<string?>("--rent-per-hour") { Description = "Rent per device-hour, e.g. '2.99 USD' (default: the catalog's price for the device, with its source)." };
        var tariff = new Option<string?>("--tariff") { Description = "Electricity price, e.g. '0.65 CNY/kWh'; without it the electricity cost is omitted." };
        var pue = new Option<double>("--pue") { Description = "Power usage effectiveness (default 1.3: China MIIT's ceiling for new large data centres).", DefaultValueFactory = _ => CostInputs.DefaultPue };
        var grid = new Option<double?>("--grid-kg-per-kwh") { Description = "Grid carbon intensity in kg CO2 per kWh, for emissions." };
        var teacher = new Option<string?>("--teacher") { Description = "Distillation: the teacher model that generates the --tokens the student trains on." };
        var teacherHardware = new Option<string?>("--teacher-hardware") { Description = "Teacher's device (default: --hardware)." };
        var teacherDevices = CliOptions.Count("--teacher-devices", "Devices of one teacher copy.", 8, 1, MemoryModel.MaxDevicesSearched);
        var teacherPrecision = new Option<string>("--teacher-precision") { Description = "Teacher weight format.", DefaultValueFactory = _ => "bf16" };
        var teacherBatch = CliOptions.Count("--teacher-batch", "Sequences the teacher generates at once.", 64, 1, 100_000);
        var teacherPrompt = CliOptions.TokenCount("--teacher-prompt", "Prompt tokens per generated sequence.", 512, 1, FootprintRequest.MaxContext);
        var teacherOutput = CliOptions.TokenCount("--teacher-output", "Output tokens per generated sequence.", 512, 1, FootprintRequest.MaxContext);
        var format = CliOptions.Format();
        var command = new Command("train", "Training, fine-tuning (LoRA/QLoRA) and distillation: FLOPs, memory per device, time from a fitted MFU, energy, rent, electricity and capex.")
        {
            model, tokens, flops, budget, hardware, devices, precision, seqLen, microBatch, recompute, method, loraRank, zero, tp, pp, ep, mfu,
            rent, tariff, pue, grid, teacher, teacherHardware, teacherDevices, teacherPrecision, teacherBatch, teacherPrompt, teacherOutput, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            var entry = CliContext.Model(catalog, parse.GetValue(model)!);
            var device = catalog.Device(parse.GetValue(hardware)!);
            var n = parse.GetValue(devices);
            var format16 = NumberFormat.Parse(parse.GetValue(precision)!, "--precision", [NumberFormat.Fp32, NumberFormat.Bf16, NumberFormat.Fp16, NumberFormat.Fp8]);
            var rentQuote = parse.GetValue(rent) is { } rt
                ? new PriceQuote(QuantityText.ParseMoney(rt, "--rent-per-hour"), "--rent-per-hour", DateOnly.FromDateTime(DateTime.UtcNow))
                : device.RentPerHour;
            TrainingLayout? layout = null;
            var zeroStage = parse.GetValue(zero);
            if (zeroStage is { } z && z is < 0 or > 3)
            {
                throw new InputException("--zero", $"ZeRO stage {z} does not exist; use 0 (none), 1 (optimizer states sharded), 2 (+ gradients) or 3 (+ weights, as FSDP FULL_SHARD).");
            }
            if (parse.GetValue(tp) is not null || parse.GetValue(pp) is not null || parse.GetValue(ep) != 1)
            {
                layout = TrainingLayout.Validate(entry, n, parse.GetValue(tp) ?? 1, parse.GetValue(pp) ?? 1, parse.GetValue(ep), zeroStage ?? 1);
            }
            var server = catalog.ServersFor(device).OrderByDescending(s => s.DevicesPerNode == 8).FirstOrDefault();
            var request = new TrainingRequest
            {
                Model = entry,
                Device = device,
                Devices = n,
                Tokens = Tokens.FromCount(1),
                Precision = format16,
                SeqLen = parse.GetResult(seqLen) is { Implicit: false }
                    ? parse.GetValue(seqLen)
                    : entry.Architecture.MaxContext > 0 ? Math.Min(entry.Architecture.MaxContext, TrainingPredictor.DefaultSeqLen) : TrainingPredictor.DefaultSeqLen,
                MicroBatch = parse.GetValue(microBatch),
                Recompute = parse.GetValue(recompute),
                Method = parse.GetValue(method),
                LoraRank = parse.GetValue(loraRank),
                Layout = layout,
                ZeroStage = zeroStage ?? 1,
                Mfu = parse.GetValue(mfu),
                Server = server,
            };
            request = request with { Tokens = ResolveTokens(request, parse.GetValue(tokens), parse.GetValue(flops), parse.GetValue(budget), rentQuote) };
            var estimate = TrainingPlanner.Estimate(request);
            var inputs = new CostInputs(
                rentQuote,
                parse.GetValue(tariff) is { } t ? QuantityText.ParseTariff(t, "--tariff") : null,
                parse.GetValue(pue),
                parse.GetValue(grid),
                device.Price,
                server?.Price,
                server?.DevicesPerNode ?? 8);
            var cost = TrainingCosts.Compute(estimate, inputs);
            var sizes = new[] { n / 4, n / 2, n, n * 2, n * 4 }.Where(x => x >= 1 && x <= TrainingPlanner.MaxDevices).Distinct();
            var sweep = layout is null ? TrainingPlanner.Sweep(request, sizes) : [];

            TeacherEstimate? teacherEstimate = null;
            TeacherGeneration? generation = null;
            if (parse.GetValue(teacher) is { } teacherName)
            {
                var teacherModel = CliContext.Model(catalog, teacherName);
                var teacherDevice = parse.GetValue(teacherHardware) is { } th ? catalog.Device(th, "--teacher-hardware") : device;
                var weights = NumberFormat.Parse(parse.GetValue(teacherPrecision)!, "--teacher-precision");
                var copy = parse.GetValue(teacherDevices);
                var teacherLayouts = Layouts.On(teacherModel.Architecture, copy);
                var teacherLayout = (teacherLayouts.Count > 0 ? teacherLayouts[0] : null)
                    ?? throw new InputException("--teacher-devices", $"{teacherModel.Id} has no valid layout on {copy} devices; try a power of two.");
                var kv = NumberFormat.KvFor(weights, null);
                generation = new TeacherGeneration(new Deployment(teacherModel, teacherDevice, teacherLayout, weights, kv, Engine.Vllm),
                    request.Tokens, parse.GetValue(teacherPrompt), parse.GetValue(teacherOutput), parse.GetValue(teacherBatch));
                teacherEstimate = Distillation.Teacher(generation, CliContext.StepTimeModel);
            }
            c.Write(TrainReport.Build(estimate, cost, inputs, sweep, teacherEstimate, generation), parse.GetValue(format));
            return 0;
        }));
        return command;
    }

    private static Tokens ResolveTokens(TrainingRequest r, string? tokens, string? flops, string? budgetUsd, PriceQuote? rent)
    {
        var given = new[] { tokens, flops, budgetUsd }.Count(x => x is not null);
        if (given != 1)
        {
            throw new InputException("--tokens", "Give exactly one of --tokens (e.g. 300B), --flops (e.g. 3.15e23) or --budget-usd (e.g. 1e6).");
        }
        if (tokens is not null)
        {
            return Tokens.FromCount(CountText.ParsePositive(tokens, "--tokens"));
        }
        if (flops is not null)
        {
            return TrainingCompute.TokensFor(r.Model.Architecture, r.SeqLen, Flop.FromFlop(CountText.ParsePositive(flops, "--flops")), r.Method, r.LoraRank);
        }
        var budget = Money.FromDouble(CountText.ParsePositive(budgetUsd!, "--budget-usd"), Currency.Usd, "--budget-usd");
        if (rent is null)
        {
            throw new InputException("--rent-per-hour", $"{r.Device.Id} has no rent price in the catalog; pass --rent-per-hour '2.50 USD' to turn a budget into device-hours.");
        }
        return TrainingPlanner.TokensForBudget(r, budget, rent.Amount);
    }
}
