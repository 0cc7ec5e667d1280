using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>JSON row of <c>suanli perf</c>: one batch size.</summary>
/// <param name="Batch">Sequences decoding at once.</param>
/// <param name="PrefillSeconds">TTFT without queueing: the prompt prefilled alone, in chunks.</param>
/// <param name="TimePerOutputTokenSeconds">Steady-state step time (decode plus the prefill riding along).</param>
/// <param name="DecodeOnlySeconds">Pure decode step at the same batch.</param>
/// <param name="OutputTokensPerSecond">Output tokens per second of one replica.</param>
/// <param name="OutputTokensPerSecondPerDevice">The same per device.</param>
/// <param name="Bottleneck">compute, memoryBandwidth, communication or overhead.</param>
/// <param name="Mfu">Model FLOPs utilisation (0 to 1).</param>
/// <param name="Mbu">Memory bandwidth utilisation (0 to 1).</param>
public sealed record PerfRowJson(int Batch, double PrefillSeconds, double TimePerOutputTokenSeconds, double DecodeOnlySeconds,
    double OutputTokensPerSecond, double OutputTokensPerSecondPerDevice, Bottleneck Bottleneck, double Mfu, double Mbu)
{
    /// <summary>80% prediction interval of the prefill time in seconds (the TTFT class's spread); null without intervals.</summary>
    public RangeJson? PrefillSecondsRange { get; init; }
    /// <summary>80% prediction interval of the time per output token in seconds (the TPOT class's spread).</summary>
    public RangeJson? TimePerOutputTokenSecondsRange { get; init; }
    /// <summary>80% prediction interval of output tokens per second of the replica (the throughput class's spread).</summary>
    public RangeJson? OutputTokensPerSecondRange { get; init; }
    /// <summary>Output tokens per second of the whole system: replicas x the replica's, each replica at this batch; null without a system size.</summary>
    public double? SystemOutputTokensPerSecond { get; init; }
}

/// <summary>JSON row of <c>suanli perf --speculate</c>: one batch size, pure decode at the mean context, with and without speculation.</summary>
/// <param name="Batch">Sequences decoding at once.</param>
/// <param name="TimePerOutputTokenSeconds">Without speculation: one decode step, seconds per output token of each sequence.</param>
/// <param name="SpeculativeTimePerOutputTokenSeconds">With speculation: (verify + k draft passes) / expected tokens per step, seconds.</param>
/// <param name="VerifySeconds">The target's pass over k + 1 tokens per sequence, seconds.</param>
/// <param name="DraftSeconds">The k draft passes together, seconds.</param>
/// <param name="OutputTokensPerSecond">Replica output tokens per second without speculation.</param>
/// <param name="SpeculativeOutputTokensPerSecond">Replica output tokens per second with speculation.</param>
/// <param name="Speedup">TPOT without / TPOT with (above 1: speculation helps).</param>
public sealed record SpeculationRowJson(int Batch, double TimePerOutputTokenSeconds, double SpeculativeTimePerOutputTokenSeconds,
    double VerifySeconds, double DraftSeconds, double OutputTokensPerSecond, double SpeculativeOutputTokensPerSecond, double Speedup);

/// <summary>Speculative decoding in <c>suanli perf</c>.</summary>
/// <param name="Kind">mtp, eagle or draftModel.</param>
/// <param name="DraftModel">Draft model id (draft-model speculation only).</param>
/// <param name="DraftTokens">Tokens proposed per sequence per step, k.</param>
/// <param name="Acceptance">Probability that one proposed token is accepted, a.</param>
/// <param name="ExpectedTokensPerStep">(1 - a^(k+1)) / (1 - a), tokens per sequence per step.</param>
/// <param name="Rows">One row per batch that fits.</param>
public sealed record SpeculationJson(SpeculationKind Kind, string? DraftModel, int DraftTokens, double Acceptance, double ExpectedTokensPerStep,
    IReadOnlyList<SpeculationRowJson> Rows);

