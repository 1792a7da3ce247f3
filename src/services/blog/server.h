// BlogServer: the blog service's endpoints (../shared/API.md "Blog service"). Every call but
// /healthz asks the author service whether the bearer may READ or WRITE before anything else.
//
// Thread safety: handlers may run concurrently. Lifetime: keeps references to the author client,
// the store and the pool, which must outlive it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/message.h"
#include "http/request_context.h"
#include "http/router.h"
#include "services/author/client.h"
#include "store/blog_store.h"

namespace blogtrace::services::blog {

class BlogServer {
 public:
  // `blocking` runs the store calls off the event loop.
  BlogServer(author::AuthorClient& authors, store::BlogStore& blogs,
             boost::asio::thread_pool& blocking);

  // Adds every route (GET /healthz included) to `router`; `this` must outlive the router.
  void Register(http::Router& router);

  // GET /blogs?limit=&offset=: READ (401/403/503) → paging (400) → 200 {"blogs", "total"}.
  boost::asio::awaitable<http::Response> ListBlogs(const http::Request& request,
                                                   http::RequestContext& ctx);
  // GET /blogs/{id}: READ → 200 or 404.
  boost::asio::awaitable<http::Response> GetBlog(const http::Request& request,
                                                 http::RequestContext& ctx);
  // POST /blogs: WRITE → JSON body (415/400) → validation (400) → 201 once stored durably.
  boost::asio::awaitable<http::Response> CreateBlog(const http::Request& request,
                                                    http::RequestContext& ctx);

 private:
  // Asks the author service whether the request's bearer may do what needs `permission`.
  boost::asio::awaitable<Result<author::Authorization>> Authorize(const http::Request& request,
                                                                  http::RequestContext& ctx,
                                                                  Permission permission);

  author::AuthorClient& authors_;
  store::BlogStore& blogs_;
  boost::asio::thread_pool& blocking_;
};

// {"id", "title", "content", "author_id", "author", "created_at"}.
nlohmann::json ToJson(const store::Blog& blog);

}  // namespace blogtrace::services::blog
