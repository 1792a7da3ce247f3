// Test traces of the blog system, described once and written either as OTLP/JSON (what the
// real collector receives) or as Jaeger v1 JSON (what the fixture server answers with).

// A small deterministic PRNG (mulberry32), so fixture ids are stable within a run.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Makes a hex-id source: ids(16) → 32 hex digits, ids(8) → 16.
export function idSource(seed = Date.now()) {
  const random = prng(seed);
  return (bytes) => {
    let out = '';
    for (let i = 0; i < bytes; i++) out += Math.floor(random() * 256).toString(16).padStart(2, '0');
    return /^0+$/.test(out) ? idSource(seed + 1)(bytes) : out;
  };
}

const RESOURCES = {
  blog: {'service.version': '0.1.0', 'host.name': 'blog-host', 'telemetry.sdk.language': 'cpp'},
  author: {'service.version': '0.1.0', 'host.name': 'author-host', 'telemetry.sdk.language': 'cpp'},
  authen: {'service.version': '0.1.0', 'host.name': 'authen-host', 'telemetry.sdk.language': 'cpp'},
  user: {'service.version': '0.1.0', 'host.name': 'user-host', 'telemetry.sdk.language': 'cpp'},
};

// Builder of one trace: span(...) returns the span so children can name it as parent.
function traceBuilder(ids, startUs) {
  const trace = {traceId: ids(16), spans: [], startUs};
  trace.span = (parent, service, name, kind, offsetUs, durationUs, attrs = {}, extra = {}) => {
    const span = {
      traceId: trace.traceId, spanId: ids(8), parentId: parent ? parent.spanId : null, service, name, kind,
      startUs: startUs + offsetUs, durationUs, attrs, links: extra.links || [],
      // Event offsets are given from the trace's start.
      events: (extra.events || []).map((e) => ({name: e.name, timeUs: startUs + e.offsetUs, attrs: e.attrs})),
      status: extra.status || {code: 'UNSET'},
    };
    trace.spans.push(span);
    return span;
  };
  return trace;
}

const http = (method, route, status, port) => ({
  'http.request.method': method, 'http.route': route, 'url.path': route, 'http.response.status_code': status,
  'server.address': '127.0.0.1', 'server.port': port,
});

// GET /blogs: blog → author POST /authorize → jwt.verify, then SELECT blogs. 18 ms, 5 spans.
export function blogListTrace(ids, startUs) {
  const t = traceBuilder(ids, startUs);
  const root = t.span(null, 'blog', 'GET /blogs', 'SERVER', 0, 18_000,
      {...http('GET', '/blogs', 200, 3004), 'enduser.id': 'u-42', 'user.name': 'alice'});
  const call = t.span(root, 'blog', 'POST /authorize', 'CLIENT', 600, 8_200, http('POST', '/authorize', 200, 3003));
  const authz = t.span(call, 'author', 'POST /authorize', 'SERVER', 1_100, 7_300,
      {...http('POST', '/authorize', 200, 3003), 'enduser.id': 'u-42', 'user.name': 'alice'});
  t.span(authz, 'author', 'jwt.verify', 'INTERNAL', 1_500, 2_400, {'jwt.alg': 'RS256', 'jwt.kid': 'k1'},
      {events: [{name: 'token.verified', offsetUs: 3_800, attrs: {'jwt.sub': 'u-42'}}]});
  t.span(root, 'blog', 'SELECT blogs', 'CLIENT', 9_400, 7_100, {
    'db.system': 'sqlite', 'db.operation.name': 'SELECT', 'db.collection.name': 'blogs',
    'db.query.text': 'SELECT id, title, content FROM blogs ORDER BY created_at DESC LIMIT ?', 'db.response.rows': 20,
  });
  return t;
}

