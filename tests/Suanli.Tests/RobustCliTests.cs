using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Number options read as the API reads them (invariant, finite, no thousands separators), and an option the run would
/// drop unseen is refused: found by attacking the CLI with commas, 1e400 and a think time beside a rate.
/// </summary>
public class RobustCliTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--requests", "20"];

    [Theory]
    // System.CommandLine's default took the thousands separator: 15 requests/s, silently (1.5 under a German locale).
    [InlineData("--rate", "1,5")]
    [InlineData("--rate", "1e400")]
    [InlineData("--rate", "NaN")]
    [InlineData("--rate", "2 req/s")]
    public void A_number_option_with_a_comma_a_unit_or_past_double_is_exit_2_naming_the_option(string option, string value)
    {
        var (code, output, err, _) = CliTests.Run([.. Simulate, option, value]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {option}: '{value}' is not a finite number. Use digits with a point, e.g. 0.5, 2.5 or 1e6, without thousands separators or units.", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void The_number_option_error_is_a_phrase_with_a_chinese_template()
    {
        var (_, _, err, _) = CliTests.Run([.. Simulate, "--rate", "1,5"]);
        var phrase = Phrase.Of("option-not-a-number", "{option}: '{value}' is not a finite number. Use digits with a point, e.g. 0.5, 2.5 or 1e6, without thousands separators or units.",
            ("option", "--rate"), ("value", "1,5"));
        Assert.StartsWith("error: " + phrase.English, err, StringComparison.Ordinal);
        Assert.Equal("--rate：'1,5' 不是有限数字。请用带小数点的数字，例如 0.5、2.5 或 1e6，不要千位分隔符或单位。", phrase.Render(Languages.Chinese, FieldNames.Core));
    }

    [Theory]
    [InlineData("--rate", "5")]
    [InlineData("--concurrency", "8")]
    public void Capacity_refuses_a_load_it_would_vary_rather_than_drop_it(string option, string value)
    {
        var (code, output, err, _) = CliTests.Run("capacity", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--tpot-p90", "0.1", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {option} sets the load of one simulation; the capacity search varies the load itself (--mode rate or --mode concurrency). Drop {option}.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_help_lists_no_load_but_simulate_help_does()
    {
        // The search varies the load, so its help must not offer one (the run refuses it by name, as above).
        var (code, capacity, _, _) = CliTests.Run("capacity", "--help");
        Assert.Equal(0, code);
        Assert.DoesNotContain("--rate", capacity, StringComparison.Ordinal);
        Assert.DoesNotContain("--concurrency", capacity, StringComparison.Ordinal);
        Assert.Contains("--mode", capacity, StringComparison.Ordinal);
        var (_, simulate, _, _) = CliTests.Run("simulate", "--help");
        Assert.Contains("--rate <rate>", simulate, StringComparison.Ordinal);
        Assert.Contains("-c, --concurrency <concurrency>", simulate, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_option_in_invariant_notation_still_reads()
    {
        var (code, output, _, _) = CliTests.Run([.. Simulate, "--rate", "1.5e0", "--format", "json"]);
        Assert.Equal(0, code);
        Assert.Contains("\"requestRate\": 1.5,", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_think_time_beside_a_rate_is_refused_rather_than_dropped()
    {
        var (code, output, err, _) = CliTests.Run([.. Simulate, "--rate", "1", "--think-time", "5"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: --think-time applies only to a closed loop of clients (--concurrency N); with --rate, --trace or a capacity search", err, StringComparison.Ordinal);
        Assert.Equal(0, CliTests.Run([.. Simulate, "--concurrency", "2", "--think-time", "5"]).Code);
    }

    [Fact]
    public void A_target_past_a_day_is_refused_as_a_scenario_file_refuses_it()
    {
        // A TTFT target of 1e308 s was accepted by simulate and capacity although a scenario file stops at 86,400 s.
        var (code, output, err, _) = CliTests.Run([.. Simulate, "--rate", "1", "--ttft-p90", "1e308"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: --ttft-p90 must be between 0 and 86400, got ", err, StringComparison.Ordinal);
        Assert.Equal(0, CliTests.Run([.. Simulate, "--rate", "1", "--ttft-p90", "86400"]).Code);
    }
}
