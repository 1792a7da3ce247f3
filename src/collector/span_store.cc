#include "collector/span_store_impl.h"
#include "common/log.h"

namespace blogtrace::collector {
namespace {

constexpr std::string_view kInsertSpan =
    "INSERT INTO spans(trace_id, span_id, parent_id, service_id, operation_id, kind, start_ns, "
    "duration_ns, has_error, origin_id, tags, span) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
// Per-trace summary, merged with what earlier batches wrote.
constexpr std::string_view kUpsertTrace =
    "INSERT INTO traces(trace_id, start_ns, end_ns, span_count, error_count, root_service, "
    "root_operation) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(trace_id) DO UPDATE SET "
    "start_ns = min(start_ns, excluded.start_ns), end_ns = max(end_ns, excluded.end_ns), "
    "span_count = span_count + excluded.span_count, "
    "error_count = error_count + excluded.error_count, "
    "root_service = coalesce(root_service, excluded.root_service), "
    "root_operation = coalesce(root_operation, excluded.root_operation)";

struct TraceAggregate {
  std::uint64_t start_ns = UINT64_MAX;
  std::uint64_t end_ns = 0;
  std::int64_t spans = 0;
  std::int64_t errors = 0;
  const std::string* root_service = nullptr;
  const std::string* root_operation = nullptr;
};

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
  impl->writer = std::thread([raw] { raw->WriterLoop(); });
  return std::unique_ptr<SpanStore>(new SpanStore(std::move(impl)));
}

SpanStore::~SpanStore() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

Status SpanStore::Impl::InitWriter() {
  auto db = Database::Open(options.path);
  if (!db) return db.error();
  writer_db = std::move(*db);
  // WAL lets readers run beside the writer; synchronous=NORMAL skips the fsync per commit (a
  // power cut may lose the last commits; trace data tolerates that).
  if (auto s = writer_db.Exec(
          "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
          "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; "
          "PRAGMA journal_size_limit=67108864;");
      !s) {
    return s;
  }
  if (auto s = writer_db.Exec(kSchema); !s) return s;
  auto prepare = [&](std::string_view sql, Statement& out) -> Status {
    auto stmt = writer_db.Prepare(sql);
    if (!stmt) return stmt.error();
    out = std::move(*stmt);
    return {};
  };
  for (auto [sql, stmt] :
       {std::pair{kInsertSpan, &insert_span}, std::pair{kUpsertTrace, &upsert_trace},
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
  // Load the interned names so ids stay stable across restarts.
  auto services = writer_db.Prepare("SELECT id, name FROM services");
  if (!services) return services.error();
  while (services->Step()) service_ids.emplace(std::string(services->Text(1)), services->Int(0));
  auto ops = writer_db.Prepare("SELECT id, service_id, name FROM operations");
  if (!ops) return ops.error();
  while (ops->Step())
    operation_ids.emplace(std::pair{ops->Int(1), std::string(ops->Text(2))}, ops->Int(0));
  auto kinds = writer_db.Prepare("SELECT operation_id, kind FROM operation_kinds");
  if (!kinds) return kinds.error();
  while (kinds->Step()) operation_kinds[kinds->Int(0)] |= 1u << kinds->Int(1);
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

std::optional<std::uint64_t> SpanStore::Enqueue(SpanBatch batch) {
  std::uint64_t sequence;
  {
    std::lock_guard lock(impl_->mu);
    std::size_t n = batch.spans.size();
    // An empty queue always takes one batch, however large, so progress is possible.
    if (impl_->queued_spans > 0 && impl_->queued_spans + n > impl_->options.max_queued_spans) {
      return std::nullopt;
    }
    impl_->queued_spans += n;
    impl_->queue.push_back(std::move(batch));
    sequence = impl_->next_sequence++;
  }
  impl_->queue_cv.notify_one();
  return sequence;
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

Result<std::int64_t> SpanStore::Impl::OperationId(std::int64_t service_id, const std::string& name,
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
    operation_ids.emplace(std::pair{service_id, name}, id);
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

Status SpanStore::Impl::WriteBatches(std::deque<SpanBatch>& batches) {
  if (auto s = writer_db.Exec("BEGIN"); !s) return s;
  // Id caches may gain entries for rows the rollback removes; they are rebuilt on failure.
  auto fail = [&](Error error) -> Status {
    (void)writer_db.Exec("ROLLBACK");
    service_ids.clear();
    operation_ids.clear();
    operation_kinds.clear();
    origin_ids.clear();
    (void)InitWriter();
    return error;
  };
  std::unordered_map<std::string_view, TraceAggregate> traces;
  for (const SpanBatch& batch : batches) {
    std::vector<std::int64_t> origin_ids_of_batch(batch.origins.size());
    std::vector<std::int64_t> service_ids_of_batch(batch.origins.size());
    for (std::size_t i = 0; i < batch.origins.size(); ++i) {
      auto service = ServiceId(batch.origins[i].service);
      if (!service) return fail(service.error());
      auto origin = OriginId(batch.origins[i], *service);
      if (!origin) return fail(origin.error());
      service_ids_of_batch[i] = *service;
      origin_ids_of_batch[i] = *origin;
    }
    for (const SpanRecord& span : batch.spans) {
      std::int64_t service_id = service_ids_of_batch[span.origin];
      auto operation = OperationId(service_id, span.name, span.kind);
      if (!operation) return fail(operation.error());
      Statement& s = insert_span;
      s.BindBlob(1, span.trace_id);
      s.BindBlob(2, span.span_id);
      if (span.parent_id.empty()) {
        s.BindNull(3);
      } else {
        s.BindBlob(3, span.parent_id);
      }
      s.Bind(4, service_id);
      s.Bind(5, *operation);
      s.Bind(6, span.kind);
      s.Bind(7, static_cast<std::int64_t>(span.start_ns));
      s.Bind(8, static_cast<std::int64_t>(span.duration_ns));
      s.Bind(9, span.has_error ? 1 : 0);
      s.Bind(10, origin_ids_of_batch[span.origin]);
      s.BindText(11, span.tags);
      s.BindBlob(12, span.span);
      int rc = s.Run();
      s.ResetKeepBindings();  // every parameter is bound again for the next span
      if (rc != SQLITE_DONE) return fail(Error::Internal(writer_db.LastError()));
      TraceAggregate& agg = traces[span.trace_id];
      agg.start_ns = std::min(agg.start_ns, span.start_ns);
      agg.end_ns = std::max(agg.end_ns, span.start_ns + span.duration_ns);
      agg.spans++;
      agg.errors += span.has_error ? 1 : 0;
      if (span.parent_id.empty() && !agg.root_service) {
        agg.root_service = &batch.origins[span.origin].service;
        agg.root_operation = &span.name;
      }
    }
  }
  for (const auto& [trace_id, agg] : traces) {
    Statement& s = upsert_trace;
    s.BindBlob(1, trace_id);
    s.Bind(2, static_cast<std::int64_t>(agg.start_ns));
    s.Bind(3, static_cast<std::int64_t>(agg.end_ns));
    s.Bind(4, agg.spans);
    s.Bind(5, agg.errors);
    if (agg.root_service) {
      s.BindText(6, *agg.root_service);
      s.BindText(7, *agg.root_operation);
    }
    int rc = s.Run();
    s.Reset();
    if (rc != SQLITE_DONE) return fail(Error::Internal(writer_db.LastError()));
  }
  if (auto s = writer_db.Exec("COMMIT"); !s) return fail(s.error());
  return {};
}

std::int64_t SpanStore::Impl::UsedBytes(Database& db) {
  std::int64_t pages = db.QueryInt("PRAGMA page_count");
  std::int64_t free_pages = db.QueryInt("PRAGMA freelist_count");
  return (pages - free_pages) * db.QueryInt("PRAGMA page_size");
}

void SpanStore::Impl::RunRetention() {
  auto now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options.clock->Now().time_since_epoch())
          .count();
  std::int64_t cutoff =
      now_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(options.retention).count();
  auto run = [&](std::string_view sql, std::int64_t arg) {
    auto stmt = writer_db.Prepare(sql);
    if (!stmt) return;
    stmt->Bind(1, arg);
    stmt->Run();
  };
  // By age: whole traces whose first span is older than the cutoff.
  (void)writer_db.Exec("BEGIN");
  run("DELETE FROM spans WHERE trace_id IN (SELECT trace_id FROM traces WHERE start_ns < ?1)",
      cutoff);
  run("DELETE FROM traces WHERE start_ns < ?1", cutoff);
  (void)writer_db.Exec("COMMIT");
  // By size: the oldest tenth of the traces at a time until the pages in use fit.
  for (int round = 0; round < 100 && UsedBytes(writer_db) > options.max_bytes; ++round) {
    std::int64_t count = writer_db.QueryInt("SELECT count(*) FROM traces");
    if (count == 0) break;
    std::int64_t n = std::max<std::int64_t>(1, count / 10);
    (void)writer_db.Exec("BEGIN");
    run("DELETE FROM spans WHERE trace_id IN "
        "(SELECT trace_id FROM traces ORDER BY start_ns LIMIT ?1)",
        n);
    run("DELETE FROM traces WHERE trace_id IN "
        "(SELECT trace_id FROM traces ORDER BY start_ns LIMIT ?1)",
        n);
    (void)writer_db.Exec("COMMIT");
  }
  (void)writer_db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

std::int64_t SpanStore::UsedBytes() {
  auto lease = impl_->Borrow();
  if (!lease) return 0;
  return impl_->UsedBytes(lease->reader->db);
}

}  // namespace blogtrace::collector
