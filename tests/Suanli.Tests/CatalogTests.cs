using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

public class CatalogTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Every_embedded_yaml_file_passes_the_checks_a_user_file_gets()
    {
        // The embedded catalog is parsed without the prescan (YamlMap.ParseEmbedded), so its duplicate keys, second
        // documents and runaway aliases are caught here instead of at every start.
        var paths = CatalogFiles.EmbeddedPaths("").Where(p => p.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
        Assert.Superset(new HashSet<string>(["hardware/devices.yaml", "hardware/servers.yaml", "models/models.yaml", "prices/api.yaml", "prices/rent.yaml", "prices/purchase.yaml", "prices/energy.yaml"]), paths.ToHashSet());
        foreach (var path in paths)
        {
            var map = YamlMap.Parse(CatalogFiles.ReadEmbedded(path), "catalog/" + path);
            Assert.NotEmpty(map.Keys);
        }
    }

    [Fact]
    public void Hardware_catalog_has_at_least_thirty_devices_of_every_kind_the_planners_ask_about()
    {
        Assert.True(Catalog.Devices.Count >= 30, $"{Catalog.Devices.Count} devices");
        foreach (var name in new[] { "nvidia-v100-sxm2-32gb", "nvidia-b200-sxm", "nvidia-h800-sxm5-80gb", "nvidia-h20-96gb", "nvidia-l40s", "nvidia-l4", "nvidia-t4", "nvidia-rtx-4090",
                     "amd-mi300x", "amd-mi325x", "intel-gaudi3", "google-tpu-v5e", "huawei-ascend-910b", "cambricon-mlu370-x8", "kunlunxin-r200",
                     "ampere-ampereone-a192", "intel-xeon-8480plus-spr", "amd-epyc-9654-genoa", "apple-m2-ultra", "qualcomm-snapdragon-8-gen3" })
        {
            Assert.NotNull(Catalog.Device(name));
        }
        Assert.Contains(Catalog.Devices, d => d.Category == DeviceCategory.PhoneSoc);
        Assert.True(Catalog.Servers.Count >= 8);
    }

    [Theory]
    [InlineData("b300", "nvidia-b300-sxm")]
    [InlineData("gb300", "nvidia-gb300-per-gpu")]
    [InlineData("mi355x", "amd-mi355x")]
    [InlineData("mi350x", "amd-mi350x")]
    [InlineData("h20", "nvidia-h20-96gb")]
    [InlineData("h800", "nvidia-h800-sxm5-80gb")]
    [InlineData("910c", "huawei-ascend-910c")]
    [InlineData("gaudi3", "intel-gaudi3")]
    [InlineData("xeon-6980p", "intel-xeon-6980p-gnr")]
    [InlineData("mtt-s4000", "moorethreads-mtt-s4000")]
    [InlineData("mlu370-x4", "cambricon-mlu370-x4")]
    [InlineData("mlu370", "cambricon-mlu370-x4")]
    [InlineData("mlu370-x8", "cambricon-mlu370-x8")]
    [InlineData("950pr", "huawei-ascend-950pr")]
    [InlineData("950dt", "huawei-ascend-950dt")]
    [InlineData("atlas-300i-duo", "huawei-atlas-300i-duo")]
    [InlineData("br100", "biren-br100")]
    [InlineData("br104", "biren-br104")]
    [InlineData("big-island", "iluvatar-bi-v100")]
    [InlineData("tiangai-100", "iluvatar-bi-v100")]
    [InlineData("gh200", "nvidia-gh200-480gb")]
    [InlineData("nvidia-gh200-144gb", "nvidia-gh200-144gb")]
    [InlineData("nvidia-h200-sxm-141gb-1000w", "nvidia-h200-sxm-141gb-1000w")]
    public void Names_users_type_for_current_accelerators_resolve(string name, string id) =>
        DeviceNameChecks.AssertResolves(Catalog, name, id);

    [Theory]
    [InlineData("昇腾910B", "huawei-ascend-910b")]
    [InlineData("昇腾 910C", "huawei-ascend-910c")]
    [InlineData("昇腾910c", "huawei-ascend-910c")]
    [InlineData("Ascend 910B", "huawei-ascend-910b")]
    [InlineData("Huawei Ascend 910C", "huawei-ascend-910c")]
    [InlineData("昆仑芯P800", "kunlunxin-p800")]
    [InlineData("Kunlun P800", "kunlunxin-p800")]
    [InlineData("NVIDIA H100", "nvidia-h100-sxm5-80gb")]
    [InlineData("H100 SXM", "nvidia-h100-sxm5-80gb")]
    [InlineData("RTX 4090", "nvidia-rtx-4090")]
    [InlineData("AMD MI300X", "amd-mi300x")]
    [InlineData("B200", "nvidia-b200-sxm")]
    [InlineData("H20", "nvidia-h20-96gb")]
    [InlineData("P800", "kunlunxin-p800")]
    [InlineData("曦云C500", "metax-c500")]
    [InlineData("沐曦 C550", "metax-c550")]
    [InlineData("曦云C600", "metax-c600")]
    [InlineData("海光BW1000", "hygon-bw1000")]
    [InlineData("深算三号", "hygon-bw1000")]
    [InlineData("摩尔线程S4000", "moorethreads-mtt-s4000")]
    [InlineData("摩尔线程 S5000", "moorethreads-mtt-s5000")]
    [InlineData("壁仞BR100", "biren-br100")]
    [InlineData("壁仞BR104", "biren-br104")]
    [InlineData("天垓100", "iluvatar-bi-v100")]
    [InlineData("天垓150", "iluvatar-bi-v150")]
    [InlineData("昆仑芯R200", "kunlunxin-r200")]
    [InlineData("思元370", "cambricon-mlu370-x4")]
    public void Names_typed_with_spaces_a_vendor_or_in_chinese_resolve(string name, string id) =>
        DeviceNameChecks.AssertResolves(Catalog, name, id);

    [Theory]
    [InlineData("DeepSeek V3.2", "deepseek-v3.2-exp")]
    [InlineData("DeepSeek-R1", "deepseek-r1")]
    [InlineData("Kimi K2", "kimi-k2")]
    [InlineData("GLM 4.5 Air", "glm-4.5-air")]
    [InlineData("Qwen3 32B", "qwen3-32b")]
    [InlineData("Qwen3-235B", "qwen3-235b-a22b")]
    [InlineData("GPT OSS 120B", "gpt-oss-120b")]
    [InlineData("Llama 3.3 70B", "llama-3.3-70b")]
    public void Model_names_typed_with_spaces_or_capitals_resolve(string name, string id) =>
        Assert.Equal(id, Catalog.Model(name).Id);

    [Fact]
    public void A_loose_name_shared_by_two_entries_resolves_to_neither_and_suggests_both()
    {
        var h100 = Catalog.Device("h100");
        var one = h100 with { Id = "acme-x1", Aliases = ["x-1"], Vendor = "Acme" };
        var two = h100 with { Id = "acme-x-1b", Aliases = ["x1"], Vendor = "Acme" };
        var catalog = new SuanliCatalog([one, two], [], []);
        Assert.Equal("acme-x1", catalog.Device("x-1").Id);
        Assert.Equal("acme-x-1b", catalog.Device("x1").Id);
        var ex = Assert.Throws<UnknownNameException>(() => catalog.Device("X 1"));
        Assert.Contains("x1", ex.Suggestions);
        Assert.Equal("acme-x1", catalog.Device("Acme X1").Id);
    }

    [Fact]
    public void The_articles_mlu370_is_the_x4_card_with_24_tflops_fp32()
    {
        var d = Catalog.Device("mlu370");
        Assert.Equal("cambricon-mlu370-x4", d.Id);
        Assert.Equal(24.0, d.Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
        Assert.Equal(32.0, Catalog.Device("cambricon-mlu370-x8").Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
    }

    [Fact]
    public void Ascend_950_and_atlas_300i_duo_carry_their_cited_values_and_say_they_are_low_confidence()
    {
        // 950PR: the architecture whitepaper's server-part cube rates (table 3-1 as quoted in CANN issue #6033):
        // 32 cores x 1.65 GHz x 8192 FLOP/cycle = 432.5 TFLOPS BF16; FP8 and MXFP4 are 2x and 4x.
        var pr = Catalog.Device("950pr");
        Assert.Equal(128.0, pr.Memory.InGigabytes, 9);
        Assert.Equal(1600.0, pr.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(432.0, pr.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(865.0, pr.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(1730.0, pr.Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        Assert.InRange(32 * 1.65e9 * 8192 / 1e12, 432.0, 433.0);
        var dt = Catalog.Device("950dt");
        Assert.Equal(144.0, dt.Memory.InGigabytes, 9);
        Assert.Equal(4000.0, dt.MemoryBandwidth.InGigabytesPerSecond, 9);
        // The 950DT shares the die's rates: Huawei's simulator builds every Atlas 950 POD profile (the SuperPoD of 950DT) on
        // its 'C486T' chip (432 / 865 / 1,730), so the two 950 entries no longer disagree on the same cube.
        foreach (var type in new[] { ComputeType.Bf16, ComputeType.Fp8, ComputeType.Fp4 })
        {
            Assert.Equal(pr.Peak[type].InTeraflopPerSecond, dt.Peak[type].InTeraflopPerSecond, 9);
        }
        var duo = Catalog.Device("atlas-300i-duo");
        Assert.Equal(96.0, duo.Memory.InGigabytes, 9);
        Assert.Equal(408.0, duo.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(280.0, duo.Peak[ComputeType.Int8].InTeraflopPerSecond, 9);
        Assert.Equal(150.0, duo.Tdp!.Value.InWatts, 9);
        foreach (var d in new[] { pr, dt, duo })
        {
            Assert.Equal("low", d.Confidence);
            Assert.Contains("ESTIMATE", d.Notes, StringComparison.Ordinal);
            Assert.Equal("huawei-davinci", d.Architecture);
        }
    }

    [Fact]
    public void Perf_on_a_device_without_its_own_calibration_says_which_family_it_falls_back_to()
    {
        var (code, output, err, _) = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", "910b", "--batch", "1", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("calibration-fallback", output, StringComparison.Ordinal);
        Assert.Contains("used for device huawei-ascend-910b", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_rent_term_or_purchase_choice_that_does_not_exist_is_a_located_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"suanli-term-{Guid.NewGuid():N}.yaml");
        var text = File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "examples", "c3-optimize.yaml"));
        try
        {
            File.WriteAllText(path, text.Replace("  cost: own\n", "  cost: own\n  rent_term: reserved-9y\n", StringComparison.Ordinal));
            var ex = Assert.ThrowsAny<InputException>(() => ScenarioFile.LoadSearch(path, Catalog));
            Assert.Contains("reserved-9y", ex.Message, StringComparison.Ordinal);
            Assert.Contains("reserved-1y", ex.Message, StringComparison.Ordinal);
            var (scenario, settings) = ScenarioFile.LoadSearch(Path.Combine(PlanTests.RepoRoot(), "examples", "c3-optimize.yaml"), Catalog);
            Assert.Equal(Suanli.Cost.PurchaseKind.ArticleClaim, settings.PurchaseKind);
            Assert.Null(settings.RentTerm); // not pinned: each fleet chooses its term
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every80GbNvidiaPartStoresTheSame80GiB()
    {
        // NVIDIA's "80GB" HBM is 80 GiB: nvidia-smi reports 81920 MiB total on the A100 80GB (catalog SOURCES.md).
        var parts = Catalog.Devices.Where(d => d.Vendor == "NVIDIA" && d.Id.EndsWith("-80gb", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count >= 6, string.Join(", ", parts.Select(p => p.Id)));
        foreach (var d in parts)
        {
            Assert.Equal(80.0 * 1024 * 1024 * 1024, d.Memory.Value, 0);
        }
    }

    [Fact]
    public void Every_catalog_device_names_its_architecture_and_the_calibration_uses_that_field_not_the_id()
    {
        foreach (var d in Catalog.Devices)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Architecture), $"{d.Id} has no architecture");
        }
        Assert.Equal("nvidia-hopper", Suanli.StepTime.CalibrationKeys.ArchitectureOf(Catalog.Device("h800")));
        Assert.Equal("amd-cdna3", Suanli.StepTime.CalibrationKeys.ArchitectureOf(Catalog.Device("mi300x")));
        // A device whose id looks like a Hopper part but whose entry names another architecture follows the entry.
        var renamed = Catalog.Device("h100") with { Id = "nvidia-h100-lookalike", Architecture = "nvidia-ampere" };
        Assert.Equal("vllm/nvidia-ampere", Suanli.StepTime.CalibrationKeys.SubgroupOf(Suanli.StepTime.Engine.Vllm, renamed));
        // A user device without the field has no subgroup and uses the shared group of its family.
        var bare = Catalog.Device("h100") with { Architecture = "" };
        Assert.Equal("", Suanli.StepTime.CalibrationKeys.SubgroupOf(Suanli.StepTime.Engine.TrtLlm, bare));
    }

    [Fact]
    public void A_device_without_a_fitted_subgroup_reports_the_family_calibration_it_falls_back_to()
    {
        var cal = CalibrationFiles.Embedded;
        var ascend = Catalog.Device("910b");
        var finding = cal.FallbackFinding(Suanli.StepTime.Engine.Vllm, ascend);
        Assert.NotNull(finding);
        Assert.Equal("calibration-fallback", finding!.Code);
        Assert.Contains("used for device huawei-ascend-910b", finding.Message, StringComparison.Ordinal);
        Assert.Contains("vllm/huawei-davinci", finding.Message, StringComparison.Ordinal);
        // H100 with TensorRT-LLM has its own fitted subgroup: no fallback.
        Assert.Null(cal.FallbackFinding(Suanli.StepTime.Engine.TrtLlm, Catalog.Device("h100")));
    }

    [Fact]
    public void Added_accelerators_carry_their_datasheet_values()
    {
        var h20 = Catalog.Device("h20");
        Assert.Equal(96.0, h20.Memory.InGigabytes, 9);
        Assert.Equal(296.0, h20.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(148.0, h20.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(400.0, h20.Tdp!.Value.InWatts, 9);

        var mi355x = Catalog.Device("mi355x");
        Assert.Equal(288.0, mi355x.Memory.InGigabytes, 9);
        Assert.Equal(8000.0, mi355x.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(1400.0, mi355x.Tdp!.Value.InWatts, 9);
        // Dense, not AMD's "with structured sparsity" figures: about 2.5 PF BF16, 5 PF FP8, 10 PF FP4.
        Assert.InRange(mi355x.Peak[ComputeType.Bf16].InPetaflopPerSecond, 2.4, 2.6);
        Assert.InRange(mi355x.Peak[ComputeType.Fp8].InPetaflopPerSecond, 4.9, 5.1);
        Assert.InRange(mi355x.Peak[ComputeType.Fp4].InPetaflopPerSecond, 9.9, 10.2);
        Assert.Equal(1000.0, Catalog.Device("mi350x").Tdp!.Value.InWatts, 9);

        var b300 = Catalog.Device("b300");
        Assert.Equal(288.0, b300.Memory.InGigabytes, 9);
        Assert.Equal(4500.0, b300.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.True(b300.Peak[ComputeType.Int8].InTeraflopPerSecond < 1000, "Blackwell Ultra cut INT8");
        Assert.Equal(15000.0, Catalog.Device("gb300").Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);

        var h200 = Catalog.Device("nvidia-h200-sxm-141gb");
        var h200At1000W = Catalog.Device("nvidia-h200-sxm-141gb-1000w");
        Assert.Equal(1000.0, h200At1000W.Tdp!.Value.InWatts, 9);
        Assert.Equal(h200.Peak[ComputeType.Fp8].Value, h200At1000W.Peak[ComputeType.Fp8].Value);
        Assert.Equal(h200.Memory.Value, h200At1000W.Memory.Value);

        var gh200 = Catalog.Device("nvidia-gh200-144gb");
        Assert.Equal(144.0, gh200.Memory.InGigabytes, 9);
        Assert.Equal(1000.0, gh200.Tdp!.Value.InWatts, 9);

        Assert.Equal(1835.0, Catalog.Device("gaudi3").Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(128.0, Catalog.Device("910c").Memory.InGigabytes, 9);
        Assert.Equal("low", Catalog.Device("910c").Confidence);
        Assert.Equal(24.0, Catalog.Device("mlu370-x4").Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
        Assert.Equal(500.0, Catalog.Device("xeon-6980p").Tdp!.Value.InWatts, 9);
        Assert.Equal(72, Catalog.Server("gb300-nvl72").DevicesPerNode);
        Assert.Equal(384, Catalog.Server("cloudmatrix-384").DevicesPerNode);
        Assert.Equal("nvidia-b300-sxm", Catalog.Server("hgx-b300").DeviceId);
    }

    [Fact]
    public void Every_hardware_id_used_by_the_measurement_files_resolves()
    {
        foreach (var file in new[] { "data/inference.csv", "data/training.csv" })
        {
            foreach (var id in Column(file, "hardware"))
            {
                Assert.True(Catalog.TryDevice(id, out _), $"{file}: hardware '{id}' does not resolve");
            }
        }
    }

    [Fact]
    public void Every_model_named_by_the_measurement_files_resolves()
    {
        foreach (var file in new[] { "data/inference.csv", "data/training.csv" })
        {
            foreach (var id in Column(file, "model"))
            {
                Assert.True(Catalog.TryModel(id, out _), $"{file}: model '{id}' does not resolve");
            }
        }
    }

    [Fact]
    public void Unknown_names_suggest_the_nearest_catalog_entries()
    {
        var ex = Assert.Throws<UnknownNameException>(() => Catalog.Device("h100-sxm6"));
        Assert.NotEmpty(ex.Suggestions);
        Assert.Contains("Did you mean", ex.Message, StringComparison.Ordinal);
        var m = Assert.Throws<UnknownNameException>(() => Catalog.Model("qwen2-27b"));
        Assert.Contains("qwen2-72b", m.Suggestions);
    }

    [Fact]
    public void A_malformed_config_names_the_file_and_line()
    {
        var ex = Assert.Throws<InputException>(() => CatalogFiles.ModelFromPath("data/bad-config"));
        Assert.Contains("config.json:5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_folder_with_a_safetensors_index_gives_the_exact_checkpoint_size()
    {
        var m = CatalogFiles.ModelFromPath("data/tiny-model")!;
        Assert.Equal(123456789.0, m.CheckpointBytes!.Value.Value);
        Assert.Equal(AttentionKind.GroupedQuery, m.Architecture.Attention);
    }

    [Fact]
    public void A_catalog_file_with_a_bad_unit_names_file_line_and_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"suanli-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "devices:\n  - id: my-gpu\n    vendor: Acme\n    name: Acme 1\n    category: datacenter-gpu\n    memory: 80 GX\n    memory_bandwidth: 2000 GB/s\n    tdp: 300 W\n");
        try
        {
            var ex = Assert.Throws<InputException>(() => CatalogFiles.WithUserFiles([path]));
            Assert.Contains(":6:", ex.Message, StringComparison.Ordinal);
            Assert.Contains("memory", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_user_catalog_file_adds_a_device()
    {
        var path = Path.Combine(Path.GetTempPath(), $"suanli-ok-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "devices:\n  - id: my-gpu\n    vendor: Acme\n    name: Acme 1\n    category: datacenter-gpu\n    memory: 48 GiB\n    memory_bandwidth: 2000 GB/s\n    peak: {bf16: 400 TFLOP/s}\n    tdp: 300 W\n");
        try
        {
            var catalog = CatalogFiles.WithUserFiles([path]);
            Assert.Equal(48.0, catalog.Device("my-gpu").Memory.InGibibytes, 9);
            Assert.Equal(Catalog.Devices.Count + 1, catalog.Devices.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static IEnumerable<string> Column(string file, string column)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var i = Array.IndexOf(header, column);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[i]).Distinct();
    }

    [Theory]
    // Launch figures: Biren BR100 / BR104 (tomshardware.com, 2022-08-10): memory GB, bandwidth GB/s, FP32, BF16, INT8 TFLOP/s, W.
    // Iluvatar CoreX Big Island (geektopia.es, 2021-04-05): 32 GB HBM2 at 1.2 TB/s, 37 FP32, 147 FP16/BF16, 295 INT8, 300 W.
    [InlineData("biren-br100", 64, 1640, 256, 1024, 2048, 550)]
    [InlineData("biren-br104", 32, 819, 128, 512, 1024, 300)]
    [InlineData("iluvatar-bi-v100", 32, 1200, 37, 147, 295, 300)]
    public void Chinese_gpus_carry_their_cited_launch_figures_and_say_they_are_low_confidence(string id, double gb, double gbps, double fp32, double bf16, double int8, double watts)
    {
        var d = Catalog.Device(id);
        Assert.Equal(gb, d.Memory.InGigabytes, 9);
        Assert.Equal(gbps, d.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(fp32, d.Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
        Assert.Equal(bf16, d.Peak[ComputeType.Bf16].InTeraflopPerSecond, 9);
        Assert.Equal(int8, d.Peak[ComputeType.Int8].InTeraflopPerSecond, 9);
        Assert.Equal(watts, d.Tdp!.Value.InWatts, 9);
        Assert.Equal("low", d.Confidence);
        Assert.False(string.IsNullOrEmpty(d.Architecture));
        // Biren published no FP16 rate and no FP8 path: none is invented.
        if (id.StartsWith("biren", StringComparison.Ordinal))
        {
            Assert.False(d.Peak.ContainsKey(ComputeType.Fp16));
            Assert.False(d.Peak.ContainsKey(ComputeType.Fp8));
        }
    }

    [Theory]
    [InlineData("br100")]
    [InlineData("br104")]
    [InlineData("big-island")]
    [InlineData("p800")]
    [InlineData("c600")]
    [InlineData("c500")]
    [InlineData("bw1000")]
    [InlineData("tiangai-150")]
    [InlineData("c550")]
    [InlineData("k100-ai")]
    public void Memory_and_perf_run_on_each_new_chinese_gpu_with_the_family_fallback_said(string device)
    {
        var (code, output, err, _) = CliTests.Run("memory", "--model", "qwen2.5-7b", "--hardware", device, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("\"fits\": true", output, StringComparison.Ordinal);
        var perf = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", device, "--batch", "1", "--format", "json");
        Assert.True(perf.Code == 0, perf.Err);
        Assert.Contains("calibration-fallback", perf.Out, StringComparison.Ordinal);
    }

}
