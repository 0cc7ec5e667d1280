using System.Reflection;

namespace Suanli.Text;

/// <summary>A language the core's phrases render in: English from each phrase's own template, others from an embedded table keyed by phrase key.</summary>
public sealed class Language
{
    private readonly IReadOnlyDictionary<string, string>? _templates;

    internal Language(string code, IReadOnlyDictionary<string, string>? templates)
    {
        Code = code;
        _templates = templates;
    }

    /// <summary>The language code: <c>en</c> or <c>zh</c>.</summary>
    public string Code { get; }

    /// <summary>
    /// True where the language writes words without spaces between them (Chinese): a template's space beside a
    /// placeholder is dropped when the characters on both sides of it are ideographs (<see cref="Phrase.Render"/>).
    /// </summary>
    public bool JoinsWords => Code == "zh";

    /// <summary>The templates of the table, by key (empty for English, whose templates travel with the phrases).</summary>
    public IReadOnlyDictionary<string, string> Templates => _templates ?? new Dictionary<string, string>();

    /// <summary>The template for <paramref name="phrase"/>: the table's, or the English one when the table lacks the key (a test keeps the table complete).</summary>
    public string Template(Phrase phrase) =>
        _templates is not null && _templates.TryGetValue(phrase.Key, out var t) ? t : phrase.Template;

    /// <summary>The text between the items of a <see cref="PhraseList"/>: <c>list</c> (names and values: "、" in Chinese), <c>comma</c> (clauses: "，"), <c>semicolon</c>, <c>and</c>, <c>or</c> or <c>space</c>.</summary>
    public string Separator(string name) =>
        _templates is not null && _templates.TryGetValue("sep." + name, out var t) ? t : name switch
        {
            "list" or "comma" => ", ",
            "or" => " or ",
            "semicolon" => "; ",
            "and" => " and ",
            "space" => " ",
            _ => throw new ArgumentException($"Unknown separator '{name}'.", nameof(name)),
        };

    /// <inheritdoc />
    public override string ToString() => Code;
}

/// <summary>The languages phrases render in (docs/web.md, "Languages").</summary>
public static class Languages
{
    private static readonly Lazy<Language> ChineseTable = new(() => new Language("zh", Load("zh.yaml")));

    /// <summary>English: each phrase's own template.</summary>
    public static Language English { get; } = new("en", null);

    /// <summary>Simplified Chinese, from the embedded table Text/zh.yaml.</summary>
    public static Language Chinese => ChineseTable.Value;

    /// <summary>The language for a code (<c>en</c>, <c>zh</c>, <c>zh-CN</c>...); null when it is neither.</summary>
    public static Language? Find(string? code)
    {
        var c = code?.Trim().ToLowerInvariant() ?? "";
        return c == "en" || c.StartsWith("en-", StringComparison.Ordinal) ? English
            : c == "zh" || c.StartsWith("zh-", StringComparison.Ordinal) ? Chinese
            : null;
    }

    /// <summary>
    /// Reads a template table: one <c>key: "template"</c> per line (a subset of YAML: double-quoted values with
    /// <c>\"</c> and <c>\\</c> escapes; <c>#</c> comments and blank lines skipped).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var raw in text.Split('\n'))
        {
            n++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var colon = line.IndexOf(": \"", StringComparison.Ordinal);
            if (colon <= 0 || !line.EndsWith('"') || line.Length < colon + 4)
            {
                throw new FormatException($"Template table line {n}: expected key: \"template\", got '{line}'.");
            }
            var key = line[..colon].Trim().Trim('"');
            var value = line[(colon + 3)..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            if (!table.TryAdd(key, value))
            {
                throw new FormatException($"Template table line {n}: key '{key}' appears twice.");
            }
        }
        return table;
    }

    private static Dictionary<string, string> Load(string name)
    {
        var assembly = typeof(Languages).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith(".Text." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Dictionary<string, string>(Parse(reader.ReadToEnd()), StringComparer.Ordinal);
    }
}
