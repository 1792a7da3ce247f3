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

  // The blog with this id, or kNotFound.
  virtual Result<Blog> FindById(const telemetry::Context& ctx, std::string_view id) = 0;

  // Up to `limit` blogs after skipping `offset`, ordered by created_at descending and then by id
  // descending, so consecutive pages never overlap or miss a blog (absent concurrent writes);
  // `total` is the number of blogs in all. Preconditions: limit >= 1, offset >= 0 (kBadRequest
  // otherwise; the service validates the contract's 1-100 range itself).
  virtual Result<BlogPage> List(const telemetry::Context& ctx, int limit, int offset) = 0;
};

}  // namespace blogtrace::store
