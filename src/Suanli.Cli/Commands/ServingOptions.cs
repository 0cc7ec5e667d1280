using System.CommandLine;
using System.Globalization;
using Suanli.Footprint;
using Suanli.Runs;

namespace Suanli.Cli.Commands;

/// <summary>The options <c>suanli simulate</c> and <c>suanli capacity</c> share, and the <see cref="ServingInputs"/> they give.</summary>
/// <remarks>Grouped as <see cref="ServingInputs"/> is; the options are added in the order the help has always listed them.</remarks>
public sealed class ServingOptions
{
    /// <summary>--model.</summary>
    public Option<string> Model { get; } = new("--model", "-m") { Description = "Model: catalog id, Hugging Face repo id, alias, or a path to config.json / a model folder.", Required = true };
    /// <summary>--hardware.</summary>
    public Option<string> Hardware { get; } = new("--hardware", "-H") { Description = "Device id or alias (see 'suanli catalog hardware').", Required = true };
    /// <summary>--devices, --system-devices, --tp, --pp, --replicas, --dp-attention.</summary>
    public LayoutOptions Layout { get; } = new();
    /// <summary>--precision.</summary>
    public Option<string> Precision { get; } = new("--precision", "-p") { Description = "Weight format: fp32, bf16, fp16, fp8, int8, int4, int4-g32, fp4, mxfp4, q8_0, q4_0, q4_k_m, or experts+rest (mxfp4+bf16).", DefaultValueFactory = _ => "bf16" };
    /// <summary>--kv-precision.</summary>
    public Option<string?> KvPrecision { get; } = new("--kv-precision") { Description = "KV-cache format: fp32, bf16, fp16, fp8, int8. Default: the weight format if it is one of these, else bf16." };
    /// <summary>--engine.</summary>
    public Option<string> Engine { get; } = new("--engine", "-e") { Description = "Engine: vllm, sglang, trtllm, llamacpp, transformers.", DefaultValueFactory = _ => "vllm" };
    /// <summary>--rate, --concurrency, --trace, --input, --output, --think-time, --requests, --duration, --seed.</summary>
    public LoadOptions Load { get; } = new();
    /// <summary>--ttft-p90 to --e2e-p99, --ttft, --tpot, --e2e and their percentiles.</summary>
    public TargetOptions Targets { get; } = new();
    /// <summary>--max-num-seqs, --max-batched-tokens, --block-size, --gpu-memory-utilization, --prefix-hit-rate.</summary>
    public EngineOptions EngineSettings { get; } = new();
    /// <summary>--speculate, --accept, --draft-tokens.</summary>
    public SpeculationOptions Speculation { get; } = new();
    /// <summary>--format.</summary>
    public Option<OutputFormat> Format { get; } = CliOptions.Format();

    /// <summary>Adds every option to a command.</summary>
    public void AddTo(Command command)
    {
        IEnumerable<Option> all = [Model, Hardware, .. Layout.All, Precision, KvPrecision, Engine, .. Load.All, .. Targets.All, .. EngineSettings.All, .. Speculation.All, Format];
        foreach (var o in all)
        {
            command.Options.Add(o);
        }
    }

    /// <summary>The shared serving inputs the options give.</summary>
    public ServingInputs Inputs(ParseResult parse) => new()
    {
        Model = parse.GetValue(Model)!,
        Hardware = parse.GetValue(Hardware)!,
        Layout = Layout.Inputs(parse),
        Precision = parse.GetValue(Precision)!,
        KvPrecision = parse.GetValue(KvPrecision),
        Engine = parse.GetValue(Engine)!,
        Rate = parse.GetValue(Load.Rate),
        Concurrency = parse.GetValue(Load.Concurrency),
        Trace = parse.GetValue(Load.Trace),
        Input = parse.GetValue(Load.Input),
        Output = parse.GetValue(Load.Output),
        ThinkTime = parse.GetValue(Load.ThinkTime),
        Start = parse.GetValue(Load.Start),
        Requests = parse.GetValue(Load.Requests),
        Duration = parse.GetValue(Load.Duration),
        Seed = parse.GetValue(Load.Seed),
        Targets = Targets.Inputs(parse),
        EngineSettings = EngineSettings.Inputs(parse),
        Speculation = Speculation.Inputs(parse),
    };
}

