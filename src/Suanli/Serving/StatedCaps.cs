namespace Suanli.Serving;

/// <summary>
/// The scheduler caps a user states for an engine (a scenario's <c>max_num_seqs</c> and <c>max_batched_tokens</c>); a
/// null cap is the engine's documented default for the device (<see cref="SchedulerDefaults"/>). With them, the
/// share of each prompt the engine's prefix cache holds (<see cref="PrefixHitRate"/>).
/// </summary>
/// <param name="MaxNumSeqs">Most sequences running at once (vLLM <c>max_num_seqs</c>); null: the engine's default.</param>
/// <param name="MaxBatchedTokens">Most tokens in one step, also the prefill chunk (vLLM <c>max_num_batched_tokens</c>); null: the engine's default.</param>
public sealed record StatedCaps(int? MaxNumSeqs, int? MaxBatchedTokens)
{
    /// <summary>No cap stated: both are the engine's defaults.</summary>
    public static StatedCaps None { get; } = new(null, null);

    /// <summary>The largest sequence cap accepted (<see cref="EngineConfig.Validated"/>'s limit).</summary>
    public const int MostSequences = 100_000;

    /// <summary>The largest token cap accepted (<see cref="EngineConfig.Validated"/>'s limit).</summary>
    public const int MostTokens = 10_000_000;

    /// <summary>
    /// Fraction of each prompt found in the prefix cache, 0 to 1, as stated (a scenario application's
    /// <c>prefix_hit_rate</c>, simulate's <c>--prefix-hit-rate</c>); 0, the default: no prompt shares a cached prefix.
    /// </summary>
    public double PrefixHitRate { get; init; }

    /// <summary>True when either cap is stated.</summary>
    public bool Any => MaxNumSeqs is not null || MaxBatchedTokens is not null;

    /// <summary>
    /// <paramref name="engine"/> with the stated caps in place of its own (<see cref="EngineConfig.WithCaps"/>: the caps
    /// still assumed stay recorded as such) and the stated prefix-cache hit rate, as simulate sets it.
    /// </summary>
    public EngineConfig Apply(EngineConfig engine)
    {
        var capped = Any ? engine.WithCaps(MaxNumSeqs, MaxBatchedTokens) : engine;
        return PrefixHitRate > 0 ? capped with { PrefixCacheHitRate = PrefixHitRate } : capped;
    }
}
