#include "collector/otlp_decode.h"

#include <gtest/gtest.h>

#include "collector/span_batch.h"
#include "gzip_util.h"
#include "test_spans.h"

namespace blogtrace::collector {
namespace {

using namespace testing;

TEST(GunzipTest, RoundTrips) {
  std::string data(100000, 'x');
  auto out = Gunzip(Gzip(data), 1 << 20);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, data);
}

TEST(GunzipTest, StopsAtTheCap) {
  std::string bomb(50 << 20, '\0');  // 50 MiB of zeros compress to ~50 KiB
  std::string compressed = Gzip(bomb);
  auto out = Gunzip(compressed, 16 << 20);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kPayloadTooLarge);
}

TEST(GunzipTest, RejectsGarbageAndTruncation) {
  auto garbage = Gunzip("definitely not gzip", 1 << 20);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, ErrorCode::kBadRequest);
  std::string compressed = Gzip(std::string(10000, 'a'));
  auto truncated = Gunzip(compressed.substr(0, compressed.size() / 2), 1 << 20);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, ErrorCode::kBadRequest);
}

TEST(ProtobufDecodeTest, DecodesAndRejectsGarbage) {
  otlp_collector::ExportTraceServiceRequest req;
  AddSpan(AddScope(req, "blog"), 1, 1, 0, "GET /blogs", 1000, 500);
  otlp_collector::ExportTraceServiceRequest out;
  ASSERT_TRUE(DecodeProtobufRequest(req.SerializeAsString(), out).ok());
  EXPECT_EQ(out.resource_spans(0).scope_spans(0).spans(0).name(), "GET /blogs");
  otlp_collector::ExportTraceServiceRequest bad;
  EXPECT_FALSE(DecodeProtobufRequest("\xff\xff\xff\xff garbage", bad).ok());
}

// The shape the OpenTelemetry JS and Python SDKs send: hex ids, string int64s, intValue as a
// string, kind and status code as integers, lowerCamelCase names.
constexpr char kSdkJson[] = R"({
  "resourceSpans": [{
    "resource": {"attributes": [
      {"key": "service.name", "value": {"stringValue": "frontend"}},
      {"key": "process.pid", "value": {"intValue": "4242"}}],
      "droppedAttributesCount": 0},
    "scopeSpans": [{
      "scope": {"name": "@opentelemetry/instrumentation-http", "version": "0.52.0"},
      "spans": [{
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b174",
        "parentSpanId": "",
        "name": "GET /api",
        "kind": 2,
        "startTimeUnixNano": "1544712660000000000",
        "endTimeUnixNano": "1544712661000000000",
        "attributes": [
          {"key": "http.response.status_code", "value": {"intValue": "200"}},
          {"key": "sampled", "value": {"boolValue": true}},
          {"key": "ratio", "value": {"doubleValue": 0.25}},
          {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}]}}}],
        "droppedAttributesCount": 0,
        "events": [{"timeUnixNano": "1544712660500000000", "name": "cache.miss",
                    "attributes": [{"key": "key", "value": {"stringValue": "k1"}}]}],
        "links": [{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331"}],
        "status": {"code": 2, "message": "boom"},
        "futureField": {"ignored": true}
      }]
    }]
  }]
})";

