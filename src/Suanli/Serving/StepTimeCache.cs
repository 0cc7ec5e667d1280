using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// Memoises step times of one deployment. The simulator asks for millions of steps whose shapes repeat (the same
/// batch at the same mean context), and a step-time model may recompute per-model constants on every call; mean
/// contexts are rounded to whole tokens before the call, so every shape in the cache is one the model saw exactly.
/// Decode-only steps, most of a run, are kept in a dense table indexed by the decode count and the mean context, in
/// pages of <see cref="DecodePageContexts"/> consecutive contexts; a decode-only step's mean context is usually the
/// last one's plus one, so a lookup is mostly an index into the page the last step used. Steps with prefill tokens
/// are kept in a small open-addressing table of inline entries (the shape's integers and the seconds), cleared
/// when it holds <see cref="MaxPrefillEntries"/>; the decode-only table is cleared when it holds
/// <see cref="MaxEntries"/> slots. Both bound the cache's memory. A cached value is exactly what the model returned
/// for that shape, so a hit or a miss never changes a result.
/// </summary>
public sealed class StepTimeCache
{
    /// <summary>Slots of the decode-only table's pages kept before it is cleared (2 MiB of step times).</summary>
    public const int MaxEntries = 1 << 18;

    /// <summary>Shapes with prefill tokens kept before their table is cleared.</summary>
    /// <remarks>
    /// Small on purpose: a step with prefill rarely repeats an earlier shape (its prompt tokens and both mean contexts
    /// must all match), so a large table mostly holds shapes never asked for again while each lookup probes a random
    /// line of it. At 1,024 entries the table (48 KiB) stays in the core's cache; in the million-request benchmark
    /// (docs/performance.md) it costs 3% more model calls than 262,144 entries (923,802 against 896,102) and saves
    /// a memory-latency stall on most of the million steps with prefill.
    /// </remarks>
    public const int MaxPrefillEntries = 1 << 10;

    /// <summary>Consecutive mean contexts of one decode count that share a page of the decode-only table.</summary>
    public const int DecodePageContexts = 1 << DecodePageBits;

    private const int DecodePageBits = 6;
    private const int FirstCapacity = 1 << 10;

    // Decode-only steps: pages of step times (0 where not yet computed) found by (decodes, context >> DecodePageBits) in
    // an open-addressing directory, a power of two at most twice the pages' bound and never more than half full. The
    // page the last decode-only step used is kept apart, so consecutive steps skip the directory.
    private PageEntry[] _pages = new PageEntry[64];
    private int _pageCount;
    private double[]? _lastPage;
    private int _lastPageDecodes = -1;
    private int _lastPageIndex = -1;

    // Steps with prefill: slots of the table, a power of two at most twice MaxPrefillEntries; an entry with Seconds == 0
    // is empty (step times are positive, checked below).
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
    /// <param name="prompts">Prompts the prefill tokens belong to; kept only up to the replica's pipeline stages, beyond
    /// which it does not change the step (<see cref="PreparedStep.MicroBatches"/>), so without stages it is always 1.</param>
    public double Seconds(int prefillTokens, double prefillContextSum, int decodes, double decodeContextSum, int prompts = 1)
    {
        // A mean of int contexts is within int's range, so the conversion need not be checked (a checked one is a
        // call into the runtime on every step).
        var decodeContext = decodes == 0 ? 0 : unchecked((int)Math.Round(decodeContextSum / decodes));
        if (prefillTokens == 0)
        {
            var pageIndex = decodeContext >> DecodePageBits;
            var page = decodes == _lastPageDecodes && pageIndex == _lastPageIndex ? _lastPage! : DecodePage(decodes, pageIndex);
            ref var cached = ref page[decodeContext & (DecodePageContexts - 1)];
            if (cached > 0)
            {
                return cached;
            }
            cached = Compute(0, 0, decodes, decodeContext);
            return cached;
        }
        var prefillContext = unchecked((int)Math.Round(prefillContextSum / prefillTokens));
        prompts = Math.Clamp(prompts, 1, _deployment.Layout.Pp);
        var slot = Find(prefillTokens, prefillContext, decodes, decodeContext, prompts);
        if (_table[slot].Seconds > 0)
        {
            return _table[slot].Seconds;
        }
        if (_count >= MaxPrefillEntries)
        {
            Array.Clear(_table);
            _count = 0;
            slot = Find(prefillTokens, prefillContext, decodes, decodeContext, prompts);
        }
        var s = Compute(prefillTokens, prefillContext, decodes, decodeContext, prompts);
        _table[slot] = new Entry(prefillTokens, prefillContext, decodes, decodeContext, prompts, s);
        _count++;
        if (2 * _count > _table.Length && _table.Length < 2 * MaxPrefillEntries)
        {
            Grow();
        }
        return s;
    }

