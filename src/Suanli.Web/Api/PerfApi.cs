using Suanli.Quantities;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.StepTime;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>The inputs of <c>suanli perf</c>, as query parameters or a JSON body.</summary>
public sealed record PerfInput : SpeculationInput
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
    [Description("Devices of one replica. Default: tp x pp when given, else 1 (the widest valid tensor parallel within one node on them; llama.cpp splits layers).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, MemoryModel.MaxDevicesSearched)]
    [FromQuery(Name = "devices")]
    public string? Devices { get; init; }

    /// <summary>Tensor-parallel degree.</summary>
    [Description("Tensor-parallel degree. Default: the widest valid on the devices within one node (llama.cpp: 1).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, Layouts.MaxTensorParallel)]
    [FromQuery(Name = "tp")]
    public string? Tp { get; init; }

    /// <summary>Pipeline stages.</summary>
    [Description("Pipeline stages. Default: devices / tp.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, Layouts.MaxPipelineStages)]
    [FromQuery(Name = "pp")]
    public string? Pp { get; init; }

    /// <summary>Devices of the whole system.</summary>
    [Description("Devices of the whole system, split into data-parallel replicas of tp x pp (pinned by tp, pp, replicas, dpAttention where given, else chosen as suanli validate chooses, tensor parallel within one node); figures for the system. Not with devices.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, MemoryModel.MaxDevicesSearched)]
    [FromQuery(Name = "systemDevices")]
    public string? SystemDevices { get; init; }

    /// <summary>Data-parallel replicas of the system.</summary>
    [Description("With systemDevices: data-parallel replicas. Default: chosen.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [Range(1, MemoryModel.MaxDevicesSearched)]
    [FromQuery(Name = "replicas")]
    public string? Replicas { get; init; }

    /// <summary>Data-parallel attention ranks.</summary>
    [Description("Data-parallel attention ranks of a mixture-of-experts model, each with tp devices, the experts over all of them.")]
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
    public static void Map(RouteGroupBuilder api) =>
        ReportEndpoints.MapTimed<PerfInput, PerfJson>(api, "/perf", "Perf", "Performance",
            "TTFT (prefill alone), TPOT, output tokens/s per replica and per device, bottleneck, MFU and MBU for each batch size (suanli perf).",
            "The performance report", "Ask for fewer batch sizes.", (input, catalog, model, _, cancel) => Build(input, catalog, model, cancel));

    /// <summary>Parses the inputs with the CLI's defaults and builds the same report as <c>suanli perf</c>.</summary>
    /// <param name="input">The request's inputs.</param>
    /// <param name="catalog">The catalog.</param>
    /// <param name="model">The step-time model.</param>
    /// <param name="cancel">Cancelled at the server's time limit or when the client goes away; the run observes it between layouts and batch sizes.</param>
    public static Report Build(PerfInput input, SuanliCatalog catalog, IStepTimeModel model, CancellationToken cancel = default)
    {
        var speculation = input.Parse();
        return PerfRun.Run(new PerfInputs
        {
            Model = Inputs.Required(input.Model, "model"),
            Hardware = Inputs.Required(input.Hardware, "hardware"),
            Devices = Inputs.OptionalCount(input.Devices, "devices", 1, MemoryModel.MaxDevicesSearched),
            Tp = Inputs.OptionalCount(input.Tp, "tp", 1, Layouts.MaxTensorParallel),
            Pp = Inputs.OptionalCount(input.Pp, "pp", 1, Layouts.MaxPipelineStages),
            SystemDevices = Inputs.OptionalCount(input.SystemDevices, "systemDevices", 1, MemoryModel.MaxDevicesSearched),
            Replicas = Inputs.OptionalCount(input.Replicas, "replicas", 1, MemoryModel.MaxDevicesSearched),
            AttentionDp = Inputs.OptionalCount(input.DpAttention, "dpAttention", 1, Layouts.MaxTensorParallel),
            PipelineWithinNode = Inputs.Flag(input.PpInNode, "ppInNode"),
            Precision = Inputs.Text(input.Precision, "precision") ?? "bf16",
            KvPrecision = Inputs.Text(input.KvPrecision, "kvPrecision"),
            InputTokens = Inputs.Count(input.Input, "input", 1024, 1, FootprintRequest.MaxContext, CountUnit.Tokens),
            OutputTokens = Inputs.Count(input.Output, "output", 256, 1, FootprintRequest.MaxContext, CountUnit.Tokens),
            Batch = Inputs.Text(input.Batch, "batch") ?? "1,8,64",
            Engine = Inputs.Text(input.Engine, "engine") ?? "vllm",
            Speculate = speculation.Speculate,
            Accept = speculation.Accept,
            DraftTokens = speculation.DraftTokens,
        }, catalog, model, cancel: cancel);
    }
}
