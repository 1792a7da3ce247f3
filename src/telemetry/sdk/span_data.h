// SpanData: everything recorded about one span, as exporters read it. Exporters receive const
// pointers valid only during Export(); copying a SpanData (e.g. the in-memory exporter) is safe.
#pragma once

#include <cstdint>
#include <string>

#include "telemetry/api/span.h"
#include "telemetry/api/span_context.h"
#include "telemetry/sdk/attribute.h"
#include "telemetry/sdk/resource.h"

namespace blogtrace::telemetry::sdk {

// The instrumentation scope (library/module) that started a span.
struct InstrumentationScope {
  std::string name;
  std::string version;
};

struct SpanEvent {
  std::string name;
  std::int64_t time_unix_nanos = 0;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct SpanLink {
  SpanContext context;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct SpanData {
  std::string name;
  SpanContext context;
  // Invalid for a root span.
  SpanId parent_span_id;
  bool parent_is_remote = false;
  SpanKind kind = SpanKind::kInternal;
  std::int64_t start_unix_nanos = 0;
  std::int64_t end_unix_nanos = 0;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  ReusableVector<SpanEvent> events;
  std::uint32_t dropped_events_count = 0;
  ReusableVector<SpanLink> links;
  std::uint32_t dropped_links_count = 0;
  StatusCode status_code = StatusCode::kUnset;
  std::string status_message;
  // Owned by the provider, which outlives every span it exports.
  const Resource* resource = nullptr;
  const InstrumentationScope* scope = nullptr;

  // The value of attribute `key`, or nullptr.
  const OwnedValue* FindAttribute(std::string_view key) const noexcept {
    for (const auto& a : attributes)
      if (a.key == key) return &a.value;
    return nullptr;
  }
};

}  // namespace blogtrace::telemetry::sdk
