using System.Globalization;
using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cost;

/// <summary>Where and when a price was published; every price, tariff and rate in Suanli carries one.</summary>
/// <param name="Source">Public URL or document.</param>
/// <param name="Date">Date published (or read, for undated pages).</param>
/// <param name="Notes">Caveats from the catalog.</param>
/// <param name="KeptFor">
/// Why an entry is kept although it is not to be refreshed: the newer entry that supersedes it, or the record it
/// belongs to (an article's figure a seed case reproduces, a launch price). Null for entries that are current.
/// </param>
public sealed record Provenance(string Source, DateOnly Date, string Notes = "", string? KeptFor = null)
{
    /// <summary>True when older than a year on <paramref name="today"/> (reported as a finding, never silently used).</summary>
    public bool IsStale(DateOnly today) => Date.AddYears(1) < today;

    /// <summary>Whole days between the date and <paramref name="today"/>.</summary>
    public int AgeInDays(DateOnly today) => today.DayNumber - Date.DayNumber;
}

/// <summary>A hosted model's API price per million tokens.</summary>
/// <param name="Provider">Company selling the API.</param>
/// <param name="Model">The provider's model name.</param>
/// <param name="InputPerMillion">Price of one million input (prompt) tokens.</param>
/// <param name="OutputPerMillion">Price of one million output tokens (reasoning tokens bill as output).</param>
/// <param name="CachedInputPerMillion">Price of one million cache-hit input tokens, when published.</param>
/// <param name="QualityModel">Catalog model id the API serves (open models), or null.</param>
/// <param name="Provenance">Source and date.</param>
public sealed record ApiPrice(string Provider, string Model, Money InputPerMillion, Money OutputPerMillion, Money? CachedInputPerMillion, string? QualityModel, Provenance Provenance)
{
    /// <summary>"provider/model", the name the CLI accepts.</summary>
    public string Name => $"{Provider}/{Model}";

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>How a cloud rent is billed.</summary>
public enum RentTerm
{
    /// <summary>Billed per device-hour used; no commitment.</summary>
    OnDemand,
    /// <summary>Committed for one year: every hour of the year is billed.</summary>
    Reserved1Y,
    /// <summary>Committed for three years: every hour is billed.</summary>
    Reserved3Y,
    /// <summary>Interruptible capacity billed per hour used.</summary>
    Spot,
}

/// <summary>
/// A rent published for a whole multi-device instance (AWS p5en.48xlarge: eight H200 at 63.296 USD an hour): the figure
/// as the source prints it and the devices it buys. The per-device price is derived from it, never typed by hand.
/// </summary>
/// <param name="PerInstanceHour">Price of the whole instance for one hour, as published.</param>
/// <param name="Devices">Devices in the instance (1 or more).</param>
public sealed record InstanceRent(Money PerInstanceHour, int Devices)
{
    /// <summary>The price of one device for one hour: the instance price divided by its devices, exactly (decimal).</summary>
    public Money PerDeviceHour => PerInstanceHour / Devices;
}

/// <summary>Cloud rent for one device for one hour.</summary>
/// <param name="Provider">Cloud or GPU host.</param>
/// <param name="Hardware">Hardware catalog id.</param>
/// <param name="PerDeviceHour">Price of one device for one hour.</param>
/// <param name="Term">Billing term.</param>
/// <param name="Provenance">Source and date.</param>
/// <param name="Instance">
/// The published instance price the per-device price was derived from, when the source priced a multi-device instance
/// (null when it priced one device). It stays as published, in the source's currency, when a plan converts or scales
/// <see cref="PerDeviceHour"/>.
/// </param>
public sealed record RentPrice(string Provider, string Hardware, Money PerDeviceHour, RentTerm Term, Provenance Provenance, InstanceRent? Instance = null)
{
    /// <summary>True for committed terms, which bill every hour whether used or not.</summary>
    public bool BillsEveryHour => Term is RentTerm.Reserved1Y or RentTerm.Reserved3Y;

    /// <inheritdoc />
    public override string ToString() => $"{Provider} {Hardware} ({RentTerms.Name(Term)})";
}

/// <summary>Names of rent terms as the catalog writes them.</summary>
public static class RentTerms
{
    /// <summary>The catalog spelling: on-demand, reserved-1y, reserved-3y, spot.</summary>
    public static string Name(RentTerm t) => t switch
    {
        RentTerm.Reserved1Y => "reserved-1y",
        RentTerm.Reserved3Y => "reserved-3y",
        RentTerm.Spot => "spot",
        _ => "on-demand",
    };

