using Suanli.Catalog;
using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Plan;

/// <summary>One application's replica on a device, as <c>plan</c> chooses it.</summary>
/// <param name="Deployment">The deployment, with the chosen layout.</param>
/// <param name="Capacity">What one replica carries.</param>
/// <param name="Choice">How the layout was chosen.</param>
/// <param name="Memory">Itemised memory of one copy at the request's context.</param>
/// <param name="Findings">Why this layout (<c>layout-chosen</c>, and <c>replica-spans-servers</c> for a replica over several servers, <c>replica-crosses-servers</c> for one whose tensor-parallel group spans servers).</param>
public sealed record ReplicaPick(Deployment Deployment, ReplicaCapacity Capacity, LayoutChoice Choice, MemoryEstimate Memory, IReadOnlyList<Finding> Findings);

public static partial class Planner
{
    /// <summary>
    /// The replica <c>plan</c> gives an application with <paramref name="model"/> on <paramref name="device"/>: the layouts
    /// that fit (<see cref="CandidateLayouts"/>, or the application's <see cref="ScenarioApplication.PinnedLayout"/> while it
    /// fits, or the scenario's <see cref="ScenarioApplication.StatedLayout"/>), each one's capacity from <paramref name="capacity"/> (skipping those whose <paramref name="bound"/> per device
    /// cannot win), and the one that carries the most demand per device. <c>compare</c> sizes its self-hosted options with
    /// it too, so both answer one question with one number. Null, with the reason, when no layout fits or meets the targets.
    /// </summary>
    /// <param name="app">The application (precision, engine, request mix, targets).</param>
    /// <param name="model">The model.</param>
    /// <param name="device">The device.</param>
    /// <param name="server">The server that holds it (devices per node; its network, for replicas over several servers).</param>
    /// <param name="devicesPerReplica">A fixed device count per replica, or null to choose.</param>
    /// <param name="capacity">What one replica carries.</param>
    /// <param name="bound">An optimistic bound on <paramref name="capacity"/>, or null to simulate every layout.</param>
    /// <param name="index">The application's 0-based index in its scenario (input errors name it).</param>
    public static (ReplicaPick? Pick, Phrase? Failure) Replica(ScenarioApplication app, ModelEntry model, Device device, Server server, int? devicesPerReplica,
        CapacityProvider capacity, CapacityBound? bound = null, int index = 0)
    {
        var mix = new RequestMix(app.InputDistribution, app.OutputDistribution, app.Kind) { Caps = app.Caps };
        var request = ForApplication(index, () => OneRequest(app, model, device));
        var nodes = NodeLinks.Of(server);
        bool Fits(Layout l) => OneRequestFits(request, device, l);
        var pinned = app.PinnedLayout is { } kept && Fits(kept) ? kept : null;
        var stated = pinned is null ? app.StatedLayout : null;
        if (stated is not null && !Fits(stated))
        {
            // The scenario's own layout is used as given, never replaced by another: one that cannot hold the weights and one request is this model's failure.
            return (null, Phrase.Of("attempt#stated-does-not-fit", "{model}: does not fit {device} in the scenario's layout {layout} ({devices} devices: weights and one request need more memory); pin a layout on more devices or a lower precision, or remove the layout key",
                ("model", model.Id), ("device", device.Id), ("layout", stated.ToString()), ("devices", Fmt.I($"{stated.Devices}"))));
        }
        var layouts = (pinned ?? stated) is { } fixedLayout ? [fixedLayout] : ForApplication(index, () => CandidateLayouts(request, device, devicesPerReplica, server.DevicesPerNode, nodes is not null));
        if (layouts.Count == 0)
        {
            return (null, devicesPerReplica is { } n
                ? Phrase.Of("attempt#does-not-fit-on", "{model}: does not fit {device} in any layout on {devices} devices", ("model", model.Id), ("device", device.Id), ("devices", Fmt.I($"{n}")))
                : Phrase.Of("attempt#does-not-fit", "{model}: does not fit {device} in any layout", ("model", model.Id), ("device", device.Id)));
        }
        // Among the layouts that fit, keep the one that carries the most demand per device.
        var (best, bestInNode, lastFailure, simulated) = Choose(index, app, mix, layouts, l => new Deployment(model, device, l, app.Precision, app.KvPrecision, app.Engine) { Nodes = nodes },
            server.DevicesPerNode, capacity, bound);
        if (best is not { } winner)
        {
            return (null, Phrase.Of("attempt#errors", "{model}: {errors}", ("model", model.Id),
                ("errors", new PhraseList([.. (lastFailure?.Findings ?? []).Where(f => f.Severity == Severity.Error).Select(f => f.Phrase)], "space"))));
        }
        var findings = new List<Finding>();
        if (MultiNode.Why(app, server, (winner.Deployment, winner.Capacity), bestInNode is { } b ? (b.Deployment, b.Capacity) : null, layouts.Count) is { } why)
        {
            findings.Add(why);
        }
        var choice = new LayoutChoice(pinned is not null ? LayoutChoice.Kept : stated is not null ? LayoutChoice.Pinned : devicesPerReplica is not null ? LayoutChoice.DevicesPerReplica
            : layouts.Count == 1 ? LayoutChoice.OnlyFit : LayoutChoice.MostPerDevice, layouts.Count, simulated);
        if (pinned is null)
        {
            findings.Add(LayoutChosen(app, winner, choice));
        }
        return (new ReplicaPick(winner.Deployment, winner.Capacity, choice, ForApplication(index, () => MemoryModel.Estimate(request)), findings), null);
    }

