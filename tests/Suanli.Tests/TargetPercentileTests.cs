using Suanli.Files;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Latency targets checked at a stated percentile per target (docs/methodology-serving.md, "Target percentiles"):
/// hand-computed percentiles of a fixed trace, the capacity ordering across percentiles, the scenario keys, the CLI
/// inputs, the window rule and the Chinese sentences.
/// </summary>
public class TargetPercentileTests
{
    private const string Head = "name: t\ncurrency: USD\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n    model: meta-llama/Llama-3.1-8B\n    peak_rate: 2\n    input_tokens: 800\n    output_tokens: 400\n";

    private static EngineConfig Engine() => EngineConfig.Default(StepTime.Engine.Vllm, CatalogFiles.Embedded.Device("h100-80gb")) with { MaxNumSeqs = 256, MaxBatchedTokens = 8192 };

    // Eleven requests 10 s apart, each alone on the replica: with FakeSteps a prompt of 100 k tokens takes 10 ms + 0.1 ms x 100 k
    // to its first token, so the TTFTs are 20, 30, ..., 120 ms. numpy.percentile's linear rule puts p at rank p/100 x 10:
    // p50 = 70 ms, p90 = 110 ms, p95 = 115 ms, p99 = 119 ms.
    private static ServingResult ElevenAlone(ServingTargets targets) =>
        ServingSimulator.Run(ServingSimulatorTests.Replica(), Workload.FromTrace([.. Enumerable.Range(1, 11).Select(k => new TraceRequest(10.0 * k, 100 * k, 1))]),
            Engine(), new FakeSteps(), targets);

    [Fact]
    public void A_fixed_trace_gives_the_hand_computed_percentiles_at_the_targets_own_percentile()
    {
        var r = ElevenAlone(ServingTargets.FromSeconds(0.118, Percentile.Of(95, "t"), null, Percentile.P90, null, Percentile.P90));
        Assert.Equal(11, r.Requests.Measured);
        Assert.Equal(0.070, r.Ttft.P50.Value, 12);
        Assert.Equal(0.110, r.Ttft.P90.Value, 12);
        Assert.Equal(0.119, r.Ttft.P99.Value, 12);
        Assert.Equal(0.115, r.Ttft.At(Percentile.Of(95, "t")).Value, 12);
        // 115 ms at p95 is within 118 ms: no finding.
        Assert.Empty(ServingFindings.TargetFindings(r));
    }

    [Fact]
    public void The_same_run_gives_an_equal_summary_with_its_extra_percentile()
    {
        var targets = ServingTargets.FromSeconds(0.118, Percentile.Of(95, "t"), null, Percentile.P90, null, Percentile.P90);
        var (a, b) = (ElevenAlone(targets).Ttft, ElevenAlone(targets).Ttft);
        Assert.Equal(a, b);
        Assert.NotEqual(a, ElevenAlone(ServingTargets.FromSeconds(0.118, Percentile.Of(96, "t"), null, Percentile.P90, null, Percentile.P90)).Ttft);
    }

    [Fact]
    public void A_target_missed_at_its_percentile_says_which_percentile()
    {
        // p99 of the same trace is 119 ms, over a 118 ms target; at p90 (110 ms) the same target holds.
        var r = ElevenAlone(ServingTargets.FromSeconds(0.118, null, null, Percentile.P99));
        var missed = Assert.Single(ServingFindings.TargetFindings(r));
        Assert.Equal("TTFT p99 is 119 ms, above the 118 ms target.", missed.Message);
        Assert.Equal("TTFT p99 为 119 ms，高于 118 ms 的目标。", missed.Text!.Render(Languages.Chinese, FieldNames.Core));
        Assert.Empty(ServingFindings.TargetFindings(ElevenAlone(ServingTargets.FromSeconds(0.118, null, null))));
    }

