using System.Globalization;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The options <c>suanli simulate</c>, <c>suanli capacity</c>, <c>/api/simulate</c> and <c>/api/capacity</c> share,
/// once parsed. Errors name the CLI option (the web maps it to its field).
/// </summary>
public sealed record ServingInputs
{
    /// <summary>Model name (as the model resolver understands it).</summary>
    public required string Model { get; init; }
    /// <summary>Device id or alias.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices of one replica (the widest valid tensor-parallel layout is used).</summary>
    public int Devices { get; init; } = 1;
    /// <summary>Weight format.</summary>
    public string Precision { get; init; } = "bf16";
    /// <summary>KV-cache format; null is the weight format if it is a KV format, else bf16.</summary>
    public string? KvPrecision { get; init; }
    /// <summary>Engine name.</summary>
    public string Engine { get; init; } = "vllm";
    /// <summary>Poisson arrivals, requests per second.</summary>
    public double? Rate { get; init; }
    /// <summary>Closed-loop clients.</summary>
    public int? Concurrency { get; init; }
    /// <summary>Path of a CSV request trace (the CLI's --trace; the web has none).</summary>
    public string? Trace { get; init; }
    /// <summary>Prompt-token distribution text, e.g. 512 or uniform:256:1024.</summary>
    public string? Input { get; init; }
    /// <summary>Output-token distribution text.</summary>
    public string? Output { get; init; }
    /// <summary>Seconds a closed-loop client waits between a response and its next request.</summary>
    public double ThinkTime { get; init; }
    /// <summary>Requests to issue; null is the default (or the most, with a duration).</summary>
    public int? Requests { get; init; }
    /// <summary>Seconds of arrivals to simulate.</summary>
    public double? Duration { get; init; }
    /// <summary>Random seed.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Target: time to first token at p90, seconds.</summary>
    public double? TtftP90 { get; init; }
    /// <summary>Target: time per output token at p90, seconds.</summary>
    public double? TpotP90 { get; init; }
    /// <summary>Target: end-to-end latency at p90, seconds.</summary>
    public double? E2eP90 { get; init; }
    /// <summary>Target: time to first token at p99, seconds.</summary>
    public double? TtftP99 { get; init; }
    /// <summary>Target: time per output token at p99, seconds.</summary>
    public double? TpotP99 { get; init; }
    /// <summary>Target: end-to-end latency at p99, seconds.</summary>
    public double? E2eP99 { get; init; }
    /// <summary>Most running sequences; null is the engine's default for the device.</summary>
    public int? MaxNumSeqs { get; init; }
    /// <summary>Most tokens per step; null is the engine's default for the device.</summary>
    public int? MaxBatchedTokens { get; init; }
    /// <summary>Tokens per KV-cache block.</summary>
    public int BlockSize { get; init; } = 16;
    /// <summary>Fraction of device memory the engine uses.</summary>
    public double GpuMemoryUtilization { get; init; } = 0.9;
    /// <summary>Fraction of each prompt served from the prefix cache, 0 to 1.</summary>
    public double PrefixHitRate { get; init; }
    /// <summary>Speculative decoding: null for none, else mtp, eagle or draft:MODEL.</summary>
    public string? Speculate { get; init; }
    /// <summary>Probability that one proposed token is accepted, strictly between 0 and 1; required with <see cref="Speculate"/>.</summary>
    public double? Accept { get; init; }
    /// <summary>Tokens proposed per sequence per step; null is 1 for mtp and 4 otherwise.</summary>
    public int? DraftTokens { get; init; }
}

/// <summary>What <c>simulate</c> and <c>capacity</c> run, from the CLI or the web: inputs to core calls to reports.</summary>
public static class ServingRun
{
    /// <summary>One replica under the load; <paramref name="resolveModel"/> (name, option) defaults to the catalog lookup; <paramref name="cancel"/> stops the run.</summary>
    public static Report Simulate(ServingInputs f, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, string, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        var deployment = Deployment(f, catalog, resolveModel);
        var engine = EngineConfig(f, deployment);
        var workload = Workload(f, loadRequired: true);
        var speculation = Speculation(f, deployment, catalog, resolveModel);
        var report = SimulateReport.Build(ServingSimulator.Run(deployment, workload, engine, stepModel, Targets(f), speculation, cancel));
        return WithSpeculationNote(report, speculation, deployment, engine);
    }

