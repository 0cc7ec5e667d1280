using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO;
using Xunit;
using Xunit.Abstractions;

namespace Suanli.Tests;

/// <summary>The parameter check over the whole model catalog, one row per model (docs/catalog.md shows the same table).</summary>
public sealed class ModelCatalogTableTests(ITestOutputHelper output)
{
    private static SuanliCatalog Catalog => CatalogFiles.Embedded;

    [Fact]
    public void Every_catalog_model_reproduces_its_published_total_and_active_parameters_within_one_percent_or_says_why()
    {
        var misses = new List<string>();
        foreach (var m in Catalog.Models)
        {
            var a = m.Architecture;
            var p = ParameterCount.Of(a);
            var total = p.Total(a);
            var active = p.ActiveAs(a, m.ActiveParametersScope);
            var totalError = m.PublishedParameters is { } pub ? total / pub - 1 : double.NaN;
            var activeError = m.ActiveParameters is { } act ? active / act - 1 : double.NaN;
            output.WriteLine($"| {m.Id} | {m.PublishedParameters / 1e9:0.###} | {total / 1e9:0.###} | {totalError:+0.0%;-0.0%} | {m.ActiveParameters / 1e9:0.###} | {active / 1e9:0.###} | {activeError:+0.0%;-0.0%} | {m.ActiveParametersScope} |");
            if (m.PublishedParameters is not null && m.ParameterCheckException is null && Math.Abs(totalError) > 0.01)
            {
                misses.Add($"{m.Id}: total {total / 1e9:F3} B vs {m.PublishedParameters / 1e9:F3} B ({totalError:P1})");
            }
            if (m.ActiveParameters is not null && m.ActiveParameterCheckException is null && Math.Abs(activeError) > 0.01)
            {
                misses.Add($"{m.Id}: active {active / 1e9:F3} B vs {m.ActiveParameters / 1e9:F3} B ({activeError:P1}, scope {m.ActiveParametersScope})");
            }
        }
        Assert.True(misses.Count == 0, string.Join("\n", misses));
    }
}
