using Suanli.Files;
using Suanli.Runs;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Validation;

/// <summary>JSON summary of one metric (or group) in <c>suanli validate</c>.</summary>
/// <param name="Metric">Metric or group label.</param>
/// <param name="Count">Rows predicted.</param>
/// <param name="Skipped">Rows skipped.</param>
/// <param name="MedianAbsPctError">Median absolute percentage error.</param>
/// <param name="P90AbsPctError">90th percentile absolute percentage error.</param>
/// <param name="MaxAbsPctError">Largest absolute percentage error.</param>
/// <param name="RooflineMedianAbsPctError">The pure roofline's median on the same rows.</param>
public sealed record ErrorSummaryJson(string Metric, int Count, int Skipped, double MedianAbsPctError, double P90AbsPctError, double MaxAbsPctError, double RooflineMedianAbsPctError);

/// <summary>JSON of one validated row.</summary>
/// <param name="File">Measurement file.</param>
/// <param name="Line">Line.</param>
/// <param name="Id">Row id.</param>
/// <param name="Model">Model as written.</param>
/// <param name="Hardware">Device as written.</param>
/// <param name="Devices">Devices.</param>
/// <param name="Framework">Framework (training rows: training).</param>
/// <param name="Scenario">Scenario (inference rows).</param>
/// <param name="Metric">Metric.</param>
/// <param name="Measured">Published value.</param>
/// <param name="Predicted">Prediction (null when skipped).</param>
/// <param name="ErrorPct">Signed error in percent.</param>
/// <param name="Roofline">Pure roofline prediction.</param>
/// <param name="RooflineErrorPct">Its signed error in percent.</param>
/// <param name="Note">How it was predicted.</param>
/// <param name="Skipped">Why it was skipped.</param>
/// <param name="AtPublishedLoad">A capacity row's latency at the load its source ran (the run's throughput row); <paramref name="Predicted"/> is at the simulated capacity.</param>
public sealed record ValidatedRowJson(string File, int Line, string Id, string Model, string Hardware, int? Devices, string Framework, string? Scenario,
    string Metric, double Measured, double? Predicted, double? ErrorPct, double? Roofline, double? RooflineErrorPct, string? Note, string? Skipped, double? AtPublishedLoad = null);

/// <summary>
/// Which p99 target bounds one capacity system (the rows of one MLPerf Server run: throughput, p99 TTFT, p99 TPOT),
/// measured and predicted. A ratio is a p99 latency over its target (1 = at the limit).
/// </summary>
/// <param name="Ids">Row ids of the system's capacity rows, comma-separated.</param>
/// <param name="System">Model, devices x hardware and engine.</param>
/// <param name="MeasuredTtftRatio">Published p99 TTFT over the TTFT target, when published.</param>
/// <param name="MeasuredTpotRatio">Published p99 TPOT over the TPOT target, when published.</param>
/// <param name="Measured">The target nearer its limit in the published run (<c>ttft</c> or <c>tpot</c>); null when either p99 is missing.</param>
/// <param name="PredictedTtftRatio">Predicted p99 TTFT at the predicted capacity (the capacity search's largest passing load) over the TTFT target.</param>
/// <param name="PredictedTpotRatio">Predicted p99 TPOT at the predicted capacity over the TPOT target.</param>
/// <param name="Predicted">
/// The predicted limit by the search's rule: the target the capacity search's next larger load fails on (<c>ttft</c>,
/// <c>tpot</c>, <c>throughput</c> or <c>none</c>), which is not the rule of <paramref name="Measured"/>.
/// </param>
/// <param name="Same">True when <paramref name="Measured"/> and <paramref name="Predicted"/> agree; null when either is unknown.</param>
/// <param name="PredictedNearer">
/// The predicted limit by the measured rule: the target nearer its bound at the predicted capacity (<c>ttft</c> or
/// <c>tpot</c>, from <paramref name="PredictedTtftRatio"/> and <paramref name="PredictedTpotRatio"/>); null when either is missing.
/// </param>
/// <param name="SameNearer">True when <paramref name="Measured"/> and <paramref name="PredictedNearer"/> agree; null when either is unknown.</param>
/// <param name="LoadTtftRatio">Predicted p99 TTFT at the published load (the run's throughput row) over the TTFT target; null without that row.</param>
/// <param name="LoadTpotRatio">Predicted p99 TPOT at the published load over the TPOT target; null without that row.</param>
/// <param name="LoadNearer">The target nearer its bound at the published load, predicted (the measured rule at the measured load); null when either ratio is missing.</param>
/// <param name="SameLoadNearer">True when <paramref name="Measured"/> and <paramref name="LoadNearer"/> agree; null when either is unknown.</param>
public sealed record CapacityLimitJson(string Ids, string System, double? MeasuredTtftRatio, double? MeasuredTpotRatio, string? Measured,
    double? PredictedTtftRatio, double? PredictedTpotRatio, string? Predicted, bool? Same, string? PredictedNearer = null, bool? SameNearer = null,
    double? LoadTtftRatio = null, double? LoadTpotRatio = null, string? LoadNearer = null, bool? SameLoadNearer = null);

/// <summary>JSON of a row that could not be read.</summary>
/// <param name="File">File.</param>
/// <param name="Line">Line.</param>
/// <param name="Column">Column.</param>
/// <param name="Field">Column name.</param>
/// <param name="Message">What is wrong, in the reader's language (<c>--lang</c>), as the table's error line says it.</param>
/// <param name="Code">The kind of problem, the same in every language (the key of the message's phrase, e.g.
/// <c>measurement-id-twice</c>); null for a problem without one.</param>
public sealed record ProblemJson(string File, int Line, int Column, string Field, string Message, string? Code = null);

