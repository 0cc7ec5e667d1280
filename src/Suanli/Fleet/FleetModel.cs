using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Fleet;

/// <summary>How demand is stated: requests in flight at the peak, or arrivals per second at the peak.</summary>
public enum DemandKind
{
    /// <summary>Peak concurrent requests (in flight at once).</summary>
    Concurrency,
    /// <summary>Peak arrival rate in requests per second.</summary>
    Rate,
}

/// <summary>What one replica carries while meeting the targets (from the serving stage's capacity search).</summary>
/// <param name="MaxRequestsPerSecond">Largest arrival rate meeting the targets.</param>
/// <param name="MaxConcurrency">Largest number of requests in flight meeting the targets.</param>
/// <param name="LimitingTarget">Which target binds (ttft, tpot, e2e, memory).</param>
/// <param name="Feasible">False when no load meets the targets; then the findings say why.</param>
/// <param name="Findings">What the capacity search found.</param>
public sealed record ReplicaCapacity(double MaxRequestsPerSecond, double MaxConcurrency, string LimitingTarget, bool Feasible, IReadOnlyList<Finding> Findings)
{
    /// <summary>Capacity in the units of a demand kind.</summary>
    public double In(DemandKind kind) => kind == DemandKind.Rate ? MaxRequestsPerSecond : MaxConcurrency;

    /// <summary>
    /// A closed loop's mean end-to-end time at the client counts the capacity search simulated (concurrency demand);
    /// null for rate demand and for a capacity not simulated, where <see cref="RequestsPerSecondAt"/> falls back to
    /// the capacity point.
    /// </summary>
    public ClosedLoopCurve? Loop { get; init; }

    /// <summary>
    /// Requests per second one replica serves to a closed loop of <paramref name="clients"/> clients without think
    /// time: clients / E2E(clients) by Little's law, E2E interpolated on <see cref="Loop"/> (docs/methodology-fleet.md,
    /// "Requests a concurrency demand sends"). Without a curve, the capacity point's rate per client.
    /// </summary>
    /// <param name="clients">Clients (requests in flight) per replica.</param>
    public double RequestsPerSecondAt(double clients) => clients <= 0 ? 0
        : Loop is { } loop ? clients / loop.E2eAt(clients).Value
        : MaxConcurrency > 0 ? clients * MaxRequestsPerSecond / MaxConcurrency : 0;

    /// <summary>
    /// The same replica with <paramref name="ratio"/> times the capacity (a capacity interval's end): the rate and the
    /// clients scale, and so do the loop's client counts, so that the rate per client at capacity is kept.
    /// </summary>
    public ReplicaCapacity Scaled(double ratio) => this with
    {
        MaxRequestsPerSecond = MaxRequestsPerSecond * ratio,
        MaxConcurrency = MaxConcurrency * ratio,
        Loop = Loop is { } loop ? new ClosedLoopCurve([.. loop.Points.Select(p => p with { Clients = p.Clients * ratio })]) : null,
    };
}

/// <summary>One closed-loop simulation's mean end-to-end time.</summary>
/// <param name="Clients">Clients per replica.</param>
/// <param name="E2e">Mean end-to-end time of a request.</param>
public sealed record LoopPoint(double Clients, Duration E2e);

/// <summary>
/// Mean end-to-end time against closed-loop clients per replica, from one client alone and the capacity search's
/// probes that met the targets, in increasing client count (at least one point, every time positive).
/// </summary>
/// <param name="Points">The simulated points, sorted by clients.</param>
public sealed record ClosedLoopCurve(IReadOnlyList<LoopPoint> Points)
{
    /// <summary>
    /// Mean end-to-end time at <paramref name="clients"/>: linear between the neighbouring points (a decode step grows
    /// about linearly with its batch), the first point's below them and the last's above them.
    /// </summary>
    public Duration E2eAt(double clients)
    {
        var first = Points[0];
        if (clients <= first.Clients)
        {
            return first.E2e;
        }
        for (var i = 1; i < Points.Count; i++)
        {
            var (a, b) = (Points[i - 1], Points[i]);
            if (clients <= b.Clients)
            {
                var t = (clients - a.Clients) / (b.Clients - a.Clients);
                return Duration.FromSeconds(a.E2e.Value + t * (b.E2e.Value - a.E2e.Value));
            }
        }
        return Points[^1].E2e;
    }

