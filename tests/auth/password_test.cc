#include "auth/password.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>

namespace blogtrace::auth {
namespace {

using namespace std::string_literals;

// m (KiB) and t of an encoded Argon2id hash, or {-1, -1}.
std::pair<long, long> Parameters(const std::string& encoded) {
  static const std::regex kPattern(
      R"(^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$)");
  std::smatch m;
  if (!std::regex_match(encoded, m, kPattern)) return {-1, -1};
  return {std::stol(m[1]), std::stol(m[2])};
}

TEST(PasswordTest, HashVerifiesAndAWrongPasswordDoesNot) {
  auto hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horsE"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse "));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(PasswordTest, EncodingIsArgon2idWithAtLeastOwaspParameters) {
  auto hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  const auto [m_kib, t] = Parameters(*hash);
  EXPECT_GE(m_kib, 19 * 1024) << *hash;  // OWASP: m = 19 MiB, t = 2, p = 1 at least
  EXPECT_GE(t, 2) << *hash;
  EXPECT_EQ(static_cast<std::size_t>(m_kib) * 1024, kArgon2MemLimitBytes);
  EXPECT_EQ(static_cast<std::uint64_t>(t), kArgon2OpsLimit);
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  auto a = HashPassword("same password");
  auto b = HashPassword("same password");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(PasswordTest, PasswordsAreBytesNotCStrings) {
  auto hash = HashPassword("pass\0word"s);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, "pass\0word"s));
  EXPECT_FALSE(VerifyPassword(*hash, "pass"));
  EXPECT_FALSE(VerifyPassword(*hash, "pass\0wore"s));
}

TEST(PasswordTest, GarbageHashesAreFalseNotACrash) {
  auto hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.ok());
  const std::string truncated = hash->substr(0, hash->size() - 5);
  std::string flipped = *hash;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  std::string argon2i = *hash;
  argon2i.replace(0, 10, "$argon2i$");
  for (const std::string& bad :
       {""s, "garbage"s, "$argon2id$"s, "$argon2id$v=19$m=65536,t=2,p=1$$"s, truncated, flipped,
        argon2i, std::string(5000, 'x'), "$argon2id$" + std::string(200, 'A'),
        "$argon2id$v=19$m=65536,t=2,p=1$\0abc"s, "$2b$12$abcdefghijklmnopqrstuu"s}) {
    EXPECT_FALSE(VerifyPassword(bad, "correct horse")) << bad.substr(0, 60);
  }
  for (const std::string& bad : {""s, "garbage"s, argon2i, "$argon2id$v=19$m=4096,t=1,p=1$x$y"s}) {
    EXPECT_TRUE(PasswordNeedsRehash(bad)) << bad;
  }
}

TEST(PasswordTest, DummyVerifyCostsAsMuchAsARealVerify) {
  // The dummy hash must use today's parameters, or unknown users would answer faster.
  EXPECT_FALSE(PasswordNeedsRehash(DummyPasswordHash()));
  EXPECT_FALSE(DummyVerifyPassword("blogtrace-dummy-password"));
  EXPECT_FALSE(DummyVerifyPassword("anything"));

  auto hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.ok());
  auto time = [](auto&& f) {
    std::vector<double> ms;
    for (int i = 0; i < 3; ++i) {
      const auto start = std::chrono::steady_clock::now();
      f();
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[1];
  };
  const double real = time([&] { (void)VerifyPassword(*hash, "wrong password"); });
  const double dummy = time([&] { (void)DummyVerifyPassword("wrong password"); });
  // Loose bounds (the machine is shared); an early return would be orders of magnitude faster.
  EXPECT_GT(dummy, real / 3) << "dummy " << dummy << " ms, real " << real << " ms";
  EXPECT_LT(dummy, real * 3) << "dummy " << dummy << " ms, real " << real << " ms";
}

}  // namespace
}  // namespace blogtrace::auth
