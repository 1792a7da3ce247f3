// Pure mappings from stored spans to the query API's JSON shapes (../shared/JAEGER-API.md):
// Jaeger v1 traces, OTLP/JSON resourceSpans (api_v3) and api_v3 trace summaries.
// Thread-safe; no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "collector/attribute_value.h"
#include "collector/span_store.h"

namespace blogtrace::collector {

// A Jaeger v1 trace: {"traceID", "spans", "processes", "warnings": null}. `spans` are one trace's
// spans in start order. Processes are numbered p1, p2, ... by first appearance of each distinct
// resource. Precondition: spans is not empty.
nlohmann::json ToJaegerTrace(const std::vector<StoredSpan>& spans);
// Appends the same trace, serialized, to `out` (what the query API sends; ToJaegerTrace parses
// it). Writing into the response buffer avoids copying megabytes for large traces.
void AppendJaegerTraceJson(const std::vector<StoredSpan>& spans, std::string& out);

// OTLP/JSON resourceSpans for one or more traces' spans (hex ids, integer enums, nanosecond
// times and 64-bit integers as decimal strings), grouped by resource and scope.
nlohmann::json ToOtlpResourceSpans(const std::vector<StoredSpan>& spans);

// An api_v3 trace summary (see JAEGER-API.md) of one trace's spans. Precondition: not empty.
nlohmann::json ToTraceSummary(const std::vector<StoredSpan>& spans);

}  // namespace blogtrace::collector
