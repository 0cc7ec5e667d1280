using System.Globalization;

namespace Suanli.Quantities;

/// <summary>What a count counts, which fixes what its <c>k</c> and <c>M</c> suffixes mean (<see cref="CountSuffix"/>).</summary>
public enum CountUnit
{
    /// <summary>A length in tokens (context, prompt, output, sequence): k = 1,024 and M = 1,048,576, as context sizes are written (32k = 32,768).</summary>
    Tokens,
    /// <summary>Anything else counted (devices, sequences, requests, candidates): k = 1,000 and M = 1,000,000.</summary>
    Items,
}

/// <summary>
/// The one rule for suffixes on whole counts, shared by the command line and the web API (docs/cli.md, "Numbers"):
/// lengths in tokens are binary (<c>32k</c> = 32,768, <c>1M</c> = 1,048,576, the way model contexts are named), every
/// other count is decimal (<c>2k</c> = 2,000, <c>1M</c> = 1,000,000), as are volumes (requests or tokens per month).
/// </summary>
public static class CountSuffix
{
    /// <summary>The value of one <c>k</c> for <paramref name="unit"/>: 1,024 for token lengths, 1,000 otherwise.</summary>
    public static double Kilo(CountUnit unit) => unit == CountUnit.Tokens ? 1024 : 1000;

    /// <summary>The rule as a sentence for help texts, e.g. "k = 1,024, M = 1,048,576 (32k = 32,768)".</summary>
    public static string Rule(CountUnit unit) => unit == CountUnit.Tokens
        ? "k = 1,024 and M = 1,048,576 (32k = 32,768)"
        : "k = 1,000 and M = 1,000,000 (2k = 2,000)";

    /// <summary>
    /// Reads "4096", "1e3", "32k" or "1M" (case-insensitive suffix) as a number; false when the text is not a finite
    /// number. Range and wholeness are the caller's to check.
    /// </summary>
    public static bool TryParse(string text, CountUnit unit, out double value)
    {
        var t = text.Trim();
        var multiplier = 1.0;
        if (t.EndsWith('k') || t.EndsWith('K'))
        {
            multiplier = Kilo(unit);
            t = t[..^1];
        }
        else if (t.EndsWith('m') || t.EndsWith('M'))
        {
            multiplier = Kilo(unit) * Kilo(unit);
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            value = 0;
            return false;
        }
        value *= multiplier;
        return double.IsFinite(value);
    }
}
