#include "services/common/process.h"

#include "common/log.h"
#include "http/server.h"

#include "telemetry/sdk/provider_factory.h"

namespace blogtrace::services {

ServiceProcess::ServiceProcess(std::string name, const SystemConfig& config)
    : name_(std::move(name)), config_(config) {
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
                                                    std::string upstream_name) const {
  http::ClientOptions options;
  options.upstream = upstream;
  options.upstream_name = std::move(upstream_name);
  options.request_timeout = config_.upstream_timeout;
  options.connect_timeout = std::min(options.connect_timeout, config_.upstream_timeout);
  options.max_idle_connections = 64;
  return options;
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
  http::Server server(options, std::move(router), {}, {tracer_, propagator_.get()});
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
