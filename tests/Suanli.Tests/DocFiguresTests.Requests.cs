using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Xunit;

namespace Suanli.Tests;

public sealed partial class DocFiguresTests
{
    // The web page's default scenario (src/Suanli.Web/wwwroot/js/state.js, DEFAULTS and scenarioOf).
    private const string WebDefault = "name: web default\ncurrency: CNY\ntime_zone: UTC\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n"
        + "    model: qwen2.5-7b-instruct\n    peak_concurrency: 50\n    input_tokens: 1024\n    output_tokens: 256\n    targets: {ttft_p90_s: 2, tpot_p90_s: 0.1}\n    profile: office-hours\n";

    [Fact]
    public void The_fleet_page_quotes_the_web_defaults_requests_a_month_at_its_own_load_and_at_the_capacity_point()
    {
        var plan = Planner.Plan(ScenarioFile.Parse(WebDefault, "web.yaml", CatalogFiles.Embedded), SimulatedReplicaCapacity.Provider(CalibrationFiles.Default));
        var app = plan.Applications.Single();
        var loop = app.Capacity.Loop!;
        var perMonth = PlanCosts.RequestsPerDay(app) * Cost.CostCalendar.DaysPerMonth;
        // The same clients at the capacity point's rate per client: every hour's clients x rate / clients at capacity.
        var atCapacity = Enumerable.Range(0, 24).Sum(h => app.Application.Peak * app.Application.Profile.Hours[h] * app.Capacity.MaxRequestsPerSecond / app.Capacity.MaxConcurrency * 3600) * Cost.CostCalendar.DaysPerMonth;
        var sentence = $"The web default's 50 users on one H100 carrying {app.Capacity.MaxConcurrency:0} staggered\nclients would have sent {atCapacity / 1e6:0.00}M requests a month at the capacity point's {loop.E2eAt(app.Capacity.MaxConcurrency).Value:0.0} s; they send {perMonth / 1e6:0.0}M at their own load\n({loop.E2eAt(50).Value:0.0} s at 50 clients, {loop.Points[0].E2e.Value:0.0} s alone).";
        Assert.Equal(1, app.ReplicasPeak);
        Assert.Contains(sentence, Read("docs", "methodology-fleet.md"), StringComparison.Ordinal);
    }
}
