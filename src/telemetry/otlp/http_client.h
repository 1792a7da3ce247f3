// A small synchronous HTTP/1.1 client for the export thread: one kept-alive connection, every
// operation bounded by a deadline (Boost.Beast over Asio, driven synchronously). http:// only.
// Not thread-safe: one exporter thread owns it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blogtrace::telemetry::otlp {

struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  std::string port;
  std::string target;  // path and query, at least "/"
};

// Parses "scheme://host[:port][/path]"; nullopt when malformed.
std::optional<HttpUrl> ParseHttpUrl(std::string_view url);

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header, if any
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body`; on a transport failure (refused, reset, timeout at `deadline`) returns nullopt
  // and sets `error`. A kept-alive connection the server closed meanwhile is reopened once.
  std::optional<HttpResponse> Post(const HttpUrl& url,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   std::string_view body,
                                   std::chrono::steady_clock::time_point deadline,
                                   std::string& error);
  // Closes the connection (it reopens on the next Post).
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blogtrace::telemetry::otlp
