using System.Globalization;

namespace Suanli.Quantities;

/// <summary>A rate of arithmetic, in operations per second (FLOP/s; integer TOPS use the same unit).</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct FlopRate : IComparable<FlopRate>
{
    private FlopRate(double value) => Value = value;

    /// <summary>The amount in FLOP/s.</summary>
    public double Value { get; }

    /// <summary>Zero FLOP/s.</summary>
    public static FlopRate Zero => default;

    /// <summary>Creates the quantity from operations per second.</summary>
    public static FlopRate FromFlopPerSecond(double value) => new(Guard.NonNegative(value, "floprate") * 1.0);

    /// <summary>The amount in operations per second.</summary>
    public double InFlopPerSecond => Value / 1.0;

    /// <summary>Creates the quantity from 10^9 operations per second.</summary>
    public static FlopRate FromGigaflopPerSecond(double value) => new(Guard.NonNegative(value, "floprate") * 1000000000.0);

    /// <summary>The amount in 10^9 operations per second.</summary>
    public double InGigaflopPerSecond => Value / 1000000000.0;

    /// <summary>Creates the quantity from 10^12 operations per second (TFLOP/s).</summary>
    public static FlopRate FromTeraflopPerSecond(double value) => new(Guard.NonNegative(value, "floprate") * 1000000000000.0);

    /// <summary>The amount in 10^12 operations per second (TFLOP/s).</summary>
    public double InTeraflopPerSecond => Value / 1000000000000.0;

    /// <summary>Creates the quantity from 10^15 operations per second (PFLOP/s).</summary>
    public static FlopRate FromPetaflopPerSecond(double value) => new(Guard.NonNegative(value, "floprate") * 1000000000000000.0);

    /// <summary>The amount in 10^15 operations per second (PFLOP/s).</summary>
    public double InPetaflopPerSecond => Value / 1000000000000000.0;

    /// <summary>Sum.</summary>
    public static FlopRate operator +(FlopRate a, FlopRate b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static FlopRate operator -(FlopRate a, FlopRate b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static FlopRate operator *(FlopRate a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static FlopRate operator *(double k, FlopRate a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static FlopRate operator /(FlopRate a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(FlopRate a, FlopRate b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(FlopRate a, FlopRate b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(FlopRate a, FlopRate b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(FlopRate a, FlopRate b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(FlopRate a, FlopRate b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static FlopRate Max(FlopRate a, FlopRate b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static FlopRate Min(FlopRate a, FlopRate b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(FlopRate other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " FLOP/s";

    internal static FlopRate Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("FlopRate arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
