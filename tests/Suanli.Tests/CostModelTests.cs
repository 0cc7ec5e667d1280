using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

public class CostModelTests
{
    private static readonly MonthlyVolume Million = new(1_000_000, 500, 200);

    private static Money Usd(decimal a) => new(a, Currency.Usd);

    [Fact]
    public void Owned_fleet_cost_is_amortised_capex_plus_power_times_pue_times_tariff_plus_maintenance()
    {
        // 8 x 30,000 USD over 5 years = 4,000/month; 8 x 0.7 kW x 24 h x 365/12 d = 4,088 kWh x 1.2 x 0.08 = 392.448; 20% of 240,000 / 12 = 4,000.
        var fleet = FleetDescription.AlwaysOn(8, Power.FromWatts(700));
        var terms = new OwnershipTerms { DevicePrice = Usd(30_000), TariffPerKilowattHour = Usd(0.08m), Pue = 1.2, AmortisationYears = 5, MaintenanceFractionPerYear = 0.2 };
        var b = CostModel.Own("own", fleet, terms, Million);
        Assert.Equal(4_000m, b.Lines.Single(l => l.Part.StartsWith("capex", StringComparison.Ordinal)).PerMonth.Amount);
        Assert.Equal(392.448m, Math.Round(b.Lines.Single(l => l.Part == "power").PerMonth.Amount, 6));
        Assert.Equal(4_000m, b.Lines.Single(l => l.Part == "maintenance").PerMonth.Amount);
        Assert.Equal(8_392.448m, Math.Round(b.PerMonth.Amount, 6));
        Assert.Equal(240_000m, b.Upfront.Amount);
        Assert.Equal(Math.Round(8_392.448m * 12, 4), Math.Round(b.PerYear.Amount, 4));
        Assert.Equal(Math.Round(8_392.448m / 730m, 6), Math.Round(b.PerHour.Amount, 6));
        Assert.Equal(Math.Round(8_392.448m / 700m, 6), Math.Round(b.PerMillionTokens!.Value.Amount, 6));
    }

    [Fact]
    public void A_server_price_replaces_device_capex_and_host_power_is_drawn_all_day()
    {
        var fleet = new FleetDescription(8, 1, 8 * 24, Power.FromWatts(700), Power.Zero, Power.FromWatts(1_000));
        var terms = new OwnershipTerms { DevicePrice = Usd(30_000), ServerPrice = Usd(270_000), TariffPerKilowattHour = Usd(0.1m), Pue = 1.0, AmortisationYears = 5 };
        var b = CostModel.Own("dgx", fleet, terms, Million);
        Assert.Equal(270_000m, b.Upfront.Amount);
        // (8 x 0.7 + 1.0) kW x 730 h x 0.1 = 481.8
        Assert.Equal(481.8m, Math.Round(b.Lines.Single(l => l.Part == "power").PerMonth.Amount, 6));
    }

    [Fact]
    public void On_demand_rent_bills_the_hours_served_and_reserved_rent_bills_every_hour()
    {
        var fleet = new FleetDescription(4, 0, 4 * 12, Power.Zero, Power.Zero, Power.Zero);
        var p = new Provenance("test", new DateOnly(2026, 1, 1));
        var onDemand = CostModel.Rent("od", fleet, new RentPrice("X", "h100", Usd(2m), RentTerm.OnDemand, p), Million);
        var reserved = CostModel.Rent("r", fleet, new RentPrice("X", "h100", Usd(1.5m), RentTerm.Reserved1Y, p), Million);
        Assert.Equal(2m * 48 * 365 / 12, Math.Round(onDemand.PerMonth.Amount, 10));
        Assert.Equal(1.5m * 4 * 730, reserved.PerMonth.Amount);
    }

    [Fact]
    public void Api_cost_is_tokens_times_price_per_million_with_cache_hits_at_the_cached_price()
    {
        var price = new ApiPrice("OpenAI", "gpt-4o-mini", Usd(0.15m), Usd(0.60m), Usd(0.075m), null, new Provenance("t", new DateOnly(2026, 1, 1)));
        var b = CostModel.Api(price, Million);
        Assert.Equal(195m, b.PerMonth.Amount); // 500 M x 0.15 + 200 M x 0.60
        var cached = CostModel.Api(price, Million, cachedInputShare: 0.5);
        Assert.Equal(176.25m, cached.PerMonth.Amount); // 250 x 0.15 + 250 x 0.075 + 120
        Assert.Equal(0.000195m, b.PerRequest!.Value.Amount);
    }

