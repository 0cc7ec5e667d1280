using System.Globalization;

namespace Suanli.Quantities;

/// <summary>A span of time, stored in seconds.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct Duration : IComparable<Duration>
{
    private Duration(double value) => Value = value;

    /// <summary>The amount in seconds.</summary>
    public double Value { get; }

    /// <summary>Zero seconds.</summary>
    public static Duration Zero => default;

    /// <summary>Creates the quantity from seconds.</summary>
    public static Duration FromSeconds(double value) => new(Guard.NonNegative(value, "duration") * 1.0);

    /// <summary>The amount in seconds.</summary>
    public double InSeconds => Value / 1.0;

    /// <summary>Creates the quantity from milliseconds.</summary>
    public static Duration FromMilliseconds(double value) => new(Guard.NonNegative(value, "duration") * 0.001);

    /// <summary>The amount in milliseconds.</summary>
    public double InMilliseconds => Value / 0.001;

    /// <summary>Creates the quantity from microseconds.</summary>
    public static Duration FromMicroseconds(double value) => new(Guard.NonNegative(value, "duration") * 1e-06);

    /// <summary>The amount in microseconds.</summary>
    public double InMicroseconds => Value / 1e-06;

    /// <summary>Creates the quantity from minutes.</summary>
    public static Duration FromMinutes(double value) => new(Guard.NonNegative(value, "duration") * 60.0);

    /// <summary>The amount in minutes.</summary>
    public double InMinutes => Value / 60.0;

    /// <summary>Creates the quantity from hours.</summary>
    public static Duration FromHours(double value) => new(Guard.NonNegative(value, "duration") * 3600.0);

    /// <summary>The amount in hours.</summary>
    public double InHours => Value / 3600.0;

    /// <summary>Creates the quantity from days.</summary>
    public static Duration FromDays(double value) => new(Guard.NonNegative(value, "duration") * 86400.0);

    /// <summary>The amount in days.</summary>
    public double InDays => Value / 86400.0;

    /// <summary>Sum.</summary>
    public static Duration operator +(Duration a, Duration b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static Duration operator -(Duration a, Duration b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Duration operator *(Duration a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Duration operator *(double k, Duration a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static Duration operator /(Duration a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(Duration a, Duration b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(Duration a, Duration b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(Duration a, Duration b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(Duration a, Duration b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(Duration a, Duration b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static Duration Max(Duration a, Duration b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Duration Min(Duration a, Duration b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(Duration other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " seconds";

    internal static Duration Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("Duration arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
