using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>Rules every hardware catalog entry keeps, and the accelerators added for late-2026 planning.</summary>
public class DeviceCatalogTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    /// <summary>The accelerators added in the 2026-12-04 third pass (catalog/hardware/SOURCES.md).</summary>
    public static TheoryData<string> AddedDevices => new()
    {
        "nvidia-l20", "nvidia-l2", "nvidia-l40", "nvidia-a40", "nvidia-rtx-6000-ada", "nvidia-rtx-5090", "nvidia-gb10-dgx-spark",
        "google-tpu-7x", "aws-trainium2", "aws-trainium3", "aws-trainium", "aws-inferentia2", "moorethreads-mtt-s5000",
        "amd-mi300a", "intel-arc-pro-b60", "cambricon-mlu590", "enflame-s60", "nvidia-h200-nvl", "nvidia-rtx-5000-ada",
        "nvidia-rtx-4000-ada", "huawei-atlas-350",
    };

    [Fact]
    public void Catalog_lists_at_least_seventy_devices_each_with_a_web_source_and_a_stated_confidence()
    {
        Assert.True(Catalog.Devices.Count >= 70, $"{Catalog.Devices.Count} devices");
        foreach (var d in Catalog.Devices)
        {
            Assert.True(d.Sources.Count > 0, $"{d.Id} has no source");
            Assert.All(d.Sources, s => Assert.True(s.StartsWith("https://", StringComparison.Ordinal) || s.StartsWith("http://", StringComparison.Ordinal), $"{d.Id}: source '{s}' is not a URL"));
            Assert.Contains(d.Confidence, new[] { "high", "medium", "low" });
            // A low-confidence entry must say why in its notes.
            Assert.False(d.Confidence == "low" && string.IsNullOrWhiteSpace(d.Notes), $"{d.Id} is low confidence without notes");
        }
    }

    [Fact]
    public void Every_device_says_the_day_its_sources_were_read_and_no_day_is_after_the_last_catalog_pass()
    {
        // The first compilation (2026-11-23) is the earliest read date; the last pass so far is 2026-12-08.
        var first = new DateOnly(2026, 11, 23);
        var last = new DateOnly(2026, 12, 8);
        foreach (var d in Catalog.Devices)
        {
            Assert.True(d.SourcesRead is not null, $"{d.Id} has no sources_read");
            Assert.InRange(d.SourcesRead!.Value, first, last);
        }
        Assert.Equal(new DateOnly(2026, 11, 23), Catalog.Device("h100").SourcesRead);
        Assert.Equal(new DateOnly(2026, 12, 3), Catalog.Device("910c").SourcesRead);
        Assert.Equal(new DateOnly(2026, 12, 4), Catalog.Device("l20").SourcesRead);
    }

    [Fact]
    public void A_sources_read_that_is_not_a_date_is_an_error_naming_the_key()
    {
        var yaml = "id: x\nvendor: v\nname: n\ncategory: datacenter-gpu\nmemory: \"8 GB\"\nmemory_bandwidth: \"100 GB/s\"\nsources_read: last week\n";
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ReadDevice(YamlMap.Parse(yaml, "devices.yaml")));
        Assert.Contains("sources_read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kunlun_p800_memory_and_power_are_the_xpu_smi_readings_and_its_peaks_are_the_published_fp16()
    {
        // PaddlePaddle's ERNIE Kunlunxin guide: xpu_smi shows 98304 MiB and a 400 W cap per P800 OAM, 87-90 W idle.
        var p800 = Catalog.Device("p800");
        Assert.Equal(98304.0 * 1024 * 1024, p800.Memory.Value, 0);
        Assert.Equal(400, p800.Tdp!.Value.InWatts, 6);
        Assert.Equal(89, p800.IdlePower!.Value.InWatts, 6);
        Assert.Equal(345e12, p800.Peak[ComputeType.Fp16].Value, 0);
        Assert.False(p800.Peak.ContainsKey(ComputeType.Int8));
        Assert.Equal("low", p800.Confidence);
        Assert.Equal("kunlunxin-xpu-p", p800.Architecture);
    }

    [Fact]
    public void Metax_c600_takes_its_16_bit_rate_as_half_its_fp8_and_is_low_confidence()
    {
        var c600 = Catalog.Device("c600");
        Assert.Equal(144e9, c600.Memory.Value, 0);
        Assert.Equal(3600e9, c600.MemoryBandwidth.Value, 0);
        Assert.Equal(c600.Peak[ComputeType.Fp8].Value / 2, c600.Peak[ComputeType.Bf16].Value, 0);
        Assert.Equal("low", c600.Confidence);
        Assert.Contains("ESTIMATES", c600.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Metax_c500_carries_the_official_figures_a_renting_platform_quotes_and_its_series_bandwidth()
    {
        // Gitee AI quoting MetaX: FP16/BF16 280, TF32 140, INT8 560, FP32 18 TFLOPS; FlagPerf: 64 GB, 350 W; C550 1.8 TB/s.
        var c500 = Catalog.Device("c500");
        Assert.Equal(64e9, c500.Memory.Value, 0);
        Assert.Equal(1800e9, c500.MemoryBandwidth.Value, 0);
        Assert.Equal(280e12, c500.Peak[ComputeType.Bf16].Value, 0);
        Assert.Equal(280e12, c500.Peak[ComputeType.Fp16].Value, 0);
        Assert.Equal(140e12, c500.Peak[ComputeType.Tf32].Value, 0);
        Assert.Equal(2 * c500.Peak[ComputeType.Fp16].Value, c500.Peak[ComputeType.Int8].Value, 0);
        Assert.Equal(350, c500.Tdp!.Value.InWatts, 6);
        // No FP8 path: FP8 work runs at the 16-bit rate.
        Assert.False(c500.Peak.ContainsKey(ComputeType.Fp8));
        Assert.Equal(ComputeType.Bf16, c500.EffectiveCompute(ComputeType.Fp8));
        Assert.Equal("low", c500.Confidence);
        Assert.Equal("metax-xcore", c500.Architecture);
    }

    [Fact]
    public void Tiangai_150_has_the_platforms_64_gb_and_350_w_and_the_wikis_rates_in_the_ratios_of_its_predecessor()
    {
        // Gitee AI: 64 GB HBM2e, 350 W peak power, PCIe 4.0 x16; community wiki: FP32 48, FP16 192, INT8 384, 1.2 TB/s.
        var tg = Catalog.Device("tiangai-150");
        Assert.Equal(64e9, tg.Memory.Value, 0);
        Assert.Equal(1200e9, tg.MemoryBandwidth.Value, 0);
        Assert.Equal(350, tg.Tdp!.Value.InWatts, 6);
        Assert.Equal(192e12, tg.Peak[ComputeType.Fp16].Value, 0);
        Assert.Equal(384e12, tg.Peak[ComputeType.Int8].Value, 0);
        Assert.Equal(48e12, tg.Peak[ComputeType.Fp32].Value, 0);
        // FP32 : FP16 : INT8 = 1 : 4 : 8, as on the BI-V100 (37 / 147 / 295, rounded).
        var v100 = Catalog.Device("bi-v100");
        Assert.Equal(v100.Peak[ComputeType.Fp16].Value / v100.Peak[ComputeType.Fp32].Value, tg.Peak[ComputeType.Fp16].Value / tg.Peak[ComputeType.Fp32].Value, 0.1);
        // No BF16 rate is published: BF16 runs at the FP16 rate; no FP8 rate either.
        Assert.False(tg.Peak.ContainsKey(ComputeType.Bf16));
        Assert.Equal(192e12, tg.PeakFor(ComputeType.Bf16)!.Value.Value, 0);
        Assert.False(tg.Peak.ContainsKey(ComputeType.Fp8));
        Assert.Equal("low", tg.Confidence);
    }

    [Fact]
    public void Metax_c550_has_metaxs_own_bandwidth_and_tdp_and_its_peaks_are_the_c500s_marked_as_estimates()
    {
        // FlagPerf (MetaX's submission): "Xiyun C550 64G", TDP 450 W, calibrated bandwidth 1.8 TB/s.
        var c550 = Catalog.Device("c550");
        var c500 = Catalog.Device("c500");
        Assert.Equal(64e9, c550.Memory.Value, 0);
        Assert.Equal(1800e9, c550.MemoryBandwidth.Value, 0);
        Assert.Equal(450, c550.Tdp!.Value.InWatts, 6);
        Assert.Equal(c500.Peak.OrderBy(p => p.Key).ToArray(), c550.Peak.OrderBy(p => p.Key).ToArray());
        Assert.Contains("ESTIMATE", c550.Notes, StringComparison.Ordinal);
        Assert.Equal("low", c550.Confidence);
        Assert.Equal(c500.Architecture, c550.Architecture);
    }

    [Fact]
    public void Hygon_bw1000_has_its_fp16_rate_no_invented_bf16_int8_or_tdp_and_says_the_figures_disagree()
    {
        // Gitee AI: 64 GB HBM2e, 1.6 TB/s, FP16 480, FP32 60 TFLOPS, "typical power about 300 W" (not a TDP).
        var bw = Catalog.Device("bw1000");
        Assert.Equal(64e9, bw.Memory.Value, 0);
        Assert.Equal(1600e9, bw.MemoryBandwidth.Value, 0);
        Assert.Equal(480e12, bw.Peak[ComputeType.Fp16].Value, 0);
        Assert.Equal(60e12, bw.Peak[ComputeType.Fp32].Value, 0);
        Assert.False(bw.Peak.ContainsKey(ComputeType.Bf16));
        Assert.False(bw.Peak.ContainsKey(ComputeType.Int8));
        Assert.Null(bw.Tdp);
        // BF16 work falls back to the published FP16 rate.
        Assert.Equal(480e12, bw.PeakFor(ComputeType.Bf16)!.Value.Value, 0);
        Assert.Equal("low", bw.Confidence);
        Assert.Contains("192", bw.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_id_and_alias_of_every_device_resolves_to_that_device_and_aliases_are_lower_case()
    {
        DeviceNameChecks.AssertEveryNameResolves(Catalog, Catalog.Devices);
        var names = Catalog.Devices.SelectMany(d => d.Aliases.Prepend(d.Id)).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_memory_stored_in_gib_says_where_the_binary_figure_comes_from()
    {
        // The catalog's memory convention (SOURCES.md): GiB only where a source shows binary capacity (nvidia-smi
        // totals, Google's and AWS's "GiB"); every other vendor figure, an 80 GB Moore Threads card included, stays decimal.
        const double GiB = 1024.0 * 1024 * 1024;
        var binary = Catalog.Devices.Where(d => d.Memory.Value % GiB == 0 && d.Memory.Value % 1e9 != 0).ToList();
        Assert.True(binary.Count >= 13, string.Join(", ", binary.Select(d => d.Id)));
        Assert.All(binary, d => Assert.Contains("GiB", d.Notes, StringComparison.Ordinal));
        Assert.Equal(80e9, Catalog.Device("s5000").Memory.Value, 0);
        Assert.Equal(80 * GiB, Catalog.Device("h100").Memory.Value, 0);
    }

    [Fact]
    public void Two_devices_sharing_an_alias_is_an_error_naming_the_alias()
    {
        var l20 = Catalog.Device("l20");
        var clash = l20 with { Id = "someone-elses-card", Aliases = ["l20"] };
        var ex = Assert.Throws<InputException>(() => Catalog.With([clash], [], []));
        Assert.Contains("'l20'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpu-v7", "google-tpu-7x")]
    [InlineData("ironwood", "google-tpu-7x")]
    [InlineData("tpu7x", "google-tpu-7x")]
    [InlineData("trn2", "aws-trainium2")]
    [InlineData("trainium2", "aws-trainium2")]
    [InlineData("trn3", "aws-trainium3")]
    [InlineData("trn1", "aws-trainium")]
    [InlineData("inf2", "aws-inferentia2")]
    [InlineData("l20", "nvidia-l20")]
    [InlineData("l2", "nvidia-l2")]
    [InlineData("l40", "nvidia-l40")]
    [InlineData("a40", "nvidia-a40")]
    [InlineData("rtx-6000-ada", "nvidia-rtx-6000-ada")]
    [InlineData("RTX 5000 Ada", "nvidia-rtx-5000-ada")]
    [InlineData("RTX 4000 Ada", "nvidia-rtx-4000-ada")]
    [InlineData("K100_AI", "hygon-k100-ai")]
    [InlineData("海光 K100 AI", "hygon-k100-ai")]
    [InlineData("5090", "nvidia-rtx-5090")]
    [InlineData("dgx-spark", "nvidia-gb10-dgx-spark")]
    [InlineData("gb10", "nvidia-gb10-dgx-spark")]
    [InlineData("s5000", "moorethreads-mtt-s5000")]
    [InlineData("mi300a", "amd-mi300a")]
    [InlineData("arc-pro-b60", "intel-arc-pro-b60")]
    [InlineData("910c", "huawei-ascend-910c")]
    [InlineData("l40s", "nvidia-l40s")]
    [InlineData("c500", "metax-c500")]
    [InlineData("mxc500", "metax-c500")]
    [InlineData("bw1000", "hygon-bw1000")]
    [InlineData("dcu-bw1000", "hygon-bw1000")]
    [InlineData("bi-v150", "iluvatar-bi-v150")]
    [InlineData("tiangai-150", "iluvatar-bi-v150")]
    [InlineData("tg150", "iluvatar-bi-v150")]
    [InlineData("c550", "metax-c550")]
    [InlineData("思元590", "cambricon-mlu590")]
    [InlineData("寒武纪MLU590", "cambricon-mlu590")]
    [InlineData("mlu590", "cambricon-mlu590")]
    [InlineData("燧原S60", "enflame-s60")]
    [InlineData("云燧S60", "enflame-s60")]
    [InlineData("h200-nvl", "nvidia-h200-nvl")]
    [InlineData("atlas-350", "huawei-atlas-350")]
    [InlineData("Atlas350", "huawei-atlas-350")]
    public void Names_users_type_for_the_added_accelerators_resolve(string name, string id) =>
        DeviceNameChecks.AssertResolves(Catalog, name, id);

    [Theory]
    // Memory in decimal GB (GiB entries converted: 192 GiB = 206.16 GB), bandwidth GB/s, one dense peak TFLOP/s.
    // Google TPU7x page: 192 GiB, 2307 BF16; Hot Chips coverage 7.3 TB/s.
    [InlineData("google-tpu-7x", 206.158430208, 7300, "bf16", 2307)]
    // AWS Neuron docs: Trainium2 96 GiB, 2.9 TB/s, 1,299 FP8; Trainium3 144 GiB, 4.9 TB/s, 2,517 MXFP8; Trainium 32 GiB, 820, 190 BF16.
    [InlineData("aws-trainium2", 103.079215104, 2900, "fp8", 1299)]
    [InlineData("aws-trainium3", 154.618822656, 4900, "fp8", 2517)]
    [InlineData("aws-trainium", 34.359738368, 820, "bf16", 190)]
    // tomshardware.com table of the China parts: L20 48 GB, 864 GB/s, 119.5 BF16; L2 24 GB, 300 GB/s, 96.5 BF16.
    [InlineData("nvidia-l20", 48, 864, "bf16", 119.5)]
    [InlineData("nvidia-l2", 24, 300, "bf16", 96.5)]
    // NVIDIA datasheet tables: L40 181.05 BF16 dense at 864 GB/s; A40 149.7 BF16 at 696 GB/s.
    [InlineData("nvidia-l40", 48, 864, "bf16", 181.05)]
    [InlineData("nvidia-a40", 48, 696, "bf16", 149.7)]
    // Moore Threads S5000 as disclosed 2026-02: 80 GB, 1.6 TB/s, 1,000 TFLOPS FP8.
    [InlineData("moorethreads-mtt-s5000", 80, 1600, "fp8", 1000)]
    // Intel Arc Pro B60: 24 GB, 456 GB/s, 196.6 INT8 (hmc-tech.com, ibytenews.com).
    [InlineData("intel-arc-pro-b60", 24, 456, "int8", 196.6)]
    // MLU590: 256 TFLOPS FP16 (card wiki citing Cambricon's launch); 96 GiB = 103.08 GB (CNMON 98304 MiB), 2.4 TB/s.
    [InlineData("cambricon-mlu590", 103.079215104, 2400, "fp16", 256)]
    // Enflame S60 product manual: 48 GB, 672 GB/s; 100 FP16 is the wiki's estimate.
    [InlineData("enflame-s60", 48, 672, "bf16", 100)]
    // H200 NVL: NVIDIA's sparse 1,671 BF16 halved = 835.5; 141 GB at 4.8 TB/s.
    [InlineData("nvidia-h200-nvl", 141, 4800, "bf16", 835.5)]
    // NVIDIA's Ada workstation datasheets (transcribed): RTX 5000 Ada 32 GB, 576 GB/s, 1,044.4 sparse FP8 -> 522.2 dense;
    // RTX 6000 Ada 48 GB, 960 GB/s, 1,457.0 sparse FP8 -> 728.5 dense.
    [InlineData("nvidia-rtx-5000-ada", 32, 576, "fp8", 522.2)]
    [InlineData("nvidia-rtx-6000-ada", 48, 960, "fp8", 728.5)]
    // RTX 4000 Ada: 20 GB and 0.36 TB/s from a GPU table that reads TechPowerUp's database; hmc-tech.com's dense FP8 213.81.
    [InlineData("nvidia-rtx-4000-ada", 20, 360, "fp8", 213.8)]
    // Hygon K100 AI, the official figures as a DCU benchmark repository tabulates them: 64 GB, 896 GB/s, 196 BF16.
    [InlineData("hygon-k100-ai", 64, 896, "bf16", 196)]
    // Atlas 350 (Ascend 950PR card): Huawei's simulator profile ATLAS_350_425T_112G, 112 GB at 1.4 TB/s, 378 BF16
    // (28 cores x 1.65 GHz x 8,192 FLOP = 378.5; the PCIe part of the 950 whitepaper's table).
    [InlineData("huawei-atlas-350", 112, 1400, "bf16", 378)]
    [InlineData("huawei-atlas-350", 112, 1400, "fp4", 1512)]
    public void Added_devices_carry_their_cited_memory_bandwidth_and_peak(string id, double gb, double gbps, string type, double tflops)
    {
        var d = Catalog.Device(id);
        Assert.Equal(gb, d.Memory.InGigabytes, 6);
        Assert.Equal(gbps, d.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(tflops, d.Peak[Enum.Parse<ComputeType>(type, ignoreCase: true)].InTeraflopPerSecond, 9);
    }

    [Fact]
    public void Sparse_marketing_figures_are_halved_and_derived_peaks_say_they_are_estimates()
    {
        // L40 datasheet: FP8 362 dense, 724 with sparsity; the catalog holds the dense one.
        Assert.Equal(362.0, Catalog.Device("l40").Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        // DGX Spark: 1 PFLOP FP4 "with sparsity" -> 500 dense; RTX 5090 and S5000 16-bit rates are derived.
        Assert.Equal(500.0, Catalog.Device("dgx-spark").Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        foreach (var id in new[] { "dgx-spark", "5090", "s5000", "rtx-6000-ada", "inf2", "mi300a" })
        {
            Assert.Contains("ESTIMATE", Catalog.Device(id).Notes, StringComparison.Ordinal);
        }
        Assert.Equal("low", Catalog.Device("s5000").Confidence);
        Assert.Equal(DeviceCategory.SocUnifiedMemory, Catalog.Device("dgx-spark").Category);
        // MI300A = MI300X x 228 / 304 compute units at the same clock: 1307.4 x 0.75 = 980.55 BF16.
        Assert.Equal(Catalog.Device("mi300x").Peak[ComputeType.Bf16].InTeraflopPerSecond * 228 / 304, Catalog.Device("mi300a").Peak[ComputeType.Bf16].InTeraflopPerSecond, 0.1);
    }

    [Fact]
    public void The_dgx_spark_box_is_one_gb10_at_its_240_watt_adapter()
    {
        // chargerlab.com teardown: 48 V x 5 A PD 3.1 adapter = 240 W; GB10 TDP 140 W.
        var box = Assert.Single(Catalog.ServersFor(Catalog.Device("gb10")));
        Assert.Equal("dgx-spark", box.Id);
        Assert.Equal(1, box.DevicesPerNode);
        Assert.Equal(240.0, box.Power.InWatts, 9);
        Assert.True(box.Power.InWatts > Catalog.Device("gb10").Tdp!.Value.InWatts);
    }

    [Theory]
    [MemberData(nameof(AddedDevices))]
    public void Llama_31_8b_memory_plans_on_each_added_device(string id)
    {
        var (code, output, err, _) = CliTests.Run("memory", "--model", "meta-llama/Llama-3.1-8B", "--hardware", id, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("\"fits\": true", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_accelerator_without_its_own_calibration_reports_the_family_it_falls_back_to_and_a_widened_interval()
    {
        var cal = CalibrationFiles.Embedded;
        var intervals = IntervalFiles.Embedded;
        // No device, CPU and SoC included, is left with the ideal roofline ("calibration-fallback#none").
        Assert.All(Catalog.Devices, d => Assert.NotEqual("calibration-fallback#none", cal.FallbackFinding(Engine.Vllm, d)?.Code));
        foreach (var d in Catalog.Devices.Where(d => CalibrationKeys.FamilyOf(d) == HardwareFamily.Gpu))
        {
            var group = cal.GroupFor(Engine.Vllm, d);
            Assert.NotNull(group);
            var finding = cal.FallbackFinding(Engine.Vllm, d);
            if (group!.Subgroup != CalibrationKeys.SubgroupOf(Engine.Vllm, d))
            {
                Assert.NotNull(finding);
                Assert.Equal("calibration-fallback", finding!.Code);
                Assert.Contains($"used for device {d.Id}", finding.Message, StringComparison.Ordinal);
            }
            var lookup = IntervalFiles.Find(intervals, PredictionKind.Throughput, Engine.Vllm, d);
            Assert.NotNull(lookup);
        }
        // The new families (TPU7x, Trainium, Moore Threads) have no measurement: the pooled spread, said to be widened.
        foreach (var id in new[] { "tpu-v7", "trn2", "s5000", "l20" })
        {
            var lookup = IntervalFiles.Find(intervals, PredictionKind.Throughput, Engine.Vllm, Catalog.Device(id))!;
            Assert.True(lookup.Widened, id);
            Assert.Contains("pooled", lookup.Basis, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("910b")]
    [InlineData("l20")]
    [InlineData("s5000")]
    [InlineData("atlas-350")]
    public void A_plan_on_a_device_without_its_own_calibration_says_the_family_it_borrows_and_the_widened_interval(string device)
    {
        var d = Catalog.Device(device);
        var json = DeviceFallbackChecks.AssertPlanBorrows(Catalog, d, $"hardware: {d.Id}\n");
        Assert.Contains("pooled", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpu-v7", "google-tpu")]
    [InlineData("trn2", "aws-neuron")]
    [InlineData("s5000", "moorethreads-musa")]
    [InlineData("arc-pro-b60", "intel-xe2")]
    [InlineData("c500", "metax-xcore")]
    [InlineData("bw1000", "hygon-dcu")]
    [InlineData("思元590", "cambricon-mlu500")]
    [InlineData("s60", "enflame-gcu")]
    public void Perf_on_a_new_accelerator_family_says_which_calibration_it_borrows(string device, string architecture)
    {
        var (code, output, err, _) = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", device, "--batch", "1", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("calibration-fallback", output, StringComparison.Ordinal);
        Assert.Contains($"architecture {architecture}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Mlu590_is_low_confidence_and_names_the_bandwidths_it_did_not_use()
    {
        var d = Catalog.Device("思元590");
        Assert.Equal("low", d.Confidence);
        // The three other bandwidths the sources give, each named in the note, and the measured copy that rules them out.
        foreach (var other in new[] { "~400 GB/s", "600 GB/s", "1,228 GB/s", "2,116 GB/s" })
        {
            Assert.Contains(other, d.Notes, StringComparison.Ordinal);
        }
        Assert.Contains("ESTIMATED at the FP16 rate", d.Notes, StringComparison.Ordinal);
        Assert.Equal(d.Peak[ComputeType.Fp16].InTeraflopPerSecond, d.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        // The measured copy (2,116 GB/s) cannot exceed the peak the entry uses.
        Assert.True(d.MemoryBandwidth.InGigabytesPerSecond > 2116);
    }

    [Theory]
    // Estimated node power = 8 x card TDP + 1.0 kW host allowance: MLU590 8 x 250 W, S60 8 x 300 W, H200 NVL 8 x 600 W.
    [InlineData("cambricon-mlu590", 3000)]
    [InlineData("enflame-s60", 3400)]
    [InlineData("nvidia-h200-nvl", 5800)]
    public void Each_added_card_ships_in_an_eight_card_server_at_card_power_plus_the_host_allowance(string id, double watts)
    {
        var device = Catalog.Device(id);
        var server = Assert.Single(Catalog.ServersFor(device));
        Assert.Equal(8, server.DevicesPerNode);
        Assert.Equal(watts, server.Power.InWatts, 9);
        Assert.Equal(8 * device.Tdp!.Value.InWatts + 1000, server.Power.InWatts, 9);
    }
}