/// <summary>The JSON document of <c>suanli perf</c>.</summary>
public sealed record PerfJson : ReportDocument
{
    /// <summary>Model id.</summary>
    public required string Model { get; init; }
    /// <summary>Device id.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices of one replica.</summary>
    public required int Devices { get; init; }
    /// <summary>Tensor parallel.</summary>
    public required int Tp { get; init; }
    /// <summary>Pipeline parallel.</summary>
    public required int Pp { get; init; }
    /// <summary>Expert parallel.</summary>
    public required int Ep { get; init; }
    /// <summary>Data-parallel attention ranks (1: attention is tensor-parallel over the replica); each runs attention on its own sequences with TP devices.</summary>
    public int AttentionDp { get; init; } = 1;
    /// <summary>Weight format.</summary>
    public required string Precision { get; init; }
    /// <summary>KV format.</summary>
    public required string KvPrecision { get; init; }
    /// <summary>Engine.</summary>
    public required string Engine { get; init; }
    /// <summary>Prompt tokens.</summary>
    public required int Input { get; init; }
    /// <summary>Output tokens.</summary>
    public required int Output { get; init; }
    /// <summary>Largest batch that fits memory at input + output tokens per sequence.</summary>
    public required long MaxBatchThatFits { get; init; }
    /// <summary>One row per batch that fits.</summary>
    public required IReadOnlyList<PerfRowJson> Rows { get; init; }
    /// <summary>Findings (batches that do not fit, engine limits).</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
    /// <summary>Which validated residuals the rows' 80% ranges come from, per quantity; null without intervals.</summary>
    public string? IntervalBasis { get; init; }
    /// <summary>Speculative decoding with and without, per batch; null when none was asked for.</summary>
    public SpeculationJson? Speculation { get; init; }
    /// <summary>The whole system's split into replicas; null when one replica was asked for (--devices).</summary>
    public SystemLayoutJson? Layout { get; init; }
    /// <summary>Why that split: "pinned", "the only split that fits", or "chosen as the split with ... of K candidates"; null without a system size.</summary>
    public string? LayoutReason { get; init; }
}

