using System.Globalization;
using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Fleet;

/// <summary>The physical fleet of one device type under the recommended strategy.</summary>
/// <param name="Device">Device type.</param>
/// <param name="Server">Server that holds it.</param>
/// <param name="Devices">Devices to buy (peak hour of the strategy).</param>
/// <param name="Servers">Servers.</param>
/// <param name="ServersPerRack">Servers one rack holds.</param>
/// <param name="Racks">Racks.</param>
/// <param name="RackLimit">"power" or "space": what limits servers per rack.</param>
public sealed record HardwareFleet(Device Device, Server Server, int Devices, int Servers, int ServersPerRack, int Racks, string RackLimit);

/// <summary>Everything the fleet stage computes for a set of applications.</summary>
public sealed record FleetResult
{
    /// <summary>Static, autoscaled and pooled.</summary>
    public required IReadOnlyList<StrategyResult> Strategies { get; init; }
    /// <summary>The strategy the physical fleet is sized for (pooled: the fewest devices at the peak hour).</summary>
    public required Strategy Recommended { get; init; }
    /// <summary>Hardware per device type.</summary>
    public required IReadOnlyList<HardwareFleet> Hardware { get; init; }
    /// <summary>Facility power (IT power at the peak hour's load x PUE).</summary>
    public required Power PeakPower { get; init; }
    /// <summary>Nameplate power of all servers (what the racks must supply).</summary>
    public required Power NameplatePower { get; init; }
    /// <summary>Facility energy per day under the recommended strategy.</summary>
    public required Energy EnergyPerDay { get; init; }
    /// <summary>Facility power hour by hour under the recommended strategy.</summary>
    public required IReadOnlyList<Power> HourlyPower { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>The result of one strategy.</summary>
    public StrategyResult Of(Strategy s) => Strategies.First(r => r.Strategy == s);
}

/// <summary>
/// Sizes replicas hour by hour and turns them into devices, servers, racks, power and energy
/// (docs/methodology-fleet.md). Pure: the same inputs give the same fleet.
/// </summary>
public static class FleetPlanner
{
    /// <summary>Fraction of TDP a device draws idle when the catalog has no measurement (<see cref="ElectricityDefaults.IdleFraction"/>).</summary>
    public const double DefaultIdleFraction = ElectricityDefaults.IdleFraction;

    /// <summary>Node nameplate power over the sum of device TDPs when no server entry exists: DGX H100 10.2 kW / (8 x 700 W) = 1.82, DGX B200 14.3 kW / (8 x 1000 W) = 1.79.</summary>
    public const double NodePowerOverDeviceTdp = 1.8;

