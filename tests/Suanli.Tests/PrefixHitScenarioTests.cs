using Suanli.Catalog;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A scenario application's <c>prefix_hit_rate</c> (issue 11): the share of each prompt the engine's prefix cache holds,
/// simulated in plan and optimize as <c>simulate</c> and <c>capacity</c> simulate <c>--prefix-hit-rate</c>.
/// </summary>
public class PrefixHitScenarioTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // Llama-3.1-8B on one H100 at a 2,048-token prompt, where prefill is a large share of each request; the key goes on line 9.
    private const string Chat = "hardware: h100\ndevices_per_replica: 1\napplications:\n  - name: chat\n    model: llama-3.1-8b\n    peak_rate: 5\n"
        + "    input_tokens: 2048\n    output_tokens: 128\n";

    private static Scenario Parse(string yaml) => ScenarioFile.Parse(yaml, "prefix.yaml", Catalog);

    private static ApplicationPlan PlanOne(double hit, CapacityProvider? capacity = null) =>
        Assert.Single(Planner.Plan(Parse(Chat + $"    prefix_hit_rate: {hit.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n"), capacity ?? PlanTests.TestCapacity).Applications);

    [Fact]
    public void A_scenarios_prefix_hit_rate_gives_the_replica_capacity_that_capacity_gives_with_the_option()
    {
        var app = PlanOne(0.6);
        Assert.Equal(0.6, app.Application.Caps.PrefixHitRate);
        Assert.Equal(0.6, app.Engine.PrefixCacheHitRate);
        // The same case as 'suanli capacity --model llama-3.1-8b --hardware h100 --input 2048 --output 128 --ttft-p90 2
        // --tpot-p90 0.1 --prefix-hit-rate 0.6 --requests 300' (the plan's probe size in tests) on the same step-time model.
        var inputs = new ServingInputs
        {
            Model = "llama-3.1-8b", Hardware = "h100", Input = "2048", Output = "128", Requests = 300,
            Targets = new() { TtftP90 = 2, TpotP90 = 0.1 }, EngineSettings = new EngineInputs { PrefixHitRate = 0.6 },
        };
        var capacity = (CapacityJson)ServingRun.Capacity(inputs, "rate", Catalog, Roofline.Instance).Json;
        Assert.NotNull(capacity.MaxRequestsPerSecond);
        Assert.Equal(capacity.MaxRequestsPerSecond!.Value, app.Capacity.MaxRequestsPerSecond, 9);
        // And the option left out is the key left out.
        var without = (CapacityJson)ServingRun.Capacity(inputs with { EngineSettings = new EngineInputs() }, "rate", Catalog, Roofline.Instance).Json;
        Assert.Equal(without.MaxRequestsPerSecond!.Value, Assert.Single(Planner.Plan(Parse(Chat), PlanTests.TestCapacity).Applications).Capacity.MaxRequestsPerSecond, 9);
    }

    [Fact]
    public void More_prefix_hits_never_lower_a_replicas_capacity()
    {
        // On the calibrated step times a plan uses. (On the bare roofline this replica is limited by throughput at 60 to
        // 75 requests/s, where a 300-request probe's throughput check is coarse enough to rank 0.95 below 0.75.)
        var calibrated = SimulatedReplicaCapacity.Provider(CalibrationFiles.Default, 300);
        var rates = new[] { 0.0, 0.25, 0.5, 0.75, 0.9, 0.95 }.Select(h => (Hit: h, Rate: PlanOne(h, calibrated).Capacity.MaxRequestsPerSecond)).ToList();
        for (var i = 1; i < rates.Count; i++)
        {
            Assert.True(rates[i].Rate >= rates[i - 1].Rate, $"prefix_hit_rate {rates[i].Hit} carries {rates[i].Rate} requests/s, below {rates[i - 1].Rate} at {rates[i - 1].Hit}");
        }
        // A prompt 95% cached prefills about 103 tokens instead of 2,048: the replica carries more, not the same.
        Assert.True(rates[^1].Rate > rates[0].Rate * 1.05, $"{rates[^1].Rate} vs {rates[0].Rate}");
    }

    [Fact]
    public void Optimize_simulates_the_prefix_hits_and_its_bound_still_bounds_the_capacity()
    {
        const string yaml = "name: one\ncurrency: USD\ncandidates: {hardware: [h100], precisions: [bf16], devices_per_replica: [1], cost: rent}\n"
            + "applications:\n  - name: chat\n    model: llama-3.1-8b\n    peak_rate: 4\n    input_tokens: 2048\n    output_tokens: 128\n";
        double Cheapest(string extra, out IReadOnlyList<Finding> findings)
        {
            var (scenario, settings) = ScenarioFile.ParseSearch(yaml + extra, "one.yaml", Catalog);
            var pricing = Suanli.Cost.PriceSelection.Resolve(settings.Hardware!, PriceFiles.Embedded, scenario.Currency, settings.Tariff, new DateOnly(2026, 11, 23));
            var app = ScenarioSearch.Run(scenario, settings, pricing.Devices, Roofline.Instance, new ScenarioSearchOptions { RequestsPerProbe = 300 }).Applications[0];
            findings = app.Search.Findings;
            return app.Cheapest!.Cost.Capacity.MaxRequestsPerSecond;
        }
        var plain = Cheapest("", out _);
        var cached = Cheapest("    prefix_hit_rate: 0.9\n", out var findings);
        Assert.True(cached > plain, $"{cached} vs {plain}");
        // The analytic bound prefills only the uncached tokens too, so the simulated capacity stays under it.
        Assert.DoesNotContain(findings, f => f.Code.StartsWith("bound-violated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-0.1", "applications[0].prefix_hit_rate is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got -0.1.")]
    [InlineData("1.5", "applications[0].prefix_hit_rate is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got 1.5.")]
    [InlineData("most", "'applications[0].prefix_hit_rate' must be a number, got 'most'; write digits with a point, e.g. 0.5 or 1e6.")]
    public void A_bad_prefix_hit_rate_is_an_error_at_its_key_with_file_line_and_column(string value, string message)
    {
        // The value starts after "    prefix_hit_rate: " (column 22) on line 9.
        CliTests.PlanFailsAt(TempFiles.Write("prefix.yaml", Chat + "    prefix_hit_rate: " + value + "\n"), 9, 22, message);
    }

    [Fact]
    public void A_prefix_hit_rate_error_reads_in_chinese_with_the_scenario_key()
    {
        var e = Assert.Throws<InputException>(() => Parse(Chat + "    prefix_hit_rate: 2\n"));
        Assert.Equal("applications[0].prefix_hit_rate 是每个提示词由前缀缓存命中的比例，取 0 到 1（0.6 = 60%，共享的系统提示词），实际为 2。",
            e.Text!.Render(Languages.Chinese, FieldNames.Core));
    }
}
