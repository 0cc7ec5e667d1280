// Formatting (fixed en-US digits in both languages, like the CLI's invariant culture), findings, help texts, charts
// and the catalog's names. Server and user text is only ever written with textContent, never as HTML.
import { FIELDS, PARTS, state, catalog, charts, t } from './state.js';

// ---- formatting (fixed en-US digits in both languages, like the CLI's invariant culture) ----
export const num = (v, digits = 0) => Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const sig = v => (v === 0 ? '0' : Number(Number(v).toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 12 }));
export const bytes = b => (Math.abs(b) >= 1e9 ? num(b / 1e9, 1) + ' GB' : num(b / 1e6, 1) + ' MB');
// A device's memory in the unit the catalog writes it (catalog/hardware/devices.yaml): whole GiB for the cards sold
// as "80GB" (80 GiB, 85.9 GB), decimal GB otherwise (141 GB), never the 80 GiB card as "86 GB".
export const GIB = 1073741824;
export const capacity = b => (b > 0 && b % GIB === 0 ? num(b / GIB, 0) + ' GiB' : num(b / 1e9, 0) + ' GB');
export const seconds = s => (s < 1 ? sig(s * 1000) + ' ms' : sig(s) + ' s');

export const partName = part => (PARTS[part] ? t(PARTS[part]) : part);

export function setText(id, text, cls) {
  const el = document.getElementById(id);
  el.textContent = text;
  if (cls !== undefined) el.className = 'headline ' + cls;
}

export function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
}

export function renderFindings(id, findings) {
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
export function groupFindings(findings) {
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
      // Only a lone word is merged: where the next word differs too ("CN-industrial-average 电价 …" beside
      // "huawei-ascend-910c 购买价 …"), the merged line gave the first's kind and date to every name.
      if (at >= 0 && !words.some(other => other[at + 1] !== words[0][at + 1])) {
        const values = [...new Set(words.map(w => w[at].replace(/[:;,.]$/, '')))];
        const tail = words[0][at].match(/[:;,.]$/);
        message = [...words[0].slice(0, at), values.join(', ') + (tail ? tail[0] : ''), ...words[0].slice(at + 1)].join(' ');
      }
    }
    return { severity: first.severity, message, count: list.length, all: list.map(f => f.message) };
  });
}

// Each input's help (what it means and which panels use it): the field's title and, for screen readers, its
// description; shown under the field while it has the focus. The form's fields by default; the simulate and capacity
// section gives its own, each [input, id of its help, translation key].
export function attachHelp(inputs = FIELDS.map(f => [document.getElementById('f-' + f), 'help-' + f, 'help.' + f])) {
  for (const [input, id, key] of inputs) {
    const help = document.createElement('span');
    help.className = 'help';
    help.id = id;
    help.dataset.i18n = key;
    input.after(help);
    input.dataset.i18nTitle = key;
    input.setAttribute('aria-describedby', help.id);
  }
}

export function chart(id) {
  if (!charts[id]) charts[id] = window.echarts.init(document.getElementById(id), null, { renderer: 'svg' });
  return charts[id];
}

// The catalog model a model field names (id, alias or Hugging Face repo, any case), or undefined.
export function modelOf(name) {
  const key = (name || '').trim().toLowerCase();
  return catalog.models.find(m => m.id.toLowerCase() === key || (m.hfRepo || '').toLowerCase() === key || (m.aliases || []).some(a => a.toLowerCase() === key));
}

// Unless the user chose a precision, the model's released format (bf16 for a model the catalog does not know).
export function followModel() {
  if (state.precisionChosen) return;
  const m = modelOf(state.model);
  state.precision = (m && m.defaultPrecision) || 'bf16';
  offerPrecision(state.precision);
  document.getElementById('f-precision').value = state.precision;
}

// A released checkpoint may mix formats (routed experts+rest, e.g. mxfp4+bf16 for gpt-oss): the select offers the
// model's own scheme beside the uniform formats, so the field shows what is planned instead of an empty choice.
export function offerPrecision(value) {
  const select = document.getElementById('f-precision');
  if (!value || [...select.options].some(o => o.value === value)) return;
  const option = document.createElement('option');
  option.value = option.textContent = value;
  select.append(option);
}

export function deviceOf(name) {
  const key = (name || '').trim().toLowerCase();
  return catalog.hardware.find(d => d.id.toLowerCase() === key || (d.aliases || []).some(a => a.toLowerCase() === key));
}

// Phone widths (the style sheet's breakpoint): charts use fewer ticks and narrower labels.
export function narrow() { return window.matchMedia('(max-width: 600px)').matches; }

export function hourLabel(h) { return (h < 10 ? '0' : '') + h + ':00'; }

// The signs of the currencies the page knows one for; any other currency is written after the amount by its code.
export const SYMBOLS = { CNY: '¥', USD: '$', EUR: '€' };

// The currencies the page offers: every one the catalog's exchange rates name (catalog/prices/energy.yaml), as the
// CLI's --currency converts into any of them; the catalog, not the page, decides the list.
export function currencies() {
  return [...new Set(catalog.rates.flatMap(r => [r.from, r.to]))].sort();
}

// The newest-dated rate between two currencies, either direction (the first listed on a tie).
function newestBetween(a, b) {
  return catalog.rates.filter(r => (r.from === a && r.to === b) || (r.from === b && r.to === a))
    .sort((x, y) => (y.date > x.date) - (y.date < x.date))[0];
}

// The rates that convert `from` into `to` by the server's rule (CurrencyConverter.Path, src/Suanli/Cost/Conversion.cs):
// the newest direct rate, or two through a third currency when the older of the two is newer; null when none.
export function ratePath(from, to) {
  const direct = newestBetween(from, to);
  let best = direct ? [direct] : null;
  let bestDate = direct ? direct.date : null;
  for (const via of currencies().filter(c => c !== from && c !== to)) {
    const first = newestBetween(from, via), second = newestBetween(via, to);
    const oldest = first && second ? (first.date < second.date ? first.date : second.date) : null;
    if (oldest && (bestDate === null || oldest > bestDate)) { best = [first, second]; bestDate = oldest; }
  }
  return best;
}

export function moneyIn(amount, currency) {
  const symbol = SYMBOLS[currency];
  const text = num(amount, Math.abs(amount) < 100 ? 2 : 0);
  return symbol ? symbol + text : text + ' ' + currency;
}

// Axis ticks: 12,000 as 12k and 1,500,000 as 1.5M, so neighbouring ticks never run together.
export function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return sig(v / 1e6) + 'M';
  if (a >= 1e4) return sig(v / 1e3) + 'k';
  return sig(v);
}

// Copies to the clipboard where the browser allows it (a loopback or HTTPS page), else selects the text for Ctrl+C.
export async function copyText(text, button) {
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

// A catalog price in the page's currency, converted along ratePath; in its own currency when no rate links the two.
export function money(price) {
  if (!price) return '–';
  let { amount, currency } = price;
  const path = currency === state.currency ? null : ratePath(currency, state.currency);
  for (const r of path || []) {
    if (r.from === currency) { amount *= r.rate; currency = r.to; } else { amount /= r.rate; currency = r.from; }
  }
  const symbol = SYMBOLS[currency];
  const text = num(amount, amount < 100 ? 2 : 0);
  return symbol ? symbol + text : text + ' ' + currency;
}
