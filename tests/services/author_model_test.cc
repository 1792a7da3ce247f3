#include "services/author/model.h"

#include <gtest/gtest.h>

namespace blogtrace::services::author {
namespace {

TEST(ParseAuthorizeRequest, Table) {
  EXPECT_EQ(*ParseAuthorizeRequest(nlohmann::json::parse(R"({"permission":"READ"})")),
            Permission::kRead);
  EXPECT_EQ(*ParseAuthorizeRequest(nlohmann::json::parse(R"({"permission":"WRITE","x":1})")),
            Permission::kWrite);
  for (const char* body : {R"({})", R"({"permission":"write"})", R"({"permission":"ADMIN"})",
                           R"({"permission":1})", R"({"permission":null})", R"("READ")"}) {
    EXPECT_FALSE(ParseAuthorizeRequest(nlohmann::json::parse(body))) << body;
  }
}

TEST(Grants, WriteIncludesRead) {
  EXPECT_TRUE(Grants(Permission::kRead, Permission::kRead));
  EXPECT_FALSE(Grants(Permission::kRead, Permission::kWrite));
  EXPECT_TRUE(Grants(Permission::kWrite, Permission::kRead));
  EXPECT_TRUE(Grants(Permission::kWrite, Permission::kWrite));
}

TEST(AuthorizationJson, RoundTrips) {
  Authorization a{"u1", "alice", Permission::kWrite};
  auto json = ToJson(a);
  EXPECT_EQ(json["allowed"], true);
  EXPECT_EQ(json["user"]["permission"], "WRITE");
  auto back = AuthorizationFromJson(json);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user_id, "u1");
  EXPECT_EQ(back->username, "alice");
  EXPECT_EQ(back->permission, Permission::kWrite);
  EXPECT_FALSE(AuthorizationFromJson(nlohmann::json::parse(R"({"allowed":true})")));
}

}  // namespace
}  // namespace blogtrace::services::author