    /// <summary>Equal when the points are (the record's list would compare by reference).</summary>
    public bool Equals(ClosedLoopCurve? other) => other is not null && Points.SequenceEqual(other.Points);

    /// <inheritdoc/>
    public override int GetHashCode() => Points.Count;
}

/// <summary>One application's demand on one deployment.</summary>
/// <param name="Name">Application name.</param>
/// <param name="Deployment">The model copy that serves it.</param>
/// <param name="Kind">How its peak is stated.</param>
/// <param name="Peak">Peak concurrency or rate.</param>
/// <param name="Profile">Hourly shape.</param>
/// <param name="Capacity">What one replica carries for this application's requests.</param>
public sealed record FleetApplication(string Name, Deployment Deployment, DemandKind Kind, double Peak, TrafficProfile Profile, ReplicaCapacity Capacity)
{
    /// <summary>Applications with the same key can share replicas (same model, format, device, layout, engine).</summary>
    public string PoolKey => $"{Deployment.Model.Id}|{Deployment.Weights}|{Deployment.Kv}|{Deployment.Device.Id}|{Deployment.Layout}|{Deployment.Engine}";

    /// <summary>Replica-equivalents of load in hour <paramref name="h"/>: demand divided by one replica's capacity.</summary>
    public double Load(int h) => Peak * Profile.Hours[h] / Capacity.In(Kind);
}

/// <summary>Sizing policy.</summary>
/// <param name="Headroom">Extra capacity over the computed need (0.2 = 20%), for forecast error and failures.</param>
/// <param name="MinReplicas">Replicas kept up at all times by autoscaling (per application or pool).</param>
/// <param name="ScaleUpDelay">Time to bring a replica up (model load and warm-up); autoscaling provisions this far ahead.</param>
public sealed record FleetPolicy(double Headroom, int MinReplicas, Duration ScaleUpDelay)
{
    /// <summary>The most replicas a policy keeps up at all times: a scenario's min_replicas beyond it is a mistake.</summary>
    public const int MaxMinReplicas = 100_000;

    /// <summary>20% headroom, one replica minimum, 10-minute scale-up (docs/methodology-fleet.md).</summary>
    public static FleetPolicy Default { get; } = new(0.2, 1, Duration.FromMinutes(10));
}

/// <summary>A rack: power budget, height and the facility's PUE.</summary>
/// <param name="PowerBudget">IT power the rack may draw.</param>
/// <param name="HeightU">Usable rack units.</param>
/// <param name="Pue">Power usage effectiveness of the facility (total power / IT power).</param>
public sealed record Rack(Power PowerBudget, int HeightU, double Pue)
{
    /// <summary>12.5 kW, 42U, PUE 1.3 (seed case C7's rack; PUE per docs/methodology-fleet.md).</summary>
    public static Rack Default { get; } = new(Power.FromKilowatts(12.5), 42, ElectricityDefaults.Pue);

    /// <summary>The tallest rack a scenario may give (rack.height_u): 60U; the industry-standard rack is 42U.</summary>
    public const int MaxHeightU = 60;

    /// <summary>
    /// The most IT power a rack may draw (a scenario's rack.power, density's --rack-kw): 1,000 kW, the megawatt rack
    /// Google's +/-400 VDC power delivery is designed to reach (OCP EMEA Summit 2025; docs/methodology-fleet.md).
    /// </summary>
    public const double MaxPowerKw = 1000;

    /// <summary>True when at least one <paramref name="server"/> fits: its power within the budget, its height within the rack's units.</summary>
    public bool Holds(Server server) => Math.Floor(PowerBudget / server.Power + 1e-9) >= 1 && HeightU / server.HeightU >= 1;