    /// <summary>
    /// The term in the reader's language where it is read, not typed (an option's name, a formula): the catalog spelling in
    /// English, the words in Chinese (预留 1 年, as the page words it).
    /// </summary>
    public static Suanli.Text.Phrase Label(RentTerm t) => t switch
    {
        RentTerm.Reserved1Y => Suanli.Text.Phrase.Of("rent-term#reserved-1y", "reserved-1y"),
        RentTerm.Reserved3Y => Suanli.Text.Phrase.Of("rent-term#reserved-3y", "reserved-3y"),
        RentTerm.Spot => Suanli.Text.Phrase.Of("rent-term#spot", "spot"),
        _ => Suanli.Text.Phrase.Of("rent-term#on-demand", "on-demand"),
    };

    /// <summary>
    /// The term where a reader may type it back (a scenario's <c>rent_term</c>, the catalog's prices): the catalog spelling
    /// in English; in Chinese the words with the spelling to type, 预留 1 年（reserved-1y）.
    /// </summary>
    public static Suanli.Text.Phrase Typed(RentTerm t) => t switch
    {
        RentTerm.Reserved1Y => Suanli.Text.Phrase.Of("rent-term-typed#reserved-1y", "reserved-1y"),
        RentTerm.Reserved3Y => Suanli.Text.Phrase.Of("rent-term-typed#reserved-3y", "reserved-3y"),
        RentTerm.Spot => Suanli.Text.Phrase.Of("rent-term-typed#spot", "spot"),
        _ => Suanli.Text.Phrase.Of("rent-term-typed#on-demand", "on-demand"),
    };

    /// <summary>Parses the catalog spelling.</summary>
    public static RentTerm Parse(string text, string field = "term") => Parse(text, (Suanli.Text.FieldRef)field);

    /// <summary>Parses the catalog spelling; an unknown term is an error naming <paramref name="field"/> as each front end spells it.</summary>
    public static RentTerm Parse(string text, Suanli.Text.FieldRef field) => text.Trim().ToLowerInvariant() switch
    {
        "on-demand" => RentTerm.OnDemand,
        "reserved-1y" => RentTerm.Reserved1Y,
        "reserved-3y" => RentTerm.Reserved3Y,
        "spot" => RentTerm.Spot,
        _ => throw field.Error(Suanli.Text.Phrase.Of("rent-term-unknown", "Unknown rent term '{term}'; use on-demand, reserved-1y, reserved-3y or spot.", ("term", text))),
    };
}

/// <summary>How trustworthy a purchase price is.</summary>
public enum PurchaseKind
{
    /// <summary>A vendor's published price.</summary>
    ListPrice,
    /// <summary>A market or analyst estimate.</summary>
    StreetEstimate,
    /// <summary>A figure stated in an article, unverified.</summary>
    ArticleClaim,
}

/// <summary>Names of purchase-price choices as scenarios and the CLI write them.</summary>
public static class PurchaseChoice
{
    /// <summary>
    /// Parses <c>newest</c> (null: the newest-dated price, the default), <c>article-claim</c>, <c>street-estimate</c>
    /// or <c>list-price</c> (the newest price of that kind).
    /// </summary>
    public static PurchaseKind? Parse(string text, Suanli.Text.FieldRef field) => text.Trim().ToLowerInvariant() switch
    {
        "newest" => null,
        "article-claim" or "article" => PurchaseKind.ArticleClaim,
        "street-estimate" => PurchaseKind.StreetEstimate,
        "list-price" => PurchaseKind.ListPrice,
        _ => throw field.Error(Suanli.Text.Phrase.Of("purchase-choice-unknown", "Unknown purchase choice '{choice}'; use newest (the default), article-claim, street-estimate or list-price.", ("choice", text))),
    };

