using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Files;
using Suanli.StepTime;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

public class FleetTests
{
    private static readonly SuanliCatalog Catalog = CatalogFiles.Embedded;
    private static readonly Device A100 = Catalog.Device("nvidia-a100-sxm4-80gb");
    private static readonly Server DgxA100 = Catalog.Server("dgx-a100");

    private static FleetApplication App(string name, double peak, TrafficProfile profile, double capacity, int tp = 4, DemandKind kind = DemandKind.Concurrency) =>
        new(name, new Deployment(Catalog.Model("qwen2-72b"), A100, new Layout(tp, 1, 1), NumberFormat.Bf16, NumberFormat.Bf16, Engine.Vllm),
            kind, peak, profile, new ReplicaCapacity(capacity, capacity, "tpot", true, []));

    private static FleetPolicy NoHeadroom => new(0, 0, Duration.Zero);

    [Fact]
    public void Static_sizing_holds_the_peak_all_day_and_autoscaling_follows_the_hours()
    {
        // Peak 50 in flight, 10 per replica: 5 replicas of 4 devices at the peak.
        var fleet = FleetPlanner.Plan([App("kb", 50, TrafficProfile.OfficeHours, 10)], NoHeadroom, Rack.Default, _ => DgxA100);
        var st = fleet.Of(Strategy.Static);
        Assert.Equal(20, st.DevicesPeak);
        Assert.Equal(20 * 24, st.DeviceHoursPerDay);
        var auto = fleet.Of(Strategy.Autoscaled);
        var expected = TrafficProfile.OfficeHours.Hours.Sum(m => Math.Ceiling(50 * m / 10 - 1e-9)) * 4;
        Assert.Equal(expected, auto.DeviceHoursPerDay);
        Assert.Equal(20, auto.DevicesPeak);
    }

    [Fact]
    public void Headroom_and_minimum_replicas_are_applied()
    {
        var policy = new FleetPolicy(0.2, 2, Duration.Zero);
        var fleet = FleetPlanner.Plan([App("kb", 50, TrafficProfile.OfficeHours, 10)], policy, Rack.Default, _ => DgxA100);
        var auto = fleet.Of(Strategy.Autoscaled).Groups[0];
        Assert.Equal(6, auto.Peak); // ceil(5 x 1.2)
        Assert.Equal(2, auto.Replicas[3]); // night: the minimum
    }

    [Fact]
    public void A_scale_up_delay_provisions_the_next_hours_replicas_ahead()
    {
        var policy = new FleetPolicy(0, 0, Duration.FromMinutes(10));
        var fleet = FleetPlanner.Plan([App("kb", 50, TrafficProfile.OfficeHours, 10)], policy, Rack.Default, _ => DgxA100);
        var r = fleet.Of(Strategy.Autoscaled).Groups[0].Replicas;
        // 08:00 carries 0.5 x 50 / 10 = 2.5 -> 3 replicas, but 09:00 needs 5: provisioned from 08:00.
        Assert.Equal(5, r[8]);
    }

    [Fact]
    public void Pooling_applications_on_one_deployment_never_needs_more_than_running_them_apart()
    {
        var apps = new[] { App("kb", 50, TrafficProfile.OfficeHours, 10), App("calls", 33, TrafficProfile.CallCentre, 10) };
        var fleet = FleetPlanner.Plan(apps, NoHeadroom, Rack.Default, _ => DgxA100);
        Assert.True(fleet.Of(Strategy.Pooled).DeviceHoursPerDay <= fleet.Of(Strategy.Autoscaled).DeviceHoursPerDay);
        Assert.Single(fleet.Of(Strategy.Pooled).Groups);
        // Peaks at different hours: 5 + 3.3 -> pooled peak load 8.0 at 10:00 (5 + 0.95 x 3.3 = 8.1 -> 9).
        Assert.True(fleet.Of(Strategy.Pooled).DevicesPeak <= fleet.Of(Strategy.Autoscaled).DevicesPeak);
    }

