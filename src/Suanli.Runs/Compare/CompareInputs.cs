namespace Suanli.Runs;

/// <summary>
/// The options of <c>suanli compare</c> and <c>/api/compare</c> once parsed: volumes and counts are numbers, prices,
/// rates and custom options still their text (parsed here so that both front ends report errors alike).
/// Errors name the CLI option (the web maps it to its field).
/// </summary>
public sealed record CompareInputs
{
    /// <summary>Requests per month (give this or <see cref="TokensPerMonth"/>).</summary>
    public double? RequestsPerMonth { get; init; }
    /// <summary>Tokens per month, input plus output.</summary>
    public double? TokensPerMonth { get; init; }
    /// <summary>Prompt tokens per request.</summary>
    public int InputTokens { get; init; } = 500;
    /// <summary>Output tokens per request.</summary>
    public int OutputTokens { get; init; } = 200;
    /// <summary>Hosted API prices, 'provider/model' or 'model'.</summary>
    public IReadOnlyList<string> Api { get; init; } = [];
    /// <summary>Models to self-host (names the model resolver understands).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
    /// <summary>Devices to self-host on.</summary>
    public IReadOnlyList<string> Hardware { get; init; } = [];
    /// <summary>Weight format of self-hosted models.</summary>
    public string Precision { get; init; } = "bf16";
    /// <summary>Devices per replica; 0 picks the fewest of 1, 2, 4, 8... that hold the model.</summary>
    public int DevicesPerReplica { get; init; }
    /// <summary>How self-hosted options are paid: "buy", "rent" or "buy,rent".</summary>
    public string SelfHost { get; init; } = "buy,rent";
    /// <summary>Fixed-plus-variable options, each 'NAME;build=7418 USD;per-10k=173 USD;quality=71.4'.</summary>
    public IReadOnlyList<string> Custom { get; init; } = [];
    /// <summary>How prices are read: currency, exchange rates, electricity, PUE, amortisation and purchase prices.</summary>
    public ComparePricing Pricing { get; init; } = new();
    /// <summary>Months over which a custom build cost is spread.</summary>
    public double Months { get; init; } = 36;
    /// <summary>Peak-to-mean ratio self-hosted fleets are sized for.</summary>
    public double PeakFactor { get; init; } = 1;
    /// <summary>Seconds per output token a self-hosted replica must keep.</summary>
    public double TpotP90 { get; init; } = 0.1;
    /// <summary>Seconds to first token a self-hosted replica must keep.</summary>
    public double TtftP90 { get; init; } = 2;
    /// <summary>
    /// Fraction of each prompt served from a prefix cache (a shared system prompt), 0 to 1, as a scenario application's
    /// <c>prefix_hit_rate</c>: a self-hosted replica prefills only the rest, and an API with a cached-input price bills
    /// that share of input tokens at it. 0, the default: no prompt shares a cached prefix.
    /// </summary>
    public double PrefixHitRate { get; init; }
    /// <summary>Volumes scanned for break-even, 'MIN:MAX' requests per month; null is the volume / 1,000 to x 1,000.</summary>
    public string? Range { get; init; }
    /// <summary>The date prices are judged stale against.</summary>
    public required DateOnly Today { get; init; }
    /// <summary>
    /// How many options are shown, cheapest at the volume first, from 1 to <see cref="CompareRun.MaxTop"/>: the options
    /// table, the break-even pairs and the chart cover these; a finding and <c>optionsNotShown</c> count the rest.
    /// </summary>
    public int Top { get; init; } = CompareRun.DefaultTop;
}
