#include "services/blog/server.h"

#include <nlohmann/json.hpp>

#include "auth/bearer.h"
#include "http/response.h"
#include "services/blog/model.h"
#include "services/common/blocking.h"
#include "services/common/handler_util.h"
#include "store/time_format.h"

namespace blogtrace::services::blog {

namespace http_ = boost::beast::http;

nlohmann::json ToJson(const store::Blog& blog) {
  return {{"id", blog.id},           {"title", blog.title},
          {"content", blog.content}, {"author_id", blog.author_id},
          {"author", blog.author},   {"created_at", store::FormatRfc3339(blog.created_at)}};
}

BlogServer::BlogServer(author::AuthorClient& authors, store::BlogStore& blogs,
                       boost::asio::thread_pool& blocking)
    : authors_(authors), blogs_(blogs), blocking_(blocking) {}

void BlogServer::Register(http::Router& router) {
  router.Add(http_::verb::get, "/healthz", Healthz);
  router.Add(http_::verb::get, "/blogs",
             [this](const http::Request& r, http::RequestContext& c) { return ListBlogs(r, c); });
  router.Add(http_::verb::post, "/blogs",
             [this](const http::Request& r, http::RequestContext& c) { return CreateBlog(r, c); });
  router.Add(http_::verb::get, "/blogs/{id}",
             [this](const http::Request& r, http::RequestContext& c) { return GetBlog(r, c); });
}

boost::asio::awaitable<Result<author::Authorization>> BlogServer::Authorize(
    const http::Request& request, http::RequestContext& ctx, Permission permission) {
  // Requests without a well-formed bearer header are refused here: asking would change nothing.
  auto header = SingleHeader(request, "Authorization");
  std::optional<std::string_view> token;
  if (header) token = auth::ParseBearer(*header);
  if (!token) {
    std::string_view reason = request.count("Authorization") == 0 ? "missing" : "malformed_header";
    if (ctx.span != nullptr) {
      ctx.span->SetAttribute("auth.failure.reason", reason);
      ctx.span->AddEvent("token.rejected", {{"reason", reason}});
    }
    co_return Error::Unauthorized("missing, malformed, invalid or expired bearer token");
  }
  auto authorization = co_await authors_.Authorize(ctx, *token, permission);
  if (authorization) {
    SetEndUser(ctx, authorization->user_id, authorization->username);
  } else if (authorization.error().code == ErrorCode::kForbidden && ctx.span != nullptr) {
    ctx.span->AddEvent("permission.denied", {{"required", PermissionName(permission)}});
  }
  co_return authorization;
}

boost::asio::awaitable<http::Response> BlogServer::ListBlogs(const http::Request& request,
                                                             http::RequestContext& ctx) {
  auto caller = co_await Authorize(request, ctx, Permission::kRead);
  if (!caller) co_return Refuse(ctx, caller.error());
  // Repeated parameters are ambiguous: refuse them rather than pick one.
  for (std::string_view name : {"limit", "offset", "cursor"}) {
    int count = 0;
    for (const auto& [key, value] : ctx.query_params) count += key == name ? 1 : 0;
    if (count > 1) co_return RefuseInvalid(ctx, {std::string(name), "must be given at most once"});
  }
  auto page = ParsePage(ctx.Query("limit"), ctx.Query("offset"), ctx.Query("cursor"));
  if (!page) co_return RefuseInvalid(ctx, page.error());
  auto listed = co_await RunBlocking(blocking_, [&] {
    const int limit = static_cast<int>(page->limit);
    if (page->after) return blogs_.ListAfter(ctx.trace, limit, *page->after);
    return blogs_.List(ctx.trace, limit,
                       static_cast<int>(std::min<std::int64_t>(page->offset, INT32_MAX)));
  });
  if (!listed) co_return Refuse(ctx, listed.error());
  nlohmann::json blogs = nlohmann::json::array();
  for (const auto& blog : listed->blogs) blogs.push_back(ToJson(blog));
  nlohmann::json body = {{"blogs", std::move(blogs)}, {"total", listed->total}};
  // Absent on the last page.
  if (listed->next) body["next_cursor"] = FormatCursor(*listed->next);
  co_return http::JsonResponse(200, body);
}

boost::asio::awaitable<http::Response> BlogServer::GetBlog(const http::Request& request,
                                                           http::RequestContext& ctx) {
  auto caller = co_await Authorize(request, ctx, Permission::kRead);
  if (!caller) co_return Refuse(ctx, caller.error());
  std::string id(ctx.Param("id"));
  auto found = co_await RunBlocking(blocking_, [&] { return blogs_.FindById(ctx.trace, id); });
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      co_return Refuse(ctx, Error::NotFound("no blog with this id"));
    }
    co_return Refuse(ctx, found.error());
  }
  co_return http::JsonResponse(200, ToJson(*found));
}

boost::asio::awaitable<http::Response> BlogServer::CreateBlog(const http::Request& request,
                                                              http::RequestContext& ctx) {
  auto caller = co_await Authorize(request, ctx, Permission::kWrite);
  if (!caller) co_return Refuse(ctx, caller.error());
  auto body = http::ParseJsonBody(request);
  if (!body) co_return Refuse(ctx, body.error());
  auto blog = ParseNewBlog(*body);
  if (!blog) co_return RefuseInvalid(ctx, blog.error());
  auto created = co_await RunBlocking(blocking_, [&] {
    return blogs_.Create(
        ctx.trace, store::NewBlog{blog->title, blog->content, caller->user_id, caller->username});
  });
  if (!created) co_return Refuse(ctx, created.error());
  if (ctx.span != nullptr) ctx.span->SetAttribute("blog.id", std::string_view(created->id));
  co_return http::JsonResponse(201, ToJson(*created));
}

}  // namespace blogtrace::services::blog
