using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Serving;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// More rows of the figure table found by a second audit of the hand-written pages (figures a command prints that no
/// test checked yet), and the option lists of README.md, docs/cli.md and docs/web.md against the command-line parser:
/// every option a page names is one of its command's, every default a page types is the parser's, and every option of
/// every command is named on one of the two pages.
/// </summary>
public sealed partial class DocFiguresTests
{
    [GeneratedRegex(@"Give --requests (\d+) or more")]
    private static partial Regex RequestsNeeded();

    /// <summary>The request count <c>simulate</c>'s refusal names for a target at <paramref name="percentile"/>.</summary>
    private static int SimulateRequestsFor(string percentile)
    {
        var (code, _, err, _) = CliTests.Run("simulate", "--model", "llama-3.1-8b", "--hardware", "h100", "--rate", "1", "--input", "512", "--output", "128",
            "--ttft", "2", "--ttft-percentile", percentile, "--requests", "100");
        Assert.Equal(2, code);
        var m = RequestsNeeded().Match(err);
        Assert.True(m.Success, err);
        return int.Parse(m.Groups[1].Value, Invariant);
    }

    /// <summary>Requests a plan's probe issues for a TTFT and TPOT target checked at <paramref name="percentile"/>.</summary>
    private static int ProbeRequests(double percentile)
    {
        var at = Percentile.Of(percentile, "percentile");
        return ServingTargets.FromSeconds(2, at, 0.1, at, null, at).RequestsFor(SimulatedReplicaCapacity.RequestsPerProbe);
    }

    private static readonly string[] NumberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    private static IEnumerable<(string Page, Func<string> Says)> DriftRows()
    {
        yield return ("docs/cli.md", () => F($"(10 measured requests beyond it after the warm-up: {SimulateRequestsFor("90")} requests for p90, {SimulateRequestsFor("99"):N0} for p99)"));
        yield return ("docs/scenario.md", () => F($"requests for 10 to lie beyond it ({ProbeRequests(90):N0} at p90, {ProbeRequests(99):N0} at p99)"));
        yield return ("docs/methodology-serving.md", () =>
            F($"A plan or optimize probe issues {SimulatedReplicaCapacity.RequestsPerProbe:N0} requests, more when a target asks (`ServingTargets.RequestsFor`: {ProbeRequests(99):N0} at p99, {ProbeRequests(99.9):N0} at p99.9)"));
        yield return ("docs/methodology-serving.md", () =>
            F($"p90 needs {Percentile.P90.MinMeasured} measured requests, p99 {Percentile.P99.MinMeasured:N0}, p99.9 {Percentile.Of(99.9, "percentile").MinMeasured:N0}."));
        yield return ("docs/cli.md", () =>
        {
            var layout = Command("train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30").GetProperty("layout");
            return F($"({layout.GetProperty("devices").GetInt32()} devices train as TP={layout.GetProperty("tp").GetInt32()} DP={layout.GetProperty("dp").GetInt32()} with ZeRO)");
        });
        yield return ("docs/cli.md", () =>
        {
            var perf = Command("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--devices", "16");
            return F($"(16 x H100 for a 70B: TP={perf.GetProperty("tp").GetInt32()} x PP={perf.GetProperty("pp").GetInt32()})");
        });
        yield return ("docs/seed-cases.md", () => F($"2 x 80 x 8 x 128 x 2 bytes = {KvKibPerToken("Qwen/Qwen2-72B"):0} KiB per token in BF16"));
        yield return ("docs/methodology.md", () =>
            F($"`2 x 80 x 8 x 128 x 2 B = {Command("memory", "--model", "Qwen/Qwen2-72B").GetProperty("kvCacheBytesPerToken").GetDouble():N0} B = {KvKibPerToken("Qwen/Qwen2-72B"):0} KiB` per token"));
        yield return ("docs/methodology-cost.md", () =>
        {
            // The A100 80GB's newest article claim and street estimate, as 'suanli catalog prices' lists them.
            JsonElement Newest(string kind) => Command("catalog", "prices").GetProperty("purchase").EnumerateArray()
                .Where(p => p.GetProperty("item").GetString() == "nvidia-a100-sxm4-80gb" && p.GetProperty("kind").GetString() == kind)
                .MaxBy(p => p.GetProperty("date").GetString())!.GetProperty("price");
            var (claim, street) = (Newest("article-claim"), Newest("street-estimate"));
            return F($"the 2023 article's {claim.GetProperty("currency").GetString()} {claim.GetProperty("amount").GetDouble():N0} A100 beside the 2026 street estimate ({street.GetProperty("currency").GetString()} {street.GetProperty("amount").GetDouble():N0}, converted");
        });
        yield return ("docs/methodology-fleet.md", () =>
        {
            // The articles' rule on the default scenario: the page says it equals the article's 150 A100s.
            var rule = Command("plan").GetProperty("applications")[0].GetProperty("articlesEstimate");
            var devices = rule.GetProperty("devices").GetInt32();
            return devices == 150
                ? F($"happens to equal the article's 150 A100s ({rule.GetProperty("copiesOnePerConcurrentRequest").GetInt32()} x {rule.GetProperty("devicesPerCopyByRule").GetInt32()})")
                : F($"the articles' rule now gives {devices} devices, not the article's 150");
        });
        // The README's first sentences about the default plan: its load, the replica's split and the devices in words.
        yield return ("README.md", () =>
            F($"{Command("plan").GetProperty("applications")[0].GetProperty("demand").GetProperty("peak").GetDouble():0} concurrent requests at the peak, a 72B model on A100-80G"));
        yield return ("README.md", () => F($"One TP={Command("plan").GetProperty("applications")[0].GetProperty("layout").GetProperty("tp").GetInt32()} replica carries"));
        yield return ("README.md", () =>
        {
            var devices = Command("plan").GetProperty("fleet").GetProperty("devices").GetInt32();
            return $"so {(devices < NumberWords.Length ? NumberWords[devices] : devices.ToString(Invariant))} A100s serve what the article sized at 150-300";
        });
    }