    /// <summary>Plans the fleet.</summary>
    /// <param name="applications">Applications with their capacity per replica.</param>
    /// <param name="policy">Headroom, minimum replicas, scale-up delay.</param>
    /// <param name="rack">Rack budget and PUE.</param>
    /// <param name="serverFor">The server to use for a device (from the scenario or the catalog).</param>
    public static FleetResult Plan(IReadOnlyList<FleetApplication> applications, FleetPolicy policy, Rack rack, Func<Device, Server> serverFor)
    {
        if (applications.Count == 0)
        {
            throw new InputException("applications", Phrase.Of("scenario-no-applications", "The scenario has no applications; add at least one under 'applications'."));
        }
        Guard.InRange(policy.Headroom, 0, 10, "headroom");
        Guard.InRange(policy.MinReplicas, 0, FleetPolicy.MaxMinReplicas, "min_replicas");
        Guard.InRange(rack.Pue, 1.0, 3.0, "rack.pue");
        var findings = new List<Finding>();
        foreach (var app in applications.Where(a => !a.Capacity.Feasible || a.Capacity.In(a.Kind) <= 0))
        {
            throw new InputException("targets", Phrase.Of("targets-unmeetable-at-any-load", "Application '{name}': one replica of {deployment} cannot meet its targets at any load. {why}",
                ("name", app.Name), ("deployment", app.Deployment.ToString()), ("why", new PhraseList([.. app.Capacity.Findings.Select(f => f.Phrase)], "space"))));
        }

        // The host share of a node (CPUs, fans, NICs: nameplate minus device TDPs) is drawn by every powered device.
        Power HostShare(Device d)
        {
            var server = serverFor(d);
            var host = server.Power - (d.Tdp ?? Power.Zero) * server.DevicesPerNode;
            return host.Value > 0 ? host / server.DevicesPerNode : Power.Zero;
        }

        var statics = applications.Select(a => Static(a.Name, Loads(a), policy)).ToList();
        var scaled = applications.Select(a => Autoscaled(a.Name, Loads(a), policy)).ToList();
        var pools = applications.GroupBy(a => a.PoolKey).ToList();
        var pooled = pools.Select(g => Autoscaled(string.Join(" + ", g.Select(a => a.Name)), Sum(g.Select(Loads)), policy)).ToList();
        var poolApps = pools.Select(g => g.First()).ToList();

        var results = new List<StrategyResult>
        {
            Result(Strategy.Static, statics, applications, rack, HostShare),
            Result(Strategy.Autoscaled, scaled, applications, rack, HostShare),
            Result(Strategy.Pooled, pooled, poolApps, rack, HostShare),
        };
        var recommended = results.OrderBy(r => r.DeviceHoursPerDay).ThenBy(r => r.DevicesPeak).First().Strategy;
        var groups = recommended == Strategy.Pooled ? pooled : recommended == Strategy.Static ? statics : scaled;
        var groupApps = recommended == Strategy.Pooled ? poolApps : applications.ToList();

        var hardware = new List<HardwareFleet>();
        var nameplate = Power.Zero;
        foreach (var byDevice in groupApps.Zip(groups).GroupBy(x => x.First.Deployment.Device.Id))
        {
            var device = byDevice.First().First.Deployment.Device;
            var server = serverFor(device);
            var devicesPeak = Enumerable.Range(0, 24).Max(h => byDevice.Sum(x => x.Second.Replicas[h] * x.First.Deployment.Layout.Devices));
            var servers = (int)Math.Ceiling(devicesPeak / (double)server.DevicesPerNode);
            var byPower = (int)Math.Floor(rack.PowerBudget / server.Power + 1e-9);
            var bySpace = rack.HeightU / server.HeightU;
            var perRack = Math.Min(byPower, bySpace);
            if (perRack < 1 && server.HeightU > Rack.MaxHeightU)
            {
                // No rack.height_u reaches a server of several racks (cloudmatrix-384 is 672U): raising it is no fix.
                throw new InputException(FieldNames.Server, Phrase.Of("server-taller-than-any-rack", "{server} ({serverHeight}, {serverPower}) spans more than one rack: rack.height_u is at most {maxHeight}. Name a server of one rack for {device} in server (see {catalog}), or leave server out for the catalog's largest that fits the rack.",
                    ("server", server.Id), ("serverHeight", Fmt.I($"{server.HeightU}U")), ("serverPower", server.Power.InKilowatts.ToString("0.##", CultureInfo.InvariantCulture) + " kW"),
                    ("maxHeight", Fmt.I($"{Rack.MaxHeightU}U")), ("device", device.Id), ("catalog", CommandRefs.CatalogServers)));
            }
            if (perRack < 1)
            {
                throw new InputException(FieldNames.Rack, Phrase.Of("rack-smaller-than-server", "Rack of {rackPower} and {rackHeight} is smaller than one {server} ({serverPower}, {serverHeight}); raise rack.power or rack.height_u.",
                    ("rackPower", rack.PowerBudget.InKilowatts.ToString("0.##", CultureInfo.InvariantCulture) + " kW"), ("rackHeight", Fmt.I($"{rack.HeightU}U")), ("server", server.Id),
                    ("serverPower", server.Power.InKilowatts.ToString("0.##", CultureInfo.InvariantCulture) + " kW"), ("serverHeight", Fmt.I($"{server.HeightU}U"))));
            }
            var racks = (int)Math.Ceiling(servers / (double)perRack);
            hardware.Add(new HardwareFleet(device, server, devicesPeak, servers, perRack, racks, byPower <= bySpace ? "power" : "space"));
            nameplate += server.Power * servers;
            if (device.Tdp is null)
            {
                findings.Add(Finding.Warn("no-device-power", "{device} has no published TDP; its power and energy are estimated from the server entry only.", ("device", device.Id)));
            }
            else if (ElectricityDefaults.IdleAssumed(device) is { } idle)
            {
                findings.Add(idle);
            }
        }

        var hourly = Enumerable.Range(0, 24).Select(h => HourPower(groupApps, groups, h, rack, HostShare)).ToList();
        var energy = hourly.Aggregate(Energy.Zero, (e, p) => e + p * Duration.FromHours(1));
        var staticResult = results[0];
        var best = results.First(r => r.Strategy == recommended);
        if (best.DeviceHoursPerDay < staticResult.DeviceHoursPerDay)
        {
            findings.Add(Finding.Info("strategy-saving",
                "The {strategy} sizing uses {hours} device-hours a day against {staticHours} for static peak sizing ({saving} fewer); average load utilisation {utilisation} vs {staticUtilisation}.",
                ("strategy", Strategies.Name(recommended)), ("hours", Fmt.I($"{best.DeviceHoursPerDay:N0}")), ("staticHours", Fmt.I($"{staticResult.DeviceHoursPerDay:N0}")),
                ("saving", Fmt.I($"{(1 - best.DeviceHoursPerDay / staticResult.DeviceHoursPerDay) * 100:0}%")), ("utilisation", Fmt.I($"{best.Utilisation * 100:0}%")),
                ("staticUtilisation", Fmt.I($"{staticResult.Utilisation * 100:0}%"))));
        }
        return new FleetResult
        {
            Strategies = results,
            Recommended = recommended,
            Hardware = hardware,
            PeakPower = hourly.Max(),
            NameplatePower = nameplate,
            EnergyPerDay = energy,
            HourlyPower = hourly,
            Findings = findings,
        };
    }

