using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Suanli.Runs;

/// <summary>
/// A table of a report: caption, columns (header phrase and kind) and rows of typed cells. Renderers format the
/// cells (terminal, Markdown, CSV) or keep their numbers (XLSX), in the reader's language.
/// </summary>
/// <param name="Caption">Caption, a phrase so it reads in the reader's language.</param>
/// <param name="Columns">Columns; units in the header, e.g. "Energy (kWh/day)".</param>
/// <param name="Rows">Cells, one per column.</param>
public sealed record ReportTable(Suanli.Text.Phrase Caption, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<ReportCell>> Rows)
{
    /// <summary>The English caption.</summary>
    public string Title => Caption.English;

    /// <summary>True for long detail tables that files (Markdown, CSV, XLSX) carry but the terminal shows as a chart instead.</summary>
    public bool FilesOnly { get; init; }
}

/// <summary>
/// The immutable result of a command, ready for any renderer: the JSON document (stable, documented field names),
/// the human tables, and the findings. The CLI renders it to the terminal, Markdown or CSV; the web returns <see cref="Json"/>.
/// </summary>
/// <param name="Title">One line saying what was computed.</param>
/// <param name="Json">The JSON document: a record type of the versioned contract (docs/schemas).</param>
/// <param name="Tables">Tables for people.</param>
/// <param name="Findings">Findings, most severe first.</param>
public sealed record Report(string Title, ReportDocument Json, IReadOnlyList<ReportTable> Tables, IReadOnlyList<Finding> Findings)
{
    /// <summary>A report whose title is a phrase: <see cref="Title"/> is its English, <see cref="Heading"/> the phrase for other languages.</summary>
    public Report(Suanli.Text.Phrase heading, ReportDocument json, IReadOnlyList<ReportTable> tables, IReadOnlyList<Finding> findings)
        : this(heading.English, json, tables, findings) => Heading = heading;

    /// <summary>Small charts for the terminal (bar per label); files get PNGs instead.</summary>
    public IReadOnlyList<ReportChart> Charts { get; init; } = [];

    /// <summary>The title as a phrase, for rendering in another language; null when <see cref="Title"/> has no key.</summary>
    public Suanli.Text.Phrase? Heading { get; init; }

    /// <summary>The title in <paramref name="language"/>.</summary>
    public string TitleIn(Suanli.Text.Language language) => Heading?.Render(language, Suanli.Text.FieldNames.Core) ?? Title;

    /// <summary>Sentences of the JSON document other than findings (e.g. rejection reasons) as phrases, for rendering in another language.</summary>
    public IReadOnlyList<Suanli.Text.Phrase> Phrases { get; init; } = [];
}

/// <summary>
/// The root of every JSON document a command prints and the web returns. Each command's document is a record
/// deriving from this one, so the same type is the CLI's <c>--format json</c>, the web response and the OpenAPI
/// schema; <see cref="SchemaVersion"/> says which version of the contract (docs/schemas) the document follows.
/// </summary>
public abstract record ReportDocument
{
    /// <summary>
    /// The contract version: raised when a field is removed, renamed or changes meaning (adding a field does not
    /// raise it). The JSON Schemas in docs/schemas describe this version; docs/cli.md ("JSON contract") lists what
    /// each version changed. Version 2 grouped the fields of <c>simulate</c> and <c>train</c> into records by meaning, version 3
    /// those of <c>optimize</c>'s plans (issue 17).
    /// </summary>
    public const int CurrentSchemaVersion = 3;

    /// <summary>The version of the JSON contract this document follows (see docs/schemas).</summary>
    [JsonPropertyOrder(-1)]
    public int SchemaVersion => CurrentSchemaVersion;
}

/// <summary>A bar chart: one bar per label, values in the unit named by the title.</summary>
/// <param name="Title">Caption with the unit.</param>
/// <param name="Labels">Bar labels.</param>
/// <param name="Values">Bar values.</param>
public sealed record ReportChart(string Title, IReadOnlyList<string> Labels, IReadOnlyList<double> Values)
{
    /// <summary>The title as a phrase, for rendering in another language; null when <see cref="Title"/> has no key.</summary>
    public Suanli.Text.Phrase? Caption { get; init; }

    /// <summary>The title in <paramref name="language"/>.</summary>
    public string TitleIn(Suanli.Text.Language language) => Caption?.Render(language, Suanli.Text.FieldNames.Core) ?? Title;
}

/// <summary>Renders reports to JSON, Markdown and CSV (the terminal renderer lives in the CLI).</summary>
public static class ReportText
{
    /// <summary>The JSON options every output uses: camelCase, indented, enums as strings, no escaping of non-ASCII (Chinese text stays readable).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The report's JSON document.</summary>
    public static string Json(Report report) => JsonSerializer.Serialize(report.Json, report.Json.GetType(), JsonOptions);

    /// <summary>Markdown in English: a heading, one pipe table per table, findings as a list.</summary>
    public static string Markdown(Report report) => Markdown(report, Suanli.Text.Languages.English);

