using Suanli.Text;
using System.Text;
using ClosedXML.Excel;
using Suanli.Files;

namespace Suanli.Runs;

/// <summary>
/// Writes a report's files into a folder as one set: every file goes to a temporary name first and all are then
/// moved into place, so an existing report is never left half-written or mixed with a new one.
/// </summary>
public static class ReportFiles
{
    /// <summary>
    /// Writes <c>report.md</c>, <c>{stem}.json</c>, <c>{stem}.xlsx</c> and the given PNGs as one set (<see cref="OutputFiles"/>):
    /// all or nothing; existing files are refused unless <paramref name="force"/>. Returns the paths written.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The folder.</param>
    /// <param name="stem">The name of the JSON and XLSX files without extension.</param>
    /// <param name="images">The charts as PNG files.</param>
    /// <param name="option">The field that named the folder (<see cref="FieldNames.Out"/>, spelled by each front end), for the error when a file exists.</param>
    /// <param name="force">True to replace existing files.</param>
    /// <param name="language">
    /// The language of the sentences (findings, titles, headers, worded cells, the JSON document's messages), fields
    /// and commands spelled as the command line names them; English when null.
    /// </param>
    public static IReadOnlyList<string> Write(Report report, string directory, string stem, IReadOnlyList<(string Name, byte[] Png)> images, FieldRef option, bool force = false, Language? language = null)
    {
        language ??= Languages.English;
        if (File.Exists(directory))
        {
            // Creating the folder failed with .NET's "The file '...' already exists", which read as a refusal to overwrite even with force.
            throw option.Error(Phrase.Of("output-folder-is-file", "{option} is the folder the report is written into, but '{path}' is a file; choose a folder (created when missing).",
                ("option", option.Arg), ("path", directory)));
        }
        var localized = ReportLanguage.Localized(report, language, FieldNames.Core, CommandRefs.Cli);
        var json = language == Languages.English ? ReportText.Json(report) : ReportLanguage.Json(report, language, FieldNames.Core, CommandRefs.Cli);
        var md = new StringBuilder(ReportText.Markdown(localized, language));
        if (images.Count > 0)
        {
            md.AppendLine().Append("### ").AppendLine(Phrase.Of("report.charts", "Charts").Render(language, FieldNames.Core)).AppendLine();
            foreach (var (name, _) in images)
            {
                md.Append("![").Append(Path.GetFileNameWithoutExtension(name)).Append("](").Append(name).AppendLine(")").AppendLine();
            }
        }
        using var files = new OutputFiles(force);
        files.Stage(Path.Combine(directory, "report.md"), option, path => File.WriteAllText(path, md.ToString(), new UTF8Encoding(false)));
        files.Stage(Path.Combine(directory, stem + ".json"), option, path => File.WriteAllText(path, json, new UTF8Encoding(false)));
        files.Stage(Path.Combine(directory, stem + ".xlsx"), option, path => Workbook(localized, path, language));
        foreach (var (name, png) in images)
        {
            files.Stage(Path.Combine(directory, name), option, path => File.WriteAllBytes(path, png));
        }
        return files.Commit();
    }

