using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class SpeculationTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static Deployment Deploy(string model, string device = "nvidia-h100-sxm5-80gb", int tp = 1, NumberFormat? weights = null, Engine engine = Engine.Vllm)
    {
        var m = Catalog.Model(model);
        var w = weights ?? NumberFormat.Bf16;
        return new Deployment(m, Catalog.Device(device), Layouts.Make(m.Architecture, tp, 1), w, NumberFormat.KvFormats.Contains(w) ? w : NumberFormat.Fp16, engine);
    }

    /// <summary>A step-time model with round numbers: target 10 ms + 1 ms per extra verified query token, any other model 2 ms.</summary>
    internal sealed class RoundNumbers(string target) : IStepTimeModel
    {
        public StepEstimate Estimate(Deployment deployment, StepShape shape)
        {
            var ms = deployment.Model.Id == target ? 10.0 + (shape.DecodeQueryLength - 1) : 2.0;
            var t = Quantities.Duration.FromSeconds(ms / 1000);
            return new StepEstimate(t, t, t, Quantities.Duration.Zero, Quantities.Duration.Zero, Bottleneck.MemoryBandwidth, Quantities.Flop.Zero, Quantities.Bytes.Zero);
        }
    }

    [Fact]
    public void Expected_tokens_per_step_is_leviathans_geometric_sum()
    {
        // (1 - a^(k+1)) / (1 - a): a = 0.8, k = 3 -> (1 - 0.4096) / 0.2 = 2.952; a = 0.85, k = 1 -> 1 + 0.85 = 1.85.
        var target = Catalog.Model("deepseek-v3");
        Assert.Equal(2.952, Speculation.Create(SpeculationKind.Eagle, 3, 0.8, target).ExpectedTokensPerStep, 12);
        Assert.Equal(1.85, Speculation.Create(SpeculationKind.Mtp, 1, 0.85, target).ExpectedTokensPerStep, 12);
    }

    [Fact]
    public void Tpot_is_verify_plus_k_draft_passes_over_the_expected_tokens_by_hand()
    {
        // Target llama-3.1-8b, draft llama-3.2-1b, k = 3, a = 0.8. Verify (4 query tokens) = 10 + 3 = 13 ms; draft = 3 x 2 ms = 6 ms;
        // step = 19 ms; expected tokens = 2.952; TPOT = 19 / 2.952 = 6.43631 ms against 10 ms without speculation.
        var d = Deploy("llama-3.1-8b");
        var s = Speculation.Create(SpeculationKind.DraftModel, 3, 0.8, d.Model, Catalog.Model("llama-3.2-1b"));
        var step = SpeculativeDecoding.Decode(new RoundNumbers(d.Model.Id), d, s, 1, 1000);
        Assert.Equal(0.013, step.Verify.Value, 12);
        Assert.Equal(0.006, step.Draft.Value, 12);
        Assert.Equal(0.019 / 2.952, step.TimePerOutputToken.Value, 12);
    }

    [Fact]
    public void Verifying_k_plus_1_tokens_reads_the_weights_once_and_does_k_plus_1_times_the_matmul_arithmetic()
    {
        var d = Deploy("llama-3.1-8b");
        var p = new PreparedStep(d, StepTimeParameters.Ideal);
        var one = p.Operators(StepShape.Decode(1, 1000)).ToDictionary(o => o.Kind);
        var four = p.Operators(new StepShape(0, 0, 1, 1000, 4)).ToDictionary(o => o.Kind);
        foreach (var kind in new[] { OperatorKind.QkvProjection, OperatorKind.OutputProjection, OperatorKind.Mlp, OperatorKind.LmHead })
        {
            Assert.Equal(one[kind].WeightBytes.Value, four[kind].WeightBytes.Value);
            Assert.Equal(4 * one[kind].Flop.Value, four[kind].Flop.Value, one[kind].Flop.Value * 1e-9);
        }
        // The cached KV is read once per sequence (all four queries in one tile); only the 4 new tokens' KV writes differ.
        var a = d.Model.Architecture;
        var perToken = 2.0 * a.KvHeads * a.HeadDim * 2 * a.Layers;
        Assert.Equal(one[OperatorKind.Attention].KvBytes.Value + 3 * perToken, four[OperatorKind.Attention].KvBytes.Value, perToken * 1e-9);
    }

    [Fact]
    public void A_query_length_of_one_is_the_ordinary_decode_step()
    {
        var d = Deploy("qwen3-30b-a3b");
        var model = CalibrationFiles.Default;
        Assert.Equal(model.Estimate(d, StepShape.Decode(8, 2048)), model.Estimate(d, new StepShape(0, 0, 8, 2048, 1)));
    }

    [Property(MaxTest = 60)]
    public Property Acceptance_near_zero_is_never_faster_than_no_speculation_and_costs_at_most_the_verify_and_draft_overhead(PositiveInt batchSeed, PositiveInt kSeed)
    {
        var d = Deploy("llama-3.1-8b");
        var batch = 1 + batchSeed.Get % 64;
        var k = 1 + kSeed.Get % 8;
        var model = CalibrationFiles.Default;
        var plain = model.Estimate(d, StepShape.Decode(batch, 1500)).Time.Value;
        var s = Speculation.Create(SpeculationKind.Eagle, k, 1e-9, d.Model);
        var step = SpeculativeDecoding.Decode(model, d, s, batch, 1500);
        var overhead = step.Verify.Value - plain + step.Draft.Value;
        return (step.TimePerOutputToken.Value >= plain && step.TimePerOutputToken.Value <= plain + overhead + 1e-12)
            .Label($"batch {batch}, k {k}: plain {plain}, speculative {step.TimePerOutputToken.Value}");
    }

    [Property(MaxTest = 60)]
    public Property Higher_acceptance_is_never_slower(PositiveInt kSeed, PositiveInt aSeed, PositiveInt bSeed)
    {
        var d = Deploy("llama-3.1-8b");
        var k = 1 + kSeed.Get % 8;
        var a1 = 0.01 + aSeed.Get % 97 / 100.0;
        var a2 = Math.Min(0.999, a1 + (1 + bSeed.Get % 50) / 100.0);
        var model = CalibrationFiles.Default;
        var low = SpeculativeDecoding.Decode(model, d, Speculation.Create(SpeculationKind.Eagle, k, a1, d.Model), 4, 1000).TimePerOutputToken.Value;
        var high = SpeculativeDecoding.Decode(model, d, Speculation.Create(SpeculationKind.Eagle, k, a2, d.Model), 4, 1000).TimePerOutputToken.Value;
        return (high <= low).Label($"k {k}: a {a1} -> {low}, a {a2} -> {high}");
    }

    [Theory]
    [InlineData("eagle", 0.0, null, "--accept")]
    [InlineData("eagle", 1.0, null, "--accept")]
    [InlineData("eagle", 1.5, null, "--accept")]
    [InlineData("eagle", 0.7, 0, "--draft-tokens")]
    [InlineData("mtp", 0.8, null, "--speculate")]
    [InlineData("draft:no-such-model", 0.7, null, "--speculate")]
    [InlineData("draft:llama-3.1-70b", 0.7, null, "--speculate")]
    [InlineData("medusa", 0.7, null, "--speculate")]
    public void Bad_speculation_input_gives_an_error_naming_its_option(string speculate, double accept, int? k, string field)
    {
        var target = Catalog.Model("llama-3.1-8b");
        var ex = Assert.ThrowsAny<InputException>(() => PerfRun.ParseSpeculation(speculate, accept, k, target, (n, f) => Catalog.Model(n, f)));
        Assert.Equal(field, ex.Field);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Perf_without_speculation_has_no_speculation_section_and_with_it_the_cli_exits_2_on_bad_acceptance()
    {
        var (code, output, _, _) = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--batch", "1", "--format", "json");
        Assert.Equal(0, code);
        Assert.DoesNotContain("\"speculation\"", output);
        var bad = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--speculate", "eagle", "--accept", "1.2");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--accept", bad.Err);
    }

    [Fact]
    public void DeepSeek_v3_mtp_on_h200_tp8_within_the_stated_error_of_sglangs_published_speedup()
    {
        // Published: SGLang's DeepSeek-V3 guide (docs.sglang.ai, "Multi-token Prediction"): MTP improves decoding speed
        // 1.8x at batch 1 and 1.5x at batch 32 on H200 with TP 8. Acceptance: the DeepSeek-V3 report (arXiv:2412.19437,
        // section 5.4.3) gives 85-90% for the second token; we take 0.875 and one MTP module (k = 1).
        // Predicted (this model, FP8, 1,024 in / 256 out): 1.35x at batch 1 (-25%), 1.38x at batch 32 (-7.8%).
        // The gap at batch 1: verifying 2 tokens touches about twice the routed experts (16 of 256 instead of 8), which
        // this model charges in full; the engine's batch-1 step is closer to launch- and communication-bound.
        var m = Catalog.Model("deepseek-v3");
        var d = new Deployment(m, Catalog.Device("nvidia-h200-sxm-141gb"), Layouts.Make(m.Architecture, 8, 1), NumberFormat.Fp8, NumberFormat.Fp8, Engine.Sglang);
        var s = Speculation.Create(SpeculationKind.Mtp, 1, 0.875, m);
        var model = CalibrationFiles.Default;
        double Speedup(int batch) =>
            model.Estimate(d, StepShape.Decode(batch, 1024 + 128)).Time.Value / SpeculativeDecoding.Decode(model, d, s, batch, 1024 + 128).TimePerOutputToken.Value;
        var b1 = Speedup(1);
        var b32 = Speedup(32);
        Assert.InRange(b1 / 1.8 - 1, -0.35, 0);
        Assert.InRange(b32 / 1.5 - 1, -0.15, 0.15);
        Assert.True(b1 > 1 && b32 > 1);
    }

    [Theory]
    // Published (NVIDIA TensorRT-LLM tech blog 1, "Pushing Latency Boundaries: Optimizing DeepSeek-R1 Performance on
    // NVIDIA B200 GPUs", table "Autoregressive MTP Layers"): DeepSeek-R1 with NVFP4 experts on 8 x B200, TensorRT-LLM,
    // concurrency 1, 1K in / 2K out; acceptance length (tokens per step) 1.92 / 2.58 / 2.82 with 1 / 2 / 3 chained MTP
    // drafts, TPS/user 111 without MTP and 198 / 250 / 253 with: speedups 1.78x / 2.25x / 2.28x. The acceptance rate a
    // per proposed token is the one whose (1 - a^(k+1)) / (1 - a) is the stated length.
    // Predicted (this model, FP4 weights, BF16 KV, TP 8, 2,048 tokens of context): 1.45x / 1.57x / 1.44x, 19% / 30% /
    // 37% low (26% / 40% / 47% while each MTP pass also paid the fixed step overhead, which TensorRT-LLM pays once: the
    // verify and the MTP passes are one model forward in one CUDA graph). What remains: the model charges the verify's
    // extra routed-expert reads with the small-transfer penalty of one expert's slice per expert (k + 1 tokens touch
    // about k + 1 times the experts at batch 1: verify 6.5 / 8.0 / 9.4 ms against a 5.0 ms step), where a grouped GEMM
    // reads a layer's experts in one kernel (docs/methodology-steptime.md, "Speculative decoding"). The band pins that
    // shortfall: a change that closes it, or widens it, fails here and must be explained.
    [InlineData(1, 1.92, 1.78, -0.28, -0.10)]
    [InlineData(2, 2.58, 2.25, -0.40, -0.20)]
    [InlineData(3, 2.82, 2.28, -0.47, -0.27)]
    public void DeepSeek_r1_mtp_on_b200_tp8_against_tensorrt_llms_published_acceptance_lengths_and_speedups(int k, double acceptanceLength, double published, double low, double high)
    {
        var m = Catalog.Model("deepseek-r1");
        var acceptance = AcceptanceFor(k, acceptanceLength);
        var s = Speculation.Create(SpeculationKind.Mtp, k, acceptance, m);
        Assert.Equal(acceptanceLength, s.ExpectedTokensPerStep, 3);
        var d = new Deployment(m, Catalog.Device("nvidia-b200-sxm"), Layouts.Make(m.Architecture, 8, 1), NumberFormat.Fp4, NumberFormat.Bf16, Engine.TrtLlm);
        var model = CalibrationFiles.Default;
        var speedup = model.Estimate(d, StepShape.Decode(1, 2048)).Time.Value / SpeculativeDecoding.Decode(model, d, s, 1, 2048).TimePerOutputToken.Value;
        Assert.InRange(speedup / published - 1, low, high);
        Assert.True(speedup > 1);
    }

    // The a in (0, 1) with (1 - a^(k+1)) / (1 - a) = length, by bisection (the sum rises with a).
    private static double AcceptanceFor(int k, double length)
    {
        double lo = 1e-6, hi = 1 - 1e-9;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if ((1 - Math.Pow(mid, k + 1)) / (1 - mid) < length)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    [Fact]
    public void In_the_simulator_each_sequence_emits_the_expected_tokens_per_step_deterministically()
    {
        // Batch 1, 257 output tokens: 256 decode-produced tokens. With k = 1, a = 0.5, E = 1.5 tokens per step, so the
        // 256 tokens take about 256 / 1.5 = 171 speculative steps (running fraction: 1, 2, 1, 2, ...); TPOT is then
        // 171 steps of (verify + draft) over 256 tokens, within one step of step / 1.5.
        var d = Deploy("llama-3.1-8b");
        var model = CalibrationFiles.Default;
        var engine = EngineConfig.Default(d.Engine, d.Device);
        var w = Workload.ClosedLoop(1, LengthDistribution.Fixed(100), LengthDistribution.Fixed(257), requests: 3) with { WarmupFraction = 0 };
        var s = Speculation.Create(SpeculationKind.Eagle, 1, 0.5, d.Model);
        var plain = ServingSimulator.Run(d, w, engine, model);
        var spec = ServingSimulator.Run(d, w, engine, model, null, s);
        var again = ServingSimulator.Run(d, w, engine, model, null, s);
        Assert.Equal(spec.Tpot.Mean, again.Tpot.Mean);
        Assert.Equal(plain.Requests.Completed, spec.Requests.Completed);
        var step = SpeculativeDecoding.Decode(model, d, s, 1, 100 + 128).Step.Value;
        Assert.InRange(spec.Tpot.Mean.Value, step / 1.5 * 0.97, step / 1.5 * 1.03);
        Assert.True(spec.Tpot.Mean < plain.Tpot.Mean);
    }

    [Fact]
    public void Capacity_under_a_tpot_target_rises_with_good_acceptance_and_falls_with_poor_acceptance()
    {
        var d = Deploy("llama-3.1-8b");
        var model = CalibrationFiles.Default;
        var engine = EngineConfig.Default(d.Engine, d.Device);
        var w = Workload.Poisson(1, LengthDistribution.Fixed(512), LengthDistribution.Fixed(256), seed: 1, requests: 200);
        var targets = ServingTargets.FromSeconds(null, 0.01, null);
        double Max(Speculation? s) => CapacitySearch.Run(d, w, engine, model, targets, speculation: s).MaxRequestsPerSecond ?? 0;
        var none = Max(null);
        Assert.True(Max(Speculation.Create(SpeculationKind.Eagle, 4, 0.75, d.Model)) > 1.5 * none);
        // a = 0.2 emits (1 - 0.2^5) / 0.8 = 1.25 tokens per step, too few to pay for verifying five tokens and four
        // draft passes (at a = 0.3, 1.43 tokens, this deployment is about at break-even).
        Assert.True(Max(Speculation.Create(SpeculationKind.Eagle, 4, 0.2, d.Model)) < none);
    }

    [Fact]
    public void Mtp_memory_is_deepseek_v3s_mtp_block_over_tp_and_one_mla_latent_per_token()
    {
        // DeepSeek-V3 MTP block by hand (config: hidden 7168, 128 heads, q_lora 1536, kv_lora 512, nope 128, rope 64, v 128,
        // 256 routed experts + 1 shared of width 2048): MLA 7168x1536 + 1536x(128x192) + 7168x(512+64) + 512x(128x256)
        // + 128x128x7168 = 187.1M; experts 257 x 3 x 7168 x 2048 = 11,318.9M; router 256 x 7168 = 1.8M; the projection of
        // [embedding; hidden] 2 x 7168 x 7168 = 102.8M; about 11.61B in all (the report's "11.5B unique" MTP parameters).
        // FP8 over TP=8: 11.61e9 / 8 = 1.451 GB per device. KV per token: one MLA latent (512 + 64) x 1 byte = 576 bytes,
        // replicated on every TP rank.
        var m = Catalog.Model("deepseek-v3");
        var d = new Deployment(m, Catalog.Device("nvidia-h200-sxm-141gb"), Layouts.Make(m.Architecture, 8, 1), NumberFormat.Fp8, NumberFormat.Fp8, Engine.Sglang);
        var mem = SpeculativeDecoding.Memory(d, Speculation.Create(SpeculationKind.Mtp, 1, 0.85, m));
        var byHand = (7168.0 * 1536 + 1536.0 * 128 * 192 + 7168.0 * 576 + 512.0 * 128 * 256 + 128.0 * 128 * 7168
            + 257.0 * 3 * 7168 * 2048 + 256.0 * 7168 + 2.0 * 7168 * 7168) / 8;
        Assert.InRange(mem.Weights.Value / byHand, 0.99, 1.01);
        Assert.Equal(576.0, mem.KvPerToken.Value, 9);
    }

    [Fact]
    public void Eagle_memory_is_one_llama_layer_plus_its_2h_by_h_projection_and_one_layers_kv()
    {
        // Llama-3.1-8B (hidden 4096, 32 heads, 8 KV heads of 128, MLP 14336), BF16, one device:
        // attention 4096x4096 x 2 + 4096x1024 x 2 = 41,943,040; MLP 3 x 4096 x 14336 = 176,160,768; two norms 8,192;
        // projection 2 x 4096 x 4096 = 33,554,432; total 251,666,432 parameters x 2 bytes = 503,332,864 bytes.
        // KV per token: 2 x 8 x 128 x 2 bytes = 4,096 (the target's 32 layers hold 131,072).
        var d = Deploy("llama-3.1-8b");
        var mem = SpeculativeDecoding.Memory(d, Speculation.Create(SpeculationKind.Eagle, 4, 0.75, d.Model));
        Assert.Equal(503_332_864.0, mem.Weights.Value, 0);
        Assert.Equal(4096.0, mem.KvPerToken.Value, 9);
    }

    [Fact]
    public void A_draft_models_memory_is_its_weights_and_its_whole_kv_per_token()
    {
        // Llama-3.2-1B: 16 layers x 2 x 8 KV heads x 64 x 2 bytes = 32,768 bytes per token; weights as the footprint counts them.
        var d = Deploy("llama-3.1-8b");
        var draft = Catalog.Model("llama-3.2-1b");
        var mem = SpeculativeDecoding.Memory(d, Speculation.Create(SpeculationKind.DraftModel, 4, 0.7, d.Model, draft));
        Assert.Equal(32_768.0, mem.KvPerToken.Value, 9);
        Assert.Equal(MemoryModel.WeightBytes(draft, NumberFormat.Bf16).Value, mem.Weights.Value, 0);
    }

    [Fact]
    public void The_kv_cache_shrinks_by_the_drafts_weights_and_its_share_of_every_token()
    {
        // tokens = floor((free - draft weights) / (target + draft bytes per token) / block) x block. For Llama-3.1-8B with an
        // EAGLE head: (free - 503.3 MB) / (131,072 + 4,096); without: free / 131,072. Checked against that formula, block-rounded.
        var d = Deploy("llama-3.1-8b");
        var engine = EngineConfig.Default(d.Engine, d.Device);
        var s = Speculation.Create(SpeculationKind.Eagle, 4, 0.75, d.Model);
        var without = ServingSimulator.KvCapacity(d, engine);
        var with = ServingSimulator.KvCapacity(d, engine, s);
        var free = without * 131_072.0; // within one block of the free bytes
        var expected = (free - 503_332_864.0) / (131_072.0 + 4_096.0);
        Assert.InRange(with, expected - 2 * engine.BlockSize, expected + engine.BlockSize);
        Assert.True(with < without);
        // A draft model whose weights cannot fit is a located error naming the draft, not a negative capacity.
        var big = Speculation.Create(SpeculationKind.DraftModel, 4, 0.7, Catalog.Model("llama-3.1-70b"), Catalog.Model("llama-3.1-8b"));
        var m70 = Catalog.Model("llama-3.1-70b");
        var d70 = new Deployment(m70, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m70.Architecture, 2, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        var ex = Assert.ThrowsAny<InputException>(() => ServingSimulator.KvCapacity(d70, EngineConfig.Default(d70.Engine, d70.Device), big));
        Assert.Contains("draft model llama-3.1-8b", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_with_a_draft_model_says_what_the_draft_takes_and_the_smaller_batch_that_fits()
    {
        var (code, output, err, _) = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--batch", "1", "--speculate", "draft:llama-3.2-1b", "--accept", "0.7", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("speculation-memory", output, StringComparison.Ordinal);
        Assert.Contains("draft model llama-3.2-1b", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_tpot_target_lists_speculation_as_a_remedy_with_its_lower_floor()
    {
        // Llama-3.1-8B has no MTP blocks, so the remedy is an EAGLE chain of 4 at a = 0.75 (E = 3.05 tokens per step).
        var d = Deploy("llama-3.1-8b");
        var model = CalibrationFiles.Default;
        var engine = EngineConfig.Default(d.Engine, d.Device);
        var w = Workload.Poisson(1, LengthDistribution.Fixed(512), LengthDistribution.Fixed(256), seed: 1, requests: 50);
        var floor = CapacitySearch.Floors(d, w, model).DecodeStep;
        var targets = ServingTargets.FromSeconds(null, floor.Value * 0.8, null);
        var remedies = CapacitySearch.Remedies(d, w, engine, model, targets, []);
        var spec = Assert.Single(remedies, r => r.Change.StartsWith("EAGLE speculative decoding", StringComparison.Ordinal));
        Assert.True(spec.TpotFloor < floor);
        Assert.True(spec.Meets);
        // With speculation already on, it is not proposed again; a model with MTP blocks gets the MTP remedy.
        Assert.DoesNotContain(CapacitySearch.Remedies(d, w, engine, model, targets, [], Speculation.Create(SpeculationKind.Eagle, 4, 0.75, d.Model)),
            r => r.Change.Contains("speculative decoding", StringComparison.Ordinal));
    }
}
