#include "collector/trace_mapping.h"

#include <gtest/gtest.h>

#include "store_fixture.h"

namespace blogtrace::collector {
namespace {

using namespace testing;
using nlohmann::json;

// Finds the tag `key` in a Jaeger tag list; null when absent.
json Tag(const json& tags, std::string_view key) {
  for (const auto& t : tags) {
    if (t["key"] == key) return t;
  }
  return nullptr;
}

class TraceMappingTest : public StoreTest {
 protected:
  std::vector<StoredSpan> StoredTrace(int n, bool error) {
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, n, kT0, error);
    auto* extra = AddScope(req, "blog");  // same resource, another scope name
    extra->mutable_scope()->set_name("db");
    auto* span = AddSpan(extra, n, n * 10 + 6, n * 10 + 2, "typed", kT0 + 5'000'000, 1'500,
                         trace_pb::Span::SPAN_KIND_PRODUCER);
    auto* a = span->add_attributes();
    a->set_key("b");
    a->mutable_value()->set_bool_value(true);
    a = span->add_attributes();
    a->set_key("d");
    a->mutable_value()->set_double_value(2.5);
    a = span->add_attributes();
    a->set_key("bytes");
    a->mutable_value()->set_bytes_value(std::string("\x01\x02\x03", 3));
    a = span->add_attributes();
    a->set_key("arr");
    a->mutable_value()->mutable_array_value()->add_values()->set_int_value(1);
    auto* link = span->add_links();
    link->set_trace_id(Bytes(TraceHex(77)));
    link->set_span_id(Bytes(SpanHex(770)));
    Store(req);
    auto spans = store_->GetTrace(Bytes(TraceHex(n)));
    EXPECT_TRUE(spans.ok());
    return spans.ok() ? *spans : std::vector<StoredSpan>{};
  }
};

TEST_F(TraceMappingTest, JaegerTraceHasProcessesReferencesAndTimesInMicros) {
  json trace = ToJaegerTrace(StoredTrace(1, false));
  EXPECT_EQ(trace["traceID"], TraceHex(1));
  EXPECT_TRUE(trace["warnings"].is_null());
  ASSERT_EQ(trace["spans"].size(), 6u);
  // Three services → p1..p3 in order of appearance; service.name is not repeated as a tag.
  EXPECT_EQ(trace["processes"].size(), 3u);
  EXPECT_EQ(trace["processes"]["p1"]["serviceName"], "frontend");
  EXPECT_EQ(trace["processes"]["p2"]["serviceName"], "blog");
  EXPECT_EQ(trace["processes"]["p3"]["serviceName"], "author");
  EXPECT_EQ(trace["processes"]["p2"]["tags"],
            json::parse(R"([{"key":"host.name","type":"string","value":"box-blog"}])"));
  const json& root = trace["spans"][0];
  EXPECT_EQ(root["spanID"], SpanHex(11));
  EXPECT_EQ(root["operationName"], "GET /blogs");
  EXPECT_EQ(root["references"], json::array());
  EXPECT_EQ(root["startTime"], kT0 / 1000);
  EXPECT_EQ(root["duration"], 10'000);
  EXPECT_EQ(root["processID"], "p1");
  EXPECT_TRUE(root["warnings"].is_null());
  EXPECT_EQ(Tag(root["tags"], "span.kind")["value"], "client");
  EXPECT_EQ(Tag(root["tags"], "otel.scope.name")["value"], "blogtrace");
  EXPECT_EQ(Tag(root["tags"], "otel.scope.version")["value"], "1.0");
  EXPECT_TRUE(Tag(root["tags"], "error").is_null());
  const json& server = trace["spans"][1];
  EXPECT_EQ(server["references"],
            json::parse(R"([{"refType":"CHILD_OF","traceID":")" + TraceHex(1) + R"(","spanID":")" +
                        SpanHex(11) + R"("}])"));
  EXPECT_EQ(Tag(server["tags"], "http.response.status_code"),
            json::parse(R"({"key":"http.response.status_code","type":"int64","value":200})"));
  EXPECT_EQ(server["processID"], "p2");
}

TEST_F(TraceMappingTest, JaegerTagsAreTypedAndLinksFollowFrom) {
  json trace = ToJaegerTrace(StoredTrace(1, false));
  const json& typed = trace["spans"][5];
  ASSERT_EQ(typed["operationName"], "typed");
  EXPECT_EQ(typed["processID"], "p2");  // same resource as blog's other scope
  EXPECT_EQ(typed["duration"], 1);      // 1.5 µs truncated
  EXPECT_EQ(Tag(typed["tags"], "b"), json::parse(R"({"key":"b","type":"bool","value":true})"));
  EXPECT_EQ(Tag(typed["tags"], "d"), json::parse(R"({"key":"d","type":"float64","value":2.5})"));
  EXPECT_EQ(Tag(typed["tags"], "bytes"),
            json::parse(R"({"key":"bytes","type":"binary","value":"AQID"})"));
  EXPECT_EQ(Tag(typed["tags"], "arr"),
            json::parse(R"({"key":"arr","type":"string","value":"[1]"})"));
  EXPECT_EQ(Tag(typed["tags"], "span.kind")["value"], "producer");
  EXPECT_EQ(Tag(typed["tags"], "otel.scope.name")["value"], "db");
  ASSERT_EQ(typed["references"].size(), 2u);
  EXPECT_EQ(typed["references"][0]["refType"], "CHILD_OF");
  EXPECT_EQ(typed["references"][1],
            json::parse(R"({"refType":"FOLLOWS_FROM","traceID":")" + TraceHex(77) +
                        R"(","spanID":")" + SpanHex(770) + R"("})"));
}

