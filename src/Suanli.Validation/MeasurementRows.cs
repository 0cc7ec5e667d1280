using System.Globalization;

namespace Suanli.Validation;

/// <summary>A published measurement: one row of a measurement file (validation/measurements/README.md).</summary>
/// <param name="Id">Row id.</param>
/// <param name="Model">Model as written (Hugging Face repo id or clear id).</param>
/// <param name="Hardware">Device id as written.</param>
/// <param name="Devices">Devices the value covers (training rows may leave it empty: not stated by the source).</param>
/// <param name="Precision">Weight precision as written (empty when unknown).</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Value">The published value, whole system.</param>
/// <param name="Source">Citation.</param>
/// <param name="Note">Interpretation notes.</param>
/// <param name="Location">File and line of the row.</param>
public abstract record MeasurementRow(string Id, string Model, string Hardware, int? Devices, string Precision, string Metric, double Value,
    string Source, string Note, SourceLocation Location)
{
    /// <summary>Where the <c>value</c> cell is (file, line and column), for an error about the value itself; the row's start when not read from a file.</summary>
    public SourceLocation ValueLocation { get => _valueLocation ?? Location; init => _valueLocation = value; }

    private readonly SourceLocation? _valueLocation;
}

/// <summary>A serving or decoding measurement (format A).</summary>
/// <param name="Id">Row id.</param>
/// <param name="Model">Model.</param>
/// <param name="Hardware">Device id.</param>
/// <param name="Devices">Devices.</param>
/// <param name="Precision">Weight precision.</param>
/// <param name="KvPrecision">KV-cache precision, empty when not stated.</param>
/// <param name="Framework">trtllm, vllm, sglang, llamacpp, nim-trtllm, nim-vllm, pytorch or other.</param>
/// <param name="Scenario">offline, batch, concurrency, rate or capacity.</param>
/// <param name="Concurrency">Clients or batch size, when stated.</param>
/// <param name="RequestRate">Requests per second, when stated.</param>
/// <param name="InputTokens">Mean prompt tokens, when stated (a dataset mean may be fractional).</param>
/// <param name="OutputTokens">Mean output tokens, when stated (a dataset mean may be fractional).</param>
/// <param name="Metric">Metric.</param>
/// <param name="Value">Value.</param>
/// <param name="Source">Citation.</param>
/// <param name="Note">Notes.</param>
/// <param name="Location">Where the row is.</param>
public sealed record InferenceMeasurement(string Id, string Model, string Hardware, int? Devices, string Precision, string KvPrecision,
    string Framework, string Scenario, int? Concurrency, double? RequestRate, double? InputTokens, double? OutputTokens,
    string Metric, double Value, string Source, string Note, SourceLocation Location)
    : MeasurementRow(Id, Model, Hardware, Devices, Precision, Metric, Value, Source, Note, Location)
{
    /// <summary>p99 time-to-first-token target of a capacity row, seconds (<c>ttft_target_s</c>), when stated.</summary>
    public double? TtftTargetSeconds { get; init; }

    /// <summary>p99 time-per-output-token target of a capacity row, seconds (<c>tpot_target_s</c>), when stated.</summary>
    public double? TpotTargetSeconds { get; init; }

    /// <summary>
    /// The replica layout the source states (optional columns <c>tp</c>, <c>pp</c>, <c>ep</c>, <c>replicas</c>); null
    /// when the row pins none and the predictor chooses the split as an operator would.
    /// </summary>
    public PinnedLayout? Layout { get; init; }

    /// <summary>The name of the request-length distribution the benchmark drew from (optional column <c>lengths</c>), or empty for fixed lengths at the means.</summary>
    public string Lengths { get; init; } = "";

    /// <summary>Most sequences one replica runs at once as the source configured it (optional column <c>max_num_seqs</c>: vLLM <c>max_num_seqs</c>, TensorRT-LLM <c>max_batch_size</c>); null: the engine's default.</summary>
    public int? MaxNumSeqs { get; init; }

    /// <summary>Most tokens in one step as the source configured it (optional column <c>max_num_tokens</c>: TensorRT-LLM <c>max_num_tokens</c>, vLLM <c>max_num_batched_tokens</c>); null: the engine's default.</summary>
    public int? MaxNumTokens { get; init; }

    /// <summary>Whether the source ran with chunked prefill (optional column <c>chunked_prefill</c>, <c>true</c> or <c>false</c>); null: the engine's default.</summary>
    public bool? ChunkedPrefill { get; init; }

    /// <summary>
    /// Whether the source's engine reserved KV for whole sequences at admission (optional column
    /// <c>capacity_scheduler</c>: <c>guaranteed_no_evict</c> true, <c>max_utilization</c> false, TensorRT-LLM's
    /// <c>capacity_scheduler_policy</c>); null: the engine's default (<see cref="Serving.EngineConfig.ReserveWholeSequence"/>).
    /// </summary>
    public bool? ReserveWholeSequence { get; init; }

    /// <summary>
    /// Seconds a harness in front of the engines collected queries before handing them to the next replica in turn
    /// (optional column <c>batcher_window_s</c>: AMD's MLPerf Server harness <c>batcher_threshold</c>); null: no harness
    /// batching (<see cref="Serving.EngineConfig.Batcher"/>).
    /// </summary>
    public double? BatcherWindowSeconds { get; init; }

    /// <summary>
    /// Seconds of arrivals the source's Server run lasted at least (optional column <c>min_duration_s</c>: MLPerf
    /// LoadGen's <c>min_duration</c> as the submitter's configuration set it, every query of the run measured); null:
    /// the latency at the published load is simulated in a capacity probe's window (<see cref="Serving.BenchmarkWindow.Probe"/>).
    /// </summary>
    public double? MinDurationSeconds { get; init; }

    /// <summary>
    /// Whether a harness sent each request to the replica with the fewest requests in flight (optional column
    /// <c>dispatch</c>: <c>least_busy</c> true, NVIDIA's MLPerf LLM harness default; <c>random</c> false); null: the
    /// load is split evenly at random (<see cref="Serving.EngineConfig.Dispatch"/>).
    /// </summary>
    public bool? LeastBusyDispatch { get; init; }

    /// <summary>
    /// Speculative decoding as the source ran it (optional columns <c>speculation</c>, <c>draft_tokens</c>,
    /// <c>acceptance_length</c>); null: none.
    /// </summary>
    public StatedSpeculation? Speculation { get; init; }
}

