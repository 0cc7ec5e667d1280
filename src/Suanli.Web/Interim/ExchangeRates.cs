using Suanli.IO;
using Suanli.IO.Reports;
using Suanli.Quantities;

namespace Suanli.Web.Interim;

/// <summary>JSON of one dated exchange rate.</summary>
/// <param name="From">Currency code converted from.</param>
/// <param name="To">Currency code converted to.</param>
/// <param name="Rate">Units of <paramref name="To"/> per unit of <paramref name="From"/>.</param>
/// <param name="Date">Date the rate was published (ISO).</param>
/// <param name="Source">Where it was published.</param>
public sealed record ExchangeRateJson(string From, string To, decimal Rate, string Date, string Source);

/// <summary>
/// Interim reader of the exchange rates in the embedded catalog/prices/energy.yaml, so the page can show prices in
/// CNY or USD with the rate and its date. The cost work's price-catalog reader (Suanli.IO) replaces it.
/// </summary>
public static class ExchangeRates
{
    private static readonly Lazy<IReadOnlyList<ExchangeRate>> All = new(Load);

    /// <summary>Every rate in the catalog, newest first.</summary>
    public static IReadOnlyList<ExchangeRate> Rates => All.Value;

    /// <summary>The report of the rates (JSON: a list of <see cref="ExchangeRateJson"/>).</summary>
    public static Report Build()
    {
        var json = Rates.Select(r => new ExchangeRateJson(r.From.Code, r.To.Code, r.Rate, r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Source)).ToList();
        var rows = json.Select(r => (IReadOnlyList<string>)[r.From, r.To, r.Rate.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture), r.Date, r.Source]).ToList();
        return new Report($"{json.Count} exchange rates", json, [new ReportTable("Exchange rates", ["From", "To", "Rate", "Date", "Source"], rows)], []);
    }

    private static IReadOnlyList<ExchangeRate> Load()
    {
        const string file = "prices/energy.yaml";
        var root = YamlMap.Parse(CatalogFiles.ReadEmbedded(file), "catalog/" + file);
        return [.. root.Maps("exchange_rates")
            .Select(m => new ExchangeRate(Currency.Parse(m.Str("from"), "from"), Currency.Parse(m.Str("to"), "to"),
                m.OptDecimal("rate") ?? throw m.Error("rate", "'rate' is required."),
                m.OptDate("date") ?? throw m.Error("date", "'date' is required."), m.Str("source")))
            .OrderByDescending(r => r.Date)];
    }
}
