using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Browser tests of the page's weight and its offline promise: every request stays on this server.</summary>
public partial class BrowserTests
{
    /// <summary>Records every request a page makes, with its response (null when it failed).</summary>
    private static List<IRequest> Record(IPage page)
    {
        var requests = new List<IRequest>();
        page.Request += (_, r) => { lock (requests) { requests.Add(r); } };
        return requests;
    }

    private List<string> LeavingTheHost(IEnumerable<IRequest> requests) =>
        [.. requests.Select(r => r.Url).Where(u => !u.StartsWith(f.App.BaseUrl + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal))];

    /// <summary>
    /// The Chinese page with three applications planned (each with its own search), one plan pinned beside, and every
    /// lazy panel: the heaviest page a user builds from the form (the search's stream grows with the applications).
    /// </summary>
    private const string HeavyPage = ThreeApplications + "&lang=zh&pin=model%3Dqwen2.5-32b-instruct%26precision%3Dbf16%26devices%3D2";

    [Theory]
    [InlineData("")]
    [InlineData(HeavyPage)]
    public async Task A_page_load_and_a_plan_stay_on_this_server_with_an_icon_and_weigh_under_500_kB_compressed(string query)
    {
        var page = await f.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        var requests = Record(page);
        await page.GotoAsync(f.App.BaseUrl + "/" + query);
        await BrowserFixture.Ready(page);
        if (query.Length > 0)
        {
            await page.WaitForSelectorAsync("#panel-pinned:not([hidden]) #pinned-table tbody tr");
            Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        }
        // One plan: every lazy panel of the inputs (plan hours, sensitivity, compare, search).
        foreach (var panel in new[] { "panel-fleet", "panel-sensitivity", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        IRequest[] seen;
        lock (requests) { seen = [.. requests]; }
        Assert.Empty(LeavingTheHost(seen));
        long transferred = 0;
        var failed = new List<string>();
        foreach (var r in seen)
        {
            var response = await r.ResponseAsync();
            if (response is null || response.Status >= 400)
            {
                failed.Add($"{r.Url} {response?.Status}");
            }
            var sizes = await r.SizesAsync();
            transferred += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }
        Assert.Empty(failed);
        output.WriteLine($"{seen.Length} requests, {transferred:N0} bytes transferred");
        Assert.True(transferred < 500_000, $"page load and plan transferred {transferred:N0} bytes");
        Assert.Equal("favicon.svg", await page.GetAttributeAsync("link[rel='icon']", "href"));
        await page.CloseAsync();
        if (query.Length > 0)
        {
            return;
        }

        // The API reference: no fonts or scripts from elsewhere, no AI, SDK or deploy buttons.
        var reference = await f.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 } });
        var referenceRequests = Record(reference);
        await reference.GotoAsync(f.App.BaseUrl + "/scalar/");
        await reference.WaitForFunctionAsync("() => document.querySelector('#app') && document.body.innerText.includes('Suanli')");
        await reference.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (referenceRequests) { seen = [.. referenceRequests]; }
        Assert.Empty(LeavingTheHost(seen));
        var text = await reference.InnerTextAsync("body");
        foreach (var button in new[] { "Ask AI", "Generate SDK", "Deploy" })
        {
            Assert.DoesNotContain(button, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
