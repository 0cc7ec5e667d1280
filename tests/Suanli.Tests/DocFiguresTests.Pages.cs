using System.Text.RegularExpressions;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Training;
using Suanli.Validation;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table (<see cref="CommandFigureRows"/>): the training page's errors, constants and worked
/// examples, and the other methodology pages' and the catalog page's figures (data-parallel attention, latency by
/// utilisation, speculative decoding, parameter counts), each from the command, the library call behind it or the
/// generated docs/validation.md.
/// </summary>
public sealed partial class DocFiguresTests
{
    private static readonly Lazy<Dictionary<string, string[]>> ValidationRows = new(() =>
        Read("docs", "validation.md").Split('\n').Where(l => l.StartsWith("| trn-", StringComparison.Ordinal) || l.StartsWith("| inf-", StringComparison.Ordinal))
            // The "Rows" table's 13 columns (15 parts); the limiting-target table's 12 columns also start with row ids.
            .Select(l => l.Split('|')).Where(c => c.Length > 14).GroupBy(c => c[1].Trim()).ToDictionary(g => g.Key, g => g.First()));

    /// <summary>One metric's row of a docs/validation.md summary table, cells trimmed: metric, rows, skipped, median, p90, max...</summary>
    private static string[] SummaryRow(string heading, string metric) =>
        Section(Read("docs", "validation.md"), heading).Split('\n').Single(l => l.StartsWith($"| {metric} |", StringComparison.Ordinal))
            .Split('|').Skip(1).Select(c => c.Trim()).ToArray();

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        Assert.NotEmpty(v);
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    private static readonly string[] TimeMetrics = ["train_minutes", "train_days", "gpu_hours"];

    /// <summary>Median |error| % of the training time rows, in sample (docs/validation.md) and held out (the refit without each row), computed once.</summary>
    private static (int Rows, double InSample, double HeldOut) TrainingTimeRows() => TimeRows.Value;

