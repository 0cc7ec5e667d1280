using System.Globalization;
using Suanli.Footprint;
using Suanli.Quantities;
using Suanli.StepTime;
using Suanli.Text;

namespace Suanli.Serving;

/// <summary>
/// Discrete-event simulation of one replica of a continuous-batching engine (docs/methodology-serving.md,
/// "Engine model"): each step schedules one decode token for every running sequence, then continues chunked
/// prefills, then admits waiting prompts while the sequence limit, the token budget and the KV blocks allow; the
/// step takes the time the step-time model gives for that batch and context. Memory is bounded by the requests in
/// flight: per-request state lives in a pool of slots reused after completion, and percentiles use <see cref="Quantiles"/>.
/// </summary>
public static class ServingSimulator
{
    /// <summary>Simulates <paramref name="workload"/> on <paramref name="deployment"/>.</summary>
    /// <param name="deployment">The replica.</param>
    /// <param name="workload">The offered load.</param>
    /// <param name="engine">Scheduler and KV settings (see <see cref="EngineConfig.Default"/>).</param>
    /// <param name="model">The step-time model, evaluated once per step.</param>
    /// <param name="targets">Targets for goodput (null: none).</param>
    /// <param name="cancel">Stops the run (an <see cref="OperationCanceledException"/>) within a few thousand steps of being cancelled.</param>
    public static ServingResult Run(Deployment deployment, Workload workload, EngineConfig engine, IStepTimeModel model, ServingTargets? targets = null,
        CancellationToken cancel = default) => Run(deployment, workload, engine, model, targets, null, cancel);

    /// <summary>
    /// Simulates <paramref name="workload"/> with speculative decoding: each decode step verifies k + 1 tokens per
    /// sequence after k draft passes, and each sequence emits the expected tokens per step, carried deterministically
    /// (a running fraction per sequence, whole tokens emitted). A null <paramref name="speculation"/> is the ordinary run.
    /// </summary>
    public static ServingResult Run(Deployment deployment, Workload workload, EngineConfig engine, IStepTimeModel model, ServingTargets? targets,
        Speculation? speculation, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        engine = engine.Validated();
        if (engine.MaxBatchedTokens < engine.MaxNumSeqs)
        {
            throw new InputException(FieldNames.MaxBatchedTokens, Phrase.Of("batched-tokens-below-seqs",
                "{maxBatchedTokens} {tokens} is below {maxNumSeqs} {seqs}: every running sequence needs a token of the step budget; raise it to at least {seqs} (vLLM refuses the same setting).",
                ("maxBatchedTokens", FieldNames.MaxBatchedTokens), ("tokens", engine.MaxBatchedTokens.ToString(CultureInfo.InvariantCulture)),
                ("maxNumSeqs", FieldNames.MaxNumSeqs), ("seqs", engine.MaxNumSeqs.ToString(CultureInfo.InvariantCulture))));
        }
        var kvTokens = KvCapacity(deployment, engine, speculation);
        var state = new Simulation(deployment, workload, engine, model, targets ?? ServingTargets.None, kvTokens, speculation);
        return state.Run(cancel);
    }

