using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console.Testing;
using Suanli.Cli;
using Suanli.Quantities;
using Suanli.Runs;
using Xunit;

namespace Suanli.Tests;

/// <summary>
/// <c>suanli catalog prices</c> in the terminal shows each price column with one number of decimals (0.60 USD above 10.00 USD,
/// not 0.6 USD), while the JSON document keeps each amount as the catalog holds it.
/// </summary>
public class PriceColumnDecimalsTests
{
    private static ReportCell P(decimal amount, string currency = "USD") => ReportCell.Price(new Money(amount, Currency.Parse(currency)));

    private static string[] Shown(params ReportCell[] cells)
    {
        var d = MoneyColumns.Decimals(cells);
        return [.. cells.Select(c => MoneyColumns.Render(c, d, Suanli.Text.Languages.English))];
    }

    [Fact]
    public void A_column_takes_the_decimals_of_its_most_precise_price_and_pads_the_others()
    {
        // The issue's example: 0.6 beside 10.00 reads 0.60 beside 10.00.
        Assert.Equal(["0.60 USD", "10.00 USD"], Shown(P(0.6m), P(10.00m)));
        // A cached-input price of 0.075 gives the column three decimals; 120 gains them too, with its separator from 1,000.
        Assert.Equal(["0.075 USD", "2.500 USD", "120.000 USD", "1,250.000 CNY"], Shown(P(0.075m), P(2.50m), P(120m), P(1250m, "CNY")));
        // Four significant figures below one unit, as Money.ToDisplayString rounds: 0.5904 sets four decimals, and
        // 21.6092 (an 8-GPU instance's price divided by eight) shows them rather than 21.61.
        Assert.Equal(["0.5904 USD", "21.6092 CNY", "3.7110 CNY"], Shown(P(0.5904m), P(21.6092m, "CNY"), P(3.711m, "CNY")));
        // A price below one ten-thousandth keeps its four significant figures: 0.00012345 -> 0.0001235 (seven decimals).
        Assert.Equal(["0.0001235 USD", "1.0000000 USD"], Shown(P(0.00012345m), P(1m)));
        // Whole amounts only (purchase prices): no decimals, thousands separators.
        Assert.Equal(["30,000 USD", "8,200,000 USD", "110,000 CNY"], Shown(P(30000m), P(8200000m), P(110000m, "CNY")));
        // An empty cell stays empty and does not count.
        Assert.Equal(2, MoneyColumns.Decimals([P(0.5m), ReportCell.Text(""), ReportCell.None]));
        Assert.Equal("", MoneyColumns.Render(ReportCell.Text(""), 2, Suanli.Text.Languages.English));
    }

    [Fact]
    public void Every_price_column_of_catalog_prices_shows_one_number_of_decimals_and_the_json_keeps_the_catalog_amounts()
    {
        var console = new TestConsole().Width(1000);
        Assert.Equal(0, SuanliCli.Run(["catalog", "prices", "--today", "2026-12-07"], console, new StringWriter(), new StringWriter(), TimeProvider.System));
        var money = new Regex(@"^-?[\d,]+(?:\.(?<d>\d+))? [A-Z]{3}$");
        var checkedColumns = 0;
        // Each table is a block of rows between its header rule and its bottom border; a column's money cells share their decimals.
        foreach (var block in Regex.Split(console.Output, "╰[^\n]*\n"))
        {
            var rows = block.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).ToList();
            var width = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
            for (var i = 0; i < width; i++)
            {
                var decimals = rows.Where(r => r.Length > i).Select(r => money.Match(r[i])).Where(m => m.Success)
                    .Select(m => m.Groups["d"].Success ? m.Groups["d"].Value.Length : 0).ToList();
                if (decimals.Count > 1)
                {
                    checkedColumns++;
                    Assert.Single(decimals.Distinct());
                }
            }
        }
        // API input, output and cached input; rent; purchase; electricity.
        Assert.True(checkedColumns >= 6, $"{checkedColumns} price columns found");
        // gpt-4o-mini is billed 0.60 USD per million output tokens: the terminal pads it, and the JSON amount is still 0.60.
        var line = console.Output.Split('\n').First(l => l.Contains("│ gpt-4o-mini ", StringComparison.Ordinal));
        Assert.Matches(@"│ +0\.600* USD │", line);
        var output = new StringWriter();
        Assert.Equal(0, SuanliCli.Run(["catalog", "prices", "--format", "json"], new TestConsole(), output, new StringWriter(), TimeProvider.System));
        using var doc = JsonDocument.Parse(output.ToString());
        var mini = doc.RootElement.GetProperty("api").EnumerateArray().First(a => a.GetProperty("model").GetString() == "gpt-4o-mini");
        Assert.Equal(0.60m, mini.GetProperty("outputPerMillion").GetProperty("amount").GetDecimal());
        Assert.Equal("0.60", mini.GetProperty("outputPerMillion").GetProperty("amount").GetRawText());
    }

    [Fact]
    public void The_cached_input_column_is_right_aligned_like_the_other_price_columns_though_some_rows_have_no_cached_price()
    {
        var console = new TestConsole().Width(1000);
        Assert.Equal(0, SuanliCli.Run(["catalog", "prices", "--today", "2026-12-08"], console, new StringWriter(), new StringWriter(), TimeProvider.System));
        var lines = console.Output.Split('\n');
        var header = lines.First(l => l.Contains("│ Cached input ", StringComparison.Ordinal)).Split('│');
        var columns = new[] { "Input", "Output", "Cached input" }.Select(h => Array.FindIndex(header, c => c.Trim() == h)).ToArray();
        Assert.DoesNotContain(-1, columns);
        // The API table's rows up to its bottom border; gpt-4o-mini has a cached price (0.075 USD) and gpt-4.1 none.
        var start = Array.FindIndex(lines, l => l.Contains("│ Cached input ", StringComparison.Ordinal));
        var rows = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('╰')).Where(l => l.StartsWith('│')).Select(l => l.Split('│')).ToList();
        Assert.Contains(rows, r => r[columns[2]].Trim().Length == 0);
        var cached = rows.Where(r => r[columns[2]].Trim().Length > 0).Select(r => r[columns[2]]).ToList();
        // The header is wider than the prices, so every cell is padded and its side of the padding shows the alignment.
        Assert.All(cached, c => Assert.True(c.Length - c.Trim().Length > 2, $"'{c}' is not padded"));
        // Right-aligned: one space of padding after the currency code, the rest before the number, in every price column.
        foreach (var i in columns)
        {
            Assert.All(rows.Select(r => r[i]).Where(c => c.Trim().Length > 0), c => Assert.Matches(@"^ +\S.* [A-Z]{3} $", c));
        }
        var mini = rows.First(r => r.Any(c => c.Trim() == "gpt-4o-mini"));
        Assert.Matches(@"^ {2,}0\.0750* USD $", mini[columns[2]]);
    }
}
