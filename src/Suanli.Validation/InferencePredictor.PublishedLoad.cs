using Suanli.Files;
using Suanli.Quantities;
using Suanli.Runs;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>
/// The load a published latency-bound run was measured at: MLPerf's Server result is the p99 TTFT and TPOT of a
/// Poisson run at the Scheduled QPS the submitter chose, with a margin below the largest passing load, and its
/// throughput is that load's completed tokens per second (mlcommons/inference loadgen/results.cc).
/// </summary>
/// <param name="Id">The throughput row the load is taken from.</param>
/// <param name="RequestsPerSecond">Requests per second of the whole system.</param>
public sealed record PublishedLoad(string Id, double RequestsPerSecond);

public sealed partial class InferencePredictor
{
    private Dictionary<(string, string, string, int?, string, string, double?, double?, double?, double?), PublishedLoad> _published = [];

    // The runs with a latency row among the rows given to UsePublishedLoads: only their run at the published load is started early.
    private HashSet<(string, string, string, int?, string, string, double?, double?, double?, double?)> _latencyRuns = [];

    /// <summary>
    /// Takes the load each published capacity run ran at from its throughput row (<c>requests_per_s</c>, or
    /// <c>output_tokens_per_s</c> over the row's mean output length), so that the same run's p99 latency rows are
    /// predicted at that load (docs/methodology-serving.md, "Latency at the published load"). The latency rows' own
    /// values are never read. <see cref="Validator"/> calls it with every row it validates.
    /// </summary>
    public void UsePublishedLoads(IEnumerable<MeasurementRow> rows)
    {
        _published = [];
        _latencyRuns = [];
        foreach (var m in rows.OfType<InferenceMeasurement>().Where(m => m.Scenario == "capacity" && m.Value > 0))
        {
            if (BaseMetric(m.Metric) is "ttft_ms" or "tpot_ms" or "e2e_ms")
            {
                _latencyRuns.Add(RunKey(m));
            }
            double? rate = m.Metric switch
            {
                "requests_per_s" => m.Value,
                "output_tokens_per_s" when m.OutputTokens is > 0 => m.Value / m.OutputTokens.Value,
                _ => null,
            };
            if (rate is { } r)
            {
                _published.TryAdd(RunKey(m), new PublishedLoad(m.Id, r));
            }
        }
    }

    /// <summary>The published load of a capacity row's run, when a throughput row of the same run was given.</summary>
    public PublishedLoad? PublishedLoadOf(InferenceMeasurement m) => _published.TryGetValue(RunKey(m), out var load) ? load : null;

    // One published run: the same source, system, formats, lengths and targets.
    private static (string, string, string, int?, string, string, double?, double?, double?, double?) RunKey(InferenceMeasurement m) =>
        (m.Source, m.Model, m.Hardware, m.Devices, m.Framework, m.Precision, m.InputTokens, m.OutputTokens, m.TtftTargetSeconds, m.TpotTargetSeconds);

    /// <summary>
    /// Starts on the thread pool the simulations of a capacity row that do not wait on one another: the roofline's search of
    /// the row's split and, when its run has a latency row and a published load, the run at that load. The row's thread
    /// then runs or reads the calibrated search and reads the others from their memos (each a <see cref="Lazy{T}"/>, so each
    /// runs once whichever thread gets to it first, and a failure reaches the row that reads it, as on one thread): the
    /// results are those of one thread, and a Server run's three simulations no longer follow one another on one core.
    /// </summary>
    private void StartCapacityRun(ResolvedInferenceRow r, CancellationToken cancel)
    {
        _ = Task.Run(() => Simulate(r, Roofline.Instance, cancel), cancel);
        if (_latencyRuns.Contains(RunKey(r.Row)) && PublishedLoadOf(r.Row) is { } load)
        {
            _ = Task.Run(() => AtLoad(r, Model, load.RequestsPerSecond / r.Replicas, cancel), cancel);
        }
    }

