using System.Globalization;

namespace Suanli.Quantities;

/// <summary>A number of tokens (may be fractional as a mean).</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct Tokens : IComparable<Tokens>
{
    private Tokens(double value) => Value = value;

    /// <summary>The amount in tokens.</summary>
    public double Value { get; }

    /// <summary>Zero tokens.</summary>
    public static Tokens Zero => default;

    /// <summary>Creates the quantity from tokens.</summary>
    public static Tokens FromCount(double value) => new(Guard.NonNegative(value, "tokens") * 1.0);

    /// <summary>The amount in tokens.</summary>
    public double InCount => Value / 1.0;

    /// <summary>Creates the quantity from thousands of tokens.</summary>
    public static Tokens FromThousands(double value) => new(Guard.NonNegative(value, "tokens") * 1000.0);

    /// <summary>The amount in thousands of tokens.</summary>
    public double InThousands => Value / 1000.0;

    /// <summary>Creates the quantity from millions of tokens.</summary>
    public static Tokens FromMillions(double value) => new(Guard.NonNegative(value, "tokens") * 1000000.0);

    /// <summary>The amount in millions of tokens.</summary>
    public double InMillions => Value / 1000000.0;

    /// <summary>Creates the quantity from billions of tokens.</summary>
    public static Tokens FromBillions(double value) => new(Guard.NonNegative(value, "tokens") * 1000000000.0);

    /// <summary>The amount in billions of tokens.</summary>
    public double InBillions => Value / 1000000000.0;

    /// <summary>Creates the quantity from trillions of tokens.</summary>
    public static Tokens FromTrillions(double value) => new(Guard.NonNegative(value, "tokens") * 1000000000000.0);

    /// <summary>The amount in trillions of tokens.</summary>
    public double InTrillions => Value / 1000000000000.0;

    /// <summary>Sum.</summary>
    public static Tokens operator +(Tokens a, Tokens b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static Tokens operator -(Tokens a, Tokens b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Tokens operator *(Tokens a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Tokens operator *(double k, Tokens a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static Tokens operator /(Tokens a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(Tokens a, Tokens b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(Tokens a, Tokens b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(Tokens a, Tokens b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(Tokens a, Tokens b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(Tokens a, Tokens b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static Tokens Max(Tokens a, Tokens b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Tokens Min(Tokens a, Tokens b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(Tokens other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " tokens";

    internal static Tokens Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("Tokens arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
