using System.Globalization;

namespace Suanli.Quantities;

/// <summary>A data rate in bytes per second (memory bandwidth, link bandwidth); decimal prefixes as datasheets use them.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct ByteRate : IComparable<ByteRate>
{
    private ByteRate(double value) => Value = value;

    /// <summary>The amount in bytes/s.</summary>
    public double Value { get; }

    /// <summary>Zero bytes/s.</summary>
    public static ByteRate Zero => default;

    /// <summary>Creates the quantity from bytes per second.</summary>
    public static ByteRate FromBytesPerSecond(double value) => new(Guard.NonNegative(value, "byterate") * 1.0);

    /// <summary>The amount in bytes per second.</summary>
    public double InBytesPerSecond => Value / 1.0;

    /// <summary>Creates the quantity from 10^6 bytes per second.</summary>
    public static ByteRate FromMegabytesPerSecond(double value) => new(Guard.NonNegative(value, "byterate") * 1000000.0);

    /// <summary>The amount in 10^6 bytes per second.</summary>
    public double InMegabytesPerSecond => Value / 1000000.0;

    /// <summary>Creates the quantity from 10^9 bytes per second (GB/s).</summary>
    public static ByteRate FromGigabytesPerSecond(double value) => new(Guard.NonNegative(value, "byterate") * 1000000000.0);

    /// <summary>The amount in 10^9 bytes per second (GB/s).</summary>
    public double InGigabytesPerSecond => Value / 1000000000.0;

    /// <summary>Creates the quantity from 10^12 bytes per second (TB/s).</summary>
    public static ByteRate FromTerabytesPerSecond(double value) => new(Guard.NonNegative(value, "byterate") * 1000000000000.0);

    /// <summary>The amount in 10^12 bytes per second (TB/s).</summary>
    public double InTerabytesPerSecond => Value / 1000000000000.0;

    /// <summary>Sum.</summary>
    public static ByteRate operator +(ByteRate a, ByteRate b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static ByteRate operator -(ByteRate a, ByteRate b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static ByteRate operator *(ByteRate a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static ByteRate operator *(double k, ByteRate a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static ByteRate operator /(ByteRate a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(ByteRate a, ByteRate b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(ByteRate a, ByteRate b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(ByteRate a, ByteRate b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(ByteRate a, ByteRate b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(ByteRate a, ByteRate b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static ByteRate Max(ByteRate a, ByteRate b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static ByteRate Min(ByteRate a, ByteRate b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(ByteRate other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " bytes/s";

    internal static ByteRate Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("ByteRate arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
