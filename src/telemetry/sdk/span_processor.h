// SpanProcessor: receives ended spans. SpanExporter: sends batches somewhere.
#pragma once

#include <chrono>
#include <span>

#include "telemetry/sdk/span_data.h"

namespace blogtrace::telemetry::sdk {

class SpanRecord;

enum class ExportResult { kSuccess, kFailure };

// Called from one thread at a time (the processor serialises calls); must honour `deadline`
// (give up and return kFailure once it passes) and never throw.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual ExportResult Export(std::span<const SpanData* const> spans,
                              std::chrono::steady_clock::time_point deadline) noexcept = 0;
  virtual bool ForceFlush(std::chrono::milliseconds) noexcept { return true; }
  virtual bool Shutdown(std::chrono::milliseconds) noexcept { return true; }
};

// Thread-safe: OnEnd is called concurrently from every thread that ends spans.
class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // Takes the ended record; must eventually hand it back with SpanRecord::Release().
  virtual void OnEnd(SpanRecord* record) noexcept = 0;
  // Exports everything ended before the call; false when `timeout` passed first.
  virtual bool ForceFlush(std::chrono::milliseconds timeout) noexcept = 0;
  // Flushes, shuts the exporter down; later spans are dropped. Idempotent.
  virtual bool Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace blogtrace::telemetry::sdk
