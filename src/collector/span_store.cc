#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_set>

#include "collector/span_store_impl.h"
#include "common/log.h"

namespace blogtrace::collector {
namespace {

constexpr std::string_view kInsertMeta =
    "INSERT INTO block_meta(min_start, max_start, span_count, segment, payload_offset, "
    "entries_size, tags_size, spans_size, trace_hashes, services, operations, origins, tag_bloom) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

// The files SQLite keeps for a database at `path`.
std::vector<std::filesystem::path> DatabaseFiles(const std::string& path) {
  return {path, path + "-wal", path + "-shm"};
}

// Moves a database of the old layout aside (never deletes it): `path` becomes `path`.v1 (or
// .v1.N when that exists), with its -wal and -shm files.
Status MoveAside(const std::string& path, std::string& moved_to) {
  std::string target = path + ".v1";
  for (int n = 2; std::filesystem::exists(target) && n < 1000; ++n) {
    target = path + ".v1." + std::to_string(n);
  }
  std::error_code ec;
  for (const auto& file : DatabaseFiles(path)) {
    if (!std::filesystem::exists(file)) continue;
    std::string suffix = file.string().substr(path.size());
    std::filesystem::rename(file, target + suffix, ec);
    if (ec) {
      return Error::Internal("cannot move the old trace database aside: " + ec.message());
    }
  }
  moved_to = target;
  return {};
}

// Memory a queued batch holds (its buffers and records; origins are small and few).
std::size_t BatchBytes(const SpanBatch& batch) {
  std::size_t bytes =
      batch.bytes.capacity() + batch.tags.capacity() + batch.spans.capacity() * sizeof(SpanRecord);
  for (const Origin& o : batch.origins) {
    bytes += o.resource.size() + o.scope.size() + o.service.size() + o.tags.size();
  }
  return bytes;
}

std::string OriginKey(const Origin& origin) {
  std::string key = std::to_string(origin.resource.size());
  key += ':';
  key += origin.resource;
  key += origin.scope;
  return key;
}

}  // namespace

SpanStore::SpanStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<SpanStore>> SpanStore::Open(StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->segment_dir = impl->options.path + "-blocks";
  if (auto status = impl->InitWriter(); !status) return status.error();
  for (int i = 0; i < std::max(1, impl->options.read_connections); ++i) {
    auto db = Database::Open(impl->options.path, /*read_only=*/true);
    if (!db) return db.error();
    auto reader = std::make_unique<Reader>();
    reader->db = std::move(*db);
    (void)reader->db.Exec("PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;");
    impl->idle_readers.push_back(std::move(reader));
  }
  impl->next_retention = std::chrono::steady_clock::now();
  Impl* raw = impl.get();
  impl->writer = std::thread([raw] {
    pthread_setname_np(pthread_self(), "span-writer");  // as shown by top -H, perf, gdb
    raw->WriterLoop();
  });
  return std::unique_ptr<SpanStore>(new SpanStore(std::move(impl)));
}

SpanStore::~SpanStore() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
  impl_->CloseSegment();
}

Status SpanStore::Impl::InitWriter() {
  {
    auto db = Database::Open(options.path);
    if (!db) return db.error();
    std::int64_t version = db->QueryInt("PRAGMA user_version");
    if (version > kSchemaVersion) {
      return Error::Internal("the trace database " + options.path + " has layout version " +
                             std::to_string(version) + ", newer than this collector's (" +
                             std::to_string(kSchemaVersion) + "); move it aside or upgrade");
    }
    bool old_layout = version < kSchemaVersion &&
                      db->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'spans'") > 0;
    if (old_layout) {
      db = Database();  // close before moving the files
      std::string moved_to;
      if (auto s = MoveAside(options.path, moved_to); !s) return s;
      Logger::Bg().Warn("the trace database had an older layout; moved aside, starting empty",
                        {{"moved_to", moved_to}});
    }
  }
  return PrepareWriter();
}

