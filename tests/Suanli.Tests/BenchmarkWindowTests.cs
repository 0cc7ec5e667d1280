using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Tests;

/// <summary>
/// The arrivals of a capacity probe that stands for an MLPerf Server run: a warm-up of one long request's lifetime, then
/// at least 600 s measured (docs/methodology-serving.md, "Capacity of a benchmark run").
/// </summary>
public class BenchmarkWindowTests(ITestOutputHelper output)
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly ServingTargets DeepSeekServer = ServingTargets.FromSeconds(2, 0.08, null, Percentile.P99);

    private static Deployment Llama8bOnH100() =>
        new(Catalog.Model("llama-3.1-8b"), Catalog.Device("nvidia-h100-sxm5-80gb"), Layout.Single, NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);

    [Fact]
    public void The_99th_percentile_length_of_each_shape_is_its_hand_computed_value()
    {
        Assert.Equal(7, LengthDistribution.Fixed(7).P99);
        // 1 + 0.99 x (101 - 1) = 100.
        Assert.Equal(100, LengthDistribution.Uniform(1, 101).P99);
        // Nearest rank: the ceil(0.99 x 100) = 99th of 1..100.
        Assert.Equal(99, LengthDistribution.Empirical([.. Enumerable.Range(1, 100).Reverse()]).P99);
        // 1,000 + 2.326 x 100 = 1,232.6.
        Assert.Equal(1_233, LengthDistribution.Normal(1_000, 100).P99);
        // sigma^2 = ln(1 + 1) = 0.69315; exp(ln 1,000 - 0.34657 + 2.326 x 0.83256) = 1,000 x exp(1.58995) = 4,903.
        Assert.Equal(4_903, LengthDistribution.LogNormal(1_000, 1_000).P99);
    }

    [Fact]
    public void A_probe_warms_up_for_one_p99_request_at_the_targets_then_measures_600_s()
    {
        var d = Llama8bOnH100();
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        // DeepSeek-R1's mean answer, 3,676 tokens, at MLPerf's 2 s TTFT and 80 ms TPOT: 2 + 3,675 x 0.08 = 296 s of warm-up,
        // then MLPerf's 600 s: 896 s of arrivals.
        var (arrivals, warmup) = BenchmarkWindow.For(d, LengthDistribution.Fixed(804), LengthDistribution.Fixed(3_676), model, DeepSeekServer, Duration.FromSeconds(600));
        Assert.Equal(896, arrivals.Value, 6);
        Assert.Equal(296 / 896.0, warmup, 9);
        // An answer of 20,000 tokens lives 2 + 19,999 x 0.08 = 1,601.92 s: the warm-up grows, the measured 600 s stay.
        (arrivals, warmup) = BenchmarkWindow.For(d, LengthDistribution.Fixed(804), LengthDistribution.Fixed(20_000), model, DeepSeekServer, Duration.FromSeconds(600));
        Assert.Equal(2_201.92, arrivals.Value, 6);
        Assert.Equal(1_601.92 / 2_201.92, warmup, 9);
    }

    [Fact]
    public void Without_a_tpot_target_a_long_request_lives_its_end_to_end_target()
    {
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var life = BenchmarkWindow.LongRequest(Llama8bOnH100(), LengthDistribution.Fixed(100), LengthDistribution.Fixed(100), model, ServingTargets.FromSeconds(null, null, 30));
        Assert.Equal(30, life.Value, 9);
    }

    [Fact]
    public void A_long_output_workloads_capacity_is_not_limited_by_the_probe_window()
    {
        // Answers of mean 2,000 tokens with a long tail (lognormal, sd 4,000; p99 about 17,000) at a 50 ms TPOT: the longest
        // live some 850 s. A plain 600 s probe measures from 60 s on, while the work in flight is still building up, so the
        // replica "falls behind" at loads it carries; the benchmark window warms up for one p99-length request first and
        // finds what a probe measuring three times as long finds.
        var d = Llama8bOnH100();
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var engine = EngineConfig.Default(Engine.TrtLlm, d.Device);
        var targets = ServingTargets.FromSeconds(2, 0.05, null, Percentile.P99);
        var input = LengthDistribution.Fixed(200);
        var answers = LengthDistribution.LogNormal(2_000, 4_000);
        var plain = CapacitySearch.Run(d, Workload.Poisson(1, input, answers, requests: Workload.MaxRequests, duration: Duration.FromSeconds(600)), engine, model, targets);
        double Window(double measured) => ServingPrediction.Predict(d, ScenarioKind.Capacity, null, null, input, answers, targets, model, engine, 1, Workload.MaxRequests,
            Duration.FromSeconds(measured))["max_requests_per_s"];
        var window = Window(600);
        var longer = Window(1_800);
        output.WriteLine($"plain {plain.MaxRequestsPerSecond} ({plain.LimitingTarget}); window {window}; three times longer {longer}");

        Assert.InRange(window / longer, 0.9, 1.1);
        Assert.True(plain.MaxRequestsPerSecond!.Value < 0.9 * longer, $"plain {plain.MaxRequestsPerSecond}, longer {longer}");
    }
}
