using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;
using Suanli.Training;
using Xunit;
using static Suanli.Tests.ModelShapeChecks;

namespace Suanli.Tests;

/// <summary>
/// DeepSeek V4's parts against hand computations from the configs' numbers (docs/methodology.md, "DeepSeek V4: compressed
/// attention and hyper-connections"): weights of each part, KV bytes per sequence and one decode step's attention FLOPs.
/// </summary>
public sealed class DeepSeekV4Tests
{
    private static ModelArchitecture Pro => Architecture("deepseek-v4-pro");

    private static ModelArchitecture Flash => Architecture("deepseek-v4-flash");

    [Fact]
    public void The_config_lists_a_ratio_per_layer_and_the_mtp_entry_is_dropped()
    {
        // V4-Pro lists 62 ratios for 61 layers and one MTP block: 128, 128, then (4, 128) x 29, then 4 for layer 61.
        var v4 = Pro.Compressed!;
        Assert.Equal(61, v4.Ratios.Count);
        Assert.Equal(30, v4.LayersOf(4));
        Assert.Equal(31, v4.LayersOf(128));
        Assert.Equal(128, v4.Window);
        Assert.Null(Pro.Window);
        Assert.Equal(new GroupedOutput(16, 1024), Pro.LowRankOutput);
        Assert.Equal(4, Pro.Streams!.Streams);
        Assert.Equal(3, Pro.HashLayers);
        // V4-Flash: 0, 0, (4, 128) x 20, 4; its final 0 is the MTP block's.
        Assert.Equal(2, Flash.Compressed!.LayersOf(0));
        Assert.Equal(21, Flash.Compressed.LayersOf(4));
        Assert.Equal(20, Flash.Compressed.LayersOf(128));
    }

    [Fact]
    public void Each_part_weighs_what_its_matrices_hold()
    {
        // Grouped low-rank output: 128 heads x 512 x 1,024 (wo_a) + 16 groups x 1,024 x 7,168 (wo_b) = 67,108,864 + 117,440,512,
        // against 128 x 512 x 7,168 = 469,762,048 for a full output projection.
        Assert.Equal(184_549_376.0, Pro.LowRankOutput!.Parameters(128 * 512, 7168));
        // Hyper-connections, 4 streams: mixes (2 + 4) x 4 = 24; per block 2 x (24 x 4 x 7,168 + 24 + 3) = 1,376,310;
        // head 4 x 4 x 7,168 + 4 + 1 = 114,693; 61 blocks and the head 84,069,603.
        Assert.Equal(1_376_310.0, Pro.Streams!.ParametersPerLayer(7168));
        var counted = ParameterCount.Of(Pro);
        Assert.Equal(61 * 1_376_310.0 + 114_693, counted.HyperConnections);
        // Compressors: ratio 128 keeps wkv and wgate 7,168 x 512 each, ape 128 x 512 and a norm of 512 = 7,406,080;
        // ratio 4 overlaps windows, so twice as wide: 2 x 7,168 x 1,024 + 4 x 1,024 + 512 = 14,684,672.
        Assert.Equal(7_406_080.0, CompressedAttention.CompressorParameters(128, 512, 7168));
        Assert.Equal(14_684_672.0, CompressedAttention.CompressorParameters(4, 512, 7168));
        // Attention of one layer: query 7,168 x 1,536 + 1,536 + 1,536 x 65,536; shared KV 7,168 x 512 + 512; the grouped
        // output; 128 sink logits = 299,894,912. A CSA layer adds its compressor and the indexer (1,536 x 64 x 128 +
        // 7,168 x 64 + its own ratio-4 compressor of 128: 3,671,168) = 331,292,416; an HCA layer its compressor = 307,300,992.
        Assert.Equal(30 * 331_292_416.0 + 31 * 307_300_992.0, counted.AttentionPerLayer * 61, 1e-3);
        // Hash-routed layers: a token-id table of 129,280 x 6 experts each.
        Assert.Equal(3 * 129_280 * 6.0, counted.RoutingTables);
    }

    [Theory]
    // deepseek-ai/DeepSeek-V4-Pro model card: 1.6T total, 49B activated; V4-Flash 284B, 13B. The Pro card's figure is to
    // two digits and matches the count with the MTP block (1.599T); without it 1.573T. Tolerances: 0.2% on the totals
    // (Flash counts 284.33B), 3% on the rounded activated figures (no embedding).
    [InlineData("deepseek-v4-pro", 1.6e12, true, 49e9)]
    [InlineData("deepseek-v4-flash", 284e9, false, 13e9)]
    public void Counted_parameters_reproduce_the_published_totals(string id, double total, bool withMtp, double active)
    {
        var a = Architecture(id);
        var p = ParameterCount.Of(a);
        Assert.InRange((p.Total(a) + (withMtp ? p.Mtp : 0)) / total, 0.998, 1.002);
        Assert.InRange(p.ActiveAs(a, "no-embedding") / active, 0.97, 1.03);
    }