/// <summary>The JSON document of <c>suanli validate</c>.</summary>
public sealed record ValidationJson : ReportDocument
{
    /// <summary>Per metric.</summary>
    public required IReadOnlyList<ErrorSummaryJson> Summary { get; init; }
    /// <summary>
    /// Capacity rows' latencies at the load their source ran (<see cref="RowPrediction.AtPublishedLoad"/>), per metric; the
    /// roofline field is 0 (not simulated at that load). Empty without such rows.
    /// </summary>
    public IReadOnlyList<ErrorSummaryJson> AtPublishedLoad { get; init; } = [];
    /// <summary>Per hardware and engine.</summary>
    public required IReadOnlyList<ErrorSummaryJson> ByHardwareAndEngine { get; init; }
    /// <summary>Every row.</summary>
    public required IReadOnlyList<ValidatedRowJson> Rows { get; init; }
    /// <summary>Rows that could not be read.</summary>
    public required IReadOnlyList<ProblemJson> Problems { get; init; }
    /// <summary>Leave-one-out errors per metric, when computed.</summary>
    public IReadOnlyList<ErrorSummaryJson>? LeaveOneOut { get; init; }

    /// <summary>
    /// Leave-one-out throughput errors (output tokens/s) per group, when computed: by engine and accelerator
    /// architecture, by scenario, and by one device vs several (the <c>metric</c> field names the group).
    /// </summary>
    public IReadOnlyList<ErrorSummaryJson>? LeaveOneOutByGroup { get; init; }
    /// <summary>Calibration date.</summary>
    public required string CalibrationFitted { get; init; }

    /// <summary>Per capacity system (one published latency-bound run): the limiting p99 target, measured and predicted; empty without capacity rows.</summary>
    public IReadOnlyList<CapacityLimitJson> CapacityLimits { get; init; } = [];

    /// <summary>Prediction-interval classes fitted to the leave-one-out residuals, when computed.</summary>
    public IReadOnlyList<IntervalClassJson>? Intervals { get; init; }

    /// <summary>
    /// Share of rows (0-1) inside the 80% interval their prediction gets, fitted without them (nested
    /// leave-one-out), when computed; the target is 0.7-0.9.
    /// </summary>
    public double? IntervalCoverage { get; init; }
}

/// <summary>
/// One prediction-interval class: its key, rows, the split-conformal ends of measured/predicted, and the share of
/// its rows inside the interval fitted without them.
/// </summary>
public sealed record IntervalClassJson(string Class, int Rows, double LowRatio, double HighRatio, double? Coverage);