Status SpanStore::Impl::PrepareWriter() {
  auto db = Database::Open(options.path);
  if (!db) return db.error();
  writer_db = std::move(*db);
  // WAL lets readers run beside the writer; synchronous=NORMAL syncs only at checkpoints (a
  // power cut may lose the last commits; trace data tolerates that). Checkpoints every 64 MiB of
  // WAL instead of 4 MiB: fewer syncs at high ingest rates.
  if (auto s = writer_db.Exec(
          "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
          "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=16384; "
          "PRAGMA journal_size_limit=67108864;");
      !s) {
    return s;
  }
  if (auto s = writer_db.Exec(kSchema); !s) return s;
  if (auto s = writer_db.Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)); !s) {
    return s;
  }
  auto prepare = [&](std::string_view sql, Statement& out) -> Status {
    auto stmt = writer_db.Prepare(sql);
    if (!stmt) return stmt.error();
    out = std::move(*stmt);
    return {};
  };
  for (auto [sql, stmt] :
       {std::pair{kInsertMeta, &insert_meta},
        std::pair{std::string_view("INSERT INTO services(name) VALUES(?1)"), &insert_service},
        std::pair{std::string_view("INSERT INTO operations(service_id, name) VALUES(?1, ?2)"),
                  &insert_operation},
        std::pair{std::string_view("INSERT OR IGNORE INTO operation_kinds(operation_id, kind) "
                                   "VALUES(?1, ?2)"),
                  &insert_kind},
        std::pair{std::string_view("INSERT INTO origins(service_id, resource, scope, tags) "
                                   "VALUES(?1, ?2, ?3, ?4)"),
                  &insert_origin}}) {
    if (auto s = prepare(sql, *stmt); !s) return s;
  }
  segment_cap = static_cast<std::uint64_t>(
      std::clamp<std::int64_t>(options.max_bytes / 16, 4096, std::int64_t{64} << 20));
  if (auto s = SyncSegments(); !s) return s;
  if (auto s = LoadBlockRefs(); !s) return s;
  // Load the interned names so ids stay stable across restarts.
  service_ids.clear();
  operation_ids.clear();
  operation_kinds.clear();
  origin_ids.clear();
  auto services = writer_db.Prepare("SELECT id, name FROM services");
  if (!services) return services.error();
  while (services->Step()) service_ids.emplace(std::string(services->Text(1)), services->Int(0));
  auto ops = writer_db.Prepare("SELECT id, service_id, name FROM operations");
  if (!ops) return ops.error();
  while (ops->Step())
    operation_ids.emplace(std::pair{ops->Int(1), std::string(ops->Text(2))}, ops->Int(0));
  auto kinds = writer_db.Prepare("SELECT operation_id, kind FROM operation_kinds");
  if (!kinds) return kinds.error();
  while (kinds->Step()) operation_kinds[kinds->Int(0)] |= 1u << (kinds->Int(1) & 31);
  auto origins_stmt = writer_db.Prepare("SELECT id, resource, scope FROM origins");
  if (!origins_stmt) return origins_stmt.error();
  while (origins_stmt->Step()) {
    Origin o;
    o.resource = std::string(origins_stmt->Blob(1));
    o.scope = std::string(origins_stmt->Blob(2));
    origin_ids.emplace(OriginKey(o), origins_stmt->Int(0));
  }
  return {};
}

std::optional<std::uint64_t> SpanStore::Enqueue(SpanBatch&& batch) {
  std::uint64_t sequence;
  {
    std::size_t n = batch.spans.size();
    std::size_t bytes = BatchBytes(batch);
    std::lock_guard lock(impl_->mu);
    // An empty queue always takes one batch, however large, so progress is possible.
    if (impl_->queued_spans > 0 &&
        (impl_->queued_spans + n > impl_->options.max_queued_spans ||
         impl_->queued_bytes + bytes > impl_->options.max_queued_bytes)) {
      return std::nullopt;
    }
    impl_->queued_spans += n;
    impl_->queued_bytes += bytes;
    impl_->queue.push_back(std::move(batch));
    sequence = impl_->next_sequence++;
  }
  impl_->queue_cv.notify_one();
  return sequence;
}

bool SpanStore::QueueFull() const {
  std::lock_guard lock(impl_->mu);
  return impl_->queued_spans >= impl_->options.max_queued_spans ||
         impl_->queued_bytes >= impl_->options.max_queued_bytes;
}

bool SpanStore::WaitFor(std::uint64_t sequence, std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mu);
  return impl_->done_cv.wait_for(lock, timeout, [&] { return impl_->committed >= sequence; });
}

