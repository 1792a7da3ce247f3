// Parses what a person pastes into the "open trace" box.

// Accepts a trace id (1–32 hex digits, passed on as typed) or a W3C traceresponse/traceparent value
// `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`, optionally prefixed by the header name.
// Returns {traceId, spanId?} in lower case, or null.
export function parseTraceInput(text) {
  let value = String(text ?? '').trim().toLowerCase();
  value = value.replace(/^(traceresponse|traceparent)\s*:\s*/, '');
  const header = value.match(/^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/);
  if (header) {
    if (/^0+$/.test(header[2])) return null;
    return {traceId: header[2], spanId: /^0+$/.test(header[3]) ? undefined : header[3]};
  }
  if (/^[0-9a-f]{1,32}$/.test(value) && !/^0+$/.test(value)) {
    return {traceId: value};
  }
  return null;
}
