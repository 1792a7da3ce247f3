// SpanStore: the collector's span store: blocks of spans appended to files in
// DATA_DIR/traces.db-blocks/, indexed by SQLite (DATA_DIR/traces.db); span_block.h has the
// layout.
//
// Writes: Enqueue() hands a validated batch to a queue bounded in spans and in bytes and returns
// at once; one writer thread drains the queue, cuts everything queued into blocks and commits
// them in one transaction (WAL, synchronous=NORMAL: a power cut may lose the last batches, which
// is acceptable for trace data; an application crash loses nothing committed). A full queue
// makes Enqueue fail so the receiver answers 503 (back-pressure instead of unbounded memory).
// Reads: any thread; a small pool of read-only connections, which WAL lets run beside the writer.
// Retention: by age and by size, enforced by the writer thread periodically and on demand; small
// blocks are merged then.
// Thread safety: every public method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collector/span_batch.h"
#include "common/clock.h"
#include "common/result.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"

namespace blogtrace::collector {

// Store settings; the defaults are the documented ones (README: COLLECTOR_* variables).
struct StoreOptions {
  std::string path;                                             // the database file
  std::chrono::seconds retention = std::chrono::hours(24 * 7);  // COLLECTOR_RETENTION
  std::int64_t max_bytes = std::int64_t{1} << 30;               // COLLECTOR_MAX_BYTES
  std::size_t max_queued_spans = 1 << 17;                       // COLLECTOR_QUEUE_SPANS
  std::size_t max_queued_bytes = std::size_t{256} << 20;        // memory the queue may hold
  std::chrono::milliseconds retention_interval = std::chrono::seconds(60);
  int read_connections = 4;
  const Clock* clock = &SystemClock::Instance();  // not owned; outlives the store
};

// Where spans came from, as read back (immutable, shared between spans).
struct StoredOrigin {
  std::int64_t id = 0;
  std::string service;
  std::string resource_bytes;  // serialized Resource, for exact comparison
  opentelemetry::proto::resource::v1::Resource resource;
  opentelemetry::proto::common::v1::InstrumentationScope scope;
};

// One span read back with its origin.
struct StoredSpan {
  std::shared_ptr<const StoredOrigin> origin;
  opentelemetry::proto::trace::v1::Span span;
};

// Search criteria (Jaeger semantics): a trace matches when one of its spans matches all given
// criteria and starts within [start_ns, end_ns]. Tags match span attributes, resource
// attributes, scope, event fields and the derived tags (span.kind, error, otel.status_code).
struct TraceQuery {
  std::optional<std::string> service;
  std::optional<std::string> operation;
  std::vector<std::pair<std::string, std::string>> tags;
  std::optional<std::uint64_t> min_duration_ns;
  std::optional<std::uint64_t> max_duration_ns;
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = UINT64_MAX >> 1;
  std::size_t limit = 20;
};

// An operation name with one span kind it was seen with (OTLP kind number).
struct OperationInfo {
  std::string name;
  int kind = 0;
  friend bool operator==(const OperationInfo&, const OperationInfo&) = default;
};

// Calls from a parent service's span to a child span of another service.
struct DependencyLink {
  std::string parent;
  std::string child;
  std::int64_t call_count = 0;
  friend bool operator==(const DependencyLink&, const DependencyLink&) = default;
};

class SpanStore {
 public:
  // Opens or creates the database and starts the writer thread.
  static Result<std::unique_ptr<SpanStore>> Open(StoreOptions options);
  // Writes everything queued, then stops the writer.
  ~SpanStore();
  SpanStore(const SpanStore&) = delete;
  SpanStore& operator=(const SpanStore&) = delete;

  // Queues a batch for writing (taking it). Returns its sequence number (see WaitFor), or
  // nullopt when the queue holds too many spans or bytes already (the caller should answer 503 and
  // retry later); the batch is then left untouched.
  std::optional<std::uint64_t> Enqueue(SpanBatch&& batch);
  // True when the queue is at its limit, so that Enqueue of any batch would fail now (a receiver
  // can refuse before decoding a body).
  bool QueueFull() const;
  // Blocks until the batch with `sequence` (and all before it) is committed or `timeout` passes.
  bool WaitFor(std::uint64_t sequence, std::chrono::milliseconds timeout);
  // Blocks until everything queued so far is committed.
  void Flush();
  // Runs retention now on the writer thread and waits for it.
  void EnforceRetention();

  // Service names, sorted.
  Result<std::vector<std::string>> Services();
  // Operations of a service with their kinds, sorted; `kind` (OTLP number) filters when set.
  Result<std::vector<OperationInfo>> Operations(std::string_view service,
                                                std::optional<int> kind = std::nullopt);
  // Trace ids (16 raw bytes) matching the query, most recent first, at most query.limit.
  Result<std::vector<std::string>> FindTraceIds(const TraceQuery& query);
  // Every span of a trace (16 raw bytes), sorted by start time; empty when unknown.
  Result<std::vector<StoredSpan>> GetTrace(std::string_view trace_id);
  // Service-to-service calls among traces started within [start_ns, end_ns].
  Result<std::vector<DependencyLink>> Dependencies(std::uint64_t start_ns, std::uint64_t end_ns);

  // Bytes the database uses (pages in use × page size; free pages excluded).
  std::int64_t UsedBytes();
  // Spans written so far and batches dropped because a write failed.
  std::uint64_t WrittenSpans() const;
  std::uint64_t FailedBatches() const;

 private:
  struct Impl;
  explicit SpanStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace blogtrace::collector
