using ClosedXML.Excel;
using Suanli.Files;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Text;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// Report cells are values: the XLSX keeps counts, percentages and money as numbers with their display format, the
/// text renderers format them as before, and headers are phrases with keys so a report renders in Chinese by key.
/// </summary>
public sealed class WorkbookTests
{
    private static string Temp() => Path.Combine(Path.GetTempPath(), $"suanli-workbook-{Guid.NewGuid():N}.xlsx");

    // One row of every kind, with values whose formatting is known by hand.
    private static Report HandMade() => new("Hand-made", new PlanHoursJson("s", "UTC", "d", "static", 1, 0.5, []),
        [
            new ReportTable(ReportCell.Unkeyed("Kinds"),
                [
                    new(Phrase.Of("col.own-per-month", "Own: per month"), CellKind.Money), new(Phrase.Of("col.own-per-m-tokens", "Own: per M tokens"), CellKind.Money),
                    new(Phrase.Of("col.devices", "Devices"), CellKind.Count), new(Phrase.Of("col.utilisation", "Utilisation"), CellKind.Percent),
                    new(Phrase.Of("col.facility-power", "Facility power (kW)"), CellKind.Number), new(Phrase.Of("col.swing", "Swing"), CellKind.Money),
                    new(Phrase.Of("col.model", "Model")),
                ],
                [[ReportCell.Money(new Money(12_345.4m, Currency.Usd)), ReportCell.Money(new Money(0.27m, Currency.Cny)), ReportCell.Count(1234),
                  ReportCell.Percent(0.375, 1), ReportCell.Number(2.24, 1), ReportCell.None, ReportCell.Text("7")]]),
        ], []);

    [Fact]
    public void Cells_of_each_kind_render_as_the_text_reports_always_showed_them()
    {
        var markdown = ReportText.Markdown(HandMade());
        Assert.Contains("| Own: per month | Own: per M tokens | Devices | Utilisation | Facility power (kW) | Swing | Model |", markdown, StringComparison.Ordinal);
        // Show.Money: whole units from 100 up, cents below; Show.N: thousands separators; the ratio times 100; no value is "-".
        Assert.Contains("| 12,345 USD | 0.27 CNY | 1,234 | 37.5% | 2.2 | - | 7 |", markdown, StringComparison.Ordinal);
        Assert.Contains("\"12,345 USD\",0.27 CNY,\"1,234\",37.5%,2.2,-,7", ReportText.Csv(HandMade()), StringComparison.Ordinal);
    }

