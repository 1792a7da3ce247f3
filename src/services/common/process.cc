#include "services/common/process.h"

#include "common/log.h"
#include "http/fault_middleware.h"
#include "http/server.h"
#include "services/common/fault_admin.h"
#include "store/fault_store.h"

#include "telemetry/sdk/provider_factory.h"

namespace blogtrace::services {

ServiceProcess::ServiceProcess(std::string name, const SystemConfig& config)
    : name_(std::move(name)), config_(config), faults_(config.faults) {
  LogOptions log;
  log.service = name_;
  log.format = config.log_format;
  log.level = ParseLogLevel(config.log_level).value_or(LogLevel::kInfo);
  Logger::Configure(log);
  // Spans go to the embedded collector at COLLECTOR_ADDR unless OTEL_EXPORTER_OTLP_* says else.
  telemetry::sdk::ProviderDefaults defaults;
  defaults.otlp_endpoint = "http://" + config.collector_addr.ToString() + "/v1/traces";
  provider_ =
      telemetry::sdk::CreateTracerProviderFromEnv(name_, telemetry::sdk::ProcessGetEnv, defaults);
  propagator_ = telemetry::sdk::PropagatorFromEnv();
  tracer_ = &provider_->GetTracer("blogtrace/services/" + name_);
}

ServiceProcess::~ServiceProcess() { provider_->Shutdown(std::chrono::seconds(5)); }

http::ClientOptions ServiceProcess::UpstreamOptions(const HostPort& upstream,
                                                    std::string upstream_name,
                                                    std::string fault_name) const {
  http::ClientOptions options;
  options.faults = &faults_;
  options.fault_upstream = std::move(fault_name);
  options.upstream = upstream;
  options.upstream_name = std::move(upstream_name);
  options.request_timeout = config_.upstream_timeout;
  options.connect_timeout = std::min(options.connect_timeout, config_.upstream_timeout);
  options.max_idle_connections = 64;
  return options;
}

std::unique_ptr<store::Store> ServiceProcess::WithFaults(std::unique_ptr<store::Store> store) {
  return store::WithStoreFaults(std::move(store),
                                {.injector = &faults_, .tracer = tracer_, .kind = config_.store});
}

int ServiceProcess::Fail(std::string_view what, const Error& error) const {
  Logger::Bg().Error(std::string(what) + ": " + error.message);
  return 1;
}

int ServiceProcess::Serve(const HostPort& address, http::Router router) {
  http::ServerOptions options;
  options.address = address;
  options.service_name = name_;
  options.handle_signals = true;
  auto admin_key = ResolveSecret(config_.admin_key, config_.data_dir, "admin.key");
  if (!admin_key) return Fail("admin key", admin_key.error());
  RegisterFaultAdmin(router, faults_, *admin_key);
  if (!config_.faults.empty()) {
    Logger::Bg().Warn("fault injection on", {{"faults", faults::FormatFaultRules(config_.faults)}});
  }
  http::Server server(options, std::move(router), {http::MakeFaultMiddleware(faults_)},
                      {tracer_, propagator_.get()});
  if (auto started = server.Start(); !started) return Fail("cannot listen", started.error());
  Logger::Bg().Info(name_ + " service listening",
                    {{"address", address.host + ":" + std::to_string(server.port())}});
  server.Run();
  Logger::Bg().Info(name_ + " service stopped");
  return 0;
}

Result<std::string> ResolveSecret(const std::optional<std::string>& configured,
                                  const std::string& data_dir, const std::string& file_name) {
  if (configured) return *configured;
  return LoadOrCreateSecret(data_dir, file_name);
}

}  // namespace blogtrace::services
