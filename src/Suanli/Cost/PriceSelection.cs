using System.Globalization;
using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cost;

/// <summary>How one device type can be paid for, already in the scenario's currency.</summary>
/// <param name="Device">The device.</param>
/// <param name="Own">Ownership terms (device price, tariff, amortisation, maintenance), or null when it has no purchase price.</param>
/// <param name="Rent">The cheapest rent of the pinned term, or the cheapest on-demand rent when no term is pinned; null when it has none.</param>
public sealed record DevicePrices(Device Device, OwnershipTerms? Own, RentPrice? Rent)
{
    /// <summary>
    /// The cheapest rent of each reserved term (1 and 3 years) when no term is pinned, beside the on-demand
    /// <see cref="Rent"/>: <see cref="RentChoice.Cheapest"/> chooses among them per fleet. Empty when a term is pinned.
    /// </summary>
    public IReadOnlyList<RentPrice> Reserved { get; init; } = [];

    /// <summary>Every rent on offer: the on-demand (or pinned) row and the reserved rows.</summary>
    public IReadOnlyList<RentPrice> Rents => OnOffer(Rent, Reserved);

    /// <summary>The rents on offer for <see cref="RentChoice.Cheapest"/>: <paramref name="rent"/> (on-demand or pinned) when there is one, then <paramref name="reserved"/>.</summary>
    /// <param name="rent">The on-demand or pinned rent per device-hour, or null.</param>
    /// <param name="reserved">The cheapest rent of each reserved term.</param>
    public static IReadOnlyList<RentPrice> OnOffer(RentPrice? rent, IReadOnlyList<RentPrice> reserved) => rent is { } r ? [r, .. reserved] : reserved;
}

/// <summary>The prices an optimization uses, in the scenario's currency, with the findings that say where they came from.</summary>
/// <param name="Devices">Prices per device id.</param>
/// <param name="Converter">The converter (its <see cref="CurrencyConverter.Used"/> rates are reported).</param>
/// <param name="Findings">Prices used, article claims, stale entries and exchange rates.</param>
public sealed record SelectedPrices(IReadOnlyDictionary<string, DevicePrices> Devices, CurrencyConverter Converter, IReadOnlyList<Finding> Findings);

