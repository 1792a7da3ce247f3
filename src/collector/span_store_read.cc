// SpanStore's read side: pooled read-only connections and the queries.
#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_set>

#include "collector/span_store_impl.h"

namespace blogtrace::collector {
namespace {

using TraceKey = std::array<char, 16>;

struct TraceKeyHash {
  std::size_t operator()(const TraceKey& k) const noexcept {
    std::uint64_t a, b;
    std::memcpy(&a, k.data(), 8);
    std::memcpy(&b, k.data() + 8, 8);
    return static_cast<std::size_t>(a ^ (b * 0x9e3779b97f4a7c15ULL));
  }
};

// A wanted tag: its text pattern, the pattern's hash (for Bloom filters) and the origins whose
// resource or scope carry it (then every span of theirs has it).
struct TagCriterion {
  std::string pattern;
  std::uint64_t hash = 0;
  std::unordered_set<std::uint32_t> origins;
};

// Where a block's payload is (span_block.h), from its metadata row.
struct PayloadRef {
  std::string path;  // the segment file
  std::uint64_t offset = 0, entries_size = 0, tags_size = 0;
};

// The block's entries; empty when its file is gone (retention) or damaged.
std::vector<BlockEntry> ReadEntries(const PayloadRef& ref) {
  auto raw = ReadSegment(ref.path, ref.offset, ref.entries_size);
  return raw ? DecodeEntries(*raw) : std::vector<BlockEntry>{};
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
  if (!s->Step()) return Error::NotFound("span origin missing");
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

  // Resolve names to interned ids; an unknown service or operation matches nothing.
  std::optional<std::uint32_t> service_id;
  std::unordered_set<std::uint32_t> operation_ids;
  if (query.service) {
    Statement* s = reader.Get("SELECT id FROM services WHERE name = ?1");
    if (!s) return Error::Internal(reader.db.LastError());
    StatementReset reset(*s);
    s->BindText(1, *query.service);
    if (!s->Step()) return found;
    service_id = static_cast<std::uint32_t>(s->Int(0));
  }
  if (query.operation) {
    Statement* s =
        reader.Get("SELECT id FROM operations WHERE name = ?1 AND (?2 IS NULL OR service_id = ?2)");
    if (!s) return Error::Internal(reader.db.LastError());
    StatementReset reset(*s);
    s->BindText(1, *query.operation);
    if (service_id) s->Bind(2, *service_id);
    while (s->Step()) operation_ids.insert(static_cast<std::uint32_t>(s->Int(0)));
    if (operation_ids.empty()) return found;
  }
  std::vector<TagCriterion> tags;
  for (const auto& [key, value] : query.tags) {
    TagCriterion& c = tags.emplace_back();
    c.pattern = TagPattern(key, value);
    c.hash = Hash64(c.pattern);
    Statement* s = reader.Get("SELECT id FROM origins WHERE instr(tags, ?1) > 0");
    if (!s) return Error::Internal(reader.db.LastError());
    StatementReset reset(*s);
    s->BindText(1, c.pattern);
    while (s->Step()) c.origins.insert(static_cast<std::uint32_t>(s->Int(0)));
  }
  const std::uint64_t min_d = query.min_duration_ns.value_or(0);
  const std::uint64_t max_d = query.max_duration_ns.value_or(UINT64_MAX);
  const std::uint64_t start = query.start_ns;
  const std::uint64_t end = std::min<std::uint64_t>(query.end_ns, INT64_MAX);

  // Blocks overlapping the time range, newest first by their newest span. The best (newest
  // matching span) start of each matching trace is kept; once `limit` traces are known, a block
  // whose newest span is older than the limit-th best cannot change the answer.
  // (The tag Bloom filter is the last column: without tag criteria its pages are not read.)
  Statement* blocks = reader.Get(
      "SELECT segment, max_start, services, operations, origins, payload_offset, entries_size, "
      "tags_size, tag_bloom FROM block_meta WHERE max_start >= ?1 AND min_start <= ?2 "
      "ORDER BY max_start DESC");
  if (!blocks) return Error::Internal(reader.db.LastError());
  StatementReset reset(*blocks);
  blocks->Bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(start, INT64_MAX)));
  blocks->Bind(2, static_cast<std::int64_t>(end));
  std::unordered_map<TraceKey, std::uint64_t, TraceKeyHash> best;
  std::uint64_t threshold = 0;  // the limit-th best start, once `limit` traces are known
  std::vector<std::uint64_t> starts;
  while (blocks->Step()) {
    auto block_max = static_cast<std::uint64_t>(blocks->Int(1));
    if (best.size() >= query.limit && block_max < threshold) break;
    if (service_id && !ContainsId(blocks->Blob(2), *service_id)) continue;
    if (!operation_ids.empty()) {
      std::string_view ops = blocks->Blob(3);
      bool any = std::any_of(operation_ids.begin(), operation_ids.end(),
                             [&](std::uint32_t id) { return ContainsId(ops, id); });
      if (!any) continue;
    }
    bool possible = true;
    for (const TagCriterion& c : tags) {
      std::string_view origins = blocks->Blob(4);
      bool from_origin = std::any_of(c.origins.begin(), c.origins.end(),
                                     [&](std::uint32_t id) { return ContainsId(origins, id); });
      if (!from_origin && !BloomMayContain(blocks->Blob(8), c.hash)) {
        possible = false;
        break;
      }
    }
    if (!possible) continue;

    PayloadRef ref{
        SegmentPath(impl_->segment_dir, blocks->Int(0)), static_cast<std::uint64_t>(blocks->Int(5)),
        static_cast<std::uint64_t>(blocks->Int(6)), static_cast<std::uint64_t>(blocks->Int(7))};
    auto file = SegmentFile::Open(ref.path);
    if (!file) continue;  // the block's file is gone (retention)
    auto raw = file->Read(ref.offset, ref.entries_size);
    if (!raw) continue;  // damaged
    std::vector<BlockEntry> entries = DecodeEntries(*raw);
    // Entries passing every criterion but the tags that could still enter the top `limit`.
    const bool full = best.size() >= query.limit;
    std::vector<const BlockEntry*> candidates;
    for (const BlockEntry& e : entries) {
      if (e.start_ns < start || e.start_ns > end) continue;
      if (full && e.start_ns < threshold) continue;
      if (e.duration_ns < min_d || e.duration_ns > max_d) continue;
      if (service_id && e.service_id != *service_id) continue;
      if (!operation_ids.empty() && !operation_ids.count(e.operation_id)) continue;
      candidates.push_back(&e);
    }
    if (candidates.empty()) continue;
    // Tag text: the whole block's when many entries need it, else each candidate's own.
    std::string text;
    const std::uint64_t tags_at = ref.offset + ref.entries_size;
    const bool whole_text = !tags.empty() && candidates.size() * 8 >= entries.size();
    if (whole_text) {
      auto read = file->Read(tags_at, ref.tags_size);
      if (!read) continue;
      text = std::move(*read);
    }
    for (const BlockEntry* e : candidates) {
      bool match = true;
      std::string own;
      std::string_view span_text;
      for (const TagCriterion& c : tags) {
        if (c.origins.count(e->origin_id)) continue;
        if (span_text.empty()) {
          if (whole_text) {
            if (static_cast<std::uint64_t>(e->tags_offset) + e->tags_size > text.size()) {
              match = false;
              break;
            }
            span_text = std::string_view(text).substr(e->tags_offset, e->tags_size);
          } else {
            auto read = file->Read(tags_at + e->tags_offset, e->tags_size);
            if (!read) {
              match = false;
              break;
            }
            own = std::move(*read);
            span_text = own;
          }
        }
        if (span_text.find(c.pattern) == std::string_view::npos) {
          match = false;
          break;
        }
      }
      if (!match) continue;
      auto [it, inserted] = best.try_emplace(e->trace_id, e->start_ns);
      if (!inserted) it->second = std::max(it->second, e->start_ns);
    }
    if (best.size() >= query.limit) {
      starts.clear();
      for (const auto& [trace, s] : best) starts.push_back(s);
      auto kth = starts.begin() + static_cast<std::ptrdiff_t>(query.limit - 1);
      std::nth_element(starts.begin(), kth, starts.end(), std::greater<>());
      threshold = *kth;
    }
  }
  std::vector<std::pair<std::uint64_t, TraceKey>> ranked;
  ranked.reserve(best.size());
  for (const auto& [trace, s] : best) ranked.emplace_back(s, trace);
  std::size_t n = std::min(ranked.size(), query.limit);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    std::greater<>());
  for (std::size_t i = 0; i < n; ++i) found.emplace_back(ranked[i].second.data(), 16);
  return found;
}

