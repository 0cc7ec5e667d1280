// The search's panels: the Pareto front, the top deployments with their engine command lines, and the hardware table.
import { KINDS, COST_BASES, PURCHASES, state, catalog, t } from './state.js';
import { num, capacity, setText, cell, renderFindings, chart, deviceOf, moneyIn, compact, copyText, ratePath, money } from './format.js';
import { PANELS } from './loading.js';
import { termName } from './panels.js';

// An application of the search's answer as the page names it: "Application 2" (the page's scenario file names them
// application-1, -2, -3 in the form's order), with the demand it serves at the peak.
export function appLabel(a, i) {
  return t('pareto.serves', { n: i + 1, peak: num(a.peak), unit: t(a.demand === 'rate' ? 'pareto.perSecond' : 'pareto.inFlight') });
}

export function renderPareto(o) {
  const several = o.applications.length > 1;
  const app = o.applications[0];
  const currency = o.currency;
  const basis = f => t(KINDS[f.cost.basis] || 'cost.kind.custom');
  if (several) {
    // One line per application: what it needs at its peak, and the cheapest deployment that serves it.
    const parts = o.applications.map((a, i) => appLabel(a, i) + t('findings.colon') + (a.cheapest
      ? t('pareto.appCheapest', { model: a.cheapest.deployment.model, devices: a.cheapest.fleet.devices, hardware: a.cheapest.deployment.hardware, cost: moneyIn(a.cheapest.cost.perMonth.amount, a.cheapest.cost.perMonth.currency), basis: basis(a.cheapest) })
      : t('pareto.appNone')));
    setText('pareto-summary', t('pareto.summaryApps', { candidates: num(o.candidates), apps: o.applications.length }) + ' ' + parts.join('; '), o.applications.every(a => a.cheapest) ? '' : 'bad');
  } else if (app.cheapest) {
    setText('pareto-summary', t('pareto.summary', { candidates: num(o.candidates), model: app.cheapest.deployment.model, devices: app.cheapest.fleet.devices, hardware: app.cheapest.deployment.hardware, cost: moneyIn(app.cheapest.cost.perMonth.amount, app.cheapest.cost.perMonth.currency), basis: basis(app.cheapest) }), '');
  } else {
    setText('pareto-summary', t('pareto.none', { candidates: num(o.candidates) }), 'bad');
  }
  // The form's targets are application 1's: its rejections are shown beside them.
  const targets = {};
  if (!app.cheapest) {
    for (const r of app.rejected || []) {
      const field = ['ttft', 'tpot'].includes(r.code) ? r.code : null;
      if (field) targets[field] = (targets[field] ? targets[field] + '; ' : '') + r.family + ': ' + r.reason;
    }
  }
  PANELS.find(p => p.id === 'pareto').targets = targets;
  renderChoices(o);
  drawFrontier(o, basis);
  renderDeployments(o, basis);
  renderFindings('pareto-findings', o.findings.filter(f => f.severity !== 'info'));
}

// What the search priced and how thoroughly: its cost basis (the answer's costBasis), the rent term and purchase price
// it was asked for, the pricing date, and how many candidates it simulated of those it had.
function renderChoices(o) {
  const stats = o.applications.reduce((sum, a) => ({ candidates: sum.candidates + a.stats.candidates, evaluated: sum.evaluated + a.stats.evaluated }), { candidates: 0, evaluated: 0 });
  setText('pareto-basis', t('pareto.choices', {
    basis: COST_BASES[o.costBasis] ? t(COST_BASES[o.costBasis]) : o.costBasis, term: termName(state.rentTerm),
    purchase: PURCHASES[state.purchase] ? t(PURCHASES[state.purchase]) : state.purchase, today: state.today || t('pareto.serverToday'),
    evaluated: num(stats.evaluated), candidates: num(stats.candidates),
  }));
  document.getElementById('pareto-basis').dataset.basis = o.costBasis;
}

