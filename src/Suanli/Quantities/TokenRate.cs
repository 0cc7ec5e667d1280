using System.Globalization;

namespace Suanli.Quantities;

/// <summary>A rate of tokens per second.</summary>
/// <remarks>Factories reject NaN, infinity and negative values; arithmetic may give a negative difference (a deficit), never NaN.</remarks>
public readonly partial record struct TokenRate : IComparable<TokenRate>
{
    private TokenRate(double value) => Value = value;

    /// <summary>The amount in tokens/s.</summary>
    public double Value { get; }

    /// <summary>Zero tokens/s.</summary>
    public static TokenRate Zero => default;

    /// <summary>Creates the quantity from tokens per second.</summary>
    public static TokenRate FromTokensPerSecond(double value) => new(Guard.NonNegative(value, "tokenrate") * 1.0);

    /// <summary>The amount in tokens per second.</summary>
    public double InTokensPerSecond => Value / 1.0;

    /// <summary>Sum.</summary>
    public static TokenRate operator +(TokenRate a, TokenRate b) => Checked(a.Value + b.Value);

    /// <summary>Difference; negative when b exceeds a.</summary>
    public static TokenRate operator -(TokenRate a, TokenRate b) => Checked(a.Value - b.Value);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static TokenRate operator *(TokenRate a, double k) => Checked(a.Value * k);

    /// <summary>Scales by a dimensionless factor.</summary>
    public static TokenRate operator *(double k, TokenRate a) => Checked(a.Value * k);

    /// <summary>Divides by a dimensionless factor.</summary>
    public static TokenRate operator /(TokenRate a, double k) => Checked(a.Value / k);

    /// <summary>The dimensionless ratio of two amounts.</summary>
    public static double operator /(TokenRate a, TokenRate b) => a.Value / b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <(TokenRate a, TokenRate b) => a.Value < b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >(TokenRate a, TokenRate b) => a.Value > b.Value;

    /// <summary>Compares.</summary>
    public static bool operator <=(TokenRate a, TokenRate b) => a.Value <= b.Value;

    /// <summary>Compares.</summary>
    public static bool operator >=(TokenRate a, TokenRate b) => a.Value >= b.Value;

    /// <summary>The larger of two amounts.</summary>
    public static TokenRate Max(TokenRate a, TokenRate b) => a.Value >= b.Value ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static TokenRate Min(TokenRate a, TokenRate b) => a.Value <= b.Value ? a : b;

    /// <inheritdoc />
    public int CompareTo(TokenRate other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + " tokens/s";

    internal static TokenRate Checked(double value) =>
        double.IsFinite(value) ? new(value) : throw new ArithmeticException("TokenRate arithmetic gave " + value.ToString(CultureInfo.InvariantCulture) + "; an input was out of range.");
}
