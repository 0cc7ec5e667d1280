namespace Suanli.Plan;

/// <summary>
/// Puts every application's hourly profile on the scenario's clock: each application's profile is in its own local
/// hours, and the fleet, which shares devices across applications, sums load per hour of the scenario's zone. The
/// offsets are the system's IANA time zone database's (<see cref="TimeZoneInfo"/>) at noon UTC of the plan date, so
/// daylight saving follows the date the plan is made (docs/methodology-fleet.md, "Time zones").
/// </summary>
public static class ZoneShifts
{
    /// <summary>
    /// The UTC offset of <paramref name="zone"/> at noon UTC of <paramref name="date"/>, or null when the system's time
    /// zone database does not know the name (a system without one; the scenario reader took the name as given).
    /// </summary>
    public static TimeSpan? Offset(string zone, DateOnly date)
    {
        if (string.Equals(zone, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeSpan.Zero;
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var info))
        {
            return null;
        }
        return info.GetUtcOffset(new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
    }

    /// <summary>
    /// The scenario with each application's <see cref="ScenarioApplication.HourShift"/> set to its zone's offset minus the
    /// scenario's on <paramref name="date"/>; applications in the scenario's zone keep a shift of 0, so a scenario in one
    /// zone is returned unchanged. An application whose zone (or the scenario's) the system cannot resolve keeps 0, with
    /// a warning among <paramref name="findings"/>.
    /// </summary>
    /// <param name="scenario">The scenario as read.</param>
    /// <param name="date">The plan date (the offsets, and so daylight saving, are taken at noon UTC of it).</param>
    /// <param name="findings">Receives a warning for each zone whose offset is unknown.</param>
    public static Scenario Resolve(Scenario scenario, DateOnly date, List<Finding> findings)
    {
        if (scenario.Applications.All(a => a.TimeZone is null || string.Equals(a.TimeZone, scenario.TimeZone, StringComparison.Ordinal)))
        {
            return scenario;
        }
        var fleet = Offset(scenario.TimeZone, date);
        var apps = scenario.Applications.Select(a =>
        {
            if (a.TimeZone is not { } zone || string.Equals(zone, scenario.TimeZone, StringComparison.Ordinal))
            {
                return a;
            }
            if (fleet is not { } f || Offset(zone, date) is not { } own)
            {
                findings.Add(Finding.Warn("zone-offset-unknown", "{application}: the offset between {zone} and {fleetZone} is unknown to this system's time zone database (install tzdata); its hourly profile is read on the fleet's clock unshifted.",
                    ("application", a.Name), ("zone", zone), ("fleetZone", scenario.TimeZone)));
                return a;
            }
            var shift = (own - f).TotalHours;
            findings.Add(Finding.Info("zone-shift", "{application}: its profile's hours are local to {zone} ({shift} h from {fleetZone} on {date}), so hour h of the fleet carries its profile's hour h {shift}.",
                ("application", a.Name), ("zone", zone), ("shift", shift.ToString("+0.##;-0.##;0", System.Globalization.CultureInfo.InvariantCulture)), ("fleetZone", scenario.TimeZone),
                ("date", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
            return a with { HourShift = shift };
        }).ToList();
        return scenario with { Applications = apps };
    }
}
