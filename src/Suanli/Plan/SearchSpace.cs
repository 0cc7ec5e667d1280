using Suanli.Catalog;
using Suanli.Cost;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>One deployment the search considers: a model in a format on a layout of devices, run by an engine.</summary>
/// <param name="Model">The model.</param>
/// <param name="Weights">Weight formats (routed experts and the rest).</param>
/// <param name="Kv">KV-cache format.</param>
/// <param name="Device">Device type.</param>
/// <param name="Layout">Split of one replica (devices per replica = TP x PP).</param>
/// <param name="Engine">Serving engine.</param>
public sealed record SearchCandidate(ModelEntry Model, WeightPrecision Weights, NumberFormat Kv, Device Device, Layout Layout, Engine Engine)
{
    /// <summary>The deployment the step-time model evaluates.</summary>
    public Deployment Deployment => new(Model, Device, Layout, Weights, Kv, Engine);

    /// <summary>Devices one replica occupies.</summary>
    public int DevicesPerReplica => Layout.Devices;

    /// <summary>The family a rejection is reported for: model, format and device (layouts and engines vary within it).</summary>
    public string Family => $"{Model.Id} {Weights.Name} on {Device.Id}";

    /// <inheritdoc />
    public override string ToString() => $"{Model.Id} {Weights.Name} (KV {Kv.Name}) on {Layout.Devices} x {Device.Id} {Layout}, {EngineNames.Name(Engine)}";
}

/// <summary>The dimensions searched; candidates are their product, with layouts from <see cref="Layouts.OfReplica"/> (the family <c>plan</c> searches too).</summary>
public sealed record SearchSpace
{
    /// <summary>Candidate models.</summary>
    public required IReadOnlyList<ModelEntry> Models { get; init; }
    /// <summary>Candidate weight formats.</summary>
    public required IReadOnlyList<WeightPrecision> Precisions { get; init; }
    /// <summary>Candidate device types.</summary>
    public required IReadOnlyList<Device> Hardware { get; init; }
    /// <summary>Candidate devices per replica (1, 2, 4, 8...).</summary>
    public required IReadOnlyList<int> DevicesPerReplica { get; init; }
    /// <summary>Candidate engines.</summary>
    public IReadOnlyList<Engine> Engines { get; init; } = [Engine.Vllm];
    /// <summary>KV-cache format; null: the weight format when it is a KV format (bf16, fp16, fp8, int8), else bf16.</summary>
    public NumberFormat? Kv { get; init; }
    /// <summary>
    /// Devices per server of each device type; with it, a layout whose tensor-parallel group would span servers
    /// (<see cref="Layouts.GroupCrossesNodes"/>) is left out for that device. Null: every layout is searched.
    /// </summary>
    public Func<Device, int>? DevicesPerNode { get; init; }
    /// <summary>The one layout the application pins (its <c>layout</c> key), searched as given on every device; null: the family of <see cref="DevicesPerReplica"/>.</summary>
    public Layout? Pinned { get; init; }

    private IReadOnlyList<Layout> LayoutsOf(ModelEntry m) => Pinned is { } p ? [p] : Layouts.OfReplicas(m.Architecture, DevicesPerReplica);

    /// <summary>The KV format used with a weight format.</summary>
    public NumberFormat KvFor(WeightPrecision weights) => Kv ?? weights.KvDefault;

