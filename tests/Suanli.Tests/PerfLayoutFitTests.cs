using Suanli.Catalog;
using Suanli.Files;
using Suanli.Footprint;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A layout <c>perf</c> refuses (CLI and /api/perf share <see cref="PerfRun"/>) lists only the layouts that hold the weights
/// and one request (<see cref="Layouts.Validate"/> with the memory check plan applies to a pinned layout).
/// </summary>
public class PerfLayoutFitTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    [Fact]
    public void Perf_refusing_a_layout_of_a_model_that_needs_ten_devices_names_the_fewest_devices_whose_layouts_fit()
    {
        // Qwen3.5-397B-A17B in BF16 is ~800 GB of weights: 3 x 96 GB H20s cannot hold it at TP=1 PP=3, the only valid
        // split of 3 devices; the fewest that can are 10 (the same answer plan's pinned layout gives, CrossServerLayoutTests).
        var (code, _, err, _) = CliTests.Run("perf", "--model", "qwen3.5-397b-a17b", "--hardware", "nvidia-h20", "--tp", "3");
        Assert.Equal(2, code);
        Assert.EndsWith("32 attention heads do not divide over TP=3; no valid layout on 3 devices fits the weights and one request in memory; "
            + "the fewest devices whose layouts fit are 10: TP=2 PP=5 EP=2; TP=1 PP=10.", err.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        // /api/perf runs the same function: on 12 devices, only the layouts that fit are listed.
        var e = Assert.Throws<InputException>(() => PerfRun.Run(new PerfInputs { Model = "qwen3.5-397b-a17b", Hardware = "nvidia-h20", Tp = 3, Pp = 4 }, Catalog, Suanli.StepTime.Roofline.Instance));
        Assert.EndsWith("valid layouts on 12 devices that fit in memory: TP=4 PP=3 EP=4; TP=2 PP=6 EP=2; TP=1 PP=12.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_refusing_a_layout_that_fits_lists_it_as_fitting()
    {
        // Llama 3.1 70B (~141 GB in BF16) over 3 x 80 GB H100s at TP=1 PP=3 fits: it is the one alternative.
        var (code, _, err, _) = CliTests.Run("perf", "--model", "llama-3.1-70b", "--hardware", "h100", "--tp", "3");
        Assert.Equal(2, code);
        Assert.EndsWith("64 attention heads do not divide over TP=3; valid layouts on 3 devices that fit in memory: TP=1 PP=3.", err.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_count_no_layout_uses_is_said_alike_with_and_without_a_memory_check()
    {
        // Llama 3.1 8B: 32 heads and 32 layers. 300 devices: no TP up to 64 divides both 300 and the heads with at most 32 stages.
        var a = Catalog.Model("llama-3.1-8b").Architecture;
        Assert.Empty(Layouts.On(a, 300));
        Assert.EndsWith("32 attention heads do not divide over TP=3; no layout uses exactly 300 devices.",
            Assert.Throws<InputException>(() => Layouts.Validate(a, 3, 100, "m")).Message, StringComparison.Ordinal);
        Assert.EndsWith("no layout uses exactly 300 devices; the fewest devices whose layouts fit are 1: TP=1 PP=1.",
            Assert.Throws<InputException>(() => Layouts.Validate(a, 3, 100, "m", _ => true)).Message, StringComparison.Ordinal);
    }
}
