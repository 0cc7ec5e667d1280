using System.Globalization;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Cost;

/// <summary>
/// The stale-price finding, in one place: a price entry is stale when it is dated more than a year before the day it
/// is judged on (<see cref="Provenance.IsStale"/>); each is reported as a <c>stale-price</c> warning with its date and age.
/// </summary>
public static class StalePrices
{
    /// <summary>The finding code.</summary>
    public const string Code = "stale-price";

    /// <summary>
    /// One finding per stale entry used, first occurrence of each name only, in the order used: "NAME is dated DATE,
    /// N days before TODAY: more than a year old.", followed by "Check current prices before relying on it." when
    /// <paramref name="advise"/>.
    /// </summary>
    /// <param name="used">The entries used, each a name and its provenance.</param>
    /// <param name="today">The date they are judged on.</param>
    /// <param name="advise">Whether each sentence tells the reader to check current prices.</param>
    public static IEnumerable<Finding> Of(IEnumerable<(Phrase Name, Provenance P)> used, DateOnly today, bool advise = false) =>
        used.Where(u => u.P.IsStale(today)).DistinctBy(u => u.Name.English).Select(u => advise ? Advised(u.Name, u.P, today) : Plain(u.Name, u.P, today));

    /// <summary>The finding for an exchange rate dated more than a year before <paramref name="today"/>; null when it is not.</summary>
    public static Finding? Rate(ExchangeRate r, Provenance p, DateOnly today) =>
        p.IsStale(today)
            ? Finding.Warn("stale-price#rate", "exchange rate {from}->{to} is dated {date}, {days} days before {today}: more than a year old.",
                ("from", r.From), ("to", r.To), ("date", PriceBook.Iso(r.Date)), ("days", p.AgeInDays(today).ToString("N0", CultureInfo.InvariantCulture)), ("today", PriceBook.Iso(today)))
            : null;

    /// <summary>
    /// One table's stale entries as one finding (a price book's own check, so the list stays readable): the count, up
    /// to six names with their dates, and the oldest entry's age; null when none is stale.
    /// </summary>
    /// <param name="table">The table's name in words ("rent", "purchase price").</param>
    /// <param name="entries">The table's entries, each a name and its provenance.</param>
    /// <param name="today">The date they are judged on.</param>
    public static Finding? Table(Phrase table, IEnumerable<(string Name, Provenance P)> entries, DateOnly today)
    {
        var stale = entries.Where(e => e.P.IsStale(today)).OrderBy(e => e.P.Date).ToList();
        if (stale.Count == 0)
        {
            return null;
        }
        var oldest = stale[0];
        var names = string.Join(", ", stale.Take(6).Select(s => $"{s.Name} ({PriceBook.Iso(s.P.Date)})"));
        var more = stale.Count > 6 ? Phrase.Of("and-more", " and {count} more", ("count", (stale.Count - 6).ToString(CultureInfo.InvariantCulture))) : Phrase.Of("nothing", "");
        var args = new (string, object)[]
        {
            ("count", stale.Count.ToString(CultureInfo.InvariantCulture)), ("table", table), ("today", PriceBook.Iso(today)), ("names", names), ("more", more),
            ("days", oldest.P.AgeInDays(today).ToString(CultureInfo.InvariantCulture)),
        };
        return stale.Count == 1
            ? Finding.Warn("stale-price#table-one", "{count} {table} entry is more than a year old on {today}: {names}{more}; the oldest is {days} days old. Check current prices before relying on them.", args)
            : Finding.Warn("stale-price#table", "{count} {table} entries are more than a year old on {today}: {names}{more}; the oldest is {days} days old. Check current prices before relying on them.", args);
    }

    /// <summary>A rent entry's name: provider, device and, for a reserved term, the term.</summary>
    public static Phrase RentName(string provider, string device, RentTerm term) => term == RentTerm.OnDemand
        ? Phrase.Of("price-entry#rent", "rent {provider} {device}", ("provider", provider), ("device", device))
        : Phrase.Of("price-entry#rent-term", "rent {provider} {device} {term}", ("provider", provider), ("device", device), ("term", RentTerms.Label(term)));

    /// <summary>A purchase-price entry's name.</summary>
    public static Phrase PurchaseName(string device) => Phrase.Of("price-entry#purchase", "purchase {device}", ("device", device));

    /// <summary>An electricity tariff entry's name.</summary>
    public static Phrase TariffName(string region) => Phrase.Of("price-entry#tariff", "tariff {region}", ("region", region));

    /// <summary>A PUE entry's name.</summary>
    public static Phrase PueName(string name) => Phrase.Of("price-entry#pue", "PUE {name}", ("name", name));

    /// <summary>An entry named by its catalog name alone (an API price).</summary>
    public static Phrase EntryName(string name) => Phrase.Of("price-entry", "{name}", ("name", name));

    private static Finding Advised(Phrase name, Provenance p, DateOnly today) =>
        Finding.Warn("stale-price", "{name} is dated {date}, {days} days before {today}: more than a year old. Check current prices before relying on it.",
            ("name", name), ("date", PriceBook.Iso(p.Date)), ("days", p.AgeInDays(today).ToString("N0", CultureInfo.InvariantCulture)), ("today", PriceBook.Iso(today)));

    private static Finding Plain(Phrase name, Provenance p, DateOnly today) =>
        Finding.Warn("stale-price#compare", "{name} is dated {date}, {days} days before {today}: more than a year old.",
            ("name", name), ("date", PriceBook.Iso(p.Date)), ("days", p.AgeInDays(today).ToString("N0", CultureInfo.InvariantCulture)), ("today", PriceBook.Iso(today)));
}
