using System.Globalization;
using Suanli.Catalog;
using Suanli.Quantities;

namespace Suanli.Training;

/// <summary>A predicted metric of a training measurement row, or null with the reason.</summary>
/// <param name="Value">The prediction in the metric's unit (percent for mfu), null when the row lacks an input.</param>
/// <param name="Note">The assumptions used (defaults filled in) or why there is no value.</param>
public sealed record TrainingPrediction(double? Value, string Note);

/// <summary>
/// Predicts a row of validation/measurements/training.csv from its inputs only (model, hardware, devices,
/// precision, tokens, sequence length), never from the measured value: the entry point for validation.
/// </summary>
public static class TrainingPredictor
{
    /// <summary>The metrics the predictor answers (training.csv format B).</summary>
    public static IReadOnlyList<string> Metrics { get; } = ["train_flops", "gpu_hours", "train_days", "train_minutes", "tflops_per_gpu", "mfu", "energy_mwh", "tokens_per_s"];

    /// <summary>Sequence length assumed when a row leaves it empty: the 4,096-token pretraining length of Llama 2 and DeepSeek-V3, capped at the model's context.</summary>
    public const int DefaultSeqLen = 4096;

    /// <summary>
    /// Predicts <paramref name="metric"/>: train_flops (FLOPs), gpu_hours, train_days, train_minutes, tflops_per_gpu
    /// (achieved TFLOP/s per device), mfu (percent), energy_mwh (device board power x device-hours, no PUE, as the
    /// BLOOM estimate counts it), tokens_per_s (whole job). Empty inputs are filled with stated defaults: precision bf16,
    /// sequence length <see cref="DefaultSeqLen"/>, devices <see cref="UtilisationModel.DefaultDevices"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="device">The device type.</param>
    /// <param name="devices">Devices in the job; null or less than 1 when not stated.</param>
    /// <param name="precision">Training precision; null when not stated.</param>
    /// <param name="trainTokens">Trained tokens; 0, negative or NaN when not stated (time, FLOP and energy metrics then have no value).</param>
    /// <param name="seqLen">Sequence length; 0 or less when not stated.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="utilisation">The MFU model; null uses <see cref="UtilisationModel.Fitted"/>.</param>
    public static TrainingPrediction Predict(ModelEntry model, Device device, int? devices, NumberFormat? precision, double trainTokens, int seqLen, string metric, UtilisationModel? utilisation = null)
    {
        var u = utilisation ?? UtilisationModel.Fitted;
        var notes = new List<string>();
        var a = model.Architecture;
        if (seqLen <= 0)
        {
            seqLen = a.MaxContext > 0 ? Math.Min(a.MaxContext, DefaultSeqLen) : DefaultSeqLen;
            notes.Add(I($"seq_len assumed {seqLen}"));
        }
        if (precision is null)
        {
            precision = NumberFormat.Bf16;
            notes.Add("precision assumed bf16");
        }
        var n = devices is > 0 ? devices.Value : u.DefaultDevices;
        if (devices is not > 0)
        {
            notes.Add(I($"devices assumed {n} for the MFU scale term"));
        }
        var (compute, peak) = TrainingPlanner.Peak(device, precision);
        var mfu = u.Mfu(compute, n);
        var perToken = TrainingCompute.ModelPerToken(a, seqLen);
        notes.Add(I($"{perToken.Value:E3} FLOP/token, MFU {mfu:0.000} of {peak.InTeraflopPerSecond:0} TFLOP/s {compute.ToString().ToLowerInvariant()}"));
        var note = string.Join("; ", notes);
        var hasTokens = double.IsFinite(trainTokens) && trainTokens > 0;
        var achieved = peak * mfu;

        double? Time(Func<Duration, double> unit)
        {
            if (!hasTokens)
            {
                return null;
            }
            var deviceSeconds = perToken * trainTokens / achieved;
            return unit(deviceSeconds / n);
        }

        double? value = metric switch
        {
            "train_flops" => hasTokens ? (perToken * trainTokens).Value : null,
            "gpu_hours" => Time(d => d.InHours * n),
            "train_days" => Time(d => d.InDays),
            "train_minutes" => Time(d => d.InMinutes),
            "tflops_per_gpu" => achieved.InTeraflopPerSecond,
            "mfu" => mfu * 100,
            "energy_mwh" => device.Tdp is { } tdp ? Time(d => (tdp * (d * n)).InMegawattHours) : null,
            "tokens_per_s" => (achieved * n).Value / perToken.Value,
            _ => null,
        };
        if (value is null)
        {
            note = !Metrics.Contains(metric) ? $"unknown metric '{metric}'; use one of {string.Join(", ", Metrics)}"
                : metric == "energy_mwh" && device.Tdp is null ? $"{device.Id} has no TDP in the catalog"
                : "train_tokens is needed for " + metric;
        }
        return new TrainingPrediction(value, note);
    }

    private static string I(FormattableString s) => FormattableString.Invariant(s);
}