TEST(JsonDecodeTest, AcceptsWhatTheSdksSend) {
  otlp_collector::ExportTraceServiceRequest out;
  auto status = DecodeJsonRequest(kSdkJson, out);
  ASSERT_TRUE(status.ok()) << status.error().message;
  const auto& rs = out.resource_spans(0);
  EXPECT_EQ(rs.resource().attributes(1).value().int_value(), 4242);
  const auto& span = rs.scope_spans(0).spans(0);
  EXPECT_EQ(ToHex(span.trace_id()), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(ToHex(span.span_id()), "eee19b7ec3c1b174");
  EXPECT_TRUE(span.parent_span_id().empty());
  EXPECT_EQ(span.kind(), trace_pb::Span::SPAN_KIND_SERVER);
  EXPECT_EQ(span.start_time_unix_nano(), 1544712660000000000u);
  EXPECT_EQ(span.end_time_unix_nano(), 1544712661000000000u);
  EXPECT_EQ(span.attributes(0).value().int_value(), 200);
  EXPECT_TRUE(span.attributes(1).value().bool_value());
  EXPECT_DOUBLE_EQ(span.attributes(2).value().double_value(), 0.25);
  EXPECT_EQ(span.attributes(3).value().array_value().values(0).string_value(), "a");
  EXPECT_EQ(span.events(0).name(), "cache.miss");
  EXPECT_EQ(span.events(0).time_unix_nano(), 1544712660500000000u);
  EXPECT_EQ(ToHex(span.links(0).span_id()), "b7ad6b7169203331");
  EXPECT_EQ(span.status().code(), trace_pb::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(span.status().message(), "boom");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "0.52.0");
}

TEST(JsonDecodeTest, AcceptsSnakeCaseEnumNamesAndNumbers) {
  constexpr char kBody[] = R"({"resource_spans": [{"scope_spans": [{"spans": [{
      "trace_id": "5B8EFFF798038103D269B633813FC60C", "span_id": "eee19b7ec3c1b174",
      "kind": "SPAN_KIND_CLIENT", "start_time_unix_nano": 1000, "end_time_unix_nano": 3000,
      "status": {"code": "STATUS_CODE_OK"},
      "attributes": [{"key": "n", "value": {"int_value": 7}},
                     {"key": "b", "value": {"bytesValue": "AQID"}}]}]}]}]})";
  otlp_collector::ExportTraceServiceRequest out;
  auto status = DecodeJsonRequest(kBody, out);
  ASSERT_TRUE(status.ok()) << status.error().message;
  const auto& span = out.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(ToHex(span.trace_id()), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(span.kind(), trace_pb::Span::SPAN_KIND_CLIENT);
  EXPECT_EQ(span.end_time_unix_nano(), 3000u);
  EXPECT_EQ(span.status().code(), trace_pb::Status::STATUS_CODE_OK);
  EXPECT_EQ(span.attributes(0).value().int_value(), 7);
  EXPECT_EQ(span.attributes(1).value().bytes_value(), std::string("\x01\x02\x03"));
}

TEST(JsonDecodeTest, RejectsMalformedBodies) {
  struct Case {
    const char* name;
    const char* body;
  };
  const Case cases[] = {
      {"not json", "{nope"},
      {"array root", "[]"},
      {"resourceSpans not array", R"({"resourceSpans": {}})"},
      {"id not hex", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]})"},
      {"base64 id",
       R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA=="}]}]}]})"},
      {"time not number",
       R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]})"},
      {"negative time",
       R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":-5}]}]}]})"},
      {"name not string", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]})"},
      {"bad kind name", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVERISH"}]}]}]})"},
      {"span not object", R"({"resourceSpans":[{"scopeSpans":[{"spans":[7]}]}]})"},
  };
  for (const auto& c : cases) {
    otlp_collector::ExportTraceServiceRequest out;
    auto status = DecodeJsonRequest(c.body, out);
    EXPECT_FALSE(status.ok()) << c.name;
    if (!status.ok()) {
      EXPECT_EQ(status.error().code, ErrorCode::kBadRequest) << c.name;
    }
    EXPECT_EQ(out.resource_spans_size(), 0) << c.name;
  }
}

// Raw id bytes as the SpanRecord arrays hold them.
template <std::size_t N>
std::string IdString(const std::array<char, N>& id) {
  return std::string(id.data(), id.size());
}

TEST(ExtractSpansTest, RejectsInvalidIdsAndKeepsTheRest) {
  otlp_collector::ExportTraceServiceRequest req;
  auto* ss = AddScope(req, "blog");
  AddSpan(ss, 1, 1, 0, "ok", 1000, 10);
  AddSpan(ss, 1, 2, 0, "short trace", 1000, 10)->set_trace_id("abc");
  AddSpan(ss, 1, 3, 0, "zero span", 1000, 10)->set_span_id(std::string(8, '\0'));
  AddSpan(ss, 1, 4, 0, "bad parent", 1000, 10)->set_parent_span_id("xyz");
  AddSpan(ss, 1, 5, 1, "child", 1005, 2);
  auto result = ExtractSpans(req);
  EXPECT_EQ(result.rejected, 3);
  EXPECT_NE(result.error_message.find("3 span(s) rejected"), std::string::npos);
  const SpanBatch& batch = result.batch;
  ASSERT_EQ(batch.spans.size(), 2u);
  EXPECT_EQ(batch.Name(batch.spans[0]), "ok");
  EXPECT_EQ(IdString(batch.spans[0].trace_id), Bytes(TraceHex(1)));
  EXPECT_EQ(IdString(batch.spans[0].span_id), Bytes(SpanHex(1)));
  EXPECT_TRUE(batch.spans[0].is_root());
  EXPECT_EQ(IdString(batch.spans[1].parent_id), Bytes(SpanHex(1)));
  EXPECT_FALSE(batch.spans[1].is_root());
  EXPECT_EQ(batch.spans[1].start_ns, 1005u);
  EXPECT_EQ(batch.spans[1].duration_ns, 2u);
  ASSERT_EQ(batch.origins.size(), 1u);
  EXPECT_EQ(batch.origins[0].service, "blog");
}

