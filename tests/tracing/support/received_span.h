// ReceivedSpan: one span as an OTLP receiver got it, with its resource's service.name, in the
// shape the span-tree tests compare against. Plain value; not thread-safe by itself (the sink
// hands out copies).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "opentelemetry/proto/trace/v1/trace.pb.h"

namespace blogtrace::tracing_test {

// A span and the resource it came from.
struct ReceivedSpan {
  // The resource attribute service.name ("" when absent).
  std::string service;
  // The instrumentation scope's name.
  std::string scope;
  // Lower-case hex ids; parent_span_id is "" for a root span.
  std::string trace_id;
  std::string span_id;
  std::string parent_span_id;
  // The span as received (name, kind, attributes, events, status, flags).
  opentelemetry::proto::trace::v1::Span proto;

  // Convenience accessors over `proto`.
  const std::string& name() const { return proto.name(); }
  opentelemetry::proto::trace::v1::Span::SpanKind kind() const { return proto.kind(); }
  opentelemetry::proto::trace::v1::Status::StatusCode status_code() const {
    return proto.status().code();
  }

  // The attribute `key` when present (nullptr otherwise).
  const opentelemetry::proto::common::v1::AnyValue* Attribute(std::string_view key) const;
  // The attribute as a string / integer when present with that type.
  std::optional<std::string> StringAttribute(std::string_view key) const;
  std::optional<std::int64_t> IntAttribute(std::string_view key) const;
  // The first event named `name` (nullptr when none).
  const opentelemetry::proto::trace::v1::Span::Event* Event(std::string_view name) const;
  // An event attribute as a string when present.
  static std::optional<std::string> EventStringAttribute(
      const opentelemetry::proto::trace::v1::Span::Event& event, std::string_view key);

  // Every string-ish text the span carries, for secret scanning: the name, the status message,
  // every attribute and event attribute value (arrays and key/value lists flattened, numbers
  // and bytes rendered as text), event names, link attributes.
  std::vector<std::string> AllTexts() const;
};

// Lower-case hex of raw id bytes.
std::string ToHex(std::string_view bytes);

// "SERVER", "CLIENT", "INTERNAL", ... for messages.
std::string_view KindName(opentelemetry::proto::trace::v1::Span::SpanKind kind);
// "UNSET", "OK", "ERROR" for messages.
std::string_view StatusName(opentelemetry::proto::trace::v1::Status::StatusCode code);
// An AnyValue as text: strings unquoted, arrays as [a, b], kvlists as {k=v}.
std::string ValueToString(const opentelemetry::proto::common::v1::AnyValue& value);

}  // namespace blogtrace::tracing_test
