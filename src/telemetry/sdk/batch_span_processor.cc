#include "telemetry/sdk/batch_span_processor.h"

#include <algorithm>

#include "telemetry/sdk/span_record.h"

namespace blogtrace::telemetry::sdk {

BatchSpanProcessorOptions BatchSpanProcessorOptions::FromEnv(const GetEnvFunction& getenv) {
  BatchSpanProcessorOptions o;
  o.schedule_delay = env::GetMillis(getenv, "OTEL_BSP_SCHEDULE_DELAY", o.schedule_delay);
  o.max_queue_size = static_cast<std::size_t>(std::max<std::int64_t>(
      1,
      env::GetInt(getenv, "OTEL_BSP_MAX_QUEUE_SIZE", static_cast<std::int64_t>(o.max_queue_size))));
  o.max_export_batch_size = static_cast<std::size_t>(
      std::max<std::int64_t>(1, env::GetInt(getenv, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
                                            static_cast<std::int64_t>(o.max_export_batch_size))));
  o.export_timeout = env::GetMillis(getenv, "OTEL_BSP_EXPORT_TIMEOUT", o.export_timeout);
  return o;
}

namespace {
BatchSpanProcessorOptions Normalise(BatchSpanProcessorOptions o) {
  if (o.max_queue_size == 0) o.max_queue_size = 1;
  o.max_export_batch_size = std::clamp<std::size_t>(o.max_export_batch_size, 1, o.max_queue_size);
  if (o.clock == nullptr) o.clock = &SystemSdkClock::Instance();
  return o;
}
}  // namespace

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                       BatchSpanProcessorOptions options)
    : exporter_(std::move(exporter)),
      options_(Normalise(options)),
      queue_(options_.max_queue_size) {
  batch_.reserve(options_.max_export_batch_size);
  view_.reserve(options_.max_export_batch_size);
  last_export_ = options_.clock->SteadyNow();
  if (options_.background_thread) worker_ = std::thread([this] { WorkerLoop(); });
}

BatchSpanProcessor::~BatchSpanProcessor() {
  Shutdown(options_.export_timeout);
  if (worker_.joinable()) worker_.join();
  // Whatever is left (spans ended after shutdown raced with it) goes back to the pool.
  SpanRecord* r;
  while (queue_.TryPop(r)) SpanRecord::Release(r);
}

void BatchSpanProcessor::OnEnd(SpanRecord* record) noexcept {
  const bool shut_down = shut_down_.load(std::memory_order_relaxed);
  const std::size_t size = queue_.SizeApprox();
  if (shut_down || size >= options_.max_queue_size || !queue_.TryPush(record)) {
    if (!shut_down) dropped_.fetch_add(1, std::memory_order_relaxed);
    SpanRecord::Release(record);
    return;
  }
  // Wake the worker once per full batch, not per span.
  if (options_.background_thread && size + 1 >= options_.max_export_batch_size) {
    // Pairs with the fence in WorkerLoop: either the worker sees this span in the queue when it
    // checks before sleeping, or this thread sees wakeup_pending_ cleared and wakes it.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!wakeup_pending_.load(std::memory_order_relaxed) &&
        !wakeup_pending_.exchange(true, std::memory_order_acq_rel)) {
      std::lock_guard lock(mu_);
      wake_cv_.notify_one();
    }
  }
}

std::size_t BatchSpanProcessor::ExportBatches(bool drain, bool partial_ok) {
  std::lock_guard lock(export_mu_);
  std::size_t total = 0;
  while (drain || partial_ok || queue_.SizeApprox() >= options_.max_export_batch_size) {
    batch_.clear();
    view_.clear();
    SpanRecord* r;
    while (batch_.size() < options_.max_export_batch_size && queue_.TryPop(r)) {
      batch_.push_back(r);
      view_.push_back(r);
    }
    if (batch_.empty()) break;
    ExportResult result =
        exporter_->Export(view_, options_.clock->SteadyNow() + options_.export_timeout);
    exported_.fetch_add(batch_.size(), std::memory_order_relaxed);
    if (result != ExportResult::kSuccess)
      failed_.fetch_add(batch_.size(), std::memory_order_relaxed);
    total += batch_.size();
    for (SpanRecord* done : batch_) SpanRecord::Release(done);
    partial_ok = false;  // one partial batch per timer tick
    last_export_ = options_.clock->SteadyNow();
  }
  return total;
}

std::size_t BatchSpanProcessor::RunOnce() {
  bool timer_due = options_.clock->SteadyNow() - last_export_ >= options_.schedule_delay;
  std::size_t n = ExportBatches(/*drain=*/false, /*partial_ok=*/timer_due);
  if (timer_due) last_export_ = options_.clock->SteadyNow();
  return n;
}

void BatchSpanProcessor::WorkerLoop() {
  using std::chrono::steady_clock;
  auto next_tick = steady_clock::now() + options_.schedule_delay;
  std::unique_lock lock(mu_);
  for (;;) {
    // Cleared before the queue is checked (not after waking): a producer that filled a batch
    // while the last export ran must be able to wake us again.
    wakeup_pending_.store(false, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    wake_cv_.wait_until(lock, next_tick, [&] {
      return stop_ || flush_requested_ != flush_done_ ||
             queue_.SizeApprox() >= options_.max_export_batch_size;
    });
    const bool stopping = stop_;
    const std::uint64_t flush_target = flush_requested_;
    const bool drain = stopping || flush_target != flush_done_;
    const bool tick = steady_clock::now() >= next_tick;
    lock.unlock();
    ExportBatches(drain, tick);
    if (tick || drain) next_tick = steady_clock::now() + options_.schedule_delay;
    lock.lock();
    flush_done_ = flush_target;
    if (stopping) {
      worker_done_ = true;
      done_cv_.notify_all();
      return;
    }
    done_cv_.notify_all();
  }
}

bool BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  if (!options_.background_thread) {
    ExportBatches(/*drain=*/true, /*partial_ok=*/true);
    return exporter_->ForceFlush(timeout);
  }
  std::unique_lock lock(mu_);
  if (worker_done_) return true;
  const std::uint64_t target = ++flush_requested_;
  wake_cv_.notify_one();
  return done_cv_.wait_for(lock, timeout, [&] { return flush_done_ >= target || worker_done_; });
}

bool BatchSpanProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (shut_down_.exchange(true)) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!options_.background_thread) {
    ExportBatches(/*drain=*/true, /*partial_ok=*/true);
    return exporter_->Shutdown(timeout);
  }
  bool done;
  {
    std::unique_lock lock(mu_);
    stop_ = true;
    wake_cv_.notify_one();
    done = done_cv_.wait_until(lock, deadline, [&] { return worker_done_; });
  }
  if (!done) return false;  // the destructor joins once the exporter gives up at its deadline
  worker_.join();
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return exporter_->Shutdown(std::max(left, std::chrono::milliseconds(0)));
}

}  // namespace blogtrace::telemetry::sdk
