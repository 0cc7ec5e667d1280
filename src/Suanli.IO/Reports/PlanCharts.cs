using Suanli.Fleet;
using Suanli.Plan;

namespace Suanli.IO.Reports;

/// <summary>PNG charts of a plan (ScottPlot): replicas and utilisation over the day, power, strategies.</summary>
public static class PlanCharts
{
    /// <summary>The three charts as (file name, PNG bytes).</summary>
    public static IReadOnlyList<(string Name, byte[] Png)> Render(PlanResult plan)
    {
        var hours = Enumerable.Range(0, 24).Select(h => (double)h).ToArray();
        var fleet = plan.Fleet;
        var recommended = fleet.Of(fleet.Recommended);

        var replicas = NewPlot("Devices in use and load utilisation over the day", "Hour of day", "Devices");
        replicas.Add.Bars(hours, [.. recommended.HourlyDevices.Select(d => (double)d)]).LegendText = $"Devices ({fleet.Recommended.ToString().ToLowerInvariant()})";
        var staticDevices = fleet.Of(Strategy.Static).HourlyDevices.Select(d => (double)d).ToArray();
        var line = replicas.Add.Scatter(hours, staticDevices);
        line.LegendText = "Devices (static peak sizing)";
        var utilisation = Enumerable.Range(0, 24).Select(h =>
        {
            var replicasNow = recommended.Groups.Sum(g => g.Replicas[h]);
            return replicasNow == 0 ? 0 : recommended.Groups.Sum(g => g.Load[h]) / replicasNow * 100;
        }).ToArray();
        var axis = replicas.Axes.AddRightAxis();
        axis.LabelText = "Load utilisation (%)";
        var u = replicas.Add.Scatter(hours, utilisation);
        u.Axes.YAxis = axis;
        u.LegendText = "Load utilisation (%)";
        replicas.ShowLegend();

        var power = NewPlot("Facility power over the day", "Hour of day", "Power (kW)");
        power.Add.Scatter(hours, [.. fleet.HourlyPower.Select(p => p.InKilowatts)]).LegendText = "IT power x PUE";

        var strategies = NewPlot("Device-hours per day by strategy", "", "Device-hours per day");
        var values = fleet.Strategies.Select(s => s.DeviceHoursPerDay).ToArray();
        strategies.Add.Bars(values);
        strategies.Axes.Bottom.SetTicks([.. Enumerable.Range(0, values.Length).Select(i => (double)i)], [.. fleet.Strategies.Select(s => s.Strategy.ToString().ToLowerInvariant())]);

        return
        [
            ("replicas-and-utilisation.png", replicas.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png)),
            ("power.png", power.GetImageBytes(900, 400, ScottPlot.ImageFormat.Png)),
            ("strategies.png", strategies.GetImageBytes(700, 400, ScottPlot.ImageFormat.Png)),
        ];
    }

    private static ScottPlot.Plot NewPlot(string title, string x, string y)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }
}
