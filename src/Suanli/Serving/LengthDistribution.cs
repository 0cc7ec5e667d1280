using System.Globalization;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>The shape of a token-length distribution.</summary>
public enum LengthShape
{
    /// <summary>Every request has the same length.</summary>
    Fixed,
    /// <summary>Uniform whole numbers between a minimum and a maximum, both included.</summary>
    Uniform,
    /// <summary>Normal with a mean and standard deviation, rounded and truncated below at 1 token.</summary>
    Normal,
    /// <summary>Lognormal given by the mean and standard deviation of the lengths themselves (not of their logarithm).</summary>
    LogNormal,
    /// <summary>Draws uniformly from a list of observed lengths.</summary>
    Empirical,
}

/// <summary>
/// A distribution of request lengths in tokens (prompt or output). Samples are whole numbers from 1 to
/// <see cref="MaxTokens"/>. Text syntax (docs/methodology-serving.md): <c>512</c>, <c>uniform:256:1024</c>,
/// <c>normal:512:128</c>, <c>lognormal:mean=800,sd=400</c>, <c>empirical:100,200,4000</c>.
/// </summary>
public sealed class LengthDistribution
{
    /// <summary>The longest length accepted, in tokens (the footprint model's context limit).</summary>
    public const int MaxTokens = 10_000_000;

    private readonly int[] _values;

    private LengthDistribution(LengthShape shape, double a, double b, int[] values, FieldRef field)
    {
        Shape = shape;
        A = a;
        B = b;
        _values = values;
        Field = field;
    }

    /// <summary>The shape.</summary>
    public LengthShape Shape { get; }

    /// <summary>First parameter: the length (fixed), minimum (uniform), mean (normal, lognormal), unused (empirical); tokens.</summary>
    public double A { get; }

    /// <summary>Second parameter: maximum (uniform), standard deviation (normal, lognormal); tokens.</summary>
    public double B { get; }

    /// <summary>The observed lengths of an empirical distribution (empty otherwise).</summary>
    public IReadOnlyList<int> Values => _values;

    /// <summary>The field the distribution came from (a logical field each front end spells, or a file's key), for messages.</summary>
    public FieldRef Field { get; }

    /// <summary>The text that names the distribution when it came from a named dataset (e.g. <c>dataset:mlperf-llama2-70b-99</c>), else empty.</summary>
    public string Label { get; private init; } = "";

    /// <summary>The same distribution, shown by <paramref name="label"/> (a dataset's name) instead of its values.</summary>
    public LengthDistribution Labelled(string label) => new(Shape, A, B, _values, Field) { Label = label, Pairing = Pairing };

    /// <summary>
    /// The name of the dataset whose requests this empirical distribution lists in order (e.g.
    /// <c>mlperf-llama2-70b-99</c>), or empty. When a workload's prompt and output lengths carry the same pairing and
    /// as many values, the simulator draws one request index for both, so each request keeps its dataset prompt and
    /// answer together (a benchmark issues whole samples); otherwise the two are drawn independently.
    /// </summary>
    public string Pairing { get; private init; } = "";

    /// <summary>The same distribution, marked as listing the requests of <paramref name="dataset"/> in order (see <see cref="Pairing"/>).</summary>
    public LengthDistribution PairedAs(string dataset) => new(Shape, A, B, _values, Field) { Label = Label, Pairing = Shape == LengthShape.Empirical ? dataset : "" };

    /// <summary>True when <paramref name="input"/> and <paramref name="output"/> list the same dataset's requests in order, so one index draws both.</summary>
    public static bool Paired(LengthDistribution input, LengthDistribution output) =>
        input.Pairing.Length > 0 && input.Pairing == output.Pairing && input._values.Length == output._values.Length;

    /// <summary>Every request <paramref name="tokens"/> long; a range error names <paramref name="field"/> (none given: the prompt length).</summary>
    public static LengthDistribution Fixed(int tokens, FieldRef field = default)
    {
        field = field.Or(FieldNames.Input);
        Guard.InRange(tokens, 1, MaxTokens, field);
        return new(LengthShape.Fixed, tokens, tokens, [], field);
    }

