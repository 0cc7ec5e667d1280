using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Capacity of long-prompt serving (issue 11): how prefill chunks that share a step with decodes set the per-request
/// TPOT (docs/methodology-serving.md, "Long prompts under a TPOT target").
/// </summary>
public class LongPromptCapacityTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static Deployment Llama405BOnTwoB200() =>
        new(Catalog.Model("meta-llama/Llama-3.1-405B-Instruct"), Catalog.Device("nvidia-b200-sxm"), Layouts.Make(Catalog.Model("meta-llama/Llama-3.1-405B-Instruct").Architecture, 2, 1),
            WeightPrecision.Parse("fp4"), NumberFormat.Fp8, Engine.TrtLlm);

    private static ServingResult AtMlperfLengths(int maxBatchedTokens)
    {
        var d = Llama405BOnTwoB200();
        var input = LengthDatasets.Input("mlperf-llama3-1-405b", "input");
        var output = LengthDatasets.OutputWithMean("mlperf-llama3-1-405b", 656.9, "output");
        return ServingSimulator.Run(d, Workload.Poisson(0.4, input, output, 1, 300),
            EngineConfig.Default(Engine.TrtLlm, d.Device) with { MaxNumSeqs = 2048, MaxBatchedTokens = maxBatchedTokens }, CalibrationFiles.Default);
    }

    [Fact]
    public void Tpot_p99_of_a_long_prompt_replica_grows_with_the_prefill_chunk_its_decodes_share_a_step_with()
    {
        // Llama 3.1 405B FP4 on 2 x B200 at 0.4 requests/s of MLPerf's prompts (mean 9,429 tokens): TensorRT-LLM schedules
        // the running decodes first and fills the rest of max_num_tokens with a prompt's chunk, so every decode of a step
        // waits for the chunk. A larger budget puts more of a prompt into one step: the steps a request decodes through
        // are longer, and its TPOT, (latency - TTFT) / (tokens - 1), with them; the same load is served either way.
        var small = AtMlperfLengths(2048);
        var large = AtMlperfLengths(16384);
        Assert.True(large.Tpot.P99.Value > small.Tpot.P99.Value, $"TPOT p99 {large.Tpot.P99.Value} at 16,384 tokens, {small.Tpot.P99.Value} at 2,048");
        Assert.InRange(large.Throughput.RequestsPerSecond / small.Throughput.RequestsPerSecond, 0.99, 1.01);
    }

    [Fact]
    public void Tpot_p99_of_a_long_prompt_replica_is_set_by_the_prefill_work_its_load_brings_not_by_one_chunk()
    {
        // MLPerf's per-request TPOT averages over all of a request's output tokens (99% of the 405B dataset's answers have 192 or more), so a
        // single 16,384-token chunk step is diluted: the p99 stays far below that step's own time, near the mean step
        // time of a replica that spends a share of its time on the prompts that arrive (docs/methodology-serving.md,
        // "Long prompts under a TPOT target").
        var d = Llama405BOnTwoB200();
        var model = CalibrationFiles.Default;
        var chunkStep = model.Estimate(d, new StepShape(16384, 0, 0, 0)).Time.Value;
        var r = AtMlperfLengths(16384);
        Assert.True(r.Tpot.P99.Value < chunkStep / 4, $"TPOT p99 {r.Tpot.P99.Value} s, one 16,384-token chunk {chunkStep} s");
        Assert.True(r.Tpot.P99.Value > r.DecodeStepAtBatch1.Value, $"TPOT p99 {r.Tpot.P99.Value} s");
    }
}
