using System.CommandLine;
using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
using Suanli.IO.Reports;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Cli.Commands;

/// <summary>The options <c>suanli simulate</c> and <c>suanli capacity</c> share, and how they become core inputs.</summary>
public sealed class ServingOptions
{
    /// <summary>--model.</summary>
    public Option<string> Model { get; } = new("--model", "-m") { Description = "Model: catalog id, Hugging Face repo id, alias, or a path to config.json / a model folder.", Required = true };
    /// <summary>--hardware.</summary>
    public Option<string> Hardware { get; } = new("--hardware", "-H") { Description = "Device id or alias (see 'suanli catalog hardware').", Required = true };
    /// <summary>--devices.</summary>
    public Option<int> Devices { get; } = CliOptions.Count("--devices", "Devices of one replica (the widest valid tensor-parallel layout is used).", 1, 1, MemoryModel.MaxDevicesSearched);
    /// <summary>--precision.</summary>
    public Option<string> Precision { get; } = new("--precision", "-p") { Description = "Weight format: fp32, bf16, fp16, fp8, int8, int4, fp4, q8_0, q4_0, q4_k_m.", DefaultValueFactory = _ => "bf16" };
    /// <summary>--kv-precision.</summary>
    public Option<string?> KvPrecision { get; } = new("--kv-precision") { Description = "KV-cache format: fp32, bf16, fp16, fp8, int8. Default: the weight format if it is one of these, else bf16." };
    /// <summary>--engine.</summary>
    public Option<string> Engine { get; } = new("--engine", "-e") { Description = "Engine: vllm, sglang, trtllm, llamacpp, transformers.", DefaultValueFactory = _ => "vllm" };
    /// <summary>--rate.</summary>
    public Option<double?> Rate { get; } = new("--rate") { Description = "Poisson arrivals, requests per second." };
    /// <summary>--concurrency.</summary>
    public Option<int?> Concurrency { get; } = new("--concurrency", "-c") { Description = "Closed loop of this many clients, each sending its next request when the last one finishes (plus --think-time)." };
    /// <summary>--trace.</summary>
    public Option<string?> Trace { get; } = new("--trace") { Description = "CSV of requests: arrival seconds, input tokens, output tokens (header optional)." };
    /// <summary>--input.</summary>
    public Option<string?> Input { get; } = new("--input", "-i") { Description = "Prompt tokens: 512, uniform:256:1024, normal:512:128, lognormal:mean=800,sd=400 or empirical:100,200,4000." };
    /// <summary>--output.</summary>
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Output tokens, same forms as --input." };
    /// <summary>--think-time.</summary>
    public Option<double> ThinkTime { get; } = new("--think-time") { Description = "Seconds a closed-loop client waits between a response and its next request.", DefaultValueFactory = _ => 0 };
    /// <summary>--requests.</summary>
    public Option<int?> Requests { get; } = new("--requests", "-n") { Description = $"Requests to issue (default {Suanli.Serving.Workload.DefaultRequests.ToString("N0", CultureInfo.InvariantCulture)}, unless --duration is given)." };
    /// <summary>--duration.</summary>
    public Option<double?> Duration { get; } = new("--duration") { Description = "Seconds of arrivals to simulate." };
    /// <summary>--seed.</summary>
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Random seed; the same seed gives the same run.", DefaultValueFactory = _ => 1 };
    /// <summary>Targets at p90.</summary>
    public Option<double?> TtftP90 { get; } = new("--ttft-p90") { Description = "Target: time to first token at p90, seconds." };
    /// <summary>Target.</summary>
    public Option<double?> TpotP90 { get; } = new("--tpot-p90") { Description = "Target: time per output token at p90, seconds (0.1 = 100 ms)." };
    /// <summary>Target.</summary>
    public Option<double?> E2eP90 { get; } = new("--e2e-p90") { Description = "Target: end-to-end latency at p90, seconds." };
    /// <summary>Targets at p99.</summary>
    public Option<double?> TtftP99 { get; } = new("--ttft-p99") { Description = "Target: time to first token at p99, seconds." };
    /// <summary>Target.</summary>
    public Option<double?> TpotP99 { get; } = new("--tpot-p99") { Description = "Target: time per output token at p99, seconds." };
    /// <summary>Target.</summary>
    public Option<double?> E2eP99 { get; } = new("--e2e-p99") { Description = "Target: end-to-end latency at p99, seconds." };
    /// <summary>Engine limit.</summary>
    public Option<int?> MaxNumSeqs { get; } = new("--max-num-seqs") { Description = "Most running sequences (default: vLLM's for the device)." };
    /// <summary>Engine limit.</summary>
    public Option<int?> MaxBatchedTokens { get; } = new("--max-batched-tokens") { Description = "Most tokens per step, also the prefill chunk (default: vLLM's for the device)." };
    /// <summary>Engine setting.</summary>
    public Option<int> BlockSize { get; } = new("--block-size") { Description = "Tokens per KV-cache block.", DefaultValueFactory = _ => 16 };
    /// <summary>Engine setting.</summary>
    public Option<double> GpuMemoryUtilization { get; } = new("--gpu-memory-utilization") { Description = "Fraction of device memory the engine uses.", DefaultValueFactory = _ => 0.9 };
    /// <summary>Engine setting.</summary>
    public Option<double> PrefixHitRate { get; } = new("--prefix-hit-rate") { Description = "Fraction of each prompt served from the prefix cache (a shared system prompt), 0 to 1.", DefaultValueFactory = _ => 0 };
    /// <summary>--format.</summary>
    public Option<OutputFormat> Format { get; } = CliOptions.Format();

