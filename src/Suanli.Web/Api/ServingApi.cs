using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Reports;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// The inputs of <c>suanli simulate</c> and <c>suanli capacity</c> (the CLI's options in camelCase). A trace file has
/// no web equivalent: the web never reads files named by a client.
/// </summary>
public sealed record ServingInput
{
    /// <summary>Model.</summary>
    [Description("Model: catalog id, Hugging Face repo id or alias (required).")]
    [FromQuery(Name = "model")]
    public string? Model { get; init; }

    /// <summary>Device.</summary>
    [Description("Device id or alias (required).")]
    [FromQuery(Name = "hardware")]
    public string? Hardware { get; init; }

    /// <summary>Devices of one replica.</summary>
    [Description("Devices of one replica (the widest valid tensor-parallel layout is used). Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format (default bf16).")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>KV-cache format.</summary>
    [Description("KV-cache format (default: the weight format if valid for KV, else bf16).")]
    [FromQuery(Name = "kvPrecision")]
    public string? KvPrecision { get; init; }

    /// <summary>Engine.</summary>
    [Description("Engine: vllm (default), sglang, trtllm, llamacpp, transformers.")]
    [FromQuery(Name = "engine")]
    public string? Engine { get; init; }

    /// <summary>Poisson arrivals per second.</summary>
    [Description("Poisson arrivals, requests per second (give rate or concurrency).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "rate")]
    public string? Rate { get; init; }

    /// <summary>Closed-loop clients.</summary>
    [Description("Closed loop of this many clients.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "concurrency")]
    public string? Concurrency { get; init; }

    /// <summary>Prompt tokens.</summary>
    [Description("Prompt tokens: 512, uniform:256:1024, normal:512:128, lognormal:mean=800,sd=400 or empirical:100,200,4000 (required).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "input")]
    public string? Input { get; init; }

    /// <summary>Output tokens.</summary>
    [Description("Output tokens, same forms as input (required).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }

    /// <summary>Think time.</summary>
    [Description("Seconds a closed-loop client waits between a response and its next request. Default 0.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "thinkTime")]
    public string? ThinkTime { get; init; }

    /// <summary>Requests.</summary>
    [Description("Requests to issue (default 2,000 unless duration is given).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "requests")]
    public string? Requests { get; init; }

    /// <summary>Duration.</summary>
    [Description("Seconds of arrivals to simulate.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "duration")]
    public string? Duration { get; init; }

    /// <summary>Seed.</summary>
    [Description("Random seed; the same seed gives the same run. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "seed")]
    public string? Seed { get; init; }

    /// <summary>Target.</summary>
    [Description("Target: time to first token at p90, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftP90")]
    public string? TtftP90 { get; init; }

    /// <summary>Target.</summary>
    [Description("Target: time per output token at p90, seconds (0.1 = 100 ms).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotP90")]
    public string? TpotP90 { get; init; }

    /// <summary>Target.</summary>
    [Description("Target: end-to-end latency at p90, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "e2eP90")]
    public string? E2eP90 { get; init; }

    /// <summary>Target.</summary>
    [Description("Target: time to first token at p99, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftP99")]
    public string? TtftP99 { get; init; }

    /// <summary>Target.</summary>
    [Description("Target: time per output token at p99, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotP99")]
    public string? TpotP99 { get; init; }

    /// <summary>Target.</summary>
    [Description("Target: end-to-end latency at p99, seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "e2eP99")]
    public string? E2eP99 { get; init; }

    /// <summary>Engine limit.</summary>
    [Description("Most running sequences (default: vLLM's for the device).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "maxNumSeqs")]
    public string? MaxNumSeqs { get; init; }

    /// <summary>Engine limit.</summary>
    [Description("Most tokens per step, also the prefill chunk (default: vLLM's for the device).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "maxBatchedTokens")]
    public string? MaxBatchedTokens { get; init; }

    /// <summary>Engine setting.</summary>
    [Description("Tokens per KV-cache block. Default 16.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "blockSize")]
    public string? BlockSize { get; init; }

    /// <summary>Engine setting.</summary>
    [Description("Fraction of device memory the engine uses. Default 0.9.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "gpuMemoryUtilization")]
    public string? GpuMemoryUtilization { get; init; }

    /// <summary>Engine setting.</summary>
    [Description("Fraction of each prompt served from the prefix cache, 0 to 1. Default 0.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "prefixHitRate")]
    public string? PrefixHitRate { get; init; }

    /// <summary>Capacity only: what to vary.</summary>
    [Description("capacity only: vary the Poisson rate (rate, default) or the closed-loop concurrency (concurrency).")]
    [FromQuery(Name = "mode")]
    public string? Mode { get; init; }
}

/// <summary>
/// <c>GET|POST /api/simulate</c> and <c>/api/capacity</c>: the reports of <c>suanli simulate</c> and
/// <c>suanli capacity</c>, run under the server's time limit.
/// </summary>
public static class ServingApi
{

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string simulate = "One replica under a load with continuous batching: TTFT, TPOT, end-to-end and queueing percentiles, throughput, goodput, batch and KV use (suanli simulate).";
        const string capacity = "The largest request rate or concurrency one replica sustains with the targets met, by a bracketing search on the simulator (suanli capacity).";
        foreach (var (path, name, summary) in new[] { ("/simulate", "Simulate", simulate), ("/capacity", "Capacity", capacity) })
        {
            var isCapacity = name == "Capacity";
            api.MapGet(path, ([AsParameters] ServingInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct) =>
                    Run(isCapacity, input, format, catalog, model, limit, ct))
                .WithName(name).WithTags("Serving").WithSummary(summary)
                .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
            api.MapPost(path, async (HttpRequest http, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, RequestBody body, CancellationToken ct) =>
                    await Run(isCapacity, await body.ReadAsync<ServingInput>(http, ct), format, catalog, model, limit, ct))
                .WithName(name + "Post").WithTags("Serving").WithSummary(summary + " Inputs as a JSON body.")
                .Accepts<ServingInput>("application/json")
                .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static async Task<IResult> Run(bool capacity, ServingInput input, string? format, SuanliCatalog catalog, IStepTimeModel model, TimeLimit limit, CancellationToken ct)
    {
        ReportResults.CheckFormat(format);
        var report = capacity
            ? await limit.RunAsync("The capacity search", "Simulate fewer requests (requests) or a shorter duration.", _ => Capacity(input, catalog, model), ct)
            : await limit.RunAsync("The simulation", "Simulate fewer requests (requests) or a shorter duration.", _ => Simulate(input, catalog, model), ct);
        return ReportResults.Render(report, format);
    }

    /// <summary>The report of <c>suanli simulate</c> for the same inputs.</summary>
    public static Report Simulate(ServingInput input, SuanliCatalog catalog, IStepTimeModel model)
    {
        var deployment = Deployment(input, catalog);
        var engine = EngineConfig(input, deployment);
        var workload = Workload(input, loadRequired: true);
        return SimulateReport.Build(ServingSimulator.Run(deployment, workload, engine, model, Targets(input)));
    }

    /// <summary>The report of <c>suanli capacity</c> for the same inputs.</summary>
    public static Report Capacity(ServingInput input, SuanliCatalog catalog, IStepTimeModel model)
    {
        var deployment = Deployment(input, catalog);
        var engine = EngineConfig(input, deployment);
        var modeName = (Inputs.Text(input.Mode, "mode") ?? "rate").ToLowerInvariant();
        var mode = modeName switch
        {
            "rate" => CapacityMode.Rate,
            "concurrency" => CapacityMode.Concurrency,
            _ => throw new InputException("mode", $"Unknown mode '{RequestBody.Clip(modeName)}'. Use rate or concurrency."),
        };
        var workload = Workload(input, loadRequired: false);
        var targets = Targets(input);
        var result = CapacitySearch.Run(deployment, workload, engine, model, targets, mode, catalog.Models);
        return CapacityReport.Build(result, deployment, targets);
    }

    private static Deployment Deployment(ServingInput input, SuanliCatalog catalog)
    {
        var model = catalog.Model(Inputs.Required(input.Model, "model"), "model");
        var device = catalog.Device(Inputs.Required(input.Hardware, "hardware"), "hardware");
        var (weights, kv) = MemoryApi.Formats(input.Precision, input.KvPrecision);
        var n = Inputs.Count(input.Devices, "devices", 1, 1, MemoryModel.MaxDevicesSearched);
        var layouts = Layouts.On(model.Architecture, n);
        if (layouts.Count == 0)
        {
            throw new InputException("devices", $"{model.Id} has no valid layout on exactly {n.ToString(CultureInfo.InvariantCulture)} devices; try a power of two.");
        }
        var engineName = Inputs.Text(input.Engine, "engine") ?? "vllm";
        return new Deployment(model, device, layouts[0], weights, kv, ParseEngine(engineName));
    }

    private static EngineConfig EngineConfig(ServingInput input, Deployment d)
    {
        var e = Suanli.Serving.EngineConfig.Default(d.Engine, d.Device);
        return (e with
        {
            MaxNumSeqs = Int(input.MaxNumSeqs, "maxNumSeqs") ?? e.MaxNumSeqs,
            MaxBatchedTokens = Int(input.MaxBatchedTokens, "maxBatchedTokens") ?? e.MaxBatchedTokens,
            BlockSize = Int(input.BlockSize, "blockSize") ?? 16,
            GpuMemoryUtilization = Inputs.Number(input.GpuMemoryUtilization, "gpuMemoryUtilization", 0.9, double.MinValue, double.MaxValue)!.Value,
            PrefixCacheHitRate = Inputs.Number(input.PrefixHitRate, "prefixHitRate", 0, double.MinValue, double.MaxValue)!.Value,
        }).Validated();
    }

    private static ServingTargets Targets(ServingInput input)
    {
        double? S(string? text, string field) => Inputs.Number(text, field, null, double.MinValue, double.MaxValue);
        var p90 = (S(input.TtftP90, "ttftP90"), S(input.TpotP90, "tpotP90"), S(input.E2eP90, "e2eP90"));
        var p99 = (S(input.TtftP99, "ttftP99"), S(input.TpotP99, "tpotP99"), S(input.E2eP99, "e2eP99"));
        var has90 = p90.Item1 is not null || p90.Item2 is not null || p90.Item3 is not null;
        var has99 = p99.Item1 is not null || p99.Item2 is not null || p99.Item3 is not null;
        if (has90 && has99)
        {
            throw new InputException("ttftP99", "Targets apply at one percentile: give the *P90 targets or the *P99 targets, not both.");
        }
        return has99
            ? ServingTargets.FromSeconds(p99.Item1, p99.Item2, p99.Item3, Percentile.P99)
            : ServingTargets.FromSeconds(p90.Item1, p90.Item2, p90.Item3, Percentile.P90);
    }

    private static Workload Workload(ServingInput input, bool loadRequired)
    {
        var rate = Inputs.Number(input.Rate, "rate", null, double.MinValue, double.MaxValue);
        var concurrency = Int(input.Concurrency, "concurrency");
        var given = (rate is null ? 0 : 1) + (concurrency is null ? 0 : 1);
        if (given > 1 || (given == 0 && loadRequired))
        {
            throw new InputException("rate", "Give exactly one load: rate (Poisson requests per second) or concurrency (closed loop).");
        }
        var input0 = Inputs.Text(input.Input, "input") ?? throw new InputException("input", "input is required (prompt tokens, e.g. input=512 or input=uniform:256:1024).");
        var output0 = Inputs.Text(input.Output, "output") ?? throw new InputException("output", "output is required (output tokens, e.g. output=256 or output=lognormal:mean=300,sd=150).");
        var prompt = ServingText.ParseLength(input0, "input");
        var output = ServingText.ParseLength(output0, "output");
        var duration = Inputs.Number(input.Duration, "duration", null, double.MinValue, double.MaxValue) is { } s
            ? Quantities.Duration.FromSeconds(Guard.Positive(s, "duration")) : (Quantities.Duration?)null;
        var requests = Int(input.Requests, "requests") ?? (duration is null ? Suanli.Serving.Workload.DefaultRequests : Suanli.Serving.Workload.MaxRequests);
        var seed = (ulong)(Inputs.Whole(input.Seed, "seed", 0, long.MaxValue) ?? 1);
        var think = Quantities.Duration.FromSeconds(Guard.NonNegative(Inputs.Number(input.ThinkTime, "thinkTime", 0, double.MinValue, double.MaxValue)!.Value, "thinkTime"));
        return concurrency is { } c
            ? Suanli.Serving.Workload.ClosedLoop(c, prompt, output, think, seed, requests, duration)
            : Suanli.Serving.Workload.Poisson(rate ?? 1, prompt, output, seed, requests, duration);
    }

    // The CLI's int options take any int and leave the range to the core, which names the option.
    private static int? Int(string? text, string field) => Inputs.Whole(text, field, int.MinValue, int.MaxValue) is { } v ? (int)v : null;

    private static Engine ParseEngine(string name) => name.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
    {
        "vllm" => StepTime.Engine.Vllm,
        "sglang" => StepTime.Engine.Sglang,
        "trtllm" or "tensorrtllm" => StepTime.Engine.TrtLlm,
        "llamacpp" => StepTime.Engine.LlamaCpp,
        "transformers" or "hf" => StepTime.Engine.Transformers,
        _ => throw new InputException("engine", $"Unknown engine '{RequestBody.Clip(name)}'. Use vllm, sglang, trtllm, llamacpp or transformers."),
    };
}