    /// <summary>The idle draw of a device: the catalog's measurement, else <see cref="DefaultIdleFraction"/> of TDP (<see cref="ElectricityDefaults.IdlePower"/>).</summary>
    public static Power IdlePower(Device d) => ElectricityDefaults.IdlePower(d);

    /// <summary>
    /// The server a device is planned in when none is named (the one rule for it): the catalog's largest server for
    /// the device (most devices per node) that fits <paramref name="rack"/>, else its largest (which the rack check
    /// then reports), else <see cref="GenericServer"/>; without a catalog, the generic node. A rack-scale node
    /// (CloudMatrix 384) is thus the default only in a rack sized for it, and an 8-device server in a common rack.
    /// </summary>
    /// <param name="catalog">The catalog whose servers are searched; null for none.</param>
    /// <param name="device">The device.</param>
    /// <param name="rack">The rack the server must fit; null: the largest regardless of rack.</param>
    public static Server DefaultServer(SuanliCatalog? catalog, Device device, Rack? rack = null) => CatalogServer(catalog, device, rack) ?? GenericServer(device);

    /// <summary>
    /// The catalog's server for a device by the same rule as <see cref="DefaultServer"/> (the largest, most devices per
    /// node, that fits <paramref name="rack"/> when one is given), or null when the catalog has none, for a caller that
    /// counts the devices' own power rather than assume a generic node's (training energy, docs/methodology-training.md).
    /// </summary>
    /// <param name="catalog">The catalog whose servers are searched; null for none.</param>
    /// <param name="device">The device.</param>
    /// <param name="rack">The rack the server must fit; null: the largest regardless of rack.</param>
    public static Server? CatalogServer(SuanliCatalog? catalog, Device device, Rack? rack = null) =>
        catalog?.ServersFor(device) is { Count: > 0 } servers ? servers.LastOrDefault(s => rack is null || rack.Holds(s)) ?? servers[^1] : null;

    /// <summary>True when <paramref name="server"/> is <see cref="GenericServer"/>'s assumed node rather than a catalog entry.</summary>
    public static bool IsGeneric(Server server, Device device) => server.Id == GenericServer(device).Id;

