using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.Training;
using Xunit;

namespace Suanli.Tests;

public class TrainingTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static TrainingRequest Request(string model, string device, int devices, double tokens) => new()
    {
        Model = Catalog.Model(model),
        Device = Catalog.Device(device),
        Devices = devices,
        Tokens = Tokens.FromCount(tokens),
        SeqLen = 2048,
    };

    [Theory]
    [InlineData("gpt-3-175b", 175.0)]
    [InlineData("opt-175b", 175.0)]
    [InlineData("bloom-176b", 176.2)]
    [InlineData("palm-540b", 540.35)]
    [InlineData("megatron-1t", 1008.0)]
    [InlineData("nemotron-4-340b", 340.0)]
    [InlineData("mpt-70b", 64.86)]
    public void Training_run_models_resolve_with_their_published_parameter_counts(string id, double billions)
    {
        var m = Catalog.Model(id);
        var counted = ParameterCount.Of(m.Architecture).Total(m.Architecture) / 1e9;
        Assert.InRange(counted / billions, 0.98, 1.02);
    }

    [Fact]
    public void Chinchilla_shapes_give_65_billion_as_its_catalog_note_says()
    {
        var a = Catalog.Model("chinchilla-70b").Architecture;
        Assert.InRange(ParameterCount.Of(a).Total(a) / 1e9, 63, 67);
    }

    [Fact]
    public void Gpt3_six_nd_is_3_15e23_flops_or_3646_pf_days()
    {
        var f = TrainingCompute.SixND(175e9, Tokens.FromCount(300e9));
        Assert.Equal(3.15e23, f.Value, 1e20);
        Assert.Equal(3645.8, f.InPetaflopDays, 0.1);
    }

    [Fact]
    public void Training_flops_are_three_forwards_with_attention_twelve_l_h_s_per_token()
    {
        var a = Catalog.Model("gpt-3-175b").Architecture;
        var perToken = TrainingCompute.ModelPerToken(a, 2048).Value;
        var matmul = 6.0 * ParameterCount.Of(a).ActiveMatmul(a);
        // PaLM appendix B: 6N + 12 L H Q T, with H x Q = 96 heads x 128 = 12,288.
        Assert.Equal(12.0 * 96 * 12288 * 2048, perToken - matmul, 1e3);
    }

    [Fact]
    public void Full_recomputation_executes_four_forwards_and_lora_counts_two()
    {
        var a = Catalog.Model("llama-2-7b").Architecture;
        var fwd = TrainingCompute.ForwardPerToken(a, 4096).Value;
        Assert.Equal(4 * fwd, TrainingCompute.HardwarePerToken(a, 4096, Recompute.Full).Value, 1e3);
        var lora = TrainingCompute.ModelPerToken(a, 4096, TrainingMethod.Lora, 16).Value;
        Assert.Equal(2 * fwd + 6 * TrainingCompute.AdapterParameters(a, 16), lora, 1e3);
    }

    [Fact]
    public void Moe_compute_follows_active_parameters_and_memory_follows_total()
    {
        var m = Catalog.Model("yuan2-m32");
        var a = m.Architecture;
        var p = ParameterCount.Of(a);
        var total = p.Total(a);
        var active = p.Active(a);
        Assert.InRange(total / 1e9, 38, 42);
        Assert.InRange(active / 1e9, 3.0, 4.5);
        var perToken = TrainingCompute.ModelPerToken(a, 2048).Value;
        Assert.True(perToken < 0.2 * 6 * total, "compute follows the active parameters");
        var memory = TrainingMemory.Estimate(new TrainingMemoryRequest(m, new TrainingLayout(1, 1, 1, 1, 0), TrainingMethod.Full, 2048, 1, Recompute.Selective), Bytes.FromGibibytes(80));
        Assert.Equal(2 * total, memory.Weights.Value, total * 1e-9);
        Assert.Equal(16 * total, (memory.Weights + memory.Gradients + memory.Optimizer).Value, total * 1e-9);
    }

    [Theory]
    [InlineData(0, 1, 16.0)]
    [InlineData(1, 8, 2 + 2 + 12 / 8.0)]
    [InlineData(2, 8, 2 + (2 + 12) / 8.0)]
    [InlineData(3, 8, 16 / 8.0)]
    public void Zero_stages_shard_16_bytes_per_parameter_as_the_zero_paper_states(int stage, int dp, double bytesPerParameter)
    {
        var m = Catalog.Model("llama-2-7b");
        var total = ParameterCount.Of(m.Architecture).Total(m.Architecture);
        var e = TrainingMemory.Estimate(new TrainingMemoryRequest(m, new TrainingLayout(1, 1, dp, 1, stage), TrainingMethod.Full, 4096, 1, Recompute.Selective), Bytes.FromGibibytes(80));
        Assert.Equal(bytesPerParameter * total, (e.Weights + e.Gradients + e.Optimizer).Value, total * 1e-6);
    }

    [Fact]
    public void Activations_follow_korthikanti_sbh_34_plus_5as_over_h_for_gpt3()
    {
        var a = Catalog.Model("gpt-3-175b").Architecture;
        double s = 2048, b = 1, h = 12288, heads = 96;
        var logits = 4.0 * s * b * a.VocabSize;
        var perLayer = s * b * h * (34 + 5 * heads * s / h);
        var none = TrainingMemory.Activations(a, 2048, 1, 1, Recompute.None).Value;
        Assert.Equal(96 * perLayer + logits, none, 1.0);
        var selective = TrainingMemory.Activations(a, 2048, 1, 8, Recompute.Selective).Value;
        Assert.Equal(96 * 34 * s * b * h / 8 + logits / 8, selective, 1.0);
        var full = TrainingMemory.Activations(a, 2048, 1, 1, Recompute.Full).Value;
        Assert.True(full < selective * 8 / 5, "full recomputation keeps far less");
    }

    [Fact]
    public void Qlora_holds_a_70b_base_in_about_36_gb_where_lora_needs_140()
    {
        var m = Catalog.Model("llama-2-70b");
        TrainingMemoryEstimate Of(TrainingMethod method) => TrainingMemory.Estimate(
            new TrainingMemoryRequest(m, new TrainingLayout(1, 1, 1, 1, 0), method, 2048, 1, Recompute.Full), Bytes.FromGibibytes(80));
        var q = Of(TrainingMethod.Qlora);
        var l = Of(TrainingMethod.Lora);
        Assert.InRange(q.Weights.InGigabytes, 35, 40);
        Assert.InRange(l.Weights.InGigabytes, 137, 142);
        Assert.True(q.Fits);
        Assert.False(l.Fits);
        Assert.Equal(16 * q.TrainedParameters, (q.Optimizer + q.Gradients).Value + 2 * q.TrainedParameters, 1e3);
    }

    [Fact]
    public void A_cluster_too_small_gets_an_error_naming_the_smallest_cluster_that_fits()
    {
        var e = TrainingPlanner.Estimate(Request("gpt-3-175b", "a100", 8, 300e9));
        Assert.False(e.Memory.Fits);
        var smallest = Assert.IsType<SmallestCluster>(e.Smallest);
        Assert.True(smallest.Memory.Fits);
        Assert.True(smallest.Devices > 8);
        var f = Assert.Single(e.Findings, f => f.Code == "does-not-fit");
        Assert.Contains(smallest.Devices.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " devices", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_is_flops_over_devices_peak_and_mfu()
    {
        var r = Request("gpt-3-175b", "a100", 1024, 300e9) with { Mfu = 0.5 };
        var e = TrainingPlanner.Estimate(r);
        var expected = e.ModelFlops.Value / (1024 * 312e12 * 0.5);
        Assert.Equal(expected, e.WallClock.InSeconds, expected * 1e-9);
        Assert.Equal(expected * 1024 / 3600, e.DeviceHours, 1e-3);
    }

    [Fact]
    public void Mfu_falls_with_cluster_size_so_device_hours_grow()
    {
        var sweep = TrainingPlanner.Sweep(Request("llama-2-70b", "h100", 512, 2e12), [512, 2048, 8192, 32768]);
        for (var i = 1; i < sweep.Count; i++)
        {
            Assert.True(sweep[i].Mfu < sweep[i - 1].Mfu);
            Assert.True(sweep[i].DeviceHours > sweep[i - 1].DeviceHours);
            Assert.True(sweep[i].WallClock < sweep[i - 1].WallClock);
        }
    }

    [Fact]
    public void Costs_multiply_device_hours_energy_and_prices_and_omit_electricity_without_a_tariff()
    {
        var r = Request("llama-2-7b", "a100", 64, 2e11) with { Mfu = 0.4 };
        var e = TrainingPlanner.Estimate(r);
        var rent = new PriceQuote(new Money(2m, Currency.Usd), "test", new DateOnly(2025, 1, 1));
        var price = new PriceQuote(new Money(10000m, Currency.Usd), "test", new DateOnly(2025, 1, 1));
        var withTariff = TrainingCosts.Compute(e, new CostInputs(rent, new Money(0.5m, Currency.Cny), 1.5, 0.5, price));
        var kwh = 64 * 400 * e.WallClock.InHours / 1000 * 1.5;
        Assert.Equal(kwh / 1000, withTariff.FacilityEnergy!.Value.InMegawattHours, 1e-6);
        Assert.Equal(kwh * 0.5, (double)withTariff.Electricity!.Value.Amount, 0.01);
        Assert.Equal(e.DeviceHours * 2, (double)withTariff.Rent!.Value.Amount, 0.01);
        Assert.Equal(640000m, withTariff.DeviceCapex!.Value.Amount);
        Assert.Equal(kwh * 0.5 / 1000, withTariff.Co2Tonnes!.Value, 1e-6);
        var without = TrainingCosts.Compute(e, new CostInputs(rent, null, 1.3, null, price));
        Assert.Null(without.Electricity);
        Assert.Contains(without.Findings, f => f.Code == "no-tariff" && f.Message.Contains("--tariff", StringComparison.Ordinal));
    }

    [Fact]
    public void Chinchilla_70b_on_1_4t_beats_gpt3_175b_on_300b_in_predicted_loss()
    {
        var chinchilla = ComputeOptimal.Loss(70e9, Tokens.FromCount(1.4e12));
        var gpt3 = ComputeOptimal.Loss(175e9, Tokens.FromCount(300e9));
        // Hand-computed: 1.69 + 406.4 / 70e9^0.34 + 410.7 / 1.4e12^0.28.
        Assert.Equal(1.69 + 406.4 / Math.Pow(70e9, 0.34) + 410.7 / Math.Pow(1.4e12, 0.28), chinchilla, 12);
        Assert.Equal(1.937, chinchilla, 0.001);
        Assert.True(chinchilla < gpt3);
    }

    [Fact]
    public void Twenty_tokens_rule_gives_about_69b_on_chinchillas_budget()
    {
        var rule = ComputeOptimal.TwentyTokensPerParameter(Flop.FromFlop(5.76e23));
        Assert.Equal(Math.Sqrt(5.76e23 / 120), rule.Parameters, 1e3);
        Assert.InRange(rule.Parameters / 1e9, 69, 70);
    }

    [Property(MaxTest = 200)]
    public Property The_chinchilla_optimum_spends_the_budget_and_no_other_split_has_lower_loss() =>
        Prop.ForAll(Arb.From(Gen.Choose(18, 27)), Arb.From(Gen.Choose(-200, 200)), (exponent, shift) =>
        {
            var budget = Flop.FromFlop(Math.Pow(10, exponent) * 3.0);
            var opt = ComputeOptimal.Optimal(budget);
            var k = Math.Pow(10, shift / 100.0);
            var other = ComputeOptimal.Loss(opt.Parameters * k, Tokens.FromCount(opt.Tokens.Value / k));
            return Math.Abs(opt.Flops.Value / budget.Value - 1) < 1e-9 && other >= opt.Loss - 1e-12;
        });

    [Property(MaxTest = 100)]
    public Property More_devices_never_raise_the_memory_per_device_under_zero_3() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 64)), dp =>
        {
            var m = Catalog.Model("llama-2-13b");
            TrainingMemoryEstimate At(int n) => TrainingMemory.Estimate(new TrainingMemoryRequest(m, new TrainingLayout(1, 1, n, 1, 3), TrainingMethod.Full, 4096, 1, Recompute.Selective), Bytes.FromGibibytes(80));
            return At(dp + 1).Total <= At(dp).Total;
        });

    [Fact]
    public void Distillation_teacher_time_comes_from_the_step_time_model()
    {
        var teacher = Catalog.Model("llama-3.1-70b");
        var device = Catalog.Device("h100");
        var deployment = new StepTime.Deployment(teacher, device, Layouts.Make(teacher.Architecture, 4, 1), NumberFormat.Bf16, NumberFormat.Bf16, StepTime.Engine.Vllm);
        var g = new TeacherGeneration(deployment, Tokens.FromCount(1e9), 512, 512, 64);
        var t = Distillation.Teacher(g, StepTime.Roofline.Instance);
        var batches = Math.Ceiling(1e9 / 512 / 64);
        var expected = (t.PrefillStep.Time + t.DecodeStep.Time * 512) * batches;
        Assert.Equal(expected.InSeconds, t.WallClock.InSeconds, 1e-6 * expected.InSeconds);
        Assert.Equal(t.WallClock.InHours * 4, t.DeviceHours, 1e-6);
    }
}
