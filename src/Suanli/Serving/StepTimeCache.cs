using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// Memoises step times of one deployment. The simulator asks for millions of steps whose shapes repeat (the same
/// batch at the same mean context), and a step-time model may recompute per-model constants on every call; mean
/// contexts are rounded to whole tokens before the call, so every shape in the cache is one the model saw exactly.
/// The table is cleared when it reaches <see cref="MaxEntries"/>, which bounds its memory. It is an open-addressing
/// table of inline entries (the four shape integers and the seconds), so a lookup usually touches one cache line; the
/// simulator makes one per engine step. A cached value is exactly what the model returned for that shape, so a hit or a
/// miss never changes a result.
/// </summary>
public sealed class StepTimeCache
{
    /// <summary>Entries kept before the table is cleared.</summary>
    public const int MaxEntries = 1 << 18;

    private const int FirstCapacity = 1 << 10;

    // Slots of the table, a power of two at most twice MaxEntries; an entry with Seconds == 0 is empty (step times are
    // positive, checked below).
    private Entry[] _table = new Entry[FirstCapacity];
    private int _count;
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
        var slot = Find(prefillTokens, prefillContext, decodes, decodeContext);
        if (_table[slot].Seconds > 0)
        {
            return _table[slot].Seconds;
        }
        if (_count >= MaxEntries)
        {
            Array.Clear(_table);
            _count = 0;
            slot = Find(prefillTokens, prefillContext, decodes, decodeContext);
        }
        double s;
        Misses++;
        if (_speculation is { } spec && decodes > 0)
        {
            s = _model.Time(_deployment, new StepShape(prefillTokens, prefillContext, decodes, decodeContext, spec.Tokens + 1)).Value
                + spec.Tokens * SpeculativeDecoding.DraftPass(_model, _deployment, spec, decodes, decodeContext).Value;
        }
        else
        {
            s = _model.Time(_deployment, new StepShape(prefillTokens, prefillContext, decodes, decodeContext)).Value;
        }
        if (!(s > 0) || !double.IsFinite(s))
        {
            throw new InvalidOperationException($"The step-time model gave {s} s for {(prefillTokens, prefillContext, decodes, decodeContext)}; step times must be positive.");
        }
        _table[slot] = new Entry(prefillTokens, prefillContext, decodes, decodeContext, s);
        _count++;
        if (2 * _count > _table.Length && _table.Length < 2 * MaxEntries)
        {
            Grow();
        }
        return s;
    }

    /// <summary>The slot holding this shape, or the empty slot where it belongs (linear probing; the table is never more than half full).</summary>
    private int Find(int prefillTokens, int prefillContext, int decodes, int decodeContext)
    {
        var mask = _table.Length - 1;
        var low = (uint)prefillTokens | ((ulong)(uint)prefillContext << 32);
        // Four consecutive decode contexts of the same shape share a hash and sit in adjacent slots: a decode-only
        // step's mean context is the last step's plus one, so most lookups find their slot in a cache line the last
        // ones brought in, instead of a random line of a table of megabytes.
        var high = (uint)decodes | ((ulong)(uint)(decodeContext >> 2) << 32);
        // A multiplicative mix of the two halves (the golden-ratio and xxHash64 primes); the top bits index the table.
        var mixed = unchecked(((low * 0x9E3779B97F4A7C15UL) ^ high) * 0xC2B2AE3D27D4EB4FUL);
        var i = (int)(((mixed >> 40) << 2) | (uint)(decodeContext & 3)) & mask;
        while (true)
        {
            ref readonly var e = ref _table[i];
            if (e.Seconds == 0 || (e.PrefillTokens == prefillTokens && e.PrefillContext == prefillContext && e.Decodes == decodes && e.DecodeContext == decodeContext))
            {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _table;
        _table = new Entry[old.Length * 2];
        foreach (var e in old)
        {
            if (e.Seconds > 0)
            {
                _table[Find(e.PrefillTokens, e.PrefillContext, e.Decodes, e.DecodeContext)] = e;
            }
        }
    }

    private readonly record struct Entry(int PrefillTokens, int PrefillContext, int Decodes, int DecodeContext, double Seconds);
}
