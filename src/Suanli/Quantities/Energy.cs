using System.Globalization;

namespace Suanli.Quantities;

/// <summary>Electrical energy, in joules.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct Energy : IComparable<Energy>
{
    private Energy(double value) => Value = value;

    /// <summary>The amount in joules.</summary>
    public double Value { get; }

    /// <summary>Zero joules.</summary>
    public static Energy Zero => default;

    /// <summary>Creates the quantity from joules.</summary>
    public static Energy FromJoules(double value) => new(Guard.NonNegative(value, "energy") * 1.0);

    /// <summary>The amount in joules.</summary>
    public double InJoules => Value / 1.0;

    /// <summary>Creates the quantity from kilowatt-hours.</summary>
    public static Energy FromKilowattHours(double value) => new(Guard.NonNegative(value, "energy") * 3600000.0);

    /// <summary>The amount in kilowatt-hours.</summary>
    public double InKilowattHours => Value / 3600000.0;

    /// <summary>Creates the quantity from megawatt-hours.</summary>
    public static Energy FromMegawattHours(double value) => new(Guard.NonNegative(value, "energy") * 3600000000.0);

    /// <summary>The amount in megawatt-hours.</summary>
    public double InMegawattHours => Value / 3600000000.0;

    /// <summary>Creates the quantity from gigawatt-hours.</summary>
    public static Energy FromGigawattHours(double value) => new(Guard.NonNegative(value, "energy") * 3600000000000.0);

    /// <summary>The amount in gigawatt-hours.</summary>
    public double InGigawattHours => Value / 3600000000000.0;

    /// <summary>Sum.</summary>
    public static Energy operator +(Energy a, Energy b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static Energy operator -(Energy a, Energy b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Energy operator *(Energy a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Energy operator *(double k, Energy a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static Energy operator /(Energy a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(Energy a, Energy b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(Energy a, Energy b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(Energy a, Energy b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(Energy a, Energy b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(Energy a, Energy b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static Energy Max(Energy a, Energy b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Energy Min(Energy a, Energy b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(Energy other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " joules";

    internal static Energy Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("Energy arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
