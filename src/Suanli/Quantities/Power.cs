using System.Globalization;

namespace Suanli.Quantities;

/// <summary>Electrical power, in watts.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct Power : IComparable<Power>
{
    private Power(double value) => Value = value;

    /// <summary>The amount in watts.</summary>
    public double Value { get; }

    /// <summary>Zero watts.</summary>
    public static Power Zero => default;

    /// <summary>Creates the quantity from watts.</summary>
    public static Power FromWatts(double value) => new(Guard.NonNegative(value, "power") * 1.0);

    /// <summary>The amount in watts.</summary>
    public double InWatts => Value / 1.0;

    /// <summary>Creates the quantity from kilowatts.</summary>
    public static Power FromKilowatts(double value) => new(Guard.NonNegative(value, "power") * 1000.0);

    /// <summary>The amount in kilowatts.</summary>
    public double InKilowatts => Value / 1000.0;

    /// <summary>Creates the quantity from megawatts.</summary>
    public static Power FromMegawatts(double value) => new(Guard.NonNegative(value, "power") * 1000000.0);

    /// <summary>The amount in megawatts.</summary>
    public double InMegawatts => Value / 1000000.0;

    /// <summary>Sum.</summary>
    public static Power operator +(Power a, Power b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static Power operator -(Power a, Power b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Power operator *(Power a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Power operator *(double k, Power a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static Power operator /(Power a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(Power a, Power b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(Power a, Power b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(Power a, Power b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(Power a, Power b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(Power a, Power b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static Power Max(Power a, Power b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Power Min(Power a, Power b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(Power other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " watts";

    internal static Power Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("Power arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
