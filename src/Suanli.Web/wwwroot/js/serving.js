// The simulate and capacity section: one deployment (a replica, or a whole system split into replicas) under a load,
// run on demand with GET /api/simulate or /api/capacity (the documents suanli simulate and suanli capacity print with
// --format json). A run can be cancelled (its request is aborted, which stops the work on the server) and is bounded
// by the server's time limit; a refused input shows the API's own message, beside its field and in the section.
import { state, t, writeUrl, run } from './state.js';
import { api, fetchRetrying, problemOf, unreachable } from './api.js';
import { num, sig, seconds, setText, cell, renderFindings, attachHelp } from './format.js';
import { options } from './form.js';
import { settle } from './loading.js';

// The section's inputs and their values when the link names none (state.sim holds those the user set). An empty text
// field takes the form's value (INHERITED), shown as its placeholder, so the section simulates the plan's deployment.
export const SIM_FIELDS = ['run', 'model', 'hardware', 'scope', 'devices', 'tp', 'pp', 'replicas', 'speculate', 'accept', 'input', 'output', 'load', 'amount', 'start', 'ttft', 'tpot', 'requests'];
const SIM_DEFAULTS = { run: 'simulate', scope: 'replica', load: 'concurrency', start: 'together' };
const INHERITED = { model: 'model', hardware: 'hardware', devices: 'devices', input: 'prompt', output: 'output', ttft: 'ttft', tpot: 'tpot' };
const CHOICES = {
  run: { simulate: 'serving.run.simulate', capacity: 'serving.run.capacity' },
  scope: { replica: 'serving.scope.replica', system: 'serving.scope.system' },
  load: { concurrency: 'serving.load.concurrency', rate: 'serving.load.rate' },
  start: { together: 'serving.start.together', staggered: 'serving.start.staggered' },
};
// API fields the section holds under another name (the API's problem names the field; the message goes beside it).
const ALIASES = { systemDevices: 'devices', concurrency: 'amount', rate: 'amount', mode: 'load', ttftP90: 'ttft', tpotP90: 'tpot', ttftPercentile: 'ttft', tpotPercentile: 'tpot', draftTokens: 'speculate' };
// The placeholders of the fields that inherit nothing, and the names of the document's codes in the page's language:
// a closed loop's start, the latency metrics and the values of limitingTarget and a probe's failing (CapacityJson).
const PLACEHOLDERS = { tp: 'serving.placeholder.tp', pp: 'serving.placeholder.pp', replicas: 'serving.placeholder.replicas', speculate: 'serving.placeholder.speculate', accept: 'serving.placeholder.accept', amount: 'serving.placeholder.amount', requests: 'serving.placeholder.requests' };
const STARTED = { together: 'serving.started.together', staggered: 'serving.started.staggered' };
const METRICS = { ttft: 'serving.metric.ttft', tpot: 'serving.metric.tpot', e2e: 'serving.metric.e2e', queue: 'serving.metric.queue' };
const LIMITS = { ttft: 'serving.limit.ttft', tpot: 'serving.limit.tpot', e2e: 'serving.limit.e2e', throughput: 'serving.limit.throughput', none: 'serving.limit.none' };

const view = { controller: null, shown: null, json: null, problem: null, cancelled: false };
const value = k => String(state.sim[k] ?? SIM_DEFAULTS[k] ?? '').trim();
const pick = k => value(k) || String(state[INHERITED[k]] ?? '').trim();

// The call of the section's inputs: simulate at the load given, or capacity searching the load (its mode).
export function servingRequest(s = state) {
  const capacity = value('run') === 'capacity';
  const clients = value('load') !== 'rate';
  const system = value('scope') === 'system';
  const q = {
    model: pick('model'), precision: s.precision, kvPrecision: s.kvPrecision, hardware: pick('hardware'),
    [system ? 'systemDevices' : 'devices']: pick('devices'),
    tp: system ? value('tp') : '', pp: system ? value('pp') : '', replicas: system ? value('replicas') : '',
    input: pick('input'), output: pick('output'), start: clients ? value('start') : '',
    ttft: pick('ttft'), tpot: pick('tpot'), ttftPercentile: s.ttftPercentile, tpotPercentile: s.tpotPercentile,
    requests: value('requests'), speculate: value('speculate'), accept: value('accept'),
  };
  if (capacity) q.mode = clients ? 'concurrency' : 'rate';
  else q[clients ? 'concurrency' : 'rate'] = clients ? value('amount') || String(s.peak ?? '').trim() : value('amount');
  return api(capacity ? '/api/capacity' : '/api/simulate', q);
}

