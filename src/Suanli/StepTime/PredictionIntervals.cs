using Suanli.Text;
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
/// validation data: split-conformal order statistics give the 80% prediction interval.
/// </summary>
/// <param name="Key">Class: <c>KIND</c>, <c>KIND/ENGINE</c> or <c>KIND/ENGINE/ARCHITECTURE</c> (e.g. <c>throughput/trtllm/nvidia-hopper</c>).</param>
/// <param name="Rows">Residuals the percentiles come from.</param>
/// <param name="LowRatio">Lower end of measured/predicted (the truth falls below predicted x this at most one time in ten).</param>
/// <param name="HighRatio">Upper end of measured/predicted (the truth falls above predicted x this at most one time in ten).</param>
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
public sealed record IntervalLookup(IntervalClass Class, bool Widened, string Basis)
{
    /// <summary>The basis as a phrase, for rendering in the reader's language.</summary>
    public Phrase? Text { get; init; }

    /// <summary>The basis as a phrase: <see cref="Text"/>, or the bare <see cref="Basis"/> as a <see cref="Phrase.Plain"/> one.</summary>
    public Phrase Phrase => Text ?? Phrase.Plain(Basis);
}

/// <summary>
/// Prediction intervals from validated error (docs/methodology-intervals.md): per class of
/// prediction (kind x engine x architecture), split-conformal ends of measured/predicted over the leave-one-out
/// residuals (Lei et al. 2018, "Distribution-Free Predictive Inference for Regression", JASA 113: the
/// floor((n+1)/10)-th smallest and the ceil(9(n+1)/10)-th smallest of n residuals, so that a new prediction of the
/// class falls inside with probability at least 80% when residuals are exchangeable), falling back to broader
/// classes where a class has fewer than <see cref="MinRows"/> rows.
/// </summary>
/// <param name="Classes">Every class with enough rows.</param>
/// <param name="Fitted">Date of the fit (yyyy-MM-dd).</param>
/// <param name="Data">The measurement files the residuals came from.</param>
public sealed record PredictionIntervals(IReadOnlyList<IntervalClass> Classes, string Fitted, string Data)
{
    /// <summary>The interval's nominal coverage: at most 10% of outcomes below it and 10% above.</summary>
    public const double NominalCoverage = 0.8;

    /// <summary>
    /// Fewest residuals for a class of its own: the split-conformal ends floor((n+1)/10) and ceil(9(n+1)/10) are both
    /// order statistics of the sample only from n = 9 (then the smallest and the largest residual); a smaller class
    /// cannot promise 80% and falls back to a broader one.
    /// </summary>
    public const int MinRows = 9;

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
        if (kind == PredictionKind.Capacity)
        {
            // Capacity is a throughput within latency targets: with few capacity measurements, the pooled
            // throughput spread (which includes them) is the next broader class.
            keys.Add(Name(PredictionKind.Throughput));
        }
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
                var widened = i > 0 && !keys[i].Contains('/', StringComparison.Ordinal);
                var args = new (string, object)[] { ("class", ClassPhrase(found.Key)), ("rows", Fmt.I($"{found.Rows}")), ("low", Fmt.I($"{found.LowRatio:0.00}")), ("high", Fmt.I($"{found.HighRatio:0.00}")) };
                var text = widened
                    ? Phrase.Of("interval-basis#widened", "80% interval of {class} ({rows} validated rows, measured/predicted {low}-{high}); no class for {wanted} has {min} validated rows, so the pooled {class} spread is used",
                        [.. args, ("wanted", ClassPhrase(keys[0])), ("min", Fmt.I($"{MinRows}"))])
                    : Phrase.Of("interval-basis", "80% interval of {class} ({rows} validated rows, measured/predicted {low}-{high})", args);
                return new IntervalLookup(found, widened, text.English) { Text = text };
            }
        }
        return null;
    }

    /// <summary>
    /// A class key as a phrase: in English the key itself (capacity/vllm/nvidia-hopper); in Chinese the kind's name
    /// translated, with the key quoted as the identifier it is (容量类别“capacity/vllm/nvidia-hopper”).
    /// </summary>
    public static Phrase ClassPhrase(string key)
    {
        var kind = key.Split('/')[0];
        return kind switch
        {
            "throughput" => Phrase.Of("interval-class#throughput", "{key}", ("key", key)),
            "capacity" => Phrase.Of("interval-class#capacity", "{key}", ("key", key)),
            "ttft" => Phrase.Of("interval-class#ttft", "{key}", ("key", key)),
            "tpot" => Phrase.Of("interval-class#tpot", "{key}", ("key", key)),
            "training" => Phrase.Of("interval-class#training", "{key}", ("key", key)),
            _ => Phrase.Of("interval-class", "{key}", ("key", key)),
        };
    }

    /// <summary>
    /// Fits classes from residuals (class keys from most to least specific, and measured/predicted): every key with at
    /// least <see cref="MinRows"/> residuals gets the split-conformal ends of its log ratios, and its nested
    /// leave-one-out coverage (each row checked against the interval of the class's other rows) where the others
    /// are still <see cref="MinRows"/>.
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
            double? coverage = null;
            if (logs.Count - 1 >= MinRows)
            {
                var inside = 0;
                for (var i = 0; i < logs.Count; i++)
                {
                    var (l, h) = Ends([.. logs.Where((_, j) => j != i)]);
                    inside += logs[i] >= l && logs[i] <= h ? 1 : 0;
                }
                coverage = (double)inside / logs.Count;
            }
            classes.Add(new IntervalClass(key, logs.Count, Math.Exp(lo), Math.Exp(hi), coverage));
        }
        return classes;
    }

    /// <summary>
    /// Split-conformal ends of n log ratios (n at least <see cref="MinRows"/>): the floor((n+1)/10)-th and the
    /// ceil(9(n+1)/10)-th smallest (1-based).
    /// </summary>
    public static (double Low, double High) Ends(IReadOnlyList<double> logs)
    {
        if (logs.Count < MinRows)
        {
            throw new ArgumentException($"an 80% split-conformal interval needs at least {MinRows} residuals, got {logs.Count}", nameof(logs));
        }
        var sorted = logs.Order().ToList();
        var n = sorted.Count;
        var lowRank = (n + 1) / 10;
        var highRank = (9 * (n + 1) + 9) / 10;
        return (sorted[lowRank - 1], sorted[highRank - 1]);
    }
}
