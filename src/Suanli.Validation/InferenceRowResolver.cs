using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>
/// Resolves an inference measurement against the catalog for <see cref="InferencePredictor"/>: model, device, weight
/// and KV formats, engine, system layout (stated, llama.cpp's layer split, or the best split for throughput), the
/// batch of the steady state and the length datasets; or says why the row cannot be predicted.
/// </summary>
/// <param name="catalog">Models and devices the names resolve to.</param>
/// <param name="calibration">The shipped parameters that choose a split.</param>
/// <param name="capacity">
/// The predictor, under <paramref name="calibration"/>, that searches each split's capacity for a capacity row whose source
/// states no split (<see cref="CapacityLayouts"/>); null: such rows take the throughput choice too.
/// </param>
public sealed class InferenceRowResolver(SuanliCatalog catalog, Calibration calibration, InferencePredictor? capacity = null)
{
    /// <summary>
    /// Whether a row whose source states no split may be predicted on PP = 2 or 4 within one node beside the splits without
    /// stages (<see cref="SystemLayouts.PreferringNoPipeline"/>); off by default, as it made the validation figures worse
    /// (docs/methodology-serving.md, "Whole systems").
    /// </summary>
    public bool PipelineWithinNode { get; init; }

    /// <summary>
    /// Stops a capacity row's choice of split (an <see cref="OperationCanceledException"/>): the capacity search of each
    /// split runs minutes of simulation on several threads (<see cref="CapacityLayouts.Choose"/>), which Ctrl-C must reach.
    /// </summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>Resolves names, formats, engine, layout and batch; null with a reason when the row cannot be predicted.</summary>
    public ResolvedInferenceRow? Resolve(InferenceMeasurement m, out string? skip) => Resolve(m, null, out skip);

    /// <summary>
    /// <see cref="Resolve(InferenceMeasurement, out string?)"/> on a split the caller chose among the row's candidates
    /// (<see cref="CapacityLayouts"/> tries each); null with a reason when the row cannot be predicted.
    /// </summary>
    public ResolvedInferenceRow? ResolveOn(InferenceMeasurement m, SystemLayout system, out string? skip) => Resolve(m, system, out skip);

