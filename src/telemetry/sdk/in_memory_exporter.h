// InMemorySpanExporter: keeps copies of exported spans in a shared store (tests read it while the
// processor owns the exporter). Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "telemetry/sdk/span_processor.h"

namespace blogtrace::telemetry::sdk {

class InMemorySpanStore {
 public:
  void Add(const SpanData& span);
  // A snapshot of every span exported so far, in export order.
  std::vector<SpanData> Spans() const;
  std::size_t size() const;
  void Clear();

 private:
  mutable std::mutex mu_;
  std::vector<SpanData> spans_;
};

class InMemorySpanExporter final : public SpanExporter {
 public:
  explicit InMemorySpanExporter(std::shared_ptr<InMemorySpanStore> store)
      : store_(std::move(store)) {}
  ExportResult Export(std::span<const SpanData* const> spans,
                      std::chrono::steady_clock::time_point deadline) noexcept override;

 private:
  std::shared_ptr<InMemorySpanStore> store_;
};

}  // namespace blogtrace::telemetry::sdk
