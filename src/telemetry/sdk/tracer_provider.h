// The SDK's TracerProvider and Tracer: sampling, ids, limits, the pipeline to the exporter.
// Thread-safe. The provider must outlive every span its tracers started: end spans, Shutdown(),
// then destroy (the destructor shuts down if nobody did).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/api/tracer.h"
#include "telemetry/sdk/clock.h"
#include "telemetry/sdk/id_generator.h"
#include "telemetry/sdk/resource.h"
#include "telemetry/sdk/sampler.h"
#include "telemetry/sdk/span_limits.h"
#include "telemetry/sdk/span_processor.h"
#include "telemetry/sdk/span_record.h"

namespace blogtrace::telemetry::sdk {

struct TracerProviderOptions {
  Resource resource = Resource::Default();
  std::shared_ptr<const Sampler> sampler =
      std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>());
  SpanLimits limits;
  // Receives ended spans; null discards them (they are still sampled and propagated).
  std::unique_ptr<SpanProcessor> processor;
  // Seams; the defaults are process-wide instances.
  std::shared_ptr<IdGenerator> id_generator;
  const Clock* clock = &SystemSdkClock::Instance();
};

class TracerProvider;

class Tracer final : public telemetry::Tracer {
 public:
  Tracer(TracerProvider& provider, InstrumentationScope scope)
      : provider_(provider), scope_(std::move(scope)) {}
  Span StartSpan(std::string_view name, const StartSpanOptions& options = {}) noexcept override;
  const InstrumentationScope& scope() const noexcept { return scope_; }

 private:
  TracerProvider& provider_;
  InstrumentationScope scope_;
};

class TracerProvider final : public telemetry::TracerProvider {
 public:
  explicit TracerProvider(TracerProviderOptions options);
  ~TracerProvider() override;

  // Thread-safe; linear in the number of scopes (call once per component, keep the reference).
  telemetry::Tracer& GetTracer(std::string_view scope_name,
                               std::string_view scope_version = {}) noexcept override;
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

  const Resource& resource() const noexcept { return options_.resource; }
  const Sampler& sampler() const noexcept { return *options_.sampler; }
  const SpanLimits& limits() const noexcept { return options_.limits; }

 private:
  friend class Tracer;
  TracerProviderOptions options_;
  SpanRecord::Owner owner_{};
  // Fixed at construction so StartSpan can skip virtual calls: the default id generator (null
  // when a custom one is set), the sampler's constant root decision, whether children follow the
  // parent's sampled flag.
  RandomIdGenerator* random_ids_ = nullptr;
  std::optional<SamplingDecision> root_decision_;
  bool child_follows_parent_ = false;
  std::atomic<bool> shut_down_{false};
  std::mutex tracers_mu_;
  std::vector<std::unique_ptr<Tracer>> tracers_;
};

}  // namespace blogtrace::telemetry::sdk
