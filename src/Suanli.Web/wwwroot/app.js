// The planning page. It parses nothing itself beyond the form: it calls the API (the same reports as the CLI),
// renders the JSON, and keeps the whole state in the query string so a plan can be shared by link.
// Server and user text is only ever written with textContent, never as HTML.
(() => {
  'use strict';
  const I18N = window.SUANLI_I18N;
  const FIELDS = ['model', 'precision', 'kvPrecision', 'hardware', 'devices', 'prompt', 'output', 'batch',
    'peak', 'profile', 'timeZone', 'ttft', 'tpot', 'api', 'candidates'];
  const DEFAULTS = {
    model: 'qwen2.5-7b-instruct', precision: '', kvPrecision: '', hardware: 'nvidia-h100-sxm5-80gb', devices: '1',
    prompt: '1024', output: '256', batch: '16', peak: '50', profile: 'office-hours', ttft: '2', tpot: '0.1',
    timeZone: '', api: 'gpt-4o-mini', candidates: 'qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b',
    lang: 'en', currency: 'CNY',
  };
  // The time zone of the profile's hours when the link names none: China's on the Chinese page, UTC on the English one.
  const ZONES = { zh: 'Asia/Shanghai', en: 'UTC' };
  // The traffic presets of the scenario format (docs/scenario.md), with their labels.
  const PROFILES = { 'office-hours': 'field.profile.office', 'call-centre': 'field.profile.callCentre', 'consumer-evening': 'field.profile.evening', flat: 'field.profile.flat' };
  // The cost lines the cost model names (src/Suanli/Cost), shown in the page's language; others as the server names them.
  const PARTS = { 'capex (amortised)': 'cost.part.capex', power: 'cost.part.power', maintenance: 'cost.part.maintenance', rent: 'cost.part.rent', 'input tokens': 'cost.part.input', 'cached input tokens': 'cost.part.cachedInput', 'output tokens': 'cost.part.output', 'build (amortised)': 'cost.part.build', fixed: 'cost.part.fixed', 'per request': 'cost.part.perRequest' };
  const KINDS = { api: 'cost.kind.api', own: 'cost.kind.own', rent: 'cost.kind.rent', custom: 'cost.kind.custom' };
  // Batch sizes of the throughput-vs-latency curve.
  const SWEEP = '1,2,4,8,16,32,64,128,256';
  const PRECISIONS = ['bf16', 'fp16', 'fp8', 'int8', 'int4', 'fp4', 'fp32', 'q8_0', 'q4_0', 'q4_k_m'];
  const KV_PRECISIONS = ['', 'bf16', 'fp16', 'fp8', 'int8', 'fp32'];
  // Fields the API names differently from the input that holds them (a panel may add its own).
  const FIELD_ALIASES = { context: 'prompt', input: 'prompt', peakConcurrency: 'peak', ttftP90: 'ttft', tpotP90: 'tpot' };
  // The latency target an infeasibility message names (the plan's 400 names only 'applications' as its field; the
  // search's rejections carry the codes ttft and tpot), so the explanation is shown beside that target's input too.
  function targetOf(text) {
    if (/\bTTFT target\b|TTFT 目标/.test(text || '')) return 'ttft';
    if (/\bTPOT target\b|TPOT 目标/.test(text || '')) return 'tpot';
    return null;
  }

  // Plans a page keeps pinned side by side (each a 'pin' parameter of the link).
  const MAX_PINS = 8;
  let state = { ...DEFAULTS, ...fromUrl() };
  // The precision follows the model (its released checkpoint's format, as the CLI and /api/memory default: fp8 for
  // DeepSeek-V3) until the user chooses one, or the link names one.
  state.precisionChosen = Boolean(state.precision);
  const catalog = { models: [], hardware: [], rates: [] };
  const charts = {};
  const last = {};
  let generation = 0;
  let inflight = 0;

  // Extension point (docs/web.md, "Adding an endpoint and a panel"): each panel names the request it needs from the
  // state and renders the JSON the endpoint returns. Lazy panels (longer calls) load once they scroll into view.
  const PANELS = [
    { id: 'memory', request: s => api('/api/memory', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, context: contextOf(s), batch: s.batch, hardware: s.hardware, devices: s.devices }), render: renderMemory },
    // The headline's batch is part of the panel's key (after '#', which fetch does not send): a batch already on the
    // curve's sweep leaves the call unchanged, and the headline must still be redrawn at the new batch.
    { id: 'perf', request: s => api('/api/perf', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, devices: s.devices, input: s.prompt, output: s.output, batch: sweepWith(s.batch) }) + '#batch=' + encodeURIComponent(s.batch), render: renderPerf },
    // The fleet's plan loads right after the quick panels wherever the page is scrolled (eager): its answer says whether
    // the targets can be met, which the summary bar at the top and the message beside the target field show.
    { id: 'fleet', lazy: true, eager: true, request: s => api('/api/plan/hours', scenarioOf(s)), render: renderFleet },
    { id: 'sensitivity', lazy: true, request: s => api('/api/plan/sensitivity', scenarioOf(s)), render: renderSensitivity },
    // One plan, one set of numbers: the cost panel shows the plan's own and rent costs (the Markdown report's), and the
    // hosted API priced at the plan's monthly requests; the search prices each deployment as the plan does.
    { id: 'cost', lazy: true, render: renderCost, request: s => api('/api/plan', scenarioOf(s)) + '#' + new URLSearchParams({ api: s.api }), fetch: fetchCost },
    {
      // Streamed (NDJSON): a progress bar and the cheapest deployment verified so far while the search runs, then its
      // answer; a change of inputs aborts the request, which stops the search on the server.
      id: 'pareto', lazy: true, render: renderPareto, fetch: fetchSearch,
      request: s => api('/api/plan/search/stream', { ...scenarioOf(s), candidates: s.candidates, top: '50' }),
    },
  ];

  // The plan of the page's scenario, then the API of the API field priced at the plan's requests per month.
  async function fetchCost(key, s) {
    const plan = await getJson(key.split('#')[0]);
    if (!plan.ok || !plan.json.costs || !String(s.api || '').trim()) return plan.ok ? { ok: true, json: { plan: plan.json, compare: null } } : plan;
    const c = plan.json.costs;
    const compare = await getJson(api('/api/compare', { requestsPerMonth: String(c.requestsPerMonth), input: s.prompt, output: s.output, api: s.api, currency: s.currency }));
    return compare.ok ? { ok: true, json: { plan: plan.json, compare: compare.json } } : compare;
  }

  // The search as it runs: each line of the stream is one message (progress, found, result or error; docs/web.md).
  async function fetchSearch(url) {
    const panel = PANELS.find(p => p.id === 'pareto');
    if (panel.controller) panel.controller.abort();
    const controller = new AbortController();
    panel.controller = controller;
    const live = document.getElementById('pareto-live');
    const bar = document.getElementById('pareto-progress');
    const first = document.getElementById('pareto-first');
    bar.value = 0;
    first.textContent = t('pareto.searching', { total: '…', percent: '0%' });
    live.hidden = false;
    try {
      const r = await fetchRetrying(url, { headers: { Accept: 'application/x-ndjson' }, signal: controller.signal });
      if (!r.ok) {
        const body = await r.json().catch(() => null);
        return { ok: false, problem: body || { detail: t('status.failed', { status: r.status }) } };
      }
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '', answer = null, total = 0, best = null;
      const show = fraction => {
        bar.value = fraction;
        const percent = num(fraction * 100, 0) + '%';
        first.textContent = best
          ? t('pareto.found', { percent, model: best.model, devices: best.devices, hardware: best.hardware, cost: moneyIn(best.costPerMonth.amount, best.costPerMonth.currency), basis: t(KINDS[best.costBasis] || 'cost.kind.custom') })
          : t('pareto.searching', { total: num(total), percent });
      };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let at;
        while ((at = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, at).trim();
          buffer = buffer.slice(at + 1);
          if (!line) continue;
          const m = JSON.parse(line);
          if (m.kind === 'progress') { total = m.progress.total; show(m.progress.fraction); }
          else if (m.kind === 'found') { best = m.found; show(Math.max(bar.value, m.found.fraction)); }
          else if (m.kind === 'result') answer = { ok: true, json: m.result };
          else if (m.kind === 'error') answer = { ok: false, problem: m.error };
        }
      }
      return answer || { ok: false, problem: { detail: t('status.failed', { status: r.status }) } };
    } catch (e) {
      if (e && e.name === 'AbortError') return { ok: false, aborted: true };
      return { ok: false, problem: { detail: t('status.failed', { status: String(e) }) } };
    } finally {
      if (panel.controller === controller) { panel.controller = null; live.hidden = true; }
    }
  }

  // The curve's batch sizes plus the one the user set, so the headline is computed at that batch, not the nearest
  // on the curve. A value that is not a whole number goes as typed, for the server to reject beside the field.
  function sweepWith(batch) {
    const text = String(batch ?? '').trim();
    if (!/^\d+$/.test(text)) return text ? SWEEP + ',' + text : SWEEP;
    const sizes = new Set(SWEEP.split(',').map(Number));
    sizes.add(Number(text));
    return [...sizes].sort((a, b) => a - b).join(',');
  }

  // The one-application scenario the plan endpoints build from the page (GET /api/plan?...; format=yaml gives the file).
  function scenarioOf(s) {
    return { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, peakConcurrency: s.peak, input: s.prompt, output: s.output, ttftP90: s.ttft, tpotP90: s.tpot, profile: s.profile, timeZone: s.timeZone, currency: s.currency };
  }

  function t(key, vars) {
    const entry = I18N[key];
    let text = entry ? (entry[state.lang] || entry.en) : key;
    for (const [k, v] of Object.entries(vars || {})) text = text.split('{' + k + '}').join(String(v));
    return text;
  }

  function fromUrl() {
    const q = new URLSearchParams(location.search);
    const s = {};
    for (const k of [...FIELDS, 'lang', 'currency']) if (q.has(k)) s[k] = q.get(k);
    if (s.lang !== undefined && !['en', 'zh'].includes(s.lang)) delete s.lang;
    if (s.currency !== undefined && !['CNY', 'USD'].includes(s.currency)) delete s.currency;
    if (q.has('pin')) s.pins = q.getAll('pin').slice(0, MAX_PINS);
    return s;
  }

  function writeUrl() {
    const q = new URLSearchParams();
    for (const k of [...FIELDS, 'lang', 'currency']) if (k !== 'precision' || state.precisionChosen) q.set(k, state[k] ?? '');
    for (const pin of state.pins || []) q.append('pin', pin);
    history.replaceState(null, '', '?' + q.toString());
    document.getElementById('share-link').href = location.href;
    const scenario = scenarioOf(state);
    document.getElementById('download-yaml').href = api('/api/plan', { ...scenario, format: 'yaml' });
    document.getElementById('download-md').href = api('/api/plan', { ...scenario, format: 'markdown' });
    document.getElementById('download-xlsx').href = api('/api/plan/xlsx', scenario);
  }

  // Every call carries the page's language, so the server's findings and errors come in it (docs/web.md, "Languages").
  function api(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, v);
    q.set('lang', state.lang);
    return path + '?' + q.toString();
  }

  // Prompt plus output as the memory report's context; left to the server to reject when either is not a count.
  function tokens(text) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text || '');
    if (!m) return NaN;
    const mult = { '': 1, k: 1024, K: 1024, m: 1048576, M: 1048576 }[m[2]];
    return Number(m[1]) * mult;
  }
  function contextOf(s) {
    const sum = tokens(s.prompt) + tokens(s.output);
    return Number.isFinite(sum) ? String(sum) : s.prompt;
  }

  // A server running its limit of long operations answers 429 with Retry-After (docs/web.md, "Errors"): the call is
  // made again after that wait, a few times, while its panel stays in its loading state.
  const BUSY_RETRIES = 4;
  async function fetchRetrying(url, init) {
    for (let attempt = 0; ; attempt++) {
      const r = await fetch(url, init);
      if (r.status !== 429 || attempt >= BUSY_RETRIES) return r;
      const wait = Math.max(1, Number(r.headers.get('Retry-After')) || 1) * 1000;
      await new Promise((resolve, reject) => {
        const id = setTimeout(resolve, wait);
        if (init && init.signal) init.signal.addEventListener('abort', () => { clearTimeout(id); reject(new DOMException('aborted', 'AbortError')); }, { once: true });
      });
    }
  }

  async function getJson(url) {
    try {
      const r = await fetchRetrying(url, { headers: { Accept: 'application/json' } });
      const body = await r.json().catch(() => null);
      return r.ok ? { ok: true, json: body } : { ok: false, problem: body || { detail: t('status.failed', { status: r.status }) } };
    } catch (e) {
      return { ok: false, problem: { detail: t('status.failed', { status: String(e) }) } };
    }
  }

  // ---- formatting (fixed en-US digits in both languages, like the CLI's invariant culture) ----
  const num = (v, digits = 0) => Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const sig = v => (v === 0 ? '0' : Number(Number(v).toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 12 }));
  const bytes = b => (Math.abs(b) >= 1e9 ? num(b / 1e9, 1) + ' GB' : num(b / 1e6, 1) + ' MB');
  // A device's memory in the unit the catalog writes it (catalog/hardware/devices.yaml): whole GiB for the cards sold
  // as "80GB" (80 GiB, 85.9 GB), decimal GB otherwise (141 GB), never the 80 GiB card as "86 GB".
  const GIB = 1073741824;
  const capacity = b => (b > 0 && b % GIB === 0 ? num(b / GIB, 0) + ' GiB' : num(b / 1e9, 0) + ' GB');
  const seconds = s => (s < 1 ? sig(s * 1000) + ' ms' : sig(s) + ' s');

  // An option name of the compare report ("<model> <precision> on 1x <device> (buy)", "(rent <provider>)"), in the
  // page's language; the model, device and provider names stay as they are.
  function optionName(name) {
    if (state.lang === 'en') return name;
    return name.replace(/ on (\d+)x /, (_, n) => t('cost.option.on', { devices: n }))
      .replace(/ \(buy\)$/, t('cost.option.buy'))
      .replace(/ \(rent (.*)\)$/, (_, who) => t('cost.option.rent', { provider: who }));
  }
  const partName = part => (PARTS[part] ? t(PARTS[part]) : part);

  function setText(id, text, cls) {
    const el = document.getElementById(id);
    el.textContent = text;
    if (cls !== undefined) el.className = 'headline ' + cls;
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function renderFindings(id, findings) {
    const ul = document.getElementById(id);
    ul.replaceChildren();
    for (const f of groupFindings(findings)) {
      const li = document.createElement('li');
      li.className = f.severity;
      li.textContent = t('findings.' + f.severity) + t('findings.colon') + f.message + (f.count > 1 ? ' ' + t('findings.grouped', { count: f.count }) : '');
      if (f.count > 1) { li.dataset.count = String(f.count); li.title = f.all.join('\n'); }
      ul.appendChild(li);
    }
  }

  // Findings with the same code and severity (one per batch size, say) become one line: the first message with the
  // word where the messages first differ replaced by every value of it ("Batch 32, 64, 128 does not fit: …"), and
  // the count; the line's title holds every message.
  function groupFindings(findings) {
    const groups = new Map();
    for (const f of findings || []) {
      const key = f.severity + '|' + (f.code || f.message);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(f);
    }
    return [...groups.values()].map(list => {
      const first = list[0];
      if (list.length === 1) return { severity: first.severity, message: first.message, count: 1, all: [first.message] };
      const words = list.map(f => f.message.split(' '));
      let message = first.message;
      if (words.every(w => w.length === words[0].length)) {
        const at = words[0].findIndex((w, i) => words.some(other => other[i] !== w));
        if (at >= 0) {
          const values = [...new Set(words.map(w => w[at].replace(/[:;,.]$/, '')))];
          const tail = words[0][at].match(/[:;,.]$/);
          message = [...words[0].slice(0, at), values.join(', ') + (tail ? tail[0] : ''), ...words[0].slice(at + 1)].join(' ');
        }
      }
      return { severity: first.severity, message, count: list.length, all: list.map(f => f.message) };
    });
  }

  // Each input's help (what it means and which panels use it): the field's title and, for screen readers, its
  // description; shown under the field while it has the focus.
  function attachHelp() {
    for (const f of FIELDS) {
      const input = document.getElementById('f-' + f);
      const help = document.createElement('span');
      help.className = 'help';
      help.id = 'help-' + f;
      help.dataset.i18n = 'help.' + f;
      input.after(help);
      input.dataset.i18nTitle = 'help.' + f;
      input.setAttribute('aria-describedby', help.id);
    }
  }

  function chart(id) {
    if (!charts[id]) charts[id] = window.echarts.init(document.getElementById(id), null, { renderer: 'svg' });
    return charts[id];
  }

  // The catalog model a model field names (id, alias or Hugging Face repo, any case), or undefined.
  function modelOf(name) {
    const key = (name || '').trim().toLowerCase();
    return catalog.models.find(m => m.id.toLowerCase() === key || (m.hfRepo || '').toLowerCase() === key || (m.aliases || []).some(a => a.toLowerCase() === key));
  }

  // Unless the user chose a precision, the model's released format (bf16 for a model the catalog does not know).
  function followModel() {
    if (state.precisionChosen) return;
    const m = modelOf(state.model);
    state.precision = (m && m.defaultPrecision) || 'bf16';
    document.getElementById('f-precision').value = state.precision;
  }

  function deviceOf(name) {
    const key = (name || '').trim().toLowerCase();
    return catalog.hardware.find(d => d.id.toLowerCase() === key || (d.aliases || []).some(a => a.toLowerCase() === key));
  }

  // ---- panels ----
  function renderMemory(m) {
    const rows = [
      ['memory.parameters', num(m.parameters / 1e9, 2) + ' B'],
      ['memory.weights', bytes(m.weightsBytes)],
      ['memory.kvPerToken', num(m.kvCacheBytesPerToken / 1024, 1) + ' KiB'],
      ['memory.kv', bytes(m.kvCacheBytes)],
      ['memory.activations', bytes(m.activationBytes)],
      ['memory.overhead', bytes(m.overheadBytes)],
      ['memory.total', bytes(m.totalBytes)],
      ['memory.ruleOfThumb', bytes(m.ruleOfThumbBytes)],
    ];
    const body = document.querySelector('#memory-table tbody');
    body.replaceChildren();
    for (const [key, value] of rows) {
      const tr = document.createElement('tr');
      tr.dataset.part = key;
      cell(tr, t(key));
      cell(tr, value, 'num');
      body.appendChild(tr);
    }
    if (!m.hardware) setText('memory-fit', t('memory.noHardware'), '');
    else if (m.fits) setText('memory-fit', t('memory.fits', { devices: m.devices, hardware: m.hardware, min: m.minDevices }), 'good');
    else if (m.minDevices) setText('memory-fit', t('memory.doesNotFit', { devices: m.devices, hardware: m.hardware, min: m.minDevices }), 'bad');
    else setText('memory-fit', t('memory.neverFits', { hardware: m.hardware }), 'bad');

    const device = m.hardware ? deviceOf(m.hardware) : null;
    const parts = ['memory.weights', 'memory.kv', 'memory.activations', 'memory.overhead'];
    const values = [m.weightsBytes, m.kvCacheBytes, m.activationBytes, m.overheadBytes].map(b => +(b / 1e9).toFixed(2));
    const total = device ? device.memoryBytes * m.devices : null;
    const capacityGb = total ? +(total / 1e9).toFixed(1) : null;
    // Horizontal bars, so the part names read level at any width; the devices' memory is the red line, named below.
    chart('memory-chart').setOption({
      animation: false,
      grid: { left: 10, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: v => num(v, 1) + ' GB' },
      yAxis: { type: 'category', data: parts.map(p => t(p)), inverse: true, axisLabel: { fontSize: 11 } },
      xAxis: { type: 'value', splitNumber: 3, axisLabel: { hideOverlap: true, formatter: v => sig(v) } },
      series: [
        {
          type: 'bar', data: values, barMaxWidth: 26, itemStyle: { color: '#3b6ea5' }, label: { show: true, position: 'right', formatter: p => num(p.value, 1) },
          markLine: capacityGb ? { symbol: 'none', silent: true, data: [{ xAxis: capacityGb }], label: { show: false }, lineStyle: { color: '#c0392b', width: 2 } } : undefined,
        },
        // An invisible point at the devices' memory so the axis reaches the line with round ticks.
        { type: 'scatter', silent: true, symbolSize: 0, data: capacityGb ? [[capacityGb, parts.length - 1]] : [], tooltip: { show: false } },
      ],
    }, true);
    document.getElementById('memory-axis').textContent = t('memory.axisNote', { capacity: total ? (total % GIB === 0 ? capacity(total) + ' = ' + num(total / 1e9, 1) + ' GB' : capacity(total)) : '–' });
    renderFindings('memory-findings', m.findings);
  }

  function renderPerf(p) {
    // x: tokens/s one sequence sees (1 / time per output token); y: output tokens/s of the copy; label: batch.
    const point = r => [+(1 / r.timePerOutputTokenSeconds).toPrecision(4), +r.outputTokensPerSecond.toPrecision(4), r.batch];
    const batch = Number(state.batch);
    const rows = p.rows;
    const at = rows.find(r => r.batch === batch);
    const layout = `${p.devices} × ${p.hardware} (TP=${p.tp} PP=${p.pp})`;
    if (at) setText('perf-summary', t('perf.summary', { layout, ttft: seconds(at.prefillSeconds), batch: at.batch, tps: sig(at.outputTokensPerSecond), perSeq: sig(1 / at.timePerOutputTokenSeconds) }), '');
    else setText('perf-summary', rows.length ? t('perf.batchDoesNotFit', { layout, batch }) : t('perf.none'), 'bad');
    const label = { show: true, position: 'top', fontSize: 10, formatter: x => 'B' + x.data[2] };
    chart('perf-chart').setOption({
      animation: false,
      grid: { left: 62, right: 20, top: 34, bottom: 50 },
      legend: { top: 0, right: 0, data: [t('perf.fits'), t('perf.range')] },
      tooltip: { trigger: 'item', formatter: x => `${t('perf.batch')} ${x.data[2]}: ${sig(x.data[1])} tok/s, ${sig(x.data[0])} tok/s/seq` },
      xAxis: { type: 'log', name: t('perf.xAxis'), nameLocation: 'middle', nameGap: 28, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
      yAxis: { type: 'log', name: t('perf.yAxis'), nameLocation: 'middle', nameGap: 48, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
      series: [
        { name: t('perf.fits'), type: 'line', symbolSize: 7, data: rows.map(point), label, itemStyle: { color: '#1e7d4f' } },
        // The 80% prediction interval of each batch's throughput (rows' outputTokensPerSecondRange), as a band of two dashed lines.
        ...['low', 'high'].map(end => ({
          name: t('perf.range'), type: 'line', symbol: 'none', silent: true, lineStyle: { type: 'dashed', width: 1 }, itemStyle: { color: '#7fb89a' },
          data: rows.filter(r => r.outputTokensPerSecondRange).map(r => [+(1 / r.timePerOutputTokenSeconds).toPrecision(4), +r.outputTokensPerSecondRange[end].toPrecision(4)]),
        })),
      ],
    }, true);
    renderFindings('perf-findings', p.findings);
  }

  // Phone widths (the style sheet's breakpoint): charts use fewer ticks and narrower labels.
  function narrow() { return window.matchMedia('(max-width: 600px)').matches; }

  function hourLabel(h) { return (h < 10 ? '0' : '') + h + ':00'; }

  function renderSensitivity(p) {
    const sens = p.sensitivity;
    const lines = (sens ? sens.lines : []).filter(l => l.costPerMonthDown !== null && l.costPerMonthUp !== null);
    if (!sens || sens.costPerMonth === null || !lines.length) {
      setText('sensitivity-summary', t('sensitivity.none'), 'bad');
      chart('sensitivity-chart').clear();
      return;
    }
    const top = lines[0];
    setText('sensitivity-summary', t('sensitivity.summary', { cost: moneyIn(sens.costPerMonth, p.currency), devices: num(sens.devices), assumption: top.assumption, low: moneyIn(Math.min(top.costPerMonthDown, top.costPerMonthUp), p.currency), high: moneyIn(Math.max(top.costPerMonthDown, top.costPerMonthUp), p.currency) }), '');
    const rows = [...lines].reverse();
    const center = sens.costPerMonth;
    // Each bar runs from the expected cost to the cost with the assumption moved: a visible bar stacked on an invisible one.
    const pair = (end, color) => [
      { type: 'bar', stack: end, silent: true, itemStyle: { color: 'transparent' }, data: rows.map(l => Math.min(l[end], center)) },
      { type: 'bar', stack: end, itemStyle: { color }, data: rows.map(l => Math.abs(l[end] - center)) },
    ];
    chart('sensitivity-chart').setOption({
      animation: false,
      grid: { left: 10, right: 40, top: 20, bottom: 40, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: items => {
        const l = rows[items[0].dataIndex];
        return `${l.assumption} (${l.move}): ${moneyIn(l.costPerMonthDown, p.currency)} / ${moneyIn(l.costPerMonthUp, p.currency)}`;
      } },
      xAxis: { type: 'value', name: t('cost.axis', { currency: p.currency }), nameLocation: 'middle', nameGap: 26, splitNumber: 3, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
      yAxis: { type: 'category', data: rows.map(l => l.assumption), axisLabel: { width: narrow() ? 110 : 220, overflow: 'truncate' } },
      series: [...pair('costPerMonthDown', '#3b6ea5'), ...pair('costPerMonthUp', '#c0392b')],
    }, true);
    renderFindings('sensitivity-findings', p.findings.filter(f => f.code === 'plan-range'));
  }

  function renderFleet(h) {
    const strategy = t({ static: 'fleet.static', autoscaled: 'fleet.autoscaled', pooled: 'fleet.pooled' }[h.strategy] || 'fleet.autoscaled');
    const range = h.range && h.range.devices.high > h.range.devices.low ? '; ' + t('fleet.range', { low: num(h.range.devices.low), high: num(h.range.devices.high) }) : '';
    setText('fleet-summary', t('fleet.summary', { devices: h.devicesPeak, hardware: h.hardware, strategy, util: num(h.utilisationAverage * 100, 0), tz: h.timeZone }) + range, '');
    chart('fleet-chart').setOption({
      animation: false,
      grid: { left: 55, right: 55, top: 40, bottom: 40 },
      legend: { top: 0, data: [t('fleet.devices'), t('fleet.utilisation')] },
      tooltip: { trigger: 'axis' },
      // Every third hour (every sixth on a phone); the axes' zero labels are left out so they do not meet 00:00.
      xAxis: { type: 'category', data: h.hours.map(x => hourLabel(x.hour)), axisLabel: { interval: narrow() ? 5 : 2, hideOverlap: true } },
      yAxis: [
        { type: 'value', name: t('fleet.devicesAxis'), minInterval: 1, axisLabel: { showMinLabel: false } },
        { type: 'value', name: t('fleet.utilisationAxis'), min: 0, max: 100, axisLabel: { showMinLabel: false, formatter: v => v + '%' }, splitLine: { show: false } },
      ],
      series: [
        { name: t('fleet.devices'), type: 'bar', data: h.hours.map(x => x.devices), itemStyle: { color: '#3b6ea5' } },
        { name: t('fleet.utilisation'), type: 'line', yAxisIndex: 1, symbolSize: 5, data: h.hours.map(x => +(x.utilisation * 100).toFixed(1)), itemStyle: { color: '#c0392b' } },
      ],
    }, true);
    renderFindings('fleet-findings', h.findings);
  }

  function moneyIn(amount, currency) {
    const symbol = { CNY: '¥', USD: '$' }[currency];
    const text = num(amount, Math.abs(amount) < 100 ? 2 : 0);
    return symbol ? symbol + text : text + ' ' + currency;
  }

  // The plan's recommended sizing owned and rented (the figures of the Markdown report) and the hosted API at the plan's
  // monthly requests, as one list of options with their basis (own, rent, API).
  function costOptions(j) {
    const plan = j.plan, costs = plan.costs;
    if (!costs) return [];
    const app = plan.applications[0];
    const chosen = costs.strategies.find(x => x.strategy === plan.fleet.recommendedStrategy) || costs.strategies[0];
    const name = `${app.model} ${app.precision} on ${plan.fleet.devices}x ${plan.hardware}`;
    const options = [];
    const lines = cost => cost.lines.map(l => ({ part: l.part, perMonth: l.perMonth }));
    if (chosen && chosen.own) options.push({ kind: 'own', option: name + ' (buy)', perMonth: chosen.own.perMonth, parts: lines(chosen.own) });
    if (chosen && chosen.rent) options.push({ kind: 'rent', option: name + ` (rent ${costs.rentPerDeviceHour.provider})`, perMonth: chosen.rent.perMonth, parts: lines(chosen.rent) });
    for (const o of (j.compare ? j.compare.options : [])) if (o.kind === 'api') options.push(o);
    return options.sort((a, b) => a.perMonth - b.perMonth);
  }

  function renderCost(j) {
    const plan = j.plan;
    const c = { currency: plan.currency, exchangeRates: j.compare ? j.compare.exchangeRates : [] };
    const options = costOptions(j);
    const strategy = t({ static: 'fleet.static', autoscaled: 'fleet.autoscaled', pooled: 'fleet.pooled' }[plan.fleet.recommendedStrategy] || 'fleet.autoscaled');
    const kindName = o => t(KINDS[o.kind] || 'cost.kind.custom');
    document.getElementById('panel-cost').dataset.currency = c.currency;
    if (!options.length) {
      setText('cost-summary', t('cost.none'), 'bad');
      chart('cost-chart').clear();
    } else {
      const cheapest = options[0];
      setText('cost-summary', t('cost.summary', { option: optionName(cheapest.option), basis: kindName(cheapest), cost: moneyIn(cheapest.perMonth, c.currency), requests: num(plan.costs.requestsPerMonth), strategy }), '');
    }
    const parts = [...new Set(options.flatMap(o => o.parts.map(p => p.part)))];
    const names = options.map(o => kindName(o) + ': ' + optionName(o.option));
    chart('cost-chart').setOption({
      animation: false,
      grid: { left: 10, right: 80, top: 10, bottom: 10, containLabel: true },
      legend: { show: false },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: v => moneyIn(v, c.currency) },
      xAxis: { type: 'value', splitNumber: 3, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: narrow() ? 90 : 180, overflow: 'truncate' } },
      series: parts.map((part, i) => ({
        name: partName(part), type: 'bar', stack: 'total', barMaxWidth: 28,
        data: options.map(o => { const line = o.parts.find(p => p.part === part); return line ? line.perMonth : 0; }),
        label: i === parts.length - 1 ? { show: true, position: 'right', formatter: x => moneyIn(options[x.dataIndex].perMonth, c.currency) } : undefined,
      })),
    }, true);
    // The colour key as page text (it wraps at any width, where the chart's own legend would run off the side).
    const palette = chart('cost-chart').getOption().color || [];
    const legend = document.getElementById('cost-legend');
    legend.replaceChildren(...parts.map((part, i) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = palette[i % palette.length] || '#888';
      li.append(swatch, document.createTextNode(partName(part)));
      return li;
    }));
    // The options as a table too: basis, option and cost per month as text, so each figure can be read and copied.
    const body = document.querySelector('#cost-table tbody');
    body.replaceChildren();
    for (const o of options) {
      const tr = document.createElement('tr');
      tr.dataset.kind = o.kind;
      cell(tr, kindName(o));
      cell(tr, optionName(o.option));
      cell(tr, moneyIn(o.perMonth, c.currency), 'num');
      body.appendChild(tr);
    }
    document.getElementById('cost-axis').textContent = t('cost.axis', { currency: c.currency });
    const rate = (c.exchangeRates || [])[0];
    setText('cost-rate', rate
      ? t('cost.rate', { currency: c.currency, from: rate.from, to: rate.to, rate: rate.rate, date: rate.date })
      : t('cost.noRate', { currency: c.currency }));
    document.getElementById('cost-rate').className = 'note';
    renderFindings('cost-findings', [...(j.compare ? j.compare.findings : []), ...plan.findings].filter(f => f.severity !== 'info'));
  }

  // Axis ticks: 12,000 as 12k and 1,500,000 as 1.5M, so neighbouring ticks never run together.
  function compact(v) {
    const a = Math.abs(v);
    if (a >= 1e6) return sig(v / 1e6) + 'M';
    if (a >= 1e4) return sig(v / 1e3) + 'k';
    return sig(v);
  }

  function renderPareto(o) {
    const app = o.applications[0];
    const points = app.frontier.filter(f => f.quality !== null && f.quality !== undefined);
    const currency = o.currency;
    const basis = f => t(KINDS[f.costBasis] || 'cost.kind.custom');
    if (app.cheapest) {
      setText('pareto-summary', t('pareto.summary', { candidates: num(o.candidates), model: app.cheapest.model, devices: app.cheapest.devices, hardware: app.cheapest.hardware, cost: moneyIn(app.cheapest.costPerMonth.amount, app.cheapest.costPerMonth.currency), basis: basis(app.cheapest) }), '');
    } else {
      setText('pareto-summary', t('pareto.none', { candidates: num(o.candidates) }), 'bad');
    }
    const targets = {};
    if (!app.cheapest) {
      for (const r of app.rejected || []) {
        const field = ['ttft', 'tpot'].includes(r.code) ? r.code : null;
        if (field) targets[field] = (targets[field] ? targets[field] + '; ' : '') + r.family + ': ' + r.reason;
      }
    }
    PANELS.find(p => p.id === 'pareto').targets = targets;
    // The search's frontier also keeps dearer points that buy lower latency; the line joins those no cheaper point
    // matches on quality (the cost-quality front), the others are drawn grey.
    const byCost = [...points].sort((a, b) => a.costPerMonth.amount - b.costPerMonth.amount || b.quality - a.quality);
    let best = -Infinity;
    const front = [], faster = [];
    for (const f of byCost) {
      const range = f.costPerMonthRange && f.costPerMonthRange.high > f.costPerMonthRange.low
        ? ' (' + t('pareto.range', { low: moneyIn(f.costPerMonthRange.low, currency), high: moneyIn(f.costPerMonthRange.high, currency) }) + ')' : '';
      const point = [f.costPerMonth.amount, f.quality, `${f.model} ${f.precision} ×${f.devices} ${f.hardware}, ${basis(f)}${range}`, `${f.model} ×${f.devices}`];
      if (f.quality > best) { front.push(point); best = f.quality; } else faster.push(point);
    }
    chart('pareto-chart').setOption({
      animation: false,
      grid: { left: 50, right: 30, top: 40, bottom: 50 },
      legend: { top: 0, right: 0, data: [t('pareto.front'), t('pareto.faster')] },
      tooltip: { trigger: 'item', formatter: x => `${x.data[2]}: ${moneyIn(x.data[0], currency)}, MMLU ${x.data[1]}` },
      xAxis: { type: 'value', scale: true, name: t('pareto.xAxis', { currency }), nameLocation: 'middle', nameGap: 26, splitNumber: 4, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
      yAxis: { type: 'value', scale: true, name: t('pareto.yAxis'), nameLocation: 'middle', nameGap: 34 },
      series: [
        { name: t('pareto.faster'), type: 'scatter', symbolSize: 7, data: faster, itemStyle: { color: '#aab4c0' } },
        {
          name: t('pareto.front'), type: 'line', step: 'end', symbolSize: 10, data: front, itemStyle: { color: '#7a4fa0' },
          // Short labels above the points (model and devices; the tooltip has the rest), overlapping ones hidden.
          label: { show: true, position: 'top', distance: 8, fontSize: 11, formatter: x => x.data[3] },
          labelLayout: { hideOverlap: true },
        },
      ],
    }, true);
    renderDeployments(app, currency, basis);
    renderFindings('pareto-findings', o.findings.filter(f => f.severity !== 'info'));
  }

  // The search's top deployments (the cheapest and the frontier, up to TOP_SHOWN), each with the engine command line that runs it and a copy button;
  // then each rejected family with the search's reason (in the page's language) and how many candidates it held.
  const TOP_SHOWN = 5;
  function renderDeployments(app, currency, basis) {
    const secs = v => (v === null || v === undefined ? '–' : num(v, v < 1 ? 3 : 2) + ' s');
    const top = document.getElementById('pareto-top');
    // The headline's cheapest first (the frontier may hold another deployment of the same cost before it), then the frontier.
    const same = (a, b) => a.model === b.model && a.precision === b.precision && a.hardware === b.hardware && a.devicesPerReplica === b.devicesPerReplica && a.engine === b.engine;
    const shown = app.cheapest ? [app.cheapest, ...app.frontier.filter(f => !same(f, app.cheapest))] : app.frontier;
    top.replaceChildren(...shown.slice(0, TOP_SHOWN).map(f => {
      const li = document.createElement('li');
      const what = document.createElement('div');
      what.textContent = t('pareto.deployment', {
        model: f.model, precision: f.precision, devices: f.devices, hardware: f.hardware, cost: moneyIn(f.costPerMonth.amount, currency), basis: basis(f),
        ttft: secs(f.ttftP90Seconds), tpot: secs(f.tpotP90Seconds), quality: f.quality === null || f.quality === undefined ? '–' : num(f.quality, 1),
      });
      const line = document.createElement('div');
      line.className = 'command';
      const code = document.createElement('code');
      code.textContent = f.commandLine;
      const copy = document.createElement('button');
      copy.type = 'button';
      copy.className = 'copy';
      copy.textContent = t('pareto.copy');
      copy.addEventListener('click', () => copyText(f.commandLine, copy));
      line.append(code, copy);
      li.append(what, line);
      return li;
    }));
    const rejected = document.getElementById('pareto-rejected');
    rejected.replaceChildren(...(app.rejected || []).map(r => {
      const li = document.createElement('li');
      li.textContent = t('pareto.rejectedFamily', { family: r.family, reason: r.reason, candidates: num(r.candidates) });
      return li;
    }));
    if (!rejected.children.length) {
      const li = document.createElement('li');
      li.textContent = t('pareto.noneRejected');
      rejected.append(li);
    }
  }

  // Copies to the clipboard where the browser allows it (a loopback or HTTPS page), else selects the text for Ctrl+C.
  async function copyText(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = t('pareto.copied');
    } catch {
      const range = document.createRange();
      range.selectNodeContents(button.previousElementSibling);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = t('pareto.selected');
    }
  }

  function newestRate() {
    return catalog.rates.filter(r => r.from === 'USD' && r.to === 'CNY').sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  }

  function money(price) {
    if (!price) return '–';
    const rate = newestRate();
    let { amount, currency } = price;
    if (currency !== state.currency && rate) {
      if (currency === 'USD' && state.currency === 'CNY') { amount *= rate.rate; currency = 'CNY'; }
      else if (currency === 'CNY' && state.currency === 'USD') { amount /= rate.rate; currency = 'USD'; }
    }
    const symbol = { CNY: '¥', USD: '$' }[currency];
    const text = num(amount, amount < 100 ? 2 : 0);
    return symbol ? symbol + text : text + ' ' + currency;
  }

  function renderHardware() {
    const rate = newestRate();
    let source = '';
    try { source = rate ? new URL(rate.source).hostname : ''; } catch { source = ''; }
    setText('rate-note', rate ? t('hardware.rate', { rate: rate.rate, date: rate.date, source }) : t('hardware.noRate'));
    const selected = deviceOf(state.hardware);
    const body = document.querySelector('#hardware-table tbody');
    body.replaceChildren();
    for (const d of catalog.hardware) {
      const tr = document.createElement('tr');
      tr.dataset.id = d.id;
      if (d === selected) tr.className = 'selected';
      cell(tr, d.id);
      cell(tr, capacity(d.memoryBytes), 'num');
      cell(tr, num(d.memoryBandwidthBytesPerSecond / 1e9, 0), 'num');
      cell(tr, d.peakFlopPerSecond && d.peakFlopPerSecond.bf16 ? num(d.peakFlopPerSecond.bf16 / 1e12, 0) : '–', 'num');
      cell(tr, money(d.price), 'num price');
      cell(tr, money(d.rentPerHour), 'num');
      body.appendChild(tr);
    }
  }

  // ---- form, language, errors ----
  // Each panel keeps its last problem; the messages shown are those of every panel, beside the field each names
  // (or in the panel when no input holds it), so a panel finishing later does not wipe another's message.
  function showProblems() {
    for (const el of document.querySelectorAll('[data-error-for]')) el.textContent = '';
    for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    document.getElementById('general-error').textContent = '';
    for (const p of PANELS) {
      const own = document.getElementById(p.id + '-error');
      if (own) own.textContent = '';
      if (!p.problem) continue;
      const problem = p.problem;
      const detail = problem.detail || problem.title || t('status.failed', { status: problem.status });
      const named = (p.aliases || {})[problem.field] || FIELD_ALIASES[problem.field] || problem.field;
      const field = FIELDS.includes(named) ? named : targetOf(detail) || named;
      const target = field && FIELDS.includes(field) ? document.querySelector(`[data-error-for="${CSS.escape(field)}"]`) : null;
      if (target) {
        target.textContent = inPageWords(detail, problem.field, field);
        document.getElementById('f-' + field).setAttribute('aria-invalid', 'true');
      }
      if (own) own.textContent = detail;
      else if (!target) document.getElementById('general-error').textContent = detail;
    }
    // A search that answered but found no deployment because of a target: its reasons beside that target's field.
    for (const p of PANELS) {
      for (const [field, text] of Object.entries(p.targets || {})) {
        const target = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
        if (!target.textContent) target.textContent = text;
        document.getElementById('f-' + field).setAttribute('aria-invalid', 'true');
      }
    }
    showTargetAlert();
  }

  // The summary bar at the top: a target no deployment meets, with the server's explanation and remedies (the plan's
  // message, else the search's reasons) and a link to the field; hidden while the targets can be met.
  function showTargetAlert() {
    let found = null;
    for (const p of PANELS) {
      const detail = p.problem && (p.problem.detail || p.problem.title);
      const field = detail && targetOf(detail);
      if (field) { found = { field, text: detail }; break; }
    }
    if (!found) {
      for (const p of PANELS) {
        const [field, text] = Object.entries(p.targets || {})[0] || [];
        if (field) { found = { field, text }; break; }
      }
    }
    const bar = document.getElementById('plan-alert');
    bar.hidden = !found;
    if (!found) return;
    bar.dataset.field = found.field;
    document.getElementById('plan-alert-title').textContent = t('alert.title', { target: t('field.' + found.field) });
    document.getElementById('plan-alert-text').textContent = found.text;
    const link = document.getElementById('plan-alert-field');
    link.href = '#f-' + found.field;
    link.textContent = t('alert.field', { target: t('field.' + found.field) });
  }

  // A message shown beside a field names that field as the page labels it, in the page's language, not as the API
  // parameter the server names ("peakConcurrency must be from …" → "“Peak concurrent requests” must be from …"): the
  // parameter is replaced where it names the field (at the start, after "for ", "Example: " and "例如："), and any CLI option
  // (--ttft-p90) the same way; other words stay.
  function inPageWords(detail, apiField, field) {
    const label = '“' + t('field.' + field) + '”';
    const names = [...new Set([apiField, field, ...Object.keys(FIELD_ALIASES).filter(k => FIELD_ALIASES[k] === field)].filter(Boolean))];
    let text = String(detail);
    for (const name of names) {
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      text = text.replace(new RegExp('(^|\\bfor |\\bExample: |例如：)' + escaped + '(?=[\\s:,.;：，。；]|$)', 'g'), (_, before) => before + label);
    }
    return text.replace(/--[a-z][a-z0-9-]*/g, option => {
      const api = option.slice(2).replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
      const named = FIELD_ALIASES[api] || api;
      return FIELDS.includes(named) ? '“' + t('field.' + named) + '”' : option;
    });
  }

  function fillForm() {
    for (const f of FIELDS) document.getElementById('f-' + f).value = state[f] ?? '';
  }

  function options(select, values, labelOf) {
    select.replaceChildren(...values.map(v => { const o = document.createElement('option'); o.value = v; o.textContent = labelOf(v); return o; }));
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
    document.getElementById('lang-zh').setAttribute('aria-pressed', String(state.lang === 'zh'));
    document.getElementById('lang-en').setAttribute('aria-pressed', String(state.lang === 'en'));
    const kv = document.getElementById('f-kvPrecision');
    options(kv, KV_PRECISIONS, v => v || t('field.kvPrecision.auto'));
    kv.value = state.kvPrecision;
    const profile = document.getElementById('f-profile');
    options(profile, Object.keys(PROFILES), v => t(PROFILES[v]));
    profile.value = state.profile;
    document.getElementById('currency').value = state.currency;
  }

  function rerender() {
    applyLanguage();
    for (const p of PANELS) if (p.render && last[p.id]) p.render(last[p.id]);
    markStale();
    renderHardware();
    writeUrl();
    renderPins();
  }

  let catalogReady = null;
  async function loadCatalog() {
    const [models, hardware, prices] = await Promise.all(['/api/catalog/models', '/api/catalog/hardware', '/api/catalog/prices'].map(getJson));
    catalog.models = models.ok ? models.json.models : [];
    catalog.hardware = hardware.ok ? hardware.json.devices : [];
    catalog.rates = prices.ok ? prices.json.exchangeRates : [];
    options(document.getElementById('models-list'), catalog.models.map(m => m.id), v => (catalog.models.find(m => m.id === v) || {}).hfRepo || '');
    options(document.getElementById('hardware-list'), catalog.hardware.map(d => d.id), v => (catalog.hardware.find(d => d.id === v) || {}).name || '');
    const apis = prices.ok ? prices.json.api : [];
    options(document.getElementById('api-list'), apis.map(a => a.model), v => (apis.find(a => a.model === v) || {}).provider || '');
  }

  // A panel whose drawing was made for other inputs than the current ones (its call failed, or it has not been
  // fetched again yet) is greyed with a note, so no headline or chart passes for the current inputs' answer.
  function markStale() {
    for (const p of PANELS) {
      const section = document.getElementById('panel-' + p.id);
      const stale = p.rendered !== undefined && p.rendered !== p.request(state);
      section.classList.toggle('stale', stale);
      let note = section.querySelector('.stale-note');
      if (!note) {
        note = document.createElement('p');
        note.className = 'stale-note';
        note.dataset.i18n = 'status.stale';
        section.querySelector('h2').after(note);
      }
      // Between an edit and its answer (the 200 ms debounce, then the call) the note says the panel is updating.
      const key = section.dataset.state === 'loading' || timer ? 'status.updating' : 'status.stale';
      note.textContent = t(key);
      note.dataset.i18n = key;
      note.hidden = !stale;
    }
  }

  // Time from the latest edit to each panel's answer for it, in ms (body[data-edit-ms], JSON, once everything is
  // drawn): scripts/measure.sh reports it in docs/timings.md against the 300 ms interaction target.
  let editStart = 0;
  let editTimes = {};

  function settle() {
    markStale();
    if (inflight === 0 && !timer) {
      if (editStart) { document.body.dataset.editMs = JSON.stringify(editTimes); editStart = 0; }
      document.body.dataset.ready = '1';
    }
  }

  // Fetches and draws one panel for the current state, unless it already shows it.
  async function load(p) {
    const url = p.request(state);
    if (p.shown === url) return;
    p.shown = url;
    const section = document.getElementById('panel-' + p.id);
    section.dataset.state = 'loading';
    markStale();
    inflight++;
    document.body.dataset.ready = '0';
    try {
      const r = p.fetch ? await p.fetch(url, { ...state }) : await getJson(url);
      if (r.aborted) {
        // Cancelled for newer inputs: nothing was drawn, and the same inputs again would fetch it anew.
        if (p.shown === url) { p.shown = undefined; section.dataset.state = 'idle'; }
        return;
      }
      if (p.shown !== url) return; // a newer state took over
      p.problem = r.ok ? null : r.problem;
      if (!r.ok) p.targets = {};
      if (r.ok) { last[p.id] = r.json; p.rendered = url; p.render(r.json); if (editStart) editTimes[p.id] = Math.round(performance.now() - editStart); }
      section.dataset.state = r.ok ? 'ready' : 'error';
      showProblems();
    } finally {
      inflight--;
      settle();
    }
  }

  async function update() {
    const mine = ++generation;
    timer = 0;
    document.body.dataset.ready = '0';
    writeUrl();
    markStale();
    inflight++;
    try {
      await catalogReady;
      followModel();
      writeUrl();
      await Promise.all(PANELS.filter(p => !p.lazy).map(load));
      if (mine !== generation) return;
      renderHardware();
      // Time from navigation to the first complete render, for the page's 1-second target (docs/web.md).
      if (!document.body.dataset.firstRenderMs) document.body.dataset.firstRenderMs = String(Math.round(performance.now()));
      document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
      for (const p of PANELS.filter(p => p.lazy && (p.visible || p.eager))) load(p);
    } finally {
      inflight--;
      settle();
    }
  }

  let timer = 0;
  function schedule() {
    if (!editStart) { editStart = performance.now(); editTimes = {}; }
    document.body.dataset.ready = '0';
    clearTimeout(timer);
    timer = setTimeout(update, 200);
    // A search still running for the old inputs is stopped at once (the server sees the request aborted).
    for (const p of PANELS) if (p.controller && p.shown !== p.request(state)) p.controller.abort();
    markStale();
  }

  function watchLazyPanels() {
    const byId = Object.fromEntries(PANELS.filter(p => p.lazy).map(p => ['panel-' + p.id, p]));
    const observer = new IntersectionObserver(entries => {
      for (const e of entries) {
        const p = byId[e.target.id];
        if (e.isIntersecting && !p.visible) {
          p.visible = true;
          // Wait for the first render of the quick panels, so the first view is not slowed by the longer calls.
          if (document.body.dataset.firstRenderMs && !timer) load(p);
        }
      }
    }, { rootMargin: '100px' });
    for (const id of Object.keys(byId)) observer.observe(document.getElementById(id));
  }

  // Downloads go through fetch, so a plan the server refuses (a bad input) shows its message beside the links instead
  // of a download the browser reports as failed. A plan whose targets cannot be met is not refused: its report and
  // spreadsheet say what was asked, why it cannot be met and the remedies.
  async function download(e) {
    const a = e.target.closest('a[download]');
    if (!a) return;
    e.preventDefault();
    const error = document.getElementById('download-error');
    error.textContent = '';
    try {
      const r = await fetch(a.href);
      if (!r.ok) {
        const body = await r.json().catch(() => null);
        error.textContent = body && (body.detail || body.title) ? (body.detail || body.title) : t('status.failed', { status: r.status });
        return;
      }
      const url = URL.createObjectURL(await r.blob());
      const save = document.createElement('a');
      save.href = url;
      save.download = a.getAttribute('download');
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (x) {
      error.textContent = t('status.failed', { status: String(x) });
    }
  }

  // ---- pinned plans: each is the page's inputs at the time it was pinned (kept in the state and the link as 'pin'
  // parameters); its numbers come from the same calls as the panels, in the current currency ----
  const pinCache = new Map();
  let pinGeneration = 0;

  function pinOf(s) { return new URLSearchParams(FIELDS.map(k => [k, s[k] ?? ''])).toString(); }

  function pinData(pin) {
    const s = { ...state, ...Object.fromEntries(new URLSearchParams(pin)), pins: [] };
    const key = pin + '&currency=' + s.currency;
    if (!pinCache.has(key)) {
      pinCache.set(key, Promise.all([
        fetchCost(api('/api/plan', scenarioOf(s)), s),
        getJson(api('/api/perf', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, devices: s.devices, input: s.prompt, output: s.output, batch: s.batch })),
      ]).then(([cost, perf]) => ({ s, cost, perf })));
    }
    return pinCache.get(key);
  }

  async function renderPins() {
    const mine = ++pinGeneration;
    const pins = state.pins || [];
    const section = document.getElementById('panel-pinned');
    section.hidden = pins.length === 0;
    if (!pins.length) return;
    chart('pinned-chart').resize();
    inflight++;
    document.body.dataset.ready = '0';
    try {
      const all = await Promise.all(pins.map(pinData));
      if (mine !== pinGeneration) return;
      const body = document.querySelector('#pinned-table tbody');
      body.replaceChildren();
      const points = [];
      all.forEach(({ s, cost, perf }, i) => {
        const tr = document.createElement('tr');
        const options = cost.ok ? costOptions(cost.json) : [];
        const by = kind => options.find(o => o.kind === kind);
        const currency = cost.ok ? cost.json.plan.currency : s.currency;
        const row = perf.ok ? (perf.json.rows || []).find(r => String(r.batch) === String(s.batch).trim()) : null;
        const plan = cost.ok ? cost.json.plan : null;
        cell(tr, `${s.model} ${s.precision}, ${plan ? plan.fleet.devices : '–'} × ${s.hardware}`);
        cell(tr, num(Number(s.peak)), 'num');
        for (const kind of ['own', 'rent']) cell(tr, by(kind) ? moneyIn(by(kind).perMonth, currency) : '–', 'num ' + kind);
        const apiOption = by('api');
        cell(tr, apiOption ? apiOption.option + ' ' + moneyIn(apiOption.perMonth, currency) : '–', 'num api');
        cell(tr, row ? seconds(row.prefillSeconds) : '–', 'num');
        cell(tr, row ? seconds(row.timePerOutputTokenSeconds) : '–', 'num');
        const td = document.createElement('td');
        const unpin = document.createElement('button');
        unpin.type = 'button';
        unpin.className = 'unpin';
        unpin.textContent = t('pinned.unpin');
        unpin.addEventListener('click', () => { state.pins = state.pins.filter((_, j) => j !== i); writeUrl(); renderPins(); });
        td.appendChild(unpin);
        tr.appendChild(td);
        if (!cost.ok) { tr.className = 'error'; tr.title = cost.problem.detail || ''; }
        body.appendChild(tr);
        // The chart: the cheaper of owning and renting (the plan's basis) against the time per output token.
        const own = by('own'), rent = by('rent');
        const best = own && rent ? (own.perMonth <= rent.perMonth ? own : rent) : own || rent;
        if (best && row) points.push({ value: [+(row.timePerOutputTokenSeconds * 1000).toPrecision(4), best.perMonth], name: `${s.model} ×${plan.fleet.devices} ${s.hardware} (${t(KINDS[best.kind])})`, currency });
      });
      const currency = points.length ? points[0].currency : state.currency;
      chart('pinned-chart').setOption({
        animation: false,
        grid: { left: 10, right: 30, top: 30, bottom: 40, containLabel: true },
        tooltip: { trigger: 'item', formatter: x => `${x.data.name}: ${moneyIn(x.data.value[1], currency)}, ${sig(x.data.value[0])} ms` },
        // Both axes from zero, so plans a few yuan apart do not look far apart; room beyond the largest for its label.
        xAxis: { type: 'value', min: 0, boundaryGap: ['0%', '25%'], name: t('pinned.xAxis'), nameLocation: 'middle', nameGap: 26, splitNumber: 4, axisLabel: { hideOverlap: true, formatter: v => sig(v) } },
        yAxis: { type: 'value', min: 0, boundaryGap: ['0%', '15%'], name: t('pinned.yAxis', { currency }), splitNumber: 4, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
        series: [{ type: 'scatter', symbolSize: 12, itemStyle: { color: '#7a4fa0' }, data: points, label: { show: true, position: 'top', fontSize: 11, formatter: x => x.data.name }, labelLayout: { hideOverlap: true } }],
      }, true);
    } finally {
      inflight--;
      settle();
    }
  }

  function pinCurrent() {
    const pin = pinOf(state);
    state.pins = [...(state.pins || []).filter(p => p !== pin), pin].slice(-MAX_PINS);
    writeUrl();
    renderPins();
  }

  // A time zone still at the language's default follows the language (and the plan panels are fetched again).
  function setLanguage(lang) {
    const follows = state.timeZone === ZONES[state.lang] && state.timeZone !== ZONES[lang];
    state.lang = lang;
    if (follows) { state.timeZone = ZONES[lang]; fillForm(); }
    rerender();
    // The server answers in the page's language (lang on every call): switching fetches the panels again in the new one.
    update();
  }

  function boot() {
    if (!state.timeZone) state.timeZone = ZONES[state.lang];
    options(document.getElementById('f-precision'), PRECISIONS, v => v);
    attachHelp();
    applyLanguage();
    fillForm();
    catalogReady = loadCatalog();
    document.getElementById('form').addEventListener('input', e => {
      const f = e.target.name;
      if (!FIELDS.includes(f)) return;
      state[f] = e.target.value;
      if (f === 'precision') state.precisionChosen = true;
      if (f === 'model' && catalog.models.length) followModel();
      schedule();
    });
    document.getElementById('form').addEventListener('submit', e => e.preventDefault());
    document.querySelector('.downloads').addEventListener('click', download);
    document.getElementById('pin').addEventListener('click', pinCurrent);
    document.getElementById('lang-zh').addEventListener('click', () => setLanguage('zh'));
    document.getElementById('lang-en').addEventListener('click', () => setLanguage('en'));
    document.getElementById('currency').addEventListener('change', e => { state.currency = e.target.value; rerender(); update(); });
    window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
    watchLazyPanels();
    update();
    renderPins();
  }

  boot();
})();
