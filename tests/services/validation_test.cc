#include "services/common/validation.h"

#include <gtest/gtest.h>

namespace blogtrace::services {
namespace {

TEST(CountCodePoints, CountsMultiByteSequencesOnce) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("h\xC3\xA9"), 2u);         // hé
  EXPECT_EQ(CountCodePoints("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);  // 😀
}

TEST(CountCodePoints, RejectsInvalidUtf8) {
  for (std::string_view bad :
       {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\x80", "\xE2\x82"}) {
    EXPECT_FALSE(CountCodePoints(bad)) << testing::PrintToString(std::string(bad));
  }
}

struct TextCase {
  std::string text;
  bool ok;
  std::string why;
};

TEST(CheckText, Table) {
  const TextCase cases[] = {
      {"Hello", true, "plain"},
      {"t\th\nl\r\n", true, "tab, LF, CR allowed"},
      {"", false, "empty"},
      {"   ", false, "spaces only"},
      {"\t\n\r ", false, "ASCII whitespace only"},
      {"\xC2\xA0\xE3\x80\x80", false, "NBSP and ideographic space only"},
      {"\xE2\x80\x8B", false, "zero-width space only"},
      {"\xE2\x80\xA8\xE2\x80\xA9", false, "line/paragraph separators only"},
      {" x ", true, "whitespace around text"},
      {std::string("a\0b", 3), false, "NUL"},
      {"a\x01", false, "C0 control"},
      {"a\x1B[31m", false, "ESC"},
      {"a\x7F", false, "DEL"},
      {"a\xC2\x85", false, "NEL (C1)"},
      {"a\xC2\x9F", false, "C1 upper bound"},
      {"a\xC2\xA0", true, "NBSP with text"},
      {std::string(10, 'x'), true, "at the limit"},
      {std::string(11, 'x'), false, "one over the limit"},
      {"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", true,
       "10 two-byte code points (20 bytes)"},
      {"\xF0\x9F\x98\x80", true, "emoji"},
      {"\xC3", false, "invalid UTF-8"},
  };
  for (const auto& c : cases) {
    auto error = CheckText("title", c.text, 10);
    EXPECT_EQ(!error, c.ok) << c.why << (error ? ": " + error->reason : "");
    if (error) {
      EXPECT_EQ(error->field, "title");
    }
  }
}

TEST(RequireString, AcceptsStringsOnly) {
  auto body =
      nlohmann::json::parse(R"({"s":"x","n":1,"b":true,"z":null,"a":["x"],"o":{"x":1},"e":""})");
  EXPECT_EQ(*RequireString(body, "s"), "x");
  EXPECT_EQ(*RequireString(body, "e"), "");
  for (auto field : {"n", "b", "a", "o"}) {
    auto r = RequireString(body, field);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().field, field);
    EXPECT_EQ(r.error().reason, "must be a string");
  }
  EXPECT_EQ(RequireString(body, "z").error().reason, "is required");
  EXPECT_EQ(RequireString(body, "missing").error().reason, "is required");
  EXPECT_EQ(RequireString(nlohmann::json::array(), "s").error().field, "body");
  EXPECT_EQ(RequireString(nlohmann::json("s"), "s").error().field, "body");
}

TEST(ParseQueryInteger, Table) {
  struct Case {
    std::optional<std::string_view> text;
    std::optional<std::int64_t> want;
  };
  const Case cases[] = {
      {std::nullopt, 20},
      {"1", 1},
      {"100", 100},
      {"007", 7},
      {"0", std::nullopt},
      {"101", std::nullopt},
      {"", std::nullopt},
      {"-1", std::nullopt},
      {"+5", std::nullopt},
      {"1.5", std::nullopt},
      {"20abc", std::nullopt},
      {"0x10", std::nullopt},
      {" 5", std::nullopt},
      {"5 ", std::nullopt},
      {"1e2", std::nullopt},
      {"99999999999999999999999", std::nullopt},
  };
  for (const auto& c : cases) {
    auto r = ParseQueryInteger("limit", c.text, 1, 100, 20);
    std::string label = c.text ? std::string(*c.text) : "<absent>";
    ASSERT_EQ(r.ok(), c.want.has_value()) << label;
    if (r) {
      EXPECT_EQ(*r, *c.want) << label;
    } else {
      EXPECT_EQ(r.error().field, "limit");
      EXPECT_EQ(r.error().ToError().code, ErrorCode::kBadRequest);
    }
  }
}

}  // namespace
}  // namespace blogtrace::services
