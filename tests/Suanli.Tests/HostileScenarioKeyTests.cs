using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Scenario keys a hostile sweep found answered at no line, under a key the file does not have, or under a command-line
/// option plan does not take: each is now exit 2 at the key's line, naming the key and what to give (en + zh).
/// </summary>
public class HostileScenarioKeyTests
{
    private const string Application = "applications:\n  - name: a\n    model: llama-3.1-8b\n    peak_rate: 5\n    input_tokens: 500\n    output_tokens: 100\n";

    private static (string En, string Zh) Refused(string yaml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-keys-").FullName, "h.yaml");
        File.WriteAllText(path, yaml);
        var (code, output, err, _) = CliTests.Run("plan", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var (zhCode, _, zh, _) = CliTests.Run("plan", path, "--lang", "zh");
        Assert.Equal(2, zhCode);
        return (err.TrimEnd().Replace(path, "h.yaml", StringComparison.Ordinal), zh.TrimEnd().Replace(path, "h.yaml", StringComparison.Ordinal));
    }

    [Theory]
    // Each was "candidates.tariff: ..." (a key the file did not have) at no line; -1 was "--tariff must be zero or more".
    [InlineData("1e308 USD/kWh", "error: h.yaml:2:9: tariff: '1e308 USD/kWh' is out of range: a tariff is at most 100 USD, CNY or EUR per kWh; check the exponent or the digits.",
        "错误：h.yaml:2:9: tariff：'1e308 USD/kWh' 超出范围：电价每千瓦时至多 100 USD、CNY 或 EUR；请检查指数或数字。")]
    [InlineData("-1 USD/kWh", "error: h.yaml:2:9: tariff: '-1 USD/kWh' is negative; a tariff is zero or more per kWh, e.g. '0.65 CNY/kWh'.",
        "错误：h.yaml:2:9: tariff：'-1 USD/kWh' 为负数；电价应为每 kWh 零或更多，例如 '0.65 CNY/kWh'。")]
    [InlineData("NaN USD/kWh", "error: h.yaml:2:9: tariff: 'NaN USD/kWh' is not a tariff; write it like '0.65 CNY/kWh'.",
        "错误：h.yaml:2:9: tariff：'NaN USD/kWh' 不是电价；请写作 '0.65 CNY/kWh' 这样的形式。")]
    public void A_bad_scenario_tariff_is_refused_at_its_line_under_its_own_key(string tariff, string en, string zh)
    {
        var (gotEn, gotZh) = Refused($"hardware: h100\ntariff: {tariff}\n{Application}");
        Assert.Equal(en, gotEn);
        Assert.Equal(zh, gotZh);
    }

    [Fact]
    public void An_unknown_tariff_region_is_placed_at_the_tariff_key()
    {
        var (en, _) = Refused($"hardware: h100\ntariff: Mars\n{Application}");
        // A tariff is a price or a region of the prices catalog: the fix names both ('suanli catalog' listed neither).
        Assert.StartsWith("error: h.yaml:2:9: Unknown tariff region 'Mars'. Give a price such as '0.65 CNY/kWh', or a region 'suanli catalog prices' lists.", en, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_tariff_region_names_the_nearest_regions_in_the_readers_language()
    {
        var (code, _, err, _) = CliTests.Run("train", "--model", "llama-3-8b", "--tokens", "1T", "--hardware", "h100", "--days", "30", "--tariff", "US-VA-industrail", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains("未知的电价地区 'US-VA-industrail'。请给出价格，例如 '0.65 CNY/kWh'，或 'suanli catalog prices' 列出的地区（最接近的：'US-VA-industrial'", err, StringComparison.Ordinal);
    }

    [Theory]
    // 1e9 was "min_replicas must be between 0 and 100,000, got 1000000000" at no line, from the fleet planner.
    [InlineData("min_replicas: 1e9", 24, "policy.min_replicas must be a whole number from 0 to 100,000, got 1,000,000,000.", "policy.min_replicas 必须是 0 到 100,000 的整数，实际为 1,000,000,000。")]
    [InlineData("min_replicas: -1", 24, "policy.min_replicas must be a whole number from 0 to 100,000, got -1.", "policy.min_replicas 必须是 0 到 100,000 的整数，实际为 -1。")]
    // A delay of -1 was told as "policy.min_replicas must be 0 or more and scale_up_delay_minutes from 0 to 1440", at min_replicas.
    [InlineData("scale_up_delay_minutes: -1", 34, "policy.scale_up_delay_minutes must be from 0 to 1,440 minutes (one day), got -1.", "policy.scale_up_delay_minutes 必须在 0 到 1,440 分钟（一天）之间，实际为 -1。")]
    [InlineData("scale_up_delay_minutes: 1441", 34, "policy.scale_up_delay_minutes must be from 0 to 1,440 minutes (one day), got 1,441.", "policy.scale_up_delay_minutes 必须在 0 到 1,440 分钟（一天）之间，实际为 1,441。")]
    public void A_policy_value_out_of_range_names_its_own_key_at_its_line(string policy, int column, string en, string zh)
    {
        var (gotEn, gotZh) = Refused($"hardware: h100\npolicy: {{{policy}}}\n{Application}");
        Assert.Equal($"error: h.yaml:2:{column}: {en}", gotEn);
        Assert.Equal($"错误：h.yaml:2:{column}: {zh}", gotZh);
    }

    [Fact]
    public void The_largest_policy_values_still_plan()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-keys-").FullName, "h.yaml");
        File.WriteAllText(path, $"hardware: h100\npolicy: {{min_replicas: 0, scale_up_delay_minutes: 1440}}\n{Application}");
        var (code, _, err, _) = CliTests.Run("plan", path, "--format", "json");
        Assert.True(code == 0, err);
    }

    [Theory]
    // An empty name planned an application every finding and table called "".
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    public void An_empty_application_name_is_refused_at_its_line(string name)
    {
        var (en, zh) = Refused($"hardware: h100\n{Application.Replace("name: a", "name: " + name, StringComparison.Ordinal)}");
        Assert.Equal("error: h.yaml:3:11: applications[0].name is empty; give the application a name, e.g. applications[0].name: chat.", en);
        Assert.Equal("错误：h.yaml:3:11: applications[0].name 为空；请给应用起个名字，例如 applications[0].name: chat。", zh);
    }
}
