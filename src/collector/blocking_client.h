// A tiny blocking HTTP/1.1 client on Beast for the terminal views and tests: one request per
// connection, no tracing (a CLI looking at traces must not create any). Thread-safe (no state).
#pragma once

#include <chrono>
#include <string_view>

#include "common/config.h"
#include "common/result.h"
#include "http/message.h"

namespace blogtrace::collector {

// Sends `request` to `address` (Host header and Content-Length are filled in) and reads the
// response. kUnavailable when the server cannot be reached or does not answer within `timeout`.
Result<http::Response> SendBlocking(const HostPort& address, http::Request request,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// GET `target` ("/api/traces?service=blog").
Result<http::Response> GetBlocking(const HostPort& address, std::string_view target,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace blogtrace::collector
