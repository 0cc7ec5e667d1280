using ClosedXML.Excel;
using Suanli.Files;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>The XLSX a report writes keeps numbers as numbers: counts, percentages and money, each with its display format.</summary>
public sealed class WorkbookTests
{
    [Fact]
    public void Plan_workbook_stores_money_and_counts_as_numbers_with_the_currency_in_the_number_format()
    {
        var (plan, report) = PlanReport.Run(ScenarioFile.LoadDefault(CatalogFiles.Embedded), PlanTests.TestCapacity, PriceFiles.Embedded, new DateOnly(2026, 12, 1));
        var currency = plan.Scenario.Currency.Code;
        var costs = report.Tables.Single(t => t.Title.StartsWith("Cost per month by strategy", StringComparison.Ordinal));
        var (row, column) = Enumerable.Range(0, costs.Rows.Count).SelectMany(r => Enumerable.Range(0, costs.Columns.Count).Select(c => (r, c)))
            .First(p => costs.Rows[p.r][p.c].EndsWith(" " + currency, StringComparison.Ordinal));
        var text = costs.Rows[row][column];
        var path = Path.Combine(Path.GetTempPath(), $"suanli-workbook-{Guid.NewGuid():N}.xlsx");
        try
        {
            ReportFiles.Workbook(report, path);
            using var book = new XLWorkbook(path);
            var sheet = book.Worksheets.Single(w => w.Cell(1, 2).GetString() == costs.Columns[1]);
            var cell = sheet.Cell(row + 2, column + 1);
            Assert.Equal(XLDataType.Number, cell.DataType);
            Assert.Equal((double)decimal.Parse(text[..text.LastIndexOf(' ')].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), cell.GetDouble());
            Assert.EndsWith($" \"{currency}\"", cell.Style.NumberFormat.Format, StringComparison.Ordinal);
            var summary = book.Worksheet("Summary");
            var servers = summary.Column(1).CellsUsed().Single(c => c.GetString() == "Servers").CellRight();
            Assert.Equal(XLDataType.Number, servers.DataType);
            Assert.Equal(plan.Fleet.Hardware.Sum(h => h.Servers), servers.GetDouble());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
