using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Cli;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table (<see cref="CommandFigureRows"/>) found by the audit's classes (scripts/doc-figures-audit.py
/// --class b-out / b-const): the CLI reference's exit codes, chunk sizes, layouts and defaults from the constants and
/// commands that decide them; the serving page's request counts per percentile; the catalog shapes the generic-model rule
/// cites; the Mamba state of Nemotron Nano 9B v2.
/// </summary>
public sealed partial class DocFiguresTests
{
    private static JsonElement Memory(params string[] args) => Command(["memory", "--model", "llama-3.1-8b", "--context", "32k", .. args]);

    /// <summary>docs/cli.md's figures that the CLI's constants and runs give.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> CliReferenceRows()
    {
        const string page = "docs/cli.md";
        yield return (page, () => F($"{SuanliCli.InputError} bad input of any kind"));
        yield return (page, () => F($"{SuanliCli.InternalError} an internal error (a defect;"));
        yield return (page, () => F($"{SuanliCli.Interrupted} stopped by Ctrl+C"));
        yield return (page, () => F($"`kind` is `input` (exit {SuanliCli.InputError}), `interrupted` (exit {SuanliCli.Interrupted}) or `internal` (exit {SuanliCli.InternalError})"));
        yield return (page, () =>
        {
            var (h100, none) = (Memory("--hardware", "h100").GetProperty("prefillChunkTokens").GetInt32(), Memory().GetProperty("prefillChunkTokens").GetInt32());
            return F($"on `--hardware`, {h100:N0} on an H100, within batch x context; {none:N0} without hardware");
        });
        yield return (page, () =>
        {
            var split = Command("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--devices", "16");
            var pinned = Command("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--devices", "16", "--tp", "16");
            var warning = pinned.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).FirstOrDefault(c => c == "replica-crosses-nodes") ?? "(none)";
            return F($"(16 x H100 for a 70B: TP={split.GetProperty("tp").GetInt32()} x PP={split.GetProperty("pp").GetInt32()}), TP={pinned.GetProperty("tp").GetInt32()} only with `perf --tp 16`, and then with the warning `{warning}`");
        });
        yield return (page, () =>
        {
            int Draft(string model, string kind) => Command("perf", "--model", model, "--hardware", "h200", "--precision", "fp8", "--batch", "1", "--speculate", kind, "--accept", "0.8")
                .GetProperty("speculation").GetProperty("draftTokens").GetInt32();
            return F($"`--draft-tokens` defaults to {Draft("deepseek-v3", "mtp")} for `mtp` and {Draft("llama-3.1-8b", "eagle")} otherwise");
        });
    }

    /// <summary>The serving page's request counts: the percentile rule, the probe size, the exact-percentile limit and the steady-state margin.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> ServingConstantRows()
    {
        const string page = "docs/methodology-serving.md";
        yield return (page, () => F($"Beyond {Quantiles.ExactLimit:N0} requests a log histogram"));
        yield return (page, () => F($"only if at least {Percentile.TailRequests} measured requests lie beyond it (`Percentile.TailRequests`)"));
        yield return (page, () => F($"p90 needs {Percentile.P90.MinMeasured:N0} measured requests, p99 {Percentile.P99.MinMeasured:N0}, p99.9 {Percentile.Of(99.9, "p").MinMeasured:N0}."));
        yield return (page, () =>
        {
            int At(Percentile p) => ServingTargets.FromSeconds(1, null, null, p).RequestsFor(SimulatedReplicaCapacity.RequestsPerProbe);
            return F($"A plan or optimize probe issues {SimulatedReplicaCapacity.RequestsPerProbe} requests, more when a target asks (`ServingTargets.RequestsFor`: {At(Percentile.P99):N0} at p99, {At(Percentile.Of(99.9, "p")):N0} at p99.9), up to the simulator's {Workload.MaxRequests:N0}");
        });
        yield return (page, () => F($"x {InferencePredictor.SteadyMargin} (`InferencePredictor.SteadyMargin`:"));
        yield return (page, () => F($"\"Analytic capacity\", x its slack {ScenarioSearchOptions.DefaultBoundSlack}, x replicas)"));
        yield return ("docs/methodology-steptime.md", () =>
        {
            var m = CatalogFiles.Embedded.Model("deepseek-v3");
            var d = new Deployment(m, CatalogFiles.Embedded.Device("nvidia-h200-sxm-141gb"), Layouts.Make(m.Architecture, 8, 1), NumberFormat.Fp8, NumberFormat.Fp8, Engine.Sglang);
            var mem = SpeculativeDecoding.Memory(d, Speculation.Create(SpeculationKind.Mtp, 1, 0.85, m));
            // FP8: one byte a parameter, so the device's share x 8 ranks counts the block's parameters.
            return F($"DeepSeek-V3 in FP8 over TP 8: {mem.Weights.Value * 8 / 1e9:0.00}B parameters / 8 = {mem.Weights.Value / 1e9:0.00} GB per device and a {mem.KvPerToken.Value:0}-byte MLA latent per token");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            var m = CatalogFiles.Embedded.Model("llama-3.1-8b");
            var d = new Deployment(m, CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(m.Architecture, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm);
            var mem = SpeculativeDecoding.Memory(d, Speculation.Create(SpeculationKind.Eagle, 4, 0.8, m));
            var target = MemoryModel.KvBytesPerToken(m.Architecture, NumberFormat.Bf16).Value;
            return F($"BF16 {mem.Weights.Value / 2 / 1e6:0.0}M parameters = {mem.Weights.Value / 1e6:0.0} MB and {mem.KvPerToken.Value:N0} bytes per token beside the target's {target:N0}");
        });
        yield return ("docs/methodology-fleet.md", () => F($"(default {string.Join(", ", CandidateSettings.DefaultDevicesPerReplica)}; a scenario's"));
        yield return ("docs/web.md", () => F($"`top` ({CompareRun.DefaultTop}, at most {CompareRun.MaxTop}:"));
    }

    /// <summary>docs/methodology.md's shapes "each figure from a catalog config" and the Nemotron Nano state it works out.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> CatalogShapeRows()
    {
        const string page = "docs/methodology.md";
        static ModelArchitecture A(string id) => CatalogFiles.Embedded.Model(id).Architecture;
        string Ratio(string name, string id) => F($"{name} {A(id).HiddenSize:N0} / {A(id).Layers} = {Math.Round((double)A(id).HiddenSize / A(id).Layers):0}");
        yield return (page, () => F($"SwiGLU MLP of width 3.5 x hidden (Llama 3 8B {A("llama-3.1-8b").IntermediateSize:N0} / {A("llama-3.1-8b").HiddenSize:N0}; 70B {A("llama-3.1-70b").IntermediateSize:N0} / {A("llama-3.1-70b").HiddenSize:N0}), RMSNorm, a {A("llama-3.1-8b").VocabSize:N0}-token vocabulary"));
        yield return (page, () => F($"{A("llama-3.1-8b").MaxContext:N0} tokens of context (Llama 3.1)"));
        yield return (page, () => string.Join(", ", Ratio("GPT-3 175B", "gpt-3-175b"), Ratio("Llama 2 7B", "llama-2-7b"), Ratio("Llama 2 13B", "llama-2-13b"), Ratio("Llama 3.1 405B", "llama-3.1-405b")));
        yield return (page, () =>
        {
            var a = A("nemotron-nano-9b-v2");
            var perToken = MemoryModel.KvBytesPerToken(a, NumberFormat.Bf16).Value;
            var states = MemoryModel.KvBytesPerSequence(a, NumberFormat.Bf16, 1).Value - perToken;
            return F($"= {MemoryModel.RecurrentStatePerLayer(a).Value:N0} B per Mamba layer, {states / (1 << 20):0.0} MiB per sequence, beside {perToken / 1024:0} KiB per token on its {a.FullAttentionLayers} attention layers");
        });
    }

    /// <summary>The training page's QLoRA example: the whole run's memory per device and whether it fits.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> TrainingMemoryRows()
    {
        yield return ("docs/methodology-training.md", () =>
        {
            var memory = Command("train", "--model", "llama-2-70b", "--method", "qlora", "--hardware", "a100-80gb", "--devices", "1", "--tokens", "1e8", "--recompute", "full").GetProperty("memory");
            var fits = memory.GetProperty("fits").GetBoolean() ? "fits" : "does not fit";
            return F($"the whole run to {memory.GetProperty("memoryPerDeviceBytes").GetDouble() / 1e9:0.0} GB, which {fits} one 80 GB GPU with full recomputation");
        });
    }

    /// <summary>The README's figures outside its plan excerpt: the first scenario's load, the memory conventions and compare's default.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> ReadmeConstantRows()
    {
        const string page = "README.md";
        yield return (page, () => F($"{Command("plan", Example("c2-knowledge-base.yaml")).GetProperty("applications")[0].GetProperty("demand").GetProperty("peak").GetInt32()} concurrent requests at the peak"));
        yield return (page, () =>
        {
            var (h100, a100) = (CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb").Memory.Value, CatalogFiles.Embedded.Device("nvidia-a100-sxm4-80gb").Memory.Value);
            return F($"A100/H100 80 GB parts are {h100 / (1L << 30):0} GiB (nvidia-smi: {a100 / (1 << 20):N0} MiB)");
        });
        yield return (page, () =>
        {
            var reserve = EngineConfig.ReserveFor(Engine.Vllm);
            return F($"Engines keep {1 - reserve.MemoryUtilization:0%} of device memory in reserve (vLLM's default `gpu_memory_utilization` {reserve.MemoryUtilization}) and {reserve.ContextPerDevice.Value / (1L << 30):0} GiB per device");
        });
        yield return (page, () => F($"among the `--top` ({CompareRun.DefaultTop}) cheapest"));
    }

    private static IEnumerable<(string Page, Func<string> Says)> ConstantRows() =>
        CliReferenceRows().Concat(ServingConstantRows()).Concat(CatalogShapeRows()).Concat(TrainingMemoryRows()).Concat(ReadmeConstantRows())
            .Concat(WebEndpointDefaultRows()).Concat(CliExitRows()).Concat(BenchRows()).Concat(HelpPhraseRows()).Concat(CaseRows()).Concat(PlanShapeRows());

    [GeneratedRegex(@"(\d+)% (?:capacity )?(?:prediction )?interval")]
    private static partial Regex CoverageInterval();

    [GeneratedRegex(@"(\d+)% range")]
    private static partial Regex CoverageRange();

    /// <summary>
    /// Every "N% interval" and "N% range" the hand-written pages and the README name is the intervals' nominal coverage
    /// (<see cref="PredictionIntervals.NominalCoverage"/>): a change of the coverage shows every sentence to update.
    /// </summary>
    [Fact]
    public void Every_interval_the_pages_name_has_the_nominal_coverage()
    {
        var expected = F($"{PredictionIntervals.NominalCoverage * 100:0}");
        var found = 0;
        var wrong = new List<string>();
        foreach (var page in SumPages.Append("docs/methodology-intervals.md").Distinct())
        {
            var text = Regex.Replace(Read(page.Split('/')), @"\s+", " ");
            foreach (var m in CoverageInterval().Matches(text).Concat(CoverageRange().Matches(text)))
            {
                found++;
                if (m.Groups[1].Value != expected)
                {
                    wrong.Add($"{page}: '{m.Value}'");
                }
            }
        }
        Assert.True(found >= 10, $"only {found} 'N% interval' or 'N% range' found; did the pages change?");
        Assert.True(wrong.Count == 0, $"the intervals cover {expected}%, but:\n" + string.Join('\n', wrong));
    }
}
