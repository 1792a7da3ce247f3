#include "faults/fault_random.h"

namespace blogtrace::faults {

FaultRandom::FaultRandom() : engine_(std::random_device{}()) {}

FaultRandom::FaultRandom(std::uint64_t seed) : engine_(seed) {}

double FaultRandom::Uniform() noexcept {
  std::lock_guard lock(mu_);
  // 53 random bits → [0, 1) exactly representable (generate_canonical may return 1.0 on some
  // standard libraries).
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

}  // namespace blogtrace::faults
