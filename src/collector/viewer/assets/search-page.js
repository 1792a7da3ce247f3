// The search page: a form (service, operation, tags, lookback, durations, limit) whose state
// lives in the URL (/search?service=…), a scatter plot and a sortable list of traces.
import {h, replace} from './dom.js';
import {fetchOperations, fetchServices, searchTraces} from './api.js';
import {formatDuration, formatRelative, formatTime, parseGoDuration} from './format.js';
import {formatTagFilter, parseTagFilter} from './tags.js';
import {summarize} from './trace-model.js';
import {drawScatter} from './scatter.js';
import {apiErrorNotice, link, loading, notice, serviceChip, setTitle} from './ui.js';
import {serviceColor} from './colors.js';

const LOOKBACKS = [
  ['5m', 'Last 5 minutes', 5 * 60e3], ['15m', 'Last 15 minutes', 15 * 60e3],
  ['1h', 'Last hour', 3600e3], ['6h', 'Last 6 hours', 6 * 3600e3],
  ['12h', 'Last 12 hours', 12 * 3600e3], ['24h', 'Last 24 hours', 24 * 3600e3],
  ['2d', 'Last 2 days', 2 * 86400e3], ['7d', 'Last 7 days', 7 * 86400e3],
];
const SORTS = [
  ['recent', 'Most recent', (a, b) => b.start - a.start],
  ['longest', 'Longest first', (a, b) => b.duration - a.duration],
  ['shortest', 'Shortest first', (a, b) => a.duration - b.duration],
  ['spans', 'Most spans', (a, b) => b.spanCount - a.spanCount],
  ['errors', 'Most errors', (a, b) => b.errorCount - a.errorCount || b.start - a.start],
];
const LAST_SERVICE_KEY = 'blogtrace.lastService';

// Reads the search state from the URL query, with defaults.
function stateFromUrl(url) {
  const q = url.searchParams;
  let tags = {};
  try {
    tags = q.get('tags') ? JSON.parse(q.get('tags')) : {};
  } catch {
    tags = {};
  }
  return {
    service: q.get('service') || '',
    operation: q.get('operation') || '',
    tags,
    lookback: LOOKBACKS.some(([v]) => v === q.get('lookback')) ? q.get('lookback') : '1h',
    minDuration: q.get('minDuration') || '',
    maxDuration: q.get('maxDuration') || '',
    limit: q.get('limit') || '20',
    sort: SORTS.some(([v]) => v === q.get('sort')) ? q.get('sort') : 'recent',
  };
}

// The URL of a search state.
function urlOfState(state) {
  const q = new URLSearchParams();
  q.set('service', state.service);
  if (state.operation) q.set('operation', state.operation);
  if (Object.keys(state.tags).length) q.set('tags', JSON.stringify(state.tags));
  q.set('lookback', state.lookback);
  if (state.minDuration) q.set('minDuration', state.minDuration);
  if (state.maxDuration) q.set('maxDuration', state.maxDuration);
  q.set('limit', state.limit);
  if (state.sort !== 'recent') q.set('sort', state.sort);
  return `/search?${q}`;
}

function field(label, control, hint) {
  const id = control.id;
  return h('div', {class: 'field'}, h('label', {for: id}, label), control,
      hint ? h('div', {class: 'field-hint', id: `${id}-hint`}, hint) : null);
}

function option(value, label, selected) {
  return h('option', {value, selected: selected ? true : null}, label);
}

