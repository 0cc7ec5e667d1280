using System.Text.Json;
using Spectre.Console.Testing;
using Suanli.Cli;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Validation;
using Suanli.Web.Api;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Tests;

/// <summary>A step-time model that cancels a token at its <paramref name="at"/>th estimate and counts every estimate, those after it too.</summary>
internal sealed class CancellingStepTime(IStepTimeModel inner, CancellationTokenSource cancel, int at = int.MaxValue) : IStepTimeModel
{
    private int _calls;

    /// <summary>Estimates made so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Estimates made after the one that cancelled (0 when none cancelled).</summary>
    public int AfterCancel => Math.Max(0, Calls - at);

    public StepEstimate Estimate(Deployment deployment, StepShape shape)
    {
        if (Interlocked.Increment(ref _calls) == at)
        {
            cancel.Cancel();
        }
        return inner.Estimate(deployment, shape);
    }
}

/// <summary>
/// Ctrl-C and a web client that hangs up reach the searches of whole-system capacity: validation's split search
/// (<see cref="CapacityLayouts.For"/>, several splits on several threads, each a capacity search of minutes) and the
/// simulations inside a row's prediction, and the web's <c>capacity</c> over <c>systemDevices</c>. Counted in step-time
/// estimates, never timed.
/// </summary>
public class ValidationCancelTests(ITestOutputHelper output)
{
    private static readonly Suanli.Catalog.SuanliCatalog Catalog = CatalogFiles.Embedded;

    // The four splits of 8 x H100 that CapacityLayoutChoiceTests' Llama-2-70B FP8 row fits on.
    private static List<SystemLayout> Splits(InferenceMeasurement row) =>
        [.. new[] { 1, 2, 4, 8 }.Select(tp => SystemLayouts.Validate(Catalog.Model(row.Model).Architecture, 8, tp, 1, null, "m"))];

    [Fact]
    public void A_capacity_row_predicted_on_a_cancelled_token_throws_instead_of_searching_its_splits()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        // Uncancelled, this row searches the capacity of up to four splits and then its own (CapacityLayoutChoiceTests);
        // Predict took no token, so a Ctrl-C waited for all of it.
        Assert.ThrowsAny<OperationCanceledException>(() => predictor.Predict(CapacityLayoutChoiceTests.Row(), cancel.Token));
    }

    [Fact]
    public void A_split_search_cancelled_inside_its_first_capacity_search_stops_every_search()
    {
        var row = CapacityLayoutChoiceTests.Row();
        var splits = Splits(row);
        // The estimates For makes before any search: each split resolved and its two bounds, on a fresh model (nothing memoised).
        using var idle = new CancellationTokenSource();
        var counting = new CancellingStepTime(CalibrationFiles.Default, idle);
        var before = new InferencePredictor(Catalog, counting, CalibrationFiles.Embedded);
        foreach (var resolved in splits.Select(l => new InferenceRowResolver(Catalog, CalibrationFiles.Embedded, before).ResolveOn(row, l, out _)!))
        {
            CapacityLayouts.Bound(before, resolved);
            before.SteadyRequestRate(resolved);
        }
        var bounds = counting.Calls;

        // The next estimate is the first of a capacity search: it cancels.
        using var cancel = new CancellationTokenSource();
        var model = new CancellingStepTime(CalibrationFiles.Default, cancel, bounds + 1);
        var predictor = new InferencePredictor(Catalog, model, CalibrationFiles.Embedded);
        var resolver = new InferenceRowResolver(Catalog, CalibrationFiles.Embedded, predictor) { Cancel = cancel.Token };
        Assert.ThrowsAny<OperationCanceledException>(() => CapacityLayouts.For(row, splits, resolver, predictor, cancel.Token));
        output.WriteLine($"bounds {bounds}, calls {model.Calls}, after cancel {model.AfterCancel}");
        Assert.True(model.Calls > bounds, $"{model.Calls} estimates, {bounds} before the searches: the cancellation came from inside a search");
        // One uncancelled split's search makes tens of thousands of estimates (below); after the cancellation each thread
        // ends its search at the simulator's next check, within 1,024 events.
        Assert.InRange(model.AfterCancel, 0, 1_024 * Environment.ProcessorCount);
    }

    [Fact]
    public void One_splits_capacity_search_uncancelled_makes_many_more_estimates_than_a_cancelled_search_may()
    {
        // The other side of the test above: without a cancellation a single split's search runs every probe to its end.
        var row = CapacityLayoutChoiceTests.Row();
        using var idle = new CancellationTokenSource();
        var model = new CancellingStepTime(CalibrationFiles.Default, idle);
        var predictor = new InferencePredictor(Catalog, model, CalibrationFiles.Embedded);
        var resolved = new InferenceRowResolver(Catalog, CalibrationFiles.Embedded, predictor).ResolveOn(row, Splits(row)[2], out _)!;
        var start = model.Calls;
        Assert.NotNull(predictor.CapacityOf(resolved, idle.Token));
        output.WriteLine($"one search {model.Calls - start}");
        Assert.True(model.Calls - start > 1_024 * Environment.ProcessorCount, $"{model.Calls - start} estimates");
    }

    [Fact]
    public void A_held_out_refit_on_a_cancelled_token_throws()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var rows = MeasurementFiles.Read(Path.Combine(PlanTests.RepoRoot(), "validation", "holdout", "mlperf-v5-v6-inference.csv")).Rows;
        Assert.ThrowsAny<OperationCanceledException>(() => Calibrator.LeaveOneOut(rows, Catalog, CalibrationFiles.Embedded, cancel.Token));
    }

    [Fact]
    public void Ctrl_c_during_validate_exits_130_with_one_line_and_writes_no_report()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var report = Path.Combine(Path.GetTempPath(), $"suanli-cancel-{Guid.NewGuid():N}.md");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SuanliCli.Run(["validate", Path.Combine(PlanTests.RepoRoot(), "validation", "holdout", "mlperf-v5-v6-inference.csv"), "--report", report, "--format", "json"],
            new TestConsole(), stdout, stderr, TimeProvider.System, cancel: cancel.Token);
        Assert.Equal(SuanliCli.Interrupted, code);
        Assert.Equal("", stdout.ToString());
        using var doc = JsonDocument.Parse(Assert.Single(stderr.ToString().TrimEnd().Split('\n')));
        Assert.Equal("interrupted", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.False(File.Exists(report));
    }

    [Fact]
    public void The_webs_whole_system_capacity_cancelled_at_its_first_estimate_searches_no_split()
    {
        // /api/capacity with systemDevices searches each split of the system one after another on the request's token
        // (HttpContext.RequestAborted linked with the server's time limit: TimeLimit.RunAsync).
        using var cancel = new CancellationTokenSource();
        var model = new CancellingStepTime(CalibrationFiles.Default, cancel, 1);
        var input = new CapacityInput
        {
            Model = "qwen2.5-7b-instruct", Hardware = "h100", SystemDevices = "8", Input = "2048", Output = "256", TtftP90 = "2", TpotP90 = "0.1",
        };
        Assert.ThrowsAny<OperationCanceledException>(() => ServingApi.Capacity(input, Catalog, model, cancel.Token));
        output.WriteLine($"after cancel {model.AfterCancel}");
        // The first search's floors and first guess finish their arithmetic; its first probe's simulation refuses to start.
        Assert.InRange(model.AfterCancel, 0, 1_024);
    }
}
