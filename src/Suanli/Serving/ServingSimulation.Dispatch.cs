using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// Replicas simulated together behind a harness that sends each request to the replica with the fewest requests in
/// flight (<see cref="EngineConfig.Dispatch"/>; docs/methodology-serving.md, "Harness dispatch").
/// </summary>
internal sealed partial class ServingSimulation
{
    /// <summary>
    /// Simulates <see cref="HarnessDispatch.Replicas"/> replicas fed by one Poisson stream at the workload's rate times
    /// the replicas, each request sent, when it arrives, to the replica with the fewest requests in flight (the first on
    /// a tie). The result is one replica's: latencies pooled over every replica's requests, throughputs the system's
    /// divided by the replicas, occupancy that of the first replica.
    /// </summary>
    public static ServingResult RunDispatched(Deployment d, Workload w, EngineConfig e, IStepTimeModel model, ServingTargets targets, long kvTokens,
        Speculation? speculation, int replicas, CancellationToken cancel)
    {
        var sims = new ServingSimulation[replicas];
        for (var i = 0; i < replicas; i++)
        {
            sims[i] = new ServingSimulation(d, w, e, model, targets, kvTokens, speculation, i == 0 ? null : sims[0], external: true);
        }
        var rng = new SplitMix64(w.Seed);
        var paired = LengthDistribution.Paired(w.Input, w.Output);
        var rate = w.RequestsPerSecond * replicas;
        var limit = (long)w.Requests * replicas;
        var t = rng.NextExponential() / rate;
        for (long issued = 0; issued < limit && (w.Duration is not { } end || t <= end.Value); issued++)
        {
            if ((issued & 1023) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }
            var (input, output) = SampleLengths(w, paired, ref rng);
            var best = 0;
            var fewest = long.MaxValue;
            var saturated = false;
            for (var i = 0; i < replicas; i++)
            {
                saturated |= !sims[i].AdvanceTo(t);
                var inFlight = sims[i].InFlight + (sims[i]._now > t ? sims[i]._lastStepCompleted : 0);
                if (inFlight < fewest)
                {
                    fewest = inFlight;
                    best = i;
                }
            }
            if (saturated)
            {
                break;
            }
            sims[best].Issue(t, input, output);
            t += rng.NextExponential() / rate;
        }
        foreach (var sim in sims)
        {
            sim.AdvanceTo(double.PositiveInfinity);
        }
        return Pooled(sims);
    }

    /// <summary>
    /// Runs steps while one starts before <paramref name="time"/> and work is waiting or running, then sets the clock
    /// to <paramref name="time"/> if idle (a step under way at that time finishes first, as the engine's does); false
    /// once the waiting queue has overflowed. The requests the last step completes are still in flight before it ends
    /// (<see cref="_lastStepCompleted"/>), as the harness counts them.
    /// </summary>
    private bool AdvanceTo(double time)
    {
        while (!_saturated && _now < time && (_runCount > 0 || _waiting.Count > 0))
        {
            if (_waiting.Count > _e.MaxQueue)
            {
                _saturated = true;
                break;
            }
            var before = _completed;
            Step();
            _lastStepCompleted = _completed - before;
        }
        if (_runCount == 0 && _waiting.Count == 0 && _now < time && !double.IsPositiveInfinity(time))
        {
            _now = time;
        }
        return !_saturated;
    }

    /// <summary>Folds the counters of every replica into the first and returns its result, rates per replica.</summary>
    private static ServingResult Pooled(ServingSimulation[] sims)
    {
        var first = sims[0];
        double processed = 0;
        for (var i = 0; i < sims.Length; i++)
        {
            var s = sims[i];
            if (!double.IsNaN(s._windowStart))
            {
                processed += s._processedAtLastIssue - s._processedAtWindowStart;
            }
            if (i == 0)
            {
                continue;
            }
            first._issued += s._issued;
            first._completed += s._completed;
            first._measuredCount += s._measuredCount;
            first._good += s._good;
            first._rejected += s._rejected;
            first._steps += s._steps;
            first._preemptions += s._preemptions;
            first._demanded += s._demanded;
            first._windowOutputTokens += s._windowOutputTokens;
            first._windowPromptTokens += s._windowPromptTokens;
            first._saturated |= s._saturated;
            first._peakInFlight = Math.Max(first._peakInFlight, s._peakInFlight);
            first._now = Math.Max(first._now, s._now);
            first._windowEnd = Math.Max(first._windowEnd, s._windowEnd);
            first._lastMeasuredArrival = Math.Max(first._lastMeasuredArrival, s._lastMeasuredArrival);
            first._windowStart = Earliest(first._windowStart, s._windowStart);
            first._firstCompletion = Earliest(first._firstCompletion, s._firstCompletion);
            first._lastIssue = double.IsNaN(first._lastIssue) ? s._lastIssue : double.IsNaN(s._lastIssue) ? first._lastIssue : Math.Max(first._lastIssue, s._lastIssue);
        }
        first._processedAtWindowStart = 0;
        first._processedAtLastIssue = processed;
        first._share = 1.0 / sims.Length;
        return first.Result();
    }

    private static double Earliest(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Min(a, b);
}
