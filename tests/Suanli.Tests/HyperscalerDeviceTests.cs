using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The accelerators of the 2026-12-07 hyperscaler pass (catalog/hardware/SOURCES.md, "next pass: Maia 200, MTIA,
/// Cloud AI 100 Ultra") and Maia 100 of the 2026-12-08 pass ("Tenstorrent and Maia 100 added"): each entry's key figures against its source, the names users type, the architecture family its
/// calibration falls back from, and a plan on each that runs end to end.
/// </summary>
public class HyperscalerDeviceTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    public static TheoryData<string, string> AddedDevices => new()
    {
        { "microsoft-maia-200", "fp8" },
        // 204.8 GB/s of LPDDR5: qwen3-8b in BF16 misses the default 100 ms TPOT target (119 ms a step), 8-bit weights meet it.
        { "meta-mtia-v2", "fp8" },
        { "meta-mtia-300", "bf16" },
        { "meta-mtia-400", "bf16" },
        { "meta-mtia-450", "bf16" },
        { "meta-mtia-500", "bf16" },
        { "qualcomm-cloud-ai-100-ultra", "bf16" },
        { "microsoft-maia-100", "bf16" },
    };

    [Fact]
    public void Maia_200_carries_microsofts_lower_bounds_and_no_invented_16_bit_rate()
    {
        var m = Catalog.Device("maia-200");
        Assert.Equal("microsoft-maia-200", m.Id);
        // "216 GB HBM3e" = six 36 GB stacks; "about 7 TB/s"; "over 10 PF FP4 and over 5 PF FP8 within 750 W".
        Assert.Equal(6 * 36.0, m.Memory.InGigabytes, 9);
        Assert.Equal(7000.0, m.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(10_000.0, m.Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        Assert.Equal(5_000.0, m.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(750.0, m.Tdp!.Value.InWatts, 9);
        // 1.4 TB/s each way, added both ways as the catalog does.
        Assert.Equal(2 * 1400.0, m.Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
        // The tensor unit runs FP8/FP6/FP4 only: no 16-bit path is entered, so BF16 has none to fall back to.
        Assert.False(m.Peak.ContainsKey(ComputeType.Bf16));
        Assert.False(m.Peak.ContainsKey(ComputeType.Fp16));
        Assert.Null(m.PeakFor(ComputeType.Bf16));
        Assert.Equal(ComputeType.Fp8, m.EffectiveCompute(ComputeType.Fp8));
    }

    [Fact]
    public void A_bf16_run_on_maia_200_is_refused_with_the_formats_it_has_in_english_and_chinese()
    {
        var (code, _, err, _) = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", "maia-200", "--batch", "1");
        Assert.NotEqual(0, code);
        Assert.Contains("microsoft-maia-200 has no bf16 matrix path in the catalog (its peaks: fp8, fp4)", err, StringComparison.Ordinal);
        Assert.Contains("--precision", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        var (zhCode, _, zhErr, _) = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", "maia-200", "--batch", "1", "--lang", "zh");
        Assert.NotEqual(0, zhCode);
        Assert.Contains("没有 bf16 矩阵算力路径", zhErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comparison_over_devices_leaves_maia_200_out_of_a_bf16_run_and_goes_on_with_the_rest()
    {
        // compare and the web's every-model-on-every-device comparison must not stop at the first device with no BF16 path.
        var (code, output, err, _) = CliTests.Run("compare", "--requests-per-month", "1e6", "--model", "qwen2.5-7b", "--hardware", "maia-200,h100", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("on microsoft-maia-200 is left out: the catalog gives it no bf16 matrix path (its peaks: fp8, fp4)", output, StringComparison.Ordinal);
        Assert.Contains("nvidia-h100-sxm5-80gb", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Maia_100_carries_the_hot_chips_slides_dense_rates_at_the_power_azure_provisions()
    {
        var m = Catalog.Device("maia-100");
        Assert.Equal("microsoft-maia-100", m.Id);
        // Hot Chips 2024: "1.8TB/s @ 64GB HBM2E", "Peak Dense Tensor POPS 6bit: 3, 9bit: 1.5, BF16: 0.8", provision TDP 500 W of 700.
        Assert.Equal(64.0, m.Memory.InGigabytes, 9);
        Assert.Equal(1800.0, m.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(800.0, m.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(1500.0, m.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(500.0, m.Tdp!.Value.InWatts, 9);
        // 12 x 400 GbE = 600 GB/s each way, 1,200 GB/s both ways (the convention of the Maia 200 entry).
        Assert.Equal(2 * 12 * 400.0 / 8, m.Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
        // The 6-bit rate has no catalog format: 4-bit work runs at the 9-bit rate, FP16 at BF16.
        Assert.False(m.Peak.ContainsKey(ComputeType.Fp4));
        Assert.Equal(ComputeType.Fp8, m.EffectiveCompute(ComputeType.Fp4));
        Assert.Equal(ComputeType.Bf16, m.EffectiveCompute(ComputeType.Fp16));
        // Its successor has more of everything the planner reads.
        var next = Catalog.Device("maia-200");
        Assert.True(next.MemoryBandwidth.Value > m.MemoryBandwidth.Value && next.Peak[ComputeType.Fp8].Value > m.Peak[ComputeType.Fp8].Value);
        Assert.Equal(m.Architecture, next.Architecture);
    }

    [Fact]
    public void Mtia_v2_carries_metas_dense_gemm_rates_half_its_sparse_ones()
    {
        var m = Catalog.Device("mtia-v2");
        Assert.Equal(128.0, m.Memory.InGigabytes, 9);
        Assert.Equal(204.8, m.MemoryBandwidth.InGigabytesPerSecond, 9);
        // Meta: 708 / 354 TOPS INT8 and 354 / 177 TFLOPS FP16/BF16, sparse / dense.
        Assert.Equal(708.0 / 2, m.Peak[ComputeType.Int8].InTeraflopPerSecond, 9);
        Assert.Equal(354.0 / 2, m.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(2.76, m.Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
        Assert.Equal(90.0, m.Tdp!.Value.InWatts, 9);
        Assert.Equal(32.0, m.Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
    }

    [Theory]
    // Meta's roadmap table (2026-03-11): module TDP, HBM TB/s, HBM GB (MTIA 500: the low end of 384-512), MX4, FP8, BF16 PFLOPS.
    [InlineData("mtia-300", 800, 6.1, 216, 0, 1.2, 0.6)]
    [InlineData("mtia-400", 1200, 9.2, 288, 12, 6, 3)]
    [InlineData("mtia-450", 1400, 18.4, 288, 21, 7, 3.5)]
    [InlineData("mtia-500", 1700, 27.6, 384, 30, 10, 5)]
    public void Mtia_roadmap_parts_carry_metas_table(string name, double watts, double tbps, double gb, double mx4, double fp8, double bf16)
    {
        var m = Catalog.Device(name);
        Assert.Equal(watts, m.Tdp!.Value.InWatts, 9);
        Assert.Equal(tbps * 1000, m.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(gb, m.Memory.InGigabytes, 9);
        Assert.Equal(fp8 * 1000, m.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(bf16 * 1000, m.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(mx4 == 0, !m.Peak.ContainsKey(ComputeType.Fp4));
        if (mx4 > 0)
        {
            Assert.Equal(mx4 * 1000, m.Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        }
        // BF16 is FP8 / 2 on every part, the ratio that lets the unqualified figures be read as one convention.
        Assert.Equal(2.0, m.Peak[ComputeType.Fp8].Value / m.Peak[ComputeType.Bf16].Value, 9);
        Assert.Equal("low", m.Confidence);
        Assert.Contains("taken as dense", m.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Mtia_450_and_500_have_metas_six_to_one_mx4_ratio_and_the_roadmap_grows_bandwidth_four_and_a_half_times()
    {
        foreach (var id in new[] { "mtia-450", "mtia-500" })
        {
            var m = Catalog.Device(id);
            Assert.Equal(6.0, m.Peak[ComputeType.Fp4].Value / m.Peak[ComputeType.Bf16].Value, 9);
        }
        // "From MTIA 300 to MTIA 500, HBM bandwidth increases 4.5 times."
        Assert.Equal(4.5, Catalog.Device("mtia-500").MemoryBandwidth.Value / Catalog.Device("mtia-300").MemoryBandwidth.Value, 1);
    }

    [Fact]
    public void Cloud_ai_100_ultra_is_qualcomms_card_table_four_socs_of_the_pro()
    {
        var q = Catalog.Device("ai100-ultra");
        Assert.Equal("qualcomm-cloud-ai-100-ultra", q.Id);
        // Qualcomm SDK table: 128 GB, 548 GB/s, FP16 290 TFLOPs, INT8 870 TOPs, 150 W, PCIe Gen4 x16.
        Assert.Equal(128.0, q.Memory.InGigabytes, 9);
        Assert.Equal(548.0, q.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(290.0, q.Peak[ComputeType.Fp16].InTeraflopPerSecond, 9);
        Assert.Equal(870.0, q.Peak[ComputeType.Int8].InTeraflopPerSecond, 9);
        Assert.Equal(150.0, q.Tdp!.Value.InWatts, 9);
        Assert.Equal(64.0, q.Interconnect.Bandwidth!.Value.InGigabytesPerSecond, 9);
        // Four SoCs of 32 GB and 137 GB/s each (the Pro's figures), within rounding of the card's 548.
        Assert.Equal(4 * 32.0, q.Memory.InGigabytes, 9);
        Assert.InRange(q.MemoryBandwidth.InGigabytesPerSecond, 4 * 136.0, 4 * 137.0);
        // No BF16 or FP8 path: both run at the FP16 rate.
        Assert.Equal(ComputeType.Fp16, q.EffectiveCompute(ComputeType.Bf16));
        Assert.Equal(ComputeType.Fp16, q.EffectiveCompute(ComputeType.Fp8));
    }

    [Theory]
    [InlineData("maia-200", "microsoft-maia-200")]
    [InlineData("Maia 200", "microsoft-maia-200")]
    [InlineData("Microsoft Maia 200", "microsoft-maia-200")]
    [InlineData("maia200", "microsoft-maia-200")]
    [InlineData("maia-100", "microsoft-maia-100")]
    [InlineData("Maia 100", "microsoft-maia-100")]
    [InlineData("Microsoft Maia 100", "microsoft-maia-100")]
    [InlineData("mtia-v2", "meta-mtia-v2")]
    [InlineData("MTIA v2", "meta-mtia-v2")]
    [InlineData("mtia 400", "meta-mtia-400")]
    [InlineData("Meta MTIA 450", "meta-mtia-450")]
    [InlineData("mtia500", "meta-mtia-500")]
    [InlineData("AI 100 Ultra", "qualcomm-cloud-ai-100-ultra")]
    [InlineData("Qualcomm Cloud AI 100 Ultra", "qualcomm-cloud-ai-100-ultra")]
    public void Names_users_type_resolve(string name, string id) =>
        Assert.Equal(id, Catalog.Device(name).Id);

    [Theory]
    [InlineData("maia-200", "microsoft-maia")]
    [InlineData("maia-100", "microsoft-maia")]
    [InlineData("mtia-400", "meta-mtia")]
    [InlineData("ai100-ultra", "qualcomm-cloud-ai100")]
    public void Perf_on_an_unmeasured_architecture_says_which_calibration_it_borrows_with_a_widened_interval(string device, string architecture) =>
        DeviceFallbackChecks.AssertPerfBorrows(Catalog, device, architecture, "--precision", "fp8");

    [Theory]
    [MemberData(nameof(AddedDevices))]
    public void A_plan_on_each_added_device_runs_end_to_end_and_says_the_family_it_borrows(string id, string precision)
    {
        var d = Catalog.Device(id);
        Assert.Equal(HardwareFamily.Gpu, CalibrationKeys.FamilyOf(d));
        Assert.Equal(2026, d.SourcesRead!.Value.Year);
        var json = DeviceFallbackChecks.AssertPlanBorrows(Catalog, d, $"hardware: {d.Id}\n", $"    precision: {precision}\n");
        Assert.Contains(d.Id, json, StringComparison.Ordinal);
    }
}
