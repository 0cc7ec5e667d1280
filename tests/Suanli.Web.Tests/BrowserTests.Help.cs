using Xunit;

namespace Suanli.Web.Tests;

/// <summary>Browser tests of the help on the page's outputs: every table column says what it shows, in the page's language.</summary>
public partial class BrowserTests
{
    [Fact]
    public async Task Every_table_column_has_a_help_text_in_both_languages_and_the_chinese_page_has_no_english_help()
    {
        // A plan pinned, so the pinned table (whose "First token" and "Time per token" need saying at which batch) shows.
        var page = await f.OpenAsync("?pin=model%3Dqwen2.5-32b-instruct");
        await page.WaitForSelectorAsync("#panel-pinned:not([hidden]) #pinned-table tbody tr");
        // Each column header: its text, its title, and the title its help key has in the page's language.
        const string columns = """
            () => [...document.querySelectorAll('main th')].filter(th => th.textContent.trim())
              .map(th => [th.closest('table').id + ' ' + th.textContent.trim(), th.title, th.dataset.i18nTitle ? window.SUANLI_I18N[th.dataset.i18nTitle][document.documentElement.lang === 'en' ? 'en' : 'zh'] : ''])
            """;
        var english = await page.EvaluateAsync<string[][]>(columns);
        Assert.True(english.Length >= 18, $"{english.Length} columns");
        Assert.All(english, c => { Assert.True(c[1].Length > 20, c[0] + " has no help"); Assert.Equal(c[2], c[1]); });
        var help = english.ToDictionary(c => c[0], c => c[1]);
        Assert.Contains("prefill", help["pinned-table First token"], StringComparison.Ordinal);
        Assert.Contains("concurrent sequences", help["pinned-table Time per token"], StringComparison.Ordinal);
        Assert.Contains("own", help["cost-table Basis"], StringComparison.Ordinal);

        await page.ClickAsync("#lang-zh");
        await BrowserFixture.Ready(page);
        var chinese = await page.EvaluateAsync<string[][]>(columns);
        Assert.Equal(english.Length, chinese.Length);
        Assert.All(chinese, c => { Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", c[1]); Assert.Equal(c[2], c[1]); });
        Assert.Contains("预填充", chinese.Single(c => c[0] == "pinned-table 首 token")[1], StringComparison.Ordinal);
        // No help on the Chinese page, of an input or an output, is an English sentence (the page's text check reads
        // only what is shown, not the titles).
        var titles = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[title]')].map(e => e.title)");
        var sentences = titles.SelectMany(title => EnglishRun().Matches(title).Select(m => m.Value)).Distinct().ToList();
        Assert.True(sentences.Count == 0, "English help on the Chinese page: " + string.Join(" | ", sentences));
    }
}
