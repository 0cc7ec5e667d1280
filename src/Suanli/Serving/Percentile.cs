using System.Globalization;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>
/// The percentile a latency target is checked at: more than 0 and less than 100 (p50, p90, p95, p99, p99.9). A
/// simulated window estimates it only with at least <see cref="TailRequests"/> measured requests beyond it
/// (<see cref="MinMeasured"/>; docs/methodology-serving.md, "Target percentiles").
/// </summary>
public readonly record struct Percentile
{
    private Percentile(double value) => Value = value;

    /// <summary>The percentile, more than 0 and less than 100.</summary>
    public double Value { get; }

    /// <summary>The median.</summary>
    public static Percentile P50 { get; } = new(50);

    /// <summary>The 90th percentile: the default of every target.</summary>
    public static Percentile P90 { get; } = new(90);

    /// <summary>The 99th percentile (MLPerf's latency constraints).</summary>
    public static Percentile P99 { get; } = new(99);

    /// <summary>
    /// Measured requests a window needs beyond the percentile for its estimate to rest on more than a handful of
    /// requests: the p99 of 1,000 requests lies among the slowest 10.
    /// </summary>
    public const int TailRequests = 10;

    /// <summary>
    /// The fewest measured requests that leave <see cref="TailRequests"/> beyond the percentile:
    /// <c>ceil(10 / (1 - p/100))</c>; 100 at p90, 1,000 at p99, 10,000 at p99.9.
    /// </summary>
    public long MinMeasured => (long)Math.Ceiling(Math.Round(TailRequests * 100.0 / (100 - Value), 6));

    /// <summary>A percentile from a number, or an error naming <paramref name="field"/>, the value and the valid range.</summary>
    /// <param name="value">The percentile, more than 0 and less than 100.</param>
    /// <param name="field">The field the value came from.</param>
    public static Percentile Of(double value, FieldRef field)
    {
        if (!double.IsFinite(value) || value <= 0 || value >= 100)
        {
            throw field.Error(Range(field.Arg, double.IsFinite(value) ? Echo(value) : "'" + value.ToString(CultureInfo.InvariantCulture) + "'"));
        }
        return new Percentile(value);
    }

    // Every digit typed (100.0001 is not 100), but never .NET's "1E+15": large and tiny values as the reports write them.
    private static string Echo(double value) =>
        value.ToString("R", CultureInfo.InvariantCulture) is var r && r.Contains('E', StringComparison.Ordinal) ? Fmt.Number(value) : r;

    /// <summary>A percentile from text, with or without its p (<c>99</c>, <c>p99</c>, <c>99.9</c>), or an error naming <paramref name="field"/>.</summary>
    /// <param name="text">The text as given.</param>
    /// <param name="field">The field the text came from.</param>
    public static Percentile Parse(string text, FieldRef field)
    {
        var digits = text.Trim();
        digits = digits.StartsWith('p') || digits.StartsWith('P') ? digits[1..] : digits;
        if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]) && digits[0] != '-' && digits[0] != '.'
            || !double.TryParse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw field.Error(Range(field.Arg, "'" + (text.Length > 40 ? text[..40] + "…" : text) + "'"));
        }
        return Of(value, field);
    }

    /// <summary>The sentence for a percentile outside (0, 100) or not a number: the value, the range and examples.</summary>
    private static Phrase Range(object field, string value) => Phrase.Of("percentile-range",
        "{field} must be a percentile above 0 and below 100 (50 for the median, 90, 95, 99 or 99.9), got {value}.",
        ("field", field), ("value", value));

    /// <summary>
    /// Checks that <paramref name="w"/>'s window (its requests less the warm-up) estimates this percentile
    /// (<see cref="MinMeasured"/>), or an error naming the target's field, the rule and the request count that would.
    /// A window set by a duration is known only once run, and is not checked.
    /// </summary>
    /// <param name="w">The workload.</param>
    /// <param name="field">The target's field.</param>
    /// <param name="requests">The field that sets the request count.</param>
    public void CheckWindow(Workload w, FieldRef field, FieldRef requests)
    {
        var measured = w.Requests - (long)Math.Floor(w.WarmupFraction * w.Requests);
        if (w.Duration is null && measured < MinMeasured)
        {
            var needed = (long)Math.Ceiling(Math.Round(MinMeasured / (1 - w.WarmupFraction), 6));
            throw field.Error(Phrase.Of("percentile-window",
                "{field} is checked at {percentile}, which needs at least {min} measured requests ({tail} beyond the percentile); {requests} {given} measures {measured} after the warm-up. Give {requests} {needed} or more, or a lower percentile.",
                ("field", field.Arg), ("percentile", ToString()), ("min", N(MinMeasured)), ("tail", TailRequests.ToString(CultureInfo.InvariantCulture)),
                ("requests", requests.Arg),
                // Beside the option they are values to type again: digits without separators ('--requests 1,112' is refused).
                ("given", w.Requests.ToString(CultureInfo.InvariantCulture)), ("measured", N(measured)), ("needed", needed.ToString(CultureInfo.InvariantCulture))));
        }
    }

    /// <summary>The most requests a plan's or optimize's probe measures: the simulator's request limit less the 10% warm-up.</summary>
    public const long MostProbeMeasured = Workload.MaxRequests / 10 * 9;

    /// <summary>
    /// Checks that a plan's probes, which grow to <see cref="Workload.MaxRequests"/> for a target's percentile
    /// (<see cref="ServingTargets.RequestsFor"/>), can estimate this one, or an error naming the target's field.
    /// </summary>
    /// <param name="field">The target's field.</param>
    public Percentile CheckProbe(FieldRef field)
    {
        if (MinMeasured > MostProbeMeasured)
        {
            throw field.Error(Phrase.Of("percentile-probe",
                "{field} is checked at {percentile}, which needs at least {min} measured requests ({tail} beyond the percentile); a plan simulates at most {max} per probe. State a lower percentile (p99.9 needs 10,000).",
                ("field", field.Arg), ("percentile", ToString()), ("min", N(MinMeasured)), ("tail", TailRequests.ToString(CultureInfo.InvariantCulture)), ("max", N(MostProbeMeasured))));
        }
        return this;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>p and the number: p90, p99.9.</summary>
    public override string ToString() => "p" + Value.ToString("0.######", CultureInfo.InvariantCulture);
}