    [Fact]
    public void The_kv_cache_of_a_million_tokens_holds_the_window_the_compressed_entries_and_the_indexer_keys()
    {
        const int context = 1_048_576;
        // Pro in BF16: 30 CSA layers hold 128 + 262,144 entries, 31 HCA layers 128 + 8,192, each 512 x 2 bytes; the CSA
        // layers' indexer keys 262,144 x 132 bytes (128 FP8 values and an FP32 scale).
        var main = 30 * 262_272 * 1024.0 + 31 * 8_320 * 1024.0;
        var indexer = 30 * 262_144 * 132.0;
        Assert.Equal(main + indexer, MemoryModel.KvBytesPerSequence(Pro, NumberFormat.Bf16, context).Value);
        // The vLLM blog's 9.62 GiB per sequence (https://vllm.ai/blog/deepseek-v4) keeps the indexer keys in BF16 (256 bytes).
        Assert.Equal(9.62, Math.Round((main + 30 * 262_144 * 256.0) / (1L << 30), 2));
        // The serving pool: the window is a constant per sequence, each further token adds 1,024 x (30 / 4 + 31 / 128)
        // + 132 x 30 / 4 bytes.
        Assert.Equal(61 * 128 * 1024.0, MemoryModel.ConstantStatePerSequence(Pro, kv: NumberFormat.Bf16).Value);
        Assert.Equal(1024 * (30 / 4.0 + 31 / 128.0) + 132 * 30 / 4.0, MemoryModel.KvBytesPerCachedToken(Pro, NumberFormat.Bf16).Value, 1e-9);
    }

    [Fact]
    public void One_decode_token_attends_to_the_window_the_top_k_and_the_heavily_compressed_entries()
    {
        var attention = DecodeOperator("deepseek-v4-flash", "nvidia-h100-sxm5-80gb", NumberFormat.Bf16, OperatorKind.Attention);
        // At 8,192 tokens: a CSA layer attends to 128 window + min(2,048, top-512) entries = 640, at 4 x 64 heads x 512 FLOP
        // each = 83,886,080, and its indexer scores all 2,048 compressed keys at 2 x 64 x 128 = 33,554,432: 117,440,512
        // for the layer. An HCA layer attends to 128 + 64 entries, a window-only layer to 128.
        var csaLayer = 4.0 * 64 * 512 * 640 + 2.0 * 64 * 128 * 2048;
        Assert.Equal(117_440_512.0, csaLayer);
        var expected = 21 * csaLayer + 20 * (4.0 * 64 * 512 * 192) + 2 * (4.0 * 64 * 512 * 128);
        Assert.Equal(expected, attention.Flop.Value, 1e-6);
        // Reads: the attended entries (1,024 bytes each) and the indexer's keys (132 bytes), plus this token's writes.
        var reads = 1024.0 * (21 * 640 + 20 * 192 + 2 * 128) + 132.0 * 21 * 2048;
        var writes = 1024.0 * 43 + 132.0 * 21 / 4;
        Assert.Equal(reads + writes, attention.KvBytes.Value, 1e-6);
    }

    [Fact]
    public void Training_attention_counts_the_same_attended_entries()
    {
        // V4-Flash at an 8,192-token sequence: 21 x 640 + 20 x 192 + 2 x 128 = 17,536 entries per token, 4 x 64 x 512 FLOP each.
        Assert.Equal(4.0 * 64 * 512 * 17_536, TrainingCompute.AttentionForwardPerToken(Flash, 8192).Value);
    }

    [Theory]
    [InlineData("\"compress_ratios\":[4,4,5],\"num_nextn_predict_layers\":0", "compress_ratios")]
    [InlineData("\"compress_ratios\":[4,4],\"num_nextn_predict_layers\":0", "compress_ratios")]
    [InlineData("\"compress_ratios\":[0,128,128],\"num_key_value_heads\":2,\"num_nextn_predict_layers\":0", "num_key_value_heads")]
    [InlineData("\"compress_ratios\":[0,4,128],\"num_nextn_predict_layers\":0", "index_topk")]
    [InlineData("\"compress_ratios\":[0,128,128],\"o_lora_rank\":1024,\"num_nextn_predict_layers\":0", "o_groups")]
    public void An_unsupported_value_is_an_error_naming_its_field(string fields, string field)
    {
        var json = "{\"model_type\":\"deepseek_v4\",\"hidden_size\":4096,\"num_hidden_layers\":3,\"num_attention_heads\":64,"
            + "\"num_key_value_heads\":1,\"head_dim\":512,\"vocab_size\":129280,\"sliding_window\":128,\"q_lora_rank\":1024,"
            + "\"qk_rope_head_dim\":64,\"max_position_embeddings\":1048576," + fields.Replace("\"num_key_value_heads\":2,", "", StringComparison.Ordinal) + "}";
        if (fields.Contains("\"num_key_value_heads\":2", StringComparison.Ordinal))
        {
            json = json.Replace("\"num_key_value_heads\":1", "\"num_key_value_heads\":2", StringComparison.Ordinal);
        }
        var ex = Assert.Throws<InputException>(() => HuggingFaceConfig.Parse(json, "config.json"));
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }
}
