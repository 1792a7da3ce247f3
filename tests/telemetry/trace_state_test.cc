// W3C tracestate grammar and mutation rules (Trace Context Level 2, section 3.3).
#include <gtest/gtest.h>

#include "telemetry/api/trace_state.h"

namespace blogtrace::telemetry {
namespace {

struct ParseCase {
  const char* name;
  std::string header;
  bool valid;
  std::string normalised;  // expected ToHeader() when valid
};

class TraceStateParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(TraceStateParse, FollowsTheGrammar) {
  const auto& c = GetParam();
  auto ts = TraceState::Parse(c.header);
  ASSERT_EQ(ts.has_value(), c.valid) << c.header;
  if (ts) {
    EXPECT_EQ(ts->ToHeader(), c.normalised);
  }
}

std::string Members(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) s += ",";
    s += "bar" + std::to_string(i) + "=" + std::to_string(i);
  }
  return s;
}

const std::string kAllKeyChars = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
std::string AllValueChars() {
  std::string v;
  for (int c = 0x20; c <= 0x7e; ++c)
    if (c != ',' && c != '=') v.push_back(static_cast<char>(c));
  return v;
}

INSTANTIATE_TEST_SUITE_P(
    W3C, TraceStateParse,
    ::testing::Values(
        ParseCase{"simple", "foo=1,bar=2", true, "foo=1,bar=2"}, ParseCase{"empty", "", true, ""},
        ParseCase{"empty_members", "foo=1,,bar=2,", true, "foo=1,bar=2"},
        ParseCase{"ows", "foo=1 \t , \t bar=2, \t baz=3", true, "foo=1,bar=2,baz=3"},
        ParseCase{"ows_edges", "\t foo=1 \t", true, "foo=1"},
        ParseCase{"all_key_chars", kAllKeyChars + "=" + AllValueChars(), true,
                  kAllKeyChars + "=" + AllValueChars()},
        ParseCase{"multi_tenant", kAllKeyChars + "@a-z0-9_-*/=1", true,
                  kAllKeyChars + "@a-z0-9_-*/=1"},
        ParseCase{"tenant_may_start_with_digit", "1tenant@sys=x", true, "1tenant@sys=x"},
        ParseCase{"key_256", std::string(256, 'z') + "=1", true, std::string(256, 'z') + "=1"},
        ParseCase{"key_257", std::string(257, 'z') + "=1", false, ""},
        ParseCase{"tenant_241_system_14", std::string(241, 't') + "@" + std::string(14, 'v') + "=1",
                  true, std::string(241, 't') + "@" + std::string(14, 'v') + "=1"},
        ParseCase{"tenant_242", std::string(242, 't') + "@v=1", false, ""},
        ParseCase{"system_15", "t@" + std::string(15, 'v') + "=1", false, ""},
        ParseCase{"key_space", "foo =1", false, ""}, ParseCase{"key_upper", "FOO=1", false, ""},
        ParseCase{"key_dot", "foo.bar=1", false, ""},
        ParseCase{"key_starts_digit", "1foo=1", false, ""},
        ParseCase{"vendor_empty_system", "foo@=1,bar=2", false, ""},
        ParseCase{"vendor_empty_tenant", "@foo=1,bar=2", false, ""},
        ParseCase{"vendor_double_at", "foo@@bar=1,bar=2", false, ""},
        ParseCase{"vendor_two_ats", "foo@bar@baz=1,bar=2", false, ""},
        ParseCase{"system_starts_digit", "foo@1bar=1", false, ""},
        ParseCase{"value_with_equals", "foo=bar=baz", false, ""},
        ParseCase{"value_empty", "foo=,bar=3", false, ""},
        ParseCase{"value_256", "foo=" + std::string(256, 'v'), true,
                  "foo=" + std::string(256, 'v')},
        ParseCase{"value_257", "foo=" + std::string(257, 'v'), false, ""},
        ParseCase{"value_inner_space", "foo=a b", true, "foo=a b"},
        ParseCase{"value_control_char",
                  "foo=a\x01"
                  "b",
                  false, ""},
        ParseCase{"no_equals", "foo", false, ""},
        ParseCase{"duplicate_same", "foo=1,foo=1", false, ""},
        ParseCase{"duplicate_diff", "foo=1,foo=2", false, ""},
        ParseCase{"members_32", Members(32), true, Members(32)},
        ParseCase{"members_33", Members(33), false, ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TraceState, SetMovesKeyToFront) {
  auto ts = *TraceState::Parse("a=1,b=2,c=3");
  EXPECT_EQ(ts.Set("b", "9").ToHeader(), "b=9,a=1,c=3");
  EXPECT_EQ(ts.Set("new", "x").ToHeader(), "new=x,a=1,b=2,c=3");
  EXPECT_EQ(ts.ToHeader(), "a=1,b=2,c=3") << "immutable";
}

TEST(TraceState, SetRejectsInvalidKeyOrValue) {
  auto ts = *TraceState::Parse("a=1");
  EXPECT_EQ(ts.Set("BAD", "1").ToHeader(), "a=1");
  EXPECT_EQ(ts.Set("k", "a,b").ToHeader(), "a=1");
  EXPECT_EQ(ts.Set("k", "").ToHeader(), "a=1");
}

TEST(TraceState, SetOverLimitDropsLongEntriesFirstThenRightMost) {
  std::string header = "long=" + std::string(200, 'x');
  for (int i = 1; i < 32; ++i) header += ",k" + std::to_string(i) + "=v";
  auto ts = *TraceState::Parse(header);
  ASSERT_EQ(ts.size(), 32u);
  auto added = ts.Set("new", "1");
  EXPECT_EQ(added.size(), 32u);
  EXPECT_FALSE(added.Get("long"));
  EXPECT_EQ(added.Get("k31"), "v");
  auto again = added.Set("newer", "2");
  EXPECT_EQ(again.size(), 32u);
  EXPECT_FALSE(again.Get("k31")) << "right-most dropped when no long entry is left";
  EXPECT_EQ(again.entries().front().first, "newer");
}

TEST(TraceState, DeleteAndGet) {
  auto ts = *TraceState::Parse("a=1,b=2");
  EXPECT_EQ(ts.Get("b"), "2");
  EXPECT_FALSE(ts.Get("z"));
  EXPECT_EQ(ts.Delete("a").ToHeader(), "b=2");
  EXPECT_TRUE(ts.Delete("a").Delete("b").empty());
}

}  // namespace
}  // namespace blogtrace::telemetry
