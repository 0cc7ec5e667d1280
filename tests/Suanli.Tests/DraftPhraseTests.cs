using System.Text.RegularExpressions;
using Suanli.Files;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The scenario's errors and assumptions are phrases: a code, the English sentence the command line prints, and a
/// Chinese rendering with the same values and the field spelled as the scenario file names it.
/// </summary>
public class DraftPhraseTests
{
    private const string Head = "name: t\ncurrency: USD\nhardware: nvidia-h100-sxm5-80gb\napplications:\n  - name: chat\n    model: meta-llama/Llama-3.1-70B\n";

    private static InputException Refused(string application) =>
        Assert.ThrowsAny<InputException>(() => ScenarioFile.Parse(Head + application, "t.yaml", CatalogFiles.Embedded));

    // Units and ids that read the same in every language.
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "kW", "ms", "vllm" };

    // Runs of Latin letters that are prose rather than an id, the key before " = ", a quoted command or a unit (ids carry digits, dots, dashes or underscores).
    private static List<string> EnglishWords(string text) =>
        [.. Regex.Split(Regex.Replace(Regex.Replace(text, "'[^']*'", " "), @"^[A-Za-z0-9_.\-]+ = ", " "), @"[\s,;:()（）：；，、。=]+")
            .Where(w => Regex.IsMatch(w, "^[A-Za-z]{2,}$") && !Regex.IsMatch(w, "^[A-Z0-9]+$") && !Allowed.Contains(w))];

    [Fact]
    public void A_negative_user_count_is_a_coded_error_at_its_key_in_english_and_chinese()
    {
        var e = Refused("    users: {daily_active: -5, requests_per_user_per_day: 5}\n    input_tokens: 800\n    output_tokens: 400\n");
        Assert.Equal("t.yaml:7:27: applications[0].users.daily_active must be from 1 to 100,000,000,000, got -5.", e.Message);
        Assert.Equal("applications[0].users.daily_active", e.Field);
        Assert.Equal("draft#users-count-range", e.Text!.Key);
        var zh = e.Text.Render(Languages.Chinese, FieldNames.Core);
        Assert.Equal("applications[0].users.daily_active 必须在 1 到 100,000,000,000 之间，实际为 -5。", zh);
        Assert.Empty(EnglishWords(zh));
    }

    [Fact]
    public void A_zero_tpot_target_names_its_key_in_both_languages()
    {
        var e = Refused("    peak_rate: 2\n    input_tokens: 800\n    output_tokens: 400\n    targets: {ttft_p90_s: 2, tpot_p90_s: 0}\n");
        Assert.Equal("tpot_p90_s must be above 0 and at most 86,400 seconds, got 0.", e.Detail);
        Assert.Equal("tpot_p90_s 必须大于 0 且不超过 86,400 秒，实际为 0。", e.Text!.Render(Languages.Chinese, FieldNames.Core));
    }

    [Fact]
    public void The_default_assumptions_keep_their_english_and_render_in_chinese()
    {
        var s = ScenarioFile.Parse(Head + "    peak_rate: 2\n    input_tokens: 800\n    output_tokens: 400\n", "t.yaml", CatalogFiles.Embedded);
        var policy = s.Assumptions.Single(a => a.English.StartsWith("policy = ", StringComparison.Ordinal));
        Assert.Equal("policy = 20% headroom, at least 1 replica, 10-minute scale-up (default)", policy.English);
        Assert.Equal("policy = 20% 余量，至少 1 个副本，10 分钟扩容（默认）", policy.Render(Languages.Chinese, FieldNames.Core));
        var profile = s.Assumptions.Single(a => a.English.StartsWith("chat.profile = ", StringComparison.Ordinal));
        Assert.Equal("chat.profile = office-hours (default, illustrative)", profile.English);
        Assert.Equal("chat.profile = office-hours（默认，示意）", profile.Render(Languages.Chinese, FieldNames.Core));
        // Every assumption has a Chinese rendering whose prose is Chinese: only keys, ids and units stay Latin.
        foreach (var a in s.Assumptions)
        {
            var zh = a.Render(Languages.Chinese, FieldNames.Core);
            Assert.True(EnglishWords(zh).Count == 0, $"'{zh}' keeps English words: {string.Join(", ", EnglishWords(zh))}");
        }
    }

    [Fact]
    public void The_peak_from_user_counts_renders_its_derivation_in_chinese_with_the_same_figures()
    {
        var s = ScenarioFile.Parse(Head + "    users: {registered: 1e6, daily_active_share: 0.2, requests_per_user_per_day: 5}\n    input_tokens: 800\n    output_tokens: 400\n    profile: flat\n",
            "t.yaml", CatalogFiles.Embedded);
        var users = s.Assumptions.Single(a => a.English.StartsWith("chat.peak_rate = ", StringComparison.Ordinal));
        // 1e6 x 0.2 = 200,000 daily active x 5 = 1,000,000 requests a day; / 86,400 s / 1 (flat) = 11.6 requests/s.
        Assert.Equal("chat.peak_rate = 200,000 daily active users (1,000,000 registered x 0.2 active a day) x 5 requests a day = 1,000,000 requests a day; "
            + "/ 86,400 s / 1 (flat mean load of the peak) = 11.6 requests/s (users; docs/methodology-fleet.md, 'Demand from users')", users.English);
        var zh = users.Render(Languages.Chinese, FieldNames.Core);
        Assert.Equal("chat.peak_rate = 200,000 日活跃用户（1,000,000 注册用户 x 每天 0.2 活跃） x 每天 5 个请求 = 每天 1,000,000 个请求；/ 86,400 s / 1（flat 曲线的平均负载占峰值的比例）= 11.6 请求/秒"
            + "（按用户数；见 docs/methodology-fleet.md 的“由用户数得出需求”）", zh);
    }
}
