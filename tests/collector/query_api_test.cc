#include "collector/query_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store_fixture.h"

namespace blogtrace::collector {
namespace {

using namespace testing;
using nlohmann::json;

constexpr std::uint64_t kSecond = 1'000'000'000;

class QueryApiTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    // Traces 1..3 a second apart (2 has an error); the clock stands 10 s after trace 1.
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, 1, kT0);
    AddBlogTrace(req, 2, kT0 + kSecond, /*error=*/true);
    AddBlogTrace(req, 3, kT0 + 2 * kSecond);
    Store(req);
    clock_.Advance(std::chrono::seconds(10));
    api_ = std::make_unique<QueryApi>(*store_, clock_);
  }

  // GET `target`; returns the status and the parsed body.
  std::pair<int, json> Get(std::string_view target) {
    auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    auto query = QueryString::Parse(q == std::string_view::npos ? "" : target.substr(q + 1));
    auto response = api_->Dispatch(path, query);
    EXPECT_TRUE(response.has_value()) << target;
    if (!response) return {0, nullptr};
    json body = json::parse(response->body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << response->body;
    return {response->status, body};
  }

  // The trace ids of a v1 search result.
  std::vector<std::string> Ids(std::string_view target) {
    auto [status, body] = Get(target);
    EXPECT_EQ(status, 200) << target << " " << body.dump();
    std::vector<std::string> ids;
    for (const auto& t : body["data"]) ids.push_back(t["traceID"]);
    return ids;
  }

  // Expects a v1 error envelope with `status` whose message contains `text`.
  void ExpectV1Error(std::string_view target, int status, std::string_view text) {
    auto [got, body] = Get(target);
    EXPECT_EQ(got, status) << target;
    EXPECT_TRUE(body["data"].is_null()) << target;
    ASSERT_TRUE(body["errors"].is_array()) << target << " " << body.dump();
    EXPECT_EQ(body["errors"][0]["code"], status) << target;
    EXPECT_NE(body["errors"][0]["msg"].get<std::string>().find(text), std::string::npos)
        << target << " " << body.dump();
  }

  std::string Us(std::uint64_t ns) { return std::to_string(ns / 1000); }

  std::unique_ptr<QueryApi> api_;
};

TEST_F(QueryApiTest, ServicesUseTheV1Envelope) {
  auto [status, body] = Get("/api/services");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, json::parse(R"({"data":["author","blog","frontend"],"total":3,"limit":0,
                                  "offset":0,"errors":null})"));
}

TEST_F(QueryApiTest, OperationsOfAService) {
  auto [status, body] = Get("/api/services/blog/operations");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["data"], json::parse(R"(["GET /blogs","POST /authorize","SELECT blogs"])"));
  auto [s2, kinds] = Get("/api/operations?service=blog&spanKind=client");
  EXPECT_EQ(s2, 200);
  EXPECT_EQ(kinds["data"], json::parse(R"([{"name":"POST /authorize","spanKind":"client"},
                                           {"name":"SELECT blogs","spanKind":"client"}])"));
  auto [s3, all] = Get("/api/operations?service=author");
  EXPECT_EQ(all["data"], json::parse(R"([{"name":"POST /authorize","spanKind":"server"}])"));
  ExpectV1Error("/api/operations", 400, "service");
  ExpectV1Error("/api/operations?service=blog&spanKind=sideways", 400, "spanKind");
}

TEST_F(QueryApiTest, SearchByServiceOperationAndLimit) {
  EXPECT_EQ(Ids("/api/traces?service=blog"), (std::vector{TraceHex(3), TraceHex(2), TraceHex(1)}));
  EXPECT_EQ(Ids("/api/traces?service=blog&limit=1"), (std::vector{TraceHex(3)}));
  EXPECT_EQ(Ids("/api/traces?service=blog&limit=0").size(), 3u);  // 0 = default
  EXPECT_EQ(Ids("/api/traces?service=author&operation=POST%20%2Fauthorize").size(), 3u);
  EXPECT_TRUE(Ids("/api/traces?service=author&operation=nope").empty());
  EXPECT_TRUE(Ids("/api/traces?service=nobody").empty());
  auto [status, body] = Get("/api/traces?service=blog&limit=1");
  EXPECT_EQ(body["total"], 1);
  EXPECT_TRUE(body["errors"].is_null());
  EXPECT_EQ(body["data"][0]["spans"].size(), 5u);
}

