using System.Text.Json;
using Spectre.Console.Testing;
using Suanli.Cli;
using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Xunit;

namespace Suanli.Tests;

/// <summary>Each application's profile is in its own zone; the fleet sums load on the scenario's clock (docs/methodology-fleet.md, "Time zones").</summary>
public class TimeZoneTests
{
    // A winter date: Europe/London is UTC+0, Asia/Shanghai UTC+8 (China keeps no daylight saving), Asia/Kolkata UTC+5:30.
    private static readonly DateOnly Winter = new(2026, 1, 15);

    private static string App(string name, string? zone) =>
        $"  - name: {name}\n    model: qwen2.5-7b-instruct\n    peak_concurrency: 2000\n    input_tokens: 1024\n    output_tokens: 256\n    profile: office-hours\n"
        + (zone is null ? "" : $"    time_zone: {zone}\n");

    private static Scenario Parse(string yaml) => ScenarioFile.Parse(yaml, "s.yaml", CatalogFiles.Embedded);

    private static PlanResult Plan(string yaml, DateOnly date)
    {
        var findings = new List<Finding>();
        return Planner.Plan(ZoneShifts.Resolve(Parse(yaml), date, findings), Hundred);
    }

    // One replica carries 100 requests in flight (10 req/s) whatever the deployment, so loads are hand-computable.
    private static ReplicaCapacity Hundred(Suanli.StepTime.Deployment d, RequestMix mix, Suanli.Serving.ServingTargets targets) =>
        new(10, 100, "tpot", true, []);

    private static readonly IReadOnlyList<double> Office = TrafficProfile.OfficeHours.Hours;

    [Fact]
    public void Two_applications_eight_hours_apart_sum_app1_h_plus_app2_h_plus_8_and_peak_below_the_sum_of_peaks()
    {
        var plan = Plan("hardware: h100\ntime_zone: Europe/London\napplications:\n" + App("london", null) + App("shanghai", "Asia/Shanghai"), Winter);
        Assert.Equal(8.0, plan.Applications[1].Application.HourShift);
        Assert.Equal(0.0, plan.Applications[0].Application.HourShift);
        var groups = plan.Fleet.Of(Strategy.Autoscaled).Groups;
        // Same model, peak and capacity: load = 2000 in flight x multiplier / 100 per replica = 20 replicas x multiplier.
        const double perMultiplier = 20;
        for (var h = 0; h < 24; h++)
        {
            Assert.Equal(perMultiplier * Office[h], groups[0].Load[h], 12);
            Assert.Equal(perMultiplier * Office[(h + 8) % 24], groups[1].Load[h], 12);
        }
        // Office hours peak at 1.0 (9-11 and 15); eight hours apart the summed day peaks at 09:00 London,
        // 1.0 (London 9:00) + 0.6 (Shanghai 17:00) = 1.6, not 2.0.
        var pooled = plan.Fleet.Of(Strategy.Pooled).Groups.Single().Load;
        Assert.Equal(1.6 * perMultiplier, pooled.Max(), 12);
        Assert.Equal(9, pooled.ToList().IndexOf(pooled.Max()));
        Assert.True(pooled.Max() < groups[0].Load.Max() + groups[1].Load.Max());

        var together = Plan("hardware: h100\ntime_zone: Europe/London\napplications:\n" + App("london", null) + App("shanghai", null), Winter);
        Assert.Equal(2.0 * perMultiplier, together.Fleet.Of(Strategy.Pooled).Groups.Single().Load.Max(), 12);
        // Pooled and autoscaled with 20% headroom: ceil(1.6 x 20 x 1.2) = ceil(38.4) = 39 replicas at the peak, against
        // ceil(2.0 x 20 x 1.2) = 48 when both peak together; one H100 per replica (7B in BF16 fits one device).
        Assert.Equal(1, plan.Applications[0].Deployment.Layout.Devices);
        Assert.Equal(39, plan.Fleet.Of(Strategy.Pooled).DevicesPeak);
        Assert.Equal(48, together.Fleet.Of(Strategy.Pooled).DevicesPeak);
    }

    [Fact]
    public void One_applications_numbers_do_not_depend_on_its_zone_only_its_hours_turn()
    {
        var home = Plan("hardware: h100\napplications:\n" + App("kb", null), Winter);
        var away = Plan("hardware: h100\napplications:\n" + App("kb", "America/New_York"), Winter);
        Assert.Equal(-5.0, away.Applications[0].Application.HourShift);
        foreach (var s in new[] { Strategy.Static, Strategy.Autoscaled, Strategy.Pooled })
        {
            var (a, b) = (home.Fleet.Of(s), away.Fleet.Of(s));
            Assert.Equal(a.DevicesPeak, b.DevicesPeak);
            Assert.Equal(a.DeviceHoursPerDay, b.DeviceHoursPerDay);
            Assert.Equal(a.Utilisation, b.Utilisation, 12);
            Assert.Equal(a.EnergyPerDay.Value, b.EnergyPerDay.Value, 6);
        }
        Assert.Equal(home.Fleet.Hardware.Single().Devices, away.Fleet.Hardware.Single().Devices);
        Assert.Equal(home.Fleet.PeakPower.Value, away.Fleet.PeakPower.Value, 9);
        // New York is 5 h behind UTC in January: its 9:00 peak is 14:00 on the fleet's clock.
        for (var h = 0; h < 24; h++)
        {
            Assert.Equal(home.Applications[0].HourlyReplicas[(h + 24 - 5) % 24], away.Applications[0].HourlyReplicas[h]);
        }
    }

