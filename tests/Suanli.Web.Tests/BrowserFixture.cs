using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>
/// The app on real Kestrel at 127.0.0.1 on a free port, so a browser can reach it. A request for an expensive operation
/// waits for a free slot up to five minutes instead of the server's 5 s (<c>Suanli:MaxQueueWait</c>): with two slots on
/// a busy 2-core machine, one of the four plan panels of a page waited past 5 s, got 429 with a Retry-After of the rest
/// of the 30 s time limit, and the page sat idle for about 25 s before its retry (the cost panel of each plan edit in
/// <c>Every_input_marks_its_panels_loading_at_once...</c>, eight times). The page's own handling of a 429 is tested with
/// answers routed to it (<c>The_pages_own_busy_time_limit_and_connection_errors_are_chinese_on_the_chinese_page</c>).
/// </summary>
public sealed class KestrelFactory : WebApplicationFactory<Program>
{
    public KestrelFactory() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("Suanli:MaxQueueWait", "00:05:00");

    public string BaseUrl
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        }
    }
}

/// <summary>One server and one headless Debian Chromium shared by every browser test.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public KestrelFactory App { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        SuanliWeb.WarmUp(App.Services); // as 'suanli serve' does before printing its URL
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>
    /// How long a wait for the page may take, in milliseconds. Not a speed check (speed is measured in docs/timings.md):
    /// on a busy 2-core machine the plan panels of one page take several seconds each, and Playwright's 30 s default
    /// made the longest tests fail for load alone.
    /// </summary>
    public const float WaitMs = 120_000;

    /// <summary>
    /// A blank page of the shared browser that waits up to <see cref="WaitMs"/> for everything, navigation included: a page
    /// left at Playwright's 30 s default failed its first navigation on a loaded machine.
    /// </summary>
    public async Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        var page = await Browser.NewPageAsync(options);
        page.SetDefaultTimeout(WaitMs);
        return page;
    }

    public async Task<IPage> OpenAsync(string query = "")
    {
        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1100 }, AcceptDownloads = true });
        await page.GotoAsync(App.BaseUrl + "/" + query);
        await Ready(page);
        return page;
    }

    /// <summary>Scrolls a lazy panel into view and waits until it has fetched and drawn its data.</summary>
    public static async Task ShowPanel(IPage page, string id)
    {
        await page.Locator("#" + id).ScrollIntoViewIfNeededAsync();
        await page.WaitForSelectorAsync($"#{id}[data-state='ready']", new() { Timeout = WaitMs });
        await Ready(page);
    }

    /// <summary>Waits until the page has fetched and drawn everything for its current inputs.</summary>
    public static Task Ready(IPage page) => page.WaitForFunctionAsync("() => document.body.dataset.ready === '1'", null, new() { Timeout = WaitMs });

    public async Task<JsonElement> ApiAsync(string url)
    {
        using var client = App.CreateClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync(url));
        return doc.RootElement.Clone();
    }
}
