#include "telemetry/sdk/id_generator.h"

#include <sys/random.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
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

// Big-endian store as one 8-byte write: a byte-by-byte loop left eight 1-byte stores that the
// caller's 16-byte copy of the id then waited on (store-forwarding stall, ~4 ns per root span).
void Store64(std::uint8_t* out, std::uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  std::memcpy(out, &v, sizeof v);
}

std::uint64_t NonZero(Xoshiro256& rng) noexcept {
  std::uint64_t v;
  do {
    v = rng.Next();
  } while (v == 0);
  return v;
}

TraceId MakeTraceId(Xoshiro256& rng) noexcept {
  std::uint64_t hi, lo;
  do {
    hi = rng.Next();
    lo = rng.Next();
  } while ((hi | lo) == 0);
  std::array<std::uint8_t, 16> bytes;
  Store64(bytes.data(), hi);
  Store64(bytes.data() + 8, lo);
  return TraceId(bytes);
}

SpanId MakeSpanId(Xoshiro256& rng) noexcept {
  std::array<std::uint8_t, 8> bytes;
  Store64(bytes.data(), NonZero(rng));
  return SpanId(bytes);
}

}  // namespace

TraceId RandomIdGenerator::GenerateTraceId() noexcept { return MakeTraceId(ThreadRng()); }

SpanId RandomIdGenerator::GenerateSpanId() noexcept { return MakeSpanId(ThreadRng()); }

void RandomIdGenerator::GenerateRootIds(TraceId& trace_id, SpanId& span_id) noexcept {
  Xoshiro256& rng = ThreadRng();
  std::uint64_t hi, lo;
  do {
    hi = rng.Next();
    lo = rng.Next();
  } while ((hi | lo) == 0);
  const std::uint64_t span = NonZero(rng);
  // Written after all draws (the outputs could alias the generator state as far as the compiler
  // knows), and the trace id as one 16-byte store: the caller copies it with a 16-byte load,
  // which two 8-byte stores could not forward to.
  std::array<std::uint8_t, 16> bytes;
#if defined(__SSE2__)
  static_assert(std::endian::native == std::endian::little);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(bytes.data()),
                   _mm_set_epi64x(static_cast<long long>(__builtin_bswap64(lo)),
                                  static_cast<long long>(__builtin_bswap64(hi))));
#else
  Store64(bytes.data(), hi);
  Store64(bytes.data() + 8, lo);
#endif
  trace_id = TraceId(bytes);
  std::array<std::uint8_t, 8> span_bytes;
  Store64(span_bytes.data(), span);
  span_id = SpanId(span_bytes);
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
