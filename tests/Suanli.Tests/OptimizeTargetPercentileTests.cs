using System.Text.Json;
using Suanli.Quantities;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// optimize's targets as simulate and capacity name them (<c>--ttft</c>, <c>--tpot</c> with <c>--*-percentile</c>; the
/// old <c>--ttft-p90</c>, <c>--tpot-p90</c> still read), and its latency row at each target's own percentile (issue 11).
/// </summary>
public class OptimizeTargetPercentileTests
{
    // One candidate family: Qwen2.5-7B in bf16 on one H100 with vLLM, rate 4, a TTFT target of 0.5 s at p99.
    private static readonly string[] Search = ["optimize", "--model", "qwen2.5-7b", "--hardware", "h100", "--devices", "1", "--rate", "4",
        "--input", "1024", "--output", "128", "--today", "2026-11-23"];

    private static JsonElement Cheapest(string[] args)
    {
        var (code, output, err, _) = CliTests.Run([.. Search, .. args, "--format", "json"]);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.GetProperty("applications")[0].GetProperty("cheapest");
    }

    [Fact]
    public void The_latency_row_reports_each_target_at_its_own_percentile_and_names_it()
    {
        var latency = Cheapest(["--ttft", "0.5", "--ttft-percentile", "99"]).GetProperty("latency");
        Assert.Equal((99.0, 90.0), (latency.GetProperty("ttftPercentile").GetDouble(), latency.GetProperty("tpotPercentile").GetDouble()));
        var (ttft, ttftP90) = (latency.GetProperty("ttftSeconds").GetDouble(), latency.GetProperty("ttftP90Seconds").GetDouble());
        var (tpot, tpotP90) = (latency.GetProperty("tpotSeconds").GetDouble(), latency.GetProperty("tpotP90Seconds").GetDouble());
        // The TPOT target is at p90: its value is the p90. The TTFT target is at p99: a p99 is never below the p90 of
        // the same requests, and at the capacity found the target is met, so it is at most the 0.5 s asked for.
        Assert.Equal(tpotP90, tpot);
        Assert.InRange(ttft, ttftP90, 0.5);
        Assert.True(ttft > ttftP90, $"p99 {ttft} s equals the p90 {ttftP90} s: the row could not tell them apart");

        // The table's row names the percentiles and shows the p99, not the p90 (en and zh).
        var (code, table, err, _) = CliTests.Run([.. Search, "--ttft", "0.5", "--ttft-percentile", "99", "--format", "markdown"]);
        Assert.True(code == 0, err);
        var row = Assert.Single(table.Split('\n'), l => l.Contains("at capacity", StringComparison.Ordinal));
        Assert.Equal($"| TTFT p99 / TPOT p90 at capacity | {Show.Time(Duration.FromSeconds(ttft))} / {Show.Time(Duration.FromSeconds(tpot))} (simulated) |", row.Trim());
        var (_, zh, _, _) = CliTests.Run([.. Search, "--ttft", "0.5", "--ttft-percentile", "99", "--format", "markdown", "--lang", "zh"]);
        Assert.Contains("| 容量下的 TTFT p99 / TPOT p90 |", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void The_old_target_names_are_aliases_of_ttft_and_tpot()
    {
        var now = Cheapest(["--ttft", "0.5", "--ttft-percentile", "99", "--tpot", "0.05"]);
        var old = Cheapest(["--ttft-p90", "0.5", "--ttft-percentile", "99", "--tpot-p90", "0.05"]);
        Assert.Equal(now.GetRawText(), old.GetRawText());
        // Both names at once are one option given twice.
        var (code, _, err, _) = CliTests.Run([.. Search, "--ttft", "1", "--ttft-p90", "2"]);
        Assert.Equal(2, code);
        Assert.Contains("--ttft", err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_names_ttft_and_tpot_and_says_the_p90_names_are_the_old_ones()
    {
        var (_, help, _, _) = CliTests.Run("optimize", "--help");
        Assert.Contains("--ttft, --ttft-p90 <ttft>", help, StringComparison.Ordinal);
        Assert.Contains("--tpot, --tpot-p90 <tpot>", help, StringComparison.Ordinal);
        Assert.Contains("seconds; --ttft-p90 is its old name.", help, StringComparison.Ordinal);
        var (_, zh, _, _) = CliTests.Run("optimize", "--help", "--lang", "zh");
        Assert.Contains("--ttft-p90 是它的旧名称", zh, StringComparison.Ordinal);
        Assert.Contains("--tpot-p90 是它的旧名称", zh, StringComparison.Ordinal);
    }
}
