// A blocking HTTP/1.1 client for tests: one request per connection, bounded by a timeout.
// Thread safety: the function is reentrant; it shares nothing between calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blogtrace::tracing_test {

// What came back; `error` is non-empty when no response could be read (then status is 0).
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error;

  // The first header named `name` (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

// One request.
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  // Sent with Content-Type: application/json when non-empty (unless headers name another type).
  std::string body;
};

// Sends `request` to 127.0.0.1-style `host`:`port` and reads the answer, all within `timeout`.
HttpResponse SendHttp(const std::string& host, std::uint16_t port, const HttpRequest& request,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace blogtrace::tracing_test
