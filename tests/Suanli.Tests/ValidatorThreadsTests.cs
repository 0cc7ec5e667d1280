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

        /// <summary>The token each prediction was handed.</summary>
        public ConcurrentQueue<CancellationToken> Tokens { get; } = new();

        public RowPrediction Predict(MeasurementRow row, CancellationToken cancel = default)
        {
            Tokens.Enqueue(cancel);
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
    public void The_costliest_run_starts_first_and_ties_keep_file_order()
    {
        var rows = Holdout.Rows.ToList();
        int[] At(params string[] ids) => [.. ids.Select(id => rows.FindIndex(r => r.Id == id))];
        // The runs in file order as Validator.Run groups them: each offline row alone, each Server run's rows together.
        var runs = new List<int[]>
        {
            At("ho-001"), At("ho-002", "ho-003", "ho-004"), At("ho-011"), At("ho-012"), At("ho-021"),
            At("ho-022", "ho-023", "ho-024"), At("ho-026", "ho-027", "ho-028"), At("ho-029"),
        };
        var order = Validator.CostOrder(runs, rows).Select(run => rows[run[0]].Id).ToList();
        // Server runs first, by devices x output tokens per request: DeepSeek-R1 on 72 GB300 (72 x 3675.6 = 264,643),
        // Llama 3.1 405B on 72 GB200 (72 x 657.5 = 47,340) and 72 GB300 (72 x 629.4 = 45,317), Llama 2 70B on 8 B200
        // (8 x 272.7 = 2,182); then the offline rows: ho-021 (72 x 3657.4), ho-011 (72 x 655.8), ho-001 (8 x 271.7), ho-029 (4 x 275.6).
        Assert.Equal(["ho-022", "ho-012", "ho-026", "ho-002", "ho-021", "ho-011", "ho-001", "ho-029"], order);
        // Equal estimates keep file order (the sort is stable).
        var twins = new List<int[]> { At("ho-003"), At("ho-002"), At("ho-004") };
        Assert.Equal(["ho-003", "ho-002", "ho-004"], Validator.CostOrder(twins, rows).Select(run => rows[run[0]].Id));
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
    public void Every_prediction_is_handed_the_validations_token()
    {
        // The token must reach the predictor, not only the loop over rows: a capacity row's prediction searches several
        // splits for minutes (CapacityLayouts.For), which a check between rows does not stop.
        using var cancel = new CancellationTokenSource();
        var predictor = new RecordingPredictor();
        new Validator(predictor, new SkipPredictor("-")).Run([Holdout], cancel.Token);
        Assert.Equal(32, predictor.Tokens.Count);
        Assert.All(predictor.Tokens, t => Assert.Equal(cancel.Token, t));
    }

    [Fact]
    public void A_predictors_exception_reaches_the_caller_unwrapped()
    {
        var predictor = new RecordingPredictor(row => throw new InvalidOperationException($"cannot predict {row.Id}"));
        var ex = Assert.Throws<InvalidOperationException>(() => new Validator(predictor, new SkipPredictor("-")).Run([Holdout]));
        Assert.StartsWith("cannot predict ho-", ex.Message, StringComparison.Ordinal);
    }
}
