using System.Globalization;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>What a predictor says about one measurement row.</summary>
/// <param name="Predicted">The predicted value in the row's unit, or null when skipped.</param>
/// <param name="Roofline">The pure roofline's value for the same row (efficiency 1, no overhead), when it applies.</param>
/// <param name="Note">How the row was predicted (assumptions, batch used).</param>
/// <param name="Skipped">Why the row could not be predicted (null when predicted).</param>
public sealed record RowPrediction(double? Predicted, double? Roofline, string Note, string? Skipped)
{
    /// <summary>
    /// For a capacity row: the target the next larger load fails on in the capacity search (<c>ttft</c>, <c>tpot</c>,
    /// <c>e2e</c>, <c>throughput</c> or <c>none</c>); null for other rows.
    /// </summary>
    public string? LimitingTarget { get; init; }

    /// <summary>A skipped row.</summary>
    public static RowPrediction Skip(string reason) => new(null, null, "", reason);
}

/// <summary>Predicts measurement rows of one kind; plug one in per file format (inference, training).</summary>
public interface IRowPredictor
{
    /// <summary>Predicts a row, or says why it cannot (never throws for unknown names: those are skips).</summary>
    RowPrediction Predict(MeasurementRow row);
}

/// <summary>Skips every row with a fixed reason (e.g. a kind of row a run does not validate).</summary>
/// <param name="Reason">The reason printed for each row.</param>
public sealed record SkipPredictor(string Reason) : IRowPredictor
{
    /// <inheritdoc />
    public RowPrediction Predict(MeasurementRow row) => RowPrediction.Skip(Reason);
}

/// <summary>An inference row resolved against the catalog: everything but the step-time parameters.</summary>
/// <param name="Row">The row.</param>
/// <param name="Deployment">Model, device, layout, formats and engine.</param>
/// <param name="Batch">Sequences of the steady state the calibration fit evaluates (batch rows: the stated batch; offline and
/// capacity: the largest that fits memory and the engine's limit; concurrency: the clients; rate: solved by Little's law).</param>
/// <param name="Input">Prompt tokens.</param>
/// <param name="Output">Output tokens.</param>
/// <param name="Chunk">Prefill chunk tokens.</param>
/// <param name="Note">Assumptions made while resolving.</param>
public sealed record ResolvedInferenceRow(InferenceMeasurement Row, Deployment Deployment, int Batch, int Input, int Output, int Chunk, string Note)
{
    /// <summary>Data-parallel replicas of <see cref="Deployment"/> the row's system runs; the load divides over them and throughputs add up.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Prompt lengths the simulation draws (fixed at the rounded mean unless the row names a dataset).</summary>
    public LengthDistribution? InputLengths { get; init; }

    /// <summary>Output lengths the simulation draws (fixed at the rounded mean unless the row names a dataset).</summary>
    public LengthDistribution? OutputLengths { get; init; }

    /// <summary>The metric without its percentile suffix (<c>ttft_ms_p99</c> gives <c>ttft_ms</c>).</summary>
    public string BaseMetric => InferencePredictor.BaseMetric(Row.Metric);

