using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>
/// The scheduler and KV-cache settings of a continuous-batching engine (vLLM / SGLang style). Defaults: the engine's own
/// (<see cref="SchedulerDefaults"/>), with their sources in docs/methodology-serving.md, "Engine defaults".
/// </summary>
/// <param name="MaxNumSeqs">Most sequences running at once (vLLM <c>max_num_seqs</c>).</param>
/// <param name="MaxBatchedTokens">Most tokens, prefill plus decode, in one step (vLLM <c>max_num_batched_tokens</c>), which is also the prefill chunk.</param>
/// <param name="BlockSize">Tokens per KV-cache block (vLLM <c>block_size</c>).</param>
/// <param name="GpuMemoryUtilization">Fraction of device memory the engine uses (vLLM <c>gpu_memory_utilization</c>); with <see cref="KvFractionOfFreeMemory"/>, the fraction of the memory left free after loading that the KV cache takes (TensorRT-LLM <c>kv_cache_free_gpu_mem_fraction</c>).</param>
/// <param name="PrefixCacheHitRate">Fraction of each prompt found in the prefix cache (a shared system prompt), 0 to 1; whole blocks only.</param>
/// <param name="Watermark">Fraction of KV blocks kept free when admitting a new prompt, so that running sequences can grow (vLLM V0 block manager, 0.01).</param>
/// <param name="MaxQueue">Waiting requests beyond which the replica is declared saturated and the simulation stops.</param>
public sealed record EngineConfig(int MaxNumSeqs, int MaxBatchedTokens, int BlockSize, double GpuMemoryUtilization, double PrefixCacheHitRate, double Watermark, int MaxQueue)
{
    /// <summary>
    /// How a step combines prefill and decode work: <see cref="StepPolicy.Mixed"/> (vLLM V1, TensorRT-LLM, llama.cpp) or
    /// <see cref="StepPolicy.PrefillFirst"/> (SGLang's default, vLLM V0 without chunked prefill). Sources:
    /// docs/methodology-serving.md, "Engine defaults".
    /// </summary>
    public StepPolicy Policy { get; init; } = StepPolicy.Mixed;

    /// <summary>
    /// True when a prompt may be split over several steps (chunked prefill, the default of vLLM V1, SGLang and the
    /// TensorRT-LLM builds validated here); false when a prompt is admitted only whole, within the token budget left
    /// (vLLM with <c>enable_chunked_prefill</c> off).
    /// </summary>
    public bool ChunkedPrefill { get; init; } = true;

    /// <summary>
    /// True when a request is admitted only while the KV blocks of its whole sequence (prompt plus every output token)
    /// are free, and keeps them until it completes, so that a running request is never preempted (TensorRT-LLM's
    /// <c>GUARANTEED_NO_EVICT</c> capacity scheduler, the default of its LLM API, <c>trtllm-serve</c> and
    /// <c>trtllm-bench</c>); false when a request holds the blocks of its prompt and takes one more per block of output
    /// as it decodes, preempting the latest admitted when they run out (vLLM, and TensorRT-LLM's <c>MAX_UTILIZATION</c>,
    /// which the MLPerf v4.1 NVIDIA harness runs). Off unless set (a measurement row's <c>capacity_scheduler</c>):
    /// docs/methodology-serving.md, "Engine defaults", says why.
    /// </summary>
    public bool ReserveWholeSequence { get; init; }

    /// <summary>
    /// A harness in front of the engines that holds arriving requests and hands them over in batches (AMD's MLPerf
    /// v4.1 Server harness, <c>--enable-batcher</c>); null: every request reaches the engine when it arrives. Applies to
    /// Poisson arrivals only. docs/methodology-serving.md, "Harness batcher".
    /// </summary>
    public HarnessBatcher? Batcher { get; init; }

    /// <summary>
    /// A harness in front of several replicas that sends each arriving request to the replica with the fewest requests
    /// in flight (NVIDIA's MLPerf LLM harness, traffic distribution policy <c>loadBalancing</c>, its default); null:
    /// the replica receives its even share of a Poisson stream, split at random. Applies to Poisson arrivals without a
    /// <see cref="Batcher"/>; the replicas are then simulated together. docs/methodology-serving.md, "Harness dispatch".
    /// </summary>
    public HarnessDispatch? Dispatch { get; init; }

