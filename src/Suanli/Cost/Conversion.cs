using System.Globalization;
using Suanli.Text;
using Suanli.Quantities;

namespace Suanli.Cost;

/// <summary>
/// Converts money into one target currency using only the explicit, dated rates it was given, and remembers which
/// rates it used so that a report can show them. A pair with no rate is an <see cref="InputException"/>: nothing
/// converts implicitly.
/// </summary>
public sealed class CurrencyConverter
{
    private readonly IReadOnlyList<ExchangeRate> _rates;
    private readonly List<ExchangeRate> _used = [];

    /// <summary>Creates a converter into <paramref name="target"/> with the rates allowed.</summary>
    public CurrencyConverter(Currency target, IEnumerable<ExchangeRate> rates)
    {
        Target = target;
        _rates = [.. rates];
        foreach (var r in _rates)
        {
            if (r.Rate <= 0)
            {
                throw new InputException("exchange_rates", Phrase.Of("rate-not-positive", "The {from}->{to} rate of {rate} (dated {date}) must be greater than zero.", ("from", r.From.ToString()), ("to", r.To.ToString()), ("rate", r.Rate.ToString(CultureInfo.InvariantCulture)), ("date", PriceBook.Iso(r.Date))));
            }
        }
    }

    /// <summary>The currency every amount is converted into.</summary>
    public Currency Target { get; }

    /// <summary>The rates actually used so far, in order of first use.</summary>
    public IReadOnlyList<ExchangeRate> Used => _used;

    /// <summary>Converts an amount; same-currency amounts pass unchanged.</summary>
    public Money Convert(Money money, FieldRef field = default)
    {
        if (money.Currency == Target)
        {
            return money;
        }
        var rate = _rates.Where(r => (r.From == money.Currency && r.To == Target) || (r.From == Target && r.To == money.Currency))
            .OrderByDescending(r => r.Date).FirstOrDefault()
            ?? throw (field.IsEmpty ? (FieldRef)"currency" : field).Error(Phrase.Of("no-exchange-rate",
                "No exchange rate between {from} and {to} was given, so {amount} cannot be compared with {to} prices. Add one (e.g. {exchangeRate} '{to}/{from}=7.27@2025-02-28') or choose {currency} {from}.",
                ("from", money.Currency.ToString()), ("to", Target.ToString()), ("amount", money.ToString()), ("exchangeRate", FieldNames.ExchangeRate), ("currency", FieldNames.Currency)));
        if (!_used.Contains(rate))
        {
            _used.Add(rate);
        }
        return rate.Convert(money);
    }
}
