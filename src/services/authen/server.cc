#include "services/authen/server.h"

#include "auth/jwks.h"
#include "http/response.h"
#include "services/common/handler_util.h"
#include "services/user/model.h"

namespace blogtrace::services::authen {

namespace http_ = boost::beast::http;

AuthenServer::AuthenServer(user::UserClient& users, const auth::JwtSigner& signer,
                           const auth::KeyPair& keys, telemetry::Tracer& tracer)
    : users_(users), signer_(signer), tracer_(tracer), jwks_(auth::JwksDocument(keys)) {}

void AuthenServer::Register(http::Router& router) {
  router.Add(http_::verb::get, "/healthz", Healthz);
  router.Add(http_::verb::post, "/login",
             [this](const http::Request& r, http::RequestContext& c) { return Login(r, c); });
  router.Add(http_::verb::get, "/.well-known/jwks.json",
             [this](const http::Request& r, http::RequestContext& c) { return Jwks(r, c); });
}

boost::asio::awaitable<http::Response> AuthenServer::Login(const http::Request& request,
                                                           http::RequestContext& ctx) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return Refuse(ctx, body.error());
  auto credentials = user::ParseCredentials(*body);
  if (!credentials) co_return RefuseInvalid(ctx, credentials.error());
  if (ctx.span != nullptr) ctx.span->SetAttribute("user.name", credentials->username);

  auto verified = co_await users_.Verify(ctx, *credentials);
  if (!verified) {
    if (verified.error().code == ErrorCode::kUnauthorized && ctx.span != nullptr) {
      ctx.span->SetAttribute("auth.failure.reason", "bad_credentials");
      ctx.span->AddEvent("credentials.rejected", {{"reason", "bad_credentials"}});
    }
    co_return Refuse(ctx, verified.error());
  }
  SetEndUser(ctx, verified->id, verified->username);

  Result<std::string> token = Error::Internal("not signed");
  {
    telemetry::StartSpanOptions options;
    options.parent = &ctx.trace;
    auto span = tracer_.StartSpan("jwt.sign", options);
    span.SetAttribute("jwt.alg", "RS256");
    token = signer_.Sign(verified->id, verified->username, PermissionName(verified->permission));
    if (!token) span.SetStatus(telemetry::StatusCode::kError, token.error().message);
  }
  if (!token) co_return Refuse(ctx, token.error());
  co_return http::JsonResponse(
      200, {{"token", *token}, {"token_type", "Bearer"}, {"expires_in", signer_.ttl().count()}});
}

boost::asio::awaitable<http::Response> AuthenServer::Jwks(const http::Request&,
                                                          http::RequestContext&) {
  co_return http::JsonResponse(200, jwks_);
}

}  // namespace blogtrace::services::authen
