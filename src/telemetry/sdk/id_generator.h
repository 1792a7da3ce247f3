// Span and trace id generation. The default generator is a per-thread xoshiro256++ seeded from
// getrandom(2): no lock, no syscall after the first call on a thread. Trace ids are fully random,
// which is what lets new traces set the W3C Level 2 `random` flag.
#pragma once

#include <atomic>
#include <cstdint>

#include "telemetry/api/ids.h"

namespace blogtrace::telemetry::sdk {

// Thread-safe source of ids; never returns an all-zero (invalid) id.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual TraceId GenerateTraceId() noexcept = 0;
  virtual SpanId GenerateSpanId() noexcept = 0;
  // True when trace ids' right-most 7 bytes are uniformly random (sets the random flag).
  virtual bool TraceIdsAreRandom() const noexcept { return true; }
};

class RandomIdGenerator final : public IdGenerator {
 public:
  TraceId GenerateTraceId() noexcept override;
  SpanId GenerateSpanId() noexcept override;
  // A new trace id and span id with one thread-local lookup: the tracer's root-span path (through
  // a RandomIdGenerator*, a direct call, since the class is final). Same ids as the two calls.
  void GenerateRootIds(TraceId& trace_id, SpanId& span_id) noexcept;
  // A process-wide instance.
  static RandomIdGenerator& Instance() noexcept;
};

// Deterministic ids for tests (thread-safe): trace ids count up from `first_trace`, span ids from
// `first_span`.
class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::uint64_t first_trace = 1, std::uint64_t first_span = 1)
      : next_trace_(first_trace), next_span_(first_span) {}
  TraceId GenerateTraceId() noexcept override;
  SpanId GenerateSpanId() noexcept override;
  bool TraceIdsAreRandom() const noexcept override { return false; }

 private:
  std::atomic<std::uint64_t> next_trace_;
  std::atomic<std::uint64_t> next_span_;
};

}  // namespace blogtrace::telemetry::sdk
