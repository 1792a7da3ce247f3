// GET /blogs' store cost at 200 and at 1,000,000 blogs (BLOGTRACE_BENCH_BLOGS overrides the large
// count): the first page, a keyset page deep in the list, offset pages (whose cost grows with the
// offset, as blog_store.h documents), a lookup by id, and for comparison the `SELECT count(*)`
// that List ran before the blog counter. Each store is seeded once, through the store, in a
// temporary directory that is removed at exit. Figures are CPU time per call.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "seed.h"
#include "store/sqlite/sqlite_store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::bench {
namespace {

telemetry::NoopTracer tracer;

// One seeded store per size, kept for the whole run.
struct Seeded {
  std::string path;
  std::unique_ptr<store::SqliteStore> store;
  store::Blog middle;  // the blog halfway down the list
};

std::string& TempDir() {
  static std::string dir = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "store-bench-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) std::abort();
    return templ;
  }();
  return dir;
}

Seeded& StoreWith(std::int64_t blogs) {
  static std::map<std::int64_t, Seeded> stores;
  auto it = stores.find(blogs);
  if (it != stores.end()) return it->second;
  Seeded seeded;
  seeded.path = TempDir() + "/blogs-" + std::to_string(blogs) + ".db";
  auto store = store::OpenSqliteStore(seeded.path, tracer);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    std::abort();
  }
  seeded.store = std::move(store).value();
  const auto start = std::chrono::steady_clock::now();
  auto stored = SeedBlogs(seeded.store->blogs(), blogs);
  if (!stored) {
    std::fprintf(stderr, "seed: %s\n", stored.error().message.c_str());
    std::abort();
  }
  std::fprintf(stderr, "seeded %lld blogs in %.1f s\n", static_cast<long long>(blogs),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  auto middle = seeded.store->blogs().List({}, 1, static_cast<int>(blogs / 2));
  if (!middle || middle->blogs.empty()) std::abort();
  seeded.middle = middle->blogs.front();
  return stores.emplace(blogs, std::move(seeded)).first->second;
}

std::int64_t LargeCount() {
  const char* env = std::getenv("BLOGTRACE_BENCH_BLOGS");
  return env != nullptr ? std::atoll(env) : 1000000;
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(200)->Arg(LargeCount())->Unit(benchmark::kMicrosecond);
}

void BM_ListFirstPage(benchmark::State& state) {
  auto& blogs = StoreWith(state.range(0)).store->blogs();
  for (auto _ : state) {
    auto page = blogs.List({}, 20, 0);
    if (!page || page->blogs.size() != 20) state.SkipWithError("list failed");
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_ListFirstPage)->Apply(Sizes);

// The page after the blog halfway down: what a client following next_cursor pays at any depth.
void BM_ListAfterMiddle(benchmark::State& state) {
  Seeded& seeded = StoreWith(state.range(0));
  const store::BlogKey key{seeded.middle.created_at, seeded.middle.id};
  for (auto _ : state) {
    auto page = seeded.store->blogs().ListAfter({}, 20, key);
    if (!page || page->blogs.size() != 20) state.SkipWithError("list failed");
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_ListAfterMiddle)->Apply(Sizes);

// offset = half the blogs: the documented cost of offset paging (one index step per skipped blog).
void BM_ListOffsetMiddle(benchmark::State& state) {
  auto& blogs = StoreWith(state.range(0)).store->blogs();
  const int offset = static_cast<int>(state.range(0) / 2);
  for (auto _ : state) {
    auto page = blogs.List({}, 20, offset);
    if (!page || page->blogs.size() != 20) state.SkipWithError("list failed");
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_ListOffsetMiddle)->Apply(Sizes);

void BM_FindById(benchmark::State& state) {
  Seeded& seeded = StoreWith(state.range(0));
  for (auto _ : state) {
    auto blog = seeded.store->blogs().FindById({}, seeded.middle.id);
    if (!blog) state.SkipWithError("find failed");
    benchmark::DoNotOptimize(blog);
  }
}
BENCHMARK(BM_FindById)->Apply(Sizes);

// What every List paid before the blog counter (schema version 2): counting every row.
void BM_CountStarBeforeTheCounter(benchmark::State& state) {
  Seeded& seeded = StoreWith(state.range(0));
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(seeded.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    state.SkipWithError("open failed");
    return;
  }
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM blogs", -1, &stmt, nullptr);
  for (auto _ : state) {
    if (sqlite3_step(stmt) != SQLITE_ROW || sqlite3_column_int64(stmt, 0) != state.range(0)) {
      state.SkipWithError("count failed");
    }
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
BENCHMARK(BM_CountStarBeforeTheCounter)->Apply(Sizes);

}  // namespace
}  // namespace blogtrace::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  std::filesystem::remove_all(blogtrace::bench::TempDir(), ignored);
  return 0;
}
