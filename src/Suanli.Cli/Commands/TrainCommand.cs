using System.CommandLine;
using Suanli.Footprint;
using Suanli.Runs;
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
        var days = new Option<double?>("--days") { Description = "Deadline mode: finish within this many days; gives the fewest devices (and their cost) instead of the days for --devices." };
        var precision = new Option<string>("--precision", "-p") { Description = "Training precision: bf16, fp16, fp8 (Transformer Engine), fp32.", DefaultValueFactory = _ => "bf16" };
        var seqLen = CliOptions.TokenCount("--seq-len", "Tokens per training sequence (default: the model's context, at most 4,096).", 4096, 1, FootprintRequest.MaxContext);
        var microBatch = CliOptions.Count("--micro-batch", "Sequences per micro-batch.", 1, 1, 100_000);
        var recompute = CliOptions.Choice(new Option<Recompute>("--recompute") { Description = "Activation recomputation: none, selective or full.", DefaultValueFactory = _ => Recompute.Selective });
        var method = CliOptions.Choice(new Option<TrainingMethod>("--method") { Description = "full, lora or qlora.", DefaultValueFactory = _ => TrainingMethod.Full });
        var loraRank = CliOptions.Count("--lora-rank", "LoRA/QLoRA adapter rank.", 16, 1, 65_536);
        var zero = new Option<int?>("--zero") { Description = "ZeRO stage 0-3 (default: 1, raised when needed to fit)." };
        var tp = new Option<int?>("--tp") { Description = "Tensor-parallel degree (setting --tp or --pp fixes the layout)." };
        var pp = new Option<int?>("--pp") { Description = "Pipeline stages." };
        var ep = new Option<int>("--ep") { Description = "Expert-parallel degree (MoE).", DefaultValueFactory = _ => 1 };
        var mfu = new Option<double?>("--mfu") { Description = "Model FLOPs utilisation 0-1 instead of the fitted default." };
        var rent = new Option<string?>("--rent-per-hour") { Description = "Rent per device-hour, e.g. '2.99 USD' (default: the catalog's price for the device, with its source)." };
        var tariff = new Option<string?>("--tariff") { Description = "Electricity: a price, e.g. '0.65 CNY/kWh', or a catalog region (see 'suanli catalog prices') (default: the region for the currency, as plan and compare use: CN-industrial-average for CNY, US-VA-industrial for USD, EU-non-household-average for EUR)." };
        var currency = new Option<string?>("--currency") { Description = "Currency every price is converted into (USD, CNY, EUR) with the catalog's dated exchange rates, as plan and compare convert; without it each price stays in the currency its source gives." };
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
            model, tokens, flops, budget, hardware, devices, days, precision, seqLen, microBatch, recompute, method, loraRank, zero, tp, pp, ep, mfu,
            rent, tariff, currency, pue, grid, teacher, teacherHardware, teacherDevices, teacherPrecision, teacherBatch, teacherPrompt, teacherOutput, format,
        };
        command.SetAction(parse => c.Guarded(() =>
        {
            var catalog = CliContext.CatalogFor(parse);
            if (parse.GetValue(days) is not null && parse.GetResult(devices) is { Implicit: false })
            {
                throw new InputException(Suanli.Text.FieldNames.Days, Suanli.Text.Phrase.Of("input-devices-or-days", "Give {devices} (the days for that cluster) or {days} (the devices for that deadline), not both.",
                    ("devices", Suanli.Text.FieldNames.Devices), ("days", Suanli.Text.FieldNames.Days)));
            }
            c.Write(TrainRun.Run(new TrainInputs
            {
                Model = parse.GetValue(model)!,
                Hardware = parse.GetValue(hardware)!,
                Devices = parse.GetValue(devices),
                Precision = parse.GetValue(precision)!,
                SeqLen = parse.GetResult(seqLen) is { Implicit: false } ? parse.GetValue(seqLen) : null,
                MicroBatch = parse.GetValue(microBatch),
                Recompute = parse.GetValue(recompute),
                Method = parse.GetValue(method),
                LoraRank = parse.GetValue(loraRank),
                Zero = parse.GetValue(zero),
                Tp = parse.GetValue(tp),
                Pp = parse.GetValue(pp),
                Ep = parse.GetValue(ep),
                Mfu = parse.GetValue(mfu),
                Tokens = parse.GetValue(tokens),
                Flops = parse.GetValue(flops),
                BudgetUsd = parse.GetValue(budget),
                Days = parse.GetValue(days),
                Pricing = new()
                {
                    RentPerHour = parse.GetValue(rent),
                    Tariff = parse.GetValue(tariff),
                    Currency = parse.GetValue(currency),
                    Pue = parse.GetValue(pue),
                    GridKgPerKwh = parse.GetValue(grid),
                },
                Distillation = new()
                {
                    Teacher = parse.GetValue(teacher),
                    Hardware = parse.GetValue(teacherHardware),
                    Devices = parse.GetValue(teacherDevices),
                    Precision = parse.GetValue(teacherPrecision)!,
                    Batch = parse.GetValue(teacherBatch),
                    Prompt = parse.GetValue(teacherPrompt),
                    Output = parse.GetValue(teacherOutput),
                },
            }, catalog, CliContext.StepTimeModel, DateOnly.FromDateTime(c.Clock.GetUtcNow().UtcDateTime), (n, field) => CliContext.Model(catalog, n, field), c.Cancel), parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}
