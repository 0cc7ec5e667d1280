using System.Globalization;
using System.Text.Json;
using Suanli.Catalog;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Runs;
using Suanli.StepTime;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <c>compare --prefix-hit-rate</c> (and <c>/api/compare</c>'s <c>prefixHitRate</c>): the share of each prompt the prefix
/// cache holds, with the meaning a scenario's <c>prefix_hit_rate</c> has in plan: a self-hosted replica prefills only the
/// uncached tokens, and a hosted API that prices cached input bills those tokens at its cached price.
/// </summary>
public class ComparePrefixHitTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly IStepTimeModel Model = CalibrationFiles.Default;
    private static readonly DateOnly Day = new(2026, 11, 23);

    // Llama-3.1-8B on one H100 at a 2,048-token prompt (prefill is a large share of each request), 5 requests/s on a flat day.
    private static CompareInputs SelfHosted(double hit) => new()
    {
        RequestsPerMonth = 5 * Suanli.Cost.CostCalendar.SecondsPerMonth, InputTokens = 2048, OutputTokens = 128, Models = ["llama-3.1-8b"], Hardware = ["h100"],
        SelfHost = "rent", PrefixHitRate = hit, Today = Day,
    };

    private static IReadOnlyDictionary<string, string> Sized(CompareInputs inputs)
    {
        var (_, report) = CompareRun.Run(inputs, PriceFiles.Embedded, Catalog, Model);
        return Assert.Single(report.Findings, f => f.Text?.Key == "replica-capacity#simulated").Text!.EnglishArgs;
    }

    private static ApplicationPlan Planned(string hit) => Assert.Single(Planner.Plan(ScenarioFile.Parse(
        "name: prefix\ncurrency: USD\nhardware: h100\napplications:\n  - name: chat\n    model: llama-3.1-8b\n    peak_rate: 5\n    input_tokens: 2048\n"
        + $"    output_tokens: 128\n    profile: flat\n    targets: {{ttft_p90_s: 2, tpot_p90_s: 0.1}}\n    prefix_hit_rate: {hit}\n", "prefix.yaml", Catalog),
        SimulatedReplicaCapacity.Provider(Model), SimulatedReplicaCapacity.Bound(Model)).Applications);

    [Fact]
    public void Compares_self_hosted_requests_per_second_per_replica_are_plans_with_the_same_prefix_hit_rate()
    {
        var sized = Sized(SelfHosted(0.6));
        var plan = Planned("0.6");
        Assert.Equal(0.6, plan.Application.Caps.PrefixHitRate);
        Assert.Equal(plan.Deployment.Layout.ToString(), sized["layout"]);
        Assert.Equal(plan.Capacity.MaxRequestsPerSecond.ToString("0.###", CultureInfo.InvariantCulture), sized["capacity"]);
        // The hits are simulated, not dropped: 60% of each 2,048-token prompt cached carries more than none.
        var none = Sized(SelfHosted(0));
        Assert.True(double.Parse(sized["capacity"], CultureInfo.InvariantCulture) > double.Parse(none["capacity"], CultureInfo.InvariantCulture),
            $"{sized["capacity"]} with 60% prefix hits vs {none["capacity"]} without");
    }

    [Fact]
    public void An_apis_cost_falls_by_the_cached_input_discount_on_the_cached_share()
    {
        // 1,000,000 requests of 1,000 prompt and 100 output tokens: 1,000 M input and 100 M output tokens a month.
        // gpt-4o-mini (catalog/prices/api.yaml, 2026-11-23): 0.15 USD/M input, 0.075 USD/M cached input, 0.60 USD/M output.
        // Without hits: 1,000 x 0.15 + 100 x 0.60 = 210 USD; with 60%: 400 x 0.15 + 600 x 0.075 + 60 = 165 USD,
        // 600 M x (0.15 - 0.075) = 45 USD less.
        static JsonElement Api(params string[] extra)
        {
            var (code, output, err, _) = CliTests.Run(["compare", "--requests-per-month", "1M", "--input", "1000", "--output", "100", "--api", "gpt-4o-mini",
                "--today", "2026-11-23", "--format", "json", .. extra]);
            Assert.True(code == 0, err);
            return Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("options").EnumerateArray().ToList());
        }
        Assert.Equal(210m, Api().GetProperty("perMonth").GetDecimal());
        var cached = Api("--prefix-hit-rate", "0.6");
        Assert.Equal(165m, cached.GetProperty("perMonth").GetDecimal());
        var parts = cached.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("part").GetString()!, p => p.GetProperty("perMonth").GetDecimal());
        Assert.Equal(60m, parts["input tokens"]);
        Assert.Equal(45m, parts["cached input tokens"]);
    }

    [Theory]
    [InlineData("-0.1", "--prefix-hit-rate is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got -0.1.")]
    [InlineData("1.5", "--prefix-hit-rate is the fraction of each prompt the prefix cache holds, from 0 to 1 (0.6 = 60%, a shared system prompt), got 1.5.")]
    public void A_prefix_hit_rate_outside_0_to_1_is_an_error_naming_the_option(string value, string message)
    {
        var (code, output, err, _) = CliTests.Run("compare", "--requests-per-month", "1M", "--api", "gpt-4o-mini", "--prefix-hit-rate", value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: " + message, err.TrimEnd());
    }

    [Fact]
    public void A_prefix_hit_rate_with_only_custom_options_is_an_error_as_it_would_change_nothing()
    {
        var e = Assert.Throws<InputException>(() => CompareRun.Run(new CompareInputs { RequestsPerMonth = 1e6, Custom = ["small;per-10k=1 USD"], PrefixHitRate = 0.5, Today = Day },
            PriceFiles.Embedded, Catalog, Model));
        Assert.Equal("--prefix-hit-rate applies to hosted APIs and self-hosted models, but only --custom options are compared, so it would change nothing; add --api or --model with --hardware, or drop --prefix-hit-rate.",
            e.Text!.Render(Languages.English, FieldNames.Core));
        Assert.Equal("--prefix-hit-rate 作用于托管 API 和自托管模型，但比较的只有 --custom 方案，因此它不会改变任何结果；请加上 --api 或 --model 与 --hardware，或去掉 --prefix-hit-rate。",
            e.Text!.Render(Languages.Chinese, FieldNames.Core));
    }
}
