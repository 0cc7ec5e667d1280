extern alias cli;

using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Web.Tests;

public partial class TokenTermTests
{
    // The English word "token" as a word of a Chinese sentence; ids and placeholders that contain it
    // (max_batched_tokens, {tokens}, --draft-tokens, the query parameter tokens=1.4T) are not words of the sentence.
    [GeneratedRegex(@"(?<![A-Za-z_{\-&])tokens?(?![A-Za-z_}\-=])", RegexOptions.IgnoreCase)]
    private static partial Regex TokenWord();

    [Fact]
    public void Chinese_text_of_the_page_the_cli_help_and_the_core_says_词元_never_token()
    {
        var page = TranslationTests.Table().Select(e => ("i18n.js " + e.Key, e.Value["zh"]));
        var core = Suanli.Text.Languages.Chinese.Templates.Select(e => ("zh.yaml " + e.Key, e.Value));
        var help = cli::Suanli.Cli.HelpTexts.Keys.Select(k => ("help.yaml " + k, cli::Suanli.Cli.HelpTexts.Text(k, Suanli.Text.Languages.Chinese) ?? ""));
        var all = page.Concat(core).Concat(help).ToList();
        Assert.True(all.Count(t => t.Item2.Contains("词元", StringComparison.Ordinal)) > 100);
        var english = all.Where(t => TokenWord().IsMatch(t.Item2)).Select(t => t.Item1 + ": " + t.Item2).ToList();
        Assert.True(english.Count == 0, "zh text with 'token':\n" + string.Join("\n", english));
        // The page's throughput axis in the CLI's words (zh.yaml writes the rate 词元/秒).
        Assert.Equal("单序列词元/秒（用户感受到的速度）", TranslationTests.Table()["perf.xAxis"]["zh"]);
        Assert.Equal("Tokens/s per sequence (speed one user sees)", TranslationTests.Table()["perf.xAxis"]["en"]);
    }
}
