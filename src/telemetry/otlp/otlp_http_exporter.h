// OtlpHttpExporter: sends spans as OTLP/HTTP protobuf (POST /v1/traces), optionally gzipped.
// Retries only 429/502/503/504 (exponential backoff with jitter, or the server's Retry-After),
// always within the export deadline and the configured timeout. Failures are counted and the
// first one is logged to stderr; nothing throws. https:// endpoints are refused (logged).
// Export is called by one thread at a time (the processor's); Shutdown from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/otlp/http_client.h"
#include "telemetry/sdk/env.h"
#include "telemetry/sdk/span_processor.h"

namespace blogtrace::telemetry::otlp {

struct OtlpHttpExporterOptions {
  std::string endpoint = "http://127.0.0.1:4318/v1/traces";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{10000};
  bool gzip = false;
  // Retry schedule: first wait, growth factor, cap; each wait is jittered to 50-100%.
  std::chrono::milliseconds initial_backoff{1000};
  double backoff_multiplier = 1.5;
  std::chrono::milliseconds max_backoff{5000};
  int max_attempts = 5;

  // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is), else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces",
  // else `default_endpoint`; OTEL_EXPORTER_OTLP[_TRACES]_HEADERS (percent-decoded, the traces
  // variant wins per key), _TIMEOUT, _COMPRESSION (gzip|none), _PROTOCOL (http/protobuf only).
  static OtlpHttpExporterOptions FromEnv(
      const sdk::GetEnvFunction& getenv,
      std::string_view default_endpoint = "http://127.0.0.1:4318/v1/traces");
};

class OtlpHttpExporter final : public sdk::SpanExporter {
 public:
  explicit OtlpHttpExporter(OtlpHttpExporterOptions options);
  ~OtlpHttpExporter() override;

  sdk::ExportResult Export(std::span<const sdk::SpanData* const> spans,
                           std::chrono::steady_clock::time_point deadline) noexcept override;
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

  // HTTP requests sent (attempts, retries included), spans accepted, spans failed (a failed
  // batch, or spans the server rejected in partial_success).
  std::uint64_t requests() const noexcept { return requests_.load(); }
  std::uint64_t exported_spans() const noexcept { return exported_.load(); }
  std::uint64_t failed_spans() const noexcept { return failed_.load(); }
  const OtlpHttpExporterOptions& options() const noexcept { return options_; }

 private:
  // Logs only the first failure (per exporter), so an absent collector does not flood stderr.
  void LogFailureOnce(const std::string& message) noexcept;
  // Waits `d` unless Shutdown() is called; false when shut down.
  bool Backoff(std::chrono::steady_clock::duration d);

  OtlpHttpExporterOptions options_;
  std::optional<HttpUrl> url_;
  std::vector<std::pair<std::string, std::string>> request_headers_;
  HttpClient client_;
  std::string body_;
  std::string compressed_;

  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<bool> logged_failure_{false};
  std::atomic<bool> logged_partial_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  bool shut_down_ = false;
};

// gzip-compresses `in` into `out` (zlib, RFC 1952); false on failure.
bool GzipCompress(std::string_view in, std::string& out);

}  // namespace blogtrace::telemetry::otlp
