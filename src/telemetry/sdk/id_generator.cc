#include "telemetry/sdk/id_generator.h"

#include <sys/random.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace blogtrace::telemetry::sdk {
namespace {

// xoshiro256++ (Blackman & Vigna): fast, 256-bit state, good enough for ids (not for secrets).
class Xoshiro256 {
 public:
  Xoshiro256() noexcept {
    std::uint64_t seed[4] = {};
    std::size_t got = 0;
    while (got < sizeof seed) {
      ssize_t n = getrandom(reinterpret_cast<char*>(seed) + got, sizeof seed - got, 0);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (got < sizeof seed) {  // no getrandom: mix time and thread identity instead
      seed[0] ^= static_cast<std::uint64_t>(
          std::chrono::high_resolution_clock::now().time_since_epoch().count());
      seed[1] ^= std::hash<std::thread::id>()(std::this_thread::get_id());
      seed[2] ^= reinterpret_cast<std::uintptr_t>(this);
      seed[3] ^= 0x9e3779b97f4a7c15ULL;
    }
    std::memcpy(s_, seed, sizeof s_);
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }
  std::uint64_t Next() noexcept {
    const std::uint64_t result = Rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

Xoshiro256& ThreadRng() noexcept {
  thread_local Xoshiro256 rng;
  return rng;
}

void Store64(std::uint8_t* out, std::uint64_t v) noexcept {
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<std::uint8_t>(v);
}

}  // namespace

TraceId RandomIdGenerator::GenerateTraceId() noexcept {
  std::array<std::uint8_t, 16> bytes;
  auto& rng = ThreadRng();
  std::uint64_t hi, lo;
  do {
    hi = rng.Next();
    lo = rng.Next();
  } while ((hi | lo) == 0);
  Store64(bytes.data(), hi);
  Store64(bytes.data() + 8, lo);
  return TraceId(bytes);
}

SpanId RandomIdGenerator::GenerateSpanId() noexcept {
  std::array<std::uint8_t, 8> bytes;
  std::uint64_t v;
  do {
    v = ThreadRng().Next();
  } while (v == 0);
  Store64(bytes.data(), v);
  return SpanId(bytes);
}

RandomIdGenerator& RandomIdGenerator::Instance() noexcept {
  static RandomIdGenerator generator;
  return generator;
}

TraceId SequentialIdGenerator::GenerateTraceId() noexcept {
  std::array<std::uint8_t, 16> bytes{};
  Store64(bytes.data() + 8, next_trace_++);
  return TraceId(bytes);
}

SpanId SequentialIdGenerator::GenerateSpanId() noexcept {
  std::array<std::uint8_t, 8> bytes{};
  Store64(bytes.data(), next_span_++);
  return SpanId(bytes);
}

}  // namespace blogtrace::telemetry::sdk