    /// <summary>The name <see cref="Parse"/> reads for <paramref name="kind"/>, as price files write it.</summary>
    public static string Name(PurchaseKind kind) => kind switch
    {
        PurchaseKind.ListPrice => "list-price",
        PurchaseKind.StreetEstimate => "street-estimate",
        _ => "article-claim",
    };
}

/// <summary>Purchase price of a device or a whole server.</summary>
/// <param name="Item">Hardware id or server id.</param>
/// <param name="Price">Price of one item.</param>
/// <param name="Kind">List price, estimate or claim.</param>
/// <param name="Provenance">Source and date.</param>
public sealed record PurchasePrice(string Item, Money Price, PurchaseKind Kind, Provenance Provenance);

/// <summary>An electricity tariff: money per kilowatt-hour.</summary>
/// <param name="Region">Region or label.</param>
/// <param name="PerKilowattHour">Price of one kWh.</param>
/// <param name="Provenance">Source and date.</param>
public sealed record ElectricityTariff(string Region, Money PerKilowattHour, Provenance Provenance);

/// <summary>A published power usage effectiveness (facility power / IT power).</summary>
/// <param name="Name">Label.</param>
/// <param name="Value">PUE, at least 1.</param>
/// <param name="Provenance">Source and date.</param>
public sealed record PueFigure(string Name, double Value, Provenance Provenance);

/// <summary>An amortisation or maintenance assumption with its source.</summary>
/// <param name="Name">Label, e.g. server-lifetime-default or maintenance-share.</param>
/// <param name="Years">Useful life in years, when this is a lifetime.</param>
/// <param name="FractionPerYear">Share of the purchase price per year, when this is a maintenance share.</param>
/// <param name="Provenance">Source and date.</param>
public sealed record AmortisationFigure(string Name, double? Years, double? FractionPerYear, Provenance Provenance);

/// <summary>
/// Every price Suanli knows: API prices, rent, purchase prices, tariffs, PUE, amortisation and exchange rates, each
/// with source and date. Immutable; lookups are case-insensitive; nothing converts currencies implicitly.
/// </summary>
public sealed class PriceBook
{
    /// <summary>Builds a price book.</summary>
    public PriceBook(IEnumerable<ApiPrice> api, IEnumerable<RentPrice> rent, IEnumerable<PurchasePrice> purchase,
        IEnumerable<ElectricityTariff> electricity, IEnumerable<PueFigure> pue, IEnumerable<AmortisationFigure> amortisation,
        IEnumerable<(ExchangeRate Rate, Provenance Provenance)> exchangeRates)
    {
        Api = [.. api];
        Rent = [.. rent];
        Purchase = [.. purchase];
        Electricity = [.. electricity];
        Pue = [.. pue];
        Amortisation = [.. amortisation];
        _rates = [.. exchangeRates];
        ExchangeRates = [.. _rates.Select(e => e.Rate)];
        // The book never changes, and plan searches ask for rents and stale findings once per candidate: both are
        // worked out once here rather than by pairwise scans on every call.
        _currentRent = [.. Rent.Where(r => SupersededBy(r) is null)];
        _entries = new(BuildEntries);
    }

    private readonly List<(ExchangeRate Rate, Provenance Provenance)> _rates;
    private readonly List<RentPrice> _currentRent;
    private readonly Lazy<List<(string Table, string Name, Provenance Provenance, string? KeptFor)>> _entries;

    /// <summary>An empty book (tests, or a user who supplies every price).</summary>
    public static PriceBook Empty { get; } = new([], [], [], [], [], [], []);

    /// <summary>Hosted-model API prices.</summary>
    public IReadOnlyList<ApiPrice> Api { get; }
    /// <summary>Cloud rent per device-hour.</summary>
    public IReadOnlyList<RentPrice> Rent { get; }
    /// <summary>Device and server purchase prices.</summary>
    public IReadOnlyList<PurchasePrice> Purchase { get; }
    /// <summary>Electricity tariffs.</summary>
    public IReadOnlyList<ElectricityTariff> Electricity { get; }
    /// <summary>PUE figures.</summary>
    public IReadOnlyList<PueFigure> Pue { get; }
    /// <summary>Lifetimes and maintenance shares.</summary>
    public IReadOnlyList<AmortisationFigure> Amortisation { get; }
    /// <summary>Dated exchange rates.</summary>
    public IReadOnlyList<ExchangeRate> ExchangeRates { get; }

    /// <summary>A book with more entries appended (user price files).</summary>
    public PriceBook With(PriceBook more) => new([.. Api, .. more.Api], [.. Rent, .. more.Rent], [.. Purchase, .. more.Purchase],
        [.. Electricity, .. more.Electricity], [.. Pue, .. more.Pue], [.. Amortisation, .. more.Amortisation],
        [.. AllRates(), .. more.AllRates()]);

    private List<(ExchangeRate Rate, Provenance Provenance)> AllRates() => _rates;

