#include "services/blog/model.h"

#include <gtest/gtest.h>

namespace blogtrace::services::blog {
namespace {

nlohmann::json Body(const nlohmann::json& title, const nlohmann::json& content) {
  return {{"title", title}, {"content", content}};
}

TEST(ParseNewBlog, Table) {
  std::string title200;
  for (int i = 0; i < 200; ++i) title200 += "\xC3\xA9";  // 200 code points, 400 bytes
  struct Case {
    nlohmann::json body;
    const char* bad_field;
    const char* why;
  };
  const Case cases[] = {
      {Body("Hello", "World"), nullptr, "plain"},
      {Body(title200, "x"), nullptr, "200 code points"},
      {Body(title200 + "x", "x"), "title", "201 code points"},
      {Body(std::string(200, 'a'), std::string(20000, 'b')), nullptr, "both at their limits"},
      {Body("t", std::string(20001, 'b')), "content", "content one over"},
      {Body("", "x"), "title", "empty title"},
      {Body(" \t ", "x"), "title", "blank title"},
      {Body("\xE3\x80\x80", "x"), "title", "ideographic space title"},
      {Body("t", "\n\n"), "content", "blank content"},
      {Body(42, "x"), "title", "number title"},
      {Body("t", nlohmann::json::array()), "content", "array content"},
      {Body("t", nullptr), "content", "null content"},
      {Body("a\x01", "x"), "title", "control in title"},
      {Body("t", "line\x7F"), "content", "DEL in content"},
      {Body("t", "x\xC2\x80"), "content", "C1 in content"},
      {Body("t", "tab\tLF\nCR\r"), nullptr, "allowed controls"},
      {{{"content", "x"}}, "title", "missing title"},
      {nlohmann::json::array(), "body", "array body"},
  };
  for (const auto& c : cases) {
    auto r = ParseNewBlog(c.body);
    if (c.bad_field == nullptr) {
      EXPECT_TRUE(r) << c.why << ": " << (r ? "" : r.error().reason);
    } else {
      ASSERT_FALSE(r) << c.why;
      EXPECT_EQ(r.error().field, c.bad_field) << c.why;
    }
  }
}

TEST(ParseNewBlog, IgnoresFieldsClientsMayNotSet) {
  auto r = ParseNewBlog(nlohmann::json::parse(
      R"({"title":"T","content":"C","id":"x","author":"mallory","author_id":"1",
          "created_at":"1999-01-01T00:00:00Z","unknown":{}})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->title, "T");
  EXPECT_EQ(r->content, "C");
}

TEST(ParsePage, DefaultsAndLimits) {
  auto d = ParsePage(std::nullopt, std::nullopt);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->limit, 20);
  EXPECT_EQ(d->offset, 0);
  auto p = ParsePage("100", "5");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->limit, 100);
  EXPECT_EQ(p->offset, 5);
  EXPECT_EQ(ParsePage("0", std::nullopt).error().field, "limit");
  EXPECT_EQ(ParsePage("101", std::nullopt).error().field, "limit");
  EXPECT_EQ(ParsePage("20abc", std::nullopt).error().field, "limit");
  EXPECT_EQ(ParsePage(std::nullopt, "-1").error().field, "offset");
  EXPECT_EQ(ParsePage(std::nullopt, "1.5").error().field, "offset");
  EXPECT_EQ(ParsePage(std::nullopt, "").error().field, "offset");
}

TEST(ParsePage, CursorRoundTripsAndRefusesOffsetBesideIt) {
  const store::BlogKey key{store::Timestamp(std::chrono::milliseconds(1795000000123)),
                           "019a-7c3e_X"};
  const std::string cursor = FormatCursor(key);
  EXPECT_EQ(cursor, "1795000000123.019a-7c3e_X");
  auto page = ParsePage("5", std::nullopt, cursor);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 5);
  ASSERT_TRUE(page->after.has_value());
  EXPECT_EQ(*page->after, key);
  EXPECT_FALSE(ParsePage(std::nullopt, std::nullopt)->after.has_value());
  EXPECT_EQ(ParsePage(std::nullopt, "0", cursor).error().field, "cursor");
  for (const char* bad : {"", ".", "12", "12.", ".abc", "1x.abc", "-1.abc", "1.a b", "1.a/b",
                          "1.a.b", "1234567890123456.abc",
                          "1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    EXPECT_EQ(ParsePage(std::nullopt, std::nullopt, bad).error().field, "cursor") << bad;
  }
}

}  // namespace
}  // namespace blogtrace::services::blog
