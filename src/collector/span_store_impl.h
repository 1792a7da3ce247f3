// Private to span_store*.cc: the store's state shared by the writer and the readers.
#pragma once

#include <atomic>
#include <map>
#include <unordered_map>

#include "collector/span_store.h"
#include "collector/sqlite_db.h"

namespace blogtrace::collector {

// The schema. Ids are raw bytes; services and operations are interned as integers so the
// indexes stay small. `tags` holds the searchable text of span_batch.h.
inline constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS services(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS operations(id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL,
  name TEXT NOT NULL, UNIQUE(service_id, name));
CREATE TABLE IF NOT EXISTS operation_kinds(operation_id INTEGER NOT NULL, kind INTEGER NOT NULL,
  PRIMARY KEY(operation_id, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS origins(id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL,
  resource BLOB NOT NULL, scope BLOB NOT NULL, tags TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spans(trace_id BLOB NOT NULL, span_id BLOB NOT NULL, parent_id BLOB,
  service_id INTEGER NOT NULL, operation_id INTEGER NOT NULL, kind INTEGER NOT NULL,
  start_ns INTEGER NOT NULL, duration_ns INTEGER NOT NULL, has_error INTEGER NOT NULL,
  origin_id INTEGER NOT NULL, tags TEXT NOT NULL, span BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS spans_by_trace ON spans(trace_id, span_id);
CREATE INDEX IF NOT EXISTS spans_by_service ON spans(service_id, start_ns);
CREATE INDEX IF NOT EXISTS spans_by_operation ON spans(operation_id, start_ns);
CREATE TABLE IF NOT EXISTS traces(trace_id BLOB PRIMARY KEY, start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL, span_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
  root_service TEXT, root_operation TEXT);
CREATE INDEX IF NOT EXISTS traces_by_start ON traces(start_ns);
)sql";

// A read-only connection with its prepared statements, used by one thread at a time.
struct Reader {
  Database db;
  std::map<std::string, Statement, std::less<>> statements;
  // The prepared statement for `sql` (prepared on first use); nullptr on error.
  Statement* Get(std::string_view sql);
};

struct SpanStore::Impl {
  StoreOptions options;

  // Writer side (writer thread only, after Open).
  Database writer_db;
  Statement insert_span, upsert_trace, insert_service, insert_operation, insert_kind, insert_origin;
  std::unordered_map<std::string, std::int64_t> service_ids;
  // Orders (service id, name) keys and looks them up by (service id, string_view) without a copy.
  struct OperationKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      if (a.first != b.first) return a.first < b.first;
      return std::string_view(a.second) < std::string_view(b.second);
    }
  };
  std::map<std::pair<std::int64_t, std::string>, std::int64_t, OperationKeyLess> operation_ids;
  std::unordered_map<std::int64_t, std::uint32_t> operation_kinds;  // bit set of kinds seen
  std::unordered_map<std::string, std::int64_t> origin_ids;         // key: resource+scope
  std::chrono::steady_clock::time_point next_retention;

  // Queue, guarded by mu.
  std::mutex mu;
  std::condition_variable queue_cv;  // writer waits for work
  std::condition_variable done_cv;   // waiters for commits and retention runs
  std::deque<SpanBatch> queue;
  std::size_t queued_spans = 0;
  std::uint64_t next_sequence = 1;  // sequence of the next Enqueue
  std::uint64_t committed = 0;      // every sequence <= committed is written
  std::uint64_t retention_requested = 0, retention_done = 0;
  bool stopping = false;
  std::thread writer;

  std::atomic<std::uint64_t> written_spans{0};
  std::atomic<std::uint64_t> failed_batches{0};

  // Readers.
  std::mutex readers_mu;
  std::condition_variable readers_cv;
  std::vector<std::unique_ptr<Reader>> idle_readers;
  std::mutex origins_mu;
  std::unordered_map<std::int64_t, std::shared_ptr<const StoredOrigin>> origins;

  Status InitWriter();
  void WriterLoop();
  Status WriteBatches(std::deque<SpanBatch>& batches);
  Result<std::int64_t> ServiceId(const std::string& name);
  Result<std::int64_t> OperationId(std::int64_t service_id, const std::string& name, int kind);
  Result<std::int64_t> OriginId(const Origin& origin, std::int64_t service_id);
  void RunRetention();
  std::int64_t UsedBytes(Database& db);

  // Borrows a reader for the scope of the returned handle.
  struct ReaderLease {
    ReaderLease(Impl* i, std::unique_ptr<Reader> r) : impl(i), reader(std::move(r)) {}
    ReaderLease(ReaderLease&&) = default;
    ~ReaderLease();
    Impl* impl;
    std::unique_ptr<Reader> reader;
    Reader* operator->() { return reader.get(); }
  };
  Result<ReaderLease> Borrow();
  Result<std::shared_ptr<const StoredOrigin>> LoadOrigin(Reader& reader, std::int64_t id);
};

}  // namespace blogtrace::collector
