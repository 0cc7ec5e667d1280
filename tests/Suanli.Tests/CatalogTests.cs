using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

public class CatalogTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

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
        Assert.Equal(id, Catalog.Device(name).Id);

    [Fact]
    public void The_articles_mlu370_is_the_x4_card_with_24_tflops_fp32()
    {
        var d = Catalog.Device("mlu370");
        Assert.Equal("cambricon-mlu370-x4", d.Id);
        Assert.Equal(24.0, d.Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
        Assert.Equal(32.0, Catalog.Device("cambricon-mlu370-x8").Peak[ComputeType.Fp32].InTeraflopPerSecond, 9);
    }

    [Fact]
    public void Ascend_950_and_atlas_300i_duo_carry_their_announced_values_and_say_they_are_low_confidence()
    {
        var pr = Catalog.Device("950pr");
        Assert.Equal(128.0, pr.Memory.InGigabytes, 9);
        Assert.Equal(1600.0, pr.MemoryBandwidth.InGigabytesPerSecond, 9);
        Assert.Equal(1000.0, pr.Peak[ComputeType.Fp8].InTeraflopPerSecond, 9);
        Assert.Equal(2000.0, pr.Peak[ComputeType.Fp4].InTeraflopPerSecond, 9);
        var dt = Catalog.Device("950dt");
        Assert.Equal(144.0, dt.Memory.InGigabytes, 9);
        Assert.Equal(4000.0, dt.MemoryBandwidth.InGigabytesPerSecond, 9);
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
            Assert.Equal(Suanli.Cost.RentTerm.OnDemand, settings.RentTerm);
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
    public void Counted_parameters_match_the_published_count_within_one_percent_for_every_catalog_model()
    {
        Assert.True(Catalog.Models.Count >= 15);
        var misses = new List<string>();
        foreach (var m in Catalog.Models.Where(m => m.PublishedParameters is not null && m.ParameterCheckException is null))
        {
            var counted = ParameterCount.Of(m.Architecture).Total(m.Architecture);
            var error = Math.Abs(counted / m.PublishedParameters!.Value - 1);
            if (error > 0.01)
            {
                misses.Add($"{m.Id}: counted {counted / 1e9:F3} B vs published {m.PublishedParameters / 1e9:F3} B ({error:P1})");
            }
        }
        Assert.True(misses.Count == 0, string.Join("\n", misses));
    }

    [Fact]
    public void Exceptions_to_the_parameter_check_are_few_and_explained()
    {
        var exceptions = Catalog.Models.Where(m => m.ParameterCheckException is not null).ToList();
        // Each exception is a published figure rounded to the billion or a paper whose shapes disagree with its own total.
        Assert.True(exceptions.Count <= Catalog.Models.Count / 10);
        Assert.All(exceptions, m => Assert.True(m.ParameterCheckException!.Length > 30));
    }

    [Theory]
    [InlineData("Qwen/Qwen2-72B", "qwen2-72b")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct", "llama-3.3-70b")]
    [InlineData("deepseek-ai/DeepSeek-R1", "deepseek-r1")]
    [InlineData("deepseek-v3.2", "deepseek-v3.2-exp")]
    [InlineData("glm-4.6", "glm-4.6")]
    [InlineData("glm-4.7", "glm-4.7")]
    [InlineData("zai-org/GLM-4.7-FP8", "glm-4.7")]
    [InlineData("kimi-k2.5", "kimi-k2.5")]
    [InlineData("qwen3.5", "qwen3.5-397b-a17b")]
    [InlineData("kimi-k2", "kimi-k2")]
    [InlineData("gpt-oss", "gpt-oss-120b")]
    public void Hugging_face_repo_ids_resolve_to_catalog_models(string repo, string id) =>
        Assert.Equal(id, Catalog.Model(repo).Id);

    [Theory]
    [InlineData("deepseek-v3.2", "deepseek-v3.2-exp")]
    [InlineData("deepseek-ai/DeepSeek-V3.2-Speciale", "deepseek-v3.2-exp")]
    [InlineData("deepseek-v3.1-terminus", "deepseek-v3.1")]
    [InlineData("deepseek-v3-0324", "deepseek-v3")]
    [InlineData("deepseek-r1-0528", "deepseek-r1")]
    [InlineData("glm-4.6", "glm-4.6")]
    [InlineData("glm4.5", "glm-4.5")]
    [InlineData("glm-4.5-air", "glm-4.5-air")]
    [InlineData("kimi-k2", "kimi-k2")]
    [InlineData("kimi-k2-0905", "kimi-k2")]
    [InlineData("moonshotai/Kimi-K2-Instruct-0905", "kimi-k2")]
    [InlineData("kimi-k2-thinking", "kimi-k2-thinking")]
    [InlineData("qwen3-235b", "qwen3-235b-a22b")]
    [InlineData("qwen3:235b", "qwen3-235b-a22b")]
    [InlineData("qwen3-235b-a22b-instruct-2507", "qwen3-235b-a22b-2507")]
    [InlineData("qwen3-30b", "qwen3-30b-a3b")]
    [InlineData("qwen3-next", "qwen3-next-80b-a3b")]
    [InlineData("Qwen/Qwen3-Next-80B-A3B-Thinking", "qwen3-next-80b-a3b")]
    [InlineData("qwen3-coder", "qwen3-coder-480b-a35b")]
    [InlineData("gpt-oss-120b", "gpt-oss-120b")]
    [InlineData("gpt-oss:20b", "gpt-oss-20b")]
    [InlineData("llama-4-maverick", "llama-4-maverick")]
    [InlineData("llama4:scout", "llama-4-scout")]
    [InlineData("llama-3.1-70b-base", "llama-3.1-70b")]
    [InlineData("meta-llama/Llama-3.1-70B", "llama-3.1-70b")]
    [InlineData("llama-3.3-70b", "llama-3.3-70b")]
    [InlineData("minimax-m2", "minimax-m2")]
    [InlineData("minimax-m1-40k", "minimax-m1")]
    [InlineData("ernie-4.5", "ernie-4.5-300b-a47b")]
    [InlineData("mistral-small", "mistral-small-3.1")]
    [InlineData("mistral-small-3.2", "mistral-small-3.1")]
    [InlineData("phi4", "phi-4")]
    [InlineData("gemma-3-27b", "gemma-3-27b")]
    public void Names_users_type_for_current_open_weight_models_resolve_to_the_entry_with_that_architecture(string name, string id) =>
        Assert.Equal(id, Catalog.Model(name).Id);

    [Fact]
    public void Architecture_is_read_as_data_for_moe_mla_gqa_and_sliding_windows()
    {
        var v3 = Catalog.Model("deepseek-v3").Architecture;
        Assert.Equal(AttentionKind.MultiHeadLatent, v3.Attention);
        Assert.Equal(256, v3.Moe!.Experts);
        Assert.Equal(8, v3.Moe.ActiveExperts);
        Assert.Equal(1, v3.Moe.SharedExperts);
        Assert.Equal(3, v3.Moe.DenseLayers);
        var counted = ParameterCount.Of(v3);
        Assert.InRange(counted.Total(v3) / 1e9, 671 * 0.99, 671 * 1.01);
        Assert.InRange(counted.Active(v3) / 1e9, 37 * 0.97, 37 * 1.03);

        var mixtral = Catalog.Model("mistralai/Mixtral-8x7B-v0.1").Architecture;
        Assert.Equal(8, mixtral.Moe!.Experts);
        Assert.Equal(AttentionKind.GroupedQuery, mixtral.Attention);
        Assert.InRange(ParameterCount.Of(mixtral).Active(mixtral) / 1e9, 12.9 * 0.98, 12.9 * 1.02);

        Assert.Equal(AttentionKind.MultiQuery, Catalog.Model("palm-540b").Architecture.Attention);
        Assert.Equal(4096, Catalog.Model("mistralai/Mistral-7B-v0.1").Architecture.SlidingWindow);
        Assert.False(Catalog.Model("openai-community/gpt2").Architecture.GatedMlp);
        Assert.True(Catalog.Model("openai-community/gpt2").Architecture.TiedEmbeddings);
    }

    [Fact]
    public void Gpt2_small_counts_124_million_parameters()
    {
        var a = Catalog.Model("openai-community/gpt2").Architecture;
        Assert.InRange(ParameterCount.Of(a).Total(a), 124.4e6, 124.5e6);
    }

    [Fact]
    public void Checkpoint_sizes_from_the_safetensors_index_match_the_counted_weights()
    {
        // ChatGLM2-6B's index total_size is exactly parameters x 2 bytes (fp16).
        var glm = Catalog.Model("THUDM/chatglm2-6b");
        Assert.Equal(12487168064.0, glm.CheckpointBytes!.Value.Value);
        var counted = ParameterCount.Of(glm.Architecture).Total(glm.Architecture) * 2;
        Assert.InRange(counted / glm.CheckpointBytes.Value.Value, 0.999, 1.001);
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
    public void Memory_and_perf_run_on_each_new_chinese_gpu_with_the_family_fallback_said(string device)
    {
        var (code, output, err, _) = CliTests.Run("memory", "--model", "qwen2.5-7b", "--hardware", device, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains("\"fits\": true", output, StringComparison.Ordinal);
        var perf = CliTests.Run("perf", "--model", "qwen2.5-7b", "--hardware", device, "--batch", "1", "--format", "json");
        Assert.True(perf.Code == 0, perf.Err);
        Assert.Contains("calibration-fallback", perf.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Qwen35_is_read_as_a_hybrid_gated_deltanet_moe_with_gated_attention_an_mtp_block_and_a_vision_tower()
    {
        // Config: 60 layers, full attention every 4th (15), Gated DeltaNet on the other 45; 512 experts, top-10, one shared;
        // attn_output_gate true; mtp_num_hidden_layers 1; vision tower 27 x 1152.
        var a = Catalog.Model("qwen3.5").Architecture;
        Assert.Equal(60, a.Layers);
        Assert.Equal(45, a.Linear!.Layers);
        Assert.Equal(15, a.SoftmaxLayers);
        Assert.Equal(512, a.Moe!.Experts);
        Assert.Equal(10, a.Moe.ActiveExperts);
        Assert.True(a.AttentionOutputGate);
        Assert.Equal(1, a.MtpLayers);
        Assert.Single(a.Towers);
        var counted = ParameterCount.Of(a).Total(a);
        Assert.InRange(counted / 397e9, 0.99, 1.01);
    }

    [Fact]
    public void Kimi_k25_is_kimi_k2_plus_its_moonvit_tower_and_glm_47_has_glm_46s_shapes()
    {
        // MoonViT: 27 x (4 x 1152^2 + 2 x 1152 x 4304) + 3 x 14^2 x 1152 + 1152 x 7168 = 417.2M parameters beside Kimi K2's.
        var k25 = Catalog.Model("kimi-k2.5").Architecture;
        var k2 = Catalog.Model("kimi-k2").Architecture;
        Assert.Equal(AttentionKind.MultiHeadLatent, k25.Attention);
        var tower = 27.0 * (4.0 * 1152 * 1152 + 2.0 * 1152 * 4304) + 3.0 * 14 * 14 * 1152 + 1152.0 * 7168;
        Assert.Equal(tower, ParameterCount.Of(k25).Total(k25) - ParameterCount.Of(k2).Total(k2), 0);
        Assert.Equal(ParameterCount.Of(k2).Active(k2), ParameterCount.Of(k25).Active(k25), 0);
        var g47 = Catalog.Model("glm-4.7").Architecture;
        Assert.Equal(92, g47.Layers);
        Assert.Equal(160, g47.Moe!.Experts);
        Assert.InRange(ParameterCount.Of(g47).Total(g47) / 355e9, 0.99, 1.01);
    }

    [Fact]
    public void Qwen3_vl_is_qwen3_235b_plus_its_vit_and_glm_47_flash_is_a_30b_mla_moe()
    {
        // Qwen3-VL's ViT: 27 x (4 x 1152^2 + 2 x 1152 x 4304) + 3 x 14^2 x 1152 + 4096 x 4096 = 428.5M parameters beside
        // Qwen3-235B-A22B's language model, and none of them in text decode.
        var vl = Catalog.Model("qwen3-vl").Architecture;
        var text = Catalog.Model("qwen3-235b").Architecture;
        var tower = 27.0 * (4.0 * 1152 * 1152 + 2.0 * 1152 * 4304) + 3.0 * 14 * 14 * 1152 + 4096.0 * 4096;
        Assert.Equal(tower, ParameterCount.Of(vl).Total(vl) - ParameterCount.Of(text).Total(text), 1e6);
        Assert.Equal(ParameterCount.Of(text).Active(text), ParameterCount.Of(vl).Active(vl), 1e6);

        // GLM-4.7-Flash by hand: per layer MLA 2048 x 768 + 768 x 20 x 256 + 2048 x 576 + 512 x 20 x 448 + 20 x 256 x 2048
        // = 14.29M; 46 MoE layers of 65 experts x 3 x 2048 x 1536 (+ router 2048 x 64); one dense layer 3 x 2048 x 10240;
        // embedding and head 2 x 154,880 x 2048. Total 29.943B (the card: 30B); active without embedding and head 3.256B.
        var flash = Catalog.Model("glm-4.7-flash").Architecture;
        Assert.Equal(AttentionKind.MultiHeadLatent, flash.Attention);
        Assert.Equal(4, flash.Moe!.ActiveExperts);
        Assert.InRange(ParameterCount.Of(flash).Total(flash) / 29.943e9, 0.999, 1.001);
        Assert.InRange(ParameterCount.Of(flash).ActiveAs(flash, "no-embedding-no-head") / 3.256e9, 0.995, 1.005);
    }
}
