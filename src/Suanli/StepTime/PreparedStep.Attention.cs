using Suanli.Catalog;

namespace Suanli.StepTime;

// The attention operator of one step: which cached entries each query attends to and reads (docs/methodology-steptime.md).
public sealed partial class PreparedStep
{
    // Softmax exponentials per query and attended entry on one rank (one per head), and the device's exponential rate
    // per second (0 when no figure is published: SoftmaxExponentials).
    private readonly double _expPerScore, _expRate;

    // Query heads of a windowed layer over a full layer's (Laguna's num_attention_heads_per_layer; 1 elsewhere): each
    // head scores and weighs every entry it attends to, so the windowed layers' FLOPs and exponentials scale by it.
    private readonly double _windowHeadScale;

    /// <summary>
    /// Adds attention over the cache: full layers attend to the whole context (DSA: to at most the top-k tokens the indexer
    /// picks), windowed layers to at most the window, linear-attention layers to a constant state; DeepSeek V4 layers to their
    /// window and compressed entries (<see cref="CompressedAttention.AttendedEntries"/>).
    /// </summary>
    private void AddAttention(ref Totals acc, List<OperatorCost>? sink, double t, double queries, double decode, double prefill,
        double chunk, double chunkShare, double decodeContext, double prefillContext, double computeEff)
    {
        // A prompt token attends on average to the cached context and half the chunk before it.
        var prefillAttended = prefillContext + chunk / 2.0;
        // Tiled (flash) attention reads the cached KV once per tile of query rows, not once per prompt token; sparse
        // attention gathers its top-k rows per query.
        var tiles = chunk > 0 ? Math.Ceiling(chunk / PrefillQueryTile) * chunkShare : 0;
        double attendedAll, scores, cachedRead, indexedLayers, scored, indexRead, indexWrites;
        if (_compressed is { } v4)
        {
            // DeepSeek V4's sparse kernel gathers each query's window and compressed entries, so prompt tokens read per query;
            // the indexer scores every compressed key of its CSA layers and streams them once per query tile.
            const int ratio = CompressedAttention.IndexedRatio;
            attendedAll = queries * v4.AttendedEntries(decodeContext, _topK) + prefill * v4.AttendedEntries(prefillAttended, _topK);
            scores = attendedAll;
            cachedRead = decode * v4.AttendedEntries(decodeContext, _topK) + prefill * v4.AttendedEntries(prefillContext, _topK);
            indexedLayers = v4.LayersOf(ratio);
            scored = queries * CompressedAttention.Compressed(ratio, decodeContext) + prefill * CompressedAttention.Compressed(ratio, prefillAttended);
            indexRead = decode * CompressedAttention.Compressed(ratio, decodeContext) + tiles * CompressedAttention.Compressed(ratio, prefillContext);
            indexWrites = indexedLayers * t / ratio;
        }
        else
        {
            // Sparse layers attend to (and gather) at most the top-k tokens per query; the other full layers to the whole context.
            var denseFull = _fullLayers - _sparseLayers;
            var attendedSparse = queries * Math.Min(decodeContext, _topK) + prefill * Math.Min(prefillAttended, _topK);
            var attendedWindow = _windowLayers == 0 ? 0
                : queries * Math.Min(decodeContext, _window) + prefill * Math.Min(prefillAttended, _window);
            // Full layers with their own widths (Gemma 4) weigh their entries by the ratio of their widths to the windowed layers'.
            var attendedFull = denseFull * (queries * decodeContext + prefill * prefillAttended) + _sparseLayers * attendedSparse;
            attendedAll = attendedFull * _flopFullScale + _windowLayers * attendedWindow * _windowHeadScale;
            // One exponential per score and head, whatever the head width.
            scores = attendedFull + _windowLayers * attendedWindow * _windowHeadScale;
            cachedRead = (denseFull * (decode * decodeContext + tiles * prefillContext)
                + _sparseLayers * (decode * Math.Min(decodeContext, _topK) + prefill * Math.Min(prefillContext, _topK))) * _kvFullScale
                + _windowLayers * (decode * Math.Min(decodeContext, _window) + tiles * Math.Min(prefillContext, _window));
            // The indexer is dense: every query scores every cached token; its keys stream once per query tile. Only the
            // layers that own an indexer score and cache index keys.
            indexedLayers = _indexerLayers;
            scored = queries * decodeContext + prefill * prefillAttended;
            indexRead = decode * decodeContext + tiles * prefillContext;
            indexWrites = _indexerLayers * t;
        }
        var kvBytes = _kvPerTokenLayer * (cachedRead + _kvWriteLayers * t);
        var attnFlop = _attnFlopPerContext * attendedAll;
        // The products cannot outrun the softmax between them: timed as FLOPs on the matrix path, the scores' exponentials
        // at the device's exponential rate weigh peak / rate each (SoftmaxExponentials); the slower of the two sets the time.
        var timedFlop = _expRate > 0 ? Math.Max(attnFlop, _expPerScore * scores * _peak / _expRate) : attnFlop;
        if (_indexerPerTokenLayer > 0)
        {
            var indexerFlop = indexedLayers * _indexerFlopPerContext * scored;
            attnFlop += indexerFlop;
            timedFlop += indexerFlop;
            kvBytes += _indexerPerTokenLayer * (indexedLayers * indexRead + indexWrites);
        }
        if (_linearLayers > 0)
        {
            // Each sequence in the step reads and writes its state once per layer (decode: one token; prefill: one chunk).
            var sequences = decode + chunkShare;
            attnFlop += _linearLayers * _linearFlopPerToken * t;
            timedFlop += _linearLayers * _linearFlopPerToken * t;
            kvBytes += _linearLayers * 2.0 * _statePerLayer * sequences;
        }
        AddRaw(ref acc, sink, OperatorKind.Attention, _layers, attnFlop, computeEff,
            0, 0, _layers * t * _attnActPerToken, kvBytes, timedFlop);
    }
}
