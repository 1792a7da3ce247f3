#include "common/log.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/request_log.h"
#include "recording_tracer.h"
#include "telemetry/api/propagator.h"

namespace blogtrace::http {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override { Logger::Configure(LogOptions{}); }
  std::ostringstream out_;
};

TEST_F(LogTest, JsonLinesCarryServiceLevelAndFields) {
  Logger::Configure(
      {.service = "user", .format = LogFormat::kJson, .level = LogLevel::kInfo, .sink = &out_});
  Logger::Bg().Info("listening", {{"address", "127.0.0.1:3001"}, {"threads", 2}, {"tls", false}});
  Logger::Bg().Debug("not written");
  std::string line = out_.str();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per entry";
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["service"], "user");
  EXPECT_EQ(j["message"], "listening");
  EXPECT_EQ(j["address"], "127.0.0.1:3001");
  EXPECT_EQ(j["threads"], 2);
  EXPECT_EQ(j["tls"], false);
  EXPECT_TRUE(j["time"].get<std::string>().ends_with("Z"));
  EXPECT_FALSE(j.contains("trace_id"));
}

TEST_F(LogTest, RequestLinesCarryTraceIdsAndWarningsBecomeSpanEvents) {
  Logger::Configure(
      {.service = "blog", .format = LogFormat::kJson, .level = LogLevel::kDebug, .sink = &out_});
  testing::RecordingTracer tracer;
  RequestContext ctx;
  {
    telemetry::Span span = tracer.StartSpan("GET /blogs", {.kind = telemetry::SpanKind::kServer});
    ctx.trace.span_context = span.context();
    ctx.span = &span;
    LogFor(ctx).Info("listing");
    LogFor(ctx).Warn("slow store", {{"ms", 250}});
  }
  std::istringstream lines(out_.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["trace_id"], ctx.trace.span_context.trace_id().ToHex());
    EXPECT_EQ(j["span_id"], ctx.trace.span_context.span_id().ToHex());
    ++count;
  }
  EXPECT_EQ(count, 2);
  auto spans = tracer.spans();
  ASSERT_EQ(spans.size(), 1u);
  ASSERT_EQ(spans[0].events.size(), 1u) << "only the warning becomes an event";
  EXPECT_EQ(spans[0].events[0].first, "log");
  EXPECT_EQ(spans[0].events[0].second.at("log.severity"), "WARN");
  EXPECT_EQ(spans[0].events[0].second.at("log.message"), "slow store");
  EXPECT_EQ(spans[0].events[0].second.at("ms"), "250");
}

TEST_F(LogTest, TextLinesQuoteValuesWithSpaces) {
  Logger::Configure(
      {.service = "authen", .format = LogFormat::kText, .level = LogLevel::kInfo, .sink = &out_});
  Logger::Bg().Warn("login failed", {{"reason", "wrong password"}, {"user", "alice"}});
  std::string line = out_.str();
  EXPECT_NE(line.find("warn"), std::string::npos);
  EXPECT_NE(line.find("authen login failed"), std::string::npos);
  EXPECT_NE(line.find("reason=\"wrong password\""), std::string::npos);
  EXPECT_NE(line.find("user=alice"), std::string::npos);
}

TEST(LogLevelTest, Parses) {
  EXPECT_EQ(ParseLogLevel("WARN"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("loud"), std::nullopt);
}

}  // namespace
}  // namespace blogtrace::http