    /// <summary>
    /// Tokens of KV cache one replica holds: the memory left on the fullest device once weights, the activation peak
    /// of one step and the runtime context are placed (<see cref="MemoryModel.OnDevice"/>), divided by the KV bytes
    /// one token needs on that device, rounded down to whole blocks, times the data-parallel attention ranks (each
    /// holds its own sequences' KV). Throws when the weights do not fit.
    /// With <paramref name="speculation"/>, the draft's weights are placed too and every cached token also holds the
    /// draft's KV (<see cref="SpeculativeDecoding.Memory"/>): the engine pages the draft's cache with the target's.
    /// </summary>
    public static long KvCapacity(Deployment d, EngineConfig engine, Speculation? speculation = null)
    {
        var a = d.Model.Architecture;
        var reserve = new RuntimeReserve(RuntimeReserve.Default.ContextPerDevice, engine.GpuMemoryUtilization, engine.MaxBatchedTokens);
        // The profile run sizes activations for one full token budget and logits for max_num_seqs sampled rows.
        var context = (int)Math.Ceiling(engine.MaxBatchedTokens / (double)engine.MaxNumSeqs);
        var request = new FootprintRequest(d.Model, d.Weights, d.Kv, Math.Max(1, context), engine.MaxNumSeqs, reserve);
        var onDevice = MemoryModel.OnDevice(request, d.Layout, d.Device.Memory, engine.GpuMemoryUtilization);
        var perToken = MemoryModel.KvBytesPerCachedToken(a, d.Kv, d.Layout.Tp, d.Layout.Pp);
        // Hybrid models keep one constant-size linear-attention state per running sequence beside the paged cache:
        // room for max_num_seqs states is set aside, or for as many as half the free memory holds when that is fewer
        // (an approximation: the simulator does not cap running sequences by state slots).
        var state = MemoryModel.ConstantStatePerSequence(a, d.Layout.Tp, d.Layout.Pp);
        var slots = state.Value > 0 ? Math.Min(engine.MaxNumSeqs, Math.Floor(onDevice.FreeForKv.Value / 2 / state.Value)) : 0;
        var free = onDevice.FreeForKv - state * slots;
        var draft = speculation is null ? null : SpeculativeDecoding.Memory(d, speculation);
        if (draft is not null)
        {
            free -= draft.Weights;
            perToken += draft.KvPerToken;
        }
        if (free.Value <= 0 || perToken.Value <= 0)
        {
            var withDraft = draft is null ? Phrase.Of("nothing", "") : Phrase.Of("draft-weights", " and {size} of {basis}", ("size", Gib(draft.Weights) + " GiB"), ("basis", draft.Basis));
            throw new InputException(FieldNames.Devices, Phrase.Of("no-kv-room",
                "{model} in {weights} does not fit on {devices} x {device} ({layout}): {weightBytes} of weights{withDraft} and {otherBytes} of activations and runtime per device against {usable} usable, leaving nothing for the KV cache. Use more devices, a lower precision or a device with more memory ('suanli memory' lists the layouts that fit).",
                ("model", d.Model.Id), ("weights", d.Weights.ToString()), ("devices", d.Layout.Devices.ToString(CultureInfo.InvariantCulture)), ("device", d.Device.Id), ("layout", d.Layout.ToString()),
                ("weightBytes", Gib(onDevice.Weights) + " GiB"), ("withDraft", withDraft), ("otherBytes", Gib(onDevice.Activation + onDevice.Context) + " GiB"), ("usable", Gib(onDevice.Usable) + " GiB")));
        }
        var blocks = (long)Math.Floor(free / perToken / engine.BlockSize);
        // Data-parallel attention: each rank caches its own sequences, so the replica holds one pool per rank.
        return blocks * engine.BlockSize * d.Layout.AttentionDp;
    }

    private static string Gib(Bytes b) => b.InGibibytes.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The mutable state of one run; never escapes <see cref="Run"/>.</summary>
    private sealed class Simulation
    {
        private readonly Deployment _d;
        private readonly Workload _w;
        private readonly EngineConfig _e;
        private readonly IStepTimeModel _model;
        private readonly StepTimeCache _stepTimes;
        private readonly ServingTargets _targets;
        private readonly int _block;
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

        private readonly Quantiles _ttft = new();
        private readonly Quantiles _tpot = new();
        private readonly Quantiles _e2e = new();
        private readonly Quantiles _queue = new();
        private readonly WeightedCounts _batch;
        private readonly WeightedCounts _kvUse = new(1000);

        public Simulation(Deployment d, Workload w, EngineConfig e, IStepTimeModel model, ServingTargets targets, long kvTokens, Speculation? speculation)
        {
            _spec = speculation;
            _specTokens = speculation?.ExpectedTokensPerStep ?? 1;
            _queryLength = speculation is null ? 1 : speculation.Tokens + 1;
            _d = d;
            _w = w;
            _e = e;
            _model = model;
            _stepTimes = new StepTimeCache(d, model, speculation);
            _targets = targets;
            _block = e.BlockSize;
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
            else if (w.Kind == ArrivalKind.ClosedLoop)
            {
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
            if (_arrivalsDone)
            {
                return double.PositiveInfinity;
            }
            var t = _w.Kind switch
            {
                ArrivalKind.Poisson => _nextPoisson,
                ArrivalKind.Trace => _traceIndex < _w.Trace.Count ? _w.Trace[_traceIndex].ArrivalSeconds : double.PositiveInfinity,
                _ => _clientReturns.Count > 0 ? _clientReturns.PeekFront() : double.PositiveInfinity,
            };
            if (_issued >= _w.Requests || (_w.Duration is { } d && t > d.Value))
            {
                _arrivalsDone = true;
                return double.PositiveInfinity;
            }
            return t;
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
                        _nextPoisson += _rng.NextExponential() / _w.RequestsPerSecond;
                        break;
                    case ArrivalKind.Trace:
                        var r = _w.Trace[_traceIndex++];
                        input = r.InputTokens;
                        output = r.OutputTokens;
                        break;
                    default:
                        _clientReturns.PopFront();
                        (input, output) = SampleLengths();
                        break;
                }
                Issue(t, input, output);
            }
        }

