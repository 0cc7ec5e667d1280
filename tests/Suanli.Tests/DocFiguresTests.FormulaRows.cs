using System.Globalization;
using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.StepTime;
using Suanli.Training;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the dense worked examples (<see cref="FormulaRows"/>): the weight formats' bits, the softmax
/// exponentials' bound, the measured matmul shares, the training deadline's refusal, and seed cases C4, C6 and C8.
/// Where a page quotes a source's own figure as an operand (a vendor table's peak), the row takes it from the page
/// and checks what the page computes from it.
/// </summary>
public sealed partial class DocFiguresTests
{
    private static string Bits(NumberFormat format) => Fixed(format.BitsPerValue, "0.###");

    // The value bits of a 4-bit block format, before its shared scale.
    private const int FourBitValue = 4;

    private static IEnumerable<FormulaRow> MoreFormulaRows()
    {
        const string page = "docs/methodology.md";
        yield return new(page, @"\| fp32, bf16, fp16 \| (\d+), (\d+), (\d+) \| \| \| \| fp8, int8 \| (\d+) \|",
            _ => [Bits(NumberFormat.Fp32), Bits(NumberFormat.Bf16), Bits(NumberFormat.Fp16), Bits(NumberFormat.Fp8)]);
        // Each block format's scale bits spread over its block: bits = value bits + scale bits / block.
        yield return new(page, @"\| int4 \| ([\d.]+) \| 4-bit weights in groups of (\d+) with an FP16 scale",
            _ => [Bits(NumberFormat.Int4), Fixed(16 / (NumberFormat.Int4.BitsPerValue - FourBitValue), "0")]);
        yield return new(page, @"\| int4-g32 \| ([\d.]+) \| 4-bit weights in groups of (\d+) with a (\d+)-bit scale: (\d) \+ (\d+)/(\d+) \|",
            _ =>
            {
                var group = Fixed(16 / (NumberFormat.Int4Group32.BitsPerValue - FourBitValue), "0");
                return [Bits(NumberFormat.Int4Group32), group, 16, FourBitValue, 16, group];
            });
        yield return new(page, @"\| fp4 \| ([\d.]+) \| NVFP4: (\d+) values share an FP8 E4M3 scale",
            _ => [Bits(NumberFormat.Fp4), Fixed(8 / (NumberFormat.Fp4.BitsPerValue - FourBitValue), "0")]);
        yield return new(page, @"\| mxfp4 \| ([\d.]+) \| FP4 E2M1 in blocks of (\d+) sharing one E8M0 \((\d+)-bit\) scale: (\d) \+ (\d+)/(\d+) \|",
            _ =>
            {
                var block = Fixed(8 / (NumberFormat.Mxfp4.BitsPerValue - FourBitValue), "0");
                return [Bits(NumberFormat.Mxfp4), block, 8, FourBitValue, 8, block];
            });
        // A GGUF block of 32 values and one FP16 scale, in bytes.
        yield return new(page, @"\| q8_0 \| ([\d.]+) \| (\d+) int8 values \+ one FP16 scale = (\d+) bytes per (\d+) \| .*? \| q4_0 \| ([\d.]+) \| (\d+) 4-bit values \+ one FP16 scale = (\d+) bytes per (\d+) \| .*? \| q4_k_m \| ([\d.]+) \|",
            _ => [Bits(NumberFormat.GgufQ8), 32, Fixed(NumberFormat.GgufQ8.BitsPerValue * 32 / 8, "0"), 32,
                Bits(NumberFormat.GgufQ4), 32, Fixed(NumberFormat.GgufQ4.BitsPerValue * 32 / 8, "0"), 32, Bits(NumberFormat.GgufQ4KM)]);
        yield return new(page, @"\(gpt-oss: (\d+) tokens on the (\d+) `sliding_attention` layers of (\d+); Gemma 3: ([\d,]+) tokens on five of every six layers, `sliding_window_pattern` 6, the 1B model (\d+)\)",
            _ =>
            {
                var oss = Arch("gpt-oss-120b");
                return [oss.Window!.Length, oss.Window.Layers, oss.Layers, Arch("gemma-3-27b").Window!.Length, Arch("gemma-3-1b").Window!.Length];
            });
        yield return new(page, @"one parameter per head per layer \(([\d,]+) in gpt-oss-120b\)", _ => [Arch("gpt-oss-120b").Heads * Arch("gpt-oss-120b").Layers]);
        yield return new(page, @"DeepSeek-V3: ([\d.]+) B \+ ([\d.]+) B MTP block \+ its stored embedding and head copies \(([\d.]+) B\) = ([\d.]+) B against the hub's",
            _ =>
            {
                var a = Arch("deepseek-v3");
                var (total, mtp) = (Counted("deepseek-v3").Total, Parts("deepseek-v3").Mtp);
                // The MTP block stores its own copies of the embedding and the head.
                var copies = 2.0 * a.VocabSize * a.HiddenSize / 1e9;
                return [Fixed(total, "0.0"), Fixed(mtp, "0.0"), Fixed(copies, "0.0"), Fixed(total + mtp + copies, "0.0")];
            });
        foreach (var (id, scheme) in new[] { ("gpt-oss-120b", @"mxfp4\+bf16"), ("gpt-oss-20b", @"mxfp4\+bf16") })
        {
            yield return new(page, @"\| " + Regex.Escape(id) + @" \| [^\n]*? \| `" + scheme + @"` \| ([\d.]+) GB \(([\d.]+) GiB\) \|",
                _ =>
                {
                    var bytes = Command("memory", "--model", id).GetProperty("weightsBytes").GetDouble();
                    return [Fixed(bytes / 1e9, "0.0"), Fixed(bytes / (1L << 30), "0.0")];
                });
        }
        const string steptime = "docs/methodology-steptime.md";
        yield return new(steptime, @"a GQA model with `d` = 128 needs (\d+) FLOP per exponential, and a B200 at (\d+) T/s supports at most ([\d.]+) PFLOP/s of attention products, below its FP8 \(([\d.]+)\) and FP4 \((\d+)\) peaks",
            _ =>
            {
                var b200 = CatalogFiles.Embedded.Device("nvidia-b200-sxm");
                var perExp = AttentionFlopPerHeadDim * 128;
                return [perExp, Fixed(ExpRate("nvidia-b200-sxm"), "0"), Fixed(perExp * ExpRate("nvidia-b200-sxm") / 1e3, "0.00"),
                    Fixed(b200.PeakFor(ComputeType.Fp8)!.Value.Value / 1e15, "0.#"), Fixed(b200.PeakFor(ComputeType.Fp4)!.Value.Value / 1e15, "0.#")];
            });
        yield return new(steptime, @"Absorbed MLA spends `2 \(2 r_kv \+ d_rope\)` = ([\d,]+) FLOP per score \(DeepSeek-R1\)",
            _ => [2 * (2 * Arch("deepseek-r1").Mla!.KvLoraRank + Arch("deepseek-r1").Mla!.QkRopeHeadDim)]);
        yield return new(steptime, @"with `d` = 128 on Hopper \((\d+) TFLOP/s against ([\d.]+) x (\d+) = ([\d.]+) PFLOP/s\)",
            _ =>
            {
                var h100 = ExpRate("nvidia-h100-sxm5-80gb");
                var perExp = AttentionFlopPerHeadDim * 128;
                return [Fixed(CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb").PeakFor(ComputeType.Bf16)!.Value.Value / 1e12, "0"), Fixed(h100, "0.0"), perExp, Fixed(h100 * perExp / 1e3, "0.0")];
            });
        yield return new(steptime, @"bound by reading the cache \((\d+) exponentials per (\d+) bytes of FP8 keys and values for the 405B's groups of (\d+) query heads\)",
            _ =>
            {
                var a = Arch("llama-3.1-405b");
                // One FP8 key and value of head width d serve every query head of the group, one exponential each.
                return [a.Heads / a.KvHeads, KeyAndValue * a.HeadDim, a.Heads / a.KvHeads];
            });
        yield return new(steptime, @"over its datasheet peak is ([\d.]+)% on the H100 SXM \(([\d.]+) of (\d+) TFLOP/s BF16\) but ([\d.]+)% on the MI300X \(([\d.]+) of ([\d,]+); torch 2\.5\.1 on ROCm 6\.3 with TunableOp\), ([\d.]+)% on the A100 SXM \(([\d.]+) of (\d+)\), ([\d.]+)% on the 141 GB GH200 \(([\d.]+) of (\d+)\) and ([\d.]+)% on the MI325X \(([\d.]+) of ([\d,]+)\)",
            m =>
            {
                double Mamf(string id) => AchievableMatmul.Measurements.Single(x => x.DeviceId == id).Bf16.Value / 1e12;
                double Peak(string id) => CatalogFiles.Embedded.Device(id).PeakFor(ComputeType.Bf16)!.Value.Value / 1e12;
                // The source table's own peak for the AMD parts (the catalog's is 1,307.4).
                double Quoted(int group) => double.Parse(m.Groups[group].Value, NumberStyles.Number, Invariant);
                string Share(double mamf, double peak) => Fixed(mamf / peak * 100, "0.0");
                string[] Measured(string id, double peak, string peakText) => [Share(Mamf(id), peak), Fixed(Mamf(id), "0.0"), peakText];
                var reference = AchievableMatmul.ReferenceBf16Peak.Value / 1e12;
                return [.. Measured(AchievableMatmul.ReferenceId, reference, Fixed(reference, "0")), .. Measured("amd-mi300x", Quoted(6), m.Groups[6].Value),
                    .. Measured("nvidia-a100-sxm4-80gb", Peak("nvidia-a100-sxm4-80gb"), Fixed(Peak("nvidia-a100-sxm4-80gb"), "0")),
                    .. Measured("nvidia-gh200-144gb", Peak("nvidia-gh200-144gb"), Fixed(Peak("nvidia-gh200-144gb"), "0")), .. Measured("amd-mi325x", Quoted(15), m.Groups[15].Value)];
            });
        yield return new(steptime, @"MI300X ([\d.]+) \(catalog peak ([\d,.]+)\), A100 SXM ([\d.]+), GH200 144 GB ([\d.]+), MI325X ([\d.]+);",
            _ =>
            {
                string Share(string id) => Fixed(AchievableMatmul.Fraction(CatalogFiles.Embedded.Device(id)), "0.0000");
                return [Share("amd-mi300x"), Fixed(CatalogFiles.Embedded.Device("amd-mi300x").PeakFor(ComputeType.Bf16)!.Value.Value / 1e12, "N1"),
                    Share("nvidia-a100-sxm4-80gb"), Share("nvidia-gh200-144gb"), Share("amd-mi325x")];
            });
        yield return new(steptime, @"Llama 3\.1 405B's (\d+) layers on PP = (\d+) are six stages of (\d+) and two of (\d+); at (\d+) micro-batches of (\d+) decodes on H100s a (\d+)-layer stage \(about [\d.]+ ms a micro-batch, ideal curves\) outlasts the last stage's (\d+) layers and LM head \(about [\d.]+ ms\), and the round is (\d+) x (\d+) u",
            _ =>
            {
                const int pp = 8;
                const int batch = 64;
                var m = CatalogFiles.Embedded.Model("llama-3.1-405b");
                var (first, last) = PreparedStep.StageLayers(m.Architecture.Layers, pp);
                var step = new PreparedStep(new Deployment(m, CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, pp), NumberFormat.Bf16,
                    NumberFormat.Bf16, Engine.TrtLlm), StepTimeParameters.Ideal);
                var micro = step.MicroBatches(StepShape.Decode(batch, 1000));
                return [m.Architecture.Layers, pp, first, last, micro, batch / micro, first, last, micro, first];
            });
        yield return new(steptime, @"Llama-3\.1-8B BF16 as PP = (\d+) on (\d+) x H100 at (\d+) decodes runs one H100's step at (\d+) decodes, plus one LM head of ([\d.]+) GB / ([\d.]+) TB/s, plus a ([\d.]+) ns hand-off of (\d+) tokens",
            _ =>
            {
                const int pp = 2;
                const int decodes = 8;
                var a = Arch("llama-3.1-8b");
                var h100 = CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb");
                // NVLink's figure counts both directions; a hand-off goes one way.
                var oneWay = h100.Interconnect.Bandwidth!.Value.Value / 2;
                var perMicroBatch = decodes / pp;
                return [pp, pp, decodes, perMicroBatch, Fixed((double)a.VocabSize * a.HiddenSize * Bf16Bytes / 1e9, "0.00"), Fixed(h100.MemoryBandwidth.Value / 1e12, "0.00"),
                    Fixed(perMicroBatch * a.HiddenSize * Bf16Bytes / oneWay * 1e9, "0.0"), perMicroBatch];
            });
        foreach (var row in SeedCaseFormulaRows())
        {
            yield return row;
        }
    }

    private static IEnumerable<FormulaRow> SeedCaseFormulaRows()
    {
        var fit = UtilisationModel.Fitted;
        const string deadlineDays = "0.01";
        yield return new("docs/methodology-training.md", @"A deadline no cluster of up to ([\d,]+) devices meets is refused with the fastest time on ([\d,]+) devices and the count the formula would need: GPT-3 in ([\d.]+) days \(`suanli train --model gpt-3-175b --flops 3\.15e23 --hardware a100 --days ([\d.]+)`\) would take ([\d.]+) million A100s; on ([\d,]+) the fastest is ([\d.]+) days \(MFU ([\d.]+)\)\. What the formula does not model at such sizes: the global batch \(the job's ([\d.]+e\d+) tokens over ([\d,]+) devices are (\d+) sequences of ([\d,]+) tokens",
            _ =>
            {
                var (code, _, err, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", deadlineDays);
                Assert.True(code != 0, "GPT-3 in 0.01 days is no longer refused");
                var need = double.Parse(Regex.Match(err, @"need ([\d,]+) devices").Groups[1].Value, NumberStyles.Number, Invariant);
                var job = Command("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1");
                var (inputs, compute) = (job.GetProperty("inputs"), job.GetProperty("compute"));
                const int most = TrainingPlanner.MaxDevices;
                var mfu = fit.Mfu(ComputeType.Bf16, most);
                var fastest = compute.GetProperty("trainFlops").GetDouble() / (most * compute.GetProperty("peakTflopsPerDevice").GetDouble() * 1e12 * mfu) / 86_400;
                var tokens = inputs.GetProperty("tokens").GetDouble();
                var seq = inputs.GetProperty("seqLen").GetInt32();
                return [most, most, deadlineDays, deadlineDays, Fixed(need / 1e6, "0.0"), most, Fixed(fastest, "0.000"), Fixed(mfu, "0.000"),
                    Fixed(tokens, "0.00e0"), most, Fixed(tokens / most / seq, "0"), seq];
            });
        const string c4 = "examples/c4-gpt3-training.md";
        yield return new(c4, @"3\.15e23 FLOPs = [\d,]+ PF-days \(6ND = 6 x (\d+)e9 x (\d+)e9; counting attention over ([\d,]+) tokens gives ([\d.]+) x 6ND\)",
            _ =>
            {
                var run = Command("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--devices", "1024");
                var compute = run.GetProperty("compute");
                var sixNd = compute.GetProperty("sixNdFlops").GetDouble();
                var n = PublishedTotal("gpt-3-175b");
                // The tokens the budget buys at 6N on the published 175B: 3.15e23 / (6 x 175e9).
                return [Fixed(n, "0"), Fixed(compute.GetProperty("trainFlops").GetDouble() / (6 * n * 1e9) / 1e9, "0"), run.GetProperty("inputs").GetProperty("seqLen").GetInt32(),
                    Fixed(compute.GetProperty("trainFlops").GetDouble() / sixNd, "0.000")];
            });
        yield return new("examples/c6-500b-training.md", @"MFU ([\d.]+) % on ([\d,]+) H100s \(the scale term lowers MFU from (\d+) %\)",
            _ => [Fixed(fit.Mfu(ComputeType.Bf16, 16_384) * 100, "0.0"), 16_384, Fixed(fit.Base * 100, "0")]);
        const string c8 = "examples/c8-small-vs-large/README.md";
        yield return new(c8, @"\| small model \| ([\d,]+) USD \| ([\d.]+) USD \| ([\d,]+) USD \| ([\d.]+) \| \| GPT-3 per inference, no build \| ([\d,]+) USD \| (\d+) USD \| ([\d.]+) USD \| \| \| GPT-3 fine-tune \| ([\d,]+) USD \| (\d+) USD \| ([\d,]+) USD \| ([\d.]+) \|",
            _ =>
            {
                // Option, kind, per month, ..., per 10k requests, up front, quality: the Markdown report's cells.
                string[] Option(string name, params int[] cells)
                {
                    var row = MarkdownLine(SmallModelCompare, $"| {name} | custom |").Split('|').Select(c => c.Trim()).ToArray();
                    return [.. cells.Select(c => Regex.Replace(row[c], " USD$", ""))];
                }
                return [.. Option("small model", 3, 8, 9, 10), .. Option("GPT-3 per inference, no build", 3, 8, 9), .. Option("GPT-3 fine-tune", 3, 8, 9, 10)];
            });
        yield return new(c8, @"cheaper to build \(\$([\d,]+) less\) \*and\* per inference \(\$([\d.]+) less per 10,000\)",
            _ =>
            {
                decimal Field(string name, string key)
                {
                    var spec = SmallModelCompare.Single(a => a.StartsWith(name + ";", StringComparison.Ordinal));
                    return decimal.Parse(Regex.Match(spec, $@";{key}=([\d.]+)").Groups[1].Value, Invariant);
                }
                return [Fixed((double)(Field("GPT-3 fine-tune", "build") - Field("small model", "build")), "N0"),
                    (Field("GPT-3 fine-tune", "per-10k") - Field("small model", "per-10k")).ToString("0.00", Invariant)];
            });
    }
}
