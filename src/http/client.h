// Client: calls one upstream service over HTTP/1.1 with a pool of kept-alive connections. Every
// call is a CLIENT span (named "<METHOD> <route template>") whose context is injected as
// traceparent/tracestate/baggage. A down or slow upstream becomes Error::Unavailable so the
// caller answers 503 `unavailable`.
//
// Thread safety: Send() may run concurrently from any number of coroutines, on any io_context
// (idle pooled connections are kept as plain descriptors, tied to no io_context).
// The tracer and propagator must outlive the client.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/config.h"
#include "common/result.h"
#include "http/message.h"
#include "http/request_context.h"

namespace blogtrace::faults {
class FaultInjector;
}  // namespace blogtrace::faults

namespace blogtrace::telemetry {
class Tracer;
class TextMapPropagator;
}  // namespace blogtrace::telemetry

namespace blogtrace::http {

// One upstream and how patiently to call it.
struct ClientOptions {
  // The upstream's address.
  HostPort upstream;
  // The upstream's name for error messages ("user service did not answer in time").
  std::string upstream_name = "upstream";
  // Time allowed to establish a connection.
  std::chrono::milliseconds connect_timeout{2'000};
  // Time allowed for one call (connect, send, receive); SystemConfig::upstream_timeout usually.
  std::chrono::milliseconds request_timeout{5'000};
  // Idle connections kept for reuse.
  std::size_t max_idle_connections = 8;
  // An idle connection older than this is closed rather than reused (keep it below the
  // upstream's idle timeout).
  std::chrono::milliseconds max_idle_time{30'000};
  // Largest response body accepted.
  std::size_t response_body_limit = 8 * 1024 * 1024;
  // Fault injection on calls to this upstream: the `upstream=<fault_upstream>` rules of
  // `faults` act on each call's CLIENT span (http/client_faults.h). Null: none. Not owned; must
  // outlive the client.
  const faults::FaultInjector* faults = nullptr;
  std::string fault_upstream;
};

// Tracing for outgoing calls. Null members mean no spans / nothing injected.
struct ClientTracing {
  telemetry::Tracer* tracer = nullptr;
  const telemetry::TextMapPropagator* propagator = nullptr;
};

// A pooled client for one upstream.
class Client {
 public:
  Client(ClientOptions options, ClientTracing tracing = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request` (target, method, headers and body set by the caller; Host, Content-Length
  // and trace headers are set here) as part of the request `ctx` serves: its span is the
  // parent, its deadline bounds the call. `route` is the callee's route template ("/users/{id}")
  // for the span name. Any HTTP status is a success; transport failures and timeouts are
  // Error::Unavailable. A request that failed on a reused connection the upstream had closed is
  // retried once on a new connection when it is idempotent or was not sent.
  boost::asio::awaitable<Result<Response>> Send(RequestContext& ctx, std::string_view route,
                                                Request request);

  // The same outside a request (start-up work): `parent` is the parent span context (may be
  // empty: a root span), `deadline` the upper bound.
  boost::asio::awaitable<Result<Response>> Send(const telemetry::Context& parent,
                                                std::chrono::steady_clock::time_point deadline,
                                                std::string_view route, Request request);

  // Connections opened so far (for tests and metrics).
  std::size_t connections_opened() const noexcept;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace blogtrace::http