/// <summary>Speculative decoding stated by a measurement's source (validation/measurements/README.md, "Speculative decoding").</summary>
/// <param name="Kind">mtp, eagle or draft.</param>
/// <param name="DraftModel">The draft model's name for <c>draft:MODEL</c>; empty otherwise.</param>
/// <param name="DraftTokens">Tokens proposed per sequence per step, k (1 to 16).</param>
/// <param name="AcceptanceLength">Mean tokens emitted per sequence per verify step, the target's own token included
/// (TensorRT-LLM's and SGLang's "acceptance length", EAGLE's tau): more than 1 and less than k + 1.</param>
public sealed record StatedSpeculation(string Kind, string DraftModel, int DraftTokens, double AcceptanceLength)
{
    /// <summary>
    /// The per-token acceptance probability a whose expected tokens per step (1 - a^(k+1)) / (1 - a) (Leviathan et al.,
    /// arXiv:2211.17192, equation 1) equal <see cref="AcceptanceLength"/>, by bisection (the sum rises with a).
    /// </summary>
    public double Acceptance
    {
        get
        {
            double lo = 0, hi = 1;
            for (var i = 0; i < 200; i++)
            {
                var mid = (lo + hi) / 2;
                if ((1 - Math.Pow(mid, DraftTokens + 1)) / (1 - mid) < AcceptanceLength)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }
            return (lo + hi) / 2;
        }
    }

    /// <summary>Short label, e.g. "mtp k=3, acceptance length 2.82".</summary>
    public override string ToString() =>
        $"{(Kind == "draft" ? "draft:" + DraftModel : Kind)} k={DraftTokens.ToString(CultureInfo.InvariantCulture)}, acceptance length {AcceptanceLength.ToString("0.###", CultureInfo.InvariantCulture)}";
}

/// <summary>A replica layout stated by a measurement's source: tensor- and pipeline-parallel degrees, expert parallelism and replicas.</summary>
/// <param name="Tp">Tensor-parallel degree of one replica.</param>
/// <param name="Pp">Pipeline stages of one replica.</param>
/// <param name="Ep">Expert-parallel degree (null: the default for the TP degree).</param>
/// <param name="Replicas">Data-parallel replicas (null: devices / (TP x PP)).</param>
public sealed record PinnedLayout(int Tp, int Pp, int? Ep, int? Replicas);

/// <summary>A training measurement (format B).</summary>
/// <param name="Id">Row id.</param>
/// <param name="Model">Model.</param>
/// <param name="Hardware">Device id.</param>
/// <param name="Devices">Devices.</param>
/// <param name="Precision">Precision (may be empty).</param>
/// <param name="TrainTokens">Training tokens, when stated.</param>
/// <param name="SequenceLength">Sequence length, when stated.</param>
/// <param name="Metric">Metric.</param>
/// <param name="Value">Value.</param>
/// <param name="Source">Citation.</param>
/// <param name="Note">Notes.</param>
/// <param name="Location">Where the row is.</param>
public sealed record TrainingMeasurement(string Id, string Model, string Hardware, int? Devices, string Precision, double? TrainTokens,
    int? SequenceLength, string Metric, double Value, string Source, string Note, SourceLocation Location)
    : MeasurementRow(Id, Model, Hardware, Devices, Precision, Metric, Value, Source, Note, Location);

/// <summary>The rows of one measurement file, and the rows that could not be read (each with file, line and column).</summary>
/// <param name="Path">The file.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Problems">Rows refused, with where and why.</param>
public sealed record MeasurementFile(string Path, IReadOnlyList<MeasurementRow> Rows, IReadOnlyList<InputException> Problems);
