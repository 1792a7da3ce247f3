// Tracer and TracerProvider: where spans come from. The API's no-op provider is used when
// tracing is off; it never returns null and costs nearly nothing.
// Thread safety: every method may be called from any thread concurrently.
// Lifetime: a provider must outlive its tracers and every span they started (end spans, then
// Shutdown, then destroy).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "telemetry/api/attribute_value.h"
#include "telemetry/api/context.h"
#include "telemetry/api/span.h"

namespace blogtrace::telemetry {

struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  // The parent; nullptr (or an invalid span context) starts a new trace.
  const Context* parent = nullptr;
  // Defaults to now.
  std::optional<std::chrono::system_clock::time_point> start_time;
  // Attributes known at start (visible to the sampler).
  std::span<const KeyValue> attributes;
};

// Starts spans for one instrumentation scope.
class Tracer {
 public:
  virtual ~Tracer() = default;
  // Starts a span; never fails. A non-recording span when unsampled.
  virtual Span StartSpan(std::string_view name, const StartSpanOptions& options = {}) noexcept = 0;
};

// Owns tracers, the pipeline behind them and its configuration.
class TracerProvider {
 public:
  virtual ~TracerProvider() = default;
  // The tracer for a scope (library or module name); the reference stays valid as long as the
  // provider. Same scope → same tracer.
  virtual Tracer& GetTracer(std::string_view scope_name,
                            std::string_view scope_version = {}) noexcept = 0;
  // Exports everything ended so far; false when `timeout` passed first.
  virtual bool ForceFlush(std::chrono::milliseconds timeout) noexcept;
  // Flushes and stops exporting; later spans are dropped. Idempotent.
  virtual bool Shutdown(std::chrono::milliseconds timeout) noexcept;
};

// Returns non-recording spans that carry the parent's context (or an invalid one).
class NoopTracer final : public Tracer {
 public:
  Span StartSpan(std::string_view name, const StartSpanOptions& options = {}) noexcept override;
};

// The provider when tracing is off (OTEL_SDK_DISABLED=true) or not configured.
class NoopTracerProvider final : public TracerProvider {
 public:
  Tracer& GetTracer(std::string_view scope_name,
                    std::string_view scope_version = {}) noexcept override;

 private:
  NoopTracer tracer_;
};

// The child context for work done under `span`: the span's SpanContext and the parent's baggage.
Context ContextWithSpan(const Context& parent, const Span& span);

}  // namespace blogtrace::telemetry