/// <summary>
/// Resolves device prices for <c>suanli optimize</c> from a price book (docs/methodology-cost.md, "Optimizing a
/// scenario"): the newest purchase price (owning) and the cheapest on-demand rent (renting), both converted into the
/// scenario's currency through the book's dated exchange rates; the tariff, amortisation and maintenance defaults
/// of <c>suanli compare</c>.
/// </summary>
public static class PriceSelection
{
    /// <summary>Resolves prices for the devices.</summary>
    /// <param name="devices">Candidate devices.</param>
    /// <param name="book">Price book.</param>
    /// <param name="currency">Scenario currency.</param>
    /// <param name="tariff">Region name or "0.65 CNY/kWh"; null for the currency's region (<see cref="ElectricityDefaults.TariffRegion"/>).</param>
    /// <param name="today">Date prices are judged stale against.</param>
    /// <param name="term">Rent term pinned (on-demand by default; 1- or 3-year reserved terms where the catalog has them); null: the cheapest on-demand and reserved rows, for <see cref="RentChoice.Cheapest"/> to choose among per fleet.</param>
    /// <param name="purchaseKind">Null: the newest-dated purchase price; else the newest of that kind (e.g. an article's claim).</param>
    /// <param name="tariffField">The field the tariff was given in (the scenario's root <c>tariff</c> for a plan); <c>candidates.tariff</c> when empty.</param>
    /// <param name="tariffAt">Where the tariff was written (file and line), named by the warning that asks for another; null when it came from no file.</param>
    public static SelectedPrices Resolve(IEnumerable<Device> devices, PriceBook book, Currency currency, string? tariff, DateOnly today,
        RentTerm? term = RentTerm.OnDemand, PurchaseKind? purchaseKind = null, FieldRef tariffField = default, SourceLocation? tariffAt = null)
    {
        var field = tariffField.IsEmpty ? new FieldRef(null, "candidates.tariff") : tariffField;
        var converter = book.ConverterTo(currency);
        var findings = new List<Finding>();
        var used = new List<(Phrase Name, Provenance P)>();
        var tariffText = tariff ?? ElectricityDefaults.TariffRegion(currency);
        var tariffMoney = Tariff(book, tariffText, field, used);
        var years = book.AmortisationNamed("server-lifetime-default")?.Years ?? 5;
        var maintenance = book.AmortisationNamed("maintenance-share")?.FractionPerYear ?? 0;
        Money? converted = TryConvert(converter, tariffMoney);
        var result = new Dictionary<string, DevicePrices>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in devices.DistinctBy(d => d.Id))
        {
            OwnershipTerms? own = null;
            if (FirstPurchase(book, d.Id, converter, purchaseKind) is { } first && converted is { } tariffInCurrency)
            {
                var (buy, price) = first;
                used.Add((StalePrices.PurchaseName(d.Id), buy.Provenance));
                own = new OwnershipTerms
                {
                    DevicePrice = price,
                    TariffPerKilowattHour = tariffInCurrency,
                    AmortisationYears = years,
                    MaintenanceFractionPerYear = maintenance,
                };
                findings.Add(Finding.Info("purchase-used",
                    "{device} bought at {price} per device ({kind}, {source}, {date}); capex counts devices only, amortised over {years} years, maintenance {maintenance} of capex a year.",
                    ("device", d.Id), ("price", Show(price)), ("kind", RenderKind(buy.Kind)), ("source", buy.Provenance.Source), ("date", PriceBook.Iso(buy.Provenance.Date)),
                    ("years", N(years)), ("maintenance", N(maintenance * 100) + "%")));
                if (buy.Kind == PurchaseKind.ArticleClaim)
                {
                    findings.Add(Finding.Warn("article-claim-price", "The {device} price {price} is an unverified article claim ({source}).", ("device", d.Id), ("price", Show(buy.Price)), ("source", buy.Provenance.Source)));
                }
            }
            if (own is null && NoPurchaseOfKind(book, d, purchaseKind) is { } noKind)
            {
                findings.Add(noKind);
            }
            var rent = CheapestRent(book, d.Id, converter, term ?? RentTerm.OnDemand);
            if (rent is not null)
            {
                used.Add((StalePrices.RentName(rent.Provider, d.Id, RentTerm.OnDemand), rent.Provenance));
                findings.Add(rent.BillsEveryHour
                    ? Finding.Info("rent-used#committed", "{device} rented {term} at {price} per device-hour ({provider}, {date}), billed for every hour of the month for the peak fleet (a commitment).", RentArgs(d, rent))
                    : Finding.Info("rent-used", "{device} rented {term} at {price} per device-hour ({provider}, {date}), billed for the device-hours the autoscaled fleet serves.", RentArgs(d, rent)));
            }
            else if (term is { } pinned && pinned != RentTerm.OnDemand && book.RentsFor(d.Id).Count > 0)
            {
                findings.Add(Finding.Warn("no-rent-for-term", "{device} has rent in the catalog but none for the {term} term, so renting it is left out; choose another term or give one with {prices}.", ("device", d.Id), ("term", RentTerms.Typed(pinned)), ("prices", FieldNames.Prices)));
            }
            List<RentPrice> reserved = [];
            foreach (var offered in term is null ? RentChoice.TermsChosenAmong.Where(t => t != RentTerm.OnDemand) : [])
            {
                if (CheapestRent(book, d.Id, converter, offered) is { } r)
                {
                    reserved.Add(r);
                    used.Add((StalePrices.RentName(r.Provider, d.Id, offered), r.Provenance));
                    // A committed rate at or above on demand never costs less (it bills every hour): say so, not that busy devices may be reserved.
                    findings.Add(rent is not null && r.PerDeviceHour.Currency == rent.PerDeviceHour.Currency && r.PerDeviceHour.Amount >= rent.PerDeviceHour.Amount
                        ? Finding.Info("rent-offered#never", "{device} can also be rented {term} at {price} per device-hour ({provider}, {date}), at or above the on-demand {onDemand}, so no device is reserved at it.", [.. RentArgs(d, r), ("onDemand", Show(rent.PerDeviceHour))])
                        : Finding.Info("rent-offered#committed", "{device} can also be rented {term} at {price} per device-hour ({provider}, {date}); the plan reserves the devices busy long enough for that to cost less than on demand.", RentArgs(d, r)));
                }
            }
            result[d.Id] = new DevicePrices(d, own, rent) { Reserved = reserved };
        }
        if (converted is null)
        {
            // The scenario file's key (a plan's root tariff, an optimize file's candidates.tariff), at its line when the file
            // has one: a finding is rendered with the command line's field names, where the logical field reads --tariff.
            findings.Add(Finding.Warn("no-tariff-rate", "The tariff {tariff}/kWh cannot be converted into {currency} with the catalog's exchange rates, so owning is left out; give {key}{at} in {currency}.",
                ("tariff", Show(tariffMoney)), ("currency", currency), ("key", field.Name is { } n ? FieldNames.Scenario(null)(n) : field.Spelling), ("at", At(tariffAt))));
        }
        else
        {
            findings.Add(Finding.Info("tariff-used", "Electricity at {tariff}/kWh ({region}); PUE from the scenario's rack.", ("tariff", Show(converted.Value)), ("region", tariffText)));
        }
        findings.AddRange(StalePrices.Of(used, today, advise: true));
        return new SelectedPrices(result, converter, findings);
    }

    /// <summary>
    /// A tariff as every command reads one: a price per kWh ('0.65 CNY/kWh') or a catalog region, whose entry is added
    /// to <paramref name="used"/> so that a stale one is flagged.
    /// </summary>
    public static Money Tariff(PriceBook book, string text, FieldRef field, ICollection<(Phrase Name, Provenance P)> used)
    {
        if (text.Contains("/kWh", StringComparison.Ordinal))
        {
            return QuantityText.ParseTariff(text, field);
        }
        var t = book.Tariff(text, field);
        used.Add((StalePrices.TariffName(t.Region), t.Provenance));
        return t.PerKilowattHour;
    }

    /// <summary>The finding that names an exchange rate used, with its date and source.</summary>
    public static Finding ExchangeRateUsed(ExchangeRate r) =>
        Finding.Info("exchange-rate", "Converted with 1 {from} = {rate} {to}, dated {date} ({source}).",
            ("from", r.From), ("rate", r.Rate.ToString(CultureInfo.InvariantCulture)), ("to", r.To), ("date", PriceBook.Iso(r.Date)), ("source", r.SourceText));

    /// <summary>Findings for the exchange rates a converter used, stale ones flagged.</summary>
    public static IReadOnlyList<Finding> RateFindings(CurrencyConverter converter, PriceBook book, DateOnly today)
    {
        var findings = new List<Finding>();
        foreach (var r in converter.Used)
        {
            var p = book.ProvenanceOf(r);
            findings.Add(ExchangeRateUsed(r));
            if (StalePrices.Rate(r, p, today) is { } stale)
            {
                findings.Add(stale);
            }
        }
        return findings;
    }

    /// <summary>
    /// The warning for a device whose catalog purchase prices are all of other kinds than the pinned one
    /// (<c>--purchase list-price</c> for a device with street estimates only); null when no kind is pinned or none is priced.
    /// </summary>
    public static Finding? NoPurchaseOfKind(PriceBook book, Device device, PurchaseKind? kind)
    {
        var kinds = book.PurchasesFor(device.Id).Select(p => p.Kind).Distinct().ToList();
        return kind is not { } pinned || kinds.Count == 0 || kinds.Contains(pinned) ? null
            : Finding.Warn("no-purchase-of-kind", "{device} has purchase prices in the catalog ({kinds}) but no {kind}, so owning it is left out; choose {purchase} newest or one of those kinds.",
                ("device", device.Id), ("kinds", PhraseList.Words(kinds.Select(PurchaseChoice.Name))), ("kind", PurchaseChoice.Name(pinned)), ("purchase", FieldNames.Purchase));
    }

    // The kind of a purchase price, in the reader's language.
    private static Phrase RenderKind(PurchaseKind k) => k switch
    {
        PurchaseKind.ArticleClaim => Phrase.Of("purchase-kind#article-claim", "article claim"),
        PurchaseKind.ListPrice => Phrase.Of("purchase-kind#list-price", "list price"),
        _ => Phrase.Of("purchase-kind#street-estimate", "street estimate"),
    };

    private static (string, object)[] RentArgs(Device d, RentPrice rent) =>
        [("device", d.Id), ("term", RentTerms.Label(rent.Term)), ("price", Show(rent.PerDeviceHour)), ("provider", rent.Provider), ("date", PriceBook.Iso(rent.Provenance.Date))];

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static Money? TryConvert(CurrencyConverter c, Money m)
    {
        try
        {
            return c.Convert(m);
        }
        catch (InputException)
        {
            return null;
        }
    }

    /// <summary>The cheapest rent of a term (on-demand by default) for a device, converted into the converter's currency (null when none converts).</summary>
    public static RentPrice? CheapestRent(PriceBook book, string deviceId, CurrencyConverter converter, RentTerm term = RentTerm.OnDemand) =>
        book.RentsFor(deviceId, term)
            .Select(r => (Rent: r, Price: TryConvert(converter, r.PerDeviceHour)))
            .Where(r => r.Price is not null)
            .OrderBy(r => r.Price!.Value.Amount)
            .Select(r => r.Rent with { PerDeviceHour = r.Price!.Value })
            .FirstOrDefault();

    /// <summary>
    /// The device's newest-dated catalog purchase price (of <paramref name="kind"/> when given) that converts into the
    /// converter's currency, with its entry.
    /// </summary>
    public static (PurchasePrice Entry, Money Price)? FirstPurchase(PriceBook book, string deviceId, CurrencyConverter converter, PurchaseKind? kind = null) =>
        book.PurchasesFor(deviceId)
            .Where(b => kind is null || b.Kind == kind)
            .Select(b => (Entry: b, Price: TryConvert(converter, b.Price)))
            .Where(b => b.Price is not null)
            .Select(b => ((PurchasePrice, Money)?)(b.Entry, b.Price!.Value))
            .FirstOrDefault();

    private static string Show(Money m) => m.ToDisplayString();

    // " (file.yaml:12)" after a key the file has; nothing when the value came from no file or the file lacks the key.
    private static object At(SourceLocation? at) => at is { Line: > 0 } a ? Phrase.Of("key-at", " ({location})", ("location", a.ToString())) : "";
}
