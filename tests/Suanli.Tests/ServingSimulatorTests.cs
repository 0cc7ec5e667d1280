using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>A step-time model with hand-computable times: 10 ms per step, 1 ms per decoding sequence, 0.1 ms per prefill token.</summary>
internal sealed class FakeSteps : IStepTimeModel
{
    public int Calls { get; private set; }

    public static double Seconds(StepShape s) => 0.010 + 0.001 * s.DecodeSequences + 0.0001 * s.PrefillTokens;

    public StepEstimate Estimate(Deployment deployment, StepShape shape)
    {
        Calls++;
        var t = Duration.FromSeconds(Seconds(shape));
        return new StepEstimate(t, t, Duration.Zero, Duration.Zero, Duration.Zero, Bottleneck.Overhead, Flop.FromFlop(0), Bytes.Zero);
    }
}

public class ServingSimulatorTests
{
    internal static Deployment Replica(string model = "qwen2.5-7b", string device = "h100-80gb", int tp = 1, string precision = "bf16")
    {
        var m = CatalogFiles.Embedded.Model(model);
        var f = NumberFormat.Parse(precision);
        return new Deployment(m, CatalogFiles.Embedded.Device(device), Layouts.Make(m.Architecture, tp, 1), f, NumberFormat.KvFormats.Contains(f) ? f : NumberFormat.Bf16, StepTime.Engine.Vllm);
    }

    private static EngineConfig Engine(int maxSeqs = 256, int maxTokens = 8192) =>
        EngineConfig.Default(StepTime.Engine.Vllm, CatalogFiles.Embedded.Device("h100-80gb")) with { MaxNumSeqs = maxSeqs, MaxBatchedTokens = maxTokens };

    private static Workload Trace(params TraceRequest[] requests) => Workload.FromTrace(requests);

    [Fact]
    public void One_request_takes_one_prefill_step_then_one_decode_step_per_further_token()
    {
        // Prefill of 100 tokens: 10 + 0.1 x 100 = 20 ms, which samples token 1; 4 decode steps of 10 + 1 = 11 ms.
        var r = ServingSimulator.Run(Replica(), Trace(new TraceRequest(0, 100, 5)), Engine(), new FakeSteps());
        Assert.Equal(1, r.Requests.Measured);
        Assert.Equal(0.020, r.Ttft.P50.Value, 12);
        Assert.Equal(0.064, r.E2e.P50.Value, 12);
        Assert.Equal(0.011, r.Tpot.P50.Value, 12);
        Assert.Equal(0.0, r.Queue.P50.Value, 12);
        Assert.Equal(5, r.Work.Steps);
    }

    [Fact]
    public void A_prompt_longer_than_the_token_budget_is_prefilled_in_chunks()
    {
        // 300 tokens with a 256-token budget: 256 (35.6 ms) then 44 (14.4 ms); the first token comes after 50 ms.
        var r = ServingSimulator.Run(Replica(), Trace(new TraceRequest(0, 300, 1)), Engine(maxSeqs: 16, maxTokens: 256), new FakeSteps());
        Assert.Equal(0.050, r.Ttft.P50.Value, 12);
        Assert.Equal(0.050, r.E2e.P50.Value, 12);
        Assert.Equal(0, r.Tpot.P50.Value);
    }

    [Fact]
    public void Requests_arriving_together_share_prefill_and_decode_steps()
    {
        // Both prompts in one 200-token step (30 ms), then 4 decode steps with 2 sequences (12 ms each).
        var r = ServingSimulator.Run(Replica(), Trace(new TraceRequest(0, 100, 5), new TraceRequest(0, 100, 5)), Engine(), new FakeSteps());
        Assert.Equal(2, r.Requests.Measured);
        Assert.Equal(0.030, r.Ttft.P99.Value, 12);
        Assert.Equal(0.078, r.E2e.P99.Value, 12);
        Assert.Equal(2.0, r.Occupancy.BatchSize.Mean, 12);
    }

