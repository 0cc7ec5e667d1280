using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>The model half of the catalog: parameter counts, the names users type, and architectures read as data.</summary>
public partial class ModelCatalogTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

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
    public void Every_model_names_the_source_of_its_parameter_count_and_a_release_date_or_why_it_has_none()
    {
        var text = File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "catalog", "models", "models.yaml"));
        var blocks = text.Split("\n- id: ").Skip(1).ToDictionary(b => b[..b.IndexOf('\n', StringComparison.Ordinal)].Trim(), b => b);
        var missing = new List<string>();
        var undated = new List<string>();
        foreach (var m in Catalog.Models)
        {
            Assert.True(m.PublishedParametersSource.Length > 10, $"{m.Id}: no source for its parameter count");
            Assert.True(blocks.TryGetValue(m.Id, out var block), $"{m.Id}: no block in models.yaml");
            var dated = block!.Contains("\n  release_date: ", StringComparison.Ordinal);
            var reason = System.Text.RegularExpressions.Regex.Match(block, "\n  release_date_unknown: \"([^\"]*)\"");
            if (reason.Success)
            {
                // A reason is for an entry without a date, and says more than "unknown".
                Assert.False(dated, $"{m.Id}: has both release_date and release_date_unknown");
                Assert.True(reason.Groups[1].Value.Length > 60, $"{m.Id}: release_date_unknown gives no real reason");
                undated.Add(m.Id);
            }
            else if (!dated)
            {
                missing.Add(m.Id);
            }
        }
        Assert.True(missing.Count == 0, "models.yaml entries with neither release_date nor release_date_unknown: " + string.Join(", ", missing));
        // Three llm-foundry benchmark configurations and the three Qwen3.5 medium models (27B, 35B-A3B, 122B-A10B, released
        // together) whose day no attributed source gives; a new gap must be argued here. Nemotron 3.5 Lightning is the seventh:
        // its month (August 2026) is known from two catalogues and its window from NVIDIA's own import check (2026-07-23) and
        // the first derivatives (2026-08-12), but no source read gives the day, and a guessed day would be an invented figure.
        Assert.True(undated.Count <= 7, "undated entries: " + string.Join(", ", undated));
    }

    [Fact]
    public void Exceptions_to_the_parameter_check_are_few_and_explained()
    {
        var exceptions = Catalog.Models.Where(m => m.ParameterCheckException is not null).ToList();
        // Each exception is a published figure rounded to the billion (or to two figures, as DeepSeek-V4-Pro's 1.6T) or a
        // paper whose shapes disagree with its own total: about one model in ten at most.
        // Gemma 3n's '5B' and '8B' raw counts take in a vision and an audio encoder (MobileNet-V5, USM) whose widths no
        // config gives, so only the text model is counted; they are argued here and kept out of the one-in-ten bound. Gemma 4
        // E2B's '5.1B' and E4B's '8B' take in a conformer audio encoder Suanli does not size, the same kind of exception.
        string[] uncountedTowers = ["gemma-3n-e2b", "gemma-3n-e4b", "gemma-4-e2b", "gemma-4-e4b"];
        var others = exceptions.Count(m => !uncountedTowers.Contains(m.Id));
        Assert.True(others <= Math.Ceiling(Catalog.Models.Count * 0.11), $"{others} exceptions for {Catalog.Models.Count} models");
        Assert.All(uncountedTowers, id => Assert.Contains("audio encoder", Catalog.Model(id).ParameterCheckException, StringComparison.Ordinal));
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
    [InlineData("stepfun-ai/Step-3.5-Flash", "step-3.5-flash")]
    [InlineData("step3.5-flash", "step-3.5-flash")]
    [InlineData("nemotron-3-super", "nemotron-3-super-120b-a12b")]
    [InlineData("nemotron3-super", "nemotron-3-super-120b-a12b")]
    [InlineData("nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4", "nemotron-3-super-120b-a12b")]
    [InlineData("qwen3.5", "qwen3.5-397b-a17b")]
    [InlineData("kimi-k2", "kimi-k2")]
    [InlineData("gpt-oss", "gpt-oss-120b")]
    [InlineData("deepseek-ai/DeepSeek-V4-Pro", "deepseek-v4-pro")]
    [InlineData("deepseek-v4", "deepseek-v4-pro")]
    [InlineData("v4-flash", "deepseek-v4-flash")]
    [InlineData("google/gemma-3n-E4B-it", "gemma-3n-e4b")]
    [InlineData("gemma3n:e2b", "gemma-3n-e2b")]
    [InlineData("Gemma 3n E2B", "gemma-3n-e2b")]
    [InlineData("gemma4:26b", "gemma-4-26b-a4b")]
    [InlineData("google/gemma-4-26B-A4B-it", "gemma-4-26b-a4b")]
    [InlineData("tencent/Hy3-preview", "hy3")]
    [InlineData("tencent/Hy4-preview", "hy4-preview")]
    [InlineData("tencent/Hy4-preview-FP8", "hy4-preview")]
    [InlineData("hunyuan-v4", "hy4-preview")]
    [InlineData("hy-v4", "hy4-preview")]
    [InlineData("混元4", "hy4-preview")]
    [InlineData("Qwen/Qwen3-Coder-Next", "qwen3-coder-next")]
    [InlineData("mistralai/Mistral-Medium-3.5-128B", "mistral-medium-3.5")]
    [InlineData("mistralai/Mistral-Small-4-119B-2603", "mistral-small-4")]
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
    [InlineData("qwen3.6-35b-a3b", "qwen3.5-35b-a3b")]
    [InlineData("Qwen/Qwen3.6-27B", "qwen3.5-27b")]
    [InlineData("Qwen/Qwen3.8-27B", "qwen3.5-27b")]
    [InlineData("Qwen3.5-9B", "qwen3.5-9b")]
    [InlineData("qwen3.5:4b", "qwen3.5-4b")]
    [InlineData("qwen3-coder-30b", "qwen3-coder-30b-a3b")]
    [InlineData("minimax-m2.1", "minimax-m2.5")]
    [InlineData("kimi-linear", "kimi-linear-48b-a3b")]
    [InlineData("glm-5", "glm-5")]
    [InlineData("glm5", "glm-5")]
    [InlineData("mistralai/Ministral-3-14B-Instruct-2512", "ministral-3-14b")]
    [InlineData("ministral-3:8b", "ministral-3-8b")]
    [InlineData("zai-org/GLM-5-FP8", "glm-5")]
    [InlineData("moonshotai/Kimi-Linear-48B-A3B-Instruct", "kimi-linear-48b-a3b")]
    [InlineData("glm-5.1", "glm-5.1")]
    [InlineData("glm5.1", "glm-5.1")]
    [InlineData("zai-org/GLM-5.1-FP8", "glm-5.1")]
    [InlineData("qwen3.5-122b", "qwen3.5-122b-a10b")]
    [InlineData("qwen3.5:122b", "qwen3.5-122b-a10b")]
    [InlineData("Qwen/Qwen3.5-122B-A10B-FP8", "qwen3.5-122b-a10b")]
    [InlineData("kimi-k2.6", "kimi-k2.5")]
    [InlineData("moonshotai/Kimi-K2.6", "kimi-k2.5")]
    [InlineData("minimax-m2.7", "minimax-m2.7")]
    [InlineData("MiniMaxAI/MiniMax-M2.7", "minimax-m2.7")]
    [InlineData("glm-5.2", "glm-5.2")]
    [InlineData("GLM 5.2", "glm-5.2")]
    [InlineData("zai-org/GLM-5.2-FP8", "glm-5.2")]
    [InlineData("nvidia/GLM-5.2-NVFP4", "glm-5.2")]
    [InlineData("glm-5.3", "glm-5.3")]
    [InlineData("GLM 5.3", "glm-5.3")]
    [InlineData("zai-org/GLM-5.3", "glm-5.3")]
    [InlineData("moonshotai/Kimi-K2.7-Code", "kimi-k2.5")]
    [InlineData("kimi-k2.7", "kimi-k2.5")]
    [InlineData("deepseek-ai/DeepSeek-V4-Flash-0731", "deepseek-v4-flash")]
    [InlineData("deepseek-v4-flash-0731", "deepseek-v4-flash")]
    [InlineData("minimax-m3", "minimax-m3")]
    [InlineData("MiniMax M3", "minimax-m3")]
    [InlineData("MiniMaxAI/MiniMax-M3-MXFP8", "minimax-m3")]
    [InlineData("gemma-4-31b", "gemma-4-31b")]
    [InlineData("Gemma 4 31B", "gemma-4-31b")]
    [InlineData("google/gemma-4-31B-it", "gemma-4-31b")]
    public void Names_users_type_for_current_open_weight_models_resolve_to_the_entry_with_that_architecture(string name, string id) =>
        Assert.Equal(id, Catalog.Model(name).Id);

    [Fact]
    public void Qwen3_5_122b_a10b_counts_the_text_weights_a_checkpoint_reading_reports()
    {
        // Hand count (48 layers of width 3072, vocabulary 248,320, untied): embedding and head 2 x 248,320 x 3072 =
        // 1,525,678,080; per layer 256 experts x 3 x 3072 x 1024 + shared expert 3 x 3072 x 1024 + its gate 3072 + router
        // 256 x 3072 = 2,426,145,792, x 48 = 116,454,998,016; 12 gated attention layers of 78,643,712 (q with gate 3072 x
        // 16,384, k and v 3072 x 512 each, o 8192 x 3072, q/k norms 2 x 256) = 943,724,544; 36 Gated DeltaNet layers of
        // 88,523,008 (qkv 3072 x 12,288, z 3072 x 8192, b and a 2 x 3072 x 64, conv 12,288 x 4, A_log and dt_bias 2 x 64,
        // norm 128, out 8192 x 3072) = 3,186,828,288; norms 48 x 2 x 3072 + 3072. Sum 122,111,526,912, the 122.11B a public
        // deployment report reads from the released checkpoint (llmgarage.ai); 32 value heads would give 120.75B.
        var a = Catalog.Model("qwen3.5-122b-a10b").Architecture;
        var counted = ParameterCount.Of(a);
        Assert.Equal(36, a.Layers - a.SoftmaxLayers);
        Assert.InRange(counted.Text(a), 122_111_526_912 * 0.9995, 122_111_526_912 * 1.0005);
        Assert.InRange(counted.Text(a) / 1e9, 122.105, 122.115);
    }

    [Theory]
    // Hand counts (32 layers, 24 Gated DeltaNet + 8 gated attention, vocabulary 248,320, 16 QK / 32 V heads of 128).
    // 9B, width 4096, FFN 12,288, untied: embedding and head 2 x 1,017,118,720; per DeltaNet layer qkv 4096 x 8192, z 4096 x
    // 4096, b and a 2 x 4096 x 32, conv 8192 x 4, A_log and dt_bias 64, norm 128, out 4096 x 4096 = 67,403,968; per
    // attention layer q with gate 4096 x 8192, k and v 4096 x 1024 each, o 4096 x 4096, q/k norms 512 = 58,720,768; MLP
    // 3 x 4096 x 12,288; two norms per layer and a final one. Sum 8,953,803,264, the 8.95B the checkpoint's GGUF reading reports.
    // 4B, width 2560, FFN 9216, tied: embedding 635,699,200, DeltaNet layer 42,139,840, attention layer 36,700,672, MLP
    // 3 x 2560 x 9216. Sum 4,205,748,736.
    // The 24-layer sizes (18 DeltaNet + 6 attention, 16 QK / 16 V heads of 128, 8 Q / 2 KV heads of 256, tied):
    // 2B, width 2048, FFN 6144: embedding 508,559,360, DeltaNet layer 21,061,792, attention layer 14,680,576, MLP
    // 3 x 2048 x 6144. Sum 1,881,825,088 (GGUF listing 1.89B). 0.8B, width 1024, FFN 3584: embedding 254,279,680,
    // DeltaNet layer 10,543,264, attention layer 7,340,544, MLP 3 x 1024 x 3584. Sum 752,393,024 (GGUF listing 758M).
    [InlineData("qwen3.5-9b", 8_953_803_264, 24)]
    [InlineData("qwen3.5-4b", 4_205_748_736, 24)]
    [InlineData("qwen3.5-2b", 1_881_825_088, 18)]
    [InlineData("qwen3.5-0.8b", 752_393_024, 18)]
    public void Qwen3_5_small_dense_sizes_count_their_hand_counted_text_weights(string id, long text, int deltaNetLayers)
    {
        var a = Catalog.Model(id).Architecture;
        Assert.Equal(deltaNetLayers, a.Layers - a.SoftmaxLayers);
        Assert.Null(a.Moe);
        Assert.InRange(ParameterCount.Of(a).Text(a), text * 0.9999, text * 1.0001);
    }

    [Fact]
    public void Mistral_small_4_counts_its_hand_counted_mla_and_expert_weights_and_the_checkpoints_119_4b_with_its_tower()
    {
        // Mistral4Config's shapes (36 layers, width 4096, 32 heads, q_lora 1024, kv_lora 256, qk 64 + 64 rope, v 128, 128
        // experts of 2048 top-4 + 1 shared, vocabulary 131,072, untied). Per layer: q_a 4096 x 1024, its norm 1024, q_b
        // 1024 x 32 x 128, kv_a 4096 x (256 + 64), its norm 256, kv_b 256 x 32 x (64 + 128), o 4096 x 4096 = 28,050,688;
        // router 128 x 4096, 129 SwiGLU experts of 3 x 4096 x 2048 = 3,246,915,584; two norms 8192. 36 layers, embedding and
        // head 2 x 131,072 x 4096, final norm 4096: 118,972,826,624 text weights.
        var a = Catalog.Model("mistralai/Mistral-Small-4-119B-2603").Architecture;
        Assert.Equal(new LatentAttention(256, 1024, 64, 64, 128), a.Mla);
        Assert.Equal((128, 4, 1, 2048), (a.Moe!.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.Moe.ExpertIntermediateSize));
        var count = ParameterCount.Of(a);
        Assert.InRange(count.Text(a), 118_972_826_624 * 0.9999, 118_972_826_624 * 1.0001);
        // The Pixtral tower brings the total to the 119.4B a model page reads from the checkpoint (within 0.1%).
        Assert.InRange(count.Total(a) / 119.4e9, 0.999, 1.001);
        // Active with embedding and head: 36 x (28,050,688 + 524,288 + 5 x 25,165,824 + 8192) + 2 x 536,870,912 + 4096.
        Assert.InRange(count.Active(a), 6_632_588_288 * 0.9999, 6_632_588_288 * 1.0001);
    }

    [Fact]
    public void Seed_oss_36b_counts_its_hand_counted_gqa_weights_with_qkv_biases_and_no_output_bias()
    {
        // 64 layers of q 5120 x 10,240, k and v 5120 x 1024 with their biases (10,240 + 2 x 1024), o 10,240 x 5120 without
        // one, SwiGLU 3 x 5120 x 27,648, two norms; untied 155,136 x 5120 embedding and head; final norm: 36,151,104,512.
        var a = Catalog.Model("ByteDance-Seed/Seed-OSS-36B-Instruct").Architecture;
        const double h = 5120;
        var layer = h * 10_240 + 2 * h * 1024 + 10_240 + 2 * 1024 + 10_240 * h + 3 * h * 27_648 + 2 * h;
        Assert.Equal(36_151_104_512.0, 64 * layer + 2 * 155_136 * h + h);
        Assert.Equal(36_151_104_512.0, ParameterCount.Of(a).Text(a), 1);
    }

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
        Assert.Equal(4096, Catalog.Model("mistralai/Mistral-7B-v0.1").Architecture.Window?.Length);
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
        Assert.True(a.Extras.AttentionOutputGate);
        Assert.Equal(1, a.MtpLayers);
        Assert.Single(a.Towers);
        var counted = ParameterCount.Of(a).Total(a);
        Assert.InRange(counted / 397e9, 0.99, 1.01);
    }

    [Fact]
    public void Qwen35_medium_sizes_are_hybrids_with_three_deltanet_layers_to_each_gated_attention_layer()
    {
        // 35B-A3B: 40 layers (10 full, 30 Gated DeltaNet with 16 K / 32 V heads), 256 experts of 512, top-8, one shared
        // of 512, 16 Q / 2 KV heads of 256. Only the 10 full layers grow with context: 10 x 2 (K, V) x 2 KV heads x 256
        // x 2 bytes = 20,480 bytes per token in BF16; each DeltaNet layer keeps Qwen3-Next's constant state (32 V heads
        // x 128 x 128 + 8,192 conv channels x 3 = 548,864 values = 1,097,728 bytes).
        var moe = Catalog.Model("qwen3.5-35b-a3b").Architecture;
        Assert.Equal((40, 30, 10), (moe.Layers, moe.Linear!.Layers, moe.SoftmaxLayers));
        Assert.Equal((16, 32, 128), (moe.Linear.KeyHeads, moe.Linear.ValueHeads, moe.Linear.ValueHeadDim));
        Assert.Equal((256, 8, 1, 512), (moe.Moe!.Experts, moe.Moe.ActiveExperts, moe.Moe.SharedExperts, moe.Moe.SharedIntermediateSize));
        Assert.Equal((16, 2, 256), (moe.Heads, moe.KvHeads, moe.HeadDim));
        Assert.Equal(20_480.0, MemoryModel.KvBytesPerToken(moe, NumberFormat.Bf16).Value);
        Assert.Equal(1_097_728.0, MemoryModel.RecurrentStatePerLayer(moe).Value);
        Assert.True(moe.Extras.AttentionOutputGate);
        Assert.Equal(1, moe.MtpLayers);
        // 27B: dense MLP of 17,408 on 64 layers (16 full, 48 DeltaNet with 48 V heads), 24 Q / 4 KV heads of 256.
        var dense = Catalog.Model("qwen3.5-27b").Architecture;
        Assert.Null(dense.Moe);
        Assert.Equal((64, 48, 16, 48), (dense.Layers, dense.Linear!.Layers, dense.SoftmaxLayers, dense.Linear.ValueHeads));
        Assert.Equal((24, 4, 256, 17408), (dense.Heads, dense.KvHeads, dense.HeadDim, dense.IntermediateSize));
        Assert.Single(dense.Towers);
    }

    [Fact]
    public void Glm5_is_an_mla_moe_with_a_32_head_sparse_attention_indexer_counted_from_its_report_table()
    {
        // GLM-5 technical report table: 78 layers (3 dense of 12288, 75 MoE), hidden 6144, 64 heads, q_lora 2048,
        // kv_lora 512, qk 192 + 64 rope, v 256, indexer 32 heads of 128, 256 experts of 2048 top-8 + 1 shared, vocab 154,880.
        var a = Catalog.Model("glm-5").Architecture;
        Assert.Equal(AttentionKind.MultiHeadLatent, a.Attention);
        Assert.Equal(new SparseAttention(32, 128, 2048), a.Sparse);
        Assert.Equal((78, 3, 256, 8, 1), (a.Layers, a.Moe!.DenseLayers, a.Moe.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts));
        Assert.Equal(1, a.MtpLayers);
        // By hand, per layer: MLA 6144 x 2048 + 2048 + 2048 x 64 x 256 + 6144 x 576 + 512 + 512 x 64 x 448 + 64 x 256 x 6144
        // = 165,022,208; indexer 2048 x 4096 + 6144 x 128 + 256 + 6144 x 32 = 9,371,904; two norms 12,288. Dense MLP
        // 3 x 6144 x 12288; MoE 257 x 3 x 6144 x 2048 (256 routed + 1 shared) + 256 x 6144 + 256 (router and its bias). Embedding and head
        // 154,880 x 6144 each, final norm 6144: 743,911,218,432 in all, 0.01% under the report's 744B.
        const double byHand = 78 * (165_022_208.0 + 9_371_904 + 12_288) + 3 * 3.0 * 6144 * 12288
            + 75 * (257 * 3.0 * 6144 * 2048 + 256 * 6144 + 256) + 2 * 154_880.0 * 6144 + 6144;
        Assert.Equal(743_911_218_432.0, byHand);
        Assert.InRange(ParameterCount.Of(a).Total(a) / byHand, 0.9999, 1.0001);
        // KV per token in BF16: 78 layers x (512 + 64 latent values x 2 bytes + 132 bytes of FP8 indexer key and scale).
        Assert.Equal(78 * (576 * 2.0 + 132), MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }

    [Fact]
    public void Hy3_with_its_mtp_layer_counts_the_checkpoints_parameters_less_only_its_per_head_qk_norms()
    {
        // tencent/Hy3 config at 716aa724: 80 layers, hidden 4096, 64 Q / 8 KV heads of 128, one dense layer of 13,312, 79 MoE
        // layers of 192 routed experts of 1536 (top-8) + 1 shared, vocabulary 120,832 untied, one MTP layer.
        var a = Catalog.Model("hy3").Architecture;
        Assert.Equal((80, 1, 192, 8, 1, 1), (a.Layers, a.Moe!.DenseLayers, a.Moe.Experts, a.Moe.ActiveExperts, a.Moe.SharedExperts, a.MtpLayers));
        // By hand, per layer: q 4096 x 8192, k and v 4096 x 1024 each, o 8192 x 4096, q/k norms 128 each, two norms 4096.
        const double layer = 2 * 4096.0 * 8192 + 2 * 4096.0 * 1024 + 2 * 128 + 2 * 4096;
        const double moe = 193 * 3.0 * 4096 * 1536 + 192 * 4096; // 192 routed + 1 shared expert, router
        const double main = 80 * layer + 3.0 * 4096 * 13312 + 79 * moe + 2 * 120_832.0 * 4096 + 4096;
        // The MTP layer: attention, an MoE block, eh_proj 8192 -> 4096, enorm, hnorm and its final norm.
        const double mtp = layer + moe + 8192.0 * 4096 + 3 * 4096;
        // The checkpoint's safetensors hold 298,786,140,416 BF16 parameters (beside 15,360 F32 expert biases).
        Assert.Equal(298_786_140_416.0, main + mtp);
        // The count leaves out the per-head q/k norms (256 values on each of 81 layers) and nothing else.
        var p = ParameterCount.Of(a);
        Assert.Equal(main - 80 * 256, p.Total(a));
        Assert.Equal(mtp - 256, p.Mtp);
        // Full-attention GQA in every layer: 80 x 2 x 8 x 128 x 2 bytes = 320 KiB of BF16 cache per token.
        Assert.Equal(327_680.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }

    [Theory]
    [InlineData("ministral-3-3b", 3072, 9216, 26, true, 3.4e9)]
    [InlineData("ministral-3-8b", 4096, 14336, 34, false, 8.4e9)]
    [InlineData("ministral-3-14b", 5120, 16384, 40, false, 13.5e9)]
    public void Ministral3_sizes_are_dense_gqa_decoders_whose_language_models_count_the_stated_sizes(
        string id, int hidden, int ffn, int layers, bool tied, double statedLanguageModel)
    {
        // Per layer: q and o 2 x hidden x 4096 (32 heads of 128), k and v 2 x hidden x 1024 (8 KV heads), gated MLP
        // 3 x hidden x FFN, two RMSNorms; a final norm; vocabulary 131,072, one table when tied, two when not.
        var a = Catalog.Model(id).Architecture;
        Assert.Null(a.Moe);
        Assert.Equal(AttentionKind.GroupedQuery, a.Attention);
        Assert.Equal((32, 8, 128, tied), (a.Heads, a.KvHeads, a.HeadDim, a.TiedEmbeddings));
        Assert.Single(a.Towers);
        double h = hidden;
        var byHand = layers * (2 * h * 4096 + 2 * h * 1024 + 3 * h * ffn + 2 * h) + h + (tied ? 1 : 2) * 131_072 * h;
        var counted = ParameterCount.Of(a);
        Assert.Equal(byHand, counted.Total(a) - counted.Towers, 0);
        // The provider's figures are 3.4B, 8.4B (truncated from 8.49B) and 13.5B.
        Assert.InRange(byHand / statedLanguageModel, 0.99, 1.011);
        // Pixtral encoder ('0.4B'): 24 gated blocks x (4 x 1024^2 + 3 x 1024 x 4096) + patch embedding 3 x 14^2 x 1024 +
        // projector 1024 x hidden; no position table (2-D RoPE).
        Assert.Equal(24 * (4.0 * 1024 * 1024 + 3.0 * 1024 * 4096) + 3.0 * 14 * 14 * 1024 + 1024.0 * hidden, counted.Towers, 0);
        // KV cache per token in BF16: layers x (K, V) x 8 heads x 128 x 2 bytes.
        Assert.Equal(layers * 2 * 8 * 128 * 2.0, MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value);
    }
}
