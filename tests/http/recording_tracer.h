// RecordingTracer: a Tracer for tests that keeps every ended span in memory, with attributes
// rendered as strings. Thread-safe (spans end on server threads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/api/tracer.h"

namespace blogtrace::http::testing {

// One ended span as recorded.
struct RecordedSpan {
  std::string name;
  telemetry::SpanKind kind = telemetry::SpanKind::kInternal;
  telemetry::SpanContext context;
  telemetry::SpanContext parent;
  std::map<std::string, std::string> attributes;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> events;
  telemetry::StatusCode status = telemetry::StatusCode::kUnset;

  bool HasEvent(std::string_view event_name) const {
    for (const auto& e : events) {
      if (e.first == event_name) return true;
    }
    return false;
  }
};

class RecordingTracer final : public telemetry::Tracer {
 public:
  telemetry::Span StartSpan(std::string_view name,
                            const telemetry::StartSpanOptions& options = {}) noexcept override;

  // Spans ended so far, in end order.
  std::vector<RecordedSpan> spans() const;
  // Waits until at least `n` spans ended; false after `timeout`.
  bool WaitForSpans(std::size_t n, std::chrono::milliseconds timeout) const;
  // The first ended span of `kind`; fails the test when there is none.
  RecordedSpan Only(telemetry::SpanKind kind) const;

  void Finish(RecordedSpan span);

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<RecordedSpan> spans_;
  std::mt19937_64 random_{42};
};

// Renders an attribute value as text ("200", "true", "GET").
std::string AttributeText(const telemetry::AttributeValue& value);

}  // namespace blogtrace::http::testing