/// <summary>Builds the report of <c>suanli validate</c>.</summary>
public static class ValidationReport
{
    /// <summary>
    /// Lays out a validation result (and leave-one-out predictions when given) for every renderer. With
    /// <paramref name="holdout"/> the rows are ones no calibration is fitted to (validation/holdout), and the error table
    /// says so instead of naming them the calibration set.
    /// </summary>
    public static Report Build(ValidationResult result, Calibration calibration, IReadOnlyList<HeldOutPrediction>? leaveOneOut = null, Catalog.SuanliCatalog? catalog = null,
        bool holdout = false)
    {
        IReadOnlyList<IntervalResidual>? residuals = leaveOneOut is null ? null : IntervalFit.Residuals(result, leaveOneOut, catalog ?? CatalogFiles.Embedded, calibration);
        var intervals = residuals is null ? null : PredictionIntervals.Fit([.. residuals.Select(r => (r.Keys, r.Ratio))]);
        var coverage = residuals is null ? ((int, int)?)null : IntervalFit.Coverage(residuals);
        static ErrorSummaryJson J(ErrorSummary s) => new(s.Metric, s.Count, s.Skipped, R(s.MedianAbsPctError), R(s.P90AbsPctError), R(s.MaxAbsPctError), R(s.RooflineMedianAbsPctError));
        var byMetric = result.ByMetric;
        var byGroup = result.ByGroup;
        IReadOnlyList<ErrorSummary>? loo = leaveOneOut is null ? null : [.. leaveOneOut.GroupBy(h => h.Metric).Select(g => LooSummary(g.Key, [.. g]))];
        IReadOnlyList<ErrorSummary>? looByGroup = leaveOneOut is null ? null : LooByGroup(result, leaveOneOut, catalog ?? CatalogFiles.Embedded);
        var limits = CapacityLimits(result);
        var atLoad = AtPublishedLoad(result);
        var json = new ValidationJson
        {
            CapacityLimits = limits,
            Summary = [.. byMetric.Select(J)],
            AtPublishedLoad = [.. atLoad.Select(J)],
            ByHardwareAndEngine = [.. byGroup.Select(J)],
            Rows = [.. result.Rows.Select(r => new ValidatedRowJson(r.File, r.Line, r.Row.Id, r.Row.Model, r.Row.Hardware, r.Row.Devices,
                r.Row is InferenceMeasurement im ? im.Framework : "training",
                (r.Row as InferenceMeasurement)?.Scenario, r.Row.Metric, r.Row.Value,
                Rn(r.Prediction.Predicted), Rn(r.ErrorPct), Rn(r.Prediction.Roofline), Rn(r.RooflineErrorPct),
                r.Prediction.Note.Length == 0 ? null : r.Prediction.Note, r.Prediction.Skipped, Rn(r.Prediction.AtPublishedLoad)))],
            Problems = [.. result.Problems.Select(p => new ProblemJson(p.Location?.File ?? "", p.Location?.Line ?? 0, p.Location?.Column ?? 0, p.Field, p.Detail, p.Text?.Key))],
            LeaveOneOut = loo?.Select(J).ToList(),
            LeaveOneOutByGroup = looByGroup?.Select(J).ToList(),
            CalibrationFitted = calibration.Fitted.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Intervals = intervals?.Select(c => new IntervalClassJson(c.Key, c.Rows, R(c.LowRatio), R(c.HighRatio), c.Coverage is { } v ? R(v) : null)).ToList(),
            IntervalCoverage = coverage is { } cv && cv.Item2 > 0 ? R((double)cv.Item1 / cv.Item2) : null,
        };

        ReportColumn[] summaryColumns =
        [
            new(Phrase.Of("col.metric", "Metric")), new(Phrase.Of("col.rows", "Rows"), CellKind.Count), new(Phrase.Of("col.skipped", "Skipped"), CellKind.Count),
            new(Phrase.Of("col.median-error", "Median |error| %"), CellKind.Number), new(Phrase.Of("col.p90-error", "p90 |error| %"), CellKind.Number),
            new(Phrase.Of("col.max-error", "Max |error| %"), CellKind.Number), new(Phrase.Of("col.roofline-median-error", "Roofline median |error| %"), CellKind.Number),
        ];
        IReadOnlyList<ReportCell> SummaryRow(ErrorSummary s) =>
            [T(s.Metric), ReportCell.Count(s.Count), ReportCell.Count(s.Skipped), Pct(s.MedianAbsPctError, s.Count), Pct(s.P90AbsPctError, s.Count), Pct(s.MaxAbsPctError, s.Count),
             Pct(s.RooflineMedianAbsPctError, s.Count)];
        var trainingMetrics = result.Rows.Where(r => r.Row is TrainingMeasurement).Select(r => r.Row.Metric).ToHashSet();
        var tables = new List<ReportTable>
        {
            new(holdout ? Phrase.Of("table.inference-error-holdout", "Inference error per metric (held out: never fitted)") : Phrase.Of("table.inference-error", "Inference error per metric (calibration set)"), summaryColumns,
                [.. byMetric.Where(s => !trainingMetrics.Contains(s.Metric)).Select(SummaryRow), .. atLoad.Select(s => (IReadOnlyList<ReportCell>)[
                    ReportCell.Words(Phrase.Of("metric-at-published-load", "{metric} at the published load", ("metric", s.Metric))), .. SummaryRow(s).Skip(1).Take(5), ReportCell.None])]),
        };
        // The calibration set always has its (possibly empty) training table; a holdout of serving rows has none to show.
        if (!holdout || trainingMetrics.Count > 0)
        {
            tables.Add(new(Phrase.Of("table.training-error", "Training error per metric"), summaryColumns, [.. byMetric.Where(s => trainingMetrics.Contains(s.Metric)).Select(SummaryRow)]));
        }
        if (loo is not null)
        {
            tables.Add(new ReportTable(Phrase.Of("table.loo-error", "Leave-one-out error per metric (each fitted row predicted by a fit without it; capacity rows and p99 latencies are never fitted, so their errors above are already out of sample)"),
                summaryColumns[..6], [.. loo.Select(s => SummaryRow(s).Take(6).ToList())]));
        }
        if (looByGroup is not null)
        {
            tables.Add(new ReportTable(Phrase.Of("table.loo-group-error", "Leave-one-out throughput error per group (output tokens/s)"), [new(Phrase.Of("col.group", "Group")), .. summaryColumns[1..6]],
                [.. looByGroup.Select(s => SummaryRow(s).Take(6).ToList())]));
        }
        if (intervals is not null && coverage is { } cov)
        {
            tables.Add(new ReportTable(
                Phrase.Of("table.interval-classes", "80% prediction intervals (split-conformal ends of measured/predicted, out-of-sample); {inside} of {rows} rows ({percent}%) fall inside the interval their prediction gets when fitted without them",
                    ("inside", Fmt.I($"{cov.Item1}")), ("rows", Fmt.I($"{cov.Item2}")), ("percent", Show.N(cov.Item2 == 0 ? 0 : 100.0 * cov.Item1 / cov.Item2, 0))),
                [
                    new(Phrase.Of("col.class", "Class")), new(Phrase.Of("col.rows", "Rows"), CellKind.Count), new(Phrase.Of("col.low-ratio", "Low ratio"), CellKind.Number),
                    new(Phrase.Of("col.high-ratio", "High ratio"), CellKind.Number), new(Phrase.Of("col.coverage-without-row", "Coverage without the row"), CellKind.Percent),
                ],
                [.. intervals.Select(c => (IReadOnlyList<ReportCell>)[T(c.Key), ReportCell.Count(c.Rows), ReportCell.Number(c.LowRatio, 2), ReportCell.Number(c.HighRatio, 2),
                    c.Coverage is { } v ? ReportCell.Percent(v, 0) : T("")])]));
        }
        if (limits.Count > 0)
        {
            var known = limits.Where(l => l.Same is not null).ToList();
            var knownNearer = limits.Where(l => l.SameNearer is not null).ToList();
            var knownLoad = limits.Where(l => l.SameLoadNearer is not null).ToList();
            static ReportCell Ratio(double? v) => v is { } x ? ReportCell.Number(x, 2) : T("");
            tables.Add(new ReportTable(
                Phrase.Of("table.limiting-target",
                    "Limiting target at capacity, measured vs predicted (p99 over its target; the measured limit is the target nearer its bound at the published load): at the published load by the same rule the same on {sameLoad} of {systemsLoad} systems; at the predicted capacity by the same rule on {sameNearer} of {systemsNearer}; by the target the next larger load fails on, on {same} of {systems}",
                    ("sameLoad", Show.N(knownLoad.Count(l => l.SameLoadNearer == true))), ("systemsLoad", Show.N(knownLoad.Count)),
                    ("sameNearer", Show.N(knownNearer.Count(l => l.SameNearer == true))), ("systemsNearer", Show.N(knownNearer.Count)),
                    ("same", Show.N(known.Count(l => l.Same == true))), ("systems", Show.N(known.Count))),
                [
                    new(Phrase.Of("col.rows", "Rows")), new(Phrase.Of("col.system", "System")),
                    new(Phrase.Of("col.measured-ttft-target", "Measured TTFT / target"), CellKind.Number), new(Phrase.Of("col.measured-tpot-target", "Measured TPOT / target"), CellKind.Number),
                    new(Phrase.Of("col.measured-limit", "Measured limit")),
                    new(Phrase.Of("col.load-ttft-target", "Predicted at the published load: TTFT / target"), CellKind.Number),
                    new(Phrase.Of("col.load-tpot-target", "Predicted at the published load: TPOT / target"), CellKind.Number),
                    new(Phrase.Of("col.load-limit-nearer", "Predicted at the published load: limit nearer its bound")),
                    new(Phrase.Of("col.predicted-ttft-target", "Predicted at capacity: TTFT / target"), CellKind.Number), new(Phrase.Of("col.predicted-tpot-target", "Predicted at capacity: TPOT / target"), CellKind.Number),
                    new(Phrase.Of("col.predicted-limit-nearer", "Predicted at capacity: limit nearer its bound")),
                    new(Phrase.Of("col.predicted-limit-next-load", "Predicted limit, next larger load fails on")),
                ],
                [.. limits.Select(l => (IReadOnlyList<ReportCell>)[T(l.Ids), T(l.System), Ratio(l.MeasuredTtftRatio), Ratio(l.MeasuredTpotRatio), T(l.Measured ?? ""),
                    Ratio(l.LoadTtftRatio), Ratio(l.LoadTpotRatio), T(l.LoadNearer ?? ""),
                    Ratio(l.PredictedTtftRatio), Ratio(l.PredictedTpotRatio), T(l.PredictedNearer ?? ""), T(l.Predicted ?? "")])]));
        }
        tables.Add(new ReportTable(Phrase.Of("table.error-per-group", "Error per hardware and engine"), [new(Phrase.Of("col.hardware-engine", "Hardware / engine")), .. summaryColumns[1..]],
            [.. byGroup.Select(SummaryRow)]));
        var predicted = result.Rows.Where(r => r.ErrorPct is not null).ToList();
        ReportColumn Id = new(Phrase.Of("col.id", "Id")), Model = new(Phrase.Of("col.model", "Model")), Hardware = new(Phrase.Of("col.hardware", "Hardware")),
            Metric = new(Phrase.Of("col.metric", "Metric")), Measured = new(Phrase.Of("col.measured", "Measured")), Predicted = new(Phrase.Of("col.predicted", "Predicted")),
            Error = new(Phrase.Of("col.error-pct", "Error %"));
        tables.Add(new ReportTable(Phrase.Of("table.rows", "Rows"),
            [
                Id, Model, Hardware, new(Phrase.Of("col.n", "N")), new(Phrase.Of("col.engine", "Engine")), new(Phrase.Of("col.scenario", "Scenario")), Metric, Measured, Predicted, Error,
                new(Phrase.Of("col.roofline", "Roofline")), new(Phrase.Of("col.roofline-error-pct", "Roofline error %")), new(Phrase.Of("col.note", "Note")),
            ],
            [.. predicted.Select(r => (IReadOnlyList<ReportCell>)[
                T(r.Row.Id), T(r.Row.Model), T(r.Row.Hardware), r.Row.Devices is { } n ? ReportCell.Count(n) : T(""), T((r.Row as InferenceMeasurement)?.Framework ?? "training"),
                T((r.Row as InferenceMeasurement)?.Scenario ?? ""), T(r.Row.Metric), T(Show.Sig(r.Row.Value, 4)), T(Show.Sig(r.Prediction.Predicted!.Value, 4)),
                T(Signed(r.ErrorPct!.Value)), T(r.Prediction.Roofline is { } rf ? Show.Sig(rf, 4) : ""), T(r.RooflineErrorPct is { } re ? Signed(re) : ""), T(r.Prediction.Note)])]));
        var worst = predicted.OrderByDescending(r => Math.Abs(r.ErrorPct!.Value)).Take(12).ToList();
        tables.Add(new ReportTable(Phrase.Of("table.worst-rows", "Rows that miss most, and why"), [Id, Model, Metric, Measured, Predicted, Error, new(Phrase.Of("col.why", "Why"))],
            [.. worst.Select(r => (IReadOnlyList<ReportCell>)[T(r.Row.Id), T(r.Row.Model), T(r.Row.Metric), T(Show.Sig(r.Row.Value, 4)), T(Show.Sig(r.Prediction.Predicted!.Value, 4)),
                T(Signed(r.ErrorPct!.Value)), T(KnownMisses.TryGetValue(r.Row.Id, out var why) ? why : "not investigated; how it was predicted: " + r.Prediction.Note)])]));
        var skipped = result.Rows.Where(r => r.Prediction.Skipped is not null).ToList();
        if (skipped.Count > 0)
        {
            tables.Add(new ReportTable(Phrase.Of("table.skipped-rows", "Skipped rows"),
                [Id, new(Phrase.Of("col.file-line", "File:line")), Model, Hardware, Metric, new(Phrase.Of("col.reason", "Reason"))],
                [.. skipped.Select(r => (IReadOnlyList<ReportCell>)[T(r.Row.Id), T(Fmt.I($"{Path.GetFileName(r.File)}:{r.Line}")), T(r.Row.Model), T(r.Row.Hardware), T(r.Row.Metric),
                    T(r.Prediction.Skipped!)])]));
        }
        var findings = new List<Finding>();
        foreach (var p in result.Problems)
        {
            // The problem as a phrase where the reader hands one (every measurement-file error), so it reads in the reader's language.
            object problem = p.Text is not { } text ? p.Message
                : p.Location is { } at ? Phrase.Of("problem-at", "{location}: {problem}", ("location", at.ToString()), ("problem", text)) : text;
            findings.Add(Finding.Error("bad-row", "{problem}", ("problem", problem)));
        }
        findings.Add(Finding.Info("calibration",
            "Inference predictions use the step-time calibration fitted on {fitted} to {data}, through the serving simulator for offline, concurrency, rate and capacity rows; the roofline column is the same path with efficiency 1 and no overhead (MFU 1 for training rows).",
            ("fitted", json.CalibrationFitted ?? ""), ("data", calibration.Data)));
        var title = Phrase.Of("report.validation", "Predicted vs measured: {predicted} rows predicted, {skipped} skipped, {unreadable} unreadable",
            ("predicted", Show.N(predicted.Count)), ("skipped", Show.N(skipped.Count)), ("unreadable", Show.N(result.Problems.Count)));
        // Each problem's message as a phrase, so the JSON's problems[].message reads in the reader's language as the findings do.
        return new Report(title, json, tables, findings) { Phrases = [.. result.Problems.Select(p => p.Text).OfType<Phrase>()] };
    }