        /// <summary>One request's prompt and output lengths: one dataset request for both when the two distributions are paired, else two independent draws.</summary>
        private (int Input, int Output) SampleLengths()
        {
            if (_paired)
            {
                var k = (int)_rng.NextBelow((ulong)_w.Input.Values.Count);
                return (_w.Input.Values[k], _w.Output.Values[k]);
            }
            var input = _w.Input.Sample(ref _rng);
            return (input, _w.Output.Sample(ref _rng));
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
            _measured[s] = _w.Duration is null ? index >= _warmupRequests : at >= _warmupTime;
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
            _peakInFlight = Math.Max(_peakInFlight, (long)_runCount + _waiting.Count);
        }

        // ---- one engine step ----

        private void Step()
        {
            var budget = _e.MaxBatchedTokens;
            var run = _run;
            long need = 0;
            long emitSum = 0;
            var decodes = 0;
            var decodeContext = 0.0;
            var prefillTokens = 0;
            var prefillContext = 0.0;
            var prefillSeqs = 0;
            // Mixed (vLLM V1, TensorRT-LLM): decodes first, then prefill chunks fill the rest of the token budget.
            // Prefill first (SGLang's default, vLLM V0 without chunked prefill): a step that can start or continue a
            // prefill runs prefills only, and the running sequences decode in the next step that has none.
            var decodeStep = true;
            if (_e.Policy == StepPolicy.PrefillFirst)
            {
                SchedulePrefills(ref budget, ref prefillTokens, ref prefillContext, ref prefillSeqs, 0);
                decodeStep = prefillTokens == 0;
            }
            if (decodeStep)
            {
                ScheduleDecodes(out need, out emitSum, out decodes, out decodeContext);
                _freeBlocks -= need;
                budget -= decodes * _queryLength;
                if (_e.Policy == StepPolicy.Mixed)
                {
                    SchedulePrefills(ref budget, ref prefillTokens, ref prefillContext, ref prefillSeqs, decodes);
                }
            }
            run = _run;
            var computed = _computed;
            var target = _target;
            if (decodes == 0 && prefillTokens == 0)
            {
                // Only reachable when the head of the queue can never be admitted; Issue refuses such requests.
                throw new InvalidOperationException("The scheduler found nothing to run with requests waiting.");
            }

            var dt = _stepTimes.Seconds(prefillTokens, prefillContext, decodes, decodeContext);
            _batch.Add(decodes + prefillSeqs, dt);
            _kvUse.Add((int)Math.Round(1000.0 * (_totalBlocks - _freeBlocks) / Math.Max(1, _totalBlocks)), dt);
            _now += dt;
            _steps++;
            _processed += prefillTokens + (_spec is null ? decodes : emitSum);
            var counting = !double.IsNaN(_windowStart);

            var kept = 0;
            var generated = _generated;
            var output = _output;
            for (var i = 0; i < _runCount; i++)
            {
                var s = run[i];
                var c = computed[s];
                var t = target[s];
                var produced = false;
                var m = 1;
                if (c >= t && !decodeStep)
                {
                    // A prefill-only step: running decodes wait.
                    run[kept++] = s;
                    continue;
                }
                if (c >= t)
                {
                    if (_spec is not null)
                    {
                        m = _emit[s];
                        _credit[s] += _specTokens - m;
                    }
                    computed[s] = c + m;
                    produced = true;
                }
                else if (_chunk[s] > 0)
                {
                    c += _chunk[s];
                    _chunk[s] = 0;
                    computed[s] = c;
                    produced = c == t;
                }
                if (produced)
                {
                    generated[s] += m;
                    if (counting)
                    {
                        _windowOutputTokens += m;
                    }
                    if (_first[s] < 0)
                    {
                        _first[s] = _now;
                        if (counting)
                        {
                            // The prompt counts in the window where its prefill finished, as output tokens count where generated.
                            _windowPromptTokens += _prompt[s];
                        }
                    }
                    if (generated[s] >= output[s])
                    {
                        Complete(s);
                        continue;
                    }
                }
                run[kept++] = s;
            }
            _runCount = kept;
        }

