// Pinned plans compared side by side.
import { FIELDS, KINDS, MAX_PINS, state, scenarioOf, t, writeUrl, run } from './state.js';
import { fetchCost, api, getJson } from './api.js';
import { num, sig, seconds, cell, chart, moneyIn, compact } from './format.js';
import { costOptions } from './panels.js';
import { settle } from './loading.js';

// ---- pinned plans: each is the page's inputs at the time it was pinned (kept in the state and the link as 'pin'
// parameters); its numbers come from the same calls as the panels, in the current currency ----
export const pinCache = new Map();

export function pinOf(s) { return new URLSearchParams(FIELDS.map(k => [k, s[k] ?? ''])).toString(); }

export function pinData(pin) {
  const s = { ...state, ...Object.fromEntries(new URLSearchParams(pin)), pins: [], apps: [] };
  const key = pin + '&currency=' + s.currency;
  if (!pinCache.has(key)) {
    pinCache.set(key, Promise.all([
      fetchCost(api('/api/plan', scenarioOf(s)), s),
      getJson(api('/api/perf', { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, devices: s.devices, input: s.prompt, output: s.output, batch: s.batch })),
    ]).then(([cost, perf]) => ({ s, cost, perf })));
  }
  return pinCache.get(key);
}

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
