// Builders for OTLP requests used across the collector tests.
#pragma once

#include <cstdint>
#include <string>

#include "collector/hex.h"
#include "collector/otlp_decode.h"

namespace blogtrace::collector::testing {

namespace trace_pb = opentelemetry::proto::trace::v1;

// Raw id bytes from hex (the test's ids are always valid hex).
inline std::string Bytes(std::string_view hex) { return *FromHex(hex); }

// A trace id of 32 hex digits ending in `n`.
inline std::string TraceHex(int n) {
  std::string s = std::to_string(n);
  return "4bf92f3577b34da6a3ce929d" + std::string(8 - s.size(), '0') + s;
}
// A span id of 16 hex digits ending in `n`.
inline std::string SpanHex(int n) {
  std::string s = std::to_string(n);
  return "00f067aa" + std::string(8 - s.size(), '0') + s;
}

inline void SetString(opentelemetry::proto::common::v1::KeyValue* kv, std::string key,
                      std::string value) {
  kv->set_key(std::move(key));
  kv->mutable_value()->set_string_value(std::move(value));
}

// Adds a ResourceSpans for `service` with one scope; returns the scope's spans to fill.
inline trace_pb::ScopeSpans* AddScope(otlp_collector::ExportTraceServiceRequest& req,
                                      const std::string& service,
                                      const std::string& scope_name = "blogtrace") {
  auto* rs = req.add_resource_spans();
  SetString(rs->mutable_resource()->add_attributes(), "service.name", service);
  SetString(rs->mutable_resource()->add_attributes(), "host.name", "box-" + service);
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name(scope_name);
  ss->mutable_scope()->set_version("1.0");
  return ss;
}

// Adds a span with ids from TraceHex(trace)/SpanHex(span); parent 0 = root.
inline trace_pb::Span* AddSpan(trace_pb::ScopeSpans* ss, int trace, int span, int parent,
                               const std::string& name, std::uint64_t start_ns,
                               std::uint64_t duration_ns,
                               trace_pb::Span::SpanKind kind = trace_pb::Span::SPAN_KIND_SERVER) {
  auto* s = ss->add_spans();
  s->set_trace_id(Bytes(TraceHex(trace)));
  s->set_span_id(Bytes(SpanHex(span)));
  if (parent) s->set_parent_span_id(Bytes(SpanHex(parent)));
  s->set_name(name);
  s->set_kind(kind);
  s->set_start_time_unix_nano(start_ns);
  s->set_end_time_unix_nano(start_ns + duration_ns);
  return s;
}

}  // namespace blogtrace::collector::testing
