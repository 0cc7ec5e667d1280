using Suanli.Catalog;
using Suanli.Quantities;
using Suanli.Text;

namespace Suanli.StepTime;

/// <summary>The steady state of one replica serving requests of fixed input and output length at a fixed batch.</summary>
/// <param name="Batch">Sequences decoding at once.</param>
/// <param name="Prefill">Time to prefill one prompt alone, in chunks (TTFT without queueing).</param>
/// <param name="TimePerOutputToken">Time of one steady-state step: every sequence decodes one token and the prefill of
/// new prompts (batch x input / output tokens per step, on average) rides along, as continuous batching with chunked prefill schedules it;
/// never below <paramref name="DecodeOnly"/>.</param>
/// <param name="DecodeOnly">Time of a pure decode step at the same batch and mean context (no prefill riding along).</param>
/// <param name="OutputTokensPerSecond">Output tokens per second of the replica: batch / time per output token.</param>
/// <param name="Bottleneck">What limits the steady-state step.</param>
/// <param name="Mfu">Model FLOPs utilisation of the steady-state step: arithmetic / (time x dense peak x devices).</param>
/// <param name="Mbu">Memory bandwidth utilisation: bytes moved / (time x bandwidth x devices).</param>
/// <param name="Step">The steady-state step with its parts.</param>
public sealed record ServingEstimate(int Batch, Duration Prefill, Duration TimePerOutputToken, Duration DecodeOnly,
    TokenRate OutputTokensPerSecond, Bottleneck Bottleneck, double Mfu, double Mbu, StepEstimate Step);

/// <summary>
/// Steady-state serving from step times (docs/methodology-steptime.md, "Steady state"). The serving simulator replaces
/// these averages with simulated queues; until then validation and <c>suanli perf</c> use them.
/// </summary>
public static class SteadyState
{
    /// <summary>
    /// Time to prefill a prompt of <paramref name="tokens"/> tokens in chunks of <paramref name="chunk"/>, each chunk
    /// sharing its step with <paramref name="decoding"/> sequences that decode at mean context <paramref name="decodeContext"/>.
    /// </summary>
    public static Duration Prefill(IStepTimeModel model, Deployment deployment, int tokens, int chunk, int decoding = 0, double decodeContext = 0)
    {
        Guard.InRange(tokens, 1, Footprint.FootprintRequest.MaxContext, FieldNames.Input);
        Guard.InRange(chunk, 1, Footprint.FootprintRequest.MaxContext, "prefill chunk");
        var total = 0.0;
        for (var done = 0; done < tokens; done += chunk)
        {
            var n = Math.Min(chunk, tokens - done);
            total += model.Estimate(deployment, new StepShape(n, done, decoding, decodeContext)).Time.Value;
        }
        return Duration.FromSeconds(total);
    }

    /// <summary>
    /// Output tokens per second per device of <paramref name="deployment"/> in the steady state at the largest batch its
    /// memory holds for <paramref name="request"/> (sized with the engine's reserve), at most the engine's
    /// <paramref name="maxNumSeqs"/> per attention rank (<see cref="ExpertParallelChoice.LimitScale"/>): the rule by which
    /// <c>perf</c> and <c>suanli validate</c> choose a system's split for throughput (docs/methodology-serving.md, "Whole systems").
    /// </summary>
    public static double PerDeviceAtLargestBatch(IStepTimeModel model, Deployment deployment, Footprint.FootprintRequest request, int input, int output,
        int maxNumSeqs, int maxBatchedTokens)
    {
        var layout = deployment.Layout;
        var sequences = Footprint.MemoryModel.OnDevice(request, layout, deployment.Device.Memory, request.Reserve.MemoryUtilization).MaxSequences;
        // A wide data-parallel-attention group (72 ranks of 2,048 sequences) can exceed the largest batch a step is costed at.
        var limit = Math.Min((long)maxNumSeqs * ExpertParallelChoice.LimitScale(layout, deployment.Engine), Footprint.FootprintRequest.MaxBatch);
        var batch = (int)Math.Clamp(sequences, 1, limit);
        return At(model, deployment, Math.Max(1, input), Math.Max(1, output), batch, maxBatchedTokens).OutputTokensPerSecond.Value / layout.Devices;
    }

