using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Number options read as the API reads them (invariant, finite, no thousands separators), and an option the run would
/// drop unseen is refused: found by attacking the CLI with commas, 1e400 and a think time beside a rate.
/// </summary>
public class RobustCliTests
{
    /// <summary>Runs the command and asserts exit 2, no output and exactly <paramref name="message"/> on stderr.</summary>
    private static void Refused(string message, params string[] args)
    {
        var (code, output, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message, err.TrimEnd());
    }

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
        Assert.StartsWith("error: --ttft-p90 must be between 0 and 86,400, got ", err, StringComparison.Ordinal);
        // 120 requests measure 108 after the warm-up: enough for a p90 (10 beyond it).
        Assert.Equal(0, CliTests.Run([.. Simulate[..^1], "120", "--rate", "1", "--ttft-p90", "86400"]).Code);
    }

    [Fact]
    public void A_think_time_past_a_day_is_refused_rather_than_printing_zero_latencies()
    {
        // 1e308 s was taken: the clock grew past what a double resolves, and TTFT and TPOT printed as 0 ms at p50.
        var closed = new[] { "simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--requests", "20", "--concurrency", "5" };
        Refused("error: --think-time must be between 0 and 86,400, got 1e308.", [.. closed, "--think-time", "1e308"]);
        Assert.Equal(0, CliTests.Run([.. closed, "--think-time", "86400"]).Code);
    }

    [Fact]
    public void A_duration_whose_warm_up_holds_every_request_is_refused_rather_than_printed_as_zeros()
    {
        // 10 requests at 5/s arrive within 2 s, all inside the first 10% of 100 s that the statistics leave out: every
        // latency and rate used to print as 0.
        var (code, output, err, _) = CliTests.Run("simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--rate", "5", "--requests", "10", "--duration", "100", "--format", "json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("\"field\":\"--duration\"", err, StringComparison.Ordinal);
        Assert.Contains("Nothing was measured: all 10 requests arrived within the first 10.0 s of --duration 100 s, the warm-up the statistics leave out. Give more --requests (or drop it), or a shorter --duration.", err, StringComparison.Ordinal);
        // Without the request cap the same duration measures the arrivals after its warm-up.
        var (ok, json, _, _) = CliTests.Run("simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", "128", "--output", "16", "--rate", "5", "--duration", "100", "--format", "json");
        Assert.Equal(0, ok);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.InRange(doc.RootElement.GetProperty("requests").GetProperty("measured").GetInt64(), 1, 10_000);
    }

    [Theory]
    // A name the typed one contains ranked first, above the name meant with two letters swapped.
    [InlineData("Qwen/Qwen2.5-7B-Instrcut", "Did you mean 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B', 'qwen2.5-7b'?")]
    // A suffix the catalog has no entry for still suggests the entry it extends, first.
    [InlineData("llama-3.1-8b-instruct-fp8", "Did you mean 'llama-3.1-8b-instruct', 'llama-3.1-8b', 'llama-3.1-70b-instruct'?")]
    public void A_mistyped_model_suggests_the_name_meant_first(string typed, string suggestion)
    {
        var (code, output, err, _) = CliTests.Run("memory", "--model", typed);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: --model: Unknown model '{typed}'. {suggestion} List them all with 'suanli catalog'.", err.TrimEnd());
    }

    [Theory]
    [InlineData("")]
    [InlineData("--duration 2592000")]
    public void A_queue_that_overflows_before_the_warm_up_ends_is_refused_naming_the_rate_not_printed_as_zero_latencies(string extra)
    {
        // 500 requests/s of 2,048-token answers overflow one H100's queue (20,000 waiting) after 42 s, before the first
        // 30,000 arrivals (the warm-up) are in: the table printed every latency as 0 ms with exit 0, and with a duration
        // the error blamed --duration.
        string[] args = ["simulate", "--model", "qwen2.5-7b", "--hardware", "h100", "--input", "1024", "--output", "2048", "--rate", "500", "--requests", "300000", "--format", "json",
            .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var (code, output, err, _) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("\"field\":\"--rate\"", err, StringComparison.Ordinal);
        // The overflow time follows the calibration (42 s at the time of writing); the sentence around it is the contract.
        Assert.Matches(@"more than 20,000 requests were waiting after 4\d\.\d\d s of simulated time, so the simulation stopped; 500\.000 requests/s is more than one replica of qwen2\.5-7b on 1 x nvidia-h100-sxm5-80gb carries\.", err);
        Assert.Contains("It stopped before the warm-up the statistics leave out had ended, so no request was measured and there is no latency to report.", err, StringComparison.Ordinal);
        Assert.DoesNotContain("--duration", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lognormal:mean=800,sd=400,sd=5", "error: --input: 'sd' is given twice in lognormal; give it once, e.g. lognormal:mean=800,sd=400.")]
    [InlineData("normal:mean=512,mean=600,sd=10", "error: --input: 'mean' is given twice in normal; give it once, e.g. normal:512:128 or normal:mean=512,sd=128.")]
    public void A_length_parameter_given_twice_is_refused_rather_than_the_last_kept(string input, string message)
    {
        Refused(message, "simulate", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--input", input, "--output", "16", "--rate", "1", "--requests", "20");
    }

    [Fact]
    public void Perf_with_a_prompt_plus_output_past_the_limit_names_input_and_output_not_a_context_it_has_no_option_for()
    {
        Refused("error: --input 10,000,000 plus --output 10,000,000 is 20,000,000 tokens per sequence, more than the 10,000,000 Suanli models; shorten the prompt or the output.",
            "perf", "--model", "qwen2.5-7b", "--hardware", "h100", "--input", "10000000", "--output", "10000000");
        var zh = Phrase.Of("sequence-too-long", "{input} {inputTokens} plus {output} {outputTokens} is {sum} tokens per sequence, more than the {max} Suanli models; shorten the prompt or the output.",
            ("input", FieldNames.Input), ("inputTokens", "1"), ("output", FieldNames.Output), ("outputTokens", "2"), ("sum", "3"), ("max", "4"));
        Assert.Equal("--input 1 加 --output 2 为每条序列 3 个词元，超过 Suanli 建模的上限 4；请缩短提示或输出。", zh.Render(Languages.Chinese, FieldNames.Core));
    }

    [Theory]
    // The core named these "amortisation years", "maintenance share per year" and "server overhead": no option of that name.
    [InlineData("--years", "0", "error: --years must be between 0.25 and 30, got 0.")]
    [InlineData("--maintenance", "5", "error: --maintenance must be between 0 and 1, got 5.")]
    [InlineData("--server-overhead", "11", "error: --server-overhead must be between 0 and 10, got 11.")]
    public void Compare_ownership_terms_out_of_range_name_their_option(string option, string value, string message)
    {
        Refused(message, "compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b", "--hardware", "h100", option, value);
    }

    [Theory]
    [InlineData("x;build=5 USD;build=7 USD", "error: 'build' in --custom 'x' sets the same value as 'build' before it; keep one of them.")]
    [InlineData("x;per-1k=5 USD;per-10k=7 USD", "error: 'per-10k' in --custom 'x' sets the same value as 'per-1k' before it; keep one of them.")]
    public void A_custom_option_that_sets_one_value_twice_is_refused_rather_than_the_last_kept(string custom, string message)
    {
        Refused(message, "compare", "--requests-per-month", "1M", "--custom", custom);
    }

    [Fact]
    public void A_density_turn_longer_than_the_context_is_refused_rather_than_sized_with_a_note_blaming_a_target()
    {
        Refused("error: --input 8,000 plus --output 256 is more than the 4,096 tokens a session holds (--context); raise --context or shorten the turn.",
            "density", "--model", "llama-3-8b", "--server", "dgx-h100", "--input", "8000", "--context", "4096");
        Assert.Equal(0, CliTests.Run("density", "--model", "llama-3-8b", "--server", "dgx-h100", "--input", "3840", "--context", "4096").Code);
    }

    [Fact]
    public void A_teacher_setting_without_a_teacher_is_refused_rather_than_dropped()
    {
        string[] train = ["train", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--tokens", "1e9"];
        Refused("error: --teacher-batch sets the distillation teacher, but no --teacher is given; add --teacher MODEL or drop --teacher-batch.", [.. train, "--teacher-batch", "5"]);
        Refused("error: --teacher-hardware sets the distillation teacher, but no --teacher is given; add --teacher MODEL or drop --teacher-hardware.", [.. train, "--teacher-hardware", "a100-80gb"]);
        Assert.Equal(0, CliTests.Run([.. train, "--teacher", "qwen2.5-7b", "--teacher-batch", "5"]).Code);
    }

    [Theory]
    // Each was dropped unseen: no custom option to spread over months, nothing bought to price, no adapter to size.
    [InlineData("error: --months spreads the build cost of a --custom option, but none is given; add --custom or drop --months.",
        "compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--months", "5")]
    [InlineData("error: --device-price prices bought hardware, but no self-hosted option is bought; give --model and --hardware with --self-host buy, or drop --device-price.",
        "compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--device-price", "h100=5 USD")]
    [InlineData("error: --years prices bought hardware, but no self-hosted option is bought; give --model and --hardware with --self-host buy, or drop --years.",
        "compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b", "--hardware", "h100", "--self-host", "rent", "--years", "3")]
    [InlineData("error: --devices 4 says how many devices you have for the answer whether the model fits, which needs --hardware; add --hardware or drop --devices.",
        "memory", "--model", "qwen2.5-7b", "--devices", "4")]
    [InlineData("error: --lora-rank sizes a LoRA or QLoRA adapter, but --method is full; give --method lora or qlora, or drop --lora-rank.",
        "train", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--tokens", "1e9", "--lora-rank", "5")]
    public void A_setting_no_part_of_the_run_uses_is_refused_rather_than_dropped(string message, params string[] args) => Refused(message, args);

    [Fact]
    public void The_same_settings_are_taken_where_the_run_uses_them()
    {
        Assert.Equal(0, CliTests.Run("compare", "--requests-per-month", "1M", "--model", "qwen2.5-7b", "--hardware", "h100", "--self-host", "buy", "--years", "3", "--device-price", "h100=25000 USD").Code);
        Assert.Equal(0, CliTests.Run("train", "--model", "qwen2.5-0.5b", "--hardware", "h100", "--tokens", "1e9", "--method", "lora", "--lora-rank", "5").Code);
    }
}
