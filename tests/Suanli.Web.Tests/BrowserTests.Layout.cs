using Microsoft.Playwright;
using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Browser tests of the page's layout: no overlaps at three widths, and a phone-width page.</summary>
public partial class BrowserTests
{
    /// <summary>
    /// Pairs of visible boxes that overlap by more than a pixel each way: panels' tables, charts, headlines, notes and
    /// finding lists (each clipped by any scrolling ancestor); tables wider than their panel or a scrolling box in it;
    /// and inside each chart its text (tick labels, bar labels, legend, axis names).
    /// </summary>
    private const string Overlaps = """
        () => {
          const visible = e => { const s = getComputedStyle(e); return s.visibility !== 'hidden' && s.display !== 'none' && +s.opacity !== 0 && e.getClientRects().length > 0; };
          const clip = e => {
            let r = e.getBoundingClientRect(); r = { l: r.left, t: r.top, r: r.right, b: r.bottom };
            for (let a = e.parentElement; a; a = a.parentElement) {
              const s = getComputedStyle(a);
              if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
                const c = a.getBoundingClientRect();
                r = { l: Math.max(r.l, c.left), t: Math.max(r.t, c.top), r: Math.min(r.r, c.right), b: Math.min(r.b, c.bottom) };
              }
            }
            return r;
          };
          const hit = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1;
          const name = e => (e.closest('section') ? e.closest('section').id + ' ' : '') + (e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''));
          const found = [];
          const boxes = [...document.querySelectorAll('main .panel :is(table, .chart, .headline, .note, .findings, .deployments, h2, h3, form, .split)')]
            .filter(visible).map(e => ({ e, r: clip(e) })).filter(x => x.r.r - x.r.l > 1 && x.r.b - x.r.t > 1);
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i], b = boxes[j];
              if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
              if (hit(a.r, b.r)) found.push(name(a.e) + ' / ' + name(b.e));
            }
          // A table wider than its panel, or than a scrolling box inside it, has columns cut (or only reachable by a
          // sideways scroll the user may never find): each table must fit the panel's content box.
          for (const tb of document.querySelectorAll('main .panel table')) {
            if (!visible(tb)) continue;
            const r = tb.getBoundingClientRect();
            for (let a = tb.parentElement; a && a.tagName !== 'MAIN'; a = a.parentElement) {
              const s = getComputedStyle(a), c = a.getBoundingClientRect();
              const pad = a.classList.contains('panel') ? parseFloat(s.paddingRight) : 0;
              if (r.right > c.right - parseFloat(s.borderRightWidth) - pad + 1) { found.push(name(tb) + ' wider than ' + name(a) + ': ' + Math.round(r.width) + ' px'); break; }
            }
          }
          for (const c of document.querySelectorAll('main .chart')) {
            if (!visible(c)) continue;
            const texts = [...c.querySelectorAll('svg text')].filter(t => t.textContent.trim() && +(t.getAttribute('opacity') ?? 1) > 0 && +(getComputedStyle(t).opacity) > 0)
              .map(t => { const r = t.getBoundingClientRect(); return { t: t.textContent, r: { l: r.left, t: r.top, r: r.right, b: r.bottom } }; });
            const box = c.getBoundingClientRect();
            for (const x of texts) if (x.r.l < box.left - 1 || x.r.r > box.right + 1) found.push(c.id + ' text cut: ' + x.t);
            for (let i = 0; i < texts.length; i++)
              for (let j = i + 1; j < texts.length; j++)
                if (hit(texts[i].r, texts[j].r)) found.push(c.id + ' text: ' + texts[i].t + ' / ' + texts[j].t);
          }
          return found;
        }
        """;

