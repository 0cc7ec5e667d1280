using Suanli.Text;

namespace Suanli.Serving;

// The loads, targets and outcomes the capacity search's findings name, in the reader's language.
public static partial class CapacitySearch
{
    private static Phrase Load(CapacityMode mode, double load) =>
        mode == CapacityMode.Rate
            ? Phrase.Of("load#rate", "{rate} requests/s", ("rate", ServingFindings.Show(load, load < 10 ? 2 : 1)))
            : Phrase.Of("load#concurrent", "{count} concurrent requests", ("count", ServingFindings.N((long)load)));

    private static Phrase Targets(ServingTargets t)
    {
        var parts = new List<Phrase>();
        if (t.Ttft is { } a) { parts.Add(Phrase.Of("bound#ttft", "TTFT {percentile} <= {value}", ("percentile", t.TtftAt.ToString()), ("value", ServingFindings.T(a)))); }
        if (t.Tpot is { } b) { parts.Add(Phrase.Of("bound#tpot", "TPOT {percentile} <= {value}", ("percentile", t.TpotAt.ToString()), ("value", ServingFindings.T(b)))); }
        if (t.E2e is { } c) { parts.Add(Phrase.Of("bound#e2e", "end-to-end {percentile} <= {value}", ("percentile", t.E2eAt.ToString()), ("value", ServingFindings.T(c)))); }
        return Phrase.Of("bounds", "{bounds}", ("bounds", new PhraseList(parts, "and")));
    }

    private static Phrase Describe(ServingResult r, ServingTargets t)
    {
        if (r.QueueOverflowed)
        {
            return Phrase.Of("outcome#queue", "the queue grew past its bound");
        }
        if (r.Saturated)
        {
            return Phrase.Of("outcome#saturated", "the replica computed {served} of the offered work, so the queue kept growing", ("served", ServingFindings.Show(r.Throughput.ServedFraction * 100, 0) + "%"));
        }
        return Phrase.Of("outcome", "TTFT {ttftAt} {ttft}, TPOT {tpotAt} {tpot}, end-to-end {e2eAt} {e2e}, {rate} requests/s completed",
            ("ttftAt", t.TtftAt.ToString()), ("tpotAt", t.TpotAt.ToString()), ("e2eAt", t.E2eAt.ToString()),
            ("ttft", ServingFindings.T(r.Ttft.At(t.TtftAt))), ("tpot", ServingFindings.T(r.Tpot.At(t.TpotAt))), ("e2e", ServingFindings.T(r.E2e.At(t.E2eAt))),
            ("rate", ServingFindings.Show(r.Throughput.RequestsPerSecond, 2)));
    }

    /// <summary>
    /// The most closed-loop clients a probe of this workload can hold in flight: clients that start together each send
    /// their first request at once, so a probe with fewer requests than clients never reaches its client count (a
    /// staggered or timed loop sends as many requests as its clients need, up to <see cref="Workload.MaxConcurrency"/>).
    /// </summary>
    internal static int MostClients(Workload workload) =>
        workload.Start == ClientStart.Together && workload.Duration is null ? Math.Min(workload.Requests, Workload.MaxConcurrency) : Workload.MaxConcurrency;

    private static Finding UpperLimit(CapacityMode mode, Workload workload, ServingTargets targets, double load, int mostClients, (string, object)[] args)
    {
        if (mode == CapacityMode.Rate)
        {
            return Finding.Info("capacity#upper-limit", "One replica of {model} on {devices} x {device} carries {load} with {targets}; the search reached its upper limit.", args);
        }
        var limit = load >= mostClients && mostClients < Workload.MaxConcurrency
            ? Phrase.Of("upper-limit#requests", "as many clients as the {requests} requests each probe sends (clients that start together need one request each); give more requests or a duration to search further",
                ("requests", ServingFindings.N(workload.Requests)))
            : Phrase.Of("upper-limit#most", "the most clients one simulation holds");
        // Clients past the engine's running sequences wait before their first token, which no TPOT measures.
        return targets.Ttft is null && targets.E2e is null
            ? Finding.Info("capacity#upper-limit-tpot-only", "One replica of {model} on {devices} x {device} carries {load} with {targets}; the search reached its upper limit: {limit}. A TPOT target alone does not bound a closed loop: clients beyond the running sequences wait before their first token, which TPOT does not measure; add a TTFT or end-to-end target.",
                [.. args, ("limit", limit)])
            : Finding.Info("capacity#upper-limit-clients", "One replica of {model} on {devices} x {device} carries {load} with {targets}; the search reached its upper limit: {limit}.",
                [.. args, ("limit", limit)]);
    }

    /// <summary>
    /// What limits a replica's capacity (the search's limiting target: ttft, tpot, e2e, memory or
    /// throughput) as a phrase in the reader's language: "limited by tpot", 受 TPOT 限制.
    /// </summary>
    public static object LimitedBy(string? target) => target switch
    {
        "ttft" => Phrase.Of("replica-limit#ttft", "limited by ttft"),
        "tpot" => Phrase.Of("replica-limit#tpot", "limited by tpot"),
        "e2e" => Phrase.Of("replica-limit#e2e", "limited by e2e"),
        "memory" => Phrase.Of("replica-limit#memory", "limited by memory"),
        "throughput" => Phrase.Of("replica-limit#throughput", "limited by throughput"),
        _ => Phrase.Of("replica-limit#other", "limited by {target}", ("target", target ?? "")),
    };

    /// <summary>What failed in a probe (<see cref="Failing"/>: ttft, tpot, e2e or throughput), named in the reader's language.</summary>
    public static object FailedTarget(string? failing) => FailingName(failing);
}
