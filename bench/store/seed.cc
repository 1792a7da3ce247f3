#include "seed.h"

#include <algorithm>
#include <string>
#include <vector>

namespace blogtrace::bench {

Result<std::int64_t> SeedBlogs(store::BlogStore& blogs, std::int64_t count) {
  constexpr std::int64_t kChunk = 50000;
  const telemetry::Context ctx;
  std::int64_t stored = 0;
  std::vector<store::NewBlog> chunk;
  while (stored < count) {
    const std::int64_t n = std::min(kChunk, count - stored);
    chunk.clear();
    chunk.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      const std::string number = std::to_string(stored + i);
      chunk.push_back({"post " + number, "some content for post " + number, "seeder-id", "seeder"});
    }
    auto added = blogs.CreateMany(ctx, chunk);
    if (!added) return added.error();
    stored += *added;
  }
  return stored;
}

}  // namespace blogtrace::bench
