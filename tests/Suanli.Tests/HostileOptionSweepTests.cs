using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Cli;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Every command's every option, given hostile values (negative, zero, NaN, Infinity, 1e308, empty, 300 characters, an
/// unknown name), in English and Chinese: exit 2 with one error line that names the option (the JSON error's field), in
/// the language asked for, with no stack trace and no NaN or Infinity of the program's own. The few values an option
/// documents as meaning something (a zero that picks a default) are listed and must still run (exit 0).
/// </summary>
public sealed partial class HostileOptionSweepTests
{
    private static readonly string Speculation = Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "speculation.csv");

    // Each command with the arguments that make it run; the swept option is added after them.
    internal static readonly Dictionary<string, string[]> Bases = new(StringComparer.Ordinal)
    {
        ["plan"] = ["plan"],
        ["memory"] = ["memory", "--model", "llama-3.1-8b"],
        ["density"] = ["density", "--model", "llama-3.1-8b"],
        ["perf"] = ["perf", "--model", "llama-3.1-8b", "--hardware", "h100"],
        ["simulate"] = ["simulate", "--model", "llama-3.1-8b", "--hardware", "h100", "--input", "512", "--output", "128", "--rate", "1"],
        ["capacity"] = ["capacity", "--model", "llama-3.1-8b", "--hardware", "h100", "--input", "512", "--output", "128", "--tpot-p90", "0.1"],
        ["validate"] = ["validate", Speculation],
        ["compare"] = ["compare", "--requests-per-month", "1M", "--model", "llama-3.1-8b", "--hardware", "h100"],
        ["optimize"] = ["optimize", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "2", "--input", "512", "--output", "128"],
        ["train"] = ["train", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "64", "--tokens", "1T"],
        ["chinchilla"] = ["chinchilla", "--flops", "1e24"],
        ["cases"] = ["cases", "--case", "C1"],
        ["schema"] = ["schema"],
        // serve would start a server on a value it takes: only the options it must refuse every hostile value of.
        ["serve"] = ["serve"],
        ["hardware"] = ["catalog", "hardware"],
        ["servers"] = ["catalog", "servers"],
        ["models"] = ["catalog", "models"],
        ["prices"] = ["catalog", "prices"],
    };

    // Options naming a file or folder the command writes.
    internal static readonly HashSet<string> Writes = new(StringComparer.Ordinal) { "--out", "--report", "--plot", "--fit", "--fit-intervals" };

    private static readonly string[] Values = ["-1", "0", "NaN", "Infinity", "1e308", "", new('x', 300), "bogus"];

    // Values an option documents as meaningful, which run (exit 0) rather than being refused.
    internal static readonly HashSet<string> Taken = new(StringComparer.Ordinal)
    {
        "compare --devices 0",          // picks the fewest devices that hold the model
        "compare --maintenance 0",      // no maintenance
        "compare --prefix-hit-rate 0",  // no prefix cache hits
        "compare --server-overhead 0",  // no server cost beyond the devices
        "simulate --prefix-hit-rate 0",
        "simulate --seed 0",            // a seed
        "simulate --think-time 0",      // no pause between a client's requests
        "capacity --prefix-hit-rate 0",
        "capacity --seed 0",
        "capacity --think-time 0",
        "train --grid-kg-per-kwh 0",    // a carbon-free grid
        "train --zero 0",               // no ZeRO sharding
    };

    public static TheoryData<string, string> Options()
    {
        var data = new TheoryData<string, string>();
        var root = SuanliCli.Build(new CliContext(new Spectre.Console.Testing.TestConsole(), TextWriter.Null, TextWriter.Null) { Clock = TimeProvider.System });
        foreach (var command in root.Subcommands.SelectMany(c => c.Subcommands.Count > 0 ? c.Subcommands : [c]))
        {
            var given = Bases[command.Name];
            foreach (var option in command.Options.Concat(root.Options).Where(o => o.Name is not ("--help" or "--version" or "--lang") && o.ValueType != typeof(bool)))
            {
                if (given.Contains(option.Name, StringComparer.Ordinal) || (command.Name == "serve" && option.Name is not ("--port" or "--host")))
                {
                    continue;
                }
                data.Add(command.Name, option.Name);
            }
        }
        return data;
    }

    [Fact]
    public void The_sweep_covers_every_command_and_its_options()
    {
        var swept = Options().Select(r => (string)r[0]).Distinct().ToList();
        Assert.Equal(Bases.Keys.Order(StringComparer.Ordinal), swept.Order(StringComparer.Ordinal));
        var count = Options().Count;
        Assert.True(count > 150, $"only {count} options swept");
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void A_hostile_value_is_refused_naming_the_option_in_english_and_chinese(string command, string option)
    {
        var given = Bases[command];
        var formats = given.Length > 0 && SuanliCli.Build(new CliContext(new Spectre.Console.Testing.TestConsole(), TextWriter.Null, TextWriter.Null) { Clock = TimeProvider.System })
            .Subcommands.SelectMany(c => c.Subcommands.Count > 0 ? c.Subcommands : [c]).First(c => c.Name == command).Options.Any(o => o.Name == "--format");
        foreach (var value in Values)
        {
            if ((value == "0" && command == "serve") || (Writes.Contains(option) && value.Length > 0))
            {
                // serve --port 0 picks a free port and serves (--host 0 is 0.0.0.0); a name for a file the command
                // writes is taken and written: only the empty name is swept for those.
                continue;
            }
            var what = $"{string.Join(' ', given)} {option} '{(value.Length > 20 ? value[..20] + "..." : value)}'";
            var taken = Taken.Contains($"{command} {option} {value}");
            foreach (var lang in new[] { "en", "zh" })
            {
                var (code, output, err, console) = CliTests.Run([.. given, option, value, "--lang", lang]);
                Assert.True(code == (taken ? 0 : 2), $"{what} --lang {lang} exited {code}: {err}");
                var all = output + console + err;
                Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
                // The value is quoted back; NaN or Infinity anywhere else is the program's own.
                var own = value.Length == 0 ? all : all.Replace(value, "", StringComparison.Ordinal);
                Assert.False(NanOrInfinity().IsMatch(own), $"{what} --lang {lang}: {own[..Math.Min(own.Length, 300)]}");
                if (taken)
                {
                    continue;
                }
                Assert.Equal("", output + console);
                Assert.Single(err.TrimEnd().Split('\n'));
                if (lang == "zh")
                {
                    Assert.StartsWith("错误：", err, StringComparison.Ordinal);
                    // The sentence is Chinese: no run of three English words outside what it quotes.
                    var words = Regex.Replace(err, @"'[^']*'|'suanli [^']*'|\S*\.(csv|yaml|json)\S*", "");
                    Assert.False(EnglishRun().IsMatch(words), $"{what} --lang zh is English: {err}");
                }
                else
                {
                    Assert.StartsWith("error: ", err, StringComparison.Ordinal);
                }
            }
            if (!taken && !formats)
            {
                var (_, _, err, _) = CliTests.Run([.. given, option, value]);
                Assert.True(err.Contains(option, StringComparison.Ordinal) || err.Contains($"'{value}'", StringComparison.Ordinal), $"{what}: the error names neither the option nor the value: {err}");
            }
            if (!taken && formats && option != "--format")
            {
                // The error names the option: the JSON error's field is the option, or the alias it was given as.
                var (_, _, json, _) = CliTests.Run([.. given, option, value, "--format", "json"]);
                using var doc = JsonDocument.Parse(json);
                var error = doc.RootElement.GetProperty("error");
                var field = error.GetProperty("field").GetString();
                // An option that conflicts with another (--accept without --speculate, --flops beside --tokens) is
                // refused on the other's field, with a sentence naming both.
                Assert.True(field == option || error.GetProperty("message").GetString()!.Contains(option, StringComparison.Ordinal),
                    $"{what}: the error names '{field}', not {option}: {json}");
            }
        }
    }

    [GeneratedRegex(@"\bNaN\b|Infinity|∞")]
    private static partial Regex NanOrInfinity();

    [GeneratedRegex(@"[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}")]
    private static partial Regex EnglishRun();
}
