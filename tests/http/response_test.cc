#include "http/response.h"

#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace blogtrace::http {
namespace {

namespace bhttp = boost::beast::http;

Request Body(std::string content_type, std::string body) {
  Request r{bhttp::verb::post, "/x", 11};
  if (!content_type.empty()) r.set(bhttp::field::content_type, content_type);
  r.body() = std::move(body);
  return r;
}

struct BodyCase {
  std::string name;
  std::string content_type;
  std::string body;
  std::optional<ErrorCode> error;  // nullopt: parses
  std::string message_part;
};

TEST(ParseJsonBodyTest, Table) {
  const std::vector<BodyCase> cases = {
      {"plain", "application/json", R"({"a":1})", std::nullopt, ""},
      {"charset", "application/json; charset=utf-8", R"({"a":1})", std::nullopt, ""},
      {"case", "Application/JSON ;charset=UTF-8", R"({"a":1})", std::nullopt, ""},
      {"unicode", "application/json", "{\"t\":\"h\xC3\xA9llo \xF0\x9F\x98\x80\"}", std::nullopt,
       ""},
      {"no type", "", R"({"a":1})", ErrorCode::kUnsupportedMediaType, "application/json"},
      {"text", "text/plain", R"({"a":1})", ErrorCode::kUnsupportedMediaType, "text/plain"},
      {"json-ish", "application/jsonp", R"({"a":1})", ErrorCode::kUnsupportedMediaType, ""},
      {"form", "application/x-www-form-urlencoded", "a=1", ErrorCode::kUnsupportedMediaType, ""},
      {"empty", "application/json", "", ErrorCode::kBadRequest, "empty"},
      {"blank", "application/json", "  \n", ErrorCode::kBadRequest, "empty"},
      {"not json", "application/json", "{a:1}", ErrorCode::kBadRequest, "not valid JSON"},
      {"truncated", "application/json", R"({"a":)", ErrorCode::kBadRequest, "not valid JSON"},
      {"trailing", "application/json", R"({"a":1} x)", ErrorCode::kBadRequest, "not valid JSON"},
      {"array", "application/json", "[1,2]", ErrorCode::kBadRequest, "JSON object"},
      {"string", "application/json", R"("a")", ErrorCode::kBadRequest, "JSON object"},
      {"latin1", "application/json", "{\"t\":\"caf\xE9\"}", ErrorCode::kBadRequest, "UTF-8"},
      {"overlong slash", "application/json", "{\"t\":\"\xC0\xAF\"}", ErrorCode::kBadRequest,
       "UTF-8"},
      {"overlong 3", "application/json", "{\"t\":\"\xE0\x80\xAF\"}", ErrorCode::kBadRequest,
       "UTF-8"},
      {"surrogate", "application/json", "{\"t\":\"\xED\xA0\x80\"}", ErrorCode::kBadRequest,
       "UTF-8"},
      {"above max", "application/json", "{\"t\":\"\xF4\x90\x80\x80\"}", ErrorCode::kBadRequest,
       "UTF-8"},
      {"truncated seq", "application/json", "{\"t\":\"\xE2\x82\"}", ErrorCode::kBadRequest,
       "UTF-8"},
      {"deep", "application/json", "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}",
       ErrorCode::kBadRequest, "deeply"},
  };
  for (const BodyCase& c : cases) {
    SCOPED_TRACE(c.name);
    Result<nlohmann::json> r = ParseJsonBody(Body(c.content_type, c.body));
    if (!c.error) {
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_TRUE(r->is_object());
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, *c.error);
      EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << r.error().message;
    }
  }
}

TEST(Utf8Test, AcceptsBoundariesRejectsInvalid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("\x7F"));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));          // U+0080
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8(std::string_view("a\xC3", 2)));
}

TEST(ErrorResponseTest, MapsCodesToStatusAndBody) {
  Response r = ErrorResponse(Error::Unavailable("user service did not answer in time"));
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_EQ(r[bhttp::field::content_type], "application/json");
  auto body = nlohmann::json::parse(r.body());
  EXPECT_EQ(body, (nlohmann::json{{"error", "unavailable"},
                                  {"message", "user service did not answer in time"}}));

  Response m = ErrorResponse(Error{ErrorCode::kMethodNotAllowed, "no"}, "GET, HEAD");
  EXPECT_EQ(m.result_int(), 405u);
  EXPECT_EQ(m[bhttp::field::allow], "GET, HEAD");
  EXPECT_EQ(nlohmann::json::parse(m.body())["error"], "method_not_allowed");

  Response j = JsonResponse(201, {{"id", "x"}});
  EXPECT_EQ(j.result_int(), 201u);
  EXPECT_EQ(j[bhttp::field::content_length], std::to_string(j.body().size()));
}

// JsonResponse writes its own compact JSON for speed; it must be byte for byte what
// json::dump(-1, ' ', false, replace) writes, for every kind of value.
TEST(JsonResponseTest, BodyIsExactlyWhatDumpWrites) {
  using nlohmann::json;
  const std::vector<json> values = {
      json::object(),
      json::array(),
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(),
      0.1,
      -2.5e300,
      1.0,
      "",
      "plain text ~ with / slash",
      "quote \" and backslash \\",
      "controls \b\f\n\r\t\x01\x1f and DEL \x7f",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      "invalid \xff\xfe UTF-8 \xc3",
      json::binary({1, 2, 3}),
      {{"blogs", json::array({{{"id", "a"}, {"n", 1}}, {{"id", "b\n"}, {"x", nullptr}}})},
       {"total", 2}},
      {{"k\xc3\xa9y", 1}, {"\"q\"", {1, 2.5, "s", false}}, {"", json::object()}},
      json::parse(R"([[[]],{"a":{"b":[1,-2,3]}},"\u0000"])"),
  };
  for (const json& v : values) {
    std::string expected = v.dump(-1, ' ', false, json::error_handler_t::replace);
    SCOPED_TRACE(expected);
    Response r = JsonResponse(200, v);
    EXPECT_EQ(r.body(), expected);
    EXPECT_EQ(r[bhttp::field::content_length], std::to_string(expected.size()));
  }
}

// Every byte value at every position of the first 8-byte word, the second word and the tail,
// as a value and as a key: the fast path's byte classification agrees with dump.
TEST(JsonResponseTest, EveryByteAtEveryPositionMatchesDump) {
  using nlohmann::json;
  for (int b = 0; b < 256; ++b) {
    for (std::size_t pos = 0; pos < 19; ++pos) {
      std::string s = "abcdefghijklmnopqrs";
      s[pos] = static_cast<char>(b);
      const json value = {{s, s}, {"k", json::array({s})}};
      const std::string expected = value.dump(-1, ' ', false, json::error_handler_t::replace);
      ASSERT_EQ(JsonResponse(200, value).body(), expected) << "byte " << b << " at " << pos;
    }
  }
}

}  // namespace
}  // namespace blogtrace::http