    /// <summary>
    /// One request of <paramref name="app"/> on <paramref name="model"/>: the mean prompt plus output as its context, the
    /// application's formats and its engine's own reserve, as perf, simulate and capacity size memory (<see cref="Suanli.Serving.EngineConfig.ReserveFor(Suanli.StepTime.Engine, Suanli.Catalog.Device, int?, Suanli.Serving.EntryPoint)"/>).
    /// </summary>
    public static FootprintRequest OneRequest(ScenarioApplication app, ModelEntry model, Device device) =>
        OneRequest(model, app.Precision, app.KvPrecision, app.InputTokens + app.OutputTokens, app.Engine, device, app.Caps.MaxBatchedTokens);

    /// <summary>
    /// One request of <paramref name="context"/> tokens (prompt plus output, rounded up, at least 1) of <paramref name="model"/>
    /// in <paramref name="weights"/> and <paramref name="kv"/> with <paramref name="engine"/>'s own reserve on
    /// <paramref name="device"/>, activations sized for its step token budget (<paramref name="stepTokens"/> when stated,
    /// <see cref="EngineConfig.ReserveFor(Engine, Device, int?, EntryPoint)"/>): the one request that plan, perf, memory
    /// and the scenario's pinned layout test a layout's memory with.
    /// </summary>
    public static FootprintRequest OneRequest(ModelEntry model, WeightPrecision weights, NumberFormat kv, double context, Engine engine, Device device, int? stepTokens = null) =>
        new(model, weights, kv, Math.Max(1, (int)Math.Ceiling(context)), 1, EngineConfig.ReserveFor(engine, device, stepTokens));

    /// <summary>Whether the weights and <paramref name="request"/> fit the fullest device of <paramref name="layout"/> on <paramref name="device"/>: the test every layout plan uses passes.</summary>
    public static bool OneRequestFits(FootprintRequest request, Device device, Layout layout) =>
        MemoryModel.OnDevice(request, layout, device.Memory, request.Reserve.MemoryUtilization).Fits;

    private readonly record struct Tried(Deployment Deployment, ReplicaCapacity Capacity, int Index, double PerDevice);

