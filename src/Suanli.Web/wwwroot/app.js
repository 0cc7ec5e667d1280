// The planning page. It parses nothing itself beyond the form: it calls the API (the same reports as the CLI),
// renders the JSON, and keeps the whole state in the query string so a plan can be shared by link.
// Server and user text is only ever written with textContent, never as HTML.
// Modules (js/): state, api, format, panels, search, form, loading, pins, serving; this file starts the page.
import { FIELDS, ZONES, PRECISIONS, APP_FIELDS, MAX_APPS, state, catalog, charts, run } from './js/state.js';
import { attachHelp, followModel, offerPrecision } from './js/format.js';
import { fillForm, options, applyLanguage, loadCatalog, renderApps } from './js/form.js';
import { rerender, update, schedule, watchLazyPanels, download } from './js/loading.js';
import { renderPins, pinCurrent } from './js/pins.js';
import { startServing, renderServing, relanguageServing } from './js/serving.js';

// A time zone still at the language's default follows the language (and the plan panels are fetched again).
function setLanguage(lang) {
  const follows = state.timeZone === ZONES[state.lang] && state.timeZone !== ZONES[lang];
  state.lang = lang;
  if (follows) { state.timeZone = ZONES[lang]; fillForm(); }
  rerender();
  // The server answers in the page's language (lang on every call): switching fetches the panels again in the new one.
  update();
  relanguageServing();
}

function boot() {
  if (!state.timeZone) state.timeZone = ZONES[state.lang];
  options(document.getElementById('f-precision'), PRECISIONS, v => v);
  offerPrecision(state.precision);
  attachHelp();
  startServing();
  applyLanguage();
  renderServing();
  fillForm();
  run.catalogReady = loadCatalog();
  document.getElementById('form').addEventListener('input', e => {
    const { app, key } = e.target.dataset;
    if (app !== undefined && key) { state.apps[Number(app)][key] = e.target.value; schedule(); return; }
    const f = e.target.name;
    if (!FIELDS.includes(f)) return;
    state[f] = e.target.type === 'checkbox' ? (e.target.checked ? 'true' : '') : e.target.value;
    if (f === 'precision') state.precisionChosen = true;
    if (f === 'model' && catalog.models.length) followModel();
    schedule();
  });
  document.getElementById('form').addEventListener('submit', e => e.preventDefault());
  // Another application starts as a copy of the form's traffic, targets and profile; removing one replans at once.
  document.getElementById('add-app').addEventListener('click', () => {
    if (state.apps.length >= MAX_APPS - 1) return;
    state.apps.push(Object.fromEntries(APP_FIELDS.map(k => [k, state[k]])));
    renderApps();
    schedule();
  });
  document.getElementById('apps').addEventListener('click', e => {
    const remove = e.target.closest('button.remove-app');
    if (!remove) return;
    state.apps.splice(Number(remove.dataset.app), 1);
    renderApps();
    schedule();
  });
  document.querySelector('.downloads').addEventListener('click', download);
  document.getElementById('pin').addEventListener('click', pinCurrent);
  document.getElementById('lang-zh').addEventListener('click', () => setLanguage('zh'));
  document.getElementById('lang-en').addEventListener('click', () => setLanguage('en'));
  document.getElementById('currency').addEventListener('change', e => { state.currency = e.target.value; rerender(); update(); });
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  watchLazyPanels();
  update();
  renderPins();
}

boot();
