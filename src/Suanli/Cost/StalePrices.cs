using System.Globalization;

namespace Suanli.Cost;

/// <summary>
/// The stale-price finding, in one place: a price entry is stale when it is dated more than a year before the day it
/// is judged on (<see cref="Provenance.IsStale"/>); each is reported as a <c>stale-price</c> warning with its date and age.
/// </summary>
public static class StalePrices
{
    /// <summary>The finding code.</summary>
    public const string Code = "stale-price";

    /// <summary>Advice appended to a finding where the caller wants the reader told what to do about one entry.</summary>
    public const string CheckAdvice = " Check current prices before relying on it.";

    /// <summary>
    /// One finding per stale entry used, first occurrence of each name only, in the order used: "NAME is dated DATE,
    /// N days before TODAY: more than a year old." followed by <paramref name="advice"/>.
    /// </summary>
    /// <param name="used">The entries used, each a name and its provenance.</param>
    /// <param name="today">The date they are judged on.</param>
    /// <param name="advice">Text appended to each sentence (empty, or <see cref="CheckAdvice"/>).</param>
    public static IEnumerable<Finding> Of(IEnumerable<(string Name, Provenance P)> used, DateOnly today, string advice = "") =>
        used.Where(u => u.P.IsStale(today)).DistinctBy(u => u.Name).Select(u => One(u.Name, u.P, today, advice));

    /// <summary>
    /// One table's stale entries as one finding (a price book's own check, so the list stays readable): the count, up
    /// to six names with their dates, and the oldest entry's age; null when none is stale.
    /// </summary>
    /// <param name="table">The table's name in words ("rent", "purchase price").</param>
    /// <param name="entries">The table's entries, each a name and its provenance.</param>
    /// <param name="today">The date they are judged on.</param>
    public static Finding? Table(string table, IEnumerable<(string Name, Provenance P)> entries, DateOnly today)
    {
        var stale = entries.Where(e => e.P.IsStale(today)).OrderBy(e => e.P.Date).ToList();
        if (stale.Count == 0)
        {
            return null;
        }
        var oldest = stale[0];
        var names = string.Join(", ", stale.Take(6).Select(s => $"{s.Name} ({PriceBook.Iso(s.P.Date)})"));
        var more = stale.Count > 6 ? $" and {stale.Count - 6} more" : "";
        return Finding.Warn(Code,
            $"{stale.Count} {table} entr{(stale.Count == 1 ? "y is" : "ies are")} more than a year old on {PriceBook.Iso(today)}: {names}{more}; the oldest is {oldest.P.AgeInDays(today).ToString(CultureInfo.InvariantCulture)} days old. Check current prices before relying on them.");
    }

    private static Finding One(string name, Provenance p, DateOnly today, string advice) =>
        Finding.Warn(Code, $"{name} is dated {PriceBook.Iso(p.Date)}, {p.AgeInDays(today).ToString("N0", CultureInfo.InvariantCulture)} days before {PriceBook.Iso(today)}: more than a year old.{advice}");
}