/// <summary>Builds the report of <c>suanli perf</c>.</summary>
public static class PerfReport
{
    /// <summary>Evaluates each batch size's steady state; batches that do not fit memory become findings with the largest that fits.</summary>
    /// <remarks>
    /// With <paramref name="intervals"/>, each row carries the 80% prediction interval of its prefill time, TPOT and
    /// throughput; <paramref name="layoutNote"/> is a finding on one replica's layout (its tensor parallel crossing nodes).
    /// Memory is sized with the engine's reserve (<see cref="Suanli.Serving.EngineConfig.ReserveFor(Suanli.StepTime.Engine, Suanli.Catalog.Device, int?, Suanli.Serving.EntryPoint)"/>).
    /// </remarks>
    public static Report Build(IStepTimeModel model, Deployment d, int input, int output, IReadOnlyList<int> batches, SchedulerDefault defaults,
        PredictionIntervals? intervals = null, Speculation? speculation = null, SystemChoice? system = null, Finding? layoutNote = null, CancellationToken cancel = default)
    {
        var replicas = system?.Layout.Replicas ?? 1;
        var ttftInterval = intervals is null ? null : IntervalFiles.Find(intervals, PredictionKind.Ttft, d.Engine, d.Device);
        var tpotInterval = intervals is null ? null : IntervalFiles.Find(intervals, PredictionKind.Tpot, d.Engine, d.Device);
        var throughputInterval = intervals is null ? null : IntervalFiles.Find(intervals, PredictionKind.Throughput, d.Engine, d.Device);
        var reserve = Suanli.Serving.EngineConfig.ReserveFor(d.Engine, d.Device, defaults.MaxBatchedTokens);
        var request = new FootprintRequest(d.Model, d.Weights, d.Kv, input + output, 1, reserve).Validated();
        var memory = MemoryModel.OnDevice(request, d.Layout, d.Device.Memory, reserve.MemoryUtilization);
        var maxFit = memory.MaxSequences;
        var findings = new List<Finding>();
        var rows = new List<PerfRowJson>();
        ServingEstimate? firstEstimate = null;
        if (maxFit < 1)
        {
            // Said once, not once per batch size, and as what is missing rather than a negative amount left.
            var placed = memory.Weights + memory.Activation + memory.Context;
            var fit = new (string, object)[] { ("model", d.Model.Id), ("weights", d.Weights.Name), ("devices", Show.N(d.Layout.Devices)), ("device", d.Device.Id), ("layout", d.Layout.ToString()) };
            findings.Add(memory.FreeForKv.Value < 0
                ? Finding.Error("does-not-fit#weights", "{model} in {weights} does not fit {devices} x {device} ({layout}): weights, activations and runtime need {placed} on the fullest device, {missing} more than its {usable} usable, before any KV cache; no batch size runs. Add devices or use a lower precision (see {memory}).",
                    [.. fit, ("placed", Show.Bytes(placed)), ("missing", Show.Bytes(memory.FreeForKv * -1)), ("usable", Show.Bytes(memory.Usable)), ("memory", CommandRefs.Memory)])
                : Finding.Error("does-not-fit#sequence", "{model} in {weights} does not fit {devices} x {device} ({layout}) with one {tokens}-token sequence: {free} is left for KV cache on the fullest device and one sequence needs {perSequence}; no batch size runs. Add devices, use a lower precision or shorter sequences (see {memory}).",
                    [.. fit, ("tokens", Show.N(input + output)), ("free", Show.Bytes(memory.FreeForKv)), ("perSequence", Show.Bytes(memory.KvPerSequence)), ("memory", CommandRefs.Memory)]));
        }
        foreach (var b in batches.Distinct().Order())
        {
            cancel.ThrowIfCancellationRequested();
            if (maxFit < 1)
            {
                break;
            }
            if (b > maxFit)
            {
                findings.Add(Finding.Error("batch-does-not-fit", "Batch {batch} does not fit: {batch} sequences of {tokens} tokens need {need} of KV cache per device, {free} is free; the largest batch that fits is {max}.",
                    ("batch", Show.N(b)), ("tokens", Show.N(input + output)), ("need", Show.Bytes(memory.KvPerSequence * b)), ("free", Show.Bytes(memory.FreeForKv)), ("max", Show.N(maxFit))));
                continue;
            }
            if (b > defaults.MaxNumSeqs)
            {
                findings.Add(Finding.Warn("engine-batch-limit", "Batch {batch} exceeds the engine's default limit of {limit} sequences ({source}); raise it in the engine's settings to run it.",
                    ("batch", Show.N(b)), ("limit", Show.N(defaults.MaxNumSeqs)), ("source", $"{defaults.Version}: {defaults.Rule}")));
            }
            var s = SteadyState.At(model, d, input, output, b, defaults.MaxBatchedTokens);
            firstEstimate ??= s;
            rows.Add(new PerfRowJson(b, R(s.Prefill.Value), R(s.TimePerOutputToken.Value), R(s.DecodeOnly.Value), R(s.OutputTokensPerSecond.Value),
                R(s.OutputTokensPerSecond.Value / d.Layout.Devices), s.Bottleneck, R(s.Mfu), R(s.Mbu))
            {
                PrefillSecondsRange = Range(s.Prefill.Value, ttftInterval),
                TimePerOutputTokenSecondsRange = Range(s.TimePerOutputToken.Value, tpotInterval),
                OutputTokensPerSecondRange = Range(s.OutputTokensPerSecond.Value, throughputInterval),
                SystemOutputTokensPerSecond = system is null ? null : R(s.OutputTokensPerSecond.Value * replicas),
            });
        }
        SpeculationJson? spec = null;
        if (speculation is not null)
        {
            var specRows = new List<SpeculationRowJson>();
            var context = input + output / 2.0;
            // The draft's weights and its KV for every cached token share the device with the target's.
            var draftMemory = SpeculativeDecoding.Memory(d, speculation);
            var draftFree = memory.FreeForKv - draftMemory.Weights;
            var draftPerSequence = memory.KvPerSequence + draftMemory.KvPerToken * (input + output);
            var maxFitSpeculative = draftFree.Value <= 0 ? 0 : (long)Math.Floor(draftFree / draftPerSequence);
            findings.Add(Finding.Info("speculation-memory",
                "Speculative decoding places {weights} of draft weights ({basis}) and {kvPerToken} bytes of draft KV per cached token on the fullest device: the largest batch of {tokens}-token sequences that fits falls from {before} to {after}.",
                ("weights", Show.Bytes(draftMemory.Weights)), ("basis", draftMemory.Basis), ("kvPerToken", Show.N(draftMemory.KvPerToken.Value)), ("tokens", Show.N(input + output)),
                ("before", Show.N(maxFit)), ("after", Show.N(maxFitSpeculative))));
            foreach (var r in rows)
            {
                if (r.Batch > maxFitSpeculative)
                {
                    findings.Add(Finding.Error("batch-does-not-fit#speculative", "Batch {batch} does not fit with speculative decoding ({speculation}): the draft's weights and KV leave room for {room} sequences; its speculative row is left out.",
                        ("batch", Show.N(r.Batch)), ("speculation", speculation.ToString()), ("room", Show.N(maxFitSpeculative))));
                    continue;
                }
                var plain = model.Estimate(d, StepShape.Decode(r.Batch, context)).Time.Value;
                var sp = SpeculativeDecoding.Decode(model, d, speculation, r.Batch, context);
                var tpot = sp.TimePerOutputToken.Value;
                specRows.Add(new SpeculationRowJson(r.Batch, R(plain), R(tpot), R(sp.Verify.Value), R(sp.Draft.Value),
                    R(r.Batch / plain), R(r.Batch / tpot), R(plain / tpot)));
            }
            spec = new SpeculationJson(speculation.Kind, speculation.Draft?.Id, speculation.Tokens, speculation.Acceptance,
                R(speculation.ExpectedTokensPerStep), specRows);
        }
        if (system is not null)
        {
            findings.AddRange(system.Findings);
        }
        if (layoutNote is not null)
        {
            findings.Add(layoutNote);
        }
        if (ServingFindings.PipelineCaps(d.Layout, d.Engine, defaults.MaxNumSeqs, defaults.MaxBatchedTokens) is { } caps)
        {
            findings.Add(caps);
        }
        var json = new PerfJson
        {
            Layout = system?.Json, LayoutReason = system?.Reason.English,
            Speculation = spec,
            Model = d.Model.Id, Hardware = d.Device.Id, Devices = d.Layout.Devices, Tp = d.Layout.Tp, Pp = d.Layout.Pp, Ep = d.Layout.Ep, AttentionDp = d.Layout.AttentionDp,
            Precision = d.Weights.Name, KvPrecision = d.Kv.Name, Engine = EngineNames.Name(d.Engine), Input = input, Output = output,
            MaxBatchThatFits = maxFit, Rows = rows, Findings = FindingJson.Of(findings),
            IntervalBasis = intervals is null ? null : string.Join("; ", new[] { ("TTFT", ttftInterval), ("TPOT", tpotInterval), ("throughput", throughputInterval) }
                .Select(x => $"{x.Item1}: {x.Item2?.Basis ?? "no validated spread"}")),
        };
        var tables = new List<ReportTable>
        {
            system is null
            ? new(Phrase.Of("table.steady-state", "Steady state per batch ({input} in / {output} out)", ("input", Show.N(input)), ("output", Show.N(output))),
                [
                    new(Phrase.Of("col.batch", "Batch"), CellKind.Count), new(Phrase.Of("col.ttft-prefill", "TTFT (prefill alone)"), CellKind.Seconds),
                    new(Phrase.Of("col.tpot", "TPOT"), CellKind.Seconds), new(Phrase.Of("col.decode-only", "Decode only"), CellKind.Seconds),
                    new(Phrase.Of("col.output-tok-s", "Output tok/s"), CellKind.Number), new(Phrase.Of("col.per-device", "Per device"), CellKind.Number),
                    new(Phrase.Of("col.bottleneck", "Bottleneck")), new(Phrase.Of("col.mfu", "MFU"), CellKind.Percent), new(Phrase.Of("col.mbu", "MBU"), CellKind.Percent),
                ],
                [.. rows.Select(r => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(r.Batch), Secs(r.PrefillSeconds), Secs(r.TimePerOutputTokenSeconds), Secs(r.DecodeOnlySeconds),
                    ReportCell.Number(r.OutputTokensPerSecond, 0), ReportCell.Number(r.OutputTokensPerSecondPerDevice, 0),
                    ReportCell.Words(BottleneckName(r.Bottleneck)), ReportCell.Percent(r.Mfu, 1), ReportCell.Percent(r.Mbu, 1)])])
            : new(Phrase.Of("table.steady-state-replica", "Steady state per batch of each replica ({input} in / {output} out; {layout}, {reason})",
                    ("input", Show.N(input)), ("output", Show.N(output)), ("layout", system.Layout.ToString()), ("reason", system.Reason)),
                [
                    new(Phrase.Of("col.batch", "Batch"), CellKind.Count), new(Phrase.Of("col.ttft-prefill", "TTFT (prefill alone)"), CellKind.Seconds),
                    new(Phrase.Of("col.tpot", "TPOT"), CellKind.Seconds), new(Phrase.Of("col.decode-only", "Decode only"), CellKind.Seconds),
                    new(Phrase.Of("col.output-tok-s-replica", "Output tok/s (replica)"), CellKind.Number), new(Phrase.Of("col.output-tok-s-system", "Output tok/s (system)"), CellKind.Number),
                    new(Phrase.Of("col.per-device", "Per device"), CellKind.Number),
                    new(Phrase.Of("col.bottleneck", "Bottleneck")), new(Phrase.Of("col.mfu", "MFU"), CellKind.Percent), new(Phrase.Of("col.mbu", "MBU"), CellKind.Percent),
                ],
                [.. rows.Select(r => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(r.Batch), Secs(r.PrefillSeconds), Secs(r.TimePerOutputTokenSeconds), Secs(r.DecodeOnlySeconds),
                    ReportCell.Number(r.OutputTokensPerSecond, 0), ReportCell.Number(r.SystemOutputTokensPerSecond ?? 0, 0), ReportCell.Number(r.OutputTokensPerSecondPerDevice, 0),
                    ReportCell.Words(BottleneckName(r.Bottleneck)), ReportCell.Percent(r.Mfu, 1), ReportCell.Percent(r.Mbu, 1)])]),
        };
        if (spec is not null)
        {
            tables.Add(new ReportTable(Phrase.Of("table.speculative", "Speculative decoding ({speculation}): pure decode at {context} tokens of context, without and with",
                    ("speculation", speculation!.ToString()), ("context", Show.N(input + output / 2.0))),
                [
                    new(Phrase.Of("col.batch", "Batch"), CellKind.Count), new(Phrase.Of("col.tpot", "TPOT"), CellKind.Seconds),
                    new(Phrase.Of("col.tpot-speculative", "TPOT speculative"), CellKind.Seconds), new(Phrase.Of("col.verify", "Verify"), CellKind.Seconds),
                    new(Phrase.Of("col.draft", "Draft"), CellKind.Seconds), new(Phrase.Of("col.output-tok-s", "Output tok/s"), CellKind.Number),
                    new(Phrase.Of("col.output-tok-s-speculative", "Output tok/s speculative"), CellKind.Number), new(Phrase.Of("col.speedup", "Speedup")),
                ],
                [.. spec.Rows.Select(r => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(r.Batch), Secs(r.TimePerOutputTokenSeconds), Secs(r.SpeculativeTimePerOutputTokenSeconds), Secs(r.VerifySeconds), Secs(r.DraftSeconds),
                    ReportCell.Number(r.OutputTokensPerSecond, 0), ReportCell.Number(r.SpeculativeOutputTokensPerSecond, 0), ReportCell.Text(Show.N(r.Speedup, 2) + "x")])]));
            findings.Add(Finding.Info("speculation", "Speculative decoding ({speculation}): each step the draft proposes {tokens} token(s) per sequence and the target verifies them in one pass; {expected} tokens per step are expected, (1 - a^(k+1)) / (1 - a) (Leviathan et al. 2023). The acceptance rate is an input, not predicted; the draft's weights and KV cache are placed in memory as the speculation-memory note says, and speculative rows beyond the batch that fits with them are left out (docs/methodology-steptime.md, 'Speculative decoding').",
                ("speculation", speculation!.ToString()), ("tokens", Show.N(speculation.Tokens)), ("expected", Show.N(speculation.ExpectedTokensPerStep, 2))));
        }
        if (intervals is not null && rows.Count > 0)
        {
            tables.Add(new ReportTable(Phrase.Of("table.prediction-intervals", "80% prediction intervals per batch (from Suanli's validated error; basis in the findings)"),
                [
                    new(Phrase.Of("col.batch", "Batch"), CellKind.Count), new(Phrase.Of("col.ttft-prefill", "TTFT (prefill alone)")),
                    new(Phrase.Of("col.tpot", "TPOT")), new(Phrase.Of("col.output-tok-s", "Output tok/s")),
                ],
                [.. rows.Select(r => (IReadOnlyList<ReportCell>)[
                    ReportCell.Count(r.Batch), SpanOf(r.PrefillSecondsRange, v => Show.Time(Quantities.Duration.FromSeconds(v))),
                    SpanOf(r.TimePerOutputTokenSecondsRange, v => Show.Time(Quantities.Duration.FromSeconds(v))), SpanOf(r.OutputTokensPerSecondRange, v => Show.N(v))])]));
            findings.Add(Finding.Info("prediction-interval", "80% prediction intervals from the leave-one-out error of the validation data (docs/methodology-intervals.md): {basis}.",
                ("basis", new PhraseList([.. new[] { ("TTFT", ttftInterval), ("TPOT", tpotInterval), ("throughput", throughputInterval) }.Select(x => Phrase.Of("basis-of", "{what}: {basis}",
                    ("what", x.Item1 == "throughput" ? Phrase.Of("what#throughput", "throughput") : Phrase.Plain(x.Item1)),
                    ("basis", x.Item2?.Phrase ?? Phrase.Of("no-spread#short", "no validated spread"))))], "semicolon"))));
        }
        if (model is CalibratedStepTimeModel calibrated && firstEstimate is not null)
        {
            var prepared = calibrated.Prepare(d);
            var shape = StepShape.Decode(firstEstimate.Batch, input + output / 2.0);
            tables.Add(new ReportTable(Phrase.Of("table.operators", "Operators of one decode step at batch {batch}, one device (all layers)", ("batch", Show.N(firstEstimate.Batch))),
                [
                    new(Phrase.Of("col.operator", "Operator")), new(Phrase.Of("col.layers", "Layers"), CellKind.Count), new(Phrase.Of("col.gflop", "GFLOP")),
                    new(Phrase.Of("col.weights-mb", "Weights (MB)")), new(Phrase.Of("col.activations-mb", "Activations (MB)")), new(Phrase.Of("col.kv-mb", "KV (MB)")),
                    new(Phrase.Of("col.compute-time", "Compute time"), CellKind.Seconds), new(Phrase.Of("col.memory-time", "Memory time"), CellKind.Seconds),
                    new(Phrase.Of("col.limited-by", "Limited by")),
                ],
                [.. prepared.Operators(shape).Select(o => (IReadOnlyList<ReportCell>)[
                    ReportCell.Words(OperatorName(o.Kind)), ReportCell.Count(o.Layers), ReportCell.Text(Show.Sig(o.Flop.Value / 1e9)), ReportCell.Text(Show.Sig(o.WeightBytes.InMegabytes)),
                    ReportCell.Text(Show.Sig(o.ActivationBytes.InMegabytes)), ReportCell.Text(Show.Sig(o.KvBytes.InMegabytes)),
                    ReportCell.Seconds(o.ComputeTime), ReportCell.Seconds(o.MemoryTime),
                    ReportCell.Words(o.ComputeBound ? Phrase.Of("bound#compute", "compute") : Phrase.Of("bound#memory", "memory"))])]));
        }
        if (model is CalibratedStepTimeModel cal && cal.Calibration.FallbackFinding(d.Engine, d.Device) is { } fallback)
        {
            findings.Add(fallback);
        }
        findings.Add(Finding.Info("steady-state",
            "TPOT is the steady-state step of continuous batching: every sequence decodes one token while new prompts prefill in {chunk}-token chunks ({input} / {output} prompt tokens per output token); TTFT is the prompt prefilled alone, without queueing.",
            ("chunk", Show.N(defaults.MaxBatchedTokens)), ("input", Show.N(input)), ("output", Show.N(output))));
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        var (devices, layout) = system is null ? (d.Layout.Devices, d.Layout.ToString()) : (system.Layout.Devices, system.Layout.ToString());
        var title = Phrase.Of("report.perf", "{model} in {precision} (KV {kv}) on {devices} x {device} ({layout}, {engine})",
            ("model", d.Model.Id), ("precision", d.Weights.Name), ("kv", d.Kv.Name), ("devices", Fmt.I($"{devices}")), ("device", d.Device.Id),
            ("layout", layout), ("engine", EngineNames.Name(d.Engine)));
        return new Report(title, json with { Findings = FindingJson.Of(findings) }, tables, findings);
    }

    private static RangeJson? Range(double expected, IntervalLookup? interval) =>
        interval is null ? null : new RangeJson(R(expected * interval.Class.LowRatio), R(expected), R(expected * interval.Class.HighRatio));

    private static ReportCell SpanOf(RangeJson? r, Func<double, string> show) => r is null ? ReportCell.None
        : show(r.Low) == show(r.High) ? ReportCell.Text(show(r.Low))
        : ReportCell.Words(Phrase.Of("cell.span", "{low} to {high}", ("low", show(r.Low)), ("high", show(r.High))));

    private static ReportCell Secs(double seconds) => ReportCell.Seconds(Quantities.Duration.FromSeconds(seconds));

    /// <summary>Display name of a bottleneck.</summary>
    public static Phrase BottleneckName(Bottleneck b) => b switch
    {
        Bottleneck.Compute => Phrase.Of("bottleneck#compute", "compute"),
        Bottleneck.MemoryBandwidth => Phrase.Of("bottleneck#memory-bandwidth", "memory bandwidth"),
        Bottleneck.Communication => Phrase.Of("bottleneck#communication", "communication"),
        _ => Phrase.Of("bottleneck#overhead", "overhead"),
    };

    /// <summary>
    /// Display name of an operator in the operator table: in English its id (QkvProjection), in Chinese a name
    /// (QKV 投影); the table is a display, the JSON has no operator field. A kind without a name (none today) throws
    /// <see cref="ArgumentOutOfRangeException"/>: an internal error, never a wrong name.
    /// </summary>
    public static Phrase OperatorName(OperatorKind kind) => kind switch
    {
        OperatorKind.QkvProjection => Phrase.Of("operator#qkv-projection", "QkvProjection"),
        OperatorKind.Attention => Phrase.Of("operator#attention", "Attention"),
        OperatorKind.OutputProjection => Phrase.Of("operator#output-projection", "OutputProjection"),
        OperatorKind.Mlp => Phrase.Of("operator#mlp", "Mlp"),
        OperatorKind.Experts => Phrase.Of("operator#experts", "Experts"),
        OperatorKind.Norms => Phrase.Of("operator#norms", "Norms"),
        OperatorKind.Embedding => Phrase.Of("operator#embedding", "Embedding"),
        OperatorKind.LmHead => Phrase.Of("operator#lm-head", "LmHead"),
        // Every kind is named above; a kind added to the enum without a name here is a defect, not a silent "LmHead".
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An operator kind without a display name; name it in PerfReport.OperatorName."),
    };

    // Six significant figures: enough for any table, stable across platforms in JSON.
    private static double R(double v) => double.Parse(v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
}
