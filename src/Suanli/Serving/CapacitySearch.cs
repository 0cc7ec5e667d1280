using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>Which load the capacity search varies.</summary>
public enum CapacityMode
{
    /// <summary>Poisson arrival rate, requests per second.</summary>
    Rate,
    /// <summary>Closed-loop concurrent clients.</summary>
    Concurrency,
}

/// <summary>One simulation of the search.</summary>
/// <param name="Load">Requests per second (rate mode) or clients (concurrency mode).</param>
/// <param name="Meets">True when every target held and the replica kept up.</param>
/// <param name="Failing">What failed (ttft, tpot, e2e, throughput), null when it met.</param>
/// <param name="Result">The simulation.</param>
public sealed record CapacityProbe(double Load, bool Meets, string? Failing, ServingResult Result);

/// <summary>A change that would let the replica meet a target it cannot meet at any load.</summary>
/// <param name="Change">What changes, e.g. "fp8 weights", "TP=8", "qwen2.5-32b".</param>
/// <param name="Deployment">The changed replica.</param>
/// <param name="TtftFloor">Prefill time of one mean prompt alone.</param>
/// <param name="TpotFloor">Decode step time at batch 1 and the mean context.</param>
/// <param name="Meets">True when both floors are under the targets.</param>
public sealed record Remedy(string Change, Deployment Deployment, Duration TtftFloor, Duration TpotFloor, bool Meets)
{
    /// <summary>
    /// <see cref="Change"/> as a phrase, so a web page renders it in its reader's language ("TP=16（16 台设备）"); a
    /// change that is a name (fp8, a model id) stays as it is.
    /// </summary>
    public Phrase Text { get; init; } = Phrase.Of("remedy-change", "{change}", ("change", Change));
}

/// <summary>The largest load one replica carries with the targets met.</summary>
public sealed record CapacityResult
{
    /// <summary>What was varied.</summary>
    public required CapacityMode Mode { get; init; }
    /// <summary>Largest Poisson rate meeting the targets (rate mode), or the request rate achieved at the largest concurrency; null when none.</summary>
    public required double? MaxRequestsPerSecond { get; init; }
    /// <summary>Largest closed-loop concurrency meeting the targets (concurrency mode), or the mean requests in flight at the largest rate; null when none.</summary>
    public required int? MaxConcurrency { get; init; }
    /// <summary>The target (ttft, tpot, e2e) or limit (throughput: the queue grows) that stops a larger load; null when no load was found.</summary>
    public required string? LimitingTarget { get; init; }
    /// <summary>The analytic first guess of the load.</summary>
    public required double FirstGuess { get; init; }
    /// <summary>The simulation at the largest load that met the targets.</summary>
    public required ServingResult? AtMax { get; init; }
    /// <summary>Every simulation in the order run.</summary>
    public required IReadOnlyList<CapacityProbe> Probes { get; init; }
    /// <summary>Changes that would meet the targets when no load does.</summary>
    public required IReadOnlyList<Remedy> Remedies { get; init; }
    /// <summary>What the search found.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>One mean request's end-to-end time alone (<see cref="CapacitySearch.Floors"/>): a closed loop of one client; null when no load was found.</summary>
    public Duration? LoneE2e { get; init; }
}

/// <summary>
/// Finds the largest load one replica sustains with every target met at its percentile: an analytic first guess
/// (decode throughput at the largest batch the TPOT target and the KV cache allow), then doubling or halving to
/// bracket, then bisection to 2% (docs/methodology-serving.md, "Capacity search").
/// </summary>
public static partial class CapacitySearch
{
    /// <summary>
    /// A rate counts as carried when the replica computes at least this fraction of the tokens the arrivals ask for
    /// (<see cref="ServingThroughput.ServedFraction"/>). Work, not completions, is compared: with long-tailed output lengths
    /// the last completions trail the last arrival by the longest request, which a departure-rate test mistakes for falling behind.
    /// </summary>
    public const double KeepUpFraction = 0.95;

