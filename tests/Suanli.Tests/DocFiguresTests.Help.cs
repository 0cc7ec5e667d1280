using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Cli;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table (<see cref="CommandFigureRows"/>): the defaults docs/web.md's endpoint table gives in
/// parentheses, from the help of the command each endpoint mirrors (the web's parity tests check that the endpoint
/// assumes the same value: CliParityTests.The_defaults_docs_web_md_gives_are_what_each_endpoint_assumes); the exit
/// codes and limits docs/cli.md states, from a run of the command that gives them; the benchmarks' load and sweep sizes
/// from their own defaults; the seed cases' article figures the pages quote, from <c>suanli cases</c>.
/// </summary>
public sealed partial class DocFiguresTests
{
    private static readonly Dictionary<string, List<string>> HelpLines = [];

    /// <summary>
    /// The default an option's help gives: System.CommandLine's <c>[default: X]</c>, else the description's
    /// "(default X)" (a list such as <c>1,2,4,8</c> kept whole), else the description's "(default: X)" phrase.
    /// </summary>
    private static string HelpDefault(string command, string option)
    {
        if (Options(command).TryGetValue(option, out var given) && given is not null)
        {
            return given;
        }
        var line = HelpLine(command, option);
        var m = Regex.Match(line, @"\(default:? ([\w.]+(?:,[\w.]+)*)");
        Assert.True(m.Success, $"suanli {command} --help gives no default for --{option}: {line}");
        return m.Groups[1].Value;
    }

    /// <summary>An option's line of <c>suanli COMMAND --help</c>, its wrapped description joined to it.</summary>
    private static string HelpLine(string command, string option)
    {
        if (!HelpLines.TryGetValue(command, out var lines))
        {
            var (code, output, err, _) = CliTests.Run([.. command.Split(' '), "--help"]);
            Assert.True(code == 0, err);
            lines = [];
            foreach (var line in output.ReplaceLineEndings("\n").Split('\n'))
            {
                if (lines.Count > 0 && Regex.IsMatch(line, @"^\s{3,}[^\s-]"))
                {
                    lines[^1] += " " + line.Trim();
                }
                else
                {
                    lines.Add(line);
                }
            }
            HelpLines[command] = lines;
        }
        var found = lines.FirstOrDefault(l => Regex.IsMatch(l, $@"^\s+(?:-[\w?], )*--(?:[a-z0-9-]+, --)*{Regex.Escape(option)}(?=[ ,])"));
        Assert.True(found is not null, $"suanli {command} --help has no --{option}");
        return Regex.Replace(found, @"\s+", " ");
    }

    private static string Thousands(string number) => F($"{long.Parse(number, Invariant):N0}");

    /// <summary>docs/web.md's endpoint defaults, each the help's default of the option the parameter mirrors.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> WebEndpointDefaultRows()
    {
        const string page = "docs/web.md";
        string D(string command, string option) => HelpDefault(command, option);
        yield return (page, () => $"`context` ({D("memory", "context")}), `batch` ({D("memory", "batch")}), `hardware`, `devices` ({D("memory", "devices")}) |");
        yield return (page, () => $"`precision` ({D("perf", "precision")}), `kvPrecision`, `input` ({D("perf", "input")}), `output` ({D("perf", "output")}), `batch` (`{D("perf", "batch")}`), `engine` ({D("perf", "engine")}),");
        yield return (page, () => $"`precision` ({D("simulate", "precision")}), `kvPrecision`, `engine` ({D("simulate", "engine")}), `thinkTime`,");
        yield return (page, () =>
        {
            var percentile = Regex.Match(HelpLine("optimize", "ttft"), @"--ttft-percentile \(default p(\d+)\)").Groups[1].Value;
            return $"`precision` ({D("optimize", "precision")}), `devices` ({D("optimize", "devices")}), `engine` ({D("optimize", "engine")}), `input` ({D("optimize", "input")}), `output` ({D("optimize", "output")}), `ttft` ({D("optimize", "ttft")}), `tpot` ({D("optimize", "tpot")}) with `ttftPercentile`, `tpotPercentile` ({percentile}; `ttftP90`";
        });
        yield return (page, () => $"`top` ({D("optimize", "top")}), `maxCandidates` ({Thousands(D("optimize", "max-candidates"))}), `currency` ({D("optimize", "currency")}), and the search's choices");
        yield return (page, () => $"`requestsPerMonth` or `tokensPerMonth`, `input` ({D("compare", "input")}), `output` ({D("compare", "output")}), `api`, `model`, `hardware` (lists), `precision`, `devices` ({D("compare", "devices")} = fewest), `selfHost` ({D("compare", "self-host")}), `custom`, `currency` ({D("compare", "currency")}),");
        yield return (page, () => $"`pue` ({D("compare", "pue")}), `years`, `maintenance`, `serverOverhead`, `devicePrice`, `purchase` ({D("compare", "purchase")}), `months`, `peakFactor`, `tpotP90`, `ttftP90`, `prefixHitRate` ({D("compare", "prefix-hit-rate")}), `range`");
        yield return (page, () => $"one of `tokens` / `flops` / `budgetUsd`, `devices` ({D("train", "devices")}) or `days` (deadline mode");
        yield return (page, () => $"`precision` ({D("density", "precision")}), `tokensPerSecond` ({D("density", "tokens-per-second")}), `context` ({D("density", "context")}), `rackKw` ({D("density", "rack-kw")}), `rackU` ({D("density", "rack-u")}), `input` ({D("density", "input")}), `output` ({D("density", "output")}), `ttftP90` ({D("density", "ttft-p90")}): each session turn's prompt");
    }

