// AuthorServer: the author service's endpoint (../shared/API.md "Author service"): may the
// bearer of this token READ or WRITE? It needs only the public key: tokens are checked locally
// (see the README on why it does not ask the user service).
//
// Thread safety: handlers may run concurrently. Lifetime: keeps references to the verifier and
// the tracer, which must outlive it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "auth/jwt_verifier.h"
#include "http/message.h"
#include "http/request_context.h"
#include "http/router.h"
#include "services/author/model.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::services::author {

// Checks the Authorization header of `request` ("Bearer <token>", RFC 6750) with `verifier`,
// inside a "jwt.verify" span child of `ctx`; a refusal sets "auth.failure.reason" and adds the
// event "token.rejected" {reason} (status left unset: a 401 is no server error). kUnauthorized on
// any refusal; the identity and the permission the token holds otherwise.
Result<Authorization> AuthenticateBearer(const http::Request& request, http::RequestContext& ctx,
                                         const auth::JwtVerifier& verifier,
                                         telemetry::Tracer& tracer);

class AuthorServer {
 public:
  AuthorServer(const auth::JwtVerifier& verifier, telemetry::Tracer& tracer);

  // Adds every route (GET /healthz included) to `router`; `this` must outlive the router.
  void Register(http::Router& router);

  // POST /authorize: token (401) → JSON body and permission (415/400) → enough (403) → 200.
  boost::asio::awaitable<http::Response> Authorize(const http::Request& request,
                                                   http::RequestContext& ctx);

 private:
  const auth::JwtVerifier& verifier_;
  telemetry::Tracer& tracer_;
};

}  // namespace blogtrace::services::author