    private const int MaxBracketSteps = 24;
    private const double Tolerance = 1.02;

    /// <summary>Runs the search.</summary>
    /// <param name="deployment">The replica.</param>
    /// <param name="workload">Lengths, seed and request count; its arrival process is replaced by the load under test.</param>
    /// <param name="engine">Engine settings.</param>
    /// <param name="model">Step-time model.</param>
    /// <param name="targets">Targets (at least one).</param>
    /// <param name="mode">Vary the rate or the concurrency.</param>
    /// <param name="candidates">Models to try as remedies when no load meets the targets (same family, smaller); may be empty.</param>
    /// <param name="speculation">Speculative decoding in every probe (null: none); the first guess and the latency floors are those without it.</param>
    /// <param name="cancel">Stops the search (an <see cref="OperationCanceledException"/>) inside its current probe.</param>
    public static CapacityResult Run(Deployment deployment, Workload workload, EngineConfig engine, IStepTimeModel model, ServingTargets targets,
        CapacityMode mode = CapacityMode.Rate, IEnumerable<ModelEntry>? candidates = null, Speculation? speculation = null, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        // Remedies name the candidates given, which the memo's key does not hold: a search with them always runs.
        return candidates is null
            ? CapacitySearchMemo.GetOrRun(model, deployment, workload, engine, targets, mode, speculation, () => Search(deployment, workload, engine, model, targets, mode, null, speculation, cancel))
            : Search(deployment, workload, engine, model, targets, mode, candidates, speculation, cancel);
    }

