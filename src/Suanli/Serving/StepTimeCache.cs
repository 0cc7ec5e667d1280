using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// Memoises step times of one deployment. The simulator asks for millions of steps whose shapes repeat (the same
/// batch at the same mean context), and a step-time model may recompute per-model constants on every call; mean
/// contexts are rounded to whole tokens before the call, so every shape in the cache is one the model saw exactly.
/// The table is cleared when it reaches <see cref="MaxEntries"/>, which bounds its memory.
/// </summary>
public sealed class StepTimeCache
{
    /// <summary>Entries kept before the table is cleared.</summary>
    public const int MaxEntries = 1 << 18;

    private readonly Dictionary<(int, int, int, int), double> _seconds = [];
    private readonly Deployment _deployment;
    private readonly IStepTimeModel _model;
    private readonly Speculation? _speculation;

    /// <summary>Wraps a model for one deployment; with <paramref name="speculation"/>, decode steps verify k + 1 tokens per sequence after k draft passes.</summary>
    public StepTimeCache(Deployment deployment, IStepTimeModel model, Speculation? speculation = null)
    {
        _deployment = deployment;
        _model = model;
        _speculation = speculation;
    }

    /// <summary>Model calls made (cache misses).</summary>
    public long Misses { get; private set; }

    /// <summary>Step time in seconds of a step with these totals (contexts as sums over the sequences).</summary>
    /// <param name="prefillTokens">Prompt tokens in the step.</param>
    /// <param name="prefillContextSum">Sum over prefill tokens of the tokens already cached before their chunk.</param>
    /// <param name="decodes">Decoding sequences.</param>
    /// <param name="decodeContextSum">Sum of the decoding sequences' contexts.</param>
    public double Seconds(int prefillTokens, double prefillContextSum, int decodes, double decodeContextSum)
    {
        var prefillContext = prefillTokens == 0 ? 0 : (int)Math.Round(prefillContextSum / prefillTokens);
        var decodeContext = decodes == 0 ? 0 : (int)Math.Round(decodeContextSum / decodes);
        var key = (prefillTokens, prefillContext, decodes, decodeContext);
        if (_seconds.TryGetValue(key, out var s))
        {
            return s;
        }
        if (_seconds.Count >= MaxEntries)
        {
            _seconds.Clear();
        }
        Misses++;
        if (_speculation is { } spec && decodes > 0)
        {
            s = _model.Estimate(_deployment, new StepShape(prefillTokens, prefillContext, decodes, decodeContext, spec.Tokens + 1)).Time.Value
                + spec.Tokens * SpeculativeDecoding.DraftPass(_model, _deployment, spec, decodes, decodeContext).Value;
        }
        else
        {
            s = _model.Estimate(_deployment, new StepShape(prefillTokens, prefillContext, decodes, decodeContext)).Time.Value;
        }
        if (!(s > 0) || !double.IsFinite(s))
        {
            throw new InvalidOperationException($"The step-time model gave {s} s for {key}; step times must be positive.");
        }
        _seconds[key] = s;
        return s;
    }
}
