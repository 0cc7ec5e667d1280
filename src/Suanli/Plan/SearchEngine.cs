using System.Globalization;
using Suanli.Cost;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>A deployment the search chose or put on the frontier: replicas, monthly cost, latency and the command to run it.</summary>
/// <param name="Candidate">The deployment.</param>
/// <param name="Replicas">Copies needed for the application's rate.</param>
/// <param name="CostPerMonth">Money per month for those replicas.</param>
/// <param name="Evaluation">The evaluator's capacity and latency.</param>
/// <param name="Quality">The model's score on the quality benchmark, or null when unpublished.</param>
/// <param name="Latency">End-to-end p90 estimate: TTFT + (output tokens - 1) x TPOT.</param>
/// <param name="CommandLine">The engine command a user would run for one replica.</param>
public sealed record PlanChoice(SearchCandidate Candidate, int Replicas, Money CostPerMonth, SearchEvaluation Evaluation, double? Quality, Duration Latency, string CommandLine)
{
    /// <summary>Devices in all replicas.</summary>
    public int Devices => Replicas * Candidate.DevicesPerReplica;

    /// <summary>The plan at both ends of the candidate's 80% capacity interval; null when none was asked for or none exists.</summary>
    public PlanChoiceRange? Range { get; init; }
}

/// <summary>
/// A search plan at the ends of its capacity interval: replicas and cost per month when each replica carries its
/// capacity x the interval's high ratio (fewest) and low ratio (most).
/// </summary>
/// <param name="Interval">The interval used.</param>
/// <param name="ReplicasLow">Replicas at capacity x high ratio.</param>
/// <param name="ReplicasHigh">Replicas at capacity x low ratio.</param>
/// <param name="CostLow">Cost per month of <paramref name="ReplicasLow"/>.</param>
/// <param name="CostHigh">Cost per month of <paramref name="ReplicasHigh"/>.</param>
public sealed record PlanChoiceRange(IntervalLookup Interval, int ReplicasLow, int ReplicasHigh, Money CostLow, Money CostHigh);

/// <summary>A family (model, format, device) none of whose candidates could serve an application, with the commonest reason.</summary>
/// <param name="Family">Model, format and device.</param>
/// <param name="Code">Reason code: quality, does-not-fit, tpot, ttft, replicas, or the evaluator's code.</param>
/// <param name="Reason">A sentence with the numbers, from one of its candidates.</param>
/// <param name="Candidates">Candidates of the family rejected for any reason.</param>
public sealed record RejectedFamily(string Family, string Code, string Reason, int Candidates)
{
    /// <summary>The reason as a phrase, when it was made as one (the web renders it in the reader's language).</summary>
    public Phrase? ReasonText { get; init; }
}

/// <summary>Counts of one application's search.</summary>
/// <param name="Candidates">Candidates in the space.</param>
/// <param name="Evaluated">Candidates the evaluator was called for.</param>
/// <param name="Pruned">Candidates skipped because a plan already found dominates their optimistic bound.</param>
/// <param name="Rejected">Candidates that cannot serve the application.</param>
public sealed record SearchStats(long Candidates, int Evaluated, int Pruned, int Rejected);

/// <summary>The answer for one application.</summary>
/// <param name="Target">The application.</param>
/// <param name="Cheapest">The cheapest feasible plan, or null when none is feasible.</param>
/// <param name="Frontier">Plans no other plan beats on cost, quality and latency together, cheapest first.</param>
/// <param name="Rejected">Families with no feasible candidate and why.</param>
/// <param name="Stats">Counts.</param>
/// <param name="Findings">Notes and warnings.</param>
public sealed record ApplicationSearchResult(ServiceTarget Target, PlanChoice? Cheapest, IReadOnlyList<PlanChoice> Frontier, IReadOnlyList<RejectedFamily> Rejected, SearchStats Stats, IReadOnlyList<Finding> Findings);

/// <summary>The search's answer for every application.</summary>
/// <param name="Applications">One plan per application, in input order.</param>
/// <param name="Candidates">Candidates in the space.</param>
public sealed record SearchResult(IReadOnlyList<ApplicationSearchResult> Applications, long Candidates);

