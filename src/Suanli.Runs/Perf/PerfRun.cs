using System.Globalization;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>The options of <c>suanli perf</c> and <c>/api/perf</c> once parsed. Errors name the CLI option (the web maps it to its field).</summary>
public sealed record PerfInputs
{
    /// <summary>Model name (as the model resolver understands it).</summary>
    public required string Model { get; init; }
    /// <summary>Device id or alias.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices of one replica; null is TP x PP when given, else 1. Not with <see cref="SystemDevices"/>.</summary>
    public int? Devices { get; init; }
    /// <summary>Devices of the whole system, split into replicas (pinned by TP, PP, replicas and attention DP where given, else chosen); null: one replica of <see cref="Devices"/>.</summary>
    public int? SystemDevices { get; init; }
    /// <summary>Data-parallel replicas of the system (with <see cref="SystemDevices"/> only); null is chosen.</summary>
    public int? Replicas { get; init; }
    /// <summary>Tensor-parallel degree; null is <see cref="ReplicaLayouts.Default"/> (the widest valid within one node; llama.cpp 1).</summary>
    public int? Tp { get; init; }
    /// <summary>Pipeline stages; null is devices / TP.</summary>
    public int? Pp { get; init; }
    /// <summary>Data-parallel attention ranks (MoE models); null or 1 is none. With it, TP is each rank's attention TP (null: devices / ranks / PP).</summary>
    public int? AttentionDp { get; init; }
    /// <summary>With <see cref="SystemDevices"/>: whether the chosen split may use PP = 2 or 4 within one node beside the splits without stages.</summary>
    public bool PipelineWithinNode { get; init; }
    /// <summary>Weight format.</summary>
    public string Precision { get; init; } = "bf16";
    /// <summary>KV-cache format; null is the weight format if it is a KV format, else bf16.</summary>
    public string? KvPrecision { get; init; }
    /// <summary>Prompt tokens per request.</summary>
    public int InputTokens { get; init; } = 1024;
    /// <summary>Output tokens per request.</summary>
    public int OutputTokens { get; init; } = 256;
    /// <summary>Batch sizes, comma-separated.</summary>
    public string Batch { get; init; } = "1,8,64";
    /// <summary>Engine name.</summary>
    public string Engine { get; init; } = "vllm";
    /// <summary>Speculative decoding: null for none, else mtp, eagle or draft:MODEL.</summary>
    public string? Speculate { get; init; }
    /// <summary>Probability that one proposed token is accepted, strictly between 0 and 1; required with <see cref="Speculate"/>.</summary>
    public double? Accept { get; init; }
    /// <summary>Tokens proposed per sequence per step; null is 1 for mtp (DeepSeek-V3 has one MTP module) and 4 otherwise.</summary>
    public int? DraftTokens { get; init; }
}