    /// <summary>
    /// True when <see cref="GpuMemoryUtilization"/> is the share of the memory left free once weights, activations and
    /// the runtime context are loaded that goes to the KV cache (TensorRT-LLM's <c>kv_cache_free_gpu_mem_fraction</c>,
    /// 0.9, also in NVIDIA's MLPerf v4.1 configs); false when it is the share of the whole device the engine may use,
    /// the KV cache taking what the rest leaves of it (vLLM's <c>gpu_memory_utilization</c>). Off unless set, for
    /// TensorRT-LLM too: as its default it made the held-out figures worse (docs/methodology-serving.md, "KV capacity").
    /// </summary>
    public bool KvFractionOfFreeMemory { get; init; }

    /// <summary>The waiting-queue bound used unless another is given.</summary>
    public const int DefaultMaxQueue = 20_000;

    /// <summary>
    /// The engine's documented scheduler caps when its user set none (<see cref="SchedulerDefaults"/>), kept so that
    /// the output says they were assumed; null once both caps were given (<see cref="WithCaps"/>).
    /// </summary>
    public SchedulerDefault? AssumedCaps { get; init; }

    /// <summary>
    /// An engine's defaults on a device: its documented scheduler caps (<see cref="SchedulerDefaults.For"/>, recorded
    /// in <see cref="AssumedCaps"/>); block size 16; gpu_memory_utilization 0.9 (1.0 for llama.cpp, which keeps no
    /// memory fraction); chunked prefill; SGLang runs prefill-only and decode-only steps
    /// (<see cref="StepPolicy.PrefillFirst"/>), the others mix them; no engine reserves KV for whole sequences
    /// (<see cref="ReserveWholeSequence"/>: TensorRT-LLM's GUARANTEED_NO_EVICT default made the leave-one-out error
    /// worse, docs/methodology-serving.md, "Engine defaults").
    /// </summary>
    public static EngineConfig Default(Engine engine, Device device, EntryPoint entry = EntryPoint.Server)
    {
        var caps = SchedulerDefaults.For(engine, device, entry);
        return new EngineConfig(caps.MaxNumSeqs, caps.MaxBatchedTokens, 16, ReserveFor(engine).MemoryUtilization, 0, 0.01, DefaultMaxQueue)
        {
            Policy = engine == Engine.Sglang ? StepPolicy.PrefillFirst : StepPolicy.Mixed,
            AssumedCaps = caps,
        };
    }

    /// <summary>
    /// The engine settings a plan runs on <paramref name="d"/>: the engine's defaults (<see cref="Default"/>), except
    /// that llama.cpp's slot count is the plan's choice, as an operator sets llama-server's <c>n_parallel</c> (with the
    /// context size = slots x the context per slot) to what the memory holds rather than keep its 4 default slots: as
    /// many slots as the replica's KV cache holds sequences of <paramref name="tokensPerSequence"/> tokens (the mean
    /// prompt plus output), at least 1 and at most <c>n_batch</c>. The bound is the simulator's: its step budget is
    /// also the prefill chunk, which llama-server fills up to <c>n_batch</c> (its batch holds max(n_batch, n_parallel)
    /// tokens, ggml-org/llama.cpp@fb4026604c67c682f552337ec9b91eced0abd35a tools/server/server-context.cpp), and a step
    /// decodes one token of every running slot within that budget. The simulator still bounds running sequences by KV
    /// blocks. Throws as <see cref="ServingSimulator.KvCapacity"/> does when the weights do not fit.
    /// </summary>
    public static EngineConfig Planned(Deployment d, double tokensPerSequence)
    {
        var e = Default(d.Engine, d.Device);
        if (d.Engine != Engine.LlamaCpp)
        {
            return e;
        }
        var perSlot = Math.Max(1, tokensPerSequence);
        int Slots(EngineConfig at) => (int)Math.Clamp(Math.Floor(ServingSimulator.KvCapacity(d, at) / perSlot), 1, e.MaxBatchedTokens);
        // More slots reserve more logits rows, which leaves slightly less KV: the count is re-checked once at its own setting.
        var first = Slots(e);
        return e with { MaxNumSeqs = Math.Min(first, Slots(e with { MaxNumSeqs = first })) };
    }

    /// <summary>
    /// The caps a user or a measurement row stated (null: not stated) in place of the defaults. <see cref="AssumedCaps"/>
    /// stays while either cap is still the default, so the output can say which was assumed.
    /// </summary>
    public EngineConfig WithCaps(int? maxNumSeqs, int? maxBatchedTokens) => this with
    {
        MaxNumSeqs = maxNumSeqs ?? MaxNumSeqs,
        MaxBatchedTokens = maxBatchedTokens ?? MaxBatchedTokens,
        AssumedCaps = maxNumSeqs is not null && maxBatchedTokens is not null ? null : AssumedCaps,
    };

