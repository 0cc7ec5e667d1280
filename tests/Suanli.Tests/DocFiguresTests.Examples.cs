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
    }
}
