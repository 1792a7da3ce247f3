// UserServer: the user service's endpoints (../shared/API.md "User service"), one method per
// endpoint. Handlers are coroutines from request to response, testable without sockets.
//
// Thread safety: handlers may run concurrently; the server holds no mutable state.
// Lifetime: keeps references to the store, the pool and the tracer, which must outlive it.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/message.h"
#include "http/request_context.h"
#include "http/router.h"
#include "store/user_store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::services::user {

// The secrets the user service checks.
struct UserSecrets {
  std::string admin_key;     // X-Admin-Key: creating and reading users
  std::string internal_key;  // X-Internal-Key: POST /users/verify
};

class UserServer {
 public:
  // `blocking` runs the store calls and the Argon2id work off the event loop.
  // `give_up_after`: a verification still queued for the pool this long after its request
  // arrived is dropped with 503 (its caller, the authen service, has given up by then), so a burst
  // of logins cannot snowball into a queue of work nobody waits for.
  UserServer(store::UserStore& users, UserSecrets secrets, boost::asio::thread_pool& blocking,
             telemetry::Tracer& tracer,
             std::chrono::milliseconds give_up_after = std::chrono::milliseconds(5000));

  // Adds every route (GET /healthz included) to `router`; `this` must outlive the router.
  void Register(http::Router& router);

  // POST /users: admin key (401), JSON body (415/400), validation (400), conflict (409) → 201.
  boost::asio::awaitable<http::Response> CreateUser(const http::Request& request,
                                                    http::RequestContext& ctx);
  // GET /users/{id}: admin key (401) → 200 or 404.
  boost::asio::awaitable<http::Response> GetUser(const http::Request& request,
                                                 http::RequestContext& ctx);
  // POST /users/verify: internal key (401), JSON body (415/400) → 200 the user, or 401 for an
  // unknown user and a wrong password alike (both spend one Argon2id verification).
  boost::asio::awaitable<http::Response> Verify(const http::Request& request,
                                                http::RequestContext& ctx);

 private:
  store::UserStore& users_;
  UserSecrets secrets_;
  boost::asio::thread_pool& blocking_;
  telemetry::Tracer& tracer_;
  std::chrono::milliseconds give_up_after_;
};

}  // namespace blogtrace::services::user
