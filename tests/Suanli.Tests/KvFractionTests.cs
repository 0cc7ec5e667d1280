using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The KV budget rule of each engine (docs/methodology-serving.md, "KV capacity"): vLLM's <c>gpu_memory_utilization</c>
/// is a share of the whole device, TensorRT-LLM's <c>kv_cache_free_gpu_mem_fraction</c> a share of what weights,
/// activations and context leave free.
/// </summary>
public class KvFractionTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // NVIDIA's MLPerf v4.1 Mixtral Server replica: one H100 (80 GiB), FP8 weights and KV, 896 sequences, 16,384 tokens per step.
    private static Deployment MixtralOnH100()
    {
        var model = Catalog.Model("mixtral-8x7b");
        return new Deployment(model, Catalog.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(model.Architecture, 1, 1), NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);
    }

    [Fact]
    public void A_kv_fraction_of_the_free_memory_as_TensorRT_LLM_sizes_it_holds_0_9_of_the_device_rules_tokens_plus_8_GiB()
    {
        var d = MixtralOnH100();
        var trt = EngineConfig.Default(Engine.TrtLlm, d.Device) with { MaxNumSeqs = 896, MaxBatchedTokens = 16_384 };
        // Off by default (tried as TensorRT-LLM's default and not kept: docs/methodology-serving.md, "KV capacity").
        Assert.False(trt.KvFractionOfFreeMemory);
        var ofDevice = ServingSimulator.KvCapacity(d, trt);
        var ofFree = ServingSimulator.KvCapacity(d, trt with { KvFractionOfFreeMemory = true });
        // 2 x 32 layers x 8 KV heads x 128 dims x 1 byte = 65,536 bytes per token. With F the memory free on the whole
        // device after weights, activations and context: of the device, (F - 0.1 x 80 GiB) / 65,536 tokens; of the free
        // memory, 0.9 x F / 65,536 = 0.9 x (that + 8 GiB / 65,536) = 0.9 x (that + 131,072), each rounded down to
        // 16-token blocks.
        var expected = 0.9 * (ofDevice + 131_072);
        Assert.InRange(ofFree, expected - 2 * trt.BlockSize, expected + trt.BlockSize);
        // Weights of 43.7 GiB leave the Mixtral replica about a fifth more KV under TensorRT-LLM's rule (0.1 x 8 GiB
        // charged to the free memory instead of 0.1 x 80 GiB to the device).
        Assert.InRange(ofFree / (double)ofDevice, 1.15, 1.25);
        Assert.Equal(0, ofFree % trt.BlockSize);
    }

    [Fact]
    public void A_full_fraction_of_free_memory_is_the_same_budget_as_the_whole_device()
    {
        // Fraction 1: nothing is held back under either rule, so both give the same tokens.
        var d = MixtralOnH100();
        var all = EngineConfig.Default(Engine.TrtLlm, d.Device) with { GpuMemoryUtilization = 1.0 };
        Assert.Equal(ServingSimulator.KvCapacity(d, all), ServingSimulator.KvCapacity(d, all with { KvFractionOfFreeMemory = true }));
    }
}