/// <summary>What <c>suanli perf</c> and <c>/api/perf</c> both run: the step-time model's report per batch size.</summary>
public static class PerfRun
{
    /// <summary>
    /// Builds the report; <paramref name="resolveModel"/> (name, option) defaults to the catalog lookup; <paramref name="cancel"/>
    /// stops the run between system layouts and between batch sizes (the web cancels it at its time limit or a hang-up).
    /// </summary>
    public static Report Run(PerfInputs f, SuanliCatalog catalog, IStepTimeModel stepModel, Func<string, FieldRef, ModelEntry>? resolveModel = null,
        CancellationToken cancel = default)
    {
        var entry = (resolveModel ?? ((name, field) => catalog.Model(name, field)))(f.Model, FieldNames.Model);
        var device = catalog.Device(f.Hardware);
        SequenceWithinLimit(f.InputTokens, f.OutputTokens);
        var weights = WeightPrecision.Parse(f.Precision, FieldNames.Precision);
        var kv = NumberFormat.KvFor(weights, f.KvPrecision);
        var engine = EngineNames.Parse(f.Engine, FieldNames.Engine);
        var defaults = SchedulerDefaults.For(engine, device);
        SystemChoice? system = null;
        Layout layout;
        if (f.SystemDevices is { } n)
        {
            if (f.Devices is not null)
            {
                throw ServingRun.DevicesOrSystem();
            }
            system = ChooseSystem(entry, device, weights, kv, engine, n, new SystemPin(f.Tp, f.Pp, f.Replicas, f.AttentionDp), f.InputTokens, f.OutputTokens, catalog, stepModel, defaults, f.PipelineWithinNode, cancel);
            layout = system.Layout.Replica;
        }
        else
        {
            if (f.Replicas is not null)
            {
                throw new InputException(FieldNames.Replicas, Phrase.Of("replicas-need-system", "{replicas} splits a whole system: give {systemDevices} N with it.", ("replicas", FieldNames.Replicas), ("systemDevices", FieldNames.SystemDevices)));
            }
            // A refused TP/PP lists only the layouts that hold the weights and one request, as plan's pinned layout does.
            var request = Planner.OneRequest(entry, weights, kv, f.InputTokens + f.OutputTokens, engine, device);
            layout = f.AttentionDp is > 1 ? DataParallelAttentionLayout(entry, f.Devices, f.Tp, f.Pp, f.AttentionDp.Value)
                : ChooseLayout(entry, device, engine, catalog, f.Devices, f.Tp, f.Pp, l => Planner.OneRequestFits(request, device, l));
        }
        var batches = ParseBatches(f.Batch);
        var speculation = ParseSpeculation(f.Speculate, f.Accept, f.DraftTokens, entry, (n, field) => (resolveModel ?? ((name, fl) => catalog.Model(name, fl)))(n, field));
        return PerfReport.Build(stepModel, NodeLinks.Place(new Deployment(entry, device, layout, weights, kv, engine), catalog), f.InputTokens, f.OutputTokens, batches, defaults,
            stepModel is CalibratedStepTimeModel ? IntervalFiles.Embedded : null, speculation, system, system is null ? ReplicaLayouts.CrossingNodes(layout, device, catalog) : null, cancel);
    }

    /// <summary>
    /// Refuses a prompt plus output longer than the longest sequence the memory model takes, naming the fields given:
    /// perf has no context field, and the memory model's error would name one.
    /// </summary>
    private static void SequenceWithinLimit(int input, int output)
    {
        if ((long)input + output > FootprintRequest.MaxContext)
        {
            throw new InputException(FieldNames.Input, Phrase.Of("sequence-too-long",
                "{input} {inputTokens} plus {output} {outputTokens} is {sum} tokens per sequence, more than the {max} Suanli models; shorten the prompt or the output.",
                ("input", FieldNames.Input), ("inputTokens", input.ToString("N0", CultureInfo.InvariantCulture)), ("output", FieldNames.Output),
                ("outputTokens", output.ToString("N0", CultureInfo.InvariantCulture)), ("sum", ((long)input + output).ToString("N0", CultureInfo.InvariantCulture)),
                ("max", FootprintRequest.MaxContext.ToString("N0", CultureInfo.InvariantCulture))));
        }
    }

    /// <summary>
    /// The split of a system for <c>perf</c>: pinned, or the split with the most output tokens per second per device in
    /// the steady state at the largest batch that fits (capped by the engine's limit), the rule <c>suanli validate</c> uses
    /// for offline rows (docs/methodology-serving.md, "Whole systems").
    /// </summary>
    public static SystemChoice ChooseSystem(ModelEntry entry, Device device, WeightPrecision weights, NumberFormat kv, Engine engine, int systemDevices, SystemPin pin,
        int input, int output, SuanliCatalog catalog, IStepTimeModel stepModel, SchedulerDefault defaults, bool pipelineWithinNode = false, CancellationToken cancel = default)
    {
        // The engine's own reserve: llama.cpp keeps no memory fraction (docs/methodology-serving.md, "Whole systems").
        var reserve = Suanli.Serving.EngineConfig.ReserveFor(engine, device, defaults.MaxBatchedTokens);
        var request = new FootprintRequest(entry, weights, kv, Math.Max(1, input + output), 1, reserve).Validated();
        long Sequences(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, reserve.MemoryUtilization).MaxSequences;
        // llama.cpp splits layers over GPUs, not tensors (its default --split-mode layer), as validation assumes.
        bool Fits(Layout l) => (engine != Engine.LlamaCpp || l.Tp == 1) && Sequences(l) >= 1;
        ReplicaLayouts.CheckReplicas(entry, systemDevices, pin.Replicas, Fits);
        double PerDevice(SystemLayout c) => cancel.IsCancellationRequested ? throw new OperationCanceledException(cancel) : SteadyState.PerDeviceAtLargestBatch(stepModel, NodeLinks.Place(new Deployment(entry, device, c.Replica, weights, kv, engine), catalog), request,
            input, output, defaults.MaxNumSeqs, defaults.MaxBatchedTokens);
        return SystemLayoutChoice.Choose(entry, device, systemDevices, pin, catalog, Fits, PerDevice,
            Phrase.Of("layout-rule#perf", "the most output tokens/s per device"), preferNoPipeline: true, expertParallel: ExpertParallelChoice.Tried(entry.Architecture, engine),
            pipelineWithinNode: pipelineWithinNode);
    }

