using System.Globalization;
using Suanli.Cost;

namespace Suanli.IO.Charts;

/// <summary>PNG charts of costs (ScottPlot, headless).</summary>
public static class CostCharts
{
    /// <summary>
    /// Monthly cost against monthly volume for every option, both axes logarithmic, with the compared volume and
    /// the break-even volumes marked. Writes <c>break-even.png</c> into <paramref name="folder"/> and returns its path.
    /// </summary>
    public static string BreakEven(ComparisonResult r, string folder)
    {
        Directory.CreateDirectory(folder);
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        foreach (var curve in r.Curves)
        {
            var xs = curve.RequestsPerMonth.Select(Math.Log10).ToArray();
            var ys = curve.MonthlyCost.Select(m => Math.Log10(Math.Max((double)m.Amount, 1e-6))).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = curve.Option;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        var at = plot.Add.VerticalLine(Math.Log10(Math.Max(r.Workload.RequestsPerMonth, 1e-6)));
        at.LineWidth = 1;
        at.LinePattern = ScottPlot.LinePattern.Dashed;
        at.LegendText = "compared volume";
        foreach (var v in r.Volumes)
        {
            var m = plot.Add.Marker(Math.Log10(v.RequestsPerMonth), Math.Log10(Math.Max((double)v.MonthlyCost.Amount, 1e-6)));
            m.MarkerSize = 9;
            m.Color = ScottPlot.Colors.Black;
        }
        var currency = r.Breakdowns[0].Currency.Code;
        plot.Title("Monthly cost by volume (break-even where lines cross)");
        plot.XLabel("Requests per month");
        plot.YLabel($"Cost per month ({currency})");
        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        var path = Path.Combine(folder, "break-even.png");
        plot.SavePng(path, 1000, 600);
        return path;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Math.Pow(10, v).ToString(Math.Pow(10, v) >= 1 ? "N0" : "0.###", CultureInfo.InvariantCulture),
    };
}
