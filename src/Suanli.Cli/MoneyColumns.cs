using System.Globalization;
using Suanli.Quantities;
using Suanli.Runs;

namespace Suanli.Cli;

/// <summary>
/// Prices in a terminal table column with the same number of decimals in every row, so 0.60 USD stands above 10.00 USD
/// rather than 0.6 USD (<see cref="ReportColumn.AlignDecimals"/>). The JSON document keeps each amount as the catalog holds it.
/// </summary>
public static class MoneyColumns
{
    /// <summary>
    /// The decimals of a column of prices: the most that any cell needs as <see cref="Money.ToDisplayString"/> rounds it
    /// (whole units from 100, cents from 1, four significant figures below 1), trailing zeros dropped; at least two once any
    /// cell has a fraction, and none when every amount is whole. Cells that are not money are ignored.
    /// </summary>
    public static int Decimals(IEnumerable<ReportCell> cells)
    {
        var most = 0;
        foreach (var cell in cells)
        {
            if (cell.Kind == CellKind.Money && cell.Amount is { } money)
            {
                most = Math.Max(most, Needed(money));
            }
        }
        return most == 0 ? 0 : Math.Max(2, most);
    }

    /// <summary>A money cell with <paramref name="decimals"/> decimals and thousands separators, e.g. "0.600 USD", "1,234.500 CNY"; any other cell as it renders.</summary>
    public static string Render(ReportCell cell, int decimals, Suanli.Text.Language language) =>
        cell.Kind == CellKind.Money && cell.Amount is { } money
            ? Math.Round(money.Amount, decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + money.Currency.Code
            : cell.Render(language);

    /// <summary>The decimals an amount shows with on its own (the rounding of <see cref="Money.DisplayDecimals"/>), trailing zeros dropped.</summary>
    private static int Needed(Money money)
    {
        var rounding = money.DisplayDecimals;
        var shown = Math.Round(Math.Abs(money.Amount), rounding, MidpointRounding.AwayFromZero);
        var decimals = 0;
        while (decimals < rounding && shown != Math.Round(shown, decimals, MidpointRounding.AwayFromZero))
        {
            decimals++;
        }
        return decimals;
    }
}
