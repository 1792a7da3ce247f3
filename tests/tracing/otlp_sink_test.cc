// The in-process OTLP receiver: a hand-built export request goes in over HTTP, the same spans
// come out with their resource's service.name, and waiting is bounded.
#include "otlp_sink.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <thread>

#include "http_client.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace blogtrace::tracing_test {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::trace::v1::Span;

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

const std::string kTraceId = Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xff});
const std::string kRootId = Bytes({0xa, 0, 0, 0, 0, 0, 0, 1});
const std::string kChildId = Bytes({0xa, 0, 0, 0, 0, 0, 0, 2});

ExportTraceServiceRequest TwoSpanRequest() {
  ExportTraceServiceRequest request;
  auto* resource_spans = request.add_resource_spans();
  auto* service = resource_spans->mutable_resource()->add_attributes();
  service->set_key("service.name");
  service->mutable_value()->set_string_value("blog");
  auto* scope_spans = resource_spans->add_scope_spans();
  scope_spans->mutable_scope()->set_name("blogtrace.http");
  Span* root = scope_spans->add_spans();
  root->set_trace_id(kTraceId);
  root->set_span_id(kRootId);
  root->set_name("GET /blogs");
  root->set_kind(Span::SPAN_KIND_SERVER);
  auto* status = root->add_attributes();
  status->set_key("http.response.status_code");
  status->mutable_value()->set_int_value(200);
  Span* child = scope_spans->add_spans();
  child->set_trace_id(kTraceId);
  child->set_span_id(kChildId);
  child->set_parent_span_id(kRootId);
  child->set_name("SELECT blogs");
  child->set_kind(Span::SPAN_KIND_CLIENT);
  auto* event = child->add_events();
  event->set_name("note");
  auto* event_attribute = event->add_attributes();
  event_attribute->set_key("secret");
  event_attribute->mutable_value()->set_string_value("hunter2");
  return request;
}

std::string Gzip(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

HttpResponse Post(const OtlpSink& sink, std::string body, std::string type,
                  std::vector<std::pair<std::string, std::string>> extra = {}) {
  HttpRequest request{"POST", "/v1/traces", std::move(extra), std::move(body)};
  request.headers.emplace_back("Content-Type", std::move(type));
  return SendHttp("127.0.0.1", sink.port(), request);
}

TEST(OtlpSinkTest, AcceptsProtobufExportAndKeepsServiceName) {
  OtlpSink sink;
  HttpResponse response =
      Post(sink, TwoSpanRequest().SerializeAsString(), "application/x-protobuf");
  ASSERT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type"), "application/x-protobuf");
  ExportTraceServiceResponse decoded;
  EXPECT_TRUE(decoded.ParseFromString(response.body));
  EXPECT_FALSE(decoded.has_partial_success());

  ASSERT_TRUE(
      sink.WaitForTraceSpans("0102030405060708090a0b0c0d0e0fff", 2, std::chrono::seconds(5)));
  std::vector<ReceivedSpan> spans = sink.Spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].service, "blog");
  EXPECT_EQ(spans[0].scope, "blogtrace.http");
  EXPECT_EQ(spans[0].name(), "GET /blogs");
  EXPECT_EQ(spans[0].span_id, "0a00000000000001");
  EXPECT_EQ(spans[0].parent_span_id, "");
  EXPECT_EQ(spans[0].IntAttribute("http.response.status_code"), 200);
  EXPECT_EQ(spans[1].parent_span_id, "0a00000000000001");
  ASSERT_NE(spans[1].Event("note"), nullptr);
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*spans[1].Event("note"), "secret"), "hunter2");
  bool found = false;
  for (const std::string& text : spans[1].AllTexts()) found = found || text == "hunter2";
  EXPECT_TRUE(found) << "AllTexts must include event attribute values";
  EXPECT_EQ(sink.accepted_requests(), 1);
  EXPECT_EQ(sink.rejected_requests(), 0);
}

TEST(OtlpSinkTest, AcceptsGzipBodies) {
  OtlpSink sink;
  HttpResponse response = Post(sink, Gzip(TwoSpanRequest().SerializeAsString()),
                               "application/x-protobuf", {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(sink.SpansOfTrace("0102030405060708090a0b0c0d0e0fff").size(), 2u);
}

TEST(OtlpSinkTest, RejectsOtherPathsTypesAndGarbage) {
  OtlpSink sink;
  EXPECT_EQ(Post(sink, "{}", "application/json").status, 415);
  EXPECT_EQ(Post(sink, "\xff\xff\xff garbage", "application/x-protobuf").status, 400);
  HttpRequest wrong_path{"POST", "/v1/logs", {{"Content-Type", "application/x-protobuf"}}, ""};
  EXPECT_EQ(SendHttp("127.0.0.1", sink.port(), wrong_path).status, 404);
  EXPECT_EQ(sink.rejected_requests(), 3);
  EXPECT_TRUE(sink.Spans().empty());
}

TEST(OtlpSinkTest, WaitForSpansIsBoundedAndWakesOnArrival) {
  OtlpSink sink;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sink.WaitForTraceSpans("0102030405060708090a0b0c0d0e0fff", 1,
                                      std::chrono::milliseconds(100)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));

  std::thread sender(
      [&] { Post(sink, TwoSpanRequest().SerializeAsString(), "application/x-protobuf"); });
  EXPECT_TRUE(
      sink.WaitForTraceSpans("0102030405060708090a0b0c0d0e0fff", 2, std::chrono::seconds(10)));
  sender.join();
  sink.Clear();
  EXPECT_TRUE(sink.Spans().empty());
}

TEST(OtlpSinkTest, DecodeTreatsAllZeroParentAsRoot) {
  ExportTraceServiceRequest request = TwoSpanRequest();
  request.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->set_parent_span_id(
      std::string(8, '\0'));
  std::vector<ReceivedSpan> spans;
  ASSERT_TRUE(OtlpSink::Decode(request.SerializeAsString(), spans));
  EXPECT_EQ(spans[0].parent_span_id, "");
}

}  // namespace
}  // namespace blogtrace::tracing_test