    /// <summary>The largest load one replica carries with the targets met; <paramref name="mode"/> is rate or concurrency; <paramref name="cancel"/> stops the search.</summary>
    public static Report Capacity(ServingInputs f, string mode, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, string, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        var deployment = Deployment(f, catalog, resolveModel);
        var engine = EngineConfig(f, deployment);
        var modeName = mode.Trim().ToLowerInvariant();
        var m = modeName switch
        {
            "rate" => CapacityMode.Rate,
            "concurrency" => CapacityMode.Concurrency,
            _ => throw new InputException("--mode", $"Unknown --mode '{InputEcho.Clip(modeName)}'. Use rate or concurrency."),
        };
        var workload = Workload(f, loadRequired: false);
        var targets = Targets(f);
        var speculation = Speculation(f, deployment, catalog, resolveModel);
        var result = CapacitySearch.Run(deployment, workload, engine, stepModel, targets, m, catalog.Models, speculation, cancel);
        return WithSpeculationNote(CapacityReport.Build(result, deployment, targets, stepModel is CalibratedStepTimeModel ? IntervalFiles.Embedded : null), speculation, deployment, engine);
    }

    private static Speculation? Speculation(ServingInputs f, Deployment d, SuanliCatalog catalog, Func<string, string, ModelEntry>? resolveModel) =>
        PerfRun.ParseSpeculation(f.Speculate, f.Accept, f.DraftTokens, d.Model, resolveModel ?? ((name, field) => catalog.Model(name, field)));

    /// <summary>Adds the speculation finding to the report, its tables' findings and its JSON document's findings alike.</summary>
    private static Report WithSpeculationNote(Report report, Speculation? s, Deployment d, EngineConfig engine)
    {
        if (s is null)
        {
            return report;
        }
        var memory = SpeculativeDecoding.Memory(d, s);
        var note = Finding.Info("speculation#simulated", "Speculative decoding ({speculation}): every decode step verifies {verified} tokens per sequence after {draft} draft pass(es), and each sequence emits {expected} tokens per step on average, (1 - a^(k+1)) / (1 - a), carried as a running fraction so runs stay deterministic. The draft's memory is placed on the fullest device: {draftWeights} of weights ({basis}) and {kvPerToken} bytes of KV per cached token, so the KV cache holds {withDraft} tokens instead of {without} (docs/methodology-steptime.md, 'Speculative decoding').",
            ("speculation", s.ToString()), ("verified", Fmt.I($"{s.Tokens + 1}")), ("draft", Fmt.I($"{s.Tokens}")), ("expected", s.ExpectedTokensPerStep.ToString("0.###", CultureInfo.InvariantCulture)),
            ("draftWeights", Show.Bytes(memory.Weights)), ("basis", memory.Basis), ("kvPerToken", Show.N(memory.KvPerToken.Value)),
            ("withDraft", Show.N(ServingSimulator.KvCapacity(d, engine, s))), ("without", Show.N(ServingSimulator.KvCapacity(d, engine))));
        var findings = new List<Finding>(report.Findings) { note };
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        ReportDocument json = report.Json switch
        {
            SimulateJson j => j with { Findings = FindingJson.Of(findings) },
            CapacityJson j => j with { Findings = FindingJson.Of(findings) },
            var other => other,
        };
        return report with { Json = json, Findings = findings };
    }

    private static Deployment Deployment(ServingInputs f, SuanliCatalog catalog, Func<string, string, ModelEntry>? resolveModel)
    {
        var model = (resolveModel ?? ((name, field) => catalog.Model(name, field)))(f.Model, "--model");
        var device = catalog.Device(f.Hardware);
        var weights = NumberFormat.Parse(f.Precision, "--precision");
        var kv = NumberFormat.KvFor(weights, f.KvPrecision);
        var layouts = Layouts.On(model.Architecture, f.Devices);
        if (layouts.Count == 0)
        {
            throw new InputException("--devices", $"{model.Id} has no valid layout on exactly {f.Devices.ToString(CultureInfo.InvariantCulture)} devices; try a power of two.");
        }
        return new Deployment(model, device, layouts[0], weights, kv, ParseEngine(f.Engine));
    }