    private ResolvedInferenceRow? Resolve(InferenceMeasurement m, SystemLayout? forced, out string? skip)
    {
        skip = null;
        var notes = new List<string>();
        var baseMetric = InferencePredictor.BaseMetric(m.Metric);
        if (!InferencePredictor.Metrics.Contains(baseMetric))
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
        if (!MeasurementCatalog.TryFind(catalog, m.Model, m.Hardware, out var entry, out var device, out skip))
        {
            return null;
        }
        WeightPrecision weights;
        try
        {
            weights = WeightPrecision.Parse(m.Precision.Length == 0 ? "bf16" : m.Precision);
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
            kv = InferencePredictor.DefaultKv(weights);
            notes.Add($"KV {kv.Name} assumed");
        }
        var engine = InferencePredictor.EngineOf(m.Framework, out var engineNote);
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
        var defaults = SchedulerDefaults.For(engine.Value, device, InferencePredictor.EntryOf(m));
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
        var reserve = EngineConfig.ReserveFor(engine.Value, device, m.MaxNumTokens ?? defaults.MaxBatchedTokens);
        var request = new FootprintRequest(entry, weights, kv, Math.Max(1, input + output), 1, reserve);
        bool Fits(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, reserve.MemoryUtilization).MaxSequences >= 1;
        SystemLayout system;
        if (forced is not null)
        {
            system = forced;
            notes.Add(system + " (a candidate split)");
        }
        else if (engine == Engine.LlamaCpp && devices > 1 && m.Layout is null)
        {
            // llama.cpp splits layers across GPUs, not tensors, unless the source states its split (--split-mode row).
            if (Layouts.PipelineProblem(a, devices) is { } pp)
            {
                skip = pp.English;
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
            var perNode = SystemLayouts.NodeSize(catalog, device, devices);
            if (system.Replica.StageDevices > perNode)
            {
                // Allowed because the source states it, but the step time prices the all-reduces at the node's link speed.
                notes.Add($"its tensor-parallel group of {system.Replica.StageDevices} devices crosses nodes of {perNode}: all-reduces over the scale-out network are not modelled as slower, so the prediction is optimistic");
            }
        }
        else
        {
            var perNode = SystemLayouts.NodeSize(catalog, device, devices);
            // Engines run attention data-parallel only when told to (trtllm-bench enable_attention_dp, SGLang
            // --enable-dp-attention, vLLM --data-parallel-size are all off by default), so a row that states no layout
            // is predicted without it, except for MoE models with latent attention, which these engines document
            // serving that way (ExpertParallelChoice); a row pins it with an ep column that is a multiple of tp.
            var candidates = SystemLayouts.Candidates(a, devices, perNode, Fits, dataParallelAttention: ExpertParallelChoice.Tried(a, engine.Value));
            // Pipeline stages only when no split without them fits, as simulate and capacity choose by default; within a
            // node PP = 2 or 4 compete when asked (docs/methodology-serving.md, "Whole systems").
            candidates = SystemLayouts.PreferringNoPipeline(candidates, perNode, PipelineWithinNode);
            if (candidates.Count == 0)
            {
                skip = $"{entry.Id} in {weights.Name} does not fit {devices} x {device.Id} in any split with TP within a {perNode}-device node";
                return null;
            }
            var byCapacity = m.Scenario == "capacity" && candidates.Count > 1 && capacity is not null ? CapacityLayouts.For(m, candidates, this, capacity, Cancel) : null;
            system = byCapacity?.Chosen
                ?? (candidates.Count == 1 ? candidates[0] : BestForThroughput(candidates, entry, device, weights, kv, engine.Value, reserve, input, output, defaults));
            notes.Add(byCapacity is { } chosen ? chosen.Note
                : candidates.Count == 1 ? system.ToString()
                : $"{system} (chosen as the split with the most output tokens/s per device of {Show.N(candidates.Count)}"
                    + (m.Scenario == "capacity" && capacity is not null ? ", as no split meets the row's targets" : "") + ")");
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
                batch = (int)Math.Min(Math.Min(fit.MaxSequences, (long)(m.MaxNumSeqs ?? defaults.MaxNumSeqs) * ExpertParallelChoice.LimitScale(layout, engine.Value)), FootprintRequest.MaxBatch);
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
        Speculation? speculation = null;
        if (m.Speculation is { } stated)
        {
            speculation = SpeculationOf(stated, entry, out skip);
            if (speculation is null)
            {
                return null;
            }
            notes.Add($"speculative decoding {stated}: acceptance {speculation.Acceptance.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} per proposed token, solved from the length");
        }
        return new ResolvedInferenceRow(m, deployment, batch, input, output, m.MaxNumTokens ?? defaults.MaxBatchedTokens, string.Join("; ", notes))
        {
            Speculation = speculation,
            Replicas = system.Replicas,
            InputLengths = inputLengths,
            OutputLengths = outputLengths,
        };
    }

    /// <summary>
    /// The speculation a row states, checked against its target (<see cref="Speculation.Create"/>); null with the reason
    /// when the draft model is not in the catalog (the reason lists the catalog models that could draft for the target)
    /// or the speculation does not suit the target.
    /// </summary>
    private Speculation? SpeculationOf(StatedSpeculation stated, ModelEntry target, out string? skip)
    {
        skip = null;
        var kind = stated.Kind switch
        {
            "mtp" => SpeculationKind.Mtp,
            "eagle" => SpeculationKind.Eagle,
            _ => SpeculationKind.DraftModel,
        };
        ModelEntry? draft = null;
        if (kind == SpeculationKind.DraftModel && !catalog.TryModel(stated.DraftModel, out draft))
        {
            var targetParams = ParameterCount.Of(target.Architecture).Total(target.Architecture);
            var known = catalog.Models
                .Where(c => c.Architecture.VocabSize == target.Architecture.VocabSize && ParameterCount.Of(c.Architecture).Total(c.Architecture) < targetParams)
                .Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
            skip = $"draft model '{stated.DraftModel}' is not in the catalog; "
                + (known.Count > 0 ? $"catalog models that can draft for {target.Id} (smaller, same vocabulary): {string.Join(", ", known)}" : $"the catalog has no smaller model with {target.Id}'s vocabulary; add one with --catalog");
            return null;
        }
        try
        {
            return Speculation.Create(kind, stated.DraftTokens, stated.Acceptance, target, draft);
        }
        catch (InputException ex)
        {
            skip = "the source's speculation does not suit the model: " + ex.Message;
            return null;
        }
    }

    /// <summary>
    /// The split an operator would choose for throughput: the most output tokens per second per device in the steady
    /// state at the largest batch that fits (capped by the engine), under the shipped calibration, so the choice does not
    /// move with the parameters being fitted.
    /// </summary>
    private SystemLayout BestForThroughput(IReadOnlyList<SystemLayout> candidates, ModelEntry entry, Device device, WeightPrecision weights, NumberFormat kv,
        Engine engine, RuntimeReserve reserve, int input, int output, SchedulerDefault defaults)
    {
        var chooser = new CalibratedStepTimeModel(calibration);
        var request = new FootprintRequest(entry, weights, kv, Math.Max(1, input + output), 1, reserve);
        SystemLayout? best = null;
        var bestRate = double.NegativeInfinity;
        foreach (var c in candidates)
        {
            var perDevice = SteadyState.PerDeviceAtLargestBatch(chooser, new Deployment(entry, device, c.Replica, weights, kv, engine), request,
                input, output, defaults.MaxNumSeqs, defaults.MaxBatchedTokens);
            if (perDevice > bestRate * 1.0001)
            {
                best = c;
                bestRate = perDevice;
            }
        }
        return best!;
    }
}
