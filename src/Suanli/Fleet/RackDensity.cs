using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Plan;
using Suanli.Quantities;
using Suanli.Serving;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Fleet;

/// <summary>Sessions one rack serves for one model on one server type.</summary>
/// <param name="Model">Model.</param>
/// <param name="Server">Server type.</param>
/// <param name="Layout">Replica layout (fewest devices that fit, TP preferred).</param>
/// <param name="SessionsPerReplica">Largest batch whose decode step keeps every session at or above the floor, within memory and the engine's limit.</param>
/// <param name="StepTime">Decode step time at that batch.</param>
/// <param name="ReplicasPerServer">Replicas per server.</param>
/// <param name="ServersPerRack">Servers per rack (power or space bound).</param>
/// <param name="SessionsPerRack">Sessions per rack.</param>
/// <param name="SessionsPerKw">Sessions per kW of server nameplate power.</param>
/// <param name="Note">Why a combination serves nothing (does not fit, too slow at batch 1), else null; a phrase so it reads in the reader's language.</param>
public sealed record RackDensityRow(ModelEntry Model, Server Server, Layout? Layout, int SessionsPerReplica, Duration StepTime, int ReplicasPerServer, int ServersPerRack, int SessionsPerRack, double SessionsPerKw, Phrase? Note);

/// <summary>How <see cref="RackDensity"/> sizes sessions with prefill, as <c>plan</c> does for a concurrency demand.</summary>
/// <param name="Capacity">The capacity search <c>plan</c> uses (<see cref="Plan.SimulatedReplicaCapacity.Provider"/>).</param>
/// <param name="InputTokens">Prompt tokens per session turn.</param>
/// <param name="OutputTokens">Output tokens per session turn.</param>
/// <param name="TtftP90">Time to first token a session must get (90th percentile), seconds.</param>
public sealed record SessionSizing(Plan.CapacityProvider Capacity, int InputTokens, int OutputTokens, Duration TtftP90)
{
    /// <summary>Default prompt tokens per turn: seed case C7's example (examples/c7-rack-8b-on-cpu.yaml).</summary>
    public const int DefaultInputTokens = 512;
    /// <summary>Default output tokens per turn: seed case C7's example.</summary>
    public const int DefaultOutputTokens = 256;
    /// <summary>Default first-token target in seconds: the scenario default (docs/methodology-fleet.md).</summary>
    public const double DefaultTtftSeconds = 2;
}