    /// <summary>The model's step time in seconds for this shape (a cache miss).</summary>
    private double Compute(int prefillTokens, int prefillContext, int decodes, int decodeContext, int prompts = 1)
    {
        double s;
        Misses++;
        if (_speculation is { } spec && decodes > 0)
        {
            s = _model.Time(_deployment, new StepShape(prefillTokens, prefillContext, decodes, decodeContext, spec.Tokens + 1, prompts)).Value
                + spec.Tokens * SpeculativeDecoding.DraftPass(_model, _deployment, spec, decodes, decodeContext).Value;
        }
        else
        {
            s = _model.Time(_deployment, new StepShape(prefillTokens, prefillContext, decodes, decodeContext, 1, prompts)).Value;
        }
        if (!(s > 0) || !double.IsFinite(s))
        {
            throw new InvalidOperationException($"The step-time model gave {s} s for {(prefillTokens, prefillContext, decodes, decodeContext)}; step times must be positive.");
        }
        return s;
    }

    /// <summary>The decode-only page of this decode count and context page, made (empty) when missing; it becomes the last page.</summary>
    private double[] DecodePage(int decodes, int pageIndex)
    {
        var key = ((long)decodes << 32) | (uint)pageIndex;
        var i = FindPage(key);
        if (_pages[i].Page is { } found)
        {
            return Remember(found, decodes, pageIndex);
        }
        if (_pageCount >= MaxEntries / DecodePageContexts)
        {
            // The bound on memory: drop every page (their step times are recomputed, exactly, when asked again).
            Array.Clear(_pages);
            _pageCount = 0;
        }
        else if (2 * (_pageCount + 1) > _pages.Length)
        {
            var old = _pages;
            _pages = new PageEntry[old.Length * 2];
            foreach (var e in old)
            {
                if (e.Page is not null)
                {
                    _pages[FindPage(e.Key)] = e;
                }
            }
        }
        var page = new double[DecodePageContexts];
        _pages[FindPage(key)] = new PageEntry(key, page);
        _pageCount++;
        return Remember(page, decodes, pageIndex);
    }

    /// <summary>The directory slot of this page key, or the empty slot where it belongs (linear probing).</summary>
    private int FindPage(long key)
    {
        var mask = _pages.Length - 1;
        var i = (int)(unchecked((ulong)key * 0x9E3779B97F4A7C15UL) >> 40) & mask;
        while (_pages[i].Page is not null && _pages[i].Key != key)
        {
            i = (i + 1) & mask;
        }
        return i;
    }

    private double[] Remember(double[] page, int decodes, int pageIndex)
    {
        _lastPage = page;
        _lastPageDecodes = decodes;
        _lastPageIndex = pageIndex;
        return page;
    }

    /// <summary>The slot of the table of steps with prefill holding this shape, or the empty slot where it belongs (linear probing; the table is never more than half full).</summary>
    private int Find(int prefillTokens, int prefillContext, int decodes, int decodeContext, int prompts)
    {
        var mask = _table.Length - 1;
        var low = (uint)(prefillTokens ^ (prompts << 24)) | ((ulong)(uint)prefillContext << 32);
        var high = (uint)decodes | ((ulong)(uint)decodeContext << 32);
        // A multiplicative mix of the two halves (the golden-ratio and xxHash64 primes); the top bits index the table.
        var mixed = unchecked(((low * 0x9E3779B97F4A7C15UL) ^ high) * 0xC2B2AE3D27D4EB4FUL);
        var i = (int)(mixed >> 40) & mask;
        while (true)
        {
            ref readonly var e = ref _table[i];
            if (e.Seconds == 0 || (e.PrefillTokens == prefillTokens && e.PrefillContext == prefillContext && e.Decodes == decodes && e.DecodeContext == decodeContext && e.Prompts == prompts))
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
                _table[Find(e.PrefillTokens, e.PrefillContext, e.Decodes, e.DecodeContext, e.Prompts)] = e;
            }
        }
    }

    private readonly record struct PageEntry(long Key, double[]? Page);

    private readonly record struct Entry(int PrefillTokens, int PrefillContext, int Decodes, int DecodeContext, int Prompts, double Seconds);
}
