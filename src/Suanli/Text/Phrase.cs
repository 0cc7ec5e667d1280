using System.Text;

namespace Suanli.Text;

/// <summary>
/// A sentence or part of one that the core says to a user, kept as a key, an English template with named
/// placeholders (<c>{need}</c>) and the values for them, so each front end renders it in its own language
/// (<see cref="Languages"/>) and spells the fields it names its own way (<see cref="FieldNames"/>).
/// </summary>
/// <param name="Key">The template key, e.g. <c>does-not-fit</c> or <c>does-not-fit#batch</c> when one code has several sentences.</param>
/// <param name="Template">The English template; placeholders are <c>{name}</c>.</param>
/// <param name="Args">The values, in the order the template names them.</param>
public sealed record Phrase(string Key, string Template, IReadOnlyList<PhraseArg> Args)
{
    /// <summary>
    /// Creates a phrase; each argument is a formatted value (string, units included), a nested <see cref="Phrase"/>,
    /// a <see cref="PhraseList"/>, a <see cref="FieldName"/> or a <see cref="CommandRef"/>; anything else is written as its invariant text.
    /// </summary>
    /// <exception cref="ArgumentException">When the placeholders of the template and the names of the arguments differ (a defect).</exception>
    public static Phrase Of(string key, string template, params (string Name, object Value)[] args)
    {
        var list = args.Select(a => PhraseArg.Of(a.Name, a.Value)).ToList();
        var wanted = Placeholders(template).Distinct().Order(StringComparer.Ordinal).ToList();
        var given = list.Select(a => a.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!wanted.SequenceEqual(given))
        {
            throw new ArgumentException($"Phrase '{key}': the template names {{{string.Join("}, {", wanted)}}} but the arguments are {string.Join(", ", given)}.", nameof(args));
        }
        return new Phrase(key, template, list);
    }

    /// <summary>
    /// A sentence that exists only as English text (a finding or error made from a bare message): the key
    /// <c>message</c>, whose template in every language is the text itself, given as a value so braces in it stay as written.
    /// </summary>
    public static Phrase Plain(string text) => Of("message", "{message}", ("message", text));

    /// <summary>Whether this phrase, or one nested in its arguments, has the key <paramref name="key"/>.</summary>
    public bool Mentions(string key) =>
        Key == key || Args.Any(a => a.Phrase?.Mentions(key) == true || a.List?.Items.Any(p => p.Mentions(key)) == true);

    /// <summary>The English sentence, with fields spelled as the core names them.</summary>
    public string English => Render(Languages.English, FieldNames.Core);

    /// <summary>
    /// The phrase in <paramref name="language"/>, fields spelled by <paramref name="fields"/> and the commands it
    /// points to by <paramref name="commands"/> (the core's, <see cref="CommandRefs.Cli"/>, when null).
    /// </summary>
    public string Render(Language language, Func<FieldName, string> fields, Func<CommandRef, Language, string>? commands = null)
    {
        commands ??= CommandRefs.Cli;
        var template = language.Template(this);
        return Fill(template, language.JoinsWords, name =>
        {
            var arg = Args.FirstOrDefault(a => a.Name == name);
            return arg switch
            {
                null => "{" + name + "}",
                { Phrase: { } p } => p.Render(language, fields, commands),
                { Field: { } f } => fields(f),
                { Command: { } c } => commands(c, language),
                { List: { } l } => l.Join(language, i => i.Render(language, fields, commands)),
                _ => arg.Value,
            };
        });
    }

    /// <summary>The values as English text, by name (nested phrases rendered in English, fields as the core names them).</summary>
    public IReadOnlyDictionary<string, string> EnglishArgs =>
        Args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    /// <summary>The placeholder names of a template, in order of appearance.</summary>
    public static IEnumerable<string> Placeholders(string template)
    {
        for (var i = template.IndexOf('{'); i >= 0; i = template.IndexOf('{', i + 1))
        {
            var end = template.IndexOf('}', i);
            if (end > i + 1 && template.AsSpan(i + 1, end - i - 1).IndexOfAnyExcept(NameChars) < 0)
            {
                yield return template[(i + 1)..end];
            }
        }
    }

