#include "telemetry/sdk/provider_factory.h"

#include "telemetry/otlp/otlp_http_exporter.h"
#include "telemetry/sdk/batch_span_processor.h"
#include "telemetry/sdk/console_exporter.h"
#include "telemetry/sdk/tracer_provider.h"

namespace blogtrace::telemetry::sdk {

std::unique_ptr<telemetry::TracerProvider> CreateTracerProviderFromEnv(
    std::string_view default_service_name, const GetEnvFunction& getenv) {
  return CreateTracerProviderFromEnv(default_service_name, getenv, ProviderDefaults{});
}

std::unique_ptr<telemetry::TracerProvider> CreateTracerProviderFromEnv(
    std::string_view default_service_name, const GetEnvFunction& getenv,
    const ProviderDefaults& defaults) {
  if (env::GetBool(getenv, "OTEL_SDK_DISABLED")) return std::make_unique<NoopTracerProvider>();
  TracerProviderOptions options;
  options.resource = Resource::Default(defaults.service_version)
                         .Merge(Resource::FromEnv(default_service_name, getenv));
  options.sampler = SamplerFromEnv(getenv);
  options.limits = SpanLimits::FromEnv(getenv);
  std::string exporter_name = env::GetString(getenv, "OTEL_TRACES_EXPORTER").value_or("otlp");
  std::unique_ptr<SpanExporter> exporter;
  if (exporter_name == "console") {
    exporter = std::make_unique<ConsoleSpanExporter>();
  } else if (exporter_name != "none") {
    if (exporter_name != "otlp")
      LogError("OTEL_TRACES_EXPORTER: unsupported '" + exporter_name + "'; using otlp");
    exporter = std::make_unique<otlp::OtlpHttpExporter>(
        otlp::OtlpHttpExporterOptions::FromEnv(getenv, defaults.otlp_endpoint));
  }
  if (exporter) {
    options.processor = std::make_unique<BatchSpanProcessor>(
        std::move(exporter), BatchSpanProcessorOptions::FromEnv(getenv));
  }
  return std::make_unique<sdk::TracerProvider>(std::move(options));
}

std::unique_ptr<TextMapPropagator> PropagatorFromEnv(const GetEnvFunction& getenv) {
  return MakePropagator(env::GetString(getenv, "OTEL_PROPAGATORS").value_or(""));
}

}  // namespace blogtrace::telemetry::sdk
