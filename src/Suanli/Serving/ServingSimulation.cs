using Suanli.Quantities;
using Suanli.StepTime;

namespace Suanli.Serving;

/// <summary>
/// The mutable state of one <see cref="ServingSimulator.Run(Deployment, Workload, EngineConfig, IStepTimeModel, ServingTargets?, Speculation?, CancellationToken)"/>;
/// never escapes it. Split by responsibility into three files: this one holds the state, the event loop, arrivals,
/// completions and the result; ServingSimulation.Scheduler.cs holds one engine step (decodes, prefills, admission,
/// KV blocks and preemption); ServingSimulation.Dispatch.cs runs several replicas behind a harness that sends each
/// request to the least busy.
/// </summary>
/// <remarks>
/// Hot path (docs/benchmarks.md, bench/Suanli.Bench.Serving): the request slots are a structure of arrays read in
/// the step's inner loops and the counters are plain fields, so the class has more than the house's 20 fields on
/// purpose (ArchitectureTests allow-lists it). Grouping them behind other objects would add an indirection per
/// request per step.
/// </remarks>
internal sealed partial class ServingSimulation
{
    private readonly Deployment _d;
    private readonly Workload _w;
    private readonly EngineConfig _e;
    private readonly IStepTimeModel _model;
    private readonly StepTimeCache _stepTimes;
    private readonly ServingTargets _targets;
    private readonly int _block;
    // Block size less one when it is a power of two (a test for a block boundary is then a mask, not a division), else -1.
    private readonly int _blockMask;
    // No speculation and no whole-sequence reservation: decodes take the plain loop of ScheduleDecodes.
    private readonly bool _plainDecodes;
    private readonly long _totalBlocks;
    private readonly long _watermarkBlocks;
    private readonly long _kvTokens;
    private readonly bool _paired;

    // Request slots: structure of arrays, reused through a free list, so memory follows the requests in flight.
    private int[] _prompt = new int[64];
    private int[] _output = new int[64];
    private int[] _shared = new int[64];
    private int[] _target = new int[64];
    private int[] _computed = new int[64];
    private int[] _generated = new int[64];
    private int[] _chunk = new int[64];
    private int[] _emit = new int[64];
    private double[] _credit = new double[64];
    private readonly Speculation? _spec;
    private readonly double _specTokens;
    private readonly int _queryLength;
    private double[] _arrival = new double[64];
    private double[] _first = new double[64];
    private double[] _scheduled = new double[64];
    private bool[] _measured = new bool[64];
    private int[] _freeSlots = new int[64];
    private int _freeCount;
    private int _slotCount;

    private int[] _run = new int[64];
    private int _runCount;
    private readonly Ring<int> _waiting = new();
    private readonly Ring<double> _clientReturns = new();
    // Closed loop: clients that have sent their first request, the gap between two clients' first requests
    // (Workload.Start: 0 when they start together, else Workload.StartGap), and the last first request: a staggered
    // loop measures no request that arrives before every client has started.
    private int _started;
    private readonly double _startGap, _rampEnd;

    private SplitMix64 _rng;
    private long _freeBlocks;
    private double _now;
    private long _issued;
    private long _completed;
    private long _measuredCount;
    private long _good;
    private long _rejected;
    private long _steps;
    private long _preemptions;
    private long _peakInFlight;
    private double _nextPoisson;
    private int _traceIndex;
    private bool _arrivalsDone;
    private bool _saturated;
    private double _windowStart = double.NaN;
    private double _windowEnd;
    private double _firstCompletion = double.NaN;
    private double _lastMeasuredArrival;

    // Work-based keep-up check: tokens computed vs tokens demanded between the first and the last measured arrival.
    private double _processed, _processedAtWindowStart, _processedAtLastIssue, _demanded, _lastIssue = double.NaN;
    private double _windowOutputTokens;
    private double _windowPromptTokens;
    private readonly long _warmupRequests;
    private readonly double _warmupTime;

    private readonly Quantiles _ttft;
    private readonly Quantiles _tpot;
    private readonly Quantiles _e2e;
    private readonly Quantiles _queue;
    // Requests reach this replica only from a harness that simulates it with others (ServingSimulation.Dispatch.cs).
    private readonly bool _external;
    // The share of the counted work that is this replica's: 1, or 1 / replicas once pooled results are folded in.
    private double _share = 1;
    // Requests the last step completed: in flight for a harness that asks before the step ends (ServingSimulation.Dispatch.cs).
    private long _lastStepCompleted;
    private readonly WeightedCounts _batch;
    private readonly WeightedCounts _kvUse = new(1000);

    /// <summary>Requests running or waiting.</summary>
    private long InFlight => (long)_runCount + _waiting.Count;