    // An option's line in --help: short names, then the long name and its long aliases, and the default System.CommandLine writes.
    [GeneratedRegex(@"^\s+(?:-[\w?], )*--([a-z][a-z0-9-]*)((?:, --[a-z][a-z0-9-]*)*)(?:.*?\[default: ([^\]]*)\])?.*$", RegexOptions.Multiline)]
    private static partial Regex HelpOption();

    [GeneratedRegex(@"^  ([a-z]+)(?: <\w+>)?\s{2,}", RegexOptions.Multiline)]
    private static partial Regex HelpCommand();

    private static readonly Dictionary<string, Dictionary<string, string?>> HelpRuns = [];

    /// <summary>A command's options as its <c>--help</c> lists them, each with the default the help gives (null: none).</summary>
    private static Dictionary<string, string?> Options(string command)
    {
        if (!HelpRuns.TryGetValue(command, out var options))
        {
            var (code, output, err, _) = CliTests.Run([.. command.Split(' '), "--help"]);
            Assert.True(code == 0, err);
            // A description the help wraps goes on indented lines of its own: join them to their option's line.
            var lines = new List<string>();
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
            options = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (Match m in HelpOption().Matches(string.Join('\n', lines)))
            {
                var def = m.Groups[3].Success ? m.Groups[3].Value : null;
                options[m.Groups[1].Value] = def;
                foreach (Match alias in Regex.Matches(m.Groups[2].Value, "--([a-z][a-z0-9-]*)"))
                {
                    options[alias.Groups[1].Value] = def;
                }
            }
            HelpRuns[command] = options;
        }
        return options;
    }

