// HTTP helpers: `request` (node:http, one connection per call, exact headers) and `raw` (a bare
// socket for what a normal client would not send: oversized heads, huge bodies).
import http from 'node:http';
import net from 'node:net';

export const TRACERESPONSE_RE = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// request('http://host:port/path', {method, headers, body}) → {status, headers, text, json}.
// `body` may be a string, Buffer or an object (sent as JSON with application/json unless a
// content-type header is given explicitly, including `null` to send none).
export function request(url, { method = 'GET', headers = {}, body, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const hdrs = { ...headers };
    let payload;
    if (body !== undefined) {
      if (Buffer.isBuffer(body) || typeof body === 'string') {
        payload = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      } else {
        payload = Buffer.from(JSON.stringify(body), 'utf8');
      }
      const hasCt = Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-type');
      if (!hasCt) hdrs['Content-Type'] = 'application/json';
      hdrs['Content-Length'] = String(payload.length);
    }
    for (const k of Object.keys(hdrs)) if (hdrs[k] === null) delete hdrs[k];
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: hdrs,
      agent: false, timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, text, json: parseJson(text), buf });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// Parses one HTTP/1.1 response from bytes; undefined while incomplete.
function parseResponse(buf, closed) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  if (!m) return { status: NaN, headers: {}, text: buf.toString('latin1') };
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (body.length < n) return closed ? { status: Number(m[1]), headers, text: body.toString(), truncated: true } : undefined;
    body = body.subarray(0, n);
  } else if (headers['transfer-encoding'] === 'chunked') {
    let out = Buffer.alloc(0);
    let rest = body;
    for (;;) {
      const le = rest.indexOf('\r\n');
      if (le < 0) return closed ? { status: Number(m[1]), headers, text: out.toString(), truncated: true } : undefined;
      const size = parseInt(rest.subarray(0, le).toString(), 16);
      if (size === 0) break;
      if (rest.length < le + 2 + size + 2) return closed ? { status: Number(m[1]), headers, text: out.toString(), truncated: true } : undefined;
      out = Buffer.concat([out, rest.subarray(le + 2, le + 2 + size)]);
      rest = rest.subarray(le + 2 + size + 2);
    }
    body = out;
  } else if (!closed) {
    return undefined;
  }
  const text = body.toString('utf8');
  return { status: Number(m[1]), headers, text, json: parseJson(text) };
}

// Sends `head` (string) then `body` (Buffer, optional) on a bare socket and reads one response.
// Write errors are ignored (a server may answer before reading everything); the result has
// {status, headers, text, json} or {error} when no response could be read.
export function raw(addr, head, body, { timeoutMs = 30000 } = {}) {
  return new Promise((resolve) => {
    const [host, port] = addr.split(':');
    const sock = net.connect({ host, port: Number(port) });
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(parseResponse(data, true) ?? { error: 'timeout', text: data.toString() }), timeoutMs);
    // The body goes in 64 KiB pieces, each after the previous one drained, and stops as soon as
    // the server starts answering: like a real client, we do not keep pushing bytes at a server
    // that already said 413 (pushing into a closed socket makes the kernel drop what we got).
    let answered = false;
    const writeBody = (offset) => {
      while (body && offset < body.length && !answered && !done) {
        const piece = body.subarray(offset, offset + 65536);
        offset += piece.length;
        if (!sock.write(piece)) {
          sock.once('drain', () => writeBody(offset));
          return;
        }
      }
    };
    sock.on('connect', () => {
      sock.write(head);
      writeBody(0);
    });
    sock.on('data', (c) => {
      answered = true;
      data = Buffer.concat([data, c]);
      const r = parseResponse(data, false);
      if (r) finish(r);
    });
    sock.on('error', (e) => {
      // ECONNRESET/EPIPE after the response was (partly) read: use what arrived.
      const r = parseResponse(data, true);
      if (r || data.length) finish(r ?? { error: e.code, text: data.toString() });
      else finish({ error: e.code });
    });
    sock.on('close', () => finish(parseResponse(data, true) ?? { error: 'closed without response', text: data.toString() }));
  });
}
