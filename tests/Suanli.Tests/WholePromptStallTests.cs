using Suanli.Files;
using Suanli.Serving;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// How a long prompt shares a step with running decodes, with and without chunked prefill (docs/methodology-serving.md,
/// "Latency at the published load": the record of what step time the published latencies ask for).
/// </summary>
public class WholePromptStallTests
{
    private static EngineConfig Mixed(int maxTokens, bool chunked) =>
        EngineConfig.Default(StepTime.Engine.Vllm, CatalogFiles.Embedded.Device("h100-80gb"))
            with { MaxNumSeqs = 16, MaxBatchedTokens = maxTokens, ChunkedPrefill = chunked };

    private static ServingResult Run(EngineConfig engine) =>
        ServingSimulator.Run(ServingSimulatorTests.Replica(), Workload.FromTrace([new TraceRequest(0, 100, 4), new TraceRequest(0.015, 8000, 2)]),
            engine, new FakeSteps());

    [Fact]
    public void A_whole_prompt_puts_its_whole_prefill_into_the_gap_of_every_decode_in_its_step()
    {
        // FakeSteps: 10 ms per step + 1 ms per decoding sequence + 0.1 ms per prefill token.
        // A (100 prompt, 4 out) at 0; B (8,000 prompt, 2 out) arrives at 15 ms, during A's prefill (20 ms).
        // Whole prompts, 8,192 tokens per step: A's decode + all of B: 10 + 1 + 800 = 811 ms (to 831 ms, B's first
        // token: TTFT 816 ms); A + B decode 12 ms (843, B done); A decode 11 ms (854, A done). A's TPOT
        // (854 - 20) / 3 = 278 ms: one of its three gaps is B's whole prefill.
        var whole = Run(Mixed(8192, chunked: false));
        Assert.Equal(4, whole.Work.Steps);
        Assert.Equal(0.278, whole.Tpot.Max.Value, 12);
        Assert.Equal(0.816, whole.Ttft.Max.Value, 12);
        // Chunked at 2,048 tokens per step: A's decode + 2,047 of B, three times (215.7 ms each: A done at 667.1 ms, TPOT
        // 215.7 ms); then B's last 1,859 alone (195.9 ms: first token at 863 ms, TTFT 848 ms) and B's decode (11 ms).
        // Every gap of A holds one chunk, never the whole prompt.
        var chunked = Run(Mixed(2048, chunked: true));
        Assert.Equal(6, chunked.Work.Steps);
        Assert.Equal(0.2157, chunked.Tpot.Max.Value, 12);
        Assert.Equal(0.848, chunked.Ttft.Max.Value, 12);
    }
}
