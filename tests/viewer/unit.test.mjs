// Unit tests of the viewer's pure modules (no browser): the trace model and critical path,
// duration/tag/trace-id parsing, and the dependency graph layout.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {buildTrace, summarize} from '../../src/collector/viewer/assets/trace-model.js';
import {formatDuration, parseGoDuration} from '../../src/collector/viewer/assets/format.js';
import {formatTagFilter, parseTagFilter} from '../../src/collector/viewer/assets/tags.js';
import {parseTraceInput} from '../../src/collector/viewer/assets/trace-input.js';
import {layoutDependencies} from '../../src/collector/viewer/assets/graph-layout.js';
import {standardTraces, toJaegerTrace} from './lib/traces.mjs';

// A Jaeger span: id, parent id (or null), start and duration in µs.
const span = (id, parent, start, duration, extra = {}) => ({
  traceID: 't1', spanID: id, operationName: id, startTime: start, duration, processID: 'p1',
  references: parent ? [{refType: 'CHILD_OF', traceID: 't1', spanID: parent}] : [], tags: [], ...extra,
});
const trace = (...spans) => buildTrace({traceID: 't1', spans, processes: {p1: {serviceName: 'svc', tags: []}}});
const path = (t) => t.criticalPath.map((s) => `${s.span.spanID}[${s.start},${s.end}]`).join(' ');

describe('trace model', () => {
  it('orders spans depth-first, children by start time, and counts depth and errors', () => {
    const t = trace(span('b', 'root', 50, 10), span('root', null, 0, 100), span('a', 'root', 10, 20),
        span('a1', 'a', 12, 5, {tags: [{key: 'error', type: 'bool', value: true}]}));
    assert.deepEqual(t.spans.map((s) => `${s.depth}${s.spanID}`), ['0root', '1a', '2a1', '1b']);
    assert.equal(t.depth, 3);
    assert.equal(t.errorCount, 1);
    assert.equal(t.duration, 100);
    assert.deepEqual(t.spans.map((s) => s.subtreeSize), [4, 2, 1, 1]);
  });

  it('makes orphans and reference cycles roots instead of losing spans', () => {
    const t = trace(span('x', 'missing', 5, 5), span('c1', 'c2', 0, 1), span('c2', 'c1', 0, 1));
    assert.equal(t.spans.length, 3);
    assert.ok(t.roots.length >= 2);
    assert.ok(t.spans.every((s) => s.index >= 0));
  });

  it('uses FOLLOWS_FROM only as a link, never as the parent', () => {
    const t = trace(span('root', null, 0, 10),
        span('f', null, 2, 2, {references: [{refType: 'FOLLOWS_FROM', traceID: 't1', spanID: 'root'}]}));
    assert.equal(t.byId.get('f').parent, null);
    assert.equal(t.roots.length, 2);
  });

  it('critical path: last-finishing children, walking back from the end', () => {
    // root 0–100; A 10–40 (child D 15–35); B 20–90 (child C 30–60)
    const t = trace(span('root', null, 0, 100), span('A', 'root', 10, 30), span('B', 'root', 20, 70),
        span('C', 'B', 30, 30), span('D', 'A', 15, 20));
    assert.equal(path(t), 'root[90,100] B[60,90] C[30,60] B[20,30] root[0,20]');
    assert.equal(t.byId.get('A').critical.length, 0);
  });

  it('critical path: sequential children each take their share', () => {
    const t = trace(span('root', null, 0, 100), span('A', 'root', 10, 30), span('B', 'root', 50, 30));
    assert.equal(path(t), 'root[80,100] B[50,80] root[40,50] A[10,40] root[0,10]');
  });

  it('critical path: children overflowing the parent are clipped; ones outside it are ignored', () => {
    const t = trace(span('root', null, 0, 100), span('late', 'root', 90, 50), span('outside', 'root', 200, 10));
    assert.equal(path(t), 'late[90,100] root[0,90]');
  });

  it('critical path of the 2,000-span trace covers the whole trace without overlaps', () => {
    const t = buildTrace(toJaegerTrace(standardTraces(1e15, 7).big));
    const sections = t.criticalPath.slice().sort((a, b) => a.start - b.start);
    assert.equal(sections[0].start, t.start);
    assert.equal(sections[sections.length - 1].end, t.root.end);
    for (let i = 1; i < sections.length; i++) assert.equal(sections[i].start, sections[i - 1].end);
  });

  it('summarizes a trace for the search list', () => {
    const traces = standardTraces(1e15, 7);
    const s = summarize(toJaegerTrace(traces.blogError));
    assert.equal(s.rootService, 'blog');
    assert.equal(s.rootOperation, 'POST /blogs');
    assert.equal(s.spanCount, 7);
    assert.equal(s.errorCount, 3);
    assert.equal(s.duration, 42_000);
    assert.deepEqual(s.services.map((x) => [x.name, x.count, x.errors]), [['blog', 5, 3], ['author', 2, 0]]);
  });
});