/// <summary>
/// Seed case C7: how many interactive sessions at a tokens/s floor (default 10 tokens/s, about 450 words a minute,
/// above the 200-300 words a minute people read) a rack holds, per model and server (docs/methodology-fleet.md).
/// </summary>
public static class RackDensity
{
    /// <summary>
    /// Computes one row. With <paramref name="sessions"/> (the capacity search <c>plan</c> uses), a replica's sessions
    /// are the clients it carries with each session's prompt read (prefill) within the first-token target and every
    /// output token within 1 / floor, exactly as <c>plan</c> sizes a concurrency demand; without it, the decode step
    /// alone (an upper bound that ignores prefill).
    /// </summary>
    public static RackDensityRow Compute(IStepTimeModel model, ModelEntry entry, Server server, Device device, WeightPrecision precision, Engine engine,
        Rack rack, TokenRate floor, int context, int maxSequences = 256, SessionSizing? sessions = null)
    {
        Guard.Positive(floor.Value, FieldNames.TokensPerSecond);
        var kv = NumberFormat.KvFor(precision, null);
        var request = new FootprintRequest(entry, precision, kv, context, 1, RuntimeReserve.Default);
        var perRack = Math.Min((int)Math.Floor(rack.PowerBudget / server.Power + 1e-9), rack.HeightU / server.HeightU);
        // Try every pure tensor-parallel width that fits in one server and keep the one that serves the most sessions per server.
        var kvFormat = kv;
        (Layout? Layout, int Sessions, Duration Step) best = (null, 0, Duration.Zero);
        string? limiting = null;
        for (var tp = 1; tp <= server.DevicesPerNode; tp++)
        {
            if (server.DevicesPerNode % tp != 0 || Layouts.TensorParallelProblem(entry.Architecture, tp) is not null)
            {
                continue;
            }
            var candidate = Layouts.Make(entry.Architecture, tp, 1);
            var memory = MemoryModel.OnDevice(request, candidate, device.Memory, request.Reserve.MemoryUtilization);
            if (!memory.Fits)
            {
                continue;
            }
            var limit = (int)Math.Min(maxSequences, memory.MaxSequences);
            var deployment = new Deployment(entry, device, candidate, precision, kvFormat, engine);
            var budget = Duration.FromSeconds(1 / floor.Value);
            var (carried, step) = (0, Duration.Zero);
            for (var b = 1; b <= limit; b++)
            {
                var t = model.Estimate(deployment, StepShape.Decode(b, context / 2.0)).Time;
                if (t > budget)
                {
                    break;
                }
                (carried, step) = (b, t);
            }
            if (sessions is { } sizing && carried > 0)
            {
                var c = sizing.Capacity(deployment,
                    new RequestMix(Serving.LengthDistribution.Fixed(sizing.InputTokens), Serving.LengthDistribution.Fixed(sizing.OutputTokens), DemandKind.Concurrency),
                    new ServingTargets(sizing.TtftP90, budget, null));
                carried = c.Feasible ? Math.Min(carried, (int)Math.Floor(c.MaxConcurrency + 1e-9)) : 0;
                limiting = c.Feasible ? limiting : c.LimitingTarget;
                if (carried > 0)
                {
                    step = model.Estimate(deployment, StepShape.Decode(carried, context / 2.0)).Time;
                }
            }
            var sessionsHere = carried;
            if (best.Layout is null || sessionsHere * (server.DevicesPerNode / tp) > best.Sessions * (server.DevicesPerNode / best.Layout.Devices))
            {
                best = (candidate, sessionsHere, step);
            }
        }
        if (best.Layout is not { } layout)
        {
            return new RackDensityRow(entry, server, null, 0, Duration.Zero, 0, perRack, 0, 0,
                Phrase.Of("density.does-not-fit", "does not fit one {server} ({devices} x {device})", ("server", server.Id), ("devices", Fmt.I($"{server.DevicesPerNode}")), ("device", device.Id)));
        }
        var (sessionsBest, stepBest) = (best.Sessions, best.Step);
        var replicasPerServer = server.DevicesPerNode / layout.Devices;
        var perRackSessions = sessionsBest * replicasPerServer * perRack;
        var kw = perRack * server.Power.InKilowatts;
        var floorText = Fmt.I($"{floor.Value:0.#}");
        var note = sessionsBest == 0
            ? limiting is not null && sessions is { } sz
                ? Phrase.Of("density.prompt-misses-target", "one session's {input}-token prompt misses {target} even alone",
                    ("input", Fmt.I($"{sz.InputTokens}")), ("target", MissedTarget(limiting, sz.TtftP90, floorText)))
                : Phrase.Of("density.below-floor", "below {floor} tokens/s even at batch 1", ("floor", floorText))
            : perRack == 0
                ? server.Power > rack.PowerBudget
                    ? Phrase.Of("density.server-over-power", "one {server} draws {power} kW, more than the rack's {budget} kW budget: no server fits the rack",
                        ("server", server.Id), ("power", Fmt.I($"{server.Power.InKilowatts:0.#}")), ("budget", Fmt.I($"{rack.PowerBudget.InKilowatts:0.#}")))
                    : Phrase.Of("density.server-too-tall", "one {server} is {height}U, taller than the rack's {rackHeight}U: no server fits the rack",
                        ("server", server.Id), ("height", Fmt.I($"{server.HeightU}")), ("rackHeight", Fmt.I($"{rack.HeightU}")))
                : null;
        return new RackDensityRow(entry, server, layout, sessionsBest, stepBest, replicasPerServer, perRack, perRackSessions, kw > 0 ? perRackSessions / kw : 0, note);
    }

    // The capacity search names what failed by its id (ttft, tpot, or "targets" when it cannot tell): written into the
    // note as it came, a session that missed both read "misses the targets target".
    private static Phrase MissedTarget(string limiting, Duration ttft, string floorText) => limiting switch
    {
        "ttft" => Phrase.Of("density.target#ttft", "the first-token target of {seconds} s", ("seconds", Fmt.I($"{ttft.Value:0.##}"))),
        "tpot" => Phrase.Of("density.target#floor", "the floor of {floor} tokens/s", ("floor", floorText)),
        _ => Phrase.Of("density.target#both", "the first-token target of {seconds} s or the floor of {floor} tokens/s", ("seconds", Fmt.I($"{ttft.Value:0.##}")), ("floor", floorText)),
    };
}
