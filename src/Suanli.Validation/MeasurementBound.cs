using System.Globalization;
using Suanli.Catalog;
using Suanli.Footprint;
using Suanli.Text;

namespace Suanli.Validation;

/// <summary>
/// The physical ceiling of a published rate: a token's forward pass runs every active weight of the transformer blocks
/// through one multiply-add, 2 FLOPs per weight (training adds the backward pass's 4, Kaplan et al. 2020,
/// arXiv:2001.08361, section 2.1), and no device computes faster than the fastest dense peak its datasheet states.
/// So n devices produce at most n x that peak / (2 x the active block weights) tokens a second; a row claiming more
/// (1e308 tokens/s, or tokens per minute written as per second) has a wrong unit, device count or model, and is refused
/// at its <c>value</c> cell instead of entering the errors (validation/measurements/README.md, "Values that cannot be measured").
/// </summary>
internal static class MeasurementBound
{
    /// <summary>The row refused at its value cell when the value exceeds the ceiling; null when within it or not bounded (latencies, times, unknown names).</summary>
    public static InputException? Refuse(SuanliCatalog catalog, MeasurementRow row)
    {
        if (!catalog.TryModel(row.Model, out var model) || model is null || !catalog.TryDevice(row.Hardware, out var device) || device is null
            || device.Peak.Count == 0 || row.Devices is not { } devices)
        {
            return null;
        }
        var a = model.Architecture;
        var count = ParameterCount.Of(a);
        // The LM head runs once a request in prefill (only the last position's logits), so it is left out of every token's cost.
        var head = count.LmHead > 0 ? count.LmHead : count.Embedding - a.Extras.LearnedPositions * (double)a.HiddenSize;
        var weights = count.ActiveMatmul(a) - head;
        var peak = device.Peak.Values.Max(r => r.Value);
        if (weights <= 0 || peak <= 0)
        {
            return null;
        }
        var training = row is TrainingMeasurement;
        var flopPerToken = (training ? 6 : 2) * weights;
        var tokensPerSecond = devices * peak / flopPerToken;
        double? ceiling = row switch
        {
            InferenceMeasurement m => InferencePredictor.BaseMetric(m.Metric) switch
            {
                "output_tokens_per_s" or "total_tokens_per_s" or "prefill_tokens_per_s" => tokensPerSecond,
                "requests_per_s" => tokensPerSecond / Math.Max(1, (m.InputTokens ?? 0) + (m.OutputTokens ?? 0)),
                _ => null,
            },
            _ => row.Metric switch
            {
                "tokens_per_s" => tokensPerSecond,
                "tflops_per_gpu" => peak / 1e12,
                "mfu" => 100,
                _ => null,
            },
        };
        if (ceiling is not { } most || row.Value <= most)
        {
            return null;
        }
        string N(double v) => v.ToString(v >= 100 ? "N0" : "G4", CultureInfo.InvariantCulture);
        if (row.Metric is "tflops_per_gpu" or "mfu")
        {
            return new InputException("value", Phrase.Of("measurement-value-impossible#peak",
                "Column 'value' is {value} {metric}, more than a {device} can reach: at most {most} (its fastest dense peak is {peak} TFLOP/s; mfu is a percentage of that peak). Check the unit and the hardware; a value this large is not a measurement.",
                ("value", Clip(row.Value)), ("metric", row.Metric), ("device", device.Id), ("most", N(most)), ("peak", N(peak / 1e12))), row.ValueLocation);
        }
        return new InputException("value", Phrase.Of("measurement-value-impossible",
            "Column 'value' is {value} {metric}, more than {devices} x {device} can reach: at most {most} ({devices} x {peak} TFLOP/s, the device's fastest dense peak, over {flop} FLOPs a token for {weights} active block weights). Check the unit (the whole system, per second), the 'devices' column and the model; a value this large is not a measurement.",
            ("value", Clip(row.Value)), ("metric", row.Metric), ("devices", devices), ("device", device.Id), ("most", N(most)),
            ("peak", N(peak / 1e12)), ("flop", N(flopPerToken / weights)), ("weights", N(weights))), row.ValueLocation);
    }

    private static string Clip(double v) => v.ToString(v >= 1e9 ? "G4" : "N2", CultureInfo.InvariantCulture);
}
