using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Suanli.Validation;

/// <summary>One measurement row with its prediction.</summary>
/// <param name="File">Measurement file.</param>
/// <param name="Line">Line of the row.</param>
/// <param name="Row">The measurement.</param>
/// <param name="Group">Hardware and engine label for the per-group tables, e.g. <c>nvidia-h100-sxm5-80gb / trtllm</c>.</param>
/// <param name="Prediction">The prediction (or skip reason).</param>
public sealed record ValidatedRow(string File, int Line, MeasurementRow Row, string Group, RowPrediction Prediction)
{
    /// <summary>Signed error in percent: (predicted - measured) / measured x 100; null when skipped.</summary>
    public double? ErrorPct => Prediction.Predicted is { } p ? (p - Row.Value) / Row.Value * 100 : null;

    /// <summary>Signed error of the pure roofline in percent.</summary>
    public double? RooflineErrorPct => Prediction.Roofline is { } p ? (p - Row.Value) / Row.Value * 100 : null;
}

/// <summary>Error statistics of one metric (or group).</summary>
/// <param name="Metric">Metric or group label.</param>
/// <param name="Count">Rows predicted.</param>
/// <param name="Skipped">Rows skipped.</param>
/// <param name="MedianAbsPctError">Median absolute percentage error (0 when no row).</param>
/// <param name="P90AbsPctError">90th percentile absolute percentage error (nearest rank).</param>
/// <param name="MaxAbsPctError">Largest absolute percentage error.</param>
/// <param name="RooflineMedianAbsPctError">The pure roofline's median absolute percentage error on the same rows.</param>
public sealed record ErrorSummary(string Metric, int Count, int Skipped, double MedianAbsPctError, double P90AbsPctError, double MaxAbsPctError, double RooflineMedianAbsPctError);

/// <summary>The outcome of validating measurement files.</summary>
/// <param name="Rows">Every row, predicted or skipped, in file order.</param>
/// <param name="Problems">Rows that could not be read (file, line, column and reason).</param>
public sealed record ValidationResult(IReadOnlyList<ValidatedRow> Rows, IReadOnlyList<InputException> Problems)
{
    /// <summary>Per metric.</summary>
    public IReadOnlyList<ErrorSummary> ByMetric => Summaries(r => r.Row.Metric);

    /// <summary>Per hardware and engine.</summary>
    public IReadOnlyList<ErrorSummary> ByGroup => Summaries(r => r.Group);

    /// <summary>Summaries over a grouping key, in order of first appearance.</summary>
    public IReadOnlyList<ErrorSummary> Summaries(Func<ValidatedRow, string> key) =>
        [.. Rows.GroupBy(key).Select(g => Summarize(g.Key, [.. g]))];

    /// <summary>The statistics of a set of rows.</summary>
    public static ErrorSummary Summarize(string label, IReadOnlyList<ValidatedRow> rows)
    {
        var errors = rows.Where(r => r.ErrorPct is not null).Select(r => Math.Abs(r.ErrorPct!.Value)).Order().ToList();
        var roof = rows.Where(r => r.RooflineErrorPct is not null).Select(r => Math.Abs(r.RooflineErrorPct!.Value)).Order().ToList();
        return new ErrorSummary(label, errors.Count, rows.Count - errors.Count,
            Percentile(errors, 0.5), Percentile(errors, 0.9), errors.Count == 0 ? 0 : errors[^1], Percentile(roof, 0.5));
    }

