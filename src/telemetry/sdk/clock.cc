#include "telemetry/sdk/clock.h"

#include <time.h>

#include <fstream>
#include <string>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace blogtrace::telemetry::sdk {
namespace {

bool DetectInvariantTsc() {
#if defined(__x86_64__)
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) == 0) {
      return line.find(" constant_tsc") != std::string::npos &&
             line.find(" nonstop_tsc") != std::string::npos;
    }
  }
#endif
  return false;
}

#if defined(__x86_64__)
// Per-thread linear map from TSC ticks to Unix nanoseconds, re-anchored on CLOCK_REALTIME.
struct TscAnchor {
  std::uint64_t tsc = 0;
  std::int64_t ns = 0;
  double ns_per_tick = 0;  // 0 until calibrated over at least kMinCalibrationTicks
};
constexpr std::uint64_t kWindowTicks = 1ULL << 24;          // re-anchor after this many ticks
constexpr std::uint64_t kMinCalibrationTicks = 1ULL << 20;  // shortest window to estimate a rate
constexpr std::uint64_t kMaxAnchorTicks = 1ULL << 12;       // a clean anchor reading (~2 us)

std::int64_t TscNow() noexcept {
  thread_local TscAnchor a;
  const std::uint64_t t0 = __rdtsc();
  const std::uint64_t dt0 = t0 - a.tsc;
  if (a.ns_per_tick > 0 && dt0 < kWindowTicks)
    return a.ns + static_cast<std::int64_t>(static_cast<double>(dt0) * a.ns_per_tick);
  const std::int64_t ns = RealtimeNanos();
  const std::uint64_t t1 = __rdtsc();
  // Preempted between the readings: the pair is not a good anchor; use the reading alone.
  if (t1 - t0 > kMaxAnchorTicks) return ns;
  const std::uint64_t t = t0 + (t1 - t0) / 2;
  if (a.tsc == 0) {
    a.tsc = t;
    a.ns = ns;
  } else if (t - a.tsc >= kMinCalibrationTicks) {
    double rate = static_cast<double>(ns - a.ns) / static_cast<double>(t - a.tsc);
    // A wall-clock step (NTP, settimeofday) gives a nonsense rate: recalibrate from scratch.
    a.ns_per_tick = (rate > 0.05 && rate < 20.0) ? rate : 0;
    a.tsc = t;
    a.ns = ns;
  }
  return ns;
}
#endif

const bool kUseTsc = DetectInvariantTsc();

}  // namespace

std::int64_t RealtimeNanos() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t SystemSdkClock::NowUnixNanos() const noexcept {
#if defined(__x86_64__)
  if (kUseTsc) return TscNow();
#endif
  return RealtimeNanos();
}

bool SystemSdkClock::UsesTsc() noexcept { return kUseTsc; }

SystemSdkClock& SystemSdkClock::Instance() noexcept {
  static SystemSdkClock clock;
  return clock;
}

}  // namespace blogtrace::telemetry::sdk
