using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Defects a sweep of every command's options with negative, zero, huge, NaN, empty, non-ASCII, numeric and
/// comma-joined values found: each is now exit 2 with one line naming the option and what to give, in English and Chinese.
/// </summary>
public class HostileCliSweepTests
{
    private static readonly string[] Train = ["train", "--model", "llama-3.1-8b", "--hardware", "h100", "--devices", "64"];

    private static void Refused(string message, params string[] args)
    {
        var (code, output, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message, err.TrimEnd());
    }

    [Theory]
    // Enum.TryParse took numbers (the report was titled "Training llama-3.1-8b (-1, bf16)") and comma-joined names (LoRA).
    [InlineData("--method", "-1", "full, lora, qlora")]
    [InlineData("--method", "full,lora", "full, lora, qlora")]
    [InlineData("--recompute", "2", "full, none, selective")]
    [InlineData("--format", "1", "csv, json, markdown, table")]
    public void A_choice_option_given_a_number_or_two_joined_names_is_refused_listing_the_names(string option, string value, string names)
    {
        Refused($"error: {option}: '{value}' is not one of {names}. See 'suanli train --help'.", [.. Train, "--tokens", "1T", option, value]);
    }

    [Fact]
    public void A_choice_option_still_takes_its_names_in_any_case()
    {
        var (code, output, err, _) = CliTests.Run([.. Train, "--tokens", "1T", "--method", "LoRA", "--recompute", "FULL", "--format", "Json"]);
        Assert.True(code == 0, err);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("lora", json.RootElement.GetProperty("inputs").GetProperty("method").GetString());
    }

    [Theory]
    // 1e-320 tokens made the planner's token rate infinite: exit 70, "This is a defect, not bad input".
    [InlineData("--tokens", "1e-320", "1E-320")]
    [InlineData("--tokens", "0.5", "0.5")]
    // One FLOP is 1.94e-11 of an 8B model's tokens.
    [InlineData("--flops", "1", "1.94E-11")]
    public void A_budget_worth_less_than_one_token_is_refused_naming_its_option(string option, string value, string tokens)
    {
        Refused($"error: {option} {value} gives {tokens} tokens to train on, less than one; give enough for at least one token.", [.. Train, option, value]);
        var (code, _, err, _) = CliTests.Run([.. Train, option, value, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} {value} 只够训练 {tokens} 个 token，不足一个；请给出至少够训练一个 token 的值。", err.TrimEnd());
    }

    [Theory]
    // simulate, capacity, a scenario file and the plan page refuse a target over a day; compare and optimize took 1e308 s.
    [InlineData("--tpot-p90", "1e308", "1E+308", "compare", "--requests-per-month", "1M", "--model", "llama-3.1-8b", "--hardware", "h100")]
    [InlineData("--ttft-p90", "9999999999999", "1E+13", "optimize", "--model", "qwen2.5-14b", "--hardware", "h100", "--rate", "10")]
    public void A_latency_target_over_a_day_is_refused_by_compare_and_optimize_as_by_simulate(string option, string value, string shown, params string[] command)
    {
        Refused($"error: {option} must be between 0 and 86400, got {shown}.", [.. command, option, value]);
        var (code, _, err, _) = CliTests.Run([.. command, option, value, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} 必须介于 0 和 86400 之间，实际为 {shown}。", err.TrimEnd());
    }

    [Theory]
    // The tree builder made the list contain itself; the first walk of it overflowed the stack and killed the process
    // ("Stack overflow." and a trace, no exit code of ours), the web server with it.
    [InlineData("x: &a [*a]\n", 1, 8)]
    [InlineData("x: &a {b: [1, {c: *a}]}\n", 1, 19)]
    public void An_alias_inside_its_own_anchor_is_a_located_error_not_a_stack_overflow(string yaml, int line, int column)
    {
        var ex = Assert.Throws<Suanli.InputException>(() => Suanli.Files.ScenarioFile.Parse(yaml, "s.yaml", Suanli.Files.CatalogFiles.Embedded));
        Assert.Equal(new Suanli.SourceLocation("s.yaml", line, column), ex.Location);
        Assert.Equal("'*a' stands for the list or mapping it is inside (&a), which would repeat itself forever. Write the values out, or alias a node that ends before this point.", ex.Detail);
    }

    [Fact]
    public void An_alias_of_a_finished_anchor_still_reads_as_its_values()
    {
        var yaml = "hardware: a100-80gb\napplications:\n  - &kb\n    name: kb\n    model: qwen2-72b\n    peak_concurrency: 5\n    input_tokens: 1000\n    output_tokens: 200\n  - *kb\n";
        var ex = Assert.Throws<Suanli.InputException>(() => Suanli.Files.ScenarioFile.Parse(yaml, "s.yaml", Suanli.Files.CatalogFiles.Embedded));
        // The second application is the first one again, so it is refused for its repeated name: the alias was expanded.
        Assert.Equal("Two applications are named 'kb'; names must be unique.", ex.Detail);
    }
}
