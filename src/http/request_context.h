// RequestContext: everything a handler, client call or store call needs to know about the request
// it serves. It is passed explicitly, by reference, down every call made for one request; it is
// never stored in thread-local or global state (handlers are coroutines and may resume on
// another thread).
//
// Lifetime: the server owns the context; it lives until the response has been produced. A handler
// must not keep a pointer to it (or to `span`) past its own co_return.
// Thread safety: one request's context is used by one coroutine at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/api/context.h"
#include "telemetry/api/span.h"

namespace blogtrace::http {

// Ordered name/value pairs (path or query parameters), already percent-decoded.
using Params = std::vector<std::pair<std::string, std::string>>;

// The per-request context handed to every handler and middleware.
struct RequestContext {
  // The route template the request matched ("/users/{id}"); empty when no route matched.
  std::string route;
  // Path parameters of the matched route, percent-decoded ({"id", "42"}).
  Params path_params;
  // Query parameters in the order given, percent-decoded ('+' is a space).
  Params query_params;
  // The path of the request target without the query, as sent.
  std::string path;

  // The client's address and port as the socket sees them.
  std::string peer_address;
  std::uint16_t peer_port = 0;
  // The local address and port the request arrived on.
  std::string local_address;
  std::uint16_t local_port = 0;

  // When work for this request should give up (client calls use it as their upper bound).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  // The server span's context and the request's baggage: the parent of child spans and what the
  // client propagates. Invalid (but with baggage) when tracing is off.
  telemetry::Context trace;
  // The server span, for attributes and events. Never null while a handler or middleware inside
  // the tracing middleware runs (a no-op span when tracing is off). Not owned.
  telemetry::Span* span = nullptr;

  // The value of path parameter `name`, or an empty view when the route has no such parameter.
  std::string_view Param(std::string_view name) const noexcept;

  // The first value of query parameter `name`, or nullopt when absent.
  std::optional<std::string_view> Query(std::string_view name) const noexcept;
};

}  // namespace blogtrace::http