    /// <summary>Why <paramref name="server"/> does not fit and what would, or null when it fits: no rack.height_u reaches a server of several racks (cloudmatrix-384 is 672U), so that one names a server of one rack instead.</summary>
    public Phrase? Misses(Server server, Device device) =>
        Holds(server) ? null
        : server.HeightU > MaxHeightU
            ? Phrase.Of("rack#server-spans-racks", "{server} ({serverHeight}) spans more than one rack and rack.height_u stops at {maxHeight}; name a server of one rack for {device} in server, or leave server out",
                ("server", server.Id), ("serverHeight", Fmt.I($"{server.HeightU}U")), ("maxHeight", Fmt.I($"{MaxHeightU}U")), ("device", device.Id))
            : Phrase.Of("rack#does-not-fit", "one {server} ({serverPower}, {serverHeight}) does not fit the scenario's {rackPower}, {rackHeight} rack; raise rack.power or rack.height_u to consider it",
                ("server", server.Id), ("serverPower", Fmt.I($"{server.Power.InKilowatts:0.##} kW")), ("serverHeight", Fmt.I($"{server.HeightU}U")),
                ("rackPower", Fmt.I($"{PowerBudget.InKilowatts:0.##} kW")), ("rackHeight", Fmt.I($"{HeightU}U")));
}

/// <summary>Replicas per hour of one application or pool, under one strategy.</summary>
/// <param name="Name">Application or pool name.</param>
/// <param name="Replicas">24 hourly replica counts.</param>
/// <param name="Load">24 hourly loads in replica-equivalents.</param>
public sealed record HourlyReplicas(string Name, IReadOnlyList<int> Replicas, IReadOnlyList<double> Load)
{
    /// <summary>Most replicas in any hour.</summary>
    public int Peak => Replicas.Max();

    /// <summary>Replica-hours per day.</summary>
    public int ReplicaHours => Replicas.Sum();

    /// <summary>Load over provisioned capacity, averaged over the day (hours with no replicas count as idle capacity only when replicas exist).</summary>
    public double Utilisation => ReplicaHours == 0 ? 0 : Load.Sum() / ReplicaHours;
}

/// <summary>A sizing strategy and its cost in hardware.</summary>
public enum Strategy
{
    /// <summary>Every application sized for its own peak, all day.</summary>
    Static,
    /// <summary>Every application scaled hour by hour, with a minimum and a scale-up delay.</summary>
    Autoscaled,
    /// <summary>Applications sharing a deployment pooled on one autoscaled cluster.</summary>
    Pooled,
}

/// <summary>The strategies' names as reports and findings write them.</summary>
public static class Strategies
{
    /// <summary>A strategy's name, lower case (static, autoscaled, pooled), as a phrase in the reader's language.</summary>
    public static Phrase Name(Strategy strategy) => strategy switch
    {
        Strategy.Static => Phrase.Of("strategy#static", "static"),
        Strategy.Autoscaled => Phrase.Of("strategy#autoscaled", "autoscaled"),
        _ => Phrase.Of("strategy#pooled", "pooled"),
    };
}

/// <summary>The result of one strategy.</summary>
/// <param name="Strategy">Which strategy.</param>
/// <param name="Groups">Replicas per hour for each application (or pool).</param>
/// <param name="DevicesPeak">Most devices in use in any hour (the fleet to buy).</param>
/// <param name="DeviceHoursPerDay">Device-hours per day (what renting costs).</param>
/// <param name="Utilisation">Average load over provisioned capacity across the day.</param>
/// <param name="EnergyPerDay">IT energy per day times PUE.</param>
/// <param name="HourlyDevices">Devices in use in each of the 24 hours.</param>
public sealed record StrategyResult(Strategy Strategy, IReadOnlyList<HourlyReplicas> Groups, int DevicesPeak, double DeviceHoursPerDay, double Utilisation, Energy EnergyPerDay, IReadOnlyList<int> HourlyDevices);
