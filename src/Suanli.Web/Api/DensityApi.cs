using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;
using Suanli.Web.Http;

namespace Suanli.Web.Api;

/// <summary>The inputs of <c>suanli density</c>.</summary>
public sealed record DensityInput
{
    /// <summary>Models.</summary>
    [Description("Models, comma-separated. Default llama-3.2-3b, llama-3-8b, llama-3-70b.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "model")]
    public string[]? Model { get; init; }

    /// <summary>Servers.</summary>
    [Description("Servers from /api/catalog/servers, comma-separated. Default ampereone-2s, xeon-8480plus-2s, l40s-8gpu-4u, dgx-h100.")]
    [JsonConverter(typeof(StringOrArrayConverter))]
    [FromQuery(Name = "server")]
    public string[]? Server { get; init; }

    /// <summary>Weight format.</summary>
    [Description("Weight format. Default int8.")]
    [FromQuery(Name = "precision")]
    public string? Precision { get; init; }

    /// <summary>Per-session floor.</summary>
    [Description("Per-session floor in tokens/s (default 10).")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "tokensPerSecond")]
    public string? TokensPerSecond { get; init; }

    /// <summary>Context.</summary>
    [Description("Tokens per session held in the KV cache. Default 4096.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "context")]
    public string? Context { get; init; }

    /// <summary>Prompt tokens per session turn.</summary>
    [Description("Prompt tokens per session turn, read (prefill) before its first token, as plan does. Default 512.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "input")]
    public string? Input { get; init; }

    /// <summary>Output tokens per session turn.</summary>
    [Description("Output tokens per session turn. Default 256.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "output")]
    public string? Output { get; init; }

    /// <summary>First-token target of a session, seconds.</summary>
    [Description("Seconds to first token a session must get (90th percentile), as a plan's target. Default 2.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "ttftP90")]
    public string? TtftP90 { get; init; }

    /// <summary>Rack power.</summary>
    [Description("Rack power budget in kW. Default 12.5.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "rackKw")]
    public string? RackKw { get; init; }

    /// <summary>Rack height.</summary>
    [Description("Rack height in U. Default 42.")]
    [JsonConverter(typeof(NumberOrStringConverter))]
    [FromQuery(Name = "rackU")]
    public string? RackU { get; init; }
}

/// <summary><c>GET|POST /api/density</c>: the report of <c>suanli density</c>: interactive sessions per rack and per kW.</summary>
public static class DensityApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        const string summary = "Sessions per rack and per kW at a tokens/s floor, per model and server, CPUs included (suanli density, seed case C7).";
        // Each model and server pair sizes its sessions with the serving simulation, so a long list is work to bound.
        ReportEndpoints.MapTimed<DensityInput, DensityJson>(api, "/density", "Density", "Fleet", summary, "The density report", "Ask for fewer models or servers.",
            (input, catalog, model, _, cancel) => Build(input, catalog, model, cancel));
    }

    /// <summary>The report of <c>suanli density</c> for the same inputs.</summary>
    /// <param name="input">The request's inputs.</param>
    /// <param name="catalog">Models and servers.</param>
    /// <param name="stepModel">The step-time model the session sizing simulates with.</param>
    /// <param name="cancel">Cancelled at the server's time limit or when the client goes away; each simulation observes it.</param>
    public static Report Build(DensityInput input, SuanliCatalog catalog, IStepTimeModel stepModel, CancellationToken cancel = default)
    {
        var weights = WeightPrecision.Parse(Inputs.Text(input.Precision, "precision") ?? "int8", "precision");
        var rack = new Rack(Power.FromKilowatts(Guard.InRange(Inputs.Number(input.RackKw, "rackKw", 12.5, double.MinValue, double.MaxValue)!.Value, 0.1, 1000, "rackKw")),
            Inputs.Count(input.RackU, "rackU", 42, 1, 60), 1.0);
        var perSecond = Guard.InRange(Inputs.Number(input.TokensPerSecond, "tokensPerSecond", 10, double.MinValue, double.MaxValue)!.Value, 0.1, 10_000, "tokensPerSecond");
        var context = Inputs.Count(input.Context, "context", 4096, 1, 1_000_000, CountUnit.Tokens);
        var sessions = new SessionSizing(Suanli.Plan.SimulatedReplicaCapacity.Provider(stepModel, cancel: cancel),
            Inputs.Count(input.Input, "input", SessionSizing.DefaultInputTokens, 1, 1_000_000, CountUnit.Tokens),
            Inputs.Count(input.Output, "output", SessionSizing.DefaultOutputTokens, 1, 1_000_000, CountUnit.Tokens),
            Duration.FromSeconds(Guard.InRange(Inputs.Number(input.TtftP90, "ttftP90", SessionSizing.DefaultTtftSeconds, double.MinValue, double.MaxValue)!.Value, 0.001, 86_400, FieldNames.TtftP90)));
        var models = OptimizeApi.Split(input.Model, "model") is { Count: > 0 } m ? m : ["llama-3.2-3b", "llama-3-8b", "llama-3-70b"];
        var servers = OptimizeApi.Split(input.Server, "server") is { Count: > 0 } s ? s : ["ampereone-2s", "xeon-8480plus-2s", "l40s-8gpu-4u", "dgx-h100"];
        var rows = new List<RackDensityRow>();
        foreach (var serverName in servers)
        {
            cancel.ThrowIfCancellationRequested();
            var server = catalog.Server(serverName, "server");
            var device = catalog.Device(server.DeviceId);
            var engine = device.Category is DeviceCategory.ServerCpu or DeviceCategory.SocUnifiedMemory or DeviceCategory.PhoneSoc ? Engine.LlamaCpp : Engine.Vllm;
            foreach (var modelName in models)
            {
                rows.Add(RackDensity.Compute(stepModel, catalog.Model(modelName, "model"), server, device, weights, engine, rack,
                    TokenRate.FromTokensPerSecond(perSecond), context, sessions: sessions));
            }
        }
        return DensityReport.Build(rows, rack, perSecond);
    }
}