    [Fact]
    public void The_sequence_limit_makes_later_requests_queue()
    {
        // One running sequence at a time: the second waits for the first (20 + 11 = 31 ms) before its own 20 ms prefill.
        var r = ServingSimulator.Run(Replica(), Trace(new TraceRequest(0, 100, 2), new TraceRequest(0, 100, 2)), Engine(maxSeqs: 1), new FakeSteps());
        Assert.Equal(0.031, r.Queue.Max.Value, 12);
        Assert.Equal(0.051, r.Ttft.Max.Value, 12);
        Assert.Equal(0.062, r.E2e.Max.Value, 12);
    }

    [Fact]
    public void Prefix_cache_hits_skip_the_cached_whole_blocks_of_the_prompt()
    {
        // 50% of 100 tokens = 50, rounded down to 3 blocks of 16 = 48 cached; 52 tokens prefilled: 15.2 ms.
        var engine = Engine() with { PrefixCacheHitRate = 0.5 };
        var r = ServingSimulator.Run(Replica(), Trace(new TraceRequest(0, 100, 1)), engine, new FakeSteps());
        Assert.Equal(0.0152, r.Ttft.P50.Value, 12);
    }

    [Fact]
    public void A_closed_loop_client_sends_its_next_request_a_think_time_after_the_last_completes()
    {
        // Each request takes 20 + 11 = 31 ms; one client with 1 s think time, 3 requests, no warm-up.
        var w = Workload.ClosedLoop(1, LengthDistribution.Fixed(100), LengthDistribution.Fixed(2), Duration.FromSeconds(1), requests: 3) with { WarmupFraction = 0 };
        var r = ServingSimulator.Run(Replica(), w, Engine(), new FakeSteps());
        Assert.Equal(3, r.Requests.Measured);
        Assert.Equal(2 * 1.031 + 0.031, r.Work.SimulatedTime.Value, 9);
        Assert.Equal(0.031, r.E2e.Max.Value, 12);
    }

    [Fact]
    public void Paired_dataset_lengths_keep_each_requests_prompt_and_answer_together()
    {
        // A two-request "dataset": (100 prompt, 3 out) and (300 prompt, 1 out). One client, one request at a time.
        // FakeSteps: (100, 3) = prefill 10 + 10 ms, two decodes of 11 ms = 42 ms; (300, 1) = prefill 10 + 30 ms = 40 ms.
        // Drawn independently, (100, 1) = 20 ms and (300, 3) = 62 ms occur as well.
        var input = LengthDistribution.Empirical([100, 300]);
        var output = LengthDistribution.Empirical([3, 1]);
        Workload Loop(LengthDistribution i, LengthDistribution o) => Workload.ClosedLoop(1, i, o, requests: 50) with { WarmupFraction = 0 };
        var paired = ServingSimulator.Run(Replica(), Loop(input.PairedAs("toy"), output.PairedAs("toy")), Engine(), new FakeSteps());
        // Every paired request takes 40 or 42 ms: the mean is at least 40 ms (no 20 ms request) and the longest 42 ms.
        Assert.InRange(paired.E2e.Mean.Value, 0.040, 0.042);
        Assert.Equal(0.042, paired.E2e.Max.Value, 12);
        var independent = ServingSimulator.Run(Replica(), Loop(input, output), Engine(), new FakeSteps());
        Assert.Equal(0.062, independent.E2e.Max.Value, 12);
        // A dataset's prompt and output columns are paired by name; scaling the outputs to a mean keeps the pairing.
        Assert.True(LengthDistribution.Paired(LengthDatasets.Input("mlperf-llama2-70b-99", "i"), LengthDatasets.OutputWithMean("mlperf-llama2-70b-99", 290.3, "o")));
        Assert.False(LengthDistribution.Paired(LengthDatasets.Input("mlperf-llama2-70b-99", "i"), LengthDatasets.Output("mlperf-mixtral-8x7b", "o")));
    }