    /// <summary>A server entry for a device that has none in the catalog: 8 devices per node for data-centre parts (1 otherwise), nameplate <see cref="NodePowerOverDeviceTdp"/> x TDP, 4U.</summary>
    public static Server GenericServer(Device d)
    {
        var perNode = d.Category is DeviceCategory.DatacenterGpu or DeviceCategory.DatacenterAccelerator ? 8 : 1;
        var tdp = d.Tdp ?? Power.FromWatts(300);
        return new Server
        {
            Id = $"generic-{perNode}x-{d.Id}",
            Name = $"Generic {perNode}-way {d.Name} server (assumed)",
            DeviceId = d.Id,
            DevicesPerNode = perNode,
            Power = tdp * (NodePowerOverDeviceTdp * perNode),
            HeightU = perNode >= 8 ? 4 : 2,
            Notes = "assumed: no server entry in the catalog for this device",
        };
    }

    private static double[] Loads(FleetApplication a) => [.. Enumerable.Range(0, 24).Select(a.Load)];

    private static double[] Sum(IEnumerable<double[]> loads)
    {
        var total = new double[24];
        foreach (var l in loads)
        {
            for (var h = 0; h < 24; h++)
            {
                total[h] += l[h];
            }
        }
        return total;
    }

    private static HourlyReplicas Static(string name, double[] load, FleetPolicy p)
    {
        var peak = Math.Max(1, Need(load.Max(), p));
        return new HourlyReplicas(name, [.. Enumerable.Repeat(peak, 24)], load);
    }

    private static HourlyReplicas Autoscaled(string name, double[] load, FleetPolicy p)
    {
        // A replica takes ScaleUpDelay to come up, so an hour that ramps up is provisioned from the hour before.
        var lead = p.ScaleUpDelay.Value > 0;
        var replicas = new int[24];
        for (var h = 0; h < 24; h++)
        {
            var need = Need(load[h], p);
            if (lead)
            {
                need = Math.Max(need, Need(load[(h + 1) % 24], p));
            }
            replicas[h] = Math.Max(p.MinReplicas, need);
        }
        return new HourlyReplicas(name, replicas, load);
    }

    private static int Need(double load, FleetPolicy p) => load <= 0 ? 0 : (int)Math.Ceiling(load * (1 + p.Headroom) - 1e-9);

    private static StrategyResult Result(Strategy s, IReadOnlyList<HourlyReplicas> groups, IReadOnlyList<FleetApplication> apps, Rack rack, Func<Device, Power> hostShare)
    {
        var hourlyDevices = Enumerable.Range(0, 24).Select(h => groups.Zip(apps).Sum(x => x.First.Replicas[h] * x.Second.Deployment.Layout.Devices)).ToList();
        var devicesPeak = hourlyDevices.Max();
        var deviceHours = groups.Zip(apps).Sum(x => x.First.ReplicaHours * (double)x.Second.Deployment.Layout.Devices);
        var load = groups.Sum(g => g.Load.Sum());
        var replicaHours = groups.Sum(g => g.ReplicaHours);
        var energy = Enumerable.Range(0, 24).Aggregate(Energy.Zero, (e, h) => e + HourPower(apps, groups, h, rack, hostShare) * Duration.FromHours(1));
        return new StrategyResult(s, groups, devicesPeak, deviceHours, replicaHours == 0 ? 0 : load / replicaHours, energy, hourlyDevices);
    }

    private static Power HourPower(IReadOnlyList<FleetApplication> apps, IReadOnlyList<HourlyReplicas> groups, int h, Rack rack, Func<Device, Power> hostShare)
    {
        var it = Power.Zero;
        foreach (var (app, g) in apps.Zip(groups))
        {
            var replicas = g.Replicas[h];
            if (replicas == 0)
            {
                continue;
            }
            var d = app.Deployment.Device;
            var busy = Math.Clamp(g.Load[h] / replicas, 0, 1);
            var idle = IdlePower(d);
            var tdp = d.Tdp ?? idle;
            var perDevice = idle + (tdp - idle) * busy + hostShare(d);
            it += perDevice * (replicas * (double)app.Deployment.Layout.Devices);
        }
        return it * rack.Pue;
    }
}
