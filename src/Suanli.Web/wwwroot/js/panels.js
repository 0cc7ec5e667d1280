// The plan's panels: memory, performance, sensitivity, fleet over the day and cost.
import { KINDS, RENT_TERMS, state, t } from './state.js';
import { num, sig, bytes, GIB, capacity, seconds, partName, setText, cell, renderFindings, chart, deviceOf, narrow, hourLabel, moneyIn, compact } from './format.js';

// ---- panels ----
export function renderMemory(m) {
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

export function renderPerf(p) {
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

export function renderSensitivity(p) {
  const sens = p.sensitivity;
  renderUnservedMoves(sens ? sens.lines : []);
  // JSON leaves out a null: an end without a price, or one the plan cannot serve, has no cost.
  const lines = (sens ? sens.lines : []).filter(l => l.costPerMonthDown != null && l.costPerMonthUp != null);
  if (sens && sens.costPerMonth != null && !lines.length && sens.lines.some(l => l.unserved.length)) {
    setText('sensitivity-summary', t('sensitivity.all-unserved', { cost: moneyIn(sens.costPerMonth, p.currency), devices: num(sens.devices) }), 'bad');
    chart('sensitivity-chart').clear();
    return;
  }
  if (!sens || sens.costPerMonth == null || !lines.length) {
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

// The moves at which the plan cannot be served: each a line of the panel with the end, the move and the server's reason
// (in the page's language); the chart shows the moves that can be.
function renderUnservedMoves(lines) {
  const ul = document.getElementById('sensitivity-unserved');
  ul.replaceChildren();
  for (const l of lines) {
    for (const u of l.unserved || []) {
      const li = document.createElement('li');
      li.className = 'warning';
      li.dataset.end = u.end;
      li.textContent = t('sensitivity.unserved', { assumption: l.assumption, end: t('sensitivity.end.' + u.end), move: l.move, reason: u.reason });
      ul.appendChild(li);
    }
  }
}

export function renderFleet(h) {
  const strategy = strategyName(h.strategy);
  // The separator is the language's ('；' in Chinese), so it is in the template.
  const range = h.range && h.range.devices.high > h.range.devices.low ? t('fleet.range', { low: num(h.range.devices.low), high: num(h.range.devices.high) }) : '';
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

// The plan's recommended sizing owned and rented (the figures of the Markdown report) and the hosted API at the plan's
// monthly requests, as one list of options with their basis (own, rent, API), each named by the server's label in the
// page's language (plan: costs.strategies[].own/rent.label; compare: options[].label), as the CLI names them.
export function costOptions(j) {
  const plan = j.plan, costs = plan.costs;
  if (!costs) return [];
  const chosen = costs.strategies.find(x => x.strategy === plan.fleet.recommendedStrategy) || costs.strategies[0];
  const options = [];
  const lines = cost => cost.lines.map(l => ({ part: l.part, perMonth: l.perMonth }));
  if (chosen && chosen.own) options.push({ kind: 'own', option: chosen.own.option, label: chosen.own.label, perMonth: chosen.own.perMonth, parts: lines(chosen.own) });
  if (chosen && chosen.rent) options.push({ kind: 'rent', option: chosen.rent.option, label: chosen.rent.label, perMonth: chosen.rent.perMonth, parts: lines(chosen.rent) });
  for (const o of (j.compare ? j.compare.options : [])) if (o.kind === 'api') options.push(o);
  return options.sort((a, b) => a.perMonth - b.perMonth);
}

export function renderCost(j) {
  const plan = j.plan;
  // The rates the hosted APIs' prices were converted at, and the one the plan converted its own prices at (a purchase
  // price in USD for a CNY plan: its 'exchange-rate' finding), so the note never says no rate was needed when one was.
  const planRates = plan.findings.filter(f => f.code === 'exchange-rate' && f.args).map(f => f.args);
  const c = { currency: plan.currency, exchangeRates: [...(j.compare ? j.compare.exchangeRates : []), ...planRates] };
  const options = costOptions(j);
  const strategy = strategyName(plan.fleet.recommendedStrategy);
  const kindName = o => t(KINDS[o.kind] || 'cost.kind.custom');
  document.getElementById('panel-cost').dataset.currency = c.currency;
  if (!options.length) {
    setText('cost-summary', t('cost.none'), 'bad');
    chart('cost-chart').clear();
  } else {
    const cheapest = options[0];
    setText('cost-summary', t('cost.summary', { option: cheapest.label, basis: kindName(cheapest), cost: moneyIn(cheapest.perMonth, c.currency), requests: num(plan.costs.requestsPerMonth), strategy }), '');
  }
  const parts = [...new Set(options.flatMap(o => o.parts.map(p => p.part)))];
  const names = options.map(o => kindName(o) + ': ' + o.label);
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
    cell(tr, o.label);
    cell(tr, moneyIn(o.perMonth, c.currency), 'num');
    body.appendChild(tr);
  }
  renderRentTerms(plan);
  renderTargets(plan);
  document.getElementById('cost-axis').textContent = t('cost.axis', { currency: c.currency });
  const rate = (c.exchangeRates || [])[0];
  setText('cost-rate', rate
    ? t('cost.rate', { currency: c.currency, from: rate.from, to: rate.to, rate: rate.rate, date: rate.date })
    : t('cost.noRate', { currency: c.currency }));
  document.getElementById('cost-rate').className = 'note';
  renderFindings('cost-findings', [...(j.compare ? j.compare.findings : []), ...plan.findings].filter(f => f.severity !== 'info'));
}

// Each application's targets as the plan checked them (plan.json applications[].targets.stated): the measure, the
// percentile (p99 when the form or the scenario says so) and the seconds.
function renderTargets(plan) {
  const body = document.querySelector('#cost-targets tbody');
  body.replaceChildren(...plan.applications.flatMap(a => ((a.targets && a.targets.stated) || []).map(x => {
    const tr = document.createElement('tr');
    tr.dataset.metric = x.metric;
    cell(tr, a.name);
    cell(tr, x.metric.toUpperCase());
    cell(tr, 'p' + x.percentile);
    cell(tr, seconds(x.targetSeconds), 'num');
    return tr;
  })));
}

// A sizing strategy (plan.json fleet.recommendedStrategy, costs.strategies[].strategy) in the page's words.
export function strategyName(strategy) {
  return t({ static: 'fleet.static', autoscaled: 'fleet.autoscaled', pooled: 'fleet.pooled' }[strategy] || 'fleet.autoscaled');
}

// A rent term as the page names it (the form's labels), or the server's name for one it does not list.
export function termName(term) {
  return RENT_TERMS[term] ? t(RENT_TERMS[term]) : term;
}

// Each sizing strategy's rent term (plan.json costs.strategies[].rentTerm): the term, whether the scenario pinned it
// or the plan chose it, and how many of the strategy's peak devices it reserves; hidden when nothing is rented.
export function renderRentTerms(plan) {
  const rows = plan.costs ? plan.costs.strategies.filter(x => x.rentTerm) : [];
  document.getElementById('cost-terms-box').hidden = !rows.length;
  const body = document.querySelector('#cost-terms tbody');
  body.replaceChildren(...rows.map(x => {
    const tr = document.createElement('tr');
    tr.dataset.strategy = x.strategy;
    tr.dataset.term = x.rentTerm.term;
    const strategy = strategyName(x.strategy);
    cell(tr, x.strategy === plan.fleet.recommendedStrategy ? t('cost.terms.recommended', { strategy }) : strategy);
    cell(tr, t(x.rentTerm.pinned ? 'cost.terms.pinned' : 'cost.terms.chosen', { term: termName(x.rentTerm.term) }));
    cell(tr, t('cost.terms.of', { reserved: num(x.rentTerm.reservedDevices), peak: num(x.rentTerm.peakDevices) }), 'num');
    return tr;
  }));
}
