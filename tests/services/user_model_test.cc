#include "services/user/model.h"

#include <gtest/gtest.h>

namespace blogtrace::services::user {
namespace {

TEST(CheckUsername, Table) {
  struct Case {
    std::string name;
    bool ok;
  };
  const Case cases[] = {
      {"abc", true},
      {"ab", false},
      {std::string(64, 'a'), true},
      {std::string(65, 'a'), false},
      {"Alice_01.x-y", true},
      {"al ice", false},
      {"al@ice", false},
      {"\xC3\xA9t\xC3\xA9", false},
      {"", false},
      {"a/b", false},
  };
  for (const auto& c : cases) EXPECT_EQ(!CheckUsername(c.name), c.ok) << c.name;
}

TEST(CheckPassword, CountsBytesNotCharacters) {
  EXPECT_TRUE(CheckPassword("12345678") == std::nullopt);
  EXPECT_TRUE(CheckPassword("1234567"));
  EXPECT_TRUE(CheckPassword(std::string(128, 'p')) == std::nullopt);
  EXPECT_TRUE(CheckPassword(std::string(129, 'p')));
  // Four 2-byte characters are 8 bytes: enough.
  EXPECT_TRUE(CheckPassword("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9") == std::nullopt);
  // 43 three-byte characters are 129 bytes: too long although only 43 characters.
  std::string euros;
  for (int i = 0; i < 43; ++i) euros += "\xE2\x82\xAC";
  EXPECT_TRUE(CheckPassword(euros));
}

TEST(ParseNewUser, Table) {
  struct Case {
    const char* body;
    const char* bad_field;  // nullptr: valid
  };
  const Case cases[] = {
      {R"({"username":"alice","password":"correct horse","permission":"READ"})", nullptr},
      {R"({"username":"alice","password":"correct horse","permission":"WRITE","id":"x",
          "created_at":"1970","extra":[1]})",
       nullptr},
      {R"({"password":"correct horse","permission":"READ"})", "username"},
      {R"({"username":5,"password":"correct horse","permission":"READ"})", "username"},
      {R"({"username":"al","password":"correct horse","permission":"READ"})", "username"},
      {R"({"username":"alice","password":"short","permission":"READ"})", "password"},
      {R"({"username":"alice","password":12345678,"permission":"READ"})", "password"},
      {R"({"username":"alice","password":"correct horse"})", "permission"},
      {R"({"username":"alice","password":"correct horse","permission":"read"})", "permission"},
      {R"({"username":"alice","password":"correct horse","permission":"ADMIN"})", "permission"},
      {R"({"username":"alice","password":"correct horse","permission":null})", "permission"},
      {R"([1,2])", "body"},
  };
  for (const auto& c : cases) {
    auto r = ParseNewUser(nlohmann::json::parse(c.body));
    if (c.bad_field == nullptr) {
      ASSERT_TRUE(r) << c.body << ": " << r.error().reason;
    } else {
      ASSERT_FALSE(r) << c.body;
      EXPECT_EQ(r.error().field, c.bad_field) << c.body;
    }
  }
  auto ok = ParseNewUser(nlohmann::json::parse(
      R"({"username":"Alice","password":"correct horse","permission":"WRITE"})"));
  EXPECT_EQ(ok->username, "Alice");
  EXPECT_EQ(ok->permission, Permission::kWrite);
}

TEST(ParseCredentials, NeedsTwoStrings) {
  EXPECT_TRUE(ParseCredentials(nlohmann::json::parse(R"({"username":"a","password":"b"})")));
  EXPECT_FALSE(ParseCredentials(nlohmann::json::parse(R"({"username":"a"})")));
  EXPECT_FALSE(ParseCredentials(nlohmann::json::parse(R"({"username":"a","password":1})")));
  EXPECT_FALSE(PlausibleCredentials({"a", "b"}));
  EXPECT_TRUE(PlausibleCredentials({"alice", "correct horse"}));
}

TEST(UserJson, RoundTripsWithoutSecrets) {
  UserInfo user{"u1", "alice", Permission::kWrite, "2026-01-01T00:00:00Z"};
  auto json = ToJson(user);
  EXPECT_EQ(json.size(), 4u);
  EXPECT_EQ(json["permission"], "WRITE");
  auto back = UserInfoFromJson(json);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, "u1");
  EXPECT_EQ(back->username, "alice");
  EXPECT_EQ(back->permission, Permission::kWrite);
}

}  // namespace
}  // namespace blogtrace::services::user