    // Fills the placeholders. Where the language writes words without spaces (Chinese), a template's space beside a
    // placeholder goes when the characters on both sides of it are that script's: "按 {term} 租用" with the term
    // "预留 1 年" reads "按预留 1 年租用", while "超过后 {failing} 目标" keeps its spaces around "TTFT" and joins "端到端".
    // One template then serves a placeholder that is Latin in one sentence and Chinese in the next.
    private static string Fill(string template, bool joinsWords, Func<string, string> value)
    {
        var sb = new StringBuilder(template.Length + 32);
        var last = 0;
        var joinNext = false;
        for (var i = template.IndexOf('{'); i >= 0; i = template.IndexOf('{', i + 1))
        {
            var end = template.IndexOf('}', i);
            if (end <= i + 1 || template.AsSpan(i + 1, end - i - 1).IndexOfAnyExcept(NameChars) >= 0)
            {
                continue;
            }
            var text = value(template[(i + 1)..end]);
            AppendLiteral(sb, template.AsSpan(last, i - last), joinNext, joinsWords && text.Length > 0 && Ideograph(text[0]));
            sb.Append(text);
            joinNext = joinsWords && text.Length > 0 && Ideograph(text[^1]);
            last = end + 1;
            i = end;
        }
        AppendLiteral(sb, template.AsSpan(last), joinNext, false);
        return sb.ToString();
    }

    // The text between two placeholders (or a placeholder and an end), less a space at its start that follows an
    // ideograph the last value ended with and stands before another, and a space at its end between an ideograph and
    // the next value's first.
    private static void AppendLiteral(StringBuilder sb, ReadOnlySpan<char> literal, bool afterIdeograph, bool beforeIdeograph)
    {
        var start = 0;
        var end = literal.Length;
        if (afterIdeograph && literal.Length > 0 && literal[0] == ' ')
        {
            var next = literal.Length > 1 ? literal[1] : beforeIdeograph ? '\u4E00' : ' ';
            if (Ideograph(next))
            {
                start = 1;
            }
        }
        if (beforeIdeograph && end > start && literal[end - 1] == ' ')
        {
            var previous = end - 2 >= start ? literal[end - 2] : sb.Length > 0 ? sb[^1] : ' ';
            if (Ideograph(previous))
            {
                end--;
            }
        }
        sb.Append(literal[start..end]);
    }

    /// <summary>
    /// True for a character of the CJK scripts or their full-width punctuation (U+2E80 to U+9FFF, U+FF00 to U+FFEF),
    /// between two of which Chinese text puts no space.
    /// </summary>
    public static bool Ideograph(char c) => c is >= '\u2E80' and <= '\u9FFF' or >= '\uFF00' and <= '\uFFEF';

    /// <inheritdoc />
    public override string ToString() => English;
}

/// <summary>One value of a <see cref="Phrase"/>: formatted text (numbers with their units, invariant culture), a nested phrase, a field or a command reference.</summary>
/// <param name="Name">The placeholder name.</param>
/// <param name="Value">The value as English text (for a phrase, its English rendering; for a field, its core id).</param>
/// <param name="Phrase">The nested phrase, rendered in the reader's language.</param>
/// <param name="Field">The field named, spelled by each front end its own way.</param>
/// <param name="List">Phrases joined by a separator of the reader's language.</param>
/// <param name="Command">The command or view pointed to, spelled by each front end its own way.</param>
public sealed record PhraseArg(string Name, string Value, Phrase? Phrase = null, FieldName? Field = null, PhraseList? List = null, CommandRef? Command = null)
{
    /// <summary>Wraps a string, phrase, field or command reference.</summary>
    public static PhraseArg Of(string name, object? value) => value switch
    {
        Phrase p => new PhraseArg(name, p.English, p),
        FieldName f => new PhraseArg(name, FieldNames.Core(f), Field: f),
        CommandRef c => new PhraseArg(name, CommandRefs.Cli(c, Languages.English), Command: c),
        PhraseList l => new PhraseArg(name, l.Join(Languages.English, i => i.English), List: l),
        string s => new PhraseArg(name, s),
        // Ids and codes (a currency, an enum) read as their invariant text; numbers should come formatted with their unit.
        IFormattable f => new PhraseArg(name, f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)),
        null => new PhraseArg(name, ""),
        _ => new PhraseArg(name, value.ToString() ?? ""),
    };
}

