// AuthenServer: the authen service's endpoints (../shared/API.md "Authen service"): checks
// credentials with the user service and issues RS256 tokens.
//
// Thread safety: handlers may run concurrently. Lifetime: keeps references to the user client,
// signer, key pair and tracer, which must outlive it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "auth/jwt_signer.h"
#include "auth/key_pair.h"
#include "http/message.h"
#include "http/request_context.h"
#include "http/router.h"
#include "services/user/client.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::services::authen {

class AuthenServer {
 public:
  AuthenServer(user::UserClient& users, const auth::JwtSigner& signer, const auth::KeyPair& keys,
               telemetry::Tracer& tracer);

  // Adds every route (GET /healthz included) to `router`; `this` must outlive the router.
  void Register(http::Router& router);

  // POST /login: JSON body (415/400) → user service verify (401, 503) → 200 token.
  boost::asio::awaitable<http::Response> Login(const http::Request& request,
                                               http::RequestContext& ctx);
  // GET /.well-known/jwks.json: the public key as a JWK Set.
  boost::asio::awaitable<http::Response> Jwks(const http::Request& request,
                                              http::RequestContext& ctx);

 private:
  user::UserClient& users_;
  const auth::JwtSigner& signer_;
  telemetry::Tracer& tracer_;
  nlohmann::json jwks_;  // computed once: the key never changes while the process runs
};

}  // namespace blogtrace::services::authen