void SpanStore::Flush() {
  std::unique_lock lock(impl_->mu);
  std::uint64_t target = impl_->next_sequence - 1;
  impl_->done_cv.wait(lock, [&] { return impl_->committed >= target; });
}

void SpanStore::EnforceRetention() {
  std::unique_lock lock(impl_->mu);
  std::uint64_t ticket = ++impl_->retention_requested;
  impl_->queue_cv.notify_one();
  impl_->done_cv.wait(lock, [&] { return impl_->retention_done >= ticket; });
}

std::uint64_t SpanStore::WrittenSpans() const { return impl_->written_spans.load(); }
std::uint64_t SpanStore::FailedBatches() const { return impl_->failed_batches.load(); }

void SpanStore::Impl::WriterLoop() {
  std::unique_lock lock(mu);
  while (true) {
    queue_cv.wait_until(lock, next_retention, [&] {
      return stopping || !queue.empty() || retention_requested > retention_done;
    });
    if (!queue.empty()) {
      std::deque<SpanBatch> batches;
      batches.swap(queue);
      std::size_t spans = queued_spans;
      queued_spans = 0;
      queued_bytes = 0;
      std::uint64_t last = next_sequence - 1;
      lock.unlock();
      if (auto status = WriteBatches(batches); !status) {
        failed_batches += batches.size();
        Logger::Bg().Error("span store write failed; batch dropped",
                           {{"spans", spans}, {"error", status.error().message}});
      } else {
        written_spans += spans;
      }
      lock.lock();
      committed = last;
      done_cv.notify_all();
      continue;
    }
    bool requested = retention_requested > retention_done;
    if (requested || std::chrono::steady_clock::now() >= next_retention) {
      std::uint64_t ticket = retention_requested;
      lock.unlock();
      RunRetention();
      lock.lock();
      next_retention = std::chrono::steady_clock::now() + options.retention_interval;
      retention_done = ticket;
      done_cv.notify_all();
      continue;
    }
    if (stopping) return;
  }
}

Result<std::int64_t> SpanStore::Impl::ServiceId(const std::string& name) {
  if (auto it = service_ids.find(name); it != service_ids.end()) return it->second;
  StatementReset reset(insert_service);
  insert_service.BindText(1, name);
  if (insert_service.Run() != SQLITE_DONE) return Error::Internal(writer_db.LastError());
  std::int64_t id = sqlite3_last_insert_rowid(writer_db.get());
  service_ids.emplace(name, id);
  return id;
}

Result<std::int64_t> SpanStore::Impl::OperationId(std::int64_t service_id, std::string_view name,
                                                  int kind) {
  std::int64_t id;
  if (auto it = operation_ids.find(std::pair<std::int64_t, std::string_view>{service_id, name});
      it != operation_ids.end()) {
    id = it->second;
  } else {
    StatementReset reset(insert_operation);
    insert_operation.Bind(1, service_id);
    insert_operation.BindText(2, name);
    if (insert_operation.Run() != SQLITE_DONE) return Error::Internal(writer_db.LastError());
    id = sqlite3_last_insert_rowid(writer_db.get());
    operation_ids.emplace(std::pair{service_id, std::string(name)}, id);
  }
  std::uint32_t bit = 1u << (kind & 31);
  if (!(operation_kinds[id] & bit)) {
    StatementReset reset(insert_kind);
    insert_kind.Bind(1, id);
    insert_kind.Bind(2, kind);
    if (insert_kind.Run() != SQLITE_DONE) return Error::Internal(writer_db.LastError());
    operation_kinds[id] |= bit;
  }
  return id;
}

Result<std::int64_t> SpanStore::Impl::OriginId(const Origin& origin, std::int64_t service_id) {
  std::string key = OriginKey(origin);
  if (auto it = origin_ids.find(key); it != origin_ids.end()) return it->second;
  StatementReset reset(insert_origin);
  insert_origin.Bind(1, service_id);
  insert_origin.BindBlob(2, origin.resource);
  insert_origin.BindBlob(3, origin.scope);
  insert_origin.BindText(4, origin.tags);
  if (insert_origin.Run() != SQLITE_DONE) return Error::Internal(writer_db.LastError());
  std::int64_t id = sqlite3_last_insert_rowid(writer_db.get());
  origin_ids.emplace(std::move(key), id);
  return id;
}

