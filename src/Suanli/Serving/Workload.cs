using System.Globalization;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>How requests arrive.</summary>
public enum ArrivalKind
{
    /// <summary>Open loop: Poisson arrivals at a mean rate, whatever the engine does.</summary>
    Poisson,
    /// <summary>Closed loop: N clients, each sending its next request a think time after its last one completed.</summary>
    ClosedLoop,
    /// <summary>Replayed from a trace: arrival time, input and output tokens per request.</summary>
    Trace,
}

/// <summary>When the clients of a closed loop send their first requests (docs/methodology-serving.md, "Closed loop").</summary>
public enum ClientStart
{
    /// <summary>
    /// Every client at time 0, as a benchmark client does (vLLM's benchmark_serving with <c>--max-concurrency</c>, GenAI-Perf
    /// <c>--concurrency</c>): with identical requests the clients stay in step, arriving, prefilling and finishing together.
    /// </summary>
    Together,
    /// <summary>
    /// Client c of N at c gaps of <see cref="Workload.StartGap"/> (one cycle alone over N, at least one prefill): independent
    /// users out of phase, as a plan's concurrency demand means them.
    /// </summary>
    Staggered,
}

/// <summary>One request of a trace.</summary>
/// <param name="ArrivalSeconds">Arrival time from the start of the trace, seconds (0 or more, non-decreasing).</param>
/// <param name="InputTokens">Prompt tokens (at least 1).</param>
/// <param name="OutputTokens">Output tokens (at least 1).</param>
public readonly record struct TraceRequest(double ArrivalSeconds, int InputTokens, int OutputTokens);

/// <summary>
/// The load offered to one replica: an arrival process, prompt and output lengths, a seed, and when to stop.
/// Build it with <see cref="Poisson"/>, <see cref="ClosedLoop"/> or <see cref="FromTrace"/>, which check every field.
/// </summary>
public sealed record Workload
{
    /// <summary>
    /// The most requests one simulation issues (memory stays bounded by the requests in flight; this bounds time: a
    /// million requests' CPU time is in docs/benchmarks.md, `bench/Suanli.Bench.Serving`), and a million samples pin a
    /// p99 far more tightly than any measurement it is compared with.
    /// </summary>
    public const int MaxRequests = 1_000_000;

    /// <summary>The most clients of a closed loop: as many as the requests one simulation issues (<see cref="MaxRequests"/>).</summary>
    public const int MaxConcurrency = MaxRequests;

    /// <summary>
    /// The longest arrival window, seconds: 30 days, the month every cost in the planner is stated per. A longer window
    /// adds no information (the load is stationary) and only the request cap would stop it.
    /// </summary>
    public const double MaxDurationSeconds = 30 * 86_400;

    /// <summary>
    /// The longest think time of a closed-loop client, seconds: a day. A client silent for longer is a new visitor, not a
    /// loop; and past it the simulated clock grows so large that a double no longer resolves the milliseconds of a
    /// latency (at 1e308 s every latency read 0 ms).
    /// </summary>
    public const double MaxThinkTimeSeconds = 86_400;

    /// <summary>The slowest Poisson arrival rate, requests per second (one request in about 11.6 days).</summary>
    public const double MinRequestsPerSecond = 1e-6;

    /// <summary>The fastest Poisson arrival rate, requests per second: far above what any catalog replica carries, so no capacity search needs more.</summary>
    public const double MaxRequestsPerSecond = 1e7;

    /// <summary>Requests issued when neither a count nor a duration is given.</summary>
    public const int DefaultRequests = 2_000;

    /// <summary>The arrival process.</summary>
    public required ArrivalKind Kind { get; init; }

    /// <summary>Mean arrival rate for <see cref="ArrivalKind.Poisson"/>, requests per second.</summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>Clients of a closed loop.</summary>
    public int Concurrency { get; init; }

    /// <summary>Fixed pause of a closed-loop client between a completion and its next request.</summary>
    public Duration ThinkTime { get; init; }

