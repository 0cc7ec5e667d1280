using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO.Reports;
using Suanli.StepTime;
using Suanli.Web.Http;
using Suanli.Web.Interim;

namespace Suanli.Web.Api;

/// <summary>The inputs of the throughput-versus-latency sweep.</summary>
public sealed record PerfInput
{
    /// <summary>Catalog id, Hugging Face repo id or alias.</summary>
    [Description("Model: catalog id, Hugging Face repo id or alias.")]
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format (default bf16).")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>KV-cache format.</summary>
    [Description("KV-cache format (default: the weight format if valid for KV, else bf16).")]
    [FromQuery(Name = "kvPrecision")]
    public string? KvPrecision { get; init; }

    /// <summary>Device id or alias.</summary>
    [Description("Device id or alias (required).")]
    [FromQuery(Name = "hardware")]
    public string? Hardware { get; init; }

    /// <summary>Devices of one copy.</summary>
    [Description("Devices of one model copy; the widest valid tensor-parallel layout on them is used. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Prompt tokens.</summary>
    [Description("Prompt tokens per request, e.g. 1024 or 2k. Default 1024.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "prompt")]
    public string? Prompt { get; init; }

    /// <summary>Output tokens.</summary>
    [Description("Output tokens per request. Default 256.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }
}

/// <summary>
/// <c>GET|POST /api/perf</c>: step times, throughput and latency over batch sizes 1 to 256 from the registered
/// <see cref="IStepTimeModel"/>. Interim: the <c>suanli perf</c> report builder replaces <see cref="PerfSweepReport"/>.
/// </summary>
public static class PerfApi
{
    /// <summary>Largest output length accepted.</summary>
    public const int MaxOutput = 1_000_000;

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string summary = "Prefill time, decode step, output tokens/s and tokens/s per sequence for batches 1 to 256 (throughput vs latency), from the server's step-time model.";
        api.MapGet("/perf", ([AsParameters] PerfInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct) =>
                Run(input, format, catalog, model, limit, ct))
            .WithName("Perf").WithTags("Performance").WithSummary(summary)
            .Produces<PerfSweepJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/perf", async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, RequestBody body, CancellationToken ct) =>
                await Run(await body.ReadAsync<PerfInput>(http, ct), format, catalog, model, limit, ct))
            .WithName("PerfPost").WithTags("Performance").WithSummary(summary + " Inputs as a JSON body.")
            .Accepts<PerfInput>("application/json")
            .Produces<PerfSweepJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> Run(PerfInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct)
    {
        var (deployment, prompt, output) = Parse(input, catalog);
        // The sweep is fast; running it under the limit is the pattern the long operations (optimize, simulate) follow.
        var report = await limit.RunAsync("The performance sweep", "Use fewer batch sizes or a smaller model.",
            cancel => PerfSweepReport.Build(model, deployment, prompt, output, RuntimeReserve.Default, cancel), ct);
        return ReportResults.Render(report, format);
    }

    /// <summary>Parses and checks the inputs into a deployment (widest valid TP layout on the devices) and the token counts.</summary>
    public static (Deployment Deployment, int Prompt, int Output) Parse(PerfInput input, SuanliCatalog catalog)
    {
        var entry = catalog.Model(Inputs.Required(input.Model, "model"), "model");
        var device = catalog.Device(Inputs.Required(input.Hardware, "hardware"), "hardware");
        var (weights, kv) = MemoryApi.Formats(input.Precision, input.KvPrecision);
        var devices = Inputs.Count(input.Devices, "devices", 1, 1, Layouts.MaxTensorParallel * 8);
        var prompt = Inputs.Count(input.Prompt, "prompt", 1024, 1, FootprintRequest.MaxContext);
        var output = Inputs.Count(input.Output, "output", 256, 1, MaxOutput);
        if ((long)prompt + output > FootprintRequest.MaxContext)
        {
            throw new InputException("output", $"prompt + output must be at most {Show.N(FootprintRequest.MaxContext)} tokens, got {Show.N((long)prompt + output)}.");
        }
        var layouts = Layouts.On(entry.Architecture, devices);
        if (layouts.Count == 0)
        {
            throw new InputException("devices", $"{entry.Id} has no valid layout on {devices} devices (its {entry.Architecture.Heads} attention heads and {entry.Architecture.Layers} layers must divide over them). Try 1, 2, 4 or 8.");
        }
        return (new Deployment(entry, device, layouts[0], weights, kv, Engine.Vllm), prompt, output);
    }
}
