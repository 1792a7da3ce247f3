// Client of the Jaeger-compatible query API (classic /api/* endpoints, v1 JSON envelope).

// An API failure with a message for a person; `status` is 0 when the API did not answer.
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

// GETs `path` (relative to the page's origin) and returns the envelope's `data`.
async function getData(path, signal) {
  let response;
  try {
    response = await fetch(path, {headers: {Accept: 'application/json'}, signal});
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'The query API did not answer. Is the collector running?');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A non-JSON answer (a proxy's error page): reported by status below.
  }
  const firstError = body && Array.isArray(body.errors) && body.errors.length ? body.errors[0] : null;
  if (!response.ok || firstError) {
    const message = firstError?.msg || body?.message ||
        `The query API answered ${response.status} ${response.statusText}`.trim();
    throw new ApiError(firstError?.code || response.status, message);
  }
  if (!body || typeof body !== 'object') {
    throw new ApiError(response.status, 'The query API answered something that is not JSON');
  }
  return body.data;
}

// Service names, sorted.
export async function fetchServices(signal) {
  const data = await getData('/api/services', signal);
  return (data || []).slice().sort();
}

// Operation names of a service, sorted.
export async function fetchOperations(service, signal) {
  const data = await getData(`/api/services/${encodeURIComponent(service)}/operations`, signal);
  return (data || []).slice().sort();
}

// Finds traces. `query`: {service, operation, tags (object), lookbackMs, minDuration,
// maxDuration, limit}. Returns the raw Jaeger traces.
export async function searchTraces(query, signal) {
  const params = new URLSearchParams();
  const endUs = Date.now() * 1000;
  params.set('service', query.service);
  if (query.operation) params.set('operation', query.operation);
  if (query.tags && Object.keys(query.tags).length) params.set('tags', JSON.stringify(query.tags));
  params.set('start', String(endUs - query.lookbackMs * 1000));
  params.set('end', String(endUs));
  // As a Go duration ("2d" is not one): servers that read `lookback` instead of start/end agree.
  const minutes = Math.round(query.lookbackMs / 60e3);
  params.set('lookback', minutes % 60 ? `${minutes}m` : `${minutes / 60}h`);
  if (query.minDuration) params.set('minDuration', query.minDuration);
  if (query.maxDuration) params.set('maxDuration', query.maxDuration);
  params.set('limit', String(query.limit));
  return (await getData(`/api/traces?${params}`, signal)) || [];
}

// One trace by id; throws ApiError(404) when absent.
export async function fetchTrace(traceId, signal) {
  const data = await getData(`/api/traces/${encodeURIComponent(traceId)}`, signal);
  const trace = Array.isArray(data) ? data[0] : data;
  if (!trace || !Array.isArray(trace.spans) || !trace.spans.length) {
    throw new ApiError(404, 'trace not found');
  }
  return trace;
}

// Service call edges [{parent, child, callCount}] in the window ending now.
export async function fetchDependencies(lookbackMs, signal) {
  const params = new URLSearchParams({endTs: String(Date.now()), lookback: String(lookbackMs)});
  return (await getData(`/api/dependencies?${params}`, signal)) || [];
}