    /// <summary>When a closed loop's clients send their first requests: together (a benchmark client, the default) or staggered (independent users).</summary>
    public ClientStart Start { get; init; } = ClientStart.Together;

    /// <summary>The requests of a trace, sorted by arrival.</summary>
    public IReadOnlyList<TraceRequest> Trace { get; init; } = [];

    /// <summary>Prompt lengths (ignored for a trace).</summary>
    public LengthDistribution Input { get; init; } = LengthDistribution.Fixed(1);

    /// <summary>Output lengths (ignored for a trace).</summary>
    public LengthDistribution Output { get; init; } = LengthDistribution.Fixed(1);

    /// <summary>Random seed; the same seed gives the same run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Requests to issue (the trace length for a trace).</summary>
    public int Requests { get; init; } = DefaultRequests;

    /// <summary>No request is issued after this time, when given.</summary>
    public Duration? Duration { get; init; }

    /// <summary>
    /// Fraction of the first requests (by arrival; of the arrival time when <see cref="Duration"/> is given) left out of the
    /// statistics while the batch fills up: 0.1 by default; a benchmark probe's warm-up of one long request's lifetime
    /// (<see cref="BenchmarkWindow"/>) may take most of its arrivals. 0 to 0.95.
    /// </summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>Open-loop Poisson arrivals at <paramref name="requestsPerSecond"/>.</summary>
    public static Workload Poisson(double requestsPerSecond, LengthDistribution input, LengthDistribution output, ulong seed = 1, int requests = DefaultRequests, Duration? duration = null)
    {
        Guard.Positive(requestsPerSecond, FieldNames.Rate);
        Guard.InRange(requestsPerSecond, MinRequestsPerSecond, MaxRequestsPerSecond, FieldNames.Rate);
        return Checked(new Workload { Kind = ArrivalKind.Poisson, RequestsPerSecond = requestsPerSecond, Input = input, Output = output, Seed = seed, Requests = requests, Duration = duration });
    }

    /// <summary>A closed loop of <paramref name="concurrency"/> clients with a fixed think time.</summary>
    public static Workload ClosedLoop(int concurrency, LengthDistribution input, LengthDistribution output, Duration thinkTime = default, ulong seed = 1, int requests = DefaultRequests, Duration? duration = null)
    {
        Guard.InRange(concurrency, 1, MaxConcurrency, FieldNames.Concurrency);
        Guard.InRange(thinkTime.Value, 0, MaxThinkTimeSeconds, FieldNames.ThinkTime);
        return Checked(new Workload { Kind = ArrivalKind.ClosedLoop, Concurrency = concurrency, ThinkTime = thinkTime, Input = input, Output = output, Seed = seed, Requests = requests, Duration = duration });
    }

    /// <summary>A replayed trace; times must be 0 or more and non-decreasing, lengths at least 1.</summary>
    public static Workload FromTrace(IReadOnlyList<TraceRequest> trace, FieldRef source = default)
    {
        source = source.Or(FieldNames.Trace);
        if (trace.Count == 0)
        {
            throw source.Error(Phrase.Of("trace-empty", "{source}: the trace has no requests; give one row per request: arrival seconds, input tokens, output tokens.", ("source", source.Arg)));
        }
        var previous = 0.0;
        for (var i = 0; i < trace.Count; i++)
        {
            var r = trace[i];
            var row = Phrase.Of("trace-row", "{source} request {request}", ("source", source.Arg), ("request", (i + 1).ToString(CultureInfo.InvariantCulture)));
            var arrival = Phrase.Of("trace-arrival", "{row} arrival seconds", ("row", row));
            Guard.NonNegative(r.ArrivalSeconds, arrival, source);
            // Bounded as a duration is: past a month of arrivals the clock no longer resolves a millisecond latency.
            Guard.InRange(r.ArrivalSeconds, 0, MaxDurationSeconds, arrival, source);
            if (r.ArrivalSeconds < previous)
            {
                throw source.Error(Phrase.Of("trace-unsorted", "{row}: arrival {arrival} s is before the previous request's {previous} s; sort the trace by arrival time.",
                    ("row", row), ("arrival", Fmt.Number(r.ArrivalSeconds)), ("previous", Fmt.Number(previous))));
            }
            Guard.InRange(r.InputTokens, 1, LengthDistribution.MaxTokens, Phrase.Of("trace-input", "{row} input tokens", ("row", row)), source);
            Guard.InRange(r.OutputTokens, 1, LengthDistribution.MaxTokens, Phrase.Of("trace-output", "{row} output tokens", ("row", row)), source);
            previous = r.ArrivalSeconds;
        }
        return new Workload { Kind = ArrivalKind.Trace, Trace = [.. trace], Requests = trace.Count, WarmupFraction = 0 };
    }

