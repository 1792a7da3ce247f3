// BatchSpanProcessor behaviour: batching by size and by schedule delay (driven by a manual clock,
// no sleeps), full queue → drop + counter, flush, idempotent shutdown, export timeout.
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>

#include "telemetry/sdk/batch_span_processor.h"
#include "telemetry/sdk/in_memory_exporter.h"
#include "telemetry/sdk/tracer_provider.h"

namespace blogtrace::telemetry::sdk {
namespace {

// Records batch sizes; can be told to block until released (to test timeouts).
class RecordingExporter final : public SpanExporter {
 public:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::size_t> batches;
    std::vector<std::string> names;
    bool block = false;
    bool fail = false;
    int shutdowns = 0;
    std::chrono::steady_clock::time_point last_deadline;
  };
  explicit RecordingExporter(std::shared_ptr<State> s) : s_(std::move(s)) {}
  ExportResult Export(std::span<const SpanData* const> spans,
                      std::chrono::steady_clock::time_point deadline) noexcept override {
    std::unique_lock lock(s_->mu);
    s_->batches.push_back(spans.size());
    for (auto* sp : spans) s_->names.push_back(sp->name);
    s_->last_deadline = deadline;
    s_->cv.notify_all();
    s_->cv.wait(lock, [&] { return !s_->block; });
    return s_->fail ? ExportResult::kFailure : ExportResult::kSuccess;
  }
  bool Shutdown(std::chrono::milliseconds) noexcept override {
    std::lock_guard lock(s_->mu);
    ++s_->shutdowns;
    return true;
  }

 private:
  std::shared_ptr<State> s_;
};

class BatchTest : public ::testing::Test {
 protected:
  BatchSpanProcessor* Make(BatchSpanProcessorOptions o) {
    o.clock = &clock_;
    auto p = std::make_unique<BatchSpanProcessor>(std::make_unique<RecordingExporter>(state_), o);
    processor_ = p.get();
    TracerProviderOptions po;
    po.processor = std::move(p);
    po.clock = &clock_;
    provider_ = std::make_unique<TracerProvider>(std::move(po));
    return processor_;
  }
  void EndSpans(int n) {
    for (int i = 0; i < n; ++i) provider_->GetTracer("t").StartSpan("s" + std::to_string(i)).End();
  }
  std::vector<std::size_t> Batches() {
    std::lock_guard lock(state_->mu);
    return state_->batches;
  }

