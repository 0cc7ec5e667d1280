using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class StepTimeTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static Deployment Deploy(string model, string device = "nvidia-h100-sxm5-80gb", int tp = 1, NumberFormat? weights = null, Engine engine = Engine.Vllm)
    {
        var m = Catalog.Model(model);
        var w = weights ?? NumberFormat.Bf16;
        return new Deployment(m, Catalog.Device(device), Layouts.Make(m.Architecture, tp, 1), w, NumberFormat.KvFormats.Contains(w) ? w : NumberFormat.Fp16, engine);
    }

    [Fact]
    public void The_time_alone_is_exactly_the_estimates_time_for_every_model_and_shape_also_when_deployments_alternate()
    {
        // The serving simulator's step-time cache asks for the time alone; a result that differed in the last bit
        // would change every simulation. Alternating deployments exercises the roofline's per-deployment constants.
        var m = Catalog.Model("deepseek-v3");
        var dp = new Deployment(m, Catalog.Device("nvidia-h200-sxm-141gb"), Layouts.MakeDataParallelAttention(1, 8, 1), NumberFormat.Fp8, NumberFormat.Fp8, Engine.Sglang);
        Deployment[] deployments = [Deploy("llama-3.1-8b"), Deploy("qwen3-30b-a3b"), Deploy("llama-3.1-70b", tp: 4, weights: NumberFormat.Fp8), dp];
        StepShape[] shapes = [StepShape.Decode(1, 0), StepShape.Decode(7, 1234), new StepShape(512, 300, 13, 2048), new StepShape(0, 0, 5, 900, 4), StepShape.Prefill(4096)];
        foreach (var model in new IStepTimeModel[] { Roofline.Instance, CalibrationFiles.Default })
        {
            for (var round = 0; round < 2; round++)
            {
                foreach (var d in deployments)
                {
                    foreach (var shape in shapes)
                    {
                        Assert.Equal(model.Estimate(d, shape).Time.Value, model.Time(d, shape).Value);
                        Assert.Equal(model.Estimate(d with { }, shape).Time.Value, model.Time(d, shape).Value);
                    }
                }
            }
        }
    }

    [Fact]
    public void With_ideal_curves_a_batch_1_decode_reads_every_weight_but_the_embedding_table_once_at_full_bandwidth()
    {
        var d = Deploy("llama-3.1-8b");
        var a = d.Model.Architecture;
        var step = new PreparedStep(d, StepTimeParameters.Ideal).Estimate(StepShape.Decode(1, 0));
        // Weights 2 bytes x (all parameters - the V x h embedding, which is only looked up).
        var expected = MemoryModel.WeightBytes(a, NumberFormat.Bf16).Value - 2.0 * a.VocabSize * a.HiddenSize;
        Assert.Equal(expected, step.BytesMoved.Value, expected * 0.002);
        Assert.Equal(step.BytesMoved.Value / d.Device.MemoryBandwidth.Value, step.Time.Value, 1e-9);
        Assert.Equal(Bottleneck.MemoryBandwidth, step.Bottleneck);
    }

    [Fact]
    public void Llama_cpp_on_a_gpu_multiplies_up_to_8_tokens_at_the_fp32_vector_rate_and_more_on_the_tensor_curve()
    {
        // E_c 0.2 and m_half 10 would make a batch-1 GEMM run at 0.2 x 1/11 of the 71 TFLOP/s FP16 tensor peak of an RTX 3090.
        var p = new StepTimeParameters(0.2, 10, 0.8, Bytes.FromMegabytes(1), Duration.Zero, Duration.Zero, Duration.Zero, 1);
        var llama = Deploy("llama-3.1-8b", "nvidia-rtx-3090", weights: NumberFormat.GgufQ4KM, engine: Engine.LlamaCpp);
        var vllm = Deploy("llama-3.1-8b", "nvidia-rtx-3090", weights: NumberFormat.GgufQ4KM, engine: Engine.Vllm);
        Assert.Equal(1.0, SustainedCompute.Fraction(llama.Device));
        OperatorCost Mlp(Deployment d, int batch) => new PreparedStep(d, p).Operators(StepShape.Decode(batch, 0)).Single(o => o.Kind == OperatorKind.Mlp);
        // Batch 1 and 8: llama.cpp's MMVQ kernels, at the 35.58 TFLOP/s FP32 vector rate (catalog), no curve.
        foreach (var batch in new[] { 1, 8 })
        {
            var mlp = Mlp(llama, batch);
            Assert.Equal(mlp.Flop.Value / 35.58e12, mlp.ComputeTime.Value, mlp.ComputeTime.Value * 1e-9);
            Assert.False(mlp.ComputeBound);
        }
        // Batch 9: a tiled GEMM in one 16-row tile (PreparedStep.SmallTileRows), 71e12 x 0.2 x 9 / 16 (the curve's 9 / 19 is lower).
        var nine = Mlp(llama, 9);
        Assert.Equal(nine.Flop.Value / (71e12 * 0.2 * 9 / 16), nine.ComputeTime.Value, nine.ComputeTime.Value * 1e-9);
        // Batch 17: past the tile, on the tensor curve, 71e12 x 0.2 x 17 / 27.
        var seventeen = Mlp(llama, 17);
        Assert.Equal(seventeen.Flop.Value / (71e12 * 0.2 * 17 / 27), seventeen.ComputeTime.Value, seventeen.ComputeTime.Value * 1e-9);
        // Other engines keep the curve at batch 1 where it is above the tile's 1 / 16: 71e12 x 0.2 x 1 / 11.
        var one = Mlp(vllm, 1);
        Assert.Equal(one.Flop.Value / (71e12 * 0.2 / 11), one.ComputeTime.Value, one.ComputeTime.Value * 1e-9);
    }

    [Fact]
    public void A_long_prefill_is_compute_bound_and_counts_two_flop_per_weight_per_token_plus_attention()
    {
        var d = Deploy("llama-3.1-8b");
        var a = d.Model.Architecture;
        var p = ParameterCount.Of(a);
        var step = CalibrationFiles.Default.Estimate(d, StepShape.Prefill(4096));
        var matmul = 2.0 * 4096 * (a.Layers * (p.AttentionPerLayer + p.DenseMlpPerLayer));
        var attention = 4.0 * a.Layers * a.Heads * a.HeadDim * 4096 * 2048.0;
        var lmHead = 2.0 * a.VocabSize * a.HiddenSize;
        Assert.Equal(matmul + attention + lmHead, step.Flop.Value, (matmul + attention) * 1e-9);
        Assert.Equal(Bottleneck.Compute, step.Bottleneck);
    }

    [Fact]
    public void A_single_token_touches_exactly_its_top_k_experts()
    {
        var d = Deploy("mixtral-8x7b");
        var a = d.Model.Architecture;
        var experts = new PreparedStep(d, StepTimeParameters.Ideal).Operators(StepShape.Decode(1, 100)).Single(o => o.Kind == OperatorKind.Experts);
        var m = a.Moe!;
        // 2 of 8 experts (3 matrices each) plus the router, every MoE layer, 2 bytes per weight.
        var expected = a.MoeLayers * (2.0 * 3 * a.HiddenSize * m.ExpertIntermediateSize + (double)a.HiddenSize * m.Experts) * 2;
        Assert.Equal(expected, experts.WeightBytes.Value, expected * 1e-9);
    }

    [Fact]
    public void Sliding_window_layers_read_at_most_the_window_of_kv_cache()
    {
        var d = Deploy("mistral-7b");
        var w = d.Model.Architecture.Window!.Length;
        var prepared = new PreparedStep(d, StepTimeParameters.Ideal);
        var atWindow = prepared.Operators(StepShape.Decode(1, w)).Single(o => o.Kind == OperatorKind.Attention).KvBytes;
        var beyond = prepared.Operators(StepShape.Decode(1, 4 * w)).Single(o => o.Kind == OperatorKind.Attention).KvBytes;
        Assert.Equal(atWindow.Value, beyond.Value, 1e-6);
    }

    [Fact]
    public void Tensor_parallel_adds_communication_and_splits_weights()
    {
        var one = CalibrationFiles.Default.Estimate(Deploy("llama-3.1-70b", tp: 1, weights: NumberFormat.Fp8), StepShape.Decode(8, 1000));
        var four = CalibrationFiles.Default.Estimate(Deploy("llama-3.1-70b", tp: 4, weights: NumberFormat.Fp8), StepShape.Decode(8, 1000));
        Assert.Equal(Duration.Zero, one.Communication);
        Assert.True(four.Communication > Duration.Zero);
        Assert.True(four.Time < one.Time);
    }

    [Fact]
    public void Estimate_and_the_prepared_evaluator_agree()
    {
        var d = Deploy("qwen3-30b-a3b");
        var shape = new StepShape(512, 100, 32, 3000);
        Assert.Equal(CalibrationFiles.Default.Prepare(d).Estimate(shape), CalibrationFiles.Default.Estimate(d, shape));
    }

    [Fact]
    public void The_cli_uses_the_calibrated_model()
    {
        Assert.IsType<CalibratedStepTimeModel>(Suanli.Cli.CliContext.StepTimeModel);
    }

    [Property(MaxTest = 80)]
    public Property Step_time_is_positive_finite_and_never_falls_as_batch_or_context_grow() =>
        Prop.ForAll(Arb.From(Gen.Elements(Catalog.Models.Select(m => m.Id).ToArray())), Arb.From(Gen.Choose(1, 512)), Arb.From(Gen.Choose(0, 32_000)),
            (id, batch, context) =>
            {
                var d = Deploy(id);
                var model = CalibrationFiles.Default;
                var t = model.Estimate(d, StepShape.Decode(batch, context)).Time.Value;
                var moreBatch = model.Estimate(d, StepShape.Decode(batch + 1, context)).Time.Value;
                var moreContext = model.Estimate(d, StepShape.Decode(batch, context + 1000)).Time.Value;
                return double.IsFinite(t) && t > 0 && moreBatch >= t * (1 - 1e-12) && moreContext >= t * (1 - 1e-12);
            });

    [Fact]
    public void The_calibration_file_round_trips()
    {
        var c = CalibrationFiles.Embedded;
        var again = CalibrationFiles.Parse(CalibrationFiles.Write(c, "test"), "roundtrip.yaml");
        Assert.Equal(c.Fitted, again.Fitted);
        Assert.Equal(c.Groups.Count, again.Groups.Count);
        for (var i = 0; i < c.Groups.Count; i++)
        {
            Assert.Equal(c.Groups[i].Parameters.ComputeEfficiency, again.Groups[i].Parameters.ComputeEfficiency, 5);
            Assert.Equal(c.Groups[i].Parameters.MemoryEfficiency, again.Groups[i].Parameters.MemoryEfficiency, 5);
        }
    }

    [Fact]
    public void A_calibration_file_with_an_efficiency_above_one_names_the_key_and_line()
    {
        var text = CalibrationFiles.Write(CalibrationFiles.Embedded, "x").Replace("compute_efficiency: 0.", "compute_efficiency: 1.", StringComparison.Ordinal);
        var ex = Assert.Throws<InputException>(() => CalibrationFiles.Parse(text, "bad.yaml"));
        Assert.Contains("compute_efficiency", ex.Message, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_json_has_one_row_per_batch_with_the_documented_fields()
    {
        var (code, output, _, _) = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--precision", "fp8", "--input", "1024", "--output", "128", "--batch", "1,8,64", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([1, 8, 64], rows.Select(r => r.GetProperty("batch").GetInt32()));
        foreach (var field in new[] { "prefillSeconds", "timePerOutputTokenSeconds", "outputTokensPerSecond", "bottleneck", "mfu", "mbu", "outputTokensPerSecondPerDevice" })
        {
            Assert.True(rows[0].TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal("memoryBandwidth", rows[0].GetProperty("bottleneck").GetString());
        // Throughput rises with batch while decode stays memory-bound.
        Assert.True(rows[2].GetProperty("outputTokensPerSecond").GetDouble() > rows[0].GetProperty("outputTokensPerSecond").GetDouble());
    }

    [Fact]
    public void Perf_without_tp_chooses_the_widest_valid_tensor_parallel()
    {
        var (code, output, _, _) = CliTests.Run("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--devices", "8", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(8, doc.RootElement.GetProperty("tp").GetInt32());
    }

    [Fact]
    public void Perf_with_tp_3_for_64_heads_lists_the_valid_layouts()
    {
        var (code, _, err, _) = CliTests.Run("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--tp", "3");
        Assert.Equal(2, code);
        Assert.Contains("64 attention heads do not divide over TP=3", err, StringComparison.Ordinal);
        Assert.Contains("valid layouts on 3 devices that fit in memory: TP=1 PP=3", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_with_a_batch_that_does_not_fit_reports_the_largest_that_fits_instead_of_a_number()
    {
        var (code, output, _, _) = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--input", "32k", "--output", "1k", "--batch", "1,4096", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Single(root.GetProperty("rows").EnumerateArray());
        var max = root.GetProperty("maxBatchThatFits").GetInt64();
        Assert.InRange(max, 2, 4095);
        var messages = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains($"the largest batch that fits is {max:N0}", StringComparison.Ordinal));
    }

    [Fact]
    public void Perf_rejects_an_unknown_engine_with_the_valid_names()
    {
        var (code, _, err, _) = CliTests.Run("perf", "--model", "llama-3.1-8b", "--hardware", "h100", "--engine", "tgi");
        Assert.Equal(2, code);
        Assert.Contains("llamacpp", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_board_below_its_dies_flagship_power_sustains_tdp_over_flagship_tdp_of_the_flagships_peak()
    {
        // GH100: the H100 SXM5 draws 700 W at 989 TFLOP/s BF16. The H100 PCIe (350 W, 756 TFLOP/s datasheet) sustains
        // 350 / 700 x 989 = 494.5 TFLOP/s, 494.5 / 756 = 0.6541 of its peak; the H100 NVL (400 W, 835.5) 565.1 / 835.5 = 0.6764;
        // the A100 PCIe (300 W, 312) 300 / 400 = 0.75. The flagships, the 1,000 W H200 and devices of other dies keep their peak.
        Assert.Equal(0.6541, SustainedCompute.Fraction(Catalog.Device("nvidia-h100-pcie-80gb")), 4);
        Assert.Equal(0.6764, SustainedCompute.Fraction(Catalog.Device("nvidia-h100-nvl-94gb")), 4);
        Assert.Equal(0.75, SustainedCompute.Fraction(Catalog.Device("nvidia-a100-pcie-80gb")), 4);
        foreach (var id in new[] { "nvidia-h100-sxm5-80gb", "nvidia-h200-sxm-141gb", "nvidia-h200-sxm-141gb-1000w", "nvidia-a100-sxm4-80gb", "nvidia-b200-sxm", "amd-mi300x", "nvidia-l40s" })
        {
            Assert.Equal(1.0, SustainedCompute.Fraction(Catalog.Device(id)));
        }
        // The flagship figures are the catalog's.
        foreach (var die in SustainedCompute.Dies)
        {
            var flagship = Catalog.Device(die.FlagshipId);
            Assert.Equal(flagship.Tdp!.Value.InWatts, die.FlagshipWatts.InWatts);
            Assert.Equal(flagship.PeakFor(ComputeType.Bf16)!.Value.Value, die.FlagshipBf16.Value);
        }
    }

    [Fact]
    public void A_device_runs_the_shared_curve_at_its_measured_matmul_share_of_peak_over_the_references()
    {
        // MAMF / BF16 peak: H100 SXM 794.5 / 989 = 0.80334 (the reference); MI300X 668.4 / 1307.4 = 0.51124, so
        // 0.51124 / 0.80334 = 0.6364; A100 SXM 271.2 / 312 = 0.86923 -> 1.0820; GH200 144 GB 828.6 / 989 -> 1.0429.
        Assert.Equal(0.6364, AchievableMatmul.Fraction(Catalog.Device("amd-mi300x")), 4);
        Assert.Equal(1.0820, AchievableMatmul.Fraction(Catalog.Device("nvidia-a100-sxm4-80gb")), 4);
        Assert.Equal(1.0429, AchievableMatmul.Fraction(Catalog.Device("nvidia-gh200-144gb")), 4);
        Assert.Equal(1.0, AchievableMatmul.Fraction(Catalog.Device(AchievableMatmul.ReferenceId)), 12);
        // Devices without a measurement keep the shared curve.
        Assert.Equal(1.0, AchievableMatmul.Fraction(Catalog.Device("nvidia-b200-sxm")));
        Assert.Equal(1.0, AchievableMatmul.Fraction(Catalog.Device("nvidia-l40s")));
        Assert.Equal(Catalog.Device(AchievableMatmul.ReferenceId).PeakFor(ComputeType.Bf16)!.Value.Value, AchievableMatmul.ReferenceBf16Peak.Value);

        // A compute-bound step on the MI300X takes 1 / 0.6364 of the time the same curve gives at its datasheet peak.
        var p = new StepTimeParameters(0.5, 64, 0.8, Bytes.FromMegabytes(1), Duration.Zero, Duration.Zero, Duration.Zero, 0.7);
        var mi300x = Catalog.Device("amd-mi300x");
        var deployment = Deploy("meta-llama/Llama-2-70b-chat-hf", "amd-mi300x", 1, NumberFormat.Fp8);
        var mlp = new PreparedStep(deployment, p).Operators(StepShape.Prefill(8192)).Single(o => o.Kind == OperatorKind.Mlp);
        var rate = 2614.9e12 * 0.6364003 * 0.5 * 8192 / (8192 + 64);
        Assert.Equal(1.0, mlp.Flop.Value / rate / mlp.ComputeTime.InSeconds, 5);
        Assert.True(mlp.ComputeBound);
    }

    [Fact]
    public void A_compute_bound_step_on_a_power_limited_board_takes_the_sustained_not_the_datasheet_rate()
    {
        // With ideal curves every FLOP runs at the sustained rate, while the MFU denominator stays the datasheet peak.
        var pcie = Deploy("meta-llama/Llama-3.1-8B", "nvidia-h100-pcie-80gb");
        var step = new PreparedStep(pcie, StepTimeParameters.Ideal);
        var shape = StepShape.Prefill(8192);
        var estimate = step.Estimate(shape);
        // 350 / 700 x 989 TFLOP/s = 494.5 TFLOP/s sustained.
        Assert.Equal(estimate.Flop.Value / 494.5e12, estimate.Compute.Value, estimate.Compute.Value * 1e-9);
        Assert.Equal(756e12, step.ReplicaPeak.Value);
    }
}