    /// <summary>
    /// Checks the dimensions and counts candidates without building them. An empty dimension, or a space with no
    /// valid layout, is an <see cref="InputException"/> naming it; a count above <paramref name="limit"/> is one
    /// that states the limit and how to raise it.
    /// </summary>
    public long Count(int limit)
    {
        Empty(Models, FieldNames.Model, "models");
        Empty(Precisions, FieldNames.Precision, "precisions");
        Empty(Hardware, FieldNames.Hardware, "devices");
        Empty(DevicesPerReplica, FieldNames.Devices, "device counts");
        Empty(Engines, FieldNames.Engine, "engines");
        foreach (var n in DevicesPerReplica)
        {
            Guard.InRange(n, 1, MemoryModel.MaxDevicesSearched, FieldNames.Devices);
        }
        long layouts = 0;
        foreach (var m in Models)
        {
            layouts += LayoutsOf(m).Count;
        }
        var count = layouts * Precisions.Count * Hardware.Count * Engines.Count;
        if (count == 0)
        {
            throw new InputException(FieldNames.Devices, Phrase.Of("no-candidates",
                "The search space has zero candidates: no model among {models} splits validly over {devices} devices. Add device counts that divide the attention heads (1, 2, 4, 8).",
                ("models", PhraseList.Words(Models.Select(m => m.Id))), ("devices", PhraseList.Words(DevicesPerReplica))));
        }
        if (count > limit)
        {
            throw new InputException(FieldNames.MaxCandidates, Phrase.Of("too-many-candidates",
                "The search space has {count} candidates ({models} models x {precisions} precisions x {devices} devices x {layouts} layouts per model on average x {engines} engines), over the limit of {limit}. Narrow a dimension, or raise the limit with {maxCandidates} (up to {hardest}).",
                ("count", Fmt.I($"{count:N0}")), ("models", Fmt.I($"{Models.Count}")), ("precisions", Fmt.I($"{Precisions.Count}")), ("devices", Fmt.I($"{Hardware.Count}")),
                ("layouts", Fmt.I($"{layouts / Math.Max(1, Models.Count):N0}")), ("engines", Fmt.I($"{Engines.Count}")), ("limit", Fmt.I($"{limit:N0}")),
                ("maxCandidates", FieldNames.MaxCandidates), ("hardest", Fmt.I($"{SearchOptions.HardestLimit:N0}"))));
        }
        return count;
    }

    /// <summary>Every candidate, models outermost.</summary>
    public IEnumerable<SearchCandidate> Enumerate()
    {
        foreach (var m in Models)
        {
            foreach (var layout in LayoutsOf(m))
            {
                foreach (var w in Precisions.Where(w => w.AppliesTo(m.Architecture)))
                {
                    foreach (var d in Hardware.Where(d => Pinned is not null || DevicesPerNode is null || !Layouts.GroupCrossesNodes(layout, DevicesPerNode(d))))
                    {
                        foreach (var e in Engines)
                        {
                            yield return new SearchCandidate(m, w, KvFor(w), d, layout, e);
                        }
                    }
                }
            }
        }
    }

    private static void Empty<T>(IReadOnlyList<T> list, FieldName field, string what)
    {
        if (list.Count == 0)
        {
            throw new InputException(field, Phrase.Of("search-space-empty", "The search space has zero candidates: no {what} were given. Name at least one with {field}.", ("what", what), ("field", field)));
        }
    }
}