        /// <summary>One decode token for every running sequence whose prompt is done; preempts the latest admitted while the KV blocks do not suffice.</summary>
        private void ScheduleDecodes(out long need, out long emitSum, out int decodes, out double decodeContext)
        {
            var computed = _computed;
            var target = _target;
            var shared = _shared;
            var run = _run;
            // Decodes first: each takes one token; a sequence whose own tokens fill whole blocks needs a new block.
            // When the blocks run out, the latest admitted sequences are preempted until the rest fit.
            while (true)
            {
                need = 0;
                emitSum = 0;
                decodes = 0;
                decodeContext = 0;
                for (var i = 0; i < _runCount; i++)
                {
                    var s = run[i];
                    var c = computed[s];
                    if (c >= target[s])
                    {
                        decodes++;
                        decodeContext += c + 1;
                        if (_e.ReserveWholeSequence)
                        {
                            // Guaranteed no evict: the whole sequence's blocks were reserved at admission.
                            if (_spec is not null)
                            {
                                var m = Math.Clamp((int)Math.Floor(_credit[s] + _specTokens), 1, Math.Max(1, _output[s] - _generated[s]));
                                _emit[s] = m;
                                emitSum += m;
                            }
                        }
                        else if (_spec is null)
                        {
                            if ((c - shared[s]) % _block == 0)
                            {
                                need++;
                            }
                        }
                        else
                        {
                            // Whole tokens this step: the running fraction plus the expected tokens, at most what is left to generate.
                            var m = Math.Clamp((int)Math.Floor(_credit[s] + _specTokens), 1, Math.Max(1, _output[s] - _generated[s]));
                            _emit[s] = m;
                            emitSum += m;
                            need += BlocksFor((long)c + m - shared[s]) - BlocksFor((long)c - shared[s]);
                        }
                    }
                }
                if (need <= _freeBlocks || _runCount == 0)
                {
                    return;
                }
                Preempt(run[_runCount - 1]);
            }
        }

        /// <summary>
        /// Continues the running prefills, then admits waiting prompts, while the token budget, the sequence limit and the
        /// KV blocks allow. Without chunked prefill a prompt is admitted only whole (its remaining tokens within the budget
        /// left), unless nothing else runs in the step (a prompt longer than the whole budget is then cut, not refused).
        /// </summary>
        private void SchedulePrefills(ref int budget, ref int prefillTokens, ref double prefillContext, ref int prefillSeqs, int decodes)
        {
            var computed = _computed;
            var target = _target;
            var shared = _shared;
            var run = _run;
            if (decodes < _runCount)
            {
                for (var i = 0; i < _runCount; i++)
                {
                    var s = run[i];
                    if (computed[s] < target[s])
                    {
                        var chunk = Math.Min(target[s] - computed[s], Math.Max(0, budget));
                        _chunk[s] = chunk;
                        if (chunk > 0)
                        {
                            prefillTokens += chunk;
                            prefillContext += (double)chunk * computed[s];
                            prefillSeqs++;
                            budget -= chunk;
                        }
                    }
                }
            }
            while (budget > 0 && _runCount < _e.MaxNumSeqs && _waiting.Count > 0)
            {
                var s = _waiting.PeekFront();
                if (!_e.ChunkedPrefill && target[s] - shared[s] > budget && (prefillTokens > 0 || decodes > 0))
                {
                    break;
                }
                var blocks = _e.ReserveWholeSequence ? BlocksReserved(s) : BlocksFor((long)target[s] - shared[s]);
                if (_freeBlocks - blocks < _watermarkBlocks)
                {
                    break;
                }
                _waiting.PopFront();
                _freeBlocks -= blocks;
                computed[s] = shared[s];
                if (_scheduled[s] < 0)
                {
                    _scheduled[s] = _now;
                }
                var chunk = Math.Min(target[s] - computed[s], budget);
                _chunk[s] = chunk;
                prefillTokens += chunk;
                prefillContext += (double)chunk * computed[s];
                prefillSeqs++;
                budget -= chunk;
                if (_runCount == _run.Length)
                {
                    Array.Resize(ref _run, _run.Length * 2);
                    run = _run;
                }
                run[_runCount++] = s;
            }
        }

