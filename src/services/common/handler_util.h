// Small pieces every service's handlers share: the health check, secret headers compared in
// constant time, and refusals that also explain themselves on the server span.
#pragma once

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "http/message.h"
#include "http/request_context.h"
#include "services/common/validation.h"

namespace blogtrace::services {

// GET /healthz: 200 {"status": "ok"}.
boost::asio::awaitable<http::Response> Healthz(const http::Request& request,
                                               http::RequestContext& ctx);

// True when header `name` is present exactly once and equals `expected` (constant time).
bool HeaderSecretMatches(const http::Request& request, std::string_view name,
                         std::string_view expected) noexcept;

// The value of header `name` when it is present exactly once.
std::optional<std::string_view> SingleHeader(const http::Request& request,
                                             std::string_view name) noexcept;

// A 400 for `failure`, after recording the event "validation.failed" {field, reason} on the
// server span.
http::Response RefuseInvalid(http::RequestContext& ctx, const FieldError& failure);

// The error response for `error`, recording "error.message" on the span for 5xx answers so the
// trace shows why.
http::Response Refuse(http::RequestContext& ctx, const Error& error);

// Sets "enduser.id" and "user.name" on the server span once the caller is known.
void SetEndUser(http::RequestContext& ctx, std::string_view user_id, std::string_view username);

}  // namespace blogtrace::services
