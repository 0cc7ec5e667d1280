namespace Suanli.Serving;

/// <summary>One engine step of <see cref="ServingSimulation"/>: what runs, what it costs, and what it frees.</summary>
internal sealed partial class ServingSimulation
{
    // Token budget of one pipeline micro-batch (the engine's budget is per micro-batch, ExpertParallelChoice.TokenLimitScale).
    private readonly int _microBudget;

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

        // The prompt tokens fill at least as many pipeline micro-batches as one micro-batch's budget holds them in
        // (vLLM V1 schedules a prompt's next chunk into the next micro-batch); the step model puts them in that many.
        var promptMicroBatches = (int)Math.Max(prefillSeqs, (prefillTokens + (long)_microBudget - 1) / _microBudget);
        var dt = _stepTimes.Seconds(prefillTokens, prefillContext, decodes, decodeContext, promptMicroBatches);
        _batch.Add(decodes + prefillSeqs, dt);
        _kvUse.Add((int)Math.Round(1000.0 * (_totalBlocks - _freeBlocks) / Math.Max(1, _totalBlocks)), dt);
        _now += dt;
        _steps++;
        _processed += prefillTokens + (_spec is null ? decodes : emitSum);
        var counting = !double.IsNaN(_windowStart);

        var kept = 0;
        var generated = _generated;
        var output = _output;
        var chunks = _chunk;
        var first = _first;
        var speculating = _spec is not null;
        // Output tokens of this step, added to the window once: integer counts, so the sum is the same double.
        long stepOutput = 0;
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
                if (speculating)
                {
                    m = _emit[s];
                    _credit[s] += _specTokens - m;
                }
                computed[s] = c + m;
                produced = true;
            }
            else if (chunks[s] > 0)
            {
                c += chunks[s];
                chunks[s] = 0;
                computed[s] = c;
                produced = c == t;
            }
            if (produced)
            {
                var g = generated[s] + m;
                generated[s] = g;
                stepOutput += m;
                if (first[s] < 0)
                {
                    first[s] = _now;
                    if (counting)
                    {
                        // The prompt counts in the window where its prefill finished, as output tokens count where generated.
                        _windowPromptTokens += _prompt[s];
                    }
                }
                if (g >= output[s])
                {
                    Complete(s);
                    continue;
                }
            }
            run[kept++] = s;
        }
        if (counting)
        {
            _windowOutputTokens += stepOutput;
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
            if (_plainDecodes)
            {
                // The common case (no speculation, blocks taken as they fill) in its own loop: one pass of plain
                // integer work per running sequence. The contexts are summed as integers, which is exact and gives
                // the same double as summing them one by one in a double.
                long needed = 0;
                long contextSum = 0;
                var count = 0;
                var mask = _blockMask;
                for (var i = 0; i < _runCount; i++)
                {
                    var s = run[i];
                    var c = computed[s];
                    if (c >= target[s])
                    {
                        count++;
                        contextSum += c + 1;
                        var own = c - shared[s];
                        if (mask >= 0 ? (own & mask) == 0 : own % _block == 0)
                        {
                            needed++;
                        }
                    }
                }
                need = needed;
                emitSum = 0;
                decodes = count;
                decodeContext = contextSum;
                if (need <= _freeBlocks || _runCount == 0)
                {
                    return;
                }
                Preempt(run[_runCount - 1]);
                continue;
            }
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
}