    /// <summary>
    /// The API price named "provider/model" or just "model" (case-insensitive); unknown names list the nearest. A
    /// provider/model priced again later keeps its older rows as history, so the name means its newest-dated row.
    /// </summary>
    public ApiPrice ApiPrice(string name, FieldRef field = default)
    {
        var key = name.Trim();
        var first = Api.FirstOrDefault(a => string.Equals(a.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? Api.FirstOrDefault(a => string.Equals(a.Model, key, StringComparison.OrdinalIgnoreCase));
        var hit = first is null ? null
            : Api.Where(a => string.Equals(a.Name, first.Name, StringComparison.OrdinalIgnoreCase)).MaxBy(a => a.Provenance.Date);
        return hit ?? throw UnknownNameException.For(field.Or(FieldNames.Api), "API price", name, Nearest.Names(name, Api.Select(a => a.Name)));
    }

    /// <summary>
    /// Current rents for a device, cheapest first within each currency: a provider's older row for the same device
    /// and term is superseded by its newest-dated one and left out (kept in <see cref="Rent"/> as history), so an old
    /// cheaper price never wins over the provider's current one.
    /// </summary>
    public IReadOnlyList<RentPrice> RentsFor(string hardwareId, RentTerm? term = null) =>
        [.. _currentRent.Where(r => string.Equals(r.Hardware, hardwareId, StringComparison.OrdinalIgnoreCase) && (term is null || r.Term == term))
            .OrderBy(r => r.PerDeviceHour.Currency.Code, StringComparer.Ordinal).ThenBy(r => r.PerDeviceHour.Amount)];

    /// <summary>The same provider's newer row for the same device and term, or null when the row is its newest.</summary>
    public RentPrice? SupersededBy(RentPrice r) =>
        Rent.Where(o => o.Provenance.Date > r.Provenance.Date && string.Equals(o.Provider, r.Provider, StringComparison.OrdinalIgnoreCase)
                && string.Equals(o.Hardware, r.Hardware, StringComparison.OrdinalIgnoreCase) && o.Term == r.Term)
            .OrderByDescending(o => o.Provenance.Date).FirstOrDefault();

    /// <summary>Purchase prices for an item, newest first.</summary>
    public IReadOnlyList<PurchasePrice> PurchasesFor(string item) =>
        [.. Purchase.Where(p => string.Equals(p.Item, item, StringComparison.OrdinalIgnoreCase)).OrderByDescending(p => p.Provenance.Date)];

    /// <summary>A tariff by region (case-insensitive): the region's newest-dated row (the first listed on a tie), so a refreshed
    /// figure replaces the older one, which stays in the file as history.</summary>
    public ElectricityTariff Tariff(string region, FieldRef field = default) =>
        Electricity.Where(e => string.Equals(e.Region, region.Trim(), StringComparison.OrdinalIgnoreCase)).OrderByDescending(e => e.Provenance.Date).FirstOrDefault()
        ?? throw UnknownNameException.For(field.Or(FieldNames.Tariff), "tariff region", region, Nearest.Names(region, Electricity.Select(e => e.Region)));

    /// <summary>A PUE figure by name: the newest-dated row of that name (the first listed on a tie).</summary>
    public PueFigure PueNamed(string name, FieldRef field = default) =>
        Pue.Where(e => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)).OrderByDescending(e => e.Provenance.Date).FirstOrDefault()
        ?? throw UnknownNameException.For(field.Or(FieldNames.Pue), "PUE figure", name, Nearest.Names(name, Pue.Select(e => e.Name)));

    /// <summary>An amortisation figure by name (its newest-dated row, the first listed on a tie), or null.</summary>
    public AmortisationFigure? AmortisationNamed(string name) =>
        Amortisation.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).OrderByDescending(e => e.Provenance.Date).FirstOrDefault();

    /// <summary>The source and date of a stored exchange rate.</summary>
    public Provenance ProvenanceOf(ExchangeRate rate) =>
        _rates.FirstOrDefault(e => ReferenceEquals(e.Rate, rate) || e.Rate == rate).Provenance ?? new Provenance(rate.Source, rate.Date);

    /// <summary>A converter into <paramref name="target"/> with this book's dated rates (<see cref="CurrencyConverter.Path"/>: the one rule every conversion follows).</summary>
    public CurrencyConverter ConverterTo(Currency target) => new(target, ExchangeRates);

    /// <summary>The newest stored rate between two currencies (either direction), or null.</summary>
    public ExchangeRate? NewestRate(Currency a, Currency b) =>
        ExchangeRates.Where(r => (r.From == a && r.To == b) || (r.From == b && r.To == a)).OrderByDescending(r => r.Date).FirstOrDefault();