    [Property(MaxTest = 50)]
    public Property More_capacity_per_replica_never_needs_more_devices() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 500)), Arb.From(Gen.Choose(1, 50)), Arb.From(Gen.Choose(1, 50)), (peak, c1, c2) =>
        {
            var (low, high) = (Math.Min(c1, c2), Math.Max(c1, c2));
            var a = FleetPlanner.Plan([App("x", peak, TrafficProfile.ConsumerEvening, low)], FleetPolicy.Default, Rack.Default, _ => DgxA100);
            var b = FleetPlanner.Plan([App("x", peak, TrafficProfile.ConsumerEvening, high)], FleetPolicy.Default, Rack.Default, _ => DgxA100);
            return b.Of(Strategy.Static).DevicesPeak <= a.Of(Strategy.Static).DevicesPeak
                && b.Of(Strategy.Autoscaled).DeviceHoursPerDay <= a.Of(Strategy.Autoscaled).DeviceHoursPerDay;
        });

    [Fact]
    public void Racks_are_limited_by_power_or_space_whichever_binds()
    {
        // DGX A100: 6.5 kW, 6U. A 12.5 kW, 42U rack holds one by power (two would be 13 kW); a 40 kW rack holds 6 by power, 7 by space.
        var apps = new[] { App("kb", 100, TrafficProfile.Flat, 10, tp: 8) }; // 10 replicas x 8 = 80 devices = 10 servers
        var small = FleetPlanner.Plan(apps, NoHeadroom, Rack.Default, _ => DgxA100).Hardware.Single();
        Assert.Equal((10, 1, 10, "power"), (small.Servers, small.ServersPerRack, small.Racks, small.RackLimit));
        var big = FleetPlanner.Plan(apps, NoHeadroom, new Rack(Power.FromKilowatts(60), 42, 1.3), _ => DgxA100).Hardware.Single();
        Assert.Equal((7, 2, "space"), (big.ServersPerRack, big.Racks, big.RackLimit));
    }

    [Fact]
    public void A_rack_smaller_than_one_server_is_an_error_that_says_which()
    {
        var ex = Assert.Throws<InputException>(() => FleetPlanner.Plan([App("kb", 10, TrafficProfile.Flat, 10)], NoHeadroom, new Rack(Power.FromKilowatts(5), 42, 1.3), _ => DgxA100));
        Assert.Contains("smaller than one dgx-a100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Power_follows_idle_plus_load_times_pue_and_energy_sums_the_hours()
    {
        var fleet = FleetPlanner.Plan([App("kb", 10, TrafficProfile.Flat, 10)], NoHeadroom, Rack.Default, _ => DgxA100);
        // One replica of 4 A100s fully loaded: 4 x (400 W TDP + host share (6500 - 8 x 400) / 8 = 412.5 W) x PUE 1.3.
        var expected = 4 * (400 + 412.5) * 1.3;
        Assert.Equal(expected, fleet.HourlyPower[12].InWatts, 6);
        Assert.Equal(expected * 24 / 1000, fleet.EnergyPerDay.InKilowattHours, 6);
    }

    [Theory]
    [InlineData(23)]
    [InlineData(25)]
    public void A_profile_without_24_hours_is_refused(int hours)
    {
        var ex = Assert.Throws<InputException>(() => TrafficProfile.Custom([.. Enumerable.Repeat(0.5, hours)]));
        Assert.Contains("24 hourly multipliers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_multipliers_are_refused_naming_the_hour()
    {
        var hours = Enumerable.Repeat(0.5, 24).ToArray();
        hours[7] = -0.1;
        var ex = Assert.Throws<InputException>(() => TrafficProfile.Custom(hours));
        Assert.Contains("[7]", ex.Message, StringComparison.Ordinal);
    }
}

public class RackDensityTests
{
    private static readonly Suanli.Catalog.SuanliCatalog Catalog = Suanli.Files.CatalogFiles.Embedded;

    [Fact]
    public void Every_session_meets_the_tokens_per_second_floor_and_a_higher_floor_never_adds_sessions()
    {
        var server = Catalog.Server("dgx-h100");
        var device = Catalog.Device(server.DeviceId);
        var model = Catalog.Model("llama-3-8b");
        RackDensityRow Row(double floor) => RackDensity.Compute(Roofline.Instance, model, server, device, NumberFormat.Bf16, Engine.Vllm, Rack.Default, TokenRate.FromTokensPerSecond(floor), 4096);
        var ten = Row(10);
        Assert.True(ten.SessionsPerReplica > 0);
        Assert.True(ten.StepTime.Value <= 0.1);
        Assert.True(Row(50).SessionsPerRack <= ten.SessionsPerRack);
        // DGX H100: 10.2 kW, 8U: one per 12.5 kW rack (power binds before space).
        Assert.Equal(1, ten.ServersPerRack);
        Assert.Equal(ten.SessionsPerReplica * ten.ReplicasPerServer, ten.SessionsPerRack);
    }

    [Fact]
    public void A_model_that_does_not_fit_one_server_serves_no_sessions_and_says_why()
    {
        var server = Catalog.Server("rtx4090-workstation");
        var row = RackDensity.Compute(Roofline.Instance, Catalog.Model("llama-3.1-405b"), server, Catalog.Device(server.DeviceId), NumberFormat.Bf16, Engine.Vllm, Rack.Default, TokenRate.FromTokensPerSecond(10), 4096);
        Assert.Equal(0, row.SessionsPerRack);
        Assert.Contains("does not fit", row.Note?.English, StringComparison.Ordinal);
    }
}
