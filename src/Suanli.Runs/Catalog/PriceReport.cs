using Suanli.Cost;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>An API price per million tokens (input, output, cached input), the catalog model it maps to for quality, date and source.</summary>
public sealed record ApiPriceJson(string Provider, string Model, PriceReport.MoneyJson InputPerMillion, PriceReport.MoneyJson OutputPerMillion,
    PriceReport.MoneyJson? CachedInputPerMillion, string? QualityModel, string Date, string Source);

/// <summary>
/// A cloud rent per device-hour, its term (on-demand, 1 or 3 years reserved...), date and source. Where the source priced a
/// multi-device instance, <c>PerInstanceHour</c> is that published figure and <c>DevicesPerInstance</c> the devices it buys
/// (<c>PerDeviceHour</c> = <c>PerInstanceHour</c> / <c>DevicesPerInstance</c>); both are null for a row priced per device.
/// </summary>
public sealed record RentPriceJson(string Provider, string Hardware, PriceReport.MoneyJson PerDeviceHour, string Term, string Date, string Source,
    PriceReport.MoneyJson? PerInstanceHour = null, int? DevicesPerInstance = null);

/// <summary>A purchase price of a device or server: list price, street estimate or article claim; date and source.</summary>
public sealed record PurchasePriceJson(string Item, PriceReport.MoneyJson Price, string Kind, string Date, string Source);

/// <summary>An electricity tariff per kWh for a region.</summary>
public sealed record TariffJson(string Region, PriceReport.MoneyJson PerKilowattHour, string Date, string Source);

/// <summary>A power usage effectiveness figure (facility energy / IT energy, dimensionless).</summary>
public sealed record PueJson(string Name, double Value, string Date, string Source);

/// <summary>A dated exchange rate: 1 <c>From</c> = <c>Rate</c> <c>To</c>.</summary>
public sealed record ExchangeRateJson(string From, string To, decimal Rate, string Date, string Source)
{
    /// <summary>The JSON form of a dated exchange rate.</summary>
    public static ExchangeRateJson Of(ExchangeRate r) => new(r.From.Code, r.To.Code, r.Rate, PriceBook.Iso(r.Date), r.Source);
}

/// <summary><c>suanli catalog prices --format json</c> and <c>GET /api/catalog/prices</c>; <c>Today</c> is the date stale entries are judged on.</summary>
public sealed record PricesJson(string Today, IReadOnlyList<ApiPriceJson> Api, IReadOnlyList<RentPriceJson> Rent, IReadOnlyList<PurchasePriceJson> Purchase,
    IReadOnlyList<TariffJson> Electricity, IReadOnlyList<PueJson> Pue, IReadOnlyList<ExchangeRateJson> ExchangeRates, IReadOnlyList<FindingJson> Findings) : ReportDocument;

/// <summary>One price entry older than a year: its table, name, date, age in days on <c>Today</c>, and source.</summary>
public sealed record StalePriceJson(string Table, string Name, string Date, int AgeDays, string Source);

/// <summary><c>suanli catalog prices --stale --format json</c>: the entries older than a year on <c>Today</c>, oldest first.</summary>
public sealed record StalePricesJson(string Today, IReadOnlyList<StalePriceJson> Entries, IReadOnlyList<FindingJson> Findings) : ReportDocument;

