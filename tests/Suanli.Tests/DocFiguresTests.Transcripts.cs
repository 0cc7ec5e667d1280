using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The "$ suanli ..." transcripts of docs/cli.md and docs/scenario.md are what the command prints today: each one is run
/// and its output compared whole. A transcript that plans a scenario names a file under examples/errors/, so the file
/// that gives the error is in the repository rather than left to the reader's guess.
/// </summary>
public sealed partial class DocFiguresTests
{
    // A "$ suanli ARGS" line, then the lines it prints up to the next command or the block's end.
    [GeneratedRegex(@"^\$ suanli (.*)\n((?:[^$`\n].*\n)+)", RegexOptions.Multiline)]
    private static partial Regex Transcript();

    private const string ErrorExamples = "examples/errors/";

    /// <summary>
    /// Runs <c>suanli ARGS</c> as the page's reader would from the repository root: an argument under examples/ is
    /// given as its full path (the tests run elsewhere), and that path is written back as the page gives it.
    /// </summary>
    private static string PrintedFromRoot(string[] args)
    {
        var root = PlanTests.RepoRoot();
        var full = args.Select(a => a.StartsWith("examples/", StringComparison.Ordinal) ? Path.Combine(root, a) : a).ToArray();
        var (_, output, err, _) = CliTests.Run(full);
        var printed = (err.Length > 0 ? err : output).Trim();
        foreach (var (given, path) in args.Zip(full).Where(p => p.First != p.Second))
        {
            printed = printed.Replace(path, given, StringComparison.Ordinal);
        }
        return printed;
    }

    [Theory]
    [InlineData("cli.md", 7)]
    [InlineData("scenario.md", 1)]
    public void Every_transcript_on_the_page_is_what_the_command_prints(string page, int transcripts)
    {
        var text = Read("docs", page);
        var shown = Transcript().Matches(text).ToList();
        Assert.True(shown.Count == transcripts, $"docs/{page} shows {shown.Count} '$ suanli' transcripts, this test expects {transcripts}: update the count with the page.");
        foreach (var m in shown)
        {
            var args = m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var files = args.Where(a => a.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
            Assert.True(files.All(f => f.StartsWith("examples/", StringComparison.Ordinal)),
                $"docs/{page} runs 'suanli {m.Groups[1].Value}' on a file the repository does not hold: put it under {ErrorExamples} and name it so.");
            var printed = PrintedFromRoot(args);
            Assert.True(printed == m.Groups[2].Value.Trim(), $"docs/{page} shows 'suanli {m.Groups[1].Value}' printing\n{m.Groups[2].Value.Trim()}\nbut it prints\n{printed}");
        }
    }

    /// <summary>
    /// Every file of examples/errors/ is one a page runs, and fails as the page shows (the transcripts above): a scenario
    /// through <c>plan</c>, a model folder (its config.json) through <c>memory --model</c>.
    /// </summary>
    [Fact]
    public void Every_failing_example_is_shown_by_a_transcript()
    {
        var pages = Read("docs", "cli.md") + Read("docs", "scenario.md");
        var errors = Path.Combine(PlanTests.RepoRoot(), "examples", "errors");
        var files = Directory.GetFiles(errors, "*.yaml").Select(Path.GetFileName).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(pages.Contains($"$ suanli plan {ErrorExamples}{f}\nerror: {ErrorExamples}{f}:", StringComparison.Ordinal),
            $"{ErrorExamples}{f} is not run by a transcript of docs/cli.md or docs/scenario.md: show its error there or remove it."));
        var models = Directory.GetDirectories(errors).Select(Path.GetFileName).ToList();
        Assert.Contains("bad-config", models);
        Assert.All(models, d => Assert.True(pages.Contains($"$ suanli memory --model {ErrorExamples}{d}\nerror: {ErrorExamples}{d}/config.json:", StringComparison.Ordinal),
            $"{ErrorExamples}{d} is not run by a transcript of docs/cli.md or docs/scenario.md: show its error there or remove it."));
    }
}