    /// <summary>
    /// Parses <c>--speculate mtp|eagle|draft:MODEL</c> with <c>--accept</c> and <c>--draft-tokens</c>; null when
    /// <paramref name="speculate"/> is null. Every error names its option.
    /// </summary>
    public static Speculation? ParseSpeculation(string? speculate, double? accept, int? draftTokens, ModelEntry target, Func<string, FieldRef, ModelEntry> resolveModel)
    {
        if (string.IsNullOrWhiteSpace(speculate))
        {
            if (accept is not null || draftTokens is not null)
            {
                throw new InputException(FieldNames.Speculate, Phrase.Of("speculate-needed", "{accept} and {draftTokens} need {speculate} mtp, eagle or draft:MODEL.", ("accept", FieldNames.Accept), ("draftTokens", FieldNames.DraftTokens), ("speculate", FieldNames.Speculate)));
            }
            return null;
        }
        var text = speculate.Trim();
        ModelEntry? draft = null;
        SpeculationKind kind;
        if (text.Equals("mtp", StringComparison.OrdinalIgnoreCase))
        {
            kind = SpeculationKind.Mtp;
        }
        else if (text.Equals("eagle", StringComparison.OrdinalIgnoreCase))
        {
            kind = SpeculationKind.Eagle;
        }
        else if (text.StartsWith("draft:", StringComparison.OrdinalIgnoreCase) && text.Length > "draft:".Length)
        {
            kind = SpeculationKind.DraftModel;
            draft = resolveModel(text["draft:".Length..], FieldNames.Speculate);
        }
        else
        {
            throw new InputException(FieldNames.Speculate, Phrase.Of("speculate-unknown", "Unknown {speculate} '{value}'. Use mtp, eagle or draft:MODEL (e.g. draft:llama-3.2-1b).", ("speculate", FieldNames.Speculate), ("value", InputEcho.Clip(text))));
        }
        var a = accept ?? throw new InputException(FieldNames.Accept, Phrase.Of("speculate-needs-accept", "{speculate} needs {accept} A, the probability that one proposed token is accepted (0 < A < 1; typical 0.85 for DeepSeek-V3 MTP, 0.7 to 0.8 for EAGLE).", ("speculate", FieldNames.Speculate), ("accept", FieldNames.Accept)));
        return Speculation.Create(kind, draftTokens ?? (kind == SpeculationKind.Mtp ? 1 : 4), a, target, draft);
    }