    /// <summary>
    /// How much more per device (a factor) a later layout must carry to replace an earlier one: 1.0001, within 0.01% the
    /// earlier wins, so that capacities equal but for the simulation's rounding keep the simpler layout listed first
    /// (fewer devices, then fewer pipeline stages). Validation's split choice uses the same rule (CapacityLayouts.Choose).
    /// </summary>
    public const double TieFactor = 1.0001;

    /// <summary>
    /// The layout that carries the most demand per device, and the best within one server. Within 0.01% the earlier of
    /// <paramref name="layouts"/> wins (fewer devices, then fewer pipeline stages). With a <paramref name="bound"/>, the
    /// layouts are simulated highest bound per device first, and one whose bound per device cannot beat the best so far
    /// (within one server: the best within one server) is not simulated.
    /// </summary>
    private static (Tried? Best, Tried? BestInNode, ReplicaCapacity? LastFailure, int Simulated) Choose(int index, ScenarioApplication app, RequestMix mix,
        IReadOnlyList<Layout> layouts, Func<Layout, Deployment> deploy, int devicesPerServer, CapacityProvider capacity, CapacityBound? bound)
    {
        static bool Beats(double perDevice, int at, Tried? incumbent) =>
            incumbent is not { } b || perDevice > b.PerDevice * TieFactor || (perDevice >= b.PerDevice / TieFactor && at < b.Index);
        var order = layouts.Select((l, i) => (Deployment: deploy(l), Index: i, Bound: double.PositiveInfinity)).ToList();
        if (bound is not null)
        {
            order = [.. order.Select(o => o with { Bound = ForApplication(index, () => bound(o.Deployment, mix, app.Targets)) / o.Deployment.Layout.Devices }).OrderByDescending(o => o.Bound)];
        }
        Tried? best = null, bestInNode = null;
        (ReplicaCapacity Capacity, Layout Layout, int Index)? lastFailure = null;
        static (int, int, int) Fastest(Layout l, int at) => (l.Devices, -l.Pp, -at);
        var simulated = 0;
        InputException? refused = null;
        bool Wanted(int i) => Beats(order[i].Bound, order[i].Index, best) || (order[i].Deployment.Layout.Devices <= devicesPerServer && Beats(order[i].Bound, order[i].Index, bestInNode));
        // Searches are independent and deterministic, so the next few that the best so far cannot rule out run side by
        // side, one per core; the choice then reads them in order as if run one by one, and a search a better capacity
        // found beside it rules out is dropped unread: the same layout, capacity and count simulated as one at a time.
        var outcomes = new (ReplicaCapacity? Capacity, Exception? Error)?[order.Count];
        void RunAhead(int from)
        {
            var batch = Enumerable.Range(from, order.Count - from).Where(Wanted).Take(Math.Max(1, Environment.ProcessorCount)).ToList();
            Parallel.ForEach(batch, new ParallelOptions { MaxDegreeOfParallelism = batch.Count }, i =>
            {
                try
                {
                    outcomes[i] = (ForApplication(index, () => capacity(order[i].Deployment, mix, app.Targets)), null);
                }
                catch (Exception ex)
                {
                    outcomes[i] = (null, ex);
                }
            });
        }
        for (var i = 0; i < order.Count; i++)
        {
            var (deployment, at, _) = order[i];
            var inNode = deployment.Layout.Devices <= devicesPerServer;
            if (!Wanted(i))
            {
                continue;
            }
            simulated++;
            if (outcomes[i] is null)
            {
                RunAhead(i);
            }
            ReplicaCapacity c;
            try
            {
                var (known, error) = outcomes[i]!.Value;
                if (error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }
                c = known!;
            }
            catch (InputException ex) when (order.Count > 1)
            {
                // A split that holds one request by the memory rule can leave the engine no KV room once its activations are
                // counted: that layout cannot serve, while others may. Bad input fails every layout, and is raised below.
                refused ??= ex;
                c = new ReplicaCapacity(0, 0, "memory", false, [Finding.Of(Severity.Error, ex.Phrase)]);
            }
            if (!c.Feasible)
            {
                // The failure reported is the fastest split's: the most devices, then the fewest pipeline stages (the widest
                // tensor parallel), then the earliest listed, whatever order they were simulated in.
                lastFailure = lastFailure is { } f && Fastest(f.Layout, f.Index).CompareTo(Fastest(deployment.Layout, at)) > 0 ? f : (c, deployment.Layout, at);
                continue;
            }
            var tried = new Tried(deployment, c, at, c.In(app.Kind) / deployment.Layout.Devices);
            best = Beats(tried.PerDevice, at, best) ? tried : best;
            bestInNode = inNode && Beats(tried.PerDevice, at, bestInNode) ? tried : bestInNode;
        }
        if (best is null && refused is not null)
        {
            throw refused;
        }
        return (best, bestInNode, lastFailure?.Capacity, simulated);
    }