    /// <summary>Uniform whole numbers in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static LengthDistribution Uniform(int min, int max, FieldRef field = default)
    {
        field = field.Or(FieldNames.Input);
        Guard.InRange(min, 1, MaxTokens, Part("minimum", field), field);
        Guard.InRange(max, 1, MaxTokens, Part("maximum", field), field);
        if (max < min)
        {
            throw field.Error(Phrase.Of("length-uniform-order", "{field}: uniform maximum {max} is below the minimum {min}; write uniform:MIN:MAX with MIN <= MAX, e.g. uniform:{max}:{min}.",
                ("field", field.Arg), ("max", Show(max)), ("min", Show(min))));
        }
        return new(LengthShape.Uniform, min, max, [], field);
    }

    /// <summary>Normal with <paramref name="mean"/> and standard deviation <paramref name="sd"/> (tokens), rounded, truncated below at 1.</summary>
    public static LengthDistribution Normal(double mean, double sd, FieldRef field = default)
    {
        field = MeanAndSd(mean, sd, field);
        return new(LengthShape.Normal, mean, sd, [], field);
    }

    /// <summary>Lognormal whose lengths have mean <paramref name="mean"/> and standard deviation <paramref name="sd"/> (tokens).</summary>
    public static LengthDistribution LogNormal(double mean, double sd, FieldRef field = default)
    {
        field = MeanAndSd(mean, sd, field);
        return new(LengthShape.LogNormal, mean, sd, [], field);
    }

    /// <summary>Draws uniformly from observed lengths (at least one, each 1 to <see cref="MaxTokens"/>).</summary>
    public static LengthDistribution Empirical(IReadOnlyList<int> values, FieldRef field = default)
    {
        field = field.Or(FieldNames.Input);
        if (values.Count == 0)
        {
            throw field.Error(Phrase.Of("length-empirical-empty", "{field}: an empirical distribution needs at least one length, e.g. empirical:100,200,4000.", ("field", field.Arg)));
        }
        var what = Part("value", field);
        foreach (var v in values)
        {
            Guard.InRange(v, 1, MaxTokens, what, field);
        }
        return new(LengthShape.Empirical, 0, 0, [.. values], field);
    }

    // The checks shared by the normal and lognormal shapes: a mean of at least one token and a spread of zero or more.
    private static FieldRef MeanAndSd(double mean, double sd, FieldRef field)
    {
        field = field.Or(FieldNames.Input);
        Guard.InRange(mean, 1, MaxTokens, Part("mean", field), field);
        Guard.InRange(sd, 0, MaxTokens, Part("sd", field), field);
        return field;
    }

    /// <summary>One parameter of a length distribution as a message names it: "--input minimum", "input_tokens standard deviation".</summary>
    /// <param name="part">minimum, maximum, mean, sd or value.</param>
    /// <param name="field">The field the distribution came from.</param>
    public static Phrase Part(string part, FieldRef field) => part switch
    {
        "minimum" => Phrase.Of("length-part#minimum", "{field} minimum", ("field", field.Arg)),
        "maximum" => Phrase.Of("length-part#maximum", "{field} maximum", ("field", field.Arg)),
        "mean" => Phrase.Of("length-part#mean", "{field} mean", ("field", field.Arg)),
        "sd" => Phrase.Of("length-part#sd", "{field} standard deviation", ("field", field.Arg)),
        "value" => Phrase.Of("length-part#value", "{field} value", ("field", field.Arg)),
        _ => Phrase.Of("length-part", "{field} {part}", ("field", field.Arg), ("part", part)),
    };

    /// <summary>
    /// The same shape with every length (and spread) times <paramref name="factor"/>, rounded to whole tokens and kept
    /// within 1 to <see cref="MaxTokens"/>: a prompt or output length moved by a stated amount.
    /// </summary>
    public LengthDistribution Scaled(double factor)
    {
        Guard.Positive(factor, "length factor");
        int T(double v) => (int)Math.Clamp(Math.Round(v * factor, MidpointRounding.AwayFromZero), 1, MaxTokens);
        return Shape switch
        {
            LengthShape.Fixed => Fixed(T(A), Field),
            LengthShape.Uniform => Uniform(T(A), Math.Max(T(A), T(B)), Field),
            LengthShape.Normal => Normal(A * factor, B * factor, Field),
            LengthShape.LogNormal => LogNormal(A * factor, B * factor, Field),
            _ => Empirical([.. _values.Select(v => T(v))], Field).PairedAs(Pairing),
        };
    }

