using Suanli.Text;
using System.Globalization;

namespace Suanli.Quantities;

/// <summary>An ISO 4217 currency code. Only currencies a catalog or scenario names exist; nothing converts implicitly.</summary>
public readonly record struct Currency
{
    private Currency(string code) => Code = code;

    /// <summary>The three-letter upper-case code, e.g. <c>USD</c>, <c>CNY</c>.</summary>
    public string Code { get; }

    /// <summary>US dollar.</summary>
    public static Currency Usd { get; } = new("USD");

    /// <summary>Chinese yuan renminbi.</summary>
    public static Currency Cny { get; } = new("CNY");

    /// <summary>Euro.</summary>
    public static Currency Eur { get; } = new("EUR");

    /// <summary>The currencies Suanli knows; prices in others are rejected with this list.</summary>
    public static IReadOnlyList<Currency> Known { get; } = [Usd, Cny, Eur];

    /// <summary>Parses a known code, case-insensitively; unknown codes are an <see cref="InputException"/>.</summary>
    public static Currency Parse(string code, Suanli.Text.FieldRef field = default)
    {
        var upper = code.Trim().ToUpperInvariant();
        foreach (var c in Known)
        {
            if (c.Code == upper)
            {
                return c;
            }
        }
        throw (field.IsEmpty ? (Suanli.Text.FieldRef)"currency" : field).Error(Suanli.Text.Phrase.Of("currency-unknown", "Unknown currency '{code}'. Use one of {known}.", ("code", Suanli.Text.InputQuote.Clip(code)), ("known", PhraseList.Words(Known.Select(k => k.Code)))));
    }

    /// <inheritdoc />
    public override string ToString() => Code ?? "USD";
}

