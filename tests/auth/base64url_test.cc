#include "auth/base64url.h"

#include <gtest/gtest.h>

namespace blogtrace::auth {
namespace {

using namespace std::string_literals;

TEST(Base64UrlTest, EncodesRfc4648VectorsWithoutPadding) {
  struct Case {
    std::string in, out;
  };
  for (const auto& c :
       {Case{"", ""}, Case{"f", "Zg"}, Case{"fo", "Zm8"}, Case{"foo", "Zm9v"},
        Case{"foob", "Zm9vYg"}, Case{"fooba", "Zm9vYmE"}, Case{"foobar", "Zm9vYmFy"},
        Case{"\xfb\xff"s, "-_8"}, Case{"\x00\x00\x00"s, "AAAA"}}) {
    EXPECT_EQ(Base64UrlEncode(c.in), c.out) << c.out;
    auto back = Base64UrlDecode(c.out);
    ASSERT_TRUE(back.has_value()) << c.out;
    EXPECT_EQ(*back, c.in) << c.out;
  }
}

TEST(Base64UrlTest, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t len = 0; len <= all.size(); len += 37) {
    const std::string part = all.substr(0, len);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(part)), part);
  }
}

TEST(Base64UrlTest, DecodingIsStrict) {
  for (const char* bad : {"Zg==", "Zg=", "Z", "Zm9vY", "Zh", "Zm9=", "Zm9v Yg", " Zm9v", "Zm9v\n",
                          "Zm9v\t", "+/8", "Zm9v.", "Zm\0v", "é"}) {
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << "accepted: " << bad;
  }
  // Non-zero unused trailing bits would give a second spelling of the same bytes.
  EXPECT_TRUE(Base64UrlDecode("Zg").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());
  EXPECT_TRUE(Base64UrlDecode("Zm8").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9").has_value());
}

}  // namespace
}  // namespace blogtrace::auth
