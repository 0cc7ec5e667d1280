namespace Suanli.Serving;

/// <summary>
/// Percentiles of a stream of non-negative values in bounded memory: exact (linear interpolation between
/// order statistics, as numpy.percentile, which vLLM's benchmark_serving uses) up to <see cref="ExactLimit"/>
/// values, then a log-spaced histogram whose buckets are 0.2% wide, so percentiles stay within 0.1% of the exact value.
/// </summary>
public sealed class Quantiles
{
    /// <summary>Values kept exactly before switching to the histogram.</summary>
    public const int ExactLimit = 1 << 16;

    private const double Lowest = 1e-9;
    private const double Ratio = 1.002;
    private static readonly double LogRatio = Math.Log(Ratio);
    private const int Buckets = 20_800; // Lowest x 1.002^20800 is about 1e9: a billion seconds.

    private double[] _exact = new double[256];
    private long[]? _histogram;
    private long _zeros;
    // The exact values are sorted and no value has been added since: each percentile after the first reads them as they are.
    private bool _sorted;

    /// <summary>Values added.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of the values.</summary>
    public double Sum { get; private set; }

    /// <summary>The largest value (0 when empty).</summary>
    public double Max { get; private set; }

    /// <summary>The mean (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Adds a value (negative values count as 0).</summary>
    public void Add(double value)
    {
        value = Math.Max(0, value);
        _sorted = false;
        Sum += value;
        Max = Math.Max(Max, value);
        if (_histogram is null)
        {
            if (Count == _exact.Length)
            {
                if (Count < ExactLimit)
                {
                    Array.Resize(ref _exact, _exact.Length * 2);
                }
                else
                {
                    _histogram = new long[Buckets];
                    for (var i = 0; i < Count; i++)
                    {
                        Bin(_exact[i]);
                    }
                    _exact = [];
                    Bin(value);
                    Count++;
                    return;
                }
            }
            _exact[Count] = value;
        }
        else
        {
            Bin(value);
        }
        Count++;
    }

    /// <summary>The <paramref name="p"/>-th percentile (0 to 100); 0 when empty.</summary>
    public double Percentile(double p)
    {
        if (Count == 0)
        {
            return 0;
        }
        if (_histogram is null)
        {
            var n = (int)Count;
            if (!_sorted)
            {
                Array.Sort(_exact, 0, n);
                _sorted = true;
            }
            var rank = p / 100 * (n - 1);
            var lo = (int)Math.Floor(rank);
            var hi = Math.Min(n - 1, lo + 1);
            return _exact[lo] + (_exact[hi] - _exact[lo]) * (rank - lo);
        }
        var target = (long)Math.Ceiling(p / 100 * Count);
        var seen = _zeros;
        if (seen >= target)
        {
            return 0;
        }
        for (var i = 0; i < Buckets; i++)
        {
            seen += _histogram[i];
            if (seen >= target)
            {
                return Math.Min(Max, Lowest * Math.Pow(Ratio, i + 0.5));
            }
        }
        return Max;
    }

    private void Bin(double value)
    {
        if (value < Lowest)
        {
            _zeros++;
            return;
        }
        var i = (int)(Math.Log(value / Lowest) / LogRatio);
        _histogram![Math.Clamp(i, 0, Buckets - 1)]++;
    }
}

/// <summary>A time-weighted distribution over whole numbers 0..N (sequences per step, KV use in percent).</summary>
public sealed class WeightedCounts
{
    private readonly double[] _weight;
    private double _total;
    private double _sum;

    /// <summary>Creates a distribution over 0 to <paramref name="max"/>.</summary>
    public WeightedCounts(int max) => _weight = new double[max + 1];

    /// <summary>Adds <paramref name="value"/> held for <paramref name="weight"/> (seconds).</summary>
    public void Add(int value, double weight)
    {
        value = Math.Clamp(value, 0, _weight.Length - 1);
        _weight[value] += weight;
        _total += weight;
        _sum += value * weight;
        Largest = Math.Max(Largest, value);
    }

    /// <summary>The time-weighted mean (0 when empty).</summary>
    public double Mean => _total <= 0 ? 0 : _sum / _total;

    /// <summary>The largest value seen.</summary>
    public int Largest { get; private set; }

    /// <summary>The smallest value at or below which <paramref name="p"/> percent of the weight lies.</summary>
    public int Percentile(double p)
    {
        if (_total <= 0)
        {
            return 0;
        }
        var target = p / 100 * _total;
        var seen = 0.0;
        for (var i = 0; i < _weight.Length; i++)
        {
            seen += _weight[i];
            if (seen >= target * (1 - 1e-12))
            {
                return i;
            }
        }
        return Largest;
    }
}
