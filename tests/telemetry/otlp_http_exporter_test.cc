// The OTLP/HTTP exporter against a local HTTP server: request shape, gzip, retry policy (503,
// 429 + Retry-After, 400, refused, closed), deadlines, partial success, https refusal, env.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <map>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "telemetry/otlp/otlp_http_exporter.h"
#include "telemetry/sdk/in_memory_exporter.h"
#include "telemetry/sdk/simple_span_processor.h"
#include "telemetry/sdk/tracer_provider.h"
#include "tests/telemetry/test_http_server.h"

namespace blogtrace::telemetry::otlp {
namespace {

namespace pb = opentelemetry::proto;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;
using Clock = std::chrono::steady_clock;

// A few recorded spans to export.
class Spans {
 public:
  Spans() {
    sdk::TracerProviderOptions o;
    o.processor = std::make_unique<sdk::SimpleSpanProcessor>(
        std::make_unique<sdk::InMemorySpanExporter>(store_));
    provider_ = std::make_unique<sdk::TracerProvider>(std::move(o));
    for (int i = 0; i < 3; ++i) provider_->GetTracer("t").StartSpan("s" + std::to_string(i)).End();
    data_ = store_->Spans();
    for (const auto& d : data_) ptrs_.push_back(&d);
  }
  std::span<const sdk::SpanData* const> get() const { return ptrs_; }

 private:
  std::shared_ptr<sdk::InMemorySpanStore> store_ = std::make_shared<sdk::InMemorySpanStore>();
  std::unique_ptr<sdk::TracerProvider> provider_;
  std::vector<sdk::SpanData> data_;
  std::vector<const sdk::SpanData*> ptrs_;
};

OtlpHttpExporterOptions Options(const std::string& endpoint) {
  OtlpHttpExporterOptions o;
  o.endpoint = endpoint;
  o.timeout = std::chrono::milliseconds(2000);
  o.initial_backoff = std::chrono::milliseconds(20);
  o.max_backoff = std::chrono::milliseconds(100);
  o.max_attempts = 100;
  return o;
}

Clock::time_point Far() { return Clock::now() + std::chrono::seconds(60); }

std::string Gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(OtlpHttpExporter, PostsProtobufWithHeaders) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{}; });
  auto o = Options(server.url("/v1/traces"));
  o.headers = {{"authorization", "Bearer x"}};
  OtlpHttpExporter exporter(o);
  Spans spans;
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kSuccess);
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kSuccess);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/v1/traces");
  EXPECT_EQ(reqs[0].Header("content-type"), "application/x-protobuf");
  EXPECT_EQ(reqs[0].Header("authorization"), "Bearer x");
  pb::collector::trace::v1::ExportTraceServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(reqs[0].body));
  EXPECT_EQ(parsed.resource_spans(0).scope_spans(0).spans_size(), 3);
  EXPECT_EQ(exporter.exported_spans(), 6u);
  EXPECT_EQ(exporter.requests(), 2u);
}

TEST(OtlpHttpExporter, GzipCompressesTheBody) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{}; });
  auto o = Options(server.url("/v1/traces"));
  o.gzip = true;
  OtlpHttpExporter exporter(o);
  Spans spans;
  ASSERT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kSuccess);
  auto req = server.requests().at(0);
  EXPECT_EQ(req.Header("content-encoding"), "gzip");
  pb::collector::trace::v1::ExportTraceServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(Gunzip(req.body)));
  EXPECT_EQ(parsed.resource_spans(0).scope_spans(0).spans_size(), 3);
}

TEST(OtlpHttpExporter, RetriesOn503ThenSucceeds) {
  std::atomic<int> calls{0};
  TestHttpServer server(
      [&](const TestRequest&) { return TestResponse{.status = ++calls <= 2 ? 503 : 200}; });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kSuccess);
  EXPECT_EQ(exporter.requests(), 3u);
  EXPECT_EQ(exporter.exported_spans(), 3u);
}

TEST(OtlpHttpExporter, Persistent503GivesUpWithinTheTimeout) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{.status = 503}; });
  auto o = Options(server.url("/v1/traces"));
  o.timeout = std::chrono::milliseconds(500);
  OtlpHttpExporter exporter(o);
  Spans spans;
  auto start = Clock::now();
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  auto took = Clock::now() - start;
  EXPECT_LT(took, std::chrono::milliseconds(700));
  EXPECT_GE(exporter.requests(), 3u) << "backoff 20ms growing to 100ms within 500ms";
  EXPECT_EQ(exporter.failed_spans(), 3u);
}

TEST(OtlpHttpExporter, RetryStopsAtMaxAttempts) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{.status = 502}; });
  auto o = Options(server.url("/v1/traces"));
  o.max_attempts = 3;
  OtlpHttpExporter exporter(o);
  Spans spans;
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(OtlpHttpExporter, HonoursRetryAfter) {
  std::atomic<int> calls{0};
  TestHttpServer server([&](const TestRequest&) {
    if (++calls == 1) return TestResponse{.status = 429, .headers = {{"Retry-After", "1"}}};
    return TestResponse{};
  });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  auto start = Clock::now();
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kSuccess);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(950));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(OtlpHttpExporter, RetryAfterBeyondTheDeadlineGivesUpAtOnce) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse{.status = 429, .headers = {{"Retry-After", "30"}}};
  });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  auto start = Clock::now();
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(OtlpHttpExporter, DoesNotRetry400) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{.status = 400}; });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(exporter.failed_spans(), 3u);
}

