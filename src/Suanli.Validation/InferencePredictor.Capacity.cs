using Suanli.Files;
using Suanli.Footprint;
using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

public sealed partial class InferencePredictor
{
    /// <summary>Resolves names, formats, engine, layout and batch (<see cref="InferenceRowResolver"/>); null with a reason when the row cannot be predicted.</summary>
    /// <param name="m">The row.</param>
    /// <param name="skip">Why the row cannot be predicted, when it cannot.</param>
    /// <param name="cancel">Stops a capacity row's choice of split (<see cref="CapacityLayouts.For"/>), the one part of resolving that simulates.</param>
    public ResolvedInferenceRow? Resolve(InferenceMeasurement m, out string? skip, CancellationToken cancel = default) =>
        new InferenceRowResolver(catalog, calibration, Chooser) { Cancel = cancel }.Resolve(m, out skip);

    private InferencePredictor? _chooser;

    /// <summary>
    /// The predictor that searches the capacity of each split of a capacity row with no stated split: this one when its
    /// model is the calibration that chooses splits, else one over it, so that the choice does not move with the
    /// parameters being fitted (as the throughput choice does not).
    /// </summary>
    private InferencePredictor Chooser => LazyInitializer.EnsureInitialized(ref _chooser, () => Model is CalibratedStepTimeModel c && ReferenceEquals(c.Calibration, calibration)
        ? this : new InferencePredictor(catalog, new CalibratedStepTimeModel(calibration), calibration));

    /// <summary>
    /// A capacity row's requests per second (whole system) at the largest load meeting its p99 targets under this
    /// predictor's model; null when no load meets them or the simulator cannot run the row.
    /// </summary>
    /// <param name="r">The resolved capacity row.</param>
    /// <param name="cancel">Stops the capacity search (an <see cref="OperationCanceledException"/>) inside its current probe.</param>
    public double? CapacityOf(ResolvedInferenceRow r, CancellationToken cancel = default)
    {
        if (r.Row.Scenario != "capacity")
        {
            throw new ArgumentException($"row {r.Row.Id} is a {r.Row.Scenario} row, not a capacity row", nameof(r));
        }
        try
        {
            return Simulate(r, Model, cancel).Values.TryGetValue("max_requests_per_s", out var v) && v > 0 ? v : null;
        }
        catch (InputException)
        {
            return null;
        }
    }

    /// <summary>
    /// A capacity row's bound from the steady state (requests/s, whole system): <see cref="SteadyState.At"/> at the largest
    /// batch a paged KV cache could ever hold (every sequence with only its prompt and one token, as
    /// <see cref="Plan.AnalyticCapacityBound.Bound"/> sizes it), within the sequence cap of the engine the row's capacity
    /// search uses, under this predictor's model, times <see cref="SteadyMargin"/>: a replica that meets latency targets
    /// carries no more than it completes with its batch full (<see cref="CapacityLayouts"/>).
    /// </summary>
    public double SteadyRequestRate(ResolvedInferenceRow r)
    {
        var engine = EngineFor(r);
        var d = r.Deployment;
        var request = new FootprintRequest(d.Model, d.Weights, d.Kv, Math.Max(1, r.Input + 1), 1, EngineConfig.ReserveFor(d.Engine, d.Device, engine.MaxBatchedTokens));
        var room = MemoryModel.OnDevice(request, d.Layout, d.Device.Memory, request.Reserve.MemoryUtilization).MaxSequences;
        var limit = Math.Min((long)engine.MaxNumSeqs * ExpertParallelChoice.LimitScale(d.Layout, d.Engine), FootprintRequest.MaxBatch);
        var batch = (int)Math.Clamp(room, 1, limit);
        var steady = SteadyState.At(Model, d, Math.Max(1, r.Input), Math.Max(1, r.Output), batch, engine.MaxBatchedTokens);
        return SteadyMargin * steady.OutputTokensPerSecond.Value * r.Replicas / Math.Max(1, r.Output);
    }

    /// <summary>
    /// Factor on the steady-state bound: the steady state costs each step's prompt work at the mean context, where the
    /// simulator's steps vary, and the simulated capacity of Llama-2-70B in FP8 on 8 x H100 at MLPerf's targets exceeded
    /// the unscaled steady state by up to 1.3% (2 x TP=4: 74.8 against 73.9 requests/s; <c>CapacityLayoutChoiceTests</c>); 1.1
    /// covers that with room, and each row's note prints the largest capacity / bound among the splits searched.
    /// </summary>
    public const double SteadyMargin = 1.1;
}
