#include "telemetry/sdk/in_memory_exporter.h"

namespace blogtrace::telemetry::sdk {

void InMemorySpanStore::Add(const SpanData& span) {
  std::lock_guard lock(mu_);
  spans_.push_back(span);
}

std::vector<SpanData> InMemorySpanStore::Spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

std::size_t InMemorySpanStore::size() const {
  std::lock_guard lock(mu_);
  return spans_.size();
}

void InMemorySpanStore::Clear() {
  std::lock_guard lock(mu_);
  spans_.clear();
}

ExportResult InMemorySpanExporter::Export(std::span<const SpanData* const> spans,
                                          std::chrono::steady_clock::time_point) noexcept {
  try {
    for (const SpanData* s : spans) store_->Add(*s);
    return ExportResult::kSuccess;
  } catch (...) {
    return ExportResult::kFailure;
  }
}

}  // namespace blogtrace::telemetry::sdk