TEST(ExtractSpansTest, BuildsSearchableTags) {
  otlp_collector::ExportTraceServiceRequest req;
  auto* span = AddSpan(AddScope(req, "blog"), 1, 1, 0, "GET /", 1000, 10);
  span->mutable_attributes()->Add()->set_key("http.response.status_code");
  span->mutable_attributes(0)->mutable_value()->set_int_value(500);
  span->mutable_status()->set_code(trace_pb::Status::STATUS_CODE_ERROR);
  auto* event = span->add_events();
  event->set_name("exception");
  SetString(event->add_attributes(), "exception.type", "std::runtime_error");
  auto result = ExtractSpans(req);
  ASSERT_EQ(result.batch.spans.size(), 1u);
  const SpanRecord& rec = result.batch.spans[0];
  EXPECT_TRUE(rec.has_error);
  EXPECT_EQ(rec.kind, trace_pb::Span::SPAN_KIND_SERVER);
  std::string_view tags = result.batch.Tags(rec);
  for (auto [k, v] :
       {std::pair{"http.response.status_code", "500"}, std::pair{"error", "true"},
        std::pair{"otel.status_code", "ERROR"}, std::pair{"span.kind", "server"},
        std::pair{"event", "exception"}, std::pair{"exception.type", "std::runtime_error"}}) {
    EXPECT_NE(tags.find(TagPattern(k, v)), std::string::npos) << k;
  }
  EXPECT_EQ(tags.find(TagPattern("http.response.status_code", "50")), std::string::npos);
  const std::string& origin_tags = result.batch.origins[0].tags;
  EXPECT_NE(origin_tags.find(TagPattern("host.name", "box-blog")), std::string::npos);
  EXPECT_NE(origin_tags.find(TagPattern("otel.scope.name", "blogtrace")), std::string::npos);
}

TEST(ExtractSpansTest, KeepsReceivedSpanBytesOfTheWireBody) {
  otlp_collector::ExportTraceServiceRequest req;
  auto* blog = AddScope(req, "blog");
  AddSpan(blog, 1, 1, 0, "first", 1000, 10);
  AddSpan(blog, 1, 2, 0, "invalid", 1000, 10)->set_trace_id("abc");
  auto* author = AddScope(req, "author");
  AddSpan(author, 1, 3, 1, "third", 1002, 4);
  std::string wire = req.SerializeAsString();
  auto result = ExtractSpansFromProtobuf(wire);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const SpanBatch& batch = result->batch;
  EXPECT_EQ(result->rejected, 1);
  // The batch's bytes are the body itself; spans and names are slices of it.
  EXPECT_EQ(batch.bytes, wire);
  ASSERT_EQ(batch.spans.size(), 2u);
  const trace_pb::Span* expected[] = {&req.resource_spans(0).scope_spans(0).spans(0),
                                      &req.resource_spans(1).scope_spans(0).spans(0)};
  for (int i = 0; i < 2; ++i) {
    std::string_view bytes = batch.Span(batch.spans[i]);
    EXPECT_EQ(bytes.data() - batch.bytes.data(), batch.spans[i].span.offset) << i;
    trace_pb::Span back;
    ASSERT_TRUE(back.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) << i;
    EXPECT_EQ(back.SerializeAsString(), expected[i]->SerializeAsString()) << i;
    EXPECT_EQ(batch.Name(batch.spans[i]), expected[i]->name()) << i;
  }
  ASSERT_EQ(batch.origins.size(), 2u);
  EXPECT_EQ(batch.origins[1].service, "author");
  EXPECT_EQ(batch.spans[1].origin, 1u);
  // The message path serializes each span instead.
  auto converted = ExtractSpans(req);
  ASSERT_EQ(converted.batch.spans.size(), 2u);
  EXPECT_EQ(converted.batch.Span(converted.batch.spans[1]), expected[1]->SerializeAsString());
  EXPECT_EQ(converted.batch.Name(converted.batch.spans[1]), "third");
}

TEST(ExtractSpansTest, ProtobufBodyThatDoesNotParseIsABadRequest) {
  auto result = ExtractSpansFromProtobuf("\x0a\x05\x12\x01");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(result.error().message.find("malformed protobuf"), std::string::npos);
}

}  // namespace
}  // namespace blogtrace::collector
