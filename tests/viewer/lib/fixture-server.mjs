// A small stand-in for the collector's query side: serves the viewer's assets as the collector
// does (/static/<file>, index.html for every other non-API path) and answers the classic Jaeger
// API from in-memory traces. Used by the fast "fixture mode" tests and for development:
//   node tests/viewer/lib/fixture-server.mjs [port]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {standardTraces, toJaegerTrace} from './traces.mjs';

export const ASSETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
    '../../../src/collector/viewer/assets');

const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png'};

const GO_UNITS = {ns: 1e-3, us: 1, 'µs': 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6};
function parseGoDuration(text) {
  let total = 0;
  for (const [, n, unit] of String(text).matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * GO_UNITS[unit];
  return total;
}

function send(res, status, body, type = 'application/json') {
  const data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, {'Content-Type': type, 'Cache-Control': 'no-cache'});
  res.end(data);
}
const envelope = (data) => ({data, total: Array.isArray(data) ? data.length : 0, limit: 0, offset: 0, errors: null});
const failure = (res, code, msg) => send(res, code, {data: null, total: 0, limit: 0, offset: 0, errors: [{code, msg}]});

// Answers the Jaeger v1 API over `traces` (abstract traces from traces.mjs).
function answerApi(url, res, traces) {
  const jaeger = traces.map(toJaegerTrace);
  const spansOf = (t) => t.spans.map((s) => ({...s, service: t.processes[s.processID].serviceName}));
  const p = url.pathname;
  if (p === '/api/services') {
    return send(res, 200, envelope([...new Set(jaeger.flatMap((t) => spansOf(t).map((s) => s.service)))].sort()));
  }
  let m = p.match(/^\/api\/services\/([^/]+)\/operations$/);
  if (m) {
    const service = decodeURIComponent(m[1]);
    const ops = new Set(jaeger.flatMap((t) => spansOf(t).filter((s) => s.service === service).map((s) => s.operationName)));
    return send(res, 200, envelope([...ops].sort()));
  }
  m = p.match(/^\/api\/traces\/([^/]+)$/);
  if (m) {
    const trace = jaeger.find((t) => t.traceID === m[1].toLowerCase());
    return trace ? send(res, 200, envelope([trace])) : failure(res, 404, 'trace not found');
  }
  if (p === '/api/traces') {
    const q = url.searchParams;
    const service = q.get('service');
    if (!service) return failure(res, 400, "parameter 'service' is required");
    const operation = q.get('operation');
    const tags = q.get('tags') ? JSON.parse(q.get('tags')) : {};
    const start = Number(q.get('start') || 0);
    const end = Number(q.get('end') || Infinity);
    const min = q.get('minDuration') ? parseGoDuration(q.get('minDuration')) : 0;
    const max = q.get('maxDuration') ? parseGoDuration(q.get('maxDuration')) : Infinity;
    const limit = Number(q.get('limit') || 20);
    // Jaeger semantics: one span must match every criterion (durations are the span's own).
    const found = jaeger.filter((t) => spansOf(t).some((s) => s.service === service &&
        (!operation || s.operationName === operation) && s.startTime >= start && s.startTime <= end &&
        s.duration >= min && s.duration <= max &&
        Object.entries(tags).every(([k, v]) => s.tags.some((tag) => tag.key === k && String(tag.value) === v)))).sort((a, b) => Math.max(...b.spans.map((s) => s.startTime)) - Math.max(...a.spans.map((s) => s.startTime)));
    return send(res, 200, envelope(found.slice(0, limit)));
  }
  if (p === '/api/dependencies') {
    const counts = new Map();
    for (const t of jaeger) {
      const spans = spansOf(t);
      const byId = new Map(spans.map((s) => [s.spanID, s]));
      for (const s of spans) {
        const ref = s.references.find((r) => r.refType === 'CHILD_OF');
        const parent = ref && byId.get(ref.spanID);
        if (parent && parent.service !== s.service) {
          const key = `${parent.service}\u0000${s.service}`;
          counts.set(key, (counts.get(key) || 0) + 1);
        }
      }
    }
    return send(res, 200, envelope([...counts].map(([key, callCount]) => {
      const [parent, child] = key.split('\u0000');
      return {parent, child, callCount};
    })));
  }
  return failure(res, 404, 'not found');
}

// Starts the server on 127.0.0.1:`port` (0 = any free port). Resolves to {url, traces, close}.
export function startFixtureServer({traces = Object.values(standardTraces()), port = 0} = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname.startsWith('/api/')) return answerApi(url, res, traces);
    const m = url.pathname.match(/^\/static\/([A-Za-z0-9._-]+)$/);
    if (m) {
      const file = path.join(ASSETS_DIR, m[1]);
      if (!fs.existsSync(file)) return send(res, 404, 'not found', 'text/plain');
      return send(res, 200, fs.readFileSync(file), TYPES[path.extname(file)] || 'application/octet-stream');
    }
    return send(res, 200, fs.readFileSync(path.join(ASSETS_DIR, 'index.html')), TYPES['.html']);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const {port: bound} = server.address();
      resolve({url: `http://127.0.0.1:${bound}`, traces,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(done);
        })});
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startFixtureServer({port: Number(process.argv[2] || 16687)});
  console.log(`fixture server on ${server.url}`);
  for (const t of server.traces) console.log(`  ${server.url}/trace/${t.traceId} (${t.spans.length} spans)`);
}