TEST_F(TraceMappingTest, ErrorStatusBecomesErrorTagsAndEventsBecomeLogs) {
  json trace = ToJaegerTrace(StoredTrace(2, true));
  const json* author = nullptr;
  for (const auto& s : trace["spans"]) {
    if (s["spanID"] == SpanHex(25)) author = &s;
  }
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(Tag((*author)["tags"], "otel.status_code")["value"], "ERROR");
  EXPECT_EQ(Tag((*author)["tags"], "otel.status_description")["value"], "token expired");
  EXPECT_EQ(Tag((*author)["tags"], "error"),
            json::parse(R"({"key":"error","type":"bool","value":true})"));
  ASSERT_EQ((*author)["logs"].size(), 1u);
  EXPECT_EQ((*author)["logs"][0]["timestamp"], (kT0 + 4'000'000) / 1000);
  EXPECT_EQ((*author)["logs"][0]["fields"],
            json::parse(R"([{"key":"event","type":"string","value":"token.rejected"},
                            {"key":"reason","type":"string","value":"expired"}])"));
}

TEST_F(TraceMappingTest, OtlpJsonGroupsByResourceAndScope) {
  json rs = ToOtlpResourceSpans(StoredTrace(2, true));
  ASSERT_EQ(rs.size(), 3u);  // frontend, blog, author
  EXPECT_EQ(rs[1]["resource"]["attributes"][0],
            json::parse(R"({"key":"service.name","value":{"stringValue":"blog"}})"));
  ASSERT_EQ(rs[1]["scopeSpans"].size(), 2u);  // blogtrace and db scopes
  EXPECT_EQ(rs[1]["scopeSpans"][0]["scope"]["name"], "blogtrace");
  EXPECT_EQ(rs[1]["scopeSpans"][1]["scope"]["name"], "db");
  const json& server = rs[1]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(server["traceId"], TraceHex(2));
  EXPECT_EQ(server["spanId"], SpanHex(22));
  EXPECT_EQ(server["parentSpanId"], SpanHex(21));
  EXPECT_EQ(server["kind"], 2);
  EXPECT_EQ(server["startTimeUnixNano"], std::to_string(kT0 + 1'000'000));
  EXPECT_EQ(server["endTimeUnixNano"], std::to_string(kT0 + 9'000'000));
  EXPECT_EQ(server["attributes"][1],
            json::parse(R"({"key":"http.response.status_code","value":{"intValue":"500"}})"));
  const json& author = rs[2]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(author["status"], json::parse(R"({"code":2,"message":"token expired"})"));
  EXPECT_EQ(author["events"][0]["timeUnixNano"], std::to_string(kT0 + 4'000'000));
  const json& typed = rs[1]["scopeSpans"][1]["spans"][0];
  EXPECT_EQ(typed["links"][0]["traceId"], TraceHex(77));
  EXPECT_EQ(typed["attributes"][2]["value"], json::parse(R"({"bytesValue":"AQID"})"));
}

TEST_F(TraceMappingTest, SummaryCountsSpansErrorsOrphansAndServices) {
  auto spans = StoredTrace(2, true);
  json summary = ToTraceSummary(spans);
  EXPECT_EQ(summary["traceId"], TraceHex(2));
  EXPECT_EQ(summary["rootServiceName"], "frontend");
  EXPECT_EQ(summary["rootOperationName"], "GET /blogs");
  EXPECT_EQ(summary["minStartTimeUnixNano"], std::to_string(kT0));
  EXPECT_EQ(summary["maxEndTimeUnixNano"], std::to_string(kT0 + 10'000'000));
  EXPECT_EQ(summary["spanCount"], 6);
  EXPECT_EQ(summary["errorSpanCount"], 1);
  EXPECT_EQ(summary["orphanSpanCount"], 0);
  EXPECT_EQ(summary["services"], json::parse(R"([{"name":"author","spanCount":1,"errorSpanCount":1},
                            {"name":"blog","spanCount":4,"errorSpanCount":0},
                            {"name":"frontend","spanCount":1,"errorSpanCount":0}])"));
  spans.erase(spans.begin());  // drop the root: the blog server span becomes an orphan
  json partial = ToTraceSummary(spans);
  EXPECT_EQ(partial["orphanSpanCount"], 1);
  EXPECT_EQ(partial["rootServiceName"], "blog");
}

}  // namespace
}  // namespace blogtrace::collector
