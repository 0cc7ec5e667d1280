using Spectre.Console;
using Suanli.Runs;

namespace Suanli.Cli;

/// <summary>Renders a report as Spectre.Console tables with coloured findings.</summary>
public static class TerminalReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(IAnsiConsole console, Report report)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(report.Title)}[/]").LeftJustified());
        foreach (var t in report.Tables.Where(t => !t.FilesOnly))
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(t.Title));
            for (var i = 0; i < t.Columns.Count; i++)
            {
                var column = new TableColumn(Markup.Escape(t.Columns[i].Name));
                if (i > 0 && t.Rows.Count > 0 && t.Rows.All(r => r.Count > i && LooksNumeric(r[i])))
                {
                    column.RightAligned();
                }
                table.AddColumn(column);
            }
            foreach (var row in t.Rows)
            {
                table.AddRow(row.Select(c => new Markup(Markup.Escape(c.English))).ToArray());
            }
            console.Write(table);
        }
        foreach (var chart in report.Charts)
        {
            var bars = new BarChart().Label(Markup.Escape(chart.Title)).Width(Math.Min(100, console.Profile.Width));
            foreach (var (label, value) in chart.Labels.Zip(chart.Values))
            {
                bars.AddItem(Markup.Escape(label), Math.Round(value, 1), Color.SteelBlue);
            }
            console.Write(bars);
        }
        foreach (var f in report.Findings)
        {
            var (colour, label) = f.Severity switch
            {
                Severity.Error => ("red", "error"),
                Severity.Warning => ("yellow", "warning"),
                _ => ("grey", "note"),
            };
            console.MarkupLine($"[{colour}]{label}:[/] {Markup.Escape(f.Message)}");
        }
    }

    private static bool LooksNumeric(string cell) => cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] == '-' && cell.Length > 1 && char.IsDigit(cell[1]));
}
