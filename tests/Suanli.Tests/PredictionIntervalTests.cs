using Suanli.Fleet;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class PredictionIntervalTests
{
    [Fact]
    public void Nine_residuals_give_their_smallest_and_largest_as_the_split_conformal_ends()
    {
        // n = 9: floor(10/10) = 1st and ceil(90/10) = 9th smallest.
        double[] logs = [0.3, -0.2, 0.1, 0.0, -0.5, 0.2, 0.4, -0.1, 0.05];
        var (low, high) = PredictionIntervals.Ends(logs);
        Assert.Equal(-0.5, low);
        Assert.Equal(0.4, high);
    }

    [Fact]
    public void Nineteen_residuals_give_the_second_smallest_and_the_second_largest()
    {
        // n = 19: floor(20/10) = 2nd and ceil(180/10) = 18th smallest.
        var logs = Enumerable.Range(1, 19).Select(i => i / 100.0).Reverse().ToList();
        var (low, high) = PredictionIntervals.Ends(logs);
        Assert.Equal(0.02, low, 12);
        Assert.Equal(0.18, high, 12);
    }

    [Fact]
    public void Fewer_than_nine_residuals_cannot_promise_eighty_percent()
    {
        Assert.Throws<ArgumentException>(() => PredictionIntervals.Ends([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]));
    }

    [Fact]
    public void A_class_with_too_few_rows_falls_back_to_the_broader_class_and_says_it_is_widened()
    {
        var residuals = new List<(IReadOnlyList<string>, double)>();
        for (var i = 0; i < 12; i++)
        {
            residuals.Add((PredictionIntervals.Keys(PredictionKind.Throughput, "trtllm", "nvidia-hopper"), 0.8 + i * 0.04));
        }
        for (var i = 0; i < 3; i++)
        {
            residuals.Add((PredictionIntervals.Keys(PredictionKind.Throughput, "vllm", "amd-cdna3"), 1.5));
        }
        var intervals = new PredictionIntervals(PredictionIntervals.Fit(residuals), "2026-12-01", "test");

        var hopper = intervals.Find(PredictionKind.Throughput, "trtllm", "nvidia-hopper")!;
        Assert.Equal("throughput/trtllm/nvidia-hopper", hopper.Class.Key);
        Assert.False(hopper.Widened);
        Assert.Equal(12, hopper.Class.Rows);
        // n = 12: 1st and ceil(117/10) = 12th smallest ratio.
        Assert.Equal(0.8, hopper.Class.LowRatio, 9);
        Assert.Equal(0.8 + 11 * 0.04, hopper.Class.HighRatio, 9);

        var amd = intervals.Find(PredictionKind.Throughput, "vllm", "amd-cdna3")!;
        Assert.Equal("throughput", amd.Class.Key);
        Assert.True(amd.Widened);
        Assert.Equal(15, amd.Class.Rows);
        Assert.Contains("pooled throughput", amd.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_without_capacity_measurements_uses_the_pooled_throughput_spread()
    {
        Assert.Equal(["capacity/vllm/nvidia-ampere", "capacity/vllm", "capacity", "throughput"],
            PredictionIntervals.Keys(PredictionKind.Capacity, "vllm", "nvidia-ampere"));
    }

    [Fact]
    public void The_embedded_intervals_have_enough_rows_per_class_and_contain_the_prediction()
    {
        var intervals = IntervalFiles.Embedded;
        Assert.NotEmpty(intervals.Classes);
        Assert.All(intervals.Classes, c =>
        {
            Assert.True(c.Rows >= PredictionIntervals.MinRows, c.Key);
            Assert.True(c.LowRatio <= 1 && c.HighRatio >= 1, $"{c.Key}: {c.LowRatio}-{c.HighRatio} should bracket 1");
        });
        // Every kind a headline number needs has at least its pooled class (capacity falls back to throughput).
        foreach (var kind in Enum.GetValues<PredictionKind>())
        {
            Assert.NotNull(intervals.Find(kind, kind == PredictionKind.Training ? null : "vllm", "nvidia-hopper"));
        }
    }

    [Fact]
    public void Scaling_capacity_by_the_interval_ends_moves_devices_the_opposite_way()
    {
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var memo = PlanRanges.Memoized(PlanTests.TestCapacity);
        var expected = Planner.Plan(scenario, memo);
        var interval = new IntervalLookup(new IntervalClass("capacity", 20, 0.5, 2.0), false, "test");
        var range = PlanRanges.Of(expected, memo, _ => interval);

        var app = expected.Applications.Single();
        var slow = range.Pessimistic.Applications.Single();
        var fast = range.Optimistic.Applications.Single();
        Assert.Equal(app.Capacity.MaxRequestsPerSecond * 0.5, slow.Capacity.MaxRequestsPerSecond, 9);
        Assert.Equal(app.Capacity.MaxConcurrency * 2.0, fast.Capacity.MaxConcurrency, 9);
        Assert.True(fast.DevicesPeak <= app.DevicesPeak && app.DevicesPeak <= slow.DevicesPeak);
        // Half the capacity per replica needs at least twice the replicas less one rounding step.
        Assert.True(slow.ReplicasPeak >= 2 * app.ReplicasPeak - 1);
    }

    [Fact]
    public void The_covered_ratio_is_peak_over_what_the_peak_hour_replicas_carry()
    {
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        var a = plan.Applications.Single();
        var expected = a.Application.Peak / (a.ReplicasPeak * a.Capacity.In(a.Application.Kind));
        Assert.Equal(expected, PlanRanges.CoveredRatio(plan)!.Value, 12);
        Assert.True(PlanRanges.CoveredRatio(plan) <= 1);
    }

    [Fact]
    public void The_capacity_search_runs_once_per_deployment_however_often_the_range_asks()
    {
        var calls = 0;
        var memo = PlanRanges.Memoized((d, m, t) => { calls++; return PlanTests.TestCapacity(d, m, t); });
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var expected = Planner.Plan(scenario, memo);
        var once = calls;
        PlanRanges.Of(expected, memo, _ => new IntervalLookup(new IntervalClass("capacity", 20, 0.7, 1.3), false, "test"));
        Assert.Equal(once, calls);
    }

    [Fact]
    public void The_default_plan_reports_its_device_and_cost_range_with_the_basis_named()
    {
        var (_, report) = PlanReport.Run(ScenarioFile.LoadDefault(CatalogFiles.Embedded), PlanTests.TestCapacity, PriceFiles.Embedded, new DateOnly(2026, 12, 1), IntervalFiles.Embedded);
        var range = ((PlanJson)report.Json).Range!;
        Assert.True(range.Devices.Low <= range.Devices.Expected && range.Devices.Expected <= range.Devices.High);
        Assert.True(range.OwnPerMonth!.Low <= range.OwnPerMonth.Expected && range.OwnPerMonth.Expected <= range.OwnPerMonth.High);
        Assert.Contains("80% interval of", range.Basis, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == "plan-range" && f.Message.Contains("80% prediction interval", StringComparison.Ordinal));
    }

    [Fact]
    public void Perf_rows_carry_each_quantity_times_its_class_ratios()
    {
        var report = PerfRun.Run(new PerfInputs { Model = "llama-3.1-8b", Hardware = "h100", Batch = "1,64" }, CatalogFiles.Embedded, CalibrationFiles.Default);
        var json = (PerfJson)report.Json;
        var tpot = IntervalFiles.Find(IntervalFiles.Embedded, PredictionKind.Tpot, Engine.Vllm, CatalogFiles.Embedded.Device("h100"))!;
        var throughput = IntervalFiles.Find(IntervalFiles.Embedded, PredictionKind.Throughput, Engine.Vllm, CatalogFiles.Embedded.Device("h100"))!;
        Assert.All(json.Rows, r =>
        {
            Assert.Equal(r.TimePerOutputTokenSeconds * tpot.Class.LowRatio, r.TimePerOutputTokenSecondsRange!.Low, 4);
            Assert.Equal(r.TimePerOutputTokenSeconds * tpot.Class.HighRatio, r.TimePerOutputTokenSecondsRange.High, 4);
            Assert.Equal(r.OutputTokensPerSecond * throughput.Class.HighRatio, r.OutputTokensPerSecondRange!.High, 0);
        });
        Assert.Contains("TPOT: 80% interval of", json.IntervalBasis, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_time_range_divides_by_the_speed_ratios()
    {
        var report = TrainRun.Run(new TrainInputs { Model = "llama-3.1-8b", Hardware = "h100", Devices = 64, Tokens = "1T" }, CatalogFiles.Embedded, CalibrationFiles.Default, new DateOnly(2026, 1, 1));
        var json = (TrainJson)report.Json;
        var interval = IntervalFiles.Find(IntervalFiles.Embedded, PredictionKind.Training, null, CatalogFiles.Embedded.Device("h100"))!;
        var time = json.Time;
        Assert.Equal(time.Days / interval.Class.HighRatio, time.DaysRange!.Low, 9);
        Assert.Equal(time.Days / interval.Class.LowRatio, time.DaysRange.High, 9);
        Assert.True(time.GpuHoursRange!.Low <= time.GpuHours && time.GpuHours <= time.GpuHoursRange.High);
    }

    [Fact]
    public void Capacity_range_brackets_the_searched_capacity()
    {
        var report = ServingRun.Capacity(new ServingInputs { Model = "llama-3.1-8b", Hardware = "h100", Input = "1024", Output = "256", Targets = new() { TtftP90 = 1, TpotP90 = 0.05 } },
            "concurrency", CatalogFiles.Embedded, CalibrationFiles.Default);
        var json = (CapacityJson)report.Json;
        Assert.NotNull(json.MaxConcurrency);
        Assert.True(json.MaxLoadRange!.Low < json.MaxConcurrency && json.MaxConcurrency < json.MaxLoadRange.High);
        Assert.Contains(report.Findings, f => f.Code == "prediction-interval");
    }
}
