using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Validation;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>Engine scheduler rules in the serving simulator (docs/methodology-serving.md, "Engine defaults" and "Step policies").</summary>
public class SchedulerTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static EngineConfig Vllm(int maxSeqs = 256, int maxTokens = 8192) =>
        EngineConfig.Default(StepTime.Engine.Vllm, Catalog.Device("h100-80gb")) with { MaxNumSeqs = maxSeqs, MaxBatchedTokens = maxTokens };

    private static ServingResult Run(EngineConfig engine, params TraceRequest[] requests) =>
        ServingSimulator.Run(ServingSimulatorTests.Replica(), Workload.FromTrace(requests), engine, new FakeSteps());

    [Fact]
    public void A_mixed_step_adds_a_new_prompt_to_the_running_decodes_and_a_prefill_first_step_holds_them()
    {
        // FakeSteps: 10 ms per step + 1 ms per decoding sequence + 0.1 ms per prefill token.
        // A (100 prompt, 5 out) at 0; B (100 prompt, 2 out) at 25 ms.
        // Mixed: A prefill 20 ms; A decode 11 (31); A decode + B prefill 21 (52, B's first token, TTFT 27 ms);
        // A + B decode 12 (64, B done); A decode 11 (75, A done): 5 steps.
        var mixed = Run(Vllm(), new TraceRequest(0, 100, 5), new TraceRequest(0.025, 100, 2));
        Assert.Equal(5, mixed.Work.Steps);
        Assert.Equal(0.075, mixed.E2e.Max.Value, 12);
        Assert.Equal(0.027, mixed.Ttft.Max.Value, 12);
        // Prefill first: A prefill 20; A decode 11 (31); B prefill alone 20 (51, TTFT 26 ms; A waits); A + B decode 12
        // (63, B done); A decode 11 (74); A decode 11 (85, A done): 6 steps, A 10 ms later.
        var first = Run(Vllm() with { Policy = StepPolicy.PrefillFirst }, new TraceRequest(0, 100, 5), new TraceRequest(0.025, 100, 2));
        Assert.Equal(6, first.Work.Steps);
        Assert.Equal(0.085, first.E2e.Max.Value, 12);
        Assert.Equal(0.026, first.Ttft.Max.Value, 12);
    }

    [Fact]
    public void Without_chunked_prefill_a_prompt_waits_for_a_step_with_room_for_all_of_it()
    {
        // Budget 256 tokens. A (100, 3 out) and B (250, 2 out) at 0.
        // Chunked: A 100 + B's first 156 in one step (10 + 25.6 ms: A's first token at 35.6 ms); then A's decode + B's
        // last 94 (10 + 1 + 9.4 ms: B's first token at 56 ms). Mean TTFT (35.6 + 56) / 2 = 45.8 ms.
        var chunked = Run(Vllm(16, 256), new TraceRequest(0, 100, 3), new TraceRequest(0, 250, 2));
        Assert.Equal(0.0458, chunked.Ttft.Mean.Value, 12);
        Assert.Equal(0.056, chunked.Ttft.Max.Value, 12);
        // Whole prompts: B (250) does not fit the 156 left, so A runs alone (10 + 10 = 20 ms); B then joins A's decode
        // whole (10 + 1 + 25 = 36 ms: first token at 56 ms). Mean TTFT (20 + 56) / 2 = 38 ms.
        var whole = Run(Vllm(16, 256) with { ChunkedPrefill = false }, new TraceRequest(0, 100, 3), new TraceRequest(0, 250, 2));
        Assert.Equal(0.038, whole.Ttft.Mean.Value, 12);
        Assert.Equal(0.056, whole.Ttft.Max.Value, 12);
        // A prompt longer than the whole budget is still served when nothing else runs: 256 (35.6 ms) then 44 (14.4 ms).
        var longer = Run(Vllm(16, 256) with { ChunkedPrefill = false }, new TraceRequest(0, 300, 1));
        Assert.Equal(0.050, longer.Ttft.Max.Value, 12);
    }

    [Fact]
    public void Sglang_defaults_to_prefill_only_steps_and_the_others_mix()
    {
        var h100 = Catalog.Device("h100-80gb");
        Assert.Equal(StepPolicy.PrefillFirst, EngineConfig.Default(StepTime.Engine.Sglang, h100).Policy);
        Assert.Equal(StepPolicy.Mixed, EngineConfig.Default(StepTime.Engine.Vllm, h100).Policy);
        Assert.Equal(StepPolicy.Mixed, EngineConfig.Default(StepTime.Engine.TrtLlm, h100).Policy);
        Assert.True(EngineConfig.Default(StepTime.Engine.Sglang, h100).ChunkedPrefill);
    }

    [Fact]
    public void Measurement_rows_accept_the_engine_limits_the_source_configured()
    {
        const string header = MeasurementFiles.InferenceHeader + ",max_num_seqs,max_num_tokens,chunked_prefill";
        var text = header + "\n"
            + "r1,meta-llama/Llama-2-70b-chat-hf,amd-mi300x,8,fp8,fp8,vllm,capacity,,,222.3,293.1,2,0.2,output_tokens_per_s,21028,src,n,768,65536,false\n"
            + "r2,meta-llama/Llama-2-70b-chat-hf,amd-mi300x,8,fp8,fp8,vllm,capacity,,,222.3,293.1,2,0.2,output_tokens_per_s,21028,src,n,,,maybe\n";
        var file = MeasurementFiles.Parse(text, "rows.csv");
        var row = Assert.IsType<InferenceMeasurement>(Assert.Single(file.Rows));
        Assert.Equal(768, row.MaxNumSeqs);
        Assert.Equal(65536, row.MaxNumTokens);
        Assert.False(row.ChunkedPrefill);
        var problem = Assert.Single(file.Problems);
        Assert.Equal("chunked_prefill", problem.Field);
        Assert.Equal(3, problem.Location!.Line);
        Assert.Contains("must be true or false", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mlperf_rows_are_simulated_with_their_submitters_limits()
    {
        var predictor = new InferencePredictor(Catalog, CalibrationFiles.Default, CalibrationFiles.Embedded);
        var rows = MeasurementFiles.Read("data/mlperf-v4.1-inference.csv").Rows.OfType<InferenceMeasurement>().ToList();
        EngineConfig For(string id) => predictor.EngineFor(predictor.Resolve(rows.Single(r => r.Id == id), out _)!);
        // NVIDIA DGX H100 llama2-70b Server: gpu_batch_size 1024, max_num_tokens 4096 per TP2 instance, in-flight batching.
        var nvidia = For("inf-002");
        Assert.Equal((1024, 4096, true, StepPolicy.Mixed), (nvidia.MaxNumSeqs, nvidia.MaxBatchedTokens, nvidia.ChunkedPrefill, nvidia.Policy));
        // AMD 8 x MI300X vLLM Server: max_num_seqs 768, max_num_batched_tokens 65536, chunked prefill off (vLLM V0: prefill-only steps).
        var amd = For("inf-017");
        Assert.Equal((768, 65536, false, StepPolicy.PrefillFirst), (amd.MaxNumSeqs, amd.MaxBatchedTokens, amd.ChunkedPrefill, amd.Policy));
        // A row that states nothing keeps the engine's defaults (TensorRT-LLM: 2,048 sequences, 8,192 tokens).
        var plain = For("inf-020");
        Assert.Equal((2048, 8192, true, StepPolicy.Mixed), (plain.MaxNumSeqs, plain.MaxBatchedTokens, plain.ChunkedPrefill, plain.Policy));
        // NVIDIA's MLPerf harness runs MAX_UTILIZATION (main_llm.cc), not TensorRT-LLM's guaranteed-no-evict default.
        Assert.False(nvidia.ReserveWholeSequence);
        Assert.False(plain.ReserveWholeSequence);
        Assert.False(EngineConfig.Default(StepTime.Engine.TrtLlm, Catalog.Device("h100-80gb")).ReserveWholeSequence);
        Assert.False(EngineConfig.Default(StepTime.Engine.Vllm, Catalog.Device("h100-80gb")).ReserveWholeSequence);
    }

    [Fact]
    public void A_capacity_scheduler_other_than_the_two_policies_is_refused_with_its_line()
    {
        const string header = MeasurementFiles.InferenceHeader + ",capacity_scheduler";
        var text = header + "\n"
            + "r1,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,fp8,fp8,trtllm,offline,,,128,128,,,output_tokens_per_s,9000,src,n,max_utilization\n"
            + "r2,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,fp8,fp8,trtllm,offline,,,128,128,,,output_tokens_per_s,9000,src,n,guaranteed_no_evict\n"
            + "r3,meta-llama/Llama-3.1-8B,nvidia-h100-sxm5-80gb,1,fp8,fp8,trtllm,offline,,,128,128,,,output_tokens_per_s,9000,src,n,static_batch\n";
        var file = MeasurementFiles.Parse(text, "rows.csv");
        Assert.Equal([false, true], file.Rows.OfType<InferenceMeasurement>().Select(r => r.ReserveWholeSequence!.Value));
        var problem = Assert.Single(file.Problems);
        Assert.Equal("capacity_scheduler", problem.Field);
        Assert.Equal(4, problem.Location!.Line);
        Assert.Contains("guaranteed_no_evict or max_utilization", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_of_t_tokens_reads_the_expected_number_of_distinct_experts()
    {
        // Mixtral 8x7B, top-2 of 8: 3 tokens touch 8 (1 - (1 - 2/8)^3) = 8 x 0.578125 = 4.625 experts in expectation.
        var m = Catalog.Model("mixtral-8x7b");
        var a = m.Architecture;
        var d = new Deployment(m, Catalog.Device("h100-80gb"), Layouts.Make(a, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, StepTime.Engine.Vllm);
        var experts = new PreparedStep(d, StepTimeParameters.Ideal).Operators(StepShape.Decode(3, 100)).Single(o => o.Kind == OperatorKind.Experts);
        var expert = 3.0 * a.HiddenSize * a.Moe!.ExpertIntermediateSize * 2;
        var router = (double)a.HiddenSize * a.Moe.Experts * 2;
        Assert.Equal(a.MoeLayers * (4.625 * expert + router), experts.WeightBytes.Value, 1e-6 * experts.WeightBytes.Value);
    }
    [Fact]
    public void Guaranteed_no_evict_admits_a_request_only_when_kv_for_its_prompt_and_whole_output_fits()
    {
        // K tokens of KV (no watermark); two requests of P = 16 floor(K / 32) prompt tokens and 100 output tokens at 0.
        // Their prompts fit together (2 P <= K) but their whole sequences (P + 99 tokens each, 7 blocks more than the
        // prompt) do not. FakeSteps: 10 ms per step + 1 ms per decode + 0.1 ms per prefill token; 8,192 tokens per step.
        var engine = Vllm(256, 8192) with { Watermark = 0 };
        var kv = ServingSimulator.KvCapacity(ServingSimulatorTests.Replica(), engine);
        var p = (int)(16 * (kv / 32));
        var chunks = (p + 8191) / 8192;
        var prefill = 0.010 * chunks + 0.0001 * p;
        // Guaranteed no evict: A prefills alone (first token at t1 = the prefill time), decodes 99 times (11 ms each,
        // 1.089 s) and frees its blocks; only then is B admitted: B's first token at 2 t1 + 1.089 s, its last at
        // 2 t1 + 2.178 s; nothing is preempted.
        var reserved = Run(engine with { ReserveWholeSequence = true }, new TraceRequest(0, p, 100), new TraceRequest(0, p, 100));
        Assert.Equal(0, reserved.Work.Preemptions);
        Assert.Equal(2 * chunks + 2 * 99, reserved.Work.Steps);
        Assert.Equal(2 * prefill + 1.089, reserved.Ttft.Max.Value, 9);
        Assert.Equal(2 * prefill + 2.178, reserved.E2e.Max.Value, 9);
        // Blocks taken as decoding needs them (vLLM, MAX_UTILIZATION): B is admitted beside A's last prefill chunk, the
        // cache fills, and B (the later) is preempted when one of A's decodes needs a new block.
        var grown = Run(engine, new TraceRequest(0, p, 100), new TraceRequest(0, p, 100));
        Assert.True(grown.Work.Preemptions > 0);
        Assert.Equal(2, grown.Requests.Completed);
    }
}