    /// <summary>
    /// Why the rows investigated by hand miss (docs/methodology-steptime.md "Error reached", docs/methodology-serving.md
    /// "Validation", docs/methodology-training.md "Utilisation and time"). Rows not listed show how they were predicted.
    /// </summary>
    public static IReadOnlyDictionary<string, string> KnownMisses { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["inf-139"] = "MoE (16 experts, EP=4): expert GEMMs of a few hundred rows, routing, token permutation and load imbalance cost more than the shared efficiency curve times the fitted expert efficiency charges",
        ["inf-137"] = "MoE (128 experts, 8 active) in FP4: small expert GEMMs, as inf-139; the FP4 peak is also harder to reach",
        ["inf-124"] = "MoE (Mixtral-8x22B, TP8): as inf-139",
        ["inf-135"] = "MoE (Qwen3-235B, TP8 EP8), under-predicted: TensorRT-LLM likely used attention data parallelism, which the row does not state",
        ["inf-130"] = "the source's TP1 PP8 over PCIe (no NVLink), 8 micro-batches in flight: stages are taken as holding equal layers and micro-batches as equal, so imbalance between them, which leaves stages idle in a real pipeline, costs nothing in the model",
        ["inf-155"] = "closed loop with fixed lengths: the 25 simulated clients stay in lock-step, so each prompt waits for the other prompts of its wave; the benchmark's clients drift apart",
        ["inf-118"] = "70B on 4 x L40S (PCIe) at 128/128: all-reduce over PCIe at a large batch; the step model charges no congestion",
        ["inf-128"] = "FP4 on GB200: one efficiency curve per engine class for FP8 and FP4 alike",
        ["inf-126"] = "70B FP8 on one H200 with 1000/1000 tokens: the KV cache holds few sequences, and the simulated batch is smaller than the engine's (its KV-cache fraction is 0.95 of free memory, the simulator's 0.9 of the device)",
        ["inf-021"] = "8 x H100 PCIe (350 W): the sustained-clock limit (docs/methodology-steptime.md, \"Power-limited boards\") and the TP=2 all-reduce over PCIe Gen5 (the ASUS system states no accelerator interconnect; \"PCIe systems\") account for most of the miss",
        ["inf-027"] = "p99 TTFT at capacity (Mixtral, 8 x H100, NVIDIA's 896 sequences and 16,384 tokens per step): the simulated search ends within its 2% step below the load where the running batch fills (KV cache or sequence cap) and the queue grows, where p99 TTFT climbs from a few hundred ms to 2 s; the published run sits at the load NVIDIA configured (348 queries/s asked, 348.37 achieved), both of its ratios well under 1 (TTFT 0.31, TPOT 0.62 of the targets), so it shows a submitter's margin, not a cliff; with the fitted expert efficiency the capacity is within 5% and p99 TPOT within 8%, but the predicted load is a few percent nearer the cliff, where p99 TTFT climbs fastest",
        ["inf-003"] = "p99 TTFT at capacity (Llama-2-70B, 4 x TP2 on H100, NVIDIA's 1,024 sequences and 4,096 tokens per step): as inf-027, the search ends just below the load where the running batch fills and the queue grows, where p99 TTFT jumps from a few hundred ms to 2 s, so which side of a 2% search step it lands on sets this figure; the published system is TPOT-bound (175 ms) at less load than the simulated capacity",
        ["inf-002"] = "capacity of 4 x TP2 Llama-2-70B on H100 (NVIDIA's 1,024 sequences and 4,096 tokens per step): a Poisson-fed replica that fills its batch runs as the offline one, so the simulated capacity equals the simulated offline throughput (inf-001, within 5%); the published Server run delivers 88% of its Offline run while, by Little's law with its p99 TPOT of 175 ms, it holds 730 to 950 sequences against the Offline cap of 896: its steps are slower than the Offline steps at the same batch, or the step grows less with the batch near the cap than modelled (flat enough only if the real TPOT tail is as wide as the simulated one) (docs/methodology-serving.md, \"What the Server latencies rule out\")",
        ["inf-004"] = "p99 TPOT at capacity agrees (the search stops near the bound the run stopped near); at the published load (18.61 requests/s per replica, the run's 2,400 s) the simulated replica holds about 240 sequences at a p99 TPOT of 59 ms against the published 175 ms, where the run's own log gives a mean TPOT of 155 ms and, by Little's law, about 836 sequences per replica: the load sits on the flat top of the throughput curve, and the real steps at that batch are about 1.2 times the modelled steady state there while the Offline run's are about 1.07 times, a Server-only cost of this TP=2 replica that the H200 and Mixtral runs do not show (docs/methodology-serving.md, \"The in-sample Server logs' means\")",
        ["inf-008"] = "p99 TPOT at capacity on 8 x H200 (896 sequences per replica): the simulated search ends on the TPOT bound (ratio 1.00), where the published run stopped with a margin (0.73, 93% of its Offline run); at the published load over the run's 2,400 s the simulated p99 TPOT is within 3% of the published one (docs/methodology-serving.md, \"The in-sample Server logs' means\")",
        ["inf-007"] = "p99 TTFT at capacity on 8 x H200 (896 sequences and 4,096 tokens per step): the simulated search ends on the TPOT bound (0.96 of 200 ms) at 2.6% more load than the published run carried (inf-006), which stopped with a margin (TPOT 0.73, TTFT 0.23 of its targets); on the flat top of the throughput curve that much load lengthens the running batch and its steps, and each prompt waits for a step, so p99 TTFT at the predicted capacity is 0.29 of the target against the published 0.23; at the published load over the run's 2,400 s the simulated p99 TTFT is within 3% of the published 452.7 ms (this row's note): the miss is where the search stops, not the prefill (docs/methodology-serving.md, \"What the Server latencies rule out\")",
        ["inf-018"] = "p99 TTFT at capacity on 8 x MI300X with vLLM: AMD's harness holds queries for 0.3 s and sends each batch to the next of the 8 engines in turn (EngineConfig.Batcher), so a query waits for its batch and then for the prefill of the whole batch; without that batcher the simulated p99 TTFT was 0.31 s against the published 1.6 s",
        ["trn-005"] = "MLPerf GPT-3 on 6,144 TPU v5p: the row states no precision; the submission very likely trained in INT8, which the predictor cannot know",
        ["trn-041"] = "Llama 3 8B model-card GPU-hours are far above what the published MFU implies: likely more than one clean pass over 15T tokens",
        ["trn-042"] = "Llama 3 70B: as trn-041",
        ["trn-053"] = "DeepSeek-V3 (MoE, FP8): all-to-all communication and FP8 recipe; the row states no device count (2,048 assumed)",
        ["trn-054"] = "BLOOM whole-run GPU-hours include restarts and idle time (its 150 TFLOP/s per GPU implies 0.48 MFU, the GPU-hours 0.33)",
        ["trn-055"] = "BLOOM energy follows its GPU-hours (trn-054)",
        // Held-out rows (validation/holdout, docs/holdout.md): never fitted, so these are reasons, not adjustments.
        ["ho-003"] = "p99 TTFT at capacity with no engine limits stated: the simulated replicas run TensorRT-LLM's defaults (2,048 sequences, 8,192 tokens per step), the running batch absorbs the queue and the search ends on TPOT with TTFT at 0.14 of its target; the published run sat at 0.78. With NVIDIA's v4.1 Server limits assumed (1,024 sequences, 4,096 tokens; not read for v5.0) the same search gives 1,763 ms (+12.5%) but p99 TPOT 85.8 ms (-46.1%, ho-004 now -20.9%), so the miss is the unstated cap, not the step time; the engine's documented caps stay the default (docs/methodology-serving.md, 'Engine defaults', says why)",
        ["ho-006"] = "Llama 3.1 405B Server on 8 x B200 (split and limits not stated): the published run stopped well inside both bounds, at the submitter's target_qps of 1.3 (p99 TTFT 4.30 s, 0.72 of 6 s; p99 TPOT 113.5 ms, 0.65 of 175 ms; its log), so its throughput is a load chosen with a margin, where the prediction is the largest load meeting both; at that load the simulated p99 TTFT is 11% low and p99 TPOT 30% low (80.0 ms), the steps of this long-prompt mix being too short as on GB300 (ho-028), so the simulated replica has more TPOT headroom; no split matches both latencies (TP=8 gives capacity +8.8% but p99 TPOT 150 ms) and NVIDIA's v5.1 limits (TP=4, 256 sequences, 2,048 tokens) give +40%; the Offline row of the same system is 11% low (ho-005) (docs/methodology-serving.md, \"The 405B Server rows and ho-013, investigated\")",
        ["ho-012"] = "Llama 3.1 405B Server on 72 GB200 (split and limits not stated): as ho-006, the published run stopped well inside both bounds at the submitter's target_qps of 13.5 (p99 TTFT 3.31 s, 0.55 of 6 s; p99 TPOT 133.6 ms, 0.76 of 175 ms); at that load the simulated 36 x TP=2 replicas are 54% high on p99 TTFT (5.09 s) and 40% low on p99 TPOT (79.5 ms); the nearest split tried, 18 x TP=4, is 16% high and 28% low (+22.5% capacity), and NVIDIA's v5.1 limits (256 sequences, 2,048 tokens) give +32%: no split or token budget tried gives the real pair of a shorter TTFT and a longer TPOT, and the Offline row of the same system is within 5% (ho-011) (docs/methodology-serving.md, \"The 405B Server rows and ho-013, investigated\")",
        ["ho-013"] = "Llama 2 70B Offline on 8 x H100, the same system and dataset as the fitted inf-001 (v4.1, +4.1%) a round later: the v5.0 run delivers 1.27x the v4.1 samples per second (107.26 against 84.48) on TensorRT 10.8 and CUDA 12.8 instead of 10.2 and 12.4, and NVIDIA's expected Offline QPS rose from 80 to 110; with inf-001's stated split and limits (4 x TP=2, 896 sequences, 4,096 tokens) the prediction is 23,872 (-23.7%), so neither explains the miss: the step model has no engine-version term and its calibration is of the v4.1 software (docs/methodology-serving.md, \"The 405B Server rows and ho-013, investigated\")",
        ["ho-007"] = "Mixtral 8x7B Offline on 8 x B200, typed FP8: NVIDIA's v5.0 harness builds it from an AutoQuantize checkpoint of 7.25 effective bits per weight ('tp1pp1-fp4-e7.25'), a mix that FP8 (8 bits) approximates from above; typed uniform FP4 (4.5 bits) it came out far above the measurement, so the checkpoint's mix lies between the two, nearer FP8; the row states no engine limits and the v5.0 configs were not read (docs/methodology-serving.md, 'Mixtral on B200: the checkpoint is not FP4')",
        ["ho-015"] = "p99 TTFT at capacity, as ho-003 (TP=2 chosen, limits not stated); with NVIDIA's v4.1 H100 Server limits assumed (TP2 x 4, 1,024 sequences, 4,096 tokens) it is 697 ms (-52%), and the throughput is 18% low (ho-014), so the simulated replica reaches its cliff at a lower load and with a shorter queue than the real one",
        ["ho-019"] = "p99 TTFT at capacity on 8 x MI325X with vLLM: the row states neither AMD's engine limits nor its harness batcher (the v4.1 MI300X rows state 768 sequences and a 0.3 s batcher, which adds up to the window to every TTFT; inf-018 is +10% with them), so the simulated replicas take each request as it arrives. With the v4.1 harness settings assumed (TP1 x 8, 768 sequences, 65,536 tokens, chunked prefill off, 0.3 s batcher; not read for v5.0) the same search gives 1,741 ms (-10%)",
        ["ho-022"] = "DeepSeek-R1 Server, 3 replicas of DP-attention 24 x EP 24 (11 expert slots per device, 8 of the 264 redundant): each capacity probe warms up for one p99-length answer at the targets (about 2,400 s) and then measures MLPerf's 600 s, the steady state (docs/methodology-serving.md, 'Capacity of a benchmark run'); the published run measures every query from its first, while the batch is still filling and, at the end, draining, so its p99 TPOT at a given load is lower than the steady state's, and it carries more load within the 80 ms",
        ["ho-023"] = "p99 TTFT at capacity: the search ends on TPOT, as the published run does (70.8 of 80 ms), with the queue empty: each of the 24 attention ranks of a replica admits up to TensorRT-LLM's default 2,048 sequences (the row states no limits), so a prompt starts at once and TTFT is about one step; the published 1.94 s, at the 2 s limit, implies per-rank limits that queue prompts, as ho-003 (NVIDIA's v5.1 DeepSeek-R1 limits were not read)",
        ["ho-025"] = "Llama 3.1 405B Offline on 72 GB300 (TP=2, the submitter's config): NVIDIA's v5.1 configs expect 27.0 queries/s here and 21.06 on 72 GB200 (TP=2 PP=2), 1.28x, with the same FP4 weights, FP8 KV cache and FP8 context attention, while the model credits GB300's 1.5x dense NVFP4 peak and its larger memory in full and predicts about 1.46x on those two layouts (docs/methodology-serving.md, \"GB300 against GB200\")",
        ["ho-026"] = "Llama 3.1 405B Server on 72 GB300: the Offline over-prediction (ho-025) compounds, as a replica whose steps are too short carries too much prefill within the 175 ms TPOT bound (docs/methodology-serving.md, \"Long prompts under a TPOT target\", \"GB300 against GB200\")",
        ["ho-027"] = "p99 TTFT at capacity on 72 GB300 (36 x TP=2, 1,536 sequences and 1,536 tokens per step): both searches end on TTFT, the simulated one at 0.98 of the 6 s target and the published run at 0.79 (a submitter's margin below the bound), the simulated one at a load 56% above the published one (ho-026) because the steps are too short (ho-025); at the published load the simulated p99 TTFT is 3,492 ms, 26% below the published 4,746 ms, each prompt's 1,536-token chunks passing through steps that are too short as on ho-028 (docs/methodology-serving.md, \"GB300 against GB200\")",
        ["ho-028"] = "p99 TPOT at capacity on 72 GB300: the simulated capacity is far above the published load (ho-026) and ends on the TTFT cliff; at the published load the simulated p99 TPOT is below the measured one (this row's note), the steps being too short as in ho-025",
        ["ho-031"] = "p99 TTFT at capacity on 4 GB200 (4 x TP=1 chosen, limits not stated): as inf-027, the search ends within its 2% step below the load where the running batch fills and the queue grows, where p99 TTFT rises steeply; the simulated capacity is 11% above the published load (ho-030) and TPOT is within 2% (ho-032)",
    };

