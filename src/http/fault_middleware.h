// Route faults (`route=<METHOD> <template>` rules): a middleware inside the tracing middleware,
// so a fired fault acts on the request's SERVER span: its delay is the span's own time, and an
// error answers before the handler runs. /admin/* routes are never faulted, so faults can always
// be cleared.
#pragma once

#include <string>

#include "faults/fault_injector.h"
#include "http/handler.h"

namespace blogtrace::http {

// The middleware; `injector` must outlive it.
Middleware MakeFaultMiddleware(const faults::FaultInjector& injector);

// An injected error answer: `status` with the usual error body, code `unavailable` for 503 and
// 504 and `internal` for the other 5xx.
Response FaultErrorResponse(int status, const std::string& message);

}  // namespace blogtrace::http
