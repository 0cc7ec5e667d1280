// The page's inputs and state: the form's fields and defaults, the state kept in the query string, the labels of
// the page's language (i18n.js), and the scenario the plan endpoints build from the page.
import { api } from './api.js';

export const I18N = window.SUANLI_I18N;
// The page's counters that several modules change: calls in flight, the newest update and pin rendering, the edit
// debounce timer, the catalog's first load and the edit timings.
export const run = { generation: 0, inflight: 0, timer: 0, catalogReady: null, editStart: 0, editTimes: {}, pinGeneration: 0 };
export const FIELDS = ['model', 'precision', 'kvPrecision', 'hardware', 'devices', 'prompt', 'output', 'batch',
  'peak', 'profile', 'timeZone', 'ttft', 'ttftPercentile', 'tpot', 'tpotPercentile', 'api', 'candidates', 'cost', 'rentTerm', 'purchase', 'today', 'exhaustive'];
export const DEFAULTS = {
  model: 'qwen2.5-7b-instruct', precision: '', kvPrecision: '', hardware: 'nvidia-h100-sxm5-80gb', devices: '1',
  prompt: '1024', output: '256', batch: '16', peak: '50', profile: 'office-hours', ttft: '2', tpot: '0.1',
  ttftPercentile: '90', tpotPercentile: '90',
  timeZone: '', api: 'gpt-4o-mini', candidates: 'qwen2.5-7b,qwen2.5-14b,qwen2.5-32b,qwen2.5-72b',
  // The search's choices at the API's defaults (docs/web.md, "The search's choices"): the cheaper of own and rent, each
  // fleet choosing its rent term, the newest purchase price, the server's today, the bound's pruning on.
  cost: 'cheaper', rentTerm: '', purchase: 'newest', today: '', exhaustive: '',
  lang: 'en', currency: 'CNY',
};
// The values of the search's choices, with their labels (SearchChoices in src/Suanli.Runs reads the same names).
export const COST_BASES = { cheaper: 'field.cost.cheaper', own: 'field.cost.own', rent: 'field.cost.rent' };
// '' is no pin: each fleet reserves the devices busy enough to pay and rents the rest on demand.
export const RENT_TERMS = { '': 'field.rentTerm.auto', 'on-demand': 'field.rentTerm.onDemand', 'reserved-1y': 'field.rentTerm.reserved1y', 'reserved-3y': 'field.rentTerm.reserved3y', spot: 'field.rentTerm.spot' };
export const PURCHASES = { newest: 'field.purchase.newest', 'article-claim': 'field.purchase.articleClaim', 'street-estimate': 'field.purchase.streetEstimate', 'list-price': 'field.purchase.listPrice' };
// The time zone of the profile's hours when the link names none: China's on the Chinese page, UTC on the English one.
export const ZONES = { zh: 'Asia/Shanghai', en: 'UTC' };
// The traffic presets of the scenario format (docs/scenario.md), with their labels.
export const PROFILES = { 'office-hours': 'field.profile.office', 'call-centre': 'field.profile.callCentre', 'consumer-evening': 'field.profile.evening', flat: 'field.profile.flat' };
// The cost lines the cost model names (src/Suanli/Cost), shown in the page's language; others as the server names them.
export const PARTS = { 'capex (amortised)': 'cost.part.capex', power: 'cost.part.power', maintenance: 'cost.part.maintenance', rent: 'cost.part.rent', 'input tokens': 'cost.part.input', 'cached input tokens': 'cost.part.cachedInput', 'output tokens': 'cost.part.output', 'build (amortised)': 'cost.part.build', fixed: 'cost.part.fixed', 'per request': 'cost.part.perRequest' };
export const KINDS = { api: 'cost.kind.api', own: 'cost.kind.own', rent: 'cost.kind.rent', custom: 'cost.kind.custom' };
// Batch sizes of the throughput-vs-latency curve.
export const SWEEP = '1,2,4,8,16,32,64,128,256';
export const PRECISIONS = ['bf16', 'fp16', 'fp8', 'int8', 'int4', 'int4-g32', 'fp4', 'mxfp4', 'fp32', 'q8_0', 'q4_0', 'q4_k_m'];
export const KV_PRECISIONS = ['', 'bf16', 'fp16', 'fp8', 'int8', 'fp32'];
// Fields the API names differently from the input that holds them (a panel may add its own).
// A pinned rent term goes to the plan as the scenario file's key (rent_term), whose errors name that key.
export const FIELD_ALIASES = { context: 'prompt', input: 'prompt', peakConcurrency: 'peak', ttftP90: 'ttft', tpotP90: 'tpot', rent_term: 'rentTerm' };
// The latency target an infeasibility message names (the plan's 400 names only 'applications' as its field; the
// search's rejections carry the codes ttft and tpot), so the explanation is shown beside that target's input too.
export function targetOf(text) {
  if (/\bTTFT target\b|TTFT 目标/.test(text || '')) return 'ttft';
  if (/\bTPOT target\b|TPOT 目标/.test(text || '')) return 'tpot';
  return null;
}

