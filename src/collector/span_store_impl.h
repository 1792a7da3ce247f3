// Private to span_store*.cc: the store's state shared by the writer and the readers.
#pragma once

#include <atomic>
#include <map>
#include <unordered_map>

#include "collector/span_block.h"
#include "collector/span_store.h"
#include "collector/sqlite_db.h"

namespace blogtrace::collector {

// The schema's layout version (PRAGMA user_version). Version 1 (one row per span with three
// indexes, user_version 0) is moved aside on open; see span_block.h for version 2.
inline constexpr int kSchemaVersion = 2;

// Services, operations and origins are interned as integers. A block (span_block.h) is its
// payload in a segment file plus one `block_meta` row: where the payload is, the hashes of the
// trace ids it holds (loaded into memory for trace lookups), and what a search checks before
// reading the payload.
inline constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS services(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS operations(id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL,
  name TEXT NOT NULL, UNIQUE(service_id, name));
CREATE TABLE IF NOT EXISTS operation_kinds(operation_id INTEGER NOT NULL, kind INTEGER NOT NULL,
  PRIMARY KEY(operation_id, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS origins(id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL,
  resource BLOB NOT NULL, scope BLOB NOT NULL, tags TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS block_meta(id INTEGER PRIMARY KEY, min_start INTEGER NOT NULL,
  max_start INTEGER NOT NULL, span_count INTEGER NOT NULL, segment INTEGER NOT NULL,
  payload_offset INTEGER NOT NULL, entries_size INTEGER NOT NULL, tags_size INTEGER NOT NULL,
  spans_size INTEGER NOT NULL, trace_hashes BLOB NOT NULL, services BLOB NOT NULL,
  operations BLOB NOT NULL, origins BLOB NOT NULL, tag_bloom BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS block_meta_by_max_start ON block_meta(max_start);
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
  Statement insert_meta;
  Statement insert_service, insert_operation, insert_kind, insert_origin;
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
  // A block's payload while it is built; kept between blocks so its memory is reused.
  std::string block_payload;
  // The folder of segment files (set before any thread starts, then read-only), and the segment
  // being appended to (opened on the first write; see span_block.h).
  std::string segment_dir;
  std::int64_t segment_id = 1;
  int segment_fd = -1;
  std::uint64_t segment_size = 0;
  std::uint64_t segment_cap = 0;  // a segment is closed once it reaches this size

  // Queue, guarded by mu.
  std::mutex mu;
  std::condition_variable queue_cv;  // writer waits for work
  std::condition_variable done_cv;   // waiters for commits and retention runs
  std::deque<SpanBatch> queue;
  std::size_t queued_spans = 0;
  std::size_t queued_bytes = 0;     // memory the queued batches hold (see BatchBytes)
  std::uint64_t next_sequence = 1;  // sequence of the next Enqueue
  std::uint64_t committed = 0;      // every sequence <= committed is written
  std::uint64_t retention_requested = 0, retention_done = 0;
  bool stopping = false;
  std::thread writer;

  std::atomic<std::uint64_t> written_spans{0};
  std::atomic<std::uint64_t> failed_batches{0};

  // Every block's payload location, in id order, and which blocks hold which trace (by the
  // hash of its id): what a trace lookup uses. About 100 bytes per block plus 64 per trace in a
  // block, so bounded by the store's size limit. The writer appends after each commit and
  // reloads everything after retention.
  struct BlockRef {
    std::int64_t id = 0;
    std::int64_t segment = 0;
    std::uint64_t offset = 0, entries_size = 0, tags_size = 0;
  };
  std::mutex blocks_mu;
  std::vector<BlockRef> block_refs;
  std::unordered_multimap<std::uint64_t, std::size_t> blocks_of_trace;  // → index in block_refs
  // Writer thread only: blocks of the open transaction, with their trace hashes.
  std::vector<std::pair<BlockRef, std::vector<std::uint64_t>>> uncommitted_refs;
  Status LoadBlockRefs();

  // Readers.
  std::mutex readers_mu;
  std::condition_variable readers_cv;
  std::vector<std::unique_ptr<Reader>> idle_readers;
  std::mutex origins_mu;
  std::unordered_map<std::int64_t, std::shared_ptr<const StoredOrigin>> origins;

  // Opens the writer connection, moving a database of an older layout aside first.
  Status InitWriter();
  // (Re)opens the writer connection on the current layout: schema, statements, block files,
  // the block map and the interned names. Also how a failed transaction is recovered from.
  Status PrepareWriter();
  void WriterLoop();
  Status WriteBatches(std::deque<SpanBatch>& batches);
  // Writes spans (already resolved to interned ids) as one block.
  struct PendingSpan;
  Status WriteBlock(std::vector<PendingSpan>& spans, const std::deque<SpanBatch>& batches);
  // Brings the segment files in line with the committed metadata: truncates the current segment
  // to its committed end (an aborted write leaves bytes past it) and deletes files no block
  // refers to.
  Status SyncSegments();
  void CloseSegment();
  // Appends a block's payload to the current segment; returns the offset it starts at.
  Result<std::uint64_t> AppendPayload(std::string_view payload);
  Result<std::int64_t> ServiceId(const std::string& name);
  Result<std::int64_t> OperationId(std::int64_t service_id, std::string_view name, int kind);
  Result<std::int64_t> OriginId(const Origin& origin, std::int64_t service_id);
  // Merges small blocks, then deletes what retention says (age, then size: the blocks with the
  // oldest spans first).
  void RunRetention();
  // Rewrites runs of small blocks (a quiet system writes a block per export of a few spans) as
  // blocks of up to kMaxBlockSpans spans, so that their count, and with it what searches and
  // the trace map go through, stays proportional to the spans stored.
  void CompactSmallBlocks();
  // Bytes in use: the database's pages in use plus the segment files.
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