describe('formatting and parsing', () => {
  it('formats durations like Jaeger', () => {
    const cases = [[0, '0ms'], [740, '740µs'], [1500, '1.5ms'], [12_340, '12.3ms'], [18_000, '18ms'],
      [1_520_000, '1.52s'], [125e6, '2m 5s'], [3723e6, '1h 2m']];
    for (const [us, text] of cases) assert.equal(formatDuration(us), text, `${us} µs`);
  });

  it('parses Go durations to µs and refuses anything else', () => {
    const cases = [['100ms', 100_000], ['1.5s', 1_500_000], ['1h30m', 5_400_000_000], ['250us', 250],
      ['250µs', 250], ['500ns', 0.5], ['2m', 120_000_000]];
    for (const [text, us] of cases) assert.equal(parseGoDuration(text), us, text);
    for (const bad of ['', '100', 'ms', '1.5 s', '-1s', '1d', '1s2']) assert.equal(parseGoDuration(bad), null, bad);
  });

  it('parses logfmt tag filters', () => {
    assert.deepEqual(parseTagFilter('error=true http.route=/blogs').tags, {'error': 'true', 'http.route': '/blogs'});
    assert.deepEqual(parseTagFilter('  a="two words" b="say \\"hi\\"" c= ').tags, {a: 'two words', b: 'say "hi"', c: ''});
    assert.deepEqual(parseTagFilter('').tags, {});
    assert.match(parseTagFilter('lonely').error, /needs a value/);
    assert.match(parseTagFilter('=x').error, /needs a key/);
    assert.match(parseTagFilter('a="open').error, /unterminated quote/);
    const round = {'a': 'two words', 'error': 'true', 'q': 'say "hi"'};
    assert.deepEqual(parseTagFilter(formatTagFilter(round)).tags, round);
  });

  it('reads trace ids and traceresponse values from the open-trace box', () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spanId = '00f067aa0ba902b7';
    assert.deepEqual(parseTraceInput(trace), {traceId: trace});
    assert.deepEqual(parseTraceInput(`  ${trace.toUpperCase()} `), {traceId: trace});
    assert.deepEqual(parseTraceInput(`00-${trace}-${spanId}-01`), {traceId: trace, spanId});
    assert.deepEqual(parseTraceInput(`traceresponse: 00-${trace}-${spanId}-03`), {traceId: trace, spanId});
    for (const bad of ['', 'xyz', '0'.repeat(32), `00-${'0'.repeat(32)}-${spanId}-01`, `${trace}0`, `00-${trace}-${spanId}`]) {
      assert.equal(parseTraceInput(bad), null, bad);
    }
  });
});

describe('dependency layout', () => {
  it('layers services by call depth, callers left of callees', () => {
    const {nodes, edges} = layoutDependencies([
      {parent: 'blog', child: 'author', callCount: 5}, {parent: 'author', child: 'user', callCount: 2},
      {parent: 'authen', child: 'user', callCount: 1}, {parent: 'frontend', child: 'blog', callCount: 3},
    ]);
    const layer = Object.fromEntries(nodes.map((n) => [n.name, n.layer]));
    assert.deepEqual(layer, {authen: 0, author: 2, blog: 1, frontend: 0, user: 3});
    assert.equal(nodes.find((n) => n.name === 'user').callsIn, 3);
    assert.ok(edges.every((e) => !e.back));
  });

  it('survives cycles and self-calls', () => {
    const {nodes, edges} = layoutDependencies([
      {parent: 'a', child: 'b', callCount: 1}, {parent: 'b', child: 'a', callCount: 1}, {parent: 'a', child: 'a', callCount: 4},
    ]);
    assert.equal(nodes.length, 2);
    assert.equal(edges.filter((e) => e.back).length, 2);
    assert.notEqual(nodes[0].layer, nodes[1].layer);
  });
});
