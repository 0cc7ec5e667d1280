using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The figures the examples' header comments type that a command produces (a floor, a peak rate, a layout, a
/// candidate count), and the serving page's reading of the articles' rule for seed case C2. Figures the comments take
/// from the articles or compute from the file's own inputs (1,000 calls / 5 s = 200 requests/s) are not commands' and
/// are not pinned here.
/// </summary>
public sealed partial class DocFiguresTests
{
    /// <summary>An example's header comment, its lines joined and whitespace collapsed as in the pages.</summary>
    private static string HeaderComment(string file) => Regex.Replace(string.Join(' ', File.ReadAllLines(Example(file))
        .TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#'))), @"\s+", " ");

    [GeneratedRegex(@"The search space has ([\d,]+) candidates \((\d+) models x (\d+) precisions x (\d+) devices x (\d+) layouts per model on average x (\d+) engines\)")]
    private static partial Regex SpaceCount();

    /// <summary>The optimizer benchmark's space as the refusal at <c>--max-candidates 1</c> counts it (nothing is searched).</summary>
    private static Match BenchmarkSpace()
    {
        var (code, _, err, _) = CliTests.Run("optimize", Example("optimize-benchmark.yaml"), "--max-candidates", "1");
        Assert.Equal(2, code);
        var m = SpaceCount().Match(err);
        Assert.True(m.Success, err);
        return m;
    }

    private static IEnumerable<(string File, Func<string> Says)> ExampleCommentRows()
    {
        yield return ("c1-72b-on-a100.yaml", () =>
        {
            var (code, output, err, _) = CliTests.Run("memory", "--model", "Qwen/Qwen2-72B", "--context", "32k", "--hardware", "a100-80gb", "--devices", "3", "--format", "markdown");
            Assert.True(code == 0, err);
            var heads = Regex.Match(output, @"(\d+) attention heads do not divide over TP=3");
            Assert.True(heads.Success, "'suanli memory ... --devices 3' no longer says why TP=3 is not a valid split");
            return $"({heads.Groups[1].Value} heads do not divide over TP=3)";
        });
        yield return ("c2-two-applications.yaml", () =>
            $"a 72B model needs {Floor(FirstFinding(Command("capacity", "--model", "qwen2-72b", "--hardware", "a100-80gb", "--devices", "8", "--input", "768", "--output", "8", "--e2e-p90", "0.1")))} alone for that");
        yield return ("c2-two-applications.yaml", () =>
        {
            var tps = Command("plan", Example("c2-two-applications.yaml")).GetProperty("applications").EnumerateArray()
                .Select(a => a.GetProperty("layout").GetProperty("tp").GetInt32()).Distinct().ToList();
            return tps.Count == 1 ? F($"Both run the same deployment (TP={tps[0]})") : "the two applications now run different layouts";
        });
        yield return ("c5-consumer-chatbot-70b.yaml", () =>
            F($"about {Command("plan", Example("c5-consumer-chatbot-70b.yaml")).GetProperty("applications")[0].GetProperty("demand").GetProperty("peak").GetDouble():N0} requests/s at the evening peak"));
        yield return ("optimize-benchmark.yaml", () =>
        {
            var m = BenchmarkSpace();
            return $"{m.Groups[1].Value} candidates ({m.Groups[2].Value} models x {m.Groups[3].Value} precisions x {m.Groups[4].Value} devices x {m.Groups[5].Value} layouts per model on average x {m.Groups[6].Value} engines;";
        });
    }

    [Fact]
    public void The_examples_comments_quote_the_figures_their_commands_print()
    {
        var drifted = ExampleCommentRows().Select(r => (r.File, Expected: r.Says()))
            .Where(r => !HeaderComment(r.File).Contains(r.Expected, StringComparison.Ordinal))
            .Select(r => $"examples/{r.File}'s comment should say '{r.Expected}'").ToList();
        Assert.True(drifted.Count == 0, string.Join('\n', drifted));
    }

    private static IEnumerable<(string Page, Func<string> Says)> ExamplePageRows()
    {
        yield return ("docs/methodology-serving.md", () =>
        {
            var rule = Command("plan", Example("c2-knowledge-base.yaml")).GetProperty("applications")[0].GetProperty("articlesEstimate");
            return F($"the articles' rule gives {rule.GetProperty("copiesOnePerConcurrentRequest").GetInt32()} copies x {rule.GetProperty("devicesPerCopyByRule").GetInt32()} devices = {rule.GetProperty("devices").GetInt32()} devices");
        });
        yield return ("docs/methodology-cost.md", () =>
        {
            var m = BenchmarkSpace();
            var listed = Regex.Match(File.ReadAllText(Example("optimize-benchmark.yaml")), @"hardware: \[([^\]]*)\]").Groups[1].Value.Split(',').Length;
            return $"{m.Groups[2].Value} models x {m.Groups[3].Value} precisions x {m.Groups[4].Value} devices ({listed} listed, B200 left out";
        });
        yield return ("README.md", () =>
        {
            var devices = File.ReadAllLines(Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "mlperf-v4.1-inference.csv"))
                .Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).Max(l => int.Parse(l.Split(',')[3], Invariant));
            return F($"MLPerf v4.1 whole-system rows of up to {devices} GPUs");
        });
        foreach (var row in TrainingExampleRows().Concat(SmallModelRows()))
        {
            yield return row;
        }
    }