Result<std::vector<StoredSpan>> SpanStore::GetTrace(std::string_view trace_id) {
  std::vector<StoredSpan> out;
  if (trace_id.size() != 16) return out;
  auto lease = impl_->Borrow();
  if (!lease) return lease.error();
  Reader& reader = *lease->reader;
  TraceKey key;
  std::memcpy(key.data(), trace_id.data(), 16);
  const std::uint64_t hash = TraceHash(key);
  // The blocks holding the trace (by its hash, in memory) are read: the trace's run of entries
  // found by binary search, then its spans in one read.
  std::vector<PayloadRef> candidates;
  {
    std::lock_guard lock(impl_->blocks_mu);
    auto [from, to] = impl_->blocks_of_trace.equal_range(hash);
    for (auto it = from; it != to; ++it) {
      const auto& ref = impl_->block_refs[it->second];
      candidates.push_back({SegmentPath(impl_->segment_dir, ref.segment), ref.offset,
                            ref.entries_size, ref.tags_size});
    }
  }
  std::unordered_set<std::string> span_ids;  // a resent span is shown once
  for (const PayloadRef& ref : candidates) {
    auto file = SegmentFile::Open(ref.path);
    if (!file) continue;  // the block's file is gone (retention)
    auto raw = file->Read(ref.offset, ref.entries_size);
    if (!raw) continue;  // damaged
    std::vector<BlockEntry> entries = DecodeEntries(*raw);
    // Entries are sorted by trace id: the trace's spans are one run.
    auto first =
        std::lower_bound(entries.begin(), entries.end(), key,
                         [](const BlockEntry& e, const TraceKey& k) { return e.trace_id < k; });
    auto last = first;
    while (last != entries.end() && last->trace_id == key) ++last;
    if (first == last) continue;  // another trace with the same hash
    std::uint64_t from = first->span_offset;
    std::uint64_t to = std::prev(last)->span_offset + std::prev(last)->span_size;
    if (to < from) continue;
    auto bytes = file->Read(ref.offset + ref.entries_size + ref.tags_size + from, to - from);
    if (!bytes) continue;  // the block's file is gone (retention) or damaged
    for (auto e = first; e != last; ++e) {
      if (!span_ids.emplace(e->span_id.data(), e->span_id.size()).second) continue;
      if (e->span_offset < from || e->span_offset - from + e->span_size > bytes->size()) continue;
      StoredSpan span;
      if (!span.span.ParseFromArray(bytes->data() + (e->span_offset - from),
                                    static_cast<int>(e->span_size))) {
        continue;  // damaged bytes (a crash before the file reached the disk): not shown
      }
      auto origin = impl_->LoadOrigin(reader, e->origin_id);
      if (!origin && origin.error().code == ErrorCode::kNotFound) continue;  // damaged entry
      if (!origin) return origin.error();
      span.origin = std::move(*origin);
      out.push_back(std::move(span));
    }
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
  auto lo = static_cast<std::int64_t>(std::min<std::uint64_t>(start_ns, INT64_MAX));
  auto hi = static_cast<std::int64_t>(std::min<std::uint64_t>(end_ns, INT64_MAX));
  Statement* blocks = reader.Get(
      "SELECT segment, payload_offset, entries_size FROM block_meta "
      "WHERE max_start >= ?1 AND min_start <= ?2");
  if (!blocks) return Error::Internal(reader.db.LastError());
  // Every span started in the range: (hash of trace id and span id, service), then each child's
  // parent looked up by the same hash. 64-bit hashes of random ids: collisions are negligible.
  auto key = [](const std::array<char, 16>& trace, const std::array<char, 8>& span) {
    char buf[24];
    std::memcpy(buf, trace.data(), 16);
    std::memcpy(buf + 16, span.data(), 8);
    return Hash64(std::string_view(buf, sizeof buf));
  };
  std::vector<std::pair<std::uint64_t, std::uint32_t>> services;
  struct Child {
    std::uint64_t parent_key;
    std::uint32_t service;
  };
  std::vector<Child> children;
  {
    StatementReset reset(*blocks);
    blocks->Bind(1, lo);
    blocks->Bind(2, hi);
    while (blocks->Step()) {
      PayloadRef ref{SegmentPath(impl_->segment_dir, blocks->Int(0)),
                     static_cast<std::uint64_t>(blocks->Int(1)),
                     static_cast<std::uint64_t>(blocks->Int(2))};
      for (const BlockEntry& e : ReadEntries(ref)) {
        if (e.start_ns < start_ns || e.start_ns > end_ns) continue;
        services.emplace_back(key(e.trace_id, e.span_id), e.service_id);
        if (!e.is_root()) children.push_back({key(e.trace_id, e.parent_id), e.service_id});
      }
    }
  }
  std::sort(services.begin(), services.end());
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> calls;
  for (const Child& c : children) {
    auto it = std::lower_bound(services.begin(), services.end(),
                               std::pair<std::uint64_t, std::uint32_t>{c.parent_key, 0});
    if (it == services.end() || it->first != c.parent_key || it->second == c.service) continue;
    ++calls[{it->second, c.service}];
  }
  std::unordered_map<std::uint32_t, std::string> names;
  {
    Statement* s = reader.Get("SELECT id, name FROM services");
    if (!s) return Error::Internal(reader.db.LastError());
    StatementReset reset(*s);
    while (s->Step()) names.emplace(static_cast<std::uint32_t>(s->Int(0)), s->Text(1));
  }
  std::vector<DependencyLink> out;
  for (const auto& [pair, count] : calls) {
    out.push_back({names[pair.first], names[pair.second], count});
  }
  std::sort(out.begin(), out.end(), [](const DependencyLink& a, const DependencyLink& b) {
    return std::tie(a.parent, a.child) < std::tie(b.parent, b.child);
  });
  return out;
}

}  // namespace blogtrace::collector