/// <summary>
/// Finds the cheapest deployment per application that meets its latency targets and quality floor, the Pareto
/// frontier of cost, quality and latency, and the families that cannot serve it (docs/methodology-cost.md, "Search").
/// Candidates are ordered by an optimistic cost (replicas from <see cref="AnalyticCapacityBound"/>'s capacity bound) and
/// skipped once an evaluated plan dominates that bound, so the evaluator (a serving simulator) runs on few of them.
/// </summary>
public sealed class SearchEngine(IStepTimeModel stepTime, SearchOptions? options = null)
{
    private readonly SearchOptions _options = (options ?? new SearchOptions()).Validated();

    /// <summary>The largest replica count a plan may need before the family is rejected as impractical.</summary>
    public const int MaxReplicas = 100_000;

    /// <summary>
    /// Searches. <paramref name="cost"/> must not decrease as replicas grow, and <paramref name="evaluate"/> must not
    /// report more capacity or a shorter TTFT than <see cref="AnalyticCapacityBound.Bound"/> (a warning finding is raised
    /// when it does, since pruning may then have skipped a cheaper plan).
    /// </summary>
    /// <param name="space">Candidate dimensions.</param>
    /// <param name="targets">Applications.</param>
    /// <param name="evaluate">Capacity and latency of a candidate for an application.</param>
    /// <param name="cost">Money per month for a number of replicas.</param>
    /// <param name="progress">Receives the number of candidate-application pairs processed so far.</param>
    public SearchResult Search(SearchSpace space, IReadOnlyList<ServiceTarget> targets, CandidateEvaluator evaluate, CandidateCost cost, IProgress<long>? progress = null)
    {
        if (targets.Count == 0)
        {
            throw new InputException("applications", Phrase.Of("search-no-applications", "The search needs at least one application (rate, request shape and latency targets)."));
        }
        var count = space.Count(_options.MaxCandidates);
        var candidates = space.Enumerate().ToList();
        var done = 0L;
        var plans = new List<ApplicationSearchResult>();
        foreach (var target in targets)
        {
            plans.Add(SearchOne(candidates, space, target.Validated(), evaluate, cost, count, progress, ref done));
        }
        return new SearchResult(plans, count);
    }