    /// <summary>
    /// One sheet per table, headers bold (units are in the headers); counts, numbers, percentages, money, seconds and
    /// bytes stored as numbers with a display format that shows what the text reports show; text as text.
    /// </summary>
    /// <param name="report">The report; its findings' messages as they are, the rest rendered in <paramref name="language"/>.</param>
    /// <param name="path">The .xlsx file to write.</param>
    /// <param name="language">The language of captions, headers, words and the findings sheet; English when null.</param>
    public static void Workbook(Report report, string path, Suanli.Text.Language? language = null)
    {
        language ??= Suanli.Text.Languages.English;
        using var wb = new XLWorkbook();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in report.Tables)
        {
            var ws = wb.Worksheets.Add(SheetName(t.Caption.Render(language, Suanli.Text.FieldNames.Core), used));
            var texts = t.Rows.Select(r => r.Select(c => c.Render(language)).ToList()).ToList();
            for (var c = 0; c < t.Columns.Count; c++)
            {
                var header = ReportText.Header(t.Columns[c], language);
                Text(ws.Cell(1, c + 1), header);
                ws.Cell(1, c + 1).Style.Font.Bold = true;
                // Widths are set by hand: measuring text needs GDI+, which servers often lack.
                ws.Column(c + 1).Width = Math.Clamp(Math.Max(header.Length, texts.Select(r => c < r.Count ? r[c].Length : 0).DefaultIfEmpty(0).Max()) + 2, 8, 80);
            }
            for (var r = 0; r < t.Rows.Count; r++)
            {
                for (var c = 0; c < t.Rows[r].Count; c++)
                {
                    Put(ws.Cell(r + 2, c + 1), t.Rows[r][c], texts[r][c]);
                }
            }
        }
        if (report.Findings.Count > 0)
        {
            var ws = wb.Worksheets.Add(SheetName(Suanli.Text.Phrase.Of("report.findings", "Findings").Render(language, Suanli.Text.FieldNames.Core), used));
            Text(ws.Cell(1, 1), Suanli.Text.Phrase.Of("report.severity", "Severity").Render(language, Suanli.Text.FieldNames.Core));
            Text(ws.Cell(1, 2), Suanli.Text.Phrase.Of("report.finding", "Finding").Render(language, Suanli.Text.FieldNames.Core));
            ws.Row(1).Style.Font.Bold = true;
            ws.Column(2).Width = 120;
            for (var i = 0; i < report.Findings.Count; i++)
            {
                Text(ws.Cell(i + 2, 1), ReportText.SeverityName(report.Findings[i].Severity, language));
                Text(ws.Cell(i + 2, 2), report.Findings[i].Message);
            }
        }
        wb.SaveAs(path);
    }

    /// <summary>A cell's value: the number with a format that shows the digits the text reports show, or the text; an empty cell stays blank.</summary>
    private static void Put(IXLCell cell, ReportCell value, string text)
    {
        switch (value.Kind)
        {
            case CellKind.Count:
                cell.Value = value.Value;
                cell.Style.NumberFormat.Format = "#,##0";
                break;
            case CellKind.Number:
                cell.Value = value.Value;
                cell.Style.NumberFormat.Format = Digits("#,##0", value.Decimals);
                break;
            case CellKind.Percent:
                cell.Value = value.Value;
                cell.Style.NumberFormat.Format = Digits("0", value.Decimals) + "%";
                break;
            case CellKind.Money:
                var money = value.Amount!.Value;
                if (value.Precise && Math.Abs(money.Amount) < 1)
                {
                    // A price below one unit keeps its digits (Money.ToDisplayString: four significant figures).
                    cell.Value = (double)money.Amount;
                    cell.Style.NumberFormat.Format = $"0.00######## \"{money.Currency}\"";
                    break;
                }
                // To the cent, as the JSON document holds it.
                cell.Value = (double)money.Round().Amount;
                // Show.Money: whole units from 100 up, cents below.
                cell.Style.NumberFormat.Format = Digits("#,##0", Math.Abs(money.Amount) >= 100 ? 0 : 2) + $" \"{money.Currency}\"";
                break;
            case CellKind.Seconds:
                cell.Value = value.Value;
                cell.Style.NumberFormat.Format = "#,##0.000 \"s\"";
                break;
            case CellKind.Bytes:
                // Excel's trailing commas divide by 1,000 each: the sheet holds bytes and shows decimal GB.
                cell.Value = value.Value;
                cell.Style.NumberFormat.Format = "#,##0.0,,, \"GB\"";
                break;
            default:
                if (!value.IsEmpty)
                {
                    Text(cell, text);
                }
                break;
        }
    }

    // ClosedXML reads a string that looks like a number or a date as one; a text cell stays the text it is.
    private static void Text(IXLCell cell, string text)
    {
        cell.Value = text;
        cell.DataType = XLDataType.Text;
    }

    private static string Digits(string whole, int decimals) => decimals > 0 ? whole + "." + new string('0', decimals) : whole;

    private static string SheetName(string title, HashSet<string> used)
    {
        var clean = new string([.. title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]);
        var name = Fit(clean, 31);
        var i = 2;
        while (!used.Add(name))
        {
            var suffix = $" {i++}";
            name = Fit(clean, 31 - suffix.Length) + suffix;
        }
        return name;
    }

    /// <summary>
    /// A title within Excel's sheet-name limit, cut where a reader would: a trailing parenthesis is dropped whole,
    /// else the text ends at a word boundary with no parenthesis left open (never "Cost per month by strategy (CNY").
    /// </summary>
    internal static string Fit(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var paren = text.LastIndexOf(" (", StringComparison.Ordinal);
        if (paren > 0 && text.EndsWith(')'))
        {
            return Fit(text[..paren], max);
        }
        var cut = text.LastIndexOf(' ', max);
        var head = cut > 0 ? text[..cut] : text[..max];
        var open = head.LastIndexOf('(');
        if (open >= 0 && head.IndexOf(')', open) < 0)
        {
            head = head[..open];
        }
        head = head.TrimEnd(' ', ',', ';', '-');
        return head.Length > 0 ? head : text[..max];
    }
}
