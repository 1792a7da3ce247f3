#include "auth/secure_compare.h"

#include <gtest/gtest.h>

#include <string>

namespace blogtrace::auth {
namespace {

using namespace std::string_literals;

TEST(SecureCompareTest, EqualsExactlyWhenEqual) {
  struct Case {
    std::string a, b;
    bool equal;
  };
  const std::string long_a(10000, 'k');
  std::string long_b = long_a;
  long_b.back() = 'j';
  for (const auto& c :
       {Case{"", "", true}, Case{"a", "a", true}, Case{"secret", "secret", true},
        Case{"a", "b", false}, Case{"abc", "abd", false}, Case{"abc", "ab", false},
        Case{"ab", "abc", false}, Case{"", "a", false}, Case{"a", "", false},
        Case{"a\0b"s, "a\0b"s, true}, Case{"a\0b"s, "a\0c"s, false}, Case{"a\0"s, "a"s, false},
        Case{long_a, long_a, true}, Case{long_a, long_b, false}, Case{"Secret", "secret", false}}) {
    EXPECT_EQ(ConstantTimeEquals(c.a, c.b), c.equal) << c.a.size() << " vs " << c.b.size();
  }
}

}  // namespace
}  // namespace blogtrace::auth
