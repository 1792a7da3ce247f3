// End to end over real HTTP on 127.0.0.1: the collector on free ports, OTLP in, Jaeger out,
// the viewer served, the terminal views reading from it.
#include "collector/collector_server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "collector/blocking_client.h"
#include "collector/terminal_view.h"
#include "collector/viewer_assets.h"
#include "gzip_util.h"
#include "store_fixture.h"

namespace blogtrace::collector {
namespace {

using namespace testing;
using nlohmann::json;
namespace bhttp = boost::beast::http;

class CollectorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CollectorOptions options;
    options.collector_addr = {"127.0.0.1", 0};
    options.query_addr = {"127.0.0.1", 0};
    options.data_dir = (dir_.path() / "data").string();
    options.store.path = options.data_dir + "/traces.db";
    options.receiver.max_body_bytes = 1024 * 1024;
    auto server = CollectorServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(*server);
    runner_ = std::thread([this] { server_->Run(); });
    otlp_ = {"127.0.0.1", server_->receiver_port()};
    query_ = {"127.0.0.1", server_->query_port()};
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (runner_.joinable()) runner_.join();
  }

  http::Response Post(std::string body, std::string_view type, std::string_view encoding = {}) {
    http::Request req{bhttp::verb::post, "/v1/traces", 11};
    req.set(bhttp::field::content_type, type);
    if (!encoding.empty()) req.set(bhttp::field::content_encoding, encoding);
    req.body() = std::move(body);
    auto res = SendBlocking(otlp_, std::move(req));
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
    return res.ok() ? std::move(*res) : http::Response{};
  }
  http::Response Get(std::string_view target) {
    auto res = GetBlocking(query_, target);
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
    return res.ok() ? std::move(*res) : http::Response{};
  }
  // Posts trace `n` (five spans across three services, one error when `error`) and waits
  // until it is stored.
  void Send(int n, bool error = false) {
    otlp_collector::ExportTraceServiceRequest req;
    auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    AddBlogTrace(req, n, static_cast<std::uint64_t>(now) - 60'000'000'000ull + n, error);
    auto res = Post(req.SerializeAsString(), "application/x-protobuf");
    ASSERT_EQ(res.result_int(), 200);
    server_->store().Flush();
  }

  TempDir dir_;
  std::unique_ptr<CollectorServer> server_;
  std::thread runner_;
  HostPort otlp_, query_;
};

TEST_F(CollectorServerTest, ProtobufInJaegerOut) {
  Send(1);
  auto res = Get("/api/traces/" + TraceHex(1));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  // traceresponse on every answer, flags 00: the no-op tracer records nothing.
  std::string traceresponse(res["traceresponse"]);
  EXPECT_EQ(traceresponse.size(), 55u) << traceresponse;
  EXPECT_EQ(traceresponse.substr(traceresponse.size() - 3), "-00") << traceresponse;
  json body = json::parse(res.body());
  EXPECT_EQ(body["data"][0]["traceID"], TraceHex(1));
  EXPECT_EQ(body["data"][0]["spans"].size(), 5u);
  // The collector does not trace itself: nothing but the posted services is stored.
  json services = json::parse(Get("/api/services").body());
  EXPECT_EQ(services["data"], json::parse(R"(["author","blog","frontend"])"));
}

TEST_F(CollectorServerTest, JsonAndGzipOverHttp) {
  std::string body = R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"node-app"}}]},
      "scopeSpans":[{"spans":[{"traceId":")" +
                     TraceHex(7) + R"(","spanId":")" + SpanHex(1) +
                     R"(","name":"GET /","kind":2,"startTimeUnixNano":"1767225600000000000",
      "endTimeUnixNano":"1767225600005000000","attributes":[
        {"key":"http.response.status_code","value":{"intValue":"200"}}]}]}]}]})";
  auto res = Post(Gzip(body), "application/json", "gzip");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  server_->store().Flush();
  json trace = json::parse(Get("/api/v3/traces/" + TraceHex(7)).body());
  const json& span = trace["result"]["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["name"], "GET /");
  EXPECT_EQ(span["attributes"][0]["value"]["intValue"], "200");
}

TEST_F(CollectorServerTest, ErrorsOverHttp) {
  EXPECT_EQ(Post("garbage", "application/json").result_int(), 400);
  EXPECT_EQ(Post("x", "text/plain").result_int(), 415);
  // Over the server's body limit (1 MiB here): 413 before the handler runs.
  EXPECT_EQ(Post(std::string(2 * 1024 * 1024, 'x'), "application/x-protobuf").result_int(), 413);
  auto missing = Get("/api/traces/" + TraceHex(404));
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(json::parse(missing.body())["errors"][0]["msg"], "trace not found");
  auto unknown = Get("/api/nothing/here");
  EXPECT_EQ(unknown.result_int(), 404);
  EXPECT_EQ(json::parse(unknown.body())["errors"][0]["code"], 404);
  EXPECT_EQ(Get("/api/traces?service=blog&limit=x").result_int(), 400);
  http::Request wrong_method{bhttp::verb::post, "/api/services", 11};
  auto res = SendBlocking(query_, std::move(wrong_method));
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->result_int(), 405);
  EXPECT_EQ(Get("/healthz").result_int(), 200);
}

