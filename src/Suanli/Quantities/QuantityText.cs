using System.Globalization;

namespace Suanli.Quantities;

/// <summary>
/// Reads quantities written with their unit ("80 GiB", "3350 GB/s", "989 TFLOP/s", "700 W", "30000 USD"), the form
/// catalog files and options use so that a decimal-vs-binary or per-second slip is visible in the data itself.
/// </summary>
public static class QuantityText
{
    private static readonly Dictionary<string, double> ByteUnits = new(StringComparer.Ordinal)
    {
        ["B"] = 1, ["kB"] = 1e3, ["KB"] = 1e3, ["MB"] = 1e6, ["GB"] = 1e9, ["TB"] = 1e12, ["PB"] = 1e15,
        ["KiB"] = 1024.0, ["MiB"] = 1048576.0, ["GiB"] = 1073741824.0, ["TiB"] = 1099511627776.0,
    };

    private static readonly Dictionary<string, double> RateUnits = new(StringComparer.Ordinal)
    {
        ["B/s"] = 1, ["kB/s"] = 1e3, ["MB/s"] = 1e6, ["GB/s"] = 1e9, ["TB/s"] = 1e12,
    };

    private static readonly Dictionary<string, double> FlopRateUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FLOP/s"] = 1, ["GFLOP/s"] = 1e9, ["TFLOP/s"] = 1e12, ["PFLOP/s"] = 1e15, ["TOPS"] = 1e12, ["TFLOPS"] = 1e12, ["PFLOPS"] = 1e15,
    };

    // Exponentials per second, the unit special-function-unit rates are published in ("TeraExponentials/s").
    private static readonly Dictionary<string, double> ExpRateUnits = new(StringComparer.Ordinal)
    {
        ["exp/s"] = 1, ["Gexp/s"] = 1e9, ["Texp/s"] = 1e12,
    };

    private static readonly Dictionary<string, double> PowerUnits = new(StringComparer.Ordinal)
    {
        ["W"] = 1, ["kW"] = 1e3, ["MW"] = 1e6,
    };

    /// <summary>Parses bytes; the unit is required (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB).</summary>
    public static Bytes ParseBytes(string text, string field) => Bytes.FromBytes(Parse(text, field, ByteUnits, Suanli.Text.Phrase.Of("quantity-kind#bytes", "bytes"), "80 GiB"));

    /// <summary>Parses a data rate (B/s, MB/s, GB/s, TB/s; decimal prefixes).</summary>
    public static ByteRate ParseByteRate(string text, string field) => ByteRate.FromBytesPerSecond(Parse(text, field, RateUnits, Suanli.Text.Phrase.Of("quantity-kind#data-rate", "a data rate"), "3350 GB/s"));

    /// <summary>Parses an arithmetic rate (FLOP/s, TFLOP/s, PFLOP/s, TOPS).</summary>
    public static FlopRate ParseFlopRate(string text, string field) => FlopRate.FromFlopPerSecond(Parse(text, field, FlopRateUnits, Suanli.Text.Phrase.Of("quantity-kind#arithmetic-rate", "an arithmetic rate"), "989 TFLOP/s"));

    /// <summary>
    /// Parses a rate of exponentials (exp/s, Gexp/s, Texp/s) into operations per second, one exponential counted as one
    /// operation, as the published special-function-unit figures count them.
    /// </summary>
    public static FlopRate ParseExponentialRate(string text, string field) => FlopRate.FromFlopPerSecond(Parse(text, field, ExpRateUnits, Suanli.Text.Phrase.Of("quantity-kind#exponential-rate", "a rate of exponentials"), "3.9 Texp/s"));

    /// <summary>Parses power (W, kW, MW).</summary>
    public static Power ParsePower(string text, string field) => Power.FromWatts(Parse(text, field, PowerUnits, Suanli.Text.Phrase.Of("quantity-kind#power", "power"), "700 W"));

    /// <summary>Parses money as "&lt;decimal&gt; &lt;currency&gt;", e.g. "2.50 USD"; the amount may not be negative.</summary>
    public static Money ParseMoney(string text, Suanli.Text.FieldRef field)
    {
        var (number, unit) = Split(text, field, "30000 USD");
        var isDecimal = decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount);
        // "1e300 USD" is a number, only past what money can hold: say so, with the limit, rather than "not an amount".
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) > Money.LargestAmount)
        {
            throw field.Error(Suanli.Text.Phrase.Of("money-out-of-range", "{field}: '{text}' is out of range: an amount of money is at most {largest}; check the exponent or the digits.",
                ("field", field.Arg), ("text", text), ("largest", Suanli.Text.Fmt.Number(Money.LargestAmount))));
        }
        if (!isDecimal)
        {
            throw field.Error(Suanli.Text.Phrase.Of("money-not-an-amount", "{field}: '{text}' is not an amount of money; write it like '30000 USD'.", ("field", field.Arg), ("text", text)));
        }
        return Money.Price(amount, Currency.Parse(unit, field), field.Spelling);
    }

    /// <summary>Parses an electricity tariff "&lt;decimal&gt; &lt;currency&gt;/kWh" into money per kilowatt-hour.</summary>
    public static Money ParseTariff(string text, Suanli.Text.FieldRef field)
    {
        var trimmed = text.Trim();
        var parsed = double.TryParse(trimmed.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var first);
        // 'NaN CNY/kWh' was refused as money: "'NaN CNY' needs a number and a unit, e.g. '30000 USD'".
        if (!trimmed.EndsWith("/kWh", StringComparison.Ordinal) || (parsed && double.IsNaN(first)))
        {
            throw field.Error(Suanli.Text.Phrase.Of("tariff-not-a-tariff", "{field}: '{text}' is not a tariff; write it like '0.65 CNY/kWh'.", ("field", field.Arg), ("text", text)));
        }
        var number = trimmed[..^4].Trim();
        var cut = number.LastIndexOf(' ');
        // '1e308 CNY/kWh' used to be told as '1e308 CNY' out of money's range, and '1e20 CNY/kWh' overflowed a month's bill.
        if (cut > 0 && double.TryParse(number[..cut], NumberStyles.Float, CultureInfo.InvariantCulture, out var perKwh) && perKwh > LargestTariff)
        {
            throw field.Error(Suanli.Text.Phrase.Of("tariff-out-of-range", "{field}: '{text}' is out of range: a tariff is at most {largest} USD, CNY or EUR per kWh; check the exponent or the digits.",
                ("field", field.Arg), ("text", text.Trim()), ("largest", Suanli.Text.Fmt.Number(LargestTariff))));
        }
        if (cut > 0 && double.TryParse(number[..cut], NumberStyles.Float, CultureInfo.InvariantCulture, out var negative) && negative < 0)
        {
            // '-1 USD/kWh' in a scenario was told as "--tariff must be zero or more", an option plan does not have, at no line.
            throw field.Error(Suanli.Text.Phrase.Of("tariff-negative", "{field}: '{text}' is negative; a tariff is zero or more per kWh, e.g. '0.65 CNY/kWh'.",
                ("field", field.Arg), ("text", text.Trim())));
        }
        return ParseMoney(number, field);
    }

    /// <summary>
    /// The dearest electricity tariff accepted, per kWh in any known currency: over 300 times the dearest tariff in
    /// catalog/prices/energy.yaml (EU households, 0.2872 EUR/kWh, Eurostat H2 2024), so only a mistyped exponent or
    /// unit reaches it, and a month's energy bill at it stays far inside what money can hold.
    /// </summary>
    public const double LargestTariff = 100;

    /// <summary>Parses a byte size for a command-line option; a bare number is refused so that GB and GiB cannot be confused.</summary>
    public static bool TryParseBytes(string text, out Bytes bytes)
    {
        try
        {
            bytes = ParseBytes(text, "value");
            return true;
        }
        catch (InputException)
        {
            bytes = Bytes.Zero;
            return false;
        }
    }

    private static double Parse(string text, string field, Dictionary<string, double> units, Suanli.Text.Phrase what, string example)
    {
        var (number, unit) = Split(text, field, example);
        if (!units.TryGetValue(unit, out var factor))
        {
            throw new InputException(field, Suanli.Text.Phrase.Of("quantity-wrong-unit", "{field}: '{text}' has unit '{unit}', which is not {what}; use one of {units} (e.g. '{example}').",
                ("field", field), ("text", text), ("unit", unit), ("what", what), ("units", Suanli.Text.PhraseList.Words(units.Keys)), ("example", example)));
        }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new InputException(field, Suanli.Text.Phrase.Of("quantity-not-a-number", "{field}: '{number}' is not a number (e.g. '{example}').", ("field", field), ("number", number), ("example", example)));
        }
        if (value < 0)
        {
            throw new InputException(field, Suanli.Text.Phrase.Of("quantity-negative", "{field}: '{text}' is negative; it must be zero or more.", ("field", field), ("text", text)));
        }
        // 1e308 kW is a finite number of kilowatts but not of watts: say so rather than report an infinity later.
        if (!double.IsFinite(value * factor))
        {
            throw new InputException(field, Suanli.Text.Phrase.Of("quantity-too-large", "{field}: '{text}' is too large to be {what} (e.g. '{example}').", ("field", field), ("text", text), ("what", what), ("example", example)));
        }
        return value * factor;
    }

    private static (string Number, string Unit) Split(string text, Suanli.Text.FieldRef field, string example)
    {
        var trimmed = (text ?? string.Empty).Trim();
        var i = 0;
        while (i < trimmed.Length && (char.IsDigit(trimmed[i]) || trimmed[i] is '.' or '-' or '+' or 'e' or 'E'))
        {
            // 'e' is an exponent only when followed by a digit or sign; otherwise it starts the unit (e.g. none here, but be strict).
            if (trimmed[i] is 'e' or 'E' && (i + 1 >= trimmed.Length || !(char.IsDigit(trimmed[i + 1]) || trimmed[i + 1] is '-' or '+')))
            {
                break;
            }
            i++;
        }
        var number = trimmed[..i];
        var unit = trimmed[i..].Trim();
        if (number.Length == 0 || unit.Length == 0)
        {
            throw field.Error(Suanli.Text.Phrase.Of("quantity-no-unit", "{field}: '{text}' needs a number and a unit, e.g. '{example}'.", ("field", field.Arg), ("text", text ?? ""), ("example", example)));
        }
        return (number, unit);
    }
}
