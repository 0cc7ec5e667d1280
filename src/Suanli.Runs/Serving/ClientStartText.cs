using Suanli.Serving;
using Suanli.Text;

namespace Suanli.Runs;

/// <summary>
/// The <c>--start</c> option of <c>simulate</c> and <c>capacity</c> (<c>start</c> on the web): when a closed loop's clients
/// send their first requests, <see cref="ClientStart.Together"/> (the default, a benchmark client) or
/// <see cref="ClientStart.Staggered"/> (the rule a plan's concurrency demand is sized with, <see cref="Workload.StartGap"/>;
/// docs/methodology-serving.md, "Closed loop").
/// </summary>
public static class ClientStartText
{
    /// <summary>The values the option takes, in the order the help and the errors list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["together", "staggered"];

    /// <summary>The name of a start as the option, the JSON and the reports spell it.</summary>
    public static string Name(ClientStart start) => start == ClientStart.Staggered ? "staggered" : "together";

    /// <summary>
    /// The start a text names (case and surrounding blanks ignored); null is <see cref="ClientStart.Together"/>, the
    /// behaviour before the option existed. An unknown value is an error naming the field and the known values.
    /// </summary>
    /// <param name="text">The option's value as given; null when not given.</param>
    public static ClientStart Parse(string? text)
    {
        if (text is null)
        {
            return ClientStart.Together;
        }
        return text.Trim().ToLowerInvariant() switch
        {
            "together" => ClientStart.Together,
            "staggered" => ClientStart.Staggered,
            _ => throw new InputException(FieldNames.Start, Phrase.Of("start-unknown",
                "Unknown {start} '{value}'. Use together (every client sends its first request at time 0, as a benchmark client does; the default) or staggered (client c of N at c gaps of one client's cycle alone over N, as a plan sizes its concurrency demand).",
                ("start", FieldNames.Start), ("value", InputEcho.Clip(text.Trim())))),
        };
    }

    /// <summary>
    /// Refuses a staggered start where no closed loop runs (a Poisson rate, a trace, a rate search): its arrivals keep
    /// their own schedule and the start would be dropped unseen. A together start is the default and always allowed.
    /// </summary>
    /// <param name="start">The parsed start.</param>
    /// <param name="closedLoop">Whether the run is a closed loop of clients.</param>
    public static void CheckClosedLoop(ClientStart start, bool closedLoop)
    {
        if (start == ClientStart.Staggered && !closedLoop)
        {
            throw new InputException(FieldNames.Start, Phrase.Of("start-closed-loop-only",
                "{start} staggered applies only to a closed loop of clients ({concurrency} N for simulate, {mode} concurrency for capacity); Poisson arrivals and a trace keep their own schedule. Drop {start}, or run a closed loop.",
                ("start", FieldNames.Start), ("concurrency", FieldNames.Concurrency), ("mode", FieldNames.Mode)));
        }
    }

    /// <summary>
    /// The note that says how a closed loop's clients started, with the gap between two first requests when staggered;
    /// null for arrivals that are not a closed loop.
    /// </summary>
    /// <param name="w">The closed loop as simulated (for a capacity search, the probe at the largest load, or any probe).</param>
    /// <param name="d">The replica (for the gap's floors).</param>
    /// <param name="model">The step-time model (for the gap's floors).</param>
    public static Finding? Note(Workload w, Suanli.StepTime.Deployment d, Suanli.StepTime.IStepTimeModel model)
    {
        if (w.Kind != ArrivalKind.ClosedLoop)
        {
            return null;
        }
        if (w.Start != ClientStart.Staggered)
        {
            return Finding.Info("closed-loop-start#together",
                "The clients start together: every one sends its first request at time 0, as a benchmark client does (docs/methodology-serving.md, 'Closed loop'). {start} staggered starts them out of phase, as a plan sizes its concurrency demand.",
                ("start", FieldNames.Start));
        }
        var (prefill, decode, lifetime) = CapacitySearch.Floors(d, w, model);
        return Finding.Info("closed-loop-start#staggered",
            "The clients start staggered, as a plan sizes its concurrency demand: client c of {clients} sends its first request at c x {gap} s, the larger of one client's cycle alone over the clients and one prefill plus one decode step alone; requests arriving before the last client's first are left out of the statistics (docs/methodology-serving.md, 'Closed loop').",
            ("clients", Show.N(w.Concurrency)), ("gap", Show.Sig(Workload.StartGap(w, prefill, decode, lifetime))));
    }
}
