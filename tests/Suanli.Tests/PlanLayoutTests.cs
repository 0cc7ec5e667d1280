using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Runs;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// One question, one number: <c>plan</c>, <c>optimize</c> and <c>compare</c> search the same replica layouts
/// (<see cref="Layouts.OfReplica"/>) with the same capacity search, so "how many devices" has one answer.
/// </summary>
public class PlanLayoutTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly IStepTimeModel Model = CalibrationFiles.Default;
    private static readonly DateOnly Day = new(2026, 11, 23);

    private static string Yaml(string hardware, string model, string precision, double rate, int input, int output) =>
        $"name: layouts\ncurrency: USD\nhardware: {hardware}\napplications:\n  - name: chat\n    model: {model}\n    precision: {precision}\n"
        + $"    peak_rate: {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n    input_tokens: {input}\n    output_tokens: {output}\n    profile: flat\n";

    private static PlanResult Plan(string yaml) =>
        Planner.Plan(ScenarioFile.Parse(yaml, "layouts.yaml", Catalog), SimulatedReplicaCapacity.Provider(Model), SimulatedReplicaCapacity.Bound(Model));

    private static CostedPlan Optimize(string yaml)
    {
        var (scenario, settings) = ScenarioFile.ParseSearch(yaml, "layouts.yaml", Catalog);
        var pricing = PriceSelection.Resolve(settings.Hardware ?? [scenario.Device], PriceFiles.Embedded, scenario.Currency, settings.Tariff, Day);
        return Assert.Single(ScenarioSearch.Run(scenario, settings, pricing.Devices, Model).Applications).Cheapest!;
    }

    private static readonly Lazy<(PlanResult Plan, CostedPlan Optimized)> Qwen35OnH20 = new(() =>
    {
        // Issue 11's question: Qwen3.5-397B-A17B (FP8: in BF16 its 740 GiB of weights fill no 8-device H20 server) at 20
        // requests/s with the default targets (TTFT p90 2 s, TPOT p90 100 ms). plan answered with 8 x TP=8 replicas,
        // 248 H20s; optimize with TP=1 PP=8 and 112.
        var yaml = Yaml("nvidia-h20", "qwen3.5-397b-a17b", "fp8", 20, 1024, 512);
        return (Plan(yaml), Optimize(yaml));
    });

    [Fact]
    public void Plan_needs_no_more_h20s_than_optimize_for_qwen35_397b()
    {
        var (plan, optimized) = Qwen35OnH20.Value;
        var app = Assert.Single(plan.Applications);
        Assert.True(app.DevicesPeak <= optimized.Cost.DevicesPeak, $"plan {app.DevicesPeak} ({app.Deployment.Layout}) vs optimize {optimized.Cost.DevicesPeak} ({optimized.Plan.Candidate.Layout})");
        // Per device, plan's layout carries at least what optimize's cheapest does: optimize's layout is among plan's.
        Assert.True(app.Capacity.MaxRequestsPerSecond / app.Deployment.Layout.Devices >= optimized.Cost.Capacity.MaxRequestsPerSecond / optimized.Plan.Candidate.DevicesPerReplica * 0.9999);
        // No more pure tensor parallel on the whole server: 8 x TP=8 carried 0.78 requests/s per replica.
        Assert.NotEqual(new Layout(8, 1, 8), app.Deployment.Layout);
    }

    [Fact]
    public void Plan_and_optimize_find_the_same_capacity_for_the_same_layout()
    {
        // The same function sizes a replica for both: plan's capacity search on optimize's chosen deployment is optimize's figure.
        var (plan, optimized) = Qwen35OnH20.Value;
        var app = Assert.Single(plan.Applications);
        var mix = new RequestMix(app.Application.InputDistribution, app.Application.OutputDistribution, app.Application.Kind) { Caps = app.Application.Caps };
        var again = SimulatedReplicaCapacity.Provider(Model)(optimized.Plan.Candidate.Deployment, mix, app.Application.Targets);
        Assert.Equal(optimized.Cost.Capacity.MaxRequestsPerSecond, again.MaxRequestsPerSecond, 9);
    }

    [Fact]
    public void Plan_names_its_layout_and_why_in_the_table_and_the_json()
    {
        var (plan, _) = Qwen35OnH20.Value;
        var app = Assert.Single(plan.Applications);
        var report = PlanReport.Build(plan);
        var json = Assert.Single(((PlanJson)report.Json).Applications).Layout;
        var layout = app.Deployment.Layout;
        Assert.Equal((layout.Tp, layout.Pp, layout.Ep, layout.AttentionDp, layout.Devices), (json.Tp, json.Pp, json.Ep, json.AttentionDp, json.Devices));
        Assert.Equal(LayoutChoice.MostPerDevice, json.Reason);
        // Every TP x PP split and data-parallel attention on 1, 2, 4 and 8 H20s and on the fewest that fit; some are
        // skipped by the bound, so fewer are simulated than fit.
        Assert.True(json.LayoutsThatFit > 1 && json.LayoutsSimulated >= 1 && json.LayoutsSimulated <= json.LayoutsThatFit, $"{json.LayoutsSimulated} of {json.LayoutsThatFit}");
        var why = Assert.Single(plan.Findings, f => f.Text?.Key == "layout-chosen");
        Assert.Contains(layout.ToString(), why.Message, StringComparison.Ordinal);
        Assert.Contains(report.Tables, t => t.Rows.Any(r => r.Any(c => c.Render(Suanli.Text.Languages.English).Contains(layout.ToString(), StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("a100-80gb", "qwen2-72b", "bf16", 6, 1024, 512)]
    [InlineData("h20", "qwen3-30b-a3b", "bf16", 30, 2048, 256)]
    [InlineData("h100", "llama-3.1-8b", "bf16", 40, 1024, 256)]
    [InlineData("h100", "qwen3-235b-a22b", "fp8", 10, 1024, 512)]
    public void Plan_never_needs_more_devices_than_optimize_for_the_same_application(string hardware, string model, string precision, double rate, int input, int output)
    {
        // optimize's default space (1, 2, 4, 8 devices per replica, every layout) is within plan's on an 8-device server,
        // and both size replicas with the same capacity search; plan keeps the most demand per device.
        var yaml = Yaml(hardware, model, precision, rate, input, output);
        var app = Assert.Single(Plan(yaml).Applications);
        var optimized = Optimize(yaml);
        Assert.True(app.DevicesPeak <= optimized.Cost.DevicesPeak, $"plan {app.DevicesPeak} ({app.Deployment.Layout}) vs optimize {optimized.Cost.DevicesPeak} ({optimized.Plan.Candidate.Layout})");
        if (app.Deployment.Layout == optimized.Plan.Candidate.Layout)
        {
            Assert.Equal(optimized.Cost.DevicesPeak, app.DevicesPeak);
        }
    }

    [Fact]
    public void Compare_sizes_a_self_hosted_replica_with_plans_capacity()
    {
        // compare's workload (3 requests/s mean, 500 in / 200 out, TTFT p90 2 s, TPOT p90 0.1 s) as a one-application plan
        // on a flat day: the same layout and requests/s per replica, not an analytic formula beside a simulation.
        const double perMonth = 3 * CostCalendar.SecondsPerMonth;
        var (_, report) = CompareRun.Run(new CompareInputs { RequestsPerMonth = perMonth, Models = ["qwen2-72b"], Hardware = ["a100-80gb"], SelfHost = "rent", Today = Day },
            PriceFiles.Embedded, Catalog, Model);
        var sized = Assert.Single(report.Findings, f => f.Text?.Key == "replica-capacity#simulated").Text!.EnglishArgs;
        var plan = Assert.Single(Plan(Yaml("a100-80gb", "qwen2-72b", "bf16", 3, 500, 200)
            .Replace("profile: flat", "profile: flat\n    targets: {ttft_p90_s: 2, tpot_p90_s: 0.1}", StringComparison.Ordinal)).Applications);
        Assert.Equal(plan.Deployment.Layout.ToString(), sized["layout"]);
        Assert.Equal(plan.Capacity.MaxRequestsPerSecond.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), sized["capacity"]);
    }
}