    [Fact]
    public void A_workload_without_tokens_has_no_per_token_cost_rather_than_a_division_by_zero()
    {
        var price = new ApiPrice("P", "m", Usd(1m), Usd(2m), null, null, new Provenance("t", new DateOnly(2026, 1, 1)));
        var b = CostModel.Api(price, new MonthlyVolume(0, 500, 200));
        Assert.Null(b.PerMillionTokens);
        Assert.Null(b.PerRequest);
        Assert.Equal(0m, b.PerMonth.Amount);
    }

    [Fact]
    public void Seed_case_C8_the_small_model_is_cheaper_at_every_volume_so_there_is_no_break_even()
    {
        // Snorkel legal test (seed case C8): GPT-3 fine-tune 7,418 USD + 173 USD per 10,000; small model 1,915 USD + 0.26 USD per 10,000.
        Assert.Null(BreakEven.LinearVolume(Usd(7_418), Usd(173m / 10_000), Usd(1_915), Usd(0.26m / 10_000)));
        var gpt3 = new CustomOption("gpt-3 fine-tune", Usd(7_418), Usd(0), Usd(0.0173m), 71.4);
        var small = new CustomOption("small model", Usd(1_915), Usd(0), Usd(0.000026m), 71.3);
        var options = new[] { gpt3, small }.Select(o => new CostOption(o.Name, "custom", w => CostModel.Custom(o, w, 36), o.Quality)).ToList();
        var r = Comparison.Run(options, new MonthlyVolume(10_000, 0, 0), 1, 1e9);
        Assert.Empty(r.Volumes);
        Assert.Contains(r.Findings, f => f.Code == "no-break-even" && f.Message.StartsWith("small model is cheaper", StringComparison.Ordinal));
        Assert.Equal("small model", r.Breakdowns[0].Option);
    }

    [Fact]
    public void Seed_case_C8_against_paying_per_inference_alone_the_small_model_breaks_even_at_1915_over_0_017274_requests()
    {
        // 1,915 / (0.0173 - 0.000026) = 110,860.25 inferences.
        var v = BreakEven.LinearVolume(Usd(0), Usd(0.0173m), Usd(1_915), Usd(0.000026m));
        Assert.Equal(110_860.2524, v!.Value, 3);
        var api = new CustomOption("per inference", Usd(0), Usd(0), Usd(0.0173m), null);
        var small = new CustomOption("small model", Usd(1_915), Usd(0), Usd(0.000026m), null);
        // Spread over one month, the build cost is the monthly fixed cost: the scan must find the same volume.
        var options = new[] { api, small }.Select(o => new CostOption(o.Name, "custom", w => CostModel.Custom(o, w, 1))).ToList();
        var r = Comparison.Run(options, new MonthlyVolume(10_000, 0, 0), 1, 1e9);
        var crossing = Assert.Single(r.Volumes);
        Assert.Equal(110_860.2524, crossing.RequestsPerMonth, 1e-6 * 110_860);
        Assert.Equal("per inference", crossing.CheaperBelow);
    }

    [Property(MaxTest = 100)]
    public Property The_scanned_break_even_of_two_lines_equals_the_closed_form()
    {
        var gen = Gen.Choose(1, 100_000).Two().SelectMany(f => Gen.Choose(1, 1000).Two(), (f, c) => (f, c));
        return Prop.ForAll(Arb.From(gen), x =>
        {
            var ((fa, fb), (ca, cb)) = x;
            var linear = BreakEven.LinearVolume(Usd(fa), Usd(ca / 1000m), Usd(fb), Usd(cb / 1000m));
            var scanned = BreakEven.Volumes("a", v => Usd(fa) + Usd(ca / 1000m).Times(v), "b", v => Usd(fb) + Usd(cb / 1000m).Times(v), 1e-3, 1e12);
            return linear is null || linear < 1e-3 || linear > 1e12
                ? scanned.Count == 0
                : scanned.Count == 1 && Math.Abs(scanned[0].RequestsPerMonth / linear.Value - 1) < 1e-6;
        });
    }