    /// <summary>The steady state at a batch: every step decodes <paramref name="batch"/> sequences and prefills the prompts that replace finished ones.</summary>
    public static ServingEstimate At(IStepTimeModel model, Deployment deployment, int input, int output, int batch, int chunk)
    {
        Guard.InRange(input, 0, Footprint.FootprintRequest.MaxContext, FieldNames.Input);
        Guard.InRange(output, 1, Footprint.FootprintRequest.MaxContext, FieldNames.Output);
        Guard.InRange(batch, 1, Footprint.FootprintRequest.MaxBatch, FieldNames.Batch);
        var meanContext = input + output / 2.0;
        // Each finished sequence (one in every `output` steps per slot) brings a new prompt of `input` tokens.
        var prefillPerStep = (int)Math.Round((double)batch * input / output);
        var prefillContext = Math.Max(0, (input - prefillPerStep) / 2.0);
        // The step's prompt tokens belong to batch / output prompts and fill at least prefill / chunk pipeline micro-batches.
        var prompts = (int)Math.Max(Math.Ceiling((double)batch / output), Math.Ceiling(prefillPerStep / (double)Math.Max(1, chunk)));
        var step = model.Estimate(deployment, new StepShape(prefillPerStep, prefillContext, batch, meanContext, 1, Math.Max(1, prompts)));
        var decodeOnly = model.Estimate(deployment, StepShape.Decode(batch, meanContext));
        var prefill = input > 0 ? Prefill(model, deployment, input, chunk) : Duration.Zero;
        return Build(deployment, batch, prefill, step, decodeOnly.Time);
    }

    /// <summary>
    /// The steady state under Poisson-like arrivals at <paramref name="requestsPerSecond"/>: by Little's law the batch
    /// is rate x (TTFT + output x TPOT), solved by fixed-point iteration, capped at <paramref name="maxBatch"/>.
    /// </summary>
    public static ServingEstimate AtRate(IStepTimeModel model, Deployment deployment, int input, int output, double requestsPerSecond, int chunk, int maxBatch)
    {
        Guard.Positive(requestsPerSecond, "request_rate");
        var batch = 1.0;
        ServingEstimate estimate = At(model, deployment, input, output, 1, chunk);
        for (var i = 0; i < 30; i++)
        {
            var latency = estimate.Prefill.Value + output * estimate.TimePerOutputToken.Value;
            var next = Math.Clamp(requestsPerSecond * latency, 1, maxBatch);
            if (Math.Abs(next - batch) < 0.01)
            {
                break;
            }
            batch = 0.5 * (batch + next);
            var b = (int)Math.Max(1, Math.Round(batch));
            var step = model.Estimate(deployment, new StepShape(
                (int)Math.Round(requestsPerSecond * input * estimate.TimePerOutputToken.Value), input / 2.0, b, input + output / 2.0));
            var decodeOnly = model.Estimate(deployment, StepShape.Decode(b, input + output / 2.0));
            estimate = Build(deployment, b, estimate.Prefill, step, decodeOnly.Time);
        }
        var offered = TokenRate.FromTokensPerSecond(requestsPerSecond * output);
        return estimate with { OutputTokensPerSecond = TokenRate.Min(offered, estimate.OutputTokensPerSecond) };
    }

    private static ServingEstimate Build(Deployment d, int batch, Duration prefill, StepEstimate step, Duration decodeOnly)
    {
        var devices = d.Layout.Devices;
        var peak = d.Device.PeakFor(d.Weights.Rest.Compute) ?? d.Device.PeakFor(ComputeType.Fp32);
        // A step that decodes the batch and also prefills does at least a pure decode step's work, so it is never
        // faster than one; mixed and decode-only steps are calibrated apart, and without this floor batch 1 (whose
        // prefill share rounds to a token or two) could come out slower than batch 2.
        var time = Duration.FromSeconds(Math.Max(step.Time.Value, decodeOnly.Value));
        var seconds = Math.Max(time.Value, 1e-12);
        var mfu = peak is { } p && p.Value > 0 ? step.Flop.Value / (seconds * p.Value * devices) : 0;
        var mbu = step.BytesMoved.Value / (seconds * d.Device.MemoryBandwidth.Value * devices);
        return new ServingEstimate(batch, prefill, time, decodeOnly, TokenRate.FromTokensPerSecond(batch / seconds),
            step.Bottleneck, mfu, mbu, step);
    }
}
