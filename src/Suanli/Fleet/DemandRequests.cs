namespace Suanli.Fleet;

/// <summary>
/// The requests a demand sends, for the planner's and the optimizer's requests a month alike
/// (docs/methodology-fleet.md, "Requests a concurrency demand sends").
/// </summary>
public static class DemandRequests
{
    /// <summary>
    /// Requests per second a demand of <paramref name="demand"/> sends while <paramref name="replicas"/> replicas serve
    /// it: a rate demand is its rate; a concurrency demand is a closed loop of that many clients without think time,
    /// spread evenly over the replicas, each replica serving its share n at n / E2E(n) (Little's law), E2E at the
    /// demand's own load per replica, not at the replica's capacity.
    /// </summary>
    /// <param name="kind">How the demand is stated.</param>
    /// <param name="demand">Requests in flight (concurrency) or requests per second (rate) in the hour.</param>
    /// <param name="capacity">What one replica carries, with its closed-loop curve for concurrency demand.</param>
    /// <param name="replicas">Replicas serving the demand in the hour (at least one is assumed).</param>
    public static double PerSecond(DemandKind kind, double demand, ReplicaCapacity capacity, int replicas)
    {
        if (demand <= 0)
        {
            return 0;
        }
        if (kind == DemandKind.Rate)
        {
            return demand;
        }
        var r = Math.Max(1, replicas);
        return r * capacity.RequestsPerSecondAt(demand / r);
    }

    /// <summary>
    /// Requests a day: each hour's demand (peak x the profile's share of that hour) at <see cref="PerSecond"/> with that
    /// hour's replicas, times 3,600 s, summed over the 24 hours.
    /// </summary>
    /// <param name="kind">How the demand is stated.</param>
    /// <param name="peak">Peak concurrency or rate.</param>
    /// <param name="profile">Hourly shape.</param>
    /// <param name="capacity">What one replica carries.</param>
    /// <param name="hourlyReplicas">24 hourly replica counts (the autoscaled fleet's).</param>
    public static double PerDay(DemandKind kind, double peak, TrafficProfile profile, ReplicaCapacity capacity, IReadOnlyList<int> hourlyReplicas) =>
        Enumerable.Range(0, 24).Sum(h => PerSecond(kind, peak * profile.Hours[h], capacity, hourlyReplicas[h]) * 3600.0);
}
