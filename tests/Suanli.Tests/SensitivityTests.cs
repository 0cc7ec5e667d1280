using Suanli.Files;
using Suanli.Runs;
using Suanli.Plan;
using Suanli.Serving;
using Suanli.Fleet;
using Xunit;

namespace Suanli.Tests;

public class SensitivityTests
{
    private static readonly Lazy<(PlanResult Plan, SensitivityResult Result, PlanPricing Pricing)> Default = new(() =>
    {
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var memo = PlanRanges.Memoized(PlanTests.TestCapacity);
        var plan = Planner.Plan(scenario, memo);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 1));
        return (plan, Sensitivity.Of(plan, pricing, memo), pricing);
    });

    private static SensitivityLine Line(string name) => Default.Value.Result.Lines.Single(l => l.Assumption == name);

    [Fact]
    public void Device_price_moves_the_owned_cost_by_its_amortisation_and_maintenance_share()
    {
        var (plan, result, pricing) = Default.Value;
        var devices = plan.Fleet.Hardware.Sum(h => h.Devices);
        // Own per month carries price / (years x 12) plus maintenance (share per year / 12) per device; the price
        // moves by 20% each way, so the two ends differ by devices x 0.4 x price x (1/(12 years) + share/12).
        var perDevicePerMonth = 1 / (pricing.AmortisationYears * 12) + pricing.MaintenanceFractionPerYear / 12;
        var expectedSwing = devices * 0.4 * (double)pricing.DevicePrice!.Value.Amount * perDevicePerMonth;
        Assert.Equal("own", result.Basis);
        Assert.Equal(expectedSwing, (double)Line("Device price").CostSwing, 0);
        Assert.Equal(devices, Line("Device price").DevicesDown);
    }

    [Fact]
    public void A_prompt_near_the_models_context_still_gets_its_sensitivity_lines()
    {
        // 30,000 + 1,000 tokens fit Qwen2.5-7B-Instruct's 32,768; x1.2 (37,200) would not, so the longer prompt stops at the context.
        var yaml = "hardware: h100\napplications:\n  - name: long\n    model: Qwen/Qwen2.5-7B-Instruct\n    peak_concurrency: 2\n    input_tokens: 30000\n    output_tokens: 1000\n    targets: {ttft_p90_s: 60, tpot_p90_s: 1}\n";
        var scenario = ScenarioFile.Parse(yaml, "near.yaml", CatalogFiles.Embedded);
        var memo = PlanRanges.Memoized(PlanTests.TestCapacity);
        var plan = Planner.Plan(scenario, memo);
        var result = Sensitivity.Of(plan, PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 1)), memo);
        var prompt = result.Lines.Single(l => l.Assumption == "Prompt length");
        Assert.True(prompt.DevicesUp >= prompt.DevicesDown);
    }

    [Fact]
    public void More_load_longer_requests_and_tighter_targets_never_need_fewer_devices()
    {
        Assert.True(Line("Peak load").DevicesUp >= Line("Peak load").DevicesDown);
        Assert.True(Line("Prompt length").DevicesUp >= Line("Prompt length").DevicesDown);
        Assert.True(Line("Output length").DevicesUp >= Line("Output length").DevicesDown);
        // Down is tighter for targets: tighter targets need at least as many devices as looser ones.
        Assert.True(Line("Latency targets").DevicesDown >= Line("Latency targets").DevicesUp);
        Assert.True(Line("Electricity tariff").CostUp!.Value.Amount > Line("Electricity tariff").CostDown!.Value.Amount);
        Assert.True(Line("PUE").CostUp!.Value.Amount > Line("PUE").CostDown!.Value.Amount);
    }

    [Fact]
    public void Lines_are_ranked_by_cost_swing()
    {
        var swings = Default.Value.Result.Lines.Select(l => l.CostSwing).ToList();
        Assert.Equal(swings.OrderByDescending(s => s).ToList(), swings);
    }

    [Fact]
    public void Scaled_lengths_keep_their_shape_and_move_every_parameter()
    {
        Assert.Equal(640, LengthDistribution.Fixed(512).Scaled(1.25).Mean);
        var u = LengthDistribution.Uniform(100, 300).Scaled(0.5);
        Assert.Equal((50, 150), ((int)u.A, (int)u.B));
        var e = LengthDistribution.Empirical([1, 10, 100]).Scaled(0.25);
        Assert.Equal([1, 3, 25], e.Values);
    }

    [Fact]
    public void The_plan_report_carries_the_sensitivity_table_json_and_a_tornado_chart()
    {
        var (plan, report) = PlanReport.Run(ScenarioFile.LoadDefault(CatalogFiles.Embedded), PlanTests.TestCapacity, PriceFiles.Embedded, new DateOnly(2026, 12, 1),
            IntervalFiles.Embedded, sensitivity: true);
        var json = ((PlanJson)report.Json).Sensitivity!;
        Assert.Contains(json.Lines, l => l.Assumption.StartsWith("Step-time model", StringComparison.Ordinal));
        Assert.Contains(report.Tables, t => t.Title.StartsWith("Sensitivity", StringComparison.Ordinal));
        var charts = PlanCharts.Render(plan, json);
        var png = charts.Single(c => c.Name == "sensitivity.png").Png;
        Assert.Equal(0x89, png[0]);
        Assert.Equal((byte)'P', png[1]);
    }

    [Fact]
    public void A_move_the_plan_cannot_serve_marks_that_end_of_its_line_and_the_other_lines_stand()
    {
        // A replica that cannot serve prompts longer than the scenario's (as DeepSeek-V3.2's 32k prompts on Ascend 910C
        // x1.25 miss the TTFT target): the whole sensitivity failed with that move's error.
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var longest = scenario.Applications.Max(a => a.InputTokens);
        ReplicaCapacity Capacity(Suanli.StepTime.Deployment d, RequestMix mix, ServingTargets t) => mix.Input.Mean > longest * 1.1
            ? new ReplicaCapacity(0, 0, "ttft", false, [Suanli.Finding.Of(Suanli.Severity.Error, Suanli.Text.Phrase.Of("message", "{message}", ("message", "the prompts are too long for this replica.")))])
            : PlanTests.TestCapacity(d, mix, t);
        var memo = PlanRanges.Memoized(Capacity);
        var plan = Planner.Plan(scenario, memo);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 1));
        var result = Sensitivity.Of(plan, pricing, memo);
        var prompt = result.Lines[^1];
        Assert.Equal("Prompt length", prompt.Assumption);
        Assert.Null(prompt.UnservedDown);
        Assert.Contains("the prompts are too long for this replica.", prompt.UnservedUp!.English, StringComparison.Ordinal);
        Assert.StartsWith("Application 'knowledge-base' cannot be served as asked", prompt.UnservedUp.English, StringComparison.Ordinal);
        Assert.Null(prompt.DevicesUp);
        Assert.Null(prompt.CostUp);
        Assert.True(prompt.DevicesDown > 0);
        // Every other line moved both ends as before: peak load x0.75 never needs more devices than x1.25.
        Assert.All(result.Lines.SkipLast(1), l => Assert.False(l.Unserved, l.Assumption));
        Assert.True(result.Lines.Single(l => l.Assumption == "Peak load").DevicesUp >= result.Lines.Single(l => l.Assumption == "Peak load").DevicesDown);
        var warning = Assert.Single(result.Findings);
        Assert.Equal("sensitivity-move-unserved", warning.Code);
        Assert.StartsWith("Sensitivity: with 'Prompt length' moved up (x0.75 / x1.25) the plan cannot be served at this move; the plan as asked stands. Application 'knowledge-base'", warning.Message, StringComparison.Ordinal);
        Assert.StartsWith("敏感性：将提示长度上调（x0.75 / x1.25）后，方案在此调整下无法提供服务", warning.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core), StringComparison.Ordinal);

        // The table marks that end, in the reader's language; plan.json leaves its devices and cost null and names the end and why.
        var report = PlanReport.WithSensitivity(PlanReport.Build(plan, pricing), result);
        var row = report.Tables.Single(t => t.Title.StartsWith("Sensitivity", StringComparison.Ordinal)).Rows[^1];
        Assert.Equal($"{prompt.DevicesDown} / cannot be served at this move", row[2].Render(Suanli.Text.Languages.English));
        Assert.EndsWith(" / 此调整下无法服务", row[2].Render(Suanli.Text.Languages.Chinese), StringComparison.Ordinal);
        Assert.EndsWith(" / cannot be served at this move", row[3].Render(Suanli.Text.Languages.English), StringComparison.Ordinal);
        var json = ((PlanJson)report.Json).Sensitivity!.Lines[^1];
        Assert.Equal((prompt.DevicesDown, (int?)null, (decimal?)null), (json.DevicesDown, json.DevicesUp, json.CostPerMonthUp));
        var unserved = Assert.Single(json.Unserved);
        Assert.Equal(("up", prompt.UnservedUp.English), (unserved.End, unserved.Reason));
        Assert.Contains(((PlanJson)report.Json).Findings, f => f.Code == "sensitivity-move-unserved");
        Assert.Contains(report.Findings, f => f.Code == "sensitivity-move-unserved");
    }

    [Theory]
    [InlineData("peak_concurrency: 600", "peak_concurrency: 450", "peak_concurrency: 750", "Peak load")]
    [InlineData("input_tokens: 4000", "input_tokens: 3000", "input_tokens: 5000", "Prompt length")]
    [InlineData("output_tokens: 400", "output_tokens: 300", "output_tokens: 500", "Output length")]
    [InlineData("{ttft_p90_s: 2, tpot_p90_s: 0.05}", "{ttft_p90_s: 1.5, tpot_p90_s: 0.0375}", "{ttft_p90_s: 2.5, tpot_p90_s: 0.0625}", "Latency targets")]
    public void A_moved_line_gives_the_devices_of_planning_the_moved_file_with_the_same_model_and_layout(string now, string down, string up, string assumption)
    {
        // The replan of a moved assumption must be the plan of the moved scenario itself (a file with that value), held to
        // the expected plan's model and layout; where the moved file's own plan chooses that layout too, the device counts match.
        const string yaml = "hardware: h100\napplications:\n  - name: chat\n    model: Qwen/Qwen2.5-7B-Instruct\n    peak_concurrency: 600\n    input_tokens: 4000\n    output_tokens: 400\n    targets: {ttft_p90_s: 2, tpot_p90_s: 0.05}\n";
        var memo = PlanRanges.Memoized(PlanTests.TestCapacity);
        var scenario = ScenarioFile.Parse(yaml, "moved.yaml", CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, memo);
        var chosen = plan.Applications[0].Deployment;
        var line = Sensitivity.Of(plan, PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 1)), memo).Lines.Single(l => l.Assumption == assumption);
        foreach (var (moved, replanned) in new[] { (down, line.DevicesDown), (up, line.DevicesUp) })
        {
            Assert.Contains(now, yaml, StringComparison.Ordinal);
            var file = ScenarioFile.Parse(yaml.Replace(now, moved, StringComparison.Ordinal), "moved.yaml", CatalogFiles.Embedded);
            var kept = file with { Applications = [.. file.Applications.Select(a => a with { Models = [chosen.Model], PinnedLayout = chosen.Layout })] };
            var direct = Planner.Plan(kept, PlanTests.TestCapacity);
            Assert.Equal(chosen.Layout, direct.Applications[0].Deployment.Layout);
            Assert.Equal(direct.Fleet.Hardware.Sum(h => h.Devices), replanned);
            var free = Planner.Plan(file, PlanTests.TestCapacity);
            if (free.Applications[0].Deployment.Layout == chosen.Layout)
            {
                Assert.Equal(free.Fleet.Hardware.Sum(h => h.Devices), replanned);
            }
        }
    }
}