    /// <summary>Every command <c>suanli --help</c> lists, with catalog's subcommands.</summary>
    private static List<string> Commands()
    {
        var (code, output, err, _) = CliTests.Run("--help");
        Assert.True(code == 0, err);
        var commands = HelpCommand().Matches(output[output.IndexOf("Commands:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("plan", commands);
        var (_, catalog, _, _) = CliTests.Run("catalog", "--help");
        var subcommands = HelpCommand().Matches(catalog[catalog.IndexOf("Commands:", StringComparison.Ordinal)..]).Select(m => "catalog " + m.Groups[1].Value).ToList();
        Assert.Contains("catalog prices", subcommands);
        return [.. commands.Where(c => c != "catalog"), .. subcommands];
    }

    // "--name VALUE" inside a page's synopsis: VALUE is a literal unless it is a placeholder (M, FILE.png, C1..C8), a choice (a|b) or elided.
    [GeneratedRegex(@"--([a-z][a-z0-9-]*)(?: (?>([^\s\[\]|`'()\\]+))(?![\\|]))?")]
    private static partial Regex SynopsisOption();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_.:/]*$|^\.\.\.$")]
    private static partial Regex Placeholder();

    /// <summary>Checks each option a synopsis names against its command; a literal value typed beside an option with a default must be that default.</summary>
    private static int CheckSynopsis(string where, string command, string synopsis, List<string> wrong, bool valuesAreDefaults)
    {
        var options = Options(command);
        var checkedDefaults = 0;
        foreach (Match m in SynopsisOption().Matches(synopsis))
        {
            var (name, value) = (m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null);
            if (!options.TryGetValue(name, out var def))
            {
                wrong.Add($"{where} names --{name}, which 'suanli {command}' does not take (its options: {string.Join(", ", options.Keys.Order())})");
                continue;
            }
            if (valuesAreDefaults && value is not null && def is not null && !Placeholder().IsMatch(value))
            {
                checkedDefaults++;
                if (!string.Equals(value, def, StringComparison.OrdinalIgnoreCase))
                {
                    wrong.Add($"{where} gives --{name} {value}, but 'suanli {command} --help' says [default: {def}]");
                }
            }
        }
        return checkedDefaults;
    }

    /// <summary>
    /// The README's table of commands, the synopses of docs/cli.md and docs/web.md's <c>suanli serve</c> lines name only
    /// options their command takes, and where they type a value in brackets ("[--tokens-per-second 10]") or in cli.md's
    /// list of other options, it is the default the command's help gives.
    /// </summary>
    [Fact]
    public void The_options_and_defaults_the_readme_and_the_cli_reference_name_are_the_parsers()
    {
        var wrong = new List<string>();
        var defaults = 0;
        var rows = Read("README.md").Split('\n').Where(l => l.StartsWith("| `suanli ", StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count >= 15, $"README.md's table of commands has {rows.Count} rows; did it move?");
        foreach (var row in rows)
        {
            // The first cell (a '\|' inside it is a choice), its command, and its options.
            var cell = Regex.Split(row, @"(?<!\\)\|")[1].Replace("\\|", "|", StringComparison.Ordinal);
            var first = Regex.Match(cell, @"`suanli ([a-z]+)").Groups[1].Value;
            var command = first == "catalog" ? "catalog prices" : first;
            // Option names anywhere in the cell; values only inside brackets, where a literal is the default.
            CheckSynopsis($"README.md's row of 'suanli {command}'", command, Regex.Replace(cell, @"\[[^\]]*\]", ""), wrong, valuesAreDefaults: false);
            foreach (Match bracket in Regex.Matches(cell, @"\[([^\]]*)\]"))
            {
                defaults += CheckSynopsis($"README.md's row of 'suanli {command}'", command, bracket.Groups[1].Value, wrong, valuesAreDefaults: true);
            }
        }
        var cli = Read("docs", "cli.md");
        var synopses = Regex.Matches(cli, @"^suanli ([a-z]+) (.*)$", RegexOptions.Multiline);
        Assert.True(synopses.Count >= 5, $"docs/cli.md has {synopses.Count} synopsis lines; did its code blocks change?");
        foreach (Match line in synopses)
        {
            CheckSynopsis($"docs/cli.md's synopsis 'suanli {line.Groups[1].Value} ...'", line.Groups[1].Value, line.Groups[2].Value, wrong, valuesAreDefaults: false);
        }
        var start = cli.IndexOf("\n## Other options", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/cli.md has no section 'Other options'");
        var end = cli.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var items = (end < 0 ? cli[start..] : cli[start..end]).Split("\n- ").Skip(1).Select(i => Regex.Replace(i, @"\s+", " ")).ToList();
        Assert.True(items.Count >= 5, "docs/cli.md's section 'Other options' lost its list");
        foreach (var item in items)
        {
            // "`simulate`, `capacity`: `--block-size 16` (...), ..."
            var colon = item.IndexOf(": ", StringComparison.Ordinal);
            foreach (Match command in Regex.Matches(item[..colon], "`([a-z]+)`"))
            {
                defaults += CheckSynopsis($"docs/cli.md's other options of '{command.Groups[1].Value}'", command.Groups[1].Value, item[colon..], wrong, valuesAreDefaults: true);
            }
        }
        var serve = Options("serve");
        var web = Read("docs", "web.md");
        Assert.True(Regex.IsMatch(web, $@"^suanli serve\s+# http://{Regex.Escape(serve["host"]!)}:{serve["port"]}/", RegexOptions.Multiline)
            && web.Contains($"It prints `Suanli is serving the planner at http://{serve["host"]}:{serve["port"]}/", StringComparison.Ordinal),
            $"docs/web.md no longer names 'suanli serve''s default address http://{serve["host"]}:{serve["port"]}/");
        foreach (Match line in Regex.Matches(web, @"^suanli serve (.*?)(?:#.*)?$", RegexOptions.Multiline))
        {
            CheckSynopsis("docs/web.md's 'suanli serve ...'", "serve", line.Groups[1].Value, wrong, valuesAreDefaults: false);
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        Assert.True(defaults >= 12, $"only {defaults} typed defaults checked; did the pages' synopses change?");
    }

    /// <summary>
    /// Every command <c>suanli --help</c> lists has its row in the README's table of commands, and every option of every
    /// command is named (<c>--name</c>) in README.md or docs/cli.md, so a new option cannot go undocumented.
    /// </summary>
    [Fact]
    public void Every_command_and_option_of_the_parser_is_named_in_the_readme_or_the_cli_reference()
    {
        var readme = Read("README.md");
        var pages = readme + Read("docs", "cli.md");
        var named = Regex.Matches(pages, @"--([a-z][a-z0-9-]*)").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var command in Commands())
        {
            var first = command.Split(' ')[0];
            if (!readme.Contains($"| `suanli {first}", StringComparison.Ordinal))
            {
                missing.Add($"'suanli {first}' has no row in README.md's table of commands");
            }
            // Every command takes these; the pages state them once for all.
            missing.AddRange(Options(command).Keys.Except(["help", "format", "catalog", "lang"]).Where(o => !named.Contains(o))
                .Select(o => $"'suanli {command}' takes --{o}, which neither README.md nor docs/cli.md names (add it to docs/cli.md, 'Other options')"));
        }
        Assert.True(missing.Count == 0, string.Join('\n', missing.Distinct()));
    }
}
