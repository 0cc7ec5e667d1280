using System.Globalization;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>
/// Predicts inference measurements (docs/validation.md, "How rows are predicted"): rows with a queue (scenarios
/// offline, concurrency, rate, capacity) through the serving simulator (<see cref="ServingPrediction"/>) with
/// the step-time model; fixed-batch rows (scenario batch, llama-bench) and prefill speeds from the step time alone.
/// The steady state (<see cref="Evaluate"/>) is the calibration fit's objective only; validation never falls back to it.
/// </summary>
public sealed partial class InferencePredictor(SuanliCatalog catalog, IStepTimeModel model, Calibration calibration) : IRowPredictor
{
    /// <summary>Metrics the predictor knows (without a percentile suffix).</summary>
    public static IReadOnlyList<string> Metrics { get; } =
        ["output_tokens_per_s", "total_tokens_per_s", "requests_per_s", "ttft_ms", "tpot_ms", "e2e_ms", "prefill_tokens_per_s"];

    /// <summary>
    /// Requests simulated for an offline row: this many batches' worth (at least <see cref="MinOfflineRequests"/>), so that
    /// the ramp of the first wave and the drain of the last weigh about as in trtllm-bench's runs of 1,000 to 30,000
    /// requests at batches of a few hundred to 2,048 (NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md,
    /// "Preparing a Dataset").
    /// </summary>
    public const int OfflineBatches = 4;

    /// <summary>The fewest requests of an offline simulation (the Triton online-serving rows issue 500).</summary>
    public const int MinOfflineRequests = 500;

    /// <summary>The most requests of an offline simulation (keeps short-sequence rows at a fraction of a second).</summary>
    public const int MaxOfflineRequests = 8_000;

    /// <summary>
    /// Requests of a rate simulation and of each capacity-search probe: 500, the request count of the TensorRT-LLM
    /// online-serving table the rate rows come from. With fixed lengths the means settle within a few hundred requests.
    /// </summary>
    public const int RateRequests = 500;

    /// <summary>
    /// The shortest measured window of each capacity-search probe: 600 s, MLPerf's minimum Server run
    /// (<c>*.Server.min_duration = 600000</c> ms, mlcommons/inference loadgen/mlperf.conf), whose capacity rows these are;
    /// each probe adds a warm-up of one long request's lifetime before it (<see cref="BenchmarkWindow.For"/>).
    /// A run of a fixed 2,000 requests lasts one to three request lifetimes at MLPerf's long-tailed lengths, so the
    /// batch is still filling when arrivals stop: the keep-up test then fails at loads the replica carries, and the
    /// search stops at about half the step time the TPOT target allows (docs/methodology-serving.md, "Capacity of a
    /// benchmark run").
    /// </summary>
    public static readonly Duration CapacityDuration = Duration.FromSeconds(600);

    /// <summary>Requests of a closed-loop simulation per client (at least <see cref="MinClosedLoopRequests"/>).</summary>
    public const int ClosedLoopRequestsPerClient = 8;

    /// <summary>The fewest requests of a closed-loop simulation.</summary>
    public const int MinClosedLoopRequests = 100;

    // Each simulation runs once (Lazy) even when rows of several runs ask for it from several threads at once (Validator.Run).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Deployment, ScenarioKind, int?, double?, int, int, double?, double?, IStepTimeModel, int, string, EngineConfig, Speculation?, (int?, bool, double?, double?)), Lazy<Simulated>> _simulations = new();

    /// <summary>Simulator values that add up over replicas (rates and throughputs); latencies do not.</summary>
    private static readonly HashSet<string> SystemWide = new(StringComparer.Ordinal)
    {
        "output_tokens_per_s", "total_tokens_per_s", "requests_per_s", "goodput_requests_per_s", "max_requests_per_s", "max_concurrency",
    };

    /// <inheritdoc />
    public InputException? Refuse(MeasurementRow row) => MeasurementBound.Refuse(catalog, row);

    /// <summary>The model predictions come from.</summary>
    public IStepTimeModel Model { get; } = model;

