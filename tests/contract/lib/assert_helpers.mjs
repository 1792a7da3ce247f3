// Assertions shared by the contract cases.
import assert from 'node:assert/strict';
import { TRACERESPONSE_RE } from './http.mjs';

export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$/;

export const CODES = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found',
  405: 'method_not_allowed', 409: 'conflict', 413: 'payload_too_large',
  415: 'unsupported_media_type', 431: 'headers_too_large', 500: 'internal', 503: 'unavailable',
};

// Something a response must never show: stack traces, source paths, key material.
const LEAKS = [/\/work\//, /\.cc\b/, /\.h:\d+/, /src\//, /BEGIN [A-Z ]*KEY/, /terminate called/,
  /std::/, /what\(\)/, /\/tmp\//, /blogtrace-contract-/];

export function describeRes(res) {
  return `got ${res.status} ${JSON.stringify(res.headers?.['content-type'])} ${String(res.text ?? res.error).slice(0, 300)}`;
}

export function assertTraceresponse(res) {
  assert.match(String(res.headers?.traceresponse), TRACERESPONSE_RE,
    `traceresponse header missing/invalid; ${describeRes(res)}`);
}

// Secrets of the running system (admin/internal keys, private key material) that no response
// may ever contain; registered by the suite once the system is up.
const SECRETS = [];
export function registerSecret(secret) {
  if (secret && secret.length >= 12) SECRETS.push(secret);
}

export function assertNoLeak(res) {
  const text = String(res.text);
  for (const re of LEAKS) assert.doesNotMatch(text, re, `response leaks ${re}: ${text}`);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `response contains a secret: ${text.slice(0, 200)}`);
  for (const [name, value] of Object.entries(res.headers ?? {})) {
    for (const secret of SECRETS) assert.ok(!String(value).includes(secret), `header ${name} contains a secret`);
  }
}

// An error answer: the status, exactly {"error","message"} with the contract's code string,
// JSON content type, a traceresponse, nothing internal.
export function assertError(res, status) {
  assert.equal(res.status, status, `expected ${status}; ${describeRes(res)}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json),
    `error body is not a JSON object; ${describeRes(res)}`);
  assert.deepEqual(Object.keys(res.json).sort(), ['error', 'message'],
    `error body must be exactly {error, message}; ${describeRes(res)}`);
  assert.equal(res.json.error, CODES[status], `error code; ${describeRes(res)}`);
  assert.equal(typeof res.json.message, 'string');
  assert.ok(res.json.message.length > 0, 'message is empty');
  assert.match(String(res.headers['content-type']), /^application\/json/i, 'content type of an error');
  assertTraceresponse(res);
  assertNoLeak(res);
}

export function assertStatus(res, status) {
  assert.equal(res.status, status, `expected ${status}; ${describeRes(res)}`);
  assertTraceresponse(res);
  assertNoLeak(res);
}
