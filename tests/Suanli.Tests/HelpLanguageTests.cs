using System.CommandLine;
using System.Text;
using Spectre.Console.Testing;
using Suanli.Cli;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <c>--help</c> follows <c>--lang</c> and <c>SUANLI_LANG</c> (docs/cli.md, "Language"): every command, argument and
/// option has its Chinese in the one table (src/Suanli.Cli/help.yaml) beside the English it translates; English help
/// is what the code says, unchanged.
/// </summary>
public sealed class HelpLanguageTests
{
    private static Command Tree() => SuanliCli.Build(new CliContext(new TestConsole(), new StringWriter(), new StringWriter()) { Clock = TimeProvider.System });

    [Fact]
    public void Every_command_argument_and_option_has_its_english_and_a_chinese_text_in_the_table()
    {
        // Walks the whole tree, so a new option (or a changed English description) without its Chinese fails here;
        // the message is the lines to add to help.yaml.
        var missing = new StringBuilder();
        var count = 0;
        foreach (var (key, symbol) in HelpTexts.Symbols(Tree()))
        {
            count++;
            var english = symbol.Description ?? "";
            var zh = HelpTexts.Text(key, Languages.Chinese);
            if (english.Length == 0 || HelpTexts.Text(key, Languages.English) != english || zh is null || !zh.Any(IsChinese))
            {
                missing.Append(FormattableString.Invariant($"en {key}: \"{Escape(english)}\"\nzh {key}: \"{Escape(zh ?? "")}\"\n"));
            }
        }
        Assert.True(missing.Length == 0, "help.yaml lacks or has stale entries:\n" + missing);
        // The tree has well over a hundred symbols: the walk reaches subcommands, arguments and the root's options.
        Assert.True(count > 150, $"only {count} symbols walked");
    }

    [Fact]
    public void The_table_holds_no_entry_for_a_symbol_that_no_longer_exists()
    {
        var keys = HelpTexts.Symbols(Tree()).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(HelpTexts.Keys, k => !keys.Contains(k));
    }

    [Fact]
    public void Plan_help_in_chinese_describes_the_command_and_its_options_in_chinese_with_their_english_names()
    {
        foreach (var args in new[] { new[] { "plan", "--help", "--lang", "zh" }, ["--lang", "zh", "plan", "--help"], ["plan", "--lang", "zh", "-h"] })
        {
            var (code, output, err, _) = CliLanguageTests.Run(null, args);
            Assert.Equal(0, code);
            Assert.Equal("", err);
            Assert.Contains(HelpTexts.Text("plan", Languages.Chinese)!, output, StringComparison.Ordinal);
            Assert.Contains("为场景规划机群", output, StringComparison.Ordinal);
            Assert.Contains("--lang", output, StringComparison.Ordinal);
            Assert.Contains("SUANLI_LANG", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Plan the fleet for a scenario", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Suanli_lang_puts_help_into_chinese_and_lang_en_keeps_it_english()
    {
        var chinese = CliLanguageTests.Run("zh", "memory", "--help").Out;
        Assert.Contains(HelpTexts.Text("memory --model", Languages.Chinese)!, chinese, StringComparison.Ordinal);
        Assert.Contains("--kv-precision", chinese, StringComparison.Ordinal);
        var english = CliLanguageTests.Run(null, "memory", "--help").Out;
        Assert.Contains("Model: catalog id, Hugging Face repo id, alias, or a path to config.json / a model folder.", english, StringComparison.Ordinal);
        Assert.Equal(english, CliLanguageTests.Run("zh", "memory", "--help", "--lang", "en").Out);
        Assert.Equal(english, CliLanguageTests.Run(null, "memory", "--lang", "en", "--help").Out);
    }

    [Fact]
    public void Chinese_help_of_one_run_leaves_the_next_runs_english()
    {
        // Each run builds its own tree; the shared options (--catalog, --lang) are new ones per tree, so no run's
        // Chinese can reach another's help, in turn or side by side.
        var before = CliLanguageTests.Run(null, "--help").Out;
        Parallel.For(0, 8, i => CliLanguageTests.Run(i % 2 == 0 ? "zh" : null, "--help"));
        Assert.Contains("Extra catalog YAML file or folder", before, StringComparison.Ordinal);
        Assert.Equal(before, CliLanguageTests.Run(null, "--help").Out);
    }

    [Fact]
    public void Every_command_prints_chinese_help()
    {
        foreach (var (key, symbol) in HelpTexts.Symbols(Tree()).Where(s => s.Symbol is Command && s.Key != "suanli"))
        {
            var (code, output, _, _) = CliLanguageTests.Run("zh", [.. key.Split(' '), "--help"]);
            Assert.Equal(0, code);
            Assert.Contains(HelpTexts.Text(key, Languages.Chinese)!, output, StringComparison.Ordinal);
            Assert.DoesNotContain(symbol.Description!, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_chinese_help_shown_in_the_cli_reference_is_what_the_command_prints()
    {
        var page = File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "docs", "cli.md")).ReplaceLineEndings("\n");
        const string Marker = "`suanli catalog --help --lang zh` prints:\n\n```text\n";
        var start = page.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/cli.md no longer shows 'suanli catalog --help --lang zh'");
        start += Marker.Length;
        var shown = page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
        // System.CommandLine names the root after the process: 'suanli' when installed, the test host here.
        var printed = CliLanguageTests.Run(null, "catalog", "--help", "--lang", "zh").Out.ReplaceLineEndings("\n").Replace("testhost catalog", "suanli catalog", StringComparison.Ordinal);
        Assert.Equal(shown.Trim(), printed.Trim());
    }

    private static bool IsChinese(char c) => c is >= '\u4e00' and <= '\u9fff';

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
