// SpanStore's read side: pooled read-only connections and the queries.
#include <algorithm>
#include <unordered_set>

#include "collector/span_store_impl.h"

namespace blogtrace::collector {
namespace {

// Above this many services a search without `service` walks traces instead of merging
// per-service cursors.
constexpr std::size_t kMaxMergedServices = 64;

// True when every wanted tag is in the span's tags or in its origin's.
bool TagsMatch(std::string_view span_tags, std::int64_t origin_id,
               const std::vector<std::string>& patterns,
               const std::vector<std::unordered_set<std::int64_t>>& origins_with) {
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (origins_with[i].count(origin_id)) continue;
    if (span_tags.find(patterns[i]) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

Statement* Reader::Get(std::string_view sql) {
  auto it = statements.find(sql);
  if (it == statements.end()) {
    auto stmt = db.Prepare(sql);
    if (!stmt) return nullptr;
    it = statements.emplace(std::string(sql), std::move(*stmt)).first;
  }
  return &it->second;
}

SpanStore::Impl::ReaderLease::~ReaderLease() {
  if (!reader) return;
  {
    std::lock_guard lock(impl->readers_mu);
    impl->idle_readers.push_back(std::move(reader));
  }
  impl->readers_cv.notify_one();
}

Result<SpanStore::Impl::ReaderLease> SpanStore::Impl::Borrow() {
  std::unique_lock lock(readers_mu);
  readers_cv.wait(lock, [&] { return !idle_readers.empty(); });
  ReaderLease lease{this, std::move(idle_readers.back())};
  idle_readers.pop_back();
  return lease;
}

Result<std::shared_ptr<const StoredOrigin>> SpanStore::Impl::LoadOrigin(Reader& reader,
                                                                        std::int64_t id) {
  {
    std::lock_guard lock(origins_mu);
    if (auto it = origins.find(id); it != origins.end()) return it->second;
  }
  Statement* s = reader.Get(
      "SELECT o.resource, o.scope, s.name FROM origins o JOIN services s ON s.id = o.service_id "
      "WHERE o.id = ?1");
  if (!s) return Error::Internal(reader.db.LastError());
  StatementReset reset(*s);
  s->Bind(1, id);
  if (!s->Step()) return Error::Internal("span origin missing");
  auto origin = std::make_shared<StoredOrigin>();
  origin->id = id;
  origin->resource_bytes = std::string(s->Blob(0));
  origin->resource.ParseFromString(origin->resource_bytes);
  auto scope = s->Blob(1);
  origin->scope.ParseFromArray(scope.data(), static_cast<int>(scope.size()));
  origin->service = std::string(s->Text(2));
  std::lock_guard lock(origins_mu);
  return origins.emplace(id, std::move(origin)).first->second;
}

Result<std::vector<std::string>> SpanStore::Services() {
  auto lease = impl_->Borrow();
  if (!lease) return lease.error();
  Statement* s = lease->reader->Get("SELECT name FROM services ORDER BY name");
  if (!s) return Error::Internal(lease->reader->db.LastError());
  StatementReset reset(*s);
  std::vector<std::string> out;
  while (s->Step()) out.emplace_back(s->Text(0));
  return out;
}

Result<std::vector<OperationInfo>> SpanStore::Operations(std::string_view service,
                                                         std::optional<int> kind) {
  auto lease = impl_->Borrow();
  if (!lease) return lease.error();
  Statement* s = lease->reader->Get(
      "SELECT o.name, k.kind FROM operations o JOIN services s ON s.id = o.service_id "
      "JOIN operation_kinds k ON k.operation_id = o.id WHERE s.name = ?1 "
      "AND (?2 IS NULL OR k.kind = ?2) ORDER BY o.name, k.kind");
  if (!s) return Error::Internal(lease->reader->db.LastError());
  StatementReset reset(*s);
  s->BindText(1, service);
  if (kind) s->Bind(2, *kind);
  std::vector<OperationInfo> out;
  while (s->Step()) out.push_back({std::string(s->Text(0)), static_cast<int>(s->Int(1))});
  return out;
}

Result<std::vector<std::string>> SpanStore::FindTraceIds(const TraceQuery& query) {
  auto lease = impl_->Borrow();
  if (!lease) return lease.error();
  Reader& reader = *lease->reader;
  std::vector<std::string> found;
  if (query.limit == 0) return found;
  std::unordered_set<std::string> seen;

  // Tag patterns, and for each the origins (resource/scope) that carry it.
  std::vector<std::string> patterns;
  std::vector<std::unordered_set<std::int64_t>> origins_with;
  for (const auto& [key, value] : query.tags) {
    patterns.push_back(TagPattern(key, value));
    auto& ids = origins_with.emplace_back();
    Statement* s = reader.Get("SELECT id FROM origins WHERE instr(tags, ?1) > 0");
    if (!s) return Error::Internal(reader.db.LastError());
    StatementReset reset(*s);
    s->BindText(1, patterns.back());
    while (s->Step()) ids.insert(s->Int(0));
  }
  std::int64_t min_d = static_cast<std::int64_t>(query.min_duration_ns.value_or(0));
  std::int64_t max_d =
      query.max_duration_ns ? static_cast<std::int64_t>(*query.max_duration_ns) : INT64_MAX;
  auto start = static_cast<std::int64_t>(query.start_ns);
  auto end = static_cast<std::int64_t>(std::min<std::uint64_t>(query.end_ns, INT64_MAX));

  if (query.service) {
    // Walk the service's (or operation's) spans newest first; stop at `limit` distinct traces.
    std::optional<std::int64_t> key;
    Statement* lookup =
        query.operation
            ? reader.Get(
                  "SELECT o.id FROM operations o JOIN services s ON s.id = o.service_id "
                  "WHERE s.name = ?1 AND o.name = ?2")
            : reader.Get("SELECT id FROM services WHERE name = ?1");
    if (!lookup) return Error::Internal(reader.db.LastError());
    {
      StatementReset reset(*lookup);
      lookup->BindText(1, *query.service);
      if (query.operation) lookup->BindText(2, *query.operation);
      if (lookup->Step()) key = lookup->Int(0);
    }
    if (!key) return found;
    Statement* s = query.operation
                       ? reader.Get(
                             "SELECT trace_id, origin_id, tags FROM spans WHERE operation_id = ?1 "
                             "AND start_ns BETWEEN ?2 AND ?3 AND duration_ns BETWEEN ?4 AND ?5 "
                             "ORDER BY start_ns DESC")
                       : reader.Get(
                             "SELECT trace_id, origin_id, tags FROM spans WHERE service_id = ?1 "
                             "AND start_ns BETWEEN ?2 AND ?3 AND duration_ns BETWEEN ?4 AND ?5 "
                             "ORDER BY start_ns DESC");
    if (!s) return Error::Internal(reader.db.LastError());
    StatementReset reset(*s);
    s->Bind(1, *key);
    s->Bind(2, start);
    s->Bind(3, end);
    s->Bind(4, min_d);
    s->Bind(5, max_d);
    while (found.size() < query.limit && s->Step()) {
      std::string_view trace_id = s->Blob(0);
      if (seen.count(std::string(trace_id))) continue;
      if (!patterns.empty() && !TagsMatch(s->Text(2), s->Int(1), patterns, origins_with)) {
        continue;
      }
      seen.emplace(trace_id);
      found.emplace_back(trace_id);
    }
    return found;
  }

  // No service: walk traces newest first and check their spans when span criteria are given.
  bool span_criteria =
      !patterns.empty() || query.min_duration_ns || query.max_duration_ns || query.operation;
  if (span_criteria && !query.operation) {
    // Tag/duration criteria only: merge the services' spans newest first (one index cursor per
    // service) instead of looking up every trace's spans one trace at a time.
    std::vector<std::int64_t> service_ids;
    {
      Statement* ids = reader.Get("SELECT id FROM services");
      if (!ids) return Error::Internal(reader.db.LastError());
      StatementReset reset(*ids);
      while (ids->Step()) service_ids.push_back(ids->Int(0));
    }
    if (service_ids.size() <= kMaxMergedServices) {
      std::vector<Statement*> cursors;
      struct ResetAll {
        std::vector<Statement*>& cursors;
        ~ResetAll() {
          for (Statement* c : cursors) c->Reset();
        }
      } reset_all{cursors};
      // (start_ns, cursor) of every cursor positioned on a row; the newest on top.
      std::vector<std::pair<std::int64_t, std::size_t>> heap;
      for (std::size_t i = 0; i < service_ids.size(); ++i) {
        // One statement per cursor slot (the comment makes the cached SQL distinct).
        Statement* c = reader.Get(
            "SELECT start_ns, trace_id, origin_id, tags FROM spans WHERE service_id = ?1 "
            "AND start_ns BETWEEN ?2 AND ?3 AND duration_ns BETWEEN ?4 AND ?5 "
            "ORDER BY start_ns DESC -- cursor " +
            std::to_string(i));
        if (!c) return Error::Internal(reader.db.LastError());
        cursors.push_back(c);
        c->Bind(1, service_ids[i]);
        c->Bind(2, start);
        c->Bind(3, end);
        c->Bind(4, min_d);
        c->Bind(5, max_d);
        if (c->Step()) heap.emplace_back(c->Int(0), i);
      }
      std::make_heap(heap.begin(), heap.end());
      while (found.size() < query.limit && !heap.empty()) {
        std::pop_heap(heap.begin(), heap.end());
        std::size_t i = heap.back().second;
        heap.pop_back();
        Statement& c = *cursors[i];
        std::string_view trace_id = c.Blob(1);
        if (!seen.count(std::string(trace_id)) &&
            (patterns.empty() || TagsMatch(c.Text(3), c.Int(2), patterns, origins_with))) {
          seen.emplace(trace_id);
          found.emplace_back(trace_id);
        }
        if (c.Step()) {
          heap.emplace_back(c.Int(0), i);
          std::push_heap(heap.begin(), heap.end());
        }
      }
      return found;
    }
  }
  Statement* traces = reader.Get(
      "SELECT trace_id FROM traces WHERE start_ns <= ?2 AND end_ns >= ?1 ORDER BY start_ns DESC");
  // The operation's name is joined only when it is a criterion.
  Statement* spans = query.operation
                         ? reader.Get(
                               "SELECT s.origin_id, s.tags, s.duration_ns, o.name FROM spans s "
                               "JOIN operations o ON o.id = s.operation_id WHERE s.trace_id = ?1 "
                               "AND s.start_ns BETWEEN ?2 AND ?3")
                         : reader.Get(
                               "SELECT origin_id, tags, duration_ns FROM spans WHERE trace_id = ?1 "
                               "AND start_ns BETWEEN ?2 AND ?3");
  if (!traces || !spans) return Error::Internal(reader.db.LastError());
  StatementReset reset(*traces);
  traces->Bind(1, start);
  traces->Bind(2, end);
  while (found.size() < query.limit && traces->Step()) {
    std::string_view trace_id = traces->Blob(0);
    if (span_criteria) {
      StatementReset reset_spans(*spans);
      spans->BindBlob(1, trace_id);
      spans->Bind(2, start);
      spans->Bind(3, end);
      bool match = false;
      while (!match && spans->Step()) {
        std::int64_t d = spans->Int(2);
        match = d >= min_d && d <= max_d &&
                (!query.operation || spans->Text(3) == *query.operation) &&
                TagsMatch(spans->Text(1), spans->Int(0), patterns, origins_with);
      }
      if (!match) continue;
    }
    found.emplace_back(trace_id);
  }
  return found;
}

Result<std::vector<StoredSpan>> SpanStore::GetTrace(std::string_view trace_id) {
  auto lease = impl_->Borrow();
  if (!lease) return lease.error();
  Reader& reader = *lease->reader;
  Statement* s = reader.Get("SELECT origin_id, span, span_id FROM spans WHERE trace_id = ?1");
  if (!s) return Error::Internal(reader.db.LastError());
  StatementReset reset(*s);
  s->BindBlob(1, trace_id);
  std::vector<StoredSpan> out;
  std::unordered_set<std::string> span_ids;  // a resent span is shown once
  while (s->Step()) {
    if (!span_ids.emplace(s->Blob(2)).second) continue;
    auto origin = impl_->LoadOrigin(reader, s->Int(0));
    if (!origin) return origin.error();
    StoredSpan& span = out.emplace_back();
    span.origin = std::move(*origin);
    auto bytes = s->Blob(1);
    span.span.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  }
  std::stable_sort(out.begin(), out.end(), [](const StoredSpan& a, const StoredSpan& b) {
    return a.span.start_time_unix_nano() < b.span.start_time_unix_nano();
  });
  return out;
}

Result<std::vector<DependencyLink>> SpanStore::Dependencies(std::uint64_t start_ns,
                                                            std::uint64_t end_ns) {
  auto lease = impl_->Borrow();
  if (!lease) return lease.error();
  Reader& reader = *lease->reader;
  Statement* s = reader.Get(
      "SELECT ps.name, cs.name, count(*) FROM traces t "
      "JOIN spans c ON c.trace_id = t.trace_id "
      "JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_id "
      "JOIN services ps ON ps.id = p.service_id JOIN services cs ON cs.id = c.service_id "
      "WHERE t.start_ns BETWEEN ?1 AND ?2 AND c.parent_id IS NOT NULL "
      "AND p.service_id != c.service_id GROUP BY 1, 2 ORDER BY 1, 2");
  if (!s) return Error::Internal(reader.db.LastError());
  StatementReset reset(*s);
  s->Bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(start_ns, INT64_MAX)));
  s->Bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(end_ns, INT64_MAX)));
  std::vector<DependencyLink> out;
  while (s->Step()) out.push_back({std::string(s->Text(0)), std::string(s->Text(1)), s->Int(2)});
  return out;
}

}  // namespace blogtrace::collector
