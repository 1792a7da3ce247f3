// Samplers (OTel SDK spec "Sampling"): decide at span start whether a span is recorded and
// exported. Decisions depend only on their inputs, so every service decides alike for a trace.
// Thread-safe and immutable.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "telemetry/api/span.h"
#include "telemetry/sdk/env.h"

namespace blogtrace::telemetry::sdk {

enum class SamplingDecision { kDrop, kRecordOnly, kRecordAndSample };

class Sampler {
 public:
  virtual ~Sampler() = default;
  // `parent` is null (or invalid) for a root span.
  virtual SamplingDecision ShouldSample(const SpanContext* parent, const TraceId& trace_id,
                                        std::string_view name, SpanKind kind,
                                        std::span<const KeyValue> attributes) const noexcept = 0;
  virtual std::string GetDescription() const = 0;
  // The decision for every root span when it never depends on the inputs (always_on, always_off
  // and parent-based samplers over them); the tracer then skips ShouldSample for roots.
  virtual std::optional<SamplingDecision> ConstantRootDecision() const noexcept {
    return std::nullopt;
  }
  // True when a span with a valid parent is sampled exactly when the parent is (the default
  // parent-based delegates); the tracer then decides children from the flag without a call.
  virtual bool ChildFollowsParentFlag() const noexcept { return false; }
};

class AlwaysOnSampler final : public Sampler {
 public:
  SamplingDecision ShouldSample(const SpanContext*, const TraceId&, std::string_view, SpanKind,
                                std::span<const KeyValue>) const noexcept override {
    return SamplingDecision::kRecordAndSample;
  }
  std::string GetDescription() const override { return "AlwaysOnSampler"; }
  std::optional<SamplingDecision> ConstantRootDecision() const noexcept override {
    return SamplingDecision::kRecordAndSample;
  }
};

class AlwaysOffSampler final : public Sampler {
 public:
  SamplingDecision ShouldSample(const SpanContext*, const TraceId&, std::string_view, SpanKind,
                                std::span<const KeyValue>) const noexcept override {
    return SamplingDecision::kDrop;
  }
  std::string GetDescription() const override { return "AlwaysOffSampler"; }
  std::optional<SamplingDecision> ConstantRootDecision() const noexcept override {
    return SamplingDecision::kDrop;
  }
};

// Samples a fraction `ratio` of traces, decided from the trace id alone: the id's right-most
// 56 bits (the part W3C Level 2 makes random) R are compared with the rejection threshold
// T = (1 - ratio) * 2^56; sampled iff R >= T. Every service with the same ratio agrees, and a
// higher ratio samples a superset (consistent probability sampling, OTel spec).
class TraceIdRatioBasedSampler final : public Sampler {
 public:
  explicit TraceIdRatioBasedSampler(double ratio);
  SamplingDecision ShouldSample(const SpanContext* parent, const TraceId& trace_id,
                                std::string_view name, SpanKind kind,
                                std::span<const KeyValue> attributes) const noexcept override;
  std::string GetDescription() const override;
  std::uint64_t threshold() const noexcept { return threshold_; }

 private:
  double ratio_;
  std::uint64_t threshold_;  // 0 .. 2^56
};

// Follows the parent's sampled flag; `root` decides for root spans.
class ParentBasedSampler final : public Sampler {
 public:
  explicit ParentBasedSampler(std::shared_ptr<const Sampler> root);
  SamplingDecision ShouldSample(const SpanContext* parent, const TraceId& trace_id,
                                std::string_view name, SpanKind kind,
                                std::span<const KeyValue> attributes) const noexcept override;
  std::string GetDescription() const override;
  std::optional<SamplingDecision> ConstantRootDecision() const noexcept override {
    return root_->ConstantRootDecision();
  }
  bool ChildFollowsParentFlag() const noexcept override { return true; }

 private:
  std::shared_ptr<const Sampler> root_;
};

// From OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on; an unknown
// name or bad ratio is reported and the default used).
std::shared_ptr<const Sampler> SamplerFromEnv(const GetEnvFunction& getenv);

}  // namespace blogtrace::telemetry::sdk
