// Turns a Jaeger v1 trace into the model the pages draw: a span tree (by CHILD_OF), rows in
// depth-first order, per-service counts and the critical path. Pure functions, no DOM.

// True when a span carries the tag error=true (the mark Jaeger's UI reads).
function hasErrorTag(tags) {
  return tags.some((t) => t.key === 'error' && (t.value === true || t.value === 'true'));
}

function tagValue(tags, key) {
  const tag = tags.find((t) => t.key === key);
  return tag ? tag.value : undefined;
}

// Builds the model of one trace. Tolerates duplicate span ids (first wins), missing parents
// (orphans become roots) and reference cycles (broken at the first span reached).
export function buildTrace(raw) {
  const processes = raw.processes || {};
  const spans = [];
  const byId = new Map();
  for (const s of raw.spans || []) {
    if (byId.has(s.spanID)) continue;
    const process = processes[s.processID] || s.process || {serviceName: 'unknown', tags: []};
    const tags = Array.isArray(s.tags) ? s.tags : [];
    const span = {
      spanID: s.spanID,
      traceID: s.traceID,
      operationName: s.operationName || '',
      service: process.serviceName || 'unknown',
      process,
      startTime: Number(s.startTime) || 0,
      duration: Math.max(Number(s.duration) || 0, 0),
      tags,
      logs: (s.logs || []).slice().sort((a, b) => a.timestamp - b.timestamp),
      references: s.references || [],
      warnings: s.warnings || [],
      kind: tagValue(tags, 'span.kind') || '',
      statusCode: tagValue(tags, 'otel.status_code') || '',
      statusDescription: tagValue(tags, 'otel.status_description') || '',
      isError: hasErrorTag(tags),
      parent: null,
      children: [],
      depth: 0,
      index: -1,
      subtreeSize: 1,
      critical: [],
    };
    span.end = span.startTime + span.duration;
    spans.push(span);
    byId.set(span.spanID, span);
  }
  for (const span of spans) {
    const ref = span.references.find(
        (r) => r.refType === 'CHILD_OF' && r.spanID !== span.spanID && byId.has(r.spanID));
    if (ref) span.parent = byId.get(ref.spanID);
  }
  const order = orderSpans(spans);
  for (const span of spans) span.children.sort((a, b) => a.startTime - b.startTime);

  let start = Infinity;
  let end = -Infinity;
  let maxDepth = 0;
  let errorCount = 0;
  const services = new Map();
  for (const span of order) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.end);
    maxDepth = Math.max(maxDepth, span.depth);
    if (span.isError) errorCount++;
    let entry = services.get(span.service);
    if (!entry) services.set(span.service, entry = {name: span.service, count: 0, errors: 0});
    entry.count++;
    if (span.isError) entry.errors++;
  }
  const roots = order.filter((s) => !s.parent);
  const trace = {
    traceID: raw.traceID || (order[0] && order[0].traceID) || '',
    spans: order,
    byId,
    roots,
    root: roots[0] || null,
    start,
    end,
    duration: Math.max(end - start, 0),
    depth: order.length ? maxDepth + 1 : 0,
    errorCount,
    services: [...services.values()],
    warnings: raw.warnings || [],
  };
  computeCriticalPath(trace);
  return trace;
}

// Links children, orders spans depth-first (children by start time), sets depth, index and
// subtreeSize. Iterative: a 10,000-deep chain must not overflow the stack.
function orderSpans(spans) {
  for (const span of spans) {
    if (span.parent) span.parent.children.push(span);
  }
  for (const span of spans) span.children.sort((a, b) => a.startTime - b.startTime);
  const order = [];
  const visited = new Set();
  const visit = (root) => {
    root.parent = root.parent && visited.has(root.parent) ? root.parent : null;
    const stack = [[root, 0]];
    while (stack.length) {
      const [span, depth] = stack.pop();
      if (visited.has(span)) continue;
      visited.add(span);
      span.depth = depth;
      span.index = order.length;
      order.push(span);
      for (let i = span.children.length - 1; i >= 0; i--) stack.push([span.children[i], depth + 1]);
    }
  };
  const roots = spans.filter((s) => !s.parent).sort((a, b) => a.startTime - b.startTime);
  for (const root of roots) visit(root);
  // Spans on a reference cycle were not reached from any root: break the cycle at each.
  for (const span of spans) {
    if (!visited.has(span)) {
      if (span.parent) span.parent.children = span.parent.children.filter((c) => c !== span);
      span.parent = null;
      visit(span);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const span = order[i];
    span.subtreeSize = 1;
    for (const child of span.children) span.subtreeSize += child.subtreeSize;
  }
  return order;
}

// Critical path (as Jaeger's UI computes it): starting at the root's end, walk back through
// the last-finishing child that ends before the current point; the time no child covers
// belongs to the span itself. Children are first clipped to their parent's interval (ones
// wholly outside are left out). Sets span.critical = [{start, end}] (µs, absolute) and
// trace.criticalPath = [{span, start, end}] ordered from the trace's end backwards.
export function computeCriticalPath(trace) {
  trace.criticalPath = [];
  const root = trace.root;
  if (!root) return;
  // Clipped intervals, top-down (spans are in depth-first order, parents first).
  const clip = new Map([[root, {start: root.startTime, end: root.end}]]);
  // Per span, its clipped children by end time ascending, for a binary search.
  const byEnd = new Map();
  for (const span of trace.spans) {
    const range = clip.get(span);
    if (!range) continue;
    const kept = [];
    for (const child of span.children) {
      if (child.startTime > range.end || child.end < range.start) continue;
      const childRange = {start: Math.max(child.startTime, range.start), end: Math.min(child.end, range.end)};
      clip.set(child, childRange);
      kept.push({span: child, end: childRange.end});
    }
    kept.sort((a, b) => a.end - b.end);
    byEnd.set(span, kept);
  }
  // The child ending last (strictly before `before` when given), or null.
  const lastFinishingChild = (span, before) => {
    const kept = byEnd.get(span);
    if (!kept.length) return null;
    if (before === null) return kept[kept.length - 1].span;
    let lo = 0;
    let hi = kept.length;  // first index with end >= before
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid].end < before) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? kept[lo - 1].span : null;
  };
  const sections = [];
  let current = root;
  let before = null;
  // Every step moves to a child ending earlier or up to a parent: bounded by 2·spans.
  for (let guard = 0; current && guard <= 2 * trace.spans.length + 2; guard++) {
    const range = clip.get(current);
    const sectionEnd = before ?? range.end;
    const child = lastFinishingChild(current, before);
    if (child) {
      const childEnd = clip.get(child).end;
      if (childEnd < sectionEnd) sections.push({span: current, start: childEnd, end: sectionEnd});
      current = child;
      before = null;
    } else {
      if (range.start < sectionEnd) sections.push({span: current, start: range.start, end: sectionEnd});
      if (current === root || !current.parent) break;
      before = range.start;
      current = current.parent;
    }
  }
  for (const section of sections) section.span.critical.push({start: section.start, end: section.end});
  trace.criticalPath = sections;
}

// Summary of a trace for the search results: root service/operation, services with counts.
export function summarize(raw) {
  const trace = buildTrace(raw);
  return {
    traceID: trace.traceID,
    rootService: trace.root ? trace.root.service : 'unknown',
    rootOperation: trace.root ? trace.root.operationName : '(no spans)',
    start: trace.start,
    duration: trace.duration,
    spanCount: trace.spans.length,
    errorCount: trace.errorCount,
    services: trace.services.slice().sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
  };
}
