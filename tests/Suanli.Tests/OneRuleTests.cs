using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Serving;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Rules that exist once: the server for a device, the stale-price finding, and the planner page's query filling
/// the same typed scenario as the scenario file it downloads.
/// </summary>
public sealed class OneRuleTests
{
    private static readonly Suanli.Catalog.SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Default_server_is_the_catalogs_largest_for_the_device_else_a_generic_node()
    {
        var h100 = Catalog.Device("nvidia-h100-sxm5-80gb");
        var largest = Catalog.ServersFor(h100).MaxBy(s => s.DevicesPerNode)!;
        Assert.Equal(largest.Id, FleetPlanner.DefaultServer(Catalog, h100).Id);
        Assert.False(FleetPlanner.IsGeneric(FleetPlanner.DefaultServer(Catalog, h100), h100));
        // Without a catalog (the optimizer's fallback) the rule gives the generic node.
        Assert.Equal(FleetPlanner.GenericServer(h100).Id, FleetPlanner.DefaultServer(null, h100).Id);
        var bare = Catalog.Devices.First(d => Catalog.ServersFor(d).Count == 0);
        Assert.True(FleetPlanner.IsGeneric(FleetPlanner.DefaultServer(Catalog, bare), bare));
    }

    [Fact]
    public void Default_server_is_the_largest_that_fits_the_rack_so_910c_gets_its_8_card_server_in_a_common_rack()
    {
        var ascend = Catalog.Device("910c");
        // Atlas 800T A3: 8 x 910C, 11.5 kW, 8U (catalog/hardware/servers.yaml) fits the 12.5 kW, 42U rack once.
        var inCommonRack = FleetPlanner.DefaultServer(Catalog, ascend, Rack.Default);
        Assert.Equal("atlas-800t-a3", inCommonRack.Id);
        Assert.Equal(8, inCommonRack.DevicesPerNode);
        Assert.True(Rack.Default.Holds(inCommonRack));
        // CloudMatrix 384 (560 kW, 672U) is the default only in a rack sized for it, and without a rack.
        var supernodeRack = new Rack(Power.FromKilowatts(600), 700, 1.3);
        Assert.Equal("cloudmatrix-384", FleetPlanner.DefaultServer(Catalog, ascend, supernodeRack).Id);
        Assert.Equal("cloudmatrix-384", FleetPlanner.DefaultServer(Catalog, ascend).Id);
        // No server fits a 5 kW rack: the largest is kept, and the rack check reports it.
        Assert.Equal("cloudmatrix-384", FleetPlanner.DefaultServer(Catalog, ascend, new Rack(Power.FromKilowatts(5), 42, 1.3)).Id);
    }