/// <summary>The layout options of <c>simulate</c> and <c>capacity</c>: <c>--devices</c>, or <c>--system-devices</c> split into replicas, and the <see cref="LayoutInputs"/> they give.</summary>
public sealed class LayoutOptions
{
    /// <summary>--devices.</summary>
    public Option<int> Devices { get; } = CliOptions.Count("--devices", "Devices of one replica (the widest valid tensor parallel within one node, pipeline stages over nodes; llama.cpp splits layers).", 1, 1, MemoryModel.MaxDevicesSearched);
    /// <summary>--system-devices.</summary>
    public Option<int?> SystemDevices { get; } = new("--system-devices") { Description = "Devices of the whole system, split into data-parallel replicas of TP x PP, the load spread evenly over them (pinned by --tp, --pp, --replicas, --dp-attention where given, else chosen: simulate, the most output tokens/s per device at the load; capacity, the largest load per device meeting the targets; tensor parallel within one node). Not with --devices.", CustomParser = r => CliOptions.ParseCount(r, "--system-devices", 1, MemoryModel.MaxDevicesSearched) };
    /// <summary>--tp.</summary>
    public Option<int?> Tp { get; } = new("--tp") { Description = "With --system-devices: tensor-parallel degree of each replica. Default: chosen.", CustomParser = r => CliOptions.ParseCount(r, "--tp", 1, Layouts.MaxTensorParallel) };
    /// <summary>--pp.</summary>
    public Option<int?> Pp { get; } = new("--pp") { Description = "With --system-devices: pipeline stages of each replica. Default: chosen.", CustomParser = r => CliOptions.ParseCount(r, "--pp", 1, Layouts.MaxPipelineStages) };
    /// <summary>--replicas.</summary>
    public Option<int?> Replicas { get; } = new("--replicas") { Description = "With --system-devices: data-parallel replicas. Default: chosen.", CustomParser = r => CliOptions.ParseCount(r, "--replicas", 1, MemoryModel.MaxDevicesSearched) };
    /// <summary>--dp-attention.</summary>
    public Option<int?> DpAttention { get; } = new("--dp-attention") { Description = "With --system-devices: data-parallel attention ranks of each replica (mixture-of-experts models), each with --tp devices, the experts over all of them.", CustomParser = r => CliOptions.ParseCount(r, "--dp-attention", 1, Layouts.MaxTensorParallel) };

    /// <summary>--pp-in-node.</summary>
    public Option<bool> PpInNode { get; } = new("--pp-in-node") { Description = PpInNodeHelp };

    /// <summary>The help of --pp-in-node (perf has the same option).</summary>
    public const string PpInNodeHelp = "With --system-devices and no --pp: let the chosen split use 2 or 4 pipeline stages within one node beside the splits without stages (off by default: with it validation's error grew, docs/methodology-serving.md, 'Whole systems').";

    /// <summary>The options, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [Devices, SystemDevices, Tp, Pp, Replicas, DpAttention, PpInNode];

    /// <summary>The <see cref="LayoutInputs"/> the options give.</summary>
    public LayoutInputs Inputs(ParseResult parse) => new()
    {
        Devices = parse.GetValue(Devices),
        SystemDevices = parse.GetValue(SystemDevices),
        Tp = parse.GetValue(Tp),
        Pp = parse.GetValue(Pp),
        Replicas = parse.GetValue(Replicas),
        AttentionDp = parse.GetValue(DpAttention),
        PipelineWithinNode = parse.GetValue(PpInNode),
    };
}

