using System.Text.Json;
using Suanli.Files;
using Suanli.Validation;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class ValidateTests
{
    private const string Inference = "data/inference.csv";
    private const string Training = "data/training.csv";
    private const string MlPerf = "data/mlperf-v4.1-inference.csv";

    private static InferencePredictor NewInference() => new(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded);

    private static ValidationResult Validate(params string[] files) =>
        new Validator(NewInference(), new TrainingRowPredictor(CatalogFiles.Embedded)).Run(files);

    // One validation of both files shared by the tests that only read it (the whole run takes a few seconds).
    private static readonly Lazy<ValidationResult> Both = new(() => Validate(Inference, Training));

    // Every inference row of the calibration set: the published rows and the MLPerf v4.1 whole-system rows.
    private static readonly Lazy<ValidationResult> AllInference = new(() => Validate(Inference, MlPerf));

    private static double Median(IEnumerable<double> values) => ValidationResult.Percentile([.. values.Order()], 0.5);

    [Fact]
    public void Calibrated_throughput_over_every_inference_row_has_a_median_error_within_12_percent_and_a_p90_within_30()
    {
        // Whole-system issue targets on all inference rows (in sample; the leave-one-out figures are in docs/validation.md).
        var s = AllInference.Value.ByMetric.Single(m => m.Metric == "output_tokens_per_s");
        Assert.True(s.Count >= 45);
        Assert.InRange(s.MedianAbsPctError, 0, 12);
        Assert.InRange(s.P90AbsPctError, 0, 30);
        Assert.True(s.RooflineMedianAbsPctError > 4 * s.MedianAbsPctError);
    }

    [Fact]
    public void Mlperf_server_capacity_of_whole_systems_ends_on_a_latency_target_with_p99_tpot_within_25_percent()
    {
        // MLPerf v4.1 Server rows: the largest Poisson load meeting p99 TTFT <= 2 s and TPOT <= 200 ms, over replicas of
        // TP=2 (H100 llama2-70b) or TP=1 (H200, MI300X, Mixtral) as the submitters' configs state, each probe 600 s of
        // arrivals (MLPerf's minimum run). With 2,000-request probes every search ended on the keep-up test at a p99 TPOT
        // 17-58% below the published one; now every search ends on a latency target and the p99 TPOT median error is 12%.
        var rows = AllInference.Value.Rows.Where(r => r.Row is InferenceMeasurement { Scenario: "capacity", Metric: "output_tokens_per_s" }).ToList();
        Assert.True(rows.Count >= 7);
        Assert.All(rows, r => Assert.NotNull(r.Prediction.Predicted));
        Assert.All(rows, r => Assert.Matches("a larger load fails on p99 (TPOT|TTFT)", r.Prediction.Note));
        var errors = rows.Select(r => Math.Abs(r.ErrorPct!.Value)).ToList();
        // Reached: median 15.2%, every row within 27% (the capacity error now follows the offline error of the same system).
        Assert.InRange(Median(errors), 0, 20);
        Assert.All(errors, e => Assert.InRange(e, 0, 45));
        var tpot = AllInference.Value.Rows.Where(r => r.Row is InferenceMeasurement { Scenario: "capacity", Metric: "tpot_ms_p99" }).ToList();
        Assert.True(tpot.Count >= 4);
        Assert.All(tpot, r => Assert.InRange(r.Prediction.Predicted!.Value, 0, 200));
        Assert.InRange(Median(tpot.Select(r => Math.Abs(r.ErrorPct!.Value))), 0, 25);
    }

    [Fact]
    public void Ttft_and_tpot_median_error_is_within_25_percent_on_concurrency_and_rate_rows_below_70_percent_utilisation()
    {
        // Serving issue target: TTFT and TPOT median |error| <= 25% below 70% utilisation on concurrency/rate rows.
        var predictor = NewInference();
        var rows = MeasurementFiles.Read(Inference).Rows.OfType<InferenceMeasurement>()
            .Where(m => m.Scenario is "concurrency" or "rate" && m.Metric is "ttft_ms" or "tpot_ms")
            .Select(m => (Row: m, Resolved: predictor.Resolve(m, out _)!))
            .ToList();
        Assert.All(rows, r => Assert.InRange(predictor.Utilisation(r.Resolved)!.Value, 0, 0.7));
        foreach (var metric in new[] { "ttft_ms", "tpot_ms" })
        {
            var errors = rows.Where(r => r.Row.Metric == metric)
                .Select(r => Math.Abs(predictor.Predict(r.Row).Predicted!.Value / r.Row.Value - 1) * 100).ToList();
            Assert.Equal(4, errors.Count);
            // Reached on these rows (utilisation 1% to 66%): TTFT median 13.0%, TPOT median 8.1% (docs/methodology-serving.md, "Validation").
            Assert.InRange(Median(errors), 0, metric == "ttft_ms" ? 15 : 10);
        }
    }

    [Fact]
    public void Training_gpu_hours_and_time_rows_reach_the_published_median_errors()
    {
        var rows = Both.Value.Rows.Where(r => r.Row is TrainingMeasurement).ToList();
        Assert.All(rows, r => Assert.NotNull(r.Prediction.Predicted));
        var gpuHours = rows.Where(r => r.Row.Metric == "gpu_hours").Select(r => Math.Abs(r.ErrorPct!.Value)).ToList();
        var time = rows.Where(r => r.Row.Metric is "gpu_hours" or "train_days" or "train_minutes").Select(r => Math.Abs(r.ErrorPct!.Value)).ToList();
        Assert.Equal(7, gpuHours.Count);
        Assert.Equal(12, time.Count);
        // Reached: GPU-hours 30.7% (Llama 2 within 7%, Llama 3, DeepSeek-V3 and BLOOM 31-62% low); all 12 time rows 14.6%.
        Assert.InRange(Median(gpuHours), 0, 31);
        Assert.InRange(Median(time), 0, 15);
    }

    [Fact]
    public void Training_rows_use_only_their_inputs_never_the_measured_value()
    {
        var row = (TrainingMeasurement)MeasurementFiles.Read(Training).Rows.First(r => r.Metric == "gpu_hours");
        var predictor = new TrainingRowPredictor(CatalogFiles.Embedded);
        var a = predictor.Predict(row).Predicted;
        var b = predictor.Predict(row with { Value = row.Value * 1000 }).Predicted;
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_training_row_without_tokens_is_skipped_with_the_reason()
    {
        var text = MeasurementFiles.TrainingHeader + "\nt-1,meta-llama/Llama-2-7b-hf,nvidia-a100-sxm4-80gb,64,bf16,,4096,gpu_hours,1000,src,raw t-1\n";
        var r = new Validator(new SkipPredictor("-"), new TrainingRowPredictor(CatalogFiles.Embedded)).Run([MeasurementFiles.Parse(text, "mem.csv")]);
        Assert.Equal("train_tokens is needed for gpu_hours", Assert.Single(r.Rows).Prediction.Skipped);
    }

    [Fact]
    public void Percentile_and_capacity_rows_are_predicted_through_the_simulator()
    {
        var header = MeasurementFiles.InferenceHeader;
        var text = header + "\n" +
            "p-1,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,rate,,4,512,128,,,ttft_ms_p99,100,src,raw p-1\n" +
            "p-2,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,rate,,4,512,128,,,ttft_ms,100,src,raw p-2\n" +
            "c-1,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,capacity,,,512,128,0.5,0.05,requests_per_s,10,src,raw c-1\n" +
            "c-2,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,capacity,,,512,128,,,requests_per_s,10,src,raw c-2\n" +
            "b-1,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,batch,8,,512,128,,,tpot_ms_p90,10,src,raw b-1\n";
        var r = new Validator(NewInference(), new SkipPredictor("-")).Run([MeasurementFiles.Parse(text, "mem.csv")]).Rows;
        var p99 = r[0].Prediction.Predicted!.Value;
        var mean = r[1].Prediction.Predicted!.Value;
        Assert.True(p99 >= mean, $"p99 {p99} below mean {mean}");
        Assert.Contains("Poisson at 4 req/s", r[0].Prediction.Note, StringComparison.Ordinal);
        Assert.True(r[2].Prediction.Predicted > 4, $"capacity {r[2].Prediction.Predicted}");
        Assert.Contains("capacity search at p99 targets TTFT 500 ms TPOT 50 ms", r[2].Prediction.Note, StringComparison.Ordinal);
        Assert.Contains("needs a p99 target", r[3].Prediction.Skipped, StringComparison.Ordinal);
        Assert.Contains("no latency distribution", r[4].Prediction.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void The_request_count_a_row_states_is_simulated()
    {
        var m = (InferenceMeasurement)MeasurementFiles.Read(Inference).Rows.Single(x => x.Id == "inf-143");
        Assert.Equal(500, InferencePredictor.StatedRequests(m));
        Assert.Contains("500 requests at once", NewInference().Predict(m).Note, StringComparison.Ordinal);
        Assert.Null(InferencePredictor.StatedRequests(m with { Note = "requests fed at infinite rate" }));
    }

    [Fact]
    public void Every_row_is_predicted_or_listed_as_skipped_with_a_reason()
    {
        var r = Both.Value;
        var inferenceRows = File.ReadAllLines(Inference).Length - 1;
        var trainingRows = File.ReadAllLines(Training).Length - 1;
        Assert.Equal(inferenceRows + trainingRows, r.Rows.Count);
        Assert.All(r.Rows, row => Assert.True(row.Prediction.Predicted is not null ^ row.Prediction.Skipped is not null));
        Assert.Equal(["inf-179"], r.Rows.Where(x => x.Prediction.Skipped is not null).Select(x => x.Row.Id));
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
        public RowPrediction Predict(MeasurementRow row, CancellationToken cancel = default) => new(1.0, null, "stub", null);
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
            Assert.Equal(path, problem.GetProperty("file").GetString());
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
        var r = new Validator(NewInference(), new SkipPredictor("-")).Run([file]);
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
        Assert.Contains(summary, s => s.GetProperty("metric").GetString() == "train_minutes" && s.GetProperty("count").GetInt32() == 5);
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
        var rows = MeasurementFiles.Read(Inference).Rows.Concat(MeasurementFiles.Read(MlPerf).Rows);
        var refit = Calibrator.Fit(rows, CatalogFiles.Embedded, CalibrationFiles.Embedded, CalibrationFiles.Embedded.Fitted, CalibrationFiles.Embedded.Data);
        Assert.Contains(CalibrationFiles.Embedded.Groups, g => g.Subgroup == "vllm/amd-cdna3" && g.Rows >= 2);
        foreach (var g in CalibrationFiles.Embedded.Groups.Where(g => g.Rows > 0))
        {
            var again = refit.Groups.Single(x => x.Engine == g.Engine && x.Hardware == g.Hardware && x.Subgroup == g.Subgroup);
            Assert.Equal(g.Rows, again.Rows);
            Assert.Equal(g.Parameters.ComputeEfficiency, again.Parameters.ComputeEfficiency, 3);
            Assert.Equal(g.Parameters.MemoryEfficiency, again.Parameters.MemoryEfficiency, 3);
            Assert.Equal(g.Parameters.StepOverhead.Value, again.Parameters.StepOverhead.Value, 5);
            Assert.Equal(g.Note, again.Note);
        }
    }

    [Fact]
    public void A_subgroup_of_one_row_gets_efficiencies_of_its_own_between_the_shared_fit_and_its_row()
    {
        // Empirical-Bayes shrinkage: one MI300X/vLLM row the shared fit over-predicts moves its subgroup's efficiencies
        // down, but not all the way to the row (the pull toward the shared group keeps some of the shared fit).
        Assert.Equal(1, Calibrator.MinSubgroupRows);
        var rows = MeasurementFiles.Read(MlPerf).Rows.Concat(MeasurementFiles.Read(Inference).Rows);
        var resolved = Calibrator.Resolve(rows, CatalogFiles.Embedded, CalibrationFiles.Embedded);
        var shared = CalibrationFiles.Embedded.Groups.Single(g => g.Engine == EngineClass.Serving && g.Hardware == HardwareFamily.Gpu && g.Subgroup.Length == 0).Parameters;
        var one = resolved.Where(x => x.Row.Row.Id == "inf-014").Select(x => x.Row).ToList();
        Assert.Single(one);
        var sharedPrediction = InferencePredictor.Evaluate(one[0], new FixedParameterModel(shared), out _);
        Assert.True(sharedPrediction > one[0].Row.Value, $"shared {sharedPrediction} vs measured {one[0].Row.Value}");
        var own = Calibrator.FitSubgroup(one, shared, [1.0]);
        var ownPrediction = InferencePredictor.Evaluate(one[0], new FixedParameterModel(own), out _);
        Assert.InRange(ownPrediction, one[0].Row.Value, sharedPrediction);
        Assert.True(Math.Abs(Math.Log(ownPrediction / one[0].Row.Value)) > 0.01, "shrinkage keeps the fit off the single row");
    }

    [Fact]
    public void Nelder_mead_finds_the_minimum_of_a_shifted_quadratic()
    {
        var x = Calibrator.NelderMead(v => (v[0] - 3) * (v[0] - 3) + 2 * (v[1] + 1) * (v[1] + 1), [0.0, 0.0], 0.5, 2000, 1e-14);
        Assert.Equal(3, x[0], 3);
        Assert.Equal(-1, x[1], 3);
    }
    [Fact]
    public void The_limiting_target_at_capacity_is_reported_by_both_rules_nearer_its_bound_and_the_next_load_failure()
    {
        // MLPerf v4.1 DGX-H100 Llama-2-70B Server (inf-002 to inf-004): p99 TTFT 461.3 ms of 2,000 (0.23), p99 TPOT
        // 175.4 ms of 200 (0.88): TPOT is nearer its bound. Predicted p99 TTFT 465.1 ms (0.23) and TPOT 159.0 ms
        // (0.795, rounded 0.80) at the predicted capacity, so TPOT is nearer its bound there too, while the next larger
        // load fails on TTFT: the same by the measured rule, different by the next-load failure.
        static ValidatedRow Row(string id, string metric, double value, double predicted) => new("mlperf.csv", 2,
            new Suanli.Validation.InferenceMeasurement(id, "meta-llama/Llama-2-70b-chat-hf", "nvidia-h100-sxm5-80gb", 8, "fp8", "fp8", "trtllm", "capacity",
                null, null, 222.3, 290.3, metric, value, "run_1/mlperf_log_summary.txt", "", new SourceLocation("mlperf.csv", 2))
            { TtftTargetSeconds = 2, TpotTargetSeconds = 0.2 },
            "nvidia-h100-sxm5-80gb / trtllm", new RowPrediction(predicted, null, "", null) { LimitingTarget = "ttft" });
        var result = new ValidationResult(
            [Row("inf-002", "output_tokens_per_s", 21605.79, 25374), Row("inf-003", "ttft_ms_p99", 461.3, 465.1), Row("inf-004", "tpot_ms_p99", 175.4, 159.0)], []);
        var limit = Assert.Single(ValidationReport.CapacityLimits(result));
        Assert.Equal("inf-002, inf-003, inf-004", limit.Ids);
        Assert.Equal(0.23, limit.MeasuredTtftRatio);
        Assert.Equal(0.88, limit.MeasuredTpotRatio);
        Assert.Equal("tpot", limit.Measured);
        Assert.Equal(0.23, limit.PredictedTtftRatio);
        Assert.Equal(0.8, limit.PredictedTpotRatio);
        Assert.Equal("tpot", limit.PredictedNearer);
        Assert.True(limit.SameNearer);
        Assert.Equal("ttft", limit.Predicted);
        Assert.False(limit.Same);

        // Mixtral on 8 x H100 (inf-026 to inf-028): published 0.31 / 0.62 (TPOT nearer), predicted 1,590 ms (0.80) and
        // 113.7 ms (0.57): TTFT nearer its bound, and the next larger load fails on TTFT: different by both rules.
        var mixtral = new ValidationResult(
            [Row("inf-027", "ttft_ms_p99", 628.9, 1590), Row("inf-028", "tpot_ms_p99", 123.1, 113.7)], []);
        var m = Assert.Single(ValidationReport.CapacityLimits(mixtral));
        Assert.Equal(("tpot", "ttft", false, "ttft", false), (m.Measured, m.PredictedNearer, m.SameNearer, m.Predicted, m.Same));

        var report = ValidationReport.Build(new ValidationResult([.. result.Rows, .. mixtral.Rows.Select(r => r with { Row = ((Suanli.Validation.InferenceMeasurement)r.Row) with { Model = "mistralai/Mixtral-8x7B-Instruct-v0.1" } })], []),
            CalibrationFiles.Embedded);
        var table = Assert.Single(report.Tables, t => t.Caption.Key == "table.limiting-target");
        Assert.Equal("1", table.Caption.Args.Single(a => a.Name == "sameNearer").Value);
        Assert.Equal("0", table.Caption.Args.Single(a => a.Name == "same").Value);
        Assert.Equal("2", table.Caption.Args.Single(a => a.Name == "systems").Value);
    }
}
