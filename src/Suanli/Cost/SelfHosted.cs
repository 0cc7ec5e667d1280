using System.Globalization;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cost;

/// <summary>
/// Self-hosted options for a comparison: replicas sized for the workload from a capacity per replica, priced as an
/// owned or a rented fleet that runs around the clock (docs/methodology-cost.md, "Self-hosted sizing").
/// </summary>
public static class SelfHosted
{
    /// <summary>The most replicas, and devices, a comparison sizes (the fleet description's bound).</summary>
    private const int MaxDevices = 10_000_000;

    /// <summary>Replicas for a workload: ceil(mean rate x peak factor / capacity), at least one.</summary>
    public static int Replicas(MonthlyVolume w, double capacityPerReplica, double peakFactor)
    {
        Guard.Positive(capacityPerReplica, "capacity per replica");
        Guard.InRange(peakFactor, 1, 100, FieldNames.PeakFactor);
        var r = Math.Ceiling(w.RequestsPerSecond * peakFactor / capacityPerReplica - 1e-9);
        if (r > 10_000_000)
        {
            // 1e308 requests a month printed a 300-digit count of replicas.
            throw new InputException("volume", Phrase.Of("volume-too-many-replicas", "The volume needs {replicas} replicas at {capacity} requests/s each, more than the {max} a comparison sizes; lower the volume.",
                ("replicas", r < 1e15 ? r.ToString("N0", CultureInfo.InvariantCulture) : r.ToString("0.##E+0", CultureInfo.InvariantCulture)),
                ("capacity", capacityPerReplica.ToString("0.###", CultureInfo.InvariantCulture)), ("max", 10_000_000.ToString("N0", CultureInfo.InvariantCulture))));
        }
        return (int)Math.Max(1, r);
    }

    /// <summary>
    /// The fleet for a workload: devices = replicas x devices per replica; mean power per device by the linear
    /// utilisation model P = P_idle + (P_max - P_idle) x utilisation, utilisation = mean rate / fleet capacity.
    /// </summary>
    public static FleetDescription Fleet(MonthlyVolume w, int devicesPerReplica, double capacityPerReplica, Power maxPower, Power idlePower, double peakFactor)
    {
        var replicas = Replicas(w, capacityPerReplica, peakFactor);
        if ((long)replicas * devicesPerReplica > MaxDevices)
        {
            // 1e14 requests a month of a 70B model on 2-device replicas failed as "devices must be between 0 and 10000000".
            throw new InputException("volume", Phrase.Of("volume-too-many-devices", "The volume needs {replicas} replicas of {perReplica} devices, {devices} devices, more than the {max} a comparison sizes; lower the volume.",
                ("replicas", replicas.ToString("N0", CultureInfo.InvariantCulture)), ("perReplica", devicesPerReplica.ToString(CultureInfo.InvariantCulture)),
                ("devices", ((long)replicas * devicesPerReplica).ToString("N0", CultureInfo.InvariantCulture)), ("max", MaxDevices.ToString("N0", CultureInfo.InvariantCulture))));
        }
        var devices = replicas * devicesPerReplica;
        var utilisation = Math.Clamp(w.RequestsPerSecond / (replicas * capacityPerReplica), 0, 1);
        var mean = idlePower + (maxPower - idlePower) * utilisation;
        return new FleetDescription(devices, 0, devices * 24.0, Power.Max(mean, Power.Zero), idlePower, Power.Zero);
    }

    /// <summary>An owned fleet option.</summary>
    public static CostOption Own(string name, int devicesPerReplica, double capacityPerReplica, Power maxPower, Power idlePower, OwnershipTerms terms, double peakFactor = 1, double? quality = null, Phrase? label = null) =>
        new(name, "own", w => Described(CostModel.Own(name, Fleet(w, devicesPerReplica, capacityPerReplica, maxPower, idlePower, peakFactor), terms, w), w, devicesPerReplica, capacityPerReplica, peakFactor, label), quality, label);

    /// <summary>A rented fleet option (the rent's term decides whether idle hours bill).</summary>
    public static CostOption Rent(string name, int devicesPerReplica, double capacityPerReplica, RentPrice rent, double peakFactor = 1, double? quality = null, Phrase? label = null) =>
        new(name, "rent", w => Described(CostModel.Rent(name, Fleet(w, devicesPerReplica, capacityPerReplica, Power.Zero, Power.Zero, peakFactor), rent, w), w, devicesPerReplica, capacityPerReplica, peakFactor, label), quality, label);

    private static CostBreakdown Described(CostBreakdown b, MonthlyVolume w, int devicesPerReplica, double capacity, double peakFactor, Phrase? label)
    {
        var replicas = Replicas(w, capacity, peakFactor);
        var note = Finding.Info("fleet-size",
            "{option}: {replicas} replicas x {devices} devices for {rate} requests/s mean x {peakFactor} peak factor at {capacity} requests/s per replica.",
            ("option", label ?? (object)b.Option), ("replicas", replicas.ToString("N0", CultureInfo.InvariantCulture)), ("devices", devicesPerReplica.ToString(CultureInfo.InvariantCulture)),
            ("rate", w.RequestsPerSecond.ToString("0.###", CultureInfo.InvariantCulture)), ("peakFactor", peakFactor.ToString("0.##", CultureInfo.InvariantCulture)),
            ("capacity", capacity.ToString("0.###", CultureInfo.InvariantCulture)));
        return b with { Findings = [.. b.Findings, note] };
    }
}
