using System.Collections.Concurrent;
using System.Globalization;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <see cref="Validator.Run(IEnumerable{MeasurementFile}, CancellationToken)"/> predicts runs on several threads: rows still
/// come back in file order, one run's rows are predicted one after another on one thread, and a cancellation or a
/// predictor's exception reaches the caller as it would from one thread.
/// </summary>
public class ValidatorThreadsTests
{
    private static MeasurementFile Holdout => MeasurementFiles.Read(Path.Combine(PlanTests.RepoRoot(), "validation", "holdout", "mlperf-v5-v6-inference.csv"));

    /// <summary>Predicts each row as its id's number and records which thread predicted it, in order.</summary>
    private sealed class RecordingPredictor(Action<MeasurementRow>? during = null) : IRowPredictor
    {
        public ConcurrentQueue<(string Id, int Thread)> Calls { get; } = new();

        public RowPrediction Predict(MeasurementRow row)
        {
            during?.Invoke(row);
            Calls.Enqueue((row.Id, Environment.CurrentManagedThreadId));
            return new RowPrediction(double.Parse(row.Id[3..], CultureInfo.InvariantCulture), null, "recorded", null);
        }
    }

    [Fact]
    public void Rows_come_back_in_file_order_each_with_its_own_prediction()
    {
        var file = Holdout;
        var result = new Validator(new RecordingPredictor(), new SkipPredictor("-")).Run([file]);
        Assert.Equal(file.Rows.Select(r => r.Id), result.Rows.Select(r => r.Row.Id));
        Assert.Equal(32, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.Equal(double.Parse(r.Row.Id[3..], CultureInfo.InvariantCulture), r.Prediction.Predicted));
        Assert.All(result.Rows, r => Assert.Equal(file.Rows.First(x => x.Id == r.Row.Id).Location.Line, r.Line));
    }

    [Fact]
    public void The_rows_of_one_server_run_are_predicted_in_file_order_on_one_thread()
    {
        var predictor = new RecordingPredictor();
        new Validator(predictor, new SkipPredictor("-")).Run([Holdout]);
        var calls = predictor.Calls.ToList();
        Assert.Equal(32, calls.Count);
        // ho-002..004: the throughput, p99 TTFT and p99 TPOT rows of one Server run (B200 x 8, Llama 2 70B); ho-026..028 likewise on GB300.
        foreach (var run in new[] { new[] { "ho-002", "ho-003", "ho-004" }, ["ho-026", "ho-027", "ho-028"] })
        {
            var mine = calls.Where(c => run.Contains(c.Id)).ToList();
            Assert.Equal(run, mine.Select(c => c.Id));
            Assert.Single(mine.Select(c => c.Thread).Distinct());
        }
    }

    [Fact]
    public void A_cancelled_validation_throws_operation_cancelled_and_stops_predicting()
    {
        using var cancel = new CancellationTokenSource();
        var predictor = new RecordingPredictor(_ => cancel.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => new Validator(predictor, new SkipPredictor("-")).Run([Holdout], cancel.Token));
        // Each thread stops before its next row: at most one row per thread is predicted after the first cancels.
        Assert.InRange(predictor.Calls.Count, 1, Environment.ProcessorCount);
    }

    [Fact]
    public void A_predictors_exception_reaches_the_caller_unwrapped()
    {
        var predictor = new RecordingPredictor(row => throw new InvalidOperationException($"cannot predict {row.Id}"));
        var ex = Assert.Throws<InvalidOperationException>(() => new Validator(predictor, new SkipPredictor("-")).Run([Holdout]));
        Assert.StartsWith("cannot predict ho-", ex.Message, StringComparison.Ordinal);
    }
}
