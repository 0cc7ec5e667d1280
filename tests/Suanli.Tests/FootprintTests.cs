using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

public class FootprintTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    private static FootprintRequest Request(string model, NumberFormat? weights = null, int context = 4096, int batch = 1) =>
        new(Catalog.Model(model), weights ?? NumberFormat.Bf16, NumberFormat.Bf16, context, batch, RuntimeReserve.Default);

    [Fact]
    public void Seed_C1_rule_of_thumb_for_72B_in_bf16_is_172_8_GB()
    {
        // Seed case C1: 72e9 parameters x 2 bytes x 1.2 = 172.8 GB.
        Assert.Equal(172.8, MemoryModel.RuleOfThumb(72e9, NumberFormat.Bf16).InGigabytes, 9);
    }

    [Fact]
    public void Seed_C1_qwen2_72b_holds_320_KiB_of_kv_cache_per_token_in_bf16()
    {
        // 2 x 80 layers x 8 KV heads x 128 dims x 2 bytes = 327,680 bytes.
        var m = MemoryModel.Estimate(Request("Qwen/Qwen2-72B"));
        Assert.Equal(327680.0, m.KvPerToken.Value);
        Assert.Equal(320.0, m.KvPerToken.InKibibytes);
    }

    [Fact]
    public void Seed_C1_three_a100s_hold_qwen2_72b_only_as_pipeline_stages_and_tensor_parallel_needs_four()
    {
        var fit = MemoryModel.Fit(Request("Qwen/Qwen2-72B", context: 32768), Catalog.Device("nvidia-a100-sxm4-80gb"), devices: 3);
        Assert.True(fit.Fits);
        Assert.Equal(3, fit.MinDevices);
        Assert.Equal([new Layout(1, 3, 1), new Layout(4, 1, 1)], fit.Layouts.Select(l => l.Layout).ToArray());
        Assert.NotNull(Layouts.TensorParallelProblem(Catalog.Model("qwen2-72b").Architecture, 3));
        Assert.Contains(fit.Findings, f => f.Code == "tensor-parallel-invalid");
    }

    [Fact]
    public void A_tensor_parallel_degree_that_does_not_divide_the_heads_is_refused_with_the_valid_layouts()
    {
        var ex = Assert.Throws<InputException>(() => Layouts.Validate(Catalog.Model("qwen2-72b").Architecture, 3, 1, "qwen2-72b"));
        Assert.Contains("64 attention heads do not divide over TP=3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TP=1 PP=3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_follow_bits_per_weight_with_embeddings_kept_in_16_bit_for_weight_only_int4()
    {
        var a = Catalog.Model("meta-llama/Llama-3.1-8B").Architecture;
        var p = ParameterCount.Of(a);
        var edge = p.Embedding + p.LmHead;
        var body = p.Total(a) - edge;
        Assert.Equal(body * 4.125 / 8 + edge * 2, MemoryModel.WeightBytes(a, NumberFormat.Int4).Value, 0);
        Assert.Equal(p.Total(a) * 2, MemoryModel.WeightBytes(a, NumberFormat.Bf16).Value, 0);
        // GGUF quantizes the embeddings too.
        Assert.Equal(p.Total(a) * 8.5 / 8, MemoryModel.WeightBytes(a, NumberFormat.GgufQ8).Value, 0);
    }

    [Fact]
    public void Mla_caches_the_latent_not_the_heads()
    {
        // DeepSeek-V3: 61 layers x (512 latent + 64 rope) x 2 bytes = 70,272 bytes per token in bf16.
        var m = MemoryModel.Estimate(Request("deepseek-v3"));
        Assert.Equal(61 * (512 + 64) * 2.0, m.KvPerToken.Value);
    }

    [Fact]
    public void Sliding_windows_cap_the_kv_cache_of_long_sequences()
    {
        var a = Catalog.Model("mistralai/Mistral-7B-v0.1").Architecture;
        var at4k = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 4096);
        var at32k = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 32768);
        Assert.Equal(at4k, at32k);
        var gemma = Catalog.Model("google/gemma-2-9b-it").Architecture;
        Assert.True(MemoryModel.KvBytesPerSequence(gemma, NumberFormat.Bf16, 8192) > MemoryModel.KvBytesPerSequence(gemma, NumberFormat.Bf16, 4096));
    }

    [Property(MaxTest = 60)]
    public Property A_longer_context_never_lowers_memory() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 200_000)), Arb.From(Gen.Choose(1, 200_000)), Arb.From(Gen.Elements(Catalog.Models.Select(m => m.Id).ToArray())), (c1, c2, id) =>
        {
            var (short_, long_) = (Math.Min(c1, c2), Math.Max(c1, c2));
            return MemoryModel.Estimate(Request(id, context: long_)).Total >= MemoryModel.Estimate(Request(id, context: short_)).Total;
        });

    [Property(MaxTest = 60)]
    public Property A_larger_batch_never_lowers_memory_and_never_lowers_the_devices_needed() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 256)), Arb.From(Gen.Choose(1, 256)), (b1, b2) =>
        {
            var (small, large) = (Math.Min(b1, b2), Math.Max(b1, b2));
            var h100 = Catalog.Device("nvidia-h100-sxm5-80gb");
            var fitSmall = MemoryModel.Fit(Request("llama-3.1-70b", context: 8192, batch: small), h100);
            var fitLarge = MemoryModel.Fit(Request("llama-3.1-70b", context: 8192, batch: large), h100);
            return fitLarge.MinDevices >= fitSmall.MinDevices
                && MemoryModel.Estimate(Request("llama-3.1-70b", batch: large)).Total >= MemoryModel.Estimate(Request("llama-3.1-70b", batch: small)).Total;
        });

    [Fact]
    public void More_devices_never_lower_the_sequences_a_layout_can_hold()
    {
        var r = Request("llama-3.1-70b", context: 8192);
        var h100 = Catalog.Device("nvidia-h100-sxm5-80gb");
        long previous = 0;
        foreach (var tp in new[] { 2, 4, 8 })
        {
            var m = MemoryModel.OnDevice(r, new Layout(tp, 1, 1), h100.Memory, 0.9);
            Assert.True(m.MaxSequences >= previous);
            previous = m.MaxSequences;
        }
    }

    [Fact]
    public void A_model_too_large_for_any_layout_says_so_and_what_would_help()
    {
        var fit = MemoryModel.Fit(Request("llama-3.1-405b", context: 131072, batch: 64), Catalog.Device("nvidia-t4"));
        Assert.Null(fit.MinDevices);
        Assert.False(fit.Fits);
        var error = Assert.Single(fit.Findings, f => f.Severity == Severity.Error);
        Assert.Contains("What would fit", error.Message, StringComparison.Ordinal);
        Assert.Contains("a batch of 8 fits on", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(20_000_000, 1)]
    public void Absurd_context_or_batch_is_refused_naming_the_option(int context, int batch)
    {
        var ex = Assert.Throws<InputException>(() => MemoryModel.Estimate(Request("qwen2-72b", context: context, batch: batch)));
        Assert.Matches("--context|--batch", ex.Field);
    }

    [Fact]
    public void Layouts_on_a_device_count_use_only_valid_splits()
    {
        var a = Catalog.Model("qwen2-72b").Architecture;
        Assert.Equal([new Layout(2, 3, 1), new Layout(1, 6, 1)], Layouts.On(a, 6));
        var mixtral = Catalog.Model("mixtral-8x7b").Architecture;
        Assert.Contains(new Layout(8, 1, 8), Layouts.On(mixtral, 8));
    }
}
