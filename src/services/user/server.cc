#include "services/user/server.h"

#include <nlohmann/json.hpp>

#include "auth/password.h"
#include "http/response.h"
#include "services/common/blocking.h"
#include "services/common/handler_util.h"
#include "services/user/model.h"
#include "store/time_format.h"

namespace blogtrace::services::user {
namespace {

namespace http_ = boost::beast::http;

UserInfo FromStore(const store::User& user) {
  return {user.id, user.username, user.permission, store::FormatRfc3339(user.created_at)};
}

// A child span of the request, for internal work (password.hash, password.verify).
telemetry::Span StartInternal(telemetry::Tracer& tracer, http::RequestContext& ctx,
                              std::string_view name) {
  telemetry::StartSpanOptions options;
  options.parent = &ctx.trace;
  return tracer.StartSpan(name, options);
}

}  // namespace

UserServer::UserServer(store::UserStore& users, UserSecrets secrets,
                       boost::asio::thread_pool& blocking, telemetry::Tracer& tracer,
                       std::chrono::milliseconds give_up_after)
    : users_(users),
      secrets_(std::move(secrets)),
      blocking_(blocking),
      tracer_(tracer),
      give_up_after_(give_up_after) {}

void UserServer::Register(http::Router& router) {
  router.Add(http_::verb::get, "/healthz", Healthz);
  router.Add(http_::verb::post, "/users",
             [this](const http::Request& r, http::RequestContext& c) { return CreateUser(r, c); });
  router.Add(http_::verb::get, "/users/{id}",
             [this](const http::Request& r, http::RequestContext& c) { return GetUser(r, c); });
  router.Add(http_::verb::post, "/users/verify",
             [this](const http::Request& r, http::RequestContext& c) { return Verify(r, c); });
}

boost::asio::awaitable<http::Response> UserServer::CreateUser(const http::Request& request,
                                                              http::RequestContext& ctx) {
  if (!HeaderSecretMatches(request, "X-Admin-Key", secrets_.admin_key)) {
    co_return Refuse(ctx, Error::Unauthorized("missing or wrong X-Admin-Key"));
  }
  auto body = http::ParseJsonBody(request);
  if (!body) co_return Refuse(ctx, body.error());
  auto parsed = ParseNewUser(*body);
  if (!parsed) co_return RefuseInvalid(ctx, parsed.error());
  if (ctx.span != nullptr) ctx.span->SetAttribute("user.name", parsed->username);

  Result<std::string> hash = Error::Internal("not hashed");
  {
    auto span = StartInternal(tracer_, ctx, "password.hash");
    hash = co_await RunBlocking(blocking_, [&] { return auth::HashPassword(parsed->password); });
  }
  if (!hash) co_return Refuse(ctx, hash.error());

  auto created = co_await RunBlocking(blocking_, [&] {
    return users_.Create(ctx.trace, store::NewUser{parsed->username, *hash, parsed->permission});
  });
  if (!created) {
    if (created.error().code == ErrorCode::kConflict) {
      co_return Refuse(ctx, Error::Conflict("username '" + parsed->username + "' is taken"));
    }
    co_return Refuse(ctx, created.error());
  }
  SetEndUser(ctx, created->id, created->username);
  co_return http::JsonResponse(201, ToJson(FromStore(*created)));
}

boost::asio::awaitable<http::Response> UserServer::GetUser(const http::Request& request,
                                                           http::RequestContext& ctx) {
  if (!HeaderSecretMatches(request, "X-Admin-Key", secrets_.admin_key)) {
    co_return Refuse(ctx, Error::Unauthorized("missing or wrong X-Admin-Key"));
  }
  std::string id(ctx.Param("id"));
  auto found = co_await RunBlocking(blocking_, [&] { return users_.FindById(ctx.trace, id); });
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      co_return Refuse(ctx, Error::NotFound("no user with this id"));
    }
    co_return Refuse(ctx, found.error());
  }
  co_return http::JsonResponse(200, ToJson(FromStore(*found)));
}

boost::asio::awaitable<http::Response> UserServer::Verify(const http::Request& request,
                                                          http::RequestContext& ctx) {
  const auto arrived = std::chrono::steady_clock::now();
  if (!HeaderSecretMatches(request, "X-Internal-Key", secrets_.internal_key)) {
    co_return Refuse(ctx, Error::Unauthorized("missing or wrong X-Internal-Key"));
  }
  auto body = http::ParseJsonBody(request);
  if (!body) co_return Refuse(ctx, body.error());
  auto credentials = ParseCredentials(*body);
  if (!credentials) co_return RefuseInvalid(ctx, credentials.error());
  if (ctx.span != nullptr) ctx.span->SetAttribute("user.name", credentials->username);

  // A name that breaks the creation rules cannot exist: skip the store, not the hashing time.
  std::optional<store::User> user;
  if (PlausibleCredentials(*credentials)) {
    auto found = co_await RunBlocking(
        blocking_, [&] { return users_.FindByUsername(ctx.trace, credentials->username); });
    if (found) {
      user = std::move(*found);
    } else if (found.error().code != ErrorCode::kNotFound) {
      co_return Refuse(ctx, found.error());
    }
  }
  std::optional<bool> match;
  {
    auto span = StartInternal(tracer_, ctx, "password.verify");
    match = co_await RunBlocking(blocking_, [&]() -> std::optional<bool> {
      if (std::chrono::steady_clock::now() - arrived > give_up_after_) return std::nullopt;
      return user ? auth::VerifyPassword(user->password_hash, credentials->password)
                  : auth::DummyVerifyPassword(credentials->password);
    });
    if (match) span.SetAttribute("auth.password.match", *match);
  }
  if (!match) {
    co_return Refuse(ctx, Error::Unavailable("too many logins at once; try again"));
  }
  if (!*match) {
    if (ctx.span != nullptr) {
      ctx.span->SetAttribute("auth.failure.reason", "bad_credentials");
      ctx.span->AddEvent("credentials.rejected", {{"reason", "bad_credentials"}});
    }
    co_return Refuse(ctx, Error::Unauthorized("wrong username or password"));
  }
  SetEndUser(ctx, user->id, user->username);
  co_return http::JsonResponse(200, ToJson(FromStore(*user)));
}

}  // namespace blogtrace::services::user
