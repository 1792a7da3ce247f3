// The collector's storage-ready form of received spans: one row per span plus the (resource,
// scope) "origins" they came from, extracted from an ExportTraceServiceRequest after validation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/otlp_decode.h"

namespace blogtrace::collector {

// Where spans came from: a resource and an instrumentation scope, kept as protobuf bytes.
struct Origin {
  std::string resource;  // serialized opentelemetry.proto.resource.v1.Resource
  std::string scope;     // serialized InstrumentationScope
  std::string service;   // resource attribute service.name ("unknown_service" when absent)
  std::string tags;      // searchable text of resource attributes and scope (see TagText)
};

// One span ready to store.
struct SpanRecord {
  std::string trace_id;   // 16 raw bytes
  std::string span_id;    // 8 raw bytes
  std::string parent_id;  // empty for a root span, else 8 raw bytes
  std::string name;
  int kind = 0;  // OTLP SpanKind number
  std::uint64_t start_ns = 0;
  std::uint64_t duration_ns = 0;
  bool has_error = false;  // status ERROR
  std::size_t origin = 0;  // index into SpanBatch::origins
  std::string tags;        // searchable text of span attributes, derived tags and event fields
  std::string span;        // serialized opentelemetry.proto.trace.v1.Span (the full span)
};

// Spans of one request, ready for the store.
struct SpanBatch {
  std::vector<Origin> origins;
  std::vector<SpanRecord> spans;
};

// The outcome of validating a request: accepted spans and the rejected count with a reason.
struct ExtractResult {
  SpanBatch batch;
  std::int64_t rejected = 0;
  std::string error_message;  // empty when nothing was rejected
};

// Validates and converts every span. A span is rejected (counted, not stored) when its trace id
// is not 16 bytes or all zero, its span id not 8 bytes or all zero, or its parent id neither
// empty nor 8 bytes. An end time before the start is stored as duration 0. `wire`, when not
// empty, is the protobuf body `request` was parsed from: each span then keeps its received bytes
// instead of being serialized again (checked against the parsed message; serialized otherwise).
ExtractResult ExtractSpans(const otlp_collector::ExportTraceServiceRequest& request,
                           std::string_view wire = {});

// Searchable tag text: "\x1f" key "\x1e" value ... "\x1f"; TagPattern(k, v) is found in it with a
// substring search exactly when the pair is present.
std::string TagPattern(std::string_view key, std::string_view value);

}  // namespace blogtrace::collector