    /// <summary>Mean prompt tokens per request.</summary>
    public double MeanInput => Kind == ArrivalKind.Trace ? Trace.Average(r => (double)r.InputTokens) : Input.Mean;

    /// <summary>Mean output tokens per request.</summary>
    public double MeanOutput => Kind == ArrivalKind.Trace ? Trace.Average(r => (double)r.OutputTokens) : Output.Mean;

    /// <summary>The same workload at another Poisson rate (capacity search).</summary>
    public Workload AtRate(double requestsPerSecond) => Poisson(requestsPerSecond, Input, Output, Seed, Requests, Duration) with { WarmupFraction = WarmupFraction, Start = Start };

    /// <summary>The same workload as a closed loop of another size (capacity search).</summary>
    /// <remarks>
    /// A staggered loop sends at least <see cref="StaggeredRequestsPerClient"/> requests per client (up to <see cref="MaxRequests"/>):
    /// it measures only requests arriving after every client has started, and its ramp takes about 1.5 per client.
    /// </remarks>
    public Workload AtConcurrency(int concurrency) => ClosedLoop(concurrency, Input, Output, ThinkTime, Seed,
        Start == ClientStart.Staggered && Duration is null ? (int)Math.Min(MaxRequests, Math.Max(Requests, (long)StaggeredRequestsPerClient * concurrency)) : Requests, Duration)
        with { WarmupFraction = WarmupFraction, Start = Start };

    /// <summary>
    /// The fewest requests per client a staggered closed loop of a capacity search sends: its ramp (client c of N starting
    /// at c gaps, while the clients started earlier return about once a cycle) sends about 1.5 per client, which the
    /// statistics leave out, and the rest leave each client measured about 1.5 times.
    /// </summary>
    public const int StaggeredRequestsPerClient = 3;

    /// <summary>
    /// The time between two <see cref="ClientStart.Staggered"/> clients' first requests, seconds (client c of N starts at c
    /// times it): the larger of one client's cycle alone over N (one mean request's lifetime alone, its prefill then a
    /// decode step at batch 1 per further output token, plus the think time) and one prefill plus one decode step alone.
    /// The first spreads the clients over one cycle; the second keeps a first request from arriving while the one before
    /// it is still in its prefill, where two waiting prompts would be prefilled in one step and, identical, stay in step.
    /// </summary>
    /// <param name="w">The closed loop.</param>
    /// <param name="prefill">One mean prompt's prefill alone (<see cref="CapacitySearch.Floors"/>).</param>
    /// <param name="decodeStep">A decode step at batch 1.</param>
    /// <param name="lifetime">One mean request's lifetime alone: the prefill plus a decode step per further output token.</param>
    public static double StartGap(Workload w, Duration prefill, Duration decodeStep, Duration lifetime) =>
        Math.Max((lifetime.Value + w.ThinkTime.Value) / Math.Max(1, w.Concurrency), prefill.Value + decodeStep.Value);

    private static Workload Checked(Workload w)
    {
        Guard.InRange(w.Requests, 1, MaxRequests, FieldNames.Requests);
        if (w.Duration is { } d)
        {
            Guard.Positive(d.Value, FieldNames.Duration);
            Guard.InRange(d.Value, 0, MaxDurationSeconds, FieldNames.Duration);
        }
        Guard.InRange(w.WarmupFraction, 0, 0.95, "warm-up fraction");
        return w;
    }
}
