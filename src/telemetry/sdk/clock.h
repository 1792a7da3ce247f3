// Clock seam for the SDK: span timestamps (wall clock) and scheduling (monotonic). Tests pass a
// ManualSdkClock; production uses SystemSdkClock. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace blogtrace::telemetry::sdk {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds since the Unix epoch (span and event timestamps).
  virtual std::int64_t NowUnixNanos() const noexcept = 0;
  // Monotonic time (schedule delays, deadlines).
  virtual std::chrono::steady_clock::time_point SteadyNow() const noexcept = 0;
};

// The real clocks. On x86-64 with an invariant TSC (constant_tsc + nonstop_tsc), wall-clock
// readings interpolate the TSC between per-thread anchors taken from CLOCK_REALTIME every ~2^24
// ticks (a few ms): ~3x cheaper than clock_gettime under kvm-clock, within well under a
// microsecond of it (measured: about 1 us worst case under heavy load; steps back at
// re-anchoring stay below that). Elsewhere, clock_gettime(CLOCK_REALTIME).
class SystemSdkClock final : public Clock {
 public:
  std::int64_t NowUnixNanos() const noexcept override;
  std::chrono::steady_clock::time_point SteadyNow() const noexcept override {
    return std::chrono::steady_clock::now();
  }
  // A process-wide instance.
  static SystemSdkClock& Instance() noexcept;
  // True when the TSC interpolation is in use.
  static bool UsesTsc() noexcept;
};

// clock_gettime(CLOCK_REALTIME) in nanoseconds.
std::int64_t RealtimeNanos() noexcept;

// A clock tests set by hand; both readings advance together. Thread-safe.
class ManualSdkClock final : public Clock {
 public:
  explicit ManualSdkClock(std::int64_t unix_nanos = 1'700'000'000'000'000'000) noexcept
      : nanos_(unix_nanos) {}
  std::int64_t NowUnixNanos() const noexcept override { return nanos_.load(); }
  std::chrono::steady_clock::time_point SteadyNow() const noexcept override {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(nanos_.load()));
  }
  void Advance(std::chrono::nanoseconds d) noexcept { nanos_ += d.count(); }

 private:
  std::atomic<std::int64_t> nanos_;
};

// Nanoseconds since the epoch of a system_clock time point.
inline std::int64_t ToUnixNanos(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace blogtrace::telemetry::sdk
