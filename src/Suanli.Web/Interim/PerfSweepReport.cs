using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.IO.Reports;
using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Web.Interim;

/// <summary>One batch size of the sweep. Times in seconds, rates in tokens per second.</summary>
/// <param name="Batch">Sequences decoding together.</param>
/// <param name="PrefillSeconds">Time of the prefill step of one prompt (time to first token with an idle engine).</param>
/// <param name="DecodeStepSeconds">Time of one decode step of the whole batch at the mean context (time per output token).</param>
/// <param name="OutputTokensPerSecond">Output tokens per second of the copy: batch / decode step.</param>
/// <param name="TokensPerSecondPerSequence">Output tokens per second one user sees: 1 / decode step.</param>
/// <param name="EndToEndSeconds">Prefill plus output tokens x decode step.</param>
/// <param name="Bottleneck">What limits the decode step.</param>
/// <param name="Fits">Whether weights plus this batch's KV cache fit the devices' usable memory.</param>
public sealed record PerfRowJson(int Batch, double PrefillSeconds, double DecodeStepSeconds, double OutputTokensPerSecond,
    double TokensPerSecondPerSequence, double EndToEndSeconds, string Bottleneck, bool Fits);

/// <summary>The JSON document of the interim perf sweep.</summary>
public sealed record PerfSweepJson
{
    /// <summary>Catalog id of the model.</summary>
    public required string Model { get; init; }
    /// <summary>Device id.</summary>
    public required string Hardware { get; init; }
    /// <summary>Devices of the copy.</summary>
    public required int Devices { get; init; }
    /// <summary>Tensor-parallel degree.</summary>
    public required int Tp { get; init; }
    /// <summary>Pipeline stages.</summary>
    public required int Pp { get; init; }
    /// <summary>Weight format.</summary>
    public required string Precision { get; init; }
    /// <summary>KV-cache format.</summary>
    public required string KvPrecision { get; init; }
    /// <summary>Prompt tokens per request.</summary>
    public required int Prompt { get; init; }
    /// <summary>Output tokens per request.</summary>
    public required int Output { get; init; }
    /// <summary>The step-time model's name (the uncalibrated roofline until the calibrated model is registered).</summary>
    public required string StepTimeModel { get; init; }
    /// <summary>Largest batch of the sweep that fits memory (0: none).</summary>
    public required int MaxBatchThatFits { get; init; }
    /// <summary>One row per batch size: 1, 2, 4 ... 256.</summary>
    public required IReadOnlyList<PerfRowJson> Rows { get; init; }
    /// <summary>Findings.</summary>
    public required IReadOnlyList<FindingJson> Findings { get; init; }
}

/// <summary>
/// Interim throughput-versus-latency sweep over batch sizes for the web page, computed from the registered
/// <see cref="IStepTimeModel"/> with pure prefill and pure decode steps. The <c>suanli perf</c> report builder
/// (Suanli.IO/Reports) replaces it when it lands; the endpoint then calls that builder instead.
/// </summary>
public static class PerfSweepReport
{
    /// <summary>Batch sizes of the sweep.</summary>
    public static IReadOnlyList<int> Batches { get; } = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>Builds the sweep; checks <paramref name="cancel"/> between rows.</summary>
    public static Report Build(IStepTimeModel model, Deployment deployment, int prompt, int output, RuntimeReserve reserve, CancellationToken cancel)
    {
        // Decode steps see, on average, the prompt plus half the output already cached.
        var meanContext = prompt + output / 2.0;
        var prefill = model.Estimate(deployment, StepShape.Prefill(prompt));
        var rows = new List<PerfRowJson>();
        foreach (var batch in Batches)
        {
            cancel.ThrowIfCancellationRequested();
            var decode = model.Estimate(deployment, StepShape.Decode(batch, meanContext));
            var step = decode.Time;
            var request = new FootprintRequest(deployment.Model, deployment.Weights, deployment.Kv, prompt + output, batch, reserve);
            var fits = MemoryModel.OnDevice(request, deployment.Layout, deployment.Device.Memory, reserve.MemoryUtilization).Fits;
            rows.Add(new PerfRowJson(batch, prefill.Time.InSeconds, step.InSeconds,
                PerSecond(batch, step), PerSecond(1, step), (prefill.Time + step * output).InSeconds,
                decode.Bottleneck.ToString(), fits));
        }
        var maxFit = rows.Where(r => r.Fits).Select(r => r.Batch).DefaultIfEmpty(0).Max();
        var findings = new List<Finding>();
        if (model is Roofline)
        {
            findings.Add(Finding.Info("uncalibrated-roofline",
                "Step times are the uncalibrated roofline (dense peak and full memory bandwidth, no communication or overhead): a lower bound on latency and an upper bound on throughput that real engines do not reach."));
        }
        if (maxFit == 0)
        {
            findings.Add(Finding.Error("does-not-fit",
                $"{deployment.Model.Id} with one sequence of {Show.N(prompt + output)} tokens does not fit {deployment.Layout.Devices} x {deployment.Device.Id} ({deployment.Layout}); the rows show time only. Add devices or use a lower precision."));
        }
        else if (maxFit < Batches[^1])
        {
            findings.Add(Finding.Warn("batch-limited-by-memory",
                $"Batches above {maxFit} do not fit the KV cache of {Show.N(prompt + output)}-token sequences on {deployment.Layout.Devices} x {deployment.Device.Id}; those rows are marked fits=false."));
        }
        findings.Sort((x, y) => y.Severity.CompareTo(x.Severity));

        var json = new PerfSweepJson
        {
            Model = deployment.Model.Id,
            Hardware = deployment.Device.Id,
            Devices = deployment.Layout.Devices,
            Tp = deployment.Layout.Tp,
            Pp = deployment.Layout.Pp,
            Precision = deployment.Weights.Name,
            KvPrecision = deployment.Kv.Name,
            Prompt = prompt,
            Output = output,
            StepTimeModel = model.GetType().Name,
            MaxBatchThatFits = maxFit,
            Rows = rows,
            Findings = FindingJson.Of(findings),
        };
        var table = new ReportTable("Throughput and latency by batch size",
            ["Batch", "Prefill (ms)", "Decode step (ms)", "Output tokens/s", "Tokens/s per sequence", "End to end (s)", "Bottleneck", "Fits"],
            [.. rows.Select(r => (IReadOnlyList<string>)[
                Show.N(r.Batch), Show.Sig(r.PrefillSeconds * 1000), Show.Sig(r.DecodeStepSeconds * 1000), Show.Sig(r.OutputTokensPerSecond),
                Show.Sig(r.TokensPerSecondPerSequence), Show.Sig(r.EndToEndSeconds), r.Bottleneck, r.Fits ? "yes" : "no"])]);
        var title = $"{deployment.Model.Id} ({deployment.Weights.Name}) on {deployment.Layout.Devices} x {deployment.Device.Id} ({deployment.Layout}), prompt {Show.N(prompt)} + output {Show.N(output)} tokens";
        return new Report(title, json, [table], findings);
    }

    private static double PerSecond(int tokens, Duration step) => step.InSeconds > 0 ? tokens / step.InSeconds : 0;
}
