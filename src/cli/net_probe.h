// Network probes the launcher uses before and while starting children: is an address free to
// bind, and does an HTTP server answer there. Blocking, bounded by timeouts; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/config.h"
#include "common/result.h"

namespace blogtrace::cli {

// Binds (and releases) a TCP listener on `address` with SO_REUSEADDR, as the servers do. Error
// naming the address when it is taken or cannot be resolved.
Status CheckBindable(const HostPort& address);

// Sends "GET <path>" to `address` and returns the response status, or nullopt when nothing
// answered within `timeout` (refused, reset, silent).
std::optional<int> ProbeHttp(const HostPort& address, const std::string& path,
                             std::chrono::milliseconds timeout);

}  // namespace blogtrace::cli
