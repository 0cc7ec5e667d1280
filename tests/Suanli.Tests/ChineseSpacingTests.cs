using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Chinese output puts no space between two Chinese characters (docs/cli.md, "Language"): a template that writes
/// "按 {term} 租用" reads "按 预留 1 年 租用" once its placeholder is itself Chinese; a space stays beside digits and
/// Latin words ("1 年", "{model} 在"). Scanned over what plan, compare, optimize and validate print in Chinese on the
/// examples: every string of the JSON document (findings, labels, reasons) and every line of the Markdown report.
/// </summary>
public sealed partial class ChineseSpacingTests
{
    [GeneratedRegex(@"[\u2E80-\u9FFF\uFF00-\uFFEF][ \u3000]+[\u2E80-\u9FFF\uFF00-\uFFEF]")]
    private static partial Regex SpaceBetweenChinese();

    private static string Example(params string[] parts) => Path.Combine([PlanTests.RepoRoot(), "examples", .. parts]);

    public static TheoryData<string, string[]> Commands() => new()
    {
        // The call-intent plan's capacity finding names its failing target (端到端) in the sentence around it.
        { "plan call intent", ["plan", Example("c2-call-intent-7b.yaml")] },
        { "plan knowledge base", ["plan", Example("c2-knowledge-base.yaml"), "--sensitivity"] },
        { "plan two applications", ["plan", Example("c2-two-applications.yaml")] },
        // Refused (exit 2): its error says what no layout, precision or speculation reaches, in one sentence.
        { "plan article targets", ["plan", Example("c2-article-targets.yaml")] },
        { "plan chatglm2", ["plan", Example("c3-chatglm2-6b.yaml")] },
        { "plan rack on cpu", ["plan", Example("c7-rack-8b-on-cpu.yaml")] },
        { "plan two time zones", ["plan", Example("two-time-zones.yaml")] },
        // examples/c3-accelerator-cost/README.md: reserved rent terms name their term (预留 1 年) inside option names and findings.
        { "compare c3", ["compare", "--requests-per-month", "876M", "--input", "67", "--output", "1333", "--model", "chatglm2-6b", "--precision", "int8",
            "--hardware", "nvidia-a100-sxm4-80gb,kunlunxin-r200", "--currency", "CNY", "--tariff", "CN-industrial-average", "--purchase", "article-claim", "--today", "2026-11-23"] },
        // examples/c8-small-vs-large/README.md.
        { "compare c8", ["compare", "--requests-per-month", "1M", "--months", "1", "--range", "1k:1e9", "--custom", "GPT-3 fine-tune;build=7418 USD;per-10k=173 USD;quality=71.4",
            "--custom", "small model;build=1915 USD;per-10k=0.26 USD;quality=71.3", "--api", "gpt-4o-mini", "--today", "2026-11-23"] },
        { "optimize c3", ["optimize", Example("c3-optimize.yaml"), "--max-candidates", "20", "--today", "2026-11-23"] },
        { "validate speculation", ["validate", Path.Combine(PlanTests.RepoRoot(), "validation", "measurements", "speculation.csv")] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Chinese_output_has_no_space_between_two_chinese_characters(string name, string[] args)
    {
        var (code, json, err, _) = CliLanguageTests.Run(null, [.. args, "--lang", "zh", "--format", "json"]);
        // A refused input prints its error as a JSON document on standard error; it is scanned the same way.
        Assert.True(code is 0 or 2, $"{name}: {err}");
        var (_, markdown, markdownErr, _) = CliLanguageTests.Run(null, [.. args, "--lang", "zh", "--format", "markdown"]);
        var texts = Strings(JsonDocument.Parse(code == 0 ? json : err).RootElement).Concat(markdown.Split('\n')).Concat(markdownErr.Split('\n')).ToList();
        // The scan reads Chinese: a run that printed none would pass without checking anything.
        Assert.Contains(texts, t => t.Any(c => c is >= '\u4E00' and <= '\u9FFF'));
        var spaced = texts.Where(t => SpaceBetweenChinese().IsMatch(t)).Distinct().ToList();
        Assert.True(spaced.Count == 0, $"{name}: a space between two Chinese characters in:\n{string.Join("\n", spaced)}");
    }

    [Fact]
    public void A_chinese_placeholder_joins_the_chinese_around_it_and_a_latin_one_keeps_its_spaces()
    {
        // capacity: "超过后 {failing} 目标无法达到" takes TTFT (Latin, spaced) or 端到端 (Chinese, joined).
        var zh = Suanli.Text.Languages.Chinese;
        string Rendered(string target) => Suanli.Text.Phrase.Of("capacity",
            "One {model} replica on {devices} x {device} carries {load} with {targets}; beyond it the {failing} target fails ({result}).",
            ("model", "qwen2-7b"), ("devices", "1"), ("device", "nvidia-a100-sxm4-80gb"), ("load", "9 req/s"), ("targets", "TTFT p90 <= 2 s"),
            ("failing", Suanli.Text.Phrase.Of("failing#" + target, target)), ("result", "x")).Render(zh, Suanli.Text.FieldNames.Core);
        Assert.Contains("超过后端到端目标无法达到", Rendered("e2e"), StringComparison.Ordinal);
        Assert.Contains("超过后 TTFT 目标无法达到", Rendered("ttft"), StringComparison.Ordinal);
        Assert.Contains("一个 qwen2-7b 在 1 x nvidia-a100-sxm4-80gb 上的副本", Rendered("ttft"), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
