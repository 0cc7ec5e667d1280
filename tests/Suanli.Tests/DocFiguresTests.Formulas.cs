using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Training;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Worked examples written densely ("10 x 4 x 48 x 128 x 8,192 + 30 x ..."), where an interpolated sentence would
/// leave most figures between holes too short to name: each row is a regex over a page (whitespace collapsed) whose
/// groups are the page's figures, and the figures the catalog, the library or a command computes for them, in order.
/// A figure that drifts fails its row with both values; a sentence that no longer matches fails it by its pattern.
/// scripts/doc-figures-audit.py reads these patterns, so every group of one is a pinned figure.
/// </summary>
public sealed partial class DocFiguresTests
{
    /// <summary>A page, a regex over its text and the figures its groups must hold (a string as written, an integer with thousands separators).</summary>
    private sealed record FormulaRow(string Page, string Pattern, Func<Match, object[]> Figures);

    // One score of a query head against one cached entry: QK^T and PV, a multiply and an add each per head dimension.
    private const int AttentionFlopPerHeadDim = 4;

    // Keys and values: two cached vectors per KV head.
    private const int KeyAndValue = 2;

    // Bytes of a BF16 value, the model dtype of the examples' caches and states.
    private const int Bf16Bytes = 2;

    // A DeepSeek Sparse Attention index key: its FP8 values plus one FP32 scale (4 bytes) per 128 values.
    private const int FloatScaleBytes = 4;

    private static ModelArchitecture Arch(string id) => CatalogFiles.Embedded.Model(id).Architecture;

    /// <summary>A docs/validation.md "Rows" cell of a row: 4 devices, 9 predicted, 8 measured, 10 error %.</summary>
    private static string Cell(string id, int column) => ValidationRows.Value[id][column].Trim();

    /// <summary>The size in billions a row's model id ends with ("meta-llama/Llama-2-13b-hf" gives 13).</summary>
    private static string RowModelSize(string id) => Regex.Match(Cell(id, 2), @"(\d+)[bB](?:-hf)?$").Groups[1].Value;

    /// <summary>A row's measured or predicted figure (8 or 9) as the page writes it, "3.23e23".</summary>
    private static string RowExponent(string id, int column) => double.Parse(Cell(id, column), Invariant).ToString("0.00e0", Invariant);

    private static string Fixed(double value, string format) => value.ToString(format, Invariant);

    private static IEnumerable<FormulaRow> FormulaRows()
    {
        foreach (var row in TrainingFormulaRows().Concat(ArchitectureFormulaRows()).Concat(MoreFormulaRows()).Concat(TargetRows()))
        {
            yield return row;
        }
    }

