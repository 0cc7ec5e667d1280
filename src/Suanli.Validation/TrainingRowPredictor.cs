using Suanli.Catalog;
using Suanli.Training;

namespace Suanli.Validation;

/// <summary>A training row resolved against the catalog: the inputs <see cref="TrainingPredictor.Predict"/> takes.</summary>
/// <param name="Row">The row.</param>
/// <param name="Model">The model.</param>
/// <param name="Device">The device type.</param>
/// <param name="Precision">Training precision; null when the row does not state it.</param>
public sealed record ResolvedTrainingRow(TrainingMeasurement Row, ModelEntry Model, Device Device, NumberFormat? Precision)
{
    /// <summary>Predicts the row's metric with a utilisation model (null: the fitted one), from the inputs only.</summary>
    public TrainingPrediction Predict(UtilisationModel? utilisation = null) =>
        TrainingPredictor.Predict(Model, Device, Row.Devices, Precision, Row.TrainTokens ?? double.NaN, Row.SequenceLength ?? 0, Row.Metric, utilisation);
}

/// <summary>
/// Predicts training rows (format B) with <see cref="TrainingPredictor.Predict"/> from model, tokens, hardware,
/// devices, precision and sequence length only, never the measured value (docs/methodology-training.md). The
/// roofline column is the same prediction at MFU 1 (every device at its dense peak).
/// </summary>
public sealed class TrainingRowPredictor(SuanliCatalog catalog) : IRowPredictor
{
    /// <summary>The model at the dense peak: base MFU 1, no 8-bit or scale loss.</summary>
    public static UtilisationModel Peak { get; } = new(1.0, 1.0, 0.0, UtilisationModel.Fitted.ScaleOnset, UtilisationModel.Fitted.DefaultDevices);

    /// <inheritdoc />
    public InputException? Refuse(MeasurementRow row) => MeasurementBound.Refuse(catalog, row);

    /// <inheritdoc />
    public RowPrediction Predict(MeasurementRow row, CancellationToken cancel = default)
    {
        if (row is not TrainingMeasurement m)
        {
            return RowPrediction.Skip("not a training row");
        }
        var r = Resolve(m, out var skip);
        if (r is null)
        {
            return RowPrediction.Skip(skip!);
        }
        var p = r.Predict();
        if (p.Value is null)
        {
            return RowPrediction.Skip(p.Note);
        }
        return new RowPrediction(p.Value, r.Predict(Peak).Value, p.Note, null);
    }

    /// <summary>Resolves model, device and precision; null with the reason when one is unknown.</summary>
    public ResolvedTrainingRow? Resolve(TrainingMeasurement m, out string? skip)
    {
        skip = null;
        if (!TrainingPredictor.Metrics.Contains(m.Metric))
        {
            skip = $"unknown metric '{m.Metric}'; training rows use {string.Join(", ", TrainingPredictor.Metrics)}";
            return null;
        }
        if (!MeasurementCatalog.TryFind(catalog, m.Model, m.Hardware, out var model, out var device, out skip))
        {
            return null;
        }
        NumberFormat? precision = null;
        if (m.Precision.Length > 0)
        {
            try
            {
                precision = NumberFormat.Parse(m.Precision, "precision");
            }
            catch (InputException)
            {
                skip = $"unknown precision '{m.Precision}'";
                return null;
            }
        }
        return new ResolvedTrainingRow(m, model, device, precision);
    }
}

/// <summary>
/// Held-out error of the training utilisation model (docs/methodology-training.md, "Utilisation and time"): each row
/// whose value depends on the MFU (time, GPU-hours, throughput, TFLOP/s, MFU) is predicted by a model refitted to the
/// other such rows with the same grid search and loss as the published fit; FLOP and energy rows are not part of the
/// fit, so their held-out prediction is the ordinary one.
/// </summary>
public static class TrainingLeaveOneOut
{
    /// <summary>Metrics whose rows the utilisation model is fitted to.</summary>
    public static IReadOnlyList<string> FittedMetrics { get; } = ["gpu_hours", "train_days", "train_minutes", "tflops_per_gpu", "mfu", "tokens_per_s"];

    /// <summary>Each predictable training row predicted without itself in the fit.</summary>
    public static IReadOnlyList<HeldOutPrediction> Run(IEnumerable<MeasurementRow> rows, SuanliCatalog catalog)
    {
        var predictor = new TrainingRowPredictor(catalog);
        var resolved = rows.OfType<TrainingMeasurement>()
            .Select(m => predictor.Resolve(m, out _))
            .Where(r => r is not null && r.Predict().Value is not null)
            .Select(r => r!)
            .ToList();
        var fitted = resolved.Where(r => FittedMetrics.Contains(r.Row.Metric)).ToList();
        var unit = new UtilisationModel(1.0, 1.0, 0.0, UtilisationModel.Fitted.ScaleOnset, UtilisationModel.Fitted.DefaultDevices);
        // The MFU a row implies under the model's structure: time scales as 1/MFU, throughput, TFLOP/s and MFU as MFU.
        var implied = fitted.ToDictionary(r => r.Row.Id, r =>
        {
            var atOne = r.Predict(unit).Value!.Value;
            return IsTime(r.Row.Metric) ? atOne / r.Row.Value : r.Row.Value / atOne;
        });
        var result = new List<HeldOutPrediction>();
        foreach (var r in resolved)
        {
            var u = FittedMetrics.Contains(r.Row.Metric) ? Fit([.. fitted.Where(o => o.Row.Id != r.Row.Id)], implied) : UtilisationModel.Fitted;
            result.Add(new HeldOutPrediction(r.Row.Id, r.Row.Metric, r.Row.Value, r.Predict(u).Value!.Value));
        }
        return result;
    }

    /// <summary>
    /// The published grid search: base 0.40 to 0.60 by 0.01, 8-bit factor 0.60 to 1.00 by 0.01, scale slope 0 to 0.1
    /// by 0.005, minimising the summed absolute log error of the implied MFU.
    /// </summary>
    public static UtilisationModel Fit(IReadOnlyList<ResolvedTrainingRow> rows, IReadOnlyDictionary<string, double> implied)
    {
        var terms = rows.Select(r =>
        {
            var (compute, _) = TrainingPlanner.Peak(r.Device, r.Precision ?? NumberFormat.Bf16);
            return (Compute: compute, Devices: r.Row.Devices ?? UtilisationModel.Fitted.DefaultDevices, Implied: implied[r.Row.Id]);
        }).ToList();
        UtilisationModel? best = null;
        var bestLoss = double.MaxValue;
        for (var b = 40; b <= 60; b++)
        {
            for (var f = 60; f <= 100; f++)
            {
                for (var k = 0; k <= 20; k++)
                {
                    var u = new UtilisationModel(b / 100.0, f / 100.0, k * 0.005, UtilisationModel.Fitted.ScaleOnset, UtilisationModel.Fitted.DefaultDevices);
                    var loss = 0.0;
                    foreach (var t in terms)
                    {
                        loss += Math.Abs(Math.Log(t.Implied / u.Mfu(t.Compute, t.Devices)));
                    }
                    if (loss < bestLoss)
                    {
                        bestLoss = loss;
                        best = u;
                    }
                }
            }
        }
        return best!;
    }

    private static bool IsTime(string metric) => metric is "gpu_hours" or "train_days" or "train_minutes";
}
