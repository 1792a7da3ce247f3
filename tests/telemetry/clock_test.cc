// The SDK's system clock stays within a microsecond-scale error of CLOCK_REALTIME (it may
// interpolate the TSC), and the manual clock moves only when told.
#include <gtest/gtest.h>

#include <cstdlib>

#include "telemetry/sdk/clock.h"

namespace blogtrace::telemetry::sdk {
namespace {

TEST(SystemSdkClock, TracksRealtimeClosely) {
  const SystemSdkClock& clock = SystemSdkClock::Instance();
  const std::int64_t start = RealtimeNanos();
  std::int64_t worst = 0, backwards = 0, prev = clock.NowUnixNanos();
  // Busy for ~50 ms of wall time so the TSC map is calibrated and re-anchored several times.
  while (RealtimeNanos() - start < 50'000'000) {
    std::int64_t before = RealtimeNanos();
    std::int64_t ours = clock.NowUnixNanos();
    std::int64_t after = RealtimeNanos();
    std::int64_t err = ours < before ? before - ours : (ours > after ? ours - after : 0);
    worst = std::max(worst, err);
    backwards = std::max(backwards, prev - ours);
    prev = ours;
  }
  EXPECT_LT(worst, 20'000) << "ns outside [before, after] (uses TSC: " << SystemSdkClock::UsesTsc()
                           << ")";
  EXPECT_LT(backwards, 20'000) << "ns of backward step";
}

TEST(ManualSdkClock, MovesOnlyWhenAdvanced) {
  ManualSdkClock clock(1000);
  EXPECT_EQ(clock.NowUnixNanos(), 1000);
  auto steady = clock.SteadyNow();
  clock.Advance(std::chrono::milliseconds(2));
  EXPECT_EQ(clock.NowUnixNanos(), 2'001'000);
  EXPECT_EQ(clock.SteadyNow() - steady, std::chrono::milliseconds(2));
}

}  // namespace
}  // namespace blogtrace::telemetry::sdk
