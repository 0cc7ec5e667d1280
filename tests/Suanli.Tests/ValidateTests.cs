using System.Text.Json;
using Suanli.IO;
using Suanli.IO.Measurements;
using Suanli.IO.Validation;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class ValidateTests
{
    private const string Inference = "data/inference.csv";
    private const string Training = "data/training.csv";

    private static ValidationResult Validate(params string[] files) =>
        new Validator(new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded), new SkipPredictor(Validator.TrainingPending)).Run(files);

    [Fact]
    public void Calibrated_throughput_meets_the_published_targets_on_the_calibration_set()
    {
        // Targets from the step-time issue: median |error| <= 15%, p90 <= 35% for throughput on the calibration set.
        var s = Validate(Inference).ByMetric.Single(m => m.Metric == "output_tokens_per_s");
        Assert.True(s.Count >= 30);
        Assert.InRange(s.MedianAbsPctError, 0, 15);
        Assert.InRange(s.P90AbsPctError, 0, 35);
        Assert.True(s.RooflineMedianAbsPctError > s.MedianAbsPctError);
    }

    [Fact]
    public void Every_row_is_predicted_or_listed_as_skipped_with_a_reason()
    {
        var r = Validate(Inference, Training);
        var inferenceRows = File.ReadAllLines(Inference).Length - 1;
        var trainingRows = File.ReadAllLines(Training).Length - 1;
        Assert.Equal(inferenceRows + trainingRows, r.Rows.Count);
        Assert.All(r.Rows, row => Assert.True(row.Prediction.Predicted is not null ^ row.Prediction.Skipped is not null));
        Assert.All(r.Rows.Where(x => x.Row is TrainingMeasurement), x => Assert.Equal("training predictions arrive with the training model", x.Prediction.Skipped));
    }

    [Fact]
    public void A_training_predictor_plugs_in_without_touching_the_validator()
    {
        var stub = new StubPredictor();
        var r = new Validator(new SkipPredictor("not today"), stub).Run([Training]);
        Assert.All(r.Rows, x => Assert.Equal(1.0, x.Prediction.Predicted));
    }

    private sealed class StubPredictor : IRowPredictor
    {
        public RowPrediction Predict(MeasurementRow row) => new(1.0, null, "stub", null);
    }

    [Fact]
    public void A_bad_row_names_file_line_and_column_and_the_other_rows_are_still_validated()
    {
        var lines = File.ReadAllLines(Inference).ToList();
        // Row 3 (line 3): devices column becomes "two".
        var fields = lines[2].Split(',');
        fields[3] = "two";
        lines[2] = string.Join(",", fields);
        var path = Path.Combine(Path.GetTempPath(), $"suanli-bad-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        try
        {
            var (code, output, _, _) = CliTests.Run("validate", path, "--format", "json");
            Assert.Equal(2, code);
            using var doc = JsonDocument.Parse(output);
            var problem = doc.RootElement.GetProperty("problems").EnumerateArray().Single();
            Assert.Equal(3, problem.GetProperty("line").GetInt32());
            Assert.Equal("devices", problem.GetProperty("field").GetString());
            Assert.True(problem.GetProperty("column").GetInt32() > 1);
            Assert.Equal(lines.Count - 2, doc.RootElement.GetProperty("rows").GetArrayLength());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unknown_model_is_skipped_with_the_reason_not_dropped()
    {
        var text = MeasurementFiles.InferenceHeader + "\nx-1,acme/NoSuchModel-9B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,offline,,,100,100,,,output_tokens_per_s,1000,src,raw x-1\n";
        var file = MeasurementFiles.Parse(text, "mem.csv");
        var r = new Validator(new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded), new SkipPredictor("-")).Run([file]);
        var row = Assert.Single(r.Rows);
        Assert.Contains("unknown model 'acme/NoSuchModel-9B'", row.Prediction.Skipped, StringComparison.Ordinal);
        Assert.Equal(1, r.ByMetric.Single().Skipped);
    }

    [Fact]
    public void Validate_json_has_the_documented_summary_fields()
    {
        var (code, output, _, _) = CliTests.Run("validate", Inference, Training, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var summary = doc.RootElement.GetProperty("summary").EnumerateArray().ToList();
        foreach (var field in new[] { "metric", "count", "skipped", "medianAbsPctError", "p90AbsPctError", "maxAbsPctError" })
        {
            Assert.True(summary[0].TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Contains(summary, s => s.GetProperty("metric").GetString() == "train_minutes" && s.GetProperty("count").GetInt32() == 0);
        Assert.True(doc.RootElement.GetProperty("rows").GetArrayLength() > 60);
    }

    [Fact]
    public void Percentiles_use_the_middle_pair_for_the_median_and_nearest_rank_for_p90()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5.5, ValidationResult.Percentile(sorted, 0.5));
        Assert.Equal(9, ValidationResult.Percentile(sorted, 0.9));
    }

    [Fact]
    public void Refitting_the_calibration_set_reproduces_the_committed_parameters()
    {
        var rows = MeasurementFiles.Read(Inference).Rows;
        var refit = Calibrator.Fit(rows, CatalogFiles.Embedded, CalibrationFiles.Embedded, CalibrationFiles.Embedded.Fitted, CalibrationFiles.Embedded.Data);
        foreach (var g in CalibrationFiles.Embedded.Groups.Where(g => g.Rows > 0))
        {
            var again = refit.Groups.Single(x => x.Engine == g.Engine && x.Hardware == g.Hardware);
            Assert.Equal(g.Rows, again.Rows);
            Assert.Equal(g.Parameters.ComputeEfficiency, again.Parameters.ComputeEfficiency, 3);
            Assert.Equal(g.Parameters.MemoryEfficiency, again.Parameters.MemoryEfficiency, 3);
        }
    }

    [Fact]
    public void Nelder_mead_finds_the_minimum_of_a_shifted_quadratic()
    {
        var x = Calibrator.NelderMead(v => (v[0] - 3) * (v[0] - 3) + 2 * (v[1] + 1) * (v[1] + 1), [0.0, 0.0], 0.5, 2000, 1e-14);
        Assert.Equal(3, x[0], 3);
        Assert.Equal(-1, x[1], 3);
    }
}