    /// <summary>The metric without a <c>_p90</c> / <c>_p99</c> suffix.</summary>
    public static string BaseMetric(string metric) =>
        metric.EndsWith("_p90", StringComparison.Ordinal) || metric.EndsWith("_p99", StringComparison.Ordinal) ? metric[..^4] : metric;

    /// <inheritdoc />
    public RowPrediction Predict(MeasurementRow row, CancellationToken cancel = default)
    {
        if (row is not InferenceMeasurement m)
        {
            return RowPrediction.Skip("not an inference row");
        }
        var resolved = Resolve(m, out var skip, cancel);
        if (resolved is null)
        {
            return RowPrediction.Skip(skip!);
        }
        if (resolved.ByStepTime)
        {
            var predicted = Evaluate(resolved, Model, out var note);
            var roofline = Evaluate(resolved, Roofline.Instance, out _);
            return new RowPrediction(predicted, roofline, Join(resolved.Note, "step time at batch " + Show.N(resolved.Batch), note), null);
        }
        Simulated sim, roof;
        if (m.Scenario == "capacity")
        {
            StartCapacityRun(resolved, cancel);
        }
        try
        {
            sim = Simulate(resolved, Model, cancel);
            roof = Simulate(resolved, Roofline.Instance, cancel);
        }
        catch (InputException ex)
        {
            return RowPrediction.Skip("the serving simulator cannot run this row: " + ex.Message);
        }
        var name = SimulatorName(resolved);
        if (!sim.Values.TryGetValue(name, out var value))
        {
            return RowPrediction.Skip($"no load meets the row's p99 targets in the simulation ({sim.Note}), so there is no {m.Metric} to compare");
        }
        double? rooflineValue = roof.Values.TryGetValue(name, out var rv) ? rv : null;
        var utilisation = Utilisation(resolved, sim, cancel);
        var simNote = utilisation is { } u ? $"{sim.Note}; utilisation {Show.N(u * 100, 0)}% of the offline request rate" : sim.Note;
        var atCapacity = new RowPrediction(value, rooflineValue, Join(resolved.Note, simNote), null) { LimitingTarget = sim.Limiting };
        return AtPublishedLoad(resolved, atCapacity, cancel);
    }

    /// <summary>The prediction of a resolved row through the validation path with this predictor's model only (no roofline); null when the simulator cannot run it.</summary>
    /// <param name="r">The resolved row.</param>
    /// <param name="cancel">Stops the simulation (an <see cref="OperationCanceledException"/>) inside its run.</param>
    public double? PredictValue(ResolvedInferenceRow r, CancellationToken cancel = default)
    {
        if (r.ByStepTime)
        {
            return Evaluate(r, Model, out _);
        }
        try
        {
            return Simulate(r, Model, cancel).Values.TryGetValue(SimulatorName(r), out var v) ? v : null;
        }
        catch (InputException)
        {
            return null;
        }
    }

    /// <summary>
    /// Utilisation of a concurrency or rate row: its simulated request rate over the request rate of the same replica
    /// and lengths offline (all requests at once, the most it completes); null for other scenarios.
    /// </summary>
    public double? Utilisation(ResolvedInferenceRow r, IStepTimeModel? stepModel = null)
    {
        if (r.Row.Scenario is not ("concurrency" or "rate") || r.ByStepTime)
        {
            return null;
        }
        try
        {
            return Utilisation(r, Simulate(r, stepModel ?? Model, default), default);
        }
        catch (InputException)
        {
            return null;
        }
    }

    private double? Utilisation(ResolvedInferenceRow r, Simulated sim, CancellationToken cancel)
    {
        if (r.Row.Scenario is not ("concurrency" or "rate"))
        {
            return null;
        }
        var offline = Simulate(r with { Row = r.Row with { Scenario = "offline" } }, sim.Model, cancel);
        return sim.Values.TryGetValue("requests_per_s", out var rps) && offline.Values.TryGetValue("requests_per_s", out var max) && max > 0
            ? rps / max : null;
    }

    private static string SimulatorName(ResolvedInferenceRow r)
    {
        var m = r.Row.Metric;
        if (r.Row.Scenario == "capacity" && m == "requests_per_s")
        {
            return "max_requests_per_s";
        }
        // Rows without a suffix are compared with the simulated mean (the TensorRT-LLM and NIM tables print means; each row's note says so).
        return m;
    }

