using Suanli.Text;
namespace Suanli.Catalog;

/// <summary>
/// The devices, servers and models Suanli knows, with name resolution by id or alias (case-insensitive) and
/// nearest-name suggestions for typos.
/// </summary>
public sealed class SuanliCatalog
{
    private readonly Dictionary<string, Device> _devices = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Server> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ModelEntry> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Device?> _looseDevices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelEntry?> _looseModels = new(StringComparer.Ordinal);
    private readonly string[] _vendors;

    /// <summary>Builds a catalog; duplicate names across entries are an <see cref="InputException"/>.</summary>
    public SuanliCatalog(IEnumerable<Device> devices, IEnumerable<Server> servers, IEnumerable<ModelEntry> models)
    {
        Devices = [.. devices];
        Servers = [.. servers];
        Models = [.. models];
        foreach (var d in Devices)
        {
            AddNames(_devices, d, [d.Id, .. d.Aliases], "device");
        }
        foreach (var s in Servers)
        {
            AddNames(_servers, s, [s.Id, .. s.Aliases], "server");
        }
        foreach (var m in Models)
        {
            AddNames(_models, m, [m.Id, .. (m.HfRepo is null ? Array.Empty<string>() : [m.HfRepo]), .. m.Aliases], "model");
        }
        _vendors = [.. Devices.Select(d => LooseName.Key(d.Vendor)).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];
        LooseName.Index(_looseDevices, _devices);
        LooseName.Index(_looseModels, _models);
    }

    /// <summary>All devices in catalog order.</summary>
    public IReadOnlyList<Device> Devices { get; }
    /// <summary>All servers.</summary>
    public IReadOnlyList<Server> Servers { get; }
    /// <summary>All models.</summary>
    public IReadOnlyList<ModelEntry> Models { get; }

    /// <summary>Resolves a device by id or alias; unknown names throw <see cref="UnknownNameException"/> with suggestions.</summary>
    public Device Device(string name, FieldRef field = default) =>
        TryDevice(name, out var d) ? d! : throw UnknownNameException.For(field.Or(FieldNames.Hardware), "hardware", name, Nearest.Names(name, _devices.Keys));

    /// <summary>Resolves a server by id or alias.</summary>
    public Server Server(string name, FieldRef field = default) =>
        _servers.TryGetValue(name.Trim(), out var s) ? s : throw UnknownNameException.For(field.Or(FieldNames.Server), "server", name, Nearest.Names(name, _servers.Keys));

    /// <summary>
    /// Resolves a model by id, Hugging Face repo id or alias, or builds a generic one from its size
    /// (<c>dense:200b</c>, <c>moe:671b-a37b</c>: <see cref="GenericModel"/>).
    /// </summary>
    public ModelEntry Model(string name, FieldRef field = default) =>
        _models.TryGetValue(name.Trim(), out var m) || LooseName.Find(_looseModels, name, [], out m) ? m!
        : GenericModel.IsGeneric(name) ? GenericModel.Build(name, field)
        : throw UnknownModel(name, field.Or(FieldNames.Model));

