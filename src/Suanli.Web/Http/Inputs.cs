using Suanli.Quantities;
using Suanli.Text;
using System.Globalization;

namespace Suanli.Web.Http;

/// <summary>
/// Parses the API's text inputs (query string or JSON body) the way the CLI parses its options: token counts accept
/// 32k = 32,768, ranges are checked, and every error is an <see cref="InputException"/> naming the API field.
/// </summary>
public static class Inputs
{
    /// <summary>The longest text field accepted, in characters (names in the catalog are far shorter).</summary>
    public const int MaxTextLength = 200;

    /// <summary>Today in the server's time zone on <paramref name="clock"/>: the day stale prices and price ages are judged on.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>A required text field, trimmed.</summary>
    public static string Required(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Error(field, Phrase.Of("input-required", "{field} is required.", ("field", Field(field))));
        }
        return Text(text, field)!;
    }

    /// <summary>A yes-or-no field: <c>true</c> or <c>false</c> (also 1 or 0); empty is false.</summary>
    public static bool Flag(string? text, string field)
    {
        var value = Text(text, field);
        return value?.ToLowerInvariant() switch
        {
            null or "false" or "0" => false,
            "true" or "1" => true,
            _ => throw Error(field, Phrase.Of("input-not-a-flag", "{field} is true or false, got '{value}'.", ("field", Field(field)), ("value", value))),
        };
    }

    /// <summary>An optional text field, trimmed; empty is null.</summary>
    public static string? Text(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim();
        if (t.Length > MaxTextLength)
        {
            throw Error(field, Phrase.Of("input-too-long", "{field} is {length} characters long; a field takes at most {max} (a catalog name, a number or a short list). Shorten it; names are listed under /api/catalog.",
                ("field", Field(field)), ("length", t.Length.ToString("N0", CultureInfo.InvariantCulture)), ("max", MaxTextLength.ToString(CultureInfo.InvariantCulture))));
        }
        return t;
    }

    /// <summary>
    /// A numeric field's text: null when the field is left out, else trimmed, and "" when given empty or blank
    /// (<c>requests=</c>, <c>"requests": ""</c>), which each number's parser then refuses as the CLI refuses
    /// <c>--requests ""</c>: an empty value is a mistake, never a request for the default (docs/web.md, "Errors").
    /// </summary>
    private static string? Given(string? text, string field) => text is null ? null : Text(text, field) ?? "";

    /// <summary>
    /// A percentile field (<c>ttftPercentile</c>) as the core parses it: null when left out (the default, p90), else
    /// the text as given, so an empty one is refused with the CLI's sentence for <c>--ttft-percentile ""</c>.
    /// </summary>
    public static string? Percentile(string? text, string field) => Given(text, field);

    /// <summary>
    /// A whole count within [min, max]; left out, it gives the default, and given empty it is refused. Suffixes follow the one rule (<see cref="CountSuffix"/>):
    /// token lengths (<paramref name="unit"/> <see cref="CountUnit.Tokens"/>) read 32k = 32,768 and 1M = 1,048,576,
    /// other counts 2k = 2,000 and 1M = 1,000,000.
    /// </summary>
    public static int Count(string? text, string field, int defaultValue, int min, int max, CountUnit unit = CountUnit.Items)
    {
        var t = Given(text, field);
        if (t is null)
        {
            return defaultValue;
        }
        if (t.Contains(',', StringComparison.Ordinal) && t.Split(',').All(p => CountSuffix.TryParse(p.Trim(), unit, out _)))
        {
            // A parameter given twice arrives joined by a comma ('32k,64k'), as does a thousands separator ('1,000'):
            // the user wrote neither '32k,64k' nor anything that is "not a number".
            throw Error(field, unit == CountUnit.Tokens
                ? Phrase.Of("input-one-count#tokens", "{field} takes one whole number, got '{value}': the parameter given twice, or a comma as a thousands separator (write 32768 or 32k).", ("field", Field(field)), ("value", RequestBody.Clip(t)))
                : Phrase.Of("input-one-count", "{field} takes one whole number, got '{value}': the parameter given twice, or a comma as a thousands separator (write 2000 or 2k).", ("field", Field(field)), ("value", RequestBody.Clip(t))));
        }
        if (!CountSuffix.TryParse(t, unit, out var value))
        {
            throw Error(field, unit == CountUnit.Tokens
                ? Phrase.Of("input-not-a-count#tokens", "{field}: '{value}' is not a number. Use a whole number such as 4096 or 32k.", ("field", Field(field)), ("value", RequestBody.Clip(t)))
                : Phrase.Of("input-not-a-count", "{field}: '{value}' is not a number. Use a whole number such as 64 or 2k.", ("field", Field(field)), ("value", RequestBody.Clip(t))));
        }
        if (value != Math.Floor(value) || value < min || value > max)
        {
            throw Error(field, Phrase.Of("input-count-range", "{field} must be a whole number from {min} to {max}, got {value}.",
                ("field", Field(field)), ("min", min.ToString("N0", CultureInfo.InvariantCulture)), ("max", max.ToString("N0", CultureInfo.InvariantCulture)), ("value", RequestBody.Clip(t))));
        }
        return (int)value;
    }

    /// <summary>
    /// An optional whole count within [min, max] (the web's <c>CliOptions.OptionalCount</c>): left out it is null, so the
    /// use case applies its own default and records it; otherwise (empty included) as <see cref="Count"/>.
    /// </summary>
    public static int? OptionalCount(string? text, string field, int min, int max, CountUnit unit = CountUnit.Items) =>
        text is null ? null : Count(text, field, min, min, max, unit);

    /// <summary>
    /// A finite number within [min, max] (invariant culture, e.g. 0.5 or 1e6); left out it gives <paramref name="defaultValue"/>
    /// (null when the field is optional), and given empty it is refused as not a number.
    /// </summary>
    public static double? Number(string? text, string field, double? defaultValue, double min, double max)
    {
        var t = Given(text, field);
        if (t is null)
        {
            return defaultValue;
        }
        if (t.Contains(',', StringComparison.Ordinal) && t.Split(',').All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            // A parameter given twice arrives joined by a comma ('10,20'), as does a decimal comma ('0,5'): neither is "not a number".
            throw Error(field, Phrase.Of("input-one-number", "{field} takes one number, got '{value}': the parameter given twice, or a comma where a decimal point belongs (0.5).",
                ("field", Field(field)), ("value", RequestBody.Clip(t))));
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(field, Phrase.Of("input-not-a-number", "{field}: '{value}' is not a number. Use digits with a point, e.g. 0.5 or 1e6.", ("field", Field(field)), ("value", RequestBody.Clip(t))));
        }
        if (value < min || value > max)
        {
            throw Error(field, Phrase.Of("input-number-range", "{field} must be from {min} to {max}, got {value}.",
                ("field", Field(field)), ("min", Show(min)), ("max", Show(max)), ("value", RequestBody.Clip(t))));
        }
        return value;
    }

    /// <summary>A whole number within [min, max] with no suffix (seeds, stages); left out it gives null, and given empty it is refused.</summary>
    public static long? Whole(string? text, string field, long min, long max)
    {
        var t = Given(text, field);
        if (t is null)
        {
            return null;
        }
        if (t.Length == 0)
        {
            // As the CLI answers '--max-num-seqs ""': a range from int.MinValue would be no help.
            throw Error(field, Phrase.Of("input-not-a-whole", "{field}: '{value}' is not a whole number.", ("field", Field(field)), ("value", t)));
        }
        if (!long.TryParse(t, min < 0 ? NumberStyles.AllowLeadingSign : NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(field, Phrase.Of("input-whole-range", "{field} must be a whole number from {min} to {max}, got '{value}'.",
                ("field", Field(field)), ("min", min.ToString("N0", CultureInfo.InvariantCulture)), ("max", max.ToString("N0", CultureInfo.InvariantCulture)), ("value", RequestBody.Clip(t))));
        }
        return value;
    }

    /// <summary>A comma-separated list (as the CLI's repeated or comma-separated options), each item trimmed; empty gives an empty list.</summary>
    public static IReadOnlyList<string> List(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        if (text.Length > MaxListLength)
        {
            throw TooLong(field, text);
        }
        return ListText.Split(text, ',', Field(field), p => Error(field, p));
    }

    /// <summary>Items of a list field separated by ';' lines or '|' (for values that themselves contain commas).</summary>
    public static IReadOnlyList<string> Items(string? text, string field, char separator)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        if (text.Length > MaxListLength)
        {
            throw TooLong(field, text);
        }
        return ListText.Split(text, separator, Field(field), p => Error(field, p));
    }

    /// <summary>The longest list field accepted, in characters.</summary>
    public const int MaxListLength = 4000;

    /// <summary>
    /// An API field as a logical field: its camelCase words joined by dashes (<c>peakConcurrency</c> is
    /// <c>peak-concurrency</c>), so <see cref="FieldNames.Web"/> spells it back as the API names it and the page can
    /// put its own label in its place.
    /// </summary>
    internal static FieldName Field(string apiField)
    {
        var id = string.Concat(apiField.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        // A name that does not come back from the dashed form (a header such as Host) stays as it is.
        var field = new FieldName(id);
        return FieldNames.Web(field) == apiField ? field : new FieldName(apiField, Option: false);
    }

    // The web layer's own input errors are phrases, so a Chinese page reads them in Chinese (zh.yaml); the API names
    // the field, in English and in Chinese.
    /// <summary>An error on the web field <paramref name="field"/> (spelled as the API spells it), rendered in the reader's language.</summary>
    internal static InputException Error(string field, Phrase text) => new(Field(field), text, null, FieldNames.Web);

    private static InputException TooLong(string field, string text) =>
        Error(field, Phrase.Of("input-list-too-long", "{field} is {length} characters long; lists are limited to {max}. Send fewer items.",
            ("field", Field(field)), ("length", text.Length.ToString("N0", CultureInfo.InvariantCulture)), ("max", MaxListLength.ToString("N0", CultureInfo.InvariantCulture))));

    private static string Show(double v) =>
        Math.Abs(v) is > 0 and < 0.001 ? v.ToString("0.##########", CultureInfo.InvariantCulture) : v.ToString("#,0.###", CultureInfo.InvariantCulture);
}
