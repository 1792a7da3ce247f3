// BatchSpanProcessor (OTel SDK spec "Batching processor"): ended spans go into a bounded
// lock-free queue; a background thread exports them in batches of max_export_batch_size every
// schedule_delay, or as soon as a full batch is waiting. Ending a span never blocks on I/O and
// never takes a lock the exporter holds; a full queue drops the span and counts it.
// Thread-safe. ForceFlush and Shutdown honour their timeouts; Shutdown is idempotent.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "telemetry/sdk/clock.h"
#include "telemetry/sdk/env.h"
#include "telemetry/sdk/mpmc_queue.h"
#include "telemetry/sdk/span_processor.h"

namespace blogtrace::telemetry::sdk {

struct BatchSpanProcessorOptions {
  std::chrono::milliseconds schedule_delay{5000};
  // Rounded up to a power of two for the ring; at most this many spans wait at once.
  std::size_t max_queue_size = 2048;
  // Clamped to max_queue_size.
  std::size_t max_export_batch_size = 512;
  std::chrono::milliseconds export_timeout{30000};
  // Test seam: without the thread, the owner calls RunOnce() to do the thread's work, with time
  // read from `clock`; no sleeping anywhere.
  bool background_thread = true;
  const Clock* clock = &SystemSdkClock::Instance();

  // OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
  // OTEL_BSP_EXPORT_TIMEOUT.
  static BatchSpanProcessorOptions FromEnv(const GetEnvFunction& getenv);
};

class BatchSpanProcessor final : public SpanProcessor {
 public:
  BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options);
  ~BatchSpanProcessor() override;

  void OnEnd(SpanRecord* record) noexcept override;
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

  // Manual mode only: one step of the export thread. Exports batches while a full batch waits;
  // then, when `schedule_delay` has passed on the clock since the last export, the rest (one
  // partial batch). Returns the number of spans handed to the exporter.
  std::size_t RunOnce();

  // Spans dropped because the queue was full.
  std::uint64_t dropped_spans() const noexcept { return dropped_.load(); }
  // Spans handed to the exporter, and how many of those it reported failed.
  std::uint64_t exported_spans() const noexcept { return exported_.load(); }
  std::uint64_t failed_spans() const noexcept { return failed_.load(); }
  std::size_t queue_size() const noexcept { return queue_.SizeApprox(); }

 private:
  void WorkerLoop();
  // Exports full batches; with `drain`, everything queued. Returns spans exported.
  std::size_t ExportBatches(bool drain, bool partial_ok);

  std::unique_ptr<SpanExporter> exporter_;
  const BatchSpanProcessorOptions options_;
  BoundedMpmcQueue<SpanRecord*> queue_;

  std::atomic<bool> shut_down_{false};
  std::atomic<bool> wakeup_pending_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> failed_{0};

  std::mutex export_mu_;  // held by whoever exports (worker or manual caller); never by OnEnd
  std::vector<SpanRecord*> batch_;
  std::vector<const SpanData*> view_;
  std::chrono::steady_clock::time_point last_export_;

  std::mutex mu_;  // guards the fields below; OnEnd takes it only to wake the worker
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  bool stop_ = false;
  bool worker_done_ = false;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  std::thread worker_;
};

}  // namespace blogtrace::telemetry::sdk