    [Fact]
    public void Workbook_keeps_money_counts_and_percentages_as_numbers_with_formats_and_text_as_text()
    {
        var path = Temp();
        try
        {
            ReportFiles.Workbook(HandMade(), path);
            using var book = new XLWorkbook(path);
            var row = book.Worksheet("Kinds").Row(2);
            Assert.Equal(XLDataType.Number, row.Cell(1).DataType);
            // The exact amount, not the rounded text; the format shows what the text shows.
            Assert.Equal(12_345.4, row.Cell(1).GetDouble());
            Assert.Equal("#,##0 \"USD\"", row.Cell(1).Style.NumberFormat.Format);
            Assert.Equal(0.27, row.Cell(2).GetDouble());
            Assert.Equal("#,##0.00 \"CNY\"", row.Cell(2).Style.NumberFormat.Format);
            Assert.Equal(XLDataType.Number, row.Cell(3).DataType);
            Assert.Equal(1234, row.Cell(3).GetDouble());
            Assert.Equal("#,##0", row.Cell(3).Style.NumberFormat.Format);
            Assert.Equal(0.375, row.Cell(4).GetDouble());
            Assert.Equal("0.0%", row.Cell(4).Style.NumberFormat.Format);
            Assert.Equal(2.24, row.Cell(5).GetDouble());
            Assert.Equal("#,##0.0", row.Cell(5).Style.NumberFormat.Format);
            Assert.True(row.Cell(6).IsEmpty());
            // A text cell that looks like a number stays text: nothing is parsed back.
            Assert.Equal(XLDataType.Text, row.Cell(7).DataType);
            Assert.Equal("7", row.Cell(7).GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plan_workbook_stores_money_and_counts_as_numbers_with_the_currency_in_the_number_format()
    {
        var (plan, report) = PlanReport.Run(ScenarioFile.LoadDefault(CatalogFiles.Embedded), PlanTests.TestCapacity, PriceFiles.Embedded, new DateOnly(2026, 12, 1));
        var currency = plan.Scenario.Currency.Code;
        var costs = ((PlanJson)report.Json).Costs!.Strategies;
        var table = report.Tables.Single(t => t.Caption.Key == "table.costs");
        Assert.Equal([CellKind.Text, CellKind.Money, CellKind.Money, CellKind.Money, CellKind.Money, CellKind.Money], table.Columns.Select(c => c.Kind));
        var path = Temp();
        try
        {
            ReportFiles.Workbook(report, path);
            using var book = new XLWorkbook(path);
            var sheet = book.Worksheets.Single(w => w.Cell(1, 2).GetString() == "Own: per month");
            for (var r = 0; r < costs.Count; r++)
            {
                var own = sheet.Cell(r + 2, 2);
                Assert.Equal(XLDataType.Number, own.DataType);
                Assert.Equal((double)costs[r].Own!.PerMonth, own.GetDouble());
                Assert.Equal($"#,##0 \"{currency}\"", own.Style.NumberFormat.Format);
            }
            var summary = book.Worksheet("Summary");
            var servers = summary.Column(1).CellsUsed().Single(c => c.GetString() == "Servers").CellRight();
            Assert.Equal(XLDataType.Number, servers.DataType);
            Assert.Equal(plan.Fleet.Hardware.Sum(h => h.Servers), servers.GetDouble());
            Assert.Equal("#,##0", servers.Style.NumberFormat.Format);
            var strategies = book.Worksheet("Strategies");
            for (var r = 0; r < plan.Fleet.Strategies.Count; r++)
            {
                Assert.Equal(XLDataType.Number, strategies.Cell(r + 2, 2).DataType);
                Assert.Equal(plan.Fleet.Strategies[r].DevicesPeak, strategies.Cell(r + 2, 2).GetDouble());
                Assert.Equal(plan.Fleet.Strategies[r].Utilisation, strategies.Cell(r + 2, 4).GetDouble(), 12);
                Assert.Equal("0%", strategies.Cell(r + 2, 4).Style.NumberFormat.Format);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_header_and_caption_of_the_plan_report_has_a_key_with_a_chinese_template()
    {
        var (_, report) = PlanReport.Run(ScenarioFile.LoadDefault(CatalogFiles.Embedded), PlanTests.TestCapacity, PriceFiles.Embedded, new DateOnly(2026, 12, 1), sensitivity: true);
        var phrases = report.Tables.SelectMany(t => t.Columns.Select(c => c.Header).Append(t.Caption)).Append(report.Heading!).ToList();
        Assert.All(phrases, p => Assert.True(Languages.Chinese.Templates.ContainsKey(p.Key), $"'{p.English}' has no Chinese template (key '{p.Key}')"));
        var zh = ReportText.Markdown(report, Languages.Chinese);
        Assert.Contains("| 项目 | 数值 |", zh, StringComparison.Ordinal);
        Assert.Contains("| 策略 | 自有：每月 | 自有：前期 | 自有：每百万词元 | 租用：每月 | 租用：每百万词元 |", zh, StringComparison.Ordinal);
        // The English report is unchanged by the keys: the same headers as before.
        Assert.Contains("| Strategy | Own: per month | Own: up front | Own: per M tokens | Rent: per month | Rent: per M tokens |", ReportText.Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_price_below_one_unit_keeps_four_significant_figures_where_money_shows_cents()
    {
        var price = new Money(0.6400592m, Currency.Usd);
        // Money.ToDisplayString: 3 - floor(log10 0.64) = 4 decimals below 1; Show.Money: cents.
        Assert.Equal("0.6401 USD", ReportCell.Price(price).English);
        Assert.Equal("0.64 USD", ReportCell.Money(price).English);
        Assert.Equal(CellKind.Money, ReportCell.Price(price).Kind);
        // From one unit up a price reads as money does.
        Assert.Equal("12,345 USD", ReportCell.Price(new Money(12_345.4m, Currency.Usd)).English);
    }

    [Fact]
    public void Compare_report_has_keyed_headers_typed_money_cells_and_renders_in_chinese()
    {
        // C8's two custom options over one month at 1,000,000 requests.
        var (_, report) = CompareRun.Run(new CompareInputs
        {
            RequestsPerMonth = 1e6, Months = 1, Today = new DateOnly(2026, 12, 1),
            Custom = ["GPT-3 fine-tune;build=7418 USD;per-10k=173 USD;quality=71.4", "small model;build=1915 USD;per-10k=0.26 USD;quality=71.3"],
        }, PriceFiles.Embedded, CatalogFiles.Embedded, CalibrationFiles.Default);
        var phrases = report.Tables.SelectMany(t => t.Columns.Select(c => c.Header).Append(t.Caption)).ToList();
        Assert.All(phrases, p => Assert.True(Languages.Chinese.Templates.ContainsKey(p.Key), $"'{p.English}' has no Chinese template (key '{p.Key}')"));
        var options = report.Tables[0];
        Assert.Equal(CellKind.Money, options.Columns[7].Kind);
        var small = options.Rows.Single(r => r[0].English == "small model");
        // Per 10,000 requests with the build spread over the month: (1,915 + 0.26 x 100) USD / 1,000,000 x 10,000 = 19.41 USD.
        Assert.Equal(19.41m, small[7].Amount!.Value.Amount);
        var zh = ReportText.Markdown(report, Languages.Chinese);
        Assert.Contains("| 选项 | 类型 | 每月 | 每年 | 每小时 | 每百万词元 | 每百万输出词元 | 每万个请求 | 前期 | 质量 |", zh, StringComparison.Ordinal);
        Assert.Contains("| 前期支付更多 | 对比 | 盈亏平衡月数 |", zh, StringComparison.Ordinal);
        // The English report keeps the headers it always had.
        Assert.Contains("| Option | Kind | Per month | Per year | Per hour | Per M tokens | Per M output | Per 10k requests | Up front | Quality |",
            ReportText.Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Perf_report_has_keyed_headers_typed_cells_and_renders_in_chinese()
    {
        var report = PerfRun.Run(new PerfInputs { Model = "llama-3.1-8b", Hardware = "h100", Batch = "1,64" }, CatalogFiles.Embedded, CalibrationFiles.Default);
        var phrases = report.Tables.SelectMany(t => t.Columns.Select(c => c.Header).Append(t.Caption)).ToList();
        Assert.All(phrases, p => Assert.True(p.Key.Length > 0 && Languages.Chinese.Templates.ContainsKey(p.Key), $"'{p.English}' has no Chinese template (key '{p.Key}')"));
        var json = (PerfJson)report.Json;
        var steady = report.Tables[0];
        Assert.Equal([1.0, 64.0], steady.Rows.Select(r => r[0].Value));
        Assert.All(steady.Rows, r => Assert.Equal(CellKind.Count, r[0].Kind));
        // MFU is a ratio kept as a number (0.xx), shown as a percentage with one decimal.
        Assert.Equal(CellKind.Percent, steady.Rows[1][7].Kind);
        Assert.Equal(json.Rows[1].Mfu, steady.Rows[1][7].Value, 12);
        Assert.Equal(CellKind.Seconds, steady.Rows[1][2].Kind);
        Assert.Equal(json.Rows[1].TimePerOutputTokenSeconds, steady.Rows[1][2].Value, 12);
        var zh = ReportText.Markdown(report, Languages.Chinese);
        Assert.Contains("| 批大小 | TTFT（仅预填充） | TPOT | 仅解码 | 输出词元/秒 | 每设备 | 瓶颈 | MFU | MBU |", zh, StringComparison.Ordinal);
        Assert.Contains("### 各批大小的稳态（输入 ", zh, StringComparison.Ordinal);
        // The English report keeps the headers it always had.
        Assert.Contains("| Batch | TTFT (prefill alone) | TPOT | Decode only | Output tok/s | Per device | Bottleneck | MFU | MBU |", ReportText.Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_report_keeps_bytes_as_numbers_and_renders_its_rows_in_chinese()
    {
        var report = TrainRun.Run(new TrainInputs { Model = "llama-3.1-8b", Hardware = "h100", Devices = 64, Tokens = "1T" }, CatalogFiles.Embedded, CalibrationFiles.Default, new DateOnly(2026, 1, 1));
        var phrases = report.Tables.SelectMany(t => t.Columns.Select(c => c.Header).Append(t.Caption)).ToList();
        Assert.All(phrases, p => Assert.True(p.Key.Length > 0 && Languages.Chinese.Templates.ContainsKey(p.Key), $"'{p.English}' has no Chinese template (key '{p.Key}')"));
        var memory = report.Tables.Single(t => t.Caption.Key == "table.memory-per-device");
        var total = memory.Rows.Single(r => r[0].English == "Total")[1];
        Assert.Equal(CellKind.Bytes, total.Kind);
        Assert.Equal(((TrainJson)report.Json).Memory.MemoryPerDeviceBytes, total.Value, 0);
        var zh = ReportText.Markdown(report, Languages.Chinese);
        Assert.Contains("| 部分 | 字节 | 依据 |", zh, StringComparison.Ordinal);
        Assert.Contains("| 合计 | ", zh, StringComparison.Ordinal);
        Assert.Contains("| Part | Bytes | Basis |", ReportText.Markdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_workbook_in_chinese_keeps_memory_bytes_as_numbers_shown_in_gb()
    {
        var report = TrainRun.Run(new TrainInputs { Model = "llama-3.1-8b", Hardware = "h100", Devices = 64, Tokens = "1T" }, CatalogFiles.Embedded, CalibrationFiles.Default, new DateOnly(2026, 1, 1));
        var json = (TrainJson)report.Json;
        var path = Temp();
        try
        {
            ReportFiles.Workbook(report, path, Languages.Chinese);
            using var book = new XLWorkbook(path);
            var memory = book.Worksheets.Single(w => w.Cell(1, 2).GetString() == "字节");
            Assert.Equal("部分", memory.Cell(1, 1).GetString());
            var total = memory.Column(1).CellsUsed().Single(c => c.GetString() == "合计").CellRight();
            Assert.Equal(XLDataType.Number, total.DataType);
            Assert.Equal(json.Memory.MemoryPerDeviceBytes, total.GetDouble(), 0);
            Assert.Equal("#,##0.0,,, \"GB\"", total.Style.NumberFormat.Format);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
