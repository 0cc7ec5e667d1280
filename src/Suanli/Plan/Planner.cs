using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>Finds what one replica carries for a request mix and targets (the serving stage's simulator-backed capacity search, <see cref="SimulatedReplicaCapacity"/>).</summary>
public delegate ReplicaCapacity CapacityProvider(Deployment deployment, RequestMix mix, ServingTargets targets);

/// <summary>
/// An optimistic bound on what one replica carries, in the demand's unit (requests/s for rate demand, requests in flight
/// for concurrency demand): the capacity the provider finds is at most this. <see cref="double.PositiveInfinity"/> when
/// none can be stated; 0 when the bound already rules the replica out.
/// </summary>
public delegate double CapacityBound(Deployment deployment, RequestMix mix, ServingTargets targets);

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

    /// <summary>How its replica layout was chosen; null where a caller built the plan by hand.</summary>
    public LayoutChoice? Choice { get; init; }

    /// <summary>The articles' device count: copies x devices per copy.</summary>
    public int ArticleDevices => ArticleCopies * ArticleDevicesPerCopy;
}

/// <summary>How an application's replica layout was chosen (docs/methodology-fleet.md, "Deployment per application").</summary>
/// <param name="Reason">
/// <see cref="MostPerDevice"/> (the most demand per device of the layouts that fit), <see cref="OnlyFit"/>,
/// <see cref="DevicesPerReplica"/> (the scenario's devices_per_replica: the widest valid TP on it), <see cref="Pinned"/>
/// (the application's <c>layout</c> key) or <see cref="Kept"/> (a replan kept the expected plan's layout).
/// </param>
/// <param name="Fitting">Layouts that fit one request and were considered.</param>
/// <param name="Simulated">Of them, the ones whose capacity was simulated (the others' analytic bound could not beat the best).</param>
public sealed record LayoutChoice(string Reason, int Fitting, int Simulated)
{
    /// <summary>The layout that carries the most demand per device of those that fit.</summary>
    public const string MostPerDevice = "most-per-device";
    /// <summary>The only layout that fits.</summary>
    public const string OnlyFit = "only-fit";
    /// <summary>The scenario's devices_per_replica fixed the device count.</summary>
    public const string DevicesPerReplica = "devices-per-replica";
    /// <summary>A replan kept the expected plan's layout.</summary>
    public const string Kept = "kept";
    /// <summary>The scenario's <c>layout</c> key pinned it.</summary>
    public const string Pinned = "pinned";
}

/// <summary>The whole plan: applications, fleet, findings and the assumptions used.</summary>
public sealed record PlanResult(Scenario Scenario, IReadOnlyList<ApplicationPlan> Applications, FleetResult Fleet, IReadOnlyList<Finding> Findings);