        private long BlocksFor(long tokens) => tokens <= 0 ? 0 : (tokens + _block - 1) / _block;

        /// <summary>
        /// KV blocks a sequence holds: its whole prompt from admission, then one per block of own tokens as it decodes; with
        /// <see cref="EngineConfig.ReserveWholeSequence"/>, the blocks of the whole sequence from admission to completion.
        /// </summary>
        private long BlocksHeld(int s) => _e.ReserveWholeSequence ? BlocksReserved(s) : BlocksFor((long)Math.Max(_target[s], _computed[s]) - _shared[s]);

        /// <summary>Blocks of a whole sequence, prompt plus every output token but the last (whose KV is never written), less the shared prefix.</summary>
        private long BlocksReserved(int s) => BlocksFor((long)_prompt[s] + _output[s] - 1 - _shared[s]);

        private void Preempt(int s)
        {
            // Recompute preemption (vLLM's default): the KV is dropped and the prompt plus the output so far is prefilled again.
            _runCount--;
            _freeBlocks += BlocksHeld(s);
            _computed[s] = 0;
            _target[s] = _prompt[s] + _generated[s];
            _chunk[s] = 0;
            _preemptions++;
            _waiting.PushFront(s);
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
            var perSecond = window > 0 ? 1 / window : 0;
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
                RequestsIssued = _issued,
                RequestsCompleted = _completed,
                RequestsMeasured = _measuredCount,
                RequestsRejected = _rejected,
                Ttft = LatencySummary.Of(_ttft),
                Tpot = LatencySummary.Of(_tpot),
                E2e = LatencySummary.Of(_e2e),
                Queue = LatencySummary.Of(_queue),
                OutputThroughput = TokenRate.FromTokensPerSecond(_windowOutputTokens * perSecond),
                // Prompt plus output tokens computed in the window: never below the output alone, even when the queue grows.
                TotalThroughput = TokenRate.FromTokensPerSecond((_windowPromptTokens + _windowOutputTokens) * perSecond),
                RequestsPerSecond = _measuredCount * perSecond,
                GoodputRequestsPerSecond = _good * perSecond,
                ArrivalRate = _measuredCount > 1 && _lastMeasuredArrival > _windowStart ? (_measuredCount - 1) / (_lastMeasuredArrival - _windowStart) : 0,
                DepartureRate = _measuredCount > 1 && _windowEnd > _firstCompletion ? (_measuredCount - 1) / (_windowEnd - _firstCompletion) : 0,
                ServedFraction = served,
                BatchSize = new StepDistribution(_batch.Mean, _batch.Percentile(50), _batch.Percentile(90), _batch.Largest),
                KvUse = new StepDistribution(_kvUse.Mean / 1000, _kvUse.Percentile(50) / 1000.0, _kvUse.Percentile(90) / 1000.0, _kvUse.Largest / 1000.0),
                KvBlocks = _totalBlocks,
                KvTokens = _kvTokens,
                Steps = _steps,
                Preemptions = _preemptions,
                Events = _issued + _steps + _completed,
                SimulatedTime = Duration.FromSeconds(_now),
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

    /// <summary>A growable ring buffer with push and pop at both ends.</summary>
    private sealed class Ring<T>
        where T : struct
    {
        private T[] _items = new T[64];
        private int _head;

        public int Count { get; private set; }

        public void PushBack(T value)
        {
            Grow();
            _items[(_head + Count) % _items.Length] = value;
            Count++;
        }

        public void PushFront(T value)
        {
            Grow();
            _head = (_head - 1 + _items.Length) % _items.Length;
            _items[_head] = value;
            Count++;
        }

        public T PeekFront() => _items[_head];

        public T PopFront()
        {
            var v = _items[_head];
            _head = (_head + 1) % _items.Length;
            Count--;
            return v;
        }

        private void Grow()
        {
            if (Count < _items.Length)
            {
                return;
            }
            var bigger = new T[_items.Length * 2];
            for (var i = 0; i < Count; i++)
            {
                bigger[i] = _items[(_head + i) % _items.Length];
            }
            _items = bigger;
            _head = 0;
        }
    }
}
