using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>Precisions that mix the routed experts' format with the rest's (docs/methodology.md, "Weight formats").</summary>
public sealed class WeightPrecisionTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Theory]
    [InlineData("mxfp4+bf16", "mxfp4", "bf16", "mxfp4+bf16")]
    [InlineData(" MXFP4 + BFloat16 ", "mxfp4", "bf16", "mxfp4+bf16")]
    [InlineData("int4-g32+bf16", "int4-g32", "bf16", "int4-g32+bf16")]
    [InlineData("fp8", "fp8", "fp8", "fp8")]
    [InlineData("awq", "int4", "int4", "int4")]
    [InlineData("bf16+bf16", "bf16", "bf16", "bf16")]
    public void A_precision_reads_as_experts_plus_rest_and_prints_the_name_users_type(string typed, string experts, string rest, string name)
    {
        var p = WeightPrecision.Parse(typed);
        Assert.Equal(experts, p.Experts.Name);
        Assert.Equal(rest, p.Rest.Name);
        Assert.Equal(name, p.Name);
        Assert.Equal(p, WeightPrecision.Parse(p.Name));
        Assert.Equal(experts == rest, p.IsUniform);
    }

    [Theory]
    [InlineData("mxfp4+", "precision-mixed-form")]
    [InlineData("mxfp4+bf16+fp8", "precision-mixed-form")]
    [InlineData("mxfp4+bf17", "precision-unknown")]
    public void A_malformed_precision_names_the_form_or_the_unknown_part(string typed, string key)
    {
        var ex = Assert.ThrowsAny<InputException>(() => WeightPrecision.Parse(typed));
        Assert.Equal(key, ex.Text?.Key);
    }

    [Fact]
    public void A_mixed_precision_on_a_dense_model_is_refused_naming_the_precision_rather_than_read_as_the_rest_format()
    {
        var dense = Catalog.Model("llama-3.1-8b");
        var mixed = WeightPrecision.Parse("mxfp4+bf16");
        Assert.False(mixed.AppliesTo(dense.Architecture));
        Assert.True(mixed.AppliesTo(Catalog.Model("gpt-oss-20b").Architecture));
        var ex = Assert.Throws<InputException>(() => new FootprintRequest(dense, mixed, NumberFormat.Bf16, 4096, 1, RuntimeReserve.Default).Validated());
        Assert.Equal("precision-mixed-dense", ex.Text?.Key);
        Assert.Contains("llama-3.1-8b", ex.Message);
        // Uniform on the same dense model is accepted.
        new FootprintRequest(dense, NumberFormat.Bf16, NumberFormat.Bf16, 4096, 1, RuntimeReserve.Default).Validated();
    }

    [Fact]
    public void Int4_group_32_stores_four_and_a_half_bits_per_weight()
    {
        // 4-bit values plus one 16-bit scale per group of 32: 4 + 16/32.
        Assert.Equal(4.5, NumberFormat.Int4Group32.BitsPerValue);
        Assert.Same(NumberFormat.Int4Group32, NumberFormat.Parse("int4-g32"));
    }

    [Theory]
    [InlineData("mxfp4+bf16", "bf16")]
    [InlineData("mxfp4+fp8", "fp8")]
    [InlineData("int4-g32+bf16", "bf16")]
    [InlineData("int4", "bf16")]
    [InlineData("int8", "int8")]
    public void The_kv_cache_defaults_to_the_rest_s_format_when_it_can_hold_one(string precision, string kv) =>
        Assert.Equal(kv, NumberFormat.KvFor(WeightPrecision.Parse(precision), null).Name);

    [Fact]
    public void Gpt_oss_120b_in_mxfp4_experts_and_bf16_rest_reproduces_the_published_checkpoint()
    {
        // OpenAI gpt-oss model card (2025-08-05), Table 1: checkpoint size 60.8 GiB; the card's section 2 puts the MoE
        // weights in MXFP4 and attention, router, embedding and head in BF16 ("fits a single 80 GB GPU").
        var m = Catalog.Model("gpt-oss-120b");
        var a = m.Architecture;
        Assert.Equal("mxfp4+bf16", m.DefaultPrecision);
        // By hand: 36 layers x 128 experts x 3 matrices x 2,880 x 2,880 routed parameters at 4.25 bits, the rest at 2 bytes.
        var routed = 36.0 * 128 * 3 * 2880 * 2880;
        var rest = ParameterCount.Of(a).Total(a) - routed;
        var byHand = routed * 4.25 / 8 + rest * 2;
        var weights = MemoryModel.WeightBytes(m, WeightPrecision.Parse(m.DefaultPrecision));
        Assert.Equal(byHand, weights.Value, byHand * 1e-12);
        Assert.Equal(60.8, weights.InGibibytes, 0.5);
    }

    [Fact]
    public void Gpt_oss_20b_in_its_released_precision_reproduces_the_published_checkpoint()
    {
        // OpenAI gpt-oss model card (2025-08-05), Table 1: checkpoint size 12.8 GiB ("runs within 16 GB of memory").
        var m = Catalog.Model("gpt-oss-20b");
        Assert.Equal(12.8, MemoryModel.WeightBytes(m, WeightPrecision.Parse(m.DefaultPrecision)).InGibibytes, 0.1);
    }

    [Theory]
    [InlineData("llama-3.1-8b", "int4")]
    [InlineData("qwen3-30b-a3b", "int4")]
    [InlineData("qwen3-30b-a3b", "q4_k_m")]
    [InlineData("deepseek-v3", "fp8")]
    public void A_uniform_precision_counts_body_times_its_bytes_plus_the_16_bit_edge_exactly_as_before(string model, string format)
    {
        var a = Catalog.Model(model).Architecture;
        var f = NumberFormat.Parse(format);
        var p = ParameterCount.Of(a);
        var edge = p.Embedding + p.LmHead;
        var edgeBytes = f.QuantizesEmbeddings || !f.IsQuantized ? f.BytesPerValue : 2.0;
        Assert.Equal((p.Total(a) - edge) * f.BytesPerValue + edge * edgeBytes, MemoryModel.WeightBytes(a, f).Value);
        Assert.Equal(f.BitsPerValue, MemoryModel.MeanBitsPerWeight(a, f));
    }

    [Fact]
    public void A_dense_model_has_no_routed_experts_so_only_the_rest_s_format_counts()
    {
        var a = Catalog.Model("llama-3.1-8b").Architecture;
        Assert.Equal(MemoryModel.WeightBytes(a, NumberFormat.Bf16).Value, MemoryModel.WeightBytes(a, WeightPrecision.Parse("int4+bf16")).Value);
    }

    [Fact]
    public void One_decode_step_reads_the_active_experts_in_their_format_and_the_rest_in_its_own()
    {
        // gpt-oss-20b on one H100, batch 1: each of the 24 MoE layers reads the 4 chosen experts (3 x 2,880 x 2,880 weights
        // each) at 4.25 bits and the router (2,880 x 32) at 2 bytes; the attention projections are BF16.
        var m = Catalog.Model("gpt-oss-20b");
        var d = new Deployment(m, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, 1), WeightPrecision.Parse("mxfp4+bf16"),
            NumberFormat.Bf16, Engine.Vllm);
        var ops = new CalibratedStepTimeModel(CalibrationFiles.Embedded).Prepare(d).Operators(StepShape.Decode(1, 1000));
        var experts = ops.Single(o => o.Kind == OperatorKind.Experts);
        var byHand = 24 * (4 * 3.0 * 2880 * 2880 * 4.25 / 8 + 2880.0 * 32 * 2);
        Assert.Equal(byHand, experts.WeightBytes.Value, byHand * 1e-12);

        var bf16 = new CalibratedStepTimeModel(CalibrationFiles.Embedded).Prepare(d with { Weights = NumberFormat.Bf16 }).Operators(StepShape.Decode(1, 1000));
        Assert.Equal(bf16.Single(o => o.Kind == OperatorKind.QkvProjection).WeightBytes, ops.Single(o => o.Kind == OperatorKind.QkvProjection).WeightBytes);
        Assert.Equal(bf16.Single(o => o.Kind == OperatorKind.LmHead).WeightBytes, ops.Single(o => o.Kind == OperatorKind.LmHead).WeightBytes);
    }

    [Fact]
    public void Routed_experts_run_on_their_own_format_s_matrix_path()
    {
        // gpt-oss-20b prefilling 4,096 tokens on one H200: with fp8 experts the routed FLOPs R run at the FP8 peak and the
        // router's S at the BF16 peak, so the experts' arithmetic takes (R x bf16/fp8 + S) / (R + S) of the all-BF16 time.
        var m = Catalog.Model("gpt-oss-20b");
        var a = m.Architecture;
        var device = Catalog.Device("nvidia-h200-sxm-141gb");
        var d = new Deployment(m, device, Layouts.Make(a, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
        var model = new CalibratedStepTimeModel(CalibrationFiles.Embedded);
        var shape = StepShape.Prefill(4096);
        var uniform = model.Prepare(d).Operators(shape).Single(o => o.Kind == OperatorKind.Experts);
        var mixed = model.Prepare(d with { Weights = WeightPrecision.Parse("fp8+bf16") }).Operators(shape).Single(o => o.Kind == OperatorKind.Experts);
        var routed = 2.0 * 4096 * 4 * 3 * 2880 * 2880 * a.MoeLayers;
        var router = 2.0 * 4096 * 2880 * 32 * a.MoeLayers;
        var ratio = device.PeakFor(ComputeType.Bf16)!.Value.Value / device.PeakFor(ComputeType.Fp8)!.Value.Value;
        Assert.Equal(0.5, ratio, 3);
        Assert.Equal(routed + router, mixed.Flop.Value, (routed + router) * 1e-12);
        Assert.Equal((routed * ratio + router) / (routed + router), mixed.ComputeTime.Value / uniform.ComputeTime.Value, 9);
    }

    [Theory]
    [InlineData("gpt-oss-120b", "mxfp4+bf16")]
    [InlineData("gpt-oss-20b", "mxfp4+bf16")]
    [InlineData("deepseek-v4-pro", "mxfp4+fp8")]
    [InlineData("deepseek-v4-flash", "mxfp4+fp8")]
    [InlineData("kimi-k2-thinking", "int4-g32+bf16")]
    [InlineData("kimi-k2.5", "int4-g32+bf16")]
    public void Checkpoints_that_mix_formats_default_to_their_released_scheme(string model, string precision) =>
        Assert.Equal(precision, Catalog.Model(model).DefaultPrecision);

    [Fact]
    public void Deepseek_v4_pro_in_its_released_scheme_holds_its_fp8_rest_at_one_byte()
    {
        // The rest (attention, shared expert, router, hyper-connections; embedding and head stay 16-bit) at 1 byte instead of
        // MXFP4's 0.53125: the released scheme weighs more than all-MXFP4 by rest-body x (1 - 4.25/8).
        var a = Catalog.Model("deepseek-v4-pro").Architecture;
        var p = ParameterCount.Of(a);
        var restBody = p.Total(a) - p.Embedding - p.LmHead - MemoryModel.RoutedExpertParametersPerLayer(a) * a.MoeLayers;
        var difference = MemoryModel.WeightBytes(a, WeightPrecision.Parse("mxfp4+fp8")) - MemoryModel.WeightBytes(a, NumberFormat.Mxfp4);
        Assert.Equal(restBody * (1 - 4.25 / 8), difference.Value, restBody * 1e-9);
    }

    [Fact]
    public void A_released_mixed_default_prints_both_parts_in_the_memory_table_and_among_a_plan_s_assumptions()
    {
        var m = Catalog.Model("gpt-oss-120b");
        var request = new FootprintRequest(m, WeightPrecision.Parse(m.DefaultPrecision), NumberFormat.Bf16, 4096, 1, RuntimeReserve.Default);
        var table = Suanli.Runs.ReportText.Markdown(Suanli.Runs.MemoryReport.Build(request, null, 1));
        Assert.Contains("gpt-oss-120b in mxfp4+bf16", table, StringComparison.Ordinal);
        Assert.Contains("routed experts 114.66 B x 4.25 bits (mxfp4) + the other", table, StringComparison.Ordinal);

        var yaml = "hardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n    model: gpt-oss-120b\n    peak_concurrency: 4\n    input_tokens: 1024\n    output_tokens: 256\n";
        var scenario = ScenarioFile.Parse(yaml, "s.yaml", Catalog);
        Assert.Contains(scenario.Assumptions, a => a.English == "chat.precision = mxfp4+bf16 (the released checkpoint's formats: routed experts mxfp4, the rest bf16)");
        Assert.Equal(NumberFormat.Bf16, scenario.Applications[0].KvPrecision);
    }
}