    private static readonly Lazy<(int Rows, double InSample, double HeldOut)> TimeRows = new(() =>
    {
        var inSample = ValidationRows.Value.Values.Where(c => c[1].Trim().StartsWith("trn-", StringComparison.Ordinal) && TimeMetrics.Contains(c[7].Trim()))
            .Select(c => Math.Abs(double.Parse(c[10], Invariant))).ToList();
        var rows = MeasurementFiles.Read(Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "training.csv")).Rows;
        var heldOut = TrainingLeaveOneOut.Run(rows, CatalogFiles.Embedded).Where(h => TimeMetrics.Contains(h.Metric))
            .Select(h => Math.Round(Math.Abs(h.Predicted / h.Measured - 1) * 100, 1)).ToList();
        Assert.Equal(inSample.Count, heldOut.Count);
        return (inSample.Count, Median(inSample), Median(heldOut));
    });

    private static readonly Dictionary<string, string> MarkdownRuns = [];

    /// <summary>The first line of a command's Markdown report that starts with <paramref name="start"/>; each command runs once.</summary>
    private static string MarkdownLine(string[] args, string start)
    {
        var key = string.Join(' ', args);
        if (!MarkdownRuns.TryGetValue(key, out var output))
        {
            var (code, printed, err, _) = CliTests.Run([.. args, "--format", "markdown"]);
            Assert.True(code == 0, err);
            output = printed;
            MarkdownRuns[key] = output;
        }
        return output.Split('\n').First(l => l.StartsWith(start, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"the fastest is ([\d.]+) days .* on ([\d,]+) devices, and it would need ([\d,]+) devices")]
    private static partial Regex DeadlineRefusal();

    private static IEnumerable<(string Page, Func<string> Says)> TrainingPageRows()
    {
        const string page = "docs/methodology-training.md";
        var u = UtilisationModel.Fitted;
        yield return (page, () => F($"MFU = {u.Base:0.00} x ({u.EightBitFactor:0.00} if FP8/INT8) / (1 + {u.ScaleSlope:0.000} x log2(max(1, devices / {u.ScaleOnset})))"));
        yield return (page, () => F($"on 16,384 devices the MFU is {u.Base * u.ScaleFactor(16_384):0.000}, so device-hours rise {(u.ScaleFactor(512) / u.ScaleFactor(16_384) - 1) * 100:0} % over a {u.ScaleOnset}-device run"));
        yield return (page, () => F($"the predictor assumes {u.DefaultDevices:N0} (Llama 1's"));
        yield return (page, () =>
        {
            var rows = MeasurementFiles.Read(Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "training.csv")).Rows;
            return F($"over the {rows.Count(r => TrainingLeaveOneOut.FittedMetrics.Contains(r.Metric))} rows with a time, throughput or MFU metric");
        });
        yield return (page, () =>
        {
            var (n, inSample, heldOut) = TrainingTimeRows();
            return F($"| {n} GPU-hour and time rows, in-sample | {inSample:0.0} % | | the same {n} rows, leave-one-out (refit without the row) | {heldOut:0.0} % |");
        });
        yield return (page, () =>
        {
            var (_, inSample, heldOut) = TrainingTimeRows();
            return F($"is met in-sample ({inSample:0.0} %); held out it is {heldOut:0.0} %.");
        });
        yield return (page, () => F($"The {TrainingTimeRows().Rows} time rows together reach {TrainingTimeRows().InSample:0.0} %"));
        yield return (page, () =>
        {
            var flops = SummaryRow("### Training error per metric", "train_flops");
            return $"| {flops[1]} total-FLOP rows (no fit involved) | {flops[3]} % |";
        });
        yield return (page, () =>
        {
            var (flops, energy) = (SummaryRow("### Training error per metric", "train_flops"), SummaryRow("### Training error per metric", "energy_mwh"));
            return $"train_flops {flops[1]} rows {flops[3]} % (no fit), energy_mwh {energy[1]} row {energy[3]} %";
        });
        yield return (page, () => $"The GPU-hour rows alone miss the 15 % target ({SummaryRow("### Training error per metric", "gpu_hours")[3]} %)");
        yield return (page, () => F($"GPT-3 (trn-058) +2.8 % ({double.Parse(ValidationRows.Value["trn-058"][9], Invariant):0.00e0} vs"));
        yield return (page, () =>
        {
            string Loss(string run) => MarkdownLine(["chinchilla", "--flops", "3.15e23"], $"| {run} |").Split('|')[^2].Trim();
            return $"Predicted losses: GPT-3 175B/300B {Loss("GPT-3 175B / 300B")}, Chinchilla 70B/1.4T {Loss("Chinchilla 70B / 1.4T")}";
        });
        yield return (page, () => F($"not the {u.Base * u.ScaleFactor(1024):0.000} of 1,024 devices"));
        yield return (page, () =>
        {
            var (code, _, err, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "0.01");
            Assert.Equal(2, code);
            var m = DeadlineRefusal().Match(err);
            Assert.True(m.Success, err);
            var most = int.Parse(m.Groups[2].Value, System.Globalization.NumberStyles.Number, Invariant);
            return F($"would take {double.Parse(m.Groups[3].Value, System.Globalization.NumberStyles.Number, Invariant) / 1e6:0.0} million A100s; on {most:N0} the fastest is {m.Groups[1].Value} days (MFU {u.Base * u.ScaleFactor(most):0.000})");
        });
        yield return (page, () =>
        {
            var inputs = Command("train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--days", "1").GetProperty("inputs");
            var (tokens, seq) = (inputs.GetProperty("tokens").GetDouble(), inputs.GetProperty("seqLen").GetInt32());
            return F($"the job's {tokens:0.00e0} tokens over 1,000,000 devices are {tokens / 1e6 / seq:0} sequences of {seq:N0} tokens per device");
        });
        yield return (page, () =>
        {
            string[] qlora = ["train", "--model", "llama-2-70b", "--method", "qlora", "--hardware", "a100-80gb", "--devices", "1", "--tokens", "1e8", "--recompute", "full"];
            string Gb(string row) => MarkdownLine(qlora, $"| {row} |").Split('|')[2].Trim().Split(' ')[0];
            return $"Llama 2 70B's weights come to {Gb("Weights")} GB in QLoRA (NF4 base and 16-bit adapters) and the whole run to {Gb("Total")} GB, which fits";
        });
    }

    [GeneratedRegex(@"utilisation (\d+)% of the offline request rate")]
    private static partial Regex RowUtilisation();

    /// <summary>The serving page's table of latency errors by utilisation, from docs/validation.md's "Rows".</summary>
    private static string LatencyByUtilisation()
    {
        string[] online = ["inf-140", "inf-141", "inf-146", "inf-147", "inf-155", "inf-156", "inf-161", "inf-162"];
        var cells = online.Select(id => ValidationRows.Value[id]).ToList();
        var utilisation = cells.Select(c => int.Parse(RowUtilisation().Match(c[13]).Groups[1].Value, Invariant)).ToList();
        string MedianOf(string metric) => F($"{Median(cells.Where(c => c[7].Trim() == metric).Select(c => Math.Abs(double.Parse(c[10], Invariant)))):0.0}% ({cells.Count(c => c[7].Trim() == metric)} rows)");
        return F($"| {utilisation.Min()}% to {utilisation.Max()}% | {MedianOf("ttft_ms")} | {MedianOf("tpot_ms")} | ")
            + $"| 2 offline latency rows (inf-143, 144: 500 requests at once) | saturated | {ValidationRows.Value["inf-143"][10].Trim()}% | {ValidationRows.Value["inf-144"][10].Trim()}% |";
    }

    private static IEnumerable<(string Page, Func<string> Says)> MethodologyPageRows()
    {
        yield return ("docs/methodology-serving.md", () =>
        {
            // NVIDIA's MLPerf v4.1 Server replicas: Mixtral on one H100 (896 sequences, 16,384 tokens), Llama-2-70B on a TP=2 pair.
            (double OfDevice, double OfFree, double WeightsGiB) Kv(string id, int tp, int seqs, int tokens)
            {
                var model = CatalogFiles.Embedded.Model(id);
                var d = new Deployment(model, CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb"), Layouts.Make(model.Architecture, tp, 1), NumberFormat.Fp8, NumberFormat.Fp8, Engine.TrtLlm);
                var trt = EngineConfig.Default(Engine.TrtLlm, d.Device) with { MaxNumSeqs = seqs, MaxBatchedTokens = tokens };
                var weights = MemoryModel.OnDevice(new FootprintRequest(model, NumberFormat.Fp8, NumberFormat.Fp8, 1024, 1, RuntimeReserve.Default), d.Layout, d.Device.Memory, 0.9).Weights.Value;
                return (ServingSimulator.KvCapacity(d, trt), ServingSimulator.KvCapacity(d, trt with { KvFractionOfFreeMemory = true }), weights / (1L << 30));
            }
            var (mixtral, llama) = (Kv("mixtral-8x7b", 1, 896, 16_384), Kv("llama-2-70b", 2, 1024, 4096));
            return F($"Mixtral-8x7B in FP8 on one H100 ({mixtral.WeightsGiB:0.0} GiB of weights, NVIDIA's 896 sequences and 16,384 tokens): {mixtral.OfFree:N0} tokens against {mixtral.OfDevice:N0} (+{mixtral.OfFree / mixtral.OfDevice - 1:0%}); ")
                + F($"Llama-2-70B FP8 on an H100 TP=2 pair about +{llama.OfFree / llama.OfDevice - 1:0%}.");
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            var model = CatalogFiles.Embedded.Model("llama-3.1-70b");
            var request = new FootprintRequest(model, NumberFormat.Fp8, NumberFormat.Fp8, 1280, 1, RuntimeReserve.Default);
            var tp1 = MemoryModel.OnDevice(request, Layouts.Make(model.Architecture, 1, 1), CatalogFiles.Embedded.Device("nvidia-h100-sxm5-80gb").Memory, 0.9);
            return F($"TP=1 leaves {tp1.FreeForKv.Value / 1e9:0.0} GB per device for KV, {tp1.MaxSequences} sequences of 1,280 tokens");
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            // The MLPerf systems with an offline and a capacity row: (offline, capacity) output tokens/s.
            (string Offline, string Server)[] systems = [("inf-001", "inf-002"), ("inf-005", "inf-006"), ("inf-014", "inf-015"), ("inf-016", "inf-017"), ("inf-023", "inf-024"), ("inf-025", "inf-026")];
            double Value(string id, int column) => double.Parse(ValidationRows.Value[id][column], System.Globalization.NumberStyles.Number, Invariant);
            var simulated = systems.Select(s => Value(s.Server, 9) / Value(s.Offline, 9)).ToList();
            var published = systems.Select(s => Value(s.Server, 8) / Value(s.Offline, 8)).ToList();
            return F($"ratio of the {systems.Length} systems with both rows is {simulated.Min():0.00}-{simulated.Max():0.00} simulated against {published.Min():0.00}-{published.Max():0.00} published");
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            // MI300X with AMD's harness batcher: 1 GPU (inf-014 offline, inf-015 capacity) and 8 GPUs (inf-016, inf-017).
            double Ratio(string server, string offline, int column) =>
                double.Parse(ValidationRows.Value[server][column], System.Globalization.NumberStyles.Number, Invariant) / double.Parse(ValidationRows.Value[offline][column], System.Globalization.NumberStyles.Number, Invariant);
            return F($"published Server/Offline ratio is {Ratio("inf-015", "inf-014", 8):0.00} (1 GPU) and {Ratio("inf-017", "inf-016", 8):0.00} (8 GPUs) against {Ratio("inf-015", "inf-014", 9):0.00} and {Ratio("inf-017", "inf-016", 9):0.00} simulated");
        });
        yield return ("docs/methodology-serving.md", LatencyByUtilisation);
        yield return ("docs/catalog.md", () => F($"and {Counted("kimi-linear-48b-a3b").Active:0.00}B active against '3B'"));
        yield return ("docs/catalog.md", () => F($"(1.89B and 758M against {Counted("qwen3.5-2b").Active:0.000}B and {Counted("qwen3.5-0.8b").Active * 1000:0.0}M counted;"));
        yield return ("docs/methodology.md", () => F($"DeepSeek-V3: {Counted("deepseek-v3").Total:0.0} B + 11.6 B MTP block"));
        yield return ("docs/methodology.md", () => F($"Kimi K2's 1.04 T against {Counted("kimi-k2").Total / 1000:0.000} T counted"));
        yield return ("docs/methodology-intervals.md", () =>
        {
            var ttft = Regex.Match(Read("catalog", "calibration", "intervals.yaml"), @"- class: ttft\n    rows: \d+\n    low_ratio: [\d.]+\n    high_ratio: ([\d.]+)");
            Assert.True(ttft.Success, "catalog/calibration/intervals.yaml has no ttft class");
            return F($"The TTFT class's high end is {double.Parse(ttft.Groups[1].Value, Invariant):0.00} today");
        });
        yield return ("docs/methodology-serving.md", () =>
        {
            string Tpot(string id) => F($"{double.Parse(ValidationRows.Value[id][9], Invariant):0.0} ms against the published {double.Parse(ValidationRows.Value[id][8], Invariant):0.0} ms");
            return $"the predicted p99 TPOT at capacity is {Tpot("inf-004")} on H100 (inf-004) and {Tpot("inf-019")} on MI300X (inf-019;";
        });
        // The worked example of docs/methodology.md: DeepSeek-V3 FP8, 2,048-token sequences, 8 x H200, as `suanli perf` sizes it.
        string[] perf = ["perf", "--model", "deepseek-v3", "--hardware", "h200", "--precision", "fp8", "--engine", "sglang", "--input", "1024", "--output", "1024", "--batch", "1", "--devices", "8"];
        yield return ("docs/methodology.md", () =>
        {
            var model = CatalogFiles.Embedded.Model("deepseek-v3");
            var device = CatalogFiles.Embedded.Device("nvidia-h200-sxm-141gb");
            var request = new FootprintRequest(model, NumberFormat.Fp8, NumberFormat.Fp8, 2048, 1, RuntimeReserve.Default);
            var tp = MemoryModel.OnDevice(request, Layouts.Make(model.Architecture, 8, 1), device.Memory, 0.9);
            var dp = MemoryModel.OnDevice(request, Layouts.MakeDataParallelAttention(1, 8, 1), device.Memory, 0.9);
            var (tpFits, dpFits) = (Command(perf).GetProperty("maxBatchThatFits").GetInt32(), Command([.. perf, "--tp", "1", "--dp-attention", "8"]).GetProperty("maxBatchThatFits").GetInt32());
            var a = model.Architecture;
            var routed = MemoryModel.RoutedExpertBytesPerLayer(a, NumberFormat.Fp8).Value * a.MoeLayers / 8 / 1e9;
            // DeepSeek-V3 does not tie its embedding and LM head; both stay 16-bit.
            var edge = 2.0 * a.VocabSize * a.HiddenSize * 2 / 1e9;
            return F($"TP=8 places {tp.Weights.Value / 1e9:0.0} GB of weights per device and holds {tpFits:N0} sequences; DP-attention 8 x EP 8 places {dp.Weights.Value / 1e9:0.0} GB (")
                + F($"{dp.Weights.Value / 1e9 - routed - edge:0.0} GB of non-expert FP8 weights and {edge:0.0} GB of 16-bit embedding and head replicated, plus {routed:0.0} GB of routed experts) ")
                + F($"and holds {dpFits / 8:N0} sequences per device, {dpFits:N0} in the group: {dpFits / (double)tpFits:0.0} times as many, not 8, because the replicated weights take ")
                + F($"{(dp.Weights.Value - tp.Weights.Value) / 1e9:0.0} GB of each device's KV room");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            // The blog's MTP 4 and MTP 5 rows: acceptance lengths 2.99 and 3.01, 245 and 239 TPS/user against 111 without.
            var (k4, k5) = (MtpSpeedup("deepseek-r1", "nvidia-b200-sxm", NumberFormat.Fp4, NumberFormat.Bf16, Engine.TrtLlm, 4, Acceptance(4, 2.99), 1, 2048),
                MtpSpeedup("deepseek-r1", "nvidia-b200-sxm", NumberFormat.Fp4, NumberFormat.Bf16, Engine.TrtLlm, 5, Acceptance(5, 3.01), 1, 2048));
            return F($"(MTP 4 and 5: {k4:0.00}x and {k5:0.00}x against {245.0 / 111:0.00}x and {239.0 / 111:0.00}x)");
        });
        yield return ("docs/methodology-steptime.md", () =>
        {
            var row = MarkdownLine(["validate", Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "speculation.csv")], "| spec-001 |").Split('|');
            var predicted = double.Parse(row[9], System.Globalization.NumberStyles.Number, Invariant);
            return F($"({1000 / predicted:0.0} ms against 1 / 111 TPS/user = 9.0 ms, the row `spec-001` of `speculation.csv` predicted {double.Parse(row[10], Invariant):0}% high)");
        });
        yield return ("docs/methodology-steptime.md", () =>
            F($"{PreparedStep.AllToAllBytesPerDevice(CatalogFiles.Embedded.Model("deepseek-v3").Architecture, Layouts.MakeDataParallelAttention(1, 8, 1), 2048).Value / 1e6:0.0} MB per dispatch per device for 2,048 tokens"));
    }
}

