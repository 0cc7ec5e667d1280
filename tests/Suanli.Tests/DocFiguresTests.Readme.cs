using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>The README's seed-case table: every <c>suanli</c> command it names runs as the row says.</summary>
public sealed partial class DocFiguresTests
{
    /// <summary>
    /// Each backticked <c>suanli ...</c> command of the table's rows (| C1 ... | to | C8 ... |) exits 0, except a row
    /// that says the command "explains why" nothing meets its target: that one exits 2 with the reason on one line.
    /// <c>optimize</c> rows are left to the optimize tests (a search over the catalog takes minutes in a debug build);
    /// <c>--out DIR</c> is dropped so the run writes nothing.
    /// </summary>
    [Fact]
    public void Every_command_of_the_readme_seed_case_table_runs_as_its_row_says()
    {
        var rows = Read("README.md").Split('\n').Where(l => Regex.IsMatch(l, @"^\| C[1-8] ")).ToList();
        Assert.True(rows.Count >= 10, $"the README's seed-case table has {rows.Count} rows; did it move?");
        var ran = 0;
        foreach (var row in rows)
        {
            foreach (Match m in Regex.Matches(row, @"`suanli ([^`]+)`"))
            {
                // The README's paths are relative to the repository root; the tests run elsewhere.
                var args = m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(a => a.StartsWith("examples/", StringComparison.Ordinal) ? Path.Combine(PlanTests.RepoRoot(), a) : a).ToList();
                if (args[0] == "optimize")
                {
                    continue;
                }
                if (args.IndexOf("--out") is var o and >= 0)
                {
                    args.RemoveRange(o, 2);
                }
                var (code, _, err, _) = CliTests.Run([.. args]);
                var explains = row.Contains("explains why", StringComparison.Ordinal);
                Assert.True(explains ? code == 2 && err.Contains("cannot be served as asked", StringComparison.Ordinal) : code == 0,
                    $"README.md names 'suanli {m.Groups[1].Value}', which exits {code}: {err}");
                ran++;
            }
        }
        Assert.True(ran >= 12, $"only {ran} README commands ran");
    }
}