// A span on its way into a block: its record and interned ids.
struct SpanStore::Impl::PendingSpan {
  const SpanRecord* record;
  std::uint32_t batch;
  std::uint32_t service_id;
  std::uint32_t operation_id;
  std::uint32_t origin_id;
};

Status SpanStore::Impl::WriteBatches(std::deque<SpanBatch>& batches) {
  if (auto s = writer_db.Exec("BEGIN"); !s) return s;
  // Id caches may gain entries for rows the rollback removes; they are rebuilt on failure.
  uncommitted_refs.clear();
  auto fail = [&](Error error) -> Status {
    (void)writer_db.Exec("ROLLBACK");
    uncommitted_refs.clear();
    (void)PrepareWriter();
    return error;
  };
  auto to_u32 = [](std::int64_t id) -> Result<std::uint32_t> {
    if (id < 0 || id > UINT32_MAX) return Error::Internal("interned id out of range");
    return static_cast<std::uint32_t>(id);
  };
  std::vector<PendingSpan> pending;
  std::size_t total = 0;
  for (const SpanBatch& batch : batches) total += batch.spans.size();
  pending.reserve(total);
  for (std::size_t b = 0; b < batches.size(); ++b) {
    const SpanBatch& batch = batches[b];
    std::vector<std::uint32_t> service_of(batch.origins.size()), origin_of(batch.origins.size());
    for (std::size_t i = 0; i < batch.origins.size(); ++i) {
      auto service = ServiceId(batch.origins[i].service);
      if (!service) return fail(service.error());
      auto origin = OriginId(batch.origins[i], *service);
      if (!origin) return fail(origin.error());
      auto service32 = to_u32(*service);
      auto origin32 = to_u32(*origin);
      if (!service32 || !origin32) return fail(Error::Internal("interned id out of range"));
      service_of[i] = *service32;
      origin_of[i] = *origin32;
    }
    for (const SpanRecord& span : batch.spans) {
      if (span.origin >= batch.origins.size()) continue;  // not produced by ExtractSpans
      auto operation = OperationId(service_of[span.origin], batch.Name(span), span.kind);
      if (!operation) return fail(operation.error());
      auto operation32 = to_u32(*operation);
      if (!operation32) return fail(operation32.error());
      pending.push_back({&span, static_cast<std::uint32_t>(b), service_of[span.origin],
                         *operation32, origin_of[span.origin]});
    }
  }
  // Blocks cover narrow time ranges when spans arrive out of order: sort by start, then cut.
  std::stable_sort(pending.begin(), pending.end(), [](const PendingSpan& a, const PendingSpan& b) {
    return a.record->start_ns < b.record->start_ns;
  });
  std::size_t blocks = (pending.size() + kMaxBlockSpans - 1) / kMaxBlockSpans;
  for (std::size_t i = 0; i < blocks; ++i) {
    // Equal shares rather than full blocks and a small remainder.
    std::size_t from = pending.size() * i / blocks, to = pending.size() * (i + 1) / blocks;
    std::vector<PendingSpan> block(pending.begin() + static_cast<std::ptrdiff_t>(from),
                                   pending.begin() + static_cast<std::ptrdiff_t>(to));
    if (auto s = WriteBlock(block, batches); !s) return fail(s.error());
  }
  if (auto s = writer_db.Exec("COMMIT"); !s) return fail(s.error());
  {
    std::lock_guard lock(blocks_mu);
    for (auto& [ref, hashes] : uncommitted_refs) {
      for (std::uint64_t hash : hashes) blocks_of_trace.emplace(hash, block_refs.size());
      block_refs.push_back(ref);
    }
  }
  uncommitted_refs.clear();
  if (segment_size >= segment_cap) {  // full: the next block starts a new segment
    CloseSegment();
    ++segment_id;
    segment_size = 0;
  }
  return {};
}