    /// <summary>
    /// The ids of the models whose id begins with <paramref name="name"/> and a hyphen, in catalog order, with spaces and
    /// underscores typed as hyphens: "gemma-4" and "Gemma 4" give the five Gemma 4 entries. A family name of two or more
    /// members is ambiguous, and the look-up's error lists them.
    /// </summary>
    public IReadOnlyList<string> ModelFamily(string name)
    {
        var parts = name.Trim().Split([' ', '\t', '_', '-'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return [];
        }
        var stem = string.Join('-', parts) + "-";
        return [.. Models.Select(m => m.Id).Where(id => id.StartsWith(stem, StringComparison.OrdinalIgnoreCase))];
    }

    private UnknownNameException UnknownModel(string name, FieldRef field)
    {
        var family = ModelFamily(name);
        return family.Count >= 2
            ? UnknownNameException.Family(field, "model", name, family)
            : UnknownNameException.For(field, "model", name, Nearest.Names(name, _models.Keys));
    }

    /// <summary>
    /// True when the device name resolves: by id or alias, else by its loose form (<see cref="LooseName"/>: case, spaces,
    /// hyphens and underscores ignored, and a leading vendor name such as "NVIDIA" dropped).
    /// </summary>
    public bool TryDevice(string name, out Device? device) =>
        _devices.TryGetValue(name.Trim(), out device) || LooseName.Find(_looseDevices, name, _vendors, out device);

    /// <summary>True when the model name resolves.</summary>
    public bool TryModel(string name, out ModelEntry? model)
    {
        if (_models.TryGetValue(name.Trim(), out model) || LooseName.Find(_looseModels, name, [], out model))
        {
            return true;
        }
        if (GenericModel.IsGeneric(name))
        {
            try
            {
                model = GenericModel.Build(name);
                return true;
            }
            catch (InputException)
            {
                model = null;
            }
        }
        return false;
    }

    /// <summary>The servers that hold a device, smallest first.</summary>
    public IReadOnlyList<Server> ServersFor(Device device) =>
        [.. Servers.Where(s => string.Equals(s.DeviceId, device.Id, StringComparison.OrdinalIgnoreCase)).OrderBy(s => s.DevicesPerNode)];

    /// <summary>A catalog with more entries added (user files); names may not clash with existing ones.</summary>
    public SuanliCatalog With(IEnumerable<Device> devices, IEnumerable<Server> servers, IEnumerable<ModelEntry> models) =>
        new([.. Devices, .. devices], [.. Servers, .. servers], [.. Models, .. models]);

    private static void AddNames<T>(Dictionary<string, T> map, T entry, IEnumerable<string> names, string kind)
        where T : class
    {
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (map.TryGetValue(name, out var existing) && !ReferenceEquals(existing, entry))
            {
                throw new InputException("id", Phrase.Of("catalog-duplicate-name", "The {kind} name '{name}' is used by two catalog entries ({existing} and {entry}); rename or remove one alias.", ("kind", kind), ("name", name), ("existing", existing.ToString() ?? ""), ("entry", entry.ToString() ?? "")));
            }
            map[name] = entry;
        }
    }
}

/// <summary>Nearest-name suggestions by edit distance, for "did you mean" messages.</summary>
public static class Nearest
{
    /// <summary>Up to <paramref name="count"/> names closest to <paramref name="name"/> (case-insensitive), closest first.</summary>
    public static IReadOnlyList<string> Names(string name, IEnumerable<string> candidates, int count = 3)
    {
        var key = name.Trim().ToLowerInvariant();
        var limit = Math.Max(3, key.Length / 2);
        return [.. candidates
            .Select(c => (Name: c, Score: Score(key, c.ToLowerInvariant(), limit)))
            .Where(x => x.Score <= limit)
            // On a tie, of the names the typed one contains the longest comes first: "ttftp99x" holds "ttft" and "ttftP99", and means "ttftP99".
            .OrderBy(x => x.Score).ThenBy(x => x.Name.Length < key.Length && key.Contains(x.Name, StringComparison.OrdinalIgnoreCase) ? key.Length - x.Name.Length : 0).ThenBy(x => x.Name.Length).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(count)];
    }

    private static int Score(string a, string b, int limit)
    {
        // A candidate containing the typed name ("h100" in "nvidia-h100-sxm5-80gb") is a strong match; names of one or two
        // letters ("tp", "pp") are inside too many others to count ("ttftp99x" means ttftP99, not tp).
        if (Math.Min(a.Length, b.Length) >= 3 && b.Contains(a, StringComparison.Ordinal))
        {
            return 1;
        }
        // A candidate the typed name contains ("qwen/qwen2.5-7b" in "qwen/qwen2.5-7b-instrcut") stays a suggestion
        // however long the rest, but ranks with a two-letter typo, not above it: it led the list, and the name meant
        // ("qwen/qwen2.5-7b-instruct", two letters swapped) came third. The edit distance to it is the length difference.
        if (Math.Min(a.Length, b.Length) >= 3 && a.Contains(b, StringComparison.Ordinal))
        {
            return Math.Min(2, a.Length - b.Length);
        }
        // The edit distance is at least the difference in length: past the limit it cannot qualify, and a name of
        // 130,000 characters (the most one argument may hold) took 15 s of distances against the catalog's names.
        return Math.Abs(a.Length - b.Length) > limit ? int.MaxValue : Levenshtein(a, b);
    }

    /// <summary>Edit distance (insertions, deletions, substitutions).</summary>
    public static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