    [Fact]
    public void Simulate_json_lists_each_target_with_its_percentile_and_value()
    {
        var r = ElevenAlone(ServingTargets.FromSeconds(0.118, Percentile.Of(95, "t"), null, Percentile.P90, 0.1, Percentile.P50));
        var json = (SimulateJson)SimulateReport.Build(r).Json;
        Assert.Collection(json.Targets,
            t => Assert.Equal(new TargetJson("ttft", 95, 0.118, 0.115, true), t with { ValueSeconds = Math.Round(t.ValueSeconds!.Value, 12) }),
            t => Assert.Equal(new TargetJson("e2e", 50, 0.1, 0.07, true), t with { ValueSeconds = Math.Round(t.ValueSeconds!.Value, 12) }));
    }

    // Capacity falls (or stays) as the percentile rises: the same probe that meets a target at p99 meets it at any lower
    // percentile, and the searches run the same probes until the first load where they differ.
    [Theory]
    [InlineData(CapacityMode.Rate)]
    [InlineData(CapacityMode.Concurrency)]
    public void Capacity_at_a_higher_percentile_is_never_above_capacity_at_a_lower_one(CapacityMode mode)
    {
        var workload = Workload.Poisson(1, LengthDistribution.LogNormal(600, 400), LengthDistribution.LogNormal(150, 100), requests: 1200);
        double? last = null;
        foreach (var p in new[] { 50.0, 90, 95, 99 })
        {
            var targets = ServingTargets.FromSeconds(0.5, 0.03, null, Percentile.Of(p, "t"));
            var c = CapacitySearch.Run(ServingSimulatorTests.Replica(), workload, Engine(), new FakeSteps(), targets, mode);
            var load = mode == CapacityMode.Rate ? c.MaxRequestsPerSecond : c.MaxConcurrency;
            Assert.NotNull(load);
            if (last is { } previous)
            {
                Assert.True(load <= previous, $"capacity at p{p} {load} is above {previous} at the lower percentile");
            }
            last = load;
        }
    }

