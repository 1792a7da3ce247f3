#include "store/time_format.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace blogtrace::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(FormatRfc3339, WritesUtcWithMilliseconds) {
  struct Case {
    std::int64_t millis;
    const char* text;
  };
  for (const Case& c :
       {Case{0, "1970-01-01T00:00:00.000Z"}, Case{1795000000123, "2026-11-18T11:06:40.123Z"},
        Case{951782400000, "2000-02-29T00:00:00.000Z"}, Case{-1, "1969-12-31T23:59:59.999Z"},
        Case{4102444799999, "2099-12-31T23:59:59.999Z"}}) {
    EXPECT_EQ(FormatRfc3339(system_clock::time_point(milliseconds(c.millis))), c.text);
  }
}

TEST(FormatRfc3339, RoundTripsRandomInstants) {
  std::mt19937_64 rng(3339);
  for (int i = 0; i < 20000; ++i) {
    // Instants system_clock holds (nanoseconds in 64 bits: years 1685..2255 here), each field's
    // range covered by chance.
    const auto millis =
        static_cast<std::int64_t>(rng() % 18'000'000'000'000ull) - 9'000'000'000'000LL;
    const auto t = system_clock::time_point(milliseconds(millis));
    const std::string text = FormatRfc3339(t);
    ASSERT_EQ(text.size(), 24u) << text;
    ASSERT_EQ(ParseRfc3339(text), t) << text;
  }
}

TEST(FormatRfc3339, TruncatesSubMillisecondsTowardThePast) {
  const auto t = system_clock::time_point(milliseconds(1500)) + std::chrono::microseconds(999);
  EXPECT_EQ(FormatRfc3339(t), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(TruncateToMillis(t), system_clock::time_point(milliseconds(1500)));
}

TEST(ParseRfc3339, ReadsWhatFormatWritesAndOffsets) {
  const auto t = system_clock::time_point(milliseconds(1795000000123));
  EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t);
  EXPECT_EQ(ParseRfc3339("2026-11-18T12:06:40.123+01:00"), t);
  EXPECT_EQ(ParseRfc3339("2026-11-18t11:06:40.1234567z"), t);
  EXPECT_EQ(ParseRfc3339("2026-11-18T11:06:40Z"), t - milliseconds(123));
}

TEST(ParseRfc3339, RejectsMalformedText) {
  for (const char* bad :
       {"", "2026-11-19", "2026-11-19T08:26:40", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-11-19T24:00:00Z", "2026-11-19T08:26:40.Z", "2026-11-19 08:26:40Z",
        "2026-11-19T08:26:40+0100", "2026-11-19T08:26:40Zjunk", "２026-11-19T08:26:40Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace blogtrace::store
