using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The figures the methodology pages, the catalog's SOURCES.md and the README type that a command (or the library call
/// behind it) produces: one table of (page, the page's words with today's figures filled in), each command run once.
/// A row fails when the command's answer moved and the page did not: copy the figure the message gives.
/// </summary>
public sealed partial class DocFiguresTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly Dictionary<string, JsonElement> JsonRuns = [];

    /// <summary>The JSON document of one <c>suanli</c> run, run once per argument list.</summary>
    private static JsonElement Command(params string[] args)
    {
        var key = string.Join(' ', args);
        if (!JsonRuns.TryGetValue(key, out var root))
        {
            var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
            Assert.True(code == 0, $"suanli {key}: {err}");
            root = JsonDocument.Parse(output).RootElement.Clone();
            JsonRuns[key] = root;
        }
        return root;
    }

    private static string Example(string file) => Path.Combine(PlanTests.RepoRoot(), "examples", file);

    private static string F(FormattableString s) => s.ToString(Invariant);

    [GeneratedRegex(@"below the ([\d.,]+ m?s) one mean request takes alone")]
    private static partial Regex AloneFloor();

    /// <summary>The floor the capacity search's first finding (or a plan's refusal) gives: "15.30 s", "683 ms".</summary>
    private static string Floor(string text)
    {
        var m = AloneFloor().Match(text);
        Assert.True(m.Success, $"no 'below the ... one mean request takes alone' in: {text}");
        return m.Groups[1].Value;
    }

    private static string FirstFinding(JsonElement doc) => doc.GetProperty("findings")[0].GetProperty("message").GetString()!;

    private static string MeetingRemedies(JsonElement capacity)
    {
        var meets = capacity.GetProperty("remedies").EnumerateArray().Where(r => r.GetProperty("meets").GetBoolean()).Select(r => r.GetProperty("change").GetString()!).ToList();
        return meets.Count == 0 ? "none of them meets" : string.Join(" and ", meets) + " would meet it";
    }

    private static double CapacityRate(params string[] speculation) =>
        Command([.. "capacity --model llama-3.1-8b --hardware h100 --input 512 --output 256 --tpot-p90 0.01 --requests 200".Split(' '), .. speculation])
            .GetProperty("maxRequestsPerSecond").GetDouble();

    /// <summary>MTP speed-up of a decode step at a batch and context, as SpeculationTests computes it.</summary>
    private static double MtpSpeedup(string model, string device, NumberFormat weights, NumberFormat kv, Engine engine, int draftTokens, double acceptance, int batch, int context)
    {
        var catalog = CatalogFiles.Embedded;
        var m = catalog.Model(model);
        var d = new Deployment(m, catalog.Device(device), Footprint.Layouts.Make(m.Architecture, 8, 1), weights, kv, engine);
        var s = Speculation.Create(SpeculationKind.Mtp, draftTokens, acceptance, m);
        var calibrated = CalibrationFiles.Default;
        return calibrated.Estimate(d, StepShape.Decode(batch, context)).Time.Value / SpeculativeDecoding.Decode(calibrated, d, s, batch, context).TimePerOutputToken.Value;
    }

    /// <summary>The acceptance a whose (1 - a^(k+1)) / (1 - a) is the published acceptance length.</summary>
    private static double Acceptance(int k, double length)
    {
        double lo = 1e-6, hi = 1 - 1e-9;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = (1 - Math.Pow(mid, k + 1)) / (1 - mid) < length ? (mid, hi) : (lo, mid);
        }
        return (lo + hi) / 2;
    }

    private static string Generic(string name)
    {
        var a = GenericModel.Build(name).Architecture;
        return F($"{a.Layers} layers of {a.HiddenSize:N0}");
    }

    private static string ServingSources()
    {
        var yaml = Read("catalog", "calibration", "steptime.yaml");
        int Rows(string engineClass) => Regex.Matches(yaml, $@"- engine_class: {engineClass}\n    hardware: [\w-]+\n    rows: (\d+)")
            .Sum(m => int.Parse(m.Groups[1].Value, Invariant));
        return F($"The calibration set is {Rows("serving")} serving-engine rows and {Rows("llamacpp")} llama.cpp rows");
    }

    private static string StaleEntries()
    {
        var entries = Command("catalog", "prices", "--stale", "--today", "2026-12-05").GetProperty("entries").EnumerateArray().ToList();
        var api = entries.Count(e => e.GetProperty("table").GetString() == "api");
        return F($"`suanli catalog prices --stale --today 2026-12-05` lists {entries.Count} entries, {(api == 0 ? "none of them an API price" : $"{api} of them API prices")}");
    }

    private static string ReservedDevices()
    {
        var devices = Command("catalog", "prices").GetProperty("rent").EnumerateArray()
            .Where(r => r.GetProperty("term").GetString()!.StartsWith("reserved", StringComparison.Ordinal)).Select(r => r.GetProperty("hardware").GetString()!)
            .ToHashSet();
        return devices.SetEquals(["nvidia-h100-sxm5-80gb", "nvidia-a100-sxm4-40gb", "nvidia-t4", "huawei-ascend-910b"])
            ? "1- and 3-year prices exist for the H100, A100 40GB, T4 and Ascend 910B only"
            : $"1- and 3-year prices exist for {string.Join(", ", devices.Order())}";
    }

    private static string ServerOverhead()
    {
        // Each item's newest-dated purchase price, as the cost model takes it.
        var newest = Command("catalog", "prices").GetProperty("purchase").EnumerateArray()
            .GroupBy(p => p.GetProperty("item").GetString()!)
            .ToDictionary(g => g.Key, g => g.MaxBy(p => p.GetProperty("date").GetString())!.GetProperty("price").GetProperty("amount").GetDouble());
        double Overhead(string server, string device) => newest[server] / (8 * newest[device]) - 1;
        return F($"imply from {Overhead("dgx-h100", "nvidia-h100-sxm5-80gb"):0%} (DGX H100 at {newest["dgx-h100"]:N0} USD against 8 x {newest["nvidia-h100-sxm5-80gb"]:N0} USD;")
            + F($" 12.5% at its 2023 price of 270,000 USD) to {Overhead("hgx-h20", "nvidia-h20-96gb"):0%} (HGX H20 at {newest["hgx-h20"]:N0} CNY against 8 x {newest["nvidia-h20-96gb"]:N0} CNY)");
    }

    /// <summary>The generic node's nameplate factor (the planner's constant) beside the DGX ratios that justify it, from the catalog.</summary>
    private static string GenericNodePower()
    {
        string Ratio(string server)
        {
            var s = Command("catalog", "servers").GetProperty("servers").EnumerateArray().Single(x => x.GetProperty("id").GetString() == server);
            var tdp = Command("catalog", "hardware").GetProperty("devices").EnumerateArray().Single(x => x.GetProperty("id").GetString() == s.GetProperty("device").GetString()).GetProperty("tdpWatts").GetDouble();
            var (watts, n) = (s.GetProperty("powerWatts").GetDouble(), s.GetProperty("devicesPerNode").GetInt32());
            return F($"{watts / 1000:0.0} kW / ({n} x {tdp:0} W) = {watts / (n * tdp):0.00}");
        }
        return F($"nameplate `{Suanli.Fleet.FleetPlanner.NodePowerOverDeviceTdp} x` device TDP — DGX H100 {Ratio("dgx-h100")}, DGX B200 {Ratio("dgx-b200")} — 4U");
    }

    /// <summary>The pages name the models whose released checkpoint is not bf16; the catalog's list must be the one named.</summary>
    private static string ReleasedNonBf16()
    {
        var formats = Command("catalog", "models").GetProperty("models").EnumerateArray()
            .Where(m => m.GetProperty("defaultPrecision").GetString() != "bf16")
            .GroupBy(m => m.GetProperty("defaultPrecision").GetString()!)
            .ToDictionary(g => g.Key, g => string.Join(",", g.Select(m => m.GetProperty("id").GetString()).Order()));
        var named = new Dictionary<string, string>
        {
            ["fp8"] = "deepseek-r1,deepseek-v3,deepseek-v3.1,deepseek-v3.2-exp,glm-4.7,glm-5.3,kimi-k2,minimax-m2,minimax-m2.5,minimax-m2.7,mistral-large-3,mistral-medium-3.5,mistral-small-4",
            ["mxfp4+bf16"] = "gpt-oss-120b,gpt-oss-20b",
            ["mxfp4+fp8"] = "deepseek-v4-flash,deepseek-v4-pro",
            ["int4-g32+bf16"] = "kimi-k2-thinking,kimi-k2.5",
        };
        return formats.Count == named.Count && formats.All(f => named.GetValueOrDefault(f.Key) == f.Value)
            ? "DeepSeek-V3/R1/V3.1/V3.2, Kimi K2, MiniMax-M2/M2.5/M2.7, GLM-4.7, GLM-5.3, Mistral Large 3, Mistral Medium 3.5 and Mistral Small 4"
            : "the released formats now: " + string.Join("; ", formats.Select(f => $"{f.Key} for {f.Value}"));
    }

    /// <summary>A catalog model's counted total and active parameters, in billions, as <c>suanli catalog models</c> lists them.</summary>
    /// <summary>A hybrid model's linear-attention state: its layers, bytes per layer at the recurrent state's BF16 and the whole per sequence in MiB.</summary>
    private static (int Layers, double PerLayer, double MiB) LinearState(string id)
    {
        var a = CatalogFiles.Embedded.Model(id).Architecture;
        var l = a.Linear!;
        return (l.Layers, l.StateBytesPerLayer(Suanli.Footprint.MemoryModel.RecurrentStateBytesPerValue), Suanli.Footprint.MemoryModel.ConstantStatePerSequence(a).InMebibytes);
    }

    private static (double Total, double Active) Counted(string id)
    {
        var m = Command("catalog", "models").GetProperty("models").EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
        return (m.GetProperty("parametersCounted").GetDouble() / 1e9, m.GetProperty("activeParametersCounted").GetDouble() / 1e9);
    }

    /// <summary>Parameter parts of a catalog model in billions, as the library counts them (the text weights, the MTP blocks, the blocks without embedding, head and towers, and the active ones without embedding and head).</summary>
    private static (double Text, double Mtp, double NoEmbeddingNoHead, double ActiveNoEmbeddingNoHead) Parts(string id, Func<ModelArchitecture, ModelArchitecture>? change = null)
    {
        var a = CatalogFiles.Embedded.Model(id).Architecture;
        a = change is null ? a : change(a);
        var p = Footprint.ParameterCount.Of(a);
        return (p.Text(a) / 1e9, p.Mtp / 1e9, (p.Text(a) - p.Embedding - p.LmHead) / 1e9, p.ActiveAs(a, "no-embedding-no-head") / 1e9);
    }

    /// <summary>A catalog model's active parameters without the embedding, in billions, as the library counts them.</summary>
    private static double ActiveNoEmbedding(string id)
    {
        var a = CatalogFiles.Embedded.Model(id).Architecture;
        return Footprint.ParameterCount.Of(a).ActiveAs(a, "no-embedding") / 1e9;
    }

    /// <summary>KiB of KV cache per token that <c>suanli memory</c> gives for a model.</summary>
    private static double KvKibPerToken(string id) => Command("memory", "--model", id).GetProperty("kvCacheBytesPerToken").GetDouble() / 1024;

    [GeneratedRegex(@"routed experts [\d.]+ B x 4\.25 bits \(mxfp4\) \+ the other [\d.]+ B parameters in bf16")]
    private static partial Regex MixedWeightsNote();

    private static string MixedWeights()
    {
        var (code, output, err, _) = CliTests.Run("memory", "--model", "gpt-oss-120b", "--format", "markdown");
        Assert.True(code == 0, err);
        var note = MixedWeightsNote().Match(output);
        Assert.True(note.Success, "'suanli memory --model gpt-oss-120b' no longer splits its weights row into routed experts and the rest");
        return note.Value;
    }

    /// <summary>Each row: the page and what it must say, with the figure a command gives today.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> CommandFigureRows()
    {
        yield return ("docs/methodology-steptime.md", () => F($"it now costs {Command("perf", "--model", "meta-llama/Llama-3.1-8B", "--hardware", "h100", "--input", "20000", "--output", "64", "--batch", "1").GetProperty("rows")[0].GetProperty("prefillSeconds").GetDouble():0.00} s (`suanli perf --model meta-llama/Llama-3.1-8B --hardware h100 --input 20000 --output 64 --batch 1`"));
        yield return ("docs/methodology-steptime.md", () => F($"`suanli perf --model Qwen/Qwen3.5-9B --hardware h20 --batch 1` gives a decode step of {Command("perf", "--model", "Qwen/Qwen3.5-9B", "--hardware", "h20", "--batch", "1").GetProperty("rows")[0].GetProperty("decodeOnlySeconds").GetDouble() * 1e3:0.00} ms"));
        yield return ("docs/methodology-steptime.md", () => F($"{CapacityRate():0.0} requests/s without, {CapacityRate("--speculate", "eagle", "--accept", "0.75"):0.0} with EAGLE `k = 4, a = 0.75`, {CapacityRate("--speculate", "eagle", "--accept", "0.3"):0.0} with `a = 0.3` (break-even) and {CapacityRate("--speculate", "eagle", "--accept", "0.2"):0.0} with `a = 0.2`"));
        yield return ("docs/methodology-steptime.md", () =>
        {
            double At(int batch) => MtpSpeedup("deepseek-v3", "nvidia-h200-sxm-141gb", NumberFormat.Fp8, NumberFormat.Fp8, Engine.Sglang, 1, 0.875, batch, 1024 + 128);
            var (b1, b32) = (At(1), At(32));
            return F($"predicts {b1:0.00}x at batch 1 (error {b1 / 1.8 - 1:0%}) and {b32:0.00}x at batch 32 ({b32 / 1.5 - 1:0.0%})");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            (double Length, double Published)[] blog = [(1.92, 1.78), (2.58, 2.25), (2.82, 2.28)];
            var x = blog.Select((r, i) => MtpSpeedup("deepseek-r1", "nvidia-b200-sxm", NumberFormat.Fp4, NumberFormat.Bf16, Engine.TrtLlm, i + 1, Acceptance(i + 1, r.Length), 1, 2048)).ToArray();
            var low = x.Select((s, i) => 1 - s / blog[i].Published).ToArray();
            return F($"Suanli predicts {x[0]:0.00}x, {x[1]:0.00}x and {x[2]:0.00}x: {low[0]:0%}, {low[1]:0%} and {low[2]:0%} low");
        });
        yield return ("docs/methodology-steptime.md", ServingSources);
        yield return ("docs/methodology-steptime.md", () =>
        {
            var row = Section(Read("docs", "validation.md"), "### Leave-one-out error per metric").Split('\n').Single(l => l.StartsWith("| output_tokens_per_s |", StringComparison.Ordinal)).Split('|');
            return $"Leave-one-out p90 {row[5].Trim()}% over {row[2].Trim()} rows";
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            var c = Command("capacity", "--model", "kimi-k2.5", "--hardware", "h100", "--precision", "int4-g32+bf16", "--system-devices", "16", "--input", "2000", "--output", "500", "--ttft-p90", "2", "--tpot-p90", "0.1");
            var l = c.GetProperty("layout");
            var count = Regex.Match(c.GetProperty("layoutReason").GetString()!, @"of (\d+) candidates").Groups[1].Value;
            return F($"`capacity --system-devices 16` chooses TP={l.GetProperty("tp").GetInt32()} PP={l.GetProperty("pp").GetInt32()} EP={l.GetProperty("ep").GetInt32()} of {count} candidates");
        });
        yield return ("docs/methodology-serving.md", () => F($"one mean request alone takes {Floor(FirstFinding(Command("capacity", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--devices", "4", "--input", "512", "--output", "500", "--e2e-p90", "2")))}"));
        yield return ("docs/methodology-serving.md", () => MeetingRemedies(Command("capacity", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--devices", "4", "--input", "512", "--output", "500", "--e2e-p90", "2")) + " 2 s");
        yield return ("docs/methodology-serving.md", () => F($"one replica carries {Command("capacity", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--devices", "4", "--mode", "concurrency", "--input", "512", "--output", "500", "--ttft-p90", "2", "--tpot-p90", "0.1").GetProperty("maxConcurrency").GetDouble():N0} concurrent requests"));
        yield return ("docs/methodology-serving.md", () =>
        {
            var intent = Command("capacity", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--devices", "4", "--mode", "concurrency", "--input", "2048", "--output", "8", "--e2e-p90", "0.3");
            return $"request alone takes {Floor(FirstFinding(intent))} on 4 x A100 (its prefill and 8 decode steps), so the 300 ms end-to-end target fails at any load; {MeetingRemedies(intent)}";
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            var w = Command("capacity", "--model", "llama-3.1-8b", "--hardware", "h100", "--input", "512", "--output", "128", "--ttft-p90", "2", "--tpot-p90", "0.1", "--duration", "60").GetProperty("atMax").GetProperty("requests").GetProperty("window");
            return F($"the warm-up is 2 + 127 x 0.1 = {w.GetProperty("warmupSeconds").GetDouble():0.0} s and a probe simulates {w.GetProperty("arrivalSeconds").GetDouble():0.0} s of arrivals");
        });
        yield return ("docs/methodology-fleet.md", () =>
        {
            var (code, _, err, _) = CliTests.Run("plan", Example("c2-article-targets.yaml"), "--format", "json");
            Assert.Equal(2, code);
            return $"below the {Floor(err)} one mean request takes alone";
        });
        yield return ("docs/methodology-fleet.md", () =>
        {
            var demand = Command("plan", Example("c5-consumer-chatbot.yaml")).GetProperty("applications")[0].GetProperty("demand");
            return F($"(mean {demand.GetProperty("users").GetProperty("profileMean").GetDouble():0.00}), 13e6 users x 5 requests a day = 65e6 requests a day gives 65e6 / 86,400 / 0.51 = {demand.GetProperty("peak").GetDouble():N0} requests/s");
        });
        yield return ("docs/methodology-training.md", () =>
        {
            var train = Command("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1");
            return F($"within one day needs {train.GetProperty("deadline").GetProperty("devices").GetInt32():N0} (MFU {train.GetProperty("compute").GetProperty("mfu").GetDouble():0.000} at that size");
        });
        yield return ("docs/cli.md", () =>
        {
            // The page's Chinese example, as the CLI prints it (the list of suggestions joined with 、).
            var (code, _, err, _) = CliTests.Run("memory", "--model", "qwen2-27b", "--lang", "zh");
            Assert.Equal(2, code);
            return "$ suanli memory --model qwen2-27b --lang zh " + err.Trim();
        });
        yield return ("docs/methodology-training.md", () =>
        {
            var d = Command("train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30").GetProperty("deadline");
            return F($"Llama 3 8B on 1T tokens within 30 days on H100s needs {d.GetProperty("devicesByTime").GetInt32()} devices by time and {d.GetProperty("devicesByMemory").GetInt32()} by memory (TP=2 at ZeRO-3); {d.GetProperty("devices").GetInt32()} devices hold it as TP=1 DP=43 with ZeRO-1, so the answer is {d.GetProperty("devices").GetInt32()}, not 44");
        });
        yield return ("docs/methodology-training.md", () =>
        {
            var (code, output, err, _) = CliTests.Run("chinchilla", "--flops", "5.76e23", "--format", "markdown");
            Assert.True(code == 0, err);
            var optimum = output.Split('\n').Single(l => l.StartsWith("| Chinchilla fit optimum |", StringComparison.Ordinal)).Split('|');
            var tokens = double.Parse(optimum[3].Trim(), NumberStyles.Number, Invariant);
            return F($"is {Math.Round(double.Parse(optimum[2].Trim(), Invariant))}B parameters on {tokens / 1000:0.0}T tokens");
        });
        yield return ("docs/methodology.md", () =>
        {
            var a = GenericModel.Build("dense:200b").Architecture;
            return F($"`dense:200b` is {Generic("dense:200b")} ({Footprint.ParameterCount.Of(a).Total(a) / 1e9:0.0} B counted), `dense:175b` {Generic("dense:175b")}, `dense:70b` {Generic("dense:70b")}");
        });
        yield return ("docs/methodology.md", () =>
        {
            var a = GenericModel.Build("moe:671b-a37b").Architecture;
            var p = Footprint.ParameterCount.Of(a);
            return F($"`moe:671b-a37b` is {Generic("moe:671b-a37b")} with {a.Moe!.Experts} experts ({p.Total(a) / 1e9:0} B total, {p.Active(a) / 1e9:0.0} B active counted)");
        });
        yield return ("docs/methodology-cost.md", ServerOverhead);
        yield return ("docs/methodology-fleet.md", GenericNodePower);
        yield return ("docs/methodology-fleet.md", () => F($"at most {Suanli.Fleet.Rack.MaxPowerKw:N0} kW (`Rack.MaxPowerKw`"));
        yield return ("catalog/hardware/SOURCES.md", () => F($"`devices.yaml` ({Command("catalog", "hardware").GetProperty("devices").GetArrayLength()} devices:"));
        yield return ("catalog/hardware/SOURCES.md", () => F($"`servers.yaml` ({Command("catalog", "servers").GetProperty("servers").GetArrayLength()} nodes)"));
        yield return ("catalog/prices/SOURCES.md", StaleEntries);
        yield return ("README.md", ReservedDevices);
        yield return ("docs/cli.md", ReleasedNonBf16);
        yield return ("docs/methodology.md", ReleasedNonBf16);
        yield return ("docs/methodology.md", MixedWeights);
        yield return ("docs/methodology-serving.md", () =>
        {
            var system = Command("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--precision", "fp8", "--system-devices", "8");
            var layout = system.GetProperty("layout");
            var candidates = Regex.Match(system.GetProperty("layoutReason").GetString()!, @"of (\d+) candidates").Groups[1].Value;
            var weights = Command("memory", "--model", "llama-3.1-70b", "--precision", "fp8").GetProperty("weightsBytes").GetDouble() / 1e9;
            return F($"chooses {layout.GetProperty("replicas").GetInt32()} replicas x TP={layout.GetProperty("tp").GetInt32()} of {candidates} candidates: with {weights:0.0} GB of FP8 weights");
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            int Fits(string devices) => Command("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--precision", "fp8", "--devices", devices).GetProperty("maxBatchThatFits").GetInt32();
            return F($"{Fits("1")} sequences of 1,280 tokens, while TP=2 holds {Fits("2")}");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            var devices = File.ReadAllLines(Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "mlperf-v4.1-inference.csv"))
                .Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).Select(l => int.Parse(l.Split(',')[3], Invariant)).ToList();
            return F($"the set includes the {devices.Count} MLPerf v4.1 rows (whole systems of {devices.Min()} to {devices.Max()} GPUs");
        });
        yield return ("docs/methodology.md", () => F($"Scout then counts {Counted("llama-4-scout").Active:0.0} B active"));
        yield return ("docs/methodology.md", () => F($"total {Counted("llama-4-scout").Total:0.0} B against the published 109 B; Gemma 3 27B: {Counted("gemma-3-27b").Total:0.00} B against"));
        yield return ("docs/methodology.md", () => F($"V4-Pro counts {Counted("deepseek-v4-pro").Total / 1000:0.000} T ({(Counted("deepseek-v4-pro").Total + Parts("deepseek-v4-pro").Mtp) / 1000:0.000} T with its MTP block"));
        yield return ("docs/methodology.md", () =>
            F($"{ActiveNoEmbedding("deepseek-v4-pro"):0.00} B active without the embedding (49 B); V4-Flash {Counted("deepseek-v4-flash").Total:0.00} B (284 B) and {ActiveNoEmbedding("deepseek-v4-flash"):0.00} B (13 B)"));
        yield return ("docs/methodology.md", () =>
            F($"132 B = {Command("memory", "--model", "deepseek-v4-pro", "--context", "1048576", "--kv-precision", "bf16").GetProperty("kvCacheBytes").GetDouble() / (1L << 30):0.00} GiB; with BF16 indexer keys"));
        yield return ("docs/catalog.md", () => F($"`qwen3.5-35b-a3b` (hybrid Gated DeltaNet MoE, {Counted("qwen3.5-35b-a3b").Total:0.00}B counted"));
        yield return ("docs/catalog.md", () => F($"`qwen3.5-27b` (the dense hybrid, {Counted("qwen3.5-27b").Active:0.00}B in the language model)"));
        yield return ("docs/catalog.md", () => F($"Counted {Counted("kimi-linear-48b-a3b").Total:0.00}B against the README's '48B'"));
        yield return ("docs/catalog.md", () => F($"{Counted("glm-5").Total:0.00}B counted against 744B"));
        yield return ("docs/catalog.md", () => F($"{Counted("ministral-3-3b").Active:0.00}B, {Counted("ministral-3-8b").Active:0.00}B and {Counted("ministral-3-14b").Active:0.00}B against the stated"));
        yield return ("docs/catalog.md", () => F($"the 9B's text weights count {Counted("qwen3.5-9b").Active:0.000}B"));
        yield return ("docs/catalog.md", () => F($"counts {Counted("nemotron-nano-9b-v2").Total * 1e9:N0}, the card's 8.89B"));
        yield return ("docs/catalog.md", () => F($"counts {Counted("nemotron-3-nano-30b-a3b").Total:0.00}B and {Counted("nemotron-3-nano-30b-a3b").Active:0.00}B active, the report's 31.6B and 3.6B"));
        yield return ("docs/methodology.md", () => F($"Nemotron 3 Nano {Counted("nemotron-3-nano-30b-a3b").Total:0.00}B with {Counted("nemotron-3-nano-30b-a3b").Active:0.00}B active"));
        yield return ("docs/methodology.md", () => F($"Qwen3-Next holds {LinearState("qwen3-next-80b-a3b").Layers} x {LinearState("qwen3-next-80b-a3b").PerLayer:N0} B = {LinearState("qwen3-next-80b-a3b").MiB:0.0} MiB"));
        yield return ("docs/methodology.md", () => F($"= {LinearState("kimi-linear-48b-a3b").PerLayer:N0} B per layer in BF16, {LinearState("kimi-linear-48b-a3b").Layers} layers = {LinearState("kimi-linear-48b-a3b").MiB:0.0} MiB per sequence"));
        yield return ("docs/catalog.md", () => F($"'48B' ({Parts("kimi-linear-48b-a3b").NoEmbeddingNoHead:0.00}B without embedding and head) and {Counted("kimi-linear-48b-a3b").Active:0.00}B active against '3B'"));
        yield return ("docs/catalog.md", () => F($"reproduce the checkpoint's {Parts("qwen3.5-122b-a10b").Text:0.00}B of text weights"));
        yield return ("docs/catalog.md", () =>
        {
            // The same models with the 4B's and 9B's 32 value heads instead of their 16.
            static ModelArchitecture Wide(ModelArchitecture a) => a with { Linear = a.Linear! with { ValueHeads = 32 } };
            return F($"(1.89B and 758M against {Parts("qwen3.5-2b").Text:0.000}B and {Parts("qwen3.5-0.8b").Text * 1000:0.0}M counted; 32 value heads would count {Parts("qwen3.5-2b", Wide).Text:0.00}B and {Parts("qwen3.5-0.8b", Wide).Text:0.00}B)");
        });
        yield return ("docs/catalog.md", () => F($"counts {Counted("glm-5.2").Total:0.00}B against 744B, and {Counted("glm-5.2").Total + Parts("glm-5.2").Mtp:0.00}B with its MTP block"));
        yield return ("docs/catalog.md", () => F($"it counts {Counted("glm-5.3").Total + Parts("glm-5.3").Mtp:0.00}B with its MTP block"));
        yield return ("docs/catalog.md", () => F($"counts {Parts("minimax-m3").Text:0.00}B of text weights and {Counted("minimax-m3").Total:0.00}B with its vision tower against the reported ~428B, and {Parts("minimax-m3").ActiveNoEmbeddingNoHead:0.00}B active"));
        yield return ("docs/catalog.md", () => F($"{Parts("gemma-4-31b").Text:0.00}B of text weights against the card's 30.7B and {Counted("gemma-4-31b").Total:0.00}B with the vision encoder"));
        yield return ("docs/catalog.md", () => F($"`suanli memory --model gemma-4-31b --context 256k` gives {Command("memory", "--model", "gemma-4-31b", "--context", "256k").GetProperty("kvCacheBytes").GetDouble() / 1e9:0.0} GB of KV cache"));
        yield return ("docs/catalog.md", () => F($"gives {KvKibPerToken("glm-5.2"):0.0} KiB of KV cache per token against GLM-5's {KvKibPerToken("glm-5"):0.0} KiB"));
        yield return ("docs/catalog.md", () => F($"The text models count {Parts("gemma-3n-e4b").Text:0.00}B and {Parts("gemma-3n-e2b").Text:0.00}B; without the token and per-layer embedding tables {Parts("gemma-3n-e4b").ActiveNoEmbeddingNoHead:0.00}B and {Parts("gemma-3n-e2b").ActiveNoEmbeddingNoHead:0.00}B"));
        yield return ("docs/catalog.md", () => F($"`suanli memory --model gemma-3n-e4b` gives {KvKibPerToken("gemma-3n-e4b"):0.0} KiB of KV cache per token"));
        yield return ("docs/methodology.md", () => F($"counted {Parts("gemma-4-26b-a4b").Text:0.00} B of text weights and {Counted("gemma-4-26b-a4b").Active:0.00} B active with the embedding"));
        yield return ("docs/catalog.md", () => F($"counts {Parts("gemma-4-26b-a4b").Text:0.00}B of text weights and {Counted("gemma-4-26b-a4b").Active:0.00}B active against the card's 25.2B and 3.8B, {Counted("gemma-4-26b-a4b").Total:0.00}B with the vision encoder"));
        yield return ("docs/methodology.md", () => F($"{KvKibPerToken("gemma-3n-e4b"):0} KiB per token; counted: {Parts("gemma-3n-e4b").Text:0.00} B of text weights, {Parts("gemma-3n-e4b").ActiveNoEmbeddingNoHead:0.00} B without the two embedding tables"));
        yield return ("docs/catalog.md", () => F($"`hy3` counts {Counted("hy3").Total:0.00}B against 295B and {Counted("hy3").Total + Parts("hy3").Mtp:0.00}B with its MTP layer"));
        yield return ("docs/catalog.md", () => F($"the language model counts {Parts("mistral-medium-3.5").Text:0.00}B against the card's 128B"));
        yield return ("docs/catalog.md", () => F($"It counts {Parts("mistral-small-4").Text:0.00}B of text weights and {Counted("mistral-small-4").Total:0.00}B with the encoder against the published 119B, and {Counted("mistral-small-4").Active:0.00}B active with embedding and head against 6.5B"));
        yield return ("docs/catalog.md", () => F($"`suanli memory --model mistral-small-4` gives {KvKibPerToken("mistral-small-4"):0.00} KiB of KV cache per token"));
        yield return ("docs/catalog.md", () => F($"counts {Parts("gemma-4-12b").Text:0.00}B of text weights against the published 12B"));
        yield return ("docs/catalog.md", () => F($"it counts {Parts("seed-oss-36b").Text:0.00}B, the checkpoint's 36,151,104,512 to the unit"));
        yield return ("docs/catalog.md", () => F($"it counts {Parts("gemma-4-e2b").Text:0.00}B of text weights, {Parts("gemma-4-e2b").Text - CatalogFiles.Embedded.Model("gemma-4-e2b").Architecture.PerLayer!.TableParameters(35) / 1e9:0.00}B without the per-layer table"));
        yield return ("docs/catalog.md", () => F($"It counts {Parts("gemma-4-e4b").Text:0.00}B of text weights, {Parts("gemma-4-e4b").Text - CatalogFiles.Embedded.Model("gemma-4-e4b").Architecture.PerLayer!.TableParameters(42) / 1e9:0.00}B without the per-layer table against the published 4.5B"));
        yield return ("docs/catalog.md", () => F($"An amount past {Suanli.Text.Fmt.Number(Suanli.Quantities.Money.LargestAmount)} (`1e300 USD`) is out of"));
    }

    [Fact]
    public void The_methodology_pages_figures_are_what_the_commands_print()
    {
        var pages = new Dictionary<string, string>();
        var drifted = new List<string>();
        var rows = 0;
        foreach (var (page, says) in CommandFigureRows().Concat(TrainingPageRows()).Concat(MethodologyPageRows()).Concat(ExamplePageRows()).Concat(AuditRows()).Concat(DriftRows()).Concat(DefaultRows()).Concat(ConstantRows()).Concat(ModelRows()).Concat(PinRows()))
        {
            if (!pages.TryGetValue(page, out var text))
            {
                // Sentences wrap anywhere in the Markdown source.
                text = Regex.Replace(Read(page.Split('/')), @"\s+", " ");
                pages[page] = text;
            }
            var expected = says();
            rows++;
            if (Environment.GetEnvironmentVariable("SUANLI_FIGURES_OUT") is { Length: > 0 } list)
            {
                // scripts/doc-figures-audit.py --pins reads the sentences this table pins.
                File.AppendAllText(list, $"{page}\t{expected}\n");
            }
            if (!text.Contains(expected, StringComparison.Ordinal))
            {
                drifted.Add($"{page} should say '{expected}'");
            }
        }
        Assert.True(drifted.Count == 0, $"{drifted.Count} of {rows} figures drifted from their commands:\n" + string.Join('\n', drifted));
    }

    [GeneratedRegex(@"\((?:[^()]*; )?((?:trn|inf)-\d+)\) ([+-]\d+\.\d) %")]
    private static partial Regex RowError();

    /// <summary>
    /// The per-row errors the training and step-time pages quote by row id are validation.md's "Rows"; the training
    /// page's in-sample medians over the time rows and over the throughput rows are those rows' medians.
    /// </summary>
    [Theory]
    [InlineData("methodology-training.md", 12)]
    [InlineData("methodology-steptime.md", 8)]
    public void The_row_errors_a_page_quotes_and_its_group_medians_are_validation_mds(string file, int quotes)
    {
        // The "Rows" table has 13 cells a row: id, model, hardware, devices, kind, scenario, metric, measured, predicted, error %, ...
        var rows = ValidationRows.Value;
        var page = Read("docs", file);
        var quoted = RowError().Matches(Regex.Replace(page, @"\s+", " "));
        Assert.True(quoted.Count >= quotes, $"docs/{file} no longer quotes {quotes} rows' errors by id");
        foreach (Match m in quoted)
        {
            var error = rows[m.Groups[1].Value][10].Trim();
            Assert.True(error == m.Groups[2].Value, $"docs/{file} gives {m.Groups[1].Value} {m.Groups[2].Value} %; docs/validation.md says {error} %.");
        }
        if (file != "methodology-training.md")
        {
            return;
        }
        string GroupMedian(string what, params string[] metrics)
        {
            var errors = rows.Values.Where(c => c[1].Trim().StartsWith("trn-", StringComparison.Ordinal) && metrics.Contains(c[7].Trim())).Select(c => Math.Abs(double.Parse(c[10], Invariant))).ToList();
            return F($"| {errors.Count} {what}, in-sample | {Median(errors):0.0} % |");
        }
        Assert.Contains(GroupMedian("GPU-hour and time rows", "train_minutes", "gpu_hours"), page, StringComparison.Ordinal);
        Assert.Contains(GroupMedian("throughput, TFLOP/s and MFU rows", "tokens_per_s", "mfu", "tflops_per_gpu"), page, StringComparison.Ordinal);
    }

    /// <summary>
    /// The serving page's expert-parallel example quotes holdout row ho-021 (DeepSeek-R1 on 72 GB300) as holdout.md
    /// gives it, to the whole percent; the "from" figure is the record before the change.
    /// </summary>
    [Fact]
    public void The_serving_pages_expert_parallel_example_is_holdout_mds_row()
    {
        var row = Read("docs", "holdout.md").Split('\n').First(l => l.StartsWith("| ho-021 |", StringComparison.Ordinal)).Split('|');
        var error = Math.Round(double.Parse(row[10], Invariant));
        var page = Regex.Replace(Read("docs", "methodology-serving.md"), @"\s+", " ");
        Assert.Contains(F($"the offline prediction moves from -67% to {error:+0;-0}% ([holdout.md](holdout.md))"), page, StringComparison.Ordinal);
    }
}