    [Fact]
    public void When_the_kv_cache_runs_out_sequences_are_preempted_and_still_finish()
    {
        // A 7B model on a 24 GB A10 leaves room for about 100k tokens; 64 sequences of 3,000 tokens need 192k.
        var d = Replica(device: "a10");
        var w = Workload.ClosedLoop(64, LengthDistribution.Fixed(1000), LengthDistribution.Fixed(2000), requests: 128) with { WarmupFraction = 0 };
        var r = ServingSimulator.Run(d, w, EngineConfig.Default(StepTime.Engine.Vllm, d.Device), new FakeSteps());
        Assert.True(r.Occupancy.KvTokens < 64 * 3000, $"KV holds {r.Occupancy.KvTokens}");
        Assert.True(r.Work.Preemptions > 0);
        Assert.Equal(128, r.Requests.Completed);
        Assert.True(r.Occupancy.KvUse.Max <= 1.0);
        Assert.Contains(r.Findings, f => f.Code == "preemption");
    }

    [Fact]
    public void A_load_far_above_capacity_stops_at_the_queue_bound_and_says_saturated()
    {
        var w = Workload.Poisson(1e6, LengthDistribution.Fixed(1000), LengthDistribution.Fixed(1000), requests: Workload.MaxRequests);
        var r = ServingSimulator.Run(Replica(), w, Engine() with { MaxQueue = 5_000 }, new FakeSteps());
        Assert.True(r.Saturated);
        Assert.True(r.Requests.Issued < 10_000);
        Assert.Contains(r.Findings, f => f.Code == "saturated" && f.Severity == Severity.Error);
    }

    [Fact]
    public void A_request_longer_than_the_kv_cache_is_refused_not_run()
    {
        var d = Replica(device: "a10");
        var r = ServingSimulator.Run(d, Trace(new TraceRequest(0, 5_000_000, 10), new TraceRequest(0, 100, 2)), EngineConfig.Default(StepTime.Engine.Vllm, d.Device), new FakeSteps());
        Assert.Equal(1, r.Requests.Rejected);
        Assert.Equal(1, r.Requests.Completed);
        Assert.Contains(r.Findings, f => f.Code == "requests-too-long");
    }

    [Fact]
    public void Weights_that_do_not_fit_are_an_error_naming_devices()
    {
        var ex = Assert.Throws<InputException>(() => ServingSimulator.Run(Replica("qwen2-72b", "a100-80gb"), Trace(new TraceRequest(0, 10, 2)), Engine(), new FakeSteps()));
        Assert.Equal("--devices", ex.Field);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_another()
    {
        Workload W(ulong seed) => Workload.Poisson(5, LengthDistribution.LogNormal(500, 300), LengthDistribution.Uniform(50, 300), seed, 500);
        var a = ServingSimulator.Run(Replica(), W(7), Engine(), Roofline.Instance);
        var b = ServingSimulator.Run(Replica(), W(7), Engine(), Roofline.Instance);
        var c = ServingSimulator.Run(Replica(), W(8), Engine(), Roofline.Instance);
        Assert.Equal(a.E2e, b.E2e);
        Assert.Equal(a.Work.Steps, b.Work.Steps);
        Assert.NotEqual(a.E2e.P50, c.E2e.P50);
    }

    [Fact]
    public void Goodput_counts_only_requests_meeting_every_target()
    {
        var w = Trace(new TraceRequest(0, 100, 5), new TraceRequest(10, 1000, 5));
        // First: TTFT 20 ms; second: prefill 1000 tokens = 110 ms. A 50 ms TTFT target passes only the first.
        var r = ServingSimulator.Run(Replica(), w, Engine(), new FakeSteps(), ServingTargets.FromSeconds(0.05, null, null));
        var all = ServingSimulator.Run(Replica(), w, Engine(), new FakeSteps());
        Assert.Equal(all.Throughput.RequestsPerSecond / 2, r.Throughput.GoodputRequestsPerSecond, 12);
    }

    [Property(MaxTest = 40)]
    public Property Every_request_finishes_with_ttft_at_most_e2e_and_tpot_at_least_the_decode_step(PositiveInt concurrency, PositiveInt input, PositiveInt output)
    {
        var c = 1 + concurrency.Get % 40;
        var i = 1 + input.Get % 3000;
        var o = 1 + output.Get % 300;
        var w = Workload.ClosedLoop(c, LengthDistribution.Fixed(i), LengthDistribution.Fixed(o), requests: 3 * c) with { WarmupFraction = 0 };
        var r = ServingSimulator.Run(Replica(), w, Engine(), new FakeSteps());
        var tpotFloor = o == 1 || r.Tpot.P50.Value >= 0.011 - 1e-12;
        return (r.Requests.Completed == 3 * c && r.Ttft.Max <= r.E2e.Max && tpotFloor && r.Work.Preemptions == 0 && !r.Saturated).ToProperty();
    }
}

public class ServingCapacityTests
{
    private static EngineConfig Engine() => EngineConfig.Default(StepTime.Engine.Vllm, CatalogFiles.Embedded.Device("h100-80gb"));

