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
    [InlineData("--tokens", "1e-320", "1e-320")]
    [InlineData("--tokens", "0.5", "0.5")]
    // One FLOP is 1.94e-11 of an 8B model's tokens.
    [InlineData("--flops", "1", "1.94286e-11")]
    public void A_budget_worth_less_than_one_token_is_refused_naming_its_option(string option, string value, string tokens)
    {
        Refused($"error: {option} {value} gives {tokens} tokens to train on, less than one; give enough for at least one token.", [.. Train, option, value]);
        var (code, _, err, _) = CliTests.Run([.. Train, option, value, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} {value} 只够训练 {tokens} 个词元，不足一个；请给出至少够训练一个词元的值。", err.TrimEnd());
    }

    [Theory]
    // simulate, capacity, a scenario file and the plan page refuse a target over a day; compare and optimize took 1e308 s.
    [InlineData("--tpot-p90", "1e308", "1e308", "compare", "--requests-per-month", "1M", "--model", "llama-3.1-8b", "--hardware", "h100")]
    [InlineData("--ttft-p90", "9999999999999", "9,999,999,999,999", "optimize", "--model", "qwen2.5-14b", "--hardware", "h100", "--rate", "10")]
    public void A_latency_target_over_a_day_is_refused_by_compare_and_optimize_as_by_simulate(string option, string value, string shown, params string[] command)
    {
        Refused($"error: {option} must be between 0 and 86,400, got {shown}.", [.. command, option, value]);
        var (code, _, err, _) = CliTests.Run([.. command, option, value, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} 必须介于 0 和 86,400 之间，实际为 {shown}。", err.TrimEnd());
    }

    private const string Floor = " s is below 1 µs (0.000001 s), shorter than any engine step: the calibrated step-time model charges every step a fixed overhead longer than that (catalog/calibration/steptime.yaml). Give the target in seconds (0.05 = 50 ms).";
    private const string FloorZh = " 秒低于 1 微秒（0.000001 秒），比任何引擎步都短：校准后的步时模型给每一步计入的固定开销都比这更长（catalog/calibration/steptime.yaml）。请以秒为单位给出目标（0.05 = 50 毫秒）。";

    [Theory]
    // A denormal target (1e-320 s) was taken, searched for and answered with "no load meets it" and alternatives.
    [InlineData("--tpot-p90", "1e-320", "1e-320", "capacity", "-m", "llama-3.1-8b", "-H", "h100", "-i", "512", "-o", "128")]
    [InlineData("--ttft-p99", "1e-7", "1e-7", "simulate", "-m", "llama-3.1-8b", "-H", "h100", "-i", "512", "-o", "128", "--rate", "1")]
    [InlineData("--ttft-p90", "5e-7", "5e-7", "compare", "--requests-per-month", "1M", "--model", "llama-3.1-8b", "--hardware", "h100")]
    [InlineData("--tpot-p90", "1e-9", "1e-9", "optimize", "--model", "qwen2.5-14b", "--hardware", "h100", "--rate", "10")]
    public void A_latency_target_below_a_microsecond_is_refused_naming_the_floor_and_why(string option, string value, string shown, params string[] command)
    {
        Refused($"error: {option} {shown}{Floor}", [.. command, option, value]);
        var (code, _, err, _) = CliTests.Run([.. command, option, value, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} {shown}{FloorZh}", err.TrimEnd());
    }

    [Fact]
    public void A_deadline_below_a_ten_thousandth_of_a_day_is_echoed_as_given_not_as_zero_days()
    {
        // --days 1e-300 was refused as "within 0 days", a deadline the user never typed.
        // The fastest time comes from the fitted MFU, so only the echo is pinned whole.
        var (code, output, err, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--hardware", "h100", "--days", "1e-300", "--tokens", "1T");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: No cluster of up to 1,000,000 x nvidia-h100-sxm5-80gb trains llama-3.1-8b on 1,000,000,000,000 tokens within 1e-300 days: the fastest is ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fastest_time_below_the_shown_decimals_keeps_three_significant_figures_not_zero_days_and_zero_hours()
    {
        // A million tokens on up to a million H100s takes well under a second: the refusal said "the fastest is 0 days
        // (0 hours)", a time no run takes. Each figure is a positive number in the form Phrase.Number writes.
        var (code, output, err, _) = CliTests.Run("train", "--model", "llama-3.1-8b", "--hardware", "h100", "--days", "1e-12", "--tokens", "1M");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var m = System.Text.RegularExpressions.Regex.Match(err, @"the fastest is (\S+) days \((\S+) hours\)");
        Assert.True(m.Success, err);
        foreach (var figure in new[] { m.Groups[1].Value, m.Groups[2].Value })
        {
            Assert.NotEqual("0", figure);
            Assert.True(double.Parse(figure, System.Globalization.CultureInfo.InvariantCulture) > 0, err);
        }
        var days = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var hours = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(days * 24, hours, hours * 0.01);
    }

    [Theory]
    // 1e308 requests a month was refused with a 300-digit replica count and "lower the volume range", a range never given;
    // volumes past 2.628e14 a month are now refused by their option (below), so 1e14 a month reaches the limits here.
    // The capacity per replica comes from the calibrated step-time model, so only the count's form is pinned.
    [InlineData("qwen2.5-7b", @"^error: The volume needs \d{1,3}(,\d{3}){2} replicas at [\d.]+ requests/s each, more than the 10,000,000 a comparison sizes; lower the volume\.$",
        @"^错误：该请求量需要 \S+ 个副本，每个 [\d.]+ 请求/秒，超过比较所能估算的 10,000,000 个；请降低请求量。$")]
    // Fewer replicas than the limit, but more devices: it failed as "devices must be between 0 and 10,000,000", naming no option.
    [InlineData("llama-3.1-70b", @"^error: The volume needs \d{1,3}(,\d{3}){2} replicas of \d+ devices, \d{1,3}(,\d{3}){2} devices, more than the 10,000,000 a comparison sizes; lower the volume\.$",
        @"^错误：该请求量需要 \S+ 个副本，每个 \d+ 台设备，共 \S+ 台设备，超过比较所能估算的 10,000,000 台；请降低请求量。$")]
    public void A_volume_past_ten_million_replicas_names_the_limit_with_a_readable_count(string model, string pattern, string zhPattern)
    {
        // A 7B model's replicas on one H100 each reach the replica limit at a peak 100 times the mean.
        string[] args = ["compare", "--requests-per-month", "1e14", "--model", model, "--hardware", "h100", .. model == "qwen2.5-7b" ? ["--peak-factor", "100"] : Array.Empty<string>()];
        var (code, output, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Matches(pattern, err.TrimEnd());
        var (_, _, zh, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Matches(zhPattern, zh.TrimEnd());
    }

    private const string VolumeLimit = "more than the 262,800,000,000,000 a comparison takes (100,000,000 requests/s";

    [Theory]
    // 1e308 requests a month overflowed the month's token count: "tokens must be a finite number, got Infinity",
    // naming no option. The limit is the largest peak a scenario takes, 1e8 requests/s, over a 730-hour month.
    [InlineData("--requests-per-month", "1e308", "1e308 is 1e308")]
    [InlineData("--requests-per-month", "2.7e14", "270,000,000,000,000 is 270,000,000,000,000")]
    // 700 tokens a request (the default 500 in and 200 out): 1e308 / 700 requests.
    [InlineData("--tokens-per-month", "1e308", "1e308 is 1.42857e305")]
    public void A_volume_past_the_largest_peak_over_a_month_is_refused_naming_its_option(string option, string value, string shown)
    {
        string[] args = ["compare", option, value, "--api", "gpt-4o-mini"];
        Refused($"error: {option} {shown} requests a month, {VolumeLimit}, the largest peak a scenario takes, over a 730-hour month); lower {option}.", args);
        var (code, _, zh, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} {shown.Replace(" is ", " 即每月 ", StringComparison.Ordinal)} 个请求，超过比较所能接受的 262,800,000,000,000 个（每秒 100,000,000 个请求，即场景所接受的最大峰值，持续一个 730 小时的月）；请降低 {option}。", zh.TrimEnd());
    }

    [Fact]
    public void The_largest_volume_still_compares()
    {
        var (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "2.628e14", "--api", "gpt-4o-mini", "--format", "json");
        Assert.True(code == 0, err);
    }

    [Fact]
    public void A_break_even_range_past_the_largest_volume_is_refused_naming_the_range()
    {
        // '--range 1:1e308' was refused as "lower --api or the quantity it multiplies" (API) or "lower the volume" (self-hosted).
        string[] args = ["compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--range", "1:1e308"];
        Refused("error: --range ends at 1e308 requests a month, more than the 262,800,000,000,000 a comparison takes (100,000,000 requests/s over a 730-hour month); give a MAX of at most 262,800,000,000,000.", args);
        var (code, _, zh, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal("错误：--range 的上限为每月 1e308 个请求，超过比较所能接受的 262,800,000,000,000 个（每秒 100,000,000 个请求，持续一个 730 小时的月）；请给出不超过 262,800,000,000,000 的 MAX。", zh.TrimEnd());
    }

    [Theory]
    // A zero volume said "The volume must be greater than zero.", naming neither the option given nor an example.
    [InlineData("--requests-per-month", "1M")]
    [InlineData("--tokens-per-month", "1B")]
    public void A_zero_volume_names_its_option_and_an_example(string option, string example)
    {
        string[] args = ["compare", option, "0", "--api", "gpt-4o-mini"];
        Refused($"error: {option} must be greater than zero, e.g. {option} {example}.", args);
        var (code, _, zh, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} 必须大于零，例如 {option} {example}。", zh.TrimEnd());
    }

    [Theory]
    [InlineData("NaN CNY/kWh")]
    [InlineData("nan USD/kWh")]
    public void A_tariff_of_nan_is_refused_as_a_tariff_with_a_tariff_example(string tariff) =>
        Refused($"error: --tariff: '{tariff}' is not a tariff; write it like '0.65 CNY/kWh'.",
            "compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b", "--hardware", "h100", "--tariff", tariff);

    [Fact]
    public void The_floor_sentence_holds_for_every_calibrated_group_and_types_none_of_their_overheads()
    {
        // The sentence typed "0.70 ms" and "4.7 µs", the fit of one day: a refit would have left it stating old figures.
        // What it claims instead, every step's fixed overhead is longer than the floor, is checked against the calibration.
        var groups = Suanli.Files.CalibrationFiles.Embedded.Groups;
        Assert.NotEmpty(groups);
        Assert.All(groups, g => Assert.True(g.Parameters.StepOverhead.InSeconds > Suanli.Serving.ServingTargets.MinSeconds, $"{g.Engine}/{g.Hardware}: {g.Parameters.StepOverhead.InSeconds} s"));
        var en = Suanli.Serving.ServingTargets.BelowFloor("tpot", 1e-9).Render(Suanli.Text.Languages.English, Suanli.Text.FieldNames.Core);
        var zh = Suanli.Serving.ServingTargets.BelowFloor("tpot", 1e-9).Render(Suanli.Text.Languages.Chinese, Suanli.Text.FieldNames.Core);
        foreach (var g in groups)
        {
            // The overheads as the old sentence typed them: milliseconds per step, microseconds per layer, to one or two places.
            foreach (var figure in new[] { g.Parameters.StepOverhead.InMilliseconds, g.Parameters.LayerOverhead.InMicroseconds })
            {
                foreach (var typed in new[] { figure.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), figure.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) })
                {
                    Assert.DoesNotContain(typed, en, StringComparison.Ordinal);
                    Assert.DoesNotContain(typed, zh, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void A_scenario_target_below_a_microsecond_is_a_located_error_naming_the_floor()
    {
        var yaml = "hardware: h100\napplications:\n  - name: a\n    model: llama-3.1-8b\n    peak_concurrency: 5\n    input_tokens: 100\n    output_tokens: 10\n    targets:\n      tpot_p90_s: 1e-320\n";
        var ex = Assert.Throws<Suanli.InputException>(() => Suanli.Files.ScenarioFile.Parse(yaml, "s.yaml", Suanli.Files.CatalogFiles.Embedded));
        Assert.Equal(new Suanli.SourceLocation("s.yaml", 9, 19), ex.Location);
        Assert.Equal("tpot_p90_s 1e-320" + Floor, ex.Detail);
    }

    [Theory]
    // compare priced the API alone and dropped these unseen: the user believed they had shaped the comparison.
    [InlineData("--hardware", "h100")]
    [InlineData("--precision", "fp8")]
    [InlineData("--devices", "2")]
    [InlineData("--self-host", "rent")]
    [InlineData("--tariff", "0.65 CNY/kWh")]
    [InlineData("--pue", "1.2")]
    [InlineData("--peak-factor", "3")]
    [InlineData("--tpot-p90", "0.05")]
    [InlineData("--ttft-p90", "1")]
    public void A_self_hosting_option_beside_no_self_hosted_model_is_refused_rather_than_ignored(string option, string value)
    {
        string[] command = ["compare", "--requests-per-month", "1M", "--api", "DeepSeek/deepseek-chat (DeepSeek-V3.2)", option, value];
        Refused($"error: {option} applies to self-hosted options, but no model is self-hosted, so it would change nothing; give --model with --hardware, or drop {option}.", command);
        var (code, _, err, _) = CliTests.Run([.. command, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：{option} 只作用于自托管方案，但没有自托管任何模型，因此它不会改变任何结果；请给出 --model 和 --hardware，或去掉 {option}。", err.TrimEnd());
    }

    [Fact]
    public void An_api_only_comparison_still_takes_the_self_hosting_defaults_spelled_out()
    {
        var (code, _, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--api", "DeepSeek/deepseek-chat (DeepSeek-V3.2)", "--precision", "BF16", "--tpot-p90", "0.1", "--self-host", "buy,rent");
        Assert.True(code == 0, err);
    }

    [Theory]
    // '1e308 CNY/kWh' was told as '1e308 CNY' (the unit cut off); '1e20 CNY/kWh' passed and overflowed the monthly bill (exit 70).
    [InlineData("1e308 CNY/kWh")]
    [InlineData("1e20 CNY/kWh")]
    public void A_tariff_past_a_hundred_per_kwh_is_refused_quoting_it_as_typed_with_the_limit(string tariff)
    {
        string[] command = ["compare", "--requests-per-month", "1M", "--model", "llama-3.1-8b", "--hardware", "h100", "--tariff", tariff];
        Refused($"error: --tariff: '{tariff}' is out of range: a tariff is at most 100 USD, CNY or EUR per kWh; check the exponent or the digits.", command);
        var (code, _, err, _) = CliTests.Run([.. command, "--lang", "zh"]);
        Assert.Equal(2, code);
        Assert.Equal($"错误：--tariff：'{tariff}' 超出范围：电价每千瓦时至多 100 USD、CNY 或 EUR；请检查指数或数字。", err.TrimEnd());
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

    // The newest scenario inputs (prefix_hit_rate, targets at a stated percentile) swept with hostile values: each is
    // exit 2 with the file, line, column and key, never a plan run on NaN or a percentile no probe can estimate.
    private static string Sweep(string prefix, string targets) =>
        $"name: sweep\nhardware: h100\napplications:\n  - name: a\n    model: qwen2.5-7b\n    peak_rate: 2\n    input_tokens: 512\n    output_tokens: 128\n    prefix_hit_rate: {prefix}\n    targets: {targets}\n";

    private const string Targets = "{ttft_p90_s: 2, tpot_p90_s: 0.1}";

    [Theory]
    [InlineData("NaN", Targets, ":9:22: 'applications[0].prefix_hit_rate' must be a number, got 'NaN'; write digits with a point, e.g. 0.5 or 1e6.")]
    [InlineData(".inf", Targets, ":9:22: 'applications[0].prefix_hit_rate' must be a number, got '.inf'; write digits with a point, e.g. 0.5 or 1e6.")]
    [InlineData("1e309", Targets, ":9:22: 'applications[0].prefix_hit_rate' must be a number, got '1e309'; write digits with a point, e.g. 0.5 or 1e6.")]
    [InlineData("二", Targets, ":9:22: 'applications[0].prefix_hit_rate' must be a number, got '二'; write digits with a point, e.g. 0.5 or 1e6.")]
    [InlineData("[0.5]", Targets, ":9:22: 'applications[0].prefix_hit_rate' must be a single value, not a list or mapping.")]
    [InlineData("100", Targets, ":9:22: applications[0].prefix_hit_rate is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got 100.")]
    [InlineData("0.5", "{ttft_p100_s: 2}", ":10:28: applications[0].targets.ttft_p100_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 100.")]
    [InlineData("0.5", "{ttft_p0_s: 2}", ":10:26: applications[0].targets.ttft_p0_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 0.")]
    [InlineData("0.5", "{ttft_p100.0001_s: 2}", ":10:33: applications[0].targets.ttft_p100.0001_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 100.0001.")]
    [InlineData("0.5", "{ttft_pNaN_s: 2}", ":10:28: applications[0].targets.ttft_pNaN_s must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 'NaN'.")]
    [InlineData("0.5", "{ttft_p99_s: 2, ttft_p99_s: 1}", ":10:30: Key 'ttft_p99_s' appears twice in the same mapping (first on line 10); keep one of them.")]
    [InlineData("0.5", "{ttft_p50_s: 1e12}", ":10:27: ttft_p50_s must be above 0 and at most 86,400 seconds, got 1,000,000,000,000.")]
    [InlineData("0.5", "{ttft_p99_s: .nan}", ":10:27: 'applications[0].targets.ttft_p99_s' must be a number, got '.nan'; write digits with a point, e.g. 0.5 or 1e6.")]
    public void A_hostile_prefix_hit_rate_or_target_percentile_in_a_scenario_is_refused_at_its_line_and_key(string prefix, string targets, string message)
    {
        var path = TempFiles.Write("sweep.yaml", Sweep(prefix, targets));
        Refused($"error: {path}{message}", "plan", path);
    }

    [Fact]
    public void A_scenario_of_10000_applications_is_refused_before_any_is_planned_with_or_without_sensitivity()
    {
        var apps = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"  - name: a{i}\n    model: qwen2.5-7b\n    peak_rate: 1\n"));
        var path = TempFiles.Write("many.yaml", "name: many\nhardware: h100\napplications:\n" + apps);
        Refused($"error: {path}:4:3: The scenario has 10,000 applications, over the limit of 100; split it into several scenario files.", "plan", path);
        Refused($"error: {path}:4:3: The scenario has 10,000 applications, over the limit of 100; split it into several scenario files.", "plan", path, "--sensitivity");
    }

    [Theory]
    [InlineData("--ttft-percentile", "100.0001", "error: --ttft-percentile must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 100.0001.")]
    [InlineData("--ttft-percentile", "NaN", "error: --ttft-percentile must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got 'NaN'.")]
    [InlineData("--ttft-percentile", "99,5", "error: --ttft-percentile must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got '99,5'.")]
    [InlineData("--ttft-percentile", "99.9999", "error: --ttft-percentile is checked at p99.9999, which needs at least 10,000,000 measured requests (10 beyond the percentile); a plan simulates at most 900,000 per probe. State a lower percentile (p99.9 needs 10,000).")]
    [InlineData("--ttft", "1e309", "error: --ttft: '1e309' is not a finite number. Use digits with a point, e.g. 0.5, 2.5 or 1e6, without thousands separators or units. See 'suanli optimize --help'.")]
    [InlineData("--ttft", "0", "error: --ttft must be greater than zero, got 0.")]
    public void Optimize_refuses_a_hostile_target_or_percentile_naming_the_option(string option, string value, string message)
    {
        Refused(message, "optimize", "--model", "qwen2.5-7b", "--hardware", "h100", "--rate", "2", "--input", "512", "--output", "128", option, value);
    }
}
