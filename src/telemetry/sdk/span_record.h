// SpanRecord: the SDK's recording span, pooled. Tracer::StartSpan takes one from a per-thread
// cache (refilled in batches from a global free list), the Span handle drives it, End() passes it
// to the processor, which releases it after export. Steady state: no allocation per span.
#pragma once

#include <chrono>
#include <optional>

#include "telemetry/api/span_backend.h"
#include "telemetry/sdk/clock.h"
#include "telemetry/sdk/span_data.h"
#include "telemetry/sdk/span_limits.h"
#include "telemetry/sdk/span_processor.h"

namespace blogtrace::telemetry::sdk {

class SpanRecord final : public SpanData, public SpanBackend {
 public:
  // A record from the pool (or a new one), with empty data.
  static SpanRecord* Acquire() noexcept;
  // Returns a record to the pool. Thread-safe; the record must not be used afterwards.
  static void Release(SpanRecord* record) noexcept;

  // Everything a started span needs to know about its tracer; outlives the record's use.
  struct Owner {
    const SpanLimits* limits;
    const Clock* clock;
    SpanProcessor* processor;
  };
  void Reset(const Owner& owner) noexcept;

  void SetAttribute(std::string_view key, const AttributeValue& value) noexcept override;
  void AddEvent(std::string_view name, std::span<const KeyValue> attributes,
                std::optional<std::chrono::system_clock::time_point> time) noexcept override;
  void AddLink(const SpanContext& context, std::span<const KeyValue> attributes) noexcept override;
  void SetStatus(StatusCode code, std::string_view description) noexcept override;
  void UpdateName(std::string_view name) noexcept override;
  void End(std::optional<std::chrono::system_clock::time_point> end_time) noexcept override;

 private:
  Owner owner_{};
};

}  // namespace blogtrace::telemetry::sdk