    [Fact]
    public void A_zone_equal_to_the_scenarios_changes_nothing()
    {
        var plain = Parse("hardware: h100\ntime_zone: Asia/Shanghai\napplications:\n" + App("kb", null));
        var named = Parse("hardware: h100\ntime_zone: Asia/Shanghai\napplications:\n" + App("kb", "Asia/Shanghai"));
        var findings = new List<Finding>();
        Assert.Same(plain, ZoneShifts.Resolve(plain, Winter, findings));
        Assert.Equal(0.0, ZoneShifts.Resolve(named, Winter, findings).Applications[0].HourShift);
        Assert.Empty(findings);
    }

    [Fact]
    public void A_half_hour_offset_splits_each_hour_between_two_local_hours_and_keeps_the_days_total()
    {
        Assert.Equal(TimeSpan.FromHours(5.5), ZoneShifts.Offset("Asia/Kolkata", Winter));
        var india = TrafficProfile.OfficeHours.Shifted(5.5);
        // Fleet hour 0 (UTC) is 5:30-6:30 in India: half of local hour 5 (0.03) and half of hour 6 (0.05).
        Assert.Equal(0.04, india.Hours[0], 12);
        // Fleet hour 4 is 9:30-10:30: both halves at 1.0.
        Assert.Equal(1.0, india.Hours[4], 12);
        Assert.Equal(Office.Sum(), india.Hours.Sum(), 12);
        // Behind by 3:30: fleet hour 0 is 20:30-21:30 local, half of 0.1 and half of 0.07.
        var behind = TrafficProfile.OfficeHours.Shifted(-3.5);
        Assert.Equal(0.085, behind.Hours[0], 12);
        Assert.Equal(Office.Sum(), behind.Hours.Sum(), 12);
        Assert.All(india.Hours.Concat(behind.Hours), m => Assert.InRange(m, 0, 1));

        var plan = Plan("hardware: h100\napplications:\n" + App("delhi", "Asia/Kolkata"), Winter);
        Assert.Equal(5.5, plan.Applications[0].Application.HourShift);
        var load = plan.Fleet.Of(Strategy.Autoscaled).Groups.Single().Load;
        Assert.Equal(20 * Office.Sum(), load.Sum(), 9);
    }

    [Fact]
    public void Daylight_saving_follows_the_plan_date()
    {
        Assert.Equal(TimeSpan.Zero, ZoneShifts.Offset("Europe/London", Winter));
        Assert.Equal(TimeSpan.FromHours(1), ZoneShifts.Offset("Europe/London", new DateOnly(2026, 7, 15)));
        var scenario = Parse("hardware: h100\ntime_zone: Asia/Shanghai\napplications:\n" + App("london", "Europe/London"));
        Assert.Equal(-8.0, ZoneShifts.Resolve(scenario, Winter, []).Applications[0].HourShift);
        Assert.Equal(-7.0, ZoneShifts.Resolve(scenario, new DateOnly(2026, 7, 15), []).Applications[0].HourShift);
    }

    [Fact]
    public void An_unknown_application_zone_is_a_located_error_naming_its_key()
    {
        var ex = Assert.ThrowsAny<InputException>(() => Parse("hardware: h100\napplications:\n" + App("kb", null) + App("mars", "Mars/Olympus")));
        Assert.Equal("applications[1].time_zone", ex.Field);
        Assert.Equal(new SourceLocation("s.yaml", 15, 16), ex.Location);
        Assert.StartsWith("Unknown time zone 'Mars/Olympus' in applications[1].time_zone.", ex.Detail, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    [Fact]
    public void Plan_json_gives_each_applications_zone_and_its_shift_on_the_date_the_cli_is_run()
    {
        static JsonElement[] AppsOn(DateTimeOffset day)
        {
            var output = new StringWriter();
            var example = Path.Combine(PlanTests.RepoRoot(), "examples", "two-time-zones.yaml");
            Assert.Equal(0, SuanliCli.Run(["plan", example, "--format", "json"], new TestConsole().Width(160), output, new StringWriter(), clock: new FixedClock(day)));
            using var doc = JsonDocument.Parse(output.ToString());
            Assert.Equal("Asia/Shanghai", doc.RootElement.GetProperty("timeZone").GetString());
            return [.. doc.RootElement.GetProperty("applications").EnumerateArray().Select(a => a.Clone())];
        }
        var winter = AppsOn(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(("Asia/Shanghai", 0.0), (winter[0].GetProperty("timeZone").GetString(), winter[0].GetProperty("hourShift").GetDouble()));
        Assert.Equal(("Europe/London", -8.0), (winter[1].GetProperty("timeZone").GetString(), winter[1].GetProperty("hourShift").GetDouble()));
        // British summer time: London is UTC+1, 7 hours behind Shanghai.
        Assert.Equal(-7.0, AppsOn(new DateTimeOffset(2027, 7, 15, 0, 0, 0, TimeSpan.Zero))[1].GetProperty("hourShift").GetDouble());
    }
}