    private static CapacityResult Search(Deployment deployment, Workload workload, EngineConfig engine, IStepTimeModel model, ServingTargets targets,
        CapacityMode mode, IEnumerable<ModelEntry>? candidates, Speculation? speculation, CancellationToken cancel)
    {
        if (!targets.Any)
        {
            throw new InputException(FieldNames.TtftP90, Phrase.Of("no-target", "The capacity search needs at least one target: give {ttft}, {tpot} or {e2e} (or the p50/p99 forms), e.g. {ttft} 2 {tpot} 0.1.",
                ("ttft", FieldNames.TtftP90), ("tpot", FieldNames.TpotP90), ("e2e", FieldNames.E2eP90)));
        }
        if (workload.Kind == ArrivalKind.Trace)
        {
            throw new InputException(FieldNames.Trace, Phrase.Of("capacity-trace", "The capacity search varies a Poisson rate or a concurrency; a trace fixes its own arrivals. Give {input} and {output} distributions instead.",
                ("input", FieldNames.Input), ("output", FieldNames.Output)));
        }
        engine = engine.Validated();
        var probes = new List<CapacityProbe>();
        var findings = new List<Finding>();
        var floors = Floors(deployment, workload, model);
        var guess = FirstGuess(deployment, workload, engine, model, targets, mode);

        var floorProblem = FloorProblem(floors, targets);
        if (floorProblem is not null)
        {
            var remedies = Remedies(deployment, workload, engine, model, targets, candidates ?? [], speculation);
            findings.Add(Finding.Error("target-unreachable#floor", "{problem}{remedies}", ("problem", floorProblem), ("remedies", RemedyText(remedies))));
            return new CapacityResult
            {
                Mode = mode, MaxRequestsPerSecond = null, MaxConcurrency = null, LimitingTarget = null, FirstGuess = guess,
                AtMax = null, Probes = probes, Remedies = remedies, Findings = findings,
            };
        }

        CapacityProbe Probe(double load)
        {
            var w = mode == CapacityMode.Rate ? workload.AtRate(load) : workload.AtConcurrency((int)load);
            var r = ServingSimulator.Run(deployment, w, engine, model, targets, speculation, cancel);
            var failing = Failing(r, targets, mode == CapacityMode.Rate ? load : null);
            var probe = new CapacityProbe(load, failing is null, failing, r);
            probes.Add(probe);
            return probe;
        }

        // Clients that start together with fewer requests than clients never all have one in flight: past that many every
        // probe is the same run (its requests at once), so the search stops there and says so.
        var mostClients = MostClients(workload);
        double Clamp(double load) => mode == CapacityMode.Rate ? Math.Clamp(load, Workload.MinRequestsPerSecond, Workload.MaxRequestsPerSecond) : Math.Clamp(Math.Round(load), 1, mostClients);

        var first = Probe(Clamp(guess));
        CapacityProbe? good = first.Meets ? first : null;
        CapacityProbe? bad = first.Meets ? null : first;
        for (var i = 0; i < MaxBracketSteps && (good is null || bad is null); i++)
        {
            if (good is null)
            {
                var lower = Clamp(bad!.Load / 2);
                if (lower >= bad.Load)
                {
                    break;
                }
                var p = Probe(lower);
                if (p.Meets) { good = p; } else { bad = p; }
            }
            else
            {
                var higher = Clamp(good.Load * 2);
                if (higher <= good.Load)
                {
                    break;
                }
                var p = Probe(higher);
                if (p.Meets) { good = p; } else { bad = p; }
            }
        }
        if (good is null)
        {
            var remedies = Remedies(deployment, workload, engine, model, targets, candidates ?? [], speculation);
            // Every request refused (none measured) leaves only zeros to describe: say why instead.
            findings.Add(bad!.Result.Requests is { Measured: 0, Rejected: > 0 }
                ? Finding.Error("target-unreachable#kv", "No load meets the targets: the replica's KV cache holds {kvTokens} tokens, fewer than one request's prompt plus output, so every request is refused.{remedies}",
                    ("kvTokens", ServingFindings.N(bad.Result.Occupancy.KvTokens)), ("remedies", RemedyText(remedies)))
                : Finding.Error("target-unreachable",
                "No load meets the targets: even at {load} the {failing} target fails ({result}).{remedies}",
                ("load", Load(mode, bad.Load)), ("failing", FailingName(bad.Failing)), ("result", Describe(bad.Result, targets)), ("remedies", RemedyText(remedies))));
            return new CapacityResult
            {
                Mode = mode, MaxRequestsPerSecond = null, MaxConcurrency = null, LimitingTarget = bad.Failing, FirstGuess = guess,
                AtMax = null, Probes = probes, Remedies = remedies, Findings = findings,
            };
        }
        while (bad is not null && bad.Load / good.Load > Tolerance && (mode == CapacityMode.Rate || bad.Load - good.Load > 1))
        {
            var mid = mode == CapacityMode.Rate ? Math.Sqrt(good.Load * bad.Load) : Math.Floor((good.Load + bad.Load) / 2);
            var p = Probe(mid);
            if (p.Meets) { good = p; } else { bad = p; }
        }

        var at = good.Result;
        var window = at.Throughput.RequestsPerSecond;
        double? maxRate = mode == CapacityMode.Rate ? good.Load : window;
        // Little's law: requests in flight = arrival rate x time in the system.
        int? maxConcurrency = mode == CapacityMode.Concurrency ? (int)good.Load : (int)Math.Floor(good.Load * at.E2e.Mean.Value);
        var limiting = bad?.Failing ?? "none";
        var capacityArgs = new (string, object)[]
        {
            ("model", deployment.Model.Id), ("devices", Fmt.I($"{deployment.Layout.Devices}")), ("device", deployment.Device.Id), ("load", Load(mode, good.Load)), ("targets", Targets(targets)),
        };
        findings.Add(bad is null
            ? UpperLimit(mode, workload, targets, good.Load, mostClients, capacityArgs)
            : Finding.Info("capacity", "One replica of {model} on {devices} x {device} carries {load} with {targets}; beyond it the {failing} target fails ({result}).",
                [.. capacityArgs, ("failing", FailingName(limiting)), ("result", Describe(bad.Result, targets))]));
        return new CapacityResult
        {
            Mode = mode, MaxRequestsPerSecond = maxRate, MaxConcurrency = maxConcurrency, LimitingTarget = limiting, FirstGuess = guess,
            AtMax = at, Probes = probes, Remedies = [], Findings = findings, LoneE2e = floors.E2e,
        };
    }