Status SpanStore::Impl::LoadBlockRefs() {
  auto stmt = writer_db.Prepare(
      "SELECT id, segment, payload_offset, entries_size, tags_size, trace_hashes FROM block_meta "
      "ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<BlockRef> refs;
  std::unordered_multimap<std::uint64_t, std::size_t> traces;
  while (stmt->Step()) {
    std::string_view hashes = stmt->Blob(5);
    for (std::size_t i = 0; i + 8 <= hashes.size(); i += 8) {
      std::uint64_t hash;
      std::memcpy(&hash, hashes.data() + i, 8);
      traces.emplace(hash, refs.size());
    }
    refs.push_back({stmt->Int(0), stmt->Int(1), static_cast<std::uint64_t>(stmt->Int(2)),
                    static_cast<std::uint64_t>(stmt->Int(3)),
                    static_cast<std::uint64_t>(stmt->Int(4))});
  }
  std::lock_guard lock(blocks_mu);
  block_refs = std::move(refs);
  blocks_of_trace = std::move(traces);
  return {};
}

void SpanStore::Impl::CloseSegment() {
  if (segment_fd >= 0) ::close(segment_fd);
  segment_fd = -1;
}

Result<std::uint64_t> SpanStore::Impl::AppendPayload(std::string_view payload) {
  std::string path = SegmentPath(segment_dir, segment_id);
  if (segment_fd < 0) {
    segment_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (segment_fd < 0) {
      return Error::Internal("cannot open span block file " + path + ": " + std::strerror(errno));
    }
  }
  std::uint64_t offset = segment_size;
  for (std::size_t done = 0; done < payload.size();) {
    ssize_t n = ::pwrite(segment_fd, payload.data() + done, payload.size() - done,
                         static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Error::Internal("cannot write span block file " + path + ": " +
                             std::strerror(n < 0 ? errno : ENOSPC));
    }
    done += static_cast<std::size_t>(n);
  }
  segment_size += payload.size();
  return offset;
}

Status SpanStore::Impl::SyncSegments() {
  CloseSegment();
  std::error_code ec;
  std::filesystem::create_directories(segment_dir, ec);
  if (ec) return Error::Internal("cannot create " + segment_dir + ": " + ec.message());
  std::unordered_set<std::int64_t> live;
  {
    auto stmt = writer_db.Prepare("SELECT DISTINCT segment FROM block_meta");
    if (!stmt) return stmt.error();
    while (stmt->Step()) live.insert(stmt->Int(0));
  }
  std::int64_t newest = live.empty() ? 0 : *std::max_element(live.begin(), live.end());
  for (const auto& file : std::filesystem::directory_iterator(segment_dir, ec)) {
    std::int64_t id = SegmentId(file.path().filename().string());
    if (id != 0 && !live.count(id)) std::filesystem::remove(file.path(), ec);
  }
  if (newest >= segment_id) {
    // Continue the newest segment after its last committed block.
    auto end = writer_db.Prepare(
        "SELECT max(payload_offset + entries_size + tags_size + spans_size) FROM block_meta "
        "WHERE segment = ?1");
    if (!end) return end.error();
    end->Bind(1, newest);
    segment_id = newest;
    segment_size = end->Step() ? static_cast<std::uint64_t>(end->Int(0)) : 0;
    if (::truncate(SegmentPath(segment_dir, newest).c_str(), static_cast<off_t>(segment_size)) !=
            0 &&
        errno != ENOENT) {
      return Error::Internal("cannot truncate span block file: " +
                             std::string(std::strerror(errno)));
    }
  } else {
    segment_size = 0;  // the current segment has no committed block (its file is gone)
  }
  if (segment_size >= segment_cap) {
    ++segment_id;
    segment_size = 0;
  }
  return {};
}

Status SpanStore::Impl::WriteBlock(std::vector<PendingSpan>& spans,
                                   const std::deque<SpanBatch>& batches) {
  if (spans.empty()) return {};
  // Each trace's spans become one contiguous run (start order within it).
  std::stable_sort(spans.begin(), spans.end(), [](const PendingSpan& a, const PendingSpan& b) {
    return a.record->trace_id < b.record->trace_id;
  });
  // The payload: entries, tag text, span bytes (span_block.h).
  const std::size_t entries_size = spans.size() * sizeof(BlockEntry);
  std::size_t tags_size = 0, spans_size = 0;
  for (const PendingSpan& p : spans) {
    tags_size += p.record->tags.size;
    spans_size += p.record->span.size;
  }
  if (tags_size > UINT32_MAX || spans_size > UINT32_MAX) {
    return Error::Internal("a block of spans exceeds 4 GiB");
  }
  std::string& payload = block_payload;  // reused: its memory stays between blocks
  payload.resize(entries_size + tags_size + spans_size);
  char* const entries_at = payload.data();
  char* const tags_base = entries_at + entries_size;
  char* const spans_base = tags_base + tags_size;
  std::size_t tags_at = 0, span_at = 0, patterns = 0, traces = 0;
  std::vector<std::uint32_t> services, operations, origins;
  services.reserve(spans.size());
  operations.reserve(spans.size());
  origins.reserve(spans.size());
  std::uint64_t min_start = UINT64_MAX, max_start = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const PendingSpan& p = spans[i];
    const SpanRecord& r = *p.record;
    const SpanBatch& batch = batches[p.batch];
    BlockEntry e{};
    e.trace_id = r.trace_id;
    e.span_id = r.span_id;
    e.parent_id = r.parent_id;
    e.start_ns = r.start_ns;
    e.duration_ns = r.duration_ns;
    e.service_id = p.service_id;
    e.operation_id = p.operation_id;
    e.origin_id = p.origin_id;
    e.kind = r.kind;
    e.has_error = r.has_error ? 1 : 0;
    std::string_view span = batch.Span(r);
    e.span_offset = static_cast<std::uint32_t>(span_at);
    e.span_size = static_cast<std::uint32_t>(span.size());
    std::memcpy(spans_base + span_at, span.data(), span.size());
    span_at += span.size();
    std::string_view text = batch.Tags(r);
    e.tags_offset = static_cast<std::uint32_t>(tags_at);
    e.tags_size = static_cast<std::uint32_t>(text.size());
    std::memcpy(tags_base + tags_at, text.data(), text.size());
    tags_at += text.size();
    patterns += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\x1e'));
    std::memcpy(entries_at + i * sizeof(BlockEntry), &e, sizeof e);
    if (i == 0 || spans[i - 1].record->trace_id != r.trace_id) ++traces;
    services.push_back(p.service_id);
    operations.push_back(p.operation_id);
    origins.push_back(p.origin_id);
    min_start = std::min(min_start, r.start_ns);
    max_start = std::max(max_start, r.start_ns);
  }
  BloomBuilder tag_bloom(patterns);
  ForEachTagPattern(std::string_view(tags_base, tags_size),
                    [&](std::string_view pattern) { tag_bloom.Add(Hash64(pattern)); });
  std::vector<std::uint64_t> trace_hashes;
  trace_hashes.reserve(traces);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i == 0 || spans[i - 1].record->trace_id != spans[i].record->trace_id) {
      trace_hashes.push_back(TraceHash(spans[i].record->trace_id));
    }
  }
  auto offset = AppendPayload(payload);
  if (!offset) return offset.error();

  std::string service_ids = EncodeIds(std::move(services));
  std::string operation_ids = EncodeIds(std::move(operations));
  std::string origin_ids = EncodeIds(std::move(origins));
  Statement& s = insert_meta;
  StatementReset reset(s);
  s.Bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(min_start, INT64_MAX)));
  s.Bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(max_start, INT64_MAX)));
  s.Bind(3, static_cast<std::int64_t>(spans.size()));
  s.Bind(4, segment_id);
  s.Bind(5, static_cast<std::int64_t>(*offset));
  s.Bind(6, static_cast<std::int64_t>(entries_size));
  s.Bind(7, static_cast<std::int64_t>(tags_size));
  s.Bind(8, static_cast<std::int64_t>(spans_size));
  s.BindBlob(9, std::string_view(reinterpret_cast<const char*>(trace_hashes.data()),
                                 trace_hashes.size() * sizeof(std::uint64_t)));
  s.BindBlob(10, service_ids);
  s.BindBlob(11, operation_ids);
  s.BindBlob(12, origin_ids);
  s.BindBlob(13, tag_bloom.bytes());
  if (s.Run() != SQLITE_DONE) return Error::Internal(writer_db.LastError());
  uncommitted_refs.push_back(
      {{sqlite3_last_insert_rowid(writer_db.get()), segment_id, *offset, entries_size, tags_size},
       std::move(trace_hashes)});
  return {};
}

