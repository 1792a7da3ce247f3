// seed_blogs <sqlite-file> <count>: adds <count> blogs to a blog service's SQLite file (created
// and migrated when absent) through the store, for bench/e2e. Exits non-zero on any error.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "seed.h"
#include "store/sqlite/sqlite_store.h"
#include "telemetry/api/tracer.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: seed_blogs <sqlite-file> <count>\n");
    return 2;
  }
  char* end = nullptr;
  const long long count = std::strtoll(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || count < 0) {
    std::fprintf(stderr, "seed_blogs: count must be a non-negative integer, not '%s'\n", argv[2]);
    return 2;
  }
  blogtrace::telemetry::NoopTracer tracer;
  auto store = blogtrace::store::OpenSqliteStore(std::string(argv[1]), tracer);
  if (!store) {
    std::fprintf(stderr, "seed_blogs: %s\n", store.error().message.c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  auto stored = blogtrace::bench::SeedBlogs((*store)->blogs(), count);
  if (!stored) {
    std::fprintf(stderr, "seed_blogs: %s\n", stored.error().message.c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("seeded %lld blogs in %.1f s\n", static_cast<long long>(*stored), seconds);
  return 0;
}
