using System.Globalization;
using Suanli.Text;
using Suanli.Quantities;

namespace Suanli.Cost;

/// <summary>
/// Converts money into one target currency using only the explicit, dated rates it was given, and remembers which
/// rates it used so that a report can show them. A pair with no rate is an <see cref="InputException"/>: nothing
/// converts implicitly. One rule picks the rates (<see cref="Path"/>): the newest-dated rate of each pair, and of the
/// direct rate and the cross rates through a third currency, the one whose oldest rate is newest (the direct rate on
/// a tie), so EUR to USD goes through the newer EUR/CNY and USD/CNY rates rather than an older direct EUR/USD one.
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
        var path = Path(money.Currency, Target)
            ?? throw (field.IsEmpty ? (FieldRef)"currency" : field).Error(Phrase.Of("no-exchange-rate",
                "No exchange rate between {from} and {to} was given, so {amount} cannot be compared with {to} prices. Add one (e.g. {exchangeRate} '{to}/{from}=7.27@2025-02-28') or choose {currency} {from}.",
                ("from", money.Currency.ToString()), ("to", Target.ToString()), ("amount", money.ToString()), ("exchangeRate", FieldNames.ExchangeRate), ("currency", FieldNames.Currency)));
        var converted = money;
        foreach (var rate in path)
        {
            if (!_used.Contains(rate))
            {
                _used.Add(rate);
            }
            converted = rate.Convert(converted);
        }
        return converted;
    }

    /// <summary>
    /// The rates that convert <paramref name="from"/> into <paramref name="to"/>: the newest direct rate, or two rates
    /// through a third currency when the older of those two is newer than the direct rate (or there is none); null
    /// when neither exists.
    /// </summary>
    public IReadOnlyList<ExchangeRate>? Path(Currency from, Currency to)
    {
        IReadOnlyList<ExchangeRate>? best = Newest(from, to) is { } direct ? [direct] : null;
        var bestDate = best?[0].Date;
        foreach (var via in _rates.SelectMany(r => new[] { r.From, r.To }).Distinct().Where(c => c != from && c != to))
        {
            if (Newest(from, via) is { } first && Newest(via, to) is { } second)
            {
                var oldest = first.Date < second.Date ? first.Date : second.Date;
                if (bestDate is null || oldest > bestDate)
                {
                    (best, bestDate) = ([first, second], oldest);
                }
            }
        }
        return best;
    }

    // The newest-dated rate between two currencies, either direction (the first listed on a tie).
    private ExchangeRate? Newest(Currency a, Currency b) =>
        _rates.Where(r => (r.From == a && r.To == b) || (r.From == b && r.To == a)).OrderByDescending(r => r.Date).FirstOrDefault();
}
