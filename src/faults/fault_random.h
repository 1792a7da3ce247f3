// FaultRandom: the randomness seam of fault injection (whether a rule fires, where in a delay
// range it lands). Seeded, so tests replay the same draws and need no luck.
//
// Thread safety: Uniform() may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

namespace blogtrace::faults {

class FaultRandom {
 public:
  // A source seeded from std::random_device.
  FaultRandom();
  // A source that replays the same sequence for the same seed.
  explicit FaultRandom(std::uint64_t seed);

  // A draw from [0, 1).
  double Uniform() noexcept;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

}  // namespace blogtrace::faults
