using System.Text.RegularExpressions;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The phrases the code says (findings, their parts, input errors) against the Chinese table: every key has a
/// Chinese template with the same placeholders, one key means one English sentence, and the table holds no key
/// the code no longer uses.
/// </summary>
public partial class TextTests
{
    // Finding.Info/Warn/Error("key", "template" and Phrase.Of("key", "template": the template must be one literal.
    [GeneratedRegex(@"(?:Finding\.(?:Info|Warn|Error)|Phrase\.Of)\(\s*""([^""]+)""\s*,\s*(\$?)""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Site();

    [GeneratedRegex(@"(?:Finding\.(?:Info|Warn|Error)|Phrase\.Of)\(\s*""")]
    private static partial Regex AnySite();

    private static Dictionary<string, string> English()
    {
        var src = Path.Combine(PlanTests.RepoRoot(), "src");
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var sites = Site().Matches(text);
            Assert.True(sites.Count == AnySite().Count(text), $"{Path.GetFileName(file)}: a finding or phrase whose template is not one plain string literal");
            foreach (Match m in sites)
            {
                Assert.True(m.Groups[2].Value.Length == 0, $"{m.Groups[1].Value}: the template is interpolated; give the values as named arguments");
                var template = Regex.Unescape(m.Groups[3].Value);
                if (found.TryGetValue(m.Groups[1].Value, out var other))
                {
                    Assert.True(other == template, $"key {m.Groups[1].Value} has two English templates: '{other}' and '{template}'");
                }
                found[m.Groups[1].Value] = template;
            }
        }
        return found;
    }

    private static IEnumerable<string> Names(string template) => Phrase.Placeholders(template).Distinct().Order(StringComparer.Ordinal);

    [Fact]
    public void Every_phrase_key_has_a_chinese_template_with_the_same_placeholders()
    {
        var english = English();
        Assert.True(english.Count > 100, $"only {english.Count} phrase sites found");
        var zh = Languages.Chinese.Templates;
        var missing = english.Keys.Where(k => !zh.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no Chinese template for: " + string.Join(", ", missing));
        foreach (var (key, template) in english)
        {
            Assert.True(Names(template).SequenceEqual(Names(zh[key])), $"{key}: placeholders differ between '{template}' and '{zh[key]}'");
        }
    }

    [Fact]
    public void The_chinese_table_holds_no_key_the_code_does_not_use()
    {
        var english = English();
        var stale = Languages.Chinese.Templates.Keys.Where(k => !k.StartsWith("sep.", StringComparison.Ordinal) && !english.ContainsKey(k)).ToList();
        Assert.True(stale.Count == 0, "keys no code uses: " + string.Join(", ", stale));
    }

    [Fact]
    public void A_finding_renders_its_numbers_in_both_languages_and_keeps_the_english_message()
    {
        var f = Finding.Error("does-not-fit", "{model} does not fit on {devices} x {device}: it needs at least {min} ({layout}).",
            ("model", "llama-3.1-70b"), ("devices", "1"), ("device", "nvidia-h100-sxm5-80gb"), ("min", "2"),
            ("layout", Phrase.Of("layout-devices", "{devices} devices, {layout}", ("devices", "2"), ("layout", "TP=2 PP=1"))));
        Assert.Equal("does-not-fit", f.Code);
        Assert.Equal("llama-3.1-70b does not fit on 1 x nvidia-h100-sxm5-80gb: it needs at least 2 (2 devices, TP=2 PP=1).", f.Message);
        Assert.Equal(f.Message, f.Render(Languages.English));
        Assert.Equal("llama-3.1-70b 放不进 1 x nvidia-h100-sxm5-80gb：至少需要 2 台（2 台设备，TP=2 PP=1）。", f.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void A_variant_key_keeps_the_code_before_the_hash()
    {
        var f = Finding.Warn("stale-price#rate", "exchange rate {from}->{to} is dated {date}, {days} days before {today}: more than a year old.",
            ("from", "USD"), ("to", "CNY"), ("date", "2024-01-02"), ("days", "400"), ("today", "2025-02-05"));
        Assert.Equal("stale-price", f.Code);
        Assert.Equal("stale-price#rate", f.Text!.Key);
    }

    [Fact]
    public void A_template_whose_placeholders_differ_from_its_arguments_is_a_defect()
    {
        Assert.Throws<ArgumentException>(() => Phrase.Of("x", "{a} and {b}", ("a", "1")));
        Assert.Equal("1.5", Phrase.Of("x", "{a}", ("a", 1.5)).English);
    }

    [Fact]
    public void A_field_is_spelled_by_each_front_end()
    {
        var p = Phrase.Of("x", "{field} must be at least {min}.", ("field", FieldNames.MaxBatchedTokens), ("min", "16"));
        Assert.Equal("--max-batched-tokens must be at least 16.", p.English);
        Assert.Equal("maxBatchedTokens must be at least 16.", p.Render(Languages.English, FieldNames.Web));
        Assert.Equal("applications[].targets.ttft_p90_s", FieldNames.Yaml(FieldNames.TtftP90));
        Assert.Equal("applications", FieldNames.Core(FieldNames.Applications));
    }

    [Fact]
    public void Lists_join_with_the_separator_of_the_language()
    {
        var list = new PhraseList([Phrase.Of("metric#ttft", "TTFT"), Phrase.Of("metric#e2e", "End-to-end latency")], "and");
        var p = Phrase.Of("bounds", "{bounds}", ("bounds", list));
        Assert.Equal("TTFT and End-to-end latency", p.English);
        Assert.Equal("TTFT 和端到端延迟", p.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void A_chinese_conjunction_stands_a_space_apart_from_latin_text_but_not_from_chinese()
    {
        // The capacity finding's targets read "TTFT p90 <= 2.00 s 和 TPOT p90 <= 100 ms", not "2.00 s和TPOT".
        var latin = new PhraseList([Phrase.Of("x#a", "TTFT p90 <= 2.00 s"), Phrase.Of("x#b", "TPOT p90 <= 100 ms")], "and");
        Assert.Equal("TTFT p90 <= 2.00 s 和 TPOT p90 <= 100 ms", latin.Join(Languages.Chinese, i => i.English));
        Assert.Equal("TTFT p90 <= 2.00 s and TPOT p90 <= 100 ms", latin.Join(Languages.English, i => i.English));
        var chinese = new PhraseList([Phrase.Of("x#c", "知识库"), Phrase.Of("x#d", "客服")], "and");
        Assert.Equal("知识库和客服", chinese.Join(Languages.Chinese, i => i.English));
        // Punctuation separators take no space: "a，b".
        Assert.Equal("a，b", new PhraseList([Phrase.Of("x#e", "a"), Phrase.Of("x#f", "b")]).Join(Languages.Chinese, i => i.English));
    }

    [Fact]
    public void The_language_follows_the_code_or_accept_language_tag()
    {
        Assert.Same(Languages.Chinese, Languages.Find("zh-CN"));
        Assert.Same(Languages.English, Languages.Find("en"));
        Assert.Null(Languages.Find("fr"));
    }

    [Fact]
    public void No_core_template_names_a_cli_command_or_option()
    {
        // The core speaks in parameters: a command is a CommandRef, an option a FieldName, each spelled by the front end.
        var cliTalk = new Regex(@"suanli |--[a-z]");
        var offenders = English().Where(kv => cliTalk.IsMatch(kv.Value) || cliTalk.IsMatch(Languages.Chinese.Templates.GetValueOrDefault(kv.Key, "")))
            .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        // cases-source speaks of the command that regenerates docs/cases.md, which only the command line runs.
        Assert.Equal(["cases-source"], offenders);
    }

    [Fact]
    public void No_core_input_error_is_an_interpolated_sentence_naming_a_cli_command_or_option()
    {
        // new InputException(field, $"... 'suanli catalog' ... --prices ...") cannot be rendered for the web: it must be a phrase.
        var site = new Regex(@"new InputException\([^;]*?\$""(?:[^""\\]|\\.)*(?:suanli |--[a-z])");
        var src = Path.Combine(PlanTests.RepoRoot(), "src", "Suanli");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => site.IsMatch(File.ReadAllText(f))).Select(Path.GetFileName).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void A_command_is_spelled_by_each_front_end()
    {
        var p = Phrase.Of("x", "see {memory}.", ("memory", CommandRefs.Memory));
        Assert.Equal("see 'suanli memory'.", p.English);
        Assert.Equal("see the 'Memory of one model copy' panel.", p.Render(Languages.English, FieldNames.Web, CommandRefs.Web));
        Assert.Equal("see “单个模型副本的显存占用”面板.", p.Render(Languages.Chinese, FieldNames.Web, CommandRefs.Web));
        var f = Finding.Info("x", "{list} lists them", ("list", CommandRefs.CatalogPrices));
        Assert.Equal("'suanli catalog prices' lists them", f.Message);
        Assert.Equal("the 'Hardware and prices' panel lists them", f.Render(Languages.English, FieldNames.Web, CommandRefs.Web));
    }

    [Fact]
    public void A_core_input_error_keeps_its_English_sentence_and_renders_in_Chinese()
    {
        var ex = Assert.Throws<InputException>(() => Suanli.Cost.BreakEven.Volumes(
            "a", _ => Suanli.Quantities.Money.Zero(Suanli.Quantities.Currency.Usd),
            "b", _ => Suanli.Quantities.Money.Zero(Suanli.Quantities.Currency.Usd), 10, 5));
        Assert.Equal("The volume range must grow: 10 to 5.", ex.Message);
        Assert.NotNull(ex.Text);
        Assert.Equal("请求量范围必须递增：10 到 5。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void An_amount_beyond_any_budget_is_refused_in_both_languages()
    {
        var ex = Assert.Throws<InputException>(() => Suanli.Quantities.Money.FromDouble(1e30, Suanli.Quantities.Currency.Usd, "budget"));
        Assert.Equal("budget of 1e30 USD is beyond any plausible budget.", ex.Message);
        Assert.Equal("budget 为 1e30 USD，超出任何合理预算。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Theory]
    [InlineData(1e308, "1e308")]
    [InlineData(1e-300, "1e-300")]
    [InlineData(1e-320, "1e-320")]
    [InlineData(2.83e31, "2.83e31")]
    [InlineData(2_592_000.0, "2,592,000")]
    [InlineData(86_400.0, "86,400")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(0.001, "0.001")]
    [InlineData(1.5, "1.5")]
    [InlineData(-1.0, "-1")]
    [InlineData(0.0, "0")]
    [InlineData(1e15, "1e15")]
    [InlineData(999_999_999_999_999.0, "999,999,999,999,999")]
    [InlineData(1.0 / 3.0, "0.333333")]
    public void An_echoed_number_reads_as_the_reports_write_numbers_never_as_dotnets_1E_308(double value, string text) =>
        Assert.Equal(text, Fmt.Number(value));

    [Fact]
    public void A_range_error_echoes_1e308_and_its_limits_the_same_way_in_english_and_chinese()
    {
        // Guard.InRange printed "between 0 and 2.592E+06, got 1E+308"; the limits now read as the reports write them.
        var ex = Assert.Throws<InputException>(() => Guard.InRange(1e308, 0, 2_592_000, FieldNames.Duration));
        Assert.Equal("--duration must be between 0 and 2,592,000, got 1e308.", ex.Message);
        Assert.Equal("duration 必须介于 0 和 2,592,000 之间，实际为 1e308。", ex.Text!.Render(Languages.Chinese, FieldNames.Web));
    }

    [Fact]
    public void A_list_in_a_sentence_is_joined_with_the_enumeration_comma_in_chinese_and_a_comma_in_english()
    {
        // The suggestions of an unknown name were joined with ", " inside the Chinese sentence; one helper joins every list.
        var ex = Assert.Throws<UnknownNameException>(() => Suanli.Files.CatalogFiles.Embedded.Model("qwen2-7b"));
        Assert.Equal("Unknown model 'qwen2-7b'. Did you mean 'qwen2-72b', 'qwen3-4b', 'qwen3-8b'? List them all with 'suanli catalog'.", ex.Message);
        Assert.Equal("未知的模型 'qwen2-7b'。您是否想要 'qwen2-72b'、'qwen3-4b'、'qwen3-8b'？用 'suanli catalog' 可列出全部。", ex.Text!.Render(Languages.Chinese, FieldNames.Core));
        var words = PhraseList.Words(new[] { "a", "b", "c" });
        Assert.Equal("a, b, c", words.Join(Languages.English, p => p.English));
        Assert.Equal("a、b、c", words.Join(Languages.Chinese, p => p.Render(Languages.Chinese, FieldNames.Core)));
        Assert.Equal("1; 2", PhraseList.Words(new[] { 1, 2 }, "semicolon").Join(Languages.English, p => p.English));
        Assert.Equal("1；2", PhraseList.Words(new[] { 1, 2 }, "semicolon").Join(Languages.Chinese, p => p.Render(Languages.Chinese, FieldNames.Core)));
    }
}
