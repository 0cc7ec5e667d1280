using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
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
    [InlineData("mlu370", "cambricon-mlu370-x8")]
    [InlineData("gh200", "nvidia-gh200-480gb")]
    [InlineData("nvidia-gh200-144gb", "nvidia-gh200-144gb")]
    [InlineData("nvidia-h200-sxm-141gb-1000w", "nvidia-h200-sxm-141gb-1000w")]
    public void Names_users_type_for_current_accelerators_resolve(string name, string id) =>
        Assert.Equal(id, Catalog.Device(name).Id);

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
    [InlineData("kimi-k2", "kimi-k2")]
    [InlineData("gpt-oss", "gpt-oss-120b")]
    public void Hugging_face_repo_ids_resolve_to_catalog_models(string repo, string id) =>
        Assert.Equal(id, Catalog.Model(repo).Id);

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
}
