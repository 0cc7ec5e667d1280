// The planning page. It parses nothing itself beyond the form: it calls the API (the same reports as the CLI),
// renders the JSON, and keeps the whole state in the query string so a plan can be shared by link.
// Server and user text is only ever written with textContent, never as HTML.
(() => {
  'use strict';
  const I18N = window.SUANLI_I18N;
  const FIELDS = ['model', 'precision', 'kvPrecision', 'hardware', 'devices', 'prompt', 'output', 'batch'];
  const DEFAULTS = {
    model: 'qwen2.5-7b-instruct', precision: 'bf16', kvPrecision: '', hardware: 'nvidia-h100-sxm5-80gb', devices: '1',
    prompt: '1024', output: '256', batch: '16', lang: 'en', currency: 'CNY',
  };
  const PRECISIONS = ['bf16', 'fp16', 'fp8', 'int8', 'int4', 'fp4', 'fp32', 'q8_0', 'q4_0', 'q4_k_m'];
  const KV_PRECISIONS = ['', 'bf16', 'fp16', 'fp8', 'int8', 'fp32'];
  // Fields the API names differently from the input that holds them.
  const FIELD_ALIASES = { context: 'prompt' };

  let state = { ...DEFAULTS, ...fromUrl() };
  const catalog = { models: [], hardware: [], rates: [] };
  const charts = {};
  const last = {};
  let generation = 0;

  // Extension point (docs/web.md, "Adding an endpoint and a panel"): each panel names the request it needs from the
  // state (null while its endpoint has not landed) and renders the JSON the endpoint returns.
  const PANELS = [
    { id: 'memory', request: s => api('/api/memory', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, context: contextOf(s), batch: s.batch, hardware: s.hardware, devices: s.devices }), render: renderMemory },
    { id: 'perf', request: s => api('/api/perf', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, devices: s.devices, prompt: s.prompt, output: s.output }), render: renderPerf },
    { id: 'fleet', request: null, render: null },   // GET /api/simulate, /api/capacity (suanli simulate, capacity)
    { id: 'cost', request: null, render: null },    // POST /api/compare (suanli compare)
    { id: 'pareto', request: null, render: null },  // POST /api/optimize with the scenario (suanli optimize)
  ];

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
    return s;
  }

  function writeUrl() {
    const q = new URLSearchParams();
    for (const k of [...FIELDS, 'lang', 'currency']) q.set(k, state[k] ?? '');
    history.replaceState(null, '', '?' + q.toString());
    document.getElementById('share-link').href = location.href;
  }

  function api(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, v);
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

  async function getJson(url) {
    try {
      const r = await fetch(url, { headers: { Accept: 'application/json' } });
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
  const seconds = s => (s < 1 ? sig(s * 1000) + ' ms' : sig(s) + ' s');

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
    for (const f of findings || []) {
      const li = document.createElement('li');
      li.className = f.severity;
      li.textContent = t('findings.' + f.severity) + ': ' + f.message;
      ul.appendChild(li);
    }
  }

  function chart(id) {
    if (!charts[id]) charts[id] = window.echarts.init(document.getElementById(id), null, { renderer: 'svg' });
    return charts[id];
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
    const capacity = device ? +(device.memoryBytes * m.devices / 1e9).toFixed(1) : null;
    chart('memory-chart').setOption({
      animation: false,
      grid: { left: 45, right: 15, top: 30, bottom: 55 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: parts.map(p => t(p)), axisLabel: { interval: 0, fontSize: 11, rotate: 25 } },
      yAxis: { type: 'value', name: t('memory.axis') },
      series: [
        {
          type: 'bar', data: values, itemStyle: { color: '#3b6ea5' }, label: { show: true, position: 'top', formatter: p => num(p.value, 1) },
          markLine: capacity ? { symbol: 'none', silent: true, data: [{ yAxis: capacity }], label: { formatter: () => t('memory.usable') + ' ' + num(capacity, 0) + ' GB', position: 'insideStartTop' }, lineStyle: { color: '#c0392b' } } : undefined,
        },
        // An invisible point at the devices' memory so the axis reaches the line with round ticks.
        { type: 'scatter', silent: true, symbolSize: 0, data: capacity ? [[parts.length - 1, capacity]] : [], tooltip: { show: false } },
      ],
    }, true);
    renderFindings('memory-findings', m.findings);
    document.getElementById('download-md').href = PANELS[0].request(state) + '&format=markdown';
  }

  function renderPerf(p) {
    const point = r => [+r.tokensPerSecondPerSequence.toPrecision(4), +r.outputTokensPerSecond.toPrecision(4), r.batch];
    const batch = tokens(state.batch);
    const rows = p.rows.filter(r => r.fits);
    const at = [...rows].reverse().find(r => r.batch <= batch) || rows[0];
    const layout = `${p.devices} × ${p.hardware} (TP=${p.tp} PP=${p.pp})`;
    if (at) setText('perf-summary', t('perf.summary', { layout, ttft: seconds(at.prefillSeconds), batch: at.batch, tps: sig(at.outputTokensPerSecond), perSeq: sig(at.tokensPerSecondPerSequence) }), '');
    else setText('perf-summary', t('perf.none'), 'bad');
    const label = { show: true, position: 'top', fontSize: 10, formatter: x => 'B' + x.data[2] };
    chart('perf-chart').setOption({
      animation: false,
      grid: { left: 70, right: 30, top: 40, bottom: 50 },
      legend: { top: 0, data: [t('perf.fits'), t('perf.overflow')] },
      tooltip: { trigger: 'item', formatter: x => `${t('perf.batch')} ${x.data[2]}: ${sig(x.data[1])} tok/s, ${sig(x.data[0])} tok/s/seq` },
      xAxis: { type: 'log', name: t('perf.xAxis'), nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: v => sig(v) } },
      yAxis: { type: 'log', name: t('perf.yAxis'), axisLabel: { formatter: v => sig(v) } },
      series: [
        { name: t('perf.fits'), type: 'line', symbolSize: 7, data: p.rows.filter(r => r.fits).map(point), label, itemStyle: { color: '#1e7d4f' } },
        { name: t('perf.overflow'), type: 'scatter', symbolSize: 7, data: p.rows.filter(r => !r.fits).map(point), label, itemStyle: { color: '#aab4c0' } },
      ],
    }, true);
    renderFindings('perf-findings', p.findings);
  }

  function newestRate() {
    return catalog.rates.find(r => r.from === 'USD' && r.to === 'CNY');
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
      cell(tr, num(d.memoryBytes / 1e9, 0), 'num');
      cell(tr, num(d.memoryBandwidthBytesPerSecond / 1e9, 0), 'num');
      cell(tr, d.peakFlopPerSecond && d.peakFlopPerSecond.bf16 ? num(d.peakFlopPerSecond.bf16 / 1e12, 0) : '–', 'num');
      cell(tr, money(d.price), 'num price');
      cell(tr, money(d.rentPerHour), 'num');
      body.appendChild(tr);
    }
  }

  // ---- form, language, errors ----
  function clearErrors() {
    for (const el of document.querySelectorAll('[data-error-for]')) el.textContent = '';
    for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    document.getElementById('general-error').textContent = '';
  }

  function showProblem(problem) {
    const field = FIELD_ALIASES[problem.field] || problem.field;
    const detail = problem.detail || problem.title || t('status.failed', { status: problem.status });
    const target = field && FIELDS.includes(field) ? document.querySelector(`[data-error-for="${CSS.escape(field)}"]`) : null;
    (target || document.getElementById('general-error')).textContent = detail;
    if (target) document.getElementById('f-' + field).setAttribute('aria-invalid', 'true');
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
    document.getElementById('currency').value = state.currency;
  }

  function rerender() {
    applyLanguage();
    for (const p of PANELS) if (p.render && last[p.id]) p.render(last[p.id]);
    renderHardware();
    writeUrl();
  }

  let catalogReady = null;
  async function loadCatalog() {
    const [models, hardware, rates] = await Promise.all(['/api/catalog/models', '/api/catalog/hardware', '/api/catalog/exchange-rates'].map(getJson));
    catalog.models = models.ok ? models.json : [];
    catalog.hardware = hardware.ok ? hardware.json : [];
    catalog.rates = rates.ok ? rates.json : [];
    options(document.getElementById('models-list'), catalog.models.map(m => m.id), v => (catalog.models.find(m => m.id === v) || {}).hfRepo || '');
    options(document.getElementById('hardware-list'), catalog.hardware.map(d => d.id), v => (catalog.hardware.find(d => d.id === v) || {}).name || '');
  }

  async function update() {
    const mine = ++generation;
    document.body.dataset.ready = '0';
    writeUrl();
    const active = PANELS.filter(p => p.request);
    const results = await Promise.all([catalogReady, ...active.map(p => getJson(p.request(state)))]);
    if (mine !== generation) return; // a newer change is on its way
    clearErrors();
    active.forEach((p, i) => {
      const r = results[i + 1];
      if (r.ok) { last[p.id] = r.json; p.render(r.json); } else { showProblem(r.problem); }
    });
    renderHardware();
    document.body.dataset.ready = '1';
    // Time from navigation to the first complete render, for the page's 1-second target (docs/web.md).
    if (!document.body.dataset.firstRenderMs) document.body.dataset.firstRenderMs = String(Math.round(performance.now()));
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }

  let timer = 0;
  function schedule() {
    document.body.dataset.ready = '0';
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  }

  function boot() {
    options(document.getElementById('f-precision'), PRECISIONS, v => v);
    applyLanguage();
    fillForm();
    catalogReady = loadCatalog();
    document.getElementById('form').addEventListener('input', e => {
      const f = e.target.name;
      if (FIELDS.includes(f)) { state[f] = e.target.value; schedule(); }
    });
    document.getElementById('form').addEventListener('submit', e => e.preventDefault());
    document.getElementById('lang-zh').addEventListener('click', () => { state.lang = 'zh'; rerender(); });
    document.getElementById('lang-en').addEventListener('click', () => { state.lang = 'en'; rerender(); });
    document.getElementById('currency').addEventListener('change', e => { state.currency = e.target.value; rerender(); });
    window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
    update();
  }

  boot();
})();