/// <summary>Scenario in, fleet out: chooses each application's deployment, asks for replica capacity, sizes the fleet.</summary>
public static partial class Planner
{
    /// <summary>Plans a scenario.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="capacity">What one replica carries (the simulated capacity search, or a test's).</param>
    /// <param name="bound">
    /// An optimistic bound on <paramref name="capacity"/> (<see cref="SimulatedReplicaCapacity.Bound"/>); with it, a layout
    /// whose bound per device cannot beat the best layout simulated so far is not simulated. Null: every layout is simulated.
    /// </param>
    public static PlanResult Plan(Scenario scenario, CapacityProvider capacity, CapacityBound? bound = null)
    {
        var findings = new List<Finding>();
        var fleetApps = new List<FleetApplication>();
        var unserved = new List<Phrase>();
        int? firstUnserved = null;
        var chosen = new List<(ScenarioApplication App, Deployment Deployment, ReplicaCapacity Capacity, MemoryEstimate Memory, LayoutChoice Choice)>();
        foreach (var (app, index) in scenario.Applications.Select((a, i) => (a, i)))
        {
            CheckContext(app, index);
            if (app.StatedLayout is { } pinnedLayout && scenario.DevicesPerReplica is { } perReplica && pinnedLayout.Devices != perReplica)
            {
                // docs/scenario.md: the application's layout wins over the scenario-wide devices_per_replica, which still
                // sizes the replicas of applications that pin none; said, since one of the two values the file gives is not used here.
                findings.Add(Finding.Warn("layout-overrides-devices-per-replica", "its layout {layout} ({tp} x {pp} = {devices} devices per replica) wins over the scenario's devices_per_replica of {stated}, which this application does not use; give the two the same count, or drop one of them.",
                    ("layout", pinnedLayout.ToString()), ("tp", pinnedLayout.Tp), ("pp", pinnedLayout.Pp), ("devices", pinnedLayout.Devices), ("stated", perReplica)).For(app.Name));
            }
            var attempts = new List<Phrase>();
            (Deployment, ReplicaCapacity, MemoryEstimate, LayoutChoice)? pick = null;
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
                var (replica, failure) = Replica(app, model, scenario.Device, scenario.Server, scenario.DevicesPerReplica, capacity, bound, index);
                if (replica is null)
                {
                    attempts.Add(failure!);
                    continue;
                }
                findings.AddRange(replica.Findings);
                pick = (replica.Deployment, replica.Capacity, replica.Memory, replica.Choice);
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
            chosen.Add((app, p.Item1, p.Item2, p.Item3, p.Item4));
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
                Choice = c.Choice,
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

    /// <summary>
    /// <paramref name="plan"/>'s scenario with each planned application's chosen model and replica layout kept
    /// (<see cref="ScenarioApplication.PinnedLayout"/>), for the replans that move one assumption of it.
    /// </summary>
    public static Scenario WithChoices(PlanResult plan) => plan.Scenario with
    {
        Applications = [.. plan.Scenario.Applications.Select(a =>
            plan.Applications.FirstOrDefault(p => p.Application.Name == a.Name) is { } chosen ? a with { Models = [chosen.Deployment.Model], PinnedLayout = chosen.Deployment.Layout } : a)],
    };

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
    /// The layouts a replica may use: the user's device count if given (the widest valid TP on it that fits, with its
    /// tensor-parallel group within one server where such a split fits); otherwise, within one server, the family
    /// <c>optimize</c> searches (<see cref="Layouts.OfReplicas"/>: every TP x PP split, and data-parallel attention for
    /// mixture-of-experts models) on 1, 2, 4... devices up to the server's and on the fewest devices that fit, each that
    /// fits one request, fewest devices first, then fewest pipeline stages. When nothing fits within a server, replicas
    /// over several servers with tensor parallelism within each and pipeline stages across them: the fewest devices that
    /// fit and replicas of k and 2k servers (<see cref="MultiNode.Layouts"/>), never a tensor-parallel group that spans
    /// servers while another split fits (docs/methodology-fleet.md, "Replicas across servers"). When
    /// <paramref name="acrossNodes"/> (the server's network is known) and the smallest tensor-parallel replica fills a
    /// server, the replicas of several servers are tried beside those within one.
    /// </summary>
    public static IReadOnlyList<Layout> CandidateLayouts(FootprintRequest request, Device device, int? devices, int devicesPerServer, bool acrossNodes = false)
    {
        bool Fits(Layout l) => MemoryModel.OnDevice(request, l, device.Memory, request.Reserve.MemoryUtilization).Fits;
        bool Crosses(Layout l) => Layouts.GroupCrossesNodes(l, devicesPerServer);
        var a = request.Model.Architecture;
        if (devices is { } n)
        {
            // TP within a node, pipeline stages across nodes, as operators split a replica larger than a node.
            return [.. Layouts.On(a, n).Where(Fits).OrderBy(Crosses).Take(1)];
        }
        var fit = MemoryModel.Fit(request, device);
        if (fit.MinDevices is not { } fewest)
        {
            return [];
        }
        var smallestTp = fit.Layouts.FirstOrDefault(l => l.Layout.Pp == 1)?.Layout;
        var counts = Enumerable.Range(0, 31).Select(k => 1 << k).TakeWhile(k => k <= devicesPerServer).Append(fewest).Where(k => k <= devicesPerServer);
        List<Layout> list = [.. Layouts.OfReplicas(a, counts, Fits).OrderBy(l => l.Devices).ThenBy(l => l.Pp)];
        if (list.Count == 0)
        {
            // Nothing fits one server: the fewest devices that fit (stages over servers where they divide the node), and
            // the replicas of whole servers; a tensor-parallel group wider than a server only when nothing else fits.
            List<Layout> seed = [.. fit.Layouts.Select(l => l.Layout)];
            if (smallestTp is { Tp: > 1 } && Layouts.DataParallelAttentionProblem(a, 1, smallestTp.Tp) is null && Layouts.MakeDataParallelAttention(1, smallestTp.Tp, 1) is var dp && Fits(dp))
            {
                seed.Add(dp);
            }
            return MultiNode.Layouts(a, devicesPerServer, Fits, seed);
        }
        return acrossNodes && (smallestTp is null || smallestTp.Devices >= devicesPerServer) ? MultiNode.Layouts(a, devicesPerServer, Fits, list) : list;
    }
}
