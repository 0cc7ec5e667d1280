using System.Text.Json;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// What a budget owner walking through plan, optimize and compare met: advice plan could not follow, a default that
/// said one thing and did another, and a profile that silently planned a fraction of the stated peak.
/// </summary>
public class BudgetOwnerWalkTests
{
    private const string Scenario = """
        currency: USD
        hardware: amd-mi355x
        rack: {power: 40 kW}
        applications:
          - name: rag
            model: llama-3.1-8b
            peak_rate: 2
            input_tokens: 2000
            output_tokens: 200
            profile: flat
        """;

    [Fact]
    public void Plan_takes_the_prices_file_its_no_purchase_price_warning_asks_for()
    {
        // The MI355X has no purchase price in the catalog: plan warned "add one under purchase: in a prices file",
        // but only optimize and compare took --prices.
        var scenario = TempFiles.Write("rag.yaml", Scenario);
        var (code, output, err, _) = CliTests.Run("plan", scenario, "--format", "json");
        Assert.True(code == 0, err);
        using (var without = JsonDocument.Parse(output))
        {
            Assert.Contains(without.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "no-purchase-price");
        }
        var prices = TempFiles.Write("p.yaml", """
            purchase:
              - item: amd-mi355x
                price: "25000 USD"
                kind: street-estimate
                source: "a quote for this test"
                date: 2026-01-01
            """);
        (code, output, err, _) = CliTests.Run("plan", scenario, "--prices", prices, "--format", "json");
        Assert.True(code == 0, err);
        using var with = JsonDocument.Parse(output);
        var root = with.RootElement;
        Assert.DoesNotContain(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "no-purchase-price");
        // Up front is the devices bought at the file's price: devices x 25,000 USD.
        var devices = root.GetProperty("fleet").GetProperty("devices").GetInt32();
        var own = root.GetProperty("costs").GetProperty("strategies")[0].GetProperty("own");
        Assert.Equal(devices * 25_000m, own.GetProperty("upfront").GetDecimal());
    }

