namespace Suanli.Serving;

/// <summary>
/// The scheduler caps a user states for an engine (a scenario's <c>max_num_seqs</c> and <c>max_batched_tokens</c>); a
/// null cap is the engine's documented default for the device (<see cref="SchedulerDefaults"/>).
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

    /// <summary>True when either cap is stated.</summary>
    public bool Any => MaxNumSeqs is not null || MaxBatchedTokens is not null;

    /// <summary>
    /// <paramref name="engine"/> with the stated caps in place of its own (<see cref="EngineConfig.WithCaps"/>: the caps
    /// still assumed stay recorded as such).
    /// </summary>
    public EngineConfig Apply(EngineConfig engine) => Any ? engine.WithCaps(MaxNumSeqs, MaxBatchedTokens) : engine;
}
