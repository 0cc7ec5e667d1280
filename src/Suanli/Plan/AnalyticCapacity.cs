using Suanli.Fleet;
using Suanli.Footprint;
using Suanli.StepTime;

namespace Suanli.Plan;

/// <summary>The request mix one replica serves: mean prompt and output tokens.</summary>
/// <param name="InputTokens">Mean prompt tokens.</param>
/// <param name="OutputTokens">Mean output tokens.</param>
public readonly record struct RequestMix(double InputTokens, double OutputTokens);

/// <summary>
/// Closed-form steady-state capacity of one continuous-batching replica (docs/methodology-fleet.md, "Analytic
/// capacity"): the largest batch B whose decode step meets the TPOT target and fits the KV cache, with arrivals
/// λ = (B / t_d) / (output + t_p B / t_d), so that prefill time λ t_p and decode time share the replica.
/// </summary>
public static class AnalyticCapacity
{
    /// <summary>vLLM's default limit on running sequences (<c>max_num_seqs</c> = 256, vLLM engine arguments).</summary>
    public const int DefaultMaxRunningSequences = 256;

    /// <summary>Largest prefill share of replica time kept so that prompts do not queue without bound (M/D/1 waiting stays below 2 service times at ρ = 0.8).</summary>
    public const double MaxPrefillUtilisation = 0.8;

    /// <summary>Estimates what one replica carries while meeting the targets.</summary>
    public static ReplicaCapacity Estimate(IStepTimeModel model, Deployment d, RequestMix mix, LatencyTargets targets)
    {
        var context = (int)Math.Ceiling(mix.InputTokens + mix.OutputTokens);
        var request = new FootprintRequest(d.Model, d.Weights, d.Kv, Math.Max(1, context), 1, RuntimeReserve.Default);
        var memory = MemoryModel.OnDevice(request, d.Layout, d.Device.Memory, RuntimeReserve.Default.MemoryUtilization);
        var maxByMemory = (int)Math.Min(memory.MaxSequences, DefaultMaxRunningSequences);
        var findings = new List<Finding>();
        if (maxByMemory < 1)
        {
            return new ReplicaCapacity(0, 0, "memory", false,
                [Finding.Error("does-not-fit", $"{d} has no memory left for the KV cache of one {context}-token request.")]);
        }
        var prefill = model.Estimate(d, StepShape.Prefill(Math.Max(1, (int)Math.Round(mix.InputTokens)))).Time;
        if (targets.TtftP90 is { } ttft && prefill > ttft)
        {
            return new ReplicaCapacity(0, 0, "ttft", false,
                [Finding.Error("ttft-unreachable", $"TTFT target {ttft.InMilliseconds:0} ms is below the {prefill.InMilliseconds:0} ms prefill of one {mix.InputTokens:0}-token prompt on {d}.")]);
        }
        var meanContext = mix.InputTokens + mix.OutputTokens / 2;
        var decode1 = model.Estimate(d, StepShape.Decode(1, meanContext)).Time;
        if (targets.TpotP90 is { } tpot1 && decode1 > tpot1)
        {
            return new ReplicaCapacity(0, 0, "tpot", false,
                [Finding.Error("tpot-unreachable", $"TPOT target {tpot1.InMilliseconds:0} ms is below the {decode1.InMilliseconds:0} ms decode step at batch 1 on {d}.")]);
        }

        var best = (Rate: 0.0, Batch: 0, Limit: "memory");
        for (var b = 1; b <= maxByMemory; b = b < 16 ? b + 1 : (int)Math.Ceiling(b * 1.1))
        {
            var step = model.Estimate(d, StepShape.Decode(b, meanContext)).Time;
            if (targets.TpotP90 is { } tpot && step > tpot)
            {
                best.Limit = "tpot";
                break;
            }
            var perSecond = b / step.Value;
            var rate = perSecond / (mix.OutputTokens + prefill.Value * perSecond);
            var prefillBound = MaxPrefillUtilisation / prefill.Value;
            if (rate >= prefillBound)
            {
                best = best.Rate < prefillBound ? (prefillBound, b, "prefill") : best;
                break;
            }
            var e2e = prefill.Value + mix.OutputTokens * step.Value;
            if (targets.E2eP90 is { } e2eTarget && e2e > e2eTarget.Value)
            {
                best.Limit = "e2e";
                if (best.Batch == 0)
                {
                    return new ReplicaCapacity(0, 0, "e2e", false,
                        [Finding.Error("e2e-unreachable", $"End-to-end target {e2eTarget.Value:0.##} s is below the {e2e:0.##} s one {mix.InputTokens:0}-in/{mix.OutputTokens:0}-out request takes alone on {d}.")]);
                }
                break;
            }
            if (rate > best.Rate)
            {
                best = (rate, b, best.Limit);
            }
        }
        var stepBest = model.Estimate(d, StepShape.Decode(best.Batch, meanContext)).Time;
        var concurrency = best.Rate * (prefill.Value + mix.OutputTokens * stepBest.Value);
        findings.Add(Finding.Info("analytic-capacity",
            $"One replica ({d}) carries about {best.Rate:0.##} requests/s ({concurrency:0.#} in flight) at batch {best.Batch}, limited by {best.Limit}."));
        return new ReplicaCapacity(best.Rate, concurrency, best.Limit, best.Rate > 0, findings);
    }
}
