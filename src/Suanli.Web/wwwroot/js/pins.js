// Pinned plans compared side by side.
import { FIELDS, KINDS, MAX_PINS, APP_FIELDS, MAX_APPS, DEFAULTS, state, planKey, t, writeUrl, run } from './state.js';
import { fetchCost, api, getJson } from './api.js';
import { num, sig, seconds, cell, chart, moneyIn, compact, narrow } from './format.js';
import { costOptions } from './panels.js';
import { settle } from './loading.js';

// ---- pinned plans: each is the page's inputs at the time it was pinned (kept in the state and the link as 'pin'
// parameters); its numbers come from the same calls as the panels, in the current currency ----
export const pinCache = new Map();

// A pin holds the form's fields and each added application (an 'app' entry, as in the page's link).
export function pinOf(s) {
  const q = new URLSearchParams(FIELDS.map(k => [k, s[k] ?? '']));
  for (const a of s.apps || []) q.append('app', new URLSearchParams(APP_FIELDS.map(k => [k, a[k] ?? ''])).toString());
  return q.toString();
}

// A pin's numbers: the plan of its whole scenario (the request the cost panel makes), and the throughput panel's row at
// its concurrent sequences for each application's prompt and output tokens.
export function pinData(pin) {
  const q = new URLSearchParams(pin);
  const apps = q.getAll('app').slice(0, MAX_APPS - 1).map(a => { const p = new URLSearchParams(a); return Object.fromEntries(APP_FIELDS.map(k => [k, p.get(k) ?? DEFAULTS[k]])); });
  const s = { ...state, ...Object.fromEntries(FIELDS.filter(k => q.has(k)).map(k => [k, q.get(k)])), pins: [], apps };
  const key = pin + '&currency=' + s.currency;
  if (!pinCache.has(key)) {
    const perf = a => getJson(api('/api/perf', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, devices: s.devices, input: a.prompt, output: a.output, batch: s.batch }));
    pinCache.set(key, Promise.all([fetchCost(planKey('/api/plan', s), s), Promise.all([s, ...apps].map(perf))])
      .then(([cost, perfs]) => ({ s, cost, perfs })));
  }
  return pinCache.get(key);
}

// The table's columns, in order (index.html's header cells name them the same way).
const COLUMNS = ['pinned.plan', 'pinned.peak', 'pinned.own', 'pinned.rent', 'pinned.api', 'pinned.ttft', 'pinned.tpot'];

