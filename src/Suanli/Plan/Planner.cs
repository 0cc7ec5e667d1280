using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>Finds what one replica carries for a request mix and targets (the serving stage's simulator-backed capacity search, <see cref="SimulatedReplicaCapacity"/>).</summary>
public delegate ReplicaCapacity CapacityProvider(Deployment deployment, RequestMix mix, ServingTargets targets);

/// <summary>One application's plan.</summary>
public sealed record ApplicationPlan
{
    /// <summary>The application.</summary>
    public required ScenarioApplication Application { get; init; }
    /// <summary>The deployment chosen for it.</summary>
    public required Deployment Deployment { get; init; }
    /// <summary>What one replica carries.</summary>
    public required ReplicaCapacity Capacity { get; init; }
    /// <summary>Most replicas in any hour (autoscaled).</summary>
    public required int ReplicasPeak { get; init; }
    /// <summary>Most devices in any hour (autoscaled).</summary>
    public required int DevicesPeak { get; init; }
    /// <summary>Average load over provisioned capacity (autoscaled).</summary>
    public required double UtilisationAverage { get; init; }
    /// <summary>Replicas per hour (autoscaled).</summary>
    public required IReadOnlyList<int> HourlyReplicas { get; init; }
    /// <summary>The articles' estimate: one model copy per concurrent request.</summary>
    public required int ArticleCopies { get; init; }
    /// <summary>Devices per copy by the articles' 1.2 x weights rule.</summary>
    public required int ArticleDevicesPerCopy { get; init; }
    /// <summary>The 1.2 x weights rule for the model.</summary>
    public required Quantities.Bytes RuleOfThumb { get; init; }
    /// <summary>Itemised memory of one copy at the request's context.</summary>
    public required Quantities.Bytes Memory { get; init; }
    /// <summary>The engine settings its replicas were simulated with (<see cref="SimulatedReplicaCapacity.Engine"/>): the caps the application states, else the engine's.</summary>
    public required EngineConfig Engine { get; init; }

    /// <summary>The articles' device count: copies x devices per copy.</summary>
    public int ArticleDevices => ArticleCopies * ArticleDevicesPerCopy;
}

/// <summary>The whole plan: applications, fleet, findings and the assumptions used.</summary>
public sealed record PlanResult(Scenario Scenario, IReadOnlyList<ApplicationPlan> Applications, FleetResult Fleet, IReadOnlyList<Finding> Findings);

/// <summary>Scenario in, fleet out: chooses each application's deployment, asks for replica capacity, sizes the fleet.</summary>
public static class Planner
{
    /// <summary>Plans a scenario.</summary>
    public static PlanResult Plan(Scenario scenario, CapacityProvider capacity)
    {
        var findings = new List<Finding>();
        var fleetApps = new List<FleetApplication>();
        var unserved = new List<Phrase>();
        int? firstUnserved = null;
        var chosen = new List<(ScenarioApplication App, Deployment Deployment, ReplicaCapacity Capacity, MemoryEstimate Memory)>();
        foreach (var (app, index) in scenario.Applications.Select((a, i) => (a, i)))
        {
            CheckContext(app, index);
            var mix = new RequestMix(app.InputDistribution, app.OutputDistribution, app.Kind) { Caps = app.Caps };
            var attempts = new List<Phrase>();
            (Deployment, ReplicaCapacity, MemoryEstimate)? pick = null;
            foreach (var model in app.Models)
            {
                if (app.QualityFloor?.Problem(model) is { } problem)
                {
                    attempts.Add(Phrase.Of("attempt#quality", "{model}: {problem}", ("model", model.Id), ("problem", problem)));
                    continue;
                }
                var context = (int)Math.Ceiling(app.InputTokens + app.OutputTokens);
                if (BeyondContext(app, model))
                {
                    attempts.Add(Phrase.Of("attempt#context", "{model}: the mean prompt plus output of {tokens} tokens is longer than its context of {context} tokens",
                        ("model", model.Id), ("tokens", Fmt.I($"{context:N0}")), ("context", Fmt.I($"{model.Architecture.MaxContext:N0}"))));
                    continue;
                }
                // The engine's own reserve, as perf, simulate and capacity size memory (EngineConfig.ReserveFor).
                var request = ForApplication(index, () => new FootprintRequest(model, app.Precision, app.KvPrecision, context, 1, EngineConfig.ReserveFor(app.Engine)));
                var nodes = NodeLinks.Of(scenario.Server);
                var layouts = ForApplication(index, () => CandidateLayouts(request, scenario.Device, scenario.DevicesPerReplica, scenario.Server.DevicesPerNode, nodes is not null));
                if (layouts.Count == 0)
                {
                    attempts.Add(scenario.DevicesPerReplica is { } n
                        ? Phrase.Of("attempt#does-not-fit-on", "{model}: does not fit {device} in any layout on {devices} devices", ("model", model.Id), ("device", scenario.Device.Id), ("devices", Fmt.I($"{n}")))
                        : Phrase.Of("attempt#does-not-fit", "{model}: does not fit {device} in any layout", ("model", model.Id), ("device", scenario.Device.Id)));
                    continue;
                }
                // Among the layouts that fit, keep the one that carries the most demand per device.
                (Deployment Deployment, ReplicaCapacity Capacity)? best = null, bestInNode = null;
                ReplicaCapacity? lastFailure = null;
                foreach (var layout in layouts)
                {
                    var candidate = new Deployment(model, scenario.Device, layout, app.Precision, app.KvPrecision, app.Engine) { Nodes = nodes };
                    var c = ForApplication(index, () => capacity(candidate, mix, app.Targets));
                    if (!c.Feasible)
                    {
                        lastFailure = c;
                        continue;
                    }
                    if (best is null || c.In(app.Kind) / layout.Devices > best.Value.Capacity.In(app.Kind) / best.Value.Deployment.Layout.Devices * 1.0001)
                    {
                        best = (candidate, c);
                    }
                    if (layout.Devices <= scenario.Server.DevicesPerNode && (bestInNode is null || c.In(app.Kind) / layout.Devices > bestInNode.Value.Capacity.In(app.Kind) / bestInNode.Value.Deployment.Layout.Devices))
                    {
                        bestInNode = (candidate, c);
                    }
                }
                if (best is not { } winner)
                {
                    attempts.Add(Phrase.Of("attempt#errors", "{model}: {errors}", ("model", model.Id),
                        ("errors", new PhraseList([.. (lastFailure?.Findings ?? []).Where(f => f.Severity == Severity.Error).Select(f => f.Text ?? Phrase.Of("message", "{message}", ("message", f.Message)))], "space"))));
                    continue;
                }
                var (deployment, cap) = winner;
                if (MultiNode.Why(app, scenario.Server, winner, bestInNode, layouts.Count) is { } why)
                {
                    findings.Add(why);
                }
                pick = (deployment, cap, ForApplication(index, () => MemoryModel.Estimate(request)));
                break;
            }
            if (pick is not { } p)
            {
                // One application that cannot meet its targets should not hide the plan of the others: it is
                // reported as an error finding, and the plan stops only when no application can be served.
                firstUnserved ??= index;
                unserved.Add(Unreachable(app.Name, attempts));
                continue;
            }
            if (attempts.Count > 0)
            {
                findings.Add(Finding.Warn("candidate-skipped", "{application}: {attempts}; using {model}.", ("application", app.Name), ("attempts", new PhraseList(attempts, "semicolon", TrimFinalStop: true)), ("model", p.Item1.Model.Id)));
            }
            chosen.Add((app, p.Item1, p.Item2, p.Item3));
            // The profile is in the application's local hours; the fleet sums load on the scenario's clock.
            fleetApps.Add(new FleetApplication(app.Name, p.Item1, app.Kind, app.Peak, app.Profile.Shifted(app.HourShift), p.Item2));
            findings.AddRange(p.Item2.Findings.Select(f => f.For(app.Name)));
            if (GenericModel.Assumption(p.Item1.Model) is { } generic)
            {
                findings.Add(generic.For(app.Name));
            }
            if (app.Users is { } u)
            {
                findings.Add(Finding.Info("users-demand", "the peak comes from user counts: {users} daily active users x {perUser} requests a day = {perDay} requests a day, / 86,400 s / {mean} (the {profile} profile's mean load) = {peak} requests/s at the full-load hour. The requests per user and the daily profile are assumptions of the scenario; requests in flight follow from Little's law in the simulation (docs/methodology-fleet.md, 'Demand from users').",
                    ("users", Fmt.I($"{u.DailyActiveUsers:N0}")), ("perUser", Fmt.I($"{u.RequestsPerUserPerDay:0.###}")), ("perDay", Fmt.I($"{u.RequestsPerDay:N0}")),
                    ("mean", Fmt.I($"{u.ProfileMean:0.###}")), ("profile", app.Profile.Name), ("peak", Fmt.I($"{u.PeakRate:N1}"))).For(app.Name));
            }
            else if (app.Profile.Peak < 1)
            {
                // Hour h carries peak x profile[h]: hourly shares of the day (summing to 1) planned 1/20 of the stated peak, silently.
                var key = app.Kind == DemandKind.Rate ? "peak_rate" : "peak_concurrency";
                findings.Add(Finding.Warn("profile-below-peak", "the profile's busiest hour is {top} of {key} ({peak}), so no hour carries that peak: the busiest carries {busiest}. Each hour carries {key} x its multiplier; if {key} is the busiest hour's load, divide the multipliers by {top} so that hour is 1.",
                    ("top", Fmt.I($"{app.Profile.Peak:0.###}")), ("key", key), ("peak", Fmt.I($"{app.Peak:#,0.###}")), ("busiest", Fmt.I($"{app.Peak * app.Profile.Peak:#,0.###}"))).For(app.Name));
            }
        }

        if (fleetApps.Count == 0)
        {
            throw new InputException(FieldNames.Applications, Phrase.Of("unserved", "{applications}", ("applications", new PhraseList(unserved, "space")))) { Application = firstUnserved };
        }
        findings.InsertRange(0, unserved.Select(u => Finding.Of(Severity.Error, u)));
        var fleet = FleetPlanner.Plan(fleetApps, scenario.Policy, scenario.Rack, _ => scenario.Server);
        findings.AddRange(fleet.Findings);
        var autoscaled = fleet.Of(Strategy.Autoscaled);
        var plans = chosen.Select((c, i) =>
        {
            var group = autoscaled.Groups[i];
            var e2e = c.Capacity.MaxRequestsPerSecond > 0 ? c.Capacity.MaxConcurrency / c.Capacity.MaxRequestsPerSecond : 0;
            var copies = c.App.Kind == DemandKind.Concurrency ? (int)Math.Ceiling(c.App.Peak) : (int)Math.Ceiling(c.App.Peak * Math.Max(1, e2e));
            var perCopy = Math.Max(1, (int)Math.Ceiling(c.Memory.RuleOfThumb / scenario.Device.Memory));
            return new ApplicationPlan
            {
                Application = c.App,
                Deployment = c.Deployment,
                Capacity = c.Capacity,
                ReplicasPeak = group.Peak,
                DevicesPeak = group.Peak * c.Deployment.Layout.Devices,
                UtilisationAverage = group.Utilisation,
                HourlyReplicas = group.Replicas,
                ArticleCopies = copies,
                ArticleDevicesPerCopy = perCopy,
                RuleOfThumb = c.Memory.RuleOfThumb,
                Memory = c.Memory.Total,
                Engine = SimulatedReplicaCapacity.Engine(c.Deployment, new RequestMix(c.App.InputDistribution, c.App.OutputDistribution, c.App.Kind) { Caps = c.App.Caps }),
            };
        }).ToList();
        foreach (var p in plans)
        {
            findings.Add(Finding.Info("articles-estimate",
                "{application}: the articles' rule applied to these inputs (not an article's figure; see {cases}), one copy per concurrent request and the 1.2 x weights rule, gives {copies} copies x {perCopy} devices = {devices} x {device}; continuous batching needs {peak} at the peak hour.",
                ("application", p.Application.Name), ("copies", Fmt.I($"{p.ArticleCopies:N0}")), ("perCopy", Fmt.I($"{p.ArticleDevicesPerCopy:N0}")), ("devices", Fmt.I($"{p.ArticleDevices:N0}")),
                ("device", scenario.Device.Id), ("peak", Fmt.I($"{p.DevicesPeak:N0}")), ("cases", CommandRefs.Cases)));
        }
        return new PlanResult(scenario, plans, fleet, findings);
    }

    /// <summary>Why an application cannot be served, with the advice its attempts leave open.</summary>
    private static Phrase Unreachable(string application, List<Phrase> attempts)
    {
        var list = new PhraseList(attempts, "semicolon", TrimFinalStop: true);
        if (attempts.Count > 0 && attempts.All(a => a.Key == "attempt#quality"))
        {
            // "below the floor of 70. ... choose a smaller model or lower precision": neither raises a score.
            return Phrase.Of("targets-unreachable#quality", "Application '{application}' cannot be served as asked: {attempts}. Lower the quality floor, or name a model that scores above it.",
                ("application", application), ("attempts", list));
        }
        if (attempts.Count > 0 && attempts.All(a => a.Mentions("remedies#none")))
        {
            // Every search already tried FP8, wider TP and speculation and none met the target: advising "lower precision,
            // or more devices per replica" contradicted the sentence before it.
            return Phrase.Of("targets-unreachable#remedies-tried", "Application '{application}' cannot be served as asked: {attempts}. Otherwise choose a smaller model or faster hardware.",
                ("application", application), ("attempts", list));
        }
        return Phrase.Of("targets-unreachable", "Application '{application}' cannot be served as asked: {attempts}. Relax the targets, choose a smaller model or lower precision, or more devices per replica.",
            ("application", application), ("attempts", list));
    }

    /// <summary>True when the application's mean prompt plus mean output is longer than the context <paramref name="model"/> was configured for (an engine refuses such requests).</summary>
    public static bool BeyondContext(ScenarioApplication app, ModelEntry model) =>
        model.Architecture.MaxContext > 0 && app.InputTokens + app.OutputTokens > model.Architecture.MaxContext;

    /// <summary>
    /// Refuses an application whose mean request (prompt plus output) is longer than the context of every model it
    /// names: no engine would run it, so it is bad input (naming the prompt length and the model's context), not an
    /// unmet latency target.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="index">Its 0-based index in the scenario (the error carries it, so a file's reader can name the key and line).</param>
    /// <exception cref="InputException">When no model of the application holds the mean request.</exception>
    public static void CheckContext(ScenarioApplication app, int index)
    {
        if (app.Models.Count == 0 || !app.Models.All(m => BeyondContext(app, m)))
        {
            return;
        }
        var longest = app.Models.MaxBy(m => m.Architecture.MaxContext)!;
        throw new InputException(FieldNames.Input, Phrase.Of("prompt-beyond-context",
            "{application}: the mean prompt of {input} tokens plus the mean output of {output} tokens is longer than the {context}-token context of {model}; an engine would refuse such requests. Shorten {inputField} or choose a model with a longer context.",
            ("application", app.Name), ("input", Fmt.I($"{app.InputTokens:N0}")), ("output", Fmt.I($"{app.OutputTokens:N0}")),
            ("context", Fmt.I($"{longest.Architecture.MaxContext:N0}")), ("model", longest.Id), ("inputField", FieldNames.Input)))
        { Application = index };
    }

    /// <summary>Runs <paramref name="body"/>, tagging an input error it raises with the application being planned (<see cref="InputException.ForApplication"/>).</summary>
    public static T ForApplication<T>(int index, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (InputException ex) when (ex.Application is null && ex.FieldId is not null && ex.Spelling is null)
        {
            throw ex.ForApplication(index);
        }
    }

    /// <summary>
    /// The layouts a replica may use: the user's device count if given (the widest valid TP on it that fits, within one
    /// server when <paramref name="acrossNodes"/>); otherwise every pure tensor-parallel layout that fits one request, from
    /// the smallest up to one server (engines such as vLLM keep TP within a node), else the fewest devices that fit; for
    /// mixture-of-experts models also data-parallel attention (one attention rank per device) on each of those TP groups
    /// that it fits. When <paramref name="acrossNodes"/> (the server's network is known) and the smallest replica fills a
    /// server or more, also replicas of 2 and 4 servers (<see cref="MultiNode.Layouts"/>), and no TP group wider than a server.
    /// </summary>
    public static IReadOnlyList<Layout> CandidateLayouts(FootprintRequest request, Device device, int? devices, int devicesPerServer, bool acrossNodes = false)
    {
        bool Fits(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, request.Reserve.MemoryUtilization).Fits;
        if (devices is { } n)
        {
            // TP within a node, pipeline stages across nodes, as operators split a replica larger than a node.
            var pinned = Layouts.On(request.Model.Architecture, n).Where(Fits);
            return [.. (acrossNodes ? pinned.OrderBy(l => l.StageDevices > devicesPerServer) : pinned).Take(1)];
        }
        var fit = MemoryModel.Fit(request, device);
        if (fit.MinDevices is null)
        {
            return [];
        }
        var smallestTp = fit.Layouts.FirstOrDefault(l => l.Layout.Pp == 1)?.Layout;
        if (smallestTp is null)
        {
            return acrossNodes ? MultiNode.Layouts(request.Model.Architecture, devicesPerServer, Fits, [fit.Layouts[0].Layout]) : [fit.Layouts[0].Layout];
        }
        var list = new List<Layout> { smallestTp };
        for (var tp = smallestTp.Tp * 2; tp <= Math.Max(devicesPerServer, smallestTp.Tp); tp *= 2)
        {
            if (Layouts.TensorParallelProblem(request.Model.Architecture, tp) is null)
            {
                list.Add(Layouts.Make(request.Model.Architecture, tp, 1));
            }
        }
        // Mixture-of-experts models may also run attention data-parallel over the same devices (one rank per device),
        // when the replicated attention weights leave room; the plan keeps whichever serves more per device.
        foreach (var tp in list.Where(l => l.Tp > 1).Select(l => l.Tp).ToList())
        {
            if (Layouts.DataParallelAttentionProblem(request.Model.Architecture, 1, tp) is null && Layouts.MakeDataParallelAttention(1, tp, 1) is var dp && Fits(dp))
            {
                list.Add(dp);
            }
        }
        return acrossNodes && smallestTp.Devices >= devicesPerServer ? MultiNode.Layouts(request.Model.Architecture, devicesPerServer, Fits, list) : list;
    }
}
