using System.Globalization;
using System.Text;
using Suanli.Quantities;
using Suanli.Text;
using Suanli.StepTime;

namespace Suanli.Files;

/// <summary>
/// Reads and writes the step-time calibration (catalog/calibration/steptime.yaml, embedded like the rest of catalog/).
/// Errors name the file, line and key.
/// </summary>
public static class CalibrationFiles
{
    /// <summary>The embedded file's path under catalog/.</summary>
    public const string EmbeddedPath = "calibration/steptime.yaml";

    private static readonly Lazy<Calibration> EmbeddedCalibration = new(() => Parse(CatalogFiles.ReadEmbedded(EmbeddedPath), "catalog/" + EmbeddedPath));
    private static readonly Lazy<CalibratedStepTimeModel> DefaultModel = new(() => new CalibratedStepTimeModel(EmbeddedCalibration.Value));

    /// <summary>The embedded calibration.</summary>
    public static Calibration Embedded => EmbeddedCalibration.Value;

    /// <summary>The calibrated step-time model from the embedded calibration (one instance per process; its cache is shared).</summary>
    public static CalibratedStepTimeModel Default => DefaultModel.Value;

    /// <summary>Reads a calibration file.</summary>
    public static Calibration Read(string path) =>
        File.Exists(path) || Directory.Exists(path) ? Parse(InputFiles.ReadText(path, FieldNames.Calibration), path)
            : throw new InputException(FieldNames.Calibration, Phrase.Of("calibration-file-missing", "Calibration file '{path}' does not exist.", ("path", path)));

    /// <summary>Parses calibration YAML.</summary>
    public static Calibration Parse(string text, string file)
    {
        var root = YamlMap.Parse(text, file);
        var fitted = root.OptDate("fitted") ?? throw root.Error("fitted", Phrase.Of("fit-date-missing", "Missing required key 'fitted' (the date of the fit, e.g. {example}).", ("example", "2025-06-30")));
        var data = root.Str("data");
        var groups = new List<CalibrationGroup>();
        foreach (var g in root.Maps("groups"))
        {
            var cls = g.Str("engine_class");
            var hw = g.Str("hardware");
            var engineClass = Enum.GetValues<EngineClass>().Cast<EngineClass?>().FirstOrDefault(c => CalibrationKeys.Name(c!.Value) == cls)
                ?? throw g.Error("engine_class", Phrase.Of("calibration-engine-class-unknown", "Unknown engine class '{cls}'; use serving, llamacpp or transformers.", ("cls", cls)));
            var family = Enum.GetValues<HardwareFamily>().Cast<HardwareFamily?>().FirstOrDefault(f => CalibrationKeys.Name(f!.Value) == hw)
                ?? throw g.Error("hardware", Phrase.Of("calibration-hardware-unknown", "Unknown hardware family '{hw}'; use gpu, unified-memory or cpu.", ("hw", hw)));
            StepTimeParameters p;
            try
            {
                p = new StepTimeParameters(
                    g.Num("compute_efficiency"), g.Num("compute_half_rows"), g.Num("memory_efficiency"),
                    Bytes.FromBytes(g.Num("memory_half_bytes")), Overhead(g, "step_overhead_s"),
                    Overhead(g, "layer_overhead_s"), Overhead(g, "collective_latency_s"),
                    g.Num("interconnect_efficiency"))
                {
                    // Files fitted before the parameter existed carry no penalty on expert GEMMs.
                    ExpertEfficiency = g.OptNum("expert_efficiency") ?? 1.0,
                }.Validated();
            }
            catch (InputException ex) when (ex.Location is null && ex.Text is { } phrase)
            {
                throw new InputException(ex.Field, phrase, g.Location);
            }
            groups.Add(new CalibrationGroup(engineClass, family, p, g.OptInt("rows") ?? 0, g.OptStr("note") ?? "") { Subgroup = g.OptStr("subgroup") ?? "" });
            g.Done();
        }
        root.Done();
        return new Calibration(fitted, data, groups);
    }

    /// <summary>
    /// The most seconds an overhead may hold: no engine's fixed cost approaches a second (the fit starts from 1 to 5 ms
    /// per step and 5 to 100 µs per layer, docs/methodology-steptime.md). 1e300 s was read and every TTFT of validate
    /// printed as a 300-digit percentage; -1 s was refused as "duration must be zero or more", naming no key.
    /// </summary>
    public const double MaxOverheadSeconds = 1;

    private static Duration Overhead(YamlMap g, string key)
    {
        var seconds = g.Num(key);
        try
        {
            return Duration.FromSeconds(Guard.InRange(seconds, 0, MaxOverheadSeconds, key));
        }
        catch (InputException ex) when (ex.Text is { } text)
        {
            throw new InputException(g.Named(key), text, g.At(key));
        }
    }

    /// <summary>Writes a calibration as YAML, numbers in the invariant culture with round-trip precision.</summary>
    public static string Write(Calibration c, string header)
    {
        var sb = new StringBuilder();
        foreach (var line in header.Split('\n'))
        {
            sb.Append("# ").AppendLine(line.TrimEnd());
        }
        sb.Append("fitted: ").AppendLine(c.Fitted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        sb.Append("data: ").AppendLine(Quote(c.Data));
        sb.AppendLine("groups:");
        foreach (var g in c.Groups)
        {
            var p = g.Parameters;
            sb.Append("  - engine_class: ").AppendLine(CalibrationKeys.Name(g.Engine));
            sb.Append("    hardware: ").AppendLine(CalibrationKeys.Name(g.Hardware));
            if (g.Subgroup.Length > 0)
            {
                sb.Append("    subgroup: ").AppendLine(Quote(g.Subgroup));
            }
            sb.Append("    rows: ").AppendLine(g.Rows.ToString(CultureInfo.InvariantCulture));
            sb.Append("    compute_efficiency: ").AppendLine(Num(p.ComputeEfficiency));
            sb.Append("    compute_half_rows: ").AppendLine(Num(p.ComputeHalfRows));
            sb.Append("    memory_efficiency: ").AppendLine(Num(p.MemoryEfficiency));
            sb.Append("    memory_half_bytes: ").AppendLine(Num(p.MemoryHalfBytes.Value));
            sb.Append("    step_overhead_s: ").AppendLine(Num(p.StepOverhead.Value));
            sb.Append("    layer_overhead_s: ").AppendLine(Num(p.LayerOverhead.Value));
            sb.Append("    collective_latency_s: ").AppendLine(Num(p.CollectiveLatency.Value));
            sb.Append("    interconnect_efficiency: ").AppendLine(Num(p.InterconnectEfficiency));
            sb.Append("    expert_efficiency: ").AppendLine(Num(p.ExpertEfficiency));
            sb.Append("    note: ").AppendLine(Quote(g.Note));
        }
        return sb.ToString();
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