    /// <summary>
    /// The memory reserve an engine keeps: llama.cpp allocates only the weights, the KV of its context and compute
    /// buffers (no memory fraction; ggml-org/llama.cpp tools/server/README.md), so all device memory is usable; vLLM,
    /// SGLang and TensorRT-LLM keep <see cref="RuntimeReserve.Default"/> (utilisation 0.9).
    /// </summary>
    public static RuntimeReserve ReserveFor(Engine engine) =>
        engine == Engine.LlamaCpp ? RuntimeReserve.Default with { MemoryUtilization = 1.0 } : RuntimeReserve.Default;

    /// <summary>
    /// The memory reserve of <paramref name="engine"/> on <paramref name="device"/> (<see cref="ReserveFor(Engine)"/>) with
    /// its step token budget as the prefill chunk that sizes the activations: <paramref name="stepTokens"/> when a user or
    /// a measurement states it, else the engine's default on the device (<see cref="SchedulerDefaults.For"/>: 8,192 for
    /// vLLM's server on an H100). The one rule by which the footprint (<c>memory</c>, the layouts that fit, the analytic
    /// bound) and the serving simulation (<see cref="ServingSimulator.KvCapacity"/>) size activations
    /// (docs/methodology.md, "Activations").
    /// </summary>
    public static RuntimeReserve ReserveFor(Engine engine, Device device, int? stepTokens = null, EntryPoint entry = EntryPoint.Server) =>
        ReserveFor(engine) with { PrefillChunkTokens = stepTokens ?? SchedulerDefaults.For(engine, device, entry).MaxBatchedTokens };

    /// <summary>Checks every field and returns the configuration.</summary>
    public EngineConfig Validated()
    {
        Guard.InRange(MaxNumSeqs, 1, StatedCaps.MostSequences, FieldNames.MaxNumSeqs);
        Guard.InRange(MaxBatchedTokens, 1, StatedCaps.MostTokens, FieldNames.MaxBatchedTokens);
        Guard.InRange(BlockSize, 1, 1024, FieldNames.BlockSize);
        Guard.InRange(GpuMemoryUtilization, 0.05, 1.0, FieldNames.GpuMemoryUtilization);
        Guard.InRange(PrefixCacheHitRate, 0, 1, FieldNames.PrefixHitRate);
        Guard.InRange(Watermark, 0, 0.5, "watermark");
        Guard.InRange(MaxQueue, 1, 10_000_000, "max queue");
        Batcher?.Validated();
        Dispatch?.Validated();
        return this;
    }
}

/// <summary>
/// A harness that collects the queries of a whole system for <paramref name="WindowSeconds"/> and sends each batch to
/// the next of <paramref name="Replicas"/> replicas in turn (AMD's MLPerf v4.1 Server harness: <c>batch_samples_loop</c>
/// sends what arrived once <c>batcher_threshold</c>, 0.3 s, has passed since the last batch, round robin over the
/// data-parallel engines). One replica therefore receives, every <see cref="CycleSeconds"/>, the queries that arrived in
/// the last <paramref name="WindowSeconds"/> of the cycle. docs/methodology-serving.md, "Harness batcher".
/// </summary>
/// <param name="WindowSeconds">Seconds between two batches of the whole system (AMD: <c>batcher_threshold</c> 0.3 s).</param>
/// <param name="Replicas">Replicas the batches go to in turn (the replica simulated gets one batch in this many).</param>
public sealed record HarnessBatcher(double WindowSeconds, int Replicas)
{
    /// <summary>Seconds between two batches reaching one replica: window x replicas.</summary>
    public double CycleSeconds => WindowSeconds * Replicas;

    /// <summary>
    /// When a request drawn at <paramref name="replicaSeconds"/> on the replica's own Poisson clock reaches the engine:
    /// the end of its cycle.
    /// </summary>
    public double Release(double replicaSeconds) => (Math.Floor(replicaSeconds / CycleSeconds) + 1) * CycleSeconds;

    /// <summary>
    /// When that request arrived at the harness (what latency counts from): the replica's share of the system's Poisson
    /// stream over one cycle, at rate/replicas, is the system's stream over the cycle's last window, so the offset into
    /// the cycle shrinks by the replica count into that window.
    /// </summary>
    public double Arrival(double replicaSeconds)
    {
        var cycle = Math.Floor(replicaSeconds / CycleSeconds);
        return (cycle + 1) * CycleSeconds - WindowSeconds + (replicaSeconds - cycle * CycleSeconds) / Replicas;
    }

