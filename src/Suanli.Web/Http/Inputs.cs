using Suanli.Quantities;
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

    /// <summary>A required text field, trimmed.</summary>
    public static string Required(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException(field, $"{field} is required.");
        }
        return Text(text, field)!;
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
            throw new InputException(field, $"{field} is {t.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; names in the catalog have at most {MaxTextLength}. Pick a name from /api/catalog.");
        }
        return t;
    }

    /// <summary>
    /// A whole count within [min, max]; empty gives the default. Suffixes follow the one rule (<see cref="CountSuffix"/>):
    /// token lengths (<paramref name="unit"/> <see cref="CountUnit.Tokens"/>) read 32k = 32,768 and 1M = 1,048,576,
    /// other counts 2k = 2,000 and 1M = 1,000,000.
    /// </summary>
    public static int Count(string? text, string field, int defaultValue, int min, int max, CountUnit unit = CountUnit.Items)
    {
        var t = Text(text, field);
        if (t is null)
        {
            return defaultValue;
        }
        if (!CountSuffix.TryParse(t, unit, out var value))
        {
            throw new InputException(field, $"{field}: '{RequestBody.Clip(t)}' is not a number. Use a whole number such as {(unit == CountUnit.Tokens ? "4096 or 32k" : "64 or 2k")}.");
        }
        if (value != Math.Floor(value) || value < min || value > max)
        {
            throw new InputException(field, $"{field} must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}, got {RequestBody.Clip(t)}.");
        }
        return (int)value;
    }

    /// <summary>
    /// A finite number within [min, max] (invariant culture, e.g. 0.5 or 1e6); empty gives <paramref name="defaultValue"/>
    /// (null when the field is optional).
    /// </summary>
    public static double? Number(string? text, string field, double? defaultValue, double min, double max)
    {
        var t = Text(text, field);
        if (t is null)
        {
            return defaultValue;
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new InputException(field, $"{field}: '{RequestBody.Clip(t)}' is not a number. Use digits with a point, e.g. 0.5 or 1e6.");
        }
        if (value < min || value > max)
        {
            throw new InputException(field, $"{field} must be from {Show(min)} to {Show(max)}, got {RequestBody.Clip(t)}.");
        }
        return value;
    }

    /// <summary>A whole number within [min, max] with no suffix (seeds, stages); empty gives null.</summary>
    public static long? Whole(string? text, string field, long min, long max)
    {
        var t = Text(text, field);
        if (t is null)
        {
            return null;
        }
        if (!long.TryParse(t, min < 0 ? NumberStyles.AllowLeadingSign : NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InputException(field, $"{field} must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}, got '{RequestBody.Clip(t)}'.");
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
            throw new InputException(field, $"{field} is {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; lists are limited to {MaxListLength.ToString("N0", CultureInfo.InvariantCulture)}. Send fewer items.");
        }
        return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
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
            throw new InputException(field, $"{field} is {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; lists are limited to {MaxListLength.ToString("N0", CultureInfo.InvariantCulture)}.");
        }
        return [.. text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The longest list field accepted, in characters.</summary>
    public const int MaxListLength = 4000;

    private static string Show(double v) =>
        Math.Abs(v) is > 0 and < 0.001 ? v.ToString("0.##########", CultureInfo.InvariantCulture) : v.ToString("#,0.###", CultureInfo.InvariantCulture);
}
