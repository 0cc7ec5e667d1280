using System.Text.Json;

namespace Suanli.Files;

// The reader's view of one object of config.json (the root, text_config or an encoder tower's), with the root behind it,
// and the refusals it raises placed at their line in the file.
public static partial class HuggingFaceConfig
{
    /// <summary>
    /// The file a <see cref="Cfg"/> reads: its name, the path of the object the reader looks in first
    /// (<c>text_config</c>, <c>vision_config</c>; empty for the root) and where each value sits in the text.
    /// </summary>
    private sealed record ConfigFile(string Name, string Prefix, Lazy<JsonPositions> Positions);

    private sealed class Cfg(JsonElement e, JsonElement root, ConfigFile file)
    {
        // The key each logical field was read from, where it was an alias (n_embd for hidden_size): a refusal of the
        // field's value is placed at the key the file holds.
        private readonly Dictionary<string, string> _readFrom = new(StringComparer.Ordinal);

        public string? Str(string key) =>
            Get(key) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

        // A missing field is placed at the object that lacks it (the root's opening brace, or text_config's key).
        public int Int(params string[] keys) =>
            OptInt(keys) ?? throw Error(keys[0], keys.Length > 1
                ? Suanli.Text.Phrase.Of("config-missing#aliases", "config.json has no '{key}' (nor {aliases}); it is needed to size the model.",
                    ("key", keys[0]), ("aliases", string.Join(", ", keys.Skip(1))))
                : Suanli.Text.Phrase.Of("config-missing", "config.json has no '{key}'; it is needed to size the model.", ("key", keys[0])));

        public int? OptInt(params string[] keys)
        {
            foreach (var k in keys)
            {
                if (Get(k) is { } v && v.ValueKind != JsonValueKind.Null)
                {
                    if (k != keys[0])
                    {
                        _readFrom.TryAdd(keys[0], k);
                    }
                    if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= 0 and <= int.MaxValue)
                    {
                        return (int)d;
                    }
                    throw Error(k, Suanli.Text.Phrase.Of("config-not-whole", "config.json field '{key}' must be a whole number of 0 or more, got {value}.",
                        ("key", k), ("value", v.GetRawText())));
                }
            }
            return null;
        }

        public JsonElement? Obj(string key) => Get(key) is { ValueKind: JsonValueKind.Object } v ? v : null;

        public bool Present(string key) => Get(key) is { } v && v.ValueKind != JsonValueKind.Null;

        public bool ZeroOrFalse(string key) => Get(key) is { } v && (v.ValueKind == JsonValueKind.False || (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == 0));

        public List<string>? StrList(string key)
        {
            if (Get(key) is not { ValueKind: JsonValueKind.Array } v)
            {
                return null;
            }
            return v.EnumerateArray().Select((x, i) => x.ValueKind == JsonValueKind.String
                ? x.GetString()!
                : throw Error(key, Suanli.Text.Phrase.Of("config-not-strings", "config.json field '{key}' must list strings, got {value}.",
                    ("key", key), ("value", x.GetRawText())), $"{key}[{i}]")).ToList();
        }

        public List<int>? IntList(string key)
        {
            if (Get(key) is not { ValueKind: JsonValueKind.Array } v)
            {
                return null;
            }
            return v.EnumerateArray().Select((x, i) => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var n)
                ? n
                : throw Error(key, Suanli.Text.Phrase.Of("config-not-whole-list", "config.json field '{key}' must list whole numbers, got {value}.",
                    ("key", key), ("value", x.GetRawText())), $"{key}[{i}]")).ToList();
        }

        // "tie_word_embeddings": "yes" used to read as absent, so the model silently took the family's default.
        public bool? OptBool(string key) => Get(key) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            { } other => throw Error(key, Suanli.Text.Phrase.Of("config-not-a-bool", "config.json field '{key}' must be true or false, got {value}.",
                ("key", key), ("value", Suanli.Text.InputQuote.Clip(other.GetRawText())))),
        };

        public void Positive(string key, int value)
        {
            if (value <= 0)
            {
                throw Error(key, Suanli.Text.Phrase.Of("config-positive", "config.json field '{key}' must be greater than zero, got {value}.",
                    ("key", key), ("value", Suanli.Text.Fmt.Number(value))));
            }
        }

        /// <summary>
        /// The refusal of <paramref name="key"/>, placed at the line and column of the value the file holds for it:
        /// <paramref name="at"/> where that is a part of the field (<c>layer_types[3]</c>), else the key itself, else the
        /// object that lacks it. Only a phrase: a refusal of config.json reads in the user's language.
        /// </summary>
        public InputException Error(string key, Suanli.Text.Phrase message, string? at = null)
        {
            var (line, column) = file.Positions.Value.At(Locate(at ?? key));
            return new InputException(key, message, new SourceLocation(file.Name, line, column));
        }

        // A present 0 is refused rather than read as "unknown": no published config in the catalog writes 0; an unknown value omits the key.
        public int? OptPositive(params string[] keys) => OptInt(keys) is var v && v != 0 ? v : throw Error(keys.First(Present), Suanli.Text.Phrase.Of("config-field-zero",
            "config.json field '{key}' is 0; give the model's value (greater than zero), or leave the field out when it is unknown.", ("key", keys.First(Present))));

        public JsonElement? Get(string key) =>
            e.TryGetProperty(key, out var v) ? v : root.TryGetProperty(key, out var r) ? r : null;

        // The path in the file of a field as the reader names it: looked up as Get looks (this object, then the root), by
        // the alias it was read from; a field neither holds stays under this object, so its position is this object's.
        private string Locate(string field)
        {
            var own = file.Prefix.Length > 0 && field.StartsWith(file.Prefix + ".", StringComparison.Ordinal) ? field[(file.Prefix.Length + 1)..] : field;
            var cut = own.IndexOfAny(['.', '[']);
            var head = cut < 0 ? own : own[..cut];
            if (!e.TryGetProperty(head, out _) && !root.TryGetProperty(head, out _) && _readFrom.TryGetValue(head, out var alias))
            {
                own = alias + own[head.Length..];
                head = alias;
            }
            return e.TryGetProperty(head, out _) || !root.TryGetProperty(head, out _) ? JsonPositions.Join(file.Prefix, own) : own;
        }
    }
}