    private ApplicationSearchResult SearchOne(List<SearchCandidate> candidates, SearchSpace space, ServiceTarget t, CandidateEvaluator evaluate, CandidateCost cost,
        long count, IProgress<long>? progress, ref long done)
    {
        var findings = new List<Finding>();
        var benchmark = t.Quality?.Benchmark ?? "MMLU";
        var allowed = space.Models.Where(t.Allows).ToList();
        if (allowed.Count == 0)
        {
            throw new InputException("models", Phrase.Of("search-no-candidate-model", "Application '{name}' names candidate models ({candidates}) none of which is in the search space ({space}).", ("name", t.Name), ("candidates", PhraseList.Words(t.CandidateModels ?? [])), ("space", PhraseList.Words(space.Models.Select(m => m.Id)))));
        }
        if (t.Quality is { } floor)
        {
            floor.Filter(allowed, "quality");
        }

        var rejections = new Dictionary<string, (Dictionary<string, (int Count, string Reason, Phrase? Text)> Codes, int Total)>(StringComparer.Ordinal);
        var feasibleFamilies = new HashSet<string>(StringComparer.Ordinal);
        void Reject(SearchCandidate c, string code, string reason, Phrase? text = null)
        {
            if (!rejections.TryGetValue(c.Family, out var entry))
            {
                entry = (new Dictionary<string, (int, string, Phrase?)>(StringComparer.Ordinal), 0);
            }
            entry.Codes[code] = entry.Codes.TryGetValue(code, out var e) ? (e.Count + 1, e.Reason, e.Text) : (1, reason, text);
            rejections[c.Family] = (entry.Codes, entry.Total + 1);
        }

        // Optimistic bounds for every candidate that passes the hard checks.
        var bounded = new List<(SearchCandidate C, SearchEvaluation Bound, Money CostBound, double? Quality, Duration LatencyBound)>();
        foreach (var c in candidates)
        {
            done++;
            if (done % 256 == 0)
            {
                progress?.Report(done);
            }
            if (!t.Allows(c.Model))
            {
                continue;
            }
            if (t.Quality?.Problem(c.Model) is { } qp)
            {
                Reject(c, "quality", qp.English, qp);
                continue;
            }
            var bound = AnalyticCapacityBound.Bound(stepTime, c, t, _options.ReserveOf(c), _options.MaxBatchOf?.Invoke(c) ?? _options.MaxBatch);
            if (!bound.Feasible)
            {
                Reject(c, bound.Code, bound.Reason, bound.ReasonText);
                continue;
            }
            if (_options.BoundSlack > 1)
            {
                bound = bound with { CapacityPerReplica = bound.CapacityPerReplica * _options.BoundSlack };
            }
            var replicasBound = Replicas(t.RequestsPerSecond, bound.CapacityPerReplica);
            if (replicasBound > MaxReplicas)
            {
                Reject(c, "replicas", $"it needs at least {replicasBound:N0} replicas for {Num(t.RequestsPerSecond)} requests/s, over the {MaxReplicas:N0} considered");
                continue;
            }
            bounded.Add((c, bound, cost(c, (int)replicasBound), c.Model.Score(benchmark), Latency(bound, t)));
        }
        bounded.Sort((a, b) =>
        {
            var byCost = a.CostBound.Amount.CompareTo(b.CostBound.Amount);
            return byCost != 0 ? byCost : a.LatencyBound.CompareTo(b.LatencyBound);
        });

        var frontier = new List<PlanChoice>();
        PlanChoice? cheapest = null;
        int evaluated = 0, pruned = 0, violations = 0, verified = 0;
        string? violationExample = null;
        foreach (var (c, bound, costBound, quality, latencyBound) in bounded)
        {
            _options.Verified?.Invoke(verified++, bounded.Count);
            if (_options.Prune && frontier.Any(f => f.CostPerMonth.Amount <= costBound.Amount && Better(f.Quality, quality) && f.Latency <= latencyBound))
            {
                // A dominated candidate could serve; its family is not rejected.
                pruned++;
                feasibleFamilies.Add(c.Family);
                continue;
            }
            evaluated++;
            var e = evaluate(c, t);
            if (!e.Feasible)
            {
                Reject(c, e.Code.Length == 0 ? "evaluator" : e.Code, e.Reason, e.ReasonText);
                continue;
            }
            if (e.Ttft > t.TtftTarget || e.Tpot > t.TpotTarget)
            {
                Reject(c, "latency", $"at its capacity it gives TTFT {Ms(e.Ttft)} ms and TPOT {Ms(e.Tpot)} ms against targets of {Ms(t.TtftTarget)} and {Ms(t.TpotTarget)} ms");
                continue;
            }
            if (e.CapacityPerReplica > bound.CapacityPerReplica * (1 + 1e-9) || e.Ttft < bound.Ttft * (1 - 1e-9) || e.Tpot < bound.Tpot * (1 - 1e-9))
            {
                violations++;
                violationExample ??= $"{c}: evaluator capacity {Num(e.CapacityPerReplica)} requests/s vs bound {Num(bound.CapacityPerReplica)}";
            }
            var replicas = Replicas(t.RequestsPerSecond, e.CapacityPerReplica);
            if (replicas > MaxReplicas)
            {
                Reject(c, "replicas", $"it needs {replicas:N0} replicas for {Num(t.RequestsPerSecond)} requests/s, over the {MaxReplicas:N0} considered");
                continue;
            }
            feasibleFamilies.Add(c.Family);
            var plan = new PlanChoice(c, (int)replicas, cost(c, (int)replicas), e, quality, Latency(e, t),
                EngineCommandLine.For(c, new EngineSettings(e.MaxBatch, _options.ReserveOf(c).MemoryUtilization, t.InputTokens + t.OutputTokens)))
            {
                Range = RangeOf(c, t.RequestsPerSecond, e.CapacityPerReplica, cost),
            };
            if (cheapest is null || Cheaper(plan, cheapest))
            {
                cheapest = plan;
            }
            if (!frontier.Any(f => Dominates(f, plan)))
            {
                frontier.RemoveAll(f => Dominates(plan, f));
                frontier.Add(plan);
            }
        }
        _options.Verified?.Invoke(bounded.Count, bounded.Count);
        progress?.Report(done);

        var rejected = rejections.Where(r => !feasibleFamilies.Contains(r.Key))
            .Select(r =>
            {
                var top = r.Value.Codes.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).First();
                return new RejectedFamily(r.Key, top.Key, top.Value.Reason, r.Value.Total) { ReasonText = top.Value.Text };
            })
            .OrderBy(r => r.Family, StringComparer.Ordinal).ToList();
        var rejectedCount = rejections.Values.Sum(r => r.Total);
        if (cheapest is null)
        {
            findings.Add(Finding.Error("no-feasible-plan",
                "No candidate serves '{application}' ({rate} requests/s, {input} in / {output} out, TTFT p90 {ttft} ms, TPOT p90 {tpot} ms{quality}): all {rejected} candidates were rejected; see the rejected families.",
                ("application", t.Name), ("rate", Num(t.RequestsPerSecond)), ("input", Fmt.I($"{t.InputTokens}")), ("output", Fmt.I($"{t.OutputTokens}")),
                ("ttft", Ms(t.TtftTarget)), ("tpot", Ms(t.TpotTarget)), ("quality", t.Quality is null ? "" : ", " + t.Quality), ("rejected", Fmt.I($"{rejectedCount:N0}"))));
        }
        if (violations > 0)
        {
            findings.Add(Finding.Warn("bound-violated#evaluator",
                "The evaluator reported more capacity or less latency than the analytic bound for {count} candidates (e.g. {example}); pruning may have skipped a cheaper plan. Search again with pruning off to be sure.",
                ("count", Fmt.I($"{violations}")), ("example", violationExample ?? "")));
        }
        findings.Add(Finding.Info("search-counts",
            "{count} candidates: {evaluated} evaluated, {pruned} skipped as dominated by a plan already found, {rejected} rejected.",
            ("count", Fmt.I($"{count:N0}")), ("evaluated", Fmt.I($"{evaluated:N0}")), ("pruned", Fmt.I($"{pruned:N0}")), ("rejected", Fmt.I($"{rejectedCount:N0}"))));
        return new ApplicationSearchResult(t, cheapest, [.. frontier.OrderBy(f => f.CostPerMonth.Amount).ThenBy(f => f.Latency)], rejected,
            new SearchStats(count, evaluated, pruned, rejectedCount), findings);
    }

    private PlanChoiceRange? RangeOf(SearchCandidate c, double rate, double capacity, CandidateCost cost)
    {
        if (_options.Interval?.Invoke(c) is not { } interval)
        {
            return null;
        }
        var low = (int)Math.Min(MaxReplicas, Replicas(rate, capacity * interval.Class.HighRatio));
        var high = (int)Math.Min(MaxReplicas, Replicas(rate, capacity * interval.Class.LowRatio));
        return new PlanChoiceRange(interval, low, high, cost(c, low), cost(c, high));
    }

    private static long Replicas(double rate, double capacity) => (long)Math.Max(1, Math.Ceiling(rate / capacity - 1e-9));

    private static Duration Latency(SearchEvaluation e, ServiceTarget t) => e.Ttft + e.Tpot * (t.OutputTokens - 1);

    private static bool Better(double? a, double? b) => b is null || (a is { } x && x >= b.Value);

    private static bool Dominates(PlanChoice a, PlanChoice b) =>
        a.CostPerMonth.Amount <= b.CostPerMonth.Amount && Better(a.Quality, b.Quality) && a.Latency <= b.Latency
        && (a.CostPerMonth.Amount < b.CostPerMonth.Amount || a.Latency < b.Latency || (a.Quality ?? double.MinValue) > (b.Quality ?? double.MinValue));

    private static bool Cheaper(PlanChoice a, PlanChoice b)
    {
        var byCost = a.CostPerMonth.Amount.CompareTo(b.CostPerMonth.Amount);
        if (byCost != 0)
        {
            return byCost < 0;
        }
        if (a.Devices != b.Devices)
        {
            return a.Devices < b.Devices;
        }
        return a.Latency < b.Latency;
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Ms(Duration d) => d.InMilliseconds.ToString("0.#", CultureInfo.InvariantCulture);
}