TEST_F(QueryApiTest, SearchByTimeRangeAndLookback) {
  std::string range = "/api/traces?service=blog&start=" + Us(kT0 + kSecond / 2) +
                      "&end=" + Us(kT0 + 3 * kSecond / 2);
  EXPECT_EQ(Ids(range), (std::vector{TraceHex(2)}));
  // The clock is at kT0+10 s: a 9 s lookback reaches traces 2 and 3 only (8.x s ago).
  EXPECT_EQ(Ids("/api/traces?service=blog&lookback=9s"), (std::vector{TraceHex(3), TraceHex(2)}));
  EXPECT_EQ(Ids("/api/traces?service=blog&lookback=2d").size(), 3u);
  EXPECT_EQ(Ids("/api/traces?service=blog&lookback=custom").size(), 3u);
  EXPECT_TRUE(Ids("/api/traces?service=blog&lookback=1s").empty());
  ExpectV1Error("/api/traces?service=blog&start=yesterday", 400, "start");
  ExpectV1Error("/api/traces?service=blog&end=-5", 400, "end");
  ExpectV1Error("/api/traces?service=blog&lookback=fortnight", 400, "lookback");
  ExpectV1Error("/api/traces?service=blog&start=" + Us(kT0 + kSecond) + "&end=" + Us(kT0), 400,
                "start");
}

TEST_F(QueryApiTest, SearchByDuration) {
  EXPECT_EQ(Ids("/api/traces?service=author&minDuration=2ms").size(), 3u);
  EXPECT_TRUE(Ids("/api/traces?service=author&minDuration=2.5ms").empty());
  EXPECT_TRUE(Ids("/api/traces?service=author&maxDuration=1500us").empty());
  EXPECT_EQ(Ids("/api/traces?service=blog&minDuration=900us&maxDuration=1.1ms").size(), 3u);
  ExpectV1Error("/api/traces?service=blog&minDuration=fast", 400, "minDuration");
  ExpectV1Error("/api/traces?service=blog&maxDuration=10", 400, "maxDuration");
  ExpectV1Error("/api/traces?service=blog&minDuration=2s&maxDuration=1s", 400,
                "greater than 'minDuration'");
}

TEST_F(QueryApiTest, SearchByTagsJsonAndTagParameters) {
  EXPECT_EQ(Ids("/api/traces?service=blog&tags=%7B%22http.response.status_code%22%3A%22500%22%7D"),
            (std::vector{TraceHex(2)}));
  EXPECT_EQ(Ids(R"(/api/traces?service=author&tags={"error":"true"})"), (std::vector{TraceHex(2)}));
  EXPECT_EQ(Ids("/api/traces?service=author&tag=error:true"), (std::vector{TraceHex(2)}));
  EXPECT_EQ(Ids("/api/traces?service=author&tag=reason:expired"), (std::vector{TraceHex(2)}));
  EXPECT_EQ(
      Ids("/api/traces?service=blog&tag=host.name:box-blog&tag=http.request.method:GET").size(),
      3u);
  EXPECT_TRUE(Ids("/api/traces?service=blog&tag=host.name:box-author").empty());
  // Jaeger UI sends numbers and booleans unquoted sometimes.
  EXPECT_EQ(Ids(R"(/api/traces?service=blog&tags={"http.response.status_code":500})"),
            (std::vector{TraceHex(2)}));
  ExpectV1Error("/api/traces?service=blog&tags=notjson", 400, "tags");
  ExpectV1Error(R"(/api/traces?service=blog&tags={"a":{"b":1}})", 400, "tags");
  ExpectV1Error("/api/traces?service=blog&tag=novalue", 400, "key:value");
  ExpectV1Error("/api/traces?service=blog&limit=many", 400, "limit");
  ExpectV1Error("/api/traces?service=blog&limit=-1", 400, "limit");
  ExpectV1Error("/api/traces?operation=GET", 400, "service");
}