    /// <summary>
    /// A data-parallel-attention layout: <paramref name="dp"/> attention ranks of TP each (TP defaults to devices / ranks / PP),
    /// experts over all TP x DP devices; invalid ones list the data-parallel-attention layouts on the devices.
    /// </summary>
    private static Layout DataParallelAttentionLayout(ModelEntry entry, int? devices, int? tp, int? pp, int dp)
    {
        var a = entry.Architecture;
        var p = pp ?? 1;
        var t = tp ?? Math.Max(1, (devices ?? dp * p) / (dp * p));
        var n = devices ?? t * dp * p;
        var problem = t * dp * p != n
            ? Phrase.Of("dp-attention-device-count", "{tp} {t} x {dpAttention} {dp} x {pp} {p} is {total} devices, not {devices} {n}",
                ("tp", FieldNames.Tp), ("t", t), ("dpAttention", FieldNames.DpAttention), ("dp", dp), ("pp", FieldNames.Pp), ("p", p), ("total", t * dp * p), ("devices", FieldNames.Devices), ("n", n))
            : Layouts.DataParallelAttentionProblem(a, t, dp) ?? Layouts.PipelineProblem(a, p);
        if (problem is null)
        {
            return Layouts.MakeDataParallelAttention(t, dp, p);
        }
        var valid = Layouts.DataParallelAttentionOn(a, n);
        var alternatives = valid.Count == 0 ? Phrase.Of("dp-attention-none", "{model} has no data-parallel-attention layout on {n} devices", ("model", entry.Id), ("n", n))
            : Phrase.Of("dp-attention-valid", "valid on {n} devices: {layouts}", ("n", n), ("layouts", PhraseList.Words(valid, "semicolon")));
        throw new InputException(FieldNames.DpAttention, Phrase.Of("dp-attention-invalid", "{dpAttention} {dp} is invalid for {model}: {problem}; {alternatives}.",
            ("dpAttention", FieldNames.DpAttention), ("dp", dp), ("model", entry.Id), ("problem", problem), ("alternatives", alternatives)));
    }

    /// <summary>
    /// The layout: TP/PP checked against the model (invalid ones list the valid layouts that <paramref name="fits"/> accepts,
    /// or the fewest devices whose layouts it does: <see cref="Layouts.Validate"/>), else <see cref="ReplicaLayouts.Default"/>
    /// (llama.cpp by layers, other engines the widest TP within a node).
    /// </summary>
    private static Layout ChooseLayout(ModelEntry entry, Device device, Engine engine, SuanliCatalog catalog, int? devices, int? tp, int? pp, Func<Layout, bool> fits)
    {
        var a = entry.Architecture;
        if (tp is not null || pp is not null)
        {
            var n = devices ?? (tp ?? 1) * (pp ?? 1);
            var t = tp ?? Math.Max(1, n / (pp ?? 1));
            var p = pp ?? Math.Max(1, n / t);
            if (t * p != n)
            {
                throw new InputException(FieldNames.Devices, Phrase.Of("tp-pp-device-count", "{tp} {t} x {pp} {p} is {total} devices, not {devices} {n}; make TP x PP equal the device count.",
                    ("tp", FieldNames.Tp), ("t", t), ("pp", FieldNames.Pp), ("p", p), ("total", t * p), ("devices", FieldNames.Devices), ("n", n)));
            }
            return Layouts.Validate(a, t, p, entry.Id, fits);
        }
        var count = devices ?? 1;
        return ReplicaLayouts.Default(entry, device, count, engine, catalog)
            ?? throw new InputException(FieldNames.Devices, Phrase.Of("no-layout-on-devices", "No valid TP/PP layout of {model} uses exactly {count} devices; try a device count that the {heads} attention heads or {layers} layers divide.",
                ("model", entry.Id), ("count", count), ("heads", a.Heads), ("layers", a.Layers)));
    }

    /// <summary>Parses "1,8,64"; each value 1 to <see cref="FootprintRequest.MaxBatch"/>.</summary>
    private static List<int> ParseBatches(string text)
    {
        var list = new List<int>();
        foreach (var part in ListText.Split(text, FieldNames.Batch))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) || b < 1 || b > FootprintRequest.MaxBatch)
            {
                throw new InputException(FieldNames.Batch, Phrase.Of("batch-values", "{batch} values must be whole numbers from 1 to {max}, got '{value}'. Example: {batch} 1,8,64.",
                    ("batch", FieldNames.Batch), ("max", FootprintRequest.MaxBatch.ToString("N0", CultureInfo.InvariantCulture)), ("value", InputEcho.Clip(part))));
            }
            list.Add(b);
        }
        return list;
    }
}