    /// <summary>
    /// The analytic first guess: the largest decode batch b the KV cache, the sequence limit and the TPOT target allow,
    /// serving requests at b / (output x step(b) + b x prefill(input)) per second; in concurrency mode, b clients.
    /// </summary>
    public static double FirstGuess(Deployment d, Workload w, EngineConfig e, IStepTimeModel model, ServingTargets targets, CapacityMode mode)
    {
        var input = w.MeanInput;
        var output = w.MeanOutput;
        var context = input + output / 2;
        var kvTokens = ServingSimulator.KvCapacity(d, e);
        var byKv = (int)Math.Clamp(Math.Floor(kvTokens / Math.Max(1, input + output)), 1, e.MaxNumSeqs);
        var b = byKv;
        if (targets.Tpot is { } tpot)
        {
            var lo = 1;
            var hi = byKv;
            while (lo < hi)
            {
                var mid = (lo + hi + 1) / 2;
                if (model.Estimate(d, StepShape.Decode(mid, context)).Time <= tpot) { lo = mid; } else { hi = mid - 1; }
            }
            b = lo;
        }
        if (mode == CapacityMode.Concurrency)
        {
            return b;
        }
        var step = model.Estimate(d, StepShape.Decode(b, context)).Time.Value;
        var prefill = model.Estimate(d, StepShape.Prefill((int)Math.Max(1, Math.Round(input)))).Time.Value;
        return b / (output * step + b * prefill);
    }

    /// <summary>The latency floors of a replica: one mean prompt's prefill alone, and a decode step at batch 1.</summary>
    public static (Duration Prefill, Duration DecodeStep, Duration E2e) Floors(Deployment d, Workload w, IStepTimeModel model)
    {
        var input = (int)Math.Max(1, Math.Round(w.MeanInput));
        var output = Math.Max(1, w.MeanOutput);
        var prefill = model.Estimate(d, StepShape.Prefill(input)).Time;
        var decode = model.Estimate(d, StepShape.Decode(1, input + output / 2)).Time;
        return (prefill, decode, prefill + decode * (output - 1));
    }

    // What failed, as the capacity sentences name it in the reader's language (the code itself in English).
    private static object FailingName(string? failing) => failing switch
    {
        "ttft" => Phrase.Of("failing#ttft", "ttft"),
        "tpot" => Phrase.Of("failing#tpot", "tpot"),
        "e2e" => Phrase.Of("failing#e2e", "e2e"),
        "throughput" => Phrase.Of("failing#throughput", "throughput"),
        _ => failing ?? "",
    };

    /// <summary>What failed in a run, or null when every target held and the replica kept up with the offered rate.</summary>
    public static string? Failing(ServingResult r, ServingTargets t, double? offeredRate)
    {
        if (r.Saturated || r.Requests.Measured == 0 || (offeredRate is not null && r.Throughput.ServedFraction < KeepUpFraction))
        {
            return "throughput";
        }
        if (t.Tpot is { } tpot && r.Tpot.At(t.TpotAt) > tpot)
        {
            return "tpot";
        }
        if (t.Ttft is { } ttft && r.Ttft.At(t.TtftAt) > ttft)
        {
            return "ttft";
        }
        if (t.E2e is { } e2e && r.E2e.At(t.E2eAt) > e2e)
        {
            return "e2e";
        }
        return null;
    }