    /// <summary>docs/cli.md's exit codes and limits, from the runs that give them.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> CliExitRows()
    {
        const string page = "docs/cli.md";
        yield return (page, () => F($"`--help` prints the help and exits {CliTests.Run("--help").Code}."));
        yield return (page, () =>
        {
            var (code, _, err, _) = CliTests.Run("catalog", "models", "--lang", "fr");
            Assert.Contains("'fr' is not one of en, zh", err, StringComparison.Ordinal);
            return F($"Any other value of either is an error (exit {code}) naming `en` and `zh`");
        });
        yield return (page, () =>
        {
            // Both refusals of the deadline mode: a deadline beside --devices, and one no cluster of the largest size meets.
            var (both, _, bothErr, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--hardware", "a100", "--tokens", "300e9", "--days", "1", "--devices", "8");
            Assert.Contains("not both", bothErr, StringComparison.Ordinal);
            var (unmet, _, unmetErr, _) = CliTests.Run("train", "--model", "gpt-3-175b", "--hardware", "a100", "--tokens", "300e9", "--days", "0.001");
            var largest = Regex.Match(unmetErr, @"No cluster of up to ([\d,]+) x").Groups[1].Value;
            return F($"cannot be combined with it (exit {both}). A deadline no cluster of up to {largest} devices meets is exit {unmet} with one line giving the fastest time on {largest} devices");
        });
        yield return (page, () => F($"prices, configs, traces, measurements) are read up to {InputFiles.MaxBytes / (1024 * 1024)} MiB;"));
        yield return (page, () =>
        {
            var range = Regex.Match(HelpLine("compare", "range"), @"\(default: (the volume / [\d,]+ to x [\d,]+)\)");
            Assert.True(range.Success, "suanli compare --help no longer gives --range's default as 'the volume / N to x N'");
            return $"the volumes scanned for break-even (default: {range.Groups[1].Value}).";
        });
    }

    /// <summary>The load and sweep sizes docs/web.md and docs/performance.md give for the benchmarks, from the benchmarks' own defaults.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> BenchRows()
    {
        string[] load = ["bench", "Suanli.Web.Bench", "Program.cs"];
        string Clients() => SourceConstant(@"Arg\(""--clients"", (\d+)\)", load);
        string Plans() => SourceConstant(@"Arg\(""--plan-clients"", (\d+)\)", load);
        yield return ("docs/web.md", () => $"| {Clients()} concurrent clients on loopback, no errors (issue 8); {Clients()} on `/api/memory` and {Plans()} on `/api/plan` with 0 errors");
        yield return ("docs/performance.md", () => $"memory, perf and plan alone; {Clients()} clients on `/api/memory` and {Plans()} on `/api/plan` while a runaway request");
        yield return ("docs/performance.md", () => $"(prepared and through the cache), a {SourceConstant(@"for \(var b = 1; b <= (\d+); b\+\+\)", "bench", "Suanli.Bench", "Benchmarks.cs")}-point batch sweep of every catalog model");
    }

    /// <summary>The stage counts --pp-in-node adds and the percentiles a target may state, as the help of perf and optimize gives them.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> HelpPhraseRows()
    {
        string Stages() => Regex.Match(HelpLine("perf", "pp-in-node"), @"use (\d+ or \d+) pipeline stages").Groups[1].Value;
        (string Low, string High) Bounds()
        {
            var m = Regex.Match(HelpLine("optimize", "ttft-percentile"), @"above (\d+) and below (\d+)");
            Assert.True(m.Success, "suanli optimize --help no longer bounds --ttft-percentile as 'above N and below M'");
            return (m.Groups[1].Value, m.Groups[2].Value);
        }
        yield return ("docs/web.md", () => $"`ppInNode` (`true` adds splits with {Stages()} pipeline stages within one node, as `--pp-in-node`)");
        yield return ("docs/cli.md", () => $"`--pp-in-node` adds those with {Stages()} stages within one node");
        yield return ("docs/web.md", () =>
        {
            var percentile = Regex.Match(HelpLine("optimize", "ttft"), @"--ttft-percentile \(default p(\d+)\)").Groups[1].Value;
            return $"`tpotPercentile` ({percentile}: the percentile each target is checked at, above {Bounds().Low} and below {Bounds().High} and within";
        });
        yield return ("docs/cli.md", () => $"states any percentile above {Bounds().Low} and below {Bounds().High}, and metrics may differ");
        // The unit rule's example: a card sold as "80GB" holds 80 GiB, 80 x 2^30 bytes in decimal GB.
        var gb = F($"{80 * Math.Pow(2, 30) / 1e9:0.0}");
        yield return ("docs/web.md", () => $"the cards sold as \"80GB\" hold 80 GiB ({gb} GB) and read \"80 GiB\"");
        yield return ("docs/web.md", () => $"The memory chart's note gives both (\"80 GiB = {gb} GB\")");
    }

    /// <summary>
    /// Seed cases' figures the pages quote from <c>suanli cases</c>: C2's "2.7x" as the case's article figure, and the
    /// fleet page's demand-from-users example as C5's answer derives it.
    /// </summary>
    private static IEnumerable<(string Page, Func<string> Says)> CaseRows()
    {
        IEnumerable<JsonElement> Questions(string id) => Command("cases", "--case", id).GetProperty("cases")[0].GetProperty("questions").EnumerateArray();
        string Quote() => Questions("C2").Select(q => q.GetProperty("articleFigure").GetProperty("quote").GetString()!).Single(q => q.StartsWith("a 200B model", StringComparison.Ordinal));
        yield return ("README.md", () => $"| C2 \"{Quote()}\" (a generic model by size) |");
        yield return ("docs/cli.md", () => $"C2's \"{Quote()}\" is `suanli plan examples/c2-knowledge-base-200b.yaml`");
        yield return ("docs/methodology.md", () => $"The articles plan hypothetical sizes (\"{Quote()}\", \"a 500B dense model\")");
        const string c3 = "examples/c3-accelerator-cost/README.md";
        JsonElement C3(string id) => Questions("C3").Single(q => q.GetProperty("id").GetString() == id);
        Match Users() => Regex.Match(C3("C3.2").GetProperty("question").GetString()!, @"GPUs for ([\d,]+) users each sending a request every (\d+) s \(([\d.e]+) requests per hour\)");
        yield return (c3, () => $"what does serving {Users().Groups[1].Value} users, each sending a request every {Users().Groups[2].Value} s, cost in accelerators?");
        yield return (c3, () =>
        {
            var headroom = Regex.Match(C3("C3.2").GetProperty("articleMethod").GetProperty("method").GetString()!, @"for (\d+)% headroom").Groups[1].Value;
            var price = Regex.Match(C3("C3.3").GetProperty("question").GetString()!, @"at ¥([\d,]+) per A100").Groups[1].Value;
            return $"GPUs for {Users().Groups[3].Value} requests per hour, the {headroom}% headroom, ¥ at ¥{price} per A100";
        });
        yield return (c3, () =>
        {
            var check = Regex.Match(C3("C3.2").GetProperty("articleMethod").GetProperty("check").GetString()!, @"is ([\d.]+), not ([\d.]+)");
            Assert.True(check.Success, "suanli cases --case C3 no longer checks the article's headroom step as 'is X, not Y'");
            return F($"the headroom gives {double.Parse(check.Groups[1].Value, Invariant)} GPU, not {check.Groups[2].Value}");
        });
        const string c4 = "examples/c4-gpt3-training.md";
        Match Article(int question, string pattern)
        {
            var quote = Questions("C4").ElementAt(question).GetProperty("articleFigure").GetProperty("quote").GetString()!;
            var m = Regex.Match(quote, pattern);
            Assert.True(m.Success, $"suanli cases --case C4 no longer quotes the article as the page does: {quote}");
            return m;
        }
        Match Days() => Article(0, @"^([\d,]+) PF-days; an A100 counted as ([\d.]+) PFLOP/s -> about ([\d,]+) A100s for a day, ([\d,]+) with interconnect losses");
        Match Price() => Article(1, @"^([\d,]+) A100s at ¥([\d,]+) per card: ¥(\d+) billion of hardware");
        yield return (c4, () => $"GPT-3 took {Days().Groups[1].Value} PF-days; an A100 counted as {Days().Groups[2].Value} PFLOP/s gives about {Days().Groups[3].Value} A100s for one day, \"{Days().Groups[4].Value} with interconnect losses\", ¥{Price().Groups[3].Value} billion of hardware at ¥{Price().Groups[2].Value} a card.");
        yield return (c4, () => $"| FLOPs | {Days().Groups[1].Value} PF-days |");
        yield return (c4, () => $"| Per-A100 rate | {Days().Groups[2].Value} PFLOP/s (≈");
        yield return (c4, () => $"| {Days().Groups[3].Value} A100s | \"one day\" |");
        yield return (c4, () => $"| Hardware | ¥{Price().Groups[3].Value} billion for {Price().Groups[1].Value} cards |");
        yield return ("docs/methodology-fleet.md", () =>
        {
            var answer = Questions("C5").First().GetProperty("suanli").GetProperty("answer").GetString()!;
            var m = Regex.Match(answer, @"for ([\d,]+) requests/s .*from users: ([\d,]+) daily active x (\d+) requests a day = ([\d,]+) a day / 86,400 s / ([\d.]+) mean load of the ([a-z-]+) profile");
            Assert.True(m.Success, $"suanli cases --case C5 no longer derives its peak from users as the page shows: {answer}");
            string Millions(int g) => F($"{double.Parse(m.Groups[g].Value, NumberStyles.Number, Invariant) / 1e6:0.##}e6");
            var (rate, users, perUser, day, mean, profile) = (m.Groups[1].Value, Millions(2), m.Groups[3].Value, Millions(4), m.Groups[5].Value, m.Groups[6].Value);
            return $"With the {profile} profile (mean {mean}), {users} users x {perUser} requests a day = {day} requests a day gives {day} / 86,400 / {mean} = {rate} requests/s at the full-load hour";
        });
    }

    /// <summary>The plan document's shape and the articles' rule as the reference pages describe them, and the Mamba-2 conv kernel's default.</summary>
    private static IEnumerable<(string Page, Func<string> Says)> PlanShapeRows()
    {
        // The rule's factor: its bytes over the weights' bytes, for any count and format.
        string Rule() => F($"{Suanli.Footprint.MemoryModel.RuleOfThumb(1e9, Suanli.Catalog.NumberFormat.Bf16).InBytes / (1e9 * Suanli.Catalog.NumberFormat.Bf16.BytesPerValue):0.0#}");
        yield return ("docs/scenario.md", () => F($"| `applications[].hourlyReplicas` | {Command("plan").GetProperty("applications")[0].GetProperty("hourlyReplicas").GetArrayLength()} replica counts (autoscaled)"));
        yield return ("docs/scenario.md", () => $"one copy per concurrent request x devices per copy by the {Rule()}x rule |");
        yield return ("README.md", () => $"weights, KV cache, activations and overhead of one copy; the {Rule()}x rule beside it;");
        // The config reader's default for a Mamba-2 config that omits its conv kernel.
        yield return ("docs/methodology.md", () => $"(`conv_kernel` {SourceConstant(@"OptInt\(""conv_kernel""\) \?\? (\d+);", "src", "Suanli.Files", "HuggingFaceConfig.Mamba.cs")} when a config omits it");
    }
}
