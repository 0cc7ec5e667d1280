using Suanli.Files;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>A capacity run's p99 latency rows predicted at the load the source ran, beside the capacity search's own (docs/methodology-serving.md, "Latency at the published load").</summary>
public class PublishedLoadTests
{
    // Llama-3.1-8B on one H100 with fixed lengths 512 / 128: a capacity run whose throughput row states 640 output
    // tokens/s, so 640 / 128 = 5 requests/s, far below the replica's capacity at TTFT 500 ms and TPOT 50 ms.
    private static string File(double ttftMeasured, bool withThroughput) =>
        MeasurementFiles.InferenceHeader + "\n" +
        (withThroughput ? "c-1,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,capacity,,,512,128,0.5,0.05,output_tokens_per_s,640,run,raw c-1\n" : "") +
        $"c-2,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,capacity,,,512,128,0.5,0.05,ttft_ms_p99,{ttftMeasured},run,raw c-2\n";

    private static IReadOnlyList<ValidatedRow> Validate(string text) =>
        new Validator(new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded), new SkipPredictor("-"))
            .Run([MeasurementFiles.Parse(text, "mem.csv")]).Rows;

    [Fact]
    public void A_capacity_latency_row_is_also_predicted_at_its_runs_published_load_without_reading_its_own_value()
    {
        var rows = Validate(File(100, withThroughput: true));
        var ttft = rows.Single(r => r.Row.Id == "c-2").Prediction;
        Assert.Contains("at the published load (5.00 requests/s: c-1's measured throughput over the mean output length", ttft.Note, StringComparison.Ordinal);
        var atLoad = ttft.AtPublishedLoad!.Value;

        // The load is an input of the run; the latency the row measured is not: a different measured value predicts the same.
        var other = Validate(File(900, withThroughput: true)).Single(r => r.Row.Id == "c-2").Prediction;
        Assert.Equal(atLoad, other.AtPublishedLoad);

        // At 5 requests/s of 512-token prompts the replica is far from its cliff: the p99 TTFT is at least one prefill of
        // the prompt alone and under the capacity search's p99 TTFT at its own (larger) load.
        var resolved = new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded)
            .Resolve((InferenceMeasurement)rows.Single(r => r.Row.Id == "c-2").Row, out _)!;
        var prefill = CalibrationFiles.Default.Estimate(resolved.Deployment, StepShape.Prefill(512)).Time.InMilliseconds;
        Assert.InRange(atLoad, prefill, ttft.Predicted!.Value);
    }

    [Fact]
    public void A_capacity_latency_row_without_a_throughput_row_of_its_run_has_no_latency_at_a_published_load_and_says_so()
    {
        var ttft = Assert.Single(Validate(File(100, withThroughput: false))).Prediction;
        Assert.Null(ttft.AtPublishedLoad);
        Assert.NotNull(ttft.Predicted);
        Assert.Contains("no throughput row of the same run gives the load it ran at", ttft.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limiting_target_table_gives_the_ratios_at_the_published_load_beside_those_at_the_predicted_capacity()
    {
        // inf-002 to inf-004 as published (TTFT 461.3 of 2,000 ms: 0.23; TPOT 175.4 of 200 ms: 0.88, TPOT nearer); predicted at
        // capacity 1,064 ms (0.53) and 165.4 ms (0.83), at the published load 208.6 ms (0.10) and 56.0 ms (0.28): TPOT nearer at both.
        static ValidatedRow Row(string id, string metric, double value, double predicted, double? atLoad) => new("mlperf.csv", 2,
            new InferenceMeasurement(id, "meta-llama/Llama-2-70b-chat-hf", "nvidia-h100-sxm5-80gb", 8, "fp8", "fp8", "trtllm", "capacity",
                null, null, 222.3, 290.3, metric, value, "run_1/mlperf_log_summary.txt", "", new SourceLocation("mlperf.csv", 2))
            { TtftTargetSeconds = 2, TpotTargetSeconds = 0.2 },
            "nvidia-h100-sxm5-80gb / trtllm", new RowPrediction(predicted, null, "", null) { LimitingTarget = "ttft", AtPublishedLoad = atLoad });
        var result = new ValidationResult(
            [Row("inf-002", "output_tokens_per_s", 21605.79, 25729, null), Row("inf-003", "ttft_ms_p99", 461.3, 1064, 208.6), Row("inf-004", "tpot_ms_p99", 175.4, 165.4, 56.0)], []);
        var limit = Assert.Single(ValidationReport.CapacityLimits(result));
        Assert.Equal((0.53, 0.83, "tpot"), (limit.PredictedTtftRatio, limit.PredictedTpotRatio, limit.PredictedNearer));
        Assert.Equal((0.1, 0.28, "tpot", true), (limit.LoadTtftRatio, limit.LoadTpotRatio, limit.LoadNearer, limit.SameLoadNearer));

        // The per-metric table: |208.6 - 461.3| / 461.3 = 54.8% and |56.0 - 175.4| / 175.4 = 68.1% at the published load.
        var atLoad = ValidationReport.AtPublishedLoad(result);
        Assert.Equal(54.78, atLoad.Single(s => s.Metric == "ttft_ms_p99").MedianAbsPctError, 2);
        Assert.Equal(68.07, atLoad.Single(s => s.Metric == "tpot_ms_p99").MedianAbsPctError, 2);
    }
    [Fact]
    public void A_stated_min_duration_s_makes_the_published_load_run_that_long_with_every_request_measured_and_a_bad_one_is_refused_with_its_line()
    {
        // MLPerf LoadGen measures every query of a Server run, the first ones included, for at least its min_duration
        // (NVIDIA's v4.1 configs: 2,400 s). A row stating it is simulated at the published load over that many seconds
        // from an empty replica, not in a capacity probe's window; here 60 s at 5 requests/s.
        var text = File(100, withThroughput: true).Replace(MeasurementFiles.InferenceHeader, MeasurementFiles.InferenceHeader + ",min_duration_s", StringComparison.Ordinal)
            .Replace("raw c-1\n", "raw c-1,60\n", StringComparison.Ordinal).Replace("raw c-2\n", "raw c-2,60\n", StringComparison.Ordinal)
            + "c-3,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,bf16,,vllm,capacity,,,512,128,0.5,0.05,ttft_ms_p99,100,run,raw c-3,0\n";
        var file = MeasurementFiles.Parse(text, "mem.csv");
        var problem = Assert.Single(file.Problems);
        Assert.Equal(("min_duration_s", 4), (problem.Field, problem.Location!.Line));
        var rows = new Validator(new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded), new SkipPredictor("-"))
            .Run([file]).Rows;
        var ttft = rows.Single(r => r.Row.Id == "c-2").Prediction;
        Assert.Contains("5.00 per replica, over the run's 60 s of arrivals, every request measured as LoadGen measures them) it is", ttft.Note, StringComparison.Ordinal);

        var predictor = new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var resolved = predictor.Resolve((InferenceMeasurement)rows.Single(r => r.Row.Id == "c-2").Row, out _)!;
        var run = Workload.Poisson(5, LengthDistribution.Fixed(512), LengthDistribution.Fixed(128), 1, Workload.MaxRequests, Duration.FromSeconds(60)) with { WarmupFraction = 0 };
        var direct = ServingSimulator.Run(resolved.Deployment, run, predictor.EngineFor(resolved), CalibrationFiles.Default,
            ServingTargets.FromSeconds(0.5, 0.05, null, Percentile.P99));
        Assert.Equal(direct.Ttft.P99.InMilliseconds, ttft.AtPublishedLoad!.Value, 9);
        Assert.InRange(direct.Requests.Measured, 250, 350);
        // Without the column the same row is simulated in a probe's window and says so.
        var probe = Validate(File(100, withThroughput: true)).Single(r => r.Row.Id == "c-2").Prediction;
        Assert.Contains("in the capacity probe's window", probe.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("90000")]
    public void A_min_duration_s_outside_its_range_is_refused_with_the_range_at_its_cell_a_negative_one_too(string value)
    {
        // A negative run length was refused as "must be zero or more", though zero is refused too: every value outside
        // 1..86,400 s now gets the range, as the scenario files' ranges do.
        var text = File(100, withThroughput: true).Replace(MeasurementFiles.InferenceHeader, MeasurementFiles.InferenceHeader + ",min_duration_s", StringComparison.Ordinal)
            .Replace("raw c-1\n", $"raw c-1,{value}\n", StringComparison.Ordinal).Replace("raw c-2\n", "raw c-2,60\n", StringComparison.Ordinal);
        var problem = Assert.Single(MeasurementFiles.Parse(text, "mem.csv").Problems);
        Assert.Equal(("min_duration_s", 2), (problem.Field, problem.Location!.Line));
        Assert.EndsWith($": Column 'min_duration_s' must be from 1 to 86,400, got '{value}'.", problem.Message, StringComparison.Ordinal);
    }
}