TEST_F(QueryApiTest, SearchByTraceIds) {
  EXPECT_EQ(Ids("/api/traces?traceID=" + TraceHex(1) + "&traceID=" + TraceHex(3) +
                "&traceID=" + TraceHex(99)),
            (std::vector{TraceHex(1), TraceHex(3)}));
  ExpectV1Error("/api/traces?traceID=xyz", 400, "traceID");
}

TEST_F(QueryApiTest, GetTraceById) {
  auto [status, body] = Get("/api/traces/" + TraceHex(2));
  EXPECT_EQ(status, 200);
  ASSERT_EQ(body["data"].size(), 1u);
  EXPECT_EQ(body["data"][0]["traceID"], TraceHex(2));
  EXPECT_EQ(body["total"], 1);
  // Upper-case and leading-zero-trimmed ids find the same trace.
  std::string upper = TraceHex(2);
  for (auto& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(Get("/api/traces/" + upper).first, 200);
  ExpectV1Error("/api/traces/" + TraceHex(42), 404, "trace not found");
  ExpectV1Error("/api/traces/not-hex", 400, "trace id");
  ExpectV1Error("/api/traces/" + TraceHex(1) + "00", 400, "trace id");
}

TEST_F(QueryApiTest, ShortTraceIdsArePadded) {
  otlp_collector::ExportTraceServiceRequest req;
  auto* span = AddSpan(AddScope(req, "legacy"), 1, 1, 0, "old", kT0, 1000);
  span->set_trace_id(Bytes("0000000000000000000000000000abcd"));
  Store(req);
  auto [status, body] = Get("/api/traces/abcd");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["data"][0]["traceID"], "0000000000000000000000000000abcd");
  EXPECT_EQ(Get("/api/v3/traces/abcd").first, 200);
}

TEST_F(QueryApiTest, Dependencies) {
  std::string end_ms = std::to_string((kT0 + 10 * kSecond) / 1'000'000);
  auto [status, body] = Get("/api/dependencies?endTs=" + end_ms + "&lookback=60000");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["data"], json::parse(R"([{"parent":"blog","child":"author","callCount":3},
                                          {"parent":"frontend","child":"blog","callCount":3}])"));
  // A window holding only trace 3 (started 8 s before the end).
  auto [s2, narrow] = Get("/api/dependencies?endTs=" + end_ms + "&lookback=8500");
  EXPECT_EQ(narrow["data"][0]["callCount"], 1);
  auto [s3, defaults] = Get("/api/dependencies");  // now - 24 h .. now
  EXPECT_EQ(defaults["data"].size(), 2u);
  ExpectV1Error("/api/dependencies?endTs=later", 400, "endTs");
  ExpectV1Error("/api/dependencies?lookback=1h", 400, "lookback");
}

TEST_F(QueryApiTest, UnknownApiPathIs404AndOtherPathsAreNotApi) {
  ExpectV1Error("/api/nothing", 404, "no such endpoint");
  EXPECT_FALSE(api_->Dispatch("/search", QueryString::Parse("")).has_value());
}

TEST_F(QueryApiTest, V3ServicesAndOperations) {
  auto [status, body] = Get("/api/v3/services");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, json::parse(R"({"services":["author","blog","frontend"]})"));
  auto [s2, ops] = Get("/api/v3/operations?service=blog&spanKind=server");
  EXPECT_EQ(s2, 200);
  EXPECT_EQ(ops, json::parse(R"({"operations":[{"name":"GET /blogs","spanKind":"server"}]})"));
  auto [s3, none] = Get("/api/v3/operations?service=nobody");
  EXPECT_EQ(none, json::parse(R"({"operations":[]})"));
  auto [s4, err] = Get("/api/v3/operations");
  EXPECT_EQ(s4, 400);
  EXPECT_EQ(err["error"]["httpCode"], 400);
}

