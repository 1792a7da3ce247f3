// SimpleSpanProcessor: exports each span synchronously as it ends (tests, debugging). Ending a
// span waits for the export; use BatchSpanProcessor in services. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "telemetry/sdk/span_processor.h"

namespace blogtrace::telemetry::sdk {

class SimpleSpanProcessor final : public SpanProcessor {
 public:
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                               std::chrono::milliseconds export_timeout = std::chrono::seconds(30));
  void OnEnd(SpanRecord* record) noexcept override;
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  std::unique_ptr<SpanExporter> exporter_;
  std::chrono::milliseconds export_timeout_;
  std::mutex mu_;  // serialises Export calls
  std::atomic<bool> shut_down_{false};
};

}  // namespace blogtrace::telemetry::sdk