/// <summary>Phrases joined in the reader's language: <see cref="Separator"/> names the joint (<c>list</c>, <c>comma</c>, <c>semicolon</c>, <c>and</c>, <c>or</c>, <c>space</c>).</summary>
/// <param name="Items">The phrases.</param>
/// <param name="Separator">The joint's name; its text per language is in <see cref="Language.Separator"/>.</param>
/// <param name="TrimFinalStop">True to drop a full stop that ends the joined text (the sentence around it goes on).</param>
public sealed record PhraseList(IReadOnlyList<Phrase> Items, string Separator = "comma", bool TrimFinalStop = false)
{
    /// <summary>
    /// The one way a list of names or values (ids, options, quoted names, layouts) goes into a sentence: joined in the
    /// reader's language, "a, b, c" in English and "a、b、c" in Chinese (<c>list</c>); <c>semicolon</c> for items that hold commas.
    /// </summary>
    /// <param name="items">The items, each written as its invariant text (ids and numbers are the same in every language).</param>
    /// <param name="separator">The joint: <c>list</c> (the default) or <c>semicolon</c>.</param>
    public static PhraseList Words<T>(IEnumerable<T> items, string separator = "list") =>
        new([.. items.Select(i => Phrase.Of("cell.value", "{value}", ("value", (object?)i ?? "")))], separator);

    /// <summary>The items rendered by <paramref name="render"/> and joined in <paramref name="language"/>.</summary>
    public string Join(Language language, Func<Phrase, string> render)
    {
        var separator = language.Separator(Separator);
        var items = Items.Select(render).ToList();
        var text = string.Concat(items.Select((item, i) => i == 0 ? item : Spaced(items[i - 1], separator, item) + item));
        return TrimFinalStop ? text.TrimEnd('.', '。') : text;
    }

    // A Chinese word between items ("和") stands a space apart from Latin letters and digits beside it, as the Chinese
    // templates write "{model} 在": "TTFT p90 <= 2.00 s 和 TPOT p90 <= 100 ms", not "2.00 s和TPOT".
    private static string Spaced(string before, string separator, string after)
    {
        if (separator.Length == 0 || !char.IsLetter(separator[0]) || separator[0] < '\u2E80')
        {
            return separator;
        }
        static bool Latin(char c) => c < 128 && char.IsLetterOrDigit(c);
        return (before.Length > 0 && Latin(before[^1]) ? " " : "") + separator + (after.Length > 0 && Latin(after[0]) ? " " : "");
    }
}

/// <summary>Formatting of phrase values: the invariant culture, so a value reads the same on every machine.</summary>
public static class Fmt
{
    /// <summary>The interpolated string in the invariant culture.</summary>
    public static string I(FormattableString s) => FormattableString.Invariant(s);

    /// <summary>
    /// A number a sentence echoes back (a value given, a limit), written as the reports write numbers: digits grouped by
    /// thousands, up to six significant figures, no trailing zeros (2,592,000; 0.000001; 86,400); below 1e-6 or from
    /// 1e15 up as a power of ten the way the value is typed (1e308, 2.83e31, 1e-320), never .NET's "1E+308" nor "1e+308",
    /// which read as a sum. NaN and infinities as .NET writes them.
    /// </summary>
    public static string Number(double value)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (!double.IsFinite(value) || value == 0)
        {
            return value == 0 ? "0" : value.ToString(invariant);
        }
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e15 || magnitude < 1e-6)
        {
            // The shortest text that reads back as the value (1e-320 stays 1e-320), cut to six figures when longer.
            var shortest = value.ToString("R", invariant);
            var text = shortest.IndexOf('E', StringComparison.Ordinal) is var e and (< 0 or > 7) ? value.ToString("G6", invariant) : shortest;
            var at = text.IndexOf('E', StringComparison.Ordinal);
            return at < 0 ? text : text[..at] + "e" + (text[at + 1] == '-' ? "-" : "") + text[(at + 2)..].TrimStart('0');
        }
        var decimals = Math.Clamp(5 - (int)Math.Floor(Math.Log10(magnitude)), 0, 12);
        return Math.Round(value, decimals).ToString("#,0." + new string('#', decimals), invariant);
    }

    /// <summary>A decimal amount echoed back, as <see cref="Number(double)"/> writes it.</summary>
    public static string Number(decimal value) => Number((double)value);

    /// <summary>A whole number echoed back, digits grouped by thousands (10,000,000).</summary>
    public static string Number(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