    /// <summary>The engine settings: vLLM's defaults for the device, with any option given replacing its default.</summary>
    private static EngineConfig EngineConfig(ServingInputs f, Deployment d)
    {
        var e = Suanli.Serving.EngineConfig.Default(d.Engine, d.Device);
        return (e with
        {
            MaxNumSeqs = f.MaxNumSeqs ?? e.MaxNumSeqs,
            MaxBatchedTokens = f.MaxBatchedTokens ?? e.MaxBatchedTokens,
            BlockSize = f.BlockSize,
            GpuMemoryUtilization = f.GpuMemoryUtilization,
            PrefixCacheHitRate = f.PrefixHitRate,
        }).Validated();
    }

    /// <summary>The targets; p90 and p99 forms cannot be mixed.</summary>
    private static ServingTargets Targets(ServingInputs f)
    {
        var has90 = f.TtftP90 is not null || f.TpotP90 is not null || f.E2eP90 is not null;
        var has99 = f.TtftP99 is not null || f.TpotP99 is not null || f.E2eP99 is not null;
        if (has90 && has99)
        {
            throw new InputException("--ttft-p99", "Targets apply at one percentile: give the --*-p90 targets or the --*-p99 targets, not both.");
        }
        return has99
            ? ServingTargets.FromSeconds(f.TtftP99, f.TpotP99, f.E2eP99, Percentile.P99)
            : ServingTargets.FromSeconds(f.TtftP90, f.TpotP90, f.E2eP90, Percentile.P90);
    }

    /// <summary>The workload; <paramref name="loadRequired"/> demands one of rate, concurrency, trace.</summary>
    private static Workload Workload(ServingInputs f, bool loadRequired)
    {
        var given = (f.Rate is null ? 0 : 1) + (f.Concurrency is null ? 0 : 1) + (f.Trace is null ? 0 : 1);
        if (given > 1 || (given == 0 && loadRequired))
        {
            throw new InputException("--rate", "Give exactly one load: --rate R (Poisson requests per second), --concurrency N (closed loop) or --trace FILE.");
        }
        if (f.Trace is { } trace)
        {
            return Suanli.Serving.Workload.FromTrace(ServingText.ReadTrace(trace), trace);
        }
        var inputText = f.Input ?? throw new InputException("--input", "--input is required (prompt tokens, e.g. --input 512 or --input uniform:256:1024).");
        var outputText = f.Output ?? throw new InputException("--output", "--output is required (output tokens, e.g. --output 256 or --output lognormal:mean=300,sd=150).");
        var input = ServingText.ParseLength(inputText, "--input");
        var output = ServingText.ParseLength(outputText, "--output");
        var duration = f.Duration is { } s ? Quantities.Duration.FromSeconds(Guard.Positive(s, FieldNames.Duration)) : (Quantities.Duration?)null;
        var requests = f.Requests ?? (duration is null ? Suanli.Serving.Workload.DefaultRequests : Suanli.Serving.Workload.MaxRequests);
        var think = Quantities.Duration.FromSeconds(Guard.NonNegative(f.ThinkTime, FieldNames.ThinkTime));
        return f.Concurrency is { } c
            ? Suanli.Serving.Workload.ClosedLoop(c, input, output, think, f.Seed, requests, duration)
            : Suanli.Serving.Workload.Poisson(f.Rate ?? 1, input, output, f.Seed, requests, duration);
    }

    private static Engine ParseEngine(string name) => name.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
    {
        "vllm" => StepTime.Engine.Vllm,
        "sglang" => StepTime.Engine.Sglang,
        "trtllm" or "tensorrtllm" => StepTime.Engine.TrtLlm,
        "llamacpp" => StepTime.Engine.LlamaCpp,
        "transformers" or "hf" => StepTime.Engine.Transformers,
        _ => throw new InputException("--engine", $"Unknown engine '{InputEcho.Clip(name)}'. Use vllm, sglang, trtllm, llamacpp or transformers."),
    };
}
