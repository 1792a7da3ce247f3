#include "collector/span_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "collector/hex.h"
#include "store_fixture.h"

namespace blogtrace::collector {
namespace {

using namespace testing;
using std::chrono::hours;

std::vector<std::string> Hex(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(ToHex(id));
  return out;
}

class SpanStoreTest : public StoreTest {
 protected:
  // Traces 1..3 a second apart; trace 2 has an error.
  void StoreThree() {
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, 1, kT0);
    AddBlogTrace(req, 2, kT0 + 1'000'000'000, /*error=*/true);
    AddBlogTrace(req, 3, kT0 + 2'000'000'000);
    Store(req);
  }
  std::vector<std::string> Find(TraceQuery q) {
    auto ids = store_->FindTraceIds(q);
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? Hex(*ids) : std::vector<std::string>{};
  }
};

TEST_F(SpanStoreTest, ListsServicesAndOperationsWithKinds) {
  StoreThree();
  auto services = store_->Services();
  ASSERT_TRUE(services.ok());
  EXPECT_EQ(*services, (std::vector<std::string>{"author", "blog", "frontend"}));
  auto ops = store_->Operations("blog");
  ASSERT_TRUE(ops.ok());
  EXPECT_EQ(*ops, (std::vector<OperationInfo>{
                      {"GET /blogs", 2}, {"POST /authorize", 3}, {"SELECT blogs", 3}}));
  auto servers = store_->Operations("blog", 2);
  ASSERT_TRUE(servers.ok());
  EXPECT_EQ(*servers, (std::vector<OperationInfo>{{"GET /blogs", 2}}));
  auto none = store_->Operations("nobody");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SpanStoreTest, GetTraceReturnsAllSpansInStartOrderWithOrigins) {
  StoreThree();
  auto spans = store_->GetTrace(Bytes(TraceHex(2)));
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 5u);
  EXPECT_EQ((*spans)[0].origin->service, "frontend");
  EXPECT_EQ((*spans)[1].span.name(), "GET /blogs");
  EXPECT_EQ((*spans)[1].origin->service, "blog");
  EXPECT_EQ((*spans)[1].origin->scope.name(), "blogtrace");
  EXPECT_EQ((*spans)[4].origin->service, "author");
  EXPECT_EQ((*spans)[4].span.status().message(), "token expired");
  auto missing = store_->GetTrace(Bytes(TraceHex(99)));
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());
}

TEST_F(SpanStoreTest, ResentSpansAppearOnce) {
  otlp_collector::ExportTraceServiceRequest req;
  AddBlogTrace(req, 1, kT0);
  Store(req);
  Store(req);
  auto spans = store_->GetTrace(Bytes(TraceHex(1)));
  ASSERT_TRUE(spans.ok());
  EXPECT_EQ(spans->size(), 5u);
}

TEST_F(SpanStoreTest, FindsByServiceNewestFirstWithLimit) {
  StoreThree();
  EXPECT_EQ(Find({.service = "blog"}), (std::vector{TraceHex(3), TraceHex(2), TraceHex(1)}));
  EXPECT_EQ(Find({.service = "blog", .limit = 2}), (std::vector{TraceHex(3), TraceHex(2)}));
  EXPECT_TRUE(Find({.service = "nobody"}).empty());
  EXPECT_EQ(Find({}), (std::vector{TraceHex(3), TraceHex(2), TraceHex(1)}));
}

TEST_F(SpanStoreTest, FindsByOperationAndTimeRange) {
  StoreThree();
  EXPECT_EQ(Find({.service = "blog",
                  .operation = "SELECT blogs",
                  .start_ns = kT0 + 500'000'000,
                  .end_ns = kT0 + 1'500'000'000}),
            (std::vector{TraceHex(2)}));
  EXPECT_TRUE(Find({.service = "blog", .operation = "DELETE everything"}).empty());
  EXPECT_TRUE(Find({.service = "frontend", .operation = "SELECT blogs"}).empty());
}

TEST_F(SpanStoreTest, FindsByDuration) {
  StoreThree();
  // Spans of blog: 8 ms, 1 ms, 3 ms. Author: 2 ms.
  EXPECT_EQ(Find({.service = "blog", .min_duration_ns = 7'000'000}).size(), 3u);
  EXPECT_TRUE(Find({.service = "blog", .min_duration_ns = 9'000'000}).empty());
  EXPECT_TRUE(Find({.service = "author", .max_duration_ns = 1'000'000}).empty());
  EXPECT_EQ(Find({.service = "author", .max_duration_ns = 2'000'000}).size(), 3u);
  EXPECT_EQ(Find({.min_duration_ns = 9'000'000}).size(), 3u);  // frontend's 10 ms spans
}

TEST_F(SpanStoreTest, SearchWithoutServiceFindsTheSameTracesWithManyServices) {
  // 70 services (more than are merged per-service) take the trace-by-trace path; a few take the
  // merged one. Both answer newest first, filter by tag, duration and operation.
  for (int services : {3, 70}) {
    // A fresh, empty database per round.
    store_.reset();
    std::filesystem::remove_all(dir_.path());
    std::filesystem::create_directories(dir_.path());
    Reopen({});
    otlp_collector::ExportTraceServiceRequest req;
    for (int i = 1; i <= services; ++i) {
      auto* span = AddSpan(AddScope(req, "svc-" + std::to_string(i)), i, i, 0,
                           i % 2 ? "odd" : "even", kT0 + i * 1'000'000, i * 1000);
      SetString(span->add_attributes(), "parity", i % 2 ? "odd" : "even");
    }
    Store(req);
    using Tags = std::vector<std::pair<std::string, std::string>>;
    auto odd = Find({.tags = Tags{{"parity", "odd"}}, .limit = 2});
    EXPECT_EQ(odd, (std::vector{TraceHex(services % 2 ? services : services - 1),
                                TraceHex(services % 2 ? services - 2 : services - 3)}))
        << services;
    EXPECT_EQ(Find({.min_duration_ns = static_cast<std::uint64_t>(services) * 1000}),
              (std::vector{TraceHex(services)}))
        << services;
    EXPECT_EQ(Find({.operation = "even", .limit = 1}),
              (std::vector{TraceHex(services % 2 ? services - 1 : services)}))
        << services;
  }
}

TEST_F(SpanStoreTest, FindsByTagsInSpansResourcesAndEvents) {
  StoreThree();
  using Tags = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Find({.service = "blog", .tags = Tags{{"http.response.status_code", "500"}}}),
            (std::vector{TraceHex(2)}));
  EXPECT_EQ(Find({.service = "author", .tags = Tags{{"error", "true"}}}),
            (std::vector{TraceHex(2)}));
  EXPECT_EQ(Find({.tags = Tags{{"reason", "expired"}}}), (std::vector{TraceHex(2)}));
  EXPECT_EQ(Find({.tags = Tags{{"event", "token.rejected"}}}), (std::vector{TraceHex(2)}));
  // Resource attribute (process tag) plus a span tag on the same span.
  EXPECT_EQ(Find({.service = "blog",
                  .tags = Tags{{"host.name", "box-blog"}, {"http.response.status_code", "200"}}}),
            (std::vector{TraceHex(3), TraceHex(1)}));
  EXPECT_TRUE(Find({.service = "blog", .tags = Tags{{"host.name", "box-author"}}}).empty());
  EXPECT_TRUE(Find({.tags = Tags{{"http.response.status_code", "50"}}}).empty());
}

TEST_F(SpanStoreTest, CountsDependenciesAcrossServices) {
  StoreThree();
  auto deps = store_->Dependencies(kT0, kT0 + 10'000'000'000);
  ASSERT_TRUE(deps.ok());
  EXPECT_EQ(*deps, (std::vector<DependencyLink>{{"blog", "author", 3}, {"frontend", "blog", 3}}));
  auto later = store_->Dependencies(kT0 + 1'500'000'000, kT0 + 10'000'000'000);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(*later, (std::vector<DependencyLink>{{"blog", "author", 1}, {"frontend", "blog", 1}}));
}

TEST_F(SpanStoreTest, SurvivesReopen) {
  StoreThree();
  Reopen({});
  otlp_collector::ExportTraceServiceRequest req;
  AddBlogTrace(req, 4, kT0 + 3'000'000'000);
  Store(req);
  EXPECT_EQ(Find({.service = "blog"}).size(), 4u);
  auto ops = store_->Operations("blog");
  ASSERT_TRUE(ops.ok());
  EXPECT_EQ(ops->size(), 3u);
}

TEST_F(SpanStoreTest, FullQueueRefusesBatches) {
  Reopen({.max_queued_spans = 5});
  // Another connection holds the write lock, so the writer cannot drain the queue: the first
  // batch is taken (or waits in the queue), and by the third the queue is full.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "traces.db").c_str(), &blocker), SQLITE_OK);
  sqlite3_busy_timeout(blocker, 5000);  // the writer may be running its start-up retention
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  int accepted = 0;
  bool refused = false;
  for (int i = 0; i < 3 && !refused; ++i) {
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, i + 1, kT0 + i);
    if (store_->Enqueue(ExtractSpans(req).batch)) {
      ++accepted;
    } else {
      refused = true;
    }
  }
  sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  EXPECT_TRUE(refused);
  store_->Flush();
  // What was accepted is written once the lock is gone.
  EXPECT_EQ(store_->WrittenSpans(), static_cast<std::uint64_t>(accepted) * 5);
  EXPECT_EQ(store_->FailedBatches(), 0u);
}

TEST_F(SpanStoreTest, TheQueueIsBoundedInBytesToo) {
  // One span of 16 KiB per request: a 256 KiB queue is full long before its span limit.
  Reopen({.max_queued_bytes = 256 * 1024});
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "traces.db").c_str(), &blocker), SQLITE_OK);
  sqlite3_busy_timeout(blocker, 5000);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  int accepted = 0;
  for (int i = 0; i < 40; ++i) {
    otlp_collector::ExportTraceServiceRequest req;
    auto* span = AddSpan(AddScope(req, "blog"), i + 1, i + 1, 0, "big", kT0 + i, 10);
    SetString(span->add_attributes(), "payload", std::string(16 * 1024, 'x'));
    if (store_->Enqueue(ExtractSpans(req).batch)) ++accepted;
  }
  sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  EXPECT_GE(accepted, 2);
  EXPECT_LE(accepted, 17);  // 16 KiB of span bytes and 16 KiB of tag text each, at least
  store_->Flush();
  EXPECT_EQ(store_->WrittenSpans(), static_cast<std::uint64_t>(accepted));
  EXPECT_FALSE(store_->QueueFull());
}