    /// <summary>Which layout each replica uses, and why: the most demand per device of the layouts that fit, with how many were simulated.</summary>
    private static Finding LayoutChosen(ScenarioApplication app, Tried winner, LayoutChoice choice)
    {
        var layout = winner.Deployment.Layout;
        var perDevice = app.Kind == DemandKind.Rate
            ? Phrase.Of("per-device#rate", "{value} requests/s", ("value", Fmt.I($"{winner.PerDevice:0.###}")))
            : Phrase.Of("per-device#concurrency", "{value} requests in flight", ("value", Fmt.I($"{winner.PerDevice:0.##}")));
        return choice.Reason switch
        {
            LayoutChoice.MostPerDevice when choice.Simulated < choice.Fitting => Finding.Info("layout-chosen", "{application}: each replica is {layout} on {devices} devices, the layout that carries the most per device ({perDevice}) of the {fitting} that fit one request (every TP x PP split, and data-parallel attention for mixture-of-experts models, on 1, 2, 4... devices up to one server as optimize searches them, and on the fewest that fit); {simulated} of them simulated, the others' analytic capacity bound could not beat it.",
                ("application", app.Name), ("layout", layout.ToString()), ("devices", Fmt.I($"{layout.Devices}")), ("perDevice", perDevice),
                ("fitting", Fmt.I($"{choice.Fitting}")), ("simulated", Fmt.I($"{choice.Simulated}"))),
            LayoutChoice.MostPerDevice => Finding.Info("layout-chosen#all", "{application}: each replica is {layout} on {devices} devices, the layout that carries the most per device ({perDevice}) of the {fitting} that fit one request (every TP x PP split, and data-parallel attention for mixture-of-experts models, on 1, 2, 4... devices up to one server as optimize searches them, and on the fewest that fit), each simulated.",
                ("application", app.Name), ("layout", layout.ToString()), ("devices", Fmt.I($"{layout.Devices}")), ("perDevice", perDevice), ("fitting", Fmt.I($"{choice.Fitting}"))),
            LayoutChoice.Pinned => Finding.Info("layout-chosen#pinned", "{application}: each replica is {layout} on {devices} devices, as the scenario's layout pins it; it carries {perDevice} per device.",
                ("application", app.Name), ("layout", layout.ToString()), ("devices", Fmt.I($"{layout.Devices}")), ("perDevice", perDevice)),
            LayoutChoice.DevicesPerReplica => Finding.Info("layout-chosen#devices", "{application}: each replica is {layout} on the scenario's {devices} devices per replica (the widest valid tensor parallel that fits); it carries {perDevice} per device.",
                ("application", app.Name), ("layout", layout.ToString()), ("devices", Fmt.I($"{layout.Devices}")), ("perDevice", perDevice)),
            _ => Finding.Info("layout-chosen#only", "{application}: each replica is {layout} on {devices} devices, the only layout that fits; it carries {perDevice} per device.",
                ("application", app.Name), ("layout", layout.ToString()), ("devices", Fmt.I($"{layout.Devices}")), ("perDevice", perDevice)),
        };
    }
}
