using System.Globalization;
using System.Text;
using Suanli.Catalog;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// Reads and writes the prediction intervals (catalog/calibration/intervals.yaml, embedded), written by
/// <c>suanli validate ... --leave-one-out --fit-intervals FILE</c>. Errors name the file, line and key.
/// </summary>
public static class IntervalFiles
{
    /// <summary>The embedded file's path under catalog/.</summary>
    public const string EmbeddedPath = "calibration/intervals.yaml";

    private static readonly Lazy<PredictionIntervals> EmbeddedIntervals = new(() => Parse(CatalogFiles.ReadEmbedded(EmbeddedPath), "catalog/" + EmbeddedPath));

    /// <summary>The embedded intervals.</summary>
    public static PredictionIntervals Embedded => EmbeddedIntervals.Value;

    /// <summary>
    /// The architecture key of a device in interval classes: its accelerator architecture (nvidia-hopper, amd-cdna3)
    /// or, for devices without one, its hardware family (cpu, unified-memory).
    /// </summary>
    public static string ArchitectureKey(Device device) =>
        CalibrationKeys.ArchitectureOf(device) ?? CalibrationKeys.Name(CalibrationKeys.FamilyOf(device));

    /// <summary>The interval for a prediction of <paramref name="kind"/> on an engine (none for training) and a device.</summary>
    public static IntervalLookup? Find(PredictionIntervals intervals, PredictionKind kind, Engine? engine, Device device) =>
        intervals.Find(kind, engine is { } e ? EngineNames.Name(e) : null, ArchitectureKey(device));

    /// <summary>Parses interval YAML.</summary>
    public static PredictionIntervals Parse(string text, string file)
    {
        var root = YamlMap.Parse(text, file);
        var fitted = root.OptDate("fitted") ?? throw root.Error("fitted", Phrase.Of("fit-date-missing", "Missing required key 'fitted' (the date of the fit, e.g. {example}).", ("example", "2026-12-03")));
        var data = root.Str("data");
        var classes = new List<IntervalClass>();
        foreach (var c in root.Maps("classes"))
        {
            var low = c.Num("low_ratio");
            var high = c.Num("high_ratio");
            if (!(low > 0 && high >= low && high < 1e6))
            {
                throw c.Error("high_ratio", Phrase.Of("interval-ratios-out-of-order", "Need 0 < low_ratio <= high_ratio, got {low} and {high}.", ("low", low), ("high", high)));
            }
            classes.Add(new IntervalClass(c.Str("class"), c.OptInt("rows") ?? 0, low, high, c.OptNum("coverage")));
            c.Done();
        }
        root.Done();
        return new PredictionIntervals(classes, fitted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), data);
    }

    /// <summary>Writes intervals as YAML with a header of comment lines.</summary>
    public static string Write(PredictionIntervals intervals, string header)
    {
        var sb = new StringBuilder();
        foreach (var line in header.Split('\n'))
        {
            sb.Append("# ").AppendLine(line.TrimEnd());
        }
        sb.Append("fitted: ").AppendLine(intervals.Fitted);
        sb.Append("data: \"").Append(intervals.Data.Replace("\"", "'", StringComparison.Ordinal)).AppendLine("\"");
        sb.AppendLine("classes:");
        foreach (var c in intervals.Classes)
        {
            sb.Append("  - class: ").AppendLine(c.Key);
            sb.Append("    rows: ").AppendLine(c.Rows.ToString(CultureInfo.InvariantCulture));
            sb.Append("    low_ratio: ").AppendLine(c.LowRatio.ToString("G5", CultureInfo.InvariantCulture));
            sb.Append("    high_ratio: ").AppendLine(c.HighRatio.ToString("G5", CultureInfo.InvariantCulture));
            if (c.Coverage is { } cov)
            {
                sb.Append("    coverage: ").AppendLine(cov.ToString("G4", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
