using System.Collections.Concurrent;
using Suanli.Quantities;

namespace Suanli.StepTime;

/// <summary>
/// The calibrated step-time model: a roofline per operator with size-dependent efficiency curves, communication and
/// per-step overhead, its parameters chosen per engine class and hardware family from a <see cref="StepTime.Calibration"/>
/// (docs/methodology-steptime.md). Per-deployment constants are computed once and cached, so <see cref="Estimate"/>
/// is a dictionary look-up plus a few dozen multiplications.
/// </summary>
public sealed class CalibratedStepTimeModel : IStepTimeModel
{
    // Bounded so a long-running web process that sees many deployments does not grow without limit.
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<Deployment, PreparedStep> _cache = new();

    // Callers usually pass the same Deployment instance step after step; a reference check skips hashing the record.
    // The instance asked for is kept beside its evaluator: an equal deployment built again (a search candidate builds
    // one per access) is found by hashing once, and its later calls by reference, not by hashing the whole record
    // (model, device, their strings) on every call. One object, so a racing reader never pairs a key with another
    // deployment's evaluator.
    private LastPrepared? _last;

    /// <summary>Creates the model from a calibration.</summary>
    public CalibratedStepTimeModel(Calibration calibration)
    {
        Calibration = calibration;
        foreach (var g in calibration.Groups)
        {
            g.Parameters.Validated();
        }
    }

    /// <summary>The calibration in use.</summary>
    public Calibration Calibration { get; }

    /// <inheritdoc />
    public StepEstimate Estimate(Deployment deployment, StepShape shape) => Prepare(deployment).Estimate(shape);

    /// <inheritdoc />
    public Duration Time(Deployment deployment, StepShape shape) => Prepare(deployment).Time(shape);

    /// <summary>The fast evaluator of one deployment (cached); call <see cref="PreparedStep.Estimate"/> on it in loops.</summary>
    public PreparedStep Prepare(Deployment deployment)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.Key, deployment))
        {
            return last.Step;
        }
        if (_cache.TryGetValue(deployment, out var prepared))
        {
            _last = new LastPrepared(deployment, prepared);
            return prepared;
        }
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }
        prepared = _cache.GetOrAdd(deployment, d => new PreparedStep(d, Calibration.For(d.Engine, d.Device)));
        _last = new LastPrepared(deployment, prepared);
        return prepared;
    }

    private sealed record LastPrepared(Deployment Key, PreparedStep Step);
}