    /// <summary>
    /// Cheap alternatives computed with the step-time model: fp8 weights, twice the tensor parallelism, and smaller
    /// models of the same family on the same devices; each with its TTFT and TPOT floors. When the run has no
    /// speculation and a TPOT or end-to-end target is set, speculative decoding too: the model's MTP blocks
    /// (k = 1, a = <see cref="TypicalMtpAcceptance"/>) where it has them, else an EAGLE head (k = 4, a = <see cref="TypicalEagleAcceptance"/>),
    /// its TPOT floor the speculative TPOT at batch 1 and its memory placed (<see cref="SpeculativeDecoding.Memory"/>).
    /// A draft model is not proposed: it must share the target's tokenizer and the user chooses it.
    /// </summary>
    public static IReadOnlyList<Remedy> Remedies(Deployment d, Workload w, EngineConfig e, IStepTimeModel model, ServingTargets targets, IEnumerable<ModelEntry> candidates,
        Speculation? speculation = null)
    {
        var list = new List<Remedy>();
        var a = d.Model.Architecture;
        void Try(string change, Deployment alt, Phrase? text = null)
        {
            try
            {
                _ = ServingSimulator.KvCapacity(alt, e);
            }
            catch (InputException)
            {
                return;
            }
            var (prefill, step, e2e) = Floors(alt, w, model);
            var meets = (targets.Ttft is not { } t1 || prefill <= t1) && (targets.Tpot is not { } t2 || step <= t2) && (targets.E2e is not { } t3 || e2e <= t3);
            var remedy = new Remedy(change, alt, prefill, step, meets);
            list.Add(text is null ? remedy : remedy with { Text = text });
        }
        if (MemoryModel.MeanBitsPerWeight(a, d.Weights) > 8 && d.Device.PeakFor(ComputeType.Fp8) is not null)
        {
            Try("fp8", d with { Weights = NumberFormat.Fp8, Kv = NumberFormat.Fp8 });
        }
        var tp = d.Layout.Tp * 2;
        if (tp <= Layouts.MaxTensorParallel && Layouts.TensorParallelProblem(a, tp) is null)
        {
            Try($"TP={tp} ({tp * d.Layout.Pp} devices)", d with { Layout = Layouts.Make(a, tp, d.Layout.Pp) },
                Phrase.Of("remedy-change#tp", "TP={tp} ({devices} devices)", ("tp", tp), ("devices", tp * d.Layout.Pp)));
        }
        if (speculation is null && (targets.Tpot is not null || targets.E2e is not null))
        {
            var spec = a.MtpLayers >= 1
                ? Speculation.Create(SpeculationKind.Mtp, 1, TypicalMtpAcceptance, d.Model)
                : Speculation.Create(SpeculationKind.Eagle, 4, TypicalEagleAcceptance, d.Model);
            var fits = true;
            try
            {
                _ = ServingSimulator.KvCapacity(d, e, spec);
            }
            catch (InputException)
            {
                fits = false;
            }
            if (fits)
            {
                var (prefill, plainStep, _) = Floors(d, w, model);
                var output = Math.Max(1, w.MeanOutput);
                var context = Math.Max(1, Math.Round(w.MeanInput)) + output / 2;
                var step = SpeculativeDecoding.Decode(model, d, spec, 1, context).TimePerOutputToken;
                if (step < plainStep)
                {
                    var e2e = prefill + step * (output - 1);
                    var meets = (targets.Ttft is not { } t1 || prefill <= t1) && (targets.Tpot is not { } t2 || step <= t2) && (targets.E2e is not { } t3 || e2e <= t3);
                    // Named as the method, not as a CLI option: the same remedy reaches a scenario plan and the web page.
                    var label = spec.Kind == SpeculationKind.Mtp
                        ? Phrase.Of("remedy-change#mtp", "MTP speculative decoding (acceptance {acceptance}, 1 draft token)", ("acceptance", TypicalMtpAcceptance))
                        : Phrase.Of("remedy-change#eagle", "EAGLE speculative decoding (acceptance {acceptance}, 4 draft tokens; needs a trained EAGLE head)", ("acceptance", TypicalEagleAcceptance));
                    list.Add(new Remedy(label.English, d, prefill, step, meets) { Text = label });
                }
            }
        }
        var family = FamilyStem(d.Model.Family);
        var size = ParameterCount.Of(a).Total(a);
        foreach (var m in candidates
            .Where(m => family.Length > 0 && FamilyStem(m.Family) == family && m.Id != d.Model.Id)
            .Select(m => (Model: m, Size: ParameterCount.Of(m.Architecture).Total(m.Architecture)))
            .Where(x => x.Size < size)
            .OrderByDescending(x => x.Size)
            .Take(4))
        {
            var layout = Layouts.TensorParallelProblem(m.Model.Architecture, d.Layout.Tp) is null && Layouts.PipelineProblem(m.Model.Architecture, d.Layout.Pp) is null
                ? Layouts.Make(m.Model.Architecture, d.Layout.Tp, d.Layout.Pp)
                : Layout.Single;
            Try(m.Model.Id, d with { Model = m.Model, Layout = layout });
        }
        return list;
    }

