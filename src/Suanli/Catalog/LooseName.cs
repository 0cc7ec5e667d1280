namespace Suanli.Catalog;

/// <summary>
/// The second chance of a catalog look-up: names as users type them ("RTX 4090", "Kimi K2", "昇腾 910C",
/// "NVIDIA H100") compared without case, spaces, hyphens or underscores. A loose form shared by two entries resolves
/// to neither, so the user gets the nearest-name suggestions instead of a guess.
/// </summary>
public static class LooseName
{
    /// <summary>The loose form of a name: lower case, with whitespace, '-' and '_' removed ('.', ':' and '/' kept).</summary>
    public static string Key(string name) =>
        string.Concat(name.Trim().ToLowerInvariant().Where(c => !char.IsWhiteSpace(c) && c != '-' && c != '_'));

    /// <summary>Fills <paramref name="loose"/> from the exact names; a loose form of two entries maps to null (ambiguous).</summary>
    public static void Index<T>(Dictionary<string, T?> loose, IReadOnlyDictionary<string, T> exact)
        where T : class
    {
        foreach (var (name, entry) in exact)
        {
            var key = Key(name);
            if (key.Length == 0)
            {
                continue;
            }
            loose[key] = loose.TryGetValue(key, out var seen) && !ReferenceEquals(seen, entry) ? null : entry;
        }
    }

    /// <summary>
    /// Finds <paramref name="name"/> by its loose form, then with a leading vendor name (loose form, longest first)
    /// removed; false when no entry or more than one has that form.
    /// </summary>
    public static bool Find<T>(IReadOnlyDictionary<string, T?> loose, string name, IReadOnlyList<string> vendors, out T? entry)
        where T : class
    {
        var key = Key(name);
        if (loose.TryGetValue(key, out entry) && entry is not null)
        {
            return true;
        }
        foreach (var vendor in vendors)
        {
            if (key.Length > vendor.Length && key.StartsWith(vendor, StringComparison.Ordinal)
                && loose.TryGetValue(key[vendor.Length..], out entry) && entry is not null)
            {
                return true;
            }
        }
        entry = null;
        return false;
    }
}
