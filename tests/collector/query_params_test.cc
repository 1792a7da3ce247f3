#include "collector/query_params.h"

#include <gtest/gtest.h>

namespace blogtrace::collector {
namespace {

using std::chrono::nanoseconds;

TEST(QueryStringTest, DecodesAndKeepsRepeatedNames) {
  auto q = QueryString::Parse("service=blog%20svc&tag=a%3Ab&tag=c:d&empty=&flag&x=1+2");
  EXPECT_EQ(q.Get("service"), "blog svc");
  EXPECT_EQ(q.GetAll("tag"), (std::vector<std::string>{"a:b", "c:d"}));
  EXPECT_EQ(q.Get("empty"), "");
  EXPECT_EQ(q.Get("flag"), "");
  EXPECT_EQ(q.Get("x"), "1 2");
  EXPECT_FALSE(q.Get("missing").has_value());
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz"), "%zz");
}

TEST(GoDurationTest, ParsesGoSyntax) {
  struct Case {
    const char* text;
    std::int64_t ns;
  };
  for (auto [text, ns] :
       {Case{"0", 0}, Case{"1ns", 1}, Case{"2us", 2000}, Case{"3µs", 3000},
        Case{"500ms", 500'000'000}, Case{"1.5s", 1'500'000'000}, Case{"1h30m", 5'400'000'000'000},
        Case{"2m3.5s", 123'500'000'000}, Case{".5s", 500'000'000}}) {
    auto d = ParseGoDuration(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(d->count(), ns) << text;
  }
  for (const char* bad : {"", "5", "1x", "ms", "-1s", "1.2.3s", "abc", "1d"}) {
    EXPECT_FALSE(ParseGoDuration(bad).ok()) << bad;
  }
}

TEST(LookbackTest, AcceptsDaysAndWeeks) {
  EXPECT_EQ(ParseLookback("2d")->count(), nanoseconds(std::chrono::hours(48)).count());
  EXPECT_EQ(ParseLookback("1w")->count(), nanoseconds(std::chrono::hours(168)).count());
  EXPECT_EQ(ParseLookback("1h")->count(), nanoseconds(std::chrono::hours(1)).count());
  EXPECT_FALSE(ParseLookback("xd").ok());
  EXPECT_FALSE(ParseLookback("soon").ok());
}

TEST(Rfc3339Test, ParsesZuluOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0u);
  EXPECT_EQ(*ParseRfc3339("2026-01-01T00:00:00Z"), 1767225600ull * 1000000000ull);
  EXPECT_EQ(*ParseRfc3339("2026-01-01T00:00:00.123456789Z"),
            1767225600ull * 1000000000ull + 123456789ull);
  EXPECT_EQ(*ParseRfc3339("2026-01-01T00:00:00.5Z"), 1767225600ull * 1000000000ull + 500000000ull);
  EXPECT_EQ(*ParseRfc3339("2026-01-01T02:00:00+02:00"), 1767225600ull * 1000000000ull);
  for (const char* bad : {"", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z",
                          "2026-01-01T00:00:00.Z", "1767225600", "2026-01-01T00:00:00Zjunk"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace blogtrace::collector