export function startServing() {
  const form = document.getElementById('serving-form');
  attachHelp(SIM_FIELDS.map(f => [form.elements[f], 'help-s-' + f, 'help.serving.' + f]));
  form.addEventListener('input', e => {
    if (!SIM_FIELDS.includes(e.target.name)) return;
    state.sim[e.target.name] = e.target.value;
    showFields();
    writeUrl();
    markServing();
  });
  form.addEventListener('submit', e => { e.preventDefault(); runServing(); });
  document.getElementById('serving-cancel').addEventListener('click', () => { if (view.controller) view.controller.abort(); });
}

// An edit of the form above changes the inherited values: the placeholders and the out-of-date mark follow it
// (js/loading.js, schedule).
export function followForm() {
  showFields();
  markServing();
}

// Labels, choices and placeholders in the page's language; fields the question does not take are hidden.
export function showFields() {
  const form = document.getElementById('serving-form');
  for (const [f, labels] of Object.entries(CHOICES)) {
    options(form.elements[f], Object.keys(labels), v => t(labels[v]));
    form.elements[f].value = value(f);
  }
  for (const f of SIM_FIELDS.filter(f => !CHOICES[f])) {
    const input = form.elements[f];
    if (document.activeElement !== input) input.value = state.sim[f] ?? '';
    const inherited = INHERITED[f] ? String(state[INHERITED[f]] ?? '') : '';
    input.placeholder = inherited ? t('serving.inherit', { value: inherited }) : t(PLACEHOLDERS[f]);
  }
  const capacity = value('run') === 'capacity', clients = value('load') !== 'rate';
  if (clients) form.elements.amount.placeholder = t('serving.inherit', { value: state.peak });
  for (const f of ['tp', 'pp', 'replicas']) form.elements[f].closest('.field').hidden = value('scope') !== 'system';
  form.elements.amount.closest('.field').hidden = capacity;
  form.elements.start.closest('.field').hidden = !clients;
  form.elements.accept.closest('.field').hidden = !value('speculate');
  const amount = document.getElementById('s-amount-label');
  amount.dataset.i18n = clients ? 'serving.field.clients' : 'serving.field.rate';
  amount.textContent = t(amount.dataset.i18n);
  document.getElementById('serving-go').textContent = t(capacity ? 'serving.go.capacity' : 'serving.go');
}

// Runs the section's call; a run already going is aborted first. The body's ready mark waits for it, as for a panel.
export async function runServing() {
  if (view.controller) view.controller.abort();
  const controller = new AbortController();
  const url = servingRequest();
  const section = document.getElementById('panel-serving');
  // The message of an earlier run goes; its result stays, greyed, until this one answers.
  Object.assign(view, { controller, cancelled: false, problem: null });
  section.dataset.state = 'loading';
  document.getElementById('serving-cancel').hidden = false;
  renderServing();
  run.inflight++;
  document.body.dataset.ready = '0';
  try {
    const r = await fetchRetrying(url, { headers: { Accept: 'application/json, application/problem+json' }, signal: controller.signal });
    const answer = r.ok ? { json: await r.json() } : { problem: await problemOf(r) };
    if (view.controller !== controller) return;
    Object.assign(view, { shown: url, json: answer.json || null, problem: answer.problem || null });
  } catch (e) {
    if (view.controller !== controller) return;
    if (e && e.name === 'AbortError') view.cancelled = true;
    else Object.assign(view, { shown: url, json: null, problem: unreachable() });
  } finally {
    if (view.controller === controller) {
      view.controller = null;
      section.dataset.state = view.cancelled ? 'cancelled' : view.problem ? 'error' : 'ready';
      document.getElementById('serving-cancel').hidden = true;
      renderServing();
    }
    run.inflight--;
    settle();
  }
}

// Switching the language asks again for a result shown, so its sentences (reason, findings) come in the new one.
export function relanguageServing() {
  const other = url => url.replace(/([?&])lang=\w+/, '$1');
  if (view.shown && !view.controller && view.shown !== servingRequest() && other(view.shown) === other(servingRequest())) runServing();
}