    /// <summary>Checks both fields and returns the batcher.</summary>
    public HarnessBatcher Validated()
    {
        Guard.InRange(WindowSeconds, 1e-6, 3600, "batcher window");
        Guard.InRange(Replicas, 1, 1_000_000, "batcher replicas");
        return this;
    }
}

/// <summary>
/// A harness that sends each request of a whole system's Poisson stream to the replica with the fewest requests in
/// flight (issued and not yet completed), the first such replica on a tie (NVIDIA's MLPerf LLM harness,
/// <c>LLMServerLoadGen::getLeastBusyIdx</c>, <c>std::min_element</c> over the in-flight counts).
/// docs/methodology-serving.md, "Harness dispatch".
/// </summary>
/// <param name="Replicas">Replicas the harness dispatches to, the simulated one among them.</param>
public sealed record HarnessDispatch(int Replicas)
{
    /// <summary>Checks the replica count and returns the dispatch.</summary>
    public HarnessDispatch Validated()
    {
        Guard.InRange(Replicas, 1, 4096, "dispatch replicas");
        return this;
    }
}

/// <summary>How one engine step combines the prefill of prompts with the decoding of running sequences.</summary>
public enum StepPolicy
{
    /// <summary>
    /// Every running sequence decodes one token, then prefill chunks fill the rest of the token budget, in one step
    /// (vLLM V1 <c>schedule()</c>: RUNNING before WAITING; TensorRT-LLM in-flight batching: generation first).
    /// </summary>
    Mixed,

    /// <summary>
    /// A step that can run prefill tokens runs only prefills; decodes run in steps without any (SGLang
    /// <c>get_next_batch_to_run</c>: "Run prefill first if possible", mixing off by default; vLLM V0
    /// <c>_schedule_default</c>: "Don't schedule decodes if prefills are scheduled").
    /// </summary>
    PrefillFirst,
}

/// <summary>
/// Latency targets a replica must meet, each at its own percentile (p90 unless stated); a null target is not checked.
/// Goodput counts requests that meet every target individually.
/// </summary>
/// <param name="Ttft">Time to first token.</param>
/// <param name="Tpot">Time per output token after the first.</param>
/// <param name="E2e">End-to-end latency.</param>
public sealed record ServingTargets(Quantities.Duration? Ttft, Quantities.Duration? Tpot, Quantities.Duration? E2e)
{
    /// <summary>No targets.</summary>
    public static ServingTargets None { get; } = new(null, null, null);

    /// <summary>The longest target accepted, in seconds (one day): the limit of a scenario file and of the planner page's query alike.</summary>
    public const double MaxSeconds = 86_400;

    /// <summary>The percentile <see cref="Ttft"/> is checked at (default p90).</summary>
    public Percentile TtftAt { get; init; } = Percentile.P90;

    /// <summary>The percentile <see cref="Tpot"/> is checked at (default p90).</summary>
    public Percentile TpotAt { get; init; } = Percentile.P90;

    /// <summary>The percentile <see cref="E2e"/> is checked at (default p90).</summary>
    public Percentile E2eAt { get; init; } = Percentile.P90;

    /// <summary>True when at least one target is set.</summary>
    public bool Any => Ttft is not null || Tpot is not null || E2e is not null;

    /// <summary>The same targets, every one checked at <paramref name="p"/>.</summary>
    public ServingTargets AllAt(Percentile p) => this with { TtftAt = p, TpotAt = p, E2eAt = p };

    /// <summary>The percentile a metric's target is checked at (the queue has none: p90).</summary>
    public Percentile AtOf(ServingMetric metric) => metric switch
    {
        ServingMetric.Ttft => TtftAt,
        ServingMetric.Tpot => TpotAt,
        ServingMetric.E2e => E2eAt,
        _ => Percentile.P90,
    };

    /// <summary>The target of a metric (null: not checked; the queue has none).</summary>
    public Quantities.Duration? Of(ServingMetric metric) => metric switch
    {
        ServingMetric.Ttft => Ttft,
        ServingMetric.Tpot => Tpot,
        ServingMetric.E2e => E2e,
        _ => null,
    };

    /// <summary>The percentiles of the targets set, for the simulation to estimate beside p50, p90 and p99.</summary>
    public IReadOnlyList<Percentile> Percentiles =>
        [.. new[] { (Ttft, TtftAt), (Tpot, TpotAt), (E2e, E2eAt) }.Where(x => x.Item1 is not null).Select(x => x.Item2).Distinct()];

