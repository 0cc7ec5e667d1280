using System.Globalization;
using Suanli.Catalog;
using Suanli.Text;
using Suanli.Cost;
using Suanli.Quantities;

namespace Suanli.Files;

/// <summary>
/// Loads the price catalog (catalog/prices/*.yaml, embedded) and user price files in the same format: api:, rent:,
/// purchase:, exchange_rates:, electricity:, pue:, amortisation:. Every entry needs a source and a date; money is
/// "&lt;decimal&gt; &lt;CUR&gt;" in a known currency and never negative; errors name the file, line and key.
/// </summary>
public static class PriceFiles
{
    private static readonly Lazy<PriceBook> EmbeddedBook = new(LoadEmbedded);

    /// <summary>The embedded price catalog, loaded once per process.</summary>
    public static PriceBook Embedded => EmbeddedBook.Value;

    /// <summary>
    /// The embedded prices plus user files (a YAML file, or a folder of them). With <paramref name="today"/> (the clock's
    /// day), a row dated after it is refused at its line: a price is dated the day it was published or read.
    /// </summary>
    public static PriceBook WithUserFiles(IEnumerable<string> paths, SuanliCatalog? catalog = null, DateOnly? today = null)
    {
        var book = Embedded;
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.GetFiles(path, "*.yaml").Concat(Directory.GetFiles(path, "*.yml")).Order(StringComparer.Ordinal).ToArray()
                : File.Exists(path) ? [path] : throw new InputException(FieldNames.Prices, Phrase.Of("price-path-missing", "Price file or folder '{path}' does not exist.", ("path", path)));
            foreach (var file in files)
            {
                book = book.With(Read(InputFiles.ReadText(file, FieldNames.Prices), file, catalog, today));
            }
        }
        return book;
    }

    /// <summary>
    /// Reads one price file's text; <paramref name="catalog"/>, when given, checks hardware ids in rent rows, and
    /// <paramref name="today"/>, when given, refuses a row dated after it.
    /// </summary>
    public static PriceBook Read(string text, string file, SuanliCatalog? catalog = null, DateOnly? today = null)
    {
        var root = YamlMap.Parse(text, file);
        if (today is { } day)
        {
            RefuseFutureDates(root, day);
        }
        return Read(root, catalog);
    }

    /// <summary>The tables of a price file, each a list of dated rows.</summary>
    private static readonly string[] Tables = ["api", "rent", "purchase", "exchange_rates", "electricity", "pue", "amortisation"];

    /// <summary>
    /// A row dated after <paramref name="today"/> is an error at its date: the day is when a price was published or read,
    /// so a later one is a typo (2027 for 2026) and would also hide the row from the stale check for years.
    /// </summary>
    private static void RefuseFutureDates(YamlMap root, DateOnly today)
    {
        foreach (var m in Tables.SelectMany(root.Maps))
        {
            if (m.OptDate("date") is { } date && date > today)
            {
                throw m.Error("date", Phrase.Of("price-dated-in-future", "'{field}' is {date}, after today ({today}); a price is dated the day it was published or read. Check the year, or write the day you read it.",
                    ("field", m.Named("date")), ("date", PriceBook.Iso(date)), ("today", PriceBook.Iso(today))));
            }
        }
    }

    private static PriceBook Read(YamlMap root, SuanliCatalog? catalog)
    {
        var apiRows = root.Maps("api").Select(m => (Map: m, Price: ReadApi(m))).ToList();
        CheckSupersededBy(apiRows);
        var api = apiRows.Select(r => r.Price).ToList();
        var rent = root.Maps("rent").Select(m => ReadRent(m, catalog)).ToList();
        var purchase = root.Maps("purchase").Select(ReadPurchase).ToList();
        var rates = root.Maps("exchange_rates").Select(ReadRate).ToList();
        var electricity = root.Maps("electricity").Select(ReadTariff).ToList();
        var pue = root.Maps("pue").Select(ReadPue).ToList();
        var amortisation = root.Maps("amortisation").Select(ReadAmortisation).ToList();
        root.Done();
        return new PriceBook(api, rent, purchase, electricity, pue, amortisation, rates);
    }

    private static PriceBook LoadEmbedded()
    {
        var book = PriceBook.Empty;
        foreach (var path in CatalogFiles.EmbeddedPaths("prices/").Where(p => p.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            book = book.With(Read(YamlMap.ParseEmbedded(CatalogFiles.ReadEmbedded(path), "catalog/" + path), CatalogFiles.Embedded));
        }
        return book;
    }

    private static ApiPrice ReadApi(YamlMap m)
    {
        var input = Money(m, "input_per_mtok");
        var output = Money(m, "output_per_mtok");
        var cached = m.Has("cached_input_per_mtok") ? Money(m, "cached_input_per_mtok") : (Money?)null;
        m.Allow("cached_input_per_mtok");
        var provenance = Provenance(m);
        if (m.OptStr("superseded_by") is { } newer)
        {
            if (provenance.KeptFor is not null)
            {
                throw m.Error("superseded_by", Phrase.Of("price-superseded-and-kept", "Give either 'superseded_by' (the newer entry) or 'kept_for' (why an old entry stays), not both."));
            }
            provenance = provenance with { KeptFor = "superseded by " + newer.Trim() };
        }
        var price = new ApiPrice(m.Str("provider"), m.Str("model"), input, output, cached, m.OptStr("quality_model"), provenance);
        SameCurrency(m, "output_per_mtok", input, output);
        if (cached is { } c)
        {
            SameCurrency(m, "cached_input_per_mtok", input, c);
        }
        m.Done();
        return price;
    }

    /// <summary>
    /// Each API row's <c>superseded_by</c> must name another row of the same file ("provider/model") dated later, so a
    /// superseded price points at the price that replaced it.
    /// </summary>
    private static void CheckSupersededBy(IReadOnlyList<(YamlMap Map, ApiPrice Price)> rows)
    {
        foreach (var (m, price) in rows)
        {
            if (m.OptStr("superseded_by") is not { } newer)
            {
                continue;
            }
            var target = rows.Select(r => r.Price).FirstOrDefault(p => string.Equals(p.Name, newer.Trim(), StringComparison.OrdinalIgnoreCase));
            if (target is null)
            {
                var near = Nearest.Names(newer, rows.Select(r => r.Price.Name));
                throw m.Error("superseded_by", near.Count > 0
                    ? Phrase.Of("price-superseded-by-unknown#suggest", "'superseded_by: {newer}' names no API row in this file; did you mean {near}? Write the newer row's provider/model.",
                        ("newer", newer), ("near", PhraseList.Words(near)))
                    : Phrase.Of("price-superseded-by-unknown", "'superseded_by: {newer}' names no API row in this file. Write the newer row's provider/model.", ("newer", newer)));
            }
            if (target.Provenance.Date <= price.Provenance.Date)
            {
                throw m.Error("superseded_by", Phrase.Of("price-superseded-by-older", "'{target}' is dated {targetDate}, not later than this row's {date}; only a newer entry supersedes an older one.",
                    ("target", target.Name), ("targetDate", PriceBook.Iso(target.Provenance.Date)), ("date", PriceBook.Iso(price.Provenance.Date))));
            }
        }
    }

    private static RentPrice ReadRent(YamlMap m, SuanliCatalog? catalog)
    {
        var hardware = m.Str("hardware");
        if (catalog is not null && !catalog.TryDevice(hardware, out _))
        {
            var near = Nearest.Names(hardware, catalog.Devices.Select(d => d.Id));
            throw m.Error("hardware", near.Count > 0
                ? Phrase.Of("rent-hardware-unknown#suggest", "Unknown hardware '{hardware}' in a rent row; did you mean {near}? Rent rows use hardware catalog ids.",
                    ("hardware", hardware), ("near", PhraseList.Words(near)))
                : Phrase.Of("rent-hardware-unknown", "Unknown hardware '{hardware}' in a rent row. Rent rows use hardware catalog ids.", ("hardware", hardware)));
        }
        var id = catalog is not null ? catalog.Device(hardware).Id : hardware;
        RentTerm term;
        try
        {
            term = RentTerms.Parse(m.Str("term"), "term");
        }
        catch (InputException ex) when (ex.Text is { } phrase)
        {
            throw m.Error("term", phrase);
        }
        var instance = ReadInstanceRent(m);
        var rent = new RentPrice(m.Str("provider"), id, instance?.PerDeviceHour ?? Money(m, "per_device_hour"), term, Provenance(m), instance);
        m.Done();
        return rent;
    }

    /// <summary>
    /// A rent published per multi-device instance: <c>per_instance_hour</c> with <c>devices_per_instance</c>, in place of
    /// <c>per_device_hour</c>, so the row keeps the figure the source prints and the reader does the division. Null when the
    /// row gives <c>per_device_hour</c>; one of the two forms is required, not both.
    /// </summary>
    private static InstanceRent? ReadInstanceRent(YamlMap m)
    {
        if (!m.Has("per_instance_hour"))
        {
            if (m.Has("devices_per_instance"))
            {
                throw m.Error("devices_per_instance", Phrase.Of("rent-devices-without-instance-price",
                    "'{field}' counts the devices of an instance priced with 'per_instance_hour'; give that price, or drop '{field}' and keep 'per_device_hour'.",
                    ("field", m.Named("devices_per_instance"))));
            }
            return null;
        }
        if (m.Has("per_device_hour"))
        {
            throw m.Error("per_device_hour", Phrase.Of("rent-two-price-forms",
                "A rent row gives either '{device}' or '{instance}' with 'devices_per_instance', not both; keep the figure the source published.",
                ("device", m.Named("per_device_hour")), ("instance", m.Named("per_instance_hour"))));
        }
        var devices = m.OptInt("devices_per_instance") ?? throw m.Error("per_instance_hour", Phrase.Of("rent-instance-needs-devices",
            "'{field}' prices a whole instance; add 'devices_per_instance' (how many devices it buys, e.g. 8) so the price per device can be derived.",
            ("field", m.Named("per_instance_hour"))));
        if (devices < 1)
        {
            throw m.Error("devices_per_instance", Phrase.Of("rent-devices-positive",
                "'{field}' must be a whole number of devices, 1 or more, got {count}.", ("field", m.Named("devices_per_instance")), ("count", Fmt.I($"{devices}"))));
        }
        return new InstanceRent(Money(m, "per_instance_hour"), devices);
    }

    private static PurchasePrice ReadPurchase(YamlMap m)
    {
        var kindText = m.Str("kind");
        var kind = kindText switch
        {
            "list-price" => PurchaseKind.ListPrice,
            "street-estimate" => PurchaseKind.StreetEstimate,
            "article-claim" => PurchaseKind.ArticleClaim,
            _ => throw m.Error("kind", Phrase.Of("purchase-kind-unknown", "Unknown kind '{kind}'; use list-price, street-estimate or article-claim.", ("kind", kindText))),
        };
        var p = new PurchasePrice(m.Str("item"), Money(m, "price"), kind, Provenance(m));
        m.Done();
        return p;
    }

    private static (ExchangeRate, Provenance) ReadRate(YamlMap m)
    {
        var from = Currency(m, "from");
        var to = Currency(m, "to");
        var rate = m.OptDecimal("rate") ?? throw m.Error("rate", Phrase.Of("yaml#missing-key", "Missing required key '{key}'.", ("key", "rate")));
        if (rate <= 0)
        {
            throw m.Error("rate", Phrase.Of("exchange-rate-not-positive", "An exchange rate must be greater than zero, got {rate}.", ("rate", Fmt.Number(rate))));
        }
        if (from == to)
        {
            throw m.Error("to", Phrase.Of("exchange-rate-same-currency", "An exchange rate needs two different currencies, got {from} to {to}.", ("from", from), ("to", to)));
        }
        var p = Provenance(m);
        m.Done();
        return (new ExchangeRate(from, to, rate, p.Date, p.Source), p);
    }

    private static ElectricityTariff ReadTariff(YamlMap m)
    {
        Money tariff;
        try
        {
            tariff = QuantityText.ParseTariff(m.Str("tariff"), "tariff");
        }
        catch (InputException ex) when (ex.Text is { } phrase)
        {
            throw m.Error("tariff", phrase);
        }
        var t = new ElectricityTariff(m.Str("region"), tariff, Provenance(m));
        m.Done();
        return t;
    }

    private static PueFigure ReadPue(YamlMap m)
    {
        var value = m.Num("value");
        if (value < 1 || value > 3)
        {
            throw m.Error("value", Phrase.Of("price-pue-range", "A PUE is facility power over IT power, from 1.0 to 3.0; got {value}.", ("value", Fmt.Number(value))));
        }
        var p = new PueFigure(m.Str("name"), value, Provenance(m));
        m.Done();
        return p;
    }

    private static AmortisationFigure ReadAmortisation(YamlMap m)
    {
        var years = m.OptNum("years");
        var share = m.OptNum("fraction_per_year");
        if (years is null && share is null)
        {
            throw m.Error("years", Phrase.Of("amortisation-needs-years", "An amortisation row needs 'years' (a lifetime) or 'fraction_per_year' (a yearly share of the price)."));
        }
        if (years is { } y && (y <= 0 || y > 30))
        {
            throw m.Error("years", Phrase.Of("amortisation-years-range", "A lifetime must be more than 0 and at most 30 years, got {years}.", ("years", Fmt.Number(y))));
        }
        if (share is { } s && (s < 0 || s > 1))
        {
            throw m.Error("fraction_per_year", Phrase.Of("amortisation-share-range", "A yearly share must be from 0 to 1, got {share}.", ("share", Fmt.Number(s))));
        }
        var a = new AmortisationFigure(m.Str("name"), years, share, Provenance(m));
        m.Done();
        return a;
    }

    private static Provenance Provenance(YamlMap m)
    {
        var source = m.OptStr("source") ?? throw m.Error("source", Phrase.Of("price-source-missing", "Every price needs a 'source': where it was published."));
        var date = m.OptDate("date") ?? throw m.Error("date", Phrase.Of("price-date-missing", "Every price needs a 'date' (yyyy-mm-dd): when it was published or read."));
        return new Provenance(source, date, m.OptStr("notes") ?? "", m.OptStr("kept_for") is { } why ? "kept for " + why.Trim() : null);
    }

    private static Money Money(YamlMap m, string key)
    {
        try
        {
            return QuantityText.ParseMoney(m.Str(key), key);
        }
        catch (InputException ex) when (ex.Location is null && ex.Text is { } phrase)
        {
            throw m.Error(key, phrase);
        }
    }

    private static Currency Currency(YamlMap m, string key)
    {
        try
        {
            return Quantities.Currency.Parse(m.Str(key), key);
        }
        catch (InputException ex) when (ex.Location is null && ex.Text is { } phrase)
        {
            throw m.Error(key, phrase);
        }
    }

    private static void SameCurrency(YamlMap m, string key, Money a, Money b)
    {
        if (a.Currency != b.Currency)
        {
            throw m.Error(key, Phrase.Of("price-row-currency-mismatch", "'{key}' is in {currency} but the input price is in {inputCurrency}; keep one currency per row.",
                ("key", key), ("currency", b.Currency), ("inputCurrency", a.Currency)));
        }
    }
}
