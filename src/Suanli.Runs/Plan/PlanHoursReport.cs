using Suanli.Plan;

namespace Suanli.Runs;

/// <summary>One hour of the recommended strategy's fleet.</summary>
/// <param name="Hour">Hour of the day in the scenario's time zone, 0 to 23.</param>
/// <param name="Devices">Devices in use in that hour.</param>
/// <param name="Replicas">Replicas in use, all applications.</param>
/// <param name="LoadReplicas">Load in replica-equivalents (demand over one replica's capacity), all applications.</param>
/// <param name="Utilisation">Load over provisioned replicas, 0 to 1 (0 in an hour with no replicas): the hourly form of the plan's average utilisation.</param>
/// <param name="PowerKw">Facility power in that hour, kW (IT power times PUE).</param>
public sealed record PlanHourJson(int Hour, int Devices, int Replicas, double LoadReplicas, double Utilisation, double PowerKw);

/// <summary>The JSON document of <see cref="PlanHoursReport"/>.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="TimeZone">IANA time zone the hours are in: the scenario's, on whose clock every application's profile is summed.</param>
/// <param name="Hardware">Device id.</param>
/// <param name="Strategy">The recommended strategy the hours belong to (static, autoscaled or pooled).</param>
/// <param name="DevicesPeak">Most devices in any hour.</param>
/// <param name="UtilisationAverage">Load over provisioned capacity across the day, 0 to 1 (as the plan report's).</param>
/// <param name="Hours">The 24 hours.</param>
public sealed record PlanHoursJson(string Scenario, string TimeZone, string Hardware, string Strategy, int DevicesPeak, double UtilisationAverage, IReadOnlyList<PlanHourJson> Hours) : ReportDocument
{
    /// <summary>The plan across the 80% interval of replica capacity (as in plan.json); null when the plan had none.</summary>
    public PlanRangeJson? Range { get; init; }
}

/// <summary>
/// Hour-by-hour view of a plan's recommended strategy: devices, replicas, load and utilisation per hour, for charts
/// (the plan report carries the replicas per application and the daily average; this adds the hourly load it averages).
/// </summary>
public static class PlanHoursReport
{
    /// <summary>Lays out the 24 hours of the recommended strategy; with the plan's report, its range and range finding too.</summary>
    public static Report Build(PlanResult plan, Report? planReport = null)
    {
        var range = (planReport?.Json as PlanJson)?.Range;
        var fleet = plan.Fleet;
        var chosen = fleet.Of(fleet.Recommended);
        var hours = Enumerable.Range(0, 24).Select(h =>
        {
            var replicas = chosen.Groups.Sum(g => g.Replicas[h]);
            var load = chosen.Groups.Sum(g => g.Load[h]);
            return new PlanHourJson(h, chosen.HourlyDevices[h], replicas, load, replicas == 0 ? 0 : load / replicas, fleet.HourlyPower[h].InKilowatts);
        }).ToList();
        var strategy = fleet.Recommended.ToString().ToLowerInvariant();
        var json = new PlanHoursJson(plan.Scenario.Name, plan.Scenario.TimeZone, plan.Scenario.Device.Id, strategy, chosen.DevicesPeak, chosen.Utilisation, hours) { Range = range };
        var table = new ReportTable($"Fleet per hour ({strategy}, {plan.Scenario.TimeZone})", ["Hour", "Devices", "Replicas", "Load (replicas)", "Utilisation", "Facility power (kW)"],
            [.. hours.Select(h => (IReadOnlyList<string>)[$"{h.Hour:00}:00", Show.N(h.Devices), Show.N(h.Replicas), Show.N(h.LoadReplicas, 2), Show.N(h.Utilisation * 100, 0) + "%", Show.N(h.PowerKw, 1)])]);
        return new Report($"Fleet over the day: {plan.Scenario.Name}", json, [table],
            [.. plan.Findings, .. planReport?.Findings.Where(f => f.Code == "plan-range") ?? []]);
    }
}