export async function renderPins() {
  const mine = ++run.pinGeneration;
  const pins = state.pins || [];
  const section = document.getElementById('panel-pinned');
  section.hidden = pins.length === 0;
  if (!pins.length) return;
  chart('pinned-chart').resize();
  run.inflight++;
  document.body.dataset.ready = '0';
  try {
    const all = await Promise.all(pins.map(pinData));
    if (mine !== run.pinGeneration) return;
    const body = document.querySelector('#pinned-table tbody');
    body.replaceChildren();
    const points = [];
    all.forEach(({ s, cost, perfs }, i) => {
      const tr = document.createElement('tr');
      const options = cost.ok ? costOptions(cost.json) : [];
      const by = kind => options.find(o => o.kind === kind);
      const currency = cost.ok ? cost.json.plan.currency : s.currency;
      // Each application's row at the pin's concurrent sequences; several are shown in the form's order, joined by ' / '.
      const rows = perfs.map(perf => (perf.ok ? (perf.json.rows || []).find(r => String(r.batch) === String(s.batch).trim()) : null));
      const each = f => (rows.every(Boolean) ? rows.map(r => seconds(r[f])).join(' / ') : '–');
      const plan = cost.ok ? cost.json.plan : null;
      const apps = s.apps.length ? ' · ' + t('pinned.apps', { n: s.apps.length + 1 }) : '';
      cell(tr, `${s.model} ${s.precision}, ${plan ? plan.fleet.devices : '–'} × ${s.hardware}${apps}`);
      cell(tr, [s, ...s.apps].map(a => num(Number(a.peak))).join(' + '), 'num');
      for (const kind of ['own', 'rent']) cell(tr, by(kind) ? moneyIn(by(kind).perMonth, currency) : '–', 'num ' + kind);
      const apiOption = by('api');
      cell(tr, apiOption ? apiOption.label + ' ' + moneyIn(apiOption.perMonth, currency) : '–', 'num api');
      cell(tr, each('prefillSeconds'), 'num');
      cell(tr, each('timePerOutputTokenSeconds'), 'num');
      const td = document.createElement('td');
      const unpin = document.createElement('button');
      unpin.type = 'button';
      unpin.className = 'unpin';
      unpin.textContent = t('pinned.unpin');
      unpin.addEventListener('click', () => { state.pins = state.pins.filter((_, j) => j !== i); writeUrl(); renderPins(); });
      td.appendChild(unpin);
      tr.appendChild(td);
      // On a phone each row is a card whose cells carry their column's name (style.css), so no column is cut.
      COLUMNS.forEach((key, n) => { tr.cells[n].dataset.label = t(key); });
      if (!cost.ok) { tr.className = 'error'; tr.title = cost.problem.detail || ''; }
      body.appendChild(tr);
      // The chart: the cheaper of owning and renting (the plan's basis) against the time per output token. A plan of
      // several applications serves each at its own time per token for one fleet's cost, so it is one point per
      // application, all at that cost and each labelled with its application's number (on a phone with its devices only,
      // so a point near the axis keeps its label clear of the axis's numbers; the tooltip names the plan in full).
      const own = by('own'), rent = by('rent');
      const best = own && rent ? (own.perMonth <= rent.perMonth ? own : rent) : own || rent;
      if (best && rows.every(Boolean)) {
        rows.forEach((r, n) => {
          const app = rows.length > 1 ? ' · ' + t('pareto.appShort', { n: n + 1 }) : '';
          points.push({ value: [+(r.timePerOutputTokenSeconds * 1000).toPrecision(4), best.perMonth], name: `${s.model} ×${plan.fleet.devices} ${s.hardware} (${t(KINDS[best.kind])})${app}`, short: app ? `×${plan.fleet.devices}${app}` : `${s.model} ×${plan.fleet.devices}`, pin: i, app: n + 1, currency });
        });
      }
    });
    const currency = points.length ? points[0].currency : state.currency;
    // A label beside its point, on the side with more room: one near the value axis never covers the axis's numbers, one
    // near the right edge never runs past the chart.
    const widest = Math.max(0, ...points.map(p => p.value[0]));
    points.forEach(p => { p.label = { position: p.value[0] <= widest / 2 ? 'right' : 'left' }; });
    chart('pinned-chart').setOption({
      animation: false,
      grid: { left: 10, right: 30, top: 30, bottom: 40, containLabel: true },
      tooltip: { trigger: 'item', formatter: x => `${x.data.name}: ${moneyIn(x.data.value[1], currency)}, ${sig(x.data.value[0])} ms` },
      // Both axes from zero, so plans a few yuan apart do not look far apart; room beyond the largest for its label.
      xAxis: { type: 'value', min: 0, boundaryGap: ['0%', '25%'], name: t('pinned.xAxis'), nameLocation: 'middle', nameGap: 26, splitNumber: 4, axisLabel: { hideOverlap: true, formatter: v => sig(v) } },
      yAxis: { type: 'value', min: 0, boundaryGap: ['0%', '15%'], name: t('pinned.yAxis', { currency }), nameTextStyle: { align: 'left' }, splitNumber: 4, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
      // The padding is counted when overlapping labels are hidden: it keeps a margin for fonts wider than ECharts measures.
      series: [{ type: 'scatter', symbolSize: 12, itemStyle: { color: '#7a4fa0' }, data: points, label: { show: true, fontSize: 11, padding: [3, 4], formatter: x => (narrow() ? x.data.short : x.data.name) }, labelLayout: { hideOverlap: true } }],
    }, true);
  } finally {
    run.inflight--;
    settle();
  }
}

export function pinCurrent() {
  const pin = pinOf(state);
  state.pins = [...(state.pins || []).filter(p => p !== pin), pin].slice(-MAX_PINS);
  writeUrl();
  renderPins();
}
