using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.Serving;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table (<see cref="PinRows"/>), each recomputing a figure the pages typed by hand: parameter
/// counts of catalog.md and methodology.md from the library's count, the serving page's bounds and ramp from the
/// constants that set them, cli.md's suffix rule from <see cref="CountSuffix"/>, the FP8 exponential bound of the
/// step-time page from the catalog's peak, and the README's description of the default scenario from its file.
/// </summary>
public sealed partial class DocFiguresTests
{
    /// <summary>One number a scenario file states, by its key ("peak_concurrency: 50").</summary>
    private static int ScenarioValue(string file, string key)
    {
        var m = Regex.Match(Read("examples", file), $@"\b{key}: (\d+)");
        Assert.True(m.Success, $"examples/{file} no longer states {key}");
        return int.Parse(m.Groups[1].Value, Invariant);
    }

    /// <summary>One number a scenario file's comment states, matched by a pattern with one group ("for a 5,000-person").</summary>
    private static int ScenarioComment(string file, string pattern)
    {
        var m = Regex.Match(Read("examples", file), pattern);
        Assert.True(m.Success, $"examples/{file} no longer says '{pattern}'");
        return int.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, Invariant);
    }

    private static IEnumerable<(string Page, Func<string> Says)> RecomputedRows()
    {
        // Ministral 3: the language model is the active count (dense), the rest of the total the Pixtral encoder.
        yield return ("docs/catalog.md", () =>
            F($"the language models count {Counted("ministral-3-3b").Active:0.00}B, {Counted("ministral-3-8b").Active:0.00}B and {Counted("ministral-3-14b").Active:0.00}B against the stated 3.4B, 8.4B and 13.5B (+ {Counted("ministral-3-3b").Total - Counted("ministral-3-3b").Active:0.0}B vision)"));
        yield return ("docs/catalog.md", () => F($"the 9B's text weights count {Counted("qwen3.5-9b").Active:0.000}B, the 8.95B its GGUF"));
        yield return ("docs/catalog.md", () =>
            F($"parameter counts ({PublishedTotal("qwen3.5-2b"):0.00}B and {PublishedTotal("qwen3.5-0.8b") * 1e3:0}M against {Counted("qwen3.5-2b").Total:0.000}B and {Counted("qwen3.5-0.8b").Total * 1e3:0.0}M counted;"));
        yield return ("docs/catalog.md", () => F($"The text models count {Counted("gemma-3n-e4b").Total:0.00}B and {Counted("gemma-3n-e2b").Total:0.00}B; without the token and per-layer embedding tables"));
        yield return ("docs/catalog.md", () => F($"it counts {Counted("glm-5.3").Total + Parts("glm-5.3").Mtp:0.00}B with its MTP block, the weight index's 753B"));
        yield return ("docs/catalog.md", () =>
            F($"kept out for its {(Counted("ling-flash-2.0").Total / 100 - 1) * 100:0.0}% over the round '100B', is added: Hugging Face lists the checkpoint at {PublishedTotal("ling-flash-2.0"):0}B, which its count meets"));
        yield return ("docs/catalog.md", () =>
            F($"counts {Counted("laguna-xs.2").Total:0.00}B and {Counted("laguna-xs.2").Active:0.00}B active against the card's rounded {Published("laguna-xs.2").Total:0}B and {Published("laguna-xs.2").Active:0}B"));
        const string pro = "deepseek-v4-pro", flash = "deepseek-v4-flash";
        yield return ("docs/methodology.md", () => F($"V4-Pro counts {Counted(pro).Total / 1e3:0.000} T ({(Counted(pro).Total + Parts(pro).Mtp) / 1e3:0.000} T with its MTP block"));
        yield return ("docs/methodology.md", () =>
            F($"{ActiveNoEmbedding(pro):0.00} B active without the embedding ({Published(pro).Active:0} B); V4-Flash {Counted(flash).Total:0.00} B ({Published(flash).Total:0} B) and {ActiveNoEmbedding(flash):0.00} B ({Published(flash).Active:0} B)."));
        yield return ("docs/methodology-serving.md", () => F($"Beyond {Quantiles.ExactLimit:N0} requests a log histogram"));
        yield return ("docs/methodology-serving.md", () =>
            F($"a capacity search's staggered probe sends at least {Workload.StaggeredRequestsPerClient} requests per client (`Workload.StaggeredRequestsPerClient`): the ramp sends about {Workload.StaggeredRequestsPerClient / 2.0:0.0} per client (each started client returns about once a cycle while the rest start), the rest measure each client about {Workload.StaggeredRequestsPerClient / 2.0:0.0} times."));
        yield return ("docs/methodology-serving.md", () => F($"A stated cap is a whole number (sequences 1 to {StatedCaps.MostSequences:N0}, tokens 1 to {StatedCaps.MostTokens:N0})"));
        yield return ("docs/methodology-serving.md", () =>
        {
            // The command the capacity row of CommandFigureRows runs: the page's inputs are the ones it was given.
            var c = Command("capacity", "--model", "kimi-k2.5", "--hardware", "h100", "--precision", "int4-g32+bf16", "--system-devices", "16", "--input", "2000", "--output", "500", "--ttft-p90", "2", "--tpot-p90", "0.1");
            double Target(string metric) => c.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("metric").GetString() == metric).GetProperty("targetSeconds").GetDouble();
            return F($"on {c.GetProperty("devices").GetInt32()} H100s, {2000:N0} prompt and 500 output tokens, TTFT {Target("ttft")} s and TPOT {Target("tpot")} s at p90: `capacity --system-devices {c.GetProperty("layout").GetProperty("devices").GetInt32()}`");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            var fp8 = CatalogFiles.Embedded.Device("nvidia-h100-pcie-80gb").PeakFor(ComputeType.Fp8)!.Value.Value / 1e12;
            // 4 x 128 FLOP of products per exponential at a 128-wide head.
            return F($"meet it exactly ({fp8:N0} TFLOP/s / {4 * 128} = {fp8 / (4 * 128):0.000} T/s on the H100 PCIe)");
        });
        yield return ("docs/cli.md", () =>
        {
            var k = CountSuffix.Kilo(CountUnit.Items);
            return F($"is decimal: `2k` = {2 * k:N0} and `1M` = {k * k:N0}, as are volumes (`--requests-per-month 1M` = {k * k:N0}, `--tokens 1.4T`)");
        });
        yield return ("docs/cli.md", () =>
        {
            var k = CountSuffix.Kilo(CountUnit.Tokens);
            return F($"as model contexts are named: `32k` = {32 * k:N0} and `1M` = {k * k:N0}.");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            // The routed experts in MXFP4 (4.25 bits with scales) and the BF16 router, for the 4 active experts of each layer.
            var a = CatalogFiles.Embedded.Model("gpt-oss-20b").Architecture;
            var moe = a.Moe!;
            var bytes = a.Layers * (moe.ActiveExperts * 3.0 * a.HiddenSize * moe.ExpertIntermediateSize * 4.25 / 8 + (double)a.HiddenSize * moe.Experts * 2);
            var width = moe.ExpertIntermediateSize == a.HiddenSize ? F($"{a.HiddenSize:N0}^2") : F($"{a.HiddenSize:N0} x {moe.ExpertIntermediateSize:N0}");
            return F($"`{a.Layers} x ({moe.ActiveExperts} x 3 x {width} x 4.25/8 + {a.HiddenSize:N0} x {moe.Experts} x 2)` = {bytes / 1e9:0.00} GB of expert weights per decode step");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            // The command CapacityRate runs (SpeculationTests' example without speculation).
            var c = Command("capacity --model llama-3.1-8b --hardware h100 --input 512 --output 256 --tpot-p90 0.01 --requests 200".Split(' '));
            var tpot = c.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("metric").GetString() == "tpot");
            return F($"Llama-3.1-8B on {(c.GetProperty("devices").GetInt32() == 1 ? "one" : c.GetProperty("devices").GetInt32().ToString(Invariant))} H100, 512 in / 256 out, TPOT p{tpot.GetProperty("percentile").GetInt32()} at most {tpot.GetProperty("targetSeconds").GetDouble() * 1e3:0} ms");
        });
        string[] train = ["train", "--model", "llama-3.1-8b", "--hardware", "h100"];
        int Refused(params string[] args)
        {
            var (code, _, err, _) = CliTests.Run([.. train, .. args]);
            Assert.True(code != 0 && err.Length > 0, $"suanli train {string.Join(' ', args)} was not refused");
            return code;
        }
        yield return ("docs/methodology-training.md", () =>
            F($"Tokens or FLOPs of zero, negative, NaN or unparsable: exit {Refused("--devices", "64", "--tokens", "0")} naming `--tokens`/`--flops`. More than one of --tokens/--flops/--budget-usd: exit {Refused("--devices", "64", "--tokens", "1T", "--flops", "3e23")}. ZeRO stage outside 0-3: exit {Refused("--devices", "64", "--tokens", "1T", "--zero", "5")} listing the stages."));
        yield return ("docs/methodology-training.md", () => F($"Devices not divisible by TP x PP: exit {Refused("--devices", "60", "--tokens", "1T", "--tp", "8")} with the nearest valid counts."));
        yield return ("docs/methodology-serving.md", () =>
            F($"| offline | the count the row's note states (\"500 requests\"), else {Suanli.Validation.InferencePredictor.OfflineBatches} batches' worth of the KV-limited batch, {Suanli.Validation.InferencePredictor.MinOfflineRequests} to {Suanli.Validation.InferencePredictor.MaxOfflineRequests:N0} |"));
        yield return ("docs/methodology-serving.md", () =>
            F($"| concurrency | the stated count, else max({Suanli.Validation.InferencePredictor.MinClosedLoopRequests}, {Suanli.Validation.InferencePredictor.ClosedLoopRequestsPerClient} x clients) |"));
        yield return ("docs/methodology-serving.md", () => F($"| rate | the stated count, else {Suanli.Validation.InferencePredictor.RateRequests} (the request count"));
        yield return ("docs/methodology.md", () =>
            F($"For each hidden width {GenericModel.HeadDim * GenericModel.KvHeads:N0} x k (k = 1..128: whole groups of {GenericModel.KvHeads} heads, so tensor parallelism over 2, 4 or {GenericModel.KvHeads} GPUs always divides the heads)"));
        yield return ("docs/methodology-serving.md", () =>
        {
            // SGLang's chunk by device memory: the steps where the default changes, found by walking whole GiB.
            var h100 = CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb");
            int Chunk(int gib) => SchedulerDefaults.For(StepTime.Engine.Sglang, h100 with { Memory = Bytes.FromBytes(gib * 1024.0 * 1024 * 1024) }).MaxBatchedTokens;
            var steps = new List<(int Below, int Chunk)>();
            var last = Chunk(1);
            for (var gib = 2; gib <= 1024; gib++)
            {
                if (Chunk(gib) != last)
                {
                    steps.Add((gib, last));
                    last = Chunk(gib);
                }
            }
            Assert.True(steps.Count == 3, $"SGLang's chunked prefill now has {steps.Count + 1} steps by memory; rewrite the page's row");
            return F($"`chunked_prefill_size`: {steps[0].Chunk:N0} under {steps[0].Below} GiB, {steps[1].Chunk:N0} under {steps[1].Below} GiB, {steps[2].Chunk:N0} under {steps[2].Below} GiB, {last:N0} above");
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            var llama = SchedulerDefaults.For(StepTime.Engine.LlamaCpp, CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb"));
            return F($"| llama.cpp | {llama.MaxNumSeqs} slots (`--parallel` -1 = auto) | {llama.MaxBatchedTokens:N0} (`-b`, logical;");
        });
        const string longPrompts = "deepseek-v32-910c-long-prompts.yaml";
        int LongPromptK() => ScenarioValue(longPrompts, "input_tokens") / (int)CountSuffix.Kilo(CountUnit.Tokens);
        yield return ("docs/methodology-intervals.md", () =>
            F($"(DeepSeek-V3.2 with {LongPromptK()}k prompts on Ascend 910C: the x{1 + Suanli.Plan.Sensitivity.DemandFactor:0.00} prompt cannot be prefilled within the {ScenarioValue(longPrompts, "ttft_p90_s")} s TTFT target)"));
        yield return ("docs/methodology-intervals.md", () =>
            F($"(`examples/{longPrompts}`: peak_concurrency {ScenarioValue(longPrompts, "peak_concurrency")}, {LongPromptK()}k prompts) the x{1 - Suanli.Plan.Sensitivity.DemandFactor:0.00} prompt keeps"));
        yield return ("docs/methodology-fleet.md", () =>
            F($"65e6 requests a day gives 65e6 / {Suanli.Plan.UserDemand.SecondsPerDay:N0} / 0.51 = {65e6 / Suanli.Plan.UserDemand.SecondsPerDay / 0.51:N0} requests/s at the full-load hour"));
        yield return ("README.md", () =>
            F($"(a {ScenarioComment("c2-knowledge-base.yaml", @"for a ([\d,]+)-person"):N0}-person institution, {ScenarioValue("c2-knowledge-base.yaml", "peak_concurrency")} concurrent requests at the peak"));
    }
}
