// Server: an HTTP/1.1 server on Boost.Asio/Beast with C++20 coroutines. One coroutine per
// connection on its own strand handles requests sequentially (keep-alive and pipelining are
// safe). Limits are enforced before routing: a body over `body_limit` gets 413, headers over
// `header_limit` bytes or `max_headers` fields get 431, malformed HTTP gets 400; these answers go
// through the middleware (so they carry `traceresponse`), are sent with `Connection: close`, and
// the connection is then half-closed and drained so the client can read them.
//
// Thread safety: Start() and Run() from one thread; Stop() and port() from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/result.h"
#include "http/handler.h"
#include "http/router.h"

namespace blogtrace::telemetry {
class Tracer;
class TextMapPropagator;
}  // namespace blogtrace::telemetry

namespace blogtrace::http {

// How a server listens and what it tolerates.
struct ServerOptions {
  // Where to listen; port 0 picks a free port (see Server::port()).
  HostPort address{"127.0.0.1", 0};
  // The service name, for logs and the `server` of spans.
  std::string service_name = "http";
  // Largest request body accepted (413 above it).
  std::size_t body_limit = 1024 * 1024;
  // Largest request header block in bytes, request line included (431 above it).
  std::size_t header_limit = 16 * 1024;
  // Most header fields accepted (431 above it).
  std::size_t max_headers = 100;
  // Time allowed to receive one whole request once its first byte arrived.
  std::chrono::milliseconds read_timeout{30'000};
  // Time a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Time allowed to send one response.
  std::chrono::milliseconds write_timeout{30'000};
  // Deadline handlers get for their work (RequestContext::deadline).
  std::chrono::milliseconds handler_timeout{30'000};
  // Threads running the I/O loop (Run() uses the calling thread as one of them).
  int threads = 2;
  // How long Stop() waits for in-flight requests before abandoning them.
  std::chrono::milliseconds shutdown_grace{5'000};
  // When true, SIGINT and SIGTERM stop the server.
  bool handle_signals = false;
};

// Tracing plugged into a server: the tracing middleware runs outermost, around every answer.
// Both objects must outlive the server.
struct ServerTracing {
  telemetry::Tracer* tracer = nullptr;                       // null: no tracing middleware
  const telemetry::TextMapPropagator* propagator = nullptr;  // null: nothing extracted
};

// An HTTP server. Not copyable or movable.
class Server {
 public:
  // `middleware` runs in order around the matched handler (index 0 outermost, inside tracing).
  Server(ServerOptions options, Router router, std::vector<Middleware> middleware = {},
         ServerTracing tracing = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Errors name the address: "address already in use: 127.0.0.1:3001".
  Status Start();

  // The bound port (after Start()).
  std::uint16_t port() const noexcept;

  // Serves until Stop() (or a signal with handle_signals), then shuts down gracefully: stops
  // accepting, closes idle connections, lets in-flight requests finish within shutdown_grace,
  // and returns. Precondition: Start() succeeded.
  void Run();

  // Asks Run() to return. Safe from any thread, any number of times, also before Run().
  void Stop() noexcept;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace blogtrace::http
