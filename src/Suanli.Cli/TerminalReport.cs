using Spectre.Console;
using Suanli.Runs;

namespace Suanli.Cli;

/// <summary>Renders a report as Spectre.Console tables with coloured findings.</summary>
public static class TerminalReport
{
    /// <summary>Writes the report: titles, headers, worded cells and finding labels in <paramref name="language"/>, findings as the report holds them.</summary>
    public static void Write(IAnsiConsole console, Report report, Suanli.Text.Language language)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(report.TitleIn(language))}[/]").LeftJustified());
        foreach (var t in report.Tables.Where(t => !t.FilesOnly))
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(t.Caption.Render(language, Suanli.Text.FieldNames.Core)));
            for (var i = 0; i < t.Columns.Count; i++)
            {
                var column = new TableColumn(Markup.Escape(ReportText.Header(t.Columns[i], language)));
                // A price column (AlignDecimals) is right-aligned like every money column even where some rows are blank
                // (an API row with no published cached-input price), which the numeric test below would read as text.
                if (i > 0 && t.Rows.Count > 0 && (t.Columns[i].AlignDecimals || t.Rows.All(r => r.Count > i && LooksNumeric(r[i].Render(language)))))
                {
                    column.RightAligned();
                }
                table.AddColumn(column);
            }
            // A price column marked AlignDecimals shows every row with the decimals its most precise price needs.
            var decimals = t.Columns.Select((c, i) => c.AlignDecimals ? MoneyColumns.Decimals(t.Rows.Where(r => r.Count > i).Select(r => r[i])) : (int?)null).ToList();
            foreach (var row in t.Rows)
            {
                table.AddRow(row.Select((c, i) => new Markup(Markup.Escape(i < decimals.Count && decimals[i] is { } d ? MoneyColumns.Render(c, d, language) : c.Render(language)))).ToArray());
            }
            console.Write(table);
        }
        foreach (var chart in report.Charts)
        {
            var bars = new BarChart().Label(Markup.Escape(chart.TitleIn(language))).Width(Math.Min(100, console.Profile.Width));
            foreach (var (label, value) in chart.Labels.Zip(chart.Values))
            {
                bars.AddItem(Markup.Escape(label), Math.Round(value, 1), Color.SteelBlue);
            }
            console.Write(bars);
        }
        foreach (var f in report.Findings)
        {
            var colour = f.Severity switch
            {
                Severity.Error => "red",
                Severity.Warning => "yellow",
                _ => "grey",
            };
            var label = CliLanguage.FindingLabel(f.Severity).Render(language, Suanli.Text.FieldNames.Core);
            // A Chinese label ends in a full-width colon, which needs no space after it.
            var gap = label.EndsWith(':') ? " " : "";
            console.MarkupLine($"[{colour}]{Markup.Escape(label)}[/]{gap}{Markup.Escape(f.Message)}");
        }
    }

    private static bool LooksNumeric(string cell) => cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] == '-' && cell.Length > 1 && char.IsDigit(cell[1]));
}