    /// <summary>Seed case C8's <c>suanli compare</c>: the article's two options and GPT-3 paid per inference, over one month.</summary>
    private static readonly string[] SmallModelCompare = ["compare", "--requests-per-month", "1M", "--months", "1", "--range", "1k:1e9",
        "--custom", "GPT-3 fine-tune;build=7418 USD;per-10k=173 USD;quality=71.4",
        "--custom", "small model;build=1915 USD;per-10k=0.26 USD;quality=71.3",
        "--custom", "GPT-3 per inference, no build;per-10k=173 USD"];

    /// <summary>Seed case C8's README: its table and sentences are what its <c>suanli compare</c> prints.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> SmallModelRows()
    {
        const string page = "examples/c8-small-vs-large/README.md";
        var compare = SmallModelCompare;
        string[] Option(string name) => MarkdownLine(compare, $"| {name} | custom |").Split('|').Select(c => c.Trim()).ToArray();
        foreach (var name in new[] { "small model", "GPT-3 per inference, no build", "GPT-3 fine-tune" })
        {
            // Option, per month, per 10k requests, up front, quality.
            yield return (page, () => { var c = Option(name); return Regex.Replace($"| {name} | {c[3]} | {c[8]} | {c[9]} | {c[10]} |", @"\s+", " "); });
        }
        yield return (page, () =>
        {
            double Month(string name) => double.Parse(Option(name)[3].Replace(" USD", "", StringComparison.Ordinal), NumberStyles.Number, Invariant);
            return F($"a million inferences cost {Month("GPT-3 fine-tune") / Month("small model"):0.0} times more");
        });
        yield return (page, () => $"1,915 / (0.0173 - 0.000026) = **{Cell(compare, "GPT-3 per inference, no build | small model", 3)} inferences**");
        // The article's figures as the command is given them: each --custom option's build, price per 10,000 and accuracy.
        (double Build, double Per10k, string Quality) Custom(string name)
        {
            var spec = compare.Single(a => a.StartsWith(name + ";", StringComparison.Ordinal));
            string Field(string key) => Regex.Match(spec, $@";{key}=([\d.]+)").Groups[1].Value;
            // An option with no build cost has none to pay.
            return (Field("build") is { Length: > 0 } build ? double.Parse(build, Invariant) : 0, double.Parse(Field("per-10k"), Invariant), Field("quality"));
        }
        yield return (page, () =>
        {
            var (gpt3, small) = (Custom("GPT-3 fine-tune"), Custom("small model"));
            return F($"fine-tuning GPT-3 cost ${gpt3.Build:N0} to build and ${gpt3.Per10k} per 10,000 inferences at {gpt3.Quality}% accuracy; a small specialised model cost ${small.Build:N0} to build and ${small.Per10k} per 10,000 inferences at {small.Quality}%.");
        });
        yield return ("docs/seed-cases.md", () =>
        {
            var (gpt3, small) = (Custom("GPT-3 fine-tune"), Custom("small model"));
            return F($"fine-tuning GPT-3 cost ${gpt3.Build:N0} to build and ${gpt3.Per10k} per 10,000 inferences at {gpt3.Quality}% accuracy; a small specialised model cost ${small.Build:N0} and ${small.Per10k} per 10,000 inferences at {small.Quality}%.");
        });
        yield return (page, () =>
        {
            var (perInference, small) = (Custom("GPT-3 per inference, no build"), Custom("small model"));
            return F($"{small.Build:N0} / ({perInference.Per10k / 10_000:0.######} - {small.Per10k / 10_000:0.######}) = **");
        });
    }

    private static string Cell(string[] args, string row, int cell) => MarkdownLine(args, $"| {row} |").Split('|')[cell].Trim();

    private static double Hundreds(double x) => Math.Round(x / 100) * 100;

