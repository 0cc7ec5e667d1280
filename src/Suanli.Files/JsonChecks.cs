using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Suanli.Text;

namespace Suanli.Files;

/// <summary>
/// Checks JSON text for what <see cref="JsonDocument"/> lets through silently: a key given twice in one object
/// (the reader would keep one of them without a word); and words the parser's refusal of malformed text for the reader.
/// </summary>
public static partial class JsonChecks
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

    /// <summary>
    /// The refusal of malformed JSON: the file, line and byte of the parser's position, what is wrong there in the reader's
    /// language and how to fix it. .NET's own text is English only; it is kept (as the parser's words) only for a fault
    /// none of the sentences below describes.
    /// </summary>
    /// <param name="ex">The parser's exception.</param>
    /// <param name="file">The file named in the error.</param>
    /// <param name="field">The field the error names (the kind of file, e.g. <c>config.json</c>).</param>
    public static InputException Malformed(JsonException ex, string file, string field)
    {
        // LineNumber and BytePositionInLine are 0-based; a position past the text (its end) is still a place to look.
        var line = (int)(ex.LineNumber ?? 0) + 1;
        var column = (int)(ex.BytePositionInLine ?? 0) + 1;
        var text = Phrase.Of("json-malformed", "Malformed JSON at line {line}, byte {byte}: {problem}",
            ("line", line.ToString(CultureInfo.InvariantCulture)), ("byte", column.ToString(CultureInfo.InvariantCulture)), ("problem", Problem(ex.Message)));
        return new InputException(field, text, new SourceLocation(file, line, column));
    }

    // One row per kind of fault .NET's parser reports: the words of its message that mark the kind, and the sentence
    // (what is wrong and how to fix it) that replaces them, given the text found at the fault. The first row whose
    // words the message holds is taken; the order matters only where two rows' words could both appear.
    private static readonly (string[] Says, Func<string, Phrase> Sentence)[] Faults =
    [
        (["reached end of data", "depth to be zero"],
            _ => Phrase.Of("json-problem#unclosed", "the text ends inside an object, a list or a string. Close each object, list and string that is opened.")),
        (["does not contain any JSON tokens"],
            _ => Phrase.Of("json-problem#empty", "the text holds no JSON value. Give one JSON object.")),
        (["is invalid after a value"],
            found => Phrase.Of("json-problem#after-value", "'{found}' follows a value where a comma or the end of the object or list belongs. Put a comma between two entries.", ("found", found))),
        (["is invalid after a property name"],
            found => Phrase.Of("json-problem#after-key", "'{found}' follows a key where a colon belongs. Write \"key\": value.", ("found", found))),
        (["invalid start of a property name"],
            found => Phrase.Of("json-problem#key", "'{found}' begins a key, and a key is text in double quotes. Quote the key, or remove a comma that ends the object.", ("found", found))),
        (["is an invalid start of a value"],
            found => Phrase.Of("json-problem#value", "'{found}' cannot begin a value (a number, text in double quotes, true, false, null, an object or a list). Give the value, quote the text, or remove a comma with nothing after it.", ("found", found))),
        (["is an invalid JSON literal"],
            found => Phrase.Of("json-problem#literal", "'{found}' is not true, false or null. Put text in double quotes.", ("found", found))),
        (["within a JSON string", "escapable character"],
            found => Phrase.Of("json-problem#string", "text in quotes holds '{found}', which must be escaped (a line break as \\n, a tab as \\t, a backslash as \\\\). Escape it or remove it.", ("found", found))),
        (["trailing comma"],
            _ => Phrase.Of("json-problem#trailing-comma", "a comma ends an object or a list, with no entry after it. Remove the comma.")),
        (["without a matching open"],
            found => Phrase.Of("json-problem#close", "'{found}' closes an object or a list that is not open. Remove it, or open what it closes.", ("found", found))),
        (["after a single JSON value"],
            found => Phrase.Of("json-problem#after-end", "'{found}' follows the end of the JSON value. Remove it: the file holds one JSON object.", ("found", found))),
        (["number", "leading zero"],
            _ => Phrase.Of("json-problem#number", "a number is malformed. Write numbers as 4096, 0.5 or 1e-6, without leading zeros.")),
    ];

    // .NET's messages (System.Text.Json's resource strings) open with the character at fault in quotes, then its fault.
    private static Phrase Problem(string message)
    {
        var words = message.Split(" LineNumber:")[0].Split(" Path:")[0].Trim();
        // A bad literal is quoted with the rest of its line and the line break ('tru}\n'): the word up to the first space is shown.
        var found = Found().Match(words) is { Success: true } m ? InputQuote.Clip(m.Groups[1].Value.Split((char[]?)null, 2)[0]) : "";
        foreach (var (says, sentence) in Faults)
        {
            if (says.Any(part => words.Contains(part, StringComparison.Ordinal)))
            {
                return sentence(found);
            }
        }
        // A fault none of the rows describes: .NET's own (English) words, with where to look.
        return Phrase.Of("json-problem", "{problem} (the JSON parser's words). Look just before that point for a missing or extra comma, quote, colon or bracket.", ("problem", string.Join(' ', words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
    }

    [GeneratedRegex("^'(.*?)' is", RegexOptions.Singleline)]
    private static partial Regex Found();
}
