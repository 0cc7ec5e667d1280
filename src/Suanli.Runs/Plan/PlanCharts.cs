using Suanli.Fleet;
using Suanli.Plan;

namespace Suanli.Runs;

/// <summary>PNG charts of a plan (ScottPlot): replicas and utilisation over the day, power, strategies.</summary>
public static class PlanCharts
{
    /// <summary>The three charts as (file name, PNG bytes), and the tornado chart when a sensitivity is given.</summary>
    public static IReadOnlyList<(string Name, byte[] Png)> Render(PlanResult plan, SensitivityJson? sensitivity = null)
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

        List<(string Name, byte[] Png)> charts =
        [
            ("replicas-and-utilisation.png", replicas.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png)),
            ("power.png", power.GetImageBytes(900, 400, ScottPlot.ImageFormat.Png)),
            ("strategies.png", strategies.GetImageBytes(700, 400, ScottPlot.ImageFormat.Png)),
        ];
        if (sensitivity is { CostPerMonth: { } expected } && sensitivity.Lines.Any(l => l.CostPerMonthDown is not null))
        {
            charts.Add(("sensitivity.png", Tornado(sensitivity, expected, plan.Scenario.Currency.Code).GetImageBytes(900, 120 + 40 * sensitivity.Lines.Count, ScottPlot.ImageFormat.Png)));
        }
        return charts;
    }

    /// <summary>
    /// A tornado chart: per assumption (largest swing on top) a bar from the expected cost to the cost with the
    /// assumption moved down and one to the cost moved up.
    /// </summary>
    public static ScottPlot.Plot Tornado(SensitivityJson sensitivity, decimal expected, string currency)
    {
        var plot = NewPlot($"Cost per month ({currency}, {sensitivity.Basis}) with each assumption moved down (blue) and up (red)", $"Cost per month ({currency})", "");
        var lines = sensitivity.Lines.Where(l => l.CostPerMonthDown is not null && l.CostPerMonthUp is not null).Reverse().ToList();
        var bars = new List<ScottPlot.Bar>();
        var center = (double)expected;
        for (var i = 0; i < lines.Count; i++)
        {
            bars.Add(new ScottPlot.Bar { Position = i, ValueBase = center, Value = (double)lines[i].CostPerMonthDown!.Value, FillColor = ScottPlot.Colors.SteelBlue, Orientation = ScottPlot.Orientation.Horizontal });
            bars.Add(new ScottPlot.Bar { Position = i, ValueBase = center, Value = (double)lines[i].CostPerMonthUp!.Value, FillColor = ScottPlot.Colors.IndianRed, Orientation = ScottPlot.Orientation.Horizontal });
        }
        plot.Add.Bars(bars);
        plot.Add.VerticalLine(center);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, lines.Count).Select(i => (double)i)], [.. lines.Select(l => $"{l.Assumption} ({l.Move})")]);
        return plot;
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