  ManualSdkClock clock_;
  std::shared_ptr<RecordingExporter::State> state_ = std::make_shared<RecordingExporter::State>();
  BatchSpanProcessor* processor_ = nullptr;
  std::unique_ptr<TracerProvider> provider_;
};

BatchSpanProcessorOptions Manual(std::size_t queue, std::size_t batch) {
  BatchSpanProcessorOptions o;
  o.background_thread = false;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = std::chrono::milliseconds(5000);
  return o;
}

TEST_F(BatchTest, ExportsFullBatchesImmediatelyAndPartialOnlyAfterDelay) {
  auto* p = Make(Manual(64, 4));
  EndSpans(10);
  EXPECT_EQ(p->RunOnce(), 8u);
  EXPECT_EQ(Batches(), (std::vector<std::size_t>{4, 4}));
  EXPECT_EQ(p->RunOnce(), 0u) << "2 spans wait for the schedule delay";
  clock_.Advance(std::chrono::milliseconds(4999));
  EXPECT_EQ(p->RunOnce(), 0u);
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(p->RunOnce(), 2u);
  EXPECT_EQ(Batches(), (std::vector<std::size_t>{4, 4, 2}));
  EXPECT_EQ(p->exported_spans(), 10u);
}

TEST_F(BatchTest, FullQueueDropsAndCounts) {
  auto* p = Make(Manual(8, 4));
  EndSpans(11);
  EXPECT_EQ(p->dropped_spans(), 3u);
  EXPECT_EQ(p->queue_size(), 8u);
  EXPECT_TRUE(p->ForceFlush(std::chrono::seconds(1)));
  EXPECT_EQ(p->exported_spans(), 8u);
  std::lock_guard lock(state_->mu);
  EXPECT_EQ(state_->names.front(), "s0") << "the oldest spans are kept, the newest dropped";
}

TEST_F(BatchTest, NonPowerOfTwoQueueSizeIsExact) {
  auto* p = Make(Manual(5, 5));
  EndSpans(7);
  EXPECT_EQ(p->queue_size(), 5u);
  EXPECT_EQ(p->dropped_spans(), 2u);
}

TEST_F(BatchTest, ForceFlushExportsEverythingInBatches) {
  auto* p = Make(Manual(64, 4));
  EndSpans(6);
  EXPECT_TRUE(p->ForceFlush(std::chrono::seconds(1)));
  EXPECT_EQ(Batches(), (std::vector<std::size_t>{4, 2}));
}

TEST_F(BatchTest, ExportDeadlineIsNowPlusExportTimeout) {
  auto o = Manual(64, 1);
  o.export_timeout = std::chrono::milliseconds(1234);
  auto* p = Make(o);
  EndSpans(1);
  p->RunOnce();
  std::lock_guard lock(state_->mu);
  EXPECT_EQ(state_->last_deadline, clock_.SteadyNow() + std::chrono::milliseconds(1234));
}

TEST_F(BatchTest, FailedExportsAreCounted) {
  state_->fail = true;
  auto* p = Make(Manual(64, 2));
  EndSpans(2);
  p->RunOnce();
  EXPECT_EQ(p->failed_spans(), 2u);
}

TEST_F(BatchTest, ShutdownFlushesOnceAndDropsLaterSpans) {
  auto* p = Make(Manual(64, 10));
  EndSpans(3);
  EXPECT_TRUE(p->Shutdown(std::chrono::seconds(1)));
  EXPECT_TRUE(p->Shutdown(std::chrono::seconds(1)));
  EXPECT_EQ(p->exported_spans(), 3u);
  std::lock_guard lock(state_->mu);
  EXPECT_EQ(state_->shutdowns, 1);
}

BatchSpanProcessorOptions Threaded(std::size_t queue, std::size_t batch) {
  BatchSpanProcessorOptions o;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = std::chrono::hours(1);  // only size, flush and shutdown trigger exports
  return o;
}

TEST_F(BatchTest, ThreadExportsWhenABatchIsFull) {
  Make(Threaded(64, 4));
  EndSpans(4);
  std::unique_lock lock(state_->mu);
  ASSERT_TRUE(
      state_->cv.wait_for(lock, std::chrono::seconds(5), [&] { return !state_->batches.empty(); }));
  EXPECT_EQ(state_->batches[0], 4u);
}

// Regression: a batch filled while the worker was exporting used to leave the wake-up flag set,
// so the next full batch never woke the worker (it slept until the schedule delay).
TEST_F(BatchTest, ThreadWakesForEveryFullBatchEvenAfterABusyExport) {
  Make(Threaded(64, 4));
  auto wait_batches = [&](std::size_t n) {
    std::unique_lock lock(state_->mu);
    return state_->cv.wait_for(lock, std::chrono::seconds(5),
                               [&] { return state_->batches.size() >= n; });
  };
  state_->block = true;
  EndSpans(4);
  ASSERT_TRUE(wait_batches(1));
  EndSpans(5);  // a full batch arrives while the exporter is busy
  {
    std::lock_guard lock(state_->mu);
    state_->block = false;
  }
  state_->cv.notify_all();
  ASSERT_TRUE(wait_batches(2));
  EndSpans(3);  // 1 left over + 3 = a full batch again
  EXPECT_TRUE(wait_batches(3)) << "the worker was not woken for the third batch";
}

TEST_F(BatchTest, ThreadForceFlushAndShutdownTwice) {
  auto* p = Make(Threaded(64, 50));
  EndSpans(7);
  EXPECT_TRUE(p->ForceFlush(std::chrono::seconds(5)));
  EXPECT_EQ(p->exported_spans(), 7u);
  EndSpans(2);
  EXPECT_TRUE(provider_->Shutdown(std::chrono::seconds(5)));
  EXPECT_TRUE(p->Shutdown(std::chrono::seconds(5)));
  EXPECT_EQ(p->exported_spans(), 9u);
  EXPECT_TRUE(p->ForceFlush(std::chrono::seconds(1)));
  std::lock_guard lock(state_->mu);
  EXPECT_EQ(state_->shutdowns, 1);
}

TEST_F(BatchTest, ForceFlushAndShutdownHonourTimeoutWhenExporterHangs) {
  auto* p = Make(Threaded(64, 50));
  state_->block = true;
  EndSpans(1);
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(p->ForceFlush(std::chrono::milliseconds(50)));
  EXPECT_FALSE(p->Shutdown(std::chrono::milliseconds(50)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  {
    std::lock_guard lock(state_->mu);
    state_->block = false;
  }
  state_->cv.notify_all();
}

TEST_F(BatchTest, EndingSpansNeverWaitsForABlockedExporter) {
  auto* p = Make(Threaded(16, 1));
  state_->block = true;
  auto start = std::chrono::steady_clock::now();
  EndSpans(100);  // exporter is stuck on the first batch; the rest queue, then drop
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_GE(p->dropped_spans(), 100u - 16u - 1u);
  {
    std::lock_guard lock(state_->mu);
    state_->block = false;
  }
  state_->cv.notify_all();
}

TEST(BatchOptions, FromEnv) {
  std::map<std::string, std::string> vars{{"OTEL_BSP_SCHEDULE_DELAY", "100"},
                                          {"OTEL_BSP_MAX_QUEUE_SIZE", "10"},
                                          {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "5"},
                                          {"OTEL_BSP_EXPORT_TIMEOUT", "bad"}};
  auto o =
      BatchSpanProcessorOptions::FromEnv([&](std::string_view n) -> std::optional<std::string> {
        auto it = vars.find(std::string(n));
        if (it == vars.end()) return std::nullopt;
        return it->second;
      });
  EXPECT_EQ(o.schedule_delay, std::chrono::milliseconds(100));
  EXPECT_EQ(o.max_queue_size, 10u);
  EXPECT_EQ(o.max_export_batch_size, 5u);
  EXPECT_EQ(o.export_timeout, std::chrono::milliseconds(30000));
  auto d = BatchSpanProcessorOptions::FromEnv([](std::string_view) { return std::nullopt; });
  EXPECT_EQ(d.schedule_delay, std::chrono::milliseconds(5000));
  EXPECT_EQ(d.max_queue_size, 2048u);
  EXPECT_EQ(d.max_export_batch_size, 512u);
}

}  // namespace
}  // namespace blogtrace::telemetry::sdk
