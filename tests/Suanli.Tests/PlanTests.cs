using System.Text.Json;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Serving;
using Xunit;

namespace Suanli.Tests;

public class PlanTests
{
    private static Scenario Parse(string yaml) => ScenarioFile.Parse(yaml, "test.yaml", CatalogFiles.Embedded);

    private const string Minimal = "hardware: a100-80gb\napplications:\n  - name: kb\n    model: qwen2-72b\n    peak_concurrency: 50\n    input_tokens: 1024\n    output_tokens: 512\n";

    [Fact]
    public void Every_example_scenario_parses_and_plans_or_explains_why_not()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot(), "examples"), "*.yaml"))
        {
            var scenario = ScenarioFile.Load(file, CatalogFiles.Embedded);
            if (Path.GetFileName(file) == "c2-article-targets.yaml")
            {
                var ex = Assert.Throws<InputException>(() => Planner.Plan(scenario, TestCapacity));
                Assert.Contains("end-to-end target 2.00 s is below", ex.Message, StringComparison.Ordinal);
                continue;
            }
            var plan = Planner.Plan(scenario, TestCapacity);
            Assert.True(plan.Fleet.Hardware.Sum(h => h.Devices) >= 1, file);
        }
    }

    [Fact]
    public void Defaults_are_stated_never_silent()
    {
        var s = Parse(Minimal);
        Assert.Contains(s.Assumptions, a => a.English.StartsWith("currency = USD", StringComparison.Ordinal));
        Assert.Contains(s.Assumptions, a => a.English.Contains("profile = office-hours", StringComparison.Ordinal));
        Assert.Contains(s.Assumptions, a => a.English.Contains("targets = TTFT p90 2 s", StringComparison.Ordinal));
        Assert.Contains(s.Assumptions, a => a.English.StartsWith("rack = 12.5 kW", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_key_names_the_nearest_valid_key_with_file_line_and_column()
    {
        var ex = Assert.Throws<InputException>(() => Parse(Minimal.Replace("peak_concurrency", "peak_concurency", StringComparison.Ordinal)));
        Assert.Contains("test.yaml:5:5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'peak_concurrency'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    peak_concurrency: 50\n", "", "exactly one of 'peak_concurrency'")]
    [InlineData("    input_tokens: 1024\n", "    input_tokens: -5\n", "input_tokens: length must be a whole number of tokens from 1")]
    [InlineData("model: qwen2-72b", "model: qwen2-27b", "Did you mean 'qwen2-72b'")]
    [InlineData("hardware: a100-80gb", "hardware: a100-90gb", "Unknown hardware")]
    public void Missing_or_bad_fields_say_which_and_why(string find, string replace, string expected)
    {
        var ex = Assert.Throws<InputException>(() => Parse(Minimal.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_with_23_hours_is_refused_with_its_position()
    {
        var yaml = Minimal + "    profile: [" + string.Join(", ", Enumerable.Repeat("0.5", 23)) + "]\n";
        var ex = Assert.Throws<InputException>(() => Parse(yaml));
        Assert.Contains("24 hourly multipliers", ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml:8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_names_the_line()
    {
        var ex = Assert.Throws<InputException>(() => Parse("hardware: a100\napplications:\n  - name: [unclosed\n"));
        Assert.Contains("test.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_scenarios_are_accepted()
    {
        var s = Parse("{\"hardware\": \"a100-80gb\", \"applications\": [{\"name\": \"kb\", \"model\": \"qwen2-72b\", \"peak_rate\": 2, \"input_tokens\": 512, \"output_tokens\": 256}]}");
        Assert.Equal(DemandKind.Rate, s.Applications[0].Kind);
    }

    [Fact]
    public void The_plan_json_has_the_documented_fields()
    {
        var (code, output, _, _) = CliTests.Run("plan", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var app = doc.RootElement.GetProperty("applications")[0];
        foreach (var f in new[] { "replicasPeak", "devicesPeak", "utilisationAverage" })
        {
            Assert.True(app.TryGetProperty(f, out _), f);
        }
        var fleet = doc.RootElement.GetProperty("fleet");
        foreach (var f in new[] { "devices", "servers", "racks", "powerKw", "energyKwhPerDay", "strategies" })
        {
            Assert.True(fleet.TryGetProperty(f, out _), f);
        }
        var strategies = fleet.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("strategy").GetString()).ToList();
        Assert.Equal(["static", "autoscaled", "pooled"], strategies);
        Assert.All(fleet.GetProperty("strategies").EnumerateArray(), s => Assert.True(s.GetProperty("deviceHours").GetDouble() > 0));
    }

    [Fact]
    public void Plan_out_writes_the_report_files_and_nothing_for_an_invalid_scenario()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"suanli-plan-{Guid.NewGuid():N}");
        try
        {
            Assert.Equal(0, CliTests.Run("plan", "--out", dir).Code);
            foreach (var f in new[] { "report.md", "plan.json", "plan.xlsx", "replicas-and-utilisation.png", "power.png", "strategies.png" })
            {
                Assert.True(new FileInfo(Path.Combine(dir, f)).Length > 100, f);
            }
            Assert.Empty(Directory.GetFiles(dir, ".tmp-*"));
            var bad = Path.Combine(Path.GetTempPath(), $"suanli-bad-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(bad, "hardware: a100-80gb\napplications: []\n");
            var empty = Path.Combine(dir, "second");
            Assert.Equal(2, CliTests.Run("plan", bad, "--out", empty).Code);
            Assert.False(Directory.Exists(empty));
            File.Delete(bad);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public void The_articles_one_copy_per_request_estimate_is_shown_beside_the_plan()
    {
        var plan = Planner.Plan(ScenarioFile.LoadDefault(CatalogFiles.Embedded), TestCapacity);
        var kb = plan.Applications.Single();
        // 50 concurrent requests, one copy each; 1.2 x 145.4 GB / 85.9 GB per A100 -> 3 devices per copy.
        Assert.Equal(50, kb.ArticleCopies);
        Assert.Equal(3, kb.ArticleDevicesPerCopy);
        Assert.True(kb.DevicesPeak < kb.ArticleDevices);
    }

    [Fact]
    public void An_application_that_cannot_meet_its_targets_is_an_error_finding_and_the_others_are_still_planned()
    {
        var yaml = Minimal + "  - name: too-fast\n    model: qwen2-72b\n    peak_concurrency: 5\n    input_tokens: 1024\n    output_tokens: 512\n    targets: {e2e_p90_s: 2}\n";
        var plan = Planner.Plan(Parse(yaml), TestCapacity);
        Assert.Equal("kb", Assert.Single(plan.Applications).Application.Name);
        var error = Assert.Single(plan.Findings, f => f.Severity == Suanli.Severity.Error);
        Assert.Contains("'too-fast' cannot be served", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_schema_lists_exactly_the_keys_the_reader_accepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "scenario.schema.json")));
        var root = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(ScenarioFile.RootKeys.Order().ToList(), root);
        var app = schema.RootElement.GetProperty("properties").GetProperty("applications").GetProperty("items").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(ScenarioFile.ApplicationKeys.Order().ToList(), app);
    }

    internal static ReplicaCapacity TestCapacity(Suanli.StepTime.Deployment d, RequestMix mix, ServingTargets targets) =>
        SimulatedReplicaCapacity.Provider(Suanli.StepTime.Roofline.Instance, 300)(d, mix, targets);

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Suanli.slnx")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }
        return dir;
    }
}

public class PlanAgreesWithServingTests
{
    [Theory]
    [InlineData("c1-72b-on-a100.yaml")]
    [InlineData("c2-knowledge-base.yaml")]
    [InlineData("c2-two-applications.yaml")]
    [InlineData("c2-call-intent-7b.yaml")]
    [InlineData("c3-chatglm2-6b.yaml")]
    [InlineData("c5-consumer-chatbot.yaml")]
    [InlineData("c7-rack-8b-on-cpu.yaml")]
    public void The_planned_replica_capacity_is_what_the_serving_search_finds_and_the_peak_hour_meets_the_targets(string example)
    {
        var model = Suanli.StepTime.Roofline.Instance;
        var scenario = ScenarioFile.Load(Path.Combine(PlanTests.RepoRoot(), "examples", example), CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, SimulatedReplicaCapacity.Provider(model, 300));
        foreach (var app in plan.Applications)
        {
            var a = app.Application;
            var direct = SimulatedReplicaCapacity.Run(model, app.Deployment, new RequestMix(a.InputDistribution, a.OutputDistribution, a.Kind), a.Targets, 300);
            Assert.Equal(direct.MaxRequestsPerSecond, app.Capacity.MaxRequestsPerSecond);

            // At the peak hour each replica carries at most its capacity; simulating that load directly, with the engine
            // settings the plan runs (llama.cpp's slots sized to the memory) and its users' staggered start, meets every target.
            var perReplica = a.Peak * a.Profile.Peak / app.ReplicasPeak;
            var clients = Math.Max(1, (int)Math.Floor(perReplica));
            var workload = a.Kind == DemandKind.Concurrency
                ? Suanli.Serving.Workload.ClosedLoop(clients, a.InputDistribution, a.OutputDistribution, requests: Math.Max(300, Suanli.Serving.Workload.StaggeredRequestsPerClient * clients))
                    with { Start = Suanli.Serving.ClientStart.Staggered }
                : Suanli.Serving.Workload.Poisson(perReplica, a.InputDistribution, a.OutputDistribution, requests: 300);
            var targets = new Suanli.Serving.ServingTargets(a.Targets.Ttft, a.Targets.Tpot, a.Targets.E2e);
            var run = Suanli.Serving.ServingSimulator.Run(app.Deployment, workload, Suanli.Serving.EngineConfig.Planned(app.Deployment, a.InputDistribution.Mean + a.OutputDistribution.Mean), model, targets);
            Assert.Null(Suanli.Serving.CapacitySearch.Failing(run, targets, a.Kind == DemandKind.Rate ? perReplica : null));
            if (a.Kind == DemandKind.Concurrency)
            {
                // The requests the plan counts for that load (the curve's end-to-end time there, interpolated between the
                // lone request and the search's probes) are the simulated loop's by Little's law (clients / its mean
                // end-to-end time), within 5%. (The run's completions over its window count fewer: its last requests drain.)
                var counted = app.Capacity.RequestsPerSecondAt(clients);
                var simulated = clients / run.E2e.Mean.Value;
                Assert.True(Math.Abs(counted / simulated - 1) < 0.05, $"{example}: {counted} requests/s counted, {simulated} simulated at {clients} clients");
            }
        }
    }
}

public class PlanCostTests
{
    [Fact]
    public void Renting_bills_each_strategys_device_hours_at_the_cheapest_on_demand_rent()
    {
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 11, 23));
        var costs = PlanCosts.Of(plan, pricing);
        Assert.Equal(Suanli.Quantities.Currency.Cny, pricing.Currency);
        foreach (var c in costs)
        {
            var s = plan.Fleet.Of(c.Strategy);
            var expected = pricing.Rent!.PerDeviceHour.Amount * (decimal)(s.DeviceHoursPerDay * Suanli.Cost.CostCalendar.DaysPerMonth);
            Assert.Equal(decimal.Round(expected, 2), decimal.Round(c.Rent!.PerMonth.Amount, 2));
        }
        // Fewer device-hours never cost more to rent.
        Assert.True(costs.Single(c => c.Strategy == Strategy.Autoscaled).Rent!.PerMonth <= costs.Single(c => c.Strategy == Strategy.Static).Rent!.PerMonth);
    }

    // One request in flight fits one single-A100-40GB replica: the peak fleet is one device at every strategy.
    // rent_term is on line 3, its value at column 12.
    private const string ReservedScenario = "name: reserved\ncurrency: USD\nrent_term: reserved-1y\nhardware: nvidia-a100-sxm4-40gb\ndevices_per_replica: 1\n"
        + "applications:\n  - name: chat\n    model: Qwen/Qwen2.5-7B-Instruct\n    peak_concurrency: 1\n    input_tokens: 512\n    output_tokens: 128\n";

    [Fact]
    public void A_scenario_rent_term_of_reserved_1y_bills_every_hour_of_the_month_for_the_peak_fleet_at_the_1y_price()
    {
        var scenario = ScenarioFile.Parse(ReservedScenario, "reserved.yaml", CatalogFiles.Embedded);
        Assert.Equal(Suanli.Cost.RentTerm.Reserved1Y, scenario.RentTerm);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 4));
        // The cheapest 1-year row for the A100 40GB: China Telecom Cloud's p8a.6xlarge.4, 10,229.09 CNY a month x 0.85 / 730 =
        // 11.9106 CNY an hour, 1.70497 USD at 6.9858 CNY per USD (AWS China's p4d.24xlarge is 13.7002 CNY, Google Cloud's
        // a2-highgpu-1g committed use 2.3878 USD).
        Assert.Equal("China Telecom Cloud (CTyun)", pricing.Rent!.Provider);
        Assert.Equal(1.70497m, decimal.Round(pricing.Rent.PerDeviceHour.Amount, 5));
        Assert.Contains(pricing.Findings, f => f.Code == "rent-used" && f.Message.Contains("billed for every hour", StringComparison.Ordinal));
        foreach (var c in PlanCosts.Of(plan, pricing))
        {
            Assert.Equal(1, plan.Fleet.Of(c.Strategy).DevicesPeak);
            // 1 device x 730 h x 11.9106 CNY / 6.9858 = 1,244.63 USD a month, for every strategy: a commitment is paid
            // for the hours an autoscaled fleet would leave idle too.
            Assert.Equal(1244.63m, decimal.Round(c.Rent!.PerMonth.Amount, 2));
        }
        // The search prices the same term unless candidates.rent_term overrides it.
        Assert.Equal(Suanli.Cost.RentTerm.Reserved1Y, ScenarioFile.ParseSearch(ReservedScenario, "reserved.yaml", CatalogFiles.Embedded).Candidates.RentTerm);
        // Without the key the plan chooses the term (RentChoiceTests): the on-demand row is offered beside the reserved ones.
        var unpinned = ScenarioFile.Parse(ReservedScenario.Replace("rent_term: reserved-1y\n", "", StringComparison.Ordinal), "od.yaml", CatalogFiles.Embedded);
        Assert.Null(unpinned.RentTerm);
        var offered = PlanPricing.From(unpinned, PriceFiles.Embedded, new DateOnly(2026, 12, 4));
        Assert.Equal(Suanli.Cost.RentTerm.OnDemand, offered.Rent!.Term);
        Assert.Equal([Suanli.Cost.RentTerm.Reserved1Y, Suanli.Cost.RentTerm.Reserved3Y], offered.Reserved.Select(r => r.Term).ToArray());
    }

    [Fact]
    public void An_unknown_scenario_rent_term_is_an_error_at_its_line_listing_the_terms()
    {
        var ex = Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(ReservedScenario.Replace("reserved-1y", "1y", StringComparison.Ordinal), "reserved.yaml", CatalogFiles.Embedded));
        Assert.Equal("reserved.yaml:3:12: Unknown rent term '1y'; use on-demand, reserved-1y, reserved-3y or spot.", ex.Message);
    }

    [Fact]
    public void A_reserved_term_for_a_device_with_only_on_demand_rent_leaves_renting_out_with_a_warning()
    {
        var scenario = ScenarioFile.Parse(ReservedScenario.Replace("nvidia-a100-sxm4-40gb", "nvidia-l4", StringComparison.Ordinal), "l4.yaml", CatalogFiles.Embedded);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 4));
        Assert.Null(pricing.Rent);
        Assert.Contains(pricing.Findings, f => f.Code == "no-rent-for-term");
        Assert.DoesNotContain(pricing.Findings, f => f.Code.StartsWith("no-rent-price", StringComparison.Ordinal));
    }

    [Fact]
    public void Owning_amortises_the_peak_devices_over_the_catalog_lifetime()
    {
        var scenario = ScenarioFile.LoadDefault(CatalogFiles.Embedded);
        var plan = Planner.Plan(scenario, PlanTests.TestCapacity);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 11, 23));
        var own = PlanCosts.Of(plan, pricing).Single(c => c.Strategy == Strategy.Static).Own!;
        var devices = plan.Fleet.Of(Strategy.Static).DevicesPeak;
        Assert.Equal(pricing.DevicePrice!.Value.Amount * devices, own.Upfront.Amount);
        var capexLine = own.Lines.Single(l => l.Part.StartsWith("capex", StringComparison.Ordinal));
        Assert.Equal(decimal.Round(own.Upfront.Amount / (decimal)(pricing.AmortisationYears * 12), 2), decimal.Round(capexLine.PerMonth.Amount, 2));
    }

    [Fact]
    public void The_plan_json_carries_costs_per_strategy_in_the_scenarios_currency()
    {
        var (code, output, _, _) = CliTests.Run("plan", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var costs = doc.RootElement.GetProperty("costs");
        Assert.Equal("CNY", costs.GetProperty("currency").GetString());
        Assert.Equal(3, costs.GetProperty("strategies").GetArrayLength());
        Assert.All(costs.GetProperty("strategies").EnumerateArray(), s => Assert.True(s.GetProperty("rent").GetProperty("perMonth").GetDecimal() > 0));
    }
}
