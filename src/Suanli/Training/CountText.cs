using System.Globalization;

namespace Suanli.Training;

/// <summary>
/// Reads large counts as people write them: 300e9, 300B, 1.4T, 2.5M, 500k (decimal: k = 10^3, M = 10^6,
/// B/G = 10^9, T = 10^12, P = 10^15), for tokens, FLOPs and parameters.
/// </summary>
public static class CountText
{
    /// <summary>Parses a positive, finite count; anything else is an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static double ParsePositive(string text, Suanli.Text.FieldRef field)
    {
        var t = (text ?? "").Trim().Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        var multiplier = 1.0;
        if (t.Length > 0)
        {
            multiplier = char.ToUpperInvariant(t[^1]) switch
            {
                'K' => 1e3,
                'M' => 1e6,
                'B' or 'G' => 1e9,
                'T' => 1e12,
                'P' => 1e15,
                _ => 1.0,
            };
            if (multiplier != 1.0)
            {
                t = t[..^1];
            }
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw field.Error(Suanli.Text.Phrase.Of("count-not-a-number", "{field}: '{text}' is not a number; write it like 300e9, 300B or 1.4T.", ("field", field.Arg), ("text", Suanli.Text.InputQuote.Clip(text ?? ""))));
        }
        value *= multiplier;
        if (value <= 0 || !double.IsFinite(value) || value > 1e30)
        {
            throw field.Error(Suanli.Text.Phrase.Of("count-range", "{field} must be more than zero and at most 1e30, got '{text}'.", ("field", field.Arg), ("text", text ?? "")));
        }
        return value;
    }
}
