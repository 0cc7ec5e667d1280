using Suanli.Catalog;
using Suanli.Files;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// A scenario's pinned layout is searched by <c>optimize</c> on every candidate device: when it is refused, the layouts
/// suggested in its place hold the weights and one request on each of them, not on the first alone.
/// </summary>
public class OptimizePinnedLayoutTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // Llama 3.1 70B in BF16 pinned at TP=3, planned on H200 and searched on H200 and L40S.
    private const string PinnedOnTwoDevices = """
        name: pinned
        currency: USD
        hardware: nvidia-h200-sxm-141gb
        candidates:
          hardware: [nvidia-h200-sxm-141gb, nvidia-l40s]
        applications:
          - name: chat
            model: llama-3.1-70b
            peak_rate: 2
            input_tokens: 1024
            output_tokens: 256
            layout: {tp: 3}
        """;

    [Fact]
    public void A_pinned_layout_for_optimize_suggests_only_layouts_that_fit_every_candidate_device()
    {
        // TP=1 PP=3 holds the ~141 GB of weights on 3 x 141 GB H200s but not on 3 x 48 GB L40S (43 GB usable each): checked
        // against the first device alone it was suggested, and the search on L40S would refuse it. 4 devices fit both.
        var e = Assert.Throws<InputException>(() => ScenarioFile.ParseSearch(PinnedOnTwoDevices, "pinned.yaml", Catalog));
        Assert.Equal("applications[0].layout", e.Field);
        Assert.EndsWith("no valid layout on 3 devices fits the weights and one request in memory; the fewest devices whose layouts fit are 4: TP=4 PP=1; TP=2 PP=2; TP=1 PP=4.",
            e.Message, StringComparison.Ordinal);
        // With the H200 alone, TP=1 PP=3 fits and is the suggestion.
        var h200Only = PinnedOnTwoDevices.Replace("[nvidia-h200-sxm-141gb, nvidia-l40s]", "[nvidia-h200-sxm-141gb]", StringComparison.Ordinal);
        e = Assert.Throws<InputException>(() => ScenarioFile.ParseSearch(h200Only, "pinned.yaml", Catalog));
        Assert.EndsWith("valid layouts on 3 devices that fit in memory: TP=1 PP=3.", e.Message, StringComparison.Ordinal);
    }
}
