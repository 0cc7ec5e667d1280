using System.Globalization;
using Suanli.Text;
using Suanli.Quantities;

namespace Suanli.Cost;

/// <summary>A monthly volume at which two options cost the same; below it one is cheaper, above it the other.</summary>
/// <param name="RequestsPerMonth">The volume.</param>
/// <param name="CheaperBelow">Option cheaper just below the volume.</param>
/// <param name="CheaperAbove">Option cheaper just above it.</param>
/// <param name="MonthlyCost">What either costs per month there.</param>
public sealed record BreakEvenVolume(double RequestsPerMonth, string CheaperBelow, string CheaperAbove, Money MonthlyCost);

/// <summary>Break-even volumes and months between options (docs/methodology-cost.md, "Break-even").</summary>
public static class BreakEven
{
    /// <summary>
    /// Volumes in [<paramref name="min"/>, <paramref name="max"/>] requests per month where the monthly costs of two
    /// options cross. The costs may be step functions (a self-hosted fleet grows by whole devices): the range is
    /// scanned on a logarithmic grid and each sign change is bisected to a relative width of 1e-9.
    /// </summary>
    public static IReadOnlyList<BreakEvenVolume> Volumes(string nameA, Func<double, Money> a, string nameB, Func<double, Money> b,
        double min, double max, int gridPoints = 400)
    {
        Guard.Positive(min, "minimum volume");
        Guard.Positive(max, "maximum volume");
        if (max <= min)
        {
            throw new InputException("volume", Phrase.Of("volume-range-must-grow", "The volume range must grow: {min} to {max}.", ("min", Suanli.Text.Fmt.Number(min)), ("max", Suanli.Text.Fmt.Number(max))));
        }
        Guard.InRange(gridPoints, 2, 100_000, "grid points");
        var result = new List<BreakEvenVolume>();
        decimal Diff(double v) => a(v).Amount - b(v).Amount;
        var ratio = Math.Log(max / min);
        var prevV = min;
        var prevD = Diff(min);
        for (var i = 1; i <= gridPoints; i++)
        {
            var v = i == gridPoints ? max : min * Math.Exp(ratio * i / gridPoints);
            var d = Diff(v);
            if (prevD != 0 && d != 0 && Math.Sign(prevD) != Math.Sign(d))
            {
                var lo = prevV;
                var hi = v;
                var dLo = prevD;
                while (hi / lo - 1 > 1e-9)
                {
                    var mid = Math.Sqrt(lo * hi);
                    var dm = Diff(mid);
                    if (dm == 0)
                    {
                        lo = hi = mid;
                        break;
                    }
                    if (Math.Sign(dm) == Math.Sign(dLo))
                    {
                        lo = mid;
                        dLo = dm;
                    }
                    else
                    {
                        hi = mid;
                    }
                }
                var at = hi;
                result.Add(new BreakEvenVolume(at, prevD < 0 ? nameA : nameB, prevD < 0 ? nameB : nameA, MoneyMath.Max(a(at), b(at))));
            }
            if (d != 0)
            {
                prevD = d;
                prevV = v;
            }
        }
        return result;
    }

    /// <summary>
    /// The volume where two linear options (fixed F plus c per request each) cost the same: (Fa - Fb) / (cb - ca);
    /// null when the lines do not cross at a positive volume (one is cheaper at every volume).
    /// </summary>
    public static double? LinearVolume(Money fixedA, Money perRequestA, Money fixedB, Money perRequestB)
    {
        var slope = perRequestB.Amount - perRequestA.Amount;
        if (slope == 0)
        {
            return null;
        }
        var v = (fixedA.Amount - fixedB.Amount) / slope;
        return v > 0 ? (double)v : null;
    }

    /// <summary>
    /// Months of cash after which the option with the larger up-front payment has cost less in total:
    /// (upfront A - upfront B) / (recurring B - recurring A). Null when it never catches up.
    /// </summary>
    public static double? Months(CostBreakdown a, CostBreakdown b)
    {
        var (hi, lo) = a.Upfront.Amount >= b.Upfront.Amount ? (a, b) : (b, a);
        var saving = lo.RecurringCashPerMonth.Amount - hi.RecurringCashPerMonth.Amount;
        var extra = hi.Upfront.Amount - lo.Upfront.Amount;
        if (extra == 0)
        {
            return saving >= 0 ? 0 : null;
        }
        return saving > 0 ? (double)(extra / saving) : null;
    }
}

/// <summary>Money helpers the cost model needs beyond <see cref="Money"/>.</summary>
public static class MoneyMath
{
    /// <summary>The larger of two amounts in one currency.</summary>
    public static Money Max(Money a, Money b) => a >= b ? a : b;
}
