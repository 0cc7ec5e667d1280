using Suanli.Serving;
using Suanli.StepTime;

namespace Suanli.Validation;

/// <summary>What a predictor says about one measurement row.</summary>
/// <param name="Predicted">The predicted value in the row's unit, or null when skipped.</param>
/// <param name="Roofline">The pure roofline's value for the same row (efficiency 1, no overhead), when it applies.</param>
/// <param name="Note">How the row was predicted (assumptions, batch used).</param>
/// <param name="Skipped">Why the row could not be predicted (null when predicted).</param>
public sealed record RowPrediction(double? Predicted, double? Roofline, string Note, string? Skipped)
{
    /// <summary>
    /// For a capacity row: the target the next larger load fails on in the capacity search (<c>ttft</c>, <c>tpot</c>,
    /// <c>e2e</c>, <c>throughput</c> or <c>none</c>); null for other rows.
    /// </summary>
    public string? LimitingTarget { get; init; }

    /// <summary>
    /// For a capacity row's latency: the same latency at the load its source ran (the run's throughput row over the mean
    /// output length, <see cref="InferencePredictor.UsePublishedLoads"/>), beside <see cref="Predicted"/> at the capacity
    /// search's own largest passing load; null for other rows and without a throughput row of the same run.
    /// </summary>
    public double? AtPublishedLoad { get; init; }

    /// <summary>A skipped row.</summary>
    public static RowPrediction Skip(string reason) => new(null, null, "", reason);
}

/// <summary>Predicts measurement rows of one kind; plug one in per file format (inference, training).</summary>
public interface IRowPredictor
{
    /// <summary>Predicts a row, or says why it cannot (never throws for unknown names: those are skips).</summary>
    /// <param name="row">The row.</param>
    /// <param name="cancel">Stops a prediction that simulates (an <see cref="OperationCanceledException"/>): a capacity row's search on each candidate split runs minutes.</param>
    RowPrediction Predict(MeasurementRow row, CancellationToken cancel = default);

    /// <summary>
    /// The row refused at its <c>value</c> cell when the value is physically impossible for its model and hardware
    /// (<see cref="MeasurementBound"/>); null when plausible or not checked.
    /// </summary>
    InputException? Refuse(MeasurementRow row) => null;
}

/// <summary>Skips every row with a fixed reason (e.g. a kind of row a run does not validate).</summary>
/// <param name="Reason">The reason printed for each row.</param>
public sealed record SkipPredictor(string Reason) : IRowPredictor
{
    /// <inheritdoc />
    public RowPrediction Predict(MeasurementRow row, CancellationToken cancel = default) => RowPrediction.Skip(Reason);
}

/// <summary>An inference row resolved against the catalog: everything but the step-time parameters.</summary>
/// <param name="Row">The row.</param>
/// <param name="Deployment">Model, device, layout, formats and engine.</param>
/// <param name="Batch">Sequences of the steady state the calibration fit evaluates (batch rows: the stated batch; offline and
/// capacity: the largest that fits memory and the engine's limit; concurrency: the clients; rate: solved by Little's law).</param>
/// <param name="Input">Prompt tokens.</param>
/// <param name="Output">Output tokens.</param>
/// <param name="Chunk">Prefill chunk tokens.</param>
/// <param name="Note">Assumptions made while resolving.</param>
public sealed record ResolvedInferenceRow(InferenceMeasurement Row, Deployment Deployment, int Batch, int Input, int Output, int Chunk, string Note)
{
    /// <summary>Data-parallel replicas of <see cref="Deployment"/> the row's system runs; the load divides over them and throughputs add up.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Prompt lengths the simulation draws (fixed at the rounded mean unless the row names a dataset).</summary>
    public LengthDistribution? InputLengths { get; init; }

    /// <summary>Output lengths the simulation draws (fixed at the rounded mean unless the row names a dataset).</summary>
    public LengthDistribution? OutputLengths { get; init; }

    /// <summary>Speculative decoding the row's replica runs (the source's <c>speculation</c> columns); null: none.</summary>
    public Speculation? Speculation { get; init; }

    /// <summary>The metric without its percentile suffix (<c>ttft_ms_p99</c> gives <c>ttft_ms</c>).</summary>
    public string BaseMetric => InferencePredictor.BaseMetric(Row.Metric);

    /// <summary>True when the row is predicted from one step time (llama-bench style fixed batch, or a prefill speed), false when through the serving simulator.</summary>
    public bool ByStepTime => Row.Scenario == "batch" || BaseMetric == "prefill_tokens_per_s";
}
