using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

public class SoftmaxExponentialTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static OperatorCost Attention(string model, string device, int tp, NumberFormat weights, StepShape shape)
    {
        var m = Catalog.Model(model);
        var d = new Deployment(m, Catalog.Device(device), Layouts.Make(m.Architecture, tp, 1), weights, NumberFormat.Fp8, Engine.TrtLlm);
        return new PreparedStep(d, StepTimeParameters.Ideal).Operators(shape).Single(o => o.Kind == OperatorKind.Attention);
    }

    [Fact]
    public void A_long_prompt_chunk_of_a_gqa_model_on_b200_is_timed_by_its_exponentials()
    {
        // Llama-3.1-405B on 2 x B200 (TP 2: 64 of 128 heads per rank, head dim 128, 126 layers), a 1,536-token chunk over
        // 8,192 cached tokens: each token attends to 8,192 + 768 entries, so 126 x 64 x 1,536 x 8,960 = 110,981,283,840
        // scores per rank, one exponential each, at B200's 5 T/s: 22.196 ms. The products, 4 x 128 FLOP per score =
        // 5.682e13 FLOP, would take 6.31 ms at the 9 PFLOP/s FP4 peak, so the exponentials set the time.
        var a = Attention("meta-llama/Llama-3.1-405B-Instruct", "nvidia-b200-sxm", 2, NumberFormat.Fp4, new StepShape(1536, 8192, 0, 0));
        Assert.Equal(110_981_283_840.0 * 512, a.Flop.Value, 1e-9 * a.Flop.Value);
        Assert.InRange(a.ComputeTime.Value / (110_981_283_840.0 / 5e12), 0.9999, 1.0001);
    }

    [Fact]
    public void On_a_device_without_a_published_exponential_rate_attention_is_timed_by_its_products()
    {
        // The same chunk on 2 x MI300X (no figure): 5.682e13 FLOP at the FP8 peak, as far as its GEMMs reach it
        // (AchievableMatmul: 668.4 of 1,307.4 TFLOP/s BF16 against the H100's 794.5 of 989).
        var device = Catalog.Device("amd-mi300x");
        var a = Attention("meta-llama/Llama-3.1-405B-Instruct", device.Id, 2, NumberFormat.Fp8, new StepShape(1536, 8192, 0, 0));
        var rate = device.PeakFor(ComputeType.Fp8)!.Value.Value * AchievableMatmul.Fraction(device);
        Assert.InRange(a.ComputeTime.Value / (a.Flop.Value / rate), 0.9999, 1.0001);
    }

    [Fact]
    public void Absorbed_mla_attention_on_gb300_is_timed_by_its_products_not_its_exponentials()
    {
        // DeepSeek-R1 (MLA, r_kv 512, d_rope 64): 2 x (2 x 512 + 64) = 2,176 FLOP per score; at GB300's 15 PFLOP/s FP4
        // that is 0.145 ns per score, slower than one exponential at 10.7 T/s (0.093 ns), so the products set the time.
        var a = Attention("deepseek-ai/DeepSeek-R1", "nvidia-gb300-per-gpu", 8, NumberFormat.Fp4, new StepShape(1536, 8192, 0, 0));
        var peak = Catalog.Device("nvidia-gb300-per-gpu").PeakFor(ComputeType.Fp4)!.Value;
        Assert.InRange(a.ComputeTime.Value / (a.Flop.Value / peak.Value), 0.9999, 1.0001);
    }

    [Fact]
    public void Blackwell_ultra_evaluates_exponentials_twice_as_fast_as_blackwell()
    {
        var b200 = SoftmaxExponentials.RateOf(Catalog.Device("nvidia-b200-sxm"))!.Value;
        var gb300 = SoftmaxExponentials.RateOf(Catalog.Device("nvidia-gb300-per-gpu"))!.Value;
        Assert.Equal(5e12, b200.Value);
        Assert.Equal(10.7e12, gb300.Value);
        Assert.Null(SoftmaxExponentials.RateOf(Catalog.Device("amd-mi300x")));
    }

    [Fact]
    public void The_published_rates_stay_published_and_the_h100_derivation_reproduces_flashattention_3()
    {
        // FlashAttention-3's 3.9 T for the H100 SXM5 is the published figure; the formula the other NVIDIA entries use,
        // SMs x clock x 16, gives 132 x 1.83 GHz x 16 = 3.865 T for the same part (within 1%), which the H800 carries.
        var h100 = Catalog.Device("nvidia-h100-sxm5-80gb").ExpRate!;
        Assert.False(h100.Derived);
        Assert.Equal(3.9e12, h100.Rate.Value);
        Assert.Contains("arXiv:2407.08608", h100.Source, StringComparison.Ordinal);
        Assert.InRange(132 * 1.83e9 * SoftmaxExponentials.NvidiaPerSmPerClock / h100.Rate.Value, 0.99, 1.0);
        var h800 = Catalog.Device("nvidia-h800-sxm5-80gb").ExpRate!;
        Assert.True(h800.Derived);
        Assert.Equal(132 * 1.83e9 * 16, h800.Rate.Value, 1e-3 * h800.Rate.Value);
    }

    [Fact]
    public void The_l40s_rate_is_its_sms_times_its_boost_clock_times_16_and_its_products_still_set_attention_time()
    {
        // L40S: 142 SMs x 2.52 GHz boost x 16 exponentials per clock per SM = 5.725 T/s (catalog "5.725 Texp/s").
        var l40s = Catalog.Device("nvidia-l40s");
        Assert.True(l40s.ExpRate!.Derived);
        Assert.Equal(142 * 2.52e9 * 16, l40s.ExpRate.Rate.Value, 1e-3 * l40s.ExpRate.Rate.Value);
        // Qwen2.5-0.5B (24 layers, 14 heads of 64), a 1,536-token FP8 chunk over 8,192 cached tokens: 24 x 14 x 1,536 x
        // 8,960 = 4,624,220,160 scores, 0.808 ms of exponentials at 5.725 T/s; the products, 4 x 64 FLOP per score, take
        // 1.615 ms even at the whole 733 TFLOP/s FP8 peak, so they set the time, at the peak the GEMMs reach.
        var a = Attention("Qwen/Qwen2.5-0.5B", l40s.Id, 1, NumberFormat.Fp8, new StepShape(1536, 8192, 0, 0));
        const double scores = 24.0 * 14 * 1536 * 8960;
        Assert.Equal(scores * 256, a.Flop.Value, 1e-9 * a.Flop.Value);
        var exps = scores / (142 * 2.52e9 * 16);
        Assert.InRange(exps, 0.80e-3, 0.81e-3);
        var rate = l40s.PeakFor(ComputeType.Fp8)!.Value.Value * SustainedCompute.Fraction(l40s) * AchievableMatmul.Fraction(l40s);
        Assert.InRange(a.ComputeTime.Value / (a.Flop.Value / rate), 0.9999, 1.0001);
        Assert.True(a.ComputeTime.Value > 1.9 * exps);
    }

    [Fact]
    public void On_an_h100_pcie_a_64_wide_head_under_fp8_is_timed_by_its_derived_exponential_rate()
    {
        // H100 PCIe: 114 SMs x 1.619 GHz (756 TFLOP/s dense BF16 / 114 / 4,096) x 16 = 2.953 T/s. The same Qwen2.5-0.5B
        // chunk: 4,624,220,160 scores take 1.566 ms of exponentials; its products, 256 FLOP per score at 1,513 TFLOP/s
        // FP8, 0.78 ms at the whole peak, so the exponentials set the time.
        var device = Catalog.Device("nvidia-h100-pcie-80gb");
        var a = Attention("Qwen/Qwen2.5-0.5B", device.Id, 1, NumberFormat.Fp8, new StepShape(1536, 8192, 0, 0));
        var exps = 24.0 * 14 * 1536 * 8960 / (114 * 1.619e9 * 16);
        Assert.InRange(a.ComputeTime.Value / exps, 0.999, 1.001);
    }

    [Fact]
    public void Every_nvidia_datacenter_gpu_of_compute_capability_7_to_10_has_an_exponential_rate_within_its_fp32_peak()
    {
        // Left out, as docs/methodology-steptime.md says: the L2 (no SM count or clock found), the RTX PRO 6000
        // Blackwell Server (compute capability 12.0, whose per-SM exponential rate was not verified) and Rubin (no SM
        // count, clock or special-function rate published).
        string[] without = ["nvidia-l2", "nvidia-rtx-pro-6000-blackwell-server", "nvidia-rubin-vr200"];
        var checkedCount = 0;
        foreach (var d in Catalog.Devices.Where(d => d.Vendor == "NVIDIA" && d.Category == DeviceCategory.DatacenterGpu && !without.Contains(d.Id)))
        {
            Assert.True(d.ExpRate is not null, $"{d.Id} has no exp_rate");
            Assert.False(string.IsNullOrWhiteSpace(d.ExpRate!.Source));
            // Every SM of these parts has at least 64 FP32 lanes, 128 FLOP per clock against 16 exponentials: the
            // datasheet FP32 peak (at the boost clock) bounds the rate from above.
            if (d.ExpRate.Derived && d.PeakFor(ComputeType.Fp32) is { } fp32 && d.Peak.ContainsKey(ComputeType.Fp32))
            {
                Assert.True(d.ExpRate.Rate.Value <= fp32.Value / 8 * 1.01, $"{d.Id}: {d.ExpRate.Rate.Value:e3} exp/s exceeds fp32 / 8");
            }
            checkedCount++;
        }
        Assert.True(checkedCount >= 29, $"only {checkedCount} devices checked");
    }

    [Fact]
    public void Devices_without_a_figure_have_no_exponential_bound()
    {
        // No published per-unit exponential rate was found for AMD, Intel Gaudi, Huawei Ascend, Google TPU or CPUs.
        foreach (var id in new[] { "amd-mi300x", "amd-mi355x", "intel-gaudi3", "huawei-ascend-910c", "google-tpu-v6e", "intel-xeon-6980p-gnr", "nvidia-rtx-5090" })
        {
            Assert.Null(Catalog.Device(id).ExpRate);
        }
        var yaml = "id: x\nvendor: v\nname: n\ncategory: datacenter-gpu\nmemory: \"8 GB\"\nmemory_bandwidth: \"100 GB/s\"\npeak:\n  bf16: \"100 TFLOP/s\"\n";
        Assert.Null(CatalogFiles.ReadDevice(YamlMap.Parse(yaml, "devices.yaml")).ExpRate);
    }

    private const string UserDevice = "id: x\nvendor: v\nname: n\ncategory: datacenter-gpu\nmemory: \"8 GB\"\nmemory_bandwidth: \"100 GB/s\"\npeak:\n  bf16: \"100 TFLOP/s\"\nexp_rate:\n";

    [Fact]
    public void The_loader_reads_exp_rate_with_its_unit_basis_and_source()
    {
        var d = CatalogFiles.ReadDevice(YamlMap.Parse(UserDevice + "  rate: \"750 Gexp/s\"\n  basis: derived\n  source: \"30 SMs x 1.5625 GHz x 16\"\n", "devices.yaml"));
        Assert.Equal(750e9, d.ExpRate!.Rate.Value, 0);
        Assert.True(d.ExpRate.Derived);
        Assert.Equal("30 SMs x 1.5625 GHz x 16", d.ExpRate.Source);
    }

    [Theory]
    [InlineData("  rate: \"3.9 TFLOP/s\"\n  basis: published\n  source: s\n", "rate")]
    [InlineData("  rate: \"0 Texp/s\"\n  basis: published\n  source: s\n", "rate")]
    [InlineData("  rate: \"3.9 Texp/s\"\n  basis: measured\n  source: s\n", "basis")]
    [InlineData("  rate: \"3.9 Texp/s\"\n  basis: published\n", "source")]
    public void A_bad_exp_rate_is_an_error_naming_its_key(string entry, string key)
    {
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(UserDevice + entry, "devices.yaml")));
        Assert.Contains("exp_rate." + key, ex.Message, StringComparison.Ordinal);
    }

    // 1e-300 Texp/s read as a rate of 1e-288 exp/s made every step time NaN ("duration must be a finite number, got NaN"),
    // naming neither the file nor the key.
    [Theory]
    [InlineData("1e-300 Texp/s")]
    [InlineData("3.9 exp/s")]
    [InlineData("0.5 Gexp/s")]
    public void An_exp_rate_slower_than_1_gexp_per_second_is_refused_at_its_line_as_a_mistyped_unit(string rate)
    {
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(UserDevice + $"  rate: \"{rate}\"\n  basis: published\n  source: s\n", "devices.yaml")));
        Assert.Equal(new SourceLocation("devices.yaml", 10, 9), ex.Location);
        Assert.Equal($"devices.yaml:10:9: exp_rate.rate is '{rate}', slower than 1 Gexp/s (one exponential a clock at 1 GHz; the slowest catalog device does 1.018 Texp/s): check the unit, e.g. '3.9 Texp/s' for an H100 SXM5.", ex.Message);
        Assert.StartsWith("exp_rate.rate 为 ", ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core), StringComparison.Ordinal);
    }

    [Fact]
    public void The_slowest_catalog_exp_rate_is_above_the_floor()
    {
        var slowest = Catalog.Devices.Where(d => d.ExpRate is not null).Min(d => d.ExpRate!.Rate.Value);
        Assert.Equal(1.018e12, slowest, 1e6);
        Assert.True(slowest >= 1000 * ExponentialRate.SmallestRate);
    }

    [Fact]
    public void A_mistyped_exp_rate_unit_keeps_its_chinese_text()
    {
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(UserDevice + "  rate: \"3.9 TFLOP/s\"\n  basis: published\n  source: s\n", "devices.yaml")));
        Assert.NotNull(ex.Text);
        Assert.DoesNotContain("has unit", ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core), StringComparison.Ordinal);
    }

    // 1e290 TFLOP/s passed the reader and made every step time NaN ("duration must be a finite number, got NaN").
    [Fact]
    public void A_peak_above_10_eflops_is_refused_at_its_line()
    {
        var yaml = "id: x\nvendor: v\nname: n\ncategory: datacenter-gpu\nmemory: \"8 GB\"\nmemory_bandwidth: \"100 GB/s\"\npeak:\n  bf16: \"1e290 TFLOP/s\"\n";
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(yaml, "devices.yaml")));
        Assert.Equal(new SourceLocation("devices.yaml", 8, 9), ex.Location);
        Assert.Contains("peak.bf16 is '1e290 TFLOP/s', above 10,000,000 TFLOP/s", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("peak.bf16 为 ", ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core), StringComparison.Ordinal);
    }

    [Fact]
    public void The_fastest_catalog_peak_is_far_below_the_ceiling()
    {
        // AMD's 40 PFLOP/s FP4 for the MI455X (docs/catalog.md quotes the margin, over 200 times).
        var fastest = Catalog.Devices.SelectMany(d => d.Peak.Values).Max(r => r.Value);
        Assert.Equal(40e15, fastest, 1e12);
        Assert.True(fastest * 200 < Device.LargestPeak);
    }

    [Fact]
    public void A_zero_memory_bandwidth_names_its_key_in_both_languages()
    {
        var yaml = "id: x\nvendor: v\nname: n\ncategory: datacenter-gpu\nmemory: \"8 GB\"\nmemory_bandwidth: \"0 GB/s\"\npeak:\n  bf16: \"100 TFLOP/s\"\n";
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(yaml, "devices.yaml")));
        Assert.Equal("memory_bandwidth", ex.Field);
        Assert.Equal(6, ex.Location!.Line);
        Assert.StartsWith("memory_bandwidth 为 '0 GB/s'", ex.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core), StringComparison.Ordinal);
    }
}
