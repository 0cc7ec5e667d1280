using System.Globalization;
using Suanli.Text;

namespace Suanli;

/// <summary>
/// Argument checks whose messages name the parameter, the value and the allowed range, so that a bad input
/// reads as a sentence a user can act on rather than a stack trace. Each check takes the field as a spelling fixed
/// by the caller (a string), as a <see cref="FieldRef"/> (a logical field each front end spells its own way), or as a
/// phrase that says what the value is (a trace row's column) together with the field at fault.
/// </summary>
public static class Guard
{
    /// <summary>Rejects NaN and infinities.</summary>
    public static double Finite(double value, string name) => Finite(value, name, text => new InputException(name, text));

    /// <summary>Rejects NaN, infinities and negative values; zero is allowed.</summary>
    public static double NonNegative(double value, string name) => NonNegative(value, name, text => new InputException(name, text));

    /// <summary>Rejects NaN, infinities, zero and negative values.</summary>
    public static double Positive(double value, string name) => Positive(value, name, text => new InputException(name, text));

    /// <summary>Rejects values outside [min, max] (inclusive).</summary>
    public static double InRange(double value, double min, double max, string name) => InRange(value, min, max, name, text => new InputException(name, text));

    /// <summary>Rejects integers outside [min, max] (inclusive).</summary>
    public static int InRange(int value, int min, int max, string name) => InRange(value, min, max, name, text => new InputException(name, text));

    /// <summary>Rejects zero and negative decimals (money, prices).</summary>
    public static decimal NonNegative(decimal value, string name)
    {
        if (value < 0)
        {
            throw new InputException(name, Phrase.Of("guard-non-negative", "{field} must be zero or more, got {value}.", ("field", name), ("value", Fmt.Number(value))));
        }
        return value;
    }

    /// <summary>Rejects NaN and infinities; the message names <paramref name="field"/> as each front end spells it.</summary>
    public static double Finite(double value, FieldRef field) => Finite(value, field.Arg, field.Error);

    /// <summary>Rejects NaN, infinities and negative values (zero is allowed), naming <paramref name="field"/>.</summary>
    public static double NonNegative(double value, FieldRef field) => NonNegative(value, field.Arg, field.Error);

    /// <summary>Rejects NaN, infinities, zero and negative values, naming <paramref name="field"/>.</summary>
    public static double Positive(double value, FieldRef field) => Positive(value, field.Arg, field.Error);

    /// <summary>Rejects values outside [min, max] (inclusive), naming <paramref name="field"/>.</summary>
    public static double InRange(double value, double min, double max, FieldRef field) => InRange(value, min, max, field.Arg, field.Error);

    /// <summary>Rejects integers outside [min, max] (inclusive), naming <paramref name="field"/>.</summary>
    public static int InRange(int value, int min, int max, FieldRef field) => InRange(value, min, max, field.Arg, field.Error);

    /// <summary>Rejects NaN, infinities and negative values; the message says <paramref name="what"/> the value is, the error names <paramref name="field"/>.</summary>
    public static double NonNegative(double value, Phrase what, FieldRef field) => NonNegative(value, what, field.Error);

    /// <summary>Rejects NaN, infinities and values outside [min, max]; the message says <paramref name="what"/> the value is, the error names <paramref name="field"/>.</summary>
    public static double InRange(double value, double min, double max, Phrase what, FieldRef field) => InRange(value, min, max, what, field.Error);

    /// <summary>Rejects integers outside [min, max]; the message says <paramref name="what"/> the value is, the error names <paramref name="field"/>.</summary>
    public static int InRange(int value, int min, int max, Phrase what, FieldRef field) => InRange(value, min, max, what, field.Error);

    // The checks themselves: 'what' is the placeholder's value (a spelling, a logical field or a phrase), 'error' raises on the right field.
    private static double Finite(double value, object what, Func<Phrase, InputException> error)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw error(Phrase.Of("guard-finite", "{field} must be a finite number, got {value}.", ("field", what), ("value", Show(value))));
        }
        return value;
    }

    private static double NonNegative(double value, object what, Func<Phrase, InputException> error)
    {
        Finite(value, what, error);
        if (value < 0)
        {
            throw error(Phrase.Of("guard-non-negative", "{field} must be zero or more, got {value}.", ("field", what), ("value", Show(value))));
        }
        return value;
    }

    private static double Positive(double value, object what, Func<Phrase, InputException> error)
    {
        Finite(value, what, error);
        if (value <= 0)
        {
            throw error(Phrase.Of("guard-positive", "{field} must be greater than zero, got {value}.", ("field", what), ("value", Show(value))));
        }
        return value;
    }

    private static double InRange(double value, double min, double max, object what, Func<Phrase, InputException> error)
    {
        Finite(value, what, error);
        if (value < min || value > max)
        {
            throw error(Phrase.Of("guard-range", "{field} must be between {min} and {max}, got {value}.", ("field", what), ("min", Show(min)), ("max", Show(max)), ("value", Show(value))));
        }
        return value;
    }

    private static int InRange(int value, int min, int max, object what, Func<Phrase, InputException> error)
    {
        if (value < min || value > max)
        {
            throw error(Phrase.Of("guard-range", "{field} must be between {min} and {max}, got {value}.", ("field", what),
                ("min", Fmt.Number(min)), ("max", Fmt.Number(max)), ("value", Fmt.Number(value))));
        }
        return value;
    }

    // The value and the limits as the reports write numbers (2,592,000; 1e+308), the same in every language.
    private static string Show(double value) => Fmt.Number(value);
}
