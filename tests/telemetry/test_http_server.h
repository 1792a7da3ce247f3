// TestHttpServer: a small HTTP/1.1 server for tests on 127.0.0.1 (port 0 → an ephemeral port).
// Each request is recorded and answered by a handler; the handler can also make the server drop
// the connection without answering. Connections are kept alive. Thread-safe accessors.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace blogtrace::telemetry::testing {

struct TestRequest {
  std::string method;
  std::string target;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  // The first value of `name` (lower case), or "".
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close_without_response = false;
};

class TestHttpServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;
  explicit TestHttpServer(Handler handler);
  ~TestHttpServer();

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<TestRequest> requests() const;
  std::size_t request_count() const;
  // Waits until at least `n` requests arrived; false after `timeout`.
  bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
};

}  // namespace blogtrace::telemetry::testing