    // pool: a replica simulated beside this one (null: none), whose percentiles and step-time cache this one shares;
    // external: requests come only through Issue (a harness in front of several replicas).
    public ServingSimulation(Deployment d, Workload w, EngineConfig e, IStepTimeModel model, ServingTargets targets, long kvTokens, Speculation? speculation,
        ServingSimulation? pool = null, bool external = false)
    {
        _external = external;
        _ttft = pool?._ttft ?? new Quantiles();
        _tpot = pool?._tpot ?? new Quantiles();
        _e2e = pool?._e2e ?? new Quantiles();
        _queue = pool?._queue ?? new Quantiles();
        _spec = speculation;
        _specTokens = speculation?.ExpectedTokensPerStep ?? 1;
        _queryLength = speculation is null ? 1 : speculation.Tokens + 1;
        _d = d;
        _w = w;
        _e = e;
        _model = model;
        _stepTimes = pool?._stepTimes ?? new StepTimeCache(d, model, speculation);
        _microBudget = PreparedStep.PipelinesMicroBatches(d.Engine) && d.Layout.Pp > 1 ? Math.Max(1, e.MaxBatchedTokens / d.Layout.Pp) : int.MaxValue;
        _targets = targets;
        _block = e.BlockSize;
        _blockMask = (e.BlockSize & (e.BlockSize - 1)) == 0 ? e.BlockSize - 1 : -1;
        _plainDecodes = speculation is null && !e.ReserveWholeSequence;
        _kvTokens = kvTokens;
        _paired = LengthDistribution.Paired(w.Input, w.Output);
        _totalBlocks = kvTokens / e.BlockSize;
        _freeBlocks = _totalBlocks;
        _watermarkBlocks = (long)Math.Floor(e.Watermark * _totalBlocks);
        _rng = new SplitMix64(w.Seed);
        _batch = new WeightedCounts(e.MaxNumSeqs);
        _warmupRequests = w.Duration is null ? (long)Math.Floor(w.WarmupFraction * w.Requests) : 0;
        _warmupTime = w.Duration is { } dur ? w.WarmupFraction * dur.Value : 0;
        for (var i = 0; i < _freeSlots.Length; i++)
        {
            _freeSlots[i] = _freeSlots.Length - 1 - i;
        }
        _freeCount = _freeSlots.Length;
        _slotCount = _freeSlots.Length;
        if (w.Kind == ArrivalKind.Poisson)
        {
            _nextPoisson = _rng.NextExponential() / w.RequestsPerSecond;
        }
        else if (w.Kind == ArrivalKind.ClosedLoop && w.Start == ClientStart.Staggered)
        {
            // First requests are not client returns: a staggered start can come after an early client's next request,
            // so they are counted out here rather than pushed into the ring, which must stay in time order.
            var (prefill, decode, lifetime) = CapacitySearch.Floors(d, w, model);
            _startGap = Workload.StartGap(w, prefill, decode, lifetime);
            _rampEnd = (w.Concurrency - 1) * _startGap;
        }
        else if (w.Kind == ArrivalKind.ClosedLoop)
        {
            _started = w.Concurrency;
            for (var c = 0; c < w.Concurrency; c++)
            {
                PushReturn(0);
            }
        }
    }

    public ServingResult Run(CancellationToken cancel)
    {
        // Checking the token costs a volatile read; every 1,024 events keeps it out of the profile and well under a second.
        var events = 0;
        while (true)
        {
            if ((++events & 1023) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }
            Pump();
            if (_waiting.Count > _e.MaxQueue)
            {
                _saturated = true;
                break;
            }
            if (_runCount == 0 && _waiting.Count == 0)
            {
                var next = NextArrival();
                if (double.IsPositiveInfinity(next))
                {
                    break;
                }
                _now = Math.Max(_now, next);
                continue;
            }
            Step();
        }
        return Result();
    }

    // ---- arrivals ----

    private double NextArrival()
    {
        if (_arrivalsDone || _external)
        {
            return double.PositiveInfinity;
        }
        var t = _w.Kind switch
        {
            ArrivalKind.Poisson => _nextPoisson,
            ArrivalKind.Trace => _traceIndex < _w.Trace.Count ? _w.Trace[_traceIndex].ArrivalSeconds : double.PositiveInfinity,
            _ => NextClient(),
        };
        if (_issued >= _w.Requests || (_w.Duration is { } d && t > d.Value))
        {
            _arrivalsDone = true;
            return double.PositiveInfinity;
        }
        // A harness batcher hands Poisson arrivals to the engine at the end of their cycle (EngineConfig.Batcher).
        return _e.Batcher is { } b && _w.Kind == ArrivalKind.Poisson ? b.Release(t) : t;
    }

