using Suanli.Files;
using Suanli.Web.Api;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>GET /api/plan's query fills the scenario the file reader fills, with the file's limits.</summary>
public sealed class PlanQueryTests
{
    [Fact]
    public void Query_accepts_a_tpot_target_up_to_a_day_as_a_scenario_file_does_and_names_the_field_above_it()
    {
        var catalog = CatalogFiles.Embedded;
        var input = new QuickScenarioInput { Model = "qwen2.5-7b-instruct", Hardware = "nvidia-h100-sxm5-80gb", PeakRate = "1", TpotP90 = "5000" };
        Assert.Equal(5000, PlanApi.Query(input, catalog).TpotP90.InSeconds);
        Assert.Equal(86_400, PlanApi.Query(input with { TpotP90 = "86400" }, catalog).TpotP90.InSeconds);
        var ex = Assert.Throws<InputException>(() => PlanApi.Query(input with { TpotP90 = "86401" }, catalog));
        Assert.Equal("tpotP90", ex.Field);
    }

    [Fact]
    public void Query_scenario_equals_the_scenario_its_yaml_download_reads_back()
    {
        var catalog = CatalogFiles.Embedded;
        var query = PlanApi.Query(new QuickScenarioInput { Model = "qwen2.5-7b-instruct", Hardware = "nvidia-h100-sxm5-80gb", PeakConcurrency = "40", Currency = "CNY" }, catalog);
        var direct = query.ToScenario(PlanApi.QueryName, catalog);
        var read = ScenarioFile.Parse(query.ToYaml(), PlanApi.QueryName, catalog);
        Assert.Equal(read.Assumptions.Select(a => a.English), direct.Assumptions.Select(a => a.English));
        Assert.Equal((read.Name, read.Source, read.Currency, read.TimeZone, read.Device.Id, read.Server.Id, read.Rack, read.Policy),
            (direct.Name, direct.Source, direct.Currency, direct.TimeZone, direct.Device.Id, direct.Server.Id, direct.Rack, direct.Policy));
        var (a, b) = (read.Applications[0], direct.Applications[0]);
        Assert.Equal((a.Name, a.Models[0].Id, a.Precision, a.KvPrecision, a.Engine, a.Kind, a.Peak, a.InputTokens, a.OutputTokens, a.Targets, a.Profile.Name),
            (b.Name, b.Models[0].Id, b.Precision, b.KvPrecision, b.Engine, b.Kind, b.Peak, b.InputTokens, b.OutputTokens, b.Targets, b.Profile.Name));
    }

    [Fact]
    public void Query_percentiles_become_the_scenarios_target_keys_and_a_bad_one_names_its_field()
    {
        var catalog = CatalogFiles.Embedded;
        var input = new QuickScenarioInput { Model = "qwen2.5-7b-instruct", Hardware = "nvidia-h100-sxm5-80gb", PeakRate = "1", TtftP90 = "1.5", TtftPercentile = "99", TpotPercentile = "p95" };
        var query = PlanApi.Query(input, catalog);
        // The file the page downloads states each target at its percentile, and reads back to the same targets.
        Assert.Contains("    targets: {ttft_p99_s: 1.5, tpot_p95_s: 0.1}", query.ToYaml(), StringComparison.Ordinal);
        var targets = query.ToScenario(PlanApi.QueryName, catalog).Applications[0].Targets;
        Assert.Equal((99.0, 95.0, 1.5), (targets.TtftAt.Value, targets.TpotAt.Value, targets.Ttft!.Value.InSeconds));
        Assert.Equal(targets, ScenarioFile.Parse(query.ToYaml(), PlanApi.QueryName, catalog).Applications[0].Targets);
        // Left out: p90, as before.
        var plain = PlanApi.Query(input with { TtftPercentile = null, TpotPercentile = null }, catalog).ToScenario(PlanApi.QueryName, catalog).Applications[0].Targets;
        Assert.Equal((90.0, 90.0), (plain.TtftAt.Value, plain.TpotAt.Value));
        // Out of range, text, or beyond what a plan's probe can estimate: refused, naming the percentile's field.
        foreach (var bad in new[] { "100", "most", "99.9999" })
        {
            Assert.Equal("ttftPercentile", Assert.Throws<InputException>(() => PlanApi.Query(input with { TtftPercentile = bad }, catalog)).Field);
        }
    }
}
