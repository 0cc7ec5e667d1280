using System.Text;
using System.Text.Json;

namespace Suanli.Files;

/// <summary>
/// Checks JSON text for what <see cref="JsonDocument"/> lets through silently: a key given twice in one object
/// (the reader would keep one of them without a word).
/// </summary>
public static class JsonChecks
{
    /// <summary>Throws an <see cref="InputException"/> naming the key and its line when an object repeats a key.</summary>
    /// <param name="json">The text.</param>
    /// <param name="file">The file named in the error.</param>
    /// <param name="options">Comment and trailing-comma handling, as the document will be parsed.</param>
    public static void NoDuplicateKeys(string json, string file, JsonReaderOptions options = default)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, options);
        var objects = new Stack<Dictionary<string, int>?>();
        var position = new LineCounter(bytes);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new Dictionary<string, int>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        objects.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when objects.Peek() is { } keys:
                        var key = reader.GetString() ?? "";
                        var (line, column) = position.At((int)reader.TokenStartIndex);
                        if (keys.TryGetValue(key, out var first))
                        {
                            throw new InputException(key,
                                Suanli.Text.Phrase.Of("json-duplicate-key", "Key '{key}' appears twice in the same object (first on line {first}); keep one of them.", ("key", key), ("first", first)),
                                new SourceLocation(file, line, column));
                        }
                        keys[key] = line;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is reported by the parser that follows, with its own position.
        }
    }

    /// <summary>Lines and columns of increasing byte offsets, counted once over the text.</summary>
    private sealed class LineCounter(byte[] bytes)
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
}