// The result (or the API's message) shown; greyed with a note once the inputs differ from those it was run for.
export function renderServing() {
  showFields();
  setText('serving-status', view.controller ? t('serving.running') : view.cancelled ? t('serving.cancelled') : '');
  for (const el of document.querySelectorAll('[data-serving-error]')) el.textContent = '';
  for (const el of document.querySelectorAll('#serving-form [aria-invalid]')) el.removeAttribute('aria-invalid');
  const problem = view.problem;
  const detail = problem ? problem.detail || problem.title || t('status.failed', { status: problem.status }) : '';
  document.getElementById('serving-error').textContent = detail;
  const field = problem && (ALIASES[problem.field] || problem.field);
  const beside = field && document.querySelector(`[data-serving-error="${CSS.escape(field)}"]`);
  if (beside) {
    beside.textContent = detail;
    document.getElementById('s-' + field).setAttribute('aria-invalid', 'true');
  }
  const result = document.getElementById('serving-result');
  result.hidden = !view.json;
  if (view.json) (view.json.probes ? renderCapacity : renderSimulate)(view.json);
  markServing();
}

export function markServing() {
  const stale = Boolean(view.shown) && view.shown !== servingRequest();
  const section = document.getElementById('panel-serving');
  section.classList.toggle('outdated', stale);
  if (stale && !view.controller && !view.cancelled) setText('serving-status', t('serving.outdated'));
}

// One replica (devices) or a system split into replicas, and why that split: the server's system-layout finding,
// which says it in the page's language (the document's reason is its English sentence), taken out of the findings.
function showLayout(system, reason, inputs, findings) {
  setText('serving-layout', system
    ? t('serving.layout.system', { replicas: system.replicas, tp: system.tp, pp: system.pp, each: system.replicaDevices, devices: system.devices, hardware: inputs.hardware })
    : t('serving.layout.replica', { devices: inputs.devices, hardware: inputs.hardware, tp: inputs.tp, pp: inputs.pp }));
  const why = findings.find(f => f.code === 'system-layout');
  setText('serving-why', system ? (why ? why.message : reason) : '');
  return findings.filter(f => f !== why);
}

function loadText(inputs) {
  if (inputs.concurrency != null) return t('serving.clients', { n: num(inputs.concurrency), start: t(STARTED[inputs.start] || STARTED.together) });
  return t('serving.rate', { rate: sig(inputs.requestRate) });
}

function renderSimulate(j) {
  const system = j.system;
  const through = system || j.throughput;
  const met = j.targets.length ? j.targets.every(x => x.met) : null;
  // The simulated load is one replica's; the system's figures are the replicas' together (the document's system).
  const figures = { load: loadText(j.inputs), replicas: system ? system.layout.replicas : 1, tps: sig(through.outputTokensPerSecond), rps: sig(through.requestsPerSecond), ttft: seconds(j.latency.ttft.p90), tpot: seconds(j.latency.tpot.p90) };
  setText('serving-summary', t(system ? 'serving.sim.system' : 'serving.sim.summary', figures)
    + (met === null ? '' : ' ' + t(met ? 'serving.sim.met' : 'serving.sim.missed')), met === null ? '' : met ? 'good' : 'bad');
  const findings = showLayout(system && system.layout, system && system.reason, j.inputs, j.findings);
  renderSimulation(j, system);
  renderTargets(j.targets);
  document.getElementById('serving-probes-box').hidden = true;
  document.getElementById('serving-remedies').replaceChildren();
  renderFindings('serving-findings', findings);
}