TEST(OtlpHttpExporter, ConnectionRefusedFailsFastWithoutRetry) {
  std::string url;
  {
    TestHttpServer gone([](const TestRequest&) { return TestResponse{}; });
    url = gone.url("/v1/traces");
  }
  OtlpHttpExporter exporter(Options(url));
  Spans spans;
  auto start = Clock::now();
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(exporter.requests(), 2u);
  EXPECT_EQ(exporter.failed_spans(), 6u);
}

TEST(OtlpHttpExporter, ConnectionClosedWithoutResponseFails) {
  TestHttpServer server(
      [](const TestRequest&) { return TestResponse{.close_without_response = true}; });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(OtlpHttpExporter, ExportDeadlineBoundsASilentServer) {
  TestHttpServer server([](const TestRequest&) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(1500));  // the server is slow, not the test
    return TestResponse{};
  });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  auto start = Clock::now();
  EXPECT_EQ(exporter.Export(spans.get(), Clock::now() + std::chrono::milliseconds(200)),
            sdk::ExportResult::kFailure);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(600));
}

TEST(OtlpHttpExporter, PartialSuccessCountsRejectedSpans) {
  pb::collector::trace::v1::ExportTraceServiceResponse res;
  res.mutable_partial_success()->set_rejected_spans(1);
  res.mutable_partial_success()->set_error_message("span too old");
  std::string body = res.SerializeAsString();
  TestHttpServer server([&](const TestRequest&) { return TestResponse{.body = body}; });
  OtlpHttpExporter exporter(Options(server.url("/v1/traces")));
  Spans spans;
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kSuccess);
  EXPECT_EQ(exporter.failed_spans(), 1u);
  EXPECT_EQ(exporter.exported_spans(), 2u);
}

TEST(OtlpHttpExporter, HttpsAndMalformedEndpointsAreRefused) {
  Spans spans;
  OtlpHttpExporter https(Options("https://127.0.0.1:4318/v1/traces"));
  EXPECT_EQ(https.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_EQ(https.requests(), 0u);
  OtlpHttpExporter bad(Options("not a url"));
  EXPECT_EQ(bad.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
}

TEST(OtlpHttpExporter, ShutdownInterruptsBackoff) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse{.status = 503, .headers = {{"Retry-After", "5"}}};
  });
  auto o = Options(server.url("/v1/traces"));
  o.timeout = std::chrono::seconds(20);
  OtlpHttpExporter exporter(o);
  Spans spans;
  std::thread t([&] {
    server.WaitForRequests(1, std::chrono::seconds(5));
    exporter.Shutdown(std::chrono::seconds(1));
  });
  auto start = Clock::now();
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  t.join();
  EXPECT_EQ(exporter.Export(spans.get(), Far()), sdk::ExportResult::kFailure);
}

sdk::GetEnvFunction Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(OtlpHttpExporterOptions, FromEnv) {
  auto d = OtlpHttpExporterOptions::FromEnv(Env({}));
  EXPECT_EQ(d.endpoint, "http://127.0.0.1:4318/v1/traces");
  EXPECT_EQ(d.timeout, std::chrono::milliseconds(10000));
  EXPECT_FALSE(d.gzip);
  EXPECT_EQ(OtlpHttpExporterOptions::FromEnv(Env({}), "http://c:1/v1/traces").endpoint,
            "http://c:1/v1/traces");
  EXPECT_EQ(OtlpHttpExporterOptions::FromEnv(Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:9/"}}))
                .endpoint,
            "http://h:9/v1/traces");
  auto o = OtlpHttpExporterOptions::FromEnv(
      Env({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:9"},
           {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://t:1/custom"},
           {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b,x=1"},
           {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x=2"},
           {"OTEL_EXPORTER_OTLP_TIMEOUT", "1234"},
           {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"}}));
  EXPECT_EQ(o.endpoint, "http://t:1/custom");
  ASSERT_EQ(o.headers.size(), 2u);
  EXPECT_EQ(o.headers[0], (std::pair<std::string, std::string>{"api-key", "a b"}));
  EXPECT_EQ(o.headers[1], (std::pair<std::string, std::string>{"x", "2"}));
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(1234));
  EXPECT_TRUE(o.gzip);
}

TEST(HttpUrl, Parses) {
  auto u = ParseHttpUrl("http://127.0.0.1:4318/v1/traces");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "4318");
  EXPECT_EQ(u->target, "/v1/traces");
  EXPECT_EQ(ParseHttpUrl("http://example.com")->port, "80");
  EXPECT_EQ(ParseHttpUrl("http://example.com")->target, "/");
  EXPECT_EQ(ParseHttpUrl("http://[::1]:9/x")->host, "::1");
  EXPECT_FALSE(ParseHttpUrl("ftp://x"));
  EXPECT_FALSE(ParseHttpUrl("http://:80/"));
  EXPECT_FALSE(ParseHttpUrl("http://h:8x/"));
}

}  // namespace
}  // namespace blogtrace::telemetry::otlp