// Renders the page into ctx.main; runs the search when the URL names a service (or picks one).
export async function renderSearchPage(ctx) {
  setTitle('Search');
  const state = stateFromUrl(ctx.url);
  const explicit = ctx.url.searchParams.has('service');

  const serviceSel = h('select', {id: 'f-service', name: 'service', required: true, disabled: true},
      option('', 'Loading…'));
  const operationSel = h('select', {id: 'f-operation', name: 'operation', disabled: true},
      option('', 'all'));
  const tagsIn = h('input', {
    id: 'f-tags', name: 'tags', type: 'text', spellcheck: 'false', autocomplete: 'off',
    placeholder: 'http.response.status_code=500 error=true', value: formatTagFilter(state.tags),
    'aria-describedby': 'f-tags-hint',
  });
  const lookbackSel = h('select', {id: 'f-lookback', name: 'lookback'},
      LOOKBACKS.map(([v, label]) => option(v, label, v === state.lookback)));
  const minIn = h('input', {id: 'f-min', name: 'minDuration', type: 'text', placeholder: 'e.g. 100ms',
    value: state.minDuration, spellcheck: 'false', autocomplete: 'off'});
  const maxIn = h('input', {id: 'f-max', name: 'maxDuration', type: 'text', placeholder: 'e.g. 1.5s',
    value: state.maxDuration, spellcheck: 'false', autocomplete: 'off'});
  const limitIn = h('input', {id: 'f-limit', name: 'limit', type: 'number', min: '1', max: '1500',
    value: state.limit});
  const formError = h('div', {class: 'form-error', role: 'alert', hidden: true});
  const submit = h('button', {type: 'submit', class: 'btn btn-primary', disabled: true}, 'Find traces');
  const form = h('form', {class: 'search-form', novalidate: true, 'aria-label': 'Search traces'},
      h('h2', {class: 'panel-title'}, 'Search'),
      field('Service', serviceSel),
      field('Operation', operationSel),
      field('Tags', tagsIn, h('span', null, 'logfmt: ', h('code', null, 'key=value key2="a b"'))),
      field('Lookback', lookbackSel),
      h('div', {class: 'field-row'}, field('Min duration', minIn), field('Max duration', maxIn)),
      field('Limit results', limitIn),
      formError,
      submit);
  const results = h('section', {class: 'results', 'aria-label': 'Search results', 'aria-live': 'polite'});
  replace(ctx.main, h('div', {class: 'search-layout'},
      h('aside', {class: 'panel search-panel'}, form), results));

  let services;
  try {
    replace(results, loading('Loading services…'));
    services = await fetchServices(ctx.signal);
  } catch (err) {
    if (err.name === 'AbortError') return;
    replace(serviceSel, option('', 'unavailable'));
    replace(results, apiErrorNotice(err, 'the services'));
    return;
  }
  if (ctx.signal.aborted) return;
  if (!services.length) {
    replace(serviceSel, option('', 'no services yet'));
    replace(results, notice('info', 'No traces yet',
        'The collector has not received any spans. Send OTLP/HTTP to its receiver (port 4318 by ',
        'default), for example by running ', h('code', null, 'blogtrace up'),
        ' and calling the blog service; then reload this page.'));
    return;
  }
  let chosen = state.service;
  if (!services.includes(chosen)) {
    const last = safeStorageGet(LAST_SERVICE_KEY);
    chosen = services.includes(last) ? last : services[0];
  }
  replace(serviceSel, services.map((name) => option(name, name, name === chosen)));
  serviceSel.disabled = false;
  submit.disabled = false;

  // Fills the operation list of the chosen service (keeps `wanted` when it exists).
  const loadOperations = async (service, wanted) => {
    operationSel.disabled = true;
    replace(operationSel, option('', 'all'));
    try {
      const ops = await fetchOperations(service, ctx.signal);
      replace(operationSel, option('', 'all', !wanted),
          ops.map((op) => option(op, op, op === wanted)));
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(operationSel, option('', 'all'));
    }
    operationSel.disabled = false;
  };
  serviceSel.addEventListener('change', () => loadOperations(serviceSel.value, ''));
  await loadOperations(chosen, state.operation);
  if (ctx.signal.aborted) return;

  let current = null;  // {summaries, state} of the last search, for re-sorting
  const readForm = () => {
    const parsedTags = parseTagFilter(tagsIn.value);
    if (parsedTags.error) return {error: parsedTags.error, focus: tagsIn};
    for (const [input, name] of [[minIn, 'Min duration'], [maxIn, 'Max duration']]) {
      if (input.value.trim() && parseGoDuration(input.value) === null) {
        return {error: `${name}: use a duration like 100ms, 1.5s or 2m`, focus: input};
      }
    }
    const min = parseGoDuration(minIn.value);
    const max = parseGoDuration(maxIn.value);
    if (min !== null && max !== null && minIn.value.trim() && maxIn.value.trim() && min > max) {
      return {error: 'Min duration is larger than max duration', focus: minIn};
    }
    const limit = Number(limitIn.value || 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1500) {
      return {error: 'Limit: a whole number from 1 to 1500', focus: limitIn};
    }
    return {state: {
      service: serviceSel.value, operation: operationSel.value, tags: parsedTags.tags,
      lookback: lookbackSel.value, minDuration: minIn.value.trim(), maxDuration: maxIn.value.trim(),
      limit: String(limit), sort: current ? current.state.sort : state.sort,
    }};
  };

  const showResults = (summaries, searchState) => {
    current = {summaries, state: searchState};
    if (!summaries.length) {
      replace(results, notice('info', 'No traces found',
          `No trace of ${searchState.service} matches in the ${lookbackLabel(searchState.lookback)}. `,
          'Try a longer lookback or fewer filters.'));
      return;
    }
    const sortSel = h('select', {id: 'f-sort', 'aria-label': 'Sort traces'},
        SORTS.map(([v, label]) => option(v, label, v === searchState.sort)));
    const plot = h('div', {class: 'scatter-box'});
    const list = h('ol', {class: 'result-list'});
    const drawList = () => {
      const compare = SORTS.find(([v]) => v === searchState.sort)[2];
      const sorted = summaries.slice().sort(compare);
      const longest = Math.max(...summaries.map((t) => t.duration)) || 1;
      replace(list, sorted.map((t) => resultItem(t, longest)));
    };
    sortSel.addEventListener('change', () => {
      searchState.sort = sortSel.value;
      window.history.replaceState(null, '', urlOfState(searchState));
      drawList();
    });
    const errorTraces = summaries.filter((t) => t.errorCount).length;
    replace(results,
        h('div', {class: 'panel scatter-panel'}, plot,
            h('div', {class: 'scatter-legend'},
                h('span', {class: 'legend-dot', style: {background: 'var(--accent)'}}), 'trace (colour of its root service)',
                h('span', {class: 'legend-dot legend-error'}), 'trace with errors · dot size = span count')),
        h('div', {class: 'results-bar'},
            h('h2', {class: 'results-count'}, `${summaries.length} trace${summaries.length === 1 ? '' : 's'}`,
                errorTraces ? h('span', {class: 'badge badge-error'}, `${errorTraces} with errors`) : null),
            h('label', {class: 'sort-label'}, 'Sort ', sortSel)),
        list);
    drawList();
    const open = (id) => ctx.navigate(`/trace/${id}`);
    drawScatter(plot, summaries, open);
    let timer = 0;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(() => plot.isConnected && drawScatter(plot, summaries, open), 150);
    };
    window.addEventListener('resize', onResize, {signal: ctx.signal});
  };

  let searchAbort = null;
  const runSearch = async (searchState) => {
    if (searchAbort) searchAbort.abort();
    searchAbort = new AbortController();
    const signal = AbortSignal.any([ctx.signal, searchAbort.signal]);
    safeStorageSet(LAST_SERVICE_KEY, searchState.service);
    replace(results, loading('Searching…'));
    submit.disabled = true;
    try {
      const lookbackMs = LOOKBACKS.find(([v]) => v === searchState.lookback)[2];
      const traces = await searchTraces({...searchState, lookbackMs, limit: Number(searchState.limit)}, signal);
      if (signal.aborted) return;
      showResults(traces.map(summarize), searchState);
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(results, apiErrorNotice(err, 'traces'));
    } finally {
      submit.disabled = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const read = readForm();
    if (read.error) {
      formError.textContent = read.error;
      formError.hidden = false;
      read.focus.setAttribute('aria-invalid', 'true');
      read.focus.focus();
      return;
    }
    formError.hidden = true;
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    window.history.pushState(null, '', urlOfState(read.state));
    runSearch(read.state);
  });

  const initial = {...state, service: chosen};
  if (!explicit) window.history.replaceState(null, '', urlOfState(initial));
  runSearch(initial);
}

