#include "telemetry/sdk/clock.h"

#include <time.h>

namespace blogtrace::telemetry::sdk {

std::int64_t SystemSdkClock::NowUnixNanos() const noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

SystemSdkClock& SystemSdkClock::Instance() noexcept {
  static SystemSdkClock clock;
  return clock;
}

}  // namespace blogtrace::telemetry::sdk