    /// <summary>Seed cases C4 and C6: the walk-throughs in examples/*.md quote the commands their scripts run.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> TrainingExampleRows()
    {
        const string c4 = "examples/c4-gpt3-training.md", c6 = "examples/c6-500b-training.md";
        string[] gpt3 = ["train", "--model", "gpt-3-175b", "--flops", "3.15e23", "--hardware", "a100", "--devices", "1024", "--tariff", "0.65 CNY/kWh"];
        JsonElement Gpt3() => Command(gpt3);
        yield return (c4, () => F($"3.15e23 FLOPs = {Gpt3().GetProperty("compute").GetProperty("pfDays").GetDouble():N0} PF-days"));
        yield return ("docs/seed-cases.md", () => F($"3.15e23 FLOPs ≈ {Gpt3().GetProperty("compute").GetProperty("pfDays").GetDouble():N0} PF-days"));
        yield return (c4, () =>
        {
            var c = Gpt3().GetProperty("compute");
            return F($"counting attention over 2,048 tokens gives {c.GetProperty("trainFlops").GetDouble() / c.GetProperty("sixNdFlops").GetDouble():0.000} x 6ND");
        });
        yield return (c4, () =>
        {
            var c = Gpt3().GetProperty("compute");
            var (peak, mfu) = (c.GetProperty("peakTflopsPerDevice").GetDouble(), c.GetProperty("mfu").GetDouble());
            return F($"{peak:0} TFLOP/s dense BF16 peak x MFU {mfu * 100:0.0} % (fitted to published runs) = {peak * mfu:0} TFLOP/s");
        });
        yield return (c4, () =>
        {
            var t = Gpt3().GetProperty("time");
            return F($"| 1,024 A100s | — | {t.GetProperty("days").GetDouble():0.0} days, {Hundreds(t.GetProperty("gpuHours").GetDouble()):N0} GPU-hours |");
        });
        yield return (c4, () =>
        {
            var run = Command("train", "--model", "gpt-3-175b", "--tokens", "300B", "--hardware", "a100", "--devices", "6000");
            var t = run.GetProperty("time");
            return F($"| 6,000 A100s | \"one day\" | {t.GetProperty("days").GetDouble():0.0} days (MFU {run.GetProperty("compute").GetProperty("mfu").GetDouble() * 100:0.0} % at that scale), {Hundreds(t.GetProperty("gpuHours").GetDouble()):N0} GPU-hours |");
        });
        yield return (c4, () =>
        {
            var run = Gpt3();
            var electricity = Math.Round(run.GetProperty("costs").GetProperty("electricity").GetProperty("amount").GetDouble() / 1000) * 1000;
            return F($"{run.GetProperty("energyMwh").GetDouble():0} MWh (whole DGX-server power x {run.GetProperty("time").GetProperty("days").GetDouble() * 24:0} h x PUE 1.3), ¥{electricity:N0} at ¥0.65/kWh");
        });
        yield return (c4, () =>
        {
            string Days(string assumption) => Cell(gpt3, assumption, 2).Replace(" days", "", StringComparison.Ordinal);
            return $"{Days("INT8 peak, 100% use (articles)")} days on 1,024 GPUs at the INT8 peak, {Days("BF16 peak, 100% use")} days at the BF16 peak with every cycle used, {Days("BF16 peak at MFU 45.6 % (Suanli)")} days at a realistic MFU";
        });
        yield return (c4, () =>
        {
            var rent = Gpt3().GetProperty("costs").GetProperty("rent");
            var rate = Regex.Match(rent.GetProperty("basis").GetString()!, @"x ([\d.]+) USD/h").Groups[1].Value;
            return F($"Rent at the catalog's cheapest on-demand A100 price ({rate} USD/h) is {rent.GetProperty("amount").GetDouble():N0} USD");
        });
        string[] chinchilla = ["chinchilla", "--flops", "3.5e25", "--params", "540B"];
        yield return (c6, () => F($"a 540B model needs {double.Parse(Cell(chinchilla, "Your model", 3), NumberStyles.Number, Invariant) / 1000:0.0}T tokens"));
        yield return (c6, () =>
        {
            string C(int cell) => Cell(chinchilla, "Chinchilla fit optimum", cell);
            return F($"optimum for that budget is a {double.Parse(C(2), Invariant):0}B model on {double.Parse(C(3), NumberStyles.Number, Invariant) / 1000:0}T tokens, loss {C(6)} vs {Cell(chinchilla, "Your model", 6)}");
        });
        string[] palm = ["train", "--model", "palm-540b", "--tokens", "10.8T", "--hardware", "h100", "--devices", "16384", "--tariff", "0.65 CNY/kWh", "--grid-kg-per-kwh", "0.58"];
        yield return (c6, () =>
        {
            var c = Command(palm).GetProperty("compute");
            return F($"| Compute | — | {c.GetProperty("trainFlops").GetDouble():0.00e0} FLOPs (6ND {c.GetProperty("sixNdFlops").GetDouble():0.00e0} + attention) |");
        });
        yield return (c6, () =>
        {
            var run = Command(palm);
            var t = run.GetProperty("time");
            return F($"{run.GetProperty("compute").GetProperty("peakTflopsPerDevice").GetDouble():0} TFLOP/s BF16 x MFU {run.GetProperty("compute").GetProperty("mfu").GetDouble() * 100:0.0} % on 16,384 H100s (the scale term lowers MFU from 47 %) = {t.GetProperty("days").GetDouble():0.0} days, {t.GetProperty("gpuHours").GetDouble() / 1e6:0.0} M GPU-hours");
        });
        yield return (c6, () => F($"TP=8 PP=8 DP=256 ZeRO-1: {Command(palm).GetProperty("memory").GetProperty("memoryPerDeviceBytes").GetDouble() / 1e9:0.0} GB per GPU, fits"));
        yield return (c6, () => F($"GPUs alone 16,384 x $30,000 = ${Command(palm).GetProperty("costs").GetProperty("capex").GetProperty("amount").GetDouble() / 1e6:0} million"));
        yield return (c6, () =>
        {
            var servers = double.Parse(Regex.Match(Cell(palm, "Cluster power", 2), @"([\d,]+) kW servers").Groups[1].Value, NumberStyles.Number, Invariant) / 1000;
            var costs = Command(palm).GetProperty("costs");
            return F($"2,048 DGX H100 servers x {servers * 1000 / 2048:0.0} kW (maximum input power) = {servers:0.0} MW, x PUE 1.3 = {servers * 1.3:0.0} MW, x 8,760 h x ¥0.65/kWh = ¥{costs.GetProperty("electricityPerYear").GetProperty("amount").GetDouble() / 1e6:0} million a year; the run itself ({Command(palm).GetProperty("time").GetProperty("days").GetDouble():0} days) ¥{costs.GetProperty("electricity").GetProperty("amount").GetDouble() / 1e6:0} million");
        });
        yield return (c6, () =>
        {
            // The article's ¥530 million a year at ¥0.65/kWh is a facility of 530e6 / 0.65 / 8,760 h = 93 MW; the cluster's is its servers x PUE 1.3.
            var servers = double.Parse(Regex.Match(Cell(palm, "Cluster power", 2), @"([\d,]+) kW servers").Groups[1].Value, NumberStyles.Number, Invariant) / 1000;
            var times = 530e6 / 0.65 / 8760 / 1000 / (servers * 1.3);
            var perYear = Command(palm).GetProperty("costs").GetProperty("electricityPerYear").GetProperty("amount").GetDouble();
            return F($"about {times:0.0} times the cluster above, i.e. about {Math.Round(16_384 * times / 1000) * 1000:N0} H100s running all year, or the same cluster at ¥{0.65 * 530e6 / perYear:0.0}/kWh");
        });
        yield return (c6, () => F($"| CO2 | — | {Hundreds(Command(palm).GetProperty("energyMwh").GetDouble()):N0} MWh x 0.58 kg/kWh = {Hundreds(Command(palm).GetProperty("co2Tonnes").GetDouble()):N0} t |"));
        yield return (c6, () =>
        {
            var c = Command("train", "--model", "yuan2-m32", "--tokens", "2T", "--hardware", "a100", "--devices", "256").GetProperty("compute");
            var (flops, sixNd) = (c.GetProperty("trainFlops").GetDouble(), c.GetProperty("sixNdFlops").GetDouble());
            return F($"training FLOPs {flops:0.0e0} follow the {sixNd / 6 / 2e12 / 1e9:0.0}B active matmul parameters (6ND on active parameters {sixNd:0.0e0}, attention over 4,096 tokens adds {(flops / sixNd - 1) * 100:0} %)");
        });
        yield return (c6, () =>
        {
            double Flops(string model) => Command("train", "--model", model, "--tokens", "2T", "--hardware", "a100", "--devices", "256").GetProperty("compute").GetProperty("trainFlops").GetDouble();
            return F($"A dense 70B model on the same tokens needs about {Flops("llama-3-70b") / Flops("yuan2-m32"):0} times the compute");
        });
    }
}
