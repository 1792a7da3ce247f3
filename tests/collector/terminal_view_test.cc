#include "collector/terminal_view.h"

#include <gtest/gtest.h>

#include "collector/trace_mapping.h"
#include "store_fixture.h"

namespace blogtrace::collector {
namespace {

using namespace testing;
using nlohmann::json;

class TerminalViewTest : public StoreTest {
 protected:
  json JaegerTrace(int n, bool error) {
    otlp_collector::ExportTraceServiceRequest req;
    AddBlogTrace(req, n, kT0 + static_cast<std::uint64_t>(n) * 1'000'000'000, error);
    Store(req);
    auto spans = store_->GetTrace(Bytes(TraceHex(n)));
    EXPECT_TRUE(spans.ok() && !spans->empty());
    return ToJaegerTrace(*spans);
  }
};

TEST(FormatDurationTest, PicksAReadableUnit) {
  EXPECT_EQ(FormatDurationMicros(850), "850us");
  EXPECT_EQ(FormatDurationMicros(12'345), "12.35ms");
  EXPECT_EQ(FormatDurationMicros(1'500'000), "1.50s");
}

TEST(TraceSearchTargetTest, EncodesEveryFilter) {
  TraceSearch s{.service = "blog",
                .operation = "GET /blogs/{id}",
                .tags = {"error:true", "http.response.status_code:500"},
                .min_duration = "10ms",
                .max_duration = "1s",
                .lookback = "2h",
                .limit = 5};
  EXPECT_EQ(TraceSearchTarget(s),
            "/api/traces?limit=5&service=blog&operation=GET%20%2Fblogs%2F%7Bid%7D&tag=error%3Atrue"
            "&tag=http.response.status_code%3A500&minDuration=10ms&maxDuration=1s&lookback=2h");
  EXPECT_EQ(TraceSearchTarget({}), "/api/traces?limit=20&lookback=1h");
}

TEST_F(TerminalViewTest, ListShowsRootSpansDurationStartAndErrors) {
  json response = {{"data", json::array({JaegerTrace(1, false), JaegerTrace(2, true)})}};
  std::string text = FormatTraceList(response);
  // Newest first: trace 2 before trace 1.
  auto first = text.find(TraceHex(2));
  auto second = text.find(TraceHex(1));
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  EXPECT_LT(first, second);
  EXPECT_NE(text.find("frontend: GET /blogs"), std::string::npos) << text;
  EXPECT_NE(text.find("10.00ms"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-01-01 00:00:02.000"), std::string::npos) << text;
  // Trace 2's line ends with its error count, trace 1's with "-".
  std::string line2 = text.substr(first, text.find('\n', first) - first);
  std::string line1 = text.substr(second, text.find('\n', second) - second);
  EXPECT_EQ(line2.back(), '1') << line2;
  EXPECT_EQ(line1.back(), '-') << line1;
  EXPECT_NE(text.find("2 traces"), std::string::npos);
  EXPECT_EQ(FormatTraceList({{"data", json::array()}}), "No traces found.\n");
}

TEST_F(TerminalViewTest, WaterfallIndentsChildrenAndMarksErrors) {
  std::string text = FormatTraceWaterfall(JaegerTrace(2, true));
  std::istringstream lines(text);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 8u) << text;  // title, summary, blank, five spans
  EXPECT_EQ(rows[0], "Trace " + TraceHex(2));
  EXPECT_NE(rows[1].find("5 spans, 3 services, 10.00ms"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("1 with errors"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[3].rfind("frontend GET /blogs", 0), 0u) << rows[3];
  EXPECT_EQ(rows[4].rfind("  blog GET /blogs", 0), 0u) << rows[4];
  EXPECT_EQ(rows[5].rfind("    blog SELECT blogs", 0), 0u) << rows[5];
  EXPECT_EQ(rows[6].rfind("    blog POST /authorize", 0), 0u) << rows[6];
  EXPECT_EQ(rows[7].rfind("      author POST /authorize", 0), 0u) << rows[7];
  EXPECT_NE(rows[7].find("! ERROR: token expired"), std::string::npos) << rows[7];
  EXPECT_EQ(rows[4].find("ERROR"), std::string::npos);
  // The root's bar fills the width; the author span's bar starts a third of the way in.
  const std::string full_bar = std::string("|").append(40, '#').append("|");
  EXPECT_NE(rows[3].find(full_bar), std::string::npos) << rows[3];
  auto bar = rows[7].find('|');
  ASSERT_NE(bar, std::string::npos);
  EXPECT_EQ(rows[7].substr(bar + 1, 14), std::string(14, ' ')) << rows[7];
  EXPECT_EQ(rows[7][bar + 15], '#') << rows[7];
}

}  // namespace
}  // namespace blogtrace::collector
