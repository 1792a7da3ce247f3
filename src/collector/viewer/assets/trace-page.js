// The trace page (/trace/{id}[?span={spanId}]): header facts, the waterfall and the details
// panel of the selected span.
import {h, replace} from './dom.js';
import {fetchTrace} from './api.js';
import {buildTrace} from './trace-model.js';
import {createWaterfall} from './waterfall.js';
import {renderSpanDetails} from './span-details.js';
import {formatDuration, formatRelative, formatTime} from './format.js';
import {apiErrorNotice, link, loading, notice, serviceChip, setTitle} from './ui.js';
import {serviceColor} from './colors.js';

function fact(label, value, attrs) {
  return h('div', {class: 'fact', ...attrs}, h('dt', null, label), h('dd', null, value));
}

// Renders the trace `traceId` into ctx.main.
export async function renderTracePage(ctx, traceId) {
  setTitle(`Trace ${traceId.slice(0, 7)}`);
  replace(ctx.main, loading(`Loading trace ${traceId}…`));
  let raw;
  try {
    raw = await fetchTrace(traceId, ctx.signal);
  } catch (err) {
    if (err.name === 'AbortError') return;
    if (err.status === 404) {
      replace(ctx.main, notice('error', 'Trace not found',
          h('p', null, 'No trace with id ', h('code', null, traceId), ' is stored in the collector.'),
          h('p', {class: 'hint'}, 'Spans arrive a few seconds after a request ends (the exporters batch them); ',
              'try again shortly, or ', link('/search', null, 'search for traces'), '.')));
    } else {
      replace(ctx.main, apiErrorNotice(err, `trace ${traceId}`));
    }
    return;
  }
  if (ctx.signal.aborted) return;

  const t0 = performance.now();
  const trace = buildTrace(raw);
  const root = trace.root;
  setTitle(`${root.service}: ${root.operationName}`);
  const details = h('aside', {class: 'details-panel panel', 'aria-labelledby': 'details-title', hidden: true});
  const spanNotice = h('div', {class: 'span-notice'});

  const showDetails = (span) => {
    replace(details, renderSpanDetails(span, trace, {
      selectSpan: (id) => waterfall.select(id),
      onClose: () => {
        details.hidden = true;
        waterfall.clearSelection();
        window.history.replaceState(null, '', `/trace/${trace.traceID}`);
      },
    }));
    details.hidden = false;
    details.scrollTop = 0;
    window.history.replaceState(null, '', `/trace/${trace.traceID}?span=${span.spanID}`);
  };
  const waterfall = createWaterfall(trace, {onSelect: showDetails});

  const criticalTotal = trace.criticalPath.reduce((sum, s) => sum + (s.end - s.start), 0);
  const header = h('header', {class: 'trace-header panel'},
      h('h1', {class: 'trace-title'},
          h('span', {class: 'svc-swatch', style: {background: serviceColor(root.service)}}),
          h('span', null, h('span', {class: 'trace-title-service'}, root.service),
              h('span', {class: 'trace-title-op'}, `: ${root.operationName}`)),
          trace.errorCount ? h('span', {class: 'badge badge-error'},
              `${trace.errorCount} error${trace.errorCount === 1 ? '' : 's'}`) : null),
      h('dl', {class: 'trace-facts'},
          fact('Trace ID', h('span', {class: 'mono', 'data-testid': 'trace-id'}, trace.traceID)),
          fact('Start', h('span', {title: formatRelative(trace.start)}, formatTime(trace.start))),
          fact('Duration', formatDuration(trace.duration)),
          fact('Services', String(trace.services.length)),
          fact('Depth', String(trace.depth)),
          fact('Total spans', String(trace.spans.length)),
          fact('Errors', String(trace.errorCount), {class: trace.errorCount ? 'fact fact-error' : 'fact'})),
      h('div', {class: 'chips'}, trace.services.map((s) => serviceChip(s.name, s.count, s.errors))),
      trace.roots.length > 1 ? h('p', {class: 'hint'},
          `${trace.roots.length} spans have no parent in this trace (a parent may be missing or still arriving).`) :
          null);

  const criticalToggle = h('input', {type: 'checkbox', id: 'show-critical', checked: true});
  const waterfallBox = h('div', {class: 'waterfall-box panel'}, waterfall.element);
  criticalToggle.addEventListener('change', () => {
    waterfallBox.classList.toggle('hide-critical', !criticalToggle.checked);
  });
  const findInput = h('input', {type: 'text', id: 'find-in-trace', placeholder: 'Find in trace…',
    spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'find-count'});
  const findCount = h('span', {class: 'find-count', id: 'find-count', 'aria-live': 'polite'});
  const findBox = h('span', {class: 'find', role: 'search'},
      h('label', {for: 'find-in-trace', class: 'sr-only'}, 'Find spans in this trace'), findInput, findCount);
  let found = [];
  let foundAt = -1;
  findInput.addEventListener('input', () => {
    found = waterfall.find(findInput.value);
    foundAt = -1;
    findCount.textContent = findInput.value.trim() ? `${found.length} match${found.length === 1 ? '' : 'es'}` : '';
  });
  // Enter (Shift+Enter) selects the next (previous) match.
  findInput.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !found.length) return;
    event.preventDefault();
    foundAt = (foundAt + (event.shiftKey ? found.length - 1 : 1)) % found.length;
    waterfall.select(found[foundAt].spanID, {scroll: true});
    findCount.textContent = `${foundAt + 1} of ${found.length}`;
  });
  const toolbar = h('div', {class: 'trace-toolbar'},
      h('button', {type: 'button', class: 'btn', onclick: () => waterfall.expandAll()}, 'Expand all'),
      h('button', {type: 'button', class: 'btn', onclick: () => waterfall.collapseAll()}, 'Collapse all'),
      h('label', {class: 'check'}, criticalToggle, ' Highlight critical path'),
      h('span', {class: 'legend'},
          h('span', {class: 'legend-cp', 'aria-hidden': 'true'}),
          `critical path ${formatDuration(criticalTotal)}`,
          h('span', {class: 'legend-err', 'aria-hidden': 'true'}, '!'), 'error'),
      findBox,
      h('a', {class: 'toolbar-json', href: `/api/traces/${encodeURIComponent(trace.traceID)}`, target: '_blank', rel: 'noopener'}, 'JSON'),
      h('span', {class: 'toolbar-hint'}, 'Keys: ↑ ↓ move, ← → collapse/expand, Enter opens details'));

  replace(ctx.main, h('div', {class: 'trace-page'}, header, spanNotice, toolbar,
      h('div', {class: 'trace-body'}, waterfallBox, details)));
  waterfall.element.dataset.buildMs = String(Math.round(performance.now() - t0));

  const wanted = ctx.url.searchParams.get('span');
  if (wanted) {
    const id = wanted.toLowerCase();
    if (waterfall.select(id, {scroll: true})) {
      const row = waterfall.element.querySelector(`.wf-row[data-span-id="${CSS.escape(id)}"]`);
      if (row) row.classList.add('wf-flash');
    } else {
      replace(spanNotice, notice('warning', 'Span not in this trace',
          `The link names span ${wanted}, which this trace does not contain (yet).`));
    }
  }
}
