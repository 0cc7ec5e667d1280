using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>One validated row's out-of-sample residual and the interval classes it belongs to.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Kind">What the row measures.</param>
/// <param name="Keys">Its class keys, most specific first.</param>
/// <param name="Ratio">Measured / predicted (for training, predicted / measured time: a speed ratio).</param>
/// <param name="HeldOut">True when the prediction came from a fit without the row; false for rows the fit never uses.</param>
public sealed record IntervalResidual(string Id, PredictionKind Kind, IReadOnlyList<string> Keys, double Ratio, bool HeldOut);

/// <summary>
/// Turns validation into prediction intervals: each row's out-of-sample residual (the leave-one-out prediction for
/// rows the calibration is fitted to, the plain prediction for rows it never sees: capacity, percentiles, offline
/// TTFT), grouped by kind x engine x architecture (docs/methodology-intervals.md).
/// </summary>
public static class IntervalFit
{
    /// <summary>Training metrics that are times (a larger value is slower); the others are speeds.</summary>
    public static IReadOnlyList<string> TrainingTimes { get; } = ["gpu_hours", "train_days", "train_minutes"];

    /// <summary>The out-of-sample residual of every row that has one.</summary>
    public static IReadOnlyList<IntervalResidual> Residuals(ValidationResult result, IReadOnlyList<HeldOutPrediction> heldOut, SuanliCatalog catalog, Calibration calibration,
        CancellationToken cancel = default)
    {
        var resolver = new InferencePredictor(catalog, new FixedParameterModel(StepTimeParameters.Ideal), calibration);
        var list = new List<IntervalResidual>();
        foreach (var v in result.Rows)
        {
            var row = v.Row;
            var loo = heldOut.FirstOrDefault(h => h.Id == row.Id && h.Metric == row.Metric);
            var architecture = catalog.TryDevice(row.Hardware, out var device) && device is not null ? IntervalFiles.ArchitectureKey(device) : null;
            switch (row)
            {
                case InferenceMeasurement m when Kind(m) is { } kind:
                {
                    double? predicted = loo?.Predicted;
                    if (predicted is null && resolver.Resolve(m, out _, cancel) is { } r && !Calibrator.UsedForFit(r))
                    {
                        predicted = v.Prediction.Predicted;
                    }
                    var engine = InferencePredictor.EngineOf(m.Framework, out _) is { } e ? EngineNames.Name(e) : null;
                    if (predicted is > 0 && engine is not null)
                    {
                        list.Add(new(row.Id, kind, PredictionIntervals.Keys(kind, engine, architecture), m.Value / predicted.Value, loo is not null));
                    }
                    break;
                }
                case TrainingMeasurement t when loo is { Predicted: > 0 } && TrainingLeaveOneOut.FittedMetrics.Contains(t.Metric):
                {
                    var ratio = TrainingTimes.Contains(t.Metric) ? loo.Predicted / t.Value : t.Value / loo.Predicted;
                    list.Add(new(row.Id, PredictionKind.Training, PredictionIntervals.Keys(PredictionKind.Training, null, architecture), ratio, true));
                    break;
                }
            }
        }
        return list;
    }

    /// <summary>The intervals of the residuals (every class with enough rows, with its nested leave-one-out coverage).</summary>
    public static PredictionIntervals Fit(IReadOnlyList<IntervalResidual> residuals, DateOnly fitted, string data) =>
        new(PredictionIntervals.Fit([.. residuals.Select(r => (r.Keys, r.Ratio))]), fitted.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), data);

    /// <summary>
    /// Coverage as a user meets it: each row checked against the interval its prediction would get (its most
    /// specific class with enough rows), fitted without the row. Returns rows inside and rows checked.
    /// </summary>
    public static (int Inside, int Checked) Coverage(IReadOnlyList<IntervalResidual> residuals)
    {
        var inside = 0;
        var count = 0;
        for (var i = 0; i < residuals.Count; i++)
        {
            var others = residuals.Where((_, j) => j != i).ToList();
            foreach (var key in residuals[i].Keys)
            {
                var logs = others.Where(o => o.Keys.Contains(key)).Select(o => Math.Log(o.Ratio)).ToList();
                if (logs.Count < PredictionIntervals.MinRows)
                {
                    continue;
                }
                var (lo, hi) = PredictionIntervals.Ends(logs);
                var x = Math.Log(residuals[i].Ratio);
                inside += x >= lo && x <= hi ? 1 : 0;
                count++;
                break;
            }
        }
        return (inside, count);
    }

    /// <summary>The kind of an inference row, or null for metrics no interval is stated for (end-to-end latency).</summary>
    public static PredictionKind? Kind(InferenceMeasurement m) => m.Metric switch
    {
        _ when m.Metric.StartsWith("ttft", StringComparison.Ordinal) => PredictionKind.Ttft,
        _ when m.Metric.StartsWith("tpot", StringComparison.Ordinal) => PredictionKind.Tpot,
        "output_tokens_per_s" or "requests_per_s" when m.Scenario == "capacity" => PredictionKind.Capacity,
        "output_tokens_per_s" or "prefill_tokens_per_s" or "requests_per_s" => PredictionKind.Throughput,
        _ => null,
    };
}