    [Fact]
    public void Buying_breaks_even_with_renting_after_capex_over_the_monthly_saving()
    {
        var p = new Provenance("t", new DateOnly(2026, 1, 1));
        var fleet = FleetDescription.AlwaysOn(1, Power.FromWatts(700));
        var own = CostModel.Own("own", fleet, new OwnershipTerms { DevicePrice = Usd(30_000), TariffPerKilowattHour = Usd(0.08m), Pue = 1.2 }, Million);
        var rent = CostModel.Rent("rent", fleet, new RentPrice("X", "h100", Usd(2.69m), RentTerm.OnDemand, p), Million);
        var months = BreakEven.Months(own, rent)!.Value;
        var expected = 30_000m / (rent.PerMonth.Amount - own.RecurringCashPerMonth.Amount);
        Assert.Equal((double)expected, months, 9);
        Assert.Equal(Math.Round(own.CashAfter(months).Amount, 6), Math.Round(rent.CashAfter(months).Amount, 6));
    }

    [Property(MaxTest = 200)]
    public Property Cost_figures_are_never_negative_and_scale_with_volume()
    {
        var gen = Gen.Choose(0, 1_000_000).Three();
        return Prop.ForAll(Arb.From(gen), x =>
        {
            var (requests, input, output) = x;
            var price = new ApiPrice("P", "m", Usd(0.27m), Usd(1.10m), null, null, new Provenance("t", new DateOnly(2026, 1, 1)));
            var one = CostModel.Api(price, new MonthlyVolume(requests, input, output));
            var two = CostModel.Api(price, new MonthlyVolume(2.0 * requests, input, output));
            return one.PerMonth.Amount >= 0 && Math.Abs(two.PerMonth.Amount - 2 * one.PerMonth.Amount) <= 1e-12m * Math.Max(1, two.PerMonth.Amount);
        });
    }

    [Fact]
    public void Money_from_a_formula_rejects_nan_so_it_is_never_printed()
    {
        Assert.Throws<InputException>(() => Money.FromDouble(double.NaN, Currency.Usd));
        Assert.Throws<InputException>(() => Usd(1).Times(double.PositiveInfinity));
    }

    [Fact]
    public void Converting_without_a_rate_for_the_pair_is_refused_and_with_one_it_is_recorded()
    {
        var none = new CurrencyConverter(Currency.Usd, []);
        var ex = Assert.Throws<InputException>(() => none.Convert(new Money(100_000m, Currency.Cny)));
        Assert.Contains("No exchange rate between CNY and USD", ex.Message, StringComparison.Ordinal);
        var rate = new ExchangeRate(Currency.Usd, Currency.Cny, 7.2734m, new DateOnly(2025, 2, 28), "FRED EXCHUS");
        var c = new CurrencyConverter(Currency.Usd, [rate]);
        Assert.Equal(Math.Round(100_000m / 7.2734m, 10), Math.Round(c.Convert(new Money(100_000m, Currency.Cny)).Amount, 10));
        Assert.Same(rate, Assert.Single(c.Used));
    }

    [Fact]
    public void Quality_floors_parse_and_filter_and_an_unreachable_floor_names_the_best_model()
    {
        var floor = QualityFloor.Parse("MMLU>=70");
        Assert.Equal(new QualityFloor("MMLU", 70), floor);
        Assert.True(QualityFloor.Parse("mmlu > 69.5").Strict);
        var catalog = CatalogFiles.Embedded;
        var models = new[] { "llama-2-7b", "llama-2-70b", "llama-3-70b" }.Select(n => catalog.Model(n)).ToList();
        Assert.Equal(["llama-3-70b"], floor.Filter(models).Select(m => m.Id));
        Assert.Contains("45.3", floor.Problem(models[0])!.English, StringComparison.Ordinal);
        var ex = Assert.Throws<InputException>(() => QualityFloor.Parse("MMLU>=95").Filter(models));
        Assert.Contains("the best is llama-3-70b at 79.5", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => QualityFloor.Parse("MMLU is good"));
        Assert.Throws<InputException>(() => QualityFloor.Parse("MMLU>=170"));
    }
}
