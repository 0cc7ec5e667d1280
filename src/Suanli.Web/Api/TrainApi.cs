using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Training;
using Suanli.Web.Http;
using Suanli.Text;

namespace Suanli.Web.Api;

/// <summary>The inputs of <c>suanli train</c> (its options in camelCase).</summary>
/// <remarks>The inputs are declared in two records so that neither holds more than 20 (issue 17's limit); the
/// API sees one flat set of query parameters and JSON fields either way: <see cref="TrainCostInput"/> declares the money and energy terms and the distillation teacher.</remarks>
public sealed record TrainInput : TrainCostInput
{
    /// <summary>Model trained.</summary>
    [Description("Model trained (the student, for distillation): catalog id, Hugging Face repo id or alias (required).")]
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Tokens.</summary>
    [Description("Trained tokens: 300e9, 300B or 1.4T (give one of tokens, flops, budgetUsd).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tokens")]
    public string? Tokens { get; init; }

    /// <summary>FLOP budget.</summary>
    [Description("A FLOP budget instead of tokens, e.g. 3.15e23.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "flops")]
    public string? Flops { get; init; }

    /// <summary>Rent budget.</summary>
    [Description("A rent budget in USD instead of tokens, e.g. 1e6 or 2.5M.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "budgetUsd")]
    public string? BudgetUsd { get; init; }

    /// <summary>Device.</summary>
    [Description("Device id or alias (required).")]
    [FromQuery(Name = "hardware")]
    public string? Hardware { get; init; }

    /// <summary>Devices.</summary>
    [Description("Devices in the job. Default 8.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Deadline.</summary>
    [Description("Deadline mode: finish within this many days; gives the fewest devices (and their cost) instead of the days for devices. Give devices or days, not both.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "days")]
    public string? Days { get; init; }

    /// <summary>Precision.</summary>
    [Description("Training precision: bf16 (default), fp16, fp8, fp32.")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>Sequence length.</summary>
    [Description("Tokens per training sequence (default: the model's context, at most 4,096).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "seqLen")]
    public string? SeqLen { get; init; }

    /// <summary>Micro-batch.</summary>
    [Description("Sequences per micro-batch. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "microBatch")]
    public string? MicroBatch { get; init; }

    /// <summary>Recomputation.</summary>
    [Description("Activation recomputation: none, selective (default) or full.")]
    [FromQuery(Name = "recompute")]
    public string? Recompute { get; init; }

    /// <summary>Method.</summary>
    [Description("full (default), lora or qlora.")]
    [FromQuery(Name = "method")]
    public string? Method { get; init; }

    /// <summary>LoRA rank.</summary>
    [Description("LoRA/QLoRA adapter rank. Default 16.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "loraRank")]
    public string? LoraRank { get; init; }

    /// <summary>ZeRO stage.</summary>
    [Description("ZeRO stage 0-3 (default: 1, raised when needed to fit).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "zero")]
    public string? Zero { get; init; }

    /// <summary>TP.</summary>
    [Description("Tensor-parallel degree (setting tp or pp fixes the layout).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tp")]
    public string? Tp { get; init; }

    /// <summary>PP.</summary>
    [Description("Pipeline stages.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "pp")]
    public string? Pp { get; init; }

    /// <summary>EP.</summary>
    [Description("Expert-parallel degree (MoE). Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ep")]
    public string? Ep { get; init; }

    /// <summary>MFU.</summary>
    [Description("Model FLOPs utilisation 0-1 instead of the fitted default.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "mfu")]
    public string? Mfu { get; init; }
}

/// <summary>The part of <see cref="TrainInput"/> that declares the money and energy terms and the distillation teacher (the same query parameters and JSON fields).</summary>
public abstract record TrainCostInput
{
    /// <summary>Rent.</summary>
    [Description("Rent per device-hour, e.g. '2.99 USD' (default: the catalog's price for the device).")]
    [FromQuery(Name = "rentPerHour")]
    public string? RentPerHour { get; init; }

    /// <summary>Tariff.</summary>
    [Description("Electricity: a price, e.g. '0.65 CNY/kWh', or a catalog region (default: the region for the currency, as plan and compare use: CN-industrial-average for CNY, US-VA-industrial for USD, EU-non-household-average for EUR).")]
    [FromQuery(Name = "tariff")]
    public string? Tariff { get; init; }

    /// <summary>Currency.</summary>
    [Description("Currency every price is converted into (USD, CNY, EUR) with the catalog's dated exchange rates, as /api/plan and /api/compare; without it each price stays in the currency its source gives.")]
    [FromQuery(Name = "currency")]
    public string? Currency { get; init; }

    /// <summary>PUE.</summary>
    [Description("Power usage effectiveness. Default 1.3.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "pue")]
    public string? Pue { get; init; }

    /// <summary>Grid intensity.</summary>
    [Description("Grid carbon intensity in kg CO2 per kWh, for emissions.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "gridKgPerKwh")]
    public string? GridKgPerKwh { get; init; }

    /// <summary>Teacher.</summary>
    [Description("Distillation: the teacher model that generates the tokens the student trains on.")]
    [FromQuery(Name = "teacher")]
    public string? Teacher { get; init; }

    /// <summary>Teacher device.</summary>
    [Description("Teacher's device (default: hardware).")]
    [FromQuery(Name = "teacherHardware")]
    public string? TeacherHardware { get; init; }

    /// <summary>Teacher devices.</summary>
    [Description("Devices of one teacher copy. Default 8.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "teacherDevices")]
    public string? TeacherDevices { get; init; }

    /// <summary>Teacher precision.</summary>
    [Description("Teacher weight format. Default bf16.")]
    [FromQuery(Name = "teacherPrecision")]
    public string? TeacherPrecision { get; init; }

    /// <summary>Teacher batch.</summary>
    [Description("Sequences the teacher generates at once. Default 64.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "teacherBatch")]
    public string? TeacherBatch { get; init; }

    /// <summary>Teacher prompt.</summary>
    [Description("Prompt tokens per generated sequence. Default 512.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "teacherPrompt")]
    public string? TeacherPrompt { get; init; }

    /// <summary>Teacher output.</summary>
    [Description("Output tokens per generated sequence. Default 512.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "teacherOutput")]
    public string? TeacherOutput { get; init; }
}

/// <summary>The inputs of <c>suanli chinchilla</c>.</summary>
public sealed record ChinchillaInput
{
    /// <summary>FLOP budget.</summary>
    [Description("FLOP budget, e.g. 5.76e23 (required).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "flops")]
    public string? Flops { get; init; }

    /// <summary>Parameters.</summary>
    [Description("Also predict the loss of a model of this many parameters, e.g. 70B.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "params")]
    public string? Params { get; init; }

    /// <summary>Tokens.</summary>
    [Description("Tokens for params (default: what the budget buys at 6ND), e.g. 1.4T.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tokens")]
    public string? Tokens { get; init; }
}

/// <summary><c>/api/train</c> and <c>/api/chinchilla</c>: the reports of <c>suanli train</c> and <c>suanli chinchilla</c>.</summary>
public static class TrainApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        ReportEndpoints.MapTimed<TrainInput, TrainJson>(api, "/train", "Train", "Training",
            "Training, fine-tuning (LoRA/QLoRA) and distillation: FLOPs, memory per device, time from a fitted MFU, energy, rent, electricity and capex (suanli train).",
            "The training estimate", "Use fewer devices.", (input, catalog, model, clock, cancel) => Train(input, catalog, model, clock, cancel));
        const string chinchilla = "Compute-optimal sizing (Hoffmann et al. 2022): loss-optimal parameters and tokens for a FLOP budget, the 20-tokens-per-parameter rule (suanli chinchilla).";
        api.MapGet("/chinchilla", ([AsParameters] ChinchillaInput input, string? format) => ReportResults.Render(Chinchilla(input), format))
            .WithName("Chinchilla").WithTags("Training").WithSummary(chinchilla)
            .Produces<ChinchillaJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/chinchilla", async (HttpRequest http, string? format, RequestBody body, CancellationToken ct) =>
                ReportResults.Render(Chinchilla(await body.ReadAsync<ChinchillaInput>(http, ct)), format))
            .WithName("ChinchillaPost").WithTags("Training").WithSummary(chinchilla + " Inputs as a JSON body.")
            .Accepts<ChinchillaInput>("application/json")
            .Produces<ChinchillaJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary>The report of <c>suanli chinchilla</c> for the same inputs.</summary>
    public static Report Chinchilla(ChinchillaInput input)
    {
        var budget = Flop.FromFlop(CountText.ParsePositive(Inputs.Required(input.Flops, "flops"), "flops"));
        double? n = Inputs.Text(input.Params, "params") is { } p ? CountText.ParsePositive(p, "params") : null;
        Tokens? d = Inputs.Text(input.Tokens, "tokens") is { } t ? Quantities.Tokens.FromCount(CountText.ParsePositive(t, "tokens")) : null;
        if (d is not null && n is null)
        {
            throw Inputs.Error("tokens", Phrase.Of("input-needs#params", "{field} needs {other}: give the model size whose loss to predict, e.g. params=70B&tokens=1.4T.",
                ("field", Inputs.Field("tokens")), ("other", Inputs.Field("params"))));
        }
        return ChinchillaReport.Build(budget, n, d);
    }

    /// <summary>The report of <c>suanli train</c> for the same inputs.</summary>
    /// <param name="input">The request's inputs.</param>
    /// <param name="catalog">The catalog.</param>
    /// <param name="stepModel">The step-time model (the distillation teacher's generation).</param>
    /// <param name="clock">Dates a rent given with the inputs.</param>
    /// <param name="cancel">Cancelled at the server's time limit or when the client goes away; the run observes it between its stages.</param>
    public static Report Train(TrainInput input, SuanliCatalog catalog, IStepTimeModel stepModel, TimeProvider clock, CancellationToken cancel = default)
    {
        var days = Inputs.Number(input.Days, "days", null, double.MinValue, double.MaxValue);
        if (days is not null && Inputs.Text(input.Devices, "devices") is not null)
        {
            throw Inputs.Error("days", Phrase.Of("input-devices-or-days", "Give {devices} (the days for that cluster) or {days} (the devices for that deadline), not both.",
                ("devices", Inputs.Field("devices")), ("days", Inputs.Field("days"))));
        }
        return TrainRun.Run(new TrainInputs
        {
            Model = Inputs.Required(input.Model, "model"),
            Hardware = Inputs.Required(input.Hardware, "hardware"),
            Devices = Inputs.Count(input.Devices, "devices", 8, 1, TrainingPlanner.MaxDevices),
            Precision = Inputs.Text(input.Precision, "precision") ?? "bf16",
            SeqLen = Inputs.OptionalCount(input.SeqLen, "seqLen", 1, FootprintRequest.MaxContext, CountUnit.Tokens),
            MicroBatch = Inputs.Count(input.MicroBatch, "microBatch", 1, 1, 100_000),
            Recompute = Enum<Recompute>(input.Recompute, "recompute", Training.Recompute.Selective),
            Method = Enum<TrainingMethod>(input.Method, "method", TrainingMethod.Full),
            LoraRank = Inputs.Count(input.LoraRank, "loraRank", 16, 1, 65_536),
            Zero = Int(input.Zero, "zero"),
            Tp = Int(input.Tp, "tp"),
            Pp = Int(input.Pp, "pp"),
            Ep = Int(input.Ep, "ep") ?? 1,
            Mfu = Inputs.Number(input.Mfu, "mfu", null, double.MinValue, double.MaxValue),
            Tokens = Inputs.Text(input.Tokens, "tokens"),
            Flops = Inputs.Text(input.Flops, "flops"),
            BudgetUsd = Inputs.Text(input.BudgetUsd, "budgetUsd"),
            Days = days,
            Pricing = new()
            {
                RentPerHour = Inputs.Text(input.RentPerHour, "rentPerHour"),
                Tariff = Inputs.Text(input.Tariff, "tariff"),
                Currency = Inputs.Text(input.Currency, "currency"),
                Pue = Inputs.Number(input.Pue, "pue", CostInputs.DefaultPue, double.MinValue, double.MaxValue)!.Value,
                GridKgPerKwh = Inputs.Number(input.GridKgPerKwh, "gridKgPerKwh", null, double.MinValue, double.MaxValue),
            },
            Distillation = new()
            {
                Teacher = Inputs.Text(input.Teacher, "teacher"),
                Hardware = Inputs.Text(input.TeacherHardware, "teacherHardware"),
                Devices = Inputs.Count(input.TeacherDevices, "teacherDevices", 8, 1, MemoryModel.MaxDevicesSearched),
                Precision = Inputs.Text(input.TeacherPrecision, "teacherPrecision") ?? "bf16",
                Batch = Inputs.Count(input.TeacherBatch, "teacherBatch", 64, 1, 100_000),
                Prompt = Inputs.Count(input.TeacherPrompt, "teacherPrompt", 512, 1, FootprintRequest.MaxContext, CountUnit.Tokens),
                Output = Inputs.Count(input.TeacherOutput, "teacherOutput", 512, 1, FootprintRequest.MaxContext, CountUnit.Tokens),
            },
        }, catalog, stepModel, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancel: cancel);
    }

    private static int? Int(string? text, string field) => Inputs.Whole(text, field, int.MinValue, int.MaxValue) is { } v ? (int)v : null;

    private static T Enum<T>(string? text, string field, T defaultValue)
        where T : struct, System.Enum
    {
        var t = Inputs.Text(text, field);
        if (t is null)
        {
            return defaultValue;
        }
        return !char.IsAsciiDigit(t[0]) && !t.StartsWith('-') && System.Enum.TryParse<T>(t, true, out var v) && System.Enum.IsDefined(v) ? v
            : throw Inputs.Error(field, Phrase.Of("input-one-of", "{field} must be one of {values}, got '{value}'.",
                ("field", Inputs.Field(field)), ("values", PhraseList.Words(System.Enum.GetNames<T>().Select(x => x.ToLowerInvariant()))), ("value", RequestBody.Clip(t))));
    }
}