    /// <summary>Adds every option to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Model, Hardware, Devices, Precision, KvPrecision, Engine, Rate, Concurrency, Trace, Input, Output, ThinkTime, Requests, Duration, Seed,
            TtftP90, TpotP90, E2eP90, TtftP99, TpotP99, E2eP99, MaxNumSeqs, MaxBatchedTokens, BlockSize, GpuMemoryUtilization, PrefixHitRate, Format })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>The replica the options describe.</summary>
    public (Deployment Deployment, SuanliCatalog Catalog) Deployment(ParseResult parse)
    {
        var catalog = CliContext.CatalogFor(parse);
        var model = CliContext.Model(catalog, parse.GetValue(Model)!);
        var device = catalog.Device(parse.GetValue(Hardware)!);
        var weights = NumberFormat.Parse(parse.GetValue(Precision)!, "--precision");
        var kvName = parse.GetValue(KvPrecision);
        var kv = NumberFormat.KvFor(weights, kvName);
        var n = parse.GetValue(Devices);
        var layouts = Layouts.On(model.Architecture, n);
        if (layouts.Count == 0)
        {
            throw new InputException("--devices", $"{model.Id} has no valid layout on exactly {n.ToString(CultureInfo.InvariantCulture)} devices; try a power of two.");
        }
        return (new Deployment(model, device, layouts[0], weights, kv, ParseEngine(parse.GetValue(Engine)!)), catalog);
    }

    /// <summary>The engine settings: vLLM's defaults for the device, with any option given replacing its default.</summary>
    public EngineConfig EngineConfig(ParseResult parse, Deployment d)
    {
        var e = Suanli.Serving.EngineConfig.Default(d.Engine, d.Device);
        return (e with
        {
            MaxNumSeqs = parse.GetValue(MaxNumSeqs) ?? e.MaxNumSeqs,
            MaxBatchedTokens = parse.GetValue(MaxBatchedTokens) ?? e.MaxBatchedTokens,
            BlockSize = parse.GetValue(BlockSize),
            GpuMemoryUtilization = parse.GetValue(GpuMemoryUtilization),
            PrefixCacheHitRate = parse.GetValue(PrefixHitRate),
        }).Validated();
    }

    /// <summary>The targets; p90 and p99 forms cannot be mixed.</summary>
    public ServingTargets Targets(ParseResult parse)
    {
        var p90 = (parse.GetValue(TtftP90), parse.GetValue(TpotP90), parse.GetValue(E2eP90));
        var p99 = (parse.GetValue(TtftP99), parse.GetValue(TpotP99), parse.GetValue(E2eP99));
        var has90 = p90.Item1 is not null || p90.Item2 is not null || p90.Item3 is not null;
        var has99 = p99.Item1 is not null || p99.Item2 is not null || p99.Item3 is not null;
        if (has90 && has99)
        {
            throw new InputException("--ttft-p99", "Targets apply at one percentile: give the --*-p90 targets or the --*-p99 targets, not both.");
        }
        return has99
            ? ServingTargets.FromSeconds(p99.Item1, p99.Item2, p99.Item3, Percentile.P99)
            : ServingTargets.FromSeconds(p90.Item1, p90.Item2, p90.Item3, Percentile.P90);
    }

    /// <summary>The workload; <paramref name="loadRequired"/> demands one of --rate, --concurrency, --trace.</summary>
    public Workload Workload(ParseResult parse, bool loadRequired)
    {
        var rate = parse.GetValue(Rate);
        var concurrency = parse.GetValue(Concurrency);
        var trace = parse.GetValue(Trace);
        var given = (rate is null ? 0 : 1) + (concurrency is null ? 0 : 1) + (trace is null ? 0 : 1);
        if (given > 1 || (given == 0 && loadRequired))
        {
            throw new InputException("--rate", "Give exactly one load: --rate R (Poisson requests per second), --concurrency N (closed loop) or --trace FILE.");
        }
        if (trace is not null)
        {
            return Suanli.Serving.Workload.FromTrace(ServingText.ReadTrace(trace), trace);
        }
        var inputText = parse.GetValue(Input) ?? throw new InputException("--input", "--input is required (prompt tokens, e.g. --input 512 or --input uniform:256:1024).");
        var outputText = parse.GetValue(Output) ?? throw new InputException("--output", "--output is required (output tokens, e.g. --output 256 or --output lognormal:mean=300,sd=150).");
        var input = ServingText.ParseLength(inputText, "--input");
        var output = ServingText.ParseLength(outputText, "--output");
        var duration = parse.GetValue(Duration) is { } s ? Quantities.Duration.FromSeconds(Guard.Positive(s, "--duration")) : (Quantities.Duration?)null;
        var requests = parse.GetValue(Requests) ?? (duration is null ? Suanli.Serving.Workload.DefaultRequests : Suanli.Serving.Workload.MaxRequests);
        var seed = parse.GetValue(Seed);
        var think = Quantities.Duration.FromSeconds(Guard.NonNegative(parse.GetValue(ThinkTime), "--think-time"));
        return concurrency is { } c
            ? Suanli.Serving.Workload.ClosedLoop(c, input, output, think, seed, requests, duration)
            : Suanli.Serving.Workload.Poisson(rate ?? 1, input, output, seed, requests, duration);
    }

    private static Engine ParseEngine(string name) => name.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
    {
        "vllm" => StepTime.Engine.Vllm,
        "sglang" => StepTime.Engine.Sglang,
        "trtllm" or "tensorrtllm" => StepTime.Engine.TrtLlm,
        "llamacpp" => StepTime.Engine.LlamaCpp,
        "transformers" or "hf" => StepTime.Engine.Transformers,
        _ => throw new InputException("--engine", $"Unknown engine '{name}'. Use vllm, sglang, trtllm, llamacpp or transformers."),
    };
}

/// <summary><c>suanli simulate</c>: what users of one replica feel under a load: TTFT, TPOT, end-to-end and queueing percentiles, throughput, goodput.</summary>
public static class SimulateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext c)
    {
        var o = new ServingOptions();
        var command = new Command("simulate", "Simulate one replica under a load with continuous batching: TTFT, TPOT, end-to-end and queueing percentiles, throughput, goodput, batch and KV use; the articles' one-copy-per-request estimate beside it.");
        o.AddTo(command);
        command.SetAction(parse => c.Guarded(() =>
        {
            var (deployment, _) = o.Deployment(parse);
            var engine = o.EngineConfig(parse, deployment);
            var workload = o.Workload(parse, loadRequired: true);
            var result = ServingSimulator.Run(deployment, workload, engine, CliContext.StepTimeModel, o.Targets(parse));
            c.Write(SimulateReport.Build(result), parse.GetValue(o.Format));
            return 0;
        }));
        return command;
    }
}