    /// <summary>
    /// One finding per table with entries that need refreshing on <paramref name="today"/> (<see cref="StaleEntries"/>;
    /// grouped by table, so the list stays readable): the count, the oldest entry and its date.
    /// </summary>
    public IReadOnlyList<Finding> StaleFindings(DateOnly today)
    {
        var all = Entries();
        var findings = new List<Finding>();
        void Check(string table, Phrase words)
        {
            var needs = all.Where(e => e.Table == table && e.KeptFor is null).Select(e => (e.Name, e.Provenance));
            if (StalePrices.Table(words, needs, today) is { } finding)
            {
                findings.Add(finding);
            }
        }
        Check("api", Phrase.Of("table#api", "API price"));
        Check("rent", Phrase.Of("table#rent", "rent"));
        Check("purchase", Phrase.Of("table#purchase", "purchase price"));
        Check("electricity", Phrase.Of("table#tariff", "electricity tariff"));
        Check("exchange-rate", Phrase.Of("table#rate", "exchange rate"));
        Check("pue", Phrase.Of("table#pue", "PUE"));
        return findings;
    }

    /// <summary>
    /// The entries that need refreshing on <paramref name="today"/>, oldest first: older than a year (the stale rule of
    /// <see cref="Provenance.IsStale"/>) and not kept as history (<see cref="KeptAsHistory"/>). Each with its table
    /// (api, rent, purchase, electricity, exchange-rate, pue, amortisation), name and provenance.
    /// </summary>
    public IReadOnlyList<(string Table, string Name, Provenance Provenance)> StaleEntries(DateOnly today) =>
        [.. Entries().Where(e => e.Provenance.IsStale(today) && e.KeptFor is null).Select(e => (e.Table, e.Name, e.Provenance))];

    /// <summary>
    /// Entries older than a year on <paramref name="today"/> that are kept on purpose and need no refresh, oldest first,
    /// with the reason: superseded by a newer entry for the same thing (the same API name or <c>superseded_by</c>; the
    /// same provider, device and term; the same item and kind; the same currency pair, region or name), or kept for the
    /// record they belong to (<c>kept_for</c>).
    /// </summary>
    public IReadOnlyList<(string Table, string Name, Provenance Provenance, string KeptFor)> KeptAsHistory(DateOnly today) =>
        [.. Entries().Where(e => e.Provenance.IsStale(today) && e.KeptFor is not null).Select(e => (e.Table, e.Name, e.Provenance, e.KeptFor!))];

    private List<(string Table, string Name, Provenance Provenance, string? KeptFor)> Entries() => _entries.Value;

    private List<(string Table, string Name, Provenance Provenance, string? KeptFor)> BuildEntries()
    {
        var all = new List<(string Table, string Name, Provenance Provenance, string? Key)>();
        all.AddRange(Api.Select(a => ("api", a.Name, a.Provenance, (string?)a.Name)));
        all.AddRange(Rent.Select(r => ("rent", $"{r.Provider} {r.Hardware} ({RentTerms.Name(r.Term)})", r.Provenance, (string?)$"{r.Provider}|{r.Hardware}|{RentTerms.Name(r.Term)}")));
        all.AddRange(Purchase.Select(p => ("purchase", p.Item, p.Provenance, (string?)$"{p.Item}|{p.Kind}")));
        all.AddRange(Electricity.Select(e => ("electricity", e.Region, e.Provenance, (string?)e.Region)));
        all.AddRange(ExchangeRates.Select(r => ("exchange-rate", $"{r.From}->{r.To}", ProvenanceOf(r), (string?)$"{r.From}->{r.To}")));
        all.AddRange(Pue.Select(p => ("pue", p.Name, p.Provenance, (string?)p.Name)));
        all.AddRange(Amortisation.Select(a => ("amortisation", a.Name, a.Provenance, (string?)a.Name)));
        string? Newer((string Table, string Name, Provenance Provenance, string? Key) e)
        {
            var newest = all.Where(o => o.Table == e.Table && string.Equals(o.Key, e.Key, StringComparison.OrdinalIgnoreCase) && o.Provenance.Date > e.Provenance.Date)
                .OrderByDescending(o => o.Provenance.Date).Select(o => (DateOnly?)o.Provenance.Date).FirstOrDefault();
            return newest is { } d ? $"superseded by the entry dated {Iso(d)}" : null;
        }
        return [.. all.Select(e => (e.Table, e.Name, e.Provenance, e.Provenance.KeptFor ?? Newer(e)))
            .OrderBy(e => e.Provenance.Date).ThenBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>ISO date text.</summary>
    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