    /// <summary>Markdown in <paramref name="language"/>: a heading, one pipe table per table, findings as a list (their messages as the report holds them).</summary>
    public static string Markdown(Report report, Suanli.Text.Language language)
    {
        var sb = new StringBuilder();
        sb.Append("## ").AppendLine(report.TitleIn(language)).AppendLine();
        foreach (var t in report.Tables)
        {
            sb.Append("### ").AppendLine(t.Caption.Render(language, Suanli.Text.FieldNames.Core)).AppendLine();
            sb.Append("| ").AppendJoin(" | ", t.Columns.Select(c => EscapeMd(Header(c, language)))).AppendLine(" |");
            sb.Append('|').AppendJoin("|", t.Columns.Select(_ => "---")).AppendLine("|");
            foreach (var row in t.Rows)
            {
                sb.Append("| ").AppendJoin(" | ", row.Select(c => EscapeMd(c.Render(language)))).AppendLine(" |");
            }
            sb.AppendLine();
        }
        if (report.Findings.Count > 0)
        {
            sb.Append("### ").AppendLine(Suanli.Text.Phrase.Of("report.findings", "Findings").Render(language, Suanli.Text.FieldNames.Core)).AppendLine();
            foreach (var f in report.Findings)
            {
                sb.Append("- **").Append(SeverityName(f.Severity, language)).Append("** ").AppendLine(EscapeMd(f.Message));
            }
        }
        return sb.ToString();
    }

    /// <summary>CSV (RFC 4180) in English: each table preceded by a comment-free title row, tables separated by a blank line.</summary>
    public static string Csv(Report report) => Csv(report, Suanli.Text.Languages.English);

    /// <summary>CSV (RFC 4180) in <paramref name="language"/>: each table preceded by a comment-free title row, tables separated by a blank line.</summary>
    public static string Csv(Report report, Suanli.Text.Language language)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var t in report.Tables)
        {
            if (!first)
            {
                sb.AppendLine();
            }
            first = false;
            if (report.Tables.Count > 1)
            {
                sb.AppendLine(CsvCell(t.Caption.Render(language, Suanli.Text.FieldNames.Core)));
            }
            sb.AppendJoin(",", t.Columns.Select(c => CsvCell(Header(c, language)))).AppendLine();
            foreach (var row in t.Rows)
            {
                sb.AppendJoin(",", row.Select(c => CsvCell(c.Render(language)))).AppendLine();
            }
        }
        return sb.ToString();
    }

    /// <summary>A column's header in <paramref name="language"/>.</summary>
    public static string Header(ReportColumn column, Suanli.Text.Language language) => column.Header.Render(language, Suanli.Text.FieldNames.Core);

    /// <summary>A finding's severity as a report names it in <paramref name="language"/> (lower-case English: error, warning, info).</summary>
    public static string SeverityName(Severity severity, Suanli.Text.Language language) => SeverityPhrase(severity).Render(language, Suanli.Text.FieldNames.Core);

    /// <summary>A finding's severity as a phrase (lower-case English: error, warning, info), for a report cell.</summary>
    public static Suanli.Text.Phrase SeverityPhrase(Severity severity) => severity switch
    {
        Severity.Error => Suanli.Text.Phrase.Of("report.severity#error", "error"),
        Severity.Warning => Suanli.Text.Phrase.Of("report.severity#warning", "warning"),
        _ => Suanli.Text.Phrase.Of("report.severity#info", "info"),
    };

    private static string EscapeMd(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string CsvCell(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

/// <summary>Invariant-culture number formatting for tables (never NaN or Infinity: those are defects upstream).</summary>
public static class Show
{
    /// <summary>A number with thousands separators and fixed decimals.</summary>
    public static string N(double value, int decimals = 0) =>
        double.IsFinite(value) ? value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(value), "not finite");

    /// <summary>Significant figures, e.g. 3 gives 0.0123 or 12,300.</summary>
    public static string Sig(double value, int figures = 3)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "not finite");
        }
        if (value == 0)
        {
            return "0";
        }
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var decimals = Math.Max(0, figures - 1 - magnitude);
        return N(value, Math.Min(decimals, 12));
    }

    /// <summary>Bytes as decimal GB with binary GiB beside, e.g. "145.4 GB (135.4 GiB)".</summary>
    public static string Bytes(Quantities.Bytes b) =>
        Math.Abs(b.Value) < 1e9
            ? $"{N(b.InMegabytes, 1)} MB ({N(b.InMebibytes, 1)} MiB)"
            : $"{N(b.InGigabytes, 1)} GB ({N(b.InGibibytes, 1)} GiB)";

    /// <summary>Seconds shown in ms below 1 s.</summary>
    public static string Time(Quantities.Duration d) =>
        d.Value < 1 ? $"{Sig(d.InMilliseconds)} ms" : d.Value < 3600 ? $"{Sig(d.Value)} s" : $"{Sig(d.InHours)} h";

    /// <summary>Money rounded to cents with thousands separators.</summary>
    public static string Money(Quantities.Money m) =>
        $"{m.Amount.ToString(Math.Abs(m.Amount) >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture)} {m.Currency}";

    /// <summary>A range's two ends as "low to high", or the one value when they are equal.</summary>
    public static string Span(string low, string high) => low == high ? low : $"{low} to {high}";
}