    private void Pump()
    {
        while (true)
        {
            var t = NextArrival();
            if (t > _now || _waiting.Count > _e.MaxQueue)
            {
                return;
            }
            int input, output;
            switch (_w.Kind)
            {
                case ArrivalKind.Poisson:
                    (input, output) = SampleLengths();
                    if (_e.Batcher is { } b)
                    {
                        t = b.Arrival(_nextPoisson);
                    }
                    _nextPoisson += _rng.NextExponential() / _w.RequestsPerSecond;
                    break;
                case ArrivalKind.Trace:
                    var r = _w.Trace[_traceIndex++];
                    input = r.InputTokens;
                    output = r.OutputTokens;
                    break;
                default:
                    if (FirstRequestNext())
                    {
                        _started++;
                    }
                    else
                    {
                        _clientReturns.PopFront();
                    }
                    (input, output) = SampleLengths();
                    break;
            }
            Issue(t, input, output);
        }
    }

    // The next closed-loop request: a client's first (staggered) or a client's return, whichever comes first. Kept out
    // of line so that NextArrival, on the hot path of every Poisson arrival, stays as small as it was.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private double NextClient() => FirstRequestNext() ? _started * _startGap
        : _clientReturns.Count > 0 ? _clientReturns.PeekFront() : double.PositiveInfinity;

    private bool FirstRequestNext() => _started < _w.Concurrency && (_clientReturns.Count == 0 || _started * _startGap <= _clientReturns.PeekFront());

    /// <summary>One request's prompt and output lengths: one dataset request for both when the two distributions are paired, else two independent draws.</summary>
    private (int Input, int Output) SampleLengths() => SampleLengths(_w, _paired, ref _rng);

    private static (int Input, int Output) SampleLengths(Workload w, bool paired, ref SplitMix64 rng)
    {
        if (paired)
        {
            var k = (int)rng.NextBelow((ulong)w.Input.Values.Count);
            return (w.Input.Values[k], w.Output.Values[k]);
        }
        var input = w.Input.Sample(ref rng);
        return (input, w.Output.Sample(ref rng));
    }

    private void Issue(double at, int input, int output)
    {
        var index = _issued++;
        // Whole blocks of the shared prefix are cached; the last prompt token is always computed to sample from.
        var shared = (int)Math.Min((long)Math.Floor(_e.PrefixCacheHitRate * input / _block) * _block, (input - 1) / _block * (long)_block);
        var ownTokens = (long)input + output - 1 - shared;
        if (BlocksFor(ownTokens) > _totalBlocks - _watermarkBlocks)
        {
            _rejected++;
            if (_w.Kind == ArrivalKind.ClosedLoop)
            {
                PushReturn(at + _w.ThinkTime.Value);
            }
            return;
        }
        var s = AllocateSlot();
        _prompt[s] = input;
        _output[s] = output;
        _shared[s] = shared;
        _target[s] = input;
        _computed[s] = 0;
        _generated[s] = 0;
        _chunk[s] = 0;
        _credit[s] = 0;
        _arrival[s] = at;
        _first[s] = -1;
        _scheduled[s] = -1;
        _measured[s] = (_w.Duration is null ? index >= _warmupRequests : at >= _warmupTime) && at >= _rampEnd;
        if (_measured[s] && double.IsNaN(_windowStart))
        {
            _windowStart = at;
            _processedAtWindowStart = _processed;
        }
        if (_measured[s])
        {
            _demanded += ownTokens;
            _processedAtLastIssue = _processed;
            _lastIssue = at;
        }
        _waiting.PushBack(s);
        _peakInFlight = Math.Max(_peakInFlight, InFlight);
    }

    private void Complete(int s)
    {
        _completed++;
        _freeBlocks += BlocksHeld(s);
        if (_measured[s])
        {
            _measuredCount++;
            var ttft = _first[s] - _arrival[s];
            var e2e = _now - _arrival[s];
            _ttft.Add(ttft);
            _e2e.Add(e2e);
            _queue.Add(_scheduled[s] - _arrival[s]);
            var good = Meets(_targets.Ttft, ttft) && Meets(_targets.E2e, e2e);
            if (_output[s] > 1)
            {
                var tpot = (e2e - ttft) / (_output[s] - 1);
                _tpot.Add(tpot);
                good &= Meets(_targets.Tpot, tpot);
            }
            if (good)
            {
                _good++;
            }
            _lastMeasuredArrival = Math.Max(_lastMeasuredArrival, _arrival[s]);
            if (double.IsNaN(_firstCompletion))
            {
                _firstCompletion = _now;
            }
            _windowEnd = _now;
        }
        if (_w.Kind == ArrivalKind.ClosedLoop)
        {
            PushReturn(_now + _w.ThinkTime.Value);
        }
        _freeSlots[_freeCount++] = s;
    }

