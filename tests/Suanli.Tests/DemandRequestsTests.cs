using Suanli.Files;
using Suanli.Fleet;
using Suanli.Plan;
using Suanli.Quantities;
using Xunit;

namespace Suanli.Tests;

public class DemandRequestsTests
{
    // A replica's closed loop: 2 s alone, 4 s at 11 clients, 6 s at 21 (carries 21 clients at 21 / 6 = 3.5 requests/s).
    private static readonly ClosedLoopCurve Curve = new([new LoopPoint(1, Duration.FromSeconds(2)), new LoopPoint(11, Duration.FromSeconds(4)), new LoopPoint(21, Duration.FromSeconds(6))]);
    private static readonly ReplicaCapacity Replica = new(3.5, 21, "tpot", true, []) { Loop = Curve };

    [Fact]
    public void A_closed_loop_sends_its_clients_over_the_end_to_end_time_at_its_own_load()
    {
        // 10 clients per replica: E2E 2 + (10 - 1) / 10 x 2 = 3.8 s, so 10 / 3.8 = 2.6316 requests/s a replica.
        Assert.Equal(10 / 3.8, Replica.RequestsPerSecondAt(10), 9);
        // 20 clients over 2 replicas, the same 10 each: 2 x 10 / 3.8 = 5.2632 requests/s; a day of it 454,736.8.
        Assert.Equal(20 / 3.8, DemandRequests.PerSecond(DemandKind.Concurrency, 20, Replica, 2), 9);
        Assert.Equal(20 / 3.8 * 86_400, DemandRequests.PerDay(DemandKind.Concurrency, 20, TrafficProfile.Flat, Replica, [.. Enumerable.Repeat(2, 24)]), 6);
        // Below the first point the lone request's time, beyond the last the last point's; a rate demand is its rate.
        Assert.Equal(0.5 / 2, Replica.RequestsPerSecondAt(0.5), 9);
        Assert.Equal(30 / 6.0, Replica.RequestsPerSecondAt(30), 9);
        Assert.Equal(7, DemandRequests.PerSecond(DemandKind.Rate, 7, Replica, 3));
    }

    [Fact]
    public void A_concurrency_demands_requests_do_not_fall_when_the_replica_carries_more_at_the_same_demand()
    {
        // The staggered search found a replica carrying 644 clients at 22 requests/s where the start together found far
        // fewer: the same 50 users on one replica send the same requests, at their own load's end-to-end time. Taken at
        // the capacity point (its rate per client), the larger capacity's longer end-to-end time cut them 4x.
        var larger = Replica with { MaxConcurrency = Replica.MaxConcurrency * 4, MaxRequestsPerSecond = Replica.MaxRequestsPerSecond * 1.5 };
        var hours = Enumerable.Repeat(1, 24).ToList();
        var before = DemandRequests.PerDay(DemandKind.Concurrency, 15, TrafficProfile.OfficeHours, Replica, hours);
        var after = DemandRequests.PerDay(DemandKind.Concurrency, 15, TrafficProfile.OfficeHours, larger, hours);
        Assert.True(after >= before, $"{after} < {before}");
        Assert.True(before > 0);
    }

    [Fact]
    public void The_default_plans_requests_a_month_are_the_closed_loop_at_its_peak_hour_load()
    {
        // C2's 50 users on one replica: the busiest hour sends 50 / E2E(50) requests per second, the simulated curve's
        // end-to-end time at 50 clients per replica, well under the capacity point's (104 clients).
        var plan = Planner.Plan(ScenarioFile.LoadDefault(CatalogFiles.Embedded), PlanTests.TestCapacity);
        var kb = plan.Applications.Single();
        var loop = Assert.IsType<ClosedLoopCurve>(kb.Capacity.Loop);
        var busiest = Enumerable.Range(0, 24).MaxBy(h => kb.Application.Profile.Hours[h]);
        var clients = kb.Application.Peak * kb.Application.Profile.Hours[busiest] / kb.HourlyReplicas[busiest];
        Assert.Equal(kb.HourlyReplicas[busiest] * clients / loop.E2eAt(clients).Value,
            DemandRequests.PerSecond(kb.Application.Kind, kb.Application.Peak * kb.Application.Profile.Hours[busiest], kb.Capacity, kb.HourlyReplicas[busiest]), 9);
        Assert.True(loop.E2eAt(clients).Value < kb.Capacity.MaxConcurrency / kb.Capacity.MaxRequestsPerSecond);
        Assert.True(PlanCosts.RequestsPerDay(kb) > Enumerable.Range(0, 24).Sum(h => kb.Application.Peak * kb.Application.Profile.Hours[h] / kb.Capacity.MaxConcurrency * kb.Capacity.MaxRequestsPerSecond * 3600));
    }

    [Fact]
    public void A_scaled_capacity_keeps_its_rate_per_client_at_capacity()
    {
        var half = Replica.Scaled(0.5);
        Assert.Equal((1.75, 10.5), (half.MaxRequestsPerSecond, half.MaxConcurrency));
        // At its capacity the scaled loop's end-to-end time is the original's at its capacity: 6 s.
        Assert.Equal(6, half.Loop!.E2eAt(10.5).Value, 9);
        Assert.Equal(Replica.RequestsPerSecondAt(21) / 2, half.RequestsPerSecondAt(10.5), 9);
    }
}
