// SpanBackend: what a recording span delegates to. Implemented by the SDK; instrumented code uses
// Span. One backend belongs to exactly one Span handle; calls come from one thread at a time.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "telemetry/api/attribute_value.h"
#include "telemetry/api/span_context.h"

namespace blogtrace::telemetry {

enum class StatusCode { kUnset, kOk, kError };

class SpanBackend {
 public:
  virtual void SetAttribute(std::string_view key, const AttributeValue& value) noexcept = 0;
  virtual void AddEvent(std::string_view name, std::span<const KeyValue> attributes,
                        std::optional<std::chrono::system_clock::time_point> time) noexcept = 0;
  virtual void AddLink(const SpanContext& context,
                       std::span<const KeyValue> attributes) noexcept = 0;
  virtual void SetStatus(StatusCode code, std::string_view description) noexcept = 0;
  virtual void UpdateName(std::string_view name) noexcept = 0;
  // Ends the span; the backend must not be used afterwards (the SDK recycles it).
  virtual void End(std::optional<std::chrono::system_clock::time_point> end_time) noexcept = 0;

 protected:
  ~SpanBackend() = default;
};

}  // namespace blogtrace::telemetry
