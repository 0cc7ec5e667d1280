using System.Globalization;
using Suanli.Catalog;

namespace Suanli.Files;

// Nemotron-H's one-operator blocks (transformers models/nemotron_h, NemotronHBlock): each block is a Mamba-2 mixer ('M' /
// "mamba"), an attention mixer ('*' / "attention"), a dense MLP ('-' / "mlp") or a mixture of experts ('E' / "moe"), with one
// norm, given as hybrid_override_pattern (a character a block) or layers_block_type (a name a block).
public static partial class HuggingFaceConfig
{
    /// <summary>How many blocks of each kind the pattern gives: Mamba-2, attention, dense MLP and expert blocks.</summary>
    private sealed record HybridBlocks(int Mamba, int Attention, int Mlp, int Experts)
    {
        public int Mixers => Mamba + Attention;
        public int MlpOnly => Mlp + Experts;
    }

    /// <summary>The block kinds of a Nemotron-H config, null when it has neither hybrid_override_pattern nor layers_block_type.</summary>
    private static HybridBlocks? ReadHybridBlocks(Cfg c, int layers)
    {
        if (BlockKinds(c, "hybrid_override_pattern", "layers_block_type") is not var (field, kinds))
        {
            return null;
        }
        var n = layers.ToString(CultureInfo.InvariantCulture);
        if (kinds.Count != layers)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-block-count", "config.json field '{field}' gives {count} blocks but num_hidden_layers is {layers}. Give one kind per block.",
                ("field", field), ("count", kinds.Count), ("layers", n)));
        }
        if (kinds.FirstOrDefault(k => k is not ('M' or '*' or '-' or 'E')) is var bad && bad != default)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-block-kind", "config.json field '{field}' has block kind '{kind}', which Suanli cannot model; known kinds are M (Mamba-2), * (attention), - (MLP) and E (experts).",
                ("field", field), ("kind", bad.ToString())));
        }
        var blocks = new HybridBlocks(kinds.Count(k => k == 'M'), kinds.Count(k => k == '*'), kinds.Count(k => k == '-'), kinds.Count(k => k == 'E'));
        if (blocks.Attention == 0 || blocks.MlpOnly == 0)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-hybrid-blocks", "config.json field '{field}' gives {attention} attention and {mlp} MLP blocks; Suanli models a hybrid with at least one of each. Correct the pattern.",
                ("field", field), ("attention", blocks.Attention), ("mlp", blocks.MlpOnly)));
        }
        return blocks;
    }

    /// <summary>One block kind a character ('M', '*', '-', 'E') from the pattern field or the list field, with the field read; null when neither is given.</summary>
    private static (string Field, List<char> Kinds)? BlockKinds(Cfg c, string patternField, string listField)
    {
        if (c.Str(patternField) is { } pattern)
        {
            return (patternField, [.. pattern]);
        }
        if (c.StrList(listField) is not { } names)
        {
            return null;
        }
        return (listField, [.. names.Select(n => n switch
        {
            "mamba" => 'M',
            "attention" => '*',
            "mlp" => '-',
            "moe" => 'E',
            _ => throw c.Error(listField, Suanli.Text.Phrase.Of("config-block-kind-name", "config.json field '{field}' has block kind '{kind}', which Suanli cannot model; known kinds are mamba, attention, mlp and moe.", ("field", listField), ("kind", n))),
        })]);
    }

    /// <summary>
    /// The blocks of one Nemotron-H MTP module (mtp_hybrid_override_pattern or mtp_layers_block_type; Nemotron 3 Super's
    /// "*E"), null without MTP modules or without the field. A Mamba-2 block in the module is refused by field: its state
    /// would be a draft cache Suanli does not size.
    /// </summary>
    private static MtpBlocks? ReadMtpBlocks(Cfg c, HybridBlocks? hybrid, int mtpLayers)
    {
        if (hybrid is null || mtpLayers == 0 || BlockKinds(c, "mtp_hybrid_override_pattern", "mtp_layers_block_type") is not var (field, kinds))
        {
            return null;
        }
        var bad = kinds.Count == 0 ? "" : kinds.FirstOrDefault(k => k is not ('*' or '-' or 'E')) is var k && k != default ? k.ToString() : null;
        if (bad is not null)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-mtp-block-kind", "config.json field '{field}' gives the MTP module a block kind Suanli does not size there ('{kind}'); an MTP module may hold attention (*), MLP (-) and expert (E) blocks. Correct the pattern.",
                ("field", field), ("kind", bad)));
        }
        var blocks = new MtpBlocks(kinds.Count(k => k == '*'), kinds.Count(k => k == '-'), kinds.Count(k => k == 'E'));
        if (blocks.Experts > 0 && hybrid.Experts == 0)
        {
            throw c.Error(field, Suanli.Text.Phrase.Of("config-mtp-experts-without-experts", "config.json field '{field}' gives the MTP module an expert block (E), but the model has no expert blocks whose experts it could hold. Correct the pattern.",
                ("field", field)));
        }
        return blocks;
    }

    /// <summary>
    /// LatentMoE's width (moe_latent_size, Nemotron 3 Super: 1024), 0 where absent or 0. The routed experts then map the latent
    /// width, not the hidden state (vLLM vllm/model_executor/models/nemotron_h.py NemotronHMoE: fc1_latent_proj and
    /// fc2_latent_proj around experts of hidden_size moe_latent_size); without routed experts it has nothing to size and is
    /// refused by field.
    /// </summary>
    private static int ReadMoeLatent(Cfg c, bool routed)
    {
        var latent = c.OptInt("moe_latent_size") ?? 0;
        if (latent > 0 && !routed)
        {
            throw c.Error("moe_latent_size", Suanli.Text.Phrase.Of("config-moe-latent-without-experts", "config.json field 'moe_latent_size' ({latent}) gives a latent width to routed experts, but the config has no routed experts (n_routed_experts above 1). Add the experts or remove moe_latent_size.",
                ("latent", latent)));
        }
        return latent;
    }

    /// <summary>
    /// The Mamba-2 layers of a Nemotron-H config in linear-attention terms (<see cref="LinearAttention"/>): n_groups key heads
    /// of ssm_state_size, mamba_num_heads value heads of mamba_head_dim. Projection biases and a conv1d without bias are
    /// refused by field: the count sizes the released layout (no projection bias, a conv bias).
    /// </summary>
    private static LinearAttention MambaShape(Cfg c, HybridBlocks blocks)
    {
        foreach (var bias in new[] { "use_bias", "mamba_proj_bias" })
        {
            if (c.OptBool(bias) == true)
            {
                throw c.Error(bias, Suanli.Text.Phrase.Of("config-mamba-bias", "config.json field '{field}' gives the Mamba-2 projections biases, which Suanli does not size (Nemotron-H's released checkpoints have none). Remove the model or describe it with a supported architecture.",
                    ("field", bias)));
            }
        }
        if (c.OptBool("use_conv_bias") == false)
        {
            throw c.Error("use_conv_bias", Suanli.Text.Phrase.Of("config-mamba-conv-bias", "config.json field 'use_conv_bias' is false; Suanli sizes Mamba-2's convolution with its bias (Nemotron-H's released layout). Remove the model or describe it with a supported architecture."));
        }
        var groups = c.Int("n_groups");
        var heads = c.Int("mamba_num_heads");
        var state = c.Int("ssm_state_size");
        var headDim = c.Int("mamba_head_dim");
        // NVIDIA's NemotronHConfig defaults mamba_d_conv (conv_kernel) to 4 (docs/methodology.md, hybrid Mamba-2 blocks).
        var conv = c.OptInt("conv_kernel") ?? 4;
        c.Positive("n_groups", groups);
        c.Positive("mamba_num_heads", heads);
        c.Positive("ssm_state_size", state);
        c.Positive("mamba_head_dim", headDim);
        c.Positive("conv_kernel", conv);
        if (heads % groups != 0)
        {
            throw c.Error("n_groups", Suanli.Text.Phrase.Of("config-mamba-groups", "config.json field 'n_groups' ({groups}) must divide mamba_num_heads ({heads}): each group's B and C serve whole heads.",
                ("groups", groups), ("heads", heads)));
        }
        // vLLM keeps a Nemotron-H SSM state in the config's mamba_ssm_cache_dtype, float32 where the config gives none ('Only
        // float32 is known to have no accuracy issues by default': vllm/model_executor/models/config.py,
        // NemotronHForCausalLMConfig, https://docs.vllm.ai/en/latest/api/vllm/model_executor/models/config/).
        var ssmBytes = c.Str("mamba_ssm_cache_dtype") switch
        {
            "float32" or null => 4.0,
            "bfloat16" or "float16" => 2.0,
            var other => throw c.Error("mamba_ssm_cache_dtype", Suanli.Text.Phrase.Of("config-mamba-state-dtype", "config.json field 'mamba_ssm_cache_dtype' is '{value}'; Suanli knows float32, bfloat16 and float16 for the Mamba state.", ("value", other))),
        };
        return new LinearAttention(LinearAttention.Mamba2, blocks.Mamba, groups, heads, state, headDim, conv) { SsmStateBytesPerValue = ssmBytes };
    }
}
