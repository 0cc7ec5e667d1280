using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The worked sums the hand-written pages type ("8,760 / 12 = 730 hours", "126 x 64 x 1,536 x 8,960 = 110,981,283,840
/// scores"): each result is what its operands give, so a figure edited on one side of the "=" and not the other fails.
/// scripts/doc-figures-audit.py counts the results this test checks as pinned (it uses the same pattern).
/// </summary>
public sealed partial class DocFiguresTests
{
    /// <summary>Pages with worked sums; the generated pages are checked by the commands that write them.</summary>
    private static readonly string[] SumPages =
    [
        "README.md", "docs/catalog.md", "docs/cli.md", "docs/methodology.md", "docs/methodology-cost.md", "docs/methodology-fleet.md",
        "docs/methodology-intervals.md", "docs/methodology-serving.md", "docs/methodology-steptime.md", "docs/methodology-training.md",
        "docs/performance.md", "docs/scenario.md", "docs/seed-cases.md", "docs/web.md", "examples/c8-small-vs-large/README.md",
    ];

    /// <summary>
    /// Operands joined by x, /, + or - (parentheses allowed), then "=" and the result. Kept in step with SUM in
    /// scripts/doc-figures-audit.py.
    /// </summary>
    [GeneratedRegex(@"(?<![\w.^/,])(\(?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?\)?(?:\s*(?:x|/|\+|-)\s*\(?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?\)?)+)\s*=\s*\**(\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?)(?![\d^.,]\d)")]
    private static partial Regex WorkedSum();

    /// <summary>
    /// The result may be in another unit than the operands (a thousand, a million, a KiB, a percent): "3.9 x 512 = 2.0
    /// PFLOP/s" from T exponentials per second. Any of these scales is accepted, so a sum is checked for its digits.
    /// </summary>
    private static readonly double[] SumScales =
        [1e-12, 1e-9, 1e-6, 1e-3, 1, 1e3, 1e6, 1e9, 1e12, 100, 1024, 1 << 20, 1 << 30, 1.0 / 1024, 1.0 / (1 << 20), 1.0 / (1 << 30)];

    [Fact]
    public void Every_worked_sum_in_the_pages_gives_its_result()
    {
        var wrong = new List<string>();
        var checkedSums = 0;
        foreach (var page in SumPages)
        {
            // Code blocks hold commands and transcripts, not sums; sentences wrap anywhere.
            var text = Regex.Replace(Regex.Replace(Read(page.Split('/')), "```.*?```", " ", RegexOptions.Singleline), @"\s+", " ");
            foreach (Match m in WorkedSum().Matches(text))
            {
                var before = text[Math.Max(0, m.Index - 12)..m.Index];
                // Part of a longer product ("80 device-hours a day x 365/12 x 2.00"), or a parenthesis explaining the
                // quantity before it ("1.619 GHz (756 / 114 / 4,096)"): the operands are not all in the match.
                if (Regex.IsMatch(before, @"([x/*+^-])\s*$") || (m.Groups[1].Value.StartsWith('(') && Regex.IsMatch(before, @"[A-Za-z]\s*$")))
                {
                    continue;
                }
                var (value, operandError) = Evaluate(m.Groups[1].Value);
                var result = m.Groups[2].Value;
                var r = double.Parse(result.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                // The result is typed to its last digit and each operand to its own: the sum holds within both roundings.
                var ok = SumScales.Any(s => Math.Abs(value * s - r) <= HalfUnit(result) + Math.Abs(value * s) * operandError + 1e-12 * Math.Abs(r));
                checkedSums++;
                if (!ok)
                {
                    wrong.Add($"{page}: '{m.Value}' gives {value.ToString("G6", CultureInfo.InvariantCulture)}");
                }
            }
        }
        Assert.True(checkedSums >= 30, $"only {checkedSums} worked sums found; did the pattern or the pages change?");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {checkedSums} worked sums do not give their result:\n" + string.Join('\n', wrong));
    }

    /// <summary>Half a unit of the figure's last typed digit ("5,256.00" -> 0.005, "3.15e23" -> 0.005e23).</summary>
    private static double HalfUnit(string figure)
    {
        var parts = figure.Replace(",", "", StringComparison.Ordinal).Split('e');
        var decimals = parts[0].Contains('.', StringComparison.Ordinal) ? parts[0].Length - parts[0].IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        var exponent = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
        return 0.5 * Math.Pow(10, exponent - decimals);
    }

    /// <summary>The sum's value and the relative error its rounded operands may carry (the sum of their decimal operands' relative half-units).</summary>
    private static (double Value, double RelativeError) Evaluate(string sum)
    {
        var tokens = Regex.Matches(sum, @"\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?|[x/+()-]").Select(t => t.Value).ToList();
        var at = 0;
        var error = 0.0;
        double Operand()
        {
            if (tokens[at] == "(")
            {
                at++;
                var inner = Terms();
                at++; // ")"
                return inner;
            }
            var figure = tokens[at++];
            var v = double.Parse(figure.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            // A whole operand is a count or an exact factor (8 GPUs, 730 hours); a decimal one was rounded where it was typed.
            error += v == 0 || !figure.Contains('.', StringComparison.Ordinal) ? 0 : HalfUnit(figure) / Math.Abs(v);
            return v;
        }
        double Factors()
        {
            var v = Operand();
            while (at < tokens.Count && tokens[at] is "x" or "/")
            {
                var op = tokens[at++];
                var w = Operand();
                v = op == "x" ? v * w : v / w;
            }
            return v;
        }
        double Terms()
        {
            var v = Factors();
            while (at < tokens.Count && tokens[at] is "+" or "-")
            {
                var op = tokens[at++];
                var w = Factors();
                v = op == "+" ? v + w : v - w;
            }
            return v;
        }
        return (Terms(), error);
    }
}
