// RecordingTracer: a Tracer for tests that keeps every ended span (name, kind, parent,
// attributes, status) in memory. Thread-safe: stores are called from many threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "telemetry/api/span.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store::testing {

// One ended span as the test sees it.
struct RecordedSpan {
  using Value = std::variant<bool, std::int64_t, double, std::string>;

  std::string name;
  telemetry::SpanKind kind = telemetry::SpanKind::kInternal;
  telemetry::SpanContext context;
  telemetry::SpanContext parent;  // invalid for a root span
  std::map<std::string, Value> attributes;
  telemetry::StatusCode status = telemetry::StatusCode::kUnset;
  std::string status_description;

  // The string attribute `key`, or nullopt when absent or not a string.
  std::optional<std::string> String(const std::string& key) const {
    auto it = attributes.find(key);
    if (it == attributes.end() || !std::holds_alternative<std::string>(it->second)) {
      return {};
    }
    return std::get<std::string>(it->second);
  }
  // The integer attribute `key`, or nullopt when absent or not an integer.
  std::optional<std::int64_t> Int(const std::string& key) const {
    auto it = attributes.find(key);
    if (it == attributes.end() || !std::holds_alternative<std::int64_t>(it->second)) {
      return {};
    }
    return std::get<std::int64_t>(it->second);
  }
};

class RecordingTracer final : public telemetry::Tracer {
 public:
  telemetry::Span StartSpan(std::string_view name,
                            const telemetry::StartSpanOptions& options) noexcept override {
    Backend* backend = nullptr;
    try {
      backend = new Backend(*this);
      backend->span.name = std::string(name);
    } catch (...) {
      delete backend;
      return {};
    }
    backend->span.kind = options.kind;
    std::array<std::uint8_t, 16> trace{};
    std::array<std::uint8_t, 8> id{};
    const std::uint64_t n = ++next_id_;
    for (int i = 0; i < 8; ++i) {
      id[7 - i] = static_cast<std::uint8_t>(n >> (8 * i));
    }
    if (options.parent != nullptr && options.parent->span_context.IsValid()) {
      backend->span.parent = options.parent->span_context;
      trace = options.parent->span_context.trace_id().bytes();
    } else {
      trace[15] = 1;
    }
    backend->span.context =
        telemetry::SpanContext(telemetry::TraceId(trace), telemetry::SpanId(id),
                               telemetry::TraceFlags{telemetry::TraceFlags::kSampled}, false);
    return telemetry::Span(backend->span.context, backend);
  }

  // Every span ended so far, in the order they ended.
  std::vector<RecordedSpan> Spans() const {
    std::lock_guard lock(mutex_);
    return spans_;
  }
  void Clear() {
    std::lock_guard lock(mutex_);
    spans_.clear();
  }

 private:
  class Backend final : public telemetry::SpanBackend {
   public:
    explicit Backend(RecordingTracer& tracer) : tracer_(tracer) {}
    void SetAttribute(std::string_view key,
                      const telemetry::AttributeValue& value) noexcept override {
      try {
        SetAttributeOrThrow(key, value);
      } catch (...) {
      }
    }
    void SetAttributeOrThrow(std::string_view key, const telemetry::AttributeValue& value) {
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, std::int64_t> ||
                          std::is_same_v<V, double>) {
              span.attributes[std::string(key)] = v;
            } else if constexpr (std::is_same_v<V, std::string_view>) {
              span.attributes[std::string(key)] = std::string(v);
            }
          },
          value.variant());
    }
    void AddEvent(std::string_view, std::span<const telemetry::KeyValue>,
                  std::optional<std::chrono::system_clock::time_point>) noexcept override {}
    void AddLink(const telemetry::SpanContext&,
                 std::span<const telemetry::KeyValue>) noexcept override {}
    void SetStatus(telemetry::StatusCode code, std::string_view description) noexcept override {
      span.status = code;
      try {
        span.status_description = std::string(description);
      } catch (...) {
      }
    }
    void UpdateName(std::string_view name) noexcept override {
      try {
        span.name = std::string(name);
      } catch (...) {
      }
    }
    void End(std::optional<std::chrono::system_clock::time_point>) noexcept override {
      try {
        std::lock_guard lock(tracer_.mutex_);
        tracer_.spans_.push_back(std::move(span));
      } catch (...) {
      }
      delete this;
    }

    RecordedSpan span;

   private:
    RecordingTracer& tracer_;
  };

  mutable std::mutex mutex_;
  std::vector<RecordedSpan> spans_;
  std::atomic<std::uint64_t> next_id_{0};
};

}  // namespace blogtrace::store::testing