// The chart: each application's front (one line each, named by application when there are several) and the dearer
// points that buy lower latency in grey.
function drawFrontier(o, basis) {
  const currency = o.currency;
  const several = o.applications.length > 1;
  const colors = ['#7a4fa0', '#1e7d4f', '#c0392b'];
  const fronts = [], faster = [];
  o.applications.forEach((app, i) => {
    const front = [];
    const prefix = several ? t('pareto.appShort', { n: i + 1 }) + ' ' : '';
    const points = app.frontier.filter(f => f.quality !== null && f.quality !== undefined);
  // The search's frontier also keeps dearer points that buy lower latency; the line joins those no cheaper point
  // matches on quality (the cost-quality front), the others are drawn grey.
    const byCost = [...points].sort((a, b) => a.cost.perMonth.amount - b.cost.perMonth.amount || b.quality - a.quality);
    let best = -Infinity;
    for (const f of byCost) {
      const range = f.cost.perMonthRange && f.cost.perMonthRange.high > f.cost.perMonthRange.low
        ? ' (' + t('pareto.range', { low: moneyIn(f.cost.perMonthRange.low, currency), high: moneyIn(f.cost.perMonthRange.high, currency) }) + ')' : '';
      // The label names the model and devices (the line's colour and the legend say which application; the
      // tooltip has the rest), so several fronts' labels stay short.
      const d = f.deployment;
      const point = [f.cost.perMonth.amount, f.quality, `${prefix}${d.model} ${d.precision} ×${f.fleet.devices} ${d.hardware}, ${basis(f)}${range}`, `${d.model} ×${f.fleet.devices}`];
      if (f.quality > best) { front.push(point); best = f.quality; } else faster.push(point);
    }
    fronts.push({ name: several ? t('pareto.frontOf', { n: i + 1 }) : t('pareto.front'), data: front, color: colors[i % colors.length] });
  });
  // A label that would reach past the plot's left or right edge (onto the axis' tick labels, or out of the chart) is
  // moved inside it, aligned with that edge; overlapping ones are hidden.
  const grid = { left: 50, right: 30, top: several ? 60 : 40, bottom: 50 };
  const width = chart('pareto-chart').getWidth();
  const inside = p => {
    const r = p.labelRect;
    if (r.x < grid.left) return { hideOverlap: true, x: grid.left + 2, align: 'left' };
    if (r.x + r.width > width - grid.right) return { hideOverlap: true, x: width - grid.right - 2, align: 'right' };
    return { hideOverlap: true };
  };
  chart('pareto-chart').setOption({
    animation: false,
    grid,
    legend: { top: 0, right: 0, data: [...fronts.map(f => f.name), t('pareto.faster')] },
    tooltip: { trigger: 'item', formatter: x => `${x.data[2]}: ${moneyIn(x.data[0], currency)}, MMLU ${x.data[1]}` },
    xAxis: { type: 'value', scale: true, name: t('pareto.xAxis', { currency }), nameLocation: 'middle', nameGap: 26, splitNumber: 4, axisLabel: { hideOverlap: true, formatter: v => compact(v) } },
    yAxis: { type: 'value', scale: true, name: t('pareto.yAxis'), nameLocation: 'middle', nameGap: 34 },
    series: [
      { name: t('pareto.faster'), type: 'scatter', symbolSize: 7, data: faster, itemStyle: { color: '#aab4c0' } },
      ...fronts.map(f => ({
        name: f.name, type: 'line', step: 'end', symbolSize: 10, data: f.data, itemStyle: { color: f.color },
        // Short labels above the points (model and devices; the tooltip has the rest), overlapping ones hidden
        // (the padding, counted when hiding, keeps a margin for fonts wider than ECharts measures).
        label: { show: true, position: 'top', distance: 8, fontSize: 11, padding: [3, 4], formatter: x => x.data[3] },
        labelLayout: inside,
      })),
    ],
  }, true);
}