    [Fact]
    public void A_tpot_target_below_the_batch_1_step_is_unreachable_and_names_the_step_time()
    {
        // The fake model's decode step at batch 1 is 11 ms; a 5 ms TPOT target cannot be met at any load.
        var w = Workload.Poisson(1, LengthDistribution.Fixed(500), LengthDistribution.Fixed(100));
        var c = CapacitySearch.Run(ServingSimulatorTests.Replica(), w, Engine(), new FakeSteps(), ServingTargets.FromSeconds(null, 0.005, null));
        Assert.Null(c.MaxRequestsPerSecond);
        Assert.Empty(c.Probes);
        var f = Assert.Single(c.Findings, x => x.Code == "target-unreachable");
        Assert.Contains("TPOT target 5.0 ms is below the 11 ms step time at batch 1", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_search_brackets_the_largest_rate_that_meets_the_targets()
    {
        var w = Workload.Poisson(1, LengthDistribution.Fixed(500), LengthDistribution.Fixed(100), requests: 1000);
        var targets = ServingTargets.FromSeconds(0.5, 0.05, null);
        var c = CapacitySearch.Run(ServingSimulatorTests.Replica(), w, Engine(), new FakeSteps(), targets);
        Assert.NotNull(c.MaxRequestsPerSecond);
        Assert.NotNull(c.AtMax);
        Assert.Null(CapacitySearch.Failing(c.AtMax!, targets, c.MaxRequestsPerSecond));
        var above = c.Probes.Where(p => !p.Meets && p.Load > c.MaxRequestsPerSecond).Min(p => p.Load);
        Assert.True(above / c.MaxRequestsPerSecond!.Value <= 1.02 + 1e-9, $"bracket {c.MaxRequestsPerSecond} .. {above}");
        Assert.Contains(c.LimitingTarget, new[] { "ttft", "tpot", "throughput" });
    }

    [Fact]
    public void Concurrency_mode_finds_a_whole_number_of_clients()
    {
        var w = Workload.ClosedLoop(1, LengthDistribution.Fixed(500), LengthDistribution.Fixed(100), requests: 600);
        var c = CapacitySearch.Run(ServingSimulatorTests.Replica(), w, Engine(), new FakeSteps(), ServingTargets.FromSeconds(null, 0.05, null), CapacityMode.Concurrency);
        // TPOT is about 10 ms + 1 ms x batch (plus prefill interruptions): near 40 clients, never 1,000.
        Assert.InRange(c.MaxConcurrency!.Value, 10, 40);
    }

    [Fact]
    public void A_closed_loop_search_stops_at_as_many_clients_as_its_probes_send_requests_and_says_tpot_alone_does_not_bound_it()
    {
        // 64 running sequences: the fake decode step is at most 10 + 64 = 74 ms, under the 0.5 s TPOT target at any client
        // count (the rest wait in the queue), so only the probe's 600 requests bound the clients one probe holds.
        var w = Workload.ClosedLoop(1, LengthDistribution.Fixed(500), LengthDistribution.Fixed(100), requests: 600);
        var c = CapacitySearch.Run(ServingSimulatorTests.Replica(), w, Engine() with { MaxNumSeqs = 64 }, new FakeSteps(), ServingTargets.FromSeconds(null, 0.5, null), CapacityMode.Concurrency);
        Assert.Equal(600, c.MaxConcurrency);
        Assert.All(c.Probes, p => Assert.InRange(p.Load, 1, 600));
        var f = Assert.Single(c.Findings, x => x.Code == "capacity");
        Assert.Contains("the search reached its upper limit: as many clients as the 600 requests each probe sends", f.Message, StringComparison.Ordinal);
        Assert.Contains("A TPOT target alone does not bound a closed loop", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remedies_try_fp8_wider_tensor_parallelism_and_smaller_models_of_the_family()
    {
        var d = ServingSimulatorTests.Replica("qwen2-72b", "a100-80gb", tp: 4);
        var w = Workload.Poisson(1, LengthDistribution.Fixed(512), LengthDistribution.Fixed(500));
        var c = CapacitySearch.Run(d, w, EngineConfig.Default(StepTime.Engine.Vllm, d.Device), Roofline.Instance, ServingTargets.FromSeconds(null, null, 2.0), candidates: CatalogFiles.Embedded.Models);
        Assert.Null(c.MaxRequestsPerSecond);
        Assert.Contains(c.Remedies, r => r.Change.StartsWith("TP=8", StringComparison.Ordinal));
        Assert.Contains(c.Remedies, r => r.Change == "qwen2.5-32b");
        Assert.Contains(c.Remedies, r => r.Meets);
        Assert.Contains(c.Findings, f => f.Code == "target-unreachable" && f.Message.Contains("would meet it", StringComparison.Ordinal));
    }

    [Fact]
    public void Prediction_returns_the_named_metrics_of_each_scenario()
    {
        var d = ServingSimulatorTests.Replica();
        var offline = ServingPrediction.Predict(d, ScenarioKind.Offline, 100, null, 100, 5, null, new FakeSteps());
        foreach (var name in new[] { "output_tokens_per_s", "total_tokens_per_s", "requests_per_s", "ttft_ms", "tpot_ms", "e2e_ms", "ttft_ms_p90", "tpot_ms_p99", "e2e_ms_p50" })
        {
            Assert.True(offline.ContainsKey(name), name);
        }
        // 100 prompts of 100 tokens fill two 8,192-token steps? No: 10,000 tokens = one 8,192 step and one of 1,808 tokens plus decodes.
        Assert.True(offline["ttft_ms_p99"] > offline["ttft_ms_p50"]);
        var rate = ServingPrediction.Predict(d, ScenarioKind.Rate, null, 2, 100, 5, null, new FakeSteps());
        Assert.InRange(rate["requests_per_s"], 1.6, 2.4);
        var capacity = ServingPrediction.Predict(d, ScenarioKind.Capacity, null, null, 100, 5, ServingTargets.FromSeconds(0.5, null, null), new FakeSteps());
        Assert.True(capacity["max_requests_per_s"] > 0);
    }
}

public class ServingInputTests
{
    [Theory]
    [InlineData("512", "512", 512.0)]
    [InlineData("uniform:256:1024", "uniform:256:1024", 640.0)]
    [InlineData("normal:512:128", "normal:512:128", 512.0)]
    [InlineData("normal:mean=512,sd=128", "normal:512:128", 512.0)]
    [InlineData("lognormal:mean=800,sd=400", "lognormal:mean=800,sd=400", 800.0)]
    [InlineData("empirical:100,200,4000", "empirical:100,200,4000", 1433.3333333333333)]
    public void Length_distributions_parse_from_text_and_print_back(string text, string printed, double mean)
    {
        var d = ServingText.ParseLength(text, Suanli.Text.FieldNames.Input);
        Assert.Equal(printed, d.ToString());
        Assert.Equal(mean, d.Mean, 9);
    }

    [Theory]
    [InlineData("uniform:1024:256")]
    [InlineData("normal:-5:1")]
    [InlineData("normal:512:-1")]
    [InlineData("lognormal:mean=NaN,sd=4")]
    [InlineData("lognormal:mean=800")]
    [InlineData("empirical:")]
    [InlineData("empirical:5,0")]
    [InlineData("0")]
    [InlineData("12.5")]
    [InlineData("gamma:3:4")]
    public void Impossible_distributions_are_errors_naming_the_field_as_each_front_end_spells_it(string text)
    {
        var ex = Assert.Throws<InputException>(() => ServingText.ParseLength(text, Suanli.Text.FieldNames.Input));
        Assert.StartsWith("--input", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Suanli.Text.FieldNames.Input, ex.FieldId);
        foreach (var language in new[] { Suanli.Text.Languages.English, Suanli.Text.Languages.Chinese })
        {
            var web = ex.Text!.Render(language, Suanli.Text.FieldNames.Web);
            Assert.StartsWith("input", web, StringComparison.Ordinal);
            Assert.DoesNotContain("--", web, StringComparison.Ordinal);
        }
    }

    [Property(MaxTest = 50)]
    public Property Samples_stay_within_1_and_the_maximum(NonNegativeInt seed, PositiveInt mean, PositiveInt sd)
    {
        var d = LengthDistribution.LogNormal(1 + mean.Get % 100_000, sd.Get % 200_000);
        var rng = new SplitMix64((ulong)seed.Get);
        var ok = Enumerable.Range(0, 200).Select(_ => d.Sample(ref rng)).All(x => x >= 1 && x <= LengthDistribution.MaxTokens);
        return ok.ToProperty();
    }

    [Fact]
    public void Lognormal_samples_have_the_requested_mean_and_sd()
    {
        var d = LengthDistribution.LogNormal(800, 400);
        var rng = new SplitMix64(3);
        var xs = Enumerable.Range(0, 200_000).Select(_ => (double)d.Sample(ref rng)).ToArray();
        var mean = xs.Average();
        var sd = Math.Sqrt(xs.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, 792, 808);
        Assert.InRange(sd, 390, 410);
    }

    [Fact]
    public void A_trace_with_unsorted_times_is_an_error_with_the_line()
    {
        var ex = Assert.Throws<InputException>(() => ServingText.ParseTrace(["arrival_s,input,output", "0,100,10", "2.5,100,10", "1.0,100,10"], "t.csv"));
        Assert.Contains("t.csv:4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sort the trace", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1,100,10", "arrival seconds")]
    [InlineData("NaN,100,10", "arrival seconds")]
    [InlineData("1,0,10", "input tokens")]
    [InlineData("1,100", "3 columns")]
    public void A_trace_with_bad_values_names_the_column(string row, string expected)
    {
        var ex = Assert.Throws<InputException>(() => ServingText.ParseTrace([row], "t.csv"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("t.csv:1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Zero_negative_or_nan_targets_are_errors_naming_the_field(double value)
    {
        var ex = Assert.Throws<InputException>(() => ServingTargets.FromSeconds(value, null, null));
        Assert.Equal("--ttft-p90", ex.Field);
    }

    [Fact]
    public void A_nan_rate_is_an_error_naming_rate()
    {
        var ex = Assert.Throws<InputException>(() => Workload.Poisson(double.NaN, LengthDistribution.Fixed(1), LengthDistribution.Fixed(1)));
        Assert.Equal("--rate", ex.Field);
    }

    [Fact]
    public void Percentiles_interpolate_between_order_statistics_like_numpy()
    {
        var q = new Quantiles();
        for (var i = 1; i <= 100; i++)
        {
            q.Add(i);
        }
        Assert.Equal(50.5, q.Percentile(50), 12);
        Assert.Equal(90.1, q.Percentile(90), 12);
        Assert.Equal(99.01, q.Percentile(99), 12);
    }

    [Fact]
    public void Past_the_exact_limit_percentiles_stay_within_a_tenth_of_a_percent()
    {
        var q = new Quantiles();
        var n = Quantiles.ExactLimit * 4;
        for (var i = 1; i <= n; i++)
        {
            q.Add(i * 0.001);
        }
        Assert.Equal(0.9 * n * 0.001, q.Percentile(90), 0.9 * n * 0.001 * 0.001);
    }
}