function lookbackLabel(value) {
  return (LOOKBACKS.find(([v]) => v === value) || LOOKBACKS[2])[1].toLowerCase();
}

// One trace of the result list: a link to the trace with its summary.
function resultItem(t, longest) {
  const pct = Math.max((t.duration / longest) * 100, 0.5);
  return h('li', {class: `result${t.errorCount ? ' result-has-error' : ''}`, dataset: {traceId: t.traceID}},
      link(`/trace/${t.traceID}`, {class: 'result-head'},
          h('span', {class: 'result-bar', style: {width: `${pct}%`}, 'aria-hidden': 'true'}),
          h('span', {class: 'result-title'},
              h('span', {class: 'svc-swatch', style: {background: serviceColor(t.rootService)}}),
              h('span', {class: 'result-name'}, h('strong', null, t.rootService), `: ${t.rootOperation}`)),
          h('span', {class: 'result-id mono'}, t.traceID.slice(0, 7)),
          h('span', {class: 'result-duration'}, formatDuration(t.duration))),
      h('div', {class: 'result-body'},
          h('div', {class: 'chips'}, t.services.map((svc) => serviceChip(svc.name, svc.count, svc.errors))),
          h('div', {class: 'result-meta'},
              h('span', null, `${t.spanCount} span${t.spanCount === 1 ? '' : 's'}`),
              t.errorCount ?
                  h('span', {class: 'badge badge-error'}, `${t.errorCount} error${t.errorCount === 1 ? '' : 's'}`) :
                  null,
              h('time', {datetime: new Date(t.start / 1000).toISOString(), title: formatTime(t.start)},
                  formatRelative(t.start)),
              h('span', {class: 'muted'}, formatTime(t.start)))));
}

function safeStorageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeStorageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage may be off (private mode); remembering the service is only a convenience.
  }
}