    /// <summary>The serving-simulator prediction of a resolved row's scenario: every metric by name, memoised per scenario and model.</summary>
    private Simulated Simulate(ResolvedInferenceRow r, IStepTimeModel stepModel, CancellationToken cancel)
    {
        var m = r.Row;
        var kind = m.Scenario switch
        {
            "offline" => ScenarioKind.Offline,
            "concurrency" => ScenarioKind.Concurrency,
            "rate" => ScenarioKind.Rate,
            _ => ScenarioKind.Capacity,
        };
        var engine = EngineFor(r);
        var offlineRequests = kind == ScenarioKind.Offline ? OfflineRequests(r, engine) : (int?)null;
        // Each replica serves its share of the load: a closed loop's clients and a Poisson stream split evenly.
        int? concurrency = kind switch
        {
            ScenarioKind.Offline => offlineRequests,
            ScenarioKind.Concurrency => m.Concurrency is { } c ? Math.Max(1, (int)Math.Round(c / (double)r.Replicas)) : null,
            _ => null,
        };
        var rate = m.RequestRate / r.Replicas;
        int? requests = kind switch
        {
            ScenarioKind.Concurrency => StatedRequests(m) ?? Math.Max(MinClosedLoopRequests, ClosedLoopRequestsPerClient * (m.Concurrency ?? 1)),
            ScenarioKind.Rate => StatedRequests(m) ?? RateRequests,
            ScenarioKind.Capacity => Workload.MaxRequests,
            _ => null,
        };
        var configured = m.MaxNumSeqs is not null || m.MaxNumTokens is not null || m.ChunkedPrefill is not null || m.ReserveWholeSequence is not null || m.BatcherWindowSeconds is not null || m.LeastBusyDispatch is not null;
        // Everything the result and its note depend on (unrounded mean lengths too), whichever row's thread runs it first.
        var key = (r.Deployment, kind, concurrency, rate, r.Input, r.Output, m.TtftTargetSeconds, m.TpotTargetSeconds, stepModel, r.Replicas, m.Lengths, engine, r.Speculation, (requests, configured, m.InputTokens, m.OutputTokens));
        return CancellableMemo.Once(_simulations, key, () => Simulate(r, stepModel, kind, engine, offlineRequests, concurrency, rate, requests, configured, cancel), cancel);
    }