TEST_F(CollectorServerTest, ServesTheViewer) {
  bool has_index = false;
  for (const auto& f : EmbeddedFiles()) has_index |= f.name == "index.html";
  if (!has_index) GTEST_SKIP() << "the viewer's index.html is not in src/collector/viewer/assets";
  for (std::string_view path : {"/", "/search?service=blog", "/trace/abc123", "/dependencies"}) {
    auto res = Get(path);
    EXPECT_EQ(res.result_int(), 200) << path;
    EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8") << path;
    EXPECT_NE(res.body().find("<"), std::string::npos) << path;
  }
  for (const auto& f : EmbeddedFiles()) {
    auto res = Get("/static/" + std::string(f.name));
    EXPECT_EQ(res.result_int(), 200) << f.name;
    EXPECT_EQ(res.body(), f.data) << f.name;
    EXPECT_EQ(res[bhttp::field::content_type], ContentTypeFor(f.name)) << f.name;
    EXPECT_EQ(res[bhttp::field::cache_control], "no-cache") << f.name;
    // Revalidation with the ETag answers 304 without a body.
    http::Request again{bhttp::verb::get, "/static/" + std::string(f.name), 11};
    again.set(bhttp::field::if_none_match, res[bhttp::field::etag]);
    auto cached = SendBlocking(query_, std::move(again));
    ASSERT_TRUE(cached.ok());
    EXPECT_EQ(cached->result_int(), 304) << f.name;
  }
  EXPECT_EQ(Get("/static/no-such-file.js").result_int(), 404);
}

TEST_F(CollectorServerTest, TerminalViewsReadTheQueryApi) {
  Send(1);
  Send(2, /*error=*/true);
  std::ostringstream list;
  EXPECT_EQ(ListTracesCommand(query_, {.service = "blog"}, list), 0);
  EXPECT_NE(list.str().find(TraceHex(1)), std::string::npos) << list.str();
  EXPECT_NE(list.str().find(TraceHex(2)), std::string::npos) << list.str();
  EXPECT_NE(list.str().find("frontend: GET /blogs"), std::string::npos) << list.str();
  EXPECT_NE(list.str().find("2 traces"), std::string::npos) << list.str();
  std::ostringstream errors;
  EXPECT_EQ(ListTracesCommand(query_, {.service = "author", .tags = {"error:true"}}, errors), 0);
  EXPECT_EQ(errors.str().find(TraceHex(1)), std::string::npos) << errors.str();
  EXPECT_NE(errors.str().find(TraceHex(2)), std::string::npos) << errors.str();
  std::ostringstream bad;
  EXPECT_EQ(ListTracesCommand(query_, {.service = "blog", .min_duration = "soon"}, bad), 1);
  EXPECT_NE(bad.str().find("minDuration"), std::string::npos) << bad.str();

  std::ostringstream shown;
  EXPECT_EQ(ShowTraceCommand(query_, TraceHex(2), shown), 0);
  EXPECT_NE(shown.str().find("5 spans, 3 services"), std::string::npos) << shown.str();
  EXPECT_NE(shown.str().find("! ERROR: token expired"), std::string::npos) << shown.str();
  std::ostringstream missing;
  EXPECT_EQ(ShowTraceCommand(query_, TraceHex(99), missing), 1);
  EXPECT_NE(missing.str().find("not found"), std::string::npos);
  std::ostringstream invalid;
  EXPECT_EQ(ShowTraceCommand(query_, "xyz", invalid), 1);
}

TEST(CollectorServerStartTest, FailsLoudlyWhenThePortIsTaken) {
  TempDir dir;
  CollectorOptions options;
  options.collector_addr = {"127.0.0.1", 0};
  options.query_addr = {"127.0.0.1", 0};
  options.data_dir = (dir.path() / "a").string();
  options.store.path = options.data_dir + "/traces.db";
  auto first = CollectorServer::Start(options);
  ASSERT_TRUE(first.ok()) << first.error().message;
  options.collector_addr.port = (*first)->receiver_port();
  options.data_dir = (dir.path() / "b").string();
  options.store.path = options.data_dir + "/traces.db";
  auto second = CollectorServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find(std::to_string(options.collector_addr.port)),
            std::string::npos)
      << second.error().message;
}

}  // namespace
}  // namespace blogtrace::collector
