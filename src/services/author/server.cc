#include "services/author/server.h"

#include "auth/bearer.h"
#include "http/response.h"
#include "services/common/handler_util.h"

namespace blogtrace::services::author {

namespace http_ = boost::beast::http;

Result<Authorization> AuthenticateBearer(const http::Request& request, http::RequestContext& ctx,
                                         const auth::JwtVerifier& verifier,
                                         telemetry::Tracer& tracer) {
  auto refuse = [&](std::string_view reason) -> Error {
    if (ctx.span != nullptr) {
      ctx.span->SetAttribute("auth.failure.reason", reason);
      ctx.span->AddEvent("token.rejected", {{"reason", reason}});
    }
    return Error::Unauthorized("missing, malformed, invalid or expired bearer token");
  };
  auto header = SingleHeader(request, "Authorization");
  if (!header) return refuse(request.count("Authorization") == 0 ? "missing" : "malformed");
  auto token = auth::ParseBearer(*header);
  if (!token) return refuse("malformed_header");

  telemetry::StartSpanOptions options;
  options.parent = &ctx.trace;
  auto span = tracer.StartSpan("jwt.verify", options);
  auto verified = verifier.Verify(*token);
  if (!verified) {
    span.SetAttribute("auth.failure.reason", verified.reason());
    span.AddEvent("token.rejected", {{"reason", verified.reason()}});
    return refuse(verified.reason());
  }
  const auth::Claims& claims = verified.claims();
  auto permission = ParsePermission(claims.permission);
  if (!permission) return refuse("bad_claims");  // the verifier checks it; kept as a guard
  span.SetAttribute("jwt.jti", std::string_view(claims.jti));
  SetEndUser(ctx, claims.sub, claims.name);
  return Authorization{claims.sub, claims.name, *permission};
}

AuthorServer::AuthorServer(const auth::JwtVerifier& verifier, telemetry::Tracer& tracer)
    : verifier_(verifier), tracer_(tracer) {}

void AuthorServer::Register(http::Router& router) {
  router.Add(http_::verb::get, "/healthz", Healthz);
  router.Add(http_::verb::post, "/authorize",
             [this](const http::Request& r, http::RequestContext& c) { return Authorize(r, c); });
}

boost::asio::awaitable<http::Response> AuthorServer::Authorize(const http::Request& request,
                                                               http::RequestContext& ctx) {
  auto caller = AuthenticateBearer(request, ctx, verifier_, tracer_);
  if (!caller) co_return Refuse(ctx, caller.error());
  auto body = http::ParseJsonBody(request);
  if (!body) co_return Refuse(ctx, body.error());
  auto needed = ParseAuthorizeRequest(*body);
  if (!needed) co_return RefuseInvalid(ctx, needed.error());
  if (!Grants(caller->permission, *needed)) {
    if (ctx.span != nullptr) {
      ctx.span->AddEvent("permission.denied", {{"required", PermissionName(*needed)},
                                               {"granted", PermissionName(caller->permission)}});
    }
    co_return Refuse(ctx, Error::Forbidden("this needs " + std::string(PermissionName(*needed)) +
                                           " permission; the token grants " +
                                           std::string(PermissionName(caller->permission))));
  }
  co_return http::JsonResponse(200, ToJson(*caller));
}

}  // namespace blogtrace::services::author