/// <summary>The load options of <c>simulate</c> and <c>capacity</c>: a Poisson rate, closed-loop clients or a trace, the token distributions, how many requests and the seed.</summary>
public sealed class LoadOptions
{
    /// <summary>--rate.</summary>
    public Option<double?> Rate { get; } = new("--rate") { Description = "Poisson arrivals, requests per second." };
    /// <summary>--concurrency.</summary>
    public Option<int?> Concurrency { get; } = CliOptions.OptionalCount("--concurrency", "-c", "Closed loop of this many clients, each sending its next request when the last one finishes (plus --think-time).", 1, Suanli.Serving.Workload.MaxConcurrency);
    /// <summary>--trace.</summary>
    public Option<string?> Trace { get; } = new("--trace") { Description = "CSV of requests: arrival seconds, input tokens, output tokens (header optional)." };
    /// <summary>--input.</summary>
    public Option<string?> Input { get; } = new("--input", "-i") { Description = "Prompt tokens: 512, uniform:256:1024, normal:512:128, lognormal:mean=800,sd=400, empirical:100,200,4000 or dataset:NAME (a benchmark dataset's per-request lengths: mlperf-llama2-70b-99, mlperf-mixtral-8x7b, mlperf-llama3-1-405b, mlperf-llama3-1-8b-datacenter, mlperf-deepseek-r1)." };
    /// <summary>--output.</summary>
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Output tokens, same forms as --input (dataset:NAME takes the dataset's answer lengths, drawn with its prompt lengths when --input names the same dataset)." };
    /// <summary>--think-time.</summary>
    public Option<double> ThinkTime { get; } = new("--think-time") { Description = "Seconds a closed-loop client waits between a response and its next request.", DefaultValueFactory = _ => 0 };
    /// <summary>--start.</summary>
    public Option<string?> Start { get; } = new("--start") { Description = StartHelp };
    /// <summary>--requests.</summary>
    public Option<int?> Requests { get; } = CliOptions.OptionalCount("--requests", "-n", $"Requests to issue (default {Suanli.Serving.Workload.DefaultRequests.ToString("N0", CultureInfo.InvariantCulture)}, unless --duration is given).", 1, Suanli.Serving.Workload.MaxRequests);
    /// <summary>--duration.</summary>
    public Option<double?> Duration { get; } = new("--duration") { Description = "Seconds of arrivals to simulate." };
    /// <summary>--seed.</summary>
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Random seed; the same seed gives the same run.", DefaultValueFactory = _ => 1 };

    /// <summary>The options, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [Rate, Concurrency, Trace, Input, Output, ThinkTime, Start, Requests, Duration, Seed];

    /// <summary>The help of --start.</summary>
    public const string StartHelp = "When a closed loop's clients send their first requests: together (every client at time 0, as a benchmark client does; the default) or staggered (client c of N at c gaps of one client's cycle alone over N, the rule a plan sizes its concurrency demand with; docs/methodology-serving.md, 'Closed loop').";
}

/// <summary>The latency-target options of <c>simulate</c> and <c>capacity</c>, seconds, and the <see cref="TargetInputs"/> they give.</summary>
public sealed class TargetOptions
{
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

    /// <summary>Target at a stated percentile.</summary>
    public Option<double?> Ttft { get; } = new("--ttft") { Description = "Target: time to first token at --ttft-percentile (default p90), seconds." };
    /// <summary>Target.</summary>
    public Option<double?> Tpot { get; } = new("--tpot") { Description = "Target: time per output token at --tpot-percentile (default p90), seconds." };
    /// <summary>Target.</summary>
    public Option<double?> E2e { get; } = new("--e2e") { Description = "Target: end-to-end latency at --e2e-percentile (default p90), seconds." };
    /// <summary>The percentile of --ttft.</summary>
    public Option<string?> TtftPercentile { get; } = new("--ttft-percentile") { Description = "Percentile --ttft is checked at, above 0 and below 100 (95, 99, 99.9); the window needs 10 measured requests beyond it." };
    /// <summary>The percentile of --tpot.</summary>
    public Option<string?> TpotPercentile { get; } = new("--tpot-percentile") { Description = "Percentile --tpot is checked at, above 0 and below 100; the window needs 10 measured requests beyond it." };
    /// <summary>The percentile of --e2e.</summary>
    public Option<string?> E2ePercentile { get; } = new("--e2e-percentile") { Description = "Percentile --e2e is checked at, above 0 and below 100; the window needs 10 measured requests beyond it." };

    /// <summary>The options, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [TtftP90, TpotP90, E2eP90, TtftP99, TpotP99, E2eP99, Ttft, Tpot, E2e, TtftPercentile, TpotPercentile, E2ePercentile];