    /// <summary>Acceptance of DeepSeek-V3's MTP token, the low end of the 85-90% its report gives (arXiv:2412.19437, section 5.4.3).</summary>
    public const double TypicalMtpAcceptance = 0.85;

    /// <summary>Per-token acceptance of an EAGLE chain of 4 giving about 3 tokens per step, the low end of EAGLE-2's 4 to 5.5 average acceptance lengths (arXiv:2406.16858; docs/methodology-steptime.md).</summary>
    public const double TypicalEagleAcceptance = 0.75;

    private static string FamilyStem(string family)
    {
        // "Qwen2.5" and "Qwen2" are one family for this purpose; so are "Llama 3.1" and "Llama 3.3".
        var end = 0;
        while (end < family.Length && char.IsLetter(family[end]))
        {
            end++;
        }
        return family[..end].ToLowerInvariant();
    }

    private static Phrase? FloorProblem((Duration Prefill, Duration DecodeStep, Duration E2e) f, ServingTargets t)
    {
        if (t.Tpot is { } tpot && f.DecodeStep > tpot)
        {
            return Phrase.Of("floor#tpot", "The TPOT target {target} is below the {floor} step time at batch 1, so no load meets it on this replica.",
                ("target", ServingFindings.T(tpot)), ("floor", ServingFindings.T(f.DecodeStep)));
        }
        if (t.Ttft is { } ttft && f.Prefill > ttft)
        {
            return Phrase.Of("floor#ttft", "The TTFT target {target} is below the {floor} the replica takes to prefill one mean prompt alone, so no load meets it.",
                ("target", ServingFindings.T(ttft)), ("floor", ServingFindings.T(f.Prefill)));
        }
        if (t.E2e is { } e2e && f.E2e > e2e)
        {
            return Phrase.Of("floor#e2e", "The end-to-end target {target} is below the {floor} one mean request takes alone (prefill plus every output token at batch 1), so no load meets it.",
                ("target", ServingFindings.T(e2e)), ("floor", ServingFindings.T(f.E2e)));
        }
        return null;
    }

    private static Phrase RemedyText(IReadOnlyList<Remedy> remedies)
    {
        var good = remedies.Where(r => r.Meets).ToList();
        if (good.Count == 0)
        {
            return remedies.Count == 0 ? Phrase.Of("nothing", "")
                : Phrase.Of("remedies#none", " None of {changes} would meet it either: relax the target.", ("changes", new PhraseList([.. remedies.Select(r => r.Text)])));
        }
        return Phrase.Of("remedies", " {remedies} would meet it.", ("remedies", new PhraseList([.. good.Select(r =>
            Phrase.Of("remedy", "{change} (TTFT {ttft}, TPOT {tpot} at batch 1)", ("change", r.Text), ("ttft", ServingFindings.T(r.TtftFloor)), ("tpot", ServingFindings.T(r.TpotFloor))))])));
    }
}