// POST /blogs failing with a database error: status ERROR on the INSERT and the SERVER span, an
// exception event, and a retry span linked (FOLLOWS_FROM) to the failed INSERT. 7 spans.
export function blogCreateErrorTrace(ids, startUs) {
  const t = traceBuilder(ids, startUs);
  const root = t.span(null, 'blog', 'POST /blogs', 'SERVER', 0, 42_000,
      {...http('POST', '/blogs', 500, 3004), 'error.type': 'internal', 'enduser.id': 'u-7', 'user.name': 'bob'},
      {status: {code: 'ERROR', message: 'database is locked'},
        events: [{name: 'validation.passed', offsetUs: 500, attrs: {'blog.title.length': 12}}]});
  const call = t.span(root, 'blog', 'POST /authorize', 'CLIENT', 900, 6_000, http('POST', '/authorize', 200, 3003));
  const authz = t.span(call, 'author', 'POST /authorize', 'SERVER', 1_300, 5_200, http('POST', '/authorize', 200, 3003));
  t.span(authz, 'author', 'jwt.verify', 'INTERNAL', 1_700, 2_000, {'jwt.alg': 'RS256'});
  const insert = t.span(root, 'blog', 'INSERT blogs', 'CLIENT', 7_500, 30_000, {
    'db.system': 'sqlite', 'db.operation.name': 'INSERT', 'db.collection.name': 'blogs',
    'db.query.text': 'INSERT INTO blogs (id, title, content, author_id) VALUES (?, ?, ?, ?)',
  }, {status: {code: 'ERROR', message: 'database is locked'},
    events: [{name: 'exception', offsetUs: 37_400,
      attrs: {'exception.type': 'sqlite.SQLITE_BUSY', 'exception.message': 'database is locked'}}]});
  const retry = t.span(root, 'blog', 'blog.retry', 'INTERNAL', 37_800, 3_000, {'retry.attempt': 1},
      {links: [{traceId: t.traceId, spanId: insert.spanId}]});
  t.span(retry, 'blog', 'INSERT blogs', 'CLIENT', 38_000, 2_600, {
    'db.system': 'sqlite', 'db.operation.name': 'INSERT', 'db.collection.name': 'blogs',
  }, {status: {code: 'ERROR', message: 'database is locked'}});
  return t;
}

// POST /login: authen → user POST /users/verify → password.verify + SELECT users; jwt.sign.
export function loginTrace(ids, startUs) {
  const t = traceBuilder(ids, startUs);
  const root = t.span(null, 'authen', 'POST /login', 'SERVER', 0, 95_000, http('POST', '/login', 200, 3002));
  const call = t.span(root, 'authen', 'POST /users/verify', 'CLIENT', 400, 88_000, http('POST', '/users/verify', 200, 3001));
  const verify = t.span(call, 'user', 'POST /users/verify', 'SERVER', 900, 86_500, http('POST', '/users/verify', 200, 3001));
  t.span(verify, 'user', 'SELECT users', 'CLIENT', 1_200, 1_100, {
    'db.system': 'sqlite', 'db.operation.name': 'SELECT', 'db.collection.name': 'users',
  });
  t.span(verify, 'user', 'password.verify', 'INTERNAL', 2_600, 84_000, {'password.algorithm': 'argon2id'});
  t.span(root, 'authen', 'jwt.sign', 'INTERNAL', 89_000, 4_500, {'jwt.alg': 'RS256'});
  return t;
}

// A 2,000-span GET /blogs trace: 333 rounds of (authorize call → author server → jwt.verify,
// SELECT blogs → row decode ×2), plus the root and one final span. About 2 s long.
export function bigTrace(ids, startUs, spanCount = 2000) {
  const t = traceBuilder(ids, startUs);
  const root = t.span(null, 'blog', 'GET /blogs', 'SERVER', 0, 2_000_000,
      {...http('GET', '/blogs', 200, 3004), 'blog.batch': 'large'});
  let offset = 1_000;
  let round = 0;
  while (t.spans.length + 6 <= spanCount - 1) {
    const call = t.span(root, 'blog', 'POST /authorize', 'CLIENT', offset, 2_400, http('POST', '/authorize', 200, 3003));
    const authz = t.span(call, 'author', 'POST /authorize', 'SERVER', offset + 200, 2_000, http('POST', '/authorize', 200, 3003));
    t.span(authz, 'author', 'jwt.verify', 'INTERNAL', offset + 400, 900, {'jwt.alg': 'RS256', round});
    const select = t.span(root, 'blog', 'SELECT blogs', 'CLIENT', offset + 2_600, 2_800,
        {'db.system': 'sqlite', 'db.operation.name': 'SELECT', 'db.collection.name': 'blogs', round},
        {events: [{name: 'rows.read', offsetUs: offset + 5_000, attrs: {count: 20}}]});
    t.span(select, 'blog', 'blog.decode', 'INTERNAL', offset + 2_800, 1_000, {round});
    t.span(select, 'blog', 'blog.decode', 'INTERNAL', offset + 3_900, 1_200, {round});
    offset += 5_900;
    round++;
  }
  while (t.spans.length < spanCount) {
    t.span(root, 'blog', 'blog.render', 'INTERNAL', offset, 1_995_000 - offset, {'blog.count': 20});
  }
  return t;
}

