// The trace waterfall: one row per span in depth-first order, bars on a shared time ruler.
// Built once; collapsing hides the rows of a subtree (rows of a subtree are contiguous in
// depth-first order), so a toggle touches only `hidden` flags and never re-renders. Rows use
// `content-visibility: auto`, which lets the browser skip layout and paint of off-screen rows.
import {h} from './dom.js';
import {formatDuration} from './format.js';
import {serviceColor} from './colors.js';

const TICKS = 5;
const INDENT_PX = 14;
const MAX_INDENT_LEVELS = 40;

// Creates the waterfall of `trace` (from buildTrace). `onSelect(span)` is called when a row is
// chosen by click or keyboard. Returns {element, select, expandAll, collapseAll}.
export function createWaterfall(trace, {onSelect}) {
  const spans = trace.spans;
  const total = trace.duration || 1;
  const pct = (us) => ((us - trace.start) / total) * 100;
  const collapsed = new Uint8Array(spans.length);
  const visible = new Uint8Array(spans.length).fill(1);
  const rows = new Array(spans.length);
  let selected = -1;
  let focused = 0;

  const ruler = h('div', {class: 'wf-ruler', 'aria-hidden': 'true'});
  for (let i = 0; i < TICKS; i++) {
    const at = (i / (TICKS - 1)) * 100;
    ruler.append(h('span', {class: `wf-tick${i === TICKS - 1 ? ' wf-tick-last' : ''}`, style: {left: `${at}%`}},
        formatDuration((total * i) / (TICKS - 1))));
  }
  const header = h('div', {class: 'wf-header'},
      h('div', {class: 'wf-name-head'}, 'Service & operation'), ruler);

  const body = h('div', {class: 'wf-rows', role: 'tree', 'aria-label': 'Spans of the trace'});
  const html = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) html[i] = rowHtml(spans[i], i, pct, total);
  body.innerHTML = html.join('');
  for (let i = 0; i < spans.length; i++) rows[i] = body.children[i];
  if (rows.length) rows[0].tabIndex = 0;

  // Recomputes which rows are visible from the collapsed flags; writes only changed flags.
  const refresh = () => {
    let i = 0;
    while (i < spans.length) {
      show(i, true);
      if (collapsed[i]) {
        const end = i + spans[i].subtreeSize;
        for (let j = i + 1; j < end; j++) show(j, false);
        i = end;
      } else {
        i++;
      }
    }
  };
  const show = (i, on) => {
    if (visible[i] === (on ? 1 : 0)) return;
    visible[i] = on ? 1 : 0;
    rows[i].hidden = !on;
  };
  const setCollapsed = (i, value) => {
    if (spans[i].children.length === 0) return;
    collapsed[i] = value ? 1 : 0;
    rows[i].setAttribute('aria-expanded', value ? 'false' : 'true');
  };
  const focusRow = (i, {scroll = true} = {}) => {
    if (i < 0 || i >= rows.length) return;
    rows[focused].tabIndex = -1;
    focused = i;
    rows[i].tabIndex = 0;
    rows[i].focus({preventScroll: !scroll});
  };
  const toggle = (i) => {
    setCollapsed(i, !collapsed[i]);
    refresh();
  };
  // Selects the span at row i: expands its ancestors, marks the row, tells the page.
  const selectIndex = (i, {scroll = false, notify = true, focus = true} = {}) => {
    let expanded = false;
    for (let p = spans[i].parent; p; p = p.parent) {
      if (collapsed[p.index]) {
        setCollapsed(p.index, false);
        expanded = true;
      }
    }
    if (expanded) refresh();
    if (selected >= 0) {
      rows[selected].classList.remove('wf-selected');
      rows[selected].setAttribute('aria-selected', 'false');
    }
    selected = i;
    rows[i].classList.add('wf-selected');
    rows[i].setAttribute('aria-selected', 'true');
    if (focus) focusRow(i, {scroll: false});
    if (scroll) rows[i].scrollIntoView({block: 'center'});
    if (notify) onSelect(spans[i]);
  };

  body.addEventListener('click', (event) => {
    const row = event.target.closest('.wf-row');
    if (!row) return;
    const i = Number(row.dataset.i);
    if (event.target.closest('.wf-toggle')) {
      toggle(i);
      focusRow(i, {scroll: false});
      return;
    }
    selectIndex(i);
  });
  const nextVisible = (i, step) => {
    for (let j = i + step; j >= 0 && j < rows.length; j += step) if (visible[j]) return j;
    return i;
  };
  body.addEventListener('keydown', (event) => {
    const row = event.target.closest('.wf-row');
    if (!row) return;
    const i = Number(row.dataset.i);
    const span = spans[i];
    let handled = true;
    switch (event.key) {
      case 'ArrowDown': focusRow(nextVisible(i, 1)); break;
      case 'ArrowUp': focusRow(nextVisible(i, -1)); break;
      case 'Home': focusRow(0); break;
      case 'End': focusRow(nextVisible(rows.length, -1)); break;
      case 'ArrowRight':
        if (span.children.length && collapsed[i]) toggle(i);
        else if (span.children.length) focusRow(i + 1);
        break;
      case 'ArrowLeft':
        if (span.children.length && !collapsed[i]) toggle(i);
        else if (span.parent) focusRow(span.parent.index);
        break;
      case 'Enter':
      case ' ':
        selectIndex(i);
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  const element = h('div', {class: 'waterfall'}, header, body);
  let matches = [];
  return {
    // Marks the spans whose service, operation, id or any tag/resource value contains `text`
    // (case-insensitive) and dims the others; '' clears. Returns the matching spans in order.
    find(text) {
      const needle = String(text).trim().toLowerCase();
      for (const i of matches) rows[i].classList.remove('wf-match');
      matches = [];
      if (needle) {
        for (let i = 0; i < spans.length; i++) {
          if (spanMatches(spans[i], needle)) {
            matches.push(i);
            rows[i].classList.add('wf-match');
          }
        }
      }
      body.classList.toggle('wf-searching', needle !== '');
      return matches.map((i) => spans[i]);
    },
    element,
    // Selects a span by id (expanding and scrolling to it); false when it is not in the trace.
    select(spanId, {scroll = true, notify = true} = {}) {
      const span = trace.byId.get(spanId);
      if (!span) return false;
      selectIndex(span.index, {scroll, notify, focus: false});
      return true;
    },
    // Clears the selection mark.
    clearSelection() {
      if (selected < 0) return;
      rows[selected].classList.remove('wf-selected');
      rows[selected].setAttribute('aria-selected', 'false');
      selected = -1;
    },
    expandAll() {
      for (let i = 0; i < spans.length; i++) setCollapsed(i, false);
      refresh();
    },
    // Collapses every span with children: only the roots stay visible.
    collapseAll() {
      for (let i = 0; i < spans.length; i++) setCollapsed(i, true);
      refresh();
      if (!visible[focused]) focusRow(spans[focused] ? rootIndexOf(spans[focused]) : 0, {scroll: false});
    },
  };
}

// True when `needle` (lower case) occurs in the span's names, id, tags or process tags.
function spanMatches(span, needle) {
  const has = (value) => value != null && String(value).toLowerCase().includes(needle);
  if (has(span.service) || has(span.operationName) || span.spanID === needle) return true;
  for (const tag of span.tags) if (has(tag.key) || has(tag.value)) return true;
  for (const tag of span.process.tags || []) if (has(tag.value)) return true;
  return false;
}

function rootIndexOf(span) {
  let s = span;
  while (s.parent) s = s.parent;
  return s.index;
}

const ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
const num = (value) => (Number.isFinite(value) ? Number(value.toFixed(4)) : 0);

// The markup of one row: indented name cell (toggle, service, operation) and the timeline
// cell (bar, critical-path sections, event marks, duration label). Rows are built as one HTML
// string because the parser creates 20,000 nodes several times faster than createElement.
function rowHtml(span, i, pct, total) {
  const color = serviceColor(span.service);
  const hasChildren = span.children.length > 0;
  const level = Math.min(span.depth, MAX_INDENT_LEVELS);
  const duration = formatDuration(span.duration);
  const left = pct(span.startTime);
  const width = (span.duration / total) * 100;
  let label;
  if (width >= 45) {  // a long bar: no room beside it, the label goes inside at its right end
    label = `<span class="wf-label wf-label-inside" style="right:${num(100 - left - width)}%">${duration}</span>`;
  } else if (left + width > 82) {
    label = `<span class="wf-label wf-label-left" style="right:${num(100 - left)}%">${duration}</span>`;
  } else {
    label = `<span class="wf-label" style="left:${num(left + width)}%">${duration}</span>`;
  }
  let marks = '';
  for (const section of span.critical) {
    marks += `<div class="wf-cp" style="left:${num(pct(section.start))}%;width:${
      num(((section.end - section.start) / total) * 100)}%"></div>`;
  }
  for (const log of span.logs) marks += `<div class="wf-log" style="left:${num(pct(log.timestamp))}%"></div>`;
  const classes = `wf-row${span.isError ? ' wf-error' : ''}${span.critical.length ? ' wf-critical' : ''}`;
  const name = `${span.service}: ${span.operationName} (${duration}${span.isError ? ', error' : ''})`;
  return `<div class="${classes}" role="treeitem" tabindex="-1" aria-level="${span.depth + 1}" ` +
      `aria-selected="false"${hasChildren ? ' aria-expanded="true"' : ''} aria-label="${esc(name)}" ` +
      `title="${esc(name)}" data-i="${i}" data-span-id="${esc(span.spanID)}">` +
      `<div class="wf-name" style="padding-left:${8 + level * INDENT_PX}px">` +
      `<span class="${hasChildren ? 'wf-toggle' : 'wf-leaf'}" aria-hidden="true"></span>` +
      `<span class="wf-svc" style="--svc:${color}">${esc(span.service)}</span>` +
      `<span class="wf-op">${esc(span.operationName)}</span>` +
      `${span.isError ? '<span class="wf-error-icon" title="error">!</span>' : ''}</div>` +
      `<div class="wf-timeline"><div class="wf-bar" style="left:${num(left)}%;width:${num(width)}%;` +
      `background:${color}"></div>${marks}${label}</div></div>`;
}