    private static bool Meets(Duration? target, double value) => target is not { } t || value <= t.Value;

    private int AllocateSlot()
    {
        if (_freeCount == 0)
        {
            var old = _slotCount;
            _slotCount *= 2;
            Array.Resize(ref _prompt, _slotCount);
            Array.Resize(ref _output, _slotCount);
            Array.Resize(ref _shared, _slotCount);
            Array.Resize(ref _target, _slotCount);
            Array.Resize(ref _computed, _slotCount);
            Array.Resize(ref _generated, _slotCount);
            Array.Resize(ref _chunk, _slotCount);
            Array.Resize(ref _emit, _slotCount);
            Array.Resize(ref _credit, _slotCount);
            Array.Resize(ref _arrival, _slotCount);
            Array.Resize(ref _first, _slotCount);
            Array.Resize(ref _scheduled, _slotCount);
            Array.Resize(ref _measured, _slotCount);
            Array.Resize(ref _freeSlots, _slotCount);
            for (var i = _slotCount - 1; i >= old; i--)
            {
                _freeSlots[_freeCount++] = i;
            }
        }
        return _freeSlots[--_freeCount];
    }

    // Think time is fixed and completions come in time order, so client returns are already sorted: a ring buffer suffices.
    private void PushReturn(double at) => _clientReturns.PushBack(at);

    // ---- the result ----

    private ServingResult Result()
    {
        var findings = new List<Finding>();
        var window = double.IsNaN(_windowStart) ? 0 : Math.Max(0, _windowEnd - _windowStart);
        var perSecond = window > 0 ? _share / window : 0;
        var meanContext = _w.MeanInput + _w.MeanOutput / 2;
        var batch1 = _model.Estimate(_d, StepShape.Decode(1, meanContext)).Time;
        var served = _lastIssue > _windowStart && _demanded > 0
            ? Math.Min(1.0, (_processedAtLastIssue - _processedAtWindowStart) / _demanded) : 1.0;
        var result = new ServingResult
        {
            Deployment = _d,
            Engine = _e,
            Workload = _w,
            Targets = _targets,
            Requests = new RequestCounts(_issued, _completed, _measuredCount, _rejected),
            Ttft = LatencySummary.Of(_ttft, _targets.Percentiles),
            Tpot = LatencySummary.Of(_tpot, _targets.Percentiles),
            E2e = LatencySummary.Of(_e2e, _targets.Percentiles),
            Queue = LatencySummary.Of(_queue),
            Throughput = new ServingThroughput(
                Output: TokenRate.FromTokensPerSecond(_windowOutputTokens * perSecond),
                // Prompt plus output tokens computed in the window: never below the output alone, even when the queue grows.
                Total: TokenRate.FromTokensPerSecond((_windowPromptTokens + _windowOutputTokens) * perSecond),
                RequestsPerSecond: _measuredCount * perSecond,
                GoodputRequestsPerSecond: _good * perSecond,
                ArrivalRate: _measuredCount > 1 && _lastMeasuredArrival > _windowStart ? _share * (_measuredCount - 1) / (_lastMeasuredArrival - _windowStart) : 0,
                DepartureRate: _measuredCount > 1 && _windowEnd > _firstCompletion ? _share * (_measuredCount - 1) / (_windowEnd - _firstCompletion) : 0,
                ServedFraction: served),
            Occupancy = new ServingOccupancy(
                BatchSize: new StepDistribution(_batch.Mean, _batch.Percentile(50), _batch.Percentile(90), _batch.Largest),
                KvUse: new StepDistribution(_kvUse.Mean / 1000, _kvUse.Percentile(50) / 1000.0, _kvUse.Percentile(90) / 1000.0, _kvUse.Largest / 1000.0),
                KvBlocks: _totalBlocks,
                KvTokens: _kvTokens),
            Work = new SimulationWork(_steps, _preemptions, _issued + _steps + _completed, Duration.FromSeconds(_now)),
            // Saturated also when the run ended but an open load was served well short of what was offered (the
            // queue grew throughout): the same keep-up rule the capacity search applies.
            Saturated = _saturated || (_w.Kind != ArrivalKind.ClosedLoop && served < CapacitySearch.KeepUpFraction),
            QueueOverflowed = _saturated,
            PeakInFlight = _peakInFlight,
            DecodeStepAtBatch1 = batch1,
            Findings = findings,
        };
        findings.AddRange(ServingFindings.For(result));
        return result;
    }
}
