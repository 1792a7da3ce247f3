// Handler and middleware signatures shared by the router, the server and middleware authors.
#pragma once

#include <functional>

#include <boost/asio/awaitable.hpp>

#include "http/message.h"
#include "http/request_context.h"

namespace blogtrace::http {

// Serves one request. May throw: the server turns an exception into 500 `internal` (logged with
// detail; the response body never holds it). Runs on the connection's strand.
using Handler = std::function<boost::asio::awaitable<Response>(const Request&, RequestContext&)>;

// The rest of the chain, as a middleware sees it.
using Next = std::function<boost::asio::awaitable<Response>(const Request&, RequestContext&)>;

// Wraps the rest of the chain: may change the context, answer without calling `next`, or change
// the response. Middleware runs around every answer, including 404/405/413/431/400 ones, so a
// middleware that must not run for those (authentication) checks `ctx.route` first.
using Middleware =
    std::function<boost::asio::awaitable<Response>(const Request&, RequestContext&, const Next&)>;

}  // namespace blogtrace::http
