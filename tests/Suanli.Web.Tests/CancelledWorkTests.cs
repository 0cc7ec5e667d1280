extern alias cli;

using System.Text.Json;
using Spectre.Console.Testing;
using cli::Suanli.Cli;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// A cancelled token ends the long loops early, counted in evaluations rather than timed: a client that hangs up (the
/// web cancels the request's token) or a Ctrl+C (the CLI's) must not leave the work running to its end.
/// </summary>
public class CancelledWorkTests
{
    [Fact]
    public void A_comparison_cancelled_while_pricing_its_options_scans_no_pair_for_break_even()
    {
        // 40 options make 780 pairs, each scanned at 401 volumes on both sides: about 626,000 evaluations uncancelled.
        // Every model on every device with each rent term is thousands of options; the pair loop ignored the token, so a
        // client that hung up left /api/compare busy for minutes, holding its slot.
        const int count = 40;
        using var cancel = new CancellationTokenSource();
        var evaluations = 0;
        var options = Enumerable.Range(0, count).Select(i =>
        {
            var custom = new CustomOption($"option {i}", new Money(1_000m * i, Currency.Usd), Money.Zero(Currency.Usd), new Money(0.01m * (count - i), Currency.Usd), null);
            return new CostOption(custom.Name, "custom", w =>
            {
                // The token is cancelled while the options are priced at the workload, before any pair is scanned.
                if (++evaluations == count)
                {
                    cancel.Cancel();
                }
                return CostModel.Custom(custom, w, 36);
            });
        }).ToList();
        Assert.ThrowsAny<OperationCanceledException>(() => Comparison.Run(options, new MonthlyVolume(10_000, 0, 0), 1, 1e9, cancel: cancel.Token));
        // One evaluation per option at the workload, and none after the cancellation.
        Assert.Equal(count, evaluations);
    }

    [Fact]
    public void The_same_comparison_uncancelled_scans_every_pair()
    {
        // The other side of the test above: without a cancellation the pairs are scanned (each at 401 volumes at least).
        var evaluations = 0;
        var options = Enumerable.Range(0, 3).Select(i =>
        {
            var custom = new CustomOption($"option {i}", new Money(1_000m * i, Currency.Usd), Money.Zero(Currency.Usd), new Money(0.01m * (3 - i), Currency.Usd), null);
            return new CostOption(custom.Name, "custom", w =>
            {
                evaluations++;
                return CostModel.Custom(custom, w, 36);
            });
        }).ToList();
        var result = Comparison.Run(options, new MonthlyVolume(10_000, 0, 0), 1, 1e9);
        Assert.Equal(3, result.Breakdowns.Count);
        Assert.True(evaluations >= 3 + 3 * 2 * 401, $"{evaluations} evaluations");
    }

    [Fact]
    public void A_sensitivity_replan_cancelled_in_parallel_ends_as_a_cancellation_not_a_wrapped_defect()
    {
        // The sensitivity redoes the plan once per assumption in parallel; Parallel.For wrapped what a replan threw in an
        // AggregateException, which the web answered 500 (not its time limit's 422, nor a moved scenario's 400) and the
        // CLI as a defect (exit 70).
        var scenario = ScenarioFile.Parse("hardware: h100\napplications:\n  - name: a\n    model: qwen2.5-0.5b\n    peak_rate: 5\n    input_tokens: 512\n    output_tokens: 64\n", "s.yaml", CatalogFiles.Embedded);
        var simulated = SimulatedReplicaCapacity.Provider(CalibrationFiles.Default, 200);
        var calls = 0;
        CapacityProvider counted = (d, mix, targets) =>
        {
            calls++;
            return simulated(d, mix, targets);
        };
        var day = new DateOnly(2026, 12, 1);
        PricedPlanner.Run(scenario, counted, PriceFiles.Embedded, day);
        var planCalls = calls;
        Assert.True(planCalls > 0);
        // The same plan, whose capacity searches stop (as at the time limit or a hang-up) once the expected plan is made.
        var seen = 0;
        using var cancel = new CancellationTokenSource();
        CapacityProvider stopping = (d, mix, targets) =>
        {
            if (Interlocked.Increment(ref seen) > planCalls)
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
            }
            return simulated(d, mix, targets);
        };
        var thrown = Record.Exception(() => PricedPlanner.Run(scenario, stopping, PriceFiles.Embedded, day, sensitivity: true));
        Assert.IsType<OperationCanceledException>(thrown);
    }

    [Theory]
    // compare of custom options alone: its only long loop is the pairwise break-even scan; it ignored the CLI's token.
    [InlineData("compare", "--requests-per-month", "1M", "--custom", "a;build=1915 USD;per-10k=0.26 USD", "--custom", "b;per-10k=173 USD")]
    // perf and train took a token in their runs, but the CLI did not pass its Ctrl+C token to them.
    [InlineData("perf", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--batch", "1,8,64")]
    [InlineData("train", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--tokens", "1e9")]
    public void Ctrl_c_before_a_command_ends_it_with_exit_130_and_no_output(params string[] args)
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = SuanliCli.Run([.. args, "--format", "json"], new TestConsole(), output, error, TimeProvider.System, cancel: cancel.Token);
        Assert.Equal(130, code);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().TrimEnd().Split('\n'));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("interrupted", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
    }
}