TEST_F(SpanStoreTest, RetentionDropsTracesOlderThanTheAge) {
  Reopen({.retention = hours(24)});
  otlp_collector::ExportTraceServiceRequest old_req, new_req;
  AddBlogTrace(old_req, 1, kT0);
  AddBlogTrace(new_req, 2, kT0 + std::chrono::nanoseconds(hours(20)).count());
  Store(old_req);
  Store(new_req);
  clock_.Advance(hours(23));
  store_->EnforceRetention();
  EXPECT_EQ(Find({}).size(), 2u);
  clock_.Advance(hours(2));  // trace 1 is now 25 h old, trace 2 only 5 h
  store_->EnforceRetention();
  EXPECT_EQ(Find({}), (std::vector{TraceHex(2)}));
  auto spans = store_->GetTrace(Bytes(TraceHex(1)));
  ASSERT_TRUE(spans.ok());
  EXPECT_TRUE(spans->empty());
}

// The block files beside the database.
std::vector<std::filesystem::path> SegmentFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& f : std::filesystem::directory_iterator(dir / "traces.db-blocks")) {
    out.push_back(f.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(SpanStoreTest, RetentionKeepsTheDatabaseUnderTheSizeLimit) {
  constexpr std::int64_t kLimit = 512 * 1024;
  Reopen({.max_bytes = kLimit});
  for (int batch = 0; batch < 20; ++batch) {
    otlp_collector::ExportTraceServiceRequest req;
    for (int i = 0; i < 50; ++i) {
      int n = batch * 50 + i + 1;
      AddBlogTrace(req, n, kT0 + static_cast<std::uint64_t>(n) * 1'000'000'000);
    }
    Store(req);
  }
  ASSERT_GT(store_->UsedBytes(), kLimit) << "the test needs more data than the limit";
  auto files_before = SegmentFiles(dir_.path());
  store_->EnforceRetention();
  EXPECT_LE(store_->UsedBytes(), kLimit);
  EXPECT_LT(SegmentFiles(dir_.path()).size(), files_before.size()) << "whole files are deleted";
  auto newest = store_->GetTrace(Bytes(TraceHex(1000)));
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(newest->size(), 5u);
  auto oldest = store_->GetTrace(Bytes(TraceHex(1)));
  ASSERT_TRUE(oldest.ok());
  EXPECT_TRUE(oldest->empty());
}

// A random workload against a brute-force model of Jaeger's search: spans arrive out of time
// order in many blocks (small requests, plus requests large enough to be cut into several
// blocks), and every query must return exactly the traces the model ranks first.
TEST_F(SpanStoreTest, SearchAgreesWithABruteForceModelOverManyBlocks) {
  struct ModelSpan {
    int trace;
    std::string service, operation, color;
    std::uint64_t start, duration;
  };
  std::mt19937_64 rng(20261126);
  const std::vector<std::string> services = {"blog", "author", "authen", "user"};
  const std::vector<std::string> operations = {"GET /blogs", "POST /blogs", "SELECT", "verify"};
  const std::vector<std::string> colors = {"red", "green", "blue", "cyan", "black"};
  std::vector<ModelSpan> model;
  // Distinct start times, shuffled: the arrival order is unrelated to time.
  std::vector<std::uint64_t> slots(6000);
  for (std::size_t i = 0; i < slots.size(); ++i) slots[i] = kT0 + i * 1'000'000;
  std::shuffle(slots.begin(), slots.end(), rng);
  std::size_t next_slot = 0;
  int span_id = 1;
  auto add = [&](otlp_collector::ExportTraceServiceRequest& req, int trace) {
    ModelSpan m{trace,
                services[rng() % services.size()],
                operations[rng() % operations.size()],
                colors[rng() % colors.size()],
                slots[next_slot++],
                1'000 + rng() % 1'000'000};
    auto* span =
        AddSpan(AddScope(req, m.service), trace, span_id++, 0, m.operation, m.start, m.duration);
    SetString(span->add_attributes(), "color", m.color);
    model.push_back(m);
  };
  for (int request = 0; request < 30; ++request) {
    otlp_collector::ExportTraceServiceRequest req;
    int spans = request % 10 == 9 ? 2500 : 20 + static_cast<int>(rng() % 60);
    for (int i = 0; i < spans && next_slot < slots.size(); ++i) {
      add(req, 1 + static_cast<int>(rng() % 400));  // traces spread over many requests
    }
    Store(req);
  }
  ASSERT_GT(model.size(), 5000u);

  for (int q = 0; q < 300; ++q) {
    TraceQuery query;
    if (rng() % 2) query.service = services[rng() % services.size()];
    if (rng() % 3 == 0) query.operation = operations[rng() % operations.size()];
    if (rng() % 2) query.tags.emplace_back("color", colors[rng() % colors.size()]);
    if (rng() % 4 == 0) query.min_duration_ns = rng() % 1'000'000;
    if (rng() % 4 == 0) query.max_duration_ns = rng() % 1'000'000;
    if (rng() % 3 == 0) {
      query.start_ns = kT0 + (rng() % 6000) * 1'000'000;
      query.end_ns = query.start_ns + (rng() % 3000) * 1'000'000;
    }
    query.limit = 1 + rng() % 30;
    std::map<int, std::uint64_t> best;  // trace → newest matching start
    for (const ModelSpan& m : model) {
      if (query.service && m.service != *query.service) continue;
      if (query.operation && m.operation != *query.operation) continue;
      if (!query.tags.empty() && m.color != query.tags[0].second) continue;
      if (query.min_duration_ns && m.duration < *query.min_duration_ns) continue;
      if (query.max_duration_ns && m.duration > *query.max_duration_ns) continue;
      if (m.start < query.start_ns || m.start > query.end_ns) continue;
      best[m.trace] = std::max(best[m.trace], m.start);
    }
    std::vector<std::pair<std::uint64_t, int>> ranked;
    for (const auto& [trace, start] : best) ranked.emplace_back(start, trace);
    std::sort(ranked.rbegin(), ranked.rend());
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < ranked.size() && i < query.limit; ++i) {
      expected.push_back(TraceHex(ranked[i].second));
    }
    ASSERT_EQ(Find(query), expected) << "query " << q;
  }
  // And every trace comes back whole, from however many blocks hold its spans.
  std::map<int, std::size_t> counts;
  for (const ModelSpan& m : model) counts[m.trace]++;
  for (int trace : {1, 7, 123, 400}) {
    auto spans = store_->GetTrace(Bytes(TraceHex(trace)));
    ASSERT_TRUE(spans.ok());
    EXPECT_EQ(spans->size(), counts[trace]) << trace;
    EXPECT_TRUE(std::is_sorted(spans->begin(), spans->end(), [](const auto& a, const auto& b) {
      return a.span.start_time_unix_nano() < b.span.start_time_unix_nano();
    }));
  }
}

TEST_F(SpanStoreTest, ATraceLargerThanABlockIsReturnedWhole) {
  otlp_collector::ExportTraceServiceRequest req;
  auto* scope = AddScope(req, "blog");
  for (int i = 1; i <= 2500; ++i) AddSpan(scope, 9, i, i > 1 ? 1 : 0, "step", kT0 + i, 10);
  Store(req);
  otlp_collector::ExportTraceServiceRequest more;
  AddSpan(AddScope(more, "author"), 9, 2501, 1, "late", kT0 + 5000, 10);
  Store(more);
  auto spans = store_->GetTrace(Bytes(TraceHex(9)));
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 2501u);
  EXPECT_EQ(spans->front().span.name(), "step");
  EXPECT_EQ(spans->back().span.name(), "late");
  EXPECT_EQ(spans->back().origin->service, "author");
}

TEST_F(SpanStoreTest, MovesADatabaseOfTheOldLayoutAsideAndStartsEmpty) {
  store_.reset();
  std::filesystem::remove_all(dir_.path());
  std::filesystem::create_directories(dir_.path());
  const auto path = dir_.path() / "traces.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE spans(x); INSERT INTO spans VALUES('old');", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  Reopen({});
  ASSERT_TRUE(std::filesystem::exists(dir_.path() / "traces.db.v1"));
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() / "traces.db.v1").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT x FROM spans", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "old");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  StoreThree();
  EXPECT_EQ(Find({}).size(), 3u);
}

TEST_F(SpanStoreTest, RefusesADatabaseOfANewerLayout) {
  store_.reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() / "traces.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  StoreOptions options;
  options.path = (dir_.path() / "traces.db").string();
  options.clock = &clock_;
  auto store = SpanStore::Open(std::move(options));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
}

TEST_F(SpanStoreTest, DropsBytesOfAnInterruptedWriteAndStrayFilesOnOpen) {
  StoreThree();
  store_.reset();
  auto files = SegmentFiles(dir_.path());
  ASSERT_EQ(files.size(), 1u);
  auto committed = std::filesystem::file_size(files[0]);
  {
    std::ofstream tail(files[0], std::ios::app | std::ios::binary);
    tail << std::string(5000, 'x');  // a block written but never committed
  }
  std::ofstream(files[0].parent_path() / "00000777.seg") << "stray";
  Reopen({});
  EXPECT_EQ(SegmentFiles(dir_.path()), files);
  EXPECT_EQ(std::filesystem::file_size(files[0]), committed);
  otlp_collector::ExportTraceServiceRequest req;
  AddBlogTrace(req, 4, kT0 + 3'000'000'000);
  Store(req);
  EXPECT_EQ(Find({}).size(), 4u);
  for (int n : {1, 4}) {
    auto spans = store_->GetTrace(Bytes(TraceHex(n)));
    ASSERT_TRUE(spans.ok());
    EXPECT_EQ(spans->size(), 5u) << n;
  }
}

TEST_F(SpanStoreTest, AMissingBlockFileLosesOnlyItsSpans) {
  Reopen({.max_bytes = 64 * 1024});  // 4 KiB segments: each request below fills one
  for (int r = 1; r <= 2; ++r) {
    otlp_collector::ExportTraceServiceRequest req;
    for (int i = 0; i < 10; ++i) {
      int n = r * 100 + i;
      AddBlogTrace(req, n, kT0 + static_cast<std::uint64_t>(n) * 1'000'000'000);
    }
    Store(req);
  }
  auto files = SegmentFiles(dir_.path());
  ASSERT_EQ(files.size(), 2u);
  std::filesystem::remove(files[0]);
  std::vector<std::string> newest;
  for (int n = 209; n >= 200; --n) newest.push_back(TraceHex(n));
  EXPECT_EQ(Find({}), newest);
  auto gone = store_->GetTrace(Bytes(TraceHex(105)));
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->empty());
  auto kept = store_->GetTrace(Bytes(TraceHex(205)));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 5u);
}

TEST_F(SpanStoreTest, DamagedSpanBytesAreSkippedNotFatal) {
  StoreThree();  // one block: entries, tag text, then span bytes (trace 3's last)
  auto files = SegmentFiles(dir_.path());
  ASSERT_EQ(files.size(), 1u);
  auto size = std::filesystem::file_size(files[0]);
  {
    std::fstream f(files[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 60));
    f << std::string(60, '\xff');  // not a valid protobuf message
  }
  auto damaged = store_->GetTrace(Bytes(TraceHex(3)));
  ASSERT_TRUE(damaged.ok()) << damaged.error().message;
  EXPECT_LT(damaged->size(), 5u);
  auto intact = store_->GetTrace(Bytes(TraceHex(1)));
  ASSERT_TRUE(intact.ok());
  EXPECT_EQ(intact->size(), 5u);
  EXPECT_EQ(Find({.service = "blog"}).size(), 3u);
}

// Rows of block_meta, read beside the store.
std::int64_t BlockCount(const std::filesystem::path& dir) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2((dir / "traces.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM block_meta", -1, &stmt, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

TEST_F(SpanStoreTest, MergesSmallBlocksOnceSettledWithoutChangingAnswers) {
  for (int n = 1; n <= 40; ++n) {  // a quiet system: one small export at a time
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, n, kT0 + static_cast<std::uint64_t>(n) * 1'000'000'000, n % 7 == 0);
    Store(req);
  }
  ASSERT_EQ(BlockCount(dir_.path()), 40);
  using Tags = std::vector<std::pair<std::string, std::string>>;
  const std::vector<TraceQuery> queries = {
      {},
      {.service = "blog", .limit = 7},
      {.service = "author", .tags = Tags{{"error", "true"}}},
      {.operation = "SELECT blogs", .min_duration_ns = 500'000, .limit = 3},
      {.start_ns = kT0 + 10'000'000'000, .end_ns = kT0 + 20'500'000'000}};
  std::vector<std::vector<std::string>> before;
  for (const auto& q : queries) before.push_back(Find(q));

  store_->EnforceRetention();  // 200 spans, just written: not merged yet
  EXPECT_EQ(BlockCount(dir_.path()), 40);
  clock_.Advance(std::chrono::minutes(2));
  store_->EnforceRetention();
  EXPECT_EQ(BlockCount(dir_.path()), 1);
  for (std::size_t i = 0; i < queries.size(); ++i) EXPECT_EQ(Find(queries[i]), before[i]) << i;
  for (int n : {1, 14, 40}) {
    auto spans = store_->GetTrace(Bytes(TraceHex(n)));
    ASSERT_TRUE(spans.ok());
    EXPECT_EQ(spans->size(), 5u) << n;
  }
  auto deps = store_->Dependencies(kT0, kT0 + 100'000'000'000);
  ASSERT_TRUE(deps.ok());
  EXPECT_EQ(*deps, (std::vector<DependencyLink>{{"blog", "author", 40}, {"frontend", "blog", 40}}));
  Reopen({});  // and the merged block is what a restart finds
  EXPECT_EQ(Find(queries[0]), before[0]);
}

}  // namespace
}  // namespace blogtrace::collector
