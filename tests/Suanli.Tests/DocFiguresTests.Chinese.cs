using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The Chinese commands the pages show (a code block opening with <c>$ suanli ... --lang zh</c> and the text it prints):
/// each is run and must print what the page says, so a changed sentence or figure fails here rather than in a reader's hands.
/// </summary>
public sealed partial class DocFiguresTests
{
    [GeneratedRegex(@"```[a-z]*\n\$ (suanli [^\n]*--lang zh[^\n]*)\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ChineseExample();

    [Theory]
    [InlineData("docs/cli.md")]
    [InlineData("docs/web.md")]
    [InlineData("README.md")]
    public void Every_chinese_command_a_page_shows_prints_what_the_page_says(string page)
    {
        var text = File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), page)).ReplaceLineEndings("\n");
        var examples = ChineseExample().Matches(text);
        // docs/cli.md shows the unknown-model error of 'memory --lang zh'; the help text of 'catalog --help --lang zh' is
        // pinned by HelpLanguageTests (its block has no '$' line).
        Assert.Equal(page == "docs/cli.md" ? 1 : 0, examples.Count);
        foreach (Match m in examples)
        {
            var args = m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var (_, output, err, console) = CliTests.Run(args);
            var printed = string.Join("\n", new[] { output, err, console }.Where(s => s.Trim().Length > 0).Select(s => s.Trim()));
            Assert.True(printed == m.Groups[2].Value.Trim(), $"{page}: 'suanli {string.Join(' ', args)}' prints\n{printed}\nbut the page says\n{m.Groups[2].Value}");
        }
    }
}