// The standard set: a blog list trace, an error trace, a login trace and the 2,000-span trace,
// all ending before `nowUs`.
export function standardTraces(nowUs = Date.now() * 1000, seed = Date.now()) {
  const ids = idSource(seed);
  return {
    blogList: blogListTrace(ids, nowUs - 60_000_000),
    blogError: blogCreateErrorTrace(ids, nowUs - 40_000_000),
    login: loginTrace(ids, nowUs - 50_000_000),
    big: bigTrace(ids, nowUs - 30_000_000),
  };
}

// --- OTLP/JSON -----------------------------------------------------------------------------

const OTLP_KIND = {INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5};
const OTLP_STATUS = {UNSET: 0, OK: 1, ERROR: 2};

function otlpValue(v) {
  if (typeof v === 'boolean') return {boolValue: v};
  if (typeof v === 'number') return Number.isInteger(v) ? {intValue: String(v)} : {doubleValue: v};
  return {stringValue: String(v)};
}
const otlpAttrs = (attrs) => Object.entries(attrs).map(([key, v]) => ({key, value: otlpValue(v)}));
const nanos = (us) => `${BigInt(Math.round(us)) * 1000n}`;

// An ExportTraceServiceRequest (OTLP/JSON) of `traces`, one resourceSpans per service.
export function toOtlpRequest(traces) {
  const byService = new Map();
  for (const trace of traces) {
    for (const span of trace.spans) {
      if (!byService.has(span.service)) byService.set(span.service, []);
      byService.get(span.service).push(span);
    }
  }
  return {
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: {attributes: otlpAttrs({'service.name': service, ...(RESOURCES[service] || {})})},
      scopeSpans: [{
        scope: {name: 'blogtrace', version: '0.1.0'},
        spans: spans.map((s) => ({
          traceId: s.traceId, spanId: s.spanId, ...(s.parentId ? {parentSpanId: s.parentId} : {}),
          name: s.name, kind: OTLP_KIND[s.kind],
          startTimeUnixNano: nanos(s.startUs), endTimeUnixNano: nanos(s.startUs + s.durationUs),
          attributes: otlpAttrs(s.attrs),
          events: s.events.map((e) => ({timeUnixNano: nanos(e.timeUs), name: e.name, attributes: otlpAttrs(e.attrs)})),
          links: s.links.map((l) => ({traceId: l.traceId, spanId: l.spanId})),
          status: {code: OTLP_STATUS[s.status.code], ...(s.status.message ? {message: s.status.message} : {})},
        })),
      }],
    })),
  };
}

// --- Jaeger v1 JSON (what the collector's query API answers) --------------------------------

function jaegerTag(key, v) {
  if (typeof v === 'boolean') return {key, type: 'bool', value: v};
  if (typeof v === 'number') return Number.isInteger(v) ? {key, type: 'int64', value: v} : {key, type: 'float64', value: v};
  return {key, type: 'string', value: String(v)};
}

// A Jaeger v1 trace object for `trace`, mapped as Jaeger maps OTLP.
export function toJaegerTrace(trace) {
  const processIds = new Map();
  const processes = {};
  for (const span of trace.spans) {
    if (processIds.has(span.service)) continue;
    const id = `p${processIds.size + 1}`;
    processIds.set(span.service, id);
    processes[id] = {
      serviceName: span.service,
      tags: Object.entries(RESOURCES[span.service] || {}).map(([k, v]) => jaegerTag(k, v)),
    };
  }
  return {
    traceID: trace.traceId,
    spans: trace.spans.map((s) => {
      const tags = [
        ...Object.entries(s.attrs).map(([k, v]) => jaegerTag(k, v)),
        jaegerTag('otel.scope.name', 'blogtrace'), jaegerTag('otel.scope.version', '0.1.0'),
        jaegerTag('span.kind', s.kind.toLowerCase()),
      ];
      if (s.status.code !== 'UNSET') tags.push(jaegerTag('otel.status_code', s.status.code));
      if (s.status.message) tags.push(jaegerTag('otel.status_description', s.status.message));
      if (s.status.code === 'ERROR') tags.push(jaegerTag('error', true));
      return {
        traceID: s.traceId, spanID: s.spanId, operationName: s.name,
        references: [
          ...(s.parentId ? [{refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parentId}] : []),
          ...s.links.map((l) => ({refType: 'FOLLOWS_FROM', traceID: l.traceId, spanID: l.spanId})),
        ],
        startTime: s.startUs, duration: s.durationUs, tags,
        logs: s.events.map((e) => ({
          timestamp: e.timeUs,
          fields: [jaegerTag('event', e.name), ...Object.entries(e.attrs).map(([k, v]) => jaegerTag(k, v))],
        })),
        processID: processIds.get(s.service), warnings: null,
      };
    }),
    processes,
    warnings: null,
  };
}