    private Simulated Simulate(ResolvedInferenceRow r, IStepTimeModel stepModel, ScenarioKind kind, EngineConfig engine, int? offlineRequests, int? concurrency, double? rate, int? requests, bool configured,
        CancellationToken cancel)
    {
        var m = r.Row;
        var targets = kind == ScenarioKind.Capacity
            ? ServingTargets.FromSeconds(m.TtftTargetSeconds, m.TpotTargetSeconds, null, Percentile.P99)
            : null;
        string? limiting = null;
        var perReplica = ServingPrediction.Predict(r.Deployment, kind, concurrency, rate,
            r.InputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Input), "input_tokens"), r.OutputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Output), "output_tokens"),
            targets, stepModel, engine, 1, requests, kind == ScenarioKind.Capacity ? CapacityDuration : null, c => limiting = c.LimitingTarget, r.Speculation, cancel);
        var values = perReplica.ToDictionary(kv => kv.Key, kv => SystemWide.Contains(kv.Key) ? kv.Value * r.Replicas : kv.Value, StringComparer.Ordinal);
        var limits = $"{Show.N(engine.MaxNumSeqs)} sequences / {Show.N(engine.MaxBatchedTokens)} tokens per step"
            + (ExpertParallelChoice.LimitScale(r.Deployment.Layout, r.Deployment.Engine) > 1 ? (r.Deployment.Layout.DataParallelAttention ? " on each attention rank" : " on each pipeline micro-batch")
                : ExpertParallelChoice.TokenLimitScale(r.Deployment.Layout, r.Deployment.Engine) > 1 ? " (the sequences for the replica, the tokens for each pipeline micro-batch)" : "")
            + (engine.ChunkedPrefill ? "" : ", whole prompts (no chunked prefill)")
            + (engine.Policy == StepPolicy.PrefillFirst ? ", prefill-only and decode-only steps" : "")
            + (engine.ReserveWholeSequence ? ", KV of whole sequences reserved at admission (guaranteed no evict)" : "")
            + (engine.Batcher is { } b ? $", queries handed over in batches every {Show.N(b.WindowSeconds * 1000, 0)} ms, round robin over {Show.N(b.Replicas)} replicas" : "")
            + (engine.Dispatch is { } h ? $", each query sent to the least busy of {Show.N(h.Replicas)} replicas" : "")
            + (configured ? " (as the source configured them)" : "")
            + (engine.AssumedCaps is { } caps ? $" ({EngineNames.Name(caps.Engine)} defaults, assumed as the row states no cap: {caps.Rule})" : "")
            + (r.Replicas > 1 ? $", per replica of {Show.N(r.Replicas)}" : "")
            + (m.Lengths.Length > 0 ? $", lengths from dataset {m.Lengths}" : "")
            + (r.Speculation is { } spec ? $", speculative decoding {spec}" : "");
        var note = kind switch
        {
            ScenarioKind.Offline => $"simulated: {Show.N(offlineRequests!.Value)} requests at once, {limits}",
            ScenarioKind.Concurrency => $"simulated: closed loop of {Show.N(concurrency!.Value)} clients, {Show.N(requests!.Value)} requests, {limits}",
            ScenarioKind.Rate => $"simulated: Poisson at {rate!.Value.ToString("0.###", CultureInfo.InvariantCulture)} req/s, {Show.N(requests!.Value)} requests, {limits}",
            _ => $"simulated: capacity search at p99 targets{Targets(m)}, {ProbeText(r, stepModel, targets!)} per probe, {limits}; a larger load fails on {LimitText(limiting)}",
        };
        return new Simulated(values, note, stepModel) { Limiting = kind == ScenarioKind.Capacity ? limiting ?? "none" : null };
    }

    /// <summary>The arrivals of one capacity probe in words: seconds of arrivals, of which the first are warm-up (<see cref="BenchmarkWindow"/>).</summary>
    private static string ProbeText(ResolvedInferenceRow r, IStepTimeModel stepModel, ServingTargets targets)
    {
        var (input, output) = (r.InputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Input)), r.OutputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Output)));
        var (arrivals, warmup) = BenchmarkWindow.For(r.Deployment, input, output, stepModel, targets, CapacityDuration);
        return $"{Show.N(arrivals.Value, 0)} s of Poisson arrivals (the first {Show.N(arrivals.Value * warmup, 0)} s warm-up: one p99-length request's lifetime at the targets)";
    }

    /// <summary>
    /// The requests the benchmark issued when the row's note states them ("500 requests", as the TensorRT-LLM
    /// online-serving rows do): an input of the benchmark, not its result. Null when the note gives no count.
    /// </summary>
    public static int? StatedRequests(InferenceMeasurement m)
    {
        var match = RequestCount().Match(m.Note);
        return match.Success && int.TryParse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= Workload.MaxRequests ? n : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(\d{1,3}(?:,\d{3})+|\d+) requests\b")]
    private static partial System.Text.RegularExpressions.Regex RequestCount();

    private static string Targets(InferenceMeasurement m) =>
        (m.TtftTargetSeconds is { } t ? $" TTFT {Show.N(t * 1000, 0)} ms" : "") + (m.TpotTargetSeconds is { } p ? $" TPOT {Show.N(p * 1000, 0)} ms" : "");

    /// <summary>
    /// Requests of an offline simulation: <see cref="OfflineBatches"/> times the batch the replica runs (the KV cache's
    /// sequences of input + output tokens, capped by the engine's sequence limit), between
    /// <see cref="MinOfflineRequests"/> and <see cref="MaxOfflineRequests"/>.
    /// </summary>
    public static int OfflineRequests(ResolvedInferenceRow r, EngineConfig engine)
    {
        if (StatedRequests(r.Row) is { } stated)
        {
            return stated;
        }
        var kv = ServingSimulator.KvCapacity(r.Deployment, engine);
        var perSequence = (long)Math.Ceiling((r.Input + r.Output) / (double)engine.BlockSize) * engine.BlockSize;
        // With data-parallel attention every rank's scheduler runs its own batch (ExpertParallelChoice.LimitScale), so the
        // replica's batch and the cap on its requests scale with the ranks: the ramp and the drain weigh as on one rank.
        var ranks = ExpertParallelChoice.LimitScale(r.Deployment.Layout, r.Deployment.Engine);
        var batch = Math.Min((long)engine.MaxNumSeqs * ranks, Math.Max(1, kv / Math.Max(1, perSequence)));
        return (int)Math.Clamp(OfflineBatches * batch, MinOfflineRequests, (long)MaxOfflineRequests * ranks);
    }

    /// <summary>
    /// The engine settings a row is simulated with: the engine's documented defaults for the device
    /// (<see cref="SchedulerDefaults"/>; offline rows with vLLM's <c>LLM</c>-class budget), never a submitter's
    /// configuration the row does not state (docs/methodology-serving.md, "Engine defaults", says why). Limits the row
    /// states (<c>max_num_seqs</c>, <c>max_num_tokens</c>, <c>chunked_prefill</c>) replace the defaults; vLLM without
    /// chunked prefill runs prefill-only and decode-only steps (V0 <c>_schedule_default</c>).
    /// </summary>
    public EngineConfig EngineFor(ResolvedInferenceRow r)
    {
        var d = r.Deployment;
        var m = r.Row;
        var e = EngineConfig.Default(d.Engine, d.Device, EntryOf(m)).WithCaps(m.MaxNumSeqs, m.MaxNumTokens);
        e = e with { MaxBatchedTokens = Math.Max(e.MaxNumSeqs, e.MaxBatchedTokens) };
        if (m.ReserveWholeSequence is { } reserve)
        {
            e = e with { ReserveWholeSequence = reserve };
        }
        if (m.BatcherWindowSeconds is { } window)
        {
            e = e with { Batcher = new HarnessBatcher(window, r.Replicas) };
        }
        if (m.LeastBusyDispatch == true && r.Replicas > 1)
        {
            e = e with { Dispatch = new HarnessDispatch(r.Replicas) };
        }
        if (m.ChunkedPrefill is { } chunked)
        {
            e = e with
            {
                ChunkedPrefill = chunked,
                Policy = !chunked && d.Engine == Engine.Vllm ? StepPolicy.PrefillFirst : e.Policy,
            };
        }
        return e;
    }

    /// <summary>
    /// How the row's benchmark reaches the engine: offline rows through the engine's batch class (vLLM's <c>LLM</c>, as
    /// <c>vllm bench throughput</c> and the MLPerf offline harnesses run it), the others through its server.
    /// </summary>
    public static EntryPoint EntryOf(InferenceMeasurement m) => m.Scenario == "offline" ? EntryPoint.Offline : EntryPoint.Server;

    private static string Join(params string[] parts) => string.Join("; ", parts.Where(s => s.Length > 0));

    private sealed record Simulated(IReadOnlyDictionary<string, double> Values, string Note, IStepTimeModel Model)
    {
        public string? Limiting { get; init; }
    }

    /// <summary>
    /// The steady-state value of a resolved row (docs/methodology-steptime.md, "Steady state"): the prediction of batch
    /// and prefill rows, and, for every other row, the fast stand-in the calibration fit minimises over (one evaluation
    /// costs microseconds where a simulation costs milliseconds, and the fit makes about 10^5). Percentile metrics have
    /// no steady-state value.
    /// </summary>
    public static double Evaluate(ResolvedInferenceRow r, IStepTimeModel model, out string note)
    {
        note = "";
        var m = r.Row;
        var d = r.Deployment;
        if (m.Metric == "prefill_tokens_per_s")
        {
            return r.Input / SteadyState.Prefill(model, d, r.Input, r.Chunk).Value;
        }
        ServingEstimate s;
        double ttft;
        if (m.Scenario == "rate")
        {
            s = SteadyState.AtRate(model, d, r.Input, r.Output, m.RequestRate!.Value / r.Replicas, r.Chunk, 256);
            ttft = r.Input > 0 ? SteadyState.Prefill(model, d, r.Input, r.Chunk, Math.Max(0, s.Batch - 1), r.Input + r.Output / 2.0).Value : s.TimePerOutputToken.Value;
            note = $"batch {s.Batch}";
        }
        else if (m.Scenario is "offline" or "capacity")
        {
            s = SteadyState.At(model, d, r.Input, r.Output, r.Batch, r.Chunk);
            // All requests arrive at once: the median request of the first wave waits for half the wave's prompts.
            ttft = r.Input > 0 ? 0.5 * r.Batch * SteadyState.Prefill(model, d, r.Input, r.Chunk).Value : s.TimePerOutputToken.Value;
        }
        else
        {
            s = SteadyState.At(model, d, r.Input, r.Output, r.Batch, r.Chunk);
            ttft = r.Input > 0
                ? SteadyState.Prefill(model, d, r.Input, r.Chunk, Math.Max(0, r.Batch - 1), r.Input + r.Output / 2.0).Value
                : s.TimePerOutputToken.Value;
            if (m.Scenario == "batch" && r.Input == 0)
            {
                // llama-bench tg: generation from an empty prompt, so the mean context is half the output.
                s = s with
                {
                    TimePerOutputToken = model.Estimate(d, StepShape.Decode(r.Batch, r.Output / 2.0)).Time,
                };
                s = s with { OutputTokensPerSecond = Quantities.TokenRate.FromTokensPerSecond(r.Batch / s.TimePerOutputToken.Value) };
            }
            if (m.Scenario == "batch" && r.Speculation is { } spec)
            {
                // A fixed batch decoding speculatively: (verify of k + 1 tokens + k draft passes) / expected tokens per step,
                // at the mean context of the decode (docs/methodology-steptime.md, "Speculative decoding").
                var step = SpeculativeDecoding.Decode(model, d, spec, r.Batch, r.Input + r.Output / 2.0);
                s = s with
                {
                    TimePerOutputToken = step.TimePerOutputToken,
                    OutputTokensPerSecond = Quantities.TokenRate.FromTokensPerSecond(r.Batch / step.TimePerOutputToken.Value),
                };
                note = $"speculative step {Show.N(step.Step.Value * 1000, 3)} ms (verify {Show.N(step.Verify.Value * 1000, 3)} ms + draft {Show.N(step.Draft.Value * 1000, 3)} ms) over {step.ExpectedTokens.ToString("0.###", CultureInfo.InvariantCulture)} tokens";
            }
        }
        var tpot = s.TimePerOutputToken.Value;
        var throughput = s.OutputTokensPerSecond.Value * r.Replicas;
        return m.Metric switch
        {
            "output_tokens_per_s" => throughput,
            "total_tokens_per_s" => throughput * (r.Input + r.Output) / r.Output,
            "requests_per_s" => throughput / r.Output,
            "ttft_ms" => ttft * 1000,
            "tpot_ms" => tpot * 1000,
            "e2e_ms" => (ttft + r.Output * tpot) * 1000,
            _ => throw new InvalidOperationException($"metric {m.Metric} passed Resolve but has no evaluation"),
        };
    }

    /// <summary>The engine class a framework name runs as; unknown names give null.</summary>
    public static Engine? EngineOf(string framework, out string note)
    {
        note = "";
        switch (framework.Trim().ToLowerInvariant())
        {
            case "trtllm":
            case "nim-trtllm":
                return Engine.TrtLlm;
            case "vllm":
            case "nim-vllm":
                return Engine.Vllm;
            case "sglang":
                return Engine.Sglang;
            case "llamacpp":
                return Engine.LlamaCpp;
            case "pytorch":
                return Engine.Transformers;
            case "other":
                note = "serving backend not stated: predicted as the TensorRT-LLM engine class";
                return Engine.TrtLlm;
            default:
                return EngineNames.TryParse(framework);
        }
    }

    /// <summary>The KV format engines use when a row does not say: the (rest's) weight format when it is a KV format, FP8 for FP4 checkpoints, else 16-bit.</summary>
    public static NumberFormat DefaultKv(WeightPrecision weights) =>
        NumberFormat.KvFormats.Contains(weights.Rest) ? weights.Rest
        : weights.Rest == NumberFormat.Fp4 ? NumberFormat.Fp8
        : NumberFormat.Fp16;
}
