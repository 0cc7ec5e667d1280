using System.Text;
using ClosedXML.Excel;
using Suanli.Files;

namespace Suanli.Runs;

/// <summary>The words of a spreadsheet's findings sheet: its name, its two headers, and each severity's name (by its lower-case English name).</summary>
/// <param name="Findings">Sheet name.</param>
/// <param name="Severity">Header of the severity column.</param>
/// <param name="Finding">Header of the message column.</param>
/// <param name="Severities">error, warning, info as shown.</param>
public sealed record WorkbookLabels(string Findings, string Severity, string Finding, IReadOnlyDictionary<string, string> Severities)
{
    /// <summary>The CLI's English labels.</summary>
    public static WorkbookLabels English { get; } = new("Findings", "Severity", "Finding", new Dictionary<string, string>());
}

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
    public static IReadOnlyList<string> Write(Report report, string directory, string stem, IReadOnlyList<(string Name, byte[] Png)> images, bool force = false, string option = "--out")
    {
        var md = new StringBuilder(ReportText.Markdown(report));
        if (images.Count > 0)
        {
            md.AppendLine().AppendLine("### Charts").AppendLine();
            foreach (var (name, _) in images)
            {
                md.Append("![").Append(Path.GetFileNameWithoutExtension(name)).Append("](").Append(name).AppendLine(")").AppendLine();
            }
        }
        using var files = new OutputFiles(force);
        files.Stage(Path.Combine(directory, "report.md"), option, path => File.WriteAllText(path, md.ToString(), new UTF8Encoding(false)));
        files.Stage(Path.Combine(directory, stem + ".json"), option, path => File.WriteAllText(path, ReportText.Json(report), new UTF8Encoding(false)));
        files.Stage(Path.Combine(directory, stem + ".xlsx"), option, path => Workbook(report, path));
        foreach (var (name, png) in images)
        {
            files.Stage(Path.Combine(directory, name), option, path => File.WriteAllBytes(path, png));
        }
        return files.Commit();
    }

    /// <summary>One sheet per table, headers bold (units are in the headers), numbers, percentages and money stored as numbers with their display format.</summary>
    /// <param name="report">The report (already in the reader's language).</param>
    /// <param name="path">The .xlsx file to write.</param>
    /// <param name="labels">The findings sheet's name, headers and severity names; English when null.</param>
    public static void Workbook(Report report, string path, WorkbookLabels? labels = null)
    {
        labels ??= WorkbookLabels.English;
        using var wb = new XLWorkbook();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in report.Tables)
        {
            var name = SheetName(t.Title, used);
            var ws = wb.Worksheets.Add(name);
            for (var c = 0; c < t.Columns.Count; c++)
            {
                ws.Cell(1, c + 1).Value = t.Columns[c];
                ws.Cell(1, c + 1).Style.Font.Bold = true;
                // Widths are set by hand: measuring text needs GDI+, which servers often lack.
                ws.Column(c + 1).Width = Math.Clamp(Math.Max(t.Columns[c].Length, t.Rows.Select(r => c < r.Count ? r[c].Length : 0).DefaultIfEmpty(0).Max()) + 2, 8, 80);
            }
            for (var r = 0; r < t.Rows.Count; r++)
            {
                for (var c = 0; c < t.Rows[r].Count; c++)
                {
                    var text = t.Rows[r][c];
                    if (Money(text) is { } money)
                    {
                        ws.Cell(r + 2, c + 1).Value = money.Amount;
                        ws.Cell(r + 2, c + 1).Style.NumberFormat.Format = money.Format;
                    }
                    else if (double.TryParse(text.Replace(",", "", StringComparison.Ordinal).TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && !text.Contains(' ', StringComparison.Ordinal))
                    {
                        ws.Cell(r + 2, c + 1).Value = text.EndsWith('%') ? number / 100 : number;
                        if (text.EndsWith('%'))
                        {
                            ws.Cell(r + 2, c + 1).Style.NumberFormat.Format = "0%";
                        }
                    }
                    else
                    {
                        ws.Cell(r + 2, c + 1).Value = text;
                    }
                }
            }
        }
        if (report.Findings.Count > 0)
        {
            var ws = wb.Worksheets.Add(SheetName(labels.Findings, used));
            ws.Cell(1, 1).Value = labels.Severity;
            ws.Cell(1, 2).Value = labels.Finding;
            ws.Row(1).Style.Font.Bold = true;
            ws.Column(2).Width = 120;
            for (var i = 0; i < report.Findings.Count; i++)
            {
                var severity = report.Findings[i].Severity.ToString().ToLowerInvariant();
                ws.Cell(i + 2, 1).Value = labels.Severities.GetValueOrDefault(severity, severity);
                ws.Cell(i + 2, 2).Value = report.Findings[i].Message;
            }
        }
        wb.SaveAs(path);
    }

    /// <summary>
    /// A money cell as <see cref="Show.Money"/> writes it ("14,619 CNY", "0.27 USD"): its amount and an Excel number
    /// format that shows the same digits and currency code, so the sheet holds a number that sums and sorts; null for
    /// any other text.
    /// </summary>
    internal static (double Amount, string Format)? Money(string text)
    {
        var space = text.LastIndexOf(' ');
        if (space <= 0 || !Quantities.Currency.Known.Any(k => k.Code == text[(space + 1)..]))
        {
            return null;
        }
        var digits = text[..space].Replace(",", "", StringComparison.Ordinal);
        if (!decimal.TryParse(digits, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var format = (point < 0 ? "#,##0" : "#,##0." + new string('0', digits.Length - point - 1)) + $" \"{text[(space + 1)..]}\"";
        return ((double)amount, format);
    }

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
