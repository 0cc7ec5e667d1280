// The panels' registry and their loading: which call each panel makes for the state, the debounce of edits, lazy
// panels that load once they scroll into view, out-of-date marks, and the downloads.
import { state, last, sweepWith, planKey, choicesOf, t, writeUrl, contextOf, run } from './state.js';
import { fetchCost, fetchSearch, fetchRetrying, problemOf, unreachable, requestOf, api, getJson } from './api.js';
import { followModel } from './format.js';
import { renderMemory, renderPerf, renderSensitivity, renderFleet, renderCost } from './panels.js';
import { renderPareto, renderHardware } from './search.js';
import { showProblems, applyLanguage } from './form.js';
import { renderPins } from './pins.js';
import { renderServing, followForm } from './serving.js';

// Extension point (docs/web.md, "Adding an endpoint and a panel"): each panel names the request it needs from the
// state and renders the JSON the endpoint returns. Lazy panels (longer calls) load once they scroll into view.
export const PANELS = [
  { id: 'memory', request: s => api('/api/memory', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, context: contextOf(s), batch: s.batch, hardware: s.hardware, devices: s.devices }), render: renderMemory },
  // The headline's batch is part of the panel's key (after '#', which fetch does not send): a batch already on the
  // curve's sweep leaves the call unchanged, and the headline must still be redrawn at the new batch.
  { id: 'perf', request: s => api('/api/perf', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, devices: s.devices, input: s.prompt, output: s.output, batch: sweepWith(s.batch) }) + '#batch=' + encodeURIComponent(s.batch), render: renderPerf },
  // The fleet's plan loads right after the quick panels wherever the page is scrolled (eager): its answer says whether
  // the targets can be met, which the summary bar at the top and the message beside the target field show.
  // With added applications the plan panels post the scenario file (js/state.js, planKey).
  { id: 'fleet', lazy: true, eager: true, request: s => planKey('/api/plan/hours', s), render: renderFleet },
  { id: 'sensitivity', lazy: true, request: s => planKey('/api/plan/sensitivity', s), render: renderSensitivity },
  // One plan, one set of numbers: the cost panel shows the plan's own and rent costs (the Markdown report's), and the
  // hosted API priced at the plan's monthly requests; the search prices each deployment as the plan does.
  { id: 'cost', lazy: true, render: renderCost, request: s => planKey('/api/plan', s) + '#' + new URLSearchParams({ api: s.api }), fetch: fetchCost },
  {
    // Streamed (NDJSON): a progress bar and the cheapest deployment verified so far while the search runs, then its
    // answer; a change of inputs aborts the request, which stops the search on the server.
    // The search plans the page's scenario through the plan's own request (js/state.js, planKey): with added
    // applications it posts the scenario file, and every application is searched over its model and the candidates,
    // on the search's choices (cost basis, rent term, purchase price, pricing date, exhaustive) of the form.
    id: 'pareto', lazy: true, render: renderPareto, fetch: fetchSearch,
    request: s => planKey('/api/plan/search/stream', s, { candidates: s.candidates, top: '50', ...choicesOf(s) }),
  },
];

export function rerender() {
  applyLanguage();
  for (const p of PANELS) if (p.render && last[p.id]) p.render(last[p.id]);
  markStale();
  renderHardware();
  writeUrl();
  renderPins();
  renderServing();
}

// A panel whose drawing was made for other inputs than the current ones (its call failed, or it has not been
// fetched again yet) is greyed with a note, so no headline or chart passes for the current inputs' answer.
export function markStale() {
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
    // Between an edit and its answer (the 200 ms debounce, the quick panels' calls, then its own call) the note says
    // the panel is updating; only a call for the current inputs that failed leaves it out of date until they change.
    const failed = section.dataset.state === 'error' && p.shown === p.request(state) && !run.timer;
    const key = failed ? 'status.stale' : 'status.updating';
    note.textContent = t(key);
    note.dataset.i18n = key;
    note.hidden = !stale;
  }
}