    /// <summary>The mean length in tokens (of the distribution as sampled, before truncation for normal).</summary>
    public double Mean => Shape switch
    {
        LengthShape.Uniform => (A + B) / 2,
        LengthShape.Empirical => _values.Average(),
        _ => A,
    };

    /// <summary>The largest length a sample can take, in tokens.</summary>
    public int Max => Shape switch
    {
        LengthShape.Fixed => (int)A,
        LengthShape.Uniform => (int)B,
        LengthShape.Empirical => _values.Max(),
        _ => MaxTokens,
    };

    /// <summary>
    /// The 99th-percentile length in tokens: the nearest-rank value of an empirical list, and for normal and lognormal
    /// shapes their analytic 99th percentile (z = 2.326), within 1 to <see cref="MaxTokens"/>.
    /// </summary>
    public int P99
    {
        get
        {
            const double z99 = 2.326;
            double x;
            switch (Shape)
            {
                case LengthShape.Fixed:
                    return (int)A;
                case LengthShape.Uniform:
                    return (int)Math.Round(A + 0.99 * (B - A));
                case LengthShape.Empirical:
                    var sorted = _values.Order().ToArray();
                    return sorted[Math.Max(0, (int)Math.Ceiling(0.99 * sorted.Length) - 1)];
                case LengthShape.Normal:
                    x = A + z99 * B;
                    break;
                default:
                    var sigma2 = Math.Log(1 + B * B / (A * A));
                    x = Math.Exp(Math.Log(A) - sigma2 / 2 + z99 * Math.Sqrt(sigma2));
                    break;
            }
            return (int)Math.Clamp(Math.Round(x), 1, MaxTokens);
        }
    }

    /// <summary>Draws one length, 1 to <see cref="MaxTokens"/> tokens.</summary>
    public int Sample(ref SplitMix64 rng)
    {
        double x;
        switch (Shape)
        {
            case LengthShape.Fixed:
                return (int)A;
            case LengthShape.Uniform:
                return (int)A + (int)rng.NextBelow((ulong)(B - A + 1));
            case LengthShape.Empirical:
                return _values[(int)rng.NextBelow((ulong)_values.Length)];
            case LengthShape.Normal:
                x = A + B * rng.NextGaussian();
                break;
            default:
                // Lognormal from the mean m and sd s of the lengths: sigma^2 = ln(1 + s^2/m^2), mu = ln m - sigma^2/2.
                var sigma2 = Math.Log(1 + B * B / (A * A));
                x = Math.Exp(Math.Log(A) - sigma2 / 2 + Math.Sqrt(sigma2) * rng.NextGaussian());
                break;
        }
        return (int)Math.Clamp(Math.Round(x), 1, MaxTokens);
    }

    /// <inheritdoc />
    public override string ToString() => Label.Length > 0 ? Label : Shape switch
    {
        LengthShape.Fixed => Show(A),
        LengthShape.Uniform => $"uniform:{Show(A)}:{Show(B)}",
        LengthShape.Normal => $"normal:{Show(A)}:{Show(B)}",
        LengthShape.LogNormal => $"lognormal:mean={Show(A)},sd={Show(B)}",
        _ => "empirical:" + string.Join(",", _values.Select(v => Show(v))),
    };

    private static string Show(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a small,
/// fast generator whose sequence is fixed by the seed on every platform and runtime version, so a seed reproduces a run.
/// </summary>
public struct SplitMix64
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Starts the sequence at a seed.</summary>
    public SplitMix64(ulong seed)
    {
        _state = seed;
        _spare = 0;
        _hasSpare = false;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in (0, 1], safe for logarithms.</summary>
    public double NextOpenDouble() => ((Next() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>A uniform whole number in [0, <paramref name="n"/>) (n at least 1).</summary>
    public ulong NextBelow(ulong n) => (ulong)(NextDouble() * n) is var k && k < n ? k : n - 1;

    /// <summary>An exponential variate with mean 1.</summary>
    public double NextExponential() => -Math.Log(NextOpenDouble());

    /// <summary>A standard normal variate (Box-Muller, the pair's second value kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        var r = Math.Sqrt(-2 * Math.Log(NextOpenDouble()));
        var theta = 2 * Math.PI * NextDouble();
        _spare = r * Math.Sin(theta);
        _hasSpare = true;
        return r * Math.Cos(theta);
    }
}