/// <summary>Builds the report of <c>suanli catalog prices</c>: every price with its source and date, and stale entries as findings.</summary>
public static class PriceReport
{
    /// <summary>Lays out the price book; entries older than a year on <paramref name="today"/> are findings.</summary>
    public static Report Build(PriceBook book, DateOnly today)
    {
        var findings = book.StaleFindings(today);
        ReportColumn Date = new(Phrase.Of("col.date", "Date")), Source = new(Phrase.Of("col.source", "Source"));
        var tables = new List<ReportTable>
        {
            new(Phrase.Of("table.api-prices", "API prices (per million tokens)"),
                [
                    new(Phrase.Of("col.provider", "Provider")), new(Phrase.Of("col.model", "Model")), new(Phrase.Of("col.input", "Input"), CellKind.Money) { AlignDecimals = true },
                    new(Phrase.Of("col.output", "Output"), CellKind.Money) { AlignDecimals = true }, new(Phrase.Of("col.cached-input", "Cached input"), CellKind.Money) { AlignDecimals = true },
                    new(Phrase.Of("col.catalog-model", "Catalog model")), Date, Source,
                ],
                [.. book.Api.Select(a => Row(T(a.Provider), T(a.Model), ReportCell.Price(a.InputPerMillion), ReportCell.Price(a.OutputPerMillion),
                    a.CachedInputPerMillion is { } c ? ReportCell.Price(c) : T(""), T(a.QualityModel ?? ""), T(D(a.Provenance)), T(a.Provenance.Source)))]),
            new(Phrase.Of("table.cloud-rent", "Cloud rent (per device-hour)"),
                [
                    new(Phrase.Of("col.provider", "Provider")), new(Phrase.Of("col.hardware", "Hardware")), new(Phrase.Of("col.price", "Price"), CellKind.Money) { AlignDecimals = true },
                    new(Phrase.Of("col.term", "Term")), Date, Source,
                ],
                [.. book.Rent.Select(r => Row(T(r.Provider), T(r.Hardware), ReportCell.Price(r.PerDeviceHour), ReportCell.Words(RentTerms.Typed(r.Term)), T(D(r.Provenance)), T(r.Provenance.Source)))]),
            new(Phrase.Of("table.purchase-prices", "Purchase prices"),
                [new(Phrase.Of("col.item", "Item")), new(Phrase.Of("col.price", "Price"), CellKind.Money) { AlignDecimals = true }, new(Phrase.Of("col.kind", "Kind")), Date, Source],
                [.. book.Purchase.Select(p => Row(T(p.Item), ReportCell.Price(p.Price), T(Kind(p.Kind)), T(D(p.Provenance)), T(p.Provenance.Source)))]),
            new(Phrase.Of("table.electricity-tariffs", "Electricity tariffs"),
                [new(Phrase.Of("col.region", "Region")), new(Phrase.Of("col.per-kwh", "Per kWh"), CellKind.Money) { AlignDecimals = true }, Date, Source],
                [.. book.Electricity.Select(e => Row(T(e.Region), ReportCell.Price(e.PerKilowattHour), T(D(e.Provenance)), T(e.Provenance.Source)))]),
            new(Phrase.Of("table.pue", "PUE"),
                [new(Phrase.Of("col.name", "Name")), new(Phrase.Of("col.pue", "PUE"), CellKind.Number), Date, Source],
                [.. book.Pue.Select(p => Row(T(p.Name), ReportCell.Number(p.Value, 2), T(D(p.Provenance)), T(p.Provenance.Source)))]),
            new(Phrase.Of("table.amortisation", "Amortisation and maintenance"),
                [new(Phrase.Of("col.name", "Name")), new(Phrase.Of("col.years", "Years")), new(Phrase.Of("col.share-per-year", "Share per year"), CellKind.Percent), Date, Source],
                [.. book.Amortisation.Select(a => Row(T(a.Name), T(a.Years is { } y ? Show.Sig(y) : ""), a.FractionPerYear is { } f ? ReportCell.Percent(f, 0) : T(""),
                    T(D(a.Provenance)), T(a.Provenance.Source)))]),
            new(Phrase.Of("table.exchange-rates", "Exchange rates"),
                [new(Phrase.Of("col.from", "From")), new(Phrase.Of("col.to", "To")), new(Phrase.Of("col.rate", "Rate")), Date, Source],
                [.. book.ExchangeRates.Select(r => Row(T(r.From.Code), T(r.To.Code), T(r.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)), T(PriceBook.Iso(r.Date)), T(r.Source)))]),
        };
        var json = new PricesJson(PriceBook.Iso(today),
            [.. book.Api.Select(a => new ApiPriceJson(a.Provider, a.Model, Mj(a.InputPerMillion), Mj(a.OutputPerMillion), a.CachedInputPerMillion is { } c ? Mj(c) : null, a.QualityModel, D(a.Provenance), a.Provenance.Source))],
            [.. book.Rent.Select(r => new RentPriceJson(r.Provider, r.Hardware, Mj(r.PerDeviceHour), RentTerms.Name(r.Term), D(r.Provenance), r.Provenance.Source,
                r.Instance is { } i ? Mj(i.PerInstanceHour) : null, r.Instance?.Devices))],
            [.. book.Purchase.Select(p => new PurchasePriceJson(p.Item, Mj(p.Price), Kind(p.Kind), D(p.Provenance), p.Provenance.Source))],
            [.. book.Electricity.Select(e => new TariffJson(e.Region, Mj(e.PerKilowattHour), D(e.Provenance), e.Provenance.Source))],
            [.. book.Pue.Select(p => new PueJson(p.Name, p.Value, D(p.Provenance), p.Provenance.Source))],
            [.. book.ExchangeRates.Select(ExchangeRateJson.Of)],
            FindingJson.Of(findings));
        return new Report(Phrase.Of("report.prices", "Prices: {api} API, {rent} rent, {purchase} purchase, {tariffs} tariffs, {rates} exchange rates (as of {today})",
            ("api", Fmt.I($"{book.Api.Count}")), ("rent", Fmt.I($"{book.Rent.Count}")), ("purchase", Fmt.I($"{book.Purchase.Count}")),
            ("tariffs", Fmt.I($"{book.Electricity.Count}")), ("rates", Fmt.I($"{book.ExchangeRates.Count}")), ("today", PriceBook.Iso(today))), json, tables, findings);
    }

    /// <summary>
    /// The entries that need refreshing: every price, tariff, rate or PUE older than a year on <paramref name="today"/>
    /// (<c>suanli catalog prices --stale</c>), oldest first. Older entries kept as history (superseded by a newer one,
    /// or kept for the record they belong to) are counted in a finding, not listed.
    /// </summary>
    public static Report Stale(PriceBook book, DateOnly today)
    {
        var stale = book.StaleEntries(today);
        var kept = book.KeptAsHistory(today);
        var entries = stale.Select(e => new StalePriceJson(e.Table, e.Name, D(e.Provenance), e.Provenance.AgeInDays(today), e.Provenance.Source)).ToList();
        var findings = new List<Finding>
        {
            stale.Count == 0
                ? Finding.Info("no-stale-prices", "No price entry is more than a year old on {today}.", ("today", PriceBook.Iso(today)))
                : stale.Count == 1
                    ? Finding.Warn("stale-price#catalog-one", "{count} entry is more than a year old on {today}; refresh them (source and date on each row).", ("count", Fmt.I($"{stale.Count}")), ("today", PriceBook.Iso(today)))
                    : Finding.Warn("stale-price#catalog", "{count} entries are more than a year old on {today}; refresh them (source and date on each row).", ("count", Fmt.I($"{stale.Count}")), ("today", PriceBook.Iso(today))),
        };
        if (kept.Count > 0)
        {
            findings.Add(Finding.Info("stale-price#kept", "{count} older entries are kept as history and not listed: each is superseded by a newer entry for the same thing, or kept for the record it belongs to (a seed case's article figure, a launch price); {prices} shows them all.",
                ("count", Fmt.I($"{kept.Count}")), ("prices", CommandRefs.CatalogPrices)));
        }
        var table = new ReportTable(Phrase.Of("table.stale-entries", "Entries more than a year old"),
            [
                new(Phrase.Of("col.table", "Table")), new(Phrase.Of("col.entry", "Entry")), new(Phrase.Of("col.date", "Date")),
                new(Phrase.Of("col.age-days", "Age (days)"), CellKind.Count), new(Phrase.Of("col.source", "Source")),
            ],
            [.. entries.Select(e => Row(T(e.Table), T(e.Name), T(e.Date), ReportCell.Count(e.AgeDays), T(e.Source)))]);
        return new Report(Phrase.Of("report.stale-prices", "Stale prices: {count} entries older than a year (as of {today})", ("count", Fmt.I($"{stale.Count}")), ("today", PriceBook.Iso(today))),
            new StalePricesJson(PriceBook.Iso(today), entries, FindingJson.Of(findings)), [table], findings);
    }

    /// <summary>Money as JSON: a decimal amount and a currency code.</summary>
    public sealed record MoneyJson(decimal Amount, string Currency);

    /// <summary>Converts money for JSON.</summary>
    public static MoneyJson Mj(Money m) => new(m.Amount, m.Currency.Code);

    /// <summary>Money for a table: all significant decimals for small prices, thousands separators for large.</summary>
    public static string M(Money m) => m.ToDisplayString();

    private static string D(Provenance p) => PriceBook.Iso(p.Date);

    private static string Kind(PurchaseKind k) => PurchaseChoice.Name(k);

    private static ReportCell[] Row(params ReportCell[] cells) => cells;

    private static ReportCell T(string text) => ReportCell.Text(text);
}
