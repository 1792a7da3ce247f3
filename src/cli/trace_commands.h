// `blogtrace traces` and `blogtrace trace`: the collector's terminal views of stored traces,
// reached over its query API at QUERY_ADDR.
#pragma once

#include <string>

#include "common/config.h"

namespace blogtrace::cli {

// Filters of `blogtrace traces` (the Jaeger query API's search parameters).
struct TraceQueryOptions {
  std::string service;
  std::string operation;
  std::string tags;
  std::string lookback = "1h";
  int limit = 20;
  std::string min_duration;
  std::string max_duration;
};

// Lists recent traces matching `query`; returns the exit code.
int ListTraces(const SystemConfig& config, const TraceQueryOptions& query);

// Shows one trace (a trace id, or a traceresponse/traceparent header value); returns the exit
// code.
int ShowTrace(const SystemConfig& config, const std::string& id);

}  // namespace blogtrace::cli
