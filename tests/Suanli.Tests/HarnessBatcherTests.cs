using Suanli.Catalog;
using Suanli.Files;
using Suanli.Serving;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>A harness that hands queries to the engines in batches (docs/methodology-serving.md, "Harness batcher").</summary>
public class HarnessBatcherTests
{
    internal static EngineConfig Vllm() =>
        EngineConfig.Default(StepTime.Engine.Vllm, CatalogFiles.Embedded.Device("h100-80gb")) with { MaxNumSeqs = 256, MaxBatchedTokens = 8192 };

    /// <summary>Poisson arrivals of 100-token prompts with <paramref name="output"/> tokens each, seed 7, on <see cref="FakeSteps"/>.</summary>
    internal static ServingResult Poisson(EngineConfig engine, double rate, int requests, int output = 1) =>
        ServingSimulator.Run(ServingSimulatorTests.Replica(),
            Workload.Poisson(rate, LengthDistribution.Fixed(100), LengthDistribution.Fixed(output), seed: 7, requests: requests), engine, new FakeSteps());

    [Fact]
    public void One_replica_of_eight_gets_the_last_window_of_each_cycle_at_the_cycles_end()
    {
        // 0.3 s windows round robin over 8 replicas: a replica gets a batch every 2.4 s. Its own Poisson clock at
        // rate / 8 over one cycle is the system's stream over the cycle's last 0.3 s, the offset shrunk 8 times.
        var b = new HarnessBatcher(0.3, 8);
        Assert.Equal(2.4, b.CycleSeconds, 12);
        Assert.Equal(2.4, b.Release(1.0), 12);
        Assert.Equal(2.1 + 1.0 / 8, b.Arrival(1.0), 12); // 2.225 s: 0.175 s before the release
        Assert.Equal(4.8, b.Release(2.4), 12);
        Assert.Equal(4.5, b.Arrival(2.4), 12); // the first query of a window waits the whole 0.3 s
        Assert.Equal(4.8, b.Release(4.7), 12);
        Assert.Equal(4.5 + 2.3 / 8, b.Arrival(4.7), 12); // 4.7875 s: 12.5 ms before the release
        // With one replica the arrival is the query's own time and the release the end of its 0.3 s window.
        var one = new HarnessBatcher(0.3, 1);
        Assert.Equal(0.7, one.Arrival(0.7), 12);
        Assert.Equal(0.9, one.Release(0.7), 12);
    }

    [Fact]
    public void A_single_query_waits_for_the_end_of_its_window_before_its_prefill()
    {
        // One request at rate 2/s, seed 7: drawn at a = Exp(1) / 2 on the replica's clock. FakeSteps prefill of 100
        // tokens alone: 10 + 0.1 x 100 = 20 ms. Without a batcher TTFT = 20 ms; with 0.3 s over 8 replicas the query
        // reaches the engine at Release(a) and counts from Arrival(a).
        var rng = new SplitMix64(7);
        var a = rng.NextExponential() / 2;
        var b = new HarnessBatcher(0.3, 8);
        var plain = Poisson(Vllm(), 2, 1);
        Assert.Equal(0.020, plain.Ttft.Max.Value, 12);
        var batched = Poisson(Vllm() with { Batcher = b }, 2, 1);
        Assert.Equal(b.Release(a) - b.Arrival(a) + 0.020, batched.Ttft.Max.Value, 9);
    }

    [Fact]
    public void At_light_load_the_batcher_adds_half_a_window_to_the_mean_ttft_and_at_most_a_window()
    {
        // 0.05 requests/s per replica, one output token: a query mostly runs alone (20 ms) or beside another of its
        // batch (one step of 10 + 20 ms). Arrivals are uniform over the 0.3 s window, so the wait is 0.15 s on average
        // (2,000 requests: standard error 0.3 / sqrt(12 x 1,800) = 2 ms) and never more than 0.3 s.
        var b = new HarnessBatcher(0.3, 8);
        var plain = Poisson(Vllm(), 0.05, 2000);
        var batched = Poisson(Vllm() with { Batcher = b }, 0.05, 2000);
        Assert.InRange(plain.Ttft.Mean.Value, 0.020 - 1e-9, 0.0215);
        Assert.InRange(batched.Ttft.Mean.Value - plain.Ttft.Mean.Value, 0.14, 0.16);
        Assert.True(batched.Ttft.Max.Value <= 0.3 + 0.040, $"max TTFT {batched.Ttft.Max.Value}");
    }

    [Fact]
    public void Amd_mlperf_server_rows_are_simulated_with_the_harness_batcher_over_their_replicas()
    {
        var catalog = CatalogFiles.Embedded;
        var predictor = new InferencePredictor(catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var rows = MeasurementFiles.Read("data/mlperf-v4.1-inference.csv").Rows.OfType<InferenceMeasurement>().ToList();
        EngineConfig For(string id) => predictor.EngineFor(predictor.Resolve(rows.Single(r => r.Id == id), out _)!);
        // AMD's SyncServer harness: --enable-batcher, batcher_threshold 0.3 s, round robin over the 8 data-parallel engines.
        Assert.Equal(new HarnessBatcher(0.3, 8), For("inf-017").Batcher);
        Assert.Equal(new HarnessBatcher(0.3, 1), For("inf-015").Batcher);
        // Offline rows and NVIDIA's harness hand queries over as they come.
        Assert.Null(For("inf-016").Batcher);
        Assert.Null(For("inf-002").Batcher);
    }

    [Fact]
    public void A_batcher_window_outside_its_range_is_refused_with_its_line()
    {
        const string header = MeasurementFiles.InferenceHeader + ",batcher_window_s";
        var text = header + "\n"
            + "r1,meta-llama/Llama-2-70b-chat-hf,amd-mi300x,8,fp8,fp8,vllm,capacity,,,222.3,293.1,2,0.2,output_tokens_per_s,21028,src,n,0.3\n"
            + "r2,meta-llama/Llama-2-70b-chat-hf,amd-mi300x,8,fp8,fp8,vllm,capacity,,,222.3,293.1,2,0.2,output_tokens_per_s,21028,src,n,0\n";
        var file = MeasurementFiles.Parse(text, "rows.csv");
        Assert.Equal(0.3, Assert.IsType<InferenceMeasurement>(Assert.Single(file.Rows)).BatcherWindowSeconds);
        var problem = Assert.Single(file.Problems);
        Assert.Equal("batcher_window_s", problem.Field);
        Assert.Equal(3, problem.Location!.Line);
    }
}
