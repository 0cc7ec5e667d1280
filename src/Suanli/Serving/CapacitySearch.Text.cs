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
        _ => $"limited by {target}",
    };

    /// <summary>What failed in a probe (<see cref="Failing"/>: ttft, tpot, e2e or throughput), named in the reader's language.</summary>
    public static object FailedTarget(string? failing) => FailingName(failing);
}
