using Suanli.Text;
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
        var table = new ReportTable(Phrase.Of("table.fleet-per-hour", "Fleet per hour ({strategy}, {zone})", ("strategy", PlanTables.StrategyName(fleet.Recommended)), ("zone", plan.Scenario.TimeZone)),
            [
                new(Phrase.Of("col.hour", "Hour")), new(Phrase.Of("col.devices", "Devices"), CellKind.Count), new(Phrase.Of("col.replicas", "Replicas"), CellKind.Count),
                new(Phrase.Of("col.load-replicas", "Load (replicas)"), CellKind.Number), new(Phrase.Of("col.utilisation", "Utilisation"), CellKind.Percent),
                new(Phrase.Of("col.facility-power", "Facility power (kW)"), CellKind.Number),
            ],
            [.. hours.Select(h => (IReadOnlyList<ReportCell>)[ReportCell.Text($"{h.Hour:00}:00"), ReportCell.Count(h.Devices), ReportCell.Count(h.Replicas),
                ReportCell.Number(h.LoadReplicas, 2), ReportCell.Percent(h.Utilisation), ReportCell.Number(h.PowerKw, 1)])]);
        var title = Phrase.Of("report.fleet-over-day", "Fleet over the day: {name}", ("name", plan.Scenario.Name));
        return new Report(title.English, json, [table],
            [.. plan.Findings, .. planReport?.Findings.Where(f => f.Code == "plan-range") ?? []]) { Heading = title };
    }
}