// Time from the latest edit to each panel's answer for it, in ms (body[data-edit-ms], JSON, once everything is
// drawn): scripts/measure.sh reports it in docs/timings.md against the 300 ms interaction target.

export function settle() {
  markStale();
  if (run.inflight === 0 && !run.timer) {
    if (run.editStart) { document.body.dataset.editMs = JSON.stringify(run.editTimes); run.editStart = 0; }
    document.body.dataset.ready = '1';
  }
}

// Fetches and draws one panel for the current state, unless it already shows it.
export async function load(p) {
  const url = p.request(state);
  if (p.shown === url) return;
  p.shown = url;
  const section = document.getElementById('panel-' + p.id);
  section.dataset.state = 'loading';
  markStale();
  run.inflight++;
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
    if (r.ok) { last[p.id] = r.json; p.rendered = url; p.render(r.json); if (run.editStart) run.editTimes[p.id] = Math.round(performance.now() - run.editStart); }
    section.dataset.state = r.ok ? 'ready' : 'error';
    showProblems();
  } finally {
    run.inflight--;
    settle();
  }
}

export async function update() {
  const mine = ++run.generation;
  run.timer = 0;
  document.body.dataset.ready = '0';
  writeUrl();
  markStale();
  run.inflight++;
  try {
    await run.catalogReady;
    followModel();
    writeUrl();
    await Promise.all(PANELS.filter(p => !p.lazy).map(load));
    if (mine !== run.generation) return;
    renderHardware();
    // Time from navigation to the first complete render, for the page's 1-second target (docs/web.md).
    if (!document.body.dataset.firstRenderMs) document.body.dataset.firstRenderMs = String(Math.round(performance.now()));
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
    for (const p of PANELS.filter(p => p.lazy && (p.visible || p.eager))) load(p);
  } finally {
    run.inflight--;
    settle();
  }
}

export function schedule() {
  if (!run.editStart) { run.editStart = performance.now(); run.editTimes = {}; }
  document.body.dataset.ready = '0';
  clearTimeout(run.timer);
  run.timer = setTimeout(update, 200);
  // A search still running for the old inputs is stopped at once (the server sees the request aborted).
  for (const p of PANELS) if (p.controller && p.shown !== p.request(state)) p.controller.abort();
  markStale();
  followForm();
}

export function watchLazyPanels() {
  const byId = Object.fromEntries(PANELS.filter(p => p.lazy).map(p => ['panel-' + p.id, p]));
  const observer = new IntersectionObserver(entries => {
    for (const e of entries) {
      const p = byId[e.target.id];
      if (e.isIntersecting && !p.visible) {
        p.visible = true;
        // Wait for the first render of the quick panels, so the first view is not slowed by the longer calls.
        if (document.body.dataset.firstRenderMs && !run.timer) load(p);
      }
    }
  }, { rootMargin: '100px' });
  for (const id of Object.keys(byId)) observer.observe(document.getElementById(id));
}

// Downloads go through fetch, so a plan the server refuses (a bad input) shows its message beside the links instead
// of a download the browser reports as failed. A plan whose targets cannot be met is not refused: its report and
// spreadsheet say what was asked, why it cannot be met and the remedies.
export async function download(e) {
  const a = e.target.closest('a[download]');
  if (!a) return;
  e.preventDefault();
  const error = document.getElementById('download-error');
  error.textContent = '';
  try {
    if (a.dataset.file) { save(new Blob([a.dataset.file], { type: 'application/json' }), a); return; }
    const r = await fetchRetrying(...(a.dataset.body ? requestOf('POST ' + a.getAttribute('href') + '\n' + a.dataset.body) : [a.href]));
    if (!r.ok) {
      const problem = await problemOf(r);
      error.textContent = problem.detail || problem.title;
      return;
    }
    save(await r.blob(), a);
  } catch {
    error.textContent = unreachable().detail;
  }
}

function save(blob, a) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = a.getAttribute('download');
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
