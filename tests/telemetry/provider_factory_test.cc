// sdk::CreateTracerProviderFromEnv end to end: OTEL_SDK_DISABLED, the OTLP pipeline to a local
// collector stand-in (resource, sampler and headers from the environment), PropagatorFromEnv.
#include <gtest/gtest.h>

#include <map>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "telemetry/sdk/provider_factory.h"
#include "tests/telemetry/test_carrier.h"
#include "tests/telemetry/test_http_server.h"

namespace blogtrace::telemetry::sdk {
namespace {

using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

GetEnvFunction Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ProviderFactory, SdkDisabledGivesNoopProvider) {
  auto provider = CreateTracerProviderFromEnv("blog", Env({{"OTEL_SDK_DISABLED", "TRUE"}}));
  Span span = provider->GetTracer("t").StartSpan("x");
  EXPECT_FALSE(span.IsRecording());
  EXPECT_FALSE(span.context().IsValid());
  EXPECT_TRUE(provider->ForceFlush(std::chrono::milliseconds(10)));
  EXPECT_TRUE(provider->Shutdown(std::chrono::milliseconds(10)));
}

TEST(ProviderFactory, ExportsOtlpToTheConfiguredEndpoint) {
  TestHttpServer collector([](const TestRequest&) { return TestResponse{}; });
  auto provider = CreateTracerProviderFromEnv(
      "blog", Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", collector.url("")},
                   {"OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=t1"},
                   {"OTEL_SERVICE_NAME", "blog-test"},
                   {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=ci"},
                   {"OTEL_TRACES_SAMPLER", "always_on"}}));
  {
    Span span = provider->GetTracer("blogtrace.test").StartSpan("GET /blogs");
    span.SetAttribute("http.route", "/blogs");
  }
  ASSERT_TRUE(provider->ForceFlush(std::chrono::seconds(10)));
  ASSERT_TRUE(collector.WaitForRequests(1, std::chrono::seconds(10)));
  auto req = collector.requests().at(0);
  EXPECT_EQ(req.target, "/v1/traces");
  EXPECT_EQ(req.Header("x-tenant"), "t1");
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(req.body));
  std::map<std::string, std::string> resource;
  for (const auto& kv : parsed.resource_spans(0).resource().attributes())
    resource[kv.key()] = kv.value().string_value();
  EXPECT_EQ(resource["service.name"], "blog-test");
  EXPECT_EQ(resource["deployment.environment"], "ci");
  EXPECT_EQ(resource["telemetry.sdk.language"], "cpp");
  const auto& span = parsed.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.name(), "GET /blogs");
  EXPECT_EQ(parsed.resource_spans(0).scope_spans(0).scope().name(), "blogtrace.test");
  EXPECT_TRUE(provider->Shutdown(std::chrono::seconds(5)));
}

TEST(ProviderFactory, AbsentCollectorNeverBlocksOrThrows) {
  std::string url;
  {
    TestHttpServer gone([](const TestRequest&) { return TestResponse{}; });
    url = gone.url("");
  }
  auto provider = CreateTracerProviderFromEnv("blog", Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", url}}));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) provider->GetTracer("t").StartSpan("x").End();
  provider->ForceFlush(std::chrono::seconds(5));
  EXPECT_TRUE(provider->Shutdown(std::chrono::seconds(5)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ProviderFactory, SamplerFromEnvironmentApplies) {
  auto provider = CreateTracerProviderFromEnv(
      "blog", Env({{"OTEL_TRACES_SAMPLER", "always_off"}, {"OTEL_TRACES_EXPORTER", "none"}}));
  Span span = provider->GetTracer("t").StartSpan("x");
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid()) << "unsampled spans still propagate";
}

TEST(ProviderFactory, PropagatorFromEnv) {
  testing::MapCarrier in{{"traceparent", "00-12345678901234567890123456789012-1234567890123456-01"},
                         {"baggage", "k=v"}};
  Context both = PropagatorFromEnv(Env({}))->Extract(in);
  EXPECT_TRUE(both.span_context.IsValid());
  EXPECT_EQ(both.baggage.Get("k"), "v");
  Context tc = PropagatorFromEnv(Env({{"OTEL_PROPAGATORS", "tracecontext"}}))->Extract(in);
  EXPECT_TRUE(tc.baggage.empty());
}

}  // namespace
}  // namespace blogtrace::telemetry::sdk