    /// <summary>
    /// The capacity systems of a result: capacity rows grouped by file, source, model, hardware, devices and engine;
    /// for each, the p99 TTFT and TPOT over their targets as published and as predicted, and which target limits.
    /// </summary>
    public static IReadOnlyList<CapacityLimitJson> CapacityLimits(ValidationResult result)
    {
        var list = new List<CapacityLimitJson>();
        var groups = result.Rows.Where(r => r.Row is InferenceMeasurement { Scenario: "capacity" })
            .GroupBy(r => (r.File, r.Row.Source, r.Row.Model, r.Row.Hardware, r.Row.Devices, ((InferenceMeasurement)r.Row).Framework));
        foreach (var g in groups)
        {
            var rows = g.ToList();
            var first = (InferenceMeasurement)rows[0].Row;
            ValidatedRow? Find(string metric) => rows.FirstOrDefault(r => r.Row.Metric == metric);
            var ttft = Find("ttft_ms_p99");
            var tpot = Find("tpot_ms_p99");
            double? Over(double? value, double? targetSeconds) => value is { } v && targetSeconds is { } t && t > 0 ? R(v / (t * 1000)) : null;
            var mTtft = Over(ttft?.Row.Value, first.TtftTargetSeconds);
            var mTpot = Over(tpot?.Row.Value, first.TpotTargetSeconds);
            var pTtft = Over(ttft?.Prediction.Predicted, first.TtftTargetSeconds);
            var pTpot = Over(tpot?.Prediction.Predicted, first.TpotTargetSeconds);
            var lTtft = Over(ttft?.Prediction.AtPublishedLoad, first.TtftTargetSeconds);
            var lTpot = Over(tpot?.Prediction.AtPublishedLoad, first.TpotTargetSeconds);
            var measured = Nearer(mTtft, mTpot);
            var nearer = Nearer(pTtft, pTpot);
            var loadNearer = Nearer(lTtft, lTpot);
            var predicted = rows.Select(r => r.Prediction.LimitingTarget).FirstOrDefault(l => l is not null);
            var system = $"{first.Model}, {(first.Devices is { } n ? Show.N(n) : "?")} x {first.Hardware}, {first.Framework}";
            list.Add(new CapacityLimitJson(string.Join(", ", rows.Select(r => r.Row.Id)), system, mTtft, mTpot, measured, pTtft, pTpot, predicted,
                measured is not null && predicted is not null ? measured == predicted : null,
                nearer, measured is not null && nearer is not null ? measured == nearer : null,
                lTtft, lTpot, loadNearer, measured is not null && loadNearer is not null ? measured == loadNearer : null));
        }
        return list;
    }

