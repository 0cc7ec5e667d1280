using System.Globalization;

namespace Suanli.Quantities;

/// <summary>An amount of arithmetic, in floating-point (or integer) operations; a multiply-add counts as two.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct Flop : IComparable<Flop>
{
    private Flop(double value) => Value = value;

    /// <summary>The amount in FLOP.</summary>
    public double Value { get; }

    /// <summary>Zero FLOP.</summary>
    public static Flop Zero => default;

    /// <summary>Creates the quantity from operations.</summary>
    public static Flop FromFlop(double value) => new(Guard.NonNegative(value, "flop") * 1.0);

    /// <summary>The amount in operations.</summary>
    public double InFlop => Value / 1.0;

    /// <summary>Creates the quantity from 10^9 operations.</summary>
    public static Flop FromGigaflop(double value) => new(Guard.NonNegative(value, "flop") * 1000000000.0);

    /// <summary>The amount in 10^9 operations.</summary>
    public double InGigaflop => Value / 1000000000.0;

    /// <summary>Creates the quantity from 10^12 operations.</summary>
    public static Flop FromTeraflop(double value) => new(Guard.NonNegative(value, "flop") * 1000000000000.0);

    /// <summary>The amount in 10^12 operations.</summary>
    public double InTeraflop => Value / 1000000000000.0;

    /// <summary>Creates the quantity from 10^15 operations.</summary>
    public static Flop FromPetaflop(double value) => new(Guard.NonNegative(value, "flop") * 1000000000000000.0);

    /// <summary>The amount in 10^15 operations.</summary>
    public double InPetaflop => Value / 1000000000000000.0;

    /// <summary>Creates the quantity from 10^18 operations.</summary>
    public static Flop FromExaflop(double value) => new(Guard.NonNegative(value, "flop") * 1e+18);

    /// <summary>The amount in 10^18 operations.</summary>
    public double InExaflop => Value / 1e+18;

    /// <summary>Sum.</summary>
    public static Flop operator +(Flop a, Flop b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static Flop operator -(Flop a, Flop b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Flop operator *(Flop a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Flop operator *(double k, Flop a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static Flop operator /(Flop a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(Flop a, Flop b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(Flop a, Flop b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(Flop a, Flop b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(Flop a, Flop b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(Flop a, Flop b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static Flop Max(Flop a, Flop b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Flop Min(Flop a, Flop b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(Flop other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " FLOP";

    internal static Flop Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("Flop arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