// Plans a page keeps pinned side by side (each a 'pin' parameter of the link).
export const MAX_PINS = 8;
// Applications of the scenario besides the form's own (each an 'app' parameter of the link): their traffic, targets
// and profile; they share the form's model, formats and hardware, so the plan can pool them on one fleet.
export const APP_FIELDS = ['peak', 'prompt', 'output', 'profile', 'ttft', 'tpot'];
export const MAX_APPS = 3;
export const state = { ...DEFAULTS, apps: [], sim: {}, ...fromUrl() };
// The precision follows the model (its released checkpoint's format, as the CLI and /api/memory default: fp8 for
// DeepSeek-V3) until the user chooses one, or the link names one.
state.precisionChosen = Boolean(state.precision);
export const catalog = { models: [], hardware: [], rates: [] };
export const charts = {};
export const last = {};

// The curve's batch sizes plus the one the user set, so the headline is computed at that batch, not the nearest
// on the curve. A value that is not a whole number goes as typed, for the server to reject beside the field.
export function sweepWith(batch) {
  const text = String(batch ?? '').trim();
  if (!/^\d+$/.test(text)) return text ? SWEEP + ',' + text : SWEEP;
  const sizes = new Set(SWEEP.split(',').map(Number));
  sizes.add(Number(text));
  return [...sizes].sort((a, b) => a - b).join(',');
}

// The one-application scenario the plan endpoints build from the page (GET /api/plan?...; format=yaml gives the file).
export function scenarioOf(s) {
  return { model: s.model, precision: s.precision, kvPrecision: s.kvPrecision, hardware: s.hardware, peakConcurrency: s.peak, input: s.prompt, output: s.output, ttftP90: s.ttft, tpotP90: s.tpot, ttftPercentile: s.ttftPercentile, tpotPercentile: s.tpotPercentile, profile: s.profile, timeZone: s.timeZone, currency: s.currency };
}

export function t(key, vars) {
  const entry = I18N[key];
  let text = entry ? (entry[state.lang] || entry.en) : key;
  for (const [k, v] of Object.entries(vars || {})) text = text.split('{' + k + '}').join(String(v));
  return text;
}

export function fromUrl() {
  const q = new URLSearchParams(location.search);
  const s = {};
  for (const k of [...FIELDS, 'lang', 'currency']) if (q.has(k)) s[k] = q.get(k);
  if (s.lang !== undefined && !['en', 'zh'].includes(s.lang)) delete s.lang;
  // Any three-letter code; once the catalog is read, one it has no rate for falls back to the default (form.js).
  if (s.currency !== undefined && !/^[A-Z]{3}$/.test(s.currency)) delete s.currency;
  if (q.has('pin')) s.pins = q.getAll('pin').slice(0, MAX_PINS);
  // The simulate and capacity section's inputs the user set (js/serving.js), one query string.
  if (q.has('sim')) s.sim = Object.fromEntries(new URLSearchParams(q.get('sim')));
  if (q.has('app')) s.apps = q.getAll('app').slice(0, MAX_APPS - 1).map(a => { const p = new URLSearchParams(a); return Object.fromEntries(APP_FIELDS.map(k => [k, p.get(k) ?? DEFAULTS[k]])); });
  return s;
}