function renderCapacity(c) {
  const rate = c.mode === 'rate';
  const max = rate ? c.maxRequestsPerSecond : c.maxConcurrency;
  const system = c.layout ? (rate ? c.systemMaxRequestsPerSecond : c.systemMaxConcurrency) : null;
  const amount = v => (rate ? t('serving.rate', { rate: sig(v) }) : t('serving.clients', { n: num(v), start: t(STARTED[c.start] || STARTED.together) }));
  const limit = t(LIMITS[c.limitingTarget] || 'serving.limit.none');
  if (max == null) setText('serving-summary', t('serving.cap.none'), 'bad');
  else if (system != null) setText('serving-summary', t('serving.cap.system', { load: amount(system), replica: rate ? sig(max) : num(max), limit }), 'good');
  else setText('serving-summary', t('serving.cap.summary', { load: amount(max), limit }), 'good');
  const at = c.atMax;
  const findings = showLayout(c.layout, c.layoutReason, at ? at.inputs : { devices: c.devices, hardware: c.hardware, tp: '–', pp: '–' }, c.findings);
  if (at) renderSimulation(at, null);
  document.getElementById('serving-figures').hidden = !at;
  document.getElementById('serving-latency').hidden = !at;
  renderTargets(c.targets);
  document.getElementById('serving-probes-box').hidden = false;
  const body = document.querySelector('#serving-probes tbody');
  body.replaceChildren(...c.probes.map(p => {
    const tr = document.createElement('tr');
    cell(tr, rate ? sig(p.load) : num(p.load), 'num');
    cell(tr, seconds(p.ttftSeconds), 'num');
    cell(tr, seconds(p.tpotSeconds), 'num');
    cell(tr, sig(p.requestsPerSecond), 'num');
    cell(tr, p.meets ? t('serving.yes') : t('serving.no', { what: t(LIMITS[p.failing] || 'serving.limit.none') }));
    return tr;
  }));
  const remedies = document.getElementById('serving-remedies');
  remedies.replaceChildren(...c.remedies.map(r => {
    const li = document.createElement('li');
    li.className = r.meets ? 'info' : 'warning';
    li.textContent = t('serving.remedy', { change: r.change, devices: num(r.devices), ttft: seconds(r.ttftFloorSeconds), tpot: seconds(r.tpotFloorSeconds) });
    return li;
  }));
  renderFindings('serving-findings', findings);
}

// One simulation's figures (the replica's, and the system's beside them) and its latency percentiles.
function renderSimulation(j, system) {
  document.getElementById('serving-figures').hidden = false;
  document.getElementById('serving-latency').hidden = false;
  const rows = [
    system && ['serving.fig.systemTps', sig(system.outputTokensPerSecond)],
    system && ['serving.fig.systemRps', sig(system.requestsPerSecond)],
    ['serving.fig.tps', sig(j.throughput.outputTokensPerSecond)],
    ['serving.fig.totalTps', sig(j.throughput.totalTokensPerSecond)],
    ['serving.fig.rps', sig(j.throughput.requestsPerSecond)],
    ['serving.fig.goodput', sig(j.throughput.goodputRequestsPerSecond)],
    ['serving.fig.batch', sig(j.occupancy.batchSize.mean)],
    ['serving.fig.kv', num(j.occupancy.kvUse.max * 100, 0) + '%'],
    ['serving.fig.requests', num(j.requests.measured) + ' / ' + num(j.requests.issued)],
    ['serving.fig.saturated', t(j.work.saturated ? 'serving.yes' : 'serving.notSaturated')],
  ].filter(Boolean);
  fill('#serving-figures tbody', rows.map(([key, v]) => [t(key), v]), true);
  fill('#serving-latency tbody', ['ttft', 'tpot', 'e2e', 'queue'].map(m => {
    const p = j.latency[m];
    return [t(METRICS[m]), seconds(p.p50), seconds(p.p90), seconds(p.p99), seconds(p.mean)];
  }));
}

function renderTargets(targets) {
  fill('#serving-targets tbody', targets.map(x => [t(METRICS[x.metric] || x.metric), 'p' + x.percentile, seconds(x.targetSeconds),
    x.valueSeconds == null ? '–' : seconds(x.valueSeconds), x.met == null ? '–' : t(x.met ? 'serving.yes' : 'serving.missed')]));
  document.getElementById('serving-targets').hidden = !targets.length;
}

// A table's rows: the first cell a name, then numbers (right-aligned) and words (a target met or missed); every
// value of a table of figures is right-aligned, its words too.
function fill(selector, rows, figures) {
  document.querySelector(selector).replaceChildren(...rows.map(r => {
    const tr = document.createElement('tr');
    r.forEach((text, i) => cell(tr, text, i > 0 && (figures || !/^[^\d–]/.test(text)) ? 'num' : ''));
    return tr;
  }));
}
