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
    /// <summary>The devices of a replica and of the whole system, and the layout pinned on them.</summary>
    public LayoutInputs Layout { get; init; } = new();
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
    /// <summary>
    /// When a closed loop's clients send their first requests: together (null or "together", every client at time 0, the
    /// default) or "staggered" (the rule a plan sizes its concurrency demand with); see <see cref="ClientStartText"/>.
    /// </summary>
    public string? Start { get; init; }
    /// <summary>Requests to issue; null is the default (or the most, with a duration).</summary>
    public int? Requests { get; init; }
    /// <summary>Seconds of arrivals to simulate.</summary>
    public double? Duration { get; init; }
    /// <summary>Random seed.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>The latency targets, each at its own percentile.</summary>
    public TargetInputs Targets { get; init; } = new();
    /// <summary>The engine's scheduler and cache settings.</summary>
    public EngineInputs EngineSettings { get; init; } = new();
    /// <summary>Speculative decoding.</summary>
    public SpeculationInputs Speculation { get; init; } = new();
}

/// <summary>
/// The latency targets of <c>simulate</c> and <c>capacity</c>, seconds: each metric's target in one form, at p90, at p99,
/// or at the percentile its percentile field states (default p90); metrics may be checked at different percentiles.
/// </summary>
public sealed record TargetInputs
{
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
    /// <summary>Target: time to first token at <see cref="TtftPercentile"/>, seconds.</summary>
    public double? Ttft { get; init; }
    /// <summary>Target: time per output token at <see cref="TpotPercentile"/>, seconds.</summary>
    public double? Tpot { get; init; }
    /// <summary>Target: end-to-end latency at <see cref="E2ePercentile"/>, seconds.</summary>
    public double? E2e { get; init; }
    /// <summary>The percentile <see cref="Ttft"/> is checked at, as given (99, p99, 99.9); null: p90.</summary>
    public string? TtftPercentile { get; init; }
    /// <summary>The percentile <see cref="Tpot"/> is checked at, as given; null: p90.</summary>
    public string? TpotPercentile { get; init; }
    /// <summary>The percentile <see cref="E2e"/> is checked at, as given; null: p90.</summary>
    public string? E2ePercentile { get; init; }
}

/// <summary>The engine settings of <c>simulate</c> and <c>capacity</c>; caps left null are the engine's own for the device (SchedulerDefaults, docs/methodology-serving.md).</summary>
public sealed record EngineInputs
{
    /// <summary>Most running sequences; null is the engine's default for the device.</summary>
    public int? MaxNumSeqs { get; init; }
    /// <summary>Most tokens per step; null is the engine's default for the device.</summary>
    public int? MaxBatchedTokens { get; init; }
    /// <summary>Tokens per KV-cache block.</summary>
    public int BlockSize { get; init; } = 16;
    /// <summary>Fraction of device memory the engine uses; null is the engine's own (0.9, 1.0 for llama.cpp: <see cref="Suanli.Serving.EngineConfig.ReserveFor(Suanli.StepTime.Engine, Suanli.Catalog.Device, int?, Suanli.Serving.EntryPoint)"/>).</summary>
    public double? GpuMemoryUtilization { get; init; }
    /// <summary>Fraction of each prompt served from the prefix cache, 0 to 1.</summary>
    public double PrefixHitRate { get; init; }
}

/// <summary>Speculative decoding for <c>simulate</c> and <c>capacity</c>.</summary>
public sealed record SpeculationInputs
{
    /// <summary>Speculative decoding: null for none, else mtp, eagle or draft:MODEL.</summary>
    public string? Speculate { get; init; }
    /// <summary>Probability that one proposed token is accepted, strictly between 0 and 1; required with <see cref="Speculate"/>.</summary>
    public double? Accept { get; init; }
    /// <summary>Tokens proposed per sequence per step; null is 1 for mtp and 4 otherwise.</summary>
    public int? DraftTokens { get; init; }
}

/// <summary>The devices and layout of <c>simulate</c> and <c>capacity</c>: one replica, or a system split into replicas.</summary>
public sealed record LayoutInputs
{
    /// <summary>Devices of one replica, split by <see cref="ReplicaLayouts.Default"/> (the widest valid TP within one node; llama.cpp by layers).</summary>
    public int Devices { get; init; } = 1;
    /// <summary>Devices of the whole system, split into data-parallel replicas (pinned by the fields below where given, else chosen); null: one replica of <see cref="Devices"/>.</summary>
    public int? SystemDevices { get; init; }
    /// <summary>With <see cref="SystemDevices"/>: tensor-parallel degree of each replica; null is chosen.</summary>
    public int? Tp { get; init; }
    /// <summary>With <see cref="SystemDevices"/>: pipeline stages of each replica; null is chosen.</summary>
    public int? Pp { get; init; }
    /// <summary>With <see cref="SystemDevices"/>: data-parallel replicas; null is chosen.</summary>
    public int? Replicas { get; init; }
    /// <summary>With <see cref="SystemDevices"/>: data-parallel attention ranks of each replica (mixture-of-experts models); null is none.</summary>
    public int? AttentionDp { get; init; }
    /// <summary>With <see cref="SystemDevices"/>: whether the chosen split may use PP = 2 or 4 within one node beside the splits without stages.</summary>
    public bool PipelineWithinNode { get; init; }
}
