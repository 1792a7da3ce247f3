// Entry point for programs: a TracerProvider and a propagator configured from OTEL_* variables.
//
//   auto provider = sdk::CreateTracerProviderFromEnv("blog");
//   auto propagator = sdk::PropagatorFromEnv();
//   Tracer& tracer = provider->GetTracer("blogtrace.http");
//   Context ctx = propagator->Extract(carrier);                 // incoming request
//   Span span = tracer.StartSpan("GET /blogs", {.kind = SpanKind::kServer, .parent = &ctx});
//   Context child = ContextWithSpan(ctx, span);                 // pass to calls made for it
//   ...
//   provider->Shutdown(std::chrono::seconds(5));                // at exit: flush
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "telemetry/api/propagator.h"
#include "telemetry/api/tracer.h"
#include "telemetry/sdk/env.h"

namespace blogtrace::telemetry::sdk {

// Defaults a program may set where the environment says nothing.
struct ProviderDefaults {
  // Used when neither OTEL_EXPORTER_OTLP_TRACES_ENDPOINT nor OTEL_EXPORTER_OTLP_ENDPOINT is set.
  std::string otlp_endpoint = "http://127.0.0.1:4318/v1/traces";
  std::string service_version = "0.1.0";
};

// OTEL_SDK_DISABLED=true → NoopTracerProvider. Otherwise: resource (OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES), sampler (OTEL_TRACES_SAMPLER[_ARG]), limits (OTEL_*_LIMIT), exporter
// (OTEL_TRACES_EXPORTER = otlp (default) | console | none; OTEL_EXPORTER_OTLP_*) behind a
// BatchSpanProcessor (OTEL_BSP_*). Never fails: bad values are reported and defaulted.
std::unique_ptr<telemetry::TracerProvider> CreateTracerProviderFromEnv(
    std::string_view default_service_name, const GetEnvFunction& getenv = ProcessGetEnv);
std::unique_ptr<telemetry::TracerProvider> CreateTracerProviderFromEnv(
    std::string_view default_service_name, const GetEnvFunction& getenv,
    const ProviderDefaults& defaults);

// OTEL_PROPAGATORS (default "tracecontext,baggage").
std::unique_ptr<TextMapPropagator> PropagatorFromEnv(const GetEnvFunction& getenv = ProcessGetEnv);

}  // namespace blogtrace::telemetry::sdk