std::int64_t SpanStore::Impl::UsedBytes(Database& db) {
  std::int64_t pages = db.QueryInt("PRAGMA page_count");
  std::int64_t free_pages = db.QueryInt("PRAGMA freelist_count");
  std::int64_t bytes = (pages - free_pages) * db.QueryInt("PRAGMA page_size");
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(segment_dir, ec)) {
    if (SegmentId(file.path().filename().string()) == 0) continue;
    auto size = file.file_size(ec);
    if (!ec) bytes += static_cast<std::int64_t>(size);
  }
  return bytes;
}

void SpanStore::Impl::RunRetention() {
  CompactSmallBlocks();
  auto now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options.clock->Now().time_since_epoch())
          .count();
  std::int64_t cutoff =
      now_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(options.retention).count();
  // Deletes the blocks `sql` selects (with `arg`); false when none was deleted. Their payloads
  // go with their segment files (SyncSegments below).
  auto delete_blocks = [&](std::string_view sql, std::int64_t arg) {
    auto stmt = writer_db.Prepare(sql);
    if (!stmt) return false;
    stmt->Bind(1, arg);
    if (stmt->Run() != SQLITE_DONE) {
      Logger::Bg().Error("trace retention failed", {{"error", writer_db.LastError()}});
      return false;
    }
    return sqlite3_changes(writer_db.get()) > 0;
  };
  // By age: blocks whose newest span started before the cutoff (a trace straddling the cutoff
  // loses its older spans first).
  delete_blocks("DELETE FROM block_meta WHERE max_start < ?1", cutoff);
  // Segment files whose blocks are all gone are deleted.
  auto remove_dead_files = [&] {
    if (auto s = SyncSegments(); !s) {
      Logger::Bg().Error("trace retention could not remove block files",
                         {{"error", s.error().message}});
    }
  };
  auto reload_refs = [&] {
    if (auto s = LoadBlockRefs(); !s) {
      Logger::Bg().Error("trace retention could not reload the block list",
                         {{"error", s.error().message}});
    }
  };
  reload_refs();
  remove_dead_files();
  // By size: the tenth of the blocks with the oldest spans at a time (a segment file goes once all
  // its blocks have) until the database and the files fit.
  for (int round = 0; round < 100 && UsedBytes(writer_db) > options.max_bytes; ++round) {
    std::int64_t count = writer_db.QueryInt("SELECT count(*) FROM block_meta");
    if (count == 0) break;
    if (!delete_blocks("DELETE FROM block_meta WHERE id IN "
                       "(SELECT id FROM block_meta ORDER BY max_start, id LIMIT ?1)",
                       std::max<std::int64_t>(1, count / 10))) {
      break;
    }
    reload_refs();
    remove_dead_files();
  }
  (void)writer_db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void SpanStore::Impl::CompactSmallBlocks() {
  // A block below this many spans is small; a group of small blocks is merged once it holds
  // this many spans, or once its newest span is older than kSettled (so a trickle of exports
  // is merged a few times at most before its blocks stop being small). A group spans at most
  // `window` of time, so merging never keeps old spans alive for much longer than retention
  // says.
  constexpr std::int64_t kSmall = 256;
  constexpr auto kSettled = std::chrono::minutes(1);
  const std::int64_t window = std::clamp<std::int64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(options.retention).count() / 100,
      std::int64_t{60'000'000'000}, std::int64_t{3'600'000'000'000});
  struct Small {
    std::int64_t id, spans, segment, offset, entries_size, tags_size, spans_size, min_start,
        max_start;
  };
  std::vector<std::vector<Small>> groups;
  {
    auto stmt = writer_db.Prepare(
        "SELECT id, span_count, segment, payload_offset, entries_size, tags_size, spans_size, "
        "min_start, max_start FROM block_meta WHERE span_count < ?1 ORDER BY min_start, id");
    if (!stmt) return;
    stmt->Bind(1, kSmall);
    std::vector<Small> group;
    std::int64_t group_spans = 0, group_start = 0;
    while (stmt->Step()) {
      Small b{stmt->Int(0), stmt->Int(1), stmt->Int(2), stmt->Int(3), stmt->Int(4),
              stmt->Int(5), stmt->Int(6), stmt->Int(7), stmt->Int(8)};
      if (!group.empty() && (group_spans + b.spans > static_cast<std::int64_t>(kMaxBlockSpans) ||
                             b.max_start - group_start > window)) {
        groups.push_back(std::move(group));
        group.clear();
        group_spans = 0;
      }
      if (group.empty()) group_start = b.min_start;
      group.push_back(b);
      group_spans += b.spans;
    }
    groups.push_back(std::move(group));
  }
  const auto settled_before =
      static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    (options.clock->Now() - kSettled).time_since_epoch())
                                    .count());
  bool changed = false;
  for (const auto& group : groups) {
    if (group.size() < 2) continue;
    std::int64_t spans = 0, newest = 0;
    for (const Small& b : group) {
      spans += b.spans;
      newest = std::max(newest, b.max_start);
    }
    if (spans < kSmall && newest >= settled_before) continue;
    // Rebuild the group's spans as batches (one per block) and write them as one block.
    std::deque<SpanBatch> batches;
    std::vector<PendingSpan> pending;
    bool complete = true;
    for (const Small& b : group) {
      auto payload =
          ReadSegment(SegmentPath(segment_dir, b.segment), static_cast<std::uint64_t>(b.offset),
                      static_cast<std::uint64_t>(b.entries_size + b.tags_size + b.spans_size));
      if (!payload) {
        complete = false;  // a file went missing: leave the group alone
        break;
      }
      SpanBatch& batch = batches.emplace_back();
      std::string_view all = *payload;
      auto entries = DecodeEntries(all.substr(0, static_cast<std::size_t>(b.entries_size)));
      batch.tags = std::string(all.substr(static_cast<std::size_t>(b.entries_size),
                                          static_cast<std::size_t>(b.tags_size)));
      batch.bytes = std::string(all.substr(static_cast<std::size_t>(b.entries_size + b.tags_size)));
      batch.spans.reserve(entries.size());
      for (const BlockEntry& e : entries) {
        if (static_cast<std::uint64_t>(e.tags_offset) + e.tags_size > batch.tags.size() ||
            static_cast<std::uint64_t>(e.span_offset) + e.span_size > batch.bytes.size()) {
          complete = false;  // damaged
          break;
        }
        SpanRecord& r = batch.spans.emplace_back();
        r.trace_id = e.trace_id;
        r.span_id = e.span_id;
        r.parent_id = e.parent_id;
        r.span = {e.span_offset, e.span_size};
        r.tags = {e.tags_offset, e.tags_size};
        r.start_ns = e.start_ns;
        r.duration_ns = e.duration_ns;
        r.kind = e.kind;
        r.has_error = e.has_error != 0;
      }
      if (!complete) break;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        pending.push_back({&batch.spans[i], static_cast<std::uint32_t>(batches.size() - 1),
                           entries[i].service_id, entries[i].operation_id, entries[i].origin_id});
      }
    }
    if (!complete) continue;
    auto fail = [&](const std::string& message) {
      (void)writer_db.Exec("ROLLBACK");
      uncommitted_refs.clear();
      (void)SyncSegments();  // drops the uncommitted payload
      Logger::Bg().Error("merging small span blocks failed", {{"error", message}});
    };
    if (!writer_db.Exec("BEGIN")) return;
    if (auto s = WriteBlock(pending, batches); !s) return fail(s.error().message);
    auto remove = writer_db.Prepare("DELETE FROM block_meta WHERE id = ?1");
    if (!remove) return fail(remove.error().message);
    for (const Small& b : group) {
      remove->Bind(1, b.id);
      if (remove->Run() != SQLITE_DONE) return fail(writer_db.LastError());
      remove->Reset();
    }
    if (auto s = writer_db.Exec("COMMIT"); !s) return fail(s.error().message);
    uncommitted_refs.clear();  // published by the reload below
    changed = true;
    if (segment_size >= segment_cap) {
      CloseSegment();
      ++segment_id;
      segment_size = 0;
    }
  }
  if (changed) {
    (void)LoadBlockRefs();
    (void)SyncSegments();  // files whose blocks were all merged away
  }
}

std::int64_t SpanStore::UsedBytes() {
  auto lease = impl_->Borrow();
  if (!lease) return 0;
  return impl_->UsedBytes(lease->reader->db);
}

}  // namespace blogtrace::collector
