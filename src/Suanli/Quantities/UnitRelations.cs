namespace Suanli.Quantities;

// The physical laws between quantities, as operators: a wrong combination (bytes + seconds) does not compile.

public readonly partial record struct Bytes
{
    /// <summary>Time to move this much data at a rate.</summary>
    public static Duration operator /(Bytes amount, ByteRate rate) => Duration.Checked(amount.Value / rate.Value);

    /// <summary>The rate that moves this much data in a time.</summary>
    public static ByteRate operator /(Bytes amount, Duration time) => ByteRate.Checked(amount.Value / time.Value);
}

public readonly partial record struct ByteRate
{
    /// <summary>Data moved at this rate in a time.</summary>
    public static Bytes operator *(ByteRate rate, Duration time) => Bytes.Checked(rate.Value * time.Value);
}

public readonly partial record struct Flop
{
    /// <summary>Time to do this much arithmetic at a rate.</summary>
    public static Duration operator /(Flop amount, FlopRate rate) => Duration.Checked(amount.Value / rate.Value);

    /// <summary>The rate that does this much arithmetic in a time.</summary>
    public static FlopRate operator /(Flop amount, Duration time) => FlopRate.Checked(amount.Value / time.Value);

    /// <summary>Petaflop/s-days, the unit of the GPT-3 paper: 10^15 FLOP/s sustained for 86,400 s.</summary>
    public double InPetaflopDays => Value / (1e15 * 86400.0);
}

public readonly partial record struct FlopRate
{
    /// <summary>Arithmetic done at this rate in a time.</summary>
    public static Flop operator *(FlopRate rate, Duration time) => Flop.Checked(rate.Value * time.Value);
}

public readonly partial record struct Power
{
    /// <summary>Energy used at this power for a time.</summary>
    public static Energy operator *(Power power, Duration time) => Energy.Checked(power.Value * time.Value);
}

public readonly partial record struct Energy
{
    /// <summary>Mean power over a time.</summary>
    public static Power operator /(Energy energy, Duration time) => Power.Checked(energy.Value / time.Value);

    /// <summary>Time this energy lasts at a power.</summary>
    public static Duration operator /(Energy energy, Power power) => Duration.Checked(energy.Value / power.Value);
}

public readonly partial record struct Tokens
{
    /// <summary>Rate that produces these tokens in a time.</summary>
    public static TokenRate operator /(Tokens tokens, Duration time) => TokenRate.Checked(tokens.Value / time.Value);

    /// <summary>Time to produce these tokens at a rate.</summary>
    public static Duration operator /(Tokens tokens, TokenRate rate) => Duration.Checked(tokens.Value / rate.Value);
}

public readonly partial record struct TokenRate
{
    /// <summary>Tokens produced at this rate in a time.</summary>
    public static Tokens operator *(TokenRate rate, Duration time) => Tokens.Checked(rate.Value * time.Value);
}
