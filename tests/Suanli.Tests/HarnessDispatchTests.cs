using Suanli.Catalog;
using Suanli.Files;
using Suanli.Serving;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A harness that sends each request to the replica with the fewest requests in flight (docs/methodology-serving.md,
/// "Harness dispatch").
/// </summary>
public class HarnessDispatchTests
{
    private static EngineConfig Vllm() => HarnessBatcherTests.Vllm();

    private static ServingResult Poisson(EngineConfig engine, double rate, int requests, int output = 1) =>
        HarnessBatcherTests.Poisson(engine, rate, requests, output);

    [Fact]
    public void A_request_goes_to_an_idle_replica_while_one_is_idle_so_its_ttft_is_its_prefill_alone()
    {
        // One output token, so a request lives one prefill step: FakeSteps 10 + 0.1 x 100 = 20 ms alone. At 5 requests/s
        // per replica a replica is busy about 10% of the time: split at random, about one request in ten arrives at a
        // busy replica and waits (p99 above 20 ms); sent to the least busy of 4, a request waits only when all 4 are
        // busy (system load 20/s x 20 ms = 0.4 requests in flight on average, so under 1% of arrivals), and its
        // TTFT is its prefill alone at p99.
        var random = Poisson(Vllm(), 5, 2000);
        var leastBusy = Poisson(Vllm() with { Dispatch = new HarnessDispatch(4) }, 5, 2000);
        Assert.Equal(0.020, leastBusy.Ttft.P50.Value, 12);
        Assert.Equal(0.020, leastBusy.Ttft.P99.Value, 12);
        Assert.True(random.Ttft.P99.Value > 0.025, $"random split p99 TTFT {random.Ttft.P99.Value}");
        // 4 replicas each drew about 2,000 requests; the figures are one replica's share.
        Assert.InRange(leastBusy.Requests.Issued, 7600, 8400);
        Assert.InRange(leastBusy.Throughput.RequestsPerSecond, 5 * 0.95, 5 * 1.05);
        Assert.InRange(leastBusy.Throughput.Output.InTokensPerSecond, 5 * 0.95, 5 * 1.05);
    }

    [Fact]
    public void Under_dispatch_more_load_never_lowers_p99_tpot_and_a_larger_token_budget_never_lowers_it()
    {
        // 200 output tokens; per-replica rates from light to heavy (a decode step of b sequences: 10 + b ms).
        var engine = Vllm() with { Dispatch = new HarnessDispatch(4) };
        var previous = 0.0;
        foreach (var rate in new[] { 1.0, 4.0, 16.0, 32.0 })
        {
            var r = Poisson(engine, rate, 400, output: 200);
            Assert.True(r.Tpot.P99.Value >= previous, $"p99 TPOT {r.Tpot.P99.Value} at {rate}/s below {previous} at the lower load");
            previous = r.Tpot.P99.Value;
        }
        // A step holds every decode whatever the budget, so a budget of 8,192 against 512 tokens only lets more
        // prompts share a step: the p99 TPOT at the same load is never lower with the smaller budget.
        var small = Poisson(engine with { MaxBatchedTokens = 512 }, 16, 400, output: 200);
        var large = Poisson(engine, 16, 400, output: 200);
        Assert.True(large.Tpot.P99.Value >= small.Tpot.P99.Value - 1e-9,
            $"p99 TPOT {large.Tpot.P99.Value} with 8,192 tokens below {small.Tpot.P99.Value} with 512");
    }

    [Fact]
    public void The_dispatch_column_reads_least_busy_or_random_and_refuses_anything_else_with_its_line()
    {
        const string header = MeasurementFiles.InferenceHeader + ",tp,replicas,dispatch";
        var text = header + "\n"
            + "r1,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,capacity,,,222.3,290.3,2,0.2,output_tokens_per_s,21606,src,n,2,4,least_busy\n"
            + "r2,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,capacity,,,222.3,290.3,2,0.2,output_tokens_per_s,21606,src,n,2,4,random\n"
            + "r3,meta-llama/Llama-2-70b-chat-hf,nvidia-h100-sxm5-80gb,8,fp8,fp8,trtllm,capacity,,,222.3,290.3,2,0.2,output_tokens_per_s,21606,src,n,2,4,shortest\n";
        var file = MeasurementFiles.Parse(text, "rows.csv");
        var rows = file.Rows.OfType<InferenceMeasurement>().ToList();
        Assert.True(rows.Count == 2, string.Join("; ", file.Problems.Select(p => p.Field + ": " + p.Detail)));
        Assert.True(rows[0].LeastBusyDispatch);
        Assert.False(rows[1].LeastBusyDispatch);
        var problem = Assert.Single(file.Problems);
        Assert.Equal("dispatch", problem.Field);
        Assert.Equal(4, problem.Location!.Line);

        var predictor = new InferencePredictor(CatalogFiles.Embedded, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var resolved = predictor.Resolve(rows[0], out _)!;
        Assert.Equal(new HarnessDispatch(4), predictor.EngineFor(resolved).Dispatch);
        Assert.Null(predictor.EngineFor(predictor.Resolve(rows[1], out _)!).Dispatch);
    }
}
