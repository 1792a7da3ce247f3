#include "auth/bearer.h"

#include <gtest/gtest.h>

namespace blogtrace::auth {
namespace {

TEST(BearerTest, AcceptsTheSchemeInAnyCaseWithOneSpaceAndOneToken) {
  struct Case {
    const char* header;
    const char* token;
  };
  for (const auto& c :
       {Case{"Bearer abc.def.ghi", "abc.def.ghi"}, Case{"bearer abc", "abc"},
        Case{"BEARER abc", "abc"}, Case{"bEaReR x", "x"},
        Case{"Bearer a-b_c~d+e/f=", "a-b_c~d+e/f="}, Case{"Bearer abc==", "abc=="}}) {
    auto token = ParseBearer(c.header);
    ASSERT_TRUE(token.has_value()) << c.header;
    EXPECT_EQ(*token, c.token) << c.header;
  }
}

TEST(BearerTest, RefusesEverythingElse) {
  for (const char* header : {"",
                             "Bearer",
                             "Bearer ",
                             "Bearer  abc",
                             "Bearer\tabc",
                             "Bearer abc ",
                             " Bearer abc",
                             "Bearer abc def",
                             "Bearer abc\t",
                             "Bearer abc\r\n",
                             "Basic dXNlcjpwYXNz",
                             "Basic x",
                             "Bearerabc",
                             "Bearer: abc",
                             "Token abc",
                             "Bearer =abc",
                             "Bearer ab=c",
                             "Bearer a,b",
                             "Bearer \"abc\"",
                             "Bearer abc\n",
                             "Bear abc",
                             "Bearers abc"}) {
    EXPECT_FALSE(ParseBearer(header).has_value()) << "accepted: [" << header << "]";
  }
  // A NUL inside the value must not end the token early.
  EXPECT_FALSE(ParseBearer(std::string_view("Bearer abc\0def", 14)).has_value());
}

}  // namespace
}  // namespace blogtrace::auth
