// ServiceProcess: what every service's main does around its handlers, written once: the logger,
// the tracer provider (OTEL_* variables) and propagator, the root "keys.load" span, the HTTP
// server with the tracing middleware, fault injection (FAULTS, /admin/faults, the route, store
// and upstream hooks), and a flush of spans on shutdown.
//
// Thread safety: construct, Serve() and destroy from the main thread.
#pragma once

#include <memory>
#include <string>

#include "common/config.h"
#include "common/result.h"
#include "faults/fault_injector.h"
#include "http/client.h"
#include "http/router.h"
#include "store/store.h"
#include "telemetry/api/propagator.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::services {

class ServiceProcess {
 public:
  // Configures the process logger and tracing for service `name` ("user", "authen", ...).
  ServiceProcess(std::string name, const SystemConfig& config);
  // Flushes and shuts the tracer provider down (bounded).
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // The tracer for this service's own spans. Valid while this object lives.
  telemetry::Tracer& tracer() noexcept { return *tracer_; }
  // The propagator OTEL_PROPAGATORS names. Valid while this object lives.
  const telemetry::TextMapPropagator& propagator() const noexcept { return *propagator_; }

  // Options for a client calling `upstream`, with the configured UPSTREAM_TIMEOUT_MS and the
  // `upstream=<fault_name>` fault rules ("user", "author").
  http::ClientOptions UpstreamOptions(const HostPort& upstream, std::string upstream_name,
                                      std::string fault_name) const;
  // `store` with the `store=<operation>` fault rules applied.
  std::unique_ptr<store::Store> WithFaults(std::unique_ptr<store::Store> store);
  // Tracing for such a client.
  http::ClientTracing ClientTracing() noexcept { return {tracer_, propagator_.get()}; }

  // Logs a start-up failure and returns the exit code for it (1).
  int Fail(std::string_view what, const Error& error) const;

  // Listens on `address` and serves `router` (plus /admin/faults, which needs the admin key)
  // until SIGINT/SIGTERM. Returns the process exit code: 0 after a clean stop, 1 when the admin
  // key cannot be read or the address cannot be bound (logged, naming it).
  int Serve(const HostPort& address, http::Router router);

 private:
  std::string name_;
  SystemConfig config_;
  std::unique_ptr<telemetry::TracerProvider> provider_;
  telemetry::Tracer* tracer_ = nullptr;
  std::unique_ptr<telemetry::TextMapPropagator> propagator_;
  faults::FaultInjector faults_;
};

// The secret from the environment when given, else DATA_DIR/<file_name> (created when absent).
Result<std::string> ResolveSecret(const std::optional<std::string>& configured,
                                  const std::string& data_dir, const std::string& file_name);

}  // namespace blogtrace::services
