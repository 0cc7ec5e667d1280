using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Reports;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>The inputs of <c>suanli perf</c>, as query parameters or a JSON body.</summary>
public sealed record PerfInput
{
    /// <summary>Catalog id, Hugging Face repo id or alias.</summary>
    [Description("Model: catalog id, Hugging Face repo id or alias (required).")]
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Device id or alias.</summary>
    [Description("Device id or alias (required).")]
    [FromQuery(Name = "hardware")]
    public string? Hardware { get; init; }

    /// <summary>Devices of one replica.</summary>
    [Description("Devices of one replica. Default: tp x pp when given, else 1 (the widest valid tensor-parallel layout on them).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Tensor-parallel degree.</summary>
    [Description("Tensor-parallel degree. Default: the widest valid on the devices.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tp")]
    public string? Tp { get; init; }

    /// <summary>Pipeline stages.</summary>
    [Description("Pipeline stages. Default: devices / tp.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "pp")]
    public string? Pp { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format (default bf16).")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>KV-cache format.</summary>
    [Description("KV-cache format (default: the weight format if valid for KV, else bf16).")]
    [FromQuery(Name = "kvPrecision")]
    public string? KvPrecision { get; init; }

    /// <summary>Prompt tokens.</summary>
    [Description("Prompt tokens per request, e.g. 1024 or 2k. Default 1024.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "input")]
    public string? Input { get; init; }

    /// <summary>Output tokens.</summary>
    [Description("Output tokens per request. Default 256.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }

    /// <summary>Batch sizes.</summary>
    [Description("Batch sizes, comma-separated, e.g. 1,8,64 (the default).")]
    [FromQuery(Name = "batch")]
    public string? Batch { get; init; }

    /// <summary>Engine.</summary>
    [Description("Engine: vllm (default), trtllm, sglang, llamacpp or transformers.")]
    [FromQuery(Name = "engine")]
    public string? Engine { get; init; }
}

/// <summary>
/// <c>GET|POST /api/perf</c>: the report of <c>suanli perf</c> (TTFT, TPOT, tokens/s per replica and per device,
/// bottleneck, MFU and MBU per batch size) from the registered <see cref="IStepTimeModel"/>.
/// </summary>
public static class PerfApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string summary = "TTFT (prefill alone), TPOT, output tokens/s per replica and per device, bottleneck, MFU and MBU for each batch size (suanli perf).";
        api.MapGet("/perf", ([AsParameters] PerfInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct) =>
                Run(input, format, catalog, model, limit, ct))
            .WithName("Perf").WithTags("Performance").WithSummary(summary)
            .Produces<PerfJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/perf", async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, RequestBody body, CancellationToken ct) =>
                await Run(await body.ReadAsync<PerfInput>(http, ct), format, catalog, model, limit, ct))
            .WithName("PerfPost").WithTags("Performance").WithSummary(summary + " Inputs as a JSON body.")
            .Accepts<PerfInput>("application/json")
            .Produces<PerfJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> Run(PerfInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct)
    {
        var report = await limit.RunAsync("The performance report", "Ask for fewer batch sizes.", _ => Build(input, catalog, model), ct);
        return ReportResults.Render(report, format);
    }

    /// <summary>Parses the inputs with the CLI's defaults and builds the same report as <c>suanli perf</c>.</summary>
    public static Report Build(PerfInput input, SuanliCatalog catalog, IStepTimeModel model)
    {
        var entry = catalog.Model(Inputs.Required(input.Model, "model"), "model");
        var device = catalog.Device(Inputs.Required(input.Hardware, "hardware"), "hardware");
        var (weights, kv) = MemoryApi.Formats(input.Precision, input.KvPrecision);
        var engineName = Inputs.Text(input.Engine, "engine") ?? "vllm";
        var engine = CalibrationFiles.ParseEngine(engineName)
            ?? throw new InputException("engine", $"Unknown engine '{RequestBody.Clip(engineName)}' for engine. Use one of vllm, trtllm, sglang, llamacpp, transformers.");
        int? devices = input.Devices is null ? null : Inputs.Count(input.Devices, "devices", 1, 1, MemoryModel.MaxDevicesSearched);
        int? tp = input.Tp is null ? null : Inputs.Count(input.Tp, "tp", 1, 1, Layouts.MaxTensorParallel);
        int? pp = input.Pp is null ? null : Inputs.Count(input.Pp, "pp", 1, 1, 1024);
        var layout = ChooseLayout(entry, devices, tp, pp);
        var prompt = Inputs.Count(input.Input, "input", 1024, 1, FootprintRequest.MaxContext);
        var output = Inputs.Count(input.Output, "output", 256, 1, FootprintRequest.MaxContext);
        var batches = ParseBatches(Inputs.Text(input.Batch, "batch") ?? "1,8,64");
        var defaults = model is CalibratedStepTimeModel cm ? cm.DefaultsFor(engine) : CalibrationFiles.Embedded.DefaultsFor(engine);
        return PerfReport.Build(model, new Deployment(entry, device, layout, weights, kv, engine), prompt, output, batches, defaults);
    }

    /// <summary>The layout as <c>suanli perf</c> chooses it: tp/pp checked against the model, else the widest valid TP on the devices.</summary>
    public static Layout ChooseLayout(ModelEntry entry, int? devices, int? tp, int? pp)
    {
        var a = entry.Architecture;
        if (tp is not null || pp is not null)
        {
            var n = devices ?? (tp ?? 1) * (pp ?? 1);
            var t = tp ?? Math.Max(1, n / (pp ?? 1));
            var p = pp ?? Math.Max(1, n / t);
            if (t * p != n)
            {
                throw new InputException("devices", $"tp {t.ToString(CultureInfo.InvariantCulture)} x pp {p.ToString(CultureInfo.InvariantCulture)} is {(t * p).ToString(CultureInfo.InvariantCulture)} devices, not devices {n.ToString(CultureInfo.InvariantCulture)}; make tp x pp equal the device count.");
            }
            return Layouts.Validate(a, t, p, entry.Id);
        }
        var count = devices ?? 1;
        var layouts = Layouts.On(a, count);
        return layouts.Count > 0 ? layouts[0]
            : throw new InputException("devices", $"No valid TP/PP layout of {entry.Id} uses exactly {count.ToString(CultureInfo.InvariantCulture)} devices; try a device count that the {a.Heads.ToString(CultureInfo.InvariantCulture)} attention heads or {a.Layers.ToString(CultureInfo.InvariantCulture)} layers divide.");
    }

    /// <summary>Parses "1,8,64"; each value 1 to 100,000.</summary>
    public static IReadOnlyList<int> ParseBatches(string text)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) || b < 1 || b > FootprintRequest.MaxBatch)
            {
                throw new InputException("batch", $"batch values must be whole numbers from 1 to {FootprintRequest.MaxBatch.ToString("N0", CultureInfo.InvariantCulture)}, got '{RequestBody.Clip(part)}'. Example: batch=1,8,64.");
            }
            list.Add(b);
        }
        return list.Count > 0 ? list : throw new InputException("batch", "batch needs at least one batch size, e.g. batch=1,8,64.");
    }
}