    private static IEnumerable<FormulaRow> TrainingFormulaRows()
    {
        const string page = "docs/methodology-training.md";
        yield return new(page, @"GPT-3 \(trn-058\) ([+-][\d.]+) % \(([\d.]+e\d+) vs ([\d.]+e\d+)\), PaLM \(trn-061\) ([+-][\d.]+) %, Chinchilla \(trn-063\) ([+-][\d.]+) %, Llama 3\.1 (\d+)B \(trn-051\) ([+-][\d.]+) %",
            _ => [Cell("trn-058", 10), RowExponent("trn-058", 9), RowExponent("trn-058", 8), Cell("trn-061", 10), Cell("trn-063", 10), RowModelSize("trn-051"), Cell("trn-051", 10)]);
        yield return new(page, @"MLPerf GPT-3 on ([\d,]+) H100 \(trn-001\) ([+-][\d.]+) %, ([\d,]+) H100 \(trn-002\) ([+-][\d.]+) %, ([\d,]+) B200 \(trn-004\) ([+-][\d.]+) %, ([\d,]+) TPU v6e \(trn-006\) ([+-][\d.]+) %, ([\d,]+) TPU v5p \(trn-005\) ([+-][\d.]+) %",
            _ => [Cell("trn-001", 4), Cell("trn-001", 10), Cell("trn-002", 4), Cell("trn-002", 10), Cell("trn-004", 4), Cell("trn-004", 10), Cell("trn-006", 4), Cell("trn-006", 10), Cell("trn-005", 4), Cell("trn-005", 10)]);
        yield return new(page, @"Llama 2 (\d+)B \(trn-037\) ([+-][\d.]+) %, (\d+)B \(trn-038\) ([+-][\d.]+) %, (\d+)B \(trn-039\) ([+-][\d.]+) %; Llama 3 (\d+)B \(trn-041\) ([+-][\d.]+) % and (\d+)B \(trn-042\) ([+-][\d.]+) %",
            _ => [RowModelSize("trn-037"), Cell("trn-037", 10), RowModelSize("trn-038"), Cell("trn-038", 10), RowModelSize("trn-039"), Cell("trn-039", 10), RowModelSize("trn-041"), Cell("trn-041", 10), RowModelSize("trn-042"), Cell("trn-042", 10)]);
        yield return new(page, @"DeepSeek-V3 \(trn-053\) ([+-][\d.]+) % \(MoE all-to-all; FP8\); BLOOM \(trn-054\) ([+-][\d.]+) %", _ => [Cell("trn-053", 10), Cell("trn-054", 10)]);
        var fit = UtilisationModel.Fitted;
        yield return new(page, @"MFU = ([\d.]+) x \(([\d.]+) if FP8/INT8\) / \(1 \+ ([\d.]+) x log2\(max\(1, devices / (\d+)\)\)\) - ([\d.]+): a 16-bit run up to (\d+) devices; ([\d.]+): FP8 runs reach a lower fraction of their \(doubled\) peak, since FP8 speeds the matmuls and not the rest; ([\d.]+) per doubling beyond (\d+) devices",
            _ => [Fixed(fit.Base, "0.00"), Fixed(fit.EightBitFactor, "0.00"), Fixed(fit.ScaleSlope, "0.000"), fit.ScaleOnset, Fixed(fit.Base, "0.00"), fit.ScaleOnset, Fixed(fit.EightBitFactor, "0.00"), Fixed(fit.ScaleSlope, "0.000"), fit.ScaleOnset]);
        yield return new(page, @"on ([\d,]+) devices the MFU is ([\d.]+), so device-hours rise (\d+) % over a (\d+)-device run \(see the ""Cluster sizes"" table of every `suanli train`\)\. When a row states no device count the predictor assumes ([\d,]+)",
            _ =>
            {
                const int large = 16_384;
                var mfu = fit.Mfu(ComputeType.Bf16, large);
                return [large, Fixed(mfu, "0.000"), Fixed((fit.Base / mfu - 1) * 100, "0"), fit.ScaleOnset, fit.DefaultDevices];
            });
        yield return new(page, @"n x MFU\(n\) = n x ([\d.]+) / \(1 \+ ([\d.]+) x log2\(n / (\d+)\)\) grows with n \(its derivative is positive while 1 \+ ([\d.]+) x log2\(n / (\d+)\) > ([\d.]+) / ln 2",
            _ => [Fixed(fit.Base, "0.00"), Fixed(fit.ScaleSlope, "0.000"), fit.ScaleOnset, Fixed(fit.ScaleSlope, "0.000"), fit.ScaleOnset, Fixed(fit.ScaleSlope, "0.000")]);
        yield return new(page, @"a job of ([\d.]+) device-days at the 16-bit MFU of ([\d.]+) needs ceil\(([\d.]+) / (\d+)\) = (\d+) devices for a (\d+)-day deadline \(([\d.]+) days; (\d+) devices would take ([\d.]+)\)\. GPT-3 \(([\d.]+e\d+) FLOPs\) on A100s within one day needs ([\d,]+) \(MFU ([\d.]+) at that size, not the ([\d.]+) of ([\d,]+) devices\)",
            _ =>
            {
                const double deviceDays = 99.5;
                const int days = 10;
                var devices = (int)Math.Ceiling(deviceDays / days);
                var gpt3 = Command("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1");
                const int smaller = 1_024;
                return [Fixed(deviceDays, "0.0"), Fixed(fit.Base, "0.00"), Fixed(deviceDays, "0.0"), days, devices, days, Fixed(deviceDays / devices, "0.00"), devices - 1, Fixed(deviceDays / (devices - 1), "0.00"),
                    Fixed(gpt3.GetProperty("compute").GetProperty("trainFlops").GetDouble(), "0.00e0"), gpt3.GetProperty("inputs").GetProperty("devices").GetInt32(),
                    Fixed(gpt3.GetProperty("compute").GetProperty("mfu").GetDouble(), "0.000"), Fixed(fit.Mfu(ComputeType.Bf16, smaller), "0.000"), smaller];
            });
    }

