// ConsoleSpanExporter: writes each span as a few readable lines (OTEL_TRACES_EXPORTER=console).
// For people, not machines: the format may change.
#pragma once

#include <cstdio>

#include "telemetry/sdk/span_processor.h"

namespace blogtrace::telemetry::sdk {

class ConsoleSpanExporter final : public SpanExporter {
 public:
  // Writes to `out` (not owned; stdout by default).
  explicit ConsoleSpanExporter(std::FILE* out = stdout) : out_(out) {}
  ExportResult Export(std::span<const SpanData* const> spans,
                      std::chrono::steady_clock::time_point deadline) noexcept override;

 private:
  std::FILE* out_;
};

// The span as text (what the console exporter prints).
std::string FormatSpan(const SpanData& span);

}  // namespace blogtrace::telemetry::sdk