// The search's top deployments of each application (the cheapest and the frontier, up to TOP_SHOWN; with several
// applications each item first says which application it serves), each with the engine command line that runs it and
// a copy button; then each rejected family with the search's reason (in the page's language) and how many candidates it held.
export const TOP_SHOWN = 5;
// With several applications, fewer each, so the list stays about as long.
export const TOP_SHOWN_EACH = 3;
export function renderDeployments(o, basis) {
  const several = o.applications.length > 1;
  const currency = o.currency;
  const secs = v => (v === null || v === undefined ? '–' : num(v, v < 1 ? 3 : 2) + ' s');
  const top = document.getElementById('pareto-top');
  // The headline's cheapest first (the frontier may hold another deployment of the same cost before it), then the frontier.
  const same = ({ deployment: a }, { deployment: b }) => a.model === b.model && a.precision === b.precision && a.hardware === b.hardware && a.devicesPerReplica === b.devicesPerReplica && a.engine === b.engine;
  const items = o.applications.flatMap((app, i) => (app.cheapest ? [app.cheapest, ...app.frontier.filter(f => !same(f, app.cheapest))] : app.frontier)
    .slice(0, several ? TOP_SHOWN_EACH : TOP_SHOWN).map(f => ({ f, i, app })));
  top.replaceChildren(...items.map(({ f, i, app }) => {
    const li = document.createElement('li');
    li.dataset.app = String(i + 1);
    if (several) {
      const serves = document.createElement('div');
      serves.className = 'serves';
      serves.textContent = appLabel(app, i);
      li.append(serves);
    }
    const what = document.createElement('div');
    what.textContent = t('pareto.deployment', {
      model: f.deployment.model, precision: f.deployment.precision, devices: f.fleet.devices, hardware: f.deployment.hardware, cost: moneyIn(f.cost.perMonth.amount, currency), basis: basis(f),
      ttft: secs(f.latency.ttftSeconds), tpot: secs(f.latency.tpotSeconds), ttftAt: 'p' + f.latency.ttftPercentile, tpotAt: 'p' + f.latency.tpotPercentile, quality: f.quality === null || f.quality === undefined ? '–' : num(f.quality, 1),
    });
    const line = document.createElement('div');
    line.className = 'command';
    const code = document.createElement('code');
    code.textContent = f.deployment.commandLine;
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy';
    copy.textContent = t('pareto.copy');
    copy.addEventListener('click', () => copyText(f.deployment.commandLine, copy));
    line.append(code, copy);
    li.append(what, line);
    return li;
  }));
  const rejected = document.getElementById('pareto-rejected');
  rejected.replaceChildren(...o.applications.flatMap((app, i) => (app.rejected || []).map(r => {
    const li = document.createElement('li');
    li.textContent = (several ? t('pareto.appShort', { n: i + 1 }) + t('findings.colon') : '') + t('pareto.rejectedFamily', { family: r.family, reason: r.reason, candidates: num(r.candidates) });
    return li;
  })));
  if (!rejected.children.length) {
    const li = document.createElement('li');
    li.textContent = t('pareto.noneRejected');
    rejected.append(li);
  }
}

// The device table's columns, in order (index.html's header cells name them the same way).
const HARDWARE_COLUMNS = ['hardware.id', 'hardware.memory', 'hardware.bandwidth', 'hardware.bf16', 'hardware.price', 'hardware.rent'];

export function renderHardware() {
  // The rates the table's USD prices went through into the page's currency (USD against CNY on a USD page).
  const path = ratePath('USD', state.currency === 'USD' ? 'CNY' : state.currency);
  const host = url => { try { return new URL(url).hostname; } catch { return ''; } };
  const rates = (path || []).map(r => t('hardware.rateOne', { from: r.from, rate: r.rate, to: r.to, date: r.date, source: host(r.source) }));
  setText('rate-note', rates.length ? t('hardware.rate', { rates: rates.join(t('hardware.rateJoin')) }) : t('hardware.noRate'));
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
    // On a phone each device is a card whose figures carry their column's name (style.css).
    HARDWARE_COLUMNS.forEach((key, n) => { tr.cells[n].dataset.label = t(key); });
    body.appendChild(tr);
  }
}