/// <summary>What one application needs: its load, request shape, latency targets and quality floor.</summary>
/// <param name="Name">Application name.</param>
/// <param name="RequestsPerSecond">Rate the fleet must serve (the peak the plan is sized for).</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Output tokens per request.</param>
/// <param name="Latency">The latency targets, the simulator's and the plan's type: the search checks TTFT and TPOT at
/// their percentile (p90), so both are set; an end-to-end target is the plan's, not the search's.</param>
/// <param name="Quality">Quality floor, or null.</param>
/// <param name="CandidateModels">Model ids the application allows, or null for all in the space.</param>
public sealed record ServiceTarget(string Name, double RequestsPerSecond, int InputTokens, int OutputTokens, ServingTargets Latency,
    QualityFloor? Quality = null, IReadOnlyList<string>? CandidateModels = null)
{
    /// <summary>An application with p90 TTFT and TPOT targets (seconds in <see cref="Duration"/>), as the search checks them.</summary>
    public ServiceTarget(string name, double requestsPerSecond, int inputTokens, int outputTokens, Duration ttftTarget, Duration tpotTarget,
        QualityFloor? quality = null, IReadOnlyList<string>? candidateModels = null)
        : this(name, requestsPerSecond, inputTokens, outputTokens, new ServingTargets(ttftTarget, tpotTarget, null), quality, candidateModels)
    {
    }

    /// <summary>
    /// Fraction of each prompt the engine's prefix cache holds (<see cref="StatedCaps.PrefixHitRate"/>), 0 to 1: the
    /// analytic estimate prefills only the rest, as the simulator does (which caches whole blocks, never more).
    /// </summary>
    public double PrefixHitRate { get; init; }

    /// <summary>Prompt tokens prefilled per request: those the prefix cache does not hold, at least one.</summary>
    public int PrefilledTokens => Math.Max(1, (int)Math.Ceiling(InputTokens * (1 - PrefixHitRate)));

    /// <summary>Time-to-first-token target (p90); zero when unset, which <see cref="Validated"/> refuses.</summary>
    public Duration TtftTarget => Latency.Ttft ?? Duration.Zero;

    /// <summary>Time-per-output-token target (p90); zero when unset, which <see cref="Validated"/> refuses.</summary>
    public Duration TpotTarget => Latency.Tpot ?? Duration.Zero;

    /// <summary>Checks ranges.</summary>
    public ServiceTarget Validated()
    {
        Guard.Positive(RequestsPerSecond, FieldNames.Rate);
        Guard.InRange(InputTokens, 1, FootprintRequest.MaxContext, FieldNames.Input);
        Guard.InRange(OutputTokens, 1, FootprintRequest.MaxContext, FieldNames.Output);
        Guard.Positive(TtftTarget.Value, FieldNames.TtftP90);
        Guard.Positive(TpotTarget.Value, FieldNames.TpotP90);
        return this;
    }

    /// <summary>Whether a model may serve this application (named candidates only).</summary>
    public bool Allows(ModelEntry model) =>
        CandidateModels is null || CandidateModels.Count == 0 || CandidateModels.Any(n => string.Equals(n, model.Id, StringComparison.OrdinalIgnoreCase)
            || string.Equals(n, model.HfRepo, StringComparison.OrdinalIgnoreCase) || model.Aliases.Contains(n, StringComparer.OrdinalIgnoreCase));
}

/// <summary>What an evaluator says about a candidate for an application.</summary>
/// <param name="Feasible">False when the candidate cannot serve the application at all.</param>
/// <param name="CapacityPerReplica">Requests per second one replica sustains within the latency targets.</param>
/// <param name="Ttft">p90 time to first token at that load.</param>
/// <param name="Tpot">p90 time per output token at that load.</param>
/// <param name="MaxBatch">Concurrent sequences per replica the engine should allow (its max-num-seqs).</param>
/// <param name="Code">Reason code when infeasible (does-not-fit, tpot, ttft, quality...).</param>
/// <param name="Reason">A sentence with the numbers when infeasible.</param>
public sealed record SearchEvaluation(bool Feasible, double CapacityPerReplica, Duration Ttft, Duration Tpot, int MaxBatch, string Code = "", string Reason = "")
{
    /// <summary>A feasible evaluation.</summary>
    public static SearchEvaluation Ok(double capacityPerReplica, Duration ttft, Duration tpot, int maxBatch) =>
        new(true, Guard.Positive(capacityPerReplica, "capacity per replica"), ttft, tpot, maxBatch);

    /// <summary>An infeasible evaluation with its reason.</summary>
    public static SearchEvaluation No(string code, string reason) => new(false, 0, Duration.Zero, Duration.Zero, 0, code, reason);

    /// <summary>An infeasible evaluation with its reason as a phrase (rendered in the reader's language by the front ends).</summary>
    public static SearchEvaluation No(string code, Phrase reason) => new(false, 0, Duration.Zero, Duration.Zero, 0, code, reason.English) { ReasonText = reason };

