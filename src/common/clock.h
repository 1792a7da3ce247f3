// Clock seam: code that needs the time takes a Clock so tests control it without sleeping.
#pragma once

#include <chrono>

namespace blogtrace {

// Thread-safe source of wall-clock time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const noexcept = 0;
};

// The real system clock.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const noexcept override {
    return std::chrono::system_clock::now();
  }
  // A process-wide instance, for wiring code.
  static const SystemClock& Instance() noexcept {
    static const SystemClock clock;
    return clock;
  }
};

// A clock tests set and advance by hand. Not thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point now) : now_(now) {}
  std::chrono::system_clock::time_point Now() const noexcept override { return now_; }
  void Set(std::chrono::system_clock::time_point now) noexcept { now_ = now; }
  void Advance(std::chrono::system_clock::duration d) noexcept { now_ += d; }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace blogtrace
