// Span: a move-only handle to one operation of a trace. Ends on destruction; End() is idempotent.
// When not recording (unsampled, tracing off) it holds only the SpanContext and every method is a
// cheap no-op. All methods are noexcept. Usable from any thread, one thread at a time.
// Attribute values, names and keys are copied during the call; nothing is retained.
#pragma once

#include <chrono>
#include <concepts>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/api/attribute_value.h"
#include "telemetry/api/span_backend.h"
#include "telemetry/api/span_context.h"

namespace blogtrace::telemetry {

enum class SpanKind { kInternal, kServer, kClient, kProducer, kConsumer };

class Span {
 public:
  // An invalid, non-recording span.
  Span() noexcept = default;
  // A span with `context`; recording when `backend` is non-null (ownership of the backend's
  // lifetime passes to this handle until End()).
  Span(SpanContext context, SpanBackend* backend) noexcept
      : context_(std::move(context)), backend_(backend) {}
  Span(Span&& other) noexcept
      : context_(std::move(other.context_)), backend_(std::exchange(other.backend_, nullptr)) {}
  Span& operator=(Span&& other) noexcept {
    if (this != &other) {
      End();
      context_ = std::move(other.context_);
      backend_ = std::exchange(other.backend_, nullptr);
    }
    return *this;
  }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { End(); }

  // This span's identity (valid even after End()).
  const SpanContext& context() const noexcept { return context_; }
  // True until End() when the span is sampled and records data.
  bool IsRecording() const noexcept { return backend_ != nullptr; }

  // Sets (or replaces) an attribute: bool, any integer, double, strings, arrays of those, Bytes.
  void SetAttribute(std::string_view key, const AttributeValue& value) noexcept {
    if (backend_) backend_->SetAttribute(key, value);
  }
  // Arrays of integers other than int64_t (converted; allocates).
  template <std::integral T>
  requires(!std::same_as<T, std::int64_t> &&
           !std::same_as<T, bool>) void SetAttribute(std::string_view key,
                                                     std::span<const T> values) noexcept {
    if (!backend_) return;
    try {
      std::vector<std::int64_t> converted(values.begin(), values.end());
      backend_->SetAttribute(key, AttributeValue(std::span<const std::int64_t>(converted)));
    } catch (...) {
    }
  }
  template <std::integral T>
  requires(!std::same_as<T, std::int64_t>) void SetAttribute(
      std::string_view key, const std::vector<T>& values) noexcept {
    if constexpr (std::same_as<T, bool>) {
      if (!backend_) return;
      try {
        std::unique_ptr<bool[]> copy(new bool[values.size()]);
        for (std::size_t i = 0; i < values.size(); ++i) copy[i] = values[i];
        backend_->SetAttribute(key,
                               AttributeValue(std::span<const bool>(copy.get(), values.size())));
      } catch (...) {
      }
    } else {
      SetAttribute(key, std::span<const T>(values));
    }
  }

  // Adds a timestamped event, e.g. AddEvent("retry", {{"attempt", 2}}).
  void AddEvent(std::string_view name, std::initializer_list<KeyValue> attributes = {}) noexcept {
    if (backend_) backend_->AddEvent(name, std::span(attributes.begin(), attributes.size()), {});
  }
  void AddEvent(std::string_view name, std::span<const KeyValue> attributes,
                std::optional<std::chrono::system_clock::time_point> time = {}) noexcept {
    if (backend_) backend_->AddEvent(name, attributes, time);
  }
  // Links this span to another span's context (e.g. a batch's inputs).
  void AddLink(const SpanContext& context,
               std::initializer_list<KeyValue> attributes = {}) noexcept {
    if (backend_) backend_->AddLink(context, std::span(attributes.begin(), attributes.size()));
  }
  // Sets the status; the description is kept only with kError (OTel API rule).
  void SetStatus(StatusCode code, std::string_view description = {}) noexcept {
    if (backend_) backend_->SetStatus(code, description);
  }
  // Records an `exception` event with exception.type and exception.message (semantic conventions).
  void RecordException(std::string_view type, std::string_view message) noexcept {
    AddEvent("exception", {{"exception.type", type}, {"exception.message", message}});
  }
  // Renames the span (e.g. once the route is known).
  void UpdateName(std::string_view name) noexcept {
    if (backend_) backend_->UpdateName(name);
  }
  // Ends the span (now, or at `end_time`); later calls do nothing.
  void End(std::optional<std::chrono::system_clock::time_point> end_time = {}) noexcept {
    if (backend_) std::exchange(backend_, nullptr)->End(end_time);
  }

 private:
  SpanContext context_;
  SpanBackend* backend_ = nullptr;
};

}  // namespace blogtrace::telemetry
