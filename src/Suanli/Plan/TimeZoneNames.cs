using Suanli.Text;

namespace Suanli.Plan;

/// <summary>The IANA time zone names a scenario and its applications read their hours in.</summary>
public static class TimeZoneNames
{
    /// <summary>
    /// Checks an IANA time zone name (Asia/Shanghai, Europe/Berlin, UTC) against the system's time zone database,
    /// suggesting the nearest names when it is unknown. Where the system has no database, the name is taken as given.
    /// </summary>
    /// <param name="name">The name as given.</param>
    /// <param name="field">The field that holds it, as the reader names it.</param>
    /// <param name="named">True to name <paramref name="field"/> in the message (a key below the top of a scenario, such as <c>applications[0].time_zone</c>).</param>
    public static string Check(string name, string field, bool named = false)
    {
        var examples = Phrase.Of("time-zone-examples", "Use an IANA name such as Asia/Shanghai, Europe/Berlin, America/New_York or UTC.");
        var id = name.Trim();
        object where = named ? Phrase.Of("time-zone-in", " in {field}", ("field", field)) : "";
        if (id.Length is 0 or > 64 || id.Contains("..", StringComparison.Ordinal) || id.StartsWith('/')
            || id.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '/' or '_' or '-' or '+')))
        {
            throw new InputException(field, Phrase.Of("time-zone-not-a-name", "'{name}'{where} is not a time zone name. {examples}", ("name", InputQuote.Clip(id)), ("where", where), ("examples", examples)));
        }
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))
        {
            return id;
        }
        var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).ToList();
        if (known.Count <= 1)
        {
            return id;
        }
        var near = Catalog.Nearest.Names(id, known, 3);
        object hint = near.Count > 0 ? Phrase.Of("time-zone-did-you-mean", " Did you mean {names}?", ("names", PhraseList.Words(near.Select(n => "'" + n + "'")))) : "";
        throw new InputException(field, Phrase.Of("time-zone-unknown", "Unknown time zone '{name}'{where}.{hint} {examples}", ("name", InputQuote.Clip(id)), ("where", where), ("hint", hint), ("examples", examples)));
    }
}
