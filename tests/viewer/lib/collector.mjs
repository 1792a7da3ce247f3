// Runs the real collector (`blogtrace serve collector`) for the browser tests: free loopback
// ports, a temporary DATA_DIR, OTLP/JSON posting and bounded readiness waits.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {toOtlpRequest} from './traces.mjs';

// A port that was free a moment ago on 127.0.0.1.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` (async, returns a truthy value when done) every 100 ms up to `timeoutMs`.
async function until(what, check, timeoutMs, diagnostics = () => '') {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
      `${last ? ` (last error: ${last.message})` : ''}${diagnostics()}`);
}

// Starts the collector binary `bin`. Resolves to {queryUrl, collectorUrl, post, waitForTrace,
// close}; rejects (with the process's output) when it does not come up within 30 s.
export async function startCollector(bin) {
  if (!bin || !fs.existsSync(bin)) throw new Error(`collector binary not found: ${bin}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogtrace-viewer-data-'));
  const collectorPort = await freePort();
  let queryPort = await freePort();
  while (queryPort === collectorPort) queryPort = await freePort();
  const env = {
    ...process.env,
    COLLECTOR_ADDR: `127.0.0.1:${collectorPort}`,
    QUERY_ADDR: `127.0.0.1:${queryPort}`,
    DATA_DIR: dataDir,
    OTEL_SDK_DISABLED: 'true',  // the collector's own spans would add a service to the pages
  };
  const child = spawn(bin, ['serve', 'collector'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = {code, signal};
    resolve(exited);
  }));
  const diagnostics = () => `\n--- collector output ---\n${output}` +
      (exited ? `\n--- exited: code ${exited.code} signal ${exited.signal}` : '');
  const queryUrl = `http://127.0.0.1:${queryPort}`;
  const collectorUrl = `http://127.0.0.1:${collectorPort}`;

  const close = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, {recursive: true, force: true});
  };

  try {
    await until('the query API (/api/services)', async () => {
      if (exited) throw new Error('the collector exited');
      const res = await fetch(`${queryUrl}/api/services`);
      return res.ok;
    }, 30_000, diagnostics);
  } catch (err) {
    await close();
    throw err;
  }

  // POSTs the traces as OTLP/JSON, at most `chunk` spans per request; throws unless each
  // request is accepted whole.
  const post = async (traces, chunk = 400) => {
    const spans = traces.flatMap((t) => t.spans);
    for (let i = 0; i < spans.length; i += chunk) {
      const body = JSON.stringify(toOtlpRequest([{spans: spans.slice(i, i + chunk)}]));
      const res = await fetch(`${collectorUrl}/v1/traces`, {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body,
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /v1/traces answered ${res.status}: ${text}${diagnostics()}`);
      const answer = text ? JSON.parse(text) : {};
      const rejected = Number(answer.partialSuccess?.rejectedSpans || 0);
      if (rejected) throw new Error(`POST /v1/traces rejected ${rejected} spans: ${text}`);
    }
  };

  // Waits until the query API returns `trace` with all its spans.
  const waitForTrace = (trace) => until(`trace ${trace.traceId} (${trace.spans.length} spans)`, async () => {
    const res = await fetch(`${queryUrl}/api/traces/${trace.traceId}`);
    if (!res.ok) return false;
    const body = await res.json();
    return body.data?.[0]?.spans?.length === trace.spans.length;
  }, 20_000, diagnostics);

  return {queryUrl, collectorUrl, post, waitForTrace, close, output: () => output};
}