    [Fact]
    public void The_window_rule_is_ten_requests_beyond_the_percentile()
    {
        Assert.Equal(20, Percentile.P50.MinMeasured);
        Assert.Equal(100, Percentile.P90.MinMeasured);
        Assert.Equal(1_000, Percentile.P99.MinMeasured);
        Assert.Equal(10_000, Percentile.Of(99.9, "t").MinMeasured);
        // A plan's probe of 600 requests grows to measure 1,000 after its 10% warm-up at p99, and 10,000 at p99.9.
        Assert.Equal(600, ServingTargets.FromSeconds(2, 0.1, null).RequestsFor(600));
        Assert.Equal(1_112, ServingTargets.FromSeconds(2, 0.1, null, Percentile.P99).RequestsFor(600));
        Assert.Equal(11_112, ServingTargets.FromSeconds(2, null, null, Percentile.Of(99.9, "t")).RequestsFor(600));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("100", "100")]
    [InlineData("150", "150")]
    [InlineData("-5", "-5")]
    [InlineData("abc", "'abc'")]
    [InlineData("", "''")]
    public void A_percentile_outside_zero_to_hundred_or_not_a_number_is_refused_naming_the_field(string text, string echoed)
    {
        var e = Assert.Throws<InputException>(() => Percentile.Parse(text, FieldNames.TtftPercentile));
        Assert.Equal("--ttft-percentile", e.Field);
        Assert.Equal($"--ttft-percentile must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got {echoed}.", e.Message);
        Assert.Equal($"--ttft-percentile 必须是大于 0 且小于 100 的百分位（中位数为 50，或 90、95、99、99.9），收到的是 {echoed}。", e.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void Scenario_keys_state_each_targets_percentile_and_the_p90_keys_read_as_before()
    {
        var stated = ScenarioFile.Parse(Head + "    targets: {ttft_p99_s: 2, tpot_p95_s: 0.1, e2e_p90_s: 30}\n", "t.yaml", CatalogFiles.Embedded).Applications[0].Targets;
        Assert.Equal((2.0, 99.0, 0.1, 95.0, 30.0, 90.0), (stated.Ttft!.Value.Value, stated.TtftAt.Value, stated.Tpot!.Value.Value, stated.TpotAt.Value, stated.E2e!.Value.Value, stated.E2eAt.Value));
        var before = ScenarioFile.Parse(Head + "    targets: {ttft_p90_s: 2, tpot_p90_s: 0.1}\n", "t.yaml", CatalogFiles.Embedded).Applications[0].Targets;
        Assert.Equal((Percentile.P90, Percentile.P90, (Quantities.Duration?)null), (before.TtftAt, before.TpotAt, before.E2e));
    }

    [Theory]
    // targets: is on line 10; in block form each key is on its own line from 11.
    [InlineData("    targets:\n      ttft_p99_s: 2\n      ttft_p95_s: 1\n", "t.yaml:12:19: 'applications[0].targets.ttft_p95_s' and 'applications[0].targets.ttft_p99_s' both set a TTFT target; keep one: each target is checked at one percentile.")]
    [InlineData("    targets:\n      tpot_p100_s: 0.1\n", "t.yaml:11:20: applications[0].targets.tpot_p100_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 100.")]
    [InlineData("    targets:\n      ttft_p2_s: 1\n      tpot_p0_s: 0.1\n", "t.yaml:12:18: applications[0].targets.tpot_p0_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 0.")]
    [InlineData("    targets:\n      e2e_pxx_s: 30\n", "t.yaml:11:18: applications[0].targets.e2e_pxx_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 'xx'.")]
    [InlineData("    targets:\n      e2e_p-5_s: 30\n", "t.yaml:11:18: applications[0].targets.e2e_p-5_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got -5.")]
    [InlineData("    targets:\n      tpot_p99.9999_s: 0.1\n", "t.yaml:11:24: applications[0].targets.tpot_p99.9999_s is checked at p99.9999, which needs at least 10,000,000 measured requests (10 beyond the percentile); a plan simulates at most 900,000 per probe. State a lower percentile (p99.9 needs 10,000).")]
    [InlineData("    targets:\n      ttft_p99: 2\n", "t.yaml:11:7: Unknown key 'applications[0].targets.ttft_p99'. Did you mean 'ttft_p99_s'?")]
    public void A_bad_target_key_is_an_error_at_its_file_line_and_column(string targets, string message)
    {
        var e = Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(Head + targets, "t.yaml", CatalogFiles.Embedded));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Two_keys_for_one_metric_and_an_unestimable_percentile_read_in_chinese()
    {
        var twice = Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(Head + "    targets: {ttft_p99_s: 2, ttft_p95_s: 1}\n", "t.yaml", CatalogFiles.Embedded));
        Assert.Equal("'applications[0].targets.ttft_p95_s' 和 'applications[0].targets.ttft_p99_s' 都设置了 TTFT 目标；只保留一个：每个目标只在一个百分位上检查。", twice.Text!.Render(Languages.Chinese, FieldNames.Core));
        var probe = Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(Head + "    targets: {tpot_p99.9999_s: 0.1}\n", "t.yaml", CatalogFiles.Embedded));
        Assert.Equal("applications[0].targets.tpot_p99.9999_s 在 p99.9999 上检查，至少需要 10,000,000 个计入统计的请求（该百分位之外 10 个）；规划的每次探测最多计入 900,000 个。请给出更低的百分位（p99.9 需要 10,000 个）。",
            probe.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    private static readonly IStepTimeModel Model = CalibrationFiles.Default;

    private static ServingInputs Simulate(TargetInputs targets, int? requests = null) =>
        new() { Model = "qwen2.5-7b", Hardware = "h100", Rate = 1, Input = "512", Output = "128", Requests = requests, Targets = targets };

    [Fact]
    public void Simulate_checks_each_target_at_its_stated_percentile_and_mixes_the_p90_and_p99_forms()
    {
        var json = (SimulateJson)ServingRun.Simulate(Simulate(new() { Ttft = 5, TtftPercentile = "p95", TpotP99 = 1, E2eP90 = 60 }), CatalogFiles.Embedded, Model).Json;
        Assert.Equal([("ttft", 95.0), ("tpot", 99.0), ("e2e", 90.0)], json.Targets.Select(t => (t.Metric, t.Percentile)));
        Assert.All(json.Targets, t => Assert.True(t.Met));
        Assert.Equal(json.Latency.Tpot.P99, json.Targets[1].ValueSeconds);
        Assert.Equal(json.Latency.E2e.P90, json.Targets[2].ValueSeconds);
    }

    [Fact]
    public void A_percentile_the_window_cannot_estimate_names_the_request_count_that_would()
    {
        // 2,000 requests less the 10% warm-up measure 1,800; p99.9 needs 10,000, which 11,112 requests measure.
        var e = Assert.Throws<InputException>(() => ServingRun.Simulate(Simulate(new() { Ttft = 2, TtftPercentile = "99.9" }), CatalogFiles.Embedded, Model));
        Assert.Equal("--ttft-percentile", e.Field);
        Assert.Equal("--ttft-percentile is checked at p99.9, which needs at least 10,000 measured requests (10 beyond the percentile); --requests 2000 measures 1,800 after the warm-up. Give --requests 11112 or more, or a lower percentile.", e.Message);
        Assert.Equal("--ttft-percentile 在 p99.9 上检查，至少需要 10,000 个计入统计的请求（该百分位之外 10 个）；--requests 2000 在预热后只计入 1,800 个。请给出 --requests 11112 或更多，或选用更低的百分位。",
            e.Text!.Render(Languages.Chinese, FieldNames.Core));
        // p99 from --tpot-p99 with 1,000 requests (900 measured) is refused at the option that set it.
        var p99 = Assert.Throws<InputException>(() => ServingRun.Simulate(Simulate(new() { TpotP99 = 0.1 }, requests: 1000), CatalogFiles.Embedded, Model));
        Assert.Equal("--tpot-p99", p99.Field);
    }

    [Fact]
    public void A_percentile_without_its_target_and_two_forms_of_one_target_are_refused()
    {
        var alone = Assert.Throws<InputException>(() => ServingRun.Simulate(Simulate(new() { TpotPercentile = "99" }), CatalogFiles.Embedded, Model));
        Assert.Equal("--tpot-percentile states the percentile of --tpot; give --tpot too (e.g. --tpot 2 --tpot-percentile 99), or drop --tpot-percentile.", alone.Message);
        Assert.Equal("--tpot-percentile 给出的是 --tpot 的百分位；请同时给出 --tpot（例如 --tpot 2 --tpot-percentile 99），或去掉 --tpot-percentile。", alone.Text!.Render(Languages.Chinese, FieldNames.Core));
        var twice = Assert.Throws<InputException>(() => ServingRun.Simulate(Simulate(new() { E2eP90 = 30, E2e = 20 }), CatalogFiles.Embedded, Model));
        Assert.Equal("--e2e-p90 and --e2e both set one target; give one of them: each target is checked at one percentile.", twice.Message);
        Assert.Equal("--e2e-p90 和 --e2e 设置的是同一个目标；只给出其中一个：每个目标只在一个百分位上检查。", twice.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void Capacity_names_each_targets_percentile_in_its_columns_json_and_sentence()
    {
        var report = ServingRun.Capacity(Simulate(new() { Ttft = 2, TtftPercentile = "95", TpotP99 = 0.05 }) with { Rate = null }, "rate", CatalogFiles.Embedded, Model);
        var json = (CapacityJson)report.Json;
        Assert.Equal([("ttft", 95.0), ("tpot", 99.0)], json.Targets.Select(t => (t.Metric, t.Percentile)));
        var headers = report.Tables[0].Columns.Select(c => c.Name).ToList();
        Assert.Contains("TTFT p95", headers);
        Assert.Contains("TPOT p99", headers);
        Assert.Contains(report.Findings, f => f.Message.Contains("TTFT p95 <= 2.00 s and TPOT p99 <= 50 ms", StringComparison.Ordinal));
    }
}