export function writeUrl() {
  const q = new URLSearchParams();
  for (const k of [...FIELDS, 'lang', 'currency']) if (k !== 'precision' || state.precisionChosen) q.set(k, state[k] ?? '');
  for (const pin of state.pins || []) q.append('pin', pin);
  for (const a of state.apps) q.append('app', new URLSearchParams(APP_FIELDS.map(k => [k, a[k] ?? ''])).toString());
  const sim = new URLSearchParams(Object.entries(state.sim).filter(([, v]) => String(v).trim() !== '')).toString();
  if (sim) q.set('sim', sim);
  history.replaceState(null, '', '?' + q.toString());
  document.getElementById('share-link').href = location.href;
  const scenario = scenarioOf(state);
  const yaml = document.getElementById('download-yaml');
  const md = document.getElementById('download-md');
  const xlsx = document.getElementById('download-xlsx');
  if (!postsFile(state)) {
    yaml.href = api('/api/plan', { ...scenario, format: 'yaml' });
    yaml.setAttribute('download', 'scenario.yaml');
    md.href = api('/api/plan', { ...scenario, format: 'markdown' });
    xlsx.href = api('/api/plan/xlsx', scenario);
    for (const a of [yaml, md, xlsx]) { delete a.dataset.body; delete a.dataset.file; }
    return;
  }
  // Several applications or a pinned rent term: the scenario file itself (JSON, which suanli plan reads as it reads YAML), and the report
  // and spreadsheet of that file from the POST endpoints.
  const file = JSON.stringify(scenarioFile(state), null, 2);
  yaml.href = api('/api/plan', { format: 'yaml' });
  yaml.setAttribute('download', 'scenario.json');
  yaml.dataset.file = file;
  md.href = api('/api/plan', { format: 'markdown' });
  md.dataset.body = file;
  xlsx.href = api('/api/plan/xlsx', {});
  xlsx.dataset.body = file;
}

// A number as typed, as a JSON number; anything else as the text, for the scenario reader to refuse with its field.
function number(v) {
  const text = String(v ?? '').trim();
  return /^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
}

// A percentile as a scenario key writes it (99 of ttft_p99_s): as typed, without a leading p; empty is 90.
function pct(v) {
  const text = String(v ?? '').trim().replace(/^[pP]/, '');
  return text || '90';
}

// The scenario file of the page (docs/scenario.md): the form's application and the added ones, on the form's model,
// formats and hardware; what POST /api/plan, /api/plan/hours, /api/plan/sensitivity and /api/plan/xlsx read.
export function scenarioFile(s) {
  const apps = [s, ...s.apps].map((a, i) => ({
    name: 'application-' + (i + 1), model: s.model, precision: s.precision || undefined, kv_precision: s.kvPrecision || undefined, engine: 'vllm',
    peak_concurrency: number(a.peak), input_tokens: number(a.prompt), output_tokens: number(a.output),
    // Every application's targets at the form's percentiles (the file's key names the percentile: ttft_p99_s).
    targets: { [`ttft_p${pct(s.ttftPercentile)}_s`]: number(a.ttft), [`tpot_p${pct(s.tpotPercentile)}_s`]: number(a.tpot) }, profile: a.profile,
  }));
  return { name: `${s.model} on ${s.hardware}`, currency: s.currency, time_zone: s.timeZone || undefined, rent_term: s.rentTerm || undefined, hardware: s.hardware, applications: apps };
}

// Whether the plan endpoints get the scenario file rather than the one-application query: with added applications,
// and with a pinned rent term, which the query does not carry (the file's rent_term; docs/scenario.md).
export function postsFile(s) {
  return s.apps.length > 0 || Boolean(String(s.rentTerm || '').trim());
}

// The search's choices as the search endpoints take them (query parameters; empty ones are left out by api()).
export function choicesOf(s) {
  return { cost: s.cost, rentTerm: s.rentTerm, purchase: s.purchase, today: s.today, exhaustive: s.exhaustive };
}

// The key of a plan endpoint's call for the state: a GET of the one-application query, or with added applications (or
// a pinned rent term) a POST of the scenario file ('POST <url>' and the body on the next line; getJson sends it so).
export function planKey(path, s, extra) {
  if (!postsFile(s)) return api(path, { ...scenarioOf(s), ...(extra || {}) });
  return 'POST ' + api(path, extra || {}) + '\n' + JSON.stringify(scenarioFile(s));
}

// Prompt plus output as the memory report's context; left to the server to reject when either is not a count.
export function tokens(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(text || '');
  if (!m) return NaN;
  const mult = { '': 1, k: 1024, K: 1024, m: 1048576, M: 1048576 }[m[2]];
  return Number(m[1]) * mult;
}
export function contextOf(s) {
  const sum = tokens(s.prompt) + tokens(s.output);
  return Number.isFinite(sum) ? String(sum) : s.prompt;
}