    /// <summary>Percentile of sorted values: the median averages the middle pair; others take the nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        if (q == 0.5)
        {
            var mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// Predicts every row of measurement files with the predictor for its kind: format A rows go to
/// <see cref="Inference"/> (<see cref="InferencePredictor"/>), format B rows to <see cref="Training"/>
/// (<see cref="TrainingRowPredictor"/>); any <see cref="IRowPredictor"/> plugs in.
/// </summary>
/// <param name="Inference">Predictor for format A rows.</param>
/// <param name="Training">Predictor for format B rows.</param>
public sealed record Validator(IRowPredictor Inference, IRowPredictor Training)
{
    /// <summary>Reads and predicts files; unreadable rows are listed as problems, the others still validated.</summary>
    public ValidationResult Run(IEnumerable<string> paths, CancellationToken cancel = default) => Run(paths.Select(MeasurementFiles.Read), cancel);

    /// <summary>
    /// Predicts already read files. Rows are predicted on up to <see cref="Environment.ProcessorCount"/> threads, the rows of
    /// one run (<see cref="RunOf"/>) one after another on one thread, and listed in file order whatever order they finish in.
    /// </summary>
    /// <param name="files">The files, each with its rows and the problems met reading it.</param>
    /// <param name="cancel">Stops the validation (an <see cref="OperationCanceledException"/>) between rows.</param>
    public ValidationResult Run(IEnumerable<MeasurementFile> files, CancellationToken cancel = default)
    {
        files = [.. files];
        // A capacity run's latency rows are predicted at the load its throughput row states (InferencePredictor.UsePublishedLoads).
        (Inference as InferencePredictor)?.UsePublishedLoads(files.SelectMany(f => f.Rows));
        var pending = new List<(MeasurementFile File, MeasurementRow Row, IRowPredictor Predictor)>();
        var problems = new List<InputException>();
        foreach (var f in files)
        {
            problems.AddRange(f.Problems);
            foreach (var row in f.Rows)
            {
                var predictor = row is TrainingMeasurement ? Training : Inference;
                if (predictor.Refuse(row) is { } impossible)
                {
                    problems.Add(impossible);
                    continue;
                }
                pending.Add((f, row, predictor));
            }
        }
        var predictions = new RowPrediction[pending.Count];
        // Runs are handed out costliest first (CostOrder), so that the longest run does not start last and end alone; each
        // prediction lands at its row's index, so the order of the runs changes no result and no order of the output.
        var runs = CostOrder(Enumerable.Range(0, pending.Count).GroupBy(i => RunOf(pending[i].Row)).Select(g => g.ToArray()), pending.Select(p => p.Row).ToList());
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel };
        // NoBuffering hands out one run at a time: runs cost milliseconds (an offline row) to minutes (a capacity search per split).
        try
        {
            Parallel.ForEach(Partitioner.Create(runs, EnumerablePartitionerOptions.NoBuffering), options, run =>
            {
                foreach (var i in run)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    predictions[i] = pending[i].Predictor.Predict(pending[i].Row, options.CancellationToken);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // A predictor's own exception reaches the caller as it would from one thread (the first row's to fail).
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
        var rows = pending.Select((p, i) => new ValidatedRow(p.File.Path, p.Row.Location.Line, p.Row,
            p.Row is InferenceMeasurement im ? $"{p.Row.Hardware} / {im.Framework}" : $"{p.Row.Hardware} / training", predictions[i])).ToList();
        return new ValidationResult(rows, problems);
    }

    private static readonly SourceLocation Anywhere = new("", 0);

    /// <summary>
    /// The runs, costliest first by an estimate read from their rows before any prediction: a run with a capacity row (a load
    /// search, one simulation per load tried, on each candidate split) before one without; then the larger devices x output
    /// tokens per request (more devices give more candidate splits to search, and each simulated request takes about one
    /// decode step per output token); ties keep file order (OrderBy is stable). Only the order the runs start in follows
    /// from this, never a result.
    /// </summary>
    /// <param name="runs">The runs, each the indices of its rows in <paramref name="rows"/>, in file order.</param>
    /// <param name="rows">The rows being predicted.</param>
    public static List<int[]> CostOrder(IEnumerable<int[]> runs, IReadOnlyList<MeasurementRow> rows)
    {
        static bool Searches(MeasurementRow row) => row is InferenceMeasurement { Scenario: "capacity" };
        static double Work(MeasurementRow row) => row is InferenceMeasurement m ? Math.Max(1, m.Devices ?? 1) * Math.Max(1, m.OutputTokens ?? 1) : 0;
        return [.. runs.OrderByDescending(run => run.Any(i => Searches(rows[i]))).ThenByDescending(run => run.Max(i => Work(rows[i])))];
    }

    /// <summary>
    /// The published run a row reports on: its inputs without its id, metric, value, provenance and place. A Server run's
    /// throughput and latency rows share one capacity search and one choice of split (<see cref="CapacityLayouts"/>), so
    /// predicting them on one thread runs that search once rather than on two threads at the same time.
    /// </summary>
    private static MeasurementRow RunOf(MeasurementRow row) => row is InferenceMeasurement m
        ? m with { Id = "", Metric = "", Value = 0, Source = "", Note = "", Location = Anywhere, ValueLocation = Anywhere }
        : row;
}