    /// <summary>True when the row is predicted from one step time (llama-bench style fixed batch, or a prefill speed), false when through the serving simulator.</summary>
    public bool ByStepTime => Row.Scenario == "batch" || BaseMetric == "prefill_tokens_per_s";
}

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
    /// Seconds of Poisson arrivals in each capacity-search probe: 600, MLPerf's minimum Server run
    /// (<c>*.Server.min_duration = 600000</c> ms, mlcommons/inference loadgen/mlperf.conf), whose capacity rows these are.
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

    private readonly Dictionary<(Deployment, ScenarioKind, int?, double?, int, int, double?, double?, IStepTimeModel, int, string, EngineConfig), Simulated> _simulations = [];

    /// <summary>Simulator values that add up over replicas (rates and throughputs); latencies do not.</summary>
    private static readonly HashSet<string> SystemWide = new(StringComparer.Ordinal)
    {
        "output_tokens_per_s", "total_tokens_per_s", "requests_per_s", "goodput_requests_per_s", "max_requests_per_s", "max_concurrency",
    };

    /// <summary>The model predictions come from.</summary>
    public IStepTimeModel Model { get; } = model;

    /// <summary>The metric without a <c>_p90</c> / <c>_p99</c> suffix.</summary>
    public static string BaseMetric(string metric) =>
        metric.EndsWith("_p90", StringComparison.Ordinal) || metric.EndsWith("_p99", StringComparison.Ordinal) ? metric[..^4] : metric;

    /// <inheritdoc />
    public RowPrediction Predict(MeasurementRow row)
    {
        if (row is not InferenceMeasurement m)
        {
            return RowPrediction.Skip("not an inference row");
        }
        var resolved = Resolve(m, out var skip);
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
        try
        {
            sim = Simulate(resolved, Model);
            roof = Simulate(resolved, Roofline.Instance);
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
        var utilisation = Utilisation(resolved, sim);
        var simNote = utilisation is { } u ? $"{sim.Note}; utilisation {Show.N(u * 100, 0)}% of the offline request rate" : sim.Note;
        return new RowPrediction(value, rooflineValue, Join(resolved.Note, simNote), null) { LimitingTarget = sim.Limiting };
    }

    /// <summary>The prediction of a resolved row through the validation path with this predictor's model only (no roofline); null when the simulator cannot run it.</summary>
    public double? PredictValue(ResolvedInferenceRow r)
    {
        if (r.ByStepTime)
        {
            return Evaluate(r, Model, out _);
        }
        try
        {
            return Simulate(r, Model).Values.TryGetValue(SimulatorName(r), out var v) ? v : null;
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
            return Utilisation(r, Simulate(r, stepModel ?? Model));
        }
        catch (InputException)
        {
            return null;
        }
    }

    private double? Utilisation(ResolvedInferenceRow r, Simulated sim)
    {
        if (r.Row.Scenario is not ("concurrency" or "rate"))
        {
            return null;
        }
        var offline = Simulate(r with { Row = r.Row with { Scenario = "offline" } }, sim.Model);
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
    private Simulated Simulate(ResolvedInferenceRow r, IStepTimeModel stepModel)
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
        var key = (r.Deployment, kind, concurrency, rate, r.Input, r.Output, m.TtftTargetSeconds, m.TpotTargetSeconds, stepModel, r.Replicas, m.Lengths, engine);
        if (_simulations.TryGetValue(key, out var cached))
        {
            return cached;
        }
        int? requests = kind switch
        {
            ScenarioKind.Concurrency => StatedRequests(m) ?? Math.Max(MinClosedLoopRequests, ClosedLoopRequestsPerClient * (m.Concurrency ?? 1)),
            ScenarioKind.Rate => StatedRequests(m) ?? RateRequests,
            ScenarioKind.Capacity => Workload.MaxRequests,
            _ => null,
        };
        var targets = kind == ScenarioKind.Capacity
            ? ServingTargets.FromSeconds(m.TtftTargetSeconds, m.TpotTargetSeconds, null, Percentile.P99)
            : null;
        string? limiting = null;
        var perReplica = ServingPrediction.Predict(r.Deployment, kind, concurrency, rate,
            r.InputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Input), "input_tokens"), r.OutputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Output), "output_tokens"),
            targets, stepModel, engine, 1, requests, kind == ScenarioKind.Capacity ? CapacityDuration : null, c => limiting = c.LimitingTarget);
        var values = perReplica.ToDictionary(kv => kv.Key, kv => SystemWide.Contains(kv.Key) ? kv.Value * r.Replicas : kv.Value, StringComparer.Ordinal);
        var limits = $"{Show.N(engine.MaxNumSeqs)} sequences / {Show.N(engine.MaxBatchedTokens)} tokens per step"
            + (engine.ChunkedPrefill ? "" : ", whole prompts (no chunked prefill)")
            + (engine.Policy == StepPolicy.PrefillFirst ? ", prefill-only and decode-only steps" : "")
            + (engine.ReserveWholeSequence ? ", KV of whole sequences reserved at admission (guaranteed no evict)" : "")
            + (m.MaxNumSeqs is not null || m.MaxNumTokens is not null || m.ChunkedPrefill is not null || m.ReserveWholeSequence is not null ? " (as the source configured them)" : "")
            + (r.Replicas > 1 ? $", per replica of {Show.N(r.Replicas)}" : "")
            + (m.Lengths.Length > 0 ? $", lengths from dataset {m.Lengths}" : "");
        var note = kind switch
        {
            ScenarioKind.Offline => $"simulated: {Show.N(offlineRequests!.Value)} requests at once, {limits}",
            ScenarioKind.Concurrency => $"simulated: closed loop of {Show.N(concurrency!.Value)} clients, {Show.N(requests!.Value)} requests, {limits}",
            ScenarioKind.Rate => $"simulated: Poisson at {rate!.Value.ToString("0.###", CultureInfo.InvariantCulture)} req/s, {Show.N(requests!.Value)} requests, {limits}",
            _ => $"simulated: capacity search at p99 targets{Targets(m)}, {Show.N(CapacityDuration.Value, 0)} s of Poisson arrivals per probe, {limits}; a larger load fails on {LimitText(limiting)}",
        };
        var result = new Simulated(values, note, stepModel) { Limiting = kind == ScenarioKind.Capacity ? limiting ?? "none" : null };
        _simulations[key] = result;
        return result;
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
        var batch = Math.Min(engine.MaxNumSeqs, Math.Max(1, kv / Math.Max(1, perSequence)));
        return (int)Math.Clamp(OfflineBatches * batch, MinOfflineRequests, MaxOfflineRequests);
    }

    /// <summary>
    /// The engine settings a row is simulated with: vLLM the serving stage's defaults (<see cref="EngineConfig.Default"/>,
    /// which depend on the device); other engines the sequence and token limits of the calibration file's <c>engines:</c>
    /// section (TensorRT-LLM's trtllm-build defaults 2,048 and 8,192), the same limits the steady state uses. Limits the
    /// row states (<c>max_num_seqs</c>, <c>max_num_tokens</c>, <c>chunked_prefill</c>) replace the defaults; vLLM without
    /// chunked prefill runs prefill-only and decode-only steps (V0 <c>_schedule_default</c>).
    /// </summary>
    public EngineConfig EngineFor(ResolvedInferenceRow r)
    {
        var d = r.Deployment;
        var m = r.Row;
        var e = EngineConfig.Default(d.Engine, d.Device);
        if (d.Engine != Engine.Vllm)
        {
            var limits = calibration.DefaultsFor(d.Engine);
            e = e with { MaxNumSeqs = limits.MaxBatch, MaxBatchedTokens = Math.Max(limits.MaxBatch, limits.PrefillChunkTokens) };
        }
        var seqs = m.MaxNumSeqs ?? e.MaxNumSeqs;
        e = e with { MaxNumSeqs = seqs, MaxBatchedTokens = Math.Max(seqs, m.MaxNumTokens ?? e.MaxBatchedTokens) };
        if (m.ReserveWholeSequence is { } reserve)
        {
            e = e with { ReserveWholeSequence = reserve };
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

    /// <summary>The capacity search's limiting target in words.</summary>
    private static string LimitText(string? limiting) => limiting switch
    {
        "tpot" => "p99 TPOT",
        "ttft" => "p99 TTFT",
        "e2e" => "p99 end-to-end latency",
        "throughput" => "throughput (the replica falls behind the arrivals)",
        null or "none" => "nothing within the search's range",
        _ => limiting,
    };

    private static string Join(params string[] parts) => string.Join("; ", parts.Where(s => s.Length > 0));

    private sealed record Simulated(IReadOnlyDictionary<string, double> Values, string Note, IStepTimeModel Model)
    {
        public string? Limiting { get; init; }
    }

    /// <summary>Resolves names, formats, engine, layout and batch; null with a reason when the row cannot be predicted.</summary>
    public ResolvedInferenceRow? Resolve(InferenceMeasurement m, out string? skip)
    {
        skip = null;
        var notes = new List<string>();
        var baseMetric = BaseMetric(m.Metric);
        if (!Metrics.Contains(baseMetric))
        {
            skip = $"unknown metric '{m.Metric}'";
            return null;
        }
        if (baseMetric != m.Metric)
        {
            if (baseMetric is not ("ttft_ms" or "tpot_ms" or "e2e_ms"))
            {
                skip = $"percentile metric '{m.Metric}': only ttft_ms, tpot_ms and e2e_ms have percentiles";
                return null;
            }
            if (m.Scenario == "batch")
            {
                skip = $"percentile metric '{m.Metric}' on a batch row: a fixed batch is predicted from one step time, which has no latency distribution";
                return null;
            }
        }
        if (baseMetric == "prefill_tokens_per_s" && m.Scenario != "batch")
        {
            skip = $"prefill_tokens_per_s is predicted for batch rows only (one prompt's prefill); scenario '{m.Scenario}' mixes prefill with decodes";
            return null;
        }
        if (m.Scenario == "capacity" && m.TtftTargetSeconds is null && m.TpotTargetSeconds is null)
        {
            skip = "capacity row without ttft_target_s or tpot_target_s: the capacity search needs a p99 target";
            return null;
        }
        if (m.Scenario == "capacity" && baseMetric is not ("requests_per_s" or "output_tokens_per_s" or "total_tokens_per_s"))
        {
            notes.Add("latency at the largest load that meets the targets");
        }
        if (!catalog.TryModel(m.Model, out var entry) || entry is null)
        {
            skip = $"unknown model '{m.Model}' (not in the catalog)";
            return null;
        }
        if (!catalog.TryDevice(m.Hardware, out var device) || device is null)
        {
            skip = $"unknown hardware '{m.Hardware}' (not in the catalog)";
            return null;
        }
        NumberFormat weights;
        try
        {
            weights = NumberFormat.Parse(m.Precision.Length == 0 ? "bf16" : m.Precision);
        }
        catch (InputException)
        {
            skip = $"unknown precision '{m.Precision}'";
            return null;
        }
        if (m.Precision.Length == 0)
        {
            notes.Add("precision not stated: bf16 assumed");
        }
        NumberFormat kv;
        if (m.KvPrecision.Length > 0)
        {
            try
            {
                kv = NumberFormat.Parse(m.KvPrecision, "kv_precision", NumberFormat.KvFormats);
            }
            catch (InputException)
            {
                skip = $"unknown KV precision '{m.KvPrecision}'";
                return null;
            }
        }
        else
        {
            kv = DefaultKv(weights);
            notes.Add($"KV {kv.Name} assumed");
        }
        var engine = EngineOf(m.Framework, out var engineNote);
        if (engine is null)
        {
            skip = $"unknown framework '{m.Framework}'";
            return null;
        }
        if (engineNote.Length > 0)
        {
            notes.Add(engineNote);
        }
        var devices = m.Devices ?? 1;
        var a = entry.Architecture;
        var defaults = calibration.DefaultsFor(engine.Value);
        var input = (int)Math.Round(m.InputTokens ?? 0);
        var output = (int)Math.Round(m.OutputTokens ?? 0);
        if (m.Metric == "prefill_tokens_per_s" && input == 0)
        {
            // llama-bench's default prompt test is pp 512.
            input = 512;
            notes.Add("prompt length not given: 512 (llama-bench default)");
        }
        if (m.Metric != "prefill_tokens_per_s" && output == 0)
        {
            skip = "output_tokens not given";
            return null;
        }
        if (input != (m.InputTokens ?? input) || output != (m.OutputTokens ?? output))
        {
            notes.Add($"mean lengths {Show.N(m.InputTokens ?? input, 1)} / {Show.N(m.OutputTokens ?? output, 1)} rounded to {input} / {output} for the step time");
        }
        var reserve = EngineConfig.ReserveFor(engine.Value);
        var request = new FootprintRequest(entry, weights, kv, Math.Max(1, input + output), 1, reserve);
        bool Fits(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, reserve.MemoryUtilization).MaxSequences >= 1;
        SystemLayout system;
        if (engine == Engine.LlamaCpp && devices > 1)
        {
            // llama.cpp splits layers across GPUs, not tensors.
            if (Layouts.PipelineProblem(a, devices) is { } pp)
            {
                skip = pp;
                return null;
            }
            system = new SystemLayout(Layouts.Make(a, 1, devices), 1);
            notes.Add(system + " (llama.cpp splits layers over GPUs)");
        }
        else if (m.Layout is { } pin)
        {
            try
            {
                system = SystemLayouts.Validate(a, devices, pin.Tp, pin.Pp, pin.Replicas, entry.Id, "tp", pin.Ep);
            }
            catch (InputException ex)
            {
                skip = "the source's layout is not valid: " + ex.Message;
                return null;
            }
            if (pin.Ep is { } ep && !system.Replica.DataParallelAttention)
            {
                system = system with { Replica = system.Replica with { Ep = ep } };
            }
            notes.Add(system + " (stated by the source)");
        }
        else
        {
            var perNode = SystemLayouts.NodeSize(catalog, device, devices);
            // Engines run attention data-parallel only when told to (trtllm-bench enable_attention_dp, SGLang
            // --enable-dp-attention, vLLM --data-parallel-size are all off by default), so a row that states no layout
            // is predicted without it; a row pins it with an ep column that is a multiple of tp.
            var candidates = SystemLayouts.Candidates(a, devices, perNode, Fits, dataParallelAttention: false);
            if (candidates.Count == 0)
            {
                skip = $"{entry.Id} in {weights.Name} does not fit {devices} x {device.Id} in any split with TP within a {perNode}-device node";
                return null;
            }
            system = candidates.Count == 1 ? candidates[0] : BestForThroughput(candidates, entry, device, weights, kv, engine.Value, reserve, input, output, defaults);
            notes.Add(candidates.Count == 1 ? system.ToString() : $"{system} (chosen as the split with the most output tokens/s per device of {Show.N(candidates.Count)})");
        }
        var layout = system.Replica;
        var deployment = new Deployment(entry, device, layout, weights, kv, engine.Value);
        var fit = MemoryModel.OnDevice(request, layout, device.Memory, reserve.MemoryUtilization);
        if (fit.MaxSequences < 1)
        {
            skip = $"{entry.Id} in {weights.Name} does not fit {layout.Devices} x {device.Id} with a {input + output}-token sequence";
            return null;
        }
        // The batch of the steady state that the calibration fit evaluates (Evaluate); the simulator finds its own.
        int batch;
        switch (m.Scenario)
        {
            case "batch":
                batch = m.Concurrency ?? 1;
                break;
            case "concurrency":
                batch = Math.Max(1, (int)Math.Round((m.Concurrency ?? 1) / (double)system.Replicas));
                break;
            case "rate":
                batch = 1;
                if (m.RequestRate is null)
                {
                    skip = "rate scenario without request_rate";
                    return null;
                }
                break;
            case "offline":
            case "capacity":
                batch = (int)Math.Min(fit.MaxSequences, m.MaxNumSeqs ?? defaults.MaxBatch);
                break;
            default:
                skip = $"unknown scenario '{m.Scenario}'";
                return null;
        }
        if (m.Scenario == "concurrency" && m.Concurrency is null)
        {
            skip = "concurrency scenario without concurrency";
            return null;
        }
        if (m.Scenario == "batch" && batch > fit.MaxSequences)
        {
            notes.Add($"batch {batch} exceeds the {fit.MaxSequences} sequences that fit; predicted anyway");
        }
        LengthDistribution? inputLengths = null, outputLengths = null;
        if (m.Lengths.Length > 0)
        {
            try
            {
                inputLengths = LengthDatasets.Input(m.Lengths, "lengths").Labelled("dataset:" + m.Lengths);
                outputLengths = output > 0 ? LengthDatasets.OutputWithMean(m.Lengths, m.OutputTokens ?? output, "lengths").Labelled($"dataset:{m.Lengths} scaled to mean {Show.N(m.OutputTokens ?? output, 1)}")
                    : LengthDatasets.Output(m.Lengths, "lengths").Labelled("dataset:" + m.Lengths);
            }
            catch (InputException ex)
            {
                skip = ex.Message;
                return null;
            }
            notes.Add($"prompt lengths from dataset {m.Lengths}, output lengths its reference answers scaled to the row's mean");
        }
        return new ResolvedInferenceRow(m, deployment, batch, input, output, m.MaxNumTokens ?? defaults.PrefillChunkTokens, string.Join("; ", notes))
        {
            Replicas = system.Replicas,
            InputLengths = inputLengths,
            OutputLengths = outputLengths,
        };
    }

    /// <summary>
    /// The split an operator would choose for throughput: the most output tokens per second per device in the steady
    /// state at the largest batch that fits (capped by the engine), under the shipped calibration, so the choice does not
    /// move with the parameters being fitted.
    /// </summary>
    private SystemLayout BestForThroughput(IReadOnlyList<SystemLayout> candidates, ModelEntry entry, Device device, NumberFormat weights, NumberFormat kv,
        Engine engine, RuntimeReserve reserve, int input, int output, EngineDefaults defaults)
    {
        var chooser = new CalibratedStepTimeModel(calibration);
        SystemLayout? best = null;
        var bestRate = double.NegativeInfinity;
        foreach (var c in candidates)
        {
            var d = new Deployment(entry, device, c.Replica, weights, kv, engine);
            var request = new FootprintRequest(entry, weights, kv, Math.Max(1, input + output), 1, reserve);
            var sequences = MemoryModel.OnDevice(request, c.Replica, device.Memory, reserve.MemoryUtilization).MaxSequences;
            var batch = (int)Math.Clamp(sequences, 1, defaults.MaxBatch);
            var perDevice = SteadyState.At(chooser, d, Math.Max(1, input), Math.Max(1, output), batch, defaults.PrefillChunkTokens).OutputTokensPerSecond.Value / c.Replica.Devices;
            if (perDevice > bestRate * 1.0001)
            {
                best = c;
                bestRate = perDevice;
            }
        }
        return best!;
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
                return CalibrationFiles.ParseEngine(framework);
        }
    }

    /// <summary>The KV format engines use when a row does not say: the weight format when it is a KV format, FP8 for FP4 checkpoints, else 16-bit.</summary>
    public static NumberFormat DefaultKv(NumberFormat weights) =>
        NumberFormat.KvFormats.Contains(weights) ? weights
        : weights == NumberFormat.Fp4 ? NumberFormat.Fp8
        : NumberFormat.Fp16;
}
