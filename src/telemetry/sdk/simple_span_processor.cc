#include "telemetry/sdk/simple_span_processor.h"

#include "telemetry/sdk/span_record.h"

namespace blogtrace::telemetry::sdk {

SimpleSpanProcessor::SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                         std::chrono::milliseconds export_timeout)
    : exporter_(std::move(exporter)), export_timeout_(export_timeout) {}

void SimpleSpanProcessor::OnEnd(SpanRecord* record) noexcept {
  if (!shut_down_.load(std::memory_order_acquire)) {
    const SpanData* data = record;
    std::lock_guard lock(mu_);
    exporter_->Export(std::span<const SpanData* const>(&data, 1),
                      std::chrono::steady_clock::now() + export_timeout_);
  }
  SpanRecord::Release(record);
}

bool SimpleSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  std::lock_guard lock(mu_);
  return exporter_->ForceFlush(timeout);
}

bool SimpleSpanProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (shut_down_.exchange(true)) return true;
  std::lock_guard lock(mu_);
  return exporter_->Shutdown(timeout);
}

}  // namespace blogtrace::telemetry::sdk
