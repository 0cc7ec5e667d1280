using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// The price findings every command shares: the tariff warning names the key of the file the user wrote, and compare
/// flags a stale exchange rate with the one function plan, optimize and train use.
/// </summary>
public class PriceFindingTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;

    // The embedded prices without their exchange rates: a USD tariff then cannot become CNY.
    private static PriceBook NoRates()
    {
        var b = PriceFiles.Embedded;
        return new PriceBook(b.Api, b.Rent, b.Purchase, b.Electricity, b.Pue, b.Amortisation, []);
    }

    private static Finding TariffWarning(SelectedPrices p) => Assert.Single(p.Findings, f => f.Code == "no-tariff-rate");

    [Fact]
    public void A_tariff_that_cannot_be_converted_names_the_plans_root_key_at_its_line_in_both_languages()
    {
        // A plan reads the scenario's root 'tariff' (docs/scenario.md); the warning said 'candidates.tariff', a key a plan file has not.
        var scenario = ScenarioFile.Parse("name: t\ncurrency: CNY\ntariff: 0.65 USD/kWh\nhardware: nvidia-a100-sxm4-80gb\n"
            + "applications:\n  - name: a\n    model: qwen3-8b\n    peak_concurrency: 5\n    input_tokens: 512\n    output_tokens: 128\n", "plan.yaml", Catalog);
        var selected = PriceSelection.Resolve([scenario.Device], NoRates(), Currency.Cny, scenario.Tariff, new DateOnly(2026, 12, 6),
            tariffField: FieldNames.Tariff, tariffAt: scenario.Marks["tariff"]);
        var warning = TariffWarning(selected);
        Assert.Equal("The tariff 0.65 USD/kWh cannot be converted into CNY with the catalog's exchange rates, so owning is left out; give tariff (plan.yaml:3:9) in CNY.",
            warning.Text!.Render(Languages.English, FieldNames.Core));
        Assert.Equal("电价 0.65 USD/kWh 无法用目录中的汇率换算为 CNY，因此不计自有方案；请以 CNY 给出 tariff（plan.yaml:3:9）。",
            warning.Text!.Render(Languages.Chinese, FieldNames.Core));
        Assert.Null(selected.Devices[scenario.Device.Id].Own);
    }

    [Fact]
    public void A_tariff_that_cannot_be_converted_names_candidates_tariff_for_an_optimize_file_without_a_line()
    {
        var device = Catalog.Device("nvidia-a100-sxm4-80gb");
        var warning = TariffWarning(PriceSelection.Resolve([device], NoRates(), Currency.Cny, "0.65 USD/kWh", new DateOnly(2026, 12, 6)));
        Assert.EndsWith("so owning is left out; give candidates.tariff in CNY.", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_with_a_tariff_per_kwh_on_a_device_without_a_purchase_price_reads_the_price_not_a_region()
    {
        // The L40S has rent but no purchase price; the plan then read '0.65 CNY/kWh' as a region name and stopped with
        // "Unknown tariff region '0.65 CNY/kWh'".
        Assert.Empty(PriceFiles.Embedded.PurchasesFor("nvidia-l40s"));
        var scenario = ScenarioFile.Parse("name: t\ncurrency: CNY\ntariff: 0.65 CNY/kWh\nhardware: nvidia-l40s\n"
            + "applications:\n  - name: a\n    model: qwen3-8b\n    peak_concurrency: 5\n    input_tokens: 512\n    output_tokens: 128\n", "plan.yaml", Catalog);
        var pricing = PlanPricing.From(scenario, PriceFiles.Embedded, new DateOnly(2026, 12, 6));
        Assert.Equal(new Money(0.65m, Currency.Cny), pricing.Tariff);
        Assert.Null(pricing.DevicePrice);
    }

    [Fact]
    public void Compare_and_plan_give_the_same_exchange_rate_and_stale_rate_findings()
    {
        // Both convert CNY into USD at the catalog's newest rate (CFETS, 2026-01-27), judged on 2027-06-01: 490 days old.
        var today = new DateOnly(2027, 6, 1);
        var scenario = ScenarioFile.Parse("name: t4\ncurrency: USD\nrent_term: reserved-1y\nhardware: nvidia-t4\ndevices_per_replica: 1\n"
            + "applications:\n  - name: chat\n    model: qwen2.5-0.5b\n    peak_concurrency: 1\n    input_tokens: 512\n    output_tokens: 128\n", "t4.yaml", Catalog);
        var plan = PlanPricing.From(scenario, PriceFiles.Embedded, today).Findings;
        var (_, report) = CompareRun.Run(new CompareInputs { RequestsPerMonth = 1000, Custom = ["x;monthly=100 CNY;per-1k=2 CNY"], Today = today },
            PriceFiles.Embedded, Catalog, CalibrationFiles.Default);
        static IReadOnlyList<string> Rates(IEnumerable<Finding> findings) =>
            [.. findings.Where(f => f.Code is "exchange-rate" or "stale-price").Where(f => f.Message.Contains("CNY", StringComparison.Ordinal) && f.Message.Contains("USD", StringComparison.Ordinal)).Select(f => f.Message)];
        var fromPlan = Rates(plan);
        Assert.Equal(2, fromPlan.Count);
        Assert.Contains("exchange rate USD->CNY is dated 2026-01-27, 490 days before 2027-06-01: more than a year old.", fromPlan);
        Assert.Equal(fromPlan.Order(StringComparer.Ordinal), Rates(report.Findings).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compare_cost_lines_write_their_formula_in_the_readers_language()
    {
        // 7,418 USD over 36 months, 100 USD a month, 1,000 requests x 2 USD / 1,000: the formulas were English in the
        // Chinese table ("7,418 USD over 36 months"); the JSON keeps the English text.
        string[] args = ["compare", "--requests-per-month", "1000", "--custom", "x;build=7418 USD;monthly=100 USD;per-1k=2 USD", "--today", "2026-12-06", "--format", "markdown"];
        var (_, zh, _, _) = CliTests.Run([.. args, "--lang", "zh"]);
        Assert.Contains("| 7,418 USD，分 36 个月摊销 |", zh, StringComparison.Ordinal);
        Assert.Contains("| 每月 100 USD |", zh, StringComparison.Ordinal);
        Assert.Contains("| 1,000 个请求 x 0.002 USD |", zh, StringComparison.Ordinal);
        var (_, en, _, _) = CliTests.Run(args);
        Assert.Contains("| 7,418 USD over 36 months |", en, StringComparison.Ordinal);
        Assert.Contains("| 1,000 requests x 0.002 USD |", en, StringComparison.Ordinal);
        var (_, json, _, _) = CliTests.Run([.. args[..^2], "--format", "json", "--lang", "zh"]);
        Assert.Contains("\"formula\": \"7,418 USD over 36 months\"", json, StringComparison.Ordinal);
    }
}