    [Fact]
    public void The_default_layout_is_stated_as_the_rule_the_planner_applies()
    {
        // It said "fewest that fit, tensor parallel preferred" while the planner keeps the layout carrying the most
        // load per device (docs/methodology-fleet.md): 4 x B200 as TP=4 for gpt-oss-120b, which fits one.
        var s = ScenarioFile.Parse(Scenario, "s.yaml", CatalogFiles.Embedded);
        var line = Assert.Single(s.Assumptions, a => a.English.StartsWith("devices_per_replica", StringComparison.Ordinal));
        Assert.Equal("devices_per_replica = the layout that carries the most load per device, from the fewest devices that fit up to one server, or several when a replica fills one (default)", line.English);
        Assert.Equal("devices_per_replica = 每设备承载负载最多的布局，在能装下的最少设备数到一台服务器之间选取，一个副本占满一台服务器时可跨多台（默认）", line.Render(Languages.Chinese, FieldNames.Core));
        Assert.Contains("keeps the one\nthat carries the most demand per device", File.ReadAllText(Path.Combine(PlanTests.RepoRoot(), "docs", "methodology-fleet.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_that_never_reaches_the_peak_is_a_warning_with_the_load_it_plans_and_the_fix()
    {
        // Hourly shares of the day (1/24 each, summing to 1) planned 1/24 of the stated peak without a word.
        var shares = Scenario.Replace("profile: flat", "profile: [" + string.Join(", ", Enumerable.Repeat("0.0417", 24)) + "]", StringComparison.Ordinal);
        var plan = Planner.Plan(ScenarioFile.Parse(shares, "s.yaml", CatalogFiles.Embedded), PlanTests.TestCapacity);
        var warning = Assert.Single(plan.Findings, f => f.Code == "profile-below-peak");
        Assert.Equal(Severity.Warning, warning.Severity);
        // 2 requests/s x 0.0417 = 0.083 requests/s.
        Assert.Equal("rag: the profile's busiest hour is 0.042 of peak_rate (2), so no hour carries that peak: the busiest carries 0.083. Each hour carries peak_rate x its multiplier; if peak_rate is the busiest hour's load, divide the multipliers by 0.042 so that hour is 1.",
            warning.Text!.Render(Languages.English, FieldNames.Core));
        Assert.Equal("rag：流量曲线最忙的一小时只有 peak_rate（2）的 0.042，因此没有哪一小时承载这一峰值：最忙的一小时承载 0.083。每小时承载 peak_rate x 该小时的系数；如果 peak_rate 是最忙一小时的负载，请把各系数除以 0.042，使那一小时为 1。",
            warning.Text!.Render(Languages.Chinese, FieldNames.Core));
        // A profile that reaches 1 in some hour, and every preset, says nothing.
        Assert.DoesNotContain(Planner.Plan(ScenarioFile.Parse(Scenario, "s.yaml", CatalogFiles.Embedded), PlanTests.TestCapacity).Findings, f => f.Code == "profile-below-peak");
    }

    [Fact]
    public void An_unreachable_target_whose_remedies_all_failed_does_not_advise_them_again()
    {
        // examples/c2-article-targets.yaml: "None of fp8, TP=16 (16 devices), EAGLE ... would meet it either: relax the
        // target. Relax the targets, choose a smaller model or lower precision, or more devices per replica."
        var (code, output, err, _) = CliTests.Run("plan", Path.Combine(PlanTests.RepoRoot(), "examples", "c2-article-targets.yaml"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(" would meet it either: relax the target. Otherwise choose a smaller model or faster hardware.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("lower precision, or more devices per replica", err, StringComparison.Ordinal);
        var (_, _, zh, _) = CliTests.Run("plan", Path.Combine(PlanTests.RepoRoot(), "examples", "c2-article-targets.yaml"), "--lang", "zh");
        Assert.Contains("也都达不到：请放宽目标。否则请选择更小的模型或更快的硬件。", zh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_a_remedy_would_meet_keeps_the_general_advice()
    {
        // TTFT 50 ms on a 72B model on H100s: the search finds fp8 would meet it, so the general advice stands. (On A100s
        // no remedy meets 100 ms since DGX A100 gives its 25 GB/s network: TP=16 across two servers runs its all-reduces over it.)
        var yaml = "hardware: h100\napplications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrency: 5\n    input_tokens: 1024\n    output_tokens: 64\n    targets: {ttft_p90_s: 0.05}\n";
        var (code, _, err, _) = CliTests.Run("plan", TempFiles.Write("t.yaml", yaml));
        Assert.Equal(2, code);
        Assert.Contains(" would meet it. Relax the targets, choose a smaller model or lower precision, or more devices per replica.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Otherwise", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quality_floor_no_model_meets_advises_the_floor_not_a_smaller_model()
    {
        // "llama-3.1-8b scores 66.7 on MMLU, below the floor of 70. Relax the targets, choose a smaller model or lower
        // precision, or more devices per replica": none of these raises a score.
        var (code, _, err, _) = CliTests.Run("plan", TempFiles.Write("q.yaml", Scenario + "\n    quality: 'MMLU >= 70'\n"));
        Assert.Equal(2, code);
        Assert.EndsWith("Application 'rag' cannot be served as asked: llama-3.1-8b: llama-3.1-8b scores 66.7 on MMLU, below the floor of 70. Lower the quality floor, or name a model that scores above it.", err.TrimEnd(), StringComparison.Ordinal);
        var (_, _, zh, _) = CliTests.Run("plan", TempFiles.Write("q.yaml", Scenario + "\n    quality: 'MMLU >= 70'\n"), "--lang", "zh");
        Assert.EndsWith("。请降低质量下限，或指定得分高于它的模型。", zh.TrimEnd(), StringComparison.Ordinal);
    }
}
