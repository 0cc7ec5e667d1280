using System.Globalization;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The inputs of <c>suanli density</c> and <c>/api/density</c> once read: names and numbers. Their ranges, the weight
/// format and the names are checked by <see cref="DensityRun"/>, so that both front ends report errors alike.
/// </summary>
public sealed record DensityInputs
{
    /// <summary>The defaults, for the front ends' help and empty fields.</summary>
    public static DensityInputs Defaults { get; } = new();

    /// <summary>Models (names the model resolver understands); by default seed case C7's small, medium and large Llama.</summary>
    public IReadOnlyList<string> Models { get; init; } = ["llama-3.2-3b", "llama-3-8b", "llama-3-70b"];
    /// <summary>Servers from the catalog; by default seed case C7's Arm and x86 CPU servers beside an L40S and an H100 server.</summary>
    public IReadOnlyList<string> Servers { get; init; } = ["ampereone-2s", "xeon-8480plus-2s", "l40s-8gpu-4u", "dgx-h100"];
    /// <summary>Weight format; int8 by default, the format CPU servers run such models in (seed case C7).</summary>
    public string Precision { get; init; } = "int8";
    /// <summary>
    /// Output tokens/s each session must keep, 0.1 to 10,000; by default 10 (about 450 words a minute, above the
    /// 200-300 words a minute people read; docs/methodology-fleet.md).
    /// </summary>
    public double TokensPerSecond { get; init; } = 10;
    /// <summary>Tokens per session held in the KV cache.</summary>
    public int ContextTokens { get; init; } = 4096;
    /// <summary>Prompt tokens per session turn, read (prefill) before its first token.</summary>
    public int InputTokens { get; init; } = SessionSizing.DefaultInputTokens;
    /// <summary>Output tokens per session turn.</summary>
    public int OutputTokens { get; init; } = SessionSizing.DefaultOutputTokens;
    /// <summary>Seconds to first token a session must get (90th percentile), 0.001 to 86,400.</summary>
    public double TtftP90 { get; init; } = SessionSizing.DefaultTtftSeconds;
    /// <summary>Rack power budget in kW, 0.1 to 1,000; by default <see cref="Rack.Default"/>'s.</summary>
    public double RackKw { get; init; } = Rack.Default.PowerBudget.InKilowatts;
    /// <summary>Rack height in U; by default <see cref="Rack.Default"/>'s.</summary>
    public int RackU { get; init; } = Rack.Default.HeightU;
}

/// <summary>
/// What <c>suanli density</c> and <c>/api/density</c> both run (seed case C7): every model on every server sized
/// with the serving simulation as <c>plan</c> sizes a concurrency demand, laid out as a report.
/// </summary>
public static class DensityRun
{
    /// <summary>
    /// Sizes the sessions of every model on every server and builds the report; <paramref name="resolveModel"/> (name,
    /// field) defaults to the catalog lookup; <paramref name="cancel"/> stops the run between servers and inside each
    /// session sizing's simulations.
    /// </summary>
    public static Report Run(DensityInputs f, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, FieldRef, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        var resolve = resolveModel ?? ((name, field) => catalog.Model(name, field));
        var weights = WeightPrecision.Parse(f.Precision, FieldNames.Precision);
        // PUE 1: sessions per kW count the servers' own power, not the facility's.
        var rack = new Rack(Power.FromKilowatts(Guard.InRange(f.RackKw, 0.1, Rack.MaxPowerKw, FieldNames.RackKw)), f.RackU, 1.0);
        var perSecond = Guard.InRange(f.TokensPerSecond, 0.1, 10_000, FieldNames.TokensPerSecond);
        if ((long)f.InputTokens + f.OutputTokens > f.ContextTokens)
        {
            // The sessions are sized with a KV cache of the context while each turn holds the prompt and the output: a
            // turn longer than the context used to be sized anyway, with a note that blamed a target.
            throw new InputException(FieldNames.Context, Phrase.Of("density-turn-beyond-context",
                "{input} {inputTokens} plus {output} {outputTokens} is more than the {contextTokens} tokens a session holds ({context}); raise {context} or shorten the turn.",
                ("input", FieldNames.Input), ("inputTokens", f.InputTokens.ToString("N0", CultureInfo.InvariantCulture)), ("output", FieldNames.Output),
                ("outputTokens", f.OutputTokens.ToString("N0", CultureInfo.InvariantCulture)), ("contextTokens", f.ContextTokens.ToString("N0", CultureInfo.InvariantCulture)),
                ("context", FieldNames.Context)));
        }
        var sessions = new SessionSizing(SimulatedReplicaCapacity.Provider(stepModel, cancel: cancel), f.InputTokens, f.OutputTokens,
            Duration.FromSeconds(Guard.InRange(f.TtftP90, 0.001, 86_400, FieldNames.TtftP90)));
        var rows = new List<RackDensityRow>();
        foreach (var serverName in f.Servers)
        {
            cancel.ThrowIfCancellationRequested();
            var server = catalog.Server(serverName, FieldNames.Server);
            var device = catalog.Device(server.DeviceId);
            foreach (var modelName in f.Models)
            {
                rows.Add(RackDensity.Compute(stepModel, resolve(modelName, FieldNames.Model), server, device, weights, EngineFor(device), rack,
                    TokenRate.FromTokensPerSecond(perSecond), f.ContextTokens, sessions: sessions));
            }
        }
        return DensityReport.Build(rows, rack, perSecond);
    }

    /// <summary>CPUs and unified-memory chips run llama.cpp (seed case C7's CPU servers); accelerators run vLLM.</summary>
    private static Engine EngineFor(Device device) =>
        device.Category is DeviceCategory.ServerCpu or DeviceCategory.SocUnifiedMemory or DeviceCategory.PhoneSoc ? Engine.LlamaCpp : Engine.Vllm;
}
