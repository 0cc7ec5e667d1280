using Suanli.Fleet;
using Suanli.Cost;
using Suanli.Files;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.StepTime;
using Xunit;

namespace Suanli.Tests;

/// <summary>The rent term a plan chooses when the scenario pins none (docs/methodology-cost.md, "Choosing the rent term").</summary>
public class RentChoiceTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly Provenance Source = new("test", new DateOnly(2026, 12, 1));
    private static readonly RentPrice OnDemand = new("A", "h100", new Money(2.00m, Currency.Usd), RentTerm.OnDemand, Source);
    private static readonly RentPrice OneYear = new("B", "h100", new Money(1.20m, Currency.Usd), RentTerm.Reserved1Y, Source);

    private static int[] Hours(params (int Devices, int Hours)[] parts) => [.. parts.SelectMany(p => Enumerable.Repeat(p.Devices, p.Hours))];

    [Fact]
    public void Reserved_wins_for_the_devices_held_all_day_and_on_demand_for_the_peak_above_them()
    {
        // 2 devices all day, 6 for 8 hours. Reserved at 1.20 pays when a device is busy more than 24 x 1.20 / 2.00 = 14.4 h.
        // All on demand: (2 x 16 + 6 x 8) = 80 device-hours a day x 365/12 x 2.00 = 4,866.67 USD.
        // All 6 reserved: 6 x 730 x 1.20 = 5,256.00 USD.
        // 2 reserved + on demand above: 2 x 730 x 1.20 = 1,752 + (4 x 8) = 32 device-hours a day x 365/12 x 2.00 = 1,946.67; 3,698.67 USD.
        var fleet = Hours((2, 16), (6, 8));
        var mix = RentChoice.Cheapest(fleet, [OnDemand, OneYear])!;
        Assert.Equal(2, mix.ReservedDevices);
        Assert.Equal(6, mix.PeakDevices);
        Assert.Equal(RentTerm.Reserved1Y, mix.Term);
        Assert.Same(OnDemand, mix.OnDemand);
        Assert.Equal(3698.67m, decimal.Round(mix.PerMonth.Amount, 2));
        Assert.Equal(14.4, RentChoice.BreakEvenHoursPerDay(OneYear, OnDemand), 9);
        var cost = CostModel.Rent("mixed", mix, new MonthlyVolume(1_000_000, 500, 200));
        Assert.Equal([1752.00m, 1946.67m], cost.Lines.Select(l => decimal.Round(l.PerMonth.Amount, 2)).ToArray());
        Assert.Contains("1,460 device-hours (reserved-1y)", cost.Lines[0].Formula, StringComparison.Ordinal);
        Assert.Contains("973 device-hours (on-demand)", cost.Lines[1].Formula, StringComparison.Ordinal);
        var why = PlanCosts.TermChosen(Strategy.Autoscaled, mix).Message;
        Assert.StartsWith("Rent term: reserved-1y for 2 of the 6 devices of the autoscaled fleet, busy 24 hours a day", why, StringComparison.Ordinal);
        Assert.EndsWith("when busy more than 14.4 hours a day.", why, StringComparison.Ordinal);
        // Pinned to one term, the same fleet costs what that term alone costs.
        Assert.Equal(4866.67m, decimal.Round(RentChoice.Cheapest(fleet, [OnDemand])!.PerMonth.Amount, 2));
        Assert.Equal(5256.00m, decimal.Round(RentChoice.Cheapest(fleet, [OneYear])!.PerMonth.Amount, 2));
    }

    [Fact]
    public void On_demand_wins_when_no_device_is_busy_long_enough_for_the_reserved_price()
    {
        // 4 devices for 12 hours, none at night: each is busy 12 h, under the 14.4 h break-even.
        // All on demand: 48 device-hours a day x 365/12 x 2.00 = 2,920.00 USD; all reserved: 4 x 730 x 1.20 = 3,504.00 USD.
        var mix = RentChoice.Cheapest(Hours((0, 12), (4, 12)), [OnDemand, OneYear])!;
        Assert.Equal(0, mix.ReservedDevices);
        Assert.Null(mix.Reserved);
        Assert.Equal(RentTerm.OnDemand, mix.Term);
        Assert.Equal(2920.00m, decimal.Round(mix.PerMonth.Amount, 2));
    }

    [Fact]
    public void The_longer_term_wins_where_it_is_cheaper_and_without_on_demand_the_whole_peak_is_reserved()
    {
        var threeYear = OneYear with { PerDeviceHour = new Money(0.90m, Currency.Usd), Term = RentTerm.Reserved3Y };
        // 3 devices all day: 3 x 730 x 0.90 = 1,971.00 USD (1-year: 2,628.00; on demand: 4,380.00).
        var flat = RentChoice.Cheapest(Hours((3, 24)), [OnDemand, OneYear, threeYear])!;
        Assert.Equal((RentTerm.Reserved3Y, 3, 1971.00m), (flat.Term, flat.ReservedDevices, decimal.Round(flat.PerMonth.Amount, 2)));
        // Only a reserved row: the peak of 6 devices is reserved, 6 x 730 x 1.20 = 5,256.00 USD.
        var reservedOnly = RentChoice.Cheapest(Hours((2, 16), (6, 8)), [OneYear])!;
        Assert.Equal((6, 5256.00m), (reservedOnly.ReservedDevices, decimal.Round(reservedOnly.PerMonth.Amount, 2)));
        Assert.Null(RentChoice.Cheapest(Hours((1, 24)), []));
    }

    // One request in flight fits one single-A100-40GB replica: one device all day at every strategy.
    private const string A100 = "name: terms\ncurrency: USD\nhardware: nvidia-a100-sxm4-40gb\ndevices_per_replica: 1\n"
        + "applications:\n  - name: chat\n    model: Qwen/Qwen2.5-7B-Instruct\n    peak_concurrency: 1\n    input_tokens: 512\n    output_tokens: 128\n";

    [Fact]
    public void A_plan_without_rent_term_reserves_the_a100_held_all_day_for_three_years_and_says_why()
    {
        var scenario = ScenarioFile.Parse(A100, "terms.yaml", CatalogFiles.Embedded);
        Assert.Null(scenario.RentTerm);
        var priced = PricedPlanner.Run(scenario, PlanTests.TestCapacity, PriceFiles.Embedded, Today);
        // Cheapest A100 40GB rows: on demand Lambda 1.99 USD; China Telecom Cloud's p8a.6xlarge.4 11.9106 CNY (1 year) and
        // 7.0062 CNY (3 years), at 6.9858 CNY per USD 1.70497 and 1.00292 USD (AWS China's 1.96115 and 1.32061 and Google
        // Cloud's 2.3878 and 1.3266 are dearer). One device 24 h a day: on demand 730 h x 1.99 = 1,452.70 USD; 3-year
        // 730 x 7.0062 / 6.9858 = 732.13 USD a month.
        foreach (var c in priced.Costs)
        {
            Assert.Equal((RentTerm.Reserved3Y, 1), (c.RentMix!.Term, c.RentMix.ReservedDevices));
            Assert.Equal(732.13m, decimal.Round(c.Rent!.PerMonth.Amount, 2));
        }
        var report = PlanReport.Build(priced.Plan, priced.Pricing, priced.Costs);
        Assert.Contains(report.Findings, f => f.Code == "rent-term-chosen" && f.Message.StartsWith("Rent term: reserved-3y for every device", StringComparison.Ordinal));
        var json = (PlanJson)report.Json;
        Assert.Equal(new RentTermJson("reserved-3y", 1, 1, false), json.Costs!.Strategies[0].RentTerm);

        // rent_term pins the term: on demand, 1,452.70 USD, and no choice is reported.
        var pinned = ScenarioFile.Parse(A100.Replace("currency: USD\n", "currency: USD\nrent_term: on-demand\n", StringComparison.Ordinal), "pinned.yaml", CatalogFiles.Embedded);
        var pinnedPlan = PricedPlanner.Run(pinned, PlanTests.TestCapacity, PriceFiles.Embedded, Today);
        Assert.All(pinnedPlan.Costs, c => Assert.Equal(1452.70m, decimal.Round(c.Rent!.PerMonth.Amount, 2)));
        var pinnedReport = PlanReport.Build(pinnedPlan.Plan, pinnedPlan.Pricing, pinnedPlan.Costs);
        Assert.DoesNotContain(pinnedReport.Findings, f => f.Code == "rent-term-chosen");
        Assert.Equal(new RentTermJson("on-demand", 0, 1, true), ((PlanJson)pinnedReport.Json).Costs!.Strategies[0].RentTerm);
    }

    [Fact]
    public void An_office_hours_plan_on_the_a100_reserves_the_devices_held_all_day_and_rents_the_daytime_peak_on_demand()
    {
        var yaml = A100.Replace("peak_concurrency: 1", "peak_rate: 30", StringComparison.Ordinal).Replace("output_tokens: 128\n", "output_tokens: 128\n    profile: office-hours\n", StringComparison.Ordinal);
        var priced = PricedPlanner.Run(ScenarioFile.Parse(yaml, "office.yaml", CatalogFiles.Embedded), PlanTests.TestCapacity, PriceFiles.Embedded, Today);
        var fleet = priced.Plan.Fleet.Of(priced.Plan.Fleet.Recommended);
        var night = fleet.HourlyDevices.Min();
        Assert.True(night >= 1 && fleet.DevicesPeak > night, "the office day needs more devices than the night");
        // The break-even of the 3-year row against on demand is 24 x 1.00292 / 1.99 = 12.1 h (7.0062 CNY at 6.9858 CNY per
        // USD), and no office day is that long, so exactly the devices held all night are reserved: night x 730 x 7.0062 /
        // 6.9858 + the device-hours above them x 365/12 x 1.99.
        var mix = priced.Costs.Single(c => c.Strategy == fleet.Strategy).RentMix!;
        Assert.Equal((RentTerm.Reserved3Y, night), (mix.Term, mix.ReservedDevices));
        var above = fleet.HourlyDevices.Sum(d => d - night) * 365m / 12m;
        Assert.Equal(decimal.Round(night * 730m * (7.0062m / 6.9858m) + above * 1.99m, 2), decimal.Round(mix.PerMonth.Amount, 2));
        // The static fleet holds its peak all day, so all of it is reserved.
        var staticMix = priced.Costs.Single(c => c.Strategy == Strategy.Static).RentMix!;
        Assert.Equal((RentTerm.Reserved3Y, staticMix.PeakDevices), (staticMix.Term, staticMix.ReservedDevices));
        var report = PlanReport.Build(priced.Plan, priced.Pricing, priced.Costs);
        Assert.Contains(report.Findings, f => f.Code == "rent-term-chosen" && f.Message.Contains($"reserved-3y for {night} of the {fleet.DevicesPeak} devices", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plan_on_the_h100_stays_on_demand_where_the_cheapest_on_demand_row_undercuts_every_reserved_one()
    {
        // Cheapest H100 rows: on demand FPT Cloud 2.31 USD; 1-year neocloud contract 2.35; 3-year AWS p5.48xlarge 2.97216.
        // Even a device busy all day costs 730 x 2.31 = 1,686.30 on demand against 730 x 2.35 = 1,715.50 reserved.
        var scenario = ScenarioFile.Parse(A100.Replace("nvidia-a100-sxm4-40gb", "nvidia-h100-sxm5-80gb", StringComparison.Ordinal), "h100.yaml", CatalogFiles.Embedded);
        var priced = PricedPlanner.Run(scenario, PlanTests.TestCapacity, PriceFiles.Embedded, Today);
        Assert.Equal(2, priced.Pricing.Reserved.Count);
        Assert.All(priced.Costs, c => Assert.Equal((RentTerm.OnDemand, 0, 1686.30m), (c.RentMix!.Term, c.RentMix.ReservedDevices, decimal.Round(c.Rent!.PerMonth.Amount, 2))));
        var report = PlanReport.Build(priced.Plan, priced.Pricing, priced.Costs);
        Assert.Contains(report.Findings, f => f.Code == "rent-term-chosen" && f.Message.StartsWith("Rent term: on-demand for the whole", StringComparison.Ordinal));
    }

    [Fact]
    public void Optimize_without_a_rent_term_prices_each_candidate_at_its_cheapest_term()
    {
        const string Search = "name: terms\ncurrency: USD\nhardware: nvidia-a100-sxm4-40gb\ncandidates:\n  cost: rent\n  devices_per_replica: [1]\n  precisions: [bf16]\n"
            + "applications:\n  - name: chat\n    models: [qwen2.5-7b]\n    peak_concurrency: 1\n    input_tokens: 512\n    output_tokens: 128\n";
        var (scenario, settings) = ScenarioFile.ParseSearch(Search, "opt.yaml", CatalogFiles.Embedded);
        Assert.Null(settings.RentTerm);
        var pricing = PriceSelection.Resolve([scenario.Device], PriceFiles.Embedded, scenario.Currency, settings.Tariff, Today, settings.RentTerm);
        var application = ScenarioSearch.Run(scenario, settings, pricing.Devices, Roofline.Instance, new ScenarioSearchOptions { RequestsPerProbe = 400 }).Applications[0];
        var cheapest = application.Cheapest!;
        Assert.Contains(application.Search.Findings, f => f.Code == "rent-term-chosen" && f.Message.StartsWith("chat: Rent term: reserved-3y for every device", StringComparison.Ordinal));
        // One device all day, as in the plan: 730 h x 7.0062 CNY / 6.9858 (China Telecom Cloud, 3 years) = 732.13 USD a month.
        Assert.Equal(1, cheapest.Cost.DevicesPeak);
        Assert.Equal(732.13m, decimal.Round(cheapest.Cost.Rent!.PerMonth.Amount, 2));
        Assert.Contains("reserved-3y", cheapest.Cost.Rent.Lines[0].Formula, StringComparison.Ordinal);
    }
}
