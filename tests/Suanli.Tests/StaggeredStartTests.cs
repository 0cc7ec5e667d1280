using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Plan;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <c>--start together|staggered</c> of <c>capacity</c> and <c>simulate</c> (docs/cli.md; docs/methodology-serving.md,
/// "Closed loop"): a staggered closed loop is the one a plan sizes a replica with, so the plan's per-replica figure can be
/// reproduced; the default stays together, as before the option.
/// </summary>
public class StaggeredStartTests
{
    /// <summary>
    /// Seed case C2's knowledge base (the default scenario of <c>suanli plan</c>, examples/c2-knowledge-base.yaml) as
    /// capacity takes it: Qwen2-72B BF16 on one TP=4 replica of 4 x A100-80G under vLLM, 1,024 prompt and 512 output
    /// tokens, TTFT p90 2 s and TPOT p90 100 ms; 600 requests per probe, the plan's (SimulatedReplicaCapacity.RequestsPerProbe).
    /// </summary>
    internal static readonly string[] C2 =
    [
        "capacity", "--model", "Qwen/Qwen2-72B", "--hardware", "nvidia-a100-sxm4-80gb", "--devices", "4", "--input", "1024", "--output", "512",
        "--ttft-p90", "2", "--tpot-p90", "0.1", "--mode", "concurrency", "--requests", "600",
    ];

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Capacity_started_staggered_reproduces_the_plans_replica_figure_for_C2()
    {
        var plan = CliTests.Run("plan", "--format", "json");
        Assert.Equal(0, plan.Code);
        var app = Json(plan.Out).GetProperty("applications").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "knowledge-base");
        var planned = app.GetProperty("capacity");
        var (code, output, err, _) = CliTests.Run([.. C2, "--start", "staggered", "--format", "json"]);
        Assert.True(code == 0, err);
        var staggered = Json(output);
        Assert.Equal("staggered", staggered.GetProperty("start").GetString());
        Assert.Equal("staggered", staggered.GetProperty("atMax").GetProperty("inputs").GetProperty("start").GetString());
        // The same search as the plan's: the same requests per second to the last bit, and the same clients in flight.
        Assert.Equal(planned.GetProperty("maxRequestsPerSecond").GetDouble(), staggered.GetProperty("maxRequestsPerSecond").GetDouble());
        Assert.Equal(planned.GetProperty("maxConcurrency").GetInt32(), staggered.GetProperty("maxConcurrency").GetInt32());
        // The figures README's plan excerpt and docs/cases.md quote: "1.86 req/s, 106 in flight".
        Assert.Equal(106, staggered.GetProperty("maxConcurrency").GetInt32());
        Assert.Equal(1.86, Math.Round(staggered.GetProperty("maxRequestsPerSecond").GetDouble(), 2));
        Assert.Equal("tpot", staggered.GetProperty("limitingTarget").GetString());
    }

    [Fact]
    public void The_default_start_is_together_and_gives_the_figure_it_gave_before_the_option()
    {
        var (code, output, err, _) = CliTests.Run([.. C2, "--format", "json"]);
        Assert.True(code == 0, err);
        var together = Json(output);
        Assert.Equal("together", together.GetProperty("start").GetString());
        // Started together, identical clients stay in step and the search stops at 108 clients (1.84 requests/s at 600
        // requests per probe), not the plan's 106: the two starts are different questions.
        Assert.Equal(108, together.GetProperty("maxConcurrency").GetInt32());
        Assert.Equal(1.84, Math.Round(together.GetProperty("maxRequestsPerSecond").GetDouble(), 2));
        Assert.Equal(Json(CliTests.Run([.. C2, "--start", "together", "--format", "json"]).Out).GetProperty("maxRequestsPerSecond").GetDouble(),
            together.GetProperty("maxRequestsPerSecond").GetDouble());
        // A rate search has no clients to start: no start in its document (null fields are left out).
        var rate = Json(CliTests.Run("capacity", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--tpot-p90", "0.05", "--requests", "300", "--format", "json").Out);
        Assert.Equal("rate", rate.GetProperty("mode").GetString());
        Assert.False(rate.TryGetProperty("start", out _));
    }

    [Fact]
    public void The_text_and_the_simulation_say_which_start_ran()
    {
        var capacity = CliTests.Run([.. C2, "--start", "staggered"]);
        Assert.True(capacity.Code == 0, capacity.Err);
        Assert.Contains("The clients start staggered", capacity.Console, StringComparison.Ordinal);
        var together = CliTests.Run([.. C2]);
        Assert.Contains("The clients start together", together.Console, StringComparison.Ordinal);
        // simulate at the plan's 106 clients, started staggered, runs at the plan's rate: 1.860 requests/s.
        var simulate = CliTests.Run("simulate", "--model", "Qwen/Qwen2-72B", "--hardware", "nvidia-a100-sxm4-80gb", "--devices", "4", "--input", "1024", "--output", "512",
            "--ttft-p90", "2", "--tpot-p90", "0.1", "--concurrency", "106", "--requests", "600", "--start", "staggered", "--format", "json");
        Assert.True(simulate.Code == 0, simulate.Err);
        var sim = Json(simulate.Out);
        Assert.Equal("staggered", sim.GetProperty("inputs").GetProperty("start").GetString());
        Assert.Equal(1.86, Math.Round(sim.GetProperty("throughput").GetProperty("requestsPerSecond").GetDouble(), 2));
    }

    [Fact]
    public void The_pages_quote_the_figures_the_commands_give()
    {
        static JsonElement Run(params string[] args)
        {
            var (code, output, err, _) = CliTests.Run([.. args, "--format", "json"]);
            Assert.True(code == 0, err);
            return Json(output);
        }
        var planned = Run("plan").GetProperty("applications").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "knowledge-base").GetProperty("capacity");
        var (planRps, planClients) = (planned.GetProperty("maxRequestsPerSecond").GetDouble(), planned.GetProperty("maxConcurrency").GetInt32());
        var staggered = Run([.. C2, "--start", "staggered"]);
        var (rps, clients) = (staggered.GetProperty("maxRequestsPerSecond").GetDouble(), staggered.GetProperty("maxConcurrency").GetInt32());
        var together = Run(C2);
        var (togetherRps, togetherClients) = (together.GetProperty("maxRequestsPerSecond").GetDouble(), together.GetProperty("maxConcurrency").GetInt32());
        var simulated = Run("simulate", "--model", "Qwen/Qwen2-72B", "--hardware", "nvidia-a100-sxm4-80gb", "--devices", "4", "--input", "1024", "--output", "512",
            "--ttft-p90", "2", "--tpot-p90", "0.1", "--concurrency", clients.ToString(CultureInfo.InvariantCulture), "--requests", "600", "--start", "staggered")
            .GetProperty("throughput").GetProperty("requestsPerSecond").GetDouble();
        static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        static string Page(string name) => Regex.Replace(File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "docs", name)), @"\s+", " ");
        Assert.Contains(F($"at the plan's {SimulatedReplicaCapacity.RequestsPerProbe} requests per probe"), Page("cli.md"), StringComparison.Ordinal);
        Assert.Contains(F($"gives {clients} concurrent at {rps:0.00} requests/s, the plan's \"{planRps:0.00} req/s, {planClients} in flight\"; without `--start` (together) the same search stops at {togetherClients} clients at {togetherRps:0.00} requests/s, and `simulate --concurrency {clients} --requests {SimulatedReplicaCapacity.RequestsPerProbe} --start staggered` runs at {simulated:0.00} requests/s"),
            Page("cli.md"), StringComparison.Ordinal);
        Assert.Contains(F($"On seed case C2's knowledge base it gives {clients} concurrent at {rps:0.00} requests/s, the plan's row to the last bit, where the default start (together) gives {togetherClients} at {togetherRps:0.00} (docs/cli.md"),
            Page("methodology-serving.md"), StringComparison.Ordinal);
        Assert.Contains(F($"`--requests {SimulatedReplicaCapacity.RequestsPerProbe}` (`SimulatedReplicaCapacity.RequestsPerProbe`"), Page("methodology-serving.md"), StringComparison.Ordinal);
        Assert.Contains(F($"with the plan's `requests={SimulatedReplicaCapacity.RequestsPerProbe}` gives the plan's per-replica figure"), Page("web.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_start_is_refused_with_the_known_values_in_english_and_chinese()
    {
        var (code, output, err, _) = CliTests.Run([.. C2, "--start", "fast"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: Unknown --start 'fast'. Use together (", err, StringComparison.Ordinal);
        Assert.Contains(") or staggered (", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        var zh = CliTests.Run([.. C2, "--start", "fast", "--lang", "zh"]);
        Assert.Equal(2, zh.Code);
        Assert.StartsWith("错误：未知的 --start 'fast'。请使用 together（", zh.Err, StringComparison.Ordinal);
        Assert.Contains("）或 staggered（", zh.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("token", zh.Err, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("capacity", "--mode", "rate")]
    [InlineData("simulate", "--rate", "1")]
    public void A_staggered_start_without_a_closed_loop_is_refused(string command, string load, string value)
    {
        var (code, _, err, _) = CliTests.Run(command, "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--tpot-p90", "0.05",
            load, value, "--start", "staggered");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --start staggered applies only to a closed loop of clients", err, StringComparison.Ordinal);
    }
}