    private static IEnumerable<FormulaRow> ArchitectureFormulaRows()
    {
        const string page = "docs/methodology.md";
        yield return new(page, @"gives (\d+) global and (\d+) sliding-window layers of (\d+) tokens, the configs (\d+) query heads on the full layers and (\d+) on the windowed ones, (\d+) KV heads of (\d+) on both",
            _ =>
            {
                var a = Arch("laguna-xs.2");
                return [a.FullAttentionLayers, a.Window!.Layers, a.Window.Length, a.Heads, a.WindowHeads, a.KvHeads, a.HeadDim];
            });
        yield return new(page, @"Laguna-XS\.2 counts [\d,]+ per full and [\d,]+ per windowed layer, [\d.]+B in total and [\d.]+B active \(the card's (\d+)B and (\d+)B\); a decode token at ([\d,]+) context attends with (\d+) x (\d) x (\d+) x (\d+) x ([\d,]+) \+ (\d+) x (\d) x (\d+) x (\d+) x (\d+) FLOP",
            _ => DecodeAttention("laguna-xs.2"));
        yield return new(page, @"Step 3\.5 Flash counts [\d,]+ per full and [\d,]+ per windowed layer, [\d.]+B in total and [\d.]+B active without embedding and head \(the card's (\d+)B and (\d+)B\); a decode token at ([\d,]+) context attends with (\d+) x (\d) x (\d+) x (\d+) x ([\d,]+) \+ (\d+) x (\d) x (\d+) x (\d+) x (\d+) FLOP",
            _ => DecodeAttention("step-3.5-flash"));
        yield return new(page, @"sliding-window layers their own query heads \((\d+) against the full layers' (\d+);", _ => [Arch("step-3.5-flash").WindowHeads, Arch("step-3.5-flash").Heads]);
        yield return new(page, @"`num_attention_groups` is the KV-head count \((\d+)\)", _ => [Arch("step-3.5-flash").KvHeads]);
        yield return new(page, @"shared expert's width \((\d+)\); `moe_layers_enum` lists the expert layers \((\d+) to (\d+); the other (\d+) are dense MLPs of `intermediate_size`\); a per-layer `rope_theta` list is checked entry by entry; `layer_types` may list the MTP blocks after the layers \((\d+) \+ (\d+)\)",
            _ =>
            {
                var a = Arch("step-3.5-flash");
                return [a.Moe!.SharedIntermediateSize.ToString(Invariant), a.DenseMlpLayers, a.Layers - 1, a.DenseMlpLayers, a.Layers, a.MtpLayers];
            });
        yield return new(page, @"NVIDIA-Nemotron-Nano-9B-v2's (\d+) blocks are (\d+) Mamba-2 \+ (\d+) attention layers and (\d+) MLPs",
            _ =>
            {
                var a = Arch("nemotron-nano-9b-v2");
                return [a.Layers + a.Extras.MlpOnlyBlocks, a.Linear!.Layers, a.SoftmaxLayers, a.Extras.MlpOnlyBlocks];
            });
        yield return new(page, @"Nano-9B-v2 holds (\d+) x (\d+) x (\d+) x (\d) \+ ([\d,]+) x (\d) x (\d) = [\d,]+ B per Mamba layer",
            _ =>
            {
                var l = Arch("nemotron-nano-9b-v2").Linear!;
                var conv = l.ConvChannels * (l.ConvKernel - 1);
                // The SSM state's bytes per value: what the layer's bytes leave after the conv state in the model dtype.
                var ssmBytes = (l.StateBytesPerLayer(Bf16Bytes) - conv * Bf16Bytes) / l.SsmStateValuesPerLayer;
                return [l.ValueHeads, l.ValueHeadDim, l.KeyHeadDim, Fixed(ssmBytes, "0"), (int)l.ConvChannels, l.ConvKernel - 1, Bf16Bytes];
            });
        yield return new(page, @"`full_attention_interval`-th \(Qwen3-Next: (\d+) of (\d+)\), or the 0s of `attn_type_list` \(MiniMax: (\d+) of (\d+)\)",
            _ => [Arch("qwen3-next-80b-a3b").Linear!.Layers, Arch("qwen3-next-80b-a3b").Layers, Arch("minimax-m1").Linear!.Layers, Arch("minimax-m1").Layers]);
        yield return new(page, @"of state per sequence beside ([\d,]+) B per token on its (\d+) full layers; MiniMax-M1 (\d+) MiB per lightning layer",
            _ => [(int)KvBytesPerToken("qwen3-next-80b-a3b"), Arch("qwen3-next-80b-a3b").SoftmaxLayers, Fixed(Arch("minimax-m1").Linear!.StateBytesPerLayer(Bf16Bytes) / (1 << 20), "0")]);
        yield return new(page, @"Kimi-Linear-48B-A3B holds (\d+) x (\d+) x (\d+) \+ ([\d,]+) x (\d) = ([\d,]+) values = [\d,]+ B per layer in BF16, \d+ layers = [\d.]+ MiB per sequence, beside (\d+) x (\d+) x (\d) = ([\d,]+) B per token on its (\d+) MLA layers",
            _ =>
            {
                var a = Arch("kimi-linear-48b-a3b");
                var l = a.Linear!;
                return [l.ValueHeads, l.KeyHeadDim, l.ValueHeadDim, (int)l.ConvChannels, l.ConvKernel - 1, (long)l.StateValuesPerLayer,
                    a.SoftmaxLayers, a.Mla!.KvLoraRank + a.Mla.QkRopeHeadDim, Bf16Bytes, (int)KvBytesPerToken("kimi-linear-48b-a3b", "--kv-precision", "bf16"), a.SoftmaxLayers];
            });
        yield return new(page, @"caches a (\d+)-value FP8 key plus one FP32 scale per (\d+) values, (\d+) B per token per layer",
            _ =>
            {
                var s = Arch("deepseek-v3.2").Sparse!;
                return [s.IndexHeadDim, s.IndexHeadDim, s.IndexHeadDim + FloatScaleBytes];
            });
        yield return new(page, @"\(`index_topk` = ([\d,]+)\) latents per query\. At ([\d,]+) tokens of context a decode step reads (\d+) x \(([\d,]+) x ([\d,]+) \+ ([\d,]+) x (\d+)\) B instead of (\d+) x ([\d,]+) x ([\d,]+) B",
            _ =>
            {
                var a = Arch("deepseek-v3.2");
                const int context = 100_000;
                var latent = (a.Mla!.KvLoraRank + a.Mla.QkRopeHeadDim) * Bf16Bytes;
                var key = a.Sparse!.IndexHeadDim + FloatScaleBytes;
                // The new token attends to its top-k and to itself, and its indexer scores every cached token and itself.
                return [a.Sparse.TopK, context, a.Layers, a.Sparse.TopK + 1, latent, context + 1, key, a.Layers, context + 1, latent];
            });
        yield return new(page, @"GLM-5\.2 runs the indexer on (\d+) of its (\d+) layers", _ => [Arch("glm-5.2").IndexerLayers, Arch("glm-5.2").Layers]);
        yield return new(page, @"so its cache per token is (\d+) x ([\d,]+) \+ (\d+) x (\d+) B in BF16 and a decode step at ([\d,]+) tokens reads (\d+) x ([\d,]+) x (\d+) B less than GLM-5's",
            _ =>
            {
                var a = Arch("glm-5.2");
                const int context = 100_000;
                var latent = (a.Mla!.KvLoraRank + a.Mla.QkRopeHeadDim) * Bf16Bytes;
                var key = a.Sparse!.IndexHeadDim + FloatScaleBytes;
                Assert.Equal(a.Layers * latent + a.IndexerLayers * key, KvBytesPerToken("glm-5.2", "--kv-precision", "bf16"));
                return [a.Layers, latent, a.IndexerLayers, key, context, a.Layers - a.IndexerLayers, context + 1, key];
            });
        yield return new(page, @"\(E4B: ([\d,]+) x (\d+) x (\d+) = ([\d.]+) B\)",
            _ =>
            {
                var a = Arch("gemma-3n-e4b");
                return [a.Extras.PerLayer!.Vocabulary, a.Layers, a.Extras.PerLayer.Width, Fixed(a.Extras.PerLayer.TableParameters(a.Layers) / 1e9, "0.00")];
            });
        yield return new(page, @"Gemma 3n E4B caches 2 x (\d+) x (\d+) x 2 B per token on (\d+) of its (\d+) layers \((\d+) windowed at (\d+) tokens, (\d+) full\)",
            _ =>
            {
                var a = Arch("gemma-3n-e4b");
                return [a.KvHeads, a.HeadDim, a.CachedWindowLayers + a.CachedFullLayers, a.Layers, a.CachedWindowLayers, a.Window!.Length, a.CachedFullLayers];
            });
        yield return new(page, @"in the model's BF16 \((\d+) B; vLLM keeps it in BF16 also under an FP8 KV cache\) on the layers `sparse_attention_freq` marks \((\d+) of (\d+)\)",
            _ =>
            {
                var a = Arch("minimax-m3");
                return [a.Sparse!.IndexHeadDim * Bf16Bytes, a.SparseLayers, a.Layers];
            });
        yield return new(page, @"best blocks of `sparse_block_size` tokens \((\d+) x (\d+) = ([\d,]+); the forced",
            _ =>
            {
                var s = Arch("minimax-m3").Sparse!;
                // TopK counts tokens: the best TopK / BlockSize blocks.
                return [s.TopK / s.BlockSize, s.BlockSize, s.TopK];
            });
        yield return new("docs/seed-cases.md", @"Qwen2-72B config: (\d+) layers, (\d+) KV heads of (\d+) dims, so KV cache = 2 x (\d+) x (\d+) x (\d+) x 2 bytes = (\d+) KiB per token in BF16\), KV cache for the stated context and batch, activations and runtime overhead\. Minimum devices must respect how the model can be split: (\d+) query heads",
            _ =>
            {
                var a = Arch("qwen2-72b");
                return [a.Layers, a.KvHeads, a.HeadDim, a.Layers, a.KvHeads, a.HeadDim, Fixed(KvBytesPerToken("qwen2-72b", "--kv-precision", "bf16") / 1024, "0"), a.Heads];
            });
        yield return new("docs/seed-cases.md", @"Suanli: 6ND = 6 x (\d+)e9 x 300e9 = ([\d.]+e\d+) FLOPs ≈ ([\d,]+) PF-days; time from GPU count, dense BF16 peak \((\d+) TFLOP/s on A100",
            _ =>
            {
                // The article's arithmetic on the published 175B, and the PF-days `suanli train` gives for that budget.
                var flops = 6 * PublishedTotal("gpt-3-175b") * 1e9 * 300e9;
                var pfDays = Command("train", "--model", "gpt-3-175b", "--flops", flops.ToString("R", Invariant), "--hardware", "a100", "--devices", "1024").GetProperty("compute").GetProperty("pfDays").GetDouble();
                return [Fixed(PublishedTotal("gpt-3-175b"), "0"), Fixed(flops, "0.00e0"), Fixed(pfDays, "N0"),
                    Fixed(CatalogFiles.Embedded.Device("nvidia-a100-sxm4-80gb").PeakFor(ComputeType.Bf16)!.Value.Value / 1e12, "0")];
            });
    }

