// SeedBlogs: fills a blog store quickly for benchmarks, through the store's own CreateMany (so the
// rows, ids, times and the SQLite blog counter are exactly what the service would write).
#pragma once

#include <cstdint>

#include "common/result.h"
#include "store/blog_store.h"

namespace blogtrace::bench {

// Adds `count` blogs ("post N" / "some content for post N", author "seeder") in transactions of
// 50,000, so memory stays bounded and each commit is one fsync. Returns how many were stored.
Result<std::int64_t> SeedBlogs(store::BlogStore& blogs, std::int64_t count);

}  // namespace blogtrace::bench
