using Xunit;

namespace Suanli.Tests;

/// <summary>
/// What a budget owner sizing an internal coding assistant (long prompts, a quality floor, a rack budget, USD and EUR)
/// met walking plan, optimize, compare and train: options a command took and then ignored.
/// </summary>
public class CodingAssistantWalkTests
{
    private const string Scenario = """
        currency: USD
        hardware: amd-mi300x
        devices_per_replica: 1
        applications:
          - name: coding
            model: openai/gpt-oss-120b
            precision: fp8
            peak_rate: 1
            input_tokens: 2000
            output_tokens: 200
            profile: flat
        """;

    [Theory]
    [InlineData("--currency", "EUR", "Set currency in the scenario file")]
    [InlineData("--ttft-p90", "3", "Set applications[].targets.ttft_p90_s in the scenario file")]
    [InlineData("--ttft-percentile", "99", "Set applications[].targets.ttft_p99_s (the percentile in the key) in the scenario file")]
    [InlineData("--tpot-percentile", "95", "Set applications[].targets.tpot_p99_s (the percentile in the key) in the scenario file")]
    [InlineData("--input", "19000", "Set applications[].input_tokens in the scenario file")]
    [InlineData("--hardware", "h100", "Set candidates.hardware in the scenario file")]
    [InlineData("--quality", "MMLU>=80", "Set applications[].quality in the scenario file")]
    public void Optimize_refuses_a_one_application_flag_beside_a_scenario_instead_of_ignoring_it(string option, string value, string fix)
    {
        // 'optimize coding.yaml --currency EUR' searched the file and priced it in USD, exit 0: the flag was read only
        // without a scenario, and nothing said so.
        var scenario = TempFiles.Write("coding.yaml", Scenario);
        var (code, output, err, _) = CliTests.Run("optimize", scenario, option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"{option} describes the one application searched without a scenario", err);
        Assert.Contains(fix, err);
        (code, _, err, _) = CliTests.Run("optimize", scenario, option, value, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains($"{option} 只用于不带场景文件时搜索的单个应用", err);
        Assert.Contains("请在场景文件中设置", err);
    }

    [Fact]
    public void Train_refuses_devices_beside_days_in_the_readers_language()
    {
        // 'train ... --devices 8 --days 2 --lang zh' printed '错误：Give --devices ... not both.' in English.
        var args = new[] { "train", "--model", "llama-3.1-70b", "--tokens", "1e9", "--hardware", "h100", "--devices", "8", "--days", "2" };
        var (code, _, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Contains("Give --devices (the days for that cluster) or --days (the devices for that deadline), not both.", err);
        (code, _, err, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Contains("请给出 --devices（求该集群所需的天数）或 --days（求该期限所需的设备数），不要同时给出。", err);
    }

    [Fact]
    public void Chinchilla_tokens_without_params_is_refused_in_the_readers_language()
    {
        var (code, _, err, _) = CliTests.Run("chinchilla", "--flops", "1e23", "--tokens", "1.4T", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains("--tokens 需要 --params：请给出要预测其损失的模型规模，例如 --params 70B --tokens 1.4T。", err);
        (code, _, err, _) = CliTests.Run("chinchilla", "--flops", "1e23", "--tokens", "1.4T");
        Assert.Equal(2, code);
        Assert.Contains("--tokens needs --params: give the model size whose loss to predict, e.g. --params 70B --tokens 1.4T.", err);
    }

    [Fact]
    public void A_reserved_rate_at_or_above_on_demand_is_not_offered_as_one_busy_devices_may_take()
    {
        // H100 at 2.31 USD/h on demand, 2.35 reserved-1y and 2.97 reserved-3y: plan noted 'the plan reserves the devices
        // busy long enough for that to cost less than on demand' for both, though a rate that bills every hour and is
        // no lower never costs less. Here an on-demand row at 0.50 USD/h sits under every reserved row of the catalog.
        var scenario = TempFiles.Write("h100.yaml", """
            currency: USD
            hardware: h100
            applications:
              - name: chat
                model: llama-3.1-8b
                peak_rate: 1
                input_tokens: 1000
                output_tokens: 200
                profile: flat
            """);
        var prices = TempFiles.Write("p.yaml", """
            rent:
              - provider: A test quote
                hardware: nvidia-h100-sxm5-80gb
                per_device_hour: "0.50 USD"
                term: on-demand
                source: "a quote for this test"
                date: 2026-11-01
            """);
        foreach (var (lang, wanted) in new[] { ("en", ", at or above the on-demand 0.5 USD, so no device is reserved at it."), ("zh", "），不低于按需价 0.5 USD，因此不按此预留任何设备。") })
        {
            var (code, output, err, _) = CliTests.Run("plan", scenario, "--prices", prices, "--format", "json", "--lang", lang);
            Assert.True(code == 0, err);
            using var doc = System.Text.Json.JsonDocument.Parse(output);
            var offered = doc.RootElement.GetProperty("findings").EnumerateArray()
                .Where(f => f.GetProperty("code").GetString() == "rent-offered").Select(f => f.GetProperty("message").GetString()!).ToList();
            Assert.Equal(2, offered.Count); // reserved-1y and reserved-3y, each above 0.50 USD
            Assert.All(offered, m => Assert.EndsWith(wanted, m, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("12.5 MW", "12.5 MW")]
    [InlineData("1e9 kW", "1e9 kW")]
    public void A_rack_past_a_megawatt_is_refused_at_its_key_as_density_refuses_it(string power, string shown)
    {
        // 'rack: {power: 12.5 MW}' (kW meant) planned every device into one rack of 12.5 MW, and 1e9 kW planned too,
        // while 'suanli density --rack-kw' stops at 1,000 kW.
        var scenario = TempFiles.Write("rack.yaml", Scenario + $"\nrack: {{power: {power}}}\n");
        var (code, _, err, _) = CliTests.Run("plan", scenario);
        Assert.Equal(2, code);
        Assert.Contains($"rack.yaml:12:15: rack.power must be at most 1,000 kW (a megawatt rack, the largest announced), got {shown}; give the IT power one rack may draw, e.g. 12.5 kW.", err);
        (code, _, err, _) = CliTests.Run("plan", scenario, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains($"rack.power 不能超过 1,000 kW（兆瓦级机架，已公布的最大设计），实际为 {shown}；", err);
        (code, _, err, _) = CliTests.Run("density", "--rack-kw", "1001");
        Assert.Equal(2, code);
        Assert.Contains("1000", err.Replace(",", ""));
    }

    [Fact]
    public void A_profile_hour_that_is_not_a_number_is_quoted_with_how_to_write_one()
    {
        // 'profile: [abc, 1, ...]' said only "'applications[0].profile[0]' must be a number."
        var hours = string.Join(", ", Enumerable.Repeat("1", 23));
        var scenario = TempFiles.Write("p.yaml", Scenario.Replace("profile: flat", $"profile: [abc, {hours}]"));
        var (code, _, err, _) = CliTests.Run("plan", scenario);
        Assert.Equal(2, code);
        Assert.Contains("'applications[0].profile[0]' must be a number, got 'abc'; write digits with a point, e.g. 0.5 or 1e6.", err);
        (code, _, err, _) = CliTests.Run("plan", scenario, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains("'applications[0].profile[0]' 必须是数字，实际为 'abc'；", err);
    }

    [Theory]
    [InlineData("200")]
    [InlineData("-1")]
    [InlineData("NaN")]
    public void A_custom_options_quality_outside_0_to_100_is_refused(string quality)
    {
        // 'x;quality=200' was compared as a quality of 200 beside models scored 0 to 100.
        var (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--custom", $"x;per-10k=1 USD;quality={quality}");
        Assert.Equal(2, code);
        var notANumber = quality == "NaN";
        Assert.Contains(notANumber ? $"quality in --custom 'x' must be a number, got '{quality}'." : $"quality in --custom 'x' is a benchmark score from 0 to 100 (MMLU 71.4, say), got '{quality}'.", err);
        (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--custom", $"x;per-10k=1 USD;quality={quality}", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains(notANumber ? $"--custom 'x' 中的 quality 必须是数字，实际为 '{quality}'。" : $"--custom 'x' 中的 quality 是 0 到 100 之间的基准分数（例如 MMLU 71.4），实际为 '{quality}'。", err);
    }

    [Fact]
    public void An_exchange_rate_from_a_currency_to_itself_is_refused()
    {
        // 'USD/USD=2@2025-01-01' compared as if nothing had been given.
        var (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--exchange-rate", "USD/USD=2@2025-01-01");
        Assert.Equal(2, code);
        Assert.Contains("'USD/USD=2@2025-01-01' converts USD into itself; give the rate between two currencies, e.g. 'USD/CNY=7.2734@2025-02-28'.", err);
        (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--exchange-rate", "USD/USD=2@2025-01-01", "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains("'USD/USD=2@2025-01-01' 把 USD 换算成它自己；", err);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_model_name_suggests_no_unrelated_model(string name)
    {
        // 'memory --model ""' answered "Did you mean 'hy3', '混元3'?".
        var (code, _, err, _) = CliTests.Run("memory", "--model", name);
        Assert.Equal(2, code);
        Assert.Contains($"Unknown model '{name}'. List the catalog with", err);
        Assert.DoesNotContain("Did you mean", err);
        (code, _, err, _) = CliTests.Run("memory", "--model", name, "--lang", "zh");
        Assert.Equal(2, code);
        Assert.Contains($"未知的模型 '{name}'。用", err);
        Assert.DoesNotContain("您是否想要", err);
    }
}
