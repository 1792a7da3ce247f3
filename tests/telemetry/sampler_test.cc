// Sampler decisions: always_on/off, trace-id ratio (deterministic, consistent), parent-based,
// and OTEL_TRACES_SAMPLER(_ARG).
#include <gtest/gtest.h>

#include <map>

#include "telemetry/sdk/sampler.h"

namespace blogtrace::telemetry::sdk {
namespace {

TraceId IdWithRandomness(std::uint64_t r56) {
  std::array<std::uint8_t, 16> b{};
  b[0] = 0xab;  // the left 9 bytes must not matter
  for (int i = 15; i >= 9; --i, r56 >>= 8) b[static_cast<std::size_t>(i)] = r56 & 0xff;
  return TraceId(b);
}

SamplingDecision Decide(const Sampler& s, const TraceId& id, const SpanContext* parent = nullptr) {
  return s.ShouldSample(parent, id, "span", SpanKind::kInternal, {});
}

GetEnvFunction Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

constexpr std::uint64_t kTwo56 = 1ULL << 56;

TEST(TraceIdRatioSampler, ComparesLower56BitsWithThreshold) {
  TraceIdRatioBasedSampler half(0.5);
  EXPECT_EQ(half.threshold(), kTwo56 / 2);
  EXPECT_EQ(Decide(half, IdWithRandomness(kTwo56 / 2)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(half, IdWithRandomness(kTwo56 / 2 - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(half, IdWithRandomness(kTwo56 - 1)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(half, IdWithRandomness(0)), SamplingDecision::kDrop);
}

TEST(TraceIdRatioSampler, ZeroAndOneAreNeverAndAlways) {
  TraceIdRatioBasedSampler none(0.0), all(1.0);
  for (std::uint64_t r : {std::uint64_t{0}, std::uint64_t{1}, kTwo56 / 3, kTwo56 - 1}) {
    EXPECT_EQ(Decide(none, IdWithRandomness(r)), SamplingDecision::kDrop);
    EXPECT_EQ(Decide(all, IdWithRandomness(r)), SamplingDecision::kRecordAndSample);
  }
}

TEST(TraceIdRatioSampler, SameDecisionEverywhereAndHigherRatioIsSuperset) {
  TraceIdRatioBasedSampler low(0.1), low_again(0.1), high(0.6);
  int sampled_low = 0;
  for (std::uint64_t i = 0; i < 10000; ++i) {
    TraceId id = IdWithRandomness((i * 0x9E3779B97F4A7C15ULL) & (kTwo56 - 1));
    auto a = Decide(low, id);
    EXPECT_EQ(a, Decide(low_again, id));
    if (a == SamplingDecision::kRecordAndSample) {
      ++sampled_low;
      EXPECT_EQ(Decide(high, id), SamplingDecision::kRecordAndSample);
    }
  }
  EXPECT_NEAR(sampled_low, 1000, 150);
}

TEST(ParentBasedSampler, FollowsParentFlagAndRootForRoots) {
  ParentBasedSampler pb(std::make_shared<AlwaysOffSampler>());
  TraceId id = IdWithRandomness(5);
  SpanContext sampled(id, SpanId::FromHex("0102030405060708").value(), TraceFlags{1}, true);
  SpanContext unsampled(id, SpanId::FromHex("0102030405060708").value(), TraceFlags{0}, false);
  EXPECT_EQ(Decide(pb, id, &sampled), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(pb, id, &unsampled), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(pb, id, nullptr), SamplingDecision::kDrop);
  ParentBasedSampler pb_on(std::make_shared<AlwaysOnSampler>());
  EXPECT_EQ(Decide(pb_on, id, nullptr), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(pb_on, id, &unsampled), SamplingDecision::kDrop);
}

// The tracer skips ShouldSample when a sampler declares its decision fixed; the declarations must
// match what ShouldSample answers.
TEST(SamplerShortcuts, AgreeWithShouldSample) {
  TraceId id = IdWithRandomness(kTwo56 / 4);
  SpanContext sampled(id, SpanId::FromHex("0102030405060708").value(), TraceFlags{1}, true);
  SpanContext unsampled(id, SpanId::FromHex("0102030405060708").value(), TraceFlags{0}, false);
  const std::vector<std::shared_ptr<const Sampler>> samplers = {
      std::make_shared<AlwaysOnSampler>(),
      std::make_shared<AlwaysOffSampler>(),
      std::make_shared<TraceIdRatioBasedSampler>(0.5),
      std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>()),
      std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOffSampler>()),
      std::make_shared<ParentBasedSampler>(std::make_shared<TraceIdRatioBasedSampler>(0.5))};
  for (const auto& s : samplers) {
    SCOPED_TRACE(s->GetDescription());
    if (auto root = s->ConstantRootDecision()) {
      EXPECT_EQ(*root, Decide(*s, id));
      EXPECT_EQ(*root, Decide(*s, IdWithRandomness(kTwo56 - 1)));
    }
    if (s->ChildFollowsParentFlag()) {
      EXPECT_EQ(Decide(*s, id, &sampled), SamplingDecision::kRecordAndSample);
      EXPECT_EQ(Decide(*s, id, &unsampled), SamplingDecision::kDrop);
    }
  }
  EXPECT_EQ(AlwaysOffSampler().ConstantRootDecision(), SamplingDecision::kDrop);
  EXPECT_EQ(AlwaysOnSampler().ConstantRootDecision(), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.5).ConstantRootDecision(), std::nullopt);
  EXPECT_EQ(
      ParentBasedSampler(std::make_shared<TraceIdRatioBasedSampler>(0.5)).ConstantRootDecision(),
      std::nullopt);
  EXPECT_FALSE(TraceIdRatioBasedSampler(0.5).ChildFollowsParentFlag());
}

TEST(SamplerFromEnv, ReadsNameAndArgument) {
  EXPECT_EQ(SamplerFromEnv(Env({}))->GetDescription(), "ParentBased{root:AlwaysOnSampler}");
  EXPECT_EQ(SamplerFromEnv(Env({{"OTEL_TRACES_SAMPLER", "always_off"}}))->GetDescription(),
            "AlwaysOffSampler");
  EXPECT_EQ(SamplerFromEnv(Env({{"OTEL_TRACES_SAMPLER", "always_on"}}))->GetDescription(),
            "AlwaysOnSampler");
  EXPECT_EQ(SamplerFromEnv(
                Env({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.25"}}))
                ->GetDescription(),
            "TraceIdRatioBased{0.250000}");
  EXPECT_EQ(SamplerFromEnv(Env({{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                                {"OTEL_TRACES_SAMPLER_ARG", "0.5"}}))
                ->GetDescription(),
            "ParentBased{root:TraceIdRatioBased{0.500000}}");
  EXPECT_EQ(
      SamplerFromEnv(Env({{"OTEL_TRACES_SAMPLER", "parentbased_always_off"}}))->GetDescription(),
      "ParentBased{root:AlwaysOffSampler}");
  EXPECT_EQ(SamplerFromEnv(
                Env({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "1.5"}}))
                ->GetDescription(),
            "TraceIdRatioBased{1.000000}")
      << "an invalid ratio falls back to 1.0";
  EXPECT_EQ(SamplerFromEnv(Env({{"OTEL_TRACES_SAMPLER", "bogus"}}))->GetDescription(),
            "ParentBased{root:AlwaysOnSampler}");
}

}  // namespace
}  // namespace blogtrace::telemetry::sdk