    /// <summary>
    /// Requests a window of <paramref name="floor"/> requests or more must issue for every target's percentile to be
    /// estimated (<see cref="Percentile.MinMeasured"/> measured after the warm-up fraction), at most
    /// <see cref="Workload.MaxRequests"/>: 600 stays 600 at p90, becomes 1,112 at p99 and 11,112 at p99.9.
    /// </summary>
    /// <param name="floor">The requests the caller simulates otherwise.</param>
    /// <param name="warmupFraction">The share of requests left out of the statistics.</param>
    public int RequestsFor(int floor, double warmupFraction = 0.1)
    {
        var most = Percentiles.Select(p => p.MinMeasured).DefaultIfEmpty(0).Max();
        var needed = Math.Ceiling(Math.Round(most / (1 - warmupFraction), 6));
        return (int)Math.Min(Workload.MaxRequests, Math.Max(floor, needed));
    }

    /// <summary>The logical field of a metric's target at a percentile: <c>ttft-p90</c>, <c>tpot-p99.9</c>.</summary>
    public static FieldName FieldOf(ServingMetric metric, Percentile at) =>
        new(metric.ToString().ToLowerInvariant() + "-" + at.ToString());

    /// <summary>
    /// Targets from seconds (null: not checked), all at <paramref name="at"/> (default p90); zero, negative, non-finite
    /// values and values over <see cref="MaxSeconds"/> (as a scenario file refuses them) throw naming the field.
    /// </summary>
    public static ServingTargets FromSeconds(double? ttft, double? tpot, double? e2e, Percentile? at = null)
    {
        var p = at ?? Percentile.P90;
        return FromSeconds(ttft, p, tpot, p, e2e, p);
    }

    /// <summary>Targets from seconds, each at its own percentile; values are checked as <see cref="FromSeconds(double?, double?, double?, Percentile?)"/> does.</summary>
    public static ServingTargets FromSeconds(double? ttft, Percentile ttftAt, double? tpot, Percentile tpotAt, double? e2e, Percentile e2eAt) =>
        new(Make(ttft, FieldOf(ServingMetric.Ttft, ttftAt)), Make(tpot, FieldOf(ServingMetric.Tpot, tpotAt)), Make(e2e, FieldOf(ServingMetric.E2e, e2eAt)))
        {
            TtftAt = ttftAt, TpotAt = tpotAt, E2eAt = e2eAt,
        };

    private static Quantities.Duration? Make(double? seconds, FieldName field) => seconds is { } s ? Seconds(s, field) : null;

    /// <summary>
    /// One target in seconds, more than zero and at most <see cref="MaxSeconds"/>, or an error naming the field: the
    /// rule compare and optimize apply too (they took 1e308 s, which simulate and a scenario file refuse).
    /// </summary>
    public static Quantities.Duration Seconds(double seconds, FieldRef field)
    {
        Guard.InRange(Guard.Positive(seconds, field), 0, MaxSeconds, field);
        if (seconds < MinSeconds)
        {
            throw field.Error(BelowFloor(field.Arg, seconds));
        }
        return Quantities.Duration.FromSeconds(seconds);
    }

    /// <summary>
    /// The shortest target accepted, in seconds (1 µs): no engine step is that short. The calibrated step-time model
    /// charges every step at least its fixed overhead, fitted in every group of catalog/calibration/steptime.yaml to far
    /// more than a microsecond (docs/methodology-steptime.md), so a target below a microsecond (1e-320 s, a denormal) is a
    /// mistyped unit, not a target any load could meet. The sentence names no fitted figure: a refit would leave it stale.
    /// </summary>
    public const double MinSeconds = 1e-6;

    /// <summary>The sentence for a target below <see cref="MinSeconds"/>: the value, the floor, why and the fix.</summary>
    /// <param name="field">The field as its phrase placeholder (a logical field or a spelling).</param>
    /// <param name="seconds">The target as given, in seconds.</param>
    public static Phrase BelowFloor(object field, double seconds) => Phrase.Of("target-floor",
        "{field} {value} s is below 1 µs (0.000001 s), shorter than any engine step: the calibrated step-time model charges every step a fixed overhead longer than that (catalog/calibration/steptime.yaml). Give the target in seconds (0.05 = 50 ms).",
        ("field", field), ("value", Suanli.Text.Fmt.Number(seconds)));
}
