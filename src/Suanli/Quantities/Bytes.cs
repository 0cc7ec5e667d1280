using System.Globalization;

namespace Suanli.Quantities;

/// <summary>An amount of memory or data. Decimal prefixes (kB, MB, GB, TB = 10^3n) and binary prefixes (KiB, MiB, GiB, TiB = 2^10n) are different units: each factory says which.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct Bytes : IComparable<Bytes>
{
    private Bytes(double value) => Value = value;

    /// <summary>The amount in bytes.</summary>
    public double Value { get; }

    /// <summary>Zero bytes.</summary>
    public static Bytes Zero => default;

    /// <summary>Creates the quantity from bytes.</summary>
    public static Bytes FromBytes(double value) => new(Guard.NonNegative(value, "bytes") * 1.0);

    /// <summary>The amount in bytes.</summary>
    public double InBytes => Value / 1.0;

    /// <summary>Creates the quantity from kilobytes (10^3 bytes).</summary>
    public static Bytes FromKilobytes(double value) => new(Guard.NonNegative(value, "bytes") * 1000.0);

    /// <summary>The amount in kilobytes (10^3 bytes).</summary>
    public double InKilobytes => Value / 1000.0;

    /// <summary>Creates the quantity from megabytes (10^6 bytes).</summary>
    public static Bytes FromMegabytes(double value) => new(Guard.NonNegative(value, "bytes") * 1000000.0);

    /// <summary>The amount in megabytes (10^6 bytes).</summary>
    public double InMegabytes => Value / 1000000.0;

    /// <summary>Creates the quantity from gigabytes (10^9 bytes).</summary>
    public static Bytes FromGigabytes(double value) => new(Guard.NonNegative(value, "bytes") * 1000000000.0);

    /// <summary>The amount in gigabytes (10^9 bytes).</summary>
    public double InGigabytes => Value / 1000000000.0;

    /// <summary>Creates the quantity from terabytes (10^12 bytes).</summary>
    public static Bytes FromTerabytes(double value) => new(Guard.NonNegative(value, "bytes") * 1000000000000.0);

    /// <summary>The amount in terabytes (10^12 bytes).</summary>
    public double InTerabytes => Value / 1000000000000.0;

    /// <summary>Creates the quantity from kibibytes (2^10 bytes).</summary>
    public static Bytes FromKibibytes(double value) => new(Guard.NonNegative(value, "bytes") * 1024.0);

    /// <summary>The amount in kibibytes (2^10 bytes).</summary>
    public double InKibibytes => Value / 1024.0;

    /// <summary>Creates the quantity from mebibytes (2^20 bytes).</summary>
    public static Bytes FromMebibytes(double value) => new(Guard.NonNegative(value, "bytes") * 1048576.0);

    /// <summary>The amount in mebibytes (2^20 bytes).</summary>
    public double InMebibytes => Value / 1048576.0;

    /// <summary>Creates the quantity from gibibytes (2^30 bytes).</summary>
    public static Bytes FromGibibytes(double value) => new(Guard.NonNegative(value, "bytes") * 1073741824.0);

    /// <summary>The amount in gibibytes (2^30 bytes).</summary>
    public double InGibibytes => Value / 1073741824.0;

    /// <summary>Creates the quantity from tebibytes (2^40 bytes).</summary>
    public static Bytes FromTebibytes(double value) => new(Guard.NonNegative(value, "bytes") * 1099511627776.0);

    /// <summary>The amount in tebibytes (2^40 bytes).</summary>
    public double InTebibytes => Value / 1099511627776.0;

    /// <summary>Sum.</summary>
    public static Bytes operator +(Bytes a, Bytes b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static Bytes operator -(Bytes a, Bytes b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Bytes operator *(Bytes a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static Bytes operator *(double k, Bytes a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static Bytes operator /(Bytes a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(Bytes a, Bytes b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(Bytes a, Bytes b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(Bytes a, Bytes b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(Bytes a, Bytes b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(Bytes a, Bytes b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static Bytes Max(Bytes a, Bytes b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Bytes Min(Bytes a, Bytes b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(Bytes other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " bytes";

    internal static Bytes Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("Bytes arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
