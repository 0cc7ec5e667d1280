using Suanli.Quantities;

namespace Suanli.Catalog;

/// <summary>A published benchmark score with where it was published.</summary>
/// <param name="Name">Benchmark, e.g. MMLU.</param>
/// <param name="Score">Score in percent.</param>
/// <param name="Shots">Few-shot count when stated.</param>
/// <param name="Source">Citation.</param>
public sealed record BenchmarkScore(string Name, double Score, int? Shots, string Source);

/// <summary>A model in the catalog: its architecture from config.json plus published metadata.</summary>
public sealed record ModelEntry
{
    /// <summary>Short catalog id, e.g. <c>qwen2-72b</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Hugging Face repo id, when the model is on the hub.</summary>
    public string? HfRepo { get; init; }
    /// <summary>Other names that resolve to this model (instruct variants, short names).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Family name.</summary>
    public string Family { get; init; } = "";
    /// <summary>verbatim (config.json copied byte for byte) or reconstructed (shapes from the model card or paper).</summary>
    public string ConfigKind { get; init; } = "verbatim";
    /// <summary>The architecture read from the config.</summary>
    public required ModelArchitecture Architecture { get; init; }
    /// <summary>Parameter count as published; null when not published.</summary>
    public double? PublishedParameters { get; init; }
    /// <summary>Where the parameter count was published.</summary>
    public string PublishedParametersSource { get; init; } = "";
    /// <summary>Published active parameters per token (MoE).</summary>
    public double? ActiveParameters { get; init; }
    /// <summary>
    /// What the publisher's active count includes: <c>all</c> (embedding and LM head, the default), <c>no-embedding</c>
    /// (LM head but not the input embedding lookup, as OpenAI counts gpt-oss) or <c>no-embedding-no-head</c> (MiniMax, Qwen).
    /// </summary>
    public string ActiveParametersScope { get; init; } = "all";
    /// <summary>Why the counted active parameters may differ from the published figure by more than 1% (null: they must agree).</summary>
    public string? ActiveParameterCheckException { get; init; }
    /// <summary>The weight precision of the released checkpoint (bf16, fp8, or experts+rest such as mxfp4+bf16 where it mixes formats), the default precision for this model.</summary>
    public string DefaultPrecision { get; init; } = "bf16";
    /// <summary>Longest context the model card states (tokens), 0 when not stated.</summary>
    public int ContextLength { get; init; }
    /// <summary>Licence.</summary>
    public string Licence { get; init; } = "";
    /// <summary>Exact checkpoint size from model.safetensors.index.json, when known.</summary>
    public Bytes? CheckpointBytes { get; init; }
    /// <summary>Published scores.</summary>
    public IReadOnlyList<BenchmarkScore> Benchmarks { get; init; } = [];
    /// <summary>Where the config and metadata came from.</summary>
    public string Source { get; init; } = "";
    /// <summary>Caveats.</summary>
    public string Notes { get; init; } = "";
    /// <summary>Why the counted parameters may differ from the published count by more than 1% (null: they must agree).</summary>
    public string? ParameterCheckException { get; init; }

    /// <summary>The published score on a benchmark (case-insensitive name), or null.</summary>
    public double? Score(string benchmark) =>
        Benchmarks.FirstOrDefault(b => string.Equals(b.Name, benchmark, StringComparison.OrdinalIgnoreCase))?.Score;

    /// <inheritdoc />
    public override string ToString() => Id;
}