    /// <summary>
    /// Error statistics of capacity rows' latencies at the load their source ran (<see cref="RowPrediction.AtPublishedLoad"/>),
    /// per metric; the roofline median is 0 (not simulated at that load).
    /// </summary>
    public static IReadOnlyList<ErrorSummary> AtPublishedLoad(ValidationResult result) =>
        [.. result.Rows.Where(r => r.Prediction.AtPublishedLoad is not null).GroupBy(r => r.Row.Metric).Select(g =>
        {
            var errors = g.Select(r => Math.Abs((r.Prediction.AtPublishedLoad!.Value - r.Row.Value) / r.Row.Value * 100)).Order().ToList();
            return new ErrorSummary(g.Key, errors.Count, 0, ValidationResult.Percentile(errors, 0.5), ValidationResult.Percentile(errors, 0.9), errors[^1], 0);
        })];

    /// <summary>The target nearer its bound from two p99-over-target ratios (a tie counts as TTFT); null when either is missing.</summary>
    private static string? Nearer(double? ttftRatio, double? tpotRatio) =>
        ttftRatio is { } a && tpotRatio is { } b ? (a >= b ? "ttft" : "tpot") : null;

    /// <summary>Held-out throughput errors grouped three ways: engine x architecture, scenario, and one device vs several.</summary>
    private static List<ErrorSummary> LooByGroup(ValidationResult result, IReadOnlyList<HeldOutPrediction> heldOut, Catalog.SuanliCatalog catalog)
    {
        var rows = result.Rows.Select(r => r.Row).OfType<InferenceMeasurement>().GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var throughput = heldOut.Where(h => h.Metric == "output_tokens_per_s" && rows.ContainsKey(h.Id)).ToList();
        var list = new List<ErrorSummary>();
        void Add(Func<InferenceMeasurement, string> key) =>
            list.AddRange(throughput.GroupBy(h => key(rows[h.Id])).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => LooSummary(g.Key, [.. g])));
        Add(r => "engine " + r.Framework + " / " + Architecture(catalog, r.Hardware));
        Add(r => "scenario " + r.Scenario);
        Add(r => r.Devices is null or 1 ? "one device" : "several devices");
        return list;
    }

    private static string Architecture(Catalog.SuanliCatalog catalog, string hardware) =>
        catalog.TryDevice(hardware, out var d) && d is not null ? CalibrationKeys.ArchitectureOf(d) ?? d.Id : hardware;

    private static ErrorSummary LooSummary(string metric, IReadOnlyList<HeldOutPrediction> rows)
    {
        var errors = rows.Select(r => Math.Abs(r.ErrorPct)).Order().ToList();
        return new ErrorSummary(metric, errors.Count, 0, ValidationResult.Percentile(errors, 0.5), ValidationResult.Percentile(errors, 0.9),
            errors.Count == 0 ? 0 : errors[^1], 0);
    }

    private static ReportCell Pct(double v, int count) => count == 0 ? ReportCell.None : ReportCell.Number(v, 1);

    private static ReportCell T(string text) => ReportCell.Text(text);

    private static string Signed(double v) => (v >= 0 ? "+" : "") + Show.N(v, 1);

    private static double R(double v) => Math.Round(v, 2);

    private static double? Rn(double? v) => v is { } x ? Math.Round(x, 4) : null;
}
