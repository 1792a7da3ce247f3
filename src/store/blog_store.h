// BlogStore: where the blog service keeps its posts.
//
// Contract for every implementation (as for UserStore, see user_store.h):
// - Thread safety: all methods may be called concurrently from any number of threads.
// - Blocking: calls are synchronous and may block briefly; callers on an event loop accept the
//   pause or run the call on a thread pool.
// - Tracing: one database CLIENT span per call, a child of `ctx` ("INSERT blogs", "SELECT blogs").
// - Errors: kNotFound as stated; kUnavailable when the database cannot be reached or stays
//   locked beyond its timeout; kInternal otherwise.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "store/model.h"
#include "telemetry/api/context.h"

namespace blogtrace::store {

// Blog posts, listed newest first.
class BlogStore {
 public:
  virtual ~BlogStore() = default;

  // Stores a blog with a new id and created_at = now. When this returns successfully the blog is
  // durable: it survives the process (and, for SQLite, the machine) dying the next moment.
  virtual Result<Blog> Create(const telemetry::Context& ctx, const NewBlog& blog) = 0;

  // Stores every blog of `blogs`, each with a new id and created_at = now when it is written;
  // returns how many were stored. For seeding and imports: SQLite writes them in one transaction
  // (all or none, one fsync); MongoDB in one ordered insertMany (on an error the blogs before it
  // stay). Durable as Create's when it returns.
  virtual Result<std::int64_t> CreateMany(const telemetry::Context& ctx,
                                          std::span<const NewBlog> blogs) = 0;

  // The blog with this id, or kNotFound.
  virtual Result<Blog> FindById(const telemetry::Context& ctx, std::string_view id) = 0;

  // Up to `limit` blogs after skipping `offset`, ordered by created_at descending and then by id
  // descending, so consecutive pages never overlap or miss a blog (absent concurrent writes);
  // `total` is the number of blogs in all; `next` is set when more blogs follow the page.
  // Preconditions: limit >= 1, offset >= 0 (kBadRequest otherwise; the service validates the
  // contract's 1-100 range itself). Cost: skipping grows with `offset` (the SQLite store walks
  // `offset` index entries); the total and a first page cost the same at any number of blogs.
  virtual Result<BlogPage> List(const telemetry::Context& ctx, int limit, int offset) = 0;

  // Up to `limit` blogs that sort strictly after `after` in list order (the keyset page after a
  // page whose `next` was `after`), with `total` and `next` as List has them. `after` need not
  // name a stored blog. Costs the same at any depth. Precondition: limit >= 1 (kBadRequest).
  virtual Result<BlogPage> ListAfter(const telemetry::Context& ctx, int limit,
                                     const BlogKey& after) = 0;
};

}  // namespace blogtrace::store