    /// <summary>A catalog model's published total parameters, in billions.</summary>
    private static double PublishedTotal(string id) => CatalogFiles.Embedded.Model(id).PublishedParameters!.Value / 1e9;

    /// <summary>The KV cache bytes per token <c>suanli memory</c> gives for a model.</summary>
    private static double KvBytesPerToken(string id, params string[] args) => Command(["memory", "--model", id, .. args]).GetProperty("kvCacheBytesPerToken").GetDouble();

    /// <summary>
    /// The card's sizes and a decode token's attention at 8,192 context on a model of full and sliding-window layers
    /// with their own query heads: full layers x 4 x heads x head width x context + windowed layers x 4 x window heads x
    /// head width x window.
    /// </summary>
    private static object[] DecodeAttention(string id)
    {
        const int context = 8_192;
        var a = Arch(id);
        var published = Published(id);
        return [Fixed(published.Total, "0"), Fixed(published.Active, "0"), context,
            a.FullAttentionLayers, AttentionFlopPerHeadDim, a.Heads, a.HeadDim, context,
            a.Window!.Layers, AttentionFlopPerHeadDim, a.WindowHeads, a.HeadDim, a.Window.Length];
    }

    [Fact]
    public void The_pages_dense_worked_examples_are_what_the_catalog_and_commands_give()
    {
        var pages = new Dictionary<string, string>();
        var drifted = new List<string>();
        var rows = 0;
        foreach (var row in FormulaRows())
        {
            if (!pages.TryGetValue(row.Page, out var text))
            {
                text = Regex.Replace(Read(row.Page.Split('/')), @"\s+", " ");
                pages[row.Page] = text;
            }
            rows++;
            var m = Regex.Match(text, row.Pattern);
            if (!m.Success)
            {
                drifted.Add($"{row.Page} no longer has a sentence matching {row.Pattern}");
                continue;
            }
            object[] figures;
            try
            {
                figures = row.Figures(m);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or NullReferenceException)
            {
                drifted.Add($"{row.Page}: the figures of '{m.Value}' could not be computed: {e.Message}");
                continue;
            }
            var expected = figures.Select(f => f switch
            {
                string s => s,
                int i => i.ToString("N0", Invariant),
                long l => l.ToString("N0", Invariant),
                _ => throw new ArgumentException($"a row's figure is a string or an integer, not {f.GetType().Name}"),
            }).ToList();
            Assert.True(expected.Count == m.Groups.Count - 1, $"the row {row.Pattern} computes {expected.Count} figures for its {m.Groups.Count - 1} groups");
            for (var g = 0; g < expected.Count; g++)
            {
                if (m.Groups[g + 1].Value != expected[g])
                {
                    drifted.Add($"{row.Page} says {m.Groups[g + 1].Value} (figure {g + 1} of '{m.Value}'); the catalog and commands give {expected[g]}");
                }
            }
        }
        Assert.True(drifted.Count == 0, $"{drifted.Count} figures of {rows} worked examples drifted:\n" + string.Join('\n', drifted));
    }
}
