using Suanli.Quantities;
using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>The inputs of <c>suanli memory</c>, as query parameters or a JSON body. Counts accept 32k = 32,768.</summary>
public sealed record MemoryInput
{
    /// <summary>Catalog id, Hugging Face repo id or alias (files on the server are not read).</summary>
    [Description("Model: catalog id, Hugging Face repo id or alias, e.g. qwen2-72b or Qwen/Qwen2-72B.")]
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format: fp32, bf16, fp16, fp8, int8, int4, int4-g32, fp4, mxfp4, q8_0, q4_0, q4_k_m, or experts+rest (mxfp4+bf16). Default: the released checkpoint's (fp8 for DeepSeek-V3, mxfp4+bf16 for gpt-oss, bf16 for most).")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>KV-cache format.</summary>
    [Description("KV-cache format: fp32, bf16, fp16, fp8, int8. Default: the weight format if it is one of these, else bf16.")]
    [FromQuery(Name = "kvPrecision")]
    public string? KvPrecision { get; init; }

    /// <summary>Tokens per sequence.</summary>
    [Description("Tokens per sequence (prompt plus output), e.g. 4096 or 32k. Default 4096.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "context")]
    public string? Context { get; init; }

    /// <summary>Sequences held at once.</summary>
    [Description("Sequences held at once. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "batch")]
    public string? Batch { get; init; }

    /// <summary>Device id or alias.</summary>
    [Description("Device id or alias; adds the fit and the layouts.")]
    [FromQuery(Name = "hardware")]
    public string? Hardware { get; init; }

    /// <summary>Devices available.</summary>
    [Description("Devices you have, for the 'fits' answer. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }
}

/// <summary><c>GET|POST /api/memory</c>: the report of <c>suanli memory</c> for the same inputs.</summary>
public static class MemoryApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string summary = "Memory of one model copy: weights, KV cache, activations, overhead; the 1.2 x rule beside it; fewest devices and valid layouts (suanli memory).";
        api.MapGet("/memory", ([AsParameters] MemoryInput input, string? format, SuanliCatalog catalog) => ReportResults.Render(Build(input, catalog), format))
            .WithName("Memory").WithTags("Memory").WithSummary(summary)
            .Produces<MemoryJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/memory", async (HttpRequest http, string? format, SuanliCatalog catalog, RequestBody body, CancellationToken ct) =>
                ReportResults.Render(Build(await body.ReadAsync<MemoryInput>(http, ct), catalog), format))
            .WithName("MemoryPost").WithTags("Memory").WithSummary(summary + " Inputs as a JSON body.")
            .Accepts<MemoryInput>("application/json")
            .Produces<MemoryJson>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>Parses the inputs with the CLI's defaults and builds the same report as <c>suanli memory</c>.</summary>
    public static Report Build(MemoryInput input, SuanliCatalog catalog)
    {
        var entry = catalog.Model(Inputs.Required(input.Model, "model"), "model");
        // Without a precision, the released checkpoint's format, as `suanli memory` defaults (fp8 for DeepSeek-V3).
        var (weights, kv) = Formats(input.Precision, input.KvPrecision, entry.DefaultPrecision);
        var device = Inputs.Text(input.Hardware, "hardware") is { } h ? catalog.Device(h, "hardware") : null;
        var context = Inputs.Count(input.Context, "context", 4096, 1, FootprintRequest.MaxContext, CountUnit.Tokens);
        var batch = Inputs.Count(input.Batch, "batch", 1, 1, FootprintRequest.MaxBatch);
        var devices = Inputs.Count(input.Devices, "devices", 1, 1, MemoryModel.MaxDevicesSearched);
        var request = MemoryReport.Request(entry, weights, kv, context, batch, device);
        return MemoryReport.Build(request, device, devices);
    }

    /// <summary>Weight and KV formats with the CLI's default: the KV cache follows the weights when it can, else bf16.</summary>
    public static (WeightPrecision Weights, NumberFormat Kv) Formats(string? precision, string? kvPrecision, string defaultPrecision = "bf16")
    {
        var weights = WeightPrecision.Parse(Inputs.Text(precision, "precision") ?? defaultPrecision, "precision");
        var kv = Inputs.Text(kvPrecision, "kvPrecision") is { } k
            ? NumberFormat.Parse(k, "kvPrecision", NumberFormat.KvFormats)
            : weights.KvDefault;
        return (weights, kv);
    }
}