    [Theory]
    [InlineData(1440, 900)]
    [InlineData(1024, 768)]
    [InlineData(390, 844)]
    public async Task At_1440_1024_and_390_px_no_two_panel_boxes_or_chart_labels_overlap_and_the_page_fits_the_width(int width, int height)
    {
        var page = await f.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.GotoAsync(f.App.BaseUrl + "/");
        await BrowserFixture.Ready(page);
        foreach (var panel in new[] { "panel-fleet", "panel-sensitivity", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        await page.ScreenshotAsync(new() { Path = Shot($"layout-{width}.png"), FullPage = true });
        var overlaps = await page.EvaluateAsync<string[]>(Overlaps);
        Assert.True(overlaps.Length == 0, $"{width} px: " + string.Join("; ", overlaps));
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"page is {scrollWidth} px wide at {width} px");
        if (width < 600)
        {
            // Results first on a phone: the first result panel starts above the form.
            var memory = (await page.Locator("#panel-memory").BoundingBoxAsync())!;
            var inputs = (await page.Locator("#inputs").BoundingBoxAsync())!;
            Assert.True(memory.Y < inputs.Y, $"memory panel at y {memory.Y}, inputs at y {inputs.Y}");
        }
    }

    [Fact]
    public async Task At_phone_width_the_page_fits_the_screen_the_form_is_one_column_and_a_top_link_reaches_the_results()
    {
        var page = await f.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync(f.App.BaseUrl + "/");
        await BrowserFixture.Ready(page);
        foreach (var panel in new[] { "panel-fleet", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        await page.ScreenshotAsync(new() { Path = Shot("planner-390.png"), FullPage = true });
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390,
            "page is " + await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") + " px wide");
        // One column: each input sits below its label, not beside it.
        var label = (await page.Locator("label[for='f-model']").BoundingBoxAsync())!;
        var input = (await page.Locator("#f-model").BoundingBoxAsync())!;
        Assert.True(input.Y >= label.Y + label.Height - 1, $"input at y {input.Y}, label ends at {label.Y + label.Height}");
        Assert.True(Math.Abs(input.X - label.X) < 2, $"input at x {input.X}, label at x {label.X}");

        // The link at the top of the page leads to the first result panel.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var link = (await page.Locator("#to-results").BoundingBoxAsync())!;
        Assert.True(link.Y < 200, $"results link at y {link.Y}");
        await page.ClickAsync("#to-results");
        await page.WaitForFunctionAsync("() => Math.abs(document.getElementById('panel-memory').getBoundingClientRect().top) < 5");
        Assert.True(await page.IsVisibleAsync("#memory-fit"));
    }

    /// <summary>The link of a page with two added applications (three in all), each its own traffic and targets.</summary>
    private const string ThreeApplications = "?currency=CNY&timeZone=UTC&app=peak%3D20%26prompt%3D4096%26output%3D64%26profile%3Dflat%26ttft%3D4%26tpot%3D0.1"
        + "&app=peak%3D10%26prompt%3D512%26output%3D512%26profile%3Dconsumer-evening%26ttft%3D1%26tpot%3D0.05";

    /// <summary>
    /// Two plans pinned in the link before the page's own three-application plan is pinned: 72B on four A100s and 32B
    /// on two H100s, so the table holds three plans of different lengths (names, the application count, joined times).
    /// </summary>
    private const string TwoPins = "&pin=model%3Dqwen2.5-72b-instruct%26precision%3Dbf16%26hardware%3Dnvidia-a100-sxm4-80gb%26devices%3D4"
        + "&pin=model%3Dqwen2.5-32b-instruct%26precision%3Dbf16%26devices%3D2";

    [Theory]
    [InlineData(1440, 900, "en")]
    [InlineData(1440, 900, "zh")]
    [InlineData(1024, 768, "en")]
    [InlineData(1024, 768, "zh")]
    [InlineData(390, 844, "en")]
    [InlineData(390, 844, "zh")]
    public async Task With_three_applications_and_three_pinned_plans_at_1440_1024_and_390_px_nothing_overlaps_or_is_cut_and_a_phone_shows_results_first(int width, int height, string lang)
    {
        var page = await f.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        await page.GotoAsync(f.App.BaseUrl + "/" + ThreeApplications + TwoPins + "&lang=" + lang);
        await BrowserFixture.Ready(page);
        Assert.Equal(2, await page.Locator("#apps fieldset").CountAsync());
        foreach (var panel in new[] { "panel-fleet", "panel-cost", "panel-pareto" })
        {
            await BrowserFixture.ShowPanel(page, panel);
        }
        // The search lists deployments for all three applications; the pin compares the three-application plan.
        Assert.Equal(3, await page.EvaluateAsync<int>("() => new Set([...document.querySelectorAll('#pareto-top li')].map(li => li.dataset.app)).size"));
        await page.ClickAsync("#pin");
        await BrowserFixture.Ready(page);
        Assert.Equal(3, await page.Locator("#pinned-table tbody tr").CountAsync());
        Assert.Contains(lang == "zh" ? "3 个应用" : "3 applications", await page.InnerTextAsync("#pinned-table tbody tr:last-child td"), StringComparison.Ordinal);
        // Its chart has a point for each application, labelled with the application's number in the page's language.
        var labels = await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('pinned-chart')).getOption().series[0].data.filter(d => d.pin === 2).map(d => d.short)");
        Assert.Equal(new[] { "1", "2", "3" }, labels.Select(l => l[^1..]));
        Assert.All(labels, l => Assert.Contains(lang == "zh" ? " · 应用 " : " · App ", l, StringComparison.Ordinal));
        await page.ScreenshotAsync(new() { Path = Shot($"layout-3apps-{width}-{lang}.png"), FullPage = true });
        var overlaps = await page.EvaluateAsync<string[]>(Overlaps);
        Assert.True(overlaps.Length == 0, $"{width} px {lang}: " + string.Join("; ", overlaps));
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"page is {scrollWidth} px wide at {width} px");
        // Every added block's fields have their help, in the page's language.
        Assert.Contains(lang == "zh" ? "应用 3" : "application 3", await page.GetAttributeAsync("#f-app3-peak", "title") ?? "", StringComparison.Ordinal);
        if (width < 600)
        {
            // Results first on a phone, however many application blocks the form holds: the memory panel starts on the first screen.
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            var memory = (await page.Locator("#panel-memory").BoundingBoxAsync())!;
            Assert.True(memory.Y < height, $"memory panel at y {memory.Y}");
        }
        await page.CloseAsync();
    }
}
