using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Every refusal of an option's value names the option in its sentence, in English and Chinese (docs/cli.md,
/// "Language"): "Unknown engine 'x'" alone left the reader to find which option held the x, so a sentence that does not
/// name its option is said after it (<c>error: --engine: Unknown engine 'x'; known: ...</c>). Swept over every option of
/// every command (<see cref="HostileOptionSweepTests.Options"/>) with an unknown name and a negative number; the
/// Chinese sentence says 词元, never "token", outside the option names and values it quotes.
/// </summary>
public sealed partial class RefusalOptionNameTests
{
    private static readonly string[] Values = ["bogus", "-1"];

    [Theory]
    [MemberData(nameof(HostileOptionSweepTests.Options), MemberType = typeof(HostileOptionSweepTests))]
    public void A_refused_value_is_said_with_its_option_in_english_and_chinese(string command, string option)
    {
        var given = HostileOptionSweepTests.Bases[command];
        foreach (var value in Values)
        {
            if (HostileOptionSweepTests.Taken.Contains($"{command} {option} {value}") || HostileOptionSweepTests.Writes.Contains(option))
            {
                continue;
            }
            foreach (var (lang, prefix) in new[] { ("en", "error: "), ("zh", "错误：") })
            {
                var (code, _, err, _) = CliTests.Run([.. given, option, value, "--lang", lang]);
                var what = $"{string.Join(' ', given)} {option} {value} --lang {lang}";
                Assert.True(code == 2, $"{what} exited {code}: {err}");
                var line = err.TrimEnd();
                Assert.StartsWith(prefix, line, StringComparison.Ordinal);
                Assert.True(line.Contains(option, StringComparison.Ordinal), $"{what}: the error does not name {option}: {line}");
                if (lang == "zh")
                {
                    // Option names, quoted values, snake_case keys and paths may hold 'token'; the sentence may not.
                    var words = Regex.Replace(line, @"--[a-z0-9-]+|'[^']*'|\w+_\w+|\S+\.(csv|yaml|json|md)\b", "");
                    Assert.False(TokenWord().IsMatch(words), $"{what}: the Chinese sentence says token, not 词元: {line}");
                }
            }
        }
    }

    [Fact]
    public void An_unknown_engine_names_the_option_and_the_engines_it_knows()
    {
        foreach (var args in new[] { HostileOptionSweepTests.Bases["perf"], HostileOptionSweepTests.Bases["simulate"] })
        {
            Assert.Equal("error: --engine: Unknown engine 'x'; known: vllm, trtllm, sglang, llamacpp, transformers.",
                CliTests.Run([.. args, "--engine", "x"]).Err.TrimEnd());
            Assert.Equal("错误：--engine：未知的推理引擎 'x'；已知：vllm、trtllm、sglang、llamacpp、transformers。",
                CliTests.Run([.. args, "--engine", "x", "--lang", "zh"]).Err.TrimEnd());
        }
        // A sentence that names its option already is not said twice: --precision's names it.
        var precision = CliTests.Run([.. HostileOptionSweepTests.Bases["perf"], "--precision", "x"]).Err.TrimEnd();
        Assert.StartsWith("error: Unknown precision 'x' for --precision.", precision, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?i)tokens?\b")]
    private static partial Regex TokenWord();
}
