// The span details panel: identity, timing, status, attributes, events, resource and links.
import {h} from './dom.js';
import {formatDuration, formatTagValue, formatTime} from './format.js';
import {link, serviceChip} from './ui.js';

// A two-column table of typed tags (key, value, type).
function tagTable(tags, caption) {
  if (!tags.length) return h('p', {class: 'muted'}, 'none');
  const sorted = tags.slice().sort((a, b) => a.key.localeCompare(b.key));
  return h('table', {class: 'kv'},
      h('caption', {class: 'sr-only'}, caption),
      h('tbody', null, sorted.map((tag) => h('tr', {class: isErrorTag(tag) ? 'kv-error' : null},
          h('th', {scope: 'row'}, tag.key),
          h('td', null, h('span', {class: 'kv-value'}, formatTagValue(tag)),
              tag.type && tag.type !== 'string' ? h('span', {class: 'kv-type'}, tag.type) : null)))));
}

function isErrorTag(tag) {
  return (tag.key === 'error' && (tag.value === true || tag.value === 'true')) ||
      (tag.key === 'otel.status_code' && tag.value === 'ERROR');
}

function section(title, count, ...content) {
  return h('section', {class: 'details-section'},
      h('h3', null, title, count != null ? h('span', {class: 'count'}, String(count)) : null), ...content);
}

function offset(us, trace) {
  return `+${formatDuration(us - trace.start)}`;
}

// Renders the panel for `span` of `trace`. `selectSpan(spanId)` moves the selection (parent,
// links in this trace); `onClose()` closes the panel.
export function renderSpanDetails(span, trace, {selectSpan, onClose}) {
  const spanButton = (id, text) => h('button', {
    type: 'button', class: 'linklike mono', onclick: () => selectSpan(id),
  }, text);
  const parentRef = span.references.find((r) => r.refType === 'CHILD_OF');
  const parentCell = span.parent ?
      spanButton(span.parent.spanID, span.parent.spanID) :
      parentRef ? h('span', {class: 'mono'}, parentRef.spanID, h('span', {class: 'muted'}, ' (not in trace)')) :
      h('span', {class: 'muted'}, 'none (root span)');
  const status = span.statusCode || (span.isError ? 'ERROR' : 'UNSET');
  const criticalUs = span.critical.reduce((sum, c) => sum + (c.end - c.start), 0);
  const share = (criticalUs / (trace.duration || 1)) * 100;
  const shareText = share > 0 && share < 1 ? '<1%' : `${Math.round(share)}%`;
  const facts = [
    ['Service', serviceChip(span.service)],
    ['Duration', formatDuration(span.duration)],
    ['Start', h('span', null, offset(span.startTime, trace),
        h('span', {class: 'muted'}, ` · ${formatTime(span.startTime)}`))],
    ['Span ID', h('span', {class: 'mono'}, span.spanID)],
    ['Parent ID', parentCell],
    ['Kind', span.kind || 'unspecified'],
    ['Status', h('span', {class: status === 'ERROR' ? 'status status-error' : `status status-${status.toLowerCase()}`},
        status, span.statusDescription ? h('span', {class: 'status-desc'}, `: ${span.statusDescription}`) : null)],
    ['Critical path', criticalUs ?
        `${formatDuration(criticalUs)} (${shareText} of the trace)` :
        h('span', {class: 'muted'}, 'not on it')],
  ];

  const events = span.logs.map((log) => {
    const nameField = log.fields && log.fields.find((f) => f.key === 'event');
    const rest = (log.fields || []).filter((f) => f !== nameField);
    return h('li', {class: `event${nameField && nameField.value === 'exception' ? ' event-error' : ''}`},
        h('div', {class: 'event-head'},
            h('span', {class: 'event-time mono'}, offset(log.timestamp, trace)),
            h('strong', null, nameField ? formatTagValue(nameField) : 'log')),
        rest.length ? tagTable(rest, 'Event fields') : null);
  });

  // Every reference but the parent: FOLLOWS_FROM links (OTLP span links), extra parents.
  const linkItems = span.references.filter((r) => r !== parentRef).map((ref) => {
    const target = ref.traceID === span.traceID || ref.traceID === trace.traceID ? trace.byId.get(ref.spanID) : null;
    const label = `${ref.refType} ${ref.spanID}`;
    if (target) {
      return h('li', null, h('button', {type: 'button', class: 'linklike', onclick: () => selectSpan(target.spanID)},
          `${target.service}: ${target.operationName}`), h('span', {class: 'muted mono'}, ` ${label}`));
    }
    return h('li', null, link(`/trace/${ref.traceID}?span=${ref.spanID}`, {class: 'mono'},
        `trace ${ref.traceID.slice(0, 12)}… span ${ref.spanID}`), h('span', {class: 'muted'}, ` (${ref.refType}, other trace)`));
  });

  const deepLink = `/trace/${trace.traceID}?span=${span.spanID}`;
  return h('div', {class: 'details', dataset: {spanId: span.spanID}},
      h('div', {class: 'details-head'},
          h('h2', {class: 'details-title', id: 'details-title'}, span.operationName || '(no name)'),
          h('button', {type: 'button', class: 'btn btn-icon', 'aria-label': 'Close span details', onclick: onClose}, '×')),
      span.isError ? h('div', {class: 'details-error', role: 'note'}, 'This span has error=true',
          span.statusDescription ? `: ${span.statusDescription}` : '') : null,
      h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      h('p', {class: 'details-link'}, link(deepLink, null, 'Link to this span')),
      section('Attributes', span.tags.length, tagTable(span.tags, 'Span attributes')),
      section('Events', span.logs.length, events.length ? h('ol', {class: 'events'}, events) : h('p', {class: 'muted'}, 'none')),
      section('Resource', (span.process.tags || []).length,
          tagTable(span.process.tags || [], 'Resource attributes')),
      section('Links', linkItems.length, linkItems.length ? h('ul', {class: 'links'}, linkItems) : h('p', {class: 'muted'}, 'none')),
      span.warnings.length ? section('Warnings', span.warnings.length,
          h('ul', null, span.warnings.map((w) => h('li', null, w)))) : null);
}