    /// <summary>The <see cref="TargetInputs"/> the options give.</summary>
    public TargetInputs Inputs(ParseResult parse) => new()
    {
        TtftP90 = parse.GetValue(TtftP90),
        TpotP90 = parse.GetValue(TpotP90),
        E2eP90 = parse.GetValue(E2eP90),
        TtftP99 = parse.GetValue(TtftP99),
        TpotP99 = parse.GetValue(TpotP99),
        E2eP99 = parse.GetValue(E2eP99),
        Ttft = parse.GetValue(Ttft),
        Tpot = parse.GetValue(Tpot),
        E2e = parse.GetValue(E2e),
        TtftPercentile = parse.GetValue(TtftPercentile),
        TpotPercentile = parse.GetValue(TpotPercentile),
        E2ePercentile = parse.GetValue(E2ePercentile),
    };
}

/// <summary>The engine scheduler and cache options of <c>simulate</c> and <c>capacity</c>, and the <see cref="EngineInputs"/> they give.</summary>
public sealed class EngineOptions
{
    /// <summary>Engine limit.</summary>
    public Option<int?> MaxNumSeqs { get; } = new("--max-num-seqs") { Description = "Most running sequences (default: the engine's own for the device)." };
    /// <summary>Engine limit.</summary>
    public Option<int?> MaxBatchedTokens { get; } = new("--max-batched-tokens") { Description = "Most tokens per step, also the prefill chunk (default: the engine's own for the device)." };
    /// <summary>Engine setting.</summary>
    public Option<int> BlockSize { get; } = new("--block-size") { Description = "Tokens per KV-cache block.", DefaultValueFactory = _ => 16 };
    /// <summary>Engine setting.</summary>
    public Option<double?> GpuMemoryUtilization { get; } = new("--gpu-memory-utilization") { Description = "Fraction of device memory the engine uses (default: the engine's, 0.9; 1.0 for llama.cpp, which keeps no memory fraction)." };
    /// <summary>Engine setting.</summary>
    public Option<double> PrefixHitRate { get; } = new("--prefix-hit-rate") { Description = "Fraction of each prompt served from the prefix cache (a shared system prompt), 0 to 1.", DefaultValueFactory = _ => 0 };

    /// <summary>The options, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [MaxNumSeqs, MaxBatchedTokens, BlockSize, GpuMemoryUtilization, PrefixHitRate];

    /// <summary>The <see cref="EngineInputs"/> the options give.</summary>
    public EngineInputs Inputs(ParseResult parse) => new()
    {
        MaxNumSeqs = parse.GetValue(MaxNumSeqs),
        MaxBatchedTokens = parse.GetValue(MaxBatchedTokens),
        BlockSize = parse.GetValue(BlockSize),
        GpuMemoryUtilization = parse.GetValue(GpuMemoryUtilization),
        PrefixHitRate = parse.GetValue(PrefixHitRate),
    };
}

/// <summary>The speculative-decoding options of <c>simulate</c> and <c>capacity</c>, and the <see cref="SpeculationInputs"/> they give.</summary>
public sealed class SpeculationOptions
{
    /// <summary>Speculative decoding.</summary>
    public Option<string?> Speculate { get; } = new("--speculate") { Description = "Speculative decoding: mtp, eagle or draft:MODEL; each sequence emits the expected tokens per step." };
    /// <summary>Speculation acceptance rate.</summary>
    public Option<double?> Accept { get; } = new("--accept") { Description = "With --speculate: probability that one proposed token is accepted, 0 < A < 1." };
    /// <summary>Tokens proposed per step.</summary>
    public Option<int?> DraftTokens { get; } = new("--draft-tokens") { Description = "With --speculate: tokens proposed per sequence per step. Default: 1 for mtp, 4 otherwise." };

    /// <summary>The options, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [Speculate, Accept, DraftTokens];

    /// <summary>The <see cref="SpeculationInputs"/> the options give.</summary>
    public SpeculationInputs Inputs(ParseResult parse) => new()
    {
        Speculate = parse.GetValue(Speculate),
        Accept = parse.GetValue(Accept),
        DraftTokens = parse.GetValue(DraftTokens),
    };
}
