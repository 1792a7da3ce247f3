// Context: the request context passed explicitly through every handler, client and store call.
// Never thread-local (coroutines move between threads). A plain value.
#pragma once

#include "telemetry/api/baggage.h"
#include "telemetry/api/span_context.h"

namespace blogtrace::telemetry {

struct Context {
  // The current span's context; invalid when there is none.
  SpanContext span_context;
  Baggage baggage;
};

}  // namespace blogtrace::telemetry
