// Upstream faults (`upstream=<service>` rules) at the client wrapper, on the call's CLIENT span:
// a delay before the request is sent (bounded by the call's deadline, past which the call times
// out as a slow upstream would), an error answered as if the upstream had sent that status, or
// `unreachable`, failing the call as a refused connection does (Error::Unavailable, so the
// caller answers 503 `unavailable` as it does for a real outage).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "faults/fault_injector.h"
#include "http/message.h"
#include "telemetry/api/span.h"

namespace blogtrace::http {

// Applies the rules that fire for a call to `upstream`; nullopt when the real call should go
// ahead (nothing fired, or only a delay that ended before the deadline), else the call's outcome.
// `upstream_name` words error messages ("author service").
boost::asio::awaitable<std::optional<Result<Response>>> ApplyUpstreamFaults(
    const faults::FaultInjector& injector, std::string_view upstream,
    std::string_view upstream_name, telemetry::Span& span,
    std::chrono::steady_clock::time_point deadline);

// Marks a CLIENT span failed without a response: error.type `type`, an exception event with
// `detail`, status ERROR with `message`; returns Error::Unavailable(message).
Error FailUpstreamSpan(telemetry::Span& span, std::string_view type, std::string_view detail,
                       std::string message);

}  // namespace blogtrace::http
