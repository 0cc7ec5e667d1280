namespace Suanli.StepTime;

/// <summary>What a prediction interval is for: each kind has its own residuals in the validation data.</summary>
public enum PredictionKind
{
    /// <summary>Output (or prefill) tokens per second of a replica at a fixed load: offline, fixed batch, rate or concurrency.</summary>
    Throughput,
    /// <summary>The largest load a replica (or system) carries within latency targets (MLPerf Server).</summary>
    Capacity,
    /// <summary>Time to first token.</summary>
    Ttft,
    /// <summary>Time per output token.</summary>
    Tpot,
    /// <summary>Training time, GPU-hours or training speed.</summary>
    Training,
}

/// <summary>
/// The spread of the measured/predicted ratio for one class of predictions, from the leave-one-out residuals of the
/// validation data: the 10th and 90th percentiles give the 80% prediction interval.
/// </summary>
/// <param name="Key">Class: <c>KIND</c>, <c>KIND/ENGINE</c> or <c>KIND/ENGINE/ARCHITECTURE</c> (e.g. <c>throughput/trtllm/nvidia-hopper</c>).</param>
/// <param name="Rows">Residuals the percentiles come from.</param>
/// <param name="LowRatio">10th percentile of measured/predicted (the truth is below predicted x this one time in ten).</param>
/// <param name="HighRatio">90th percentile of measured/predicted.</param>
/// <param name="Coverage">Share of the class's rows inside the interval fitted without them (nested leave-one-out); null when not computed.</param>
public sealed record IntervalClass(string Key, int Rows, double LowRatio, double HighRatio, double? Coverage = null);

/// <summary>A predicted value with its 80% prediction interval, in the prediction's own unit, and the class it came from.</summary>
/// <param name="Low">Lower end.</param>
/// <param name="Expected">The prediction.</param>
/// <param name="High">Upper end.</param>
/// <param name="Basis">Which residuals gave the interval, in words (class, rows, widened or not).</param>
public sealed record PredictionRange(double Low, double Expected, double High, string Basis)
{
    /// <summary>The range of <paramref name="expected"/> under the ratios of <paramref name="interval"/>.</summary>
    public static PredictionRange Of(double expected, IntervalLookup interval) =>
        new(expected * interval.Class.LowRatio, expected, expected * interval.Class.HighRatio, interval.Basis);

    /// <summary>The range of a quantity that goes as the inverse of the predicted one (devices needed vs capacity, time vs speed).</summary>
    public static PredictionRange Inverse(double expected, IntervalLookup interval) =>
        new(expected / interval.Class.HighRatio, expected, expected / interval.Class.LowRatio, interval.Basis);
}

/// <summary>The class an interval was looked up in, and whether it had to fall back past the device's architecture.</summary>
/// <param name="Class">The class used.</param>
/// <param name="Widened">True when no class of the engine and architecture had enough rows, so a broader class's (wider) spread is used.</param>
/// <param name="Basis">The class in words, for notes.</param>
public sealed record IntervalLookup(IntervalClass Class, bool Widened, string Basis);

/// <summary>
/// Prediction intervals from validated error (docs/methodology-steptime.md, "Prediction intervals"): per class of
/// prediction (kind x engine x architecture), the 10th-90th percentile of measured/predicted over the leave-one-out
/// residuals, falling back to broader classes where a class has fewer than <see cref="MinRows"/> rows.
/// </summary>
/// <param name="Classes">Every class with enough rows.</param>
/// <param name="Fitted">Date of the fit (yyyy-MM-dd).</param>
/// <param name="Data">The measurement files the residuals came from.</param>
public sealed record PredictionIntervals(IReadOnlyList<IntervalClass> Classes, string Fitted, string Data)
{
    /// <summary>The interval's nominal coverage: the 10th to 90th percentile.</summary>
    public const double NominalCoverage = 0.8;

    /// <summary>
    /// Fewest residuals for a class of its own: with five, the 10th and 90th percentiles interpolate between the two
    /// lowest and the two highest, so one row cannot set an end by itself.
    /// </summary>
    public const int MinRows = 5;

    /// <summary>Class keys from most to least specific for a prediction; training has no engine level.</summary>
    public static IReadOnlyList<string> Keys(PredictionKind kind, string? engine, string? architecture)
    {
        var k = Name(kind);
        var keys = new List<string>();
        if (engine is not null && architecture is not null)
        {
            keys.Add($"{k}/{engine}/{architecture}");
        }
        else if (architecture is not null)
        {
            keys.Add($"{k}/{architecture}");
        }
        if (engine is not null)
        {
            keys.Add($"{k}/{engine}");
        }
        keys.Add(k);
        return keys;
    }

    /// <summary>The kind's name in class keys: throughput, capacity, ttft, tpot, training.</summary>
    public static string Name(PredictionKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The most specific class with enough rows; null when the kind has none (no interval can be stated). The
    /// lookup is widened when it falls back to the kind's pooled class, as for a device or engine never measured.
    /// </summary>
    public IntervalLookup? Find(PredictionKind kind, string? engine, string? architecture)
    {
        var keys = Keys(kind, engine, architecture);
        for (var i = 0; i < keys.Count; i++)
        {
            if (Classes.FirstOrDefault(c => c.Key == keys[i]) is { } found)
            {
                var widened = i == keys.Count - 1 && keys.Count > 1;
                var basis = $"80% interval of {found.Key} ({found.Rows} validated rows, measured/predicted {found.LowRatio:0.00}-{found.HighRatio:0.00})"
                    + (widened ? $"; no class for {keys[0]} has {MinRows} rows, so the pooled {Name(kind)} spread (wider) is used" : "");
                return new IntervalLookup(found, widened, basis);
            }
        }
        return null;
    }

    /// <summary>
    /// Fits classes from residuals (class keys from most to least specific, and measured/predicted): every key with at
    /// least <see cref="MinRows"/> residuals gets the 10th and 90th percentiles of its log ratios, and its nested
    /// leave-one-out coverage (each row checked against the interval of the class's other rows).
    /// </summary>
    public static IReadOnlyList<IntervalClass> Fit(IReadOnlyList<(IReadOnlyList<string> Keys, double Ratio)> residuals)
    {
        var classes = new List<IntervalClass>();
        foreach (var key in residuals.SelectMany(r => r.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var logs = residuals.Where(r => r.Keys.Contains(key) && r.Ratio > 0 && double.IsFinite(r.Ratio)).Select(r => Math.Log(r.Ratio)).ToList();
            if (logs.Count < MinRows)
            {
                continue;
            }
            var (lo, hi) = Ends(logs);
            var inside = 0;
            for (var i = 0; i < logs.Count; i++)
            {
                var (l, h) = Ends([.. logs.Where((_, j) => j != i)]);
                inside += logs[i] >= l && logs[i] <= h ? 1 : 0;
            }
            classes.Add(new IntervalClass(key, logs.Count, Math.Exp(lo), Math.Exp(hi), (double)inside / logs.Count));
        }
        return classes;
    }

    /// <summary>The 10th and 90th percentiles (linear interpolation between order statistics) of log ratios.</summary>
    public static (double Low, double High) Ends(IReadOnlyList<double> logs)
    {
        var sorted = logs.Order().ToList();
        return (Percentile(sorted, 0.1), Percentile(sorted, 0.9));
    }

    private static double Percentile(List<double> sorted, double q)
    {
        var pos = q * (sorted.Count - 1);
        var i = (int)Math.Floor(pos);
        return i + 1 < sorted.Count ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
