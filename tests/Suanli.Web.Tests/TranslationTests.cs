using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Web.Http;
using Xunit;

namespace Suanli.Web.Tests;

public partial class TranslationTests
{
    private static readonly EmbeddedAssets Assets = new(typeof(SuanliWeb).Assembly);

    internal static Dictionary<string, Dictionary<string, string>> Table()
    {
        var js = Assets.ReadText("i18n.js");
        var start = js.IndexOf('{', js.IndexOf("SUANLI_I18N", StringComparison.Ordinal));
        var json = js[start..(js.LastIndexOf('}') + 1)];
        return JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json)!;
    }

    [GeneratedRegex("data-i18n(?:-title)?=\"([^\"]+)\"")]
    private static partial Regex HtmlKey();

    [GeneratedRegex(@"'((?:app|nav|currency|share|inputs|field|downloads|memory|perf|hardware|fleet|cost|pareto|pending|findings|status|footer|serving)\.[A-Za-z.]+)'")]
    private static partial Regex ScriptKey();

    [Fact]
    public void Every_translation_has_english_and_chinese_text()
    {
        var table = Table();
        Assert.True(table.Count > 50);
        foreach (var (key, text) in table)
        {
            Assert.True(text.TryGetValue("en", out var en) && !string.IsNullOrWhiteSpace(en), $"{key} has no English");
            Assert.True(text.TryGetValue("zh", out var zh) && !string.IsNullOrWhiteSpace(zh), $"{key} has no Chinese");
            Assert.Equal(["en", "zh"], text.Keys.Order(StringComparer.Ordinal));
            // Placeholders must match so that no number goes missing in one language.
            Assert.Equal(Regex.Matches(en, @"\{\w+\}").Select(m => m.Value).Order(), Regex.Matches(zh, @"\{\w+\}").Select(m => m.Value).Order());
        }
    }

    [Fact]
    public void Chinese_texts_separate_their_clauses_with_full_width_marks_and_the_fleet_range_carries_its_own()
    {
        // The fleet headline read "平均利用率 71%（时区 Asia/Shanghai）; 80% 区间 304–456 张": the script joined the range
        // with an ASCII '; ' in both languages. The separator is now the template's, '；' in Chinese.
        var table = Table();
        foreach (var (key, text) in table)
        {
            Assert.False(Regex.IsMatch(text["zh"], @"\p{IsCJKUnifiedIdeographs}[;,] |[;,] \p{IsCJKUnifiedIdeographs}"), $"{key}: '{text["zh"]}' separates Chinese with an ASCII mark");
        }
        Assert.StartsWith("；80% 区间", table["fleet.range"]["zh"], StringComparison.Ordinal);
        Assert.StartsWith("; 80% range", table["fleet.range"]["en"], StringComparison.Ordinal);
        Assert.DoesNotContain("'; ' + t('fleet.range'", Assets.ReadText("js/panels.js"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_the_page_uses_is_in_the_table()
    {
        var table = Table();
        var used = HtmlKey().Matches(Assets.ReadText("index.html")).Select(m => m.Groups[1].Value)
            // app.js and its modules (js/); i18n.js is the table itself, lib/ the chart library.
            .Concat(Assets.Paths.Where(p => p.EndsWith(".js", StringComparison.Ordinal) && p != "i18n.js" && !p.StartsWith("lib/", StringComparison.Ordinal))
                .SelectMany(p => ScriptKey().Matches(Assets.ReadText(p))).Select(m => m.Groups[1].Value))
            .Concat(["findings.info", "findings.warning", "findings.error"]) // built from the finding's severity
            .Distinct().ToList();
        Assert.True(used.Count > 40);
        var missing = used.Where(k => !table.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "missing translations: " + string.Join(", ", missing));
    }
}