/// <summary>An amount of money in one currency, as a decimal so that sums print without float artefacts.</summary>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Creates an amount; negative amounts are allowed only as results of subtraction.</summary>
    public Money(decimal amount, Currency currency)
    {
        Amount = amount;
        Currency = currency;
    }

    /// <summary>The amount in <see cref="Currency"/> units (not cents).</summary>
    public decimal Amount { get; }

    /// <summary>The currency.</summary>
    public Currency Currency { get; }

    /// <summary>Zero in a currency.</summary>
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>Creates a non-negative price.</summary>
    public static Money Price(decimal amount, Currency currency, string field = "price") =>
        new(Guard.NonNegative(amount, field), currency);

    /// <summary>Creates money from a double computed by a formula (e.g. hours x rate), rejecting NaN and infinity.</summary>
    public static Money FromDouble(double amount, Currency currency, FieldRef field = default)
    {
        field = field.IsEmpty ? (FieldRef)"amount" : field;
        Guard.Finite(amount, field.Spelling);
        if (Math.Abs(amount) > LargestAmount)
        {
            throw field.Error(Phrase.Of("money-beyond-budget", "{field} of {amount} {currency} is beyond any plausible budget.", ("field", field.Arg), ("amount", Fmt.Number(amount)), ("currency", currency.ToString())));
        }
        return new((decimal)amount, currency);
    }

    /// <summary>Sum; both must be in the same currency.</summary>
    public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount, Same(a, b));

    /// <summary>Difference; both must be in the same currency.</summary>
    public static Money operator -(Money a, Money b) => new(a.Amount - b.Amount, Same(a, b));

    /// <summary>Scales by a decimal factor; a product past the decimal range is an input error, as in <see cref="Times"/>.</summary>
    public static Money operator *(Money a, decimal k) => a.Scaled(k);

    /// <summary>Scales by a decimal factor; a product past the decimal range is an input error, as in <see cref="Times"/>.</summary>
    public static Money operator *(decimal k, Money a) => a.Scaled(k);

    private Money Scaled(decimal k)
    {
        try
        {
            return new(Amount * k, Currency);
        }
        catch (OverflowException)
        {
            return Times((double)k);
        }
    }

    /// <summary>
    /// Scales by a formula's double factor (hours, device counts, kWh), rejecting NaN and infinity. A product past
    /// <see cref="LargestAmount"/> (a price times an absurd quantity) is an input error naming <paramref name="field"/>,
    /// the price that was multiplied, rather than the decimal type's overflow.
    /// </summary>
    /// <param name="k">The factor, in whatever unit the price is per (hours for a rent, kWh for a tariff).</param>
    /// <param name="field">The input the price came from; "amount" when the caller gives none.</param>
    public Money Times(double k, FieldRef field = default)
    {
        Guard.Finite(k, "factor");
        var product = (double)Amount * k;
        if (Math.Abs(product) > LargestAmount)
        {
            field = field.IsEmpty ? (FieldRef)"amount" : field;
            throw field.Error(Phrase.Of("money-product-beyond-budget", "{field} of {price} {currency} times {factor} is {amount} {currency}, beyond any plausible budget (at most {largest}); lower {field} or the quantity it multiplies.",
                ("field", field.Arg), ("price", Fmt.Number(Amount)), ("currency", Currency.ToString()), ("factor", Fmt.Number(k)),
                ("amount", Fmt.Number(product)), ("largest", Fmt.Number(LargestAmount))));
        }
        // A factor past the decimal range times a small price still has a product in range: take it from the double.
        return Math.Abs(k) > LargestAmount ? new((decimal)product, Currency) : new(Amount * (decimal)k, Currency);
    }

    /// <summary>
    /// The largest amount a formula may produce: a tenth of <see cref="decimal.MaxValue"/> (7.9e28), so that sums of a
    /// few such amounts (capex, power, maintenance) still fit the type.
    /// </summary>
    public const double LargestAmount = 7.9e27;

    /// <summary>Divides by a decimal factor.</summary>
    public static Money operator /(Money a, decimal k) => new(a.Amount / k, a.Currency);

    /// <summary>The ratio of two amounts in the same currency.</summary>
    public static decimal operator /(Money a, Money b)
    {
        Same(a, b);
        return a.Amount / b.Amount;
    }

    /// <summary>Compares amounts in the same currency.</summary>
    public static bool operator <(Money a, Money b) => Same(a, b) == a.Currency && a.Amount < b.Amount;

    /// <summary>Compares amounts in the same currency.</summary>
    public static bool operator >(Money a, Money b) => Same(a, b) == a.Currency && a.Amount > b.Amount;

    /// <summary>Compares amounts in the same currency.</summary>
    public static bool operator <=(Money a, Money b) => Same(a, b) == a.Currency && a.Amount <= b.Amount;

    /// <summary>Compares amounts in the same currency.</summary>
    public static bool operator >=(Money a, Money b) => Same(a, b) == a.Currency && a.Amount >= b.Amount;

    /// <inheritdoc />
    public int CompareTo(Money other) => Same(this, other) == Currency ? Amount.CompareTo(other.Amount) : 0;

    /// <summary>Rounds to a number of decimals (banker's rounding is avoided: away from zero).</summary>
    public Money Round(int decimals = 2) => new(Math.Round(Amount, decimals, MidpointRounding.AwayFromZero), Currency);

    /// <inheritdoc />
    public override string ToString() => $"{Amount.ToString("0.##", CultureInfo.InvariantCulture)} {Currency}";

    /// <summary>
    /// For sentences: whole units with separators from 100 up, cents from 1, and four significant figures below 1
    /// (per-token and per-kWh prices), so a converted 0.6400592 reads 0.6401 rather than a float tail.
    /// </summary>
    public string ToDisplayString()
    {
        var abs = Math.Abs(Amount);
        var number = abs >= 100 ? Amount.ToString("N0", CultureInfo.InvariantCulture)
            : abs >= 1 || Amount == 0 ? Amount.ToString("N2", CultureInfo.InvariantCulture)
            : Math.Round(Amount, DisplayDecimals, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);
        return $"{number} {Currency}";
    }

    /// <summary>
    /// The decimals <see cref="ToDisplayString"/> rounds the amount to: none from 100, two from 1 (and for zero), and four
    /// significant figures below 1, at least two and at most ten.
    /// </summary>
    public int DisplayDecimals
    {
        get
        {
            var abs = Math.Abs(Amount);
            return abs >= 100 ? 0 : abs >= 1 || abs == 0 ? 2 : Math.Min(10, Math.Max(2, 3 - (int)Math.Floor(Math.Log10((double)abs))));
        }
    }

    private static Currency Same(Money a, Money b) =>
        a.Currency == b.Currency
            ? a.Currency
            : throw new InvalidOperationException($"Cannot combine {a.Currency} and {b.Currency} without an explicit exchange rate.");
}

/// <summary>An explicit, dated exchange rate: one unit of <paramref name="From"/> buys <paramref name="Rate"/> units of <paramref name="To"/>.</summary>
/// <param name="From">Source currency.</param>
/// <param name="To">Target currency.</param>
/// <param name="Rate">Units of To per unit of From; positive.</param>
/// <param name="Date">The date the rate was published.</param>
/// <param name="Source">Where it was published.</param>
public sealed record ExchangeRate(Currency From, Currency To, decimal Rate, DateOnly Date, string Source)
{
    /// <summary>The input field the user gave the rate with (null: a published rate); messages name it as each front end spells it.</summary>
    public Suanli.Text.FieldName? GivenWith { get; init; }

    /// <summary>The source as a message names it: the field it was given with, spelled by each front end, else <see cref="Source"/>.</summary>
    public object SourceText => GivenWith is { } given ? Suanli.Text.FieldNames.GivenWith(given) : Source;

    /// <summary>Converts money in <see cref="From"/> (or <see cref="To"/>, inversely) to the other currency.</summary>
    public Money Convert(Money money)
    {
        if (money.Currency == From)
        {
            return new Money(money.Amount * Rate, To);
        }
        if (money.Currency == To)
        {
            return new Money(money.Amount / Rate, From);
        }
        throw new InvalidOperationException($"The {From}->{To} rate cannot convert {money.Currency}.");
    }
}
