// The API client: every call carries the page's language; a busy server's 429 is retried after its Retry-After; the
// cost panel's two calls and the search's stream.
import { KINDS, state, t } from './state.js';
import { num, moneyIn } from './format.js';
import { PANELS } from './loading.js';

// The plan of the page's scenario, then the API of the API field priced at the plan's requests per month.
export async function fetchCost(key, s) {
  const at = key.lastIndexOf('#');
  const plan = await getJson(at < 0 ? key : key.slice(0, at));
  if (!plan.ok || !plan.json.costs || !String(s.api || '').trim()) return plan.ok ? { ok: true, json: { plan: plan.json, compare: null } } : plan;
  const c = plan.json.costs;
  if (!(s.apps || []).length) {
    const compare = await getJson(api('/api/compare', { requestsPerMonth: String(c.requestsPerMonth), input: s.prompt, output: s.output, api: s.api, currency: s.currency }));
    return compare.ok ? { ok: true, json: { plan: plan.json, compare: compare.json } } : compare;
  }
  // Several applications: the API priced for each at its own requests per month and tokens per request (the plan's
  // applications[].requestsPerMonth and demand), the page's row their sum; an API bills each request on its own.
  const each = await Promise.all(plan.json.applications.map(a => getJson(api('/api/compare', {
    requestsPerMonth: String(a.requestsPerMonth), input: String(a.demand.inputTokens), output: String(a.demand.outputTokens), api: s.api, currency: s.currency,
  }))));
  const failed = each.find(r => !r.ok);
  return failed || { ok: true, json: { plan: plan.json, compare: sumCompares(each.map(r => r.json)) } };
}

// The API options of several applications' comparisons as one: per option and per cost line, the sum of the months.
export function sumCompares(compares) {
  const options = new Map();
  for (const c of compares) {
    for (const o of c.options.filter(o => o.kind === 'api')) {
      const sum = options.get(o.option) || { ...o, perMonth: 0, parts: [], applications: 0 };
      sum.perMonth += o.perMonth;
      sum.applications++;
      for (const p of o.parts) {
        const line = sum.parts.find(x => x.part === p.part);
        if (line) line.perMonth += p.perMonth; else sum.parts.push({ ...p });
      }
      options.set(o.option, sum);
    }
  }
  const seen = new Set();
  const findings = compares.flatMap(c => c.findings).filter(f => !seen.has(f.message) && seen.add(f.message));
  return { ...compares[0], options: [...options.values()].filter(o => o.applications === compares.length), findings };
}

// The search as it runs: each line of the stream is one message (progress, found, result or error; docs/web.md).
export async function fetchSearch(url) {
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
    const [target, init] = requestOf(url);
    // The stream, or for an input refused before the search starts the problem (whose writer answers only a client
    // that accepts problem JSON): the field it names is shown beside that input.
    const r = await fetchRetrying(target, { ...init, headers: { ...init.headers, Accept: 'application/x-ndjson, application/problem+json' }, signal: controller.signal });
    if (!r.ok) return { ok: false, problem: await problemOf(r) };
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
    return { ok: false, problem: unreachable() };
  } finally {
    if (panel.controller === controller) { panel.controller = null; live.hidden = true; }
  }
}

// Every call carries the page's language, so the server's findings and errors come in it (docs/web.md, "Languages").
export function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, v);
  q.set('lang', state.lang);
  return path + '?' + q.toString();
}

// A server running its limit of long operations answers 429 with Retry-After (docs/web.md, "Errors"): the call is
// made again after that wait, a few times, while its panel stays in its loading state.
export const BUSY_RETRIES = 4;
export async function fetchRetrying(url, init) {
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

export async function getJson(key) {
  try {
    const r = await fetchRetrying(...requestOf(key));
    if (!r.ok) return { ok: false, problem: await problemOf(r) };
    return { ok: true, json: await r.json().catch(() => null) };
  } catch (e) {
    return { ok: false, problem: unreachable() };
  }
}

// A panel's key as a request: a URL (GET), or 'POST <url>' with the JSON body on the next line (js/state.js, planKey).
export function requestOf(key) {
  if (!key.startsWith('POST ')) return [key, { headers: { Accept: 'application/json' } }];
  const at = key.indexOf('\n');
  return [key.slice(5, at), { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: key.slice(at + 1) }];
}

// The problem of a refused call: the server's own (in the page's language: lang is on every call), else the page's
// sentence for its status: busy for a 429 still refused after the retries (a proxy's, with no body), else the status.
export async function problemOf(r) {
  const body = await r.json().catch(() => null);
  if (body && (body.detail || body.title)) return body;
  return { status: r.status, detail: r.status === 429 ? t('status.busy') : t('status.failed', { status: r.status }) };
}

// A call that got no answer at all (connection refused or cut, the browser offline): the page's sentence, not the
// browser's English one ("TypeError: Failed to fetch").
export function unreachable() {
  return { detail: t('status.network') };
}
