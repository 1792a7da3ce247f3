#include "telemetry/sdk/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace blogtrace::telemetry::sdk {
namespace {
constexpr double kTwoPow56 = 72057594037927936.0;
}  // namespace

TraceIdRatioBasedSampler::TraceIdRatioBasedSampler(double ratio)
    : ratio_(std::isnan(ratio) ? 0.0 : std::clamp(ratio, 0.0, 1.0)) {
  threshold_ = static_cast<std::uint64_t>(std::llround((1.0 - ratio_) * kTwoPow56));
}

SamplingDecision TraceIdRatioBasedSampler::ShouldSample(const SpanContext*, const TraceId& trace_id,
                                                        std::string_view, SpanKind,
                                                        std::span<const KeyValue>) const noexcept {
  const auto& b = trace_id.bytes();
  std::uint64_t r = 0;
  for (int i = 9; i < 16; ++i) r = (r << 8) | b[static_cast<std::size_t>(i)];
  return r >= threshold_ ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop;
}

std::string TraceIdRatioBasedSampler::GetDescription() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "TraceIdRatioBased{%.6f}", ratio_);
  return buf;
}

ParentBasedSampler::ParentBasedSampler(std::shared_ptr<const Sampler> root)
    : root_(std::move(root)) {}

SamplingDecision ParentBasedSampler::ShouldSample(
    const SpanContext* parent, const TraceId& trace_id, std::string_view name, SpanKind kind,
    std::span<const KeyValue> attributes) const noexcept {
  if (parent == nullptr || !parent->IsValid())
    return root_->ShouldSample(parent, trace_id, name, kind, attributes);
  // Default delegates for remote/local, sampled/unsampled parents: follow the flag.
  return parent->IsSampled() ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop;
}

std::string ParentBasedSampler::GetDescription() const {
  return "ParentBased{root:" + root_->GetDescription() + "}";
}

std::shared_ptr<const Sampler> SamplerFromEnv(const GetEnvFunction& getenv) {
  std::string name =
      env::GetString(getenv, "OTEL_TRACES_SAMPLER").value_or("parentbased_always_on");
  auto ratio = [&]() -> double {
    auto arg = env::GetString(getenv, "OTEL_TRACES_SAMPLER_ARG");
    if (!arg) return 1.0;
    char* end = nullptr;
    double v = std::strtod(arg->c_str(), &end);
    if (end != arg->c_str() + arg->size() || std::isnan(v) || v < 0.0 || v > 1.0) {
      LogError("OTEL_TRACES_SAMPLER_ARG: '" + *arg + "' is not a ratio in [0, 1]; using 1.0");
      return 1.0;
    }
    return v;
  };
  if (name == "always_on") return std::make_shared<AlwaysOnSampler>();
  if (name == "always_off") return std::make_shared<AlwaysOffSampler>();
  if (name == "traceidratio") return std::make_shared<TraceIdRatioBasedSampler>(ratio());
  if (name == "parentbased_always_off")
    return std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOffSampler>());
  if (name == "parentbased_traceidratio")
    return std::make_shared<ParentBasedSampler>(
        std::make_shared<TraceIdRatioBasedSampler>(ratio()));
  if (name != "parentbased_always_on")
    LogError("OTEL_TRACES_SAMPLER: unsupported '" + name + "'; using parentbased_always_on");
  return std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>());
}

}  // namespace blogtrace::telemetry::sdk
