using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>
/// The inputs of <c>suanli simulate</c> and <c>suanli capacity</c> (the CLI's options in camelCase). A trace file has
/// no web equivalent: the web never reads files named by a client.
/// </summary>
/// <remarks>The inputs are declared in two records so that neither holds more than 20 (issue 17's limit); the
/// API sees one flat set of query parameters and JSON fields either way: <see cref="ServingLoadInput"/> declares the load, the latency targets and the engine settings.</remarks>
public record ServingInput : ServingLoadInput
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
    [Description("Devices of one replica (the widest valid tensor parallel within one node, pipeline stages over nodes; llama.cpp splits layers). Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, MemoryModel.MaxDevicesSearched)]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Devices of the whole system.</summary>
    [Description("Devices of the whole system, split into data-parallel replicas of tp x pp (pinned by tp, pp, replicas, dpAttention where given, else chosen, for simulate the split with the most output tokens/s per device at the load, for capacity the largest load per device meeting the targets, tensor parallel within one node); the load is spread evenly over the replicas and figures are for the system. Not with devices.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, MemoryModel.MaxDevicesSearched)]
    [FromQuery(Name = "systemDevices")]
    public string? SystemDevices { get; init; }

    /// <summary>Tensor-parallel degree.</summary>
    [Description("With systemDevices: tensor-parallel degree of each replica. Default: chosen.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, Layouts.MaxTensorParallel)]
    [FromQuery(Name = "tp")]
    public string? Tp { get; init; }

    /// <summary>Pipeline stages.</summary>
    [Description("With systemDevices: pipeline stages of each replica. Default: chosen.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, Layouts.MaxPipelineStages)]
    [FromQuery(Name = "pp")]
    public string? Pp { get; init; }

    /// <summary>Data-parallel replicas of the system.</summary>
    [Description("With systemDevices: data-parallel replicas. Default: chosen.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, MemoryModel.MaxDevicesSearched)]
    [FromQuery(Name = "replicas")]
    public string? Replicas { get; init; }

    /// <summary>Data-parallel attention ranks.</summary>
    [Description("With systemDevices: data-parallel attention ranks of each replica (mixture-of-experts models).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, Layouts.MaxTensorParallel)]
    [FromQuery(Name = "dpAttention")]
    public string? DpAttention { get; init; }

    /// <summary>Whether the chosen split may use pipeline stages within one node.</summary>
    [Description("true: with systemDevices and no pp, let the chosen split use 2 or 4 pipeline stages within one node beside the splits without stages, as --pp-in-node. Default false.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ppInNode")]
    public string? PpInNode { get; init; }

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
}

/// <summary>The part of <see cref="ServingInput"/> that declares the load (the same query parameters and JSON fields); the targets and engine settings follow in <see cref="ServingTargetInput"/>.</summary>
public abstract record ServingLoadInput : ServingTargetInput
{
    /// <summary>Poisson arrivals per second.</summary>
    [Description("Poisson arrivals, requests per second (give rate or concurrency), 0.000001 to 10,000,000.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "rate")]
    public string? Rate { get; init; }

    /// <summary>Closed-loop clients.</summary>
    [Description("Closed loop of this many clients, 1 to 1,000,000.")]
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

    /// <summary>When a closed loop's clients start.</summary>
    [Description("When a closed loop's clients send their first requests: together (every client at time 0, as a benchmark client does; the default) or staggered (client c of N at c gaps of one client's cycle alone over N, the rule a plan sizes its concurrency demand with), as --start. Only with concurrency (simulate) or mode=concurrency (capacity).")]
    [FromQuery(Name = "start")]
    public string? Start { get; init; }

    /// <summary>Requests.</summary>
    [Description("Requests to issue (default 2,000 unless duration is given).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "requests")]
    public string? Requests { get; init; }

    /// <summary>Duration.</summary>
    [Description("Seconds of arrivals to simulate.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(0, Workload.MaxDurationSeconds, MinimumIsExclusive = true)]
    [FromQuery(Name = "duration")]
    public string? Duration { get; init; }

    /// <summary>Seed.</summary>
    [Description("Random seed; the same seed gives the same run. Default 1.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "seed")]
    public string? Seed { get; init; }
}

/// <summary>The part of <see cref="ServingInput"/> that declares the latency targets, each at its percentile, and the engine settings.</summary>
public abstract record ServingTargetInput : SpeculationInput
{
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

    /// <summary>Target at a stated percentile.</summary>
    [Description("Target: time to first token at ttftPercentile (default p90), seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttft")]
    public string? Ttft { get; init; }

    /// <summary>Target at a stated percentile.</summary>
    [Description("Target: time per output token at tpotPercentile (default p90), seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpot")]
    public string? Tpot { get; init; }

    /// <summary>Target at a stated percentile.</summary>
    [Description("Target: end-to-end latency at e2ePercentile (default p90), seconds.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "e2e")]
    public string? E2e { get; init; }

    /// <summary>The percentile of ttft.</summary>
    [Description("Percentile ttft is checked at, above 0 and below 100 (95, 99, 99.9); the window needs 10 measured requests beyond it.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftPercentile")]
    public string? TtftPercentile { get; init; }

    /// <summary>The percentile of tpot.</summary>
    [Description("Percentile tpot is checked at, above 0 and below 100 (95, 99, 99.9); the window needs 10 measured requests beyond it.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tpotPercentile")]
    public string? TpotPercentile { get; init; }

    /// <summary>The percentile of e2e.</summary>
    [Description("Percentile e2e is checked at, above 0 and below 100 (95, 99, 99.9); the window needs 10 measured requests beyond it.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "e2ePercentile")]
    public string? E2ePercentile { get; init; }

    /// <summary>Engine limit.</summary>
    [Description("Most running sequences (default: the engine's own for the device).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, StatedCaps.MostSequences)]
    [FromQuery(Name = "maxNumSeqs")]
    public string? MaxNumSeqs { get; init; }

    /// <summary>Engine limit.</summary>
    [Description("Most tokens per step, also the prefill chunk (default: the engine's own for the device).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "maxBatchedTokens")]
    public string? MaxBatchedTokens { get; init; }

    /// <summary>Engine setting.</summary>
    [Description("Tokens per KV-cache block. Default 16.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "blockSize")]
    public string? BlockSize { get; init; }

    /// <summary>Engine setting.</summary>
    [Description("Fraction of device memory the engine uses. Default: the engine's, 0.9; 1.0 for llama.cpp, which keeps no memory fraction.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "gpuMemoryUtilization")]
    public string? GpuMemoryUtilization { get; init; }

    /// <summary>Engine setting.</summary>
    [Description("Fraction of each prompt served from the prefix cache, 0 to 1. Default 0.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "prefixHitRate")]
    public string? PrefixHitRate { get; init; }
}

/// <summary>
/// The inputs of <c>/api/capacity</c>: those of <c>/api/simulate</c> and what the search varies. A record of its own
/// so that <c>/api/simulate</c> refuses <c>mode</c> as an unknown parameter instead of ignoring it, and the OpenAPI
/// document lists it for capacity only.
/// </summary>
public sealed record CapacityInput : ServingInput
{
    /// <summary>What the capacity search varies.</summary>
    [Description("Vary the Poisson rate (rate, default) or the closed-loop concurrency (concurrency).")]
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
        const string advice = "Simulate fewer requests (requests) or a shorter duration.";
        ReportEndpoints.MapTimed<ServingInput, SimulateJson>(api, "/simulate", "Simulate", "Serving",
            "One replica under a load with continuous batching: TTFT, TPOT, end-to-end and queueing percentiles, throughput, goodput, batch and KV use (suanli simulate).",
            "The simulation", advice, (input, catalog, model, _, cancel) => Simulate(input, catalog, model, cancel));
        ReportEndpoints.MapTimed<CapacityInput, CapacityJson>(api, "/capacity", "Capacity", "Serving",
            "The largest request rate or concurrency one replica sustains with the targets met, by a bracketing search on the simulator (suanli capacity).",
            "The capacity search", advice, (input, catalog, model, _, cancel) => Capacity(input, catalog, model, cancel));
    }

    /// <summary>The report of <c>suanli simulate</c> for the same inputs; <paramref name="cancel"/> stops the simulation.</summary>
    public static Report Simulate(ServingInput input, SuanliCatalog catalog, IStepTimeModel model, CancellationToken cancel = default) =>
        ServingRun.Simulate(Parse(input), catalog, model, cancel: cancel);

    /// <summary>The report of <c>suanli capacity</c> for the same inputs; <paramref name="cancel"/> stops the search.</summary>
    public static Report Capacity(CapacityInput input, SuanliCatalog catalog, IStepTimeModel model, CancellationToken cancel = default) =>
        ServingRun.Capacity(Parse(input), Inputs.Text(input.Mode, "mode") ?? "rate", catalog, model, cancel: cancel);

    private static ServingInputs Parse(ServingInput input)
    {
        double? S(string? text, string field) => Inputs.Number(text, field, null, double.MinValue, double.MaxValue);
        return new()
        {
            Model = Inputs.Required(input.Model, "model"),
            Hardware = Inputs.Required(input.Hardware, "hardware"),
            Layout = new()
            {
                Devices = Inputs.Count(input.Devices, "devices", 1, 1, MemoryModel.MaxDevicesSearched),
                SystemDevices = Inputs.OptionalCount(input.SystemDevices, "systemDevices", 1, MemoryModel.MaxDevicesSearched),
                Tp = Inputs.OptionalCount(input.Tp, "tp", 1, Layouts.MaxTensorParallel),
                Pp = Inputs.OptionalCount(input.Pp, "pp", 1, Layouts.MaxPipelineStages),
                Replicas = Inputs.OptionalCount(input.Replicas, "replicas", 1, MemoryModel.MaxDevicesSearched),
                AttentionDp = Inputs.OptionalCount(input.DpAttention, "dpAttention", 1, Layouts.MaxTensorParallel),
                PipelineWithinNode = Inputs.Flag(input.PpInNode, "ppInNode"),
            },
            Precision = Inputs.Text(input.Precision, "precision") ?? "bf16",
            KvPrecision = Inputs.Text(input.KvPrecision, "kvPrecision"),
            Engine = Inputs.Text(input.Engine, "engine") ?? "vllm",
            Rate = S(input.Rate, "rate"),
            Concurrency = Inputs.OptionalCount(input.Concurrency, "concurrency", 1, Workload.MaxConcurrency),
            Input = Inputs.Text(input.Input, "input"),
            Output = Inputs.Text(input.Output, "output"),
            ThinkTime = S(input.ThinkTime, "thinkTime") ?? 0,
            Start = Inputs.Text(input.Start, "start"),
            Requests = Inputs.OptionalCount(input.Requests, "requests", 1, Workload.MaxRequests),
            Duration = S(input.Duration, "duration"),
            Seed = (ulong)(Inputs.Whole(input.Seed, "seed", 0, long.MaxValue) ?? 1),
            Targets = new()
            {
                TtftP90 = S(input.TtftP90, "ttftP90"),
                TpotP90 = S(input.TpotP90, "tpotP90"),
                E2eP90 = S(input.E2eP90, "e2eP90"),
                TtftP99 = S(input.TtftP99, "ttftP99"),
                TpotP99 = S(input.TpotP99, "tpotP99"),
                E2eP99 = S(input.E2eP99, "e2eP99"),
                Ttft = S(input.Ttft, "ttft"),
                Tpot = S(input.Tpot, "tpot"),
                E2e = S(input.E2e, "e2e"),
                TtftPercentile = Inputs.Percentile(input.TtftPercentile, "ttftPercentile"),
                TpotPercentile = Inputs.Percentile(input.TpotPercentile, "tpotPercentile"),
                E2ePercentile = Inputs.Percentile(input.E2ePercentile, "e2ePercentile"),
            },
            EngineSettings = new()
            {
                MaxNumSeqs = Int(input.MaxNumSeqs, "maxNumSeqs"),
                MaxBatchedTokens = Int(input.MaxBatchedTokens, "maxBatchedTokens"),
                BlockSize = Int(input.BlockSize, "blockSize") ?? 16,
                GpuMemoryUtilization = S(input.GpuMemoryUtilization, "gpuMemoryUtilization"),
                PrefixHitRate = S(input.PrefixHitRate, "prefixHitRate") ?? 0,
            },
            Speculation = input.Parse(),
        };
    }

    // The CLI's int options take any int and leave the range to the core, which names the option.
    private static int? Int(string? text, string field) => Inputs.Whole(text, field, int.MinValue, int.MaxValue) is { } v ? (int)v : null;
}
