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

    /// <summary>A whole count such as 4096, 32k (x 1,024) or 1M (x 1,048,576) within [min, max]; empty gives the default.</summary>
    public static int Count(string? text, string field, int defaultValue, int min, int max)
    {
        var t = Text(text, field);
        if (t is null)
        {
            return defaultValue;
        }
        var multiplier = 1.0;
        var digits = t;
        if (t.EndsWith('k') || t.EndsWith('K'))
        {
            multiplier = 1024;
            digits = t[..^1];
        }
        else if (t.EndsWith('m') || t.EndsWith('M'))
        {
            multiplier = 1024 * 1024;
            digits = t[..^1];
        }
        if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new InputException(field, $"{field}: '{RequestBody.Clip(t)}' is not a number. Use a whole number such as 4096 or 32k.");
        }
        value *= multiplier;
        if (value != Math.Floor(value) || value < min || value > max)
        {
            throw new InputException(field, $"{field} must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}, got {RequestBody.Clip(t)}.");
        }
        return (int)value;
    }
}
