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

    private static string Temp(string name, string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("suanli-coding-").FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("--currency", "EUR", "Set currency in the scenario file")]
    [InlineData("--ttft-p90", "3", "Set applications[].targets.ttft_p90_s in the scenario file")]
    [InlineData("--input", "19000", "Set applications[].input_tokens in the scenario file")]
    [InlineData("--hardware", "h100", "Set candidates.hardware in the scenario file")]
    [InlineData("--quality", "MMLU>=80", "Set applications[].quality in the scenario file")]
    public void Optimize_refuses_a_one_application_flag_beside_a_scenario_instead_of_ignoring_it(string option, string value, string fix)
    {
        // 'optimize coding.yaml --currency EUR' searched the file and priced it in USD, exit 0: the flag was read only
        // without a scenario, and nothing said so.
        var scenario = Temp("coding.yaml", Scenario);
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
}
