using System.Globalization;
using System.Text;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Training;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Tests;

/// <summary>The predictor against validation/measurements/training.csv (inputs only; the value is compared, never used).</summary>
public class TrainingPredictorTests(ITestOutputHelper output)
{
    internal sealed record Row(string Id, ModelEntry Model, Device Device, int? Devices, NumberFormat? Precision, double Tokens, int SeqLen, string Metric, double Value);

    internal static IReadOnlyList<Row> Rows()
    {
        var catalog = CatalogFiles.Embedded;
        var lines = ParseCsv(File.ReadAllText("data/training.csv"));
        var header = lines[0];
        int Col(string name) => header.IndexOf(name);
        return [.. lines.Skip(1).Where(l => l.Count == header.Count).Select(l => new Row(
            l[Col("id")], catalog.Model(l[Col("model")]), catalog.Device(l[Col("hardware")]),
            l[Col("devices")] is "" ? null : int.Parse(l[Col("devices")], CultureInfo.InvariantCulture),
            l[Col("precision")] is "" ? null : NumberFormat.Parse(l[Col("precision")]),
            l[Col("train_tokens")] is "" ? double.NaN : double.Parse(l[Col("train_tokens")], CultureInfo.InvariantCulture),
            l[Col("seq_len")] is "" ? 0 : int.Parse(l[Col("seq_len")], CultureInfo.InvariantCulture),
            l[Col("metric")], double.Parse(l[Col("value")], CultureInfo.InvariantCulture)))];
    }

    internal static double Predicted(Row r, UtilisationModel? u = null) =>
        TrainingPredictor.Predict(r.Model, r.Device, r.Devices, r.Precision, r.Tokens, r.SeqLen, r.Metric, u).Value
        ?? throw new InvalidOperationException($"{r.Id}: no prediction");

    private static bool IsTime(string metric) => metric is "gpu_hours" or "train_days" or "train_minutes";

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    [Fact]
    public void Every_row_of_training_csv_gets_a_prediction()
    {
        foreach (var r in Rows())
        {
            var p = TrainingPredictor.Predict(r.Model, r.Device, r.Devices, r.Precision, r.Tokens, r.SeqLen, r.Metric);
            Assert.True(p.Value is { } v && double.IsFinite(v) && v > 0, $"{r.Id} {r.Metric}: {p.Note}");
        }
    }

    [Fact]
    public void Gpu_hours_and_time_median_absolute_error_is_below_15_percent()
    {
        var errors = new List<double>();
        foreach (var r in Rows().Where(r => IsTime(r.Metric)))
        {
            var e = Predicted(r) / r.Value - 1;
            errors.Add(Math.Abs(e));
            output.WriteLine(FormattableString.Invariant($"{r.Id} {r.Model.Id} {r.Metric} measured {r.Value:G4} predicted {Predicted(r):G4} error {e:+0.0%;-0.0%}"));
        }
        var median = Median(errors);
        output.WriteLine(FormattableString.Invariant($"median absolute error {median:P1} over {errors.Count} rows"));
        Assert.Equal(12, errors.Count);
        Assert.True(median < 0.15, FormattableString.Invariant($"median {median:P1}"));
    }

    [Fact]
    public void Flop_counts_match_the_published_totals_within_5_percent()
    {
        foreach (var r in Rows().Where(r => r.Metric == "train_flops"))
        {
            var e = Predicted(r) / r.Value - 1;
            output.WriteLine(FormattableString.Invariant($"{r.Id} {r.Model.Id} {Predicted(r):E3} vs {r.Value:E3} ({e:+0.0%;-0.0%})"));
            Assert.True(Math.Abs(e) < 0.05, $"{r.Id}: {e:P1}");
        }
    }

    [Fact]
    public void Throughput_and_mfu_rows_median_error_is_below_10_percent()
    {
        var errors = Rows().Where(r => r.Metric is "mfu" or "tflops_per_gpu" or "tokens_per_s")
            .Select(r => Math.Abs(Predicted(r) / r.Value - 1)).ToList();
        var median = Median(errors);
        output.WriteLine(FormattableString.Invariant($"throughput/MFU median absolute error {median:P1} over {errors.Count} rows"));
        Assert.True(median < 0.10, FormattableString.Invariant($"median {median:P1}"));
    }

    /// <summary>
    /// Held-out error: for each GPU-hour/time row, refit the MFU model on every other row (grid search, least absolute
    /// log error) and predict the left-out one. Reported in docs/methodology-training.md; asserted only loosely.
    /// </summary>
    [Fact]
    public void Leave_one_out_gpu_hours_error_is_reported_and_below_35_percent()
    {
        var rows = Rows().Where(r => r.Metric is not "train_flops" and not "energy_mwh").ToList();
        var unit = new UtilisationModel(1.0, 1.0, 0.0, 512, 2048);
        // Implied MFU of a row under the fitted structure with all factors at 1: time scales as 1/MFU, throughput as MFU.
        var implied = rows.ToDictionary(r => r.Id, r => IsTime(r.Metric) ? Predicted(r, unit) / r.Value : r.Value / Predicted(r, unit));
        var errors = new List<double>();
        foreach (var held in rows.Where(r => IsTime(r.Metric)))
        {
            var fit = Fit(rows.Where(r => r.Id != held.Id).ToList(), implied);
            errors.Add(Math.Abs(Predicted(held, fit) / held.Value - 1));
        }
        var median = Median(errors);
        output.WriteLine(FormattableString.Invariant($"leave-one-out median absolute GPU-hour/time error {median:P1}: {string.Join(", ", errors.Select(e => e.ToString("P0", CultureInfo.InvariantCulture)))}"));
        var all = Fit(rows, implied);
        output.WriteLine(FormattableString.Invariant($"refit on all rows: base {all.Base} 8-bit {all.EightBitFactor} slope {all.ScaleSlope}"));
        Assert.True(median < 0.35);
    }

    internal static UtilisationModel Fit(IReadOnlyList<Row> rows, IReadOnlyDictionary<string, double> implied)
    {
        UtilisationModel? best = null;
        var bestLoss = double.MaxValue;
        for (var b = 0.40; b <= 0.601; b += 0.01)
        {
            for (var f = 0.60; f <= 1.001; f += 0.01)
            {
                for (var k = 0.0; k <= 0.1001; k += 0.005)
                {
                    var u = new UtilisationModel(Math.Round(b, 3), Math.Round(f, 3), Math.Round(k, 4), 512, 2048);
                    var loss = 0.0;
                    foreach (var r in rows)
                    {
                        var (compute, _) = TrainingPlanner.Peak(r.Device, r.Precision ?? NumberFormat.Bf16);
                        loss += Math.Abs(Math.Log(implied[r.Id] / u.Mfu(compute, r.Devices ?? u.DefaultDevices)));
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

    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