/// <summary>Dated investigation records: figures of their day, marked as such, so no reader takes them for today's.</summary>
public sealed partial class DocRecordTests
{
    [GeneratedRegex(@"\(record of (\d{4}-\d\d-\d\d), commit ([0-9a-f]+): figures of that day, not current")]
    private static partial Regex RecordMark();

    // A heading or a bold/italic paragraph title that carries a date: how an investigation of a day is introduced.
    [GeneratedRegex(@"^(?:#+ |\*\*?)[^\n]*\b20\d\d-\d\d-\d\d[^\n]*", RegexOptions.Multiline)]
    private static partial Regex DatedTitle();

    [Fact]
    public void Every_dated_investigation_in_the_methodology_and_performance_pages_is_marked_as_a_record_of_its_day_and_commit()
    {
        var records = 0;
        var docs = Path.Combine(PlanTests.RepoRoot(), "docs");
        // docs/performance.md keeps two profiling passes whose sample shares and counts are of their day's build.
        var performance = RecordMark().Count(Regex.Replace(File.ReadAllText(Path.Combine(docs, "performance.md")), @"\s+", " "));
        Assert.True(performance >= 2, $"docs/performance.md marks {performance} records; its profiling passes must each say '(record of DATE, commit HASH: figures of that day, not current)'.");
        foreach (var file in Directory.GetFiles(docs, "methodology*.md").Append(Path.Combine(docs, "performance.md")))
        {
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match title in DatedTitle().Matches(text))
            {
                Assert.True(title.Value.Contains("(record of ", StringComparison.Ordinal) || title.Value.Contains("(sources read ", StringComparison.Ordinal),
                    $"docs/{Path.GetFileName(file)}: '{title.Value}' introduces an investigation of a day; mark it '(record of DATE, commit HASH: figures of that day, not current)' or pin its figures to a command.");
            }
            foreach (Match mark in RecordMark().Matches(Regex.Replace(text, @"\s+", " ")))
            {
                Assert.InRange(mark.Groups[2].Value.Length, 7, 40);
                Assert.True(DateOnly.TryParseExact(mark.Groups[1].Value, "yyyy-MM-dd", out _), mark.Value);
                records++;
            }
        }
        Assert.True(records >= 30, $"only {records} dated records found in the methodology pages; did their marks change?");
    }
}
