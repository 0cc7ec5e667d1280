using System.Globalization;
using Suanli.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Suanli.Files;

/// <summary>
/// A YAML (or JSON) mapping read field by field, so every error names the file, line, column and key, and unknown
/// keys are refused with the nearest valid key. Call <see cref="Done"/> after reading to check for unknown keys.
/// </summary>
public sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly YamlMappingNode _written;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Wraps a mapping node.</summary>
    public YamlMap(YamlMappingNode node, string file, string path)
    {
        _written = node;
        _node = YamlMerge.Expand(node, file, path);
        File = file;
        Path = path;
    }

    /// <summary>The file it came from.</summary>
    public string File { get; }

    /// <summary>The key path to this mapping, e.g. <c>applications[0]</c>.</summary>
    public string Path { get; }

    /// <summary>Where the mapping starts.</summary>
    public SourceLocation Location => At(_written);

    /// <summary>
    /// The deepest nesting of lists and mappings accepted. Scenarios and catalogs need fewer than ten levels; the limit
    /// keeps a file of nested brackets from exhausting the stack of the tree builder.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The most values aliases (<c>*name</c>) may add to a file once expanded. A scenario repeats a mapping or two; a
    /// "billion laughs" file of nested aliases would expand to 9^9 values and keep every tree walk busy for minutes.
    /// </summary>
    public const int MaxAliasValues = 100_000;

    /// <summary>
    /// Parses text into the root mapping; syntax errors carry the position. Before any tree is built the parser's events
    /// are checked for nesting deeper than <see cref="MaxDepth"/>, aliases expanding past <see cref="MaxAliasValues"/>, a second
    /// document and a key repeated in one mapping.
    /// </summary>
    public static YamlMap Parse(string text, string file) => ParseText(text, file, prescan: true);

    /// <summary>
    /// Parses a catalog file embedded in this assembly without the prescan of <see cref="Parse"/>, which
    /// reads every event a second time: these files are the project's own, and a test parses each of them with the full
    /// checks (<c>CatalogTests.Every_embedded_yaml_file_passes_the_checks_a_user_file_gets</c>). The prescan was a fifth of
    /// the catalog's load (docs/performance.md).
    /// </summary>
    internal static YamlMap ParseEmbedded(string text, string file) => ParseText(text, file, prescan: false);

    private static YamlMap ParseText(string text, string file, bool prescan)
    {
        var stream = new YamlStream();
        try
        {
            if (prescan)
            {
                YamlPrescan.Check(text, file);
            }
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new InputException("yaml", Phrase.Of("yaml-malformed", "Malformed YAML/JSON: {problem}", ("problem", Inner(ex))), new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column));
        }
        catch (InvalidOperationException)
        {
            // The YAML library gives up on some broken inputs without a position; the prescan knows how far it read.
            throw new InputException("yaml",
                Phrase.Of("yaml-unreadable", "Malformed YAML/JSON after this point: the text cannot be read as YAML. Check for unbalanced brackets or quotes and for control characters such as a NUL byte."),
                new SourceLocation(file, YamlPrescan.LastLine, YamlPrescan.LastColumn));
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputException("yaml", Phrase.Of("yaml-not-mapping", "The file must hold a mapping (key: value pairs) at the top level."), new SourceLocation(file, 1, 1));
        }
        return new YamlMap(root, file, "");
    }

    /// <summary>True when the key is present (and not null).</summary>
    public bool Has(string key) => Find(key) is { } n && !IsNull(n);

    /// <summary>True when the key holds a list.</summary>
    public bool IsList(string key) => Find(key) is YamlSequenceNode;

    /// <summary>A required string.</summary>
    public string Str(string key) => OptStr(key) ?? throw Missing(key);

    /// <summary>An optional string.</summary>
    public string? OptStr(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node))
        {
            return null;
        }
        if (node is not YamlScalarNode s)
        {
            throw Error(key, node, Phrase.Of("yaml#not-a-single-value", "'{key}' must be a single value, not a list or mapping.", ("key", Name(key))));
        }
        return s.Value;
    }

    /// <summary>A required finite number.</summary>
    public double Num(string key) => OptNum(key) ?? throw Missing(key);

    /// <summary>An optional finite number.</summary>
    public double? OptNum(string key)
    {
        var text = OptStr(key);
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            throw Error(key, Find(key)!, Phrase.Of("yaml#not-a-number", "'{key}' must be a number, got '{value}'; write digits with a point, e.g. 0.5 or 1e6.", ("key", Name(key)), ("value", text)));
        }
        return v;
    }

    /// <summary>An optional decimal (money amounts).</summary>
    public decimal? OptDecimal(string key)
    {
        var text = OptStr(key);
        if (text is null)
        {
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            throw Error(key, Find(key)!, Phrase.Of("yaml#not-a-number", "'{key}' must be a number, got '{value}'; write digits with a point, e.g. 0.5 or 1e6.", ("key", Name(key)), ("value", text)));
        }
        return v;
    }

    /// <summary>An optional integer.</summary>
    public int? OptInt(string key)
    {
        var v = OptNum(key);
        if (v is null)
        {
            return null;
        }
        if (v != Math.Floor(v.Value) || v > int.MaxValue || v < int.MinValue)
        {
            throw Error(key, Find(key)!, Phrase.Of("yaml#not-a-whole-number", "'{key}' must be a whole number, got {value}.", ("key", Name(key)), ("value", Suanli.Text.Fmt.Number(v.Value))));
        }
        return (int)v.Value;
    }

    /// <summary>An optional boolean.</summary>
    public bool? OptBool(string key)
    {
        var text = OptStr(key);
        return text switch
        {
            null => null,
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw Error(key, Find(key)!, Phrase.Of("yaml#not-a-bool", "'{key}' must be true or false, got '{value}'.", ("key", Name(key)), ("value", text))),
        };
    }

    /// <summary>An optional ISO date.</summary>
    public DateOnly? OptDate(string key)
    {
        var text = OptStr(key);
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out d))
        {
            return d;
        }
        throw Error(key, Find(key)!, Phrase.Of("yaml#not-a-date", "'{key}' must be a date like 2025-06-30, got '{value}'.", ("key", Name(key)), ("value", text)));
    }

    /// <summary>A list of strings (a single string counts as a list of one); empty when absent.</summary>
    public IReadOnlyList<string> StrList(string key)
    {
        var node = Find(key);
        return node switch
        {
            null => [],
            YamlScalarNode s when IsNull(s) => [],
            YamlScalarNode s => [s.Value ?? ""],
            YamlSequenceNode seq => [.. seq.Children.Select((c, i) => c is YamlScalarNode cs ? cs.Value ?? "" : throw Error(key, c, Phrase.Of("yaml#item-not-a-single-value", "'{key}' must be a single value.", ("key", Fmt.I($"{Name(key)}[{i}]")))))],
            _ => throw Error(key, node, Phrase.Of("yaml#not-a-list", "'{key}' must be a list.", ("key", Name(key)))),
        };
    }

    /// <summary>
    /// The items of a list key given as a YAML list, comma-separated or both, each trimmed by the one list rule
    /// (<see cref="ListText"/>): an empty item is an error at the key naming its position; empty when the key is absent.
    /// </summary>
    public IReadOnlyList<string> Items(string key) =>
        [.. StrList(key).SelectMany(v => ListText.Split(v, ',', Name(key), text => new InputException(Name(key), text, At(key))))];

    /// <summary>A list of numbers; empty when absent.</summary>
    public IReadOnlyList<(double Value, SourceLocation At)> NumList(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node))
        {
            return [];
        }
        if (node is not YamlSequenceNode seq)
        {
            throw Error(key, node, Phrase.Of("yaml#not-a-list-of-numbers", "'{key}' must be a list of numbers.", ("key", Name(key))));
        }
        return [.. seq.Children.Select((c, i) =>
            c is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? (v, At(c))
                : throw Error(key, c, c is YamlScalarNode bad
                    ? Phrase.Of("yaml#not-a-number", "'{key}' must be a number, got '{value}'; write digits with a point, e.g. 0.5 or 1e6.", ("key", Fmt.I($"{Name(key)}[{i}]")), ("value", bad.Value ?? ""))
                    : Phrase.Of("yaml#item-not-a-number", "'{key}' must be a number.", ("key", Fmt.I($"{Name(key)}[{i}]")))))];
    }

    /// <summary>A list of mappings; empty when absent.</summary>
    public IReadOnlyList<YamlMap> Maps(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node))
        {
            return [];
        }
        if (node is not YamlSequenceNode seq)
        {
            throw Error(key, node, Phrase.Of("yaml#not-a-list", "'{key}' must be a list.", ("key", Name(key))));
        }
        return [.. seq.Children.Select((c, i) => c is YamlMappingNode m
            ? new YamlMap(m, File, $"{Name(key)}[{i}]")
            : throw Error(key, c, Phrase.Of("yaml#item-not-a-mapping", "'{key}' must be a mapping of keys to values.", ("key", Fmt.I($"{Name(key)}[{i}]")))))];
    }

    /// <summary>An optional nested mapping.</summary>
    public YamlMap? Map(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node))
        {
            return null;
        }
        return node is YamlMappingNode m ? new YamlMap(m, File, Name(key)) : throw Error(key, node, Phrase.Of("yaml#not-a-mapping", "'{key}' must be a mapping of keys to values.", ("key", Name(key))));
    }

    /// <summary>All keys in file order.</summary>
    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    /// <summary>Marks every key as read (for free-form mappings such as <c>peak</c>).</summary>
    public void ReadAll()
    {
        foreach (var k in Keys)
        {
            _read.Add(k);
        }
    }

    /// <summary>
    /// Every key under this mapping, nested ones and list items included, by its path as a user writes it
    /// (<c>applications[0].targets.ttft_p90_s</c>), with the position of its value.
    /// </summary>
    public IReadOnlyDictionary<string, SourceLocation> Marks()
    {
        var marks = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        Mark(_node, Path, marks);
        return marks;
    }

    // Depth is bounded by the prescan (MaxDepth), so the recursion cannot exhaust the stack.
    private void Mark(YamlNode node, string path, Dictionary<string, SourceLocation> marks)
    {
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in YamlMerge.Expand(m, File, path).Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "";
                    var p = path.Length == 0 ? key : $"{path}.{key}";
                    marks.TryAdd(p, At(v));
                    Mark(v, p, marks);
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var p = $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";
                    marks.TryAdd(p, At(seq.Children[i]));
                    Mark(seq.Children[i], p, marks);
                }
                break;
        }
    }

    /// <summary>Where a key's value is.</summary>
    public SourceLocation At(string key) => Find(key) is { } n ? At(n) : Location;

    /// <summary>
    /// An error at a key's position, as a phrase a Chinese reader reads in Chinese. There is no overload taking a plain
    /// string, so a user's catalog, price or calibration file is never refused in English only.
    /// </summary>
    public InputException Error(string key, Phrase text) => new(Name(key), text, At(key));

    /// <summary>The key's full name in the file (<c>candidates.hardware</c>), for a message that names it.</summary>
    public string Named(string key) => Name(key);

    /// <summary>Refuses keys that were never read, naming the nearest valid key.</summary>
    public void Done(IEnumerable<string>? alsoValid = null)
    {
        var valid = _read.Concat(alsoValid ?? []).ToList();
        foreach (var entry in _node.Children)
        {
            var key = (entry.Key as YamlScalarNode)?.Value ?? "";
            if (_read.Contains(key))
            {
                continue;
            }
            throw new InputException(Name(key), UnknownKey(Name(key), Suanli.Catalog.Nearest.Names(key, valid, 1), null), At(entry.Key));
        }
    }

    /// <summary>Refuses any key outside <paramref name="valid"/> before anything is read, so a typo is reported as a typo
    /// rather than as the required key it was meant to be.</summary>
    public void Expect(params string[] valid)
    {
        foreach (var entry in _node.Children)
        {
            var key = (entry.Key as YamlScalarNode)?.Value ?? "";
            if (!valid.Contains(key, StringComparer.Ordinal))
            {
                throw new InputException(Name(key), UnknownKey(Name(key), Suanli.Catalog.Nearest.Names(key, valid, 1), valid), At(entry.Key));
            }
        }
    }

    // One sentence for both checks, so the Chinese page and --lang zh say it in Chinese.
    private static Phrase UnknownKey(string key, IReadOnlyList<string> nearest, IReadOnlyList<string>? valid) =>
        nearest.Count > 0 ? Phrase.Of("yaml-unknown-key#suggest", "Unknown key '{key}'. Did you mean '{nearest}'?", ("key", key), ("nearest", nearest[0]))
        : valid is null ? Phrase.Of("yaml-unknown-key", "Unknown key '{key}'.", ("key", key))
        : Phrase.Of("yaml-unknown-key#valid", "Unknown key '{key}'. Valid keys: {valid}.", ("key", key), ("valid", PhraseList.Words(valid)));

    /// <summary>Declares keys as valid without reading them (for <see cref="Done"/> suggestions).</summary>
    public void Allow(params string[] keys)
    {
        foreach (var k in keys)
        {
            _read.Add(k);
        }
    }

    private YamlNode? Find(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    private string Name(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private SourceLocation At(YamlNode n) => new(File, (int)n.Start.Line, (int)n.Start.Column);

    private InputException Missing(string key) =>
        new(Name(key), Phrase.Of("yaml#missing-key", "Missing required key '{key}'.", ("key", Name(key))), Location);

    private InputException Error(string key, YamlNode node, Phrase text) => new(Name(key), text, At(node));

    private static bool IsNull(YamlNode n) =>
        n is YamlScalarNode s && s.Style == ScalarStyle.Plain && (s.Value is null or "" or "~" or "null");

    private static string Inner(YamlException ex)
    {
        var m = ex.InnerException?.Message ?? ex.Message;
        // YamlDotNet prefixes its own position "(Line: 3, Col: 5, ...): "; we print ours instead.
        var i = m.IndexOf("): ", StringComparison.Ordinal);
        return i > 0 && m.StartsWith("(Line", StringComparison.Ordinal) ? m[(i + 3)..] : m;
    }
}