    /// <summary>
    /// A capacity row's latency at the load its source ran, beside the capacity search's latency at its own capacity (the
    /// prediction, <paramref name="atCapacity"/>): <see cref="RowPrediction.AtPublishedLoad"/> and a note, when a throughput
    /// row of the same run gives the load; else the note says there is none (docs/methodology-serving.md, "Latency at the
    /// published load").
    /// </summary>
    private RowPrediction AtPublishedLoad(ResolvedInferenceRow r, RowPrediction atCapacity, CancellationToken cancel)
    {
        if (r.Row.Scenario != "capacity" || r.BaseMetric is not ("ttft_ms" or "tpot_ms" or "e2e_ms"))
        {
            return atCapacity;
        }
        if (PublishedLoadOf(r.Row) is not { } load)
        {
            return atCapacity with { Note = atCapacity.Note + "; no throughput row of the same run gives the load it ran at, so there is no latency at the published load" };
        }
        var rate = load.RequestsPerSecond / r.Replicas;
        var sim = AtLoad(r, Model, rate, cancel);
        var value = Value(sim, r.Row.Metric);
        var served = sim.Throughput.ServedFraction < CapacitySearch.KeepUpFraction
            ? $", where the simulated replica computes {Show.N(sim.Throughput.ServedFraction * 100, 0)}% of the work offered, so its queue grows through the run"
            : "";
        var window = r.Row.MinDurationSeconds is { } run
            ? $"over the run's {Show.N(run, 0)} s of arrivals, every request measured as LoadGen measures them"
            : "in the capacity probe's window";
        var note = $"; at the published load ({Show.N(load.RequestsPerSecond, 2)} requests/s: {load.Id}'s measured throughput over the mean output length, "
            + $"{Show.N(rate, 2)} per replica, {window}) it is {Show.Sig(value, 4)}{served}";
        return atCapacity with { Note = atCapacity.Note + note, AtPublishedLoad = value };
    }

    // A Server run's p99 TTFT and p99 TPOT rows read two metrics of one run at one load: it is simulated once (Lazy), keyed on
    // everything AtLoad reads (the output lengths scale to the row's unrounded mean, so that is in the key too, and the
    // run's length when the row states it). A cancelled run is dropped, not kept for later callers (CancellableMemo).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Deployment, double, int, int, double?, double?, string, double?, double?, double?, EngineConfig, Speculation?, IStepTimeModel), Lazy<ServingResult>> _atLoad = new();

    /// <summary>
    /// One Poisson run at a replica's share of the published load: as long as the source's run when the row states its
    /// <see cref="InferenceMeasurement.MinDurationSeconds"/>, every request measured from an empty replica (LoadGen's
    /// percentiles cover every query of the run, the first ones included); else with the arrivals of a capacity probe
    /// (<see cref="BenchmarkWindow.Probe"/>).
    /// </summary>
    private ServingResult AtLoad(ResolvedInferenceRow r, IStepTimeModel stepModel, double rate, CancellationToken cancel)
    {
        var m = r.Row;
        var key = (r.Deployment, rate, r.Input, r.Output, m.InputTokens, m.OutputTokens, m.Lengths, m.TtftTargetSeconds, m.TpotTargetSeconds, m.MinDurationSeconds, EngineFor(r), r.Speculation, stepModel);
        return CancellableMemo.Once(_atLoad, key, () => RunAtLoad(r, stepModel, rate, cancel), cancel);
    }

    private ServingResult RunAtLoad(ResolvedInferenceRow r, IStepTimeModel stepModel, double rate, CancellationToken cancel)
    {
        var input = r.InputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Input), "input_tokens");
        var output = r.OutputLengths ?? LengthDistribution.Fixed(Math.Max(1, r.Output), "output_tokens");
        var targets = ServingTargets.FromSeconds(r.Row.TtftTargetSeconds, r.Row.TpotTargetSeconds, null, Percentile.P99);
        var workload = r.Row.MinDurationSeconds is { } run
            ? Workload.Poisson(rate, input, output, 1, Workload.MaxRequests, Duration.FromSeconds(run)) with { WarmupFraction = 0 }
            : BenchmarkWindow.Probe(Workload.Poisson(rate, input, output, 1, Workload.MaxRequests, CapacityDuration), r.Deployment, stepModel, targets);
        return ServingSimulator.Run(r.Deployment, workload, EngineFor(r), stepModel, targets, r.Speculation, cancel);
    }

    private static double Value(ServingResult s, string metric)
    {
        var summary = BaseMetric(metric) switch { "ttft_ms" => s.Ttft, "tpot_ms" => s.Tpot, _ => s.E2e };
        return metric.EndsWith("_p99", StringComparison.Ordinal) ? summary.P99.InMilliseconds
            : metric.EndsWith("_p90", StringComparison.Ordinal) ? summary.P90.InMilliseconds
            : summary.Mean.InMilliseconds;
    }

    /// <summary>The capacity search's limiting target in words.</summary>
    private static string LimitText(string? limiting) => limiting switch
    {
        "tpot" => "p99 TPOT",
        "ttft" => "p99 TTFT",
        "e2e" => "p99 end-to-end latency",
        "throughput" => "throughput (the replica falls behind the arrivals)",
        null or "none" => "nothing within the search's range",
        _ => limiting,
    };
}
