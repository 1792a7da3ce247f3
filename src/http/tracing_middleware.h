// The server half of tracing at the edge: extracts the caller's context, runs the rest of the
// chain inside a SERVER span named "<METHOD> <route template>" (just "<METHOD>" when no route
// matched), records the HTTP semantic-convention attributes, and writes
// `traceresponse: 00-<trace-id>-<span-id>-<flags>` on every response (W3C Trace Context Level 2),
// with flags 00 and fresh ids when tracing is off.
#pragma once

#include "http/handler.h"

namespace blogtrace::telemetry {
class Tracer;
class TextMapPropagator;
}  // namespace blogtrace::telemetry

namespace blogtrace::http {

// The tracing middleware. `propagator` may be null (nothing extracted). Both must outlive it.
Middleware MakeTracingMiddleware(telemetry::Tracer& tracer,
                                 const telemetry::TextMapPropagator* propagator);

}  // namespace blogtrace::http
