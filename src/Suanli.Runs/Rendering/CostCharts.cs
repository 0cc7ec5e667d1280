using System.Globalization;
using Suanli.Cost;

namespace Suanli.Runs;

/// <summary>PNG charts of costs (ScottPlot, headless).</summary>
public static class CostCharts
{
    /// <summary>
    /// Monthly cost against monthly volume for every option, both axes logarithmic, with the compared volume and
    /// the break-even volumes marked. Writes <c>break-even.png</c> into <paramref name="folder"/> and returns its path.
    /// </summary>
    /// <param name="r">The comparison.</param>
    /// <param name="folder">Folder to write into.</param>
    /// <param name="name">File name (a temporary name while the command's output set is written).</param>
    public static string BreakEven(ComparisonResult r, string folder, string name = "break-even.png")
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
        var path = Path.Combine(folder, name);
        plot.SavePng(path, 1000, 600);
        return path;
    }

    /// <summary>
    /// Cost per month against end-to-end latency of the frontier plans of one application, each labelled with its
    /// model, format and device. Writes <c>frontier.png</c> into <paramref name="folder"/> and returns its path.
    /// </summary>
    /// <param name="app">One application's search.</param>
    /// <param name="folder">Folder to write into.</param>
    /// <param name="name">File name (a temporary name while the command's output set is written).</param>
    public static string Frontier(Suanli.Plan.ApplicationSearchResult app, string folder, string name = "frontier.png")
    {
        Directory.CreateDirectory(folder);
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        foreach (var f in app.Frontier)
        {
            var x = f.Latency.Value;
            var y = (double)f.CostPerMonth.Amount;
            var m = plot.Add.Marker(x, y);
            m.MarkerSize = 8;
            var label = plot.Add.Text($"{f.Candidate.Model.Id} {f.Candidate.Weights.Name} {f.Candidate.Device.Id}" + (f.Quality is { } q ? $" ({q.ToString("0.#", CultureInfo.InvariantCulture)})" : ""), x, y);
            label.LabelFontSize = 10;
        }
        plot.Title($"Frontier for '{app.Target.Name}': cost vs latency (quality in brackets)");
        plot.XLabel("End-to-end latency at load (s)");
        plot.YLabel($"Cost per month ({(app.Frontier.Count > 0 ? app.Frontier[0].CostPerMonth.Currency.Code : "")})");
        var path = Path.Combine(folder, name);
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
