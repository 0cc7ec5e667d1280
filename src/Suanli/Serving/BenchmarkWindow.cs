using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// The Poisson arrivals of a capacity probe that stands for a benchmark's Server run (docs/methodology-serving.md,
/// "Capacity of a benchmark run"). MLPerf's LoadGen issues queries for at least <c>min_duration</c> (600 s) and until
/// its minimum query count, and every issued query must finish: its Server result counts their tokens over the time
/// the last one completes (<c>token_count / final_query_all_samples_done_time</c>) and judges the p99 TTFT and TPOT of
/// them all (mlcommons/inference loadgen/results.cc). A run therefore holds requests of full length in flight; a probe
/// whose window ends before the long requests that arrived in it could finish judges a replica still filling its batch.
/// </summary>
public static class BenchmarkWindow
{
    /// <summary>
    /// Seconds of arrivals, and the share of them that is warm-up, for a probe that measures <paramref name="measured"/>:
    /// a warm-up of one long request's lifetime (<see cref="LongRequest"/>), after which nearly every request in flight
    /// arrived within the run, so the work in flight has stopped growing and the keep-up test compares work done with work
    /// offered at a steady level; then the measured window, MLPerf's minimum run.
    /// </summary>
    /// <param name="d">The replica.</param>
    /// <param name="input">Prompt lengths.</param>
    /// <param name="output">Output lengths.</param>
    /// <param name="model">Step-time model (for the floors when a target is missing).</param>
    /// <param name="targets">The probe's targets.</param>
    /// <param name="measured">The measured window (MLPerf's 600 s minimum run).</param>
    public static (Duration Arrivals, double WarmupFraction) For(Deployment d, LengthDistribution input, LengthDistribution output, IStepTimeModel model,
        ServingTargets targets, Duration measured)
    {
        // Capped so that at least a twentieth of the arrivals is measured (Workload.WarmupFraction's bound).
        var warmup = Math.Min(LongRequest(d, input, output, model, targets).Value, 19 * measured.Value);
        return (Duration.FromSeconds(warmup + measured.Value), warmup / (warmup + measured.Value));
    }

    /// <summary>
    /// The probe of a capacity search whose <see cref="Workload.Duration"/> is the measured window: the window of
    /// <see cref="For"/> (a warm-up of one long request's lifetime first, then the duration measured), the one rule of
    /// validation's probes and of <c>suanli capacity --duration</c>. A probe without a duration (a request count, its
    /// first tenth warm-up) or a trace is returned as it is.
    /// </summary>
    /// <param name="probe">The probe's arrivals, its duration the measured window.</param>
    /// <param name="d">The replica.</param>
    /// <param name="model">Step-time model (for the floors when a target is missing).</param>
    /// <param name="targets">The probe's targets.</param>
    public static Workload Probe(Workload probe, Deployment d, IStepTimeModel model, ServingTargets targets)
    {
        if (probe.Duration is not { } measured || probe.Kind == ArrivalKind.Trace)
        {
            return probe;
        }
        var (arrivals, warmup) = For(d, probe.Input, probe.Output, model, targets, measured);
        return probe with { Duration = arrivals, WarmupFraction = warmup };
    }

    /// <summary>
    /// How long a request of the 99th-percentile output length lives at a load that meets the targets: the TTFT target
    /// plus one TPOT target per output token after the first (the p99 limits bound a request's first token and its mean
    /// gap). Without a TTFT target, the prefill of one mean prompt alone; without a TPOT target, the end-to-end target, or
    /// else the decode step at batch 1 (the floors of <see cref="CapacitySearch.Floors"/>).
    /// </summary>
    /// <param name="d">The replica.</param>
    /// <param name="input">Prompt lengths.</param>
    /// <param name="output">Output lengths.</param>
    /// <param name="model">Step-time model.</param>
    /// <param name="targets">The targets.</param>
    public static Duration LongRequest(Deployment d, LengthDistribution input, LengthDistribution output, IStepTimeModel model, ServingTargets targets)
    {
        var tokens = Math.Max(1, output.P99);
        if (targets.Tpot is null && targets.E2e is { } e2e)
        {
            return e2e;
        }
        var floors = targets.Ttft is not null && targets.Tpot is not null ? default : CapacitySearch.Floors(d, Workload.Poisson(1, input, output), model);
        var first = targets.Ttft ?? floors.Prefill;
        var gap = targets.Tpot ?? floors.DecodeStep;
        return first + gap * (tokens - 1);
    }
}
