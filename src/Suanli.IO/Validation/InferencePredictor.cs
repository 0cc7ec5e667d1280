using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO.Measurements;
using Suanli.StepTime;

namespace Suanli.IO.Validation;

/// <summary>What a predictor says about one measurement row.</summary>
/// <param name="Predicted">The predicted value in the row's unit, or null when skipped.</param>
/// <param name="Roofline">The pure roofline's value for the same row (efficiency 1, no overhead), when it applies.</param>
/// <param name="Note">How the row was predicted (assumptions, batch used).</param>
/// <param name="Skipped">Why the row could not be predicted (null when predicted).</param>
public sealed record RowPrediction(double? Predicted, double? Roofline, string Note, string? Skipped)
{
    /// <summary>A skipped row.</summary>
    public static RowPrediction Skip(string reason) => new(null, null, "", reason);
}

/// <summary>Predicts measurement rows of one kind; plug one in per file format (inference, training).</summary>
public interface IRowPredictor
{
    /// <summary>Predicts a row, or says why it cannot (never throws for unknown names: those are skips).</summary>
    RowPrediction Predict(MeasurementRow row);
}

/// <summary>Skips every row with a fixed reason (e.g. training rows until the training model lands).</summary>
/// <param name="Reason">The reason printed for each row.</param>
public sealed record SkipPredictor(string Reason) : IRowPredictor
{
    /// <inheritdoc />
    public RowPrediction Predict(MeasurementRow row) => RowPrediction.Skip(Reason);
}

/// <summary>An inference row resolved against the catalog: everything but the step-time parameters.</summary>
/// <param name="Row">The row.</param>
/// <param name="Deployment">Model, device, layout, formats and engine.</param>
/// <param name="Batch">Sequences in the steady state (offline: the largest that fits memory and the engine's limit).</param>
/// <param name="Input">Prompt tokens.</param>
/// <param name="Output">Output tokens.</param>
/// <param name="Chunk">Prefill chunk tokens.</param>
/// <param name="Note">Assumptions made while resolving.</param>
public sealed record ResolvedInferenceRow(InferenceMeasurement Row, Deployment Deployment, int Batch, int Input, int Output, int Chunk, string Note);

/// <summary>
/// Predicts inference measurements from the step-time model's steady state (docs/methodology-steptime.md,
/// "Predicting a measurement"). Scenarios that need queues (offline, rate, concurrency, capacity) use steady-state
/// averages until the serving simulator lands; each row's note says which.
/// </summary>
public sealed class InferencePredictor(SuanliCatalog catalog, IStepTimeModel model, Calibration calibration) : IRowPredictor
{
    /// <summary>Metrics the predictor knows (no percentile suffix).</summary>
    public static IReadOnlyList<string> Metrics { get; } =
        ["output_tokens_per_s", "total_tokens_per_s", "requests_per_s", "ttft_ms", "tpot_ms", "e2e_ms", "prefill_tokens_per_s"];

    /// <summary>The model predictions come from.</summary>
    public IStepTimeModel Model { get; } = model;

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
        var predicted = Evaluate(resolved, Model, out var note);
        var roofline = Evaluate(resolved, Roofline.Instance, out _);
        return new RowPrediction(predicted, roofline, string.Join("; ", new[] { resolved.Note, note }.Where(s => s.Length > 0)), null);
    }

    /// <summary>Resolves names, formats, engine, layout and batch; null with a reason when the row cannot be predicted.</summary>
    public ResolvedInferenceRow? Resolve(InferenceMeasurement m, out string? skip)
    {
        skip = null;
        var notes = new List<string>();
        if (m.Metric.EndsWith("_p90", StringComparison.Ordinal) || m.Metric.EndsWith("_p99", StringComparison.Ordinal))
        {
            skip = $"percentile metric '{m.Metric}' needs the serving simulator's latency distribution";
            return null;
        }
        if (!Metrics.Contains(m.Metric))
        {
            skip = $"unknown metric '{m.Metric}'";
            return null;
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
        Layout layout;
        if (engine == Engine.LlamaCpp && devices > 1)
        {
            // llama.cpp splits layers across GPUs, not tensors.
            if (Layouts.PipelineProblem(a, devices) is { } pp)
            {
                skip = pp;
                return null;
            }
            layout = Layouts.Make(a, 1, devices);
        }
        else
        {
            var layouts = Layouts.On(a, devices);
            if (layouts.Count == 0)
            {
                skip = $"no valid TP/PP layout of {entry.Id} uses exactly {devices} devices";
                return null;
            }
            layout = layouts[0];
        }
        notes.Add(layout.ToString());
        var defaults = calibration.DefaultsFor(engine.Value);
        var deployment = new Deployment(entry, device, layout, weights, kv, engine.Value);

        var input = m.InputTokens ?? 0;
        var output = m.OutputTokens ?? 0;
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
        var fit = MemoryModel.OnDevice(new FootprintRequest(entry, weights, kv, Math.Max(1, input + output), 1, RuntimeReserve.Default),
            layout, device.Memory, RuntimeReserve.Default.MemoryUtilization);
        if (fit.MaxSequences < 1)
        {
            skip = $"{entry.Id} in {weights.Name} does not fit {layout.Devices} x {device.Id} with a {input + output}-token sequence";
            return null;
        }
        int batch;
        switch (m.Scenario)
        {
            case "batch":
            case "concurrency":
                batch = m.Concurrency ?? 1;
                if (m.Scenario == "concurrency")
                {
                    notes.Add($"steady state at batch {batch} (closed loop of {batch} clients; serving simulator pending)");
                }
                break;
            case "rate":
                batch = 1;
                if (m.RequestRate is null)
                {
                    skip = "rate scenario without request_rate";
                    return null;
                }
                notes.Add($"steady state by Little's law at {m.RequestRate.Value.ToString("0.###", CultureInfo.InvariantCulture)} req/s (serving simulator pending)");
                break;
            case "offline":
            case "capacity":
                batch = (int)Math.Min(fit.MaxSequences, defaults.MaxBatch);
                notes.Add($"steady state at batch {batch} = min(largest fitting {fit.MaxSequences}, {CalibrationFiles.EngineName(engine.Value)} default {defaults.MaxBatch}) (serving simulator pending)");
                break;
            default:
                skip = $"unknown scenario '{m.Scenario}'";
                return null;
        }
        if (batch > fit.MaxSequences && m.Scenario != "rate")
        {
            notes.Add($"batch {batch} exceeds the {fit.MaxSequences} sequences that fit; predicted anyway");
        }
        return new ResolvedInferenceRow(m, deployment, batch, input, output, defaults.PrefillChunkTokens, string.Join("; ", notes));
    }

    /// <summary>Predicts a resolved row with a step-time model.</summary>
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
            s = SteadyState.AtRate(model, d, r.Input, r.Output, m.RequestRate!.Value, r.Chunk, 256);
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
        var throughput = s.OutputTokensPerSecond.Value;
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
