#include "collector/receiver.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "gzip_util.h"
#include "store_fixture.h"

namespace blogtrace::collector {
namespace {

using namespace testing;
using nlohmann::json;
namespace bhttp = boost::beast::http;

class ReceiverTest : public StoreTest {
 protected:
  http::Response Post(std::string body, std::string_view type, std::string_view encoding = {}) {
    http::Request req{bhttp::verb::post, "/v1/traces", 11};
    if (!type.empty()) req.set(bhttp::field::content_type, type);
    if (!encoding.empty()) req.set(bhttp::field::content_encoding, encoding);
    req.body() = std::move(body);
    req.prepare_payload();
    return HandleExport(req, *store_, options_);
  }
  std::size_t StoredSpans(int trace) {
    store_->Flush();
    auto spans = store_->GetTrace(Bytes(TraceHex(trace)));
    EXPECT_TRUE(spans.ok());
    return spans.ok() ? spans->size() : 0;
  }
  std::size_t StoredTraces() {
    store_->Flush();
    auto ids = store_->FindTraceIds({.limit = 1000});
    return ids.ok() ? ids->size() : 0;
  }
  static otlp_collector::ExportTraceServiceRequest Request(int trace) {
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, trace, kT0);
    return req;
  }
  ReceiverOptions options_;
};

TEST_F(ReceiverTest, StoresProtobufAndAnswersProtobuf) {
  auto res = Post(Request(1).SerializeAsString(), "application/x-protobuf");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "application/x-protobuf");
  otlp_collector::ExportTraceServiceResponse body;
  ASSERT_TRUE(body.ParseFromString(res.body()));
  EXPECT_FALSE(body.has_partial_success());
  EXPECT_EQ(StoredSpans(1), 5u);
}

TEST_F(ReceiverTest, StoresJsonAndAnswersJson) {
  std::string body = R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"py"}}]},
      "scopeSpans":[{"spans":[{"traceId":")" +
                     TraceHex(3) + R"(","spanId":")" + SpanHex(1) +
                     R"(","name":"x","kind":1,"startTimeUnixNano":"1767225600000000000",
      "endTimeUnixNano":"1767225600000001000"}]}]}]})";
  auto res = Post(body, "application/json; charset=utf-8");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(json::parse(res.body()), json::object());
  EXPECT_EQ(StoredSpans(3), 1u);
}

TEST_F(ReceiverTest, AcceptsGzip) {
  auto res = Post(Gzip(Request(2).SerializeAsString()), "application/x-protobuf", "gzip");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(StoredSpans(2), 5u);
}

TEST_F(ReceiverTest, MalformedBodiesAre400AndStoreNothing) {
  auto proto = Post("\x0a\xff\xff\xff\xff\x0f garbage", "application/x-protobuf");
  EXPECT_EQ(proto.result_int(), 400);
  EXPECT_EQ(proto[bhttp::field::content_type], "application/x-protobuf");
  // google.rpc.Status: field 1 = code 3 (INVALID_ARGUMENT), field 2 = message.
  ASSERT_GE(proto.body().size(), 4u);
  EXPECT_EQ(proto.body().substr(0, 2), std::string("\x08\x03", 2));
  EXPECT_EQ(proto.body()[2], '\x12');

  // A JSON body whose second span is broken: the first, valid, span is not stored either.
  std::string half_bad = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":")" + TraceHex(4) +
                         R"(","spanId":")" + SpanHex(1) + R"("},
      {"traceId":"not hex","spanId":")" +
                         SpanHex(2) + R"("}]}]}]})";
  auto js = Post(half_bad, "application/json");
  EXPECT_EQ(js.result_int(), 400);
  EXPECT_EQ(js[bhttp::field::content_type], "application/json");
  json status = json::parse(js.body());
  EXPECT_EQ(status["code"], 3);
  EXPECT_TRUE(status["message"].is_string());

  EXPECT_EQ(Post("{", "application/json").result_int(), 400);
  EXPECT_EQ(Post("not gzip at all", "application/x-protobuf", "gzip").result_int(), 400);
  EXPECT_EQ(StoredTraces(), 0u);
}

TEST_F(ReceiverTest, OversizeIs413) {
  options_.max_body_bytes = 500;
  std::string big = Request(1).SerializeAsString();
  ASSERT_GT(big.size(), 500u);
  EXPECT_EQ(Post(big, "application/x-protobuf").result_int(), 413);
  // A gzip bomb: small on the wire, huge inflated.
  std::string bomb = Gzip(std::string(10 * 1024 * 1024, ' '));
  ASSERT_LT(bomb.size(), 1000u * 1000);
  options_.max_body_bytes = 1024 * 1024;
  auto res = Post(bomb, "application/json", "gzip");
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(StoredTraces(), 0u);
}

TEST_F(ReceiverTest, OtherContentTypesAndEncodingsAre415) {
  std::string body = Request(1).SerializeAsString();
  for (std::string_view type : {"text/plain", "application/grpc", "", "application/protobuf2"}) {
    auto res = Post(body, type);
    EXPECT_EQ(res.result_int(), 415) << type;
    EXPECT_EQ(json::parse(res.body())["error"], "unsupported_media_type") << type;
  }
  EXPECT_EQ(Post(body, "application/x-protobuf", "br").result_int(), 415);
  EXPECT_EQ(StoredTraces(), 0u);
}

TEST_F(ReceiverTest, PartialSuccessCountsRejectedSpans) {
  auto req = Request(5);
  auto* ss = req.mutable_resource_spans(0)->mutable_scope_spans(0);
  AddSpan(ss, 5, 99, 0, "short id", kT0, 1)->set_span_id("abc");
  AddSpan(ss, 5, 98, 0, "no trace", kT0, 1)->clear_trace_id();
  auto res = Post(req.SerializeAsString(), "application/x-protobuf");
  EXPECT_EQ(res.result_int(), 200);
  otlp_collector::ExportTraceServiceResponse body;
  ASSERT_TRUE(body.ParseFromString(res.body()));
  EXPECT_EQ(body.partial_success().rejected_spans(), 2);
  EXPECT_FALSE(body.partial_success().error_message().empty());
  EXPECT_EQ(StoredSpans(5), 5u);

  std::string js = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"abcd","spanId":")" +
                   SpanHex(1) + R"("}]}]}]})";
  auto jres = Post(js, "application/json");
  EXPECT_EQ(jres.result_int(), 200);
  json jbody = json::parse(jres.body());
  EXPECT_EQ(jbody["partialSuccess"]["rejectedSpans"], "1");
  EXPECT_TRUE(jbody["partialSuccess"]["errorMessage"].is_string());
}

TEST_F(ReceiverTest, FullQueueIs503WithRetryAfter) {
  Reopen({.max_queued_spans = 5});
  // Another connection holds the write lock, so the writer cannot drain the queue.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "traces.db").c_str(), &blocker), SQLITE_OK);
  sqlite3_busy_timeout(blocker, 5000);  // the writer may be running its start-up retention
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  int status = 0;
  http::Response last;
  for (int i = 0; i < 3 && status != 503; ++i) {
    last = Post(Request(10 + i).SerializeAsString(), "application/x-protobuf");
    status = last.result_int();
  }
  sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  EXPECT_EQ(status, 503);
  EXPECT_EQ(last[bhttp::field::retry_after], "1");
  EXPECT_EQ(last.body().substr(0, 2), std::string("\x08\x0e", 2));  // UNAVAILABLE
}

}  // namespace
}  // namespace blogtrace::collector
