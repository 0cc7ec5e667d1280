using Suanli.Cost;
using Suanli.Quantities;

namespace Suanli.IO.Reports;

/// <summary>Builds the report of <c>suanli catalog prices</c>: every price with its source and date, and stale entries as findings.</summary>
public static class PriceReport
{
    /// <summary>Lays out the price book; entries older than a year on <paramref name="today"/> are findings.</summary>
    public static Report Build(PriceBook book, DateOnly today)
    {
        var findings = book.StaleFindings(today);
        var tables = new List<ReportTable>
        {
            new("API prices (per million tokens)", ["Provider", "Model", "Input", "Output", "Cached input", "Catalog model", "Date", "Source"],
                [.. book.Api.Select(a => Row(a.Provider, a.Model, M(a.InputPerMillion), M(a.OutputPerMillion), a.CachedInputPerMillion is { } c ? M(c) : "", a.QualityModel ?? "", D(a.Provenance), a.Provenance.Source))]),
            new("Cloud rent (per device-hour)", ["Provider", "Hardware", "Price", "Term", "Date", "Source"],
                [.. book.Rent.Select(r => Row(r.Provider, r.Hardware, M(r.PerDeviceHour), RentTerms.Name(r.Term), D(r.Provenance), r.Provenance.Source))]),
            new("Purchase prices", ["Item", "Price", "Kind", "Date", "Source"],
                [.. book.Purchase.Select(p => Row(p.Item, M(p.Price), Kind(p.Kind), D(p.Provenance), p.Provenance.Source))]),
            new("Electricity tariffs", ["Region", "Per kWh", "Date", "Source"],
                [.. book.Electricity.Select(e => Row(e.Region, M(e.PerKilowattHour), D(e.Provenance), e.Provenance.Source))]),
            new("PUE", ["Name", "PUE", "Date", "Source"],
                [.. book.Pue.Select(p => Row(p.Name, Show.N(p.Value, 2), D(p.Provenance), p.Provenance.Source))]),
            new("Amortisation and maintenance", ["Name", "Years", "Share per year", "Date", "Source"],
                [.. book.Amortisation.Select(a => Row(a.Name, a.Years is { } y ? Show.Sig(y) : "", a.FractionPerYear is { } f ? Show.N(f * 100, 0) + "%" : "", D(a.Provenance), a.Provenance.Source))]),
            new("Exchange rates", ["From", "To", "Rate", "Date", "Source"],
                [.. book.ExchangeRates.Select(r => Row(r.From.Code, r.To.Code, r.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture), PriceBook.Iso(r.Date), r.Source))]),
        };
        var json = new
        {
            today = PriceBook.Iso(today),
            api = book.Api.Select(a => new { a.Provider, a.Model, inputPerMillion = Mj(a.InputPerMillion), outputPerMillion = Mj(a.OutputPerMillion), cachedInputPerMillion = a.CachedInputPerMillion is { } c ? Mj(c) : null, a.QualityModel, date = D(a.Provenance), a.Provenance.Source }),
            rent = book.Rent.Select(r => new { r.Provider, r.Hardware, perDeviceHour = Mj(r.PerDeviceHour), term = RentTerms.Name(r.Term), date = D(r.Provenance), r.Provenance.Source }),
            purchase = book.Purchase.Select(p => new { p.Item, price = Mj(p.Price), kind = Kind(p.Kind), date = D(p.Provenance), p.Provenance.Source }),
            electricity = book.Electricity.Select(e => new { e.Region, perKilowattHour = Mj(e.PerKilowattHour), date = D(e.Provenance), e.Provenance.Source }),
            pue = book.Pue.Select(p => new { p.Name, p.Value, date = D(p.Provenance), p.Provenance.Source }),
            exchangeRates = book.ExchangeRates.Select(r => new { from = r.From.Code, to = r.To.Code, r.Rate, date = PriceBook.Iso(r.Date), r.Source }),
            findings = FindingJson.Of(findings),
        };
        return new Report($"Prices: {book.Api.Count} API, {book.Rent.Count} rent, {book.Purchase.Count} purchase, {book.Electricity.Count} tariffs, {book.ExchangeRates.Count} exchange rates (as of {PriceBook.Iso(today)})", json, tables, findings);
    }

    /// <summary>Money as JSON: a decimal amount and a currency code.</summary>
    public sealed record MoneyJson(decimal Amount, string Currency);

    /// <summary>Converts money for JSON.</summary>
    public static MoneyJson Mj(Money m) => new(m.Amount, m.Currency.Code);

    /// <summary>Money for a table: all significant decimals for small prices, thousands separators for large.</summary>
    public static string M(Money m) => m.ToDisplayString();

    private static string D(Provenance p) => PriceBook.Iso(p.Date);

    private static string Kind(PurchaseKind k) => k switch
    {
        PurchaseKind.ListPrice => "list-price",
        PurchaseKind.StreetEstimate => "street-estimate",
        _ => "article-claim",
    };

    private static string[] Row(params string[] cells) => cells;
}
