using System.Globalization;
using Suanli.Text;

namespace Suanli;

/// <summary>
/// Argument checks whose messages name the parameter, the value and the allowed range, so that a bad input
/// reads as a sentence a user can act on rather than a stack trace.
/// </summary>
public static class Guard
{
    /// <summary>Rejects NaN and infinities.</summary>
    public static double Finite(double value, string name)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new InputException(name, Phrase.Of("guard-finite", "{field} must be a finite number, got {value}.", ("field", name), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects NaN, infinities and negative values; zero is allowed.</summary>
    public static double NonNegative(double value, string name)
    {
        Finite(value, name);
        if (value < 0)
        {
            throw new InputException(name, Phrase.Of("guard-non-negative", "{field} must be zero or more, got {value}.", ("field", name), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects NaN, infinities, zero and negative values.</summary>
    public static double Positive(double value, string name)
    {
        Finite(value, name);
        if (value <= 0)
        {
            throw new InputException(name, Phrase.Of("guard-positive", "{field} must be greater than zero, got {value}.", ("field", name), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects values outside [min, max] (inclusive).</summary>
    public static double InRange(double value, double min, double max, string name)
    {
        Finite(value, name);
        if (value < min || value > max)
        {
            throw new InputException(name, Phrase.Of("guard-range", "{field} must be between {min} and {max}, got {value}.", ("field", name), ("min", Show(min)), ("max", Show(max)), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects integers outside [min, max] (inclusive).</summary>
    public static int InRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new InputException(name, Phrase.Of("guard-range", "{field} must be between {min} and {max}, got {value}.", ("field", name),
                ("min", min.ToString(CultureInfo.InvariantCulture)), ("max", max.ToString(CultureInfo.InvariantCulture)), ("value", value.ToString(CultureInfo.InvariantCulture))));
        }
        return value;
    }

    /// <summary>Rejects zero and negative decimals (money, prices).</summary>
    public static decimal NonNegative(decimal value, string name)
    {
        if (value < 0)
        {
            throw new InputException(name, Phrase.Of("guard-non-negative", "{field} must be zero or more, got {value}.", ("field", name), ("value", value.ToString(CultureInfo.InvariantCulture))));
        }
        return value;
    }

    /// <summary>Rejects NaN and infinities; the message names <paramref name="field"/> as each front end spells it.</summary>
    public static double Finite(double value, FieldName field)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new InputException(field, Phrase.Of("guard-finite", "{field} must be a finite number, got {value}.", ("field", field), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects NaN, infinities and negative values (zero is allowed), naming <paramref name="field"/>.</summary>
    public static double NonNegative(double value, FieldName field)
    {
        Finite(value, field);
        if (value < 0)
        {
            throw new InputException(field, Phrase.Of("guard-non-negative", "{field} must be zero or more, got {value}.", ("field", field), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects NaN, infinities, zero and negative values, naming <paramref name="field"/>.</summary>
    public static double Positive(double value, FieldName field)
    {
        Finite(value, field);
        if (value <= 0)
        {
            throw new InputException(field, Phrase.Of("guard-positive", "{field} must be greater than zero, got {value}.", ("field", field), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects values outside [min, max] (inclusive), naming <paramref name="field"/>.</summary>
    public static double InRange(double value, double min, double max, FieldName field)
    {
        Finite(value, field);
        if (value < min || value > max)
        {
            throw new InputException(field, Phrase.Of("guard-range", "{field} must be between {min} and {max}, got {value}.", ("field", field), ("min", Show(min)), ("max", Show(max)), ("value", Show(value))));
        }
        return value;
    }

    /// <summary>Rejects integers outside [min, max] (inclusive), naming <paramref name="field"/>.</summary>
    public static int InRange(int value, int min, int max, FieldName field)
    {
        if (value < min || value > max)
        {
            throw new InputException(field, Phrase.Of("guard-range", "{field} must be between {min} and {max}, got {value}.", ("field", field),
                ("min", min.ToString(CultureInfo.InvariantCulture)), ("max", max.ToString(CultureInfo.InvariantCulture)), ("value", value.ToString(CultureInfo.InvariantCulture))));
        }
        return value;
    }

    private static string Show(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
