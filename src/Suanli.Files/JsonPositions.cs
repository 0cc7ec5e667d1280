using System.Text;
using System.Text.Json;

namespace Suanli.Files;

/// <summary>
/// Where each value of a JSON text sits: <see cref="JsonElement"/> keeps no positions, so a reader that refuses a field
/// of a parsed document asks this map for the line and column of that field's key (or of the list item).
/// Paths are written as the refusals name fields: <c>text_config.num_attention_heads</c>, <c>layer_types[3]</c>.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _at = new(StringComparer.Ordinal);

    private JsonPositions()
    {
    }

    /// <summary>Maps every path of <paramref name="json"/>; a malformed tail is left unmapped (the parser reports it).</summary>
    public static JsonPositions Of(string json, JsonReaderOptions options)
    {
        var positions = new JsonPositions();
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, options);
        var counter = new LineCounter(bytes);
        // The open containers: their path, and the next index where the container is a list (-1 for an object).
        var open = new List<(string Path, int Next)>();
        string? member = null;
        try
        {
            while (reader.Read())
            {
                var at = counter.At((int)reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.Comment:
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        open.RemoveAt(open.Count - 1);
                        continue;
                    case JsonTokenType.PropertyName:
                        member = Join(open[^1].Path, reader.GetString() ?? "");
                        positions._at.TryAdd(member, at);
                        continue;
                }
                string path;
                if (member is not null)
                {
                    (path, member) = (member, null);
                }
                else if (open.Count > 0)
                {
                    var (list, next) = open[^1];
                    open[^1] = (list, next + 1);
                    path = $"{list}[{next}]";
                    positions._at.TryAdd(path, at);
                }
                else
                {
                    path = "";
                    positions._at.TryAdd(path, at);
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    open.Add((path, reader.TokenType == JsonTokenType.StartArray ? 0 : -1));
                }
            }
        }
        catch (JsonException)
        {
            // The document's own parse reports malformed text with its position; the map keeps what came before.
        }
        return positions;
    }

    /// <summary>
    /// The line and column of <paramref name="path"/>, or of the nearest enclosing value that is there (a missing field is
    /// placed at the object that lacks it); the start of the text when nothing is mapped.
    /// </summary>
    public (int Line, int Column) At(string path)
    {
        for (var p = path; ; p = Parent(p))
        {
            if (_at.TryGetValue(p, out var at))
            {
                return at;
            }
            if (p.Length == 0)
            {
                return (1, 1);
            }
        }
    }

    /// <summary>Whether the text holds a value at <paramref name="path"/>.</summary>
    public bool Has(string path) => _at.ContainsKey(path);

    /// <summary><paramref name="name"/> as a member of the object at <paramref name="parent"/>.</summary>
    public static string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    // The path one level up: "a.b[2]" -> "a.b", "a.b" -> "a", "a" -> "".
    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.EndsWith(']') ? path.LastIndexOf('[') : -1);
        return cut < 0 ? "" : path[..cut];
    }
}

/// <summary>Lines and columns (1-based; the column counts bytes) of increasing byte offsets, counted once over the text.</summary>
internal sealed class LineCounter(byte[] bytes)
{
    private int _offset;
    private int _line = 1;
    private int _start;

    public (int Line, int Column) At(int offset)
    {
        for (; _offset < offset && _offset < bytes.Length; _offset++)
        {
            if (bytes[_offset] == (byte)'\n')
            {
                _line++;
                _start = _offset + 1;
            }
        }
        return (_line, offset - _start + 1);
    }
}
