// CollectorServer: the embedded trace collector process's parts wired together: the span store,
// the OTLP/HTTP receiver server (POST /v1/traces) and the query server (Jaeger API + viewer).
// Neither server records spans (a no-op tracer: responses carry `traceresponse`, nothing is
// exported), so the collector never sends its own spans into itself.
// Thread safety: Start from one thread; Run blocks one thread; Stop from any thread.
#pragma once

#include <memory>

#include "collector/collector_options.h"
#include "collector/query_api.h"
#include "common/result.h"
#include "http/router.h"

namespace blogtrace::collector {

class CollectorServer {
 public:
  // Opens the store under options.data_dir (creating the folder) and binds both addresses.
  // Errors name what failed ("address already in use: 127.0.0.1:4318").
  static Result<std::unique_ptr<CollectorServer>> Start(const CollectorOptions& options,
                                                        bool handle_signals = false);
  ~CollectorServer();

  // Serves until Stop() (or SIGINT/SIGTERM when handle_signals), then stops both servers and
  // writes everything queued to the store.
  void Run();
  // Asks Run() to return. Any thread, any number of times.
  void Stop() noexcept;

  std::uint16_t receiver_port() const noexcept;
  std::uint16_t query_port() const noexcept;
  SpanStore& store() noexcept;

 private:
  struct Impl;
  explicit CollectorServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The query server's routes: the Jaeger API (QueryApi), /healthz, /static/<file>. Exposed for
// tests. `api` must outlive the router.
http::Router MakeQueryRouter(QueryApi& api);

// Middleware for the query server: a GET of an unrouted path under /api/ gets the Jaeger 404
// envelope; any other unrouted GET gets the viewer's index.html (deep links such as /trace/<id>).
http::Middleware MakeViewerFallback(QueryApi& api);

}  // namespace blogtrace::collector