TEST_F(QueryApiTest, V3TraceSummaries) {
  const std::string window =
      "query.startTimeMin=2026-01-01T00:00:00Z&query.startTimeMax=2026-01-01T00:01:00Z";
  auto [status, body] = Get("/api/v3/trace-summaries?query.serviceName=blog&" + window);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(body["summaries"].size(), 3u);
  const json& s = body["summaries"][0];
  EXPECT_EQ(s["traceId"], TraceHex(3));
  EXPECT_EQ(s["traceId"].get<std::string>().size(), 32u);
  EXPECT_TRUE(s["minStartTimeUnixNano"].is_string());
  EXPECT_TRUE(s["maxEndTimeUnixNano"].is_string());
  EXPECT_EQ(s["rootServiceName"], "frontend");
  auto [s2, errors] = Get(
      "/api/v3/"
      "trace-summaries?query.serviceName=author&query.attributes=%7B%22error%22%3A%22true%22%7D&" +
      window);
  ASSERT_EQ(errors["summaries"].size(), 1u);
  EXPECT_EQ(errors["summaries"][0]["errorSpanCount"], 1);
  auto [s3, depth] = Get("/api/v3/trace-summaries?query.searchDepth=2&" + window);
  EXPECT_EQ(depth["summaries"].size(), 2u);
  auto [s4, dur] =
      Get("/api/v3/trace-summaries?query.serviceName=author&query.durationMin=3ms&" + window);
  EXPECT_EQ(dur, json::parse(R"({"summaries":[]})"));
  auto [s5, late] =
      Get("/api/v3/trace-summaries?query.startTimeMin=2026-01-01T00:00:01.5Z&"
          "query.startTimeMax=2026-01-01T00:01:00Z");
  ASSERT_EQ(late["summaries"].size(), 1u);
  EXPECT_EQ(late["summaries"][0]["traceId"], TraceHex(3));
}

TEST_F(QueryApiTest, V3RequiredAndMalformedParametersAre400) {
  const std::string min = "query.startTimeMin=2026-01-01T00:00:00Z";
  const std::string max = "query.startTimeMax=2026-01-01T00:01:00Z";
  for (const std::string& target :
       {std::string("/api/v3/trace-summaries"), "/api/v3/trace-summaries?" + min,
        "/api/v3/trace-summaries?" + max, "/api/v3/traces?" + min,
        "/api/v3/trace-summaries?query.startTimeMin=1767225600&" + max,
        "/api/v3/trace-summaries?" + min + "&" + max + "&query.durationMin=soon",
        "/api/v3/trace-summaries?" + min + "&" + max + "&query.searchDepth=0",
        "/api/v3/trace-summaries?" + min + "&" + max + "&query.attributes=%5B%5D",
        "/api/v3/trace-summaries?query.startTimeMin=2026-01-02T00:00:00Z&" + max,
        std::string("/api/v3/traces/zz")}) {
    auto [status, body] = Get(target);
    EXPECT_EQ(status, 400) << target;
    EXPECT_EQ(body["error"]["httpCode"], 400) << target;
    EXPECT_TRUE(body["error"]["message"].is_string()) << target;
  }
}

TEST_F(QueryApiTest, V3TracesReturnOtlpJsonOr404) {
  auto [status, body] = Get("/api/v3/traces/" + TraceHex(2));
  EXPECT_EQ(status, 200);
  const json& rs = body["result"]["resourceSpans"];
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0]["scopeSpans"][0]["spans"][0]["traceId"], TraceHex(2));
  auto [s2, missing] = Get("/api/v3/traces/" + TraceHex(42));
  EXPECT_EQ(s2, 404);
  EXPECT_EQ(missing, json::parse(R"({"error":{"httpCode":404,"message":"No traces found"}})"));
  auto [s3, found] =
      Get("/api/v3/traces?query.serviceName=author&query.attributes=%7B%22error%22%3A%22true%22%7D&"
          "query.startTimeMin=2026-01-01T00:00:00Z&query.startTimeMax=2026-01-01T00:01:00Z");
  EXPECT_EQ(s3, 200);
  std::size_t spans = 0;
  for (const auto& r : found["result"]["resourceSpans"]) {
    for (const auto& ss : r["scopeSpans"]) spans += ss["spans"].size();
  }
  EXPECT_EQ(spans, 5u);
  auto [s4, none] =
      Get("/api/v3/traces?query.serviceName=nobody&query.startTimeMin=2026-01-01T00:00:00Z&"
          "query.startTimeMax=2026-01-01T00:01:00Z");
  EXPECT_EQ(s4, 404);
  EXPECT_EQ(none["error"]["message"], "No traces found");
}

}  // namespace
}  // namespace blogtrace::collector
