// `blogtrace traces` and `blogtrace trace`: the collector's terminal views of stored traces,
// fetched from its query API at QUERY_ADDR.
#pragma once

#include <string>
#include <string_view>

#include "collector/terminal_view.h"
#include "common/config.h"

namespace blogtrace::cli {

// Lists recent traces matching `search`; returns the exit code.
int ListTraces(const SystemConfig& config, const collector::TraceSearch& search);

// Shows one trace given its id or a traceresponse/traceparent header value; returns the exit
// code.
int ShowTrace(const SystemConfig& config, const std::string& id);

// The trace id in `text`: "00-<trace-id>-<span-id>-<flags>" yields <trace-id>; anything else is
// returned as given (lower-cased).
std::string TraceIdFrom(std::string_view text);

}  // namespace blogtrace::cli
