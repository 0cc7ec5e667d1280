// The form, the page's language and the errors: each beside the field it names, and the summary bar of a target
// that cannot be met.
import { FIELDS, PROFILES, KV_PRECISIONS, COST_BASES, RENT_TERMS, PURCHASES, FIELD_ALIASES, APP_FIELDS, MAX_APPS, DEFAULTS, targetOf, state, catalog, t } from './state.js';
import { currencies, SYMBOLS } from './format.js';
import { getJson } from './api.js';
import { PANELS } from './loading.js';

// ---- form, language, errors ----
// Each panel keeps its last problem; the messages shown are those of every panel, beside the field each names
// (or in the panel when no input holds it), so a panel finishing later does not wipe another's message.

export function showProblems() {
  for (const el of document.querySelectorAll('[data-error-for]')) el.textContent = '';
  for (const el of document.querySelectorAll('#form [aria-invalid]')) el.removeAttribute('aria-invalid');
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
export function showTargetAlert() {
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
export function inPageWords(detail, apiField, field) {
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

export function fillForm() {
  for (const f of FIELDS) {
    const input = document.getElementById('f-' + f);
    if (input.type === 'checkbox') input.checked = state[f] === 'true';
    else input.value = state[f] ?? '';
  }
}

export function options(select, values, labelOf) {
  select.replaceChildren(...values.map(v => { const o = document.createElement('option'); o.value = v; o.textContent = labelOf(v); return o; }));
}

export function applyLanguage() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  document.getElementById('lang-zh').setAttribute('aria-pressed', String(state.lang === 'zh'));
  document.getElementById('lang-en').setAttribute('aria-pressed', String(state.lang === 'en'));
  const kv = document.getElementById('f-kvPrecision');
  options(kv, KV_PRECISIONS, v => v || t('field.kvPrecision.auto'));
  kv.value = state.kvPrecision;
  // The selects of fixed values, labelled in the page's language, keep the state's value.
  for (const [field, labels] of [['profile', PROFILES], ['cost', COST_BASES], ['rentTerm', RENT_TERMS], ['purchase', PURCHASES]]) {
    const select = document.getElementById('f-' + field);
    options(select, Object.keys(labels), v => t(labels[v]));
    select.value = state[field];
  }
  document.getElementById('f-today').placeholder = t('field.today.placeholder');
  renderCurrencies();
  renderApps();
}

// The added applications' blocks: each its traffic, targets and profile (inputs with data-app and data-key, read by
// the form's input listener in app.js) and a button that removes it; the form's own block is application 1.
export function renderApps() {
  const holder = document.getElementById('apps');
  holder.replaceChildren(...state.apps.map((a, i) => {
    const set = document.createElement('fieldset');
    set.className = 'app';
    set.dataset.app = String(i);
    const legend = document.createElement('legend');
    legend.textContent = t('apps.title', { n: i + 2 });
    set.append(legend);
    for (const key of APP_FIELDS) {
      const div = document.createElement('div');
      div.className = 'field';
      const label = document.createElement('label');
      const id = `f-app${i + 2}-${key}`;
      label.htmlFor = id;
      label.textContent = t('field.' + key);
      const input = document.createElement(key === 'profile' ? 'select' : 'input');
      input.id = id;
      input.dataset.app = String(i);
      input.dataset.key = key;
      if (key === 'profile') options(input, Object.keys(PROFILES), v => t(PROFILES[v]));
      else input.inputMode = 'decimal';
      input.value = a[key] ?? '';
      // The field's help, as the first block's (js/format.js, attachHelp), said of this application.
      const help = document.createElement('span');
      help.className = 'help';
      help.id = `help-app${i + 2}-${key}`;
      help.textContent = t('help.app.' + key, { n: i + 2 });
      input.title = help.textContent;
      input.setAttribute('aria-describedby', help.id);
      div.append(label, input, help);
      set.append(div);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove-app';
    remove.dataset.app = String(i);
    remove.textContent = t('apps.remove', { n: i + 2 });
    set.append(remove);
    return set;
  }));
  const add = document.getElementById('add-app');
  add.disabled = state.apps.length >= MAX_APPS - 1;
  document.getElementById('service-legend').textContent = state.apps.length ? t('apps.first') : t('inputs.service');
}

// The currency select: the catalog's currencies (currencies()), each its code, sign and name in the page's language;
// before the catalog is read, the state's currency alone.
export function renderCurrencies() {
  const select = document.getElementById('currency');
  const offered = currencies();
  const names = new Intl.DisplayNames([state.lang === 'zh' ? 'zh-CN' : 'en'], { type: 'currency' });
  options(select, offered.length ? offered : [state.currency], c => `${c} ${SYMBOLS[c] || ''} ${names.of(c)}`.replace(/ +/g, ' '));
  select.value = state.currency;
}

export async function loadCatalog() {
  const [models, hardware, prices] = await Promise.all(['/api/catalog/models', '/api/catalog/hardware', '/api/catalog/prices'].map(getJson));
  catalog.models = models.ok ? models.json.models : [];
  catalog.hardware = hardware.ok ? hardware.json.devices : [];
  catalog.rates = prices.ok ? prices.json.exchangeRates : [];
  if (catalog.rates.length && !currencies().includes(state.currency)) state.currency = DEFAULTS.currency;
  renderCurrencies();
  options(document.getElementById('models-list'), catalog.models.map(m => m.id), v => (catalog.models.find(m => m.id === v) || {}).hfRepo || '');
  options(document.getElementById('hardware-list'), catalog.hardware.map(d => d.id), v => (catalog.hardware.find(d => d.id === v) || {}).name || '');
  const apis = prices.ok ? prices.json.api : [];
  options(document.getElementById('api-list'), apis.map(a => a.model), v => (apis.find(a => a.model === v) || {}).provider || '');
}