    [Fact]
    public void A_one_application_scenario_on_910c_in_the_default_rack_plans_end_to_end()
    {
        const string yaml = "hardware: 910c\napplications:\n  - name: chat\n    model: qwen3-32b\n    peak_concurrency: 8\n    input_tokens: 2048\n    output_tokens: 512\n";
        var scenario = ScenarioFile.Parse(yaml, "test.yaml", Catalog);
        Assert.Equal("atlas-800t-a3", scenario.Server.Id);
        var (plan, report) = PlanReport.Run(scenario, SimulatedReplicaCapacity.Provider(CalibrationFiles.Default, 200),
            PriceFiles.Embedded, new DateOnly(2026, 12, 5), IntervalFiles.Embedded);
        var fleet = Assert.Single(plan.Fleet.Hardware);
        Assert.Equal(1, fleet.ServersPerRack);
        Assert.True(fleet.Racks >= 1);
        var json = ReportText.Json(report);
        Assert.Contains("atlas-800t-a3", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenarios_server_for_another_device_follows_the_same_rule()
    {
        var scenario = ScenarioFile.LoadDefault(Catalog);
        var other = Catalog.Devices.First(d => !string.Equals(d.Id, scenario.Device.Id, StringComparison.OrdinalIgnoreCase) && Catalog.ServersFor(d).Count > 0);
        Assert.Same(scenario.Server, scenario.ServerFor(Catalog)(scenario.Device));
        Assert.Equal(FleetPlanner.DefaultServer(Catalog, other).Id, scenario.ServerFor(Catalog)(other).Id);
        Assert.Equal(FleetPlanner.GenericServer(other).Id, scenario.ServerFor(null)(other).Id);
    }

    [Fact]
    public void Stale_price_finding_states_the_date_and_age_and_a_year_to_the_day_is_not_stale()
    {
        var today = new DateOnly(2026, 3, 1);
        // 2025-01-01 to 2026-03-01: 365 + 31 + 28 = 424 days.
        var used = new List<(Suanli.Text.Phrase Name, Provenance P)>
        {
            (StalePrices.RentName("X", "h100", RentTerm.OnDemand), new Provenance("a", new DateOnly(2025, 1, 1))),
            (StalePrices.RentName("X", "h100", RentTerm.OnDemand), new Provenance("a", new DateOnly(2025, 1, 1))),
            (StalePrices.TariffName("Y"), new Provenance("b", new DateOnly(2025, 3, 1))),
        };
        var findings = StalePrices.Of(used, today).ToList();
        var only = Assert.Single(findings);
        Assert.Equal("stale-price", only.Code);
        Assert.Equal("rent X h100 is dated 2025-01-01, 424 days before 2026-03-01: more than a year old.", only.Message);
        // The entry's kind is a word of the reader's language: the Chinese page must not say 'rent'.
        Assert.Equal("X 的 h100 租金的日期为 2025-01-01，比 2026-03-01 早 424 天：已超过一年。",
            only.Text!.Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core));
        // The term in words, as the page writes it (预留 3 年), not its id.
        Assert.Equal("X 的 h100 预留 3 年租金", StalePrices.RentName("X", "h100", RentTerm.Reserved3Y).Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core));
        Assert.EndsWith("old. Check current prices before relying on it.", StalePrices.Of(used, today, advise: true).Single().Message, StringComparison.Ordinal);
        Assert.Null(StalePrices.Table(Suanli.Text.Phrase.Of("table#tariff", "tariff"), [(used[2].Name.English, used[2].P)], today));
        Assert.StartsWith("1 rent entry is more than a year old on 2026-03-01: rent X h100 (2025-01-01); the oldest is 424 days old.",
            StalePrices.Table(Suanli.Text.Phrase.Of("table#rent", "rent"), [(used[0].Name.English, used[0].P)], today)!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, DemandKind, double, int?> Queries() => new()
    {
        { "nvidia-h100-sxm5-80gb", DemandKind.Concurrency, 40, null },
        { "nvidia-a100-sxm4-80gb", DemandKind.Rate, 2.5, 2 },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Query_scenario_is_the_one_its_downloaded_file_reads_back(string hardware, DemandKind kind, double peak, int? perReplica)
    {
        var query = new QuickScenario(Catalog.Model("qwen2.5-7b-instruct"), Catalog.Device(hardware), NumberFormat.Bf16, NumberFormat.Bf16, perReplica, kind, peak,
            1024, 256, Duration.FromSeconds(2), Duration.FromSeconds(0.1), Suanli.Fleet.TrafficProfile.OfficeHours, Currency.Cny);
        var direct = query.ToScenario("planner page", Catalog);
        var read = ScenarioFile.Parse(query.ToYaml(), "planner page", Catalog);
        Assert.Equal(read.Assumptions.Select(a => a.English), direct.Assumptions.Select(a => a.English));
        Assert.Equal(ReportText.Json(PlanReport.Build(Planner.Plan(read, PlanTests.TestCapacity))), ReportText.Json(PlanReport.Build(Planner.Plan(direct, PlanTests.TestCapacity))));
    }

    [Fact]
    public void Query_scenario_takes_the_files_target_limit_of_a_day()
    {
        var slow = new QuickScenario(Catalog.Model("qwen2.5-7b-instruct"), Catalog.Device("nvidia-h100-sxm5-80gb"), NumberFormat.Bf16, NumberFormat.Bf16, null,
            DemandKind.Rate, 1, 1024, 256, Duration.FromSeconds(2), Duration.FromSeconds(ServingTargets.MaxSeconds), Suanli.Fleet.TrafficProfile.Flat, Currency.Usd);
        Assert.Equal(86_400, ScenarioFile.Parse(slow.ToYaml(), "q", Catalog).Applications[0].Targets.Tpot!.Value.InSeconds);
    }

    /// <summary>
    /// One spelling per concept (issue 17, item 5): Suanli's own utilisation is spelled the British way in code, JSON
    /// and docs; the American spelling is left only where it names an engine's own setting (vLLM's
    /// gpu_memory_utilization, TensorRT-LLM's max_utilization policy).
    /// </summary>
    [Fact]
    public void Utilisation_has_one_spelling_in_the_code_except_the_engines_own_setting_names()
    {
        var engineNames = new System.Text.RegularExpressions.Regex("memory_?-?utilization|max_utilization", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(PlanTests.RepoRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var rest = engineNames.Replace(lines[i], "");
                if (rest.Contains("utilization", StringComparison.OrdinalIgnoreCase))
                {
                    offenders.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.Empty(offenders);
    }

    [Fact]
    public void Training_takes_the_catalogs_server_for_a_device_and_assumes_no_node_when_the_catalog_has_none()
    {
        var h100 = Catalog.Device("nvidia-h100-sxm5-80gb");
        Assert.Equal(FleetPlanner.DefaultServer(Catalog, h100).Id, FleetPlanner.CatalogServer(Catalog, h100)!.Id);
        var bare = Catalog.Devices.First(d => Catalog.ServersFor(d).Count == 0);
        Assert.Null(FleetPlanner.CatalogServer(Catalog, bare));
        Assert.True(FleetPlanner.IsGeneric(FleetPlanner.DefaultServer(Catalog, bare), bare));
    }

    [Fact]
    public void A_simulated_capacity_becomes_a_replica_capacity_by_one_rule_littles_law_for_rate_and_the_clients_for_concurrency()
    {
        var model = Suanli.StepTime.Roofline.Instance;
        var scenario = ScenarioFile.Load(Path.Combine(PlanTests.RepoRoot(), "examples", "c2-knowledge-base.yaml"), Catalog);
        var plan = Planner.Plan(scenario, SimulatedReplicaCapacity.Provider(model, 300));
        var app = plan.Applications[0];
        var a = app.Application;
        var rateMix = new RequestMix(a.InputDistribution, a.OutputDistribution, DemandKind.Rate);
        var rate = SimulatedReplicaCapacity.Run(model, app.Deployment, rateMix, a.Targets, 300);
        var asRate = SimulatedReplicaCapacity.From(rate, DemandKind.Rate);
        Assert.True(asRate.Feasible);
        Assert.Equal(rate.MaxRequestsPerSecond!.Value, asRate.MaxRequestsPerSecond);
        // Little's law, unrounded: requests in flight = arrival rate x mean time in the system.
        Assert.Equal(rate.MaxRequestsPerSecond!.Value * rate.AtMax!.E2e.Mean.Value, asRate.MaxConcurrency, 12);
        var closed = SimulatedReplicaCapacity.Run(model, app.Deployment, rateMix with { Kind = DemandKind.Concurrency }, a.Targets, 300);
        var asClients = SimulatedReplicaCapacity.From(closed, DemandKind.Concurrency);
        Assert.Equal(closed.MaxConcurrency!.Value, asClients.MaxConcurrency);
        Assert.Equal(asRate.MaxConcurrency, SimulatedReplicaCapacity.Provider(model, 300)(app.Deployment, rateMix, a.Targets).MaxConcurrency);
    }
}