    /// <summary>The reason as a phrase, when it was made as one.</summary>
    public Phrase? ReasonText { get; init; }
}

/// <summary>Evaluates a candidate for an application (the serving simulator, or the analytic estimate).</summary>
public delegate SearchEvaluation CandidateEvaluator(SearchCandidate candidate, ServiceTarget target);

/// <summary>Money per month of running <paramref name="replicas"/> replicas of a candidate (rent, or owned TCO).</summary>
public delegate Money CandidateCost(SearchCandidate candidate, int replicas);

/// <summary>Limits and switches of the search.</summary>
public sealed record SearchOptions
{
    /// <summary>The default candidate limit: a space larger than this is refused with a message saying how to raise it.</summary>
    public const int DefaultLimit = 100_000;

    /// <summary>The most the limit can be raised to.</summary>
    public const int HardestLimit = 10_000_000;

    /// <summary>Candidates allowed before the search refuses the space.</summary>
    public int MaxCandidates { get; init; } = DefaultLimit;

    /// <summary>Skip candidates whose optimistic bound is dominated by a plan already found (exact when the bound holds).</summary>
    public bool Prune { get; init; } = true;

    /// <summary>Largest concurrent batch the capacity estimate considers (vLLM's default max_num_seqs is 256).</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>A candidate's own batch limit in place of <see cref="MaxBatch"/> (null: <see cref="MaxBatch"/> for all).</summary>
    public Func<SearchCandidate, int>? MaxBatchOf { get; init; }

    /// <summary>
    /// Factor on the analytic bound's capacity before it prunes (1: the bound as computed). An evaluator whose
    /// capacity can exceed the bound by a measured margin (the serving simulator's step shapes differ from the
    /// bound's mean decode step) sets it to that margin so that pruning stays exact.
    /// </summary>
    public double BoundSlack { get; init; } = 1.0;

    /// <summary>
    /// Engine memory reserve; null (the default): each candidate's engine's own (<see cref="Suanli.Serving.EngineConfig.ReserveFor(Suanli.StepTime.Engine, Suanli.Catalog.Device, int?, Suanli.Serving.EntryPoint)"/>, the
    /// rule perf, simulate and capacity size memory with: utilisation 0.9, 1.0 for llama.cpp).
    /// </summary>
    public RuntimeReserve? Reserve { get; init; }

    /// <summary>The step token budget the application states (its max_batched_tokens); null: each engine's default on the candidate's device.</summary>
    public int? StepTokens { get; init; }

    /// <summary>
    /// The memory reserve of candidate <paramref name="c"/>: <see cref="Reserve"/> when set, else its engine's own on its
    /// device, activations sized for <see cref="StepTokens"/> or the engine's default budget, as the simulator sizes them.
    /// </summary>
    public RuntimeReserve ReserveOf(SearchCandidate c) => Reserve ?? EngineConfig.ReserveFor(c.Engine, c.Device, StepTokens);
    /// <summary>
    /// The 80% capacity interval of a candidate (docs/methodology-intervals.md); null (or a null answer): plans carry
    /// no range.
    /// </summary>
    public Func<SearchCandidate, IntervalLookup?>? Interval { get; init; }

    /// <summary>
    /// Progress of the second phase, the one that takes the time: called with (candidates done, shortlist size) once the
    /// shortlist (the candidates the analytic bound leaves, cheapest bound first) is known, after each of them is
    /// simulated or pruned, and at its end.
    /// </summary>
    public Action<int, int>? Verified { get; init; }

    /// <summary>Checks the limits.</summary>
    public SearchOptions Validated()
    {
        Guard.InRange(MaxCandidates, 1, HardestLimit, FieldNames.MaxCandidates);
        Guard.InRange(MaxBatch, 1, FootprintRequest.MaxBatch, "max batch");
        Guard.InRange(BoundSlack, 1.0, 10.0, "bound slack");
        return this;
    }
}
